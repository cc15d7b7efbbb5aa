"""Artifacts and links that make a briefing run easy to find in the Prefect UI."""

from __future__ import annotations

from prefect import get_run_logger
from prefect.artifacts import create_link_artifact
from prefect.settings import PREFECT_UI_URL
from prefect.states import State


def flow_run_url(flow_run_id: object) -> str | None:
    """The UI page of a flow run, when a UI is configured (None on a temporary server)."""
    base = PREFECT_UI_URL.value()
    return f"{base.rstrip('/')}/runs/flow-run/{flow_run_id}" if base and flow_run_id else None


def link_child_run(child: State, key: str) -> None:
    """On the parent run: a link artifact and a log line to the sub-run that holds the work.

    The task runs, per-source logs and the briefing's artifacts live on the
    ``brief-sources`` sub-run; the outer run is what "View at" and the runs list show first.
    """
    url = flow_run_url(child.state_details.flow_run_id)
    if url is None:
        return
    create_link_artifact(
        url,
        link_text="the briefing's task runs, logs and artifacts",
        key=key,
        description="The brief-sources sub-run of this briefing",
    )
    get_run_logger().info("task runs, logs and artifacts: %s", url)
