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

EVENT_PREFIX = "briefing"


def outcome(counts: dict[str, int] | None) -> str:
    """``written``, ``partial`` or ``nothing-new`` for the counts of a briefing (None: none)."""
    if counts is None:
        return "nothing-new"
    return "partial" if counts.get("failed", 0) or counts.get("skipped", 0) else "written"


def counts_message(counts: dict[str, int]) -> str:
    """ "1 failed, 3 skipped" (what went wrong first), or "5 ok" for a clean briefing."""
    parts = [f"{counts[k]} {k}" for k in ("failed", "skipped") if counts.get(k)]
    return (
        ", ".join(parts) + f" ({counts.get('ok', 0)} ok)" if parts else f"{counts.get('ok', 0)} ok"
    )


def final_state(name: str, counts: dict[str, int] | None, paths: dict[str, str]) -> State:
    """The run's final state, with ``paths`` as its result, and the briefing's event."""
    kind = outcome(counts)
    if kind == "nothing-new":
        message = "nothing new to brief: no briefing written"
        state = Completed(name="Nothing new", message=message, data=paths)
    elif kind == "partial":
        message = f"Partial: {counts_message(counts or {})}"
        state = Completed(name="Partial", message=message, data=paths)
    else:
        message = f"briefing written: {counts_message(counts or {})}"
        state = Completed(message=message, data=paths)
    emit_briefing_event(name, kind, counts, paths)
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


def carried(child: State) -> State:
    """The child run's outcome as a new state of the parent (same name, message and result).

    Prefect takes a returned state as the run's own only when it was made by hand; the
    child's is an upstream state, so it is copied. A failed child raises here, as before.
    """
    paths = child.result()  # raises for a failed child
    return Completed(name=child.name or "Completed", message=child.message, data=paths)
