"""Rules of the synthesis that must hold for any news story (made-up sentences only)."""

from __future__ import annotations

from synthesis_helpers import english_source

from pipeline.config.schema import SynthesisConfig
from pipeline.synthesis.story import shown_text
from pipeline.synthesis.synthesize import synthesize


def test_a_live_blogs_clock_stamp_is_not_shown_in_a_point() -> None:
    assert shown_text("19:25 The mayor, in a grey coat, opens the bridge.") == (
        "The mayor, in a grey coat, opens the bridge."
    )


def test_a_clock_stamp_with_a_zone_and_dash_is_not_shown() -> None:
    assert shown_text("10:42 GMT - Ferries to the island are cancelled.") == (
        "Ferries to the island are cancelled."
    )
    assert shown_text("8.15am: Firefighters reach the depot.") == "Firefighters reach the depot."


def test_a_decimal_figure_at_a_sentence_start_stays() -> None:
    # Near miss: a number, not a time of day (no capital after it, or no two-digit minutes).
    assert shown_text("12.75 per cent of the harvest was lost.") == (
        "12.75 per cent of the harvest was lost."
    )
    assert shown_text("10.5 Million tonnes were shipped.") == "10.5 Million tonnes were shipped."
    assert shown_text("31:20 Minutes is no clock time.") == "31:20 Minutes is no clock time."


def test_a_sentence_that_is_only_a_clock_stamp_stays_whole() -> None:
    assert shown_text("14:05") == "14:05"


_REPORT = [
    "The harbour authority of Korsvik opened its new container terminal on Monday.",
    "The terminal can handle 900,000 containers a year, twice the old quay's capacity.",
    "Construction took four years and cost 310 million euros, the authority said.",
    "Two shipping lines have signed ten-year contracts to use the new berths.",
    "Local fishermen had opposed the dredging of the bay during the works.",
    "The old quay will be turned into a ferry landing by the end of next year.",
]


def test_a_story_told_by_one_source_gets_more_than_one_sources_cap() -> None:
    config = SynthesisConfig()
    report = english_source("port", "\n\n".join(_REPORT), "2025-03-04", "Korsvik opens terminal")
    result = synthesize([report], config, False, "extractive")
    (group,) = result.groups
    assert len(group.points) == 2 * config.max_per_source


def test_a_source_beside_others_keeps_its_cap() -> None:
    config = SynthesisConfig(group_threshold=0.01)
    others = [
        english_source(
            f"wire{n}",
            "The harbour authority of Korsvik opened its new container terminal on Monday.",
            "2025-03-04",
            "Korsvik opens container terminal",
        )
        for n in (1, 2)
    ]
    report = english_source("port", "\n\n".join(_REPORT), "2025-03-04", "Korsvik opens terminal")
    result = synthesize([*others, report], config, False, "extractive")
    (group,) = result.groups
    own = [p for p in group.points if p.sources == ["port"]]
    assert len(own) <= config.max_per_source + 1  # the second pass gives one more at most
