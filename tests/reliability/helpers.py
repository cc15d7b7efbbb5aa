"""Shared helpers: the flow's front half without models, and checks on a briefing."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline import run
from pipeline.config.load import load_config, with_overrides
from pipeline.render.render import render_html, render_json, render_markdown
from pipeline.summaries.summarize import ExtractiveSummarizer
from pipeline.translation.passthrough import PassthroughTranslator

from .cases import Expected

REPO = Path(__file__).resolve().parents[2]


#: Stand-in engines: every sentence "translated" as itself, extractive summaries.
STAND_INS = run.Engines(
    translator=lambda language: PassthroughTranslator(),
    summarizer=lambda: ExtractiveSummarizer(),
)


def brief_without_models(given: Sequence[Path]) -> tuple[dict[str, Any], str, str]:
    """The real run (``pipeline.run.brief``: discovery, prepare, triage, synthesis,
    assembly, render) with stand-in engines instead of the models.

    Returns the briefing as JSON data, Markdown and HTML.
    """
    config = with_overrides(
        load_config(), {"title": "Reliability", "sources": [str(path) for path in given]}
    )
    briefing = run.brief(config, STAND_INS)
    assert briefing is not None
    return json.loads(render_json(briefing)), render_markdown(briefing), render_html(briefing)


def unescape_markdown(markdown: str) -> str:
    """Markdown with its backslash escapes taken out, to look for plain text in it."""
    return re.sub(r"\\(.)", r"\1", markdown)


def assert_reported(
    expected: Sequence[Expected], data: dict[str, Any], markdown: str | None = None
) -> None:
    """Every expected source is in the briefing exactly once, with its status and message,
    and the Markdown shows its id and message too."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for record in data["sources"]:
        by_path.setdefault(record["path"], []).append(record)
    plain = unescape_markdown(markdown) if markdown is not None else None
    for item in expected:
        records = by_path.get(item.path, [])
        assert len(records) == 1, (item.path, len(records), sorted(by_path)[:20])
        [record] = records
        assert record["status"] == item.status, (item.path, record["status"], record["error"])
        if item.message is None:
            assert record["error"] is None, (item.path, record["error"])
        else:
            assert item.message in (record["error"] or ""), (item.path, record["error"])
        if item.check is not None:
            item.check(record)
        if plain is not None:
            assert record["id"] in plain, record["id"]
            if item.message is not None:
                assert item.message in plain, (item.path, item.message)


def clean_env(**extra: str) -> dict[str, str]:
    """An environment for a `briefing` subprocess: offline, no inherited Prefect or
    Briefing settings except the test's private cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BRIEFING_"))}
    if "BRIEFING_CACHE_DIR" in os.environ:
        env["BRIEFING_CACHE_DIR"] = os.environ["BRIEFING_CACHE_DIR"]
    env.update(
        {
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]
