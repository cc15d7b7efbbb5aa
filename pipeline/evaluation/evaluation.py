"""Measuring quality: BLEU/chrF of translations, ROUGE of summaries, and a history of runs.

Why this exists: a change to the engine (beam size, batching, a bigger model, another
precision) trades speed against quality, and neither can be judged by eye on a handful of
sentences. ``briefing eval`` (``flows/eval_cli.py``) runs the configured engine on a
parallel set and scores it here, with the same metric implementations the model cards use
(sacrebleu for BLEU and chrF, Google's rouge-score for ROUGE), so a score can be set
against a published one and against last week's run.

Everything here is plain Python with no Prefect and no model loading: a caller passes a
``translate`` (or ``summarize``) function. Heavy libraries (``datasets``, ``sacrebleu``,
``rouge_score``) are imported when first used, so importing this module (and with it the
``briefing`` command line) stays fast.

Data sets ("SPEC") are either

* a local file: ``.jsonl``/``.json`` (one object per line), ``.tsv`` or ``.csv`` with a
  header row, read with the ``datasets`` library; or
* ``hub:NAME[:SPLIT[:CONFIG]]``, a Hugging Face hub data set. FLORES (any name containing
  ``flores``, e.g. ``hub:openlanguagedata/flores_plus:devtest``) keeps one config per
  language; the source config (``nld_Latn`` for ``nl``) and ``eng_Latn`` are loaded and
  joined on ``id``. Hub data sets need the hub (or the ``datasets`` cache); offline, or
  when the hub does not answer within ``$BRIEFING_HUB_TIMEOUT`` seconds, loading stops at
  once with a message that says so.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from pipeline.config.load import load_config, with_overrides
from pipeline.config.schema import BriefingConfig
from pipeline.errors import UsageError
from pipeline.models.locate import (
    describe_hub_error,
    first_line,
    hub_endpoint,
    hub_offline,
    hub_timeout,
)

HUB_PREFIX = "hub:"
HISTORY_NAME = "eval-history.jsonl"

# Briefing's ISO 639-1 codes -> FLORES-200 codes (language_Script).
FLORES_CODES = {
    "nl": "nld_Latn",
    "nb": "nob_Latn",
    "nn": "nno_Latn",
    "no": "nob_Latn",
    "it": "ita_Latn",
    "en": "eng_Latn",
    "da": "dan_Latn",
    "sv": "swe_Latn",
    "de": "deu_Latn",
    "fr": "fra_Latn",
    "es": "spa_Latn",
}

_LOCAL_FORMATS = {".jsonl": "json", ".json": "json", ".tsv": "tsv", ".tab": "tsv", ".csv": "csv"}

# Column names tried, in order, when none is given. ``{code}`` is the FLORES code of the
# language, ``{lang}`` the ISO code (a TSV with the header "nl<TAB>en" works as is).
SOURCE_COLUMNS = ("source", "src", "sentence_{code}", "{lang}", "{code}")
REFERENCE_COLUMNS = ("reference", "ref", "target", "tgt", "sentence_eng_Latn", "en", "eng_Latn")
ARTICLE_COLUMNS = ("article", "document", "text", "source")
SUMMARY_COLUMNS = ("summary", "highlights", "reference", "abstract")


class EvaluationError(UsageError, ValueError):
    """An evaluation that can't start: a bad data set, column or setting. The message names
    the file, column or key and what is wrong (the CLI turns it into exit code 2)."""


# --------------------------------------------------------------------------------------------
# Data sets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetSpec:
    """Where an evaluation set comes from: a local file, or a hub data set."""

    raw: str
    path: Path | None = None
    hub_name: str | None = None
    split: str | None = None
    config: str | None = None

    @property
    def is_hub(self) -> bool:
        return self.hub_name is not None


def parse_spec(spec: str) -> DatasetSpec:
    """``path/to/file.tsv`` or ``hub:NAME[:SPLIT[:CONFIG]]``; EvaluationError if neither."""
    text = spec.strip()
    if not text:
        raise EvaluationError("--data is empty: give a .jsonl/.tsv/.csv file or hub:NAME")
    if text.startswith(HUB_PREFIX):
        parts = text[len(HUB_PREFIX) :].split(":")
        if not parts[0] or len(parts) > 3 or parts[0].count("/") > 1:
            raise EvaluationError(
                f"data set {spec!r}: expected hub:NAME[:SPLIT[:CONFIG]], "
                "e.g. hub:openlanguagedata/flores_plus:devtest"
            )
        name = parts[0]
        split = parts[1] if len(parts) > 1 and parts[1] else None
        config = parts[2] if len(parts) > 2 and parts[2] else None
        return DatasetSpec(raw=text, hub_name=name, split=split, config=config)
    return DatasetSpec(raw=text, path=Path(text).expanduser())


@dataclass(frozen=True)
class PairSet:
    """Aligned (input, reference) pairs and a description of where they came from, kept in
    every result so that two runs can be told apart when their data differ."""

    inputs: list[str]
    references: list[str]
    dataset: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.inputs)


def load_parallel(
    spec: str | DatasetSpec,
    language: str,
    *,
    source_column: str | None = None,
    reference_column: str | None = None,
    limit: int | None = None,
) -> PairSet:
    """Source sentences in ``language`` and their English references."""
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    code = FLORES_CODES.get(language, language)
    source_candidates = [c.format(code=code, lang=language) for c in SOURCE_COLUMNS]
    if parsed.is_hub and _is_flores(parsed.hub_name) and parsed.config is None:
        return _load_flores(parsed, language, source_column, reference_column, limit)
    rows, where = _load_rows(parsed)
    return _pairs_from_rows(
        rows,
        where,
        parsed,
        (source_column, source_candidates, "source"),
        (reference_column, list(REFERENCE_COLUMNS), "reference"),
        limit,
    )


def load_summaries(
    spec: str | DatasetSpec,
    *,
    article_column: str | None = None,
    summary_column: str | None = None,
    limit: int | None = None,
) -> PairSet:
    """English articles and their reference summaries."""
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    rows, where = _load_rows(parsed)
    return _pairs_from_rows(
        rows,
        where,
        parsed,
        (article_column, list(ARTICLE_COLUMNS), "article"),
        (summary_column, list(SUMMARY_COLUMNS), "summary"),
        limit,
    )


def _pairs_from_rows(
    rows: Any,
    where: dict[str, Any],
    spec: DatasetSpec,
    first: tuple[str | None, list[str], str],
    second: tuple[str | None, list[str], str],
    limit: int | None,
) -> PairSet:
    columns = list(rows.column_names)
    first_column = pick_column(columns, first[0], first[1], first[2], spec.raw)
    second_column = pick_column(columns, second[0], second[1], second[2], spec.raw)
    if first_column == second_column:
        raise EvaluationError(
            f"data set {spec.raw}: the {first[2]} and {second[2]} columns are both "
            f"{first_column!r}; name them with the --*-column options"
        )
    inputs, references, skipped = _clean_pairs(rows[first_column], rows[second_column])
    return _finish(inputs, references, skipped, limit, spec, where, first_column, second_column)


def _finish(
    inputs: list[str],
    references: list[str],
    skipped: int,
    limit: int | None,
    spec: DatasetSpec,
    where: dict[str, Any],
    first_column: str,
    second_column: str,
) -> PairSet:
    if not inputs:
        raise EvaluationError(
            f"data set {spec.raw}: no rows with both {first_column!r} and {second_column!r} "
            "filled in"
        )
    total = len(inputs)
    if limit is not None:
        if limit < 1:
            raise EvaluationError(f"--limit must be at least 1, not {limit}")
        inputs, references = inputs[:limit], references[:limit]
    dataset = {
        "spec": spec.raw,
        **where,
        "columns": [first_column, second_column],
        "rows": total,
        "skipped_rows": skipped,
        "limit": limit,
    }
    return PairSet(inputs=inputs, references=references, dataset=dataset)


def _clean_pairs(first: Iterable[Any], second: Iterable[Any]) -> tuple[list[str], list[str], int]:
    """Pairs with both sides non-empty, as stripped strings; and how many were dropped
    (an empty reference would score any output as wrong, an empty source as right)."""
    inputs: list[str] = []
    references: list[str] = []
    skipped = 0
    for a, b in zip(first, second, strict=True):
        a_text = "" if a is None else str(a).strip()
        b_text = "" if b is None else str(b).strip()
        if a_text and b_text:
            inputs.append(a_text)
            references.append(b_text)
        else:
            skipped += 1
    return inputs, references, skipped


def pick_column(
    available: Sequence[str],
    requested: str | None,
    candidates: Sequence[str],
    role: str,
    origin: str,
) -> str:
    """The column to read ``role`` from: ``requested`` if given (it must exist), else the
    first of ``candidates`` present. The error lists the columns there are."""
    found = ", ".join(repr(c) for c in available) or "none"
    if requested is not None:
        if requested in available:
            return requested
        raise EvaluationError(
            f"data set {origin}: no column {requested!r} for the {role} (columns: {found})"
        )
    for candidate in candidates:
        if candidate in available:
            return candidate
    tried = ", ".join(repr(c) for c in dict.fromkeys(candidates))
    raise EvaluationError(
        f"data set {origin}: no {role} column; looked for {tried} (columns: {found}). "
        f"Name it with --{role}-column."
    )


def _load_rows(spec: DatasetSpec) -> tuple[Any, dict[str, Any]]:
    """The rows of a local file or hub data set (a ``datasets.Dataset``) and a description."""
    if spec.is_hub:
        assert spec.hub_name is not None
        split = spec.split or "test"
        rows = _hub_dataset(spec.hub_name, spec.config, split)
        return rows, {"hub": spec.hub_name, "split": split, "config": spec.config}
    assert spec.path is not None
    return _local_dataset(spec.path), {"path": str(spec.path), "sha256": file_sha256(spec.path)}


def _local_dataset(path: Path) -> Any:
    """A local JSONL/TSV/CSV file read with ``datasets``, into memory.

    The ``datasets`` cache goes to a temporary directory: an evaluation file is small, and
    a cache keyed on it could outlive an edit and would litter the user's home directory.
    TSV is read with quoting off, since news text is full of quotation marks; CSV keeps
    standard quoting. "NA" or "None" stay text: they are not missing values here.
    """
    if not path.exists():
        raise EvaluationError(f"data set {path}: no such file")
    if not path.is_file():
        raise EvaluationError(f"data set {path}: not a file")
    kind = _LOCAL_FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(_LOCAL_FORMATS))
        raise EvaluationError(
            f"data set {path}: unknown format {path.suffix or '(no extension)'!r}; "
            f"use one of {known}, or hub:NAME"
        )
    import datasets

    options: dict[str, Any] = {}
    if kind in ("tsv", "csv"):
        options = {"keep_default_na": False, "na_filter": False}
        if kind == "tsv":
            options.update(delimiter="\t", quoting=3)  # csv.QUOTE_NONE
    builder = "json" if kind == "json" else "csv"
    progress_was_on = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()
    try:
        with tempfile.TemporaryDirectory(prefix="briefing-eval-") as cache:
            loaded = datasets.load_dataset(
                builder, data_files=str(path), split="train", cache_dir=cache, **options
            )
            # Into memory before the cache directory (and its Arrow files) goes away.
            rows = datasets.Dataset.from_dict(loaded.to_dict())
    except EvaluationError:
        raise
    except Exception as error:
        raise EvaluationError(
            f"data set {path}: cannot be read as {kind.upper()}: {first_line(error)}"
        ) from None
    finally:
        if progress_was_on:
            datasets.enable_progress_bars()
    if len(rows) == 0:
        raise EvaluationError(f"data set {path}: no rows")
    return rows


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_flores(name: str | None) -> bool:
    return name is not None and "flores" in name.lower()


def _load_flores(
    spec: DatasetSpec,
    language: str,
    source_column: str | None,
    reference_column: str | None,
    limit: int | None,
) -> PairSet:
    """FLORES keeps one config per language: load the source language and English, join on
    ``id`` (FLORES+ calls the text column ``text``, the older facebook/flores ``sentence``)."""
    assert spec.hub_name is not None
    code = FLORES_CODES.get(language)
    if code is None:
        raise EvaluationError(
            f"no FLORES code known for language {language!r}; "
            f"known: {', '.join(sorted(FLORES_CODES))}"
        )
    split = spec.split or "devtest"
    source_rows = _hub_dataset(spec.hub_name, code, split)
    reference_rows = _hub_dataset(spec.hub_name, "eng_Latn", split)
    text_columns = ["text", "sentence"]
    src_col = pick_column(source_rows.column_names, source_column, text_columns, "source", spec.raw)
    ref_col = pick_column(
        reference_rows.column_names, reference_column, text_columns, "reference", spec.raw
    )
    for rows, role in ((source_rows, code), (reference_rows, "eng_Latn")):
        if "id" not in rows.column_names:
            raise EvaluationError(f"data set {spec.raw} ({role}): no 'id' column to join on")
    english = dict(zip(reference_rows["id"], reference_rows[ref_col], strict=True))
    sources, references = [], []
    for row_id, text in zip(source_rows["id"], source_rows[src_col], strict=True):
        if row_id in english:
            sources.append(text)
            references.append(english[row_id])
    inputs, refs, skipped = _clean_pairs(sources, references)
    where = {"hub": spec.hub_name, "split": split, "config": f"{code}+eng_Latn"}
    return _finish(inputs, refs, skipped, limit, spec, where, src_col, ref_col)


def _hub_dataset(name: str, config: str | None, split: str) -> Any:
    """One split of a hub data set; fails fast, naming the reason, when it can't be had."""

    label = f"hub data set {name}" + (f" ({config})" if config else "") + f", split {split!r}"
    offline = hub_offline()
    if not offline:
        _probe_hub(name, label, hub_endpoint(), hub_timeout())
    import datasets

    try:
        with _offline_libraries(offline):
            return datasets.load_dataset(name, config, split=split)
    except Exception as error:
        if offline:
            raise EvaluationError(
                f"{label}: not available offline (HF_HUB_OFFLINE is set and it is not in the "
                "datasets cache). Load it once where the hub is reachable, or export it to a "
                "local .jsonl/.tsv file with source and reference columns and pass that path."
            ) from None
        raise EvaluationError(f"{label}: {describe_hub_error(error, 'data set', name)}") from None


