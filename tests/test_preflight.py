"""Before any work: every missing model named at once, and an unusable output directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from pipeline.storage.outdir import output_dir_problem

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
MODEL_IDS = (
    "Helsinki-NLP/opus-mt-nl-en",
    "Helsinki-NLP/opus-mt-gmq-en",
    "Helsinki-NLP/opus-mt-it-en",
    "sshleifer/distilbart-cnn-12-6",
)


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing on disk and no hub: any model work would end in "not available"."""
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    return tmp_path


def test_existing_or_creatable_directory_is_usable(tmp_path: Path):
    assert output_dir_problem(tmp_path) is None
    assert output_dir_problem(tmp_path / "new" / "deeper") is None


def test_a_file_is_not_an_output_directory(tmp_path: Path):
    target = tmp_path / "briefing.md"
    target.write_text("x", encoding="utf-8")
    assert output_dir_problem(target) == f"the output directory {target} is a file, not a folder"
    assert "is a file, not a folder" in (output_dir_problem(target / "sub") or "")


def test_output_path_that_is_a_file_stops_before_any_model_work(no_models: Path):
    target = no_models / "a-file"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(SAMPLES), "-o", str(target)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        f"briefing: the output directory {target} is a file, not a folder; "
        "choose another --output-dir (or output_dir in the config)."
    ]
    assert "Traceback" not in result.output


def test_every_missing_model_is_named_in_one_message(no_models: Path):
    result = CliRunner().invoke(app, ["run", str(SAMPLES), "-o", str(no_models / "out")])
    assert result.exit_code == 1
    assert "4 models are not available" in result.output
    for model_id in MODEL_IDS:
        assert model_id in result.output
    assert "(translate nb, translate nn)" in result.output
    assert result.output.count("To supply them:") == 1
    assert "briefing models fetch" in result.output and "models tiny" in result.output
    assert "summary.method: extractive" in result.output
    assert not (no_models / "out").exists()


def test_extractive_summaries_need_no_summariser_hint(no_models: Path):
    config = no_models / "extractive.yaml"
    config.write_text("summary:\n  method: extractive\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", str(SAMPLES), "-c", str(config), "-o", str(no_models / "out")]
    )
    assert result.exit_code == 1
    assert "3 models are not available" in result.output
    assert "distilbart" not in result.output
    assert "summary.method: extractive" not in result.output
