"""`briefing eval`: data loading, metrics, settings, history, and the commands end to end.

The commands run the real engine: tiny random-weight models loaded by transformers from
disk, real files in tmp_path. Tiny models translate into noise, so their scores are only
checked for being computed and finite; the metrics themselves are checked on known strings.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows.eval_cli import eval_app
from pipeline.config.load import load_config
from pipeline.config.schema import ConfigError
from pipeline.evaluation.evaluation import (
    EvaluationError,
    append_history,
    apply_overrides,
    comparison,
    load_parallel,
    load_setting,
    load_summaries,
    parse_overrides,
    parse_spec,
    read_history,
    render_table,
    rouge_scores,
    translation_scores,
    translation_settings,
)
from pipeline.models import loaded as runtime

DATA = Path(__file__).resolve().parent / "data"
NL_EN = DATA / "parallel_nl_en.tsv"
IT_EN = DATA / "parallel_it_en.tsv"
NB_EN = DATA / "parallel_nb_en.tsv"
SUMMARIES = DATA / "summaries.jsonl"

runner = CliRunner()


def _app() -> typer.Typer:
    """The sub-app mounted as `briefing eval` mounts it."""
    app = typer.Typer()
    app.add_typer(eval_app, name="eval")
    return app


def _invoke(*args: str):
    return runner.invoke(_app(), ["eval", *args])


@pytest.fixture()
def tiny_env(tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    runtime.clear()
    yield tiny_models_dir
    runtime.clear()


# -- the shipped data sets -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "language", "at_least"), [(NL_EN, "nl", 30), (IT_EN, "it", 10), (NB_EN, "nb", 10)]
)
def test_shipped_parallel_sets_load_with_default_columns(
    path: Path, language: str, at_least: int
) -> None:
    pairs = load_parallel(str(path), language)
    assert len(pairs) >= at_least
    assert all(s and r for s, r in zip(pairs.inputs, pairs.references, strict=True))
    assert pairs.dataset["columns"] == ["source", "reference"]
    assert pairs.dataset["skipped_rows"] == 0
    assert len(pairs.dataset["sha256"]) == 64


def test_shipped_summaries_load() -> None:
    pairs = load_summaries(str(SUMMARIES))
    assert len(pairs) >= 5
    assert pairs.dataset["columns"] == ["article", "summary"]


# -- loading: formats, columns, errors -------------------------------------------------------


def test_tsv_keeps_quotes_and_na_as_text(tmp_path: Path) -> None:
    path = tmp_path / "set.tsv"
    path.write_text(
        'source\treference\n„Wij gaan door”, zei "hij".\t"We carry on," he said.\nNA\tNone\n',
        encoding="utf-8",
    )
    pairs = load_parallel(str(path), "nl")
    assert pairs.inputs == ['„Wij gaan door”, zei "hij".', "NA"]
    assert pairs.references == ['"We carry on," he said.', "None"]


def test_jsonl_with_src_ref_columns_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    rows = [{"src": f"Zin {i}.", "ref": f"Sentence {i}.", "extra": i} for i in range(5)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    pairs = load_parallel(str(path), "nl", limit=2)
    assert pairs.inputs == ["Zin 0.", "Zin 1."]
    assert pairs.references == ["Sentence 0.", "Sentence 1."]
    assert pairs.dataset["rows"] == 5 and pairs.dataset["limit"] == 2


def test_csv_with_flores_style_columns(tmp_path: Path) -> None:
    path = tmp_path / "flores.csv"
    path.write_text(
        "id,sentence_nob_Latn,sentence_eng_Latn\n"
        '1,"Hei, verden.","Hello, world."\n'
        '2,"Det regner.","It is raining."\n',
        encoding="utf-8",
    )
    pairs = load_parallel(str(path), "nb")
    assert pairs.inputs == ["Hei, verden.", "Det regner."]
    assert pairs.dataset["columns"] == ["sentence_nob_Latn", "sentence_eng_Latn"]


def test_explicit_columns_and_rows_with_a_blank_side_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "set.tsv"
    path.write_text("nl\ten\tother\nEen.\tOne.\tx\n\tTwo.\tx\nDrie.\t\tx\n", encoding="utf-8")
    pairs = load_parallel(str(path), "nl", source_column="nl", reference_column="en")
    assert pairs.inputs == ["Een."]
    assert pairs.dataset["skipped_rows"] == 2


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.tsv"
    with pytest.raises(EvaluationError, match=r"nope\.tsv: no such file"):
        load_parallel(str(missing), "nl")


def test_missing_column_lists_the_columns_there_are(tmp_path: Path) -> None:
    path = tmp_path / "set.tsv"
    path.write_text("dutch\tenglish\nEen.\tOne.\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as caught:
        load_parallel(str(path), "nl")
    message = str(caught.value)
    assert "no source column" in message and "'dutch', 'english'" in message
    with pytest.raises(EvaluationError, match=r"no column 'reference_en' for the reference"):
        load_parallel(str(path), "nl", source_column="dutch", reference_column="reference_en")


def test_unknown_format_and_unreadable_json(tmp_path: Path) -> None:
    text = tmp_path / "set.txt"
    text.write_text("Een.\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"unknown format '\.txt'"):
        load_parallel(str(text), "nl")
    broken = tmp_path / "set.jsonl"
    broken.write_text('{"source": "Een.", "reference": \n', encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"set\.jsonl: cannot be read as JSON"):
        load_parallel(str(broken), "nl")


def test_spec_parsing() -> None:
    hub = parse_spec("hub:openlanguagedata/flores_plus:devtest")
    assert (hub.hub_name, hub.split, hub.config) == (
        "openlanguagedata/flores_plus",
        "devtest",
        None,
    )
    assert parse_spec("data/set.tsv").path == Path("data/set.tsv")
    with pytest.raises(EvaluationError, match="hub:NAME"):
        parse_spec("hub:")


def test_hub_data_set_offline_fails_fast_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(EvaluationError) as caught:
        load_parallel("hub:openlanguagedata/flores_plus:devtest", "nl")
    assert time.monotonic() - started < 30
    message = str(caught.value)
    assert "openlanguagedata/flores_plus" in message and "nld_Latn" in message
    assert "HF_HUB_OFFLINE" in message and "local" in message


# -- metrics ---------------------------------------------------------------------------------


def test_identical_output_scores_100() -> None:
    references = ["NATO wants to open a liaison office in Tokyo.", "France has opposed the plan."]
    scores = translation_scores(references, references)
    assert scores["bleu"] == pytest.approx(100.0)
    assert scores["chrf"] == pytest.approx(100.0)
    assert "tok:13a" in scores["bleu_signature"]
    assert rouge_scores(references, references) == {
        "rouge1": 100.0,
        "rouge2": 100.0,
        "rougeL": 100.0,
    }


def test_worse_output_scores_lower_and_unrelated_output_near_zero() -> None:
    references = ["NATO wants to open a liaison office in Tokyo, its first in Asia."]
    close = translation_scores(
        ["NATO wants to open an office in Tokyo, its first in Asia."], references
    )
    noise = translation_scores(["zq xv wpt"], references)
    assert 0 < close["bleu"] < 100 and 0 < close["chrf"] < 100
    assert noise["bleu"] < close["bleu"] and noise["chrf"] < close["chrf"]
    assert noise["bleu"] == pytest.approx(0.0, abs=1.0)


def test_metrics_refuse_misaligned_input() -> None:
    with pytest.raises(ValueError, match="2 outputs for 1 references"):
        translation_scores(["a", "b"], ["a"])


# -- settings --------------------------------------------------------------------------------


def test_overrides_parse_yaml_values_and_dotted_keys() -> None:
    assert parse_overrides("num_beams=1, device=cpu") == [("num_beams", 1), ("device", "cpu")]
    assert parse_overrides("models.nb.id=Helsinki-NLP/opus-mt-tc-big-gmq-en") == [
        ("models.nb.id", "Helsinki-NLP/opus-mt-tc-big-gmq-en")
    ]
    with pytest.raises(EvaluationError, match="not KEY=VALUE"):
        parse_overrides("num_beams")


def test_overrides_apply_to_the_translation_section_and_are_validated() -> None:
    base = load_config()
    changed = apply_overrides(base, parse_overrides("num_beams=1,max_batch_sentences=8"))
    assert changed.translation.num_beams == 1 and changed.translation.max_batch_sentences == 8
    assert translation_settings(changed)["num_beams"] == 1
    assert "models" not in translation_settings(changed)
    bigger = apply_overrides(
        base, parse_overrides("models.nb.id=Helsinki-NLP/opus-mt-tc-big-gmq-en")
    )
    assert bigger.translation.models["nb"].id == "Helsinki-NLP/opus-mt-tc-big-gmq-en"
    with pytest.raises(ConfigError, match="translation.num_beam"):
        apply_overrides(base, [("num_beam", 1)])
    with pytest.raises(ConfigError, match="num_beams"):
        apply_overrides(base, [("num_beams", 99)])


def test_compare_settings_base_file_or_overrides(tmp_path: Path) -> None:
    base = load_config()
    assert load_setting("base", base) is base
    greedy = tmp_path / "greedy.yaml"
    greedy.write_text("translation:\n  num_beams: 1\n", encoding="utf-8")
    assert load_setting(str(greedy), base).translation.num_beams == 1
    assert load_setting("num_beams=2", base).translation.num_beams == 2
    with pytest.raises(EvaluationError, match="neither a YAML config file"):
        load_setting("fast", base)


# -- history and tables ----------------------------------------------------------------------


def test_history_appends_one_line_per_record(tmp_path: Path) -> None:
    history = tmp_path / "deep" / "eval-history.jsonl"
    append_history(history, {"kind": "translation", "bleu": 1.0})
    append_history(history, {"kind": "translation", "bleu": 2.0})
    assert len(history.read_text(encoding="utf-8").splitlines()) == 2
    assert [r["bleu"] for r in read_history(history)] == [1.0, 2.0]
    assert read_history(tmp_path / "none.jsonl") == []


def test_comparison_reports_deltas_and_speed_ratio() -> None:
    a = {"bleu": 30.0, "chrf": 55.0, "sentences_per_s": 10.0, "settings": {"num_beams": 4}}
    b = {"bleu": 29.0, "chrf": 54.5, "sentences_per_s": 25.0, "settings": {"num_beams": 1}}
    result = comparison(a, b)
    assert result["bleu_delta"] == -1.0 and result["chrf_delta"] == -0.5
    assert result["speed_ratio"] == 2.5
    assert result["changed"] == {"num_beams": {"a": 4, "b": 1}}


def test_table_aligns_columns() -> None:
    table = render_table(["name", "BLEU"], [["short", 1.5], ["a longer name", 10.25]])
    lines = table.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[2].endswith(" 1.50") and lines[3].endswith("10.25")


# -- the commands, with tiny models ----------------------------------------------------------


def _history_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_eval_translation_scores_prints_and_records(tiny_env: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    output = tmp_path / "result.json"
    args = [
        "translation",
        "--data",
        str(NL_EN),
        "--lang",
        "nl",
        "--limit",
        "6",
        "--history",
        str(history),
    ]
    result = _invoke(*args, "--output", str(output))
    assert result.exit_code == 0, result.output
    assert "BLEU" in result.output and "chrF" in result.output
    assert "Helsinki-NLP/opus-mt-nl-en" in result.output
    assert "TEST models" in result.output  # tiny models are never passed off as real

    record = json.loads(output.read_text(encoding="utf-8"))
    assert record["n"] == 6 and len(record["examples"]) == 6
    for key in ("bleu", "chrf", "seconds", "sentences_per_s"):
        assert math.isfinite(record[key]), key
    assert record["model"] == "Helsinki-NLP/opus-mt-nl-en" and record["tiny"] is True
    assert record["revision"]
    assert record["settings"]["num_beams"] == 4
    assert record["dataset"]["path"] == str(NL_EN)

    lines = _history_lines(history)
    assert len(lines) == 1 and "examples" not in lines[0]
    again = _invoke(*args, "--num-beams", "2")
    assert again.exit_code == 0, again.output
    lines = _history_lines(history)
    assert len(lines) == 2
    assert lines[1]["settings"]["num_beams"] == 2
    for key in (
        "timestamp",
        "model",
        "revision",
        "settings",
        "dataset",
        "n",
        "bleu",
        "chrf",
        "seconds",
        "sentences_per_s",
    ):
        assert key in lines[1], key


def test_eval_compare_prints_both_settings_and_ratio(tiny_env: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    output = tmp_path / "compare.json"
    result = _invoke(
        "compare",
        "base",
        "num_beams=1",
        "--data",
        str(IT_EN),
        "--lang",
        "it",
        "--limit",
        "4",
        "--history",
        str(history),
        "--output",
        str(output),
    )
    assert result.exit_code == 0, result.output
    assert "A: base" in result.output and "B: num_beams=1" in result.output
    assert "sentences/s" in result.output
    ratio_line = next(line for line in result.output.splitlines() if line.startswith("sentences/s"))
    assert " x" in ratio_line
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["a"]["settings"]["num_beams"] == 4 and data["b"]["settings"]["num_beams"] == 1
    assert data["comparison"]["speed_ratio"] > 0
    assert data["comparison"]["changed"] == {"num_beams": {"a": 4, "b": 1}}
    assert [r["label"] for r in _history_lines(history)] == ["base", "num_beams=1"]


def test_eval_compare_with_a_config_file(tiny_env: Path, tmp_path: Path) -> None:
    greedy = tmp_path / "greedy.yaml"
    greedy.write_text("translation:\n  num_beams: 1\n", encoding="utf-8")
    result = _invoke(
        "compare",
        "base",
        str(greedy),
        "--data",
        str(NB_EN),
        "--lang",
        "nb",
        "--limit",
        "2",
        "--no-history",
    )
    assert result.exit_code == 0, result.output
    assert f"B: {greedy}" in result.output


def test_eval_summary_extractive_and_abstractive(tiny_env: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    output = tmp_path / "summary.json"
    result = _invoke(
        "summary",
        "--data",
        str(SUMMARIES),
        "--method",
        "extractive",
        "--history",
        str(history),
        "--output",
        str(output),
    )
    assert result.exit_code == 0, result.output
    assert "ROUGE-1" in result.output and "ROUGE-L" in result.output
    record = json.loads(output.read_text(encoding="utf-8"))
    # The extractive summariser copies source sentences: real overlap with the references.
    assert record["rouge1"] > 20
    abstractive = _invoke(
        "summary", "--data", str(SUMMARIES), "--limit", "2", "--history", str(history)
    )
    assert abstractive.exit_code == 0, abstractive.output
    lines = _history_lines(history)
    assert [r["model"] for r in lines] == ["extractive", "sshleifer/distilbart-cnn-12-6"]
    assert all(math.isfinite(lines[1][k]) for k in ("rouge1", "rouge2", "rougeL"))


def test_eval_history_lists_runs(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    append_history(
        history,
        {
            "kind": "translation",
            "timestamp": "2026-01-01T00:00:00Z",
            "model": "m",
            "language": "nl",
            "n": 3,
            "bleu": 30.0,
            "chrf": 55.0,
            "seconds": 1.0,
            "sentences_per_s": 3.0,
        },
    )
    result = _invoke("history", "--history", str(history))
    assert result.exit_code == 0, result.output
    assert "2026-01-01T00:00:00Z" in result.output and "30.00" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--data", "{missing}", "--lang", "nl"], "no such file"),
        (["--data", str(NL_EN), "--lang", "nl", "--source-column", "dutch"], "no column 'dutch'"),
        (["--data", str(SUMMARIES), "--lang", "nl"], "no source column"),
        (["--data", str(NL_EN), "--lang", "de"], "no translation model configured for 'de'"),
        (["--data", str(NL_EN), "--lang", "en"], "passed through untranslated"),
        (["--data", str(NL_EN), "--lang", "nl", "--set", "beams=1"], "translation.beams"),
    ],
)
def test_bad_usage_exits_2_naming_the_problem(
    tiny_env: Path, tmp_path: Path, args: list[str], expected: str
) -> None:
    args = [a.replace("{missing}", str(tmp_path / "missing.tsv")) for a in args]
    history = tmp_path / "history.jsonl"
    result = _invoke("translation", *args, "--history", str(history))
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert not history.exists()


def test_compare_bad_setting_exits_2(tiny_env: Path) -> None:
    result = _invoke("compare", "base", "fast", "--data", str(NL_EN), "--lang", "nl")
    assert result.exit_code == 2
    assert "'fast' is neither a YAML config file" in result.output


def test_offline_hub_spec_exits_2(tiny_env: Path, tmp_path: Path) -> None:
    result = _invoke(
        "translation",
        "--data",
        "hub:openlanguagedata/flores_plus:devtest",
        "--lang",
        "nl",
        "--no-history",
    )
    assert result.exit_code == 2
    assert "not available offline" in result.output


def test_missing_model_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    runtime.clear()
    try:
        result = _invoke(
            "translation", "--data", str(NL_EN), "--lang", "nl", "--limit", "1", "--no-history"
        )
    finally:
        runtime.clear()
    assert result.exit_code == 1
    assert "opus-mt-nl-en is not available" in result.output


def test_help_documents_the_compare_syntax() -> None:
    result = _invoke("compare", "--help")
    assert result.exit_code == 0
    assert "KEY=VALUE" in result.output and "base" in result.output
