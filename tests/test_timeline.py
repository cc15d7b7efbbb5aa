"""Dates in the sources: found, resolved against the article's dateline, ordered."""

from __future__ import annotations

import datetime

import pytest
from briefing_samples import SAMPLE_IDS, sample_reports

from pipeline.synthesis.timeline import (
    PartialDate,
    SourceDate,
    article_date,
    build_timeline,
    date_role,
    dateline,
    find_dates,
    source_date,
)
from pipeline.types import SourceReport, Status, TranslatedSegment

# Monday 10 July 2023, the dateline of the English sample.
REFERENCE = PartialDate(2023, 7, 10)


@pytest.fixture(scope="module")
def timeline():
    return build_timeline(sample_reports())


def report(source_id: str, *sentences: str, status: Status = Status.OK) -> SourceReport:
    return SourceReport(
        id=source_id,
        path=source_id,
        status=status,
        language="en",
        sentences=[TranslatedSegment(s, s) for s in sentences],
    )


def resolved(text: str, reference: PartialDate | None = REFERENCE) -> list[tuple[str, str]]:
    return [(m.text, m.date.iso()) for m in find_dates(text, reference) if m.date is not None]


# ------------------------------------------------------------------------ the samples


def test_the_english_samples_dateline_is_on_the_timeline(timeline):
    entries = [e for e in timeline if e.date == "2023-07-10"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.precision == "day"
    assert entry.kind == "dateline"
    assert "10 July 2023" in entry.text
    assert entry.source == SAMPLE_IDS[3] and entry.citation == 4 and entry.sentence == 1


def test_relative_dates_of_the_english_sample_resolve_against_its_dateline(timeline):
    english = {(e.date, e.mention) for e in timeline if e.source == SAMPLE_IDS[3]}
    assert ("2023-07-11", "July 11") in english  # the summit "beginning on July 11"
    assert ("2023-07-07", "on Friday") in english  # "told reporters on Friday"
    assert ("2023-04", "in April") in english  # Macron "visited China in April"


def test_timeline_is_ordered_and_each_entry_has_source_and_sentence(timeline):
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)
    reports = {r.id: r for r in sample_reports()}
    for entry in timeline:
        assert entry.text == reports[entry.source].sentences[entry.sentence].translation
        assert entry.citation == SAMPLE_IDS.index(entry.source) + 1
        assert set(entry.to_dict()) >= {"date", "precision", "text", "source"}


def test_undated_articles_give_no_guessed_dates(timeline):
    # The Italian sample says "on Wednesday", "in January", "last June" but has no
    # dateline: none of these can be placed in a year, so none is on the timeline.
    assert not [e for e in timeline if e.source == SAMPLE_IDS[4]]
    assert article_date(sample_reports()[4]) is None


# ----------------------------------------------------------------------- finding dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was signed on 10 July 2023 in Vilnius.", [("10 July 2023", "2023-07-10")]),
        ("It was signed on July 11, 2023.", [("July 11, 2023", "2023-07-11")]),
        ("Published 2023-07-10.", [("2023-07-10", "2023-07-10")]),
        ("Published 10.07.2023.", [("10.07.2023", "2023-07-10")]),
        ("The summit in Madrid in June 2022.", [("June 2022", "2022-06")]),
        ("The concept was adopted in 2022.", [("in 2022", "2022")]),
    ],
)
def test_explicit_dates_need_no_reference(text, expected):
    assert resolved(text, None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The summit begins on July 11 in Lithuania.", [("July 11", "2023-07-11")]),
        ("He told reporters on Friday that it was wrong.", [("on Friday", "2023-07-07")]),
        ("Leaders will meet on Wednesday.", [("on Wednesday", "2023-07-12")]),
        ("Macron visited China in April.", [("in April", "2023-04")]),
        ("Beijing told the Council last June.", [("last June", "2023-06")]),
        ("It was published in June last year.", [("June last year", "2022-06")]),
        ("Last month, Stoltenberg welcomed the decision.", [("Last month", "2023-06")]),
        ("Japan unveiled plans at the end of last year.", [("at the end of last year", "2022")]),
        ("He will visit Kyiv later this month.", [("later this month", "2023-07")]),
        ("The office opened yesterday.", [("yesterday", "2023-07-09")]),
    ],
)
def test_relative_dates_resolve_against_the_article_date(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "China may have stepped up its outreach.",  # "may" is a verb
        "The march on Brussels was peaceful.",
        "April Smith, a spokeswoman, declined to comment.",  # a name, not a month
        "What happens in Europe today could happen in Asia tomorrow.",  # a figure of speech
        "Any use of materials is allowed only with a hyperlink to © 2024.",
        "The alliance has 31 members and 1.4 billion consumers are at stake.",
        "The meeting ended at 11:17.",
    ],
)
def test_no_false_dates(text):
    assert resolved(text) == []


