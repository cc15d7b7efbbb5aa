"""The exit codes of the ``briefing`` commands, decided here and only here, from the error
hierarchy of :mod:`pipeline.errors`:

* 0: done (a briefing written, or nothing new to brief);
* 1: the run could not complete (a model missing or broken, the output not writable), or
  with ``--strict`` a source failed;
* 2: bad usage or configuration: nothing was done.
"""

from __future__ import annotations

import typer

from pipeline.errors import UsageError
from pipeline.models.locate import ModelNotAvailable, ModelsNotAvailable

OK = 0
RUN_FAILED = 1
USAGE = 2


def exit_code(error: BaseException) -> int:
    return USAGE if isinstance(error, UsageError) else RUN_FAILED


def describe(error: BaseException, command: str = "briefing") -> str:
    """The one line (or block) an operator reads for ``error``."""
    if isinstance(error, UsageError):
        return str(error) if command == "briefing" else f"{command}: {error}"
    if isinstance(error, ModelNotAvailable) and not isinstance(error, ModelsNotAvailable):
        return f"{command}: a model is missing.\n{error}"
    if isinstance(error, OSError):  # OutputError, or the disk itself
        return f"{command}: could not write the briefing: {error}"
    return f"{command}: {error}"


def fail(error: BaseException, command: str = "briefing") -> typer.Exit:
    """Print what went wrong and return the exit to raise (``raise fail(error) from None``)."""
    typer.secho(describe(error, command), err=True, fg=typer.colors.RED)
    return typer.Exit(exit_code(error))


def stop(message: str, code: int = RUN_FAILED) -> typer.Exit:
    """Print ``message`` and return the exit with ``code``, for a check made before any error."""
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)