@contextmanager
def _offline_libraries(offline: bool) -> Iterator[None]:
    """Hold ``datasets`` and ``huggingface_hub`` offline while loading, when Briefing is.

    Both read ``HF_HUB_OFFLINE`` once, at import; a later change (a test, a caller setting
    it for one command) would otherwise be ignored and the load would go to the network.
    """
    if not offline:
        yield
        return
    import datasets.config
    from huggingface_hub import constants

    saved = (datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE)
    datasets.config.HF_HUB_OFFLINE = constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE = saved


def _probe_hub(name: str, label: str, endpoint: str, timeout: float) -> None:
    """Ask the hub about ``name`` within ``timeout`` seconds (DNS included), so that an
    unreachable hub costs seconds, not the minutes of ``datasets``' own retries."""
    from huggingface_hub import HfApi

    outcome: dict[str, BaseException] = {}

    def ask() -> None:
        try:
            HfApi(endpoint=endpoint).dataset_info(name, timeout=timeout)
        except BaseException as error:  # re-raised below, in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=ask, name="briefing-eval-hub-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise EvaluationError(
            f"{label}: the hub ({endpoint}) did not answer within {timeout:g} s; "
            "use a local file, or set BRIEFING_HUB_TIMEOUT higher"
        )
    if "error" in outcome:
        reason = describe_hub_error(outcome["error"], "data set", name)
        raise EvaluationError(f"{label}: {reason}") from None


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------