def test_a_lone_month_is_the_nearest_such_month_to_the_article_date():
    january = PartialDate(2024, 1, 15)
    assert resolved("He said so in December.", january) == [("in December", "2023-12")]
    assert resolved("The summit in Lithuania in July.", PartialDate(2023, 5)) == [
        ("in July", "2023-07")
    ]


def test_relative_dates_without_an_article_date_are_left_unresolved():
    mentions = find_dates("He visited Japan in January and again on Wednesday.", None)
    assert [(m.text, m.date) for m in mentions] == [("in January", None), ("on Wednesday", None)]
    assert mentions[0].month == 1  # still comparable across sources by month


def test_a_month_precision_reference_cannot_place_a_weekday():
    assert resolved("Hayashi confirmed on Wednesday.", PartialDate(2023, 5)) == []
    assert resolved("Since last month.", PartialDate(2023, 5)) == [("last month", "2023-04")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("10 July 2023 11:17", "2023-07-10"),
        ("Published: Monday, July 10, 2023 at 11:17", "2023-07-10"),
        ("date 2023-05", "2023-05"),
        ("NATO to defer decision on Tokyo liaison office", None),
        ("The summit was held on 10 July 2023 in Vilnius, the capital of Lithuania.", None),
    ],
)
def test_dateline(line, expected):
    found = dateline(line)
    assert (found.iso() if found else None) == expected


def test_only_briefed_sources_and_one_entry_per_date_and_sentence():
    dated = report("a", "10 July 2023 11:17", "On Friday and on Friday again, in July 2023.")
    failed = report("b", "It happened on 1 May 2023.", status=Status.FAILED)
    entries = build_timeline([failed, dated])
    assert [(e.date, e.citation, e.kind) for e in entries] == [
        ("2023-07", 2, "explicit"),
        ("2023-07-07", 2, "relative"),
        ("2023-07-10", 2, "dateline"),
    ]


def test_partial_dates_sort_year_before_month_before_day():
    dates = ["2023-07-10", "2023", "2023-07", "2022-12"]
    assert sorted(dates) == ["2022-12", "2023", "2023-07", "2023-07-10"]
    assert PartialDate(2023, 7).precision == "month" and PartialDate(2023).iso() == "2023"


# ------------------------------------------------------------- publication date, roles


def published(source_id: str, day: str | None, *sentences: str) -> SourceReport:
    found = report(source_id, *sentences)
    found.published = datetime.date.fromisoformat(day) if day else None
    return found


def test_the_publication_date_anchors_relative_dates_without_a_dateline():
    (entry,) = build_timeline(
        [published("a", "2023-08-04", "The Bank of England raised rates yesterday.")]
    )
    assert (entry.date, entry.mention, entry.role) == ("2023-08-03", "yesterday", "event")


