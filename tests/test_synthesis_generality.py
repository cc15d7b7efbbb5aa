"""Rules of the synthesis that must hold for any news story (made-up sentences only)."""

from __future__ import annotations

from pipeline.synthesis.story import shown_text


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
