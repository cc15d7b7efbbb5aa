"""Artifacts that make a briefing run easy to follow and find in the Prefect UI: a progress
bar, the sources table and an overview of the briefing, under stable keys per output name.

The table and the overview are built for the UI's renderers by
``pipeline.render.artifacts`` (pure, tested on the exact Markdown); the full briefing
stays in the files."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from prefect import get_run_logger
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.settings import PREFECT_UI_URL

from flows.console import stage_done
from pipeline.assemble.document import Briefing
from pipeline.render.artifacts import nothing_new_markdown, overview_markdown, sources_table


def flow_run_url(flow_run_id: object) -> str | None:
    """The UI page of a flow run, when a UI is configured (None on a temporary server)."""
    base = PREFECT_UI_URL.value()
    return f"{base.rstrip('/')}/runs/flow-run/{flow_run_id}" if base and flow_run_id else None


def artifact_key(name: str, suffix: str = "") -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    key = re.sub(r"[^a-z0-9-]+", "-", f"briefing-{name}{suffix}".lower()).strip("-")
    return re.sub(r"-{2,}", "-", key)[:100]


class Progress:
    """The run's progress bar: a finished source counts 1, one translated but not yet
    summarised 0.9 (translation is most of a source's work)."""

    def __init__(self, name: str, total: int) -> None:
        self.total, self.finished, self.translated = total, 0, 0
        self.id = create_progress_artifact(
            0.0, key=artifact_key(name, "-progress"), description=f"Sources briefed of {total}"
        )
        Progress._current[name] = self

    def update(self, finished: int = 0, translated: int = 0) -> None:
        self.finished += finished
        self.translated += translated
        done = self.finished + 0.9 * self.translated
        update_progress_artifact(self.id, min(100.0, 100.0 * done / max(1, self.total)))

    _current: dict[str, Progress] = {}

    @classmethod
    def finish(cls, name: str) -> None:
        """The bar of the briefing ``name`` at 100%."""
        if (bar := cls._current.pop(name, None)) is not None:
            update_progress_artifact(bar.id, 100.0)


def publish_briefing(
    name: str, briefing: Briefing, outcomes: dict[str, Any], paths: Mapping[str, str]
) -> None:
    """The sources table (four narrow columns), the overview (outcome, where the files
    are, the overview, stories and their points), a full progress bar and a log line with
    the paths. ``outcomes`` (each source's TranslationOutcome or Failed) is not shown: the
    table says what a person needs, the task runs have the timings."""
    create_table_artifact(
        sources_table(briefing), key=artifact_key(name, "-sources"), description="Sources"
    )
    create_markdown_artifact(
        overview_markdown(briefing, paths),
        key=artifact_key(name),
        description="Overview, files, stories",
    )
    Progress.finish(name)
    counts = briefing.counts()
    get_run_logger().info(
        "briefing written: %s (%d ok, %d skipped, %d failed)",
        ", ".join(paths.values()),
        counts["ok"],
        counts["skipped"],
        counts["failed"],
    )


def publish_nothing_new(name: str, title: str, sources: int) -> None:
    get_run_logger().info("nothing new: all %d sources were briefed before or skipped", sources)
    create_markdown_artifact(
        nothing_new_markdown(title, sources), key=artifact_key(name), description="No new sources"
    )
    Progress.finish(name)
    stage_done("nothing new", f"{sources} sources briefed before or skipped")
