"""Error texts a person can act on: the flag to change, what is allowed, why the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows.cli import _report_failures, app
from pipeline.config.load import parse_config
from pipeline.config.schema import ConfigError
from pipeline.translation.engine import TranslationError
from pipeline.types import (
    RunSummary,
    SourceError,
    SourceLine,
    SourceSkipped,
    Status,
    failure_text,
)


def test_bad_name_flag_error_names_the_flag_and_what_is_allowed():
    result = CliRunner().invoke(app, ["run", "--name", "../x"])
    assert result.exit_code == 2
    assert "--name: '../x' is not a file name stem" in result.output
    assert "letters, digits" in result.output
    assert "output_name" not in result.output
    assert "pattern" not in result.output


def test_bad_output_name_in_a_config_names_the_key():
    with pytest.raises(ConfigError) as caught:
        parse_config({"output_name": "a/b"}, "my.yaml")
    text = str(caught.value)
    assert "output_name: 'a/b' is not a file name stem" in text
    assert "Value error" not in text and "pattern" not in text


def test_date_placeholder_is_still_a_good_name():
    assert parse_config({"output_name": "briefing-{date}"}).output_name == "briefing-{date}"


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (SourceError("file not found: /x/nope.txt"), "file not found: /x/nope.txt"),
        (SourceSkipped("empty after cleaning"), "empty after cleaning"),
        (TranslationError("no CUDA GPU"), "no CUDA GPU"),
        (
            FileNotFoundError(2, "No such file or directory", "/x/y"),
            "no such file or directory: /x/y",
        ),
        (ValueError("bad thing"), "unexpected error (ValueError: bad thing)"),
    ],
)
def test_failure_text_speaks_to_the_analyst(error: BaseException, text: str):
    assert failure_text(error) == text
    assert "SourceError" not in failure_text(error)


def _summary(statuses: list[str]) -> RunSummary:
    """What the flow returns for a run whose sources ended with ``statuses``."""
    error = "file not found: /in/s.txt"
    sources = [
        SourceLine(f"s{i}", "nl", Status(status), error if status == "failed" else None)
        for i, status in enumerate(statuses)
    ]
    counts = {str(s): statuses.count(str(s)) for s in Status}
    return RunSummary(paths={"json": "/out/briefing.json"}, counts=counts, sources=sources)


def test_failed_source_without_strict_warns_at_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    _report_failures(_summary(["ok", "failed"]), strict=False)
    err = capsys.readouterr().err
    assert "warning: 1 source failed" in err
    assert "s1: file not found: /in/s.txt" in err
    assert "--strict" in err


def test_strict_exit_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(typer.Exit) as caught:
        _report_failures(_summary(["failed", "failed", "ok"]), strict=True)
    assert caught.value.exit_code == 1
    assert "--strict: 2 sources failed, so exit code 1" in capsys.readouterr().err


def test_clean_run_says_nothing_more(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _report_failures(_summary(["ok", "skipped"]), strict=True)
    assert capsys.readouterr().err == ""
