"""The console of ``briefing run``: one line per stage by default, everything with --verbose.

By default the console shows one progress line per stage of the run (a progress bar for
the per-source stages when it is a terminal), then the CLI's table and paths. Prefect's
per-run lines ("Finished in state ..."), the temporary server's notices, model-loading
bars and library warnings are held back: the Prefect UI and its logs still have every
line (only the console handler is filtered, never the API one). ``--verbose`` shows them
all, as Prefect prints them.

The flow reports its stages through ``stage_start`` / ``stage_advance`` / ``stage_done``;
they do nothing unless ``run_console`` installed a display, so a flow run by a worker or
a deployment is unaffected.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = [
    "StageDisplay",
    "run_console",
    "stage_advance",
    "stage_done",
    "stage_part",
    "stage_start",
]

# Set before the libraries read them (the model libraries are imported during the run).
_QUIET_ENV = {
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # also turns off transformers' weight-loading bars
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


@dataclass
class _Stage:
    label: str
    total: int | None
    unit: str
    started: float = field(default_factory=time.perf_counter)
    done: int = 0
    task: TaskID | None = None
    parts: dict[str, int] = field(default_factory=dict)  # items done per key (``part``)


class StageDisplay:
    """One line per stage: a rich progress bar on a terminal, else a plain line printed
    when the stage ends (logs, CI and tests read those)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.stages: dict[str, _Stage] = {}
        self._lock = threading.Lock()  # task threads report their sources' progress
        self.progress: Progress | None = None
        if console.is_terminal:
            self.progress = Progress(
                TextColumn("{task.description:<14}"),
                BarColumn(bar_width=30),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[detail]}"),
                console=console,
            )
            self.progress.start()

    def start(self, name: str, total: int | None = None, unit: str = "sources") -> None:
        stage = _Stage(name, total, unit)
        if self.progress is not None:
            stage.task = self.progress.add_task(
                name, total=total, unit=unit if total is not None else "", detail=""
            )
        self.stages[name] = stage

    def advance(self, name: str, amount: int = 1) -> None:
        stage = self.stages.get(name) or self._implicit(name)
        with self._lock:
            stage.done += amount
        if self.progress is not None and stage.task is not None:
            self.progress.advance(stage.task, amount)

    def part(self, name: str, key: str, done: int) -> None:
        """``done`` items of the stage's ``key`` (a source) are finished: reported again
        and again as a source goes on, it never counts twice."""
        stage = self.stages.get(name) or self._implicit(name)
        with self._lock:
            step = max(0, done - stage.parts.get(key, 0))
            stage.parts[key] = max(done, stage.parts.get(key, 0))
        if step:
            self.advance(name, step)

    def done(self, name: str, detail: str = "") -> None:
        stage = self.stages.get(name) or self._implicit(name)
        if stage.total is not None:
            stage.done = stage.total  # over: cached or remote work reports no steps
        seconds = time.perf_counter() - stage.started
        if self.progress is not None and stage.task is not None:
            total = stage.total if stage.total is not None else 1
            self.progress.update(stage.task, completed=total, total=total, detail=detail)
            return
        parts = [f"{stage.done}/{stage.total} {stage.unit}"] if stage.total is not None else []
        parts += [detail] if detail else []
        self.console.print(
            f"{name}: {', '.join(parts) or 'done'} ({seconds:.1f} s)", highlight=False
        )

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()

    def _implicit(self, name: str) -> _Stage:
        self.start(name)
        return self.stages[name]


_display: StageDisplay | None = None


def stage_start(name: str, total: int | None = None, unit: str = "sources") -> None:
    """A stage of the run begins (``total`` items: shown as a bar on a terminal)."""
    if _display is not None:
        _display.start(name, total, unit)


def stage_advance(name: str, amount: int = 1) -> None:
    """``amount`` more items of the stage are done."""
    if _display is not None:
        _display.advance(name, amount)


def stage_part(name: str, key: str, done: int) -> None:
    """``done`` items of ``key`` (e.g. the sentences of one source) are finished so far."""
    if _display is not None:
        _display.part(name, key, done)


def stage_done(name: str, detail: str = "") -> None:
    """The stage is over; ``detail`` is a few words about what it did."""
    if _display is not None:
        _display.done(name, detail)


class _ServerNoticeFilter(logging.Filter):
    """Prefect's own notices (the temporary server starting and stopping: it stops when the
    process exits, after the run) stay off the console of a quiet run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "prefect" and record.levelno < logging.WARNING)


class _QuietFilter(logging.Filter):
    """On the console only: Prefect's own lines (the CLI prints the run's link at the end)
    and library warnings are left to the UI and --verbose; errors from elsewhere show."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "prefect" or record.name.startswith("prefect."):
            return False
        return record.levelno >= logging.ERROR


def _console_handlers() -> list[logging.Handler]:
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger()]
    loggers += [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    found: list[logging.Handler] = []
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler) and handler not in found:
                found.append(handler)
    return found


def _quiet_libraries() -> None:
    """Model libraries already imported take their quiet settings now (others read the
    environment when they are imported)."""
    if "transformers" in sys.modules:
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
    if "huggingface_hub" in sys.modules:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()


@contextmanager
def run_console(verbose: bool = False, stream: IO[str] | None = None) -> Iterator[None]:
    """The console for one run: quiet with stage lines, or (``verbose``) everything."""
    global _display
    if verbose:
        yield
        return
    saved = {key: os.environ.get(key) for key in _QUIET_ENV}
    os.environ.update(_QUIET_ENV)
    _quiet_libraries()
    quiet = _QuietFilter()
    handlers = _console_handlers()
    for handler in handlers:
        handler.addFilter(quiet)
    display = StageDisplay(Console(file=stream or sys.stderr, highlight=False))
    _display = display
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        _display = None
        display.close()
        for handler in handlers:
            handler.removeFilter(quiet)
            if not any(isinstance(f, _ServerNoticeFilter) for f in handler.filters):
                handler.addFilter(_ServerNoticeFilter())
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
