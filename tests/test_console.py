"""The console of ``briefing run``: one line per stage, the table and the paths by default;
Prefect's per-run lines, loading bars and library warnings only with --verbose."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from rich.console import Console

from flows import console
from flows.console import StageDisplay, run_console, stage_advance, stage_done, stage_start

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))


def record(name: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_plain_console_prints_one_line_per_stage_when_it_ends():
    out = io.StringIO()
    display = StageDisplay(Console(file=out, width=100))
    display.start("translate", 3)
    for _ in range(3):
        display.advance("translate")
    display.done("translate")
    display.start("write")
    display.done("write", "md, html")
    display.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("translate: 3/3 sources (") and lines[0].endswith(" s)")
    assert lines[1].startswith("write: md, html (")


def test_per_source_progress_never_counts_twice_and_the_end_completes_it():
    out = io.StringIO()
    display = StageDisplay(Console(file=out, width=100))
    display.start("translate", 10, "sentences")
    display.part("translate", "a", 2)
    display.part("translate", "a", 4)
    display.part("translate", "a", 4)  # the same report again
    display.part("translate", "b", 3)
    assert display.stages["translate"].done == 7
    display.done("translate")  # a cached source reports no steps: the stage is over anyway
    assert out.getvalue().startswith("translate: 10/10 sentences (")


def test_terminal_console_draws_a_progress_bar_per_stage():
    out = io.StringIO()
    display = StageDisplay(Console(file=out, width=100, force_terminal=True))
    display.start("summarise", 4)
    display.advance("summarise", 4)
    display.done("summarise")
    display.close()
    text = out.getvalue()
    assert "summarise" in text and "4/4" in text and "━" in text


def test_stage_calls_do_nothing_outside_a_cli_run():
    assert console._display is None
    stage_start("translate", 2)
    stage_advance("translate")
    stage_done("translate")  # no display, no error: a worker's flow run is unaffected


@pytest.fixture()
def prefect_console():
    """Prefect's console handler on the root logger, as Prefect sets it up in a run."""
    from prefect.logging.handlers import PrefectConsoleHandler

    handler = PrefectConsoleHandler(stream=io.StringIO())
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


def test_quiet_console_hides_prefect_lines_and_library_warnings(prefect_console):
    handler = prefect_console
    assert handler in console._console_handlers()
    out = io.StringIO()
    with run_console(verbose=False, stream=out):
        assert not handler.filter(record("prefect.task_runs", logging.INFO, "Finished in state"))
        assert not handler.filter(record("prefect.flow_runs", logging.ERROR, "crashed"))
        assert not handler.filter(record("transformers.generation", logging.WARNING, "Both"))
        assert not handler.filter(record("prefect.flow_runs", logging.INFO, "View at http://x"))
        assert handler.filter(record("some.library", logging.ERROR, "disk on fire"))
        assert os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "1"
        with warnings.catch_warnings(record=True) as caught:
            warnings.warn("noise", UserWarning, stacklevel=1)
        assert caught == []
        stage_done("write", "md")
    assert out.getvalue().startswith("write: md (")
    # After the run, Prefect's per-run lines show again (a later run, --verbose, a test).
    assert handler.filter(record("prefect.task_runs", logging.INFO, "Finished in state"))


def test_verbose_console_changes_nothing(prefect_console):
    handler = prefect_console
    with run_console(verbose=True):
        assert handler.filter(record("prefect.task_runs", logging.INFO, "Finished in state"))
        assert console._display is None


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _env(tmp_path: Path, models: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BRIEFING_"))}
    env.update(
        {
            "BRIEFING_CACHE_DIR": str(tmp_path / "cache"),
            "BRIEFING_MODELS_DIR": str(models),
            "PREFECT_HOME": str(tmp_path / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


@pytest.mark.e2e
def test_default_console_is_short_and_verbose_shows_prefects_lines(
    tiny_models_dir: Path, tmp_path: Path
):
    env = _env(tmp_path, tiny_models_dir)
    quiet = _cli(["run", *map(str, SAMPLES), "-o", str(tmp_path / "quiet")], env, tmp_path)
    assert quiet.returncode == 0, quiet.stderr[-3000:]
    lines = (quiet.stdout + quiet.stderr).splitlines()
    # The stages (7), the test-models note, the table (header + 5), 2 summary lines, 3 paths.
    assert len(lines) <= 20, "\n".join(lines)
    for noise in ("Finished in state", "Loading weights", "Warning", "warn", "temporary server"):
        assert noise not in quiet.stdout + quiet.stderr, noise
    stages = [line.split(":", 1)[0] for line in quiet.stderr.splitlines()]
    assert stages == [
        "find sources",
        "read and clean",
        "models",
        "translate",
        "summarise",
        "synthesise",
        "write",
    ]
    assert f"wrote html: {tmp_path / 'quiet' / 'briefing.html'}" in quiet.stdout

    loud = _cli(
        ["run", *map(str, SAMPLES[:2]), "-o", str(tmp_path / "loud"), "--verbose"], env, tmp_path
    )
    assert loud.returncode == 0, loud.stderr[-3000:]
    assert "Finished in state" in loud.stderr
    assert "Task run 'translate-" in loud.stderr