def test_source_date_prefers_the_page_date_then_a_dateline_then_a_lead_date():
    dated = published("a", "2023-08-04", "3 August 2023", "Rates rose.")
    assert source_date(dated) == SourceDate(PartialDate(2023, 8, 4), "published", 0)
    assert source_date(report("b", "3 August 2023", "Rates rose.")).how == "dateline"
    lead = source_date(report("c", "Rates rose on 3 August 2023, the Bank said."))
    assert lead == SourceDate(PartialDate(2023, 8, 3), "lead")
    assert source_date(report("d", "Rates rose on Thursday.")) is None


def test_a_since_date_is_background_not_the_event():
    entries = build_timeline(
        [published("a", "2023-08-03", "Rates rose on Thursday to the highest since April 2008.")]
    )
    roles = {e.mention: e.role for e in entries}
    assert roles == {"on Thursday": "event", "April 2008": "background"}


def test_forecasts_and_dates_after_the_article_are_not_the_event():
    entries = build_timeline(
        [
            published(
                "a",
                "2023-09-14",
                "Inflation is expected to fall to 2.1% in 2025.",
                "The next meeting is on October 26.",
                "The Governing Council met on Thursday.",
            )
        ]
    )
    roles = {e.mention: e.role for e in entries}
    assert roles == {"in 2025": "forecast", "October 26": "forecast", "on Thursday": "event"}


def test_a_weekday_in_future_tense_may_be_the_day_itself():
    # Wednesday 22 November 2023: "after Wednesday's election" in a "set to" sentence.
    mentions = find_dates("The PVV will win after Wednesday's vote.", PartialDate(2023, 11, 22))
    assert [m.date.iso() for m in mentions if m.date] == ["2023-11-22"]
    mentions = find_dates("Up to 250 mm is expected by Saturday.", PartialDate(2023, 10, 19))
    assert [m.date.iso() for m in mentions if m.date] == ["2023-10-21"]


def test_month_only_publication_date_does_not_resolve_weekdays():
    from pipeline.synthesis.timeline import source_date

    report = SourceReport(
        id="a",
        path="a.txt",
        status=Status.OK,
        language="en",
        text="The minister resigned on Friday.",
        translation="The minister resigned on Friday.",
        published=datetime.date(2023, 5, 1),
        published_precision="month",
    )
    found = source_date(report)
    assert found is not None and found.date.precision == "month"


def test_a_day_is_the_event_when_the_future_is_said_only_after_it_or_before_a_past_verb():
    reference = PartialDate(2023, 10, 25)

    def role(sentence: str) -> str:
        (mention,) = [m for m in find_dates(sentence, reference) if m.date is not None]
        return date_role(sentence, mention, reference)

    assert role("The union reached a deal with Ford on Wednesday that would end the strike.") == (
        "event"
    )
    assert role("Workers will return after the union agreed a contract yesterday.") == "event"
    assert role("The new prime minister is expected to be sworn in on Wednesday.") == "forecast"


# ------------------------------------------------------------ weekdays and their tense

# Wednesday 13 March 2024 and Tuesday 12 March 2024.
WEDNESDAY = PartialDate(2024, 3, 13)
TUESDAY = PartialDate(2024, 3, 12)


def dated(text: str, reference: PartialDate) -> list[tuple[str, str | None, str]]:
    """(words, ISO date or None, role) of every date mention in ``text``."""
    return [
        (m.text, m.date.iso() if m.date else None, date_role(text, m, reference))
        for m in find_dates(text, reference)
    ]


def test_a_plan_told_in_the_past_puts_no_weekday_on_the_timeline():
    assert dated("The capsule had been due to land on Monday but was held back.", WEDNESDAY) == [
        ("on Monday", None, "event")
    ]
    assert [m.date for m in find_dates("The vote was scheduled for Friday.", WEDNESDAY)] == [None]
    assert [m.date for m in find_dates("She would have turned 80 on Monday.", WEDNESDAY)] == [None]
    entries = build_timeline(
        [published("a", "2024-03-13", "The probe had been due to land on Monday.")]
    )
    assert entries == []


