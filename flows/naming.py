"""Names and tags of briefing runs, so the Prefect runs list reads like a list of briefings."""

from __future__ import annotations

from datetime import UTC, datetime

from pipeline.config.schema import BriefingConfig


def run_name(
    config: BriefingConfig | None, output_name: str | None = None, when: datetime | None = None
) -> str:
    """``briefing-2026-12-01 20:52 UTC``: the output name with ``{date}`` filled, and the time.

    A name without ``{date}`` gets the date too, so runs of one briefing stay apart.
    """
    moment = when or datetime.now(UTC)
    template = output_name or (config.output_name if config is not None else "briefing")
    stem = template.replace("{date}", f"{moment:%Y-%m-%d}")
    stamp = f"{moment:%H:%M} UTC" if "{date}" in template else f"{moment:%Y-%m-%d %H:%M} UTC"
    return f"{stem} {stamp}"


def run_tags(config: BriefingConfig, deployment: str | None = None) -> list[str]:
    """``briefing``, ``briefing:<output name>`` and, from a deployment, ``schedule:<name>``."""
    if deployment is None:
        from prefect.runtime import deployment as current

        deployment = current.name
    found = ["briefing", f"briefing:{config.resolved_output_name()}"]
    if deployment:
        found.append(f"schedule:{deployment}")
    return found


def tag_this_run(found: list[str]) -> None:
    """Add ``found`` to the current flow run's tags, so the runs list can be filtered by
    briefing and schedule whoever started the run (CLI, deployment, schedule)."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run

    if not flow_run.id:
        return
    with get_client(sync_client=True) as client:
        current = client.read_flow_run(flow_run.id).tags
        client.update_flow_run(
            flow_run.id, tags=[*current, *(t for t in found if t not in current)]
        )


def name_this_run() -> str:
    """The ``flow_run_name`` of a briefing run, from its parameters."""
    from prefect.runtime import flow_run

    config = flow_run.parameters.get("config")
    config = config if isinstance(config, BriefingConfig) else None
    return run_name(config, flow_run.parameters.get("output_name"))
