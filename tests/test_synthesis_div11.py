"""Round div11: two figures that only look like one thing (issue 13). A shared word that
says a figure is forecast is not what it is a forecast of ("growth is forecast at 0.9%",
"inflation is forecast at 2.4%"), and a shared head noun with a different first word on
each side is two things when a side's source writes both nouns ("the savings rate" and
"the lending rate"). Each rule with made-up sentences and the near misses that keep their
reading."""

from __future__ import annotations

from synthesis_helpers import divergences, english_source


def source(source_id: str, text: str, published: str | None = "2025-05-08"):
    return english_source(source_id, text, published)


# Two sentences every source of a test story shares, so the sources form one story.
SETTING = (
    "\n\nThe Bank of Valdoria met in Port Alder on Thursday, Governor Ines Marr said."
    "\n\nTraders in Port Alder and Lindmoor watched the Bank of Valdoria closely."
)


def pair(first: str, second: str, kind: str | None = "number"):
    return divergences([source("a", first + SETTING), source("b", second + SETTING)], kind)


# ------------------------------------------------------------ a forecast word is no topic


def test_two_forecasts_of_two_things_are_no_divergence():
    found = pair(
        "The Valdorian economy is now forecast to grow by 0.9% this year.",
        "Consumer inflation is still forecast to average 2.4% this year.",
    )
    assert found == []


def test_two_forecasts_of_one_thing_still_disagree():
    found = pair(
        "Valdorian inflation is now forecast at 2.4% this year.",
        "Valdorian inflation is forecast at 2.9% this year, the bank's staff said.",
    )
    assert [sorted(sides) for sides in found] == [["2.4%", "2.9%"]]


# --------------------------------------------------- two two-word nouns under one head


def test_two_rates_a_source_tells_apart_are_two_things():
    found = pair(
        "The Bank of Valdoria lowered its savings rate to 2.75% on Thursday.",
        "The bank cut its savings rate on Thursday. The lending rate, which banks pay to "
        "borrow, fell further, to 3.1%.",
    )
    assert found == []


def test_two_names_of_one_rate_still_disagree():
    # Neither source writes the other's noun: "the key rate" may be the savings rate.
    found = pair(
        "The Bank of Valdoria lowered its savings rate to 2.75% on Thursday.",
        "The Bank of Valdoria lowered its key rate to 2.5% on Thursday.",
    )
    assert [sorted(sides) for sides in found] == [["2.5%", "2.75%"]]


def test_one_rate_under_one_noun_still_disagrees():
    found = pair(
        "The Bank of Valdoria lowered its savings rate to 2.75% on Thursday.",
        "The bank cut its savings rate to 2.5% on Thursday; its lending rate stays at 3.1%.",
    )
    assert ["2.5%", "2.75%"] in [sorted(sides) for sides in found]
