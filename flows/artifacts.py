"""Artifacts and links that make a briefing run easy to find in the Prefect UI."""

from __future__ import annotations

from collections.abc import Mapping

from prefect import get_run_logger
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.settings import PREFECT_UI_URL
from prefect.states import State

from pipeline.assemble.document import Briefing
from pipeline.render.artifacts import nothing_new_markdown, overview_markdown, sources_table


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


def publish_briefing(briefing: Briefing, paths: Mapping[str, str], key: str) -> None:
    """The briefing's two artifacts on the current run: the overview (``key``) and the
    sources table (``key``-sources), made for the UI's renderer; the full briefing stays
    in the files, whose paths the overview lists."""
    create_markdown_artifact(
        overview_markdown(briefing, paths), key=key, description="Overview, files, stories"
    )
    create_table_artifact(
        sources_table(briefing), key=f"{key}-sources", description="Sources: status, notes"
    )


def publish_nothing_new(title: str, total: int, key: str) -> None:
    """The artifact of a run that found nothing new to brief."""
    create_markdown_artifact(
        nothing_new_markdown(title, total), key=key, description="No new sources"
    )
