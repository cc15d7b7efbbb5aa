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


# ------------------------------------------------- a year that opens the sentence


def whens(sentence: str) -> list[str | None]:
    from pipeline.synthesis.claims import read_claim
    from pipeline.synthesis.timeline import PartialDate

    claim = read_claim(sentence, PartialDate(2025, 5, 8))
    return [f.when for f in claim.figures if f.quantity is not None]


def test_a_year_opening_the_sentence_dates_its_first_clause():
    assert whens("Last year the savings rate rose to a peak of 4.5%.") == ["2024"]
    assert whens("In 2023, the Valdorian lender earned $3 billion.") == ["2023"]
    found = pair(
        "Last year the Valdorian savings rate rose to a peak of 4.5%.",
        "The Bank of Valdoria cut its savings rate to 2.75% on Thursday.",
    )
    assert found == []


def test_a_period_start_a_later_clause_or_a_day_leave_the_figure_the_news():
    assert whens("Since 2022, the savings rate has stayed above 2%.") == [None]
    assert whens("Last year it stood at 4.5%, but now the rate is 2.75%.") == ["2024", None]
    assert whens("On Thursday the bank cut its savings rate to 2.75%.") == [None]
    found = pair(
        "On Thursday the Bank of Valdoria cut its savings rate to 2.75%.",
        "The Bank of Valdoria cut its savings rate to 2.5% on Thursday.",
    )
    assert [sorted(sides) for sides in found] == [["2.5%", "2.75%"]]


# ------------------------------------------- what befell the people a figure counts


def kinds(sentence: str) -> list[str | None]:
    from pipeline.synthesis.claims import read_claim

    return [f.kind for f in read_claim(sentence, None).figures if f.quantity is not None]


def test_people_unaccounted_for_are_missing_not_dead():
    assert kinds("The toll rose to 31, and more than 200 people are still unaccounted for.") == [
        "dead",
        "missing",
    ]


def test_a_fate_after_a_semicolon_is_another_clause_s():
    assert kinds("Two of the four guards died; all 140 people in the hall got out.") == [
        "dead",
        None,
    ]
    found = pair(
        "The Lindmoor fire killed 12 people, officials said.",
        "The Lindmoor fire killed 17 people; all 140 people in the hall got out.",
        None,
    )
    assert [sorted(sides) for sides in found] == [["12 people", "17 people"]]


def test_one_clause_keeps_the_fate_of_the_figure_before():
    # No semicolon: "including 9,000 in Lindmoor" marched too.
    assert kinds("Some 40,000 people marched in Valdoria, including 9,000 in Lindmoor.") == [
        "protest",
        "protest",
    ]


# ------------------------------------------------ the day something is set for


LATER = "The former mayor of Lindmoor will be sentenced on June 18."


def test_a_day_set_for_and_a_day_it_happens_on_disagree():
    found = pair(
        "Judge Ana Velt set sentencing of the Lindmoor builder for June 11, a week before "
        "the fair opens.",
        LATER,
        "date",
    )
    assert [sorted(sides) for sides in found] == [["2025-06-11 (June 11)", "2025-06-18 (June 18)"]]


def test_a_deadline_by_a_day_is_no_side_of_the_day_itself():
    found = pair(
        "Judge Ana Velt asked for papers on sentencing of the Lindmoor builder by June 11, a "
        "week before the fair opens.",
        LATER,
        "date",
    )
    assert found == []


# -------------------------------------- a measure told by its one word and nothing else


def bare_item(source_id: str, sentence: str, subject: str):
    """An item of "<Word> was N%" as a story reads it where the opening word is taken for
    a name: the figure's subject is that word and nothing else is said of it."""
    from dataclasses import replace

    from pipeline.synthesis.align import Sentence
    from pipeline.synthesis.claims import read_claim
    from pipeline.synthesis.divergences import _Item

    claim = read_claim(sentence, None)
    (figure,) = [f for f in claim.figures if f.quantity is not None]
    figure = replace(figure, subject=frozenset({subject}), attribute=frozenset())
    claim = replace(claim, figures=(figure,), names=frozenset({subject}))
    held = Sentence(source_id, 1, 0, 0, sentence, claim, None, len(sentence.split()))
    return _Item(held, figure, claim.names)


def test_one_word_measure_said_bare_on_both_sides_is_one_measure():
    from pipeline.synthesis.divergences import _conflict

    a = bare_item("a", "Turnout was 71.2%.", "turnout")
    b = bare_item("b", "Turnout was 68.9%.", "turnout")
    assert _conflict(a, b)


def test_two_bare_measures_of_two_words_stay_apart():
    from pipeline.synthesis.divergences import _conflict

    a = bare_item("a", "Turnout was 71.2%.", "turnout")
    b = bare_item("b", "Unemployment was 6.8%.", "unemployment")
    assert not _conflict(a, b)


# ------------------------------------- an earlier event named by its year


def dated_whens(sentence: str) -> list[str | None]:
    from pipeline.synthesis.claims import read_claim
    from pipeline.synthesis.timeline import PartialDate

    claim = read_claim(sentence, PartialDate(2025, 5, 8))
    return [f.when for f in claim.figures if f.quantity is not None]


def test_an_event_named_by_an_earlier_year_has_that_year_s_figures():
    assert dated_whens(
        "The 2018 flood in the valley, by comparison, left 4,200 people homeless."
    ) == ["2018"]
    found = pair(
        "The Lindmoor quake measured 6.1, the Valdorian survey said.",
        "The Lindmoor quake measured 6.1, officials said.\n\nThe 2009 quake in Lindmoor, by "
        "contrast, measured 7.2 and destroyed the old harbour.",
    )
    assert found == []


def test_the_article_s_own_year_or_a_later_clause_keep_the_news_figure():
    assert dated_whens("The 2025 budget sets defence spending at 2.1%.") == [None]
    assert dated_whens("The 2018 rules capped fees at 3%; the new rules cap them at 2%.") == [
        "2018",
        None,
    ]