def translation_scores(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, Any]:
    """Corpus BLEU and chrF (0-100) with sacrebleu's defaults, the settings opus-mt's model
    cards report (chrF there is on a 0-1 scale: 0.749 here reads 74.9), and the metric
    signatures, which say exactly how a score was computed."""
    from sacrebleu.metrics import BLEU, CHRF

    _check_aligned(hypotheses, references)
    bleu, chrf = BLEU(), CHRF()
    bleu_score = bleu.corpus_score(list(hypotheses), [list(references)])
    chrf_score = chrf.corpus_score(list(hypotheses), [list(references)])
    return {
        "bleu": round(float(bleu_score.score), 2),
        "chrf": round(float(chrf_score.score), 2),
        "bleu_signature": str(bleu.get_signature()),
        "chrf_signature": str(chrf.get_signature()),
    }


def rouge_scores(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Mean ROUGE-1, ROUGE-2 and ROUGE-L F-measure (0-100), Porter-stemmed as in the
    CNN/DailyMail results distilbart-cnn reports."""
    from rouge_score import rouge_scorer

    _check_aligned(hypotheses, references)
    kinds = ("rouge1", "rouge2", "rougeL")
    scorer = rouge_scorer.RougeScorer(list(kinds), use_stemmer=True)
    totals = dict.fromkeys(kinds, 0.0)
    for hypothesis, reference in zip(hypotheses, references, strict=True):
        scores = scorer.score(reference, hypothesis)  # (target, prediction)
        for kind in kinds:
            totals[kind] += scores[kind].fmeasure
    count = len(hypotheses)
    return {kind: round(100.0 * total / count, 2) for kind, total in totals.items()}


def _check_aligned(hypotheses: Sequence[str], references: Sequence[str]) -> None:
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} outputs for {len(references)} references")
    if not references:
        raise ValueError("nothing to score: no references")


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    outputs: list[str]
    seconds: float


def timed_run(
    inputs: Sequence[str], run: Callable[[list[str]], Sequence[str]], *, warm_up: bool = True
) -> RunResult:
    """Outputs of ``run`` on ``inputs`` and the wall time it took.

    One input is run first, untimed: the first call of a model pays for lazy set-up (memory
    allocation, kernel selection), which would otherwise count against whichever setting
    happens to run first in a comparison.
    """
    if warm_up and inputs:
        run([inputs[0]])
    started = time.perf_counter()
    outputs = list(run(list(inputs)))
    seconds = time.perf_counter() - started
    if len(outputs) != len(inputs):
        raise ValueError(f"{len(outputs)} outputs for {len(inputs)} inputs")
    return RunResult(outputs=outputs, seconds=seconds)


# --------------------------------------------------------------------------------------------
# Settings: the config's sections, and overrides of them
# --------------------------------------------------------------------------------------------


def translation_settings(config: BriefingConfig) -> dict[str, Any]:
    """Every setting of the translation section except which model serves which language.

    Read generically from the config rather than listed here, so that a setting added to
    ``TranslationConfig`` later (an engine, a precision) is recorded without a change here.
    """
    return config.translation.model_dump(mode="json", exclude={"models", "passthrough"})


def summary_settings(config: BriefingConfig) -> dict[str, Any]:
    data = config.summary.model_dump(mode="json", exclude={"model"})
    data["device"] = config.translation.device
    return data


_OVERRIDE_SPLIT = re.compile(r"[,;]\s*(?=[A-Za-z_][\w.]*\s*=)")
_OVERRIDE_KEY = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z0-9_-]+)*$")


def parse_overrides(text: str) -> list[tuple[str, Any]]:
    """``"num_beams=1,max_batch_sentences=8"`` -> ``[("num_beams", 1), ...]``.

    Pairs are separated by commas (or semicolons); values are read as YAML scalars, so
    ``1`` is a number, ``true`` a boolean and ``cpu`` a string. A key may be dotted to
    reach into the section: ``models.nb.id=Helsinki-NLP/opus-mt-tc-big-gmq-en``.
    """
    pairs: list[tuple[str, Any]] = []
    for item in _OVERRIDE_SPLIT.split(text.strip()):
        if not item.strip():
            continue
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not _OVERRIDE_KEY.match(key):
            raise EvaluationError(
                f"setting {item.strip()!r} is not KEY=VALUE (e.g. num_beams=1, "
                "models.nb.id=Helsinki-NLP/opus-mt-tc-big-gmq-en)"
            )
        try:
            value = yaml.safe_load(raw.strip()) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw.strip()
        pairs.append((key, value))
    if not pairs:
        raise EvaluationError(f"no KEY=VALUE settings in {text!r}")
    return pairs


def apply_overrides(
    config: BriefingConfig,
    overrides: Sequence[tuple[str, Any]],
    section: str = "translation",
    origin: str = "command line",
) -> BriefingConfig:
    """``config`` with ``overrides`` set in ``section`` and validated again (an unknown key
    or a bad value raises ConfigError naming it). ``translation.``/``summary.`` prefixes
    are accepted, so a key may also name its section."""
    dotted = {}
    for key, value in overrides:
        inside = key.split(".")[0] in ("translation", "summary") and "." in key
        dotted[key if inside else f"{section}.{key}"] = value
    return with_overrides(config, dotted, origin=origin)


def load_setting(argument: str, base: BriefingConfig) -> BriefingConfig:
    """One side of ``briefing eval compare``: ``base`` (the --config as it is), a YAML
    config file, or KEY=VALUE overrides of the base config's translation section."""

    text = argument.strip()
    if text in ("base", "config", "default"):
        return base
    path = Path(text).expanduser()
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        return load_config(path)
    if "=" in text:
        return apply_overrides(base, parse_overrides(text), origin=f"setting {text!r}")
    raise EvaluationError(
        f"setting {argument!r} is neither a YAML config file, nor KEY=VALUE overrides "
        "(e.g. num_beams=1), nor 'base'"
    )


# --------------------------------------------------------------------------------------------
# Records and history
# --------------------------------------------------------------------------------------------


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def versions(*packages: str) -> dict[str, str]:
    """Installed versions: a score moves with the library as well as with the model."""
    found = {}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def translation_record(
    *,
    pairs: PairSet,
    run: RunResult,
    scores: Mapping[str, Any],
    model: Mapping[str, Any],
    language: str,
    settings: Mapping[str, Any],
    label: str | None = None,
    load_seconds: float | None = None,
) -> dict[str, Any]:
    """One translation run, as a line of the history file and the body of --output."""
    n = len(pairs)
    return {
        "timestamp": now_utc(),
        "kind": "translation",
        "label": label,
        "language": language,
        "model": model.get("id"),
        "revision": model.get("revision"),
        "model_origin": model.get("origin"),
        "tiny": bool(model.get("tiny")),
        "settings": dict(settings),
        "device": model.get("device"),
        "dataset": dict(pairs.dataset),
        "n": n,
        **dict(scores),
        "seconds": round(run.seconds, 3),
        "sentences_per_s": round(n / run.seconds, 3) if run.seconds > 0 else None,
        "load_seconds": None if load_seconds is None else round(load_seconds, 3),
        "host": platform.node(),
        "versions": versions("torch", "transformers", "sacrebleu"),
    }


def summary_record(
    *,
    pairs: PairSet,
    run: RunResult,
    scores: Mapping[str, Any],
    model: Mapping[str, Any],
    settings: Mapping[str, Any],
    label: str | None = None,
    load_seconds: float | None = None,
) -> dict[str, Any]:
    """One summary run, as a line of the history file and the body of --output."""
    n = len(pairs)
    return {
        "timestamp": now_utc(),
        "kind": "summary",
        "label": label,
        "model": model.get("id"),
        "revision": model.get("revision"),
        "model_origin": model.get("origin"),
        "tiny": bool(model.get("tiny")),
        "settings": dict(settings),
        "dataset": dict(pairs.dataset),
        "n": n,
        **dict(scores),
        "seconds": round(run.seconds, 3),
        "articles_per_s": round(n / run.seconds, 3) if run.seconds > 0 else None,
        "load_seconds": None if load_seconds is None else round(load_seconds, 3),
        "host": platform.node(),
        "versions": versions("torch", "transformers", "rouge-score"),
    }


def examples(pairs: PairSet, outputs: Sequence[str]) -> list[dict[str, str]]:
    """Input, reference and output side by side, for reading what a score means."""
    return [
        {"input": i, "reference": r, "output": o}
        for i, r, o in zip(pairs.inputs, pairs.references, outputs, strict=True)
    ]


def append_history(path: Path, record: Mapping[str, Any]) -> None:
    """Add ``record`` as one JSON line to ``path`` (created with its folder if missing).

    One ``write`` of one line in append mode: runs never rewrite earlier lines, so the file
    is a log that can be compared over time and merged from several machines.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)


def read_history(path: Path) -> list[dict[str, Any]]:
    """The records of a history file, oldest first; a line that isn't JSON is skipped."""
    records = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


# --------------------------------------------------------------------------------------------
# Text tables
# --------------------------------------------------------------------------------------------


def render_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain fixed-width table (numbers right-aligned) that reads well in a terminal,
    a log and a pasted issue comment alike."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))
    numeric = [
        all(_is_number(row[i]) for row in cells if row[i] != "-") and any(cells)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(values)
        ]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _is_number(text: str) -> bool:
    try:
        float(text.lstrip("x+"))
    except ValueError:
        return False
    return True


def translation_table(records: Sequence[Mapping[str, Any]]) -> str:
    headers = ["run", "model", "lang", "n", "BLEU", "chrF", "seconds", "sent/s"]
    rows = [
        [
            r.get("label") or r.get("timestamp", "-"),
            r.get("model"),
            r.get("language"),
            r.get("n"),
            r.get("bleu"),
            r.get("chrf"),
            r.get("seconds"),
            r.get("sentences_per_s"),
        ]
        for r in records
    ]
    return render_table(headers, rows)


def summary_table(records: Sequence[Mapping[str, Any]]) -> str:
    headers = ["run", "model", "n", "ROUGE-1", "ROUGE-2", "ROUGE-L", "seconds", "articles/s"]
    rows = [
        [
            r.get("label") or r.get("timestamp", "-"),
            r.get("model"),
            r.get("n"),
            r.get("rouge1"),
            r.get("rouge2"),
            r.get("rougeL"),
            r.get("seconds"),
            r.get("articles_per_s"),
        ]
        for r in records
    ]
    return render_table(headers, rows)


def describe_settings(settings: Mapping[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in settings.items())


def comparison(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """B against A: score differences (B - A) and the speed ratio (B's sentences/s over A's;
    above 1 means B is faster)."""
    speed_a, speed_b = a.get("sentences_per_s"), b.get("sentences_per_s")
    ratio = round(speed_b / speed_a, 3) if speed_a and speed_b else None
    changed = {
        key: {"a": a["settings"].get(key), "b": b["settings"].get(key)}
        for key in dict.fromkeys([*a.get("settings", {}), *b.get("settings", {})])
        if a["settings"].get(key) != b["settings"].get(key)
    }
    if a.get("model") != b.get("model"):
        changed["model"] = {"a": a.get("model"), "b": b.get("model")}
    return {
        "bleu_delta": round(b["bleu"] - a["bleu"], 2),
        "chrf_delta": round(b["chrf"] - a["chrf"], 2),
        "speed_ratio": ratio,
        "changed": changed,
    }


def comparison_table(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    delta = comparison(a, b)
    ratio = delta["speed_ratio"]
    rows = [
        ["model", a.get("model"), b.get("model"), ""],
        ["BLEU", a.get("bleu"), b.get("bleu"), f"{delta['bleu_delta']:+.2f}"],
        ["chrF", a.get("chrf"), b.get("chrf"), f"{delta['chrf_delta']:+.2f}"],
        ["seconds", a.get("seconds"), b.get("seconds"), ""],
        [
            "sentences/s",
            a.get("sentences_per_s"),
            b.get("sentences_per_s"),
            "-" if ratio is None else f"x{ratio:.2f}",
        ],
    ]
    for key, values in delta["changed"].items():
        if key != "model":
            rows.append([key, values["a"], values["b"], ""])
    table = render_table(["", f"A: {a.get('label')}", f"B: {b.get('label')}", "B vs A"], rows)
    return table
