"""Briefing's own errors, in one hierarchy, so the command line maps them to exit codes in
one place (``flows/exit_codes.py``) and a message written for people is never shown with a
class name in front of it.

* :class:`UsageError`: the configuration or the arguments are wrong; nothing was done.
* :class:`RunError`: the run could not complete (a model missing, the output not writable).
* :class:`SourceProblem`: one source is failed or skipped; the others go on.
"""

from __future__ import annotations


class BriefingError(Exception):
    """An error Briefing raises on purpose; its message stands alone."""


class UsageError(BriefingError):
    """Bad configuration or arguments: say what to change, do nothing."""


class RunError(BriefingError):
    """The run can't complete: a model, the output directory or the ledger is unusable."""


class SourceProblem(BriefingError):
    """About one source only: the briefing reports it and goes on."""
