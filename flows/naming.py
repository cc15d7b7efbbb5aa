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
