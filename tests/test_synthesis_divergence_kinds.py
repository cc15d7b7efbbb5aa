"""Round div9: kinds of false disagreement traced on news nobody had tuned on, each rule
with made-up sentences and the near misses that must keep their reading."""

from __future__ import annotations

from pipeline.synthesis.claims import _earlier_event
from pipeline.synthesis.timeline import PartialDate, find_dates


def earlier(sentence: str, figure: str, reference: PartialDate | None) -> str | None:
    dates = find_dates(sentence, reference)
    return _earlier_event(dates, sentence, reference, sentence.index(figure))


def test_a_figure_in_a_when_clause_is_the_earlier_events():
    sentence = (
        "Divers have feared this stretch of river since 1994, when a ferry sank near the "
        "weir and 41 passengers drowned."
    )
    assert earlier(sentence, "41", PartialDate(2025)) == "1994"


def test_an_undated_article_still_reads_a_since_year_as_earlier():
    sentence = (
        "Residents have complained about the dam since 2003, when a spillway failed and "
        "12 homes were flooded."
    )
    assert earlier(sentence, "12", None) == "2003"


def test_an_undated_year_after_since_but_not_before_when_is_the_news():
    # "since 2019" starts a period: the figure is the period's, today's count.
    sentence = "Fares have risen since 2019, and 40 routes were cut this winter."
    assert earlier(sentence, "40", None) is None


def test_an_undated_year_without_since_is_not_known_to_be_earlier():
    # No article date and no "since": 2031 could be a plan, not a past event.
    sentence = "The port expects to finish in 2031, when 14 new cranes will be working."
    assert earlier(sentence, "14", None) is None


def test_a_year_of_the_article_itself_is_no_earlier_event():
    sentence = "In 2025, when the floods came, 300 families lost their homes."
    assert earlier(sentence, "300", PartialDate(2025)) is None
