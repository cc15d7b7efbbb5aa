"""What a briefing run's final state and event say: clean, partial, or nothing new.

A run that briefed with failed or skipped sources is ``Completed`` under the name
"Partial" (the runs list shows it, and a Prefect automation can match it); a scheduled run
that found nothing new is ``Completed`` as "Nothing new". One event per briefing,
``briefing.written`` / ``briefing.partial`` / ``briefing.nothing-new``, carries the counts.
"""

from __future__ import annotations

from typing import Any

from prefect.events import emit_event
from prefect.states import Completed, State

from pipeline.types import RunSummary

EVENT_PREFIX = "briefing"


def outcome(counts: dict[str, int] | None) -> str:
    """``written``, ``partial`` or ``nothing-new`` for the counts of a briefing (None: none)."""
    return RunSummary(paths={}, counts=counts).outcome


def counts_message(counts: dict[str, int]) -> str:
    """ "1 failed, 3 skipped" (what went wrong first), or "5 ok" for a clean briefing."""
    parts = [f"{counts[k]} {k}" for k in ("failed", "skipped") if counts.get(k)]
    return (
        ", ".join(parts) + f" ({counts.get('ok', 0)} ok)" if parts else f"{counts.get('ok', 0)} ok"
    )


def final_state(name: str, summary: RunSummary) -> State:
    """The run's final state, with ``summary`` as its result, and the briefing's event."""
    kind, counts = summary.outcome, summary.counts or {}
    if kind == "nothing-new":
        message = "nothing new to brief: no briefing written"
        state = Completed(name="Nothing new", message=message, data=summary)
    elif kind == "partial":
        state = Completed(
            name="Partial", message=f"Partial: {counts_message(counts)}", data=summary
        )
    else:
        message = f"briefing written: {counts_message(counts)}"
        state = Completed(message=message, data=summary)
    emit_briefing_event(name, kind, summary.counts, summary.paths)
    return state


def emit_briefing_event(
    name: str, kind: str, counts: dict[str, int] | None, paths: dict[str, str]
) -> Any:
    """``briefing.<kind>`` about the resource ``briefing.<name>``, counts and paths as payload."""
    from prefect.runtime import flow_run

    if not flow_run.id:
        return None  # outside a flow run there is no Prefect to tell
    related = [
        {
            "prefect.resource.id": f"prefect.flow-run.{flow_run.id}",
            "prefect.resource.role": "flow-run",
        }
    ]
    return emit_event(
        event=f"{EVENT_PREFIX}.{kind}",
        resource={"prefect.resource.id": f"briefing.{name}", "prefect.resource.name": name},
        related=related,
        payload={"counts": counts or {}, "paths": paths},
    )
