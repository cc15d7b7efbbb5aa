"""``briefing eval``: measure translation and summary quality, and check briefings.

A typer sub-app, registered in ``flows/cli.py`` with ``app.add_typer(eval_app, name="eval")``.
Models come from ``flows/runtime.py``, exactly as a briefing run loads them, so what is
measured is what runs; scoring, data loading and the history file are in
``pipeline/evaluation/``, the faithfulness checks in ``pipeline/quality/faithfulness.py``.

Exit codes: 0 done; 1 a model is missing or failed (as for ``briefing run``), or with
``faithfulness --strict`` a problem was found; 2 bad usage: a data set, column, config or
setting that can't be used (nothing is run).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.exit_codes import RUN_FAILED, USAGE
from pipeline.config.load import load_config
from pipeline.config.schema import BriefingConfig, ConfigError
from pipeline.evaluation.evaluation import (
    HISTORY_NAME,
    EvaluationError,
    PairSet,
    append_history,
    apply_overrides,
    comparison,
    comparison_table,
    describe_settings,
    examples,
    load_parallel,
    load_setting,
    load_summaries,
    parse_overrides,
    read_history,
    render_table,
    rouge_scores,
    summary_record,
    summary_settings,
    summary_table,
    timed_run,
    translation_record,
    translation_scores,
    translation_settings,
    translation_table,
)
from pipeline.quality.faithfulness import check_briefing
from pipeline.storage.atomic import atomic_write_text

eval_app = typer.Typer(
    help=(
        "Measure quality: BLEU/chrF of the translation engine and ROUGE of the summariser "
        "on reference sets, side-by-side comparison of two engine settings, and "
        "reference-free faithfulness checks of a written briefing. Every scored run is "
        "appended to a history file (JSON lines) so runs can be compared over time."
    ),
    no_args_is_help=True,
)

DATA_HELP = (
    "Evaluation set: a local .jsonl/.json/.tsv/.csv file with a header row, or "
    "hub:NAME[:SPLIT[:CONFIG]] for a Hugging Face hub data set, e.g. "
    "hub:openlanguagedata/flores_plus:devtest (FLORES: the --lang and English configs are "
    "joined on id; it is gated: accept its terms on the hub and log in)."
)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="YAML config whose engine and summary settings are used (default: "
        "configs/default.yaml).",
        show_default=False,
    ),
]
DataOption = Annotated[str, typer.Option("--data", "-d", help=DATA_HELP, show_default=False)]
SummaryDataOption = Annotated[
    str,
    typer.Option(
        "--data",
        "-d",
        help="Article/summary set: a local .jsonl/.json/.tsv/.csv file with a header row, or "
        "hub:NAME[:SPLIT[:CONFIG]], e.g. hub:abisee/cnn_dailymail:test:3.0.0 (columns "
        "article, highlights).",
        show_default=False,
    ),
]
LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        "-l",
        help="Source language (ISO 639-1: nl, nb, nn, it); picks the model from the config.",
        show_default=False,
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=1, help="Use only the first N pairs.", show_default=False),
]
SourceColumn = Annotated[
    str | None,
    typer.Option(
        "--source-column",
        help="Column of the source sentences (default: the first of source, src, "
        "`sentence_<flores code>` (e.g. sentence_nld_Latn), the --lang code (e.g. nl), the "
        "FLORES code (e.g. nld_Latn)).",
        show_default=False,
    ),
]
ReferenceColumn = Annotated[
    str | None,
    typer.Option(
        "--reference-column",
        help="Column of the English references (default: the first of reference, ref, "
        "target, tgt, sentence_eng_Latn, en).",
        show_default=False,
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override settings of the config's translation section: KEY=VALUE, several "
        "separated by commas or given as repeated --set (e.g. --set max_batch_sentences=8, "
        "--set models.nb.id=Helsinki-NLP/opus-mt-tc-big-gmq-en).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Also write the result as JSON here (with every output next to its reference).",
        show_default=False,
    ),
]
HistoryOption = Annotated[
    Path | None,
    typer.Option(
        "--history",
        help=f"History file to append the run to (default: `<output_dir>/{HISTORY_NAME}` with "
        f"the config's output_dir, i.e. outputs/{HISTORY_NAME}).",
        show_default=False,
    ),
]
NoHistoryOption = Annotated[
    bool, typer.Option("--no-history", help="Do not append this run to the history file.")
]


def _err(message: str) -> None:
    typer.secho(message, err=True, fg=typer.colors.RED)


def _usage_error(message: str) -> typer.Exit:
    """Print ``message`` and return the exit for bad usage (2), to be raised."""
    _err(f"briefing eval: {message}")
    return typer.Exit(USAGE)


def _config(path: Path | None, overrides: list[str] | None, section: str) -> BriefingConfig:
    try:
        config = load_config(path)
        pairs = [pair for text in overrides or [] for pair in parse_overrides(text)]
        return apply_overrides(config, pairs, section=section)
    except (ConfigError, EvaluationError) as error:
        raise _usage_error(str(error)) from None


def _history_path(config: BriefingConfig, history: Path | None) -> Path:
    return history if history is not None else Path(config.output_dir) / HISTORY_NAME


def _model_failure(error: Exception) -> typer.Exit:
    _err(f"briefing eval: a model is missing or failed.\n{error}")
    return typer.Exit(RUN_FAILED)


def _warn_if_tiny(records: list[dict[str, Any]]) -> None:
    if any(r.get("tiny") for r in records):
        typer.secho(
            "NOTE: tiny random-weight TEST models: these scores mean nothing.",
            fg=typer.colors.YELLOW,
        )


def _write_json(path: Path, data: Any) -> None:

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        _err(f"briefing eval: could not write {path}: {error}")
        raise typer.Exit(RUN_FAILED) from None
    typer.echo(f"wrote {path}")


def _append(history: Path, records: list[dict[str, Any]]) -> None:
    try:
        for record in records:
            append_history(history, record)
    except OSError as error:
        _err(f"briefing eval: could not append to {history}: {error}")
        raise typer.Exit(RUN_FAILED) from None
    typer.echo(f"history: {history} (+{len(records)})")


# --------------------------------------------------------------------------------------------
# Translation
# --------------------------------------------------------------------------------------------


def _check_language(config: BriefingConfig, language: str) -> None:
    if language in config.translation.models:
        return
    known = ", ".join(sorted(config.translation.models)) or "none"
    if language in config.translation.passthrough:
        raise _usage_error(
            f"language {language!r} is passed through untranslated; nothing to "
            f"evaluate (translated languages: {known})"
        )
    raise _usage_error(f"no translation model configured for {language!r} (configured: {known})")


def _load_pairs(
    data: str,
    language: str,
    source_column: str | None,
    reference_column: str | None,
    limit: int | None,
) -> PairSet:
    try:
        return load_parallel(
            data,
            language,
            source_column=source_column,
            reference_column=reference_column,
            limit=limit,
        )
    except EvaluationError as error:
        raise _usage_error(str(error)) from None


def _evaluate_translation(
    config: BriefingConfig, language: str, pairs: PairSet, label: str | None
) -> tuple[dict[str, Any], list[str]]:
    """Load the engine as a briefing run would, translate the set, score it."""
    from pipeline.models import loaded as runtime
    from pipeline.models.locate import ModelNotAvailable
    from pipeline.translation.engine import TranslationError

    spec = config.translation.models[language]
    try:
        started = time.perf_counter()
        resolved = runtime.resolved_model(spec)
        engine = runtime.translator(spec, config.translation)
        load_seconds = time.perf_counter() - started

        def translate(sentences: list[str]) -> list[str]:
            return [s.translation for s in engine.translate(sentences, language)]

        run = timed_run(pairs.inputs, translate)
    except (ModelNotAvailable, TranslationError) as error:
        raise _model_failure(error) from None
    scores = translation_scores(run.outputs, pairs.references)
    model = {**resolved.to_dict(), "device": str(getattr(engine, "device", "") or "") or None}
    record = translation_record(
        pairs=pairs,
        run=run,
        scores=scores,
        model=model,
        language=language,
        settings=translation_settings(config),
        label=label,
        load_seconds=load_seconds,
    )
    return record, run.outputs


@eval_app.command("translation")
def eval_translation(
    data: DataOption,
    lang: LangOption,
    config_path: ConfigOption = None,
    num_beams: Annotated[
        int | None,
        typer.Option(
            "--num-beams",
            min=1,
            max=16,
            help="Beam size (default: the config's).",
            show_default=False,
        ),
    ] = None,
    device: Annotated[
        str | None,
        typer.Option(
            "--device", help="auto, cpu or cuda (default: the config's).", show_default=False
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Hub id of another model for --lang, e.g. Helsinki-NLP/opus-mt-tc-big-gmq-en.",
            show_default=False,
        ),
    ] = None,
    settings: SetOption = None,
    source_column: SourceColumn = None,
    reference_column: ReferenceColumn = None,
    limit: LimitOption = None,
    output: OutputOption = None,
    history: HistoryOption = None,
    no_history: NoHistoryOption = False,
) -> None:
    """BLEU and chrF (sacrebleu) of the configured translation engine on a parallel set.

    The engine is loaded exactly as `briefing run` loads it, with every setting of the
    config's `translation:` section (flags and --set override them). Prints a table,
    appends the run (time, model, revision, settings, data set, n, BLEU, chrF, seconds,
    sentences/s) to the history file, and with --output writes it as JSON.

    Example: briefing eval translation --data tests/data/parallel_nl_en.tsv --lang nl
    """
    extra = list(settings or [])
    if num_beams is not None:
        extra.append(f"num_beams={num_beams}")
    if device is not None:
        extra.append(f"device={device}")
    if model is not None:
        extra.append(f"models.{lang}={{id: {model}}}")  # a whole new spec: no stale path
    config = _config(config_path, extra, "translation")
    _check_language(config, lang)
    pairs = _load_pairs(data, lang, source_column, reference_column, limit)
    record, outputs = _evaluate_translation(config, lang, pairs, label=None)
    _warn_if_tiny([record])
    typer.echo(translation_table([{**record, "label": "this run"}]))
    typer.echo(f"settings: {describe_settings(record['settings'])}")
    typer.echo(f"data: {data} ({record['n']} pairs)")
    if not no_history:
        _append(_history_path(config, history), [record])
    if output is not None:
        _write_json(output, {**record, "examples": examples(pairs, outputs)})


# --------------------------------------------------------------------------------------------
# Compare
# --------------------------------------------------------------------------------------------


@eval_app.command("compare")
def eval_compare(
    setting_a: Annotated[
        str,
        typer.Argument(
            metavar="A",
            help="Setting A: 'base' (the --config as it is), a YAML config file, or "
            "KEY=VALUE overrides of the base config's translation section.",
            show_default=False,
        ),
    ],
    setting_b: Annotated[
        str,
        typer.Argument(metavar="B", help="Setting B, in the same forms as A.", show_default=False),
    ],
    data: DataOption,
    lang: LangOption,
    config_path: ConfigOption = None,
    source_column: SourceColumn = None,
    reference_column: ReferenceColumn = None,
    limit: LimitOption = None,
    output: OutputOption = None,
    history: HistoryOption = None,
    no_history: NoHistoryOption = False,
) -> None:
    """Two engine settings on the same set: quality delta and speed ratio, side by side.

    Prints BLEU and chrF of A and B, their difference (B - A), and the speed ratio (B's
    sentences/s over A's; x2.00 means B is twice as fast). Both runs go to the history.

    A and B each are one of:

      base                      the --config as it is;

      path/to/other.yaml        a whole config file (its translation section is used);

      KEY=VALUE[,KEY=VALUE...]  overrides of the base config's translation section, with
      values read as YAML: num_beams=1 | max_batch_sentences=8,max_batch_tokens=1024 |
      device=cpu | models.nb.id=Helsinki-NLP/opus-mt-tc-big-gmq-en

    Example: briefing eval compare base num_beams=1 --data tests/data/parallel_nl_en.tsv
    --lang nl
    """
    base = _config(config_path, None, "translation")
    try:
        configs = [load_setting(setting_a, base), load_setting(setting_b, base)]
    except (ConfigError, EvaluationError) as error:
        raise _usage_error(str(error)) from None
    for config in configs:
        _check_language(config, lang)
    pairs = _load_pairs(data, lang, source_column, reference_column, limit)
    records = []
    for name, setting, config in zip("AB", (setting_a, setting_b), configs, strict=True):
        typer.echo(f"running {name}: {setting} ...")
        record, _ = _evaluate_translation(config, lang, pairs, label=setting)
        records.append(record)
    a, b = records
    _warn_if_tiny(records)
    typer.echo(comparison_table(a, b))
    typer.echo(f"data: {data} ({a['n']} pairs, language {lang})")
    if not no_history:
        _append(_history_path(base, history), records)
    if output is not None:
        _write_json(output, {"a": a, "b": b, "comparison": comparison(a, b)})


# --------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------


@eval_app.command("summary")
def eval_summary(
    data: SummaryDataOption,
    config_path: ConfigOption = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            help="abstractive or extractive (default: the config's).",
            show_default=False,
        ),
    ] = None,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Override settings of the config's summary section: KEY=VALUE, several "
            "separated by commas or given as repeated --set (e.g. --set max_length=80).",
            show_default=False,
        ),
    ] = None,
    article_column: Annotated[
        str | None,
        typer.Option(
            "--article-column",
            help="Column of the English articles (default: the first of article, document, "
            "text, source).",
            show_default=False,
        ),
    ] = None,
    summary_column: Annotated[
        str | None,
        typer.Option(
            "--summary-column",
            help="Column of the reference summaries (default: the first of summary, "
            "highlights, reference, abstract).",
            show_default=False,
        ),
    ] = None,
    limit: LimitOption = None,
    output: OutputOption = None,
    history: HistoryOption = None,
    no_history: NoHistoryOption = False,
) -> None:
    """ROUGE-1/2/L F-measure (rouge-score) of the configured summariser.

    Runs on English article/reference-summary pairs (English, as the summariser sees text
    after translation); ROUGE is Porter-stemmed. --set overrides the config's summary
    section (e.g. --set max_length=80). Prints a table and appends the run to the history.

    Example: briefing eval summary --data tests/data/summaries.jsonl --method extractive
    """
    extra = list(settings or [])
    if method is not None:
        extra.append(f"method={method}")
    config = _config(config_path, extra, "summary")
    try:
        pairs = load_summaries(
            data, article_column=article_column, summary_column=summary_column, limit=limit
        )
    except EvaluationError as error:
        raise _usage_error(str(error)) from None

    from pipeline.documents.segment import segment_text
    from pipeline.models import loaded as runtime
    from pipeline.models.locate import ModelNotAvailable
    from pipeline.translation.engine import TranslationError

    try:
        started = time.perf_counter()
        engine = runtime.summarizer(config.summary, config.translation)
        load_seconds = time.perf_counter() - started
        if config.summary.method == "abstractive":
            resolved = runtime.resolved_model(config.summary.model)
            model = resolved.to_dict()
        else:
            model = {"id": "extractive", "revision": None, "origin": None, "tiny": False}

        def summarize(articles: list[str]) -> list[str]:
            return [engine.summarize(segment_text(article, "en")) for article in articles]

        run = timed_run(pairs.inputs, summarize)
    except (ModelNotAvailable, TranslationError) as error:
        raise _model_failure(error) from None
    scores = rouge_scores(run.outputs, pairs.references)
    record = summary_record(
        pairs=pairs,
        run=run,
        scores=scores,
        model=model,
        settings=summary_settings(config),
        load_seconds=load_seconds,
    )
    _warn_if_tiny([record])
    typer.echo(summary_table([{**record, "label": "this run"}]))
    typer.echo(f"settings: {describe_settings(record['settings'])}")
    typer.echo(f"data: {data} ({record['n']} articles)")
    if not no_history:
        _append(_history_path(config, history), [record])
    if output is not None:
        _write_json(output, {**record, "examples": examples(pairs, run.outputs)})


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------


HistoryConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="YAML config whose output_dir holds the history file (default: configs/default.yaml).",
        show_default=False,
    ),
]


@eval_app.command("history")
def eval_history(
    config_path: HistoryConfigOption = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help=f"History file to read (default: `<output_dir>/{HISTORY_NAME}` with the "
            "config's output_dir).",
            show_default=False,
        ),
    ] = None,
    last: Annotated[
        int, typer.Option("--last", min=1, help="Show the last N runs of each kind.")
    ] = 20,
) -> None:
    """Past runs from the history file, oldest first, to see a score move over time."""
    config = _config(config_path, None, "translation")
    path = _history_path(config, history)
    records = read_history(path)
    if not records:
        typer.echo(f"no runs recorded in {path}")
        return
    translations = [r for r in records if r.get("kind") == "translation"][-last:]
    summaries = [r for r in records if r.get("kind") == "summary"][-last:]
    if translations:
        typer.echo(translation_table([{**r, "label": r.get("timestamp")} for r in translations]))
    if summaries:
        typer.echo(summary_table([{**r, "label": r.get("timestamp")} for r in summaries]))


# --------------------------------------------------------------------------------------------
# Faithfulness
# --------------------------------------------------------------------------------------------


@eval_app.command("faithfulness")
def eval_faithfulness(
    briefing: Annotated[
        Path,
        typer.Argument(
            metavar="BRIEFING.json",
            help="A briefing's JSON output (e.g. outputs/briefing.json).",
            show_default=False,
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full result as JSON instead of a table.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Also write the result as JSON here.", show_default=False
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit 1 when a problem (missing translation or number) is found."
        ),
    ] = False,
) -> None:
    """Reference-free checks of a written briefing's translations, per source.

    Coverage (every sentence translated), length-ratio outliers, untranslated copies, and
    numbers and dates preserved ("1,5" matches "1.5", "12.000" matches "12,000"). Problems
    (a missing translation or number) are listed with their sentence; warnings (length,
    copies) are heuristics a name or a short quote can trip.
    """

    try:
        data = json.loads(briefing.read_text(encoding="utf-8"))
    except OSError as error:
        raise _usage_error(f"cannot read {briefing}: {error.strerror or error}") from None
    except ValueError as error:
        raise _usage_error(f"{briefing} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise _usage_error(f"{briefing} is not a briefing: expected a JSON object")
    try:
        result = check_briefing(data)
    except ValueError as error:
        raise _usage_error(f"{briefing}: {error}") from None
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_faithfulness(result)
    if output is not None:
        _write_json(output, result)
    if strict and not result["overall"]["ok"]:
        raise typer.Exit(RUN_FAILED)


def _print_faithfulness(result: dict[str, Any]) -> None:

    if result.get("test_models"):
        typer.secho(
            "NOTE: made with tiny random-weight TEST models; expect every check to fire.",
            fg=typer.colors.YELLOW,
        )
    rows = []
    for s in result["sources"]:
        if not s["checked"]:
            rows.append([s["id"], s["language"], "-", "-", "-", "-", "-", s["reason"]])
            continue
        rows.append(
            [
                s["id"],
                s["language"],
                s["sentences"],
                f"{100 * s['coverage']:.1f}%",
                s["length_outliers_count"],
                s["copies_count"],
                f"{s['numbers_missing_count']}/{s['numbers_checked']}",
                "ok" if not s["problems"] else "PROBLEM",
            ]
        )
    headers = [
        "source",
        "lang",
        "sentences",
        "coverage",
        "len-outliers",
        "copies",
        "numbers missing",
        "result",
    ]
    typer.echo(render_table(headers, rows))
    for s in result["sources"]:
        if not s.get("checked"):
            continue
        for line in s["problems"]:
            typer.secho(f"{s['id']}: problem: {line}", fg=typer.colors.RED)
        for line in s["warnings"]:
            typer.echo(f"{s['id']}: warning: {line}")
        for item in s["untranslated"][:5]:
            typer.echo(f"  sentence {item['sentence']}: no translation: {item['source'][:100]}")
        for item in s["numbers_missing"][:5]:
            typer.echo(
                f"  sentence {item['sentence']}: {item['number']!r} missing\n"
                f"    source:      {item['source'][:160]}\n"
                f"    translation: {item['translation'][:160]}"
            )
    overall = result["overall"]
    typer.echo(
        f"overall: {overall['sources_checked']} of {overall['sources']} sources checked, "
        f"{overall['sentences']} sentences, coverage {100 * overall['coverage']:.1f}%, "
        f"{overall['numbers_missing']}/{overall['numbers_checked']} numbers missing, "
        f"{overall['length_outliers']} length outliers, {overall['copies']} copies: "
        + ("ok" if overall["ok"] else "PROBLEMS FOUND")
    )