def test_a_present_tense_schedule_puts_a_weekday_ahead_of_the_article():
    assert dated("On Thursday the new law takes full effect.", WEDNESDAY) == [
        ("On Thursday", "2024-03-14", "forecast")
    ]
    assert dated("The vote is on Tuesday.", WEDNESDAY) == [("on Tuesday", "2024-03-19", "forecast")]


def test_a_deadline_weekday_lies_ahead_unless_the_clause_says_how_long_it_lasted():
    assert dated("Flights suspended until Tuesday after the storm.", WEDNESDAY) == [
        ("Tuesday", "2024-03-19", "forecast")
    ]
    assert dated("Schools were closed until Tuesday, the council said.", WEDNESDAY) == [
        ("Tuesday", "2024-03-19", "forecast")
    ]
    assert dated("The new rules apply from Monday.", WEDNESDAY) == [
        ("Monday", "2024-03-18", "forecast")
    ]
    assert dated("The airport remained closed until Tuesday.", WEDNESDAY) == [
        ("Tuesday", "2024-03-12", "event")
    ]
    # "from Monday's vote" names the vote, not the start of a period.
    assert dated("Results from Monday's vote showed a swing.", WEDNESDAY) == [
        ("Monday", "2024-03-11", "event")
    ]


def test_each_weekday_takes_the_tense_of_its_own_clause():
    assert dated("He said on Tuesday that the plant would close on Friday.", WEDNESDAY) == [
        ("on Tuesday", "2024-03-12", "event"),
        ("on Friday", "2024-03-15", "forecast"),
    ]
    assert dated("The strike, which began on Monday, ends on Friday.", WEDNESDAY) == [
        ("on Monday", "2024-03-11", "event"),
        ("on Friday", "2024-03-15", "forecast"),
    ]
    assert dated("The new premier is expected to be elected on Friday.", WEDNESDAY) == [
        ("on Friday", "2024-03-15", "forecast")
    ]


def test_last_weekday_in_a_paper_of_that_weekday_is_a_week_before():
    assert resolved("The minister resigned last Tuesday.", TUESDAY) == [
        ("last Tuesday", "2024-03-05")
    ]
    assert resolved("The minister resigned last Tuesday.", WEDNESDAY) == [
        ("last Tuesday", "2024-03-12")
    ]


def test_on_weekday_in_a_paper_of_that_weekday_is_the_day_itself_in_past_and_future():
    assert resolved("The minister resigned on Tuesday.", TUESDAY) == [("on Tuesday", "2024-03-12")]
    assert resolved("The minister will resign on Tuesday.", TUESDAY) == [
        ("on Tuesday", "2024-03-12")
    ]
    assert resolved("The minister resigned on Monday.", TUESDAY) == [("on Monday", "2024-03-11")]


def test_next_weekday_is_strictly_after_the_article_and_this_weekday_follows_the_tense():
    assert resolved("They meet again next Tuesday.", TUESDAY) == [("next Tuesday", "2024-03-19")]
    assert resolved("They meet again next Friday.", TUESDAY) == [("next Friday", "2024-03-15")]
    thursday = PartialDate(2024, 3, 14)
    assert resolved("He said this Tuesday that it was over.", thursday) == [
        ("this Tuesday", "2024-03-12")
    ]
    assert resolved("They will sign this Saturday.", thursday) == [("this Saturday", "2024-03-16")]


def test_a_possessive_weekday_does_not_take_the_tense_of_the_verb_after_it():
    text = "The defeat of the government in Sunday's vote is likely to end the standoff."
    assert dated(text, WEDNESDAY) == [("Sunday", "2024-03-10", "event")]
    assert dated("The party will win after Wednesday's vote.", WEDNESDAY) == [
        ("Wednesday", "2024-03-13", "forecast")
    ]
