"""The artifacts a briefing leaves in the Prefect UI: Markdown the UI's renderer shows as
written (no backslash escapes in ordinary news text, numbering that holds, no tables or
in-page links it can't show), and a sources table of four narrow columns."""

from __future__ import annotations

import re

from pipeline.assemble.document import Briefing
from pipeline.quality.flags import Flag
from pipeline.render.artifacts import (
    nothing_new_markdown,
    overview_markdown,
    sources_table,
    ui_text,
)
from pipeline.render.render import TEST_MODELS_WARNING
from pipeline.synthesis.model import Group, Point
from pipeline.synthesis.synthesize import Synthesis
from pipeline.types import SourceReport, Status, TranslatedSegment

PATHS = {"md": "/srv/out/daily.md", "html": "/srv/out/daily.html", "json": "/srv/out/daily.json"}


def briefing() -> Briefing:
    nl = SourceReport(
        id="000_bc84fd529d18192b",
        path="in/000_bc84fd529d18192b.txt",
        language="nl",
        title="Cabinet falls over nitrogen plan",
        original_title="Kabinet valt over stikstofplan",
        sentences=[TranslatedSegment("Het kabinet is gevallen.", "The cabinet has fallen.")] * 3,
        translation_model="Helsinki-NLP/opus-mt-nl-en",
    )
    en = SourceReport(
        id="001_wire",
        path="in/001_wire.txt",
        language="en",
        title="Dutch government collapses",
        sentences=[TranslatedSegment("It fell.", "It fell.")],
    )
    failed = SourceReport(
        id="002_broken",
        path="in/002_broken.bin",
        status=Status.FAILED,
        error="binary file, not text",
    )
    point = Point(
        text="The cabinet fell on Tuesday after 1. a row over the *nitrogen* plan.",
        sources=["000_bc84fd529d18192b", "001_wire"],
        citations=[1, 2],
        corroborated=True,
        support=[("000_bc84fd529d18192b", 0), ("001_wire", 0)],
    )
    single = Point("The king was told.", ["001_wire"], [2], False, [("001_wire", 0)])
    group = Group(
        sources=["000_bc84fd529d18192b", "001_wire"],
        citations=[1, 2],
        label="cabinet, nitrogen",
        points=[point, single],
        divergences=[],
    )
    synthesis = Synthesis(
        groups=[group],
        flags={"000_bc84fd529d18192b": [Flag("no_date", "no date"), Flag("test_models", "t")]},
    )
    return Briefing(
        title="Daily briefing",
        generated_at="2026-12-01T20:43:20+00:00",
        overview="The cabinet fell [1][2]. It had ruled since 2024 [1].",
        sources=[nl, en, failed],
        test_models=True,
        synthesis=synthesis,
    )


EXPECTED = """\
# Daily briefing

> **Warning:** {warning}.

**Partial**, 3 sources: 2 ok, 0 skipped, 1 failed

Generated 1 December 2026, 20:43 UTC

**Files**

- Markdown: `/srv/out/daily.md`
- HTML: `/srv/out/daily.html`
- JSON: `/srv/out/daily.json`

## Overview

The cabinet fell [1][2]. It had ruled since 2024 [1].

## Stories

### Story 1: cabinet, nitrogen

Sources:

- [1] Cabinet falls over nitrogen plan
- [2] Dutch government collapses

Key points:

1. The cabinet fell on Tuesday after 1. a row over the \\*nitrogen\\* plan. [1][2] \
(corroborated by 2 sources)
2. The king was told. [2] (single source)

## Not briefed

- [3] 002_broken: failed, binary file, not text

The full briefing (timeline, every sentence and its source) is in the files.
""".replace("{warning}", TEST_MODELS_WARNING)


def test_overview_artifact_says_outcome_files_overview_stories_and_what_was_not_briefed():
    assert overview_markdown(briefing(), PATHS) == EXPECTED


def test_overview_artifact_has_no_links_tables_or_anchors_the_ui_cannot_show():
    text = overview_markdown(briefing(), PATHS)
    assert "](" not in text and "<a " not in text
    assert not [line for line in text.splitlines() if line.startswith("|")]


def test_key_points_are_one_tight_numbered_list():
    text = overview_markdown(briefing(), PATHS)
    numbers = [int(m) for m in re.findall(r"^(\d+)\. ", text, flags=re.MULTILINE)]
    assert numbers == [1, 2]


def test_ordinary_news_text_needs_no_escapes():
    for text in ["000_bc84fd529d18192b", "1. fi", "[1][4][5]", "5 * 3 * 2", "a < b", "AT&T"]:
        assert ui_text(f"see {text}") == f"see {text}"


def test_markup_in_source_text_is_made_inert():
    assert ui_text("1. fi") == "1\\. fi"  # at the start of a block: not a list
    assert ui_text("# big") == "\\# big"
    assert ui_text("- item") == "\\- item"
    assert ui_text("a *b* and _c_") == "a \\*b\\* and \\_c\\_"
    assert ui_text("x <script>y") == "x \\<script>y"
    assert ui_text("[x](http://e.vil)") == "[x\\](http://e.vil)"
    assert ui_text("[4]: http://e.vil") == "\\[4]: http://e.vil"
    assert ui_text("code `x`") == "code \\`x\\`"
    assert ui_text("two\nlines") == "two lines"


def test_sources_table_has_four_narrow_columns_with_english_titles():
    rows = sources_table(briefing())
    assert rows == [
        {"#": 1, "source": "Cabinet falls over nitrogen plan", "status": "ok (nl)",
         "note": "3 sentences, 1 flag"},
        {"#": 2, "source": "Dutch government collapses", "status": "ok (en)",
         "note": "1 sentence"},
        {"#": 3, "source": "002_broken", "status": "failed", "note": "binary file, not text"},
    ]  # fmt: skip


def test_sources_table_cuts_long_cells():
    long = briefing()
    long.sources[0].title = "A very long English title that goes on and on about the cabinet"
    long.sources[2].error = "could not be read: the file ends in the middle of a multibyte char"
    rows = sources_table(long)
    assert rows[0]["source"] == "A very long English title that goes on…"
    assert len(rows[2]["note"]) <= 28 and rows[2]["note"].endswith("…")


def test_nothing_new_artifact():
    assert nothing_new_markdown("Daily", 4) == (
        "# Daily\n\n**Nothing new**: 4 sources, all briefed before or skipped. "
        "No briefing was written.\n"
    )
