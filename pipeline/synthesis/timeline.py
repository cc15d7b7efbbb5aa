"""Dates in the sources, normalised and put in order: the briefing's timeline.

Dates are found in the English text of each sentence by explicit, readable patterns, not
by a general date parser. ``dateparser`` (installed with trafilatura) was tried and left
out on purpose: its ``search_dates`` reads "may", "march", "second" or "now" as dates and
resolves "Friday" against the day the briefing runs, which puts invented dates on an
analyst's timeline. Here a date is only taken when the text really says one:

* full dates: "10 July 2023", "July 11, 2023", "2023-07-10", "10.07.2023";
* a month and a year: "June 2022", "2023-05"; a year after a preposition: "in 2022";
* dates that need the article's own date to be resolved: "July 11", "in April",
  "last June", "June last year", "last month", "last year", "earlier this year",
  "yesterday", weekdays ("on Wednesday", "last Friday", "next Monday"; placed by the
  tense of their clause, ``clause_tense``: behind the article date in the past tense,
  ahead of it in the future or before a deadline, not at all for a plan told in the
  past, "had been due to land on Monday"). The article date comes from the
  page's publication date (``SourceReport.published``), else from a dateline in the text
  ("10 July 2023 11:17" on a line of its own), else from a full date in the first lines
  (``source_date``). Without one these mentions are left out rather than guessed.
  "today" and "tomorrow" are not dates here: in news they are mostly figures of speech
  ("what happens in Europe today could happen in Asia tomorrow").
* what a date is to the story (``date_role``): the event, a background reference ("the
  highest since April 2008") or a forecast ("expected ... in 2025").

Every date keeps its precision (day, month or year) and is written as ISO 8601 to that
precision ("2023-07-10", "2023-07", "2023"), so a month is never passed off as a day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pipeline.documents.segment import (
    segment_text,  # only for reports without sentence pairs
)
from pipeline.types import SourceReport, Status

__all__ = [
    "DateMention",
    "PartialDate",
    "TimelineEntry",
    "SourceDate",
    "article_date",
    "build_timeline",
    "clause_tense",
    "date_role",
    "find_dates",
    "source_date",
]

Precision = Literal["day", "month", "year"]
Role = Literal["event", "background", "forecast"]

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

# Capitalised month names only: a lower-case "may" or "march" is a verb, never a month.
_MONTH = (
    r"(?P<{name}>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# Words that make a lone month name ("in April") a date rather than a name ("April Smith").
# Not "to", "by" or "of" alone: "a speech by May" names a person.
_MONTH_LEAD = (
    r"(?:in|since|until|till|from|during|before|after|early|late|mid|end of|"
    r"beginning of|start of|middle of)"
)
_YEAR_LEAD = r"(?:in|since|until|till|by|from|during|before|after|of|early|late|mid)"
_NEGATIVE_NUMBER_CONTEXT = re.compile(r"[©$€£%]|\bno\.?$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a precision: a year, a month of a year, or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> date | None:
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)


@dataclass(frozen=True)
class DateMention:
    """A date said in a sentence: the words, where they are, and what they resolve to.

    ``date`` is ``None`` when the words name a date that can't be placed without an
    article date ("on Wednesday" in an undated article); ``month``/``day`` then still say
    what is known, so two sources' "July 11" and "July 12" can be compared.
    """

    text: str
    start: int
    end: int
    kind: Literal["explicit", "relative"]
    date: PartialDate | None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One dated statement of one source, for the timeline."""

    date: str  # ISO 8601 to its precision: "2023-07-10", "2023-07" or "2023"
    precision: Precision
    text: str  # the whole English sentence the date is in
    source: str  # source id
    citation: int  # the source's number in the briefing (1-based position)
    sentence: int  # index of the sentence in the source
    mention: str  # the words that gave the date: "on Friday", "10 July 2023"
    kind: Literal["dateline", "explicit", "relative"]
    # What the date is to the story: the event itself, a background reference ("the
    # highest since 2008", a date over a year before the article) or a forecast (future
    # tense, "expected", a date after the article). Only events are the story's dates.
    role: Role = "event"

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "date": self.date,
            "precision": self.precision,
            "text": self.text,
            "source": self.source,
            "citation": self.citation,
            "sentence": self.sentence,
            "mention": self.mention,
            "kind": self.kind,
        }


# ----------------------------------------------------------------------------- patterns


# Most specific first: a span taken by one pattern is not looked at again by the next.
_ISO_DAY = re.compile(r"(?<![\d-])" + _YEAR + r"-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d-])")
_DOTTED_DAY = re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\." + _YEAR + r"(?!\d)")
_DAY_MONTH_YEAR = re.compile(r"\b" + _DAY + r"\s+" + _MONTH.format(name="month") + r",?\s+" + _YEAR)
_MONTH_DAY_YEAR = re.compile(
    r"\b" + _MONTH.format(name="month") + r"\s+" + _DAY + r"(?!\d),?\s+" + _YEAR + r"\b"
)
_ISO_MONTH = re.compile(r"(?<![\d-])" + _YEAR + r"-(?P<month>[01]\d)(?![\d-])")
_MONTH_YEAR = re.compile(r"\b" + _MONTH.format(name="month") + r",?\s+(?:of\s+)?" + _YEAR + r"\b")
_DAY_MONTH = re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH.format(name="month") + r"\b")
_MONTH_DAY = re.compile(r"\b" + _MONTH.format(name="month") + r"\s+" + _DAY + r"\b(?![:.,]?\d)")
_MONTH_LAST_YEAR = re.compile(
    r"\b" + _MONTH.format(name="month") + r"\s+(?:of\s+)?(?P<which>last|next|this)\s+year\b"
)
_RELATIVE_MONTH = re.compile(
    r"\b(?P<which>[Ll]ast|[Nn]ext|[Tt]his)\s+" + _MONTH.format(name="month")
)
_LONE_MONTH = re.compile(
    r"\b(?i:" + _MONTH_LEAD + r")[\s-]+" + _MONTH.format(name="month") + r"(?![\w-])"
)
_LONE_YEAR = re.compile(r"\b(?i:" + _YEAR_LEAD + r")\s+" + _YEAR + r"\b(?![-/.]\d)")
_RELATIVE_PERIOD = re.compile(
    r"\b(?P<phrase>(?:(?:earlier|later)\s+|(?:at\s+)?the\s+(?:end|start|beginning)\s+of\s+)?"
    r"(?P<which>last|next|this|previous)\s+(?P<unit>year|month))\b",
    re.IGNORECASE,
)
_DAY_WORD = re.compile(r"\b(?P<word>yesterday)\b", re.IGNORECASE)
_WEEKDAY_MENTION = re.compile(
    r"\b(?:(?P<which>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his)\s+)?" + _WEEKDAY + r"\b"
)
# A line that is only a date (and perhaps a time and a word like "Updated"): a dateline.
_TIME = r"(?:[,\s]+(?:at\s+)?[0-2]?\d[:.][0-5]\d(?:\s*(?:[AaPp]\.?[Mm]\.?|h|CET|CEST|GMT|UTC))?)?"
_DATELINE_LEAD = r"^(?:(?:published|updated|posted|date|dated)[:\s]+)?(?:[A-Z][a-z]+,?\s+)?"
_DATELINE = re.compile(
    _DATELINE_LEAD
    + r"(?P<date>"
    + r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+(?:19|20)\d\d"
    + r"|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    + r"|(?:19|20)\d\d-[01]\d(?:-[0-3]\d)?"
    + r"|\d{1,2}\.[01]?\d\.(?:19|20)\d\d"
    + r")"
    + _TIME
    + r"\s*$",
    re.IGNORECASE,
)


# ----------------------------------------------------------------------------- finding


def find_dates(sentence: str, reference: PartialDate | None = None) -> list[DateMention]:
    """Every date said in ``sentence``, in text order.

    ``reference`` is the article's date: relative mentions ("last month", "on Friday",
    "July 11") are resolved against it and come back with ``date=None`` without it.
    """
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []

    def free(match: re.Match[str]) -> bool:
        start, end = match.span()
        return all(end <= s or start >= e for s, e in taken)

    def add(match: re.Match[str], kind: str, when: PartialDate | None, **known: Any) -> None:
        taken.append(match.span())
        found.append(
            DateMention(match.group(0), match.start(), match.end(), kind, when, **known)  # type: ignore[arg-type]
        )

    for pattern in (_ISO_DAY, _DOTTED_DAY, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in _matches(pattern, sentence, free):
            when = _checked(int(match["year"]), _month(match["month"]), int(match["day"]))
            if when is not None:
                add(match, "explicit", when)
    for pattern in (_ISO_MONTH, _MONTH_YEAR):
        for match in _matches(pattern, sentence, free):
            if _preceded_by_money_or_copyright(sentence, match.start()):
                continue
            when = _checked(int(match["year"]), _month(match["month"]))
            if when is not None:
                add(match, "explicit", when)
    for match in _matches(_MONTH_LAST_YEAR, sentence, free):
        month = _month(match["month"])
        year = _shift_year(reference, match["which"])
        add(match, "relative", _checked(year, month) if year else None, month=month)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in _matches(pattern, sentence, free):
            month, day = _month(match["month"]), int(match["day"])
            if not 1 <= day <= 31:
                continue
            year = _nearest_year(reference, month, day)
            when = _checked(year, month, day) if year else None
            add(match, "relative", when, month=month, day=day)
    for match in _matches(_RELATIVE_MONTH, sentence, free):
        month = _month(match["month"])
        add(match, "relative", _relative_month(reference, month, match["which"]), month=month)
    for match in _matches(_LONE_MONTH, sentence, free):
        month = _month(match["month"])
        year = _nearest_year(reference, month)
        add(match, "relative", _checked(year, month) if year else None, month=month)
    for match in _matches(_LONE_YEAR, sentence, free):
        add(match, "explicit", PartialDate(int(match["year"])))
    for match in _matches(_RELATIVE_PERIOD, sentence, free):
        add(match, "relative", _relative_period(reference, match["which"], match["unit"]))
    for match in _matches(_DAY_WORD, sentence, free):
        add(match, "relative", _day_word(reference, match["word"]))
    for match in _matches(_WEEKDAY_MENTION, sentence, free):
        tense = clause_tense(sentence, match.start(), match.end())
        add(match, "relative", _weekday(reference, match["weekday"], match["which"], tense))
    return sorted(found, key=lambda mention: mention.start)


def _matches(pattern: re.Pattern[str], text: str, free: Any) -> Iterator[re.Match[str]]:
    for match in pattern.finditer(text):
        if free(match):
            yield match


def _month(text: str) -> int:
    text = text.rstrip(".").lower()
    return int(text) if text.isdigit() else MONTHS[text]


def _checked(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    """The date if it exists on the calendar (no 31 June), else ``None``."""
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            date(year, month or 1, day)
        except ValueError:
            return None
    return PartialDate(year, month, day)


def _preceded_by_money_or_copyright(text: str, start: int) -> bool:
    return bool(_NEGATIVE_NUMBER_CONTEXT.search(text[max(0, start - 3) : start].strip()))


def _nearest_year(reference: PartialDate | None, month: int, day: int | None = None) -> int | None:
    """The year that puts ``month`` (and ``day``) closest to the article date.

    News says "in April" for the April just gone or just ahead; in a January article
    "in December" is last December. Needs at least the article's month.
    """
    if reference is None or reference.month is None:
        return None
    anchor = reference.year * 12 + reference.month - 1
    best = min(
        (reference.year - 1, reference.year, reference.year + 1),
        key=lambda year: (abs(year * 12 + month - 1 - anchor), -year),
    )
    return best


def _shift_year(reference: PartialDate | None, which: str) -> int | None:
    if reference is None:
        return None
    return reference.year + {"last": -1, "next": 1}.get(which.lower(), 0)


def _relative_month(reference: PartialDate | None, month: int, which: str) -> PartialDate | None:
    """ "last June": the latest June before the article's month; "next June" the first after;
    "this June" the June of the article's year."""
    if reference is None or reference.month is None:
        return None
    which = which.lower()
    if which == "this":
        return PartialDate(reference.year, month)
    if which == "last":
        year = reference.year if month < reference.month else reference.year - 1
    else:
        year = reference.year if month > reference.month else reference.year + 1
    return PartialDate(year, month)


def _relative_period(reference: PartialDate | None, which: str, unit: str) -> PartialDate | None:
    if reference is None:
        return None
    step = {"last": -1, "previous": -1, "next": 1}.get(which.lower(), 0)
    if unit.lower() == "year":
        return PartialDate(reference.year + step)
    if reference.month is None:
        return None
    index = reference.year * 12 + reference.month - 1 + step
    return PartialDate(index // 12, index % 12 + 1)


def _day_word(reference: PartialDate | None, word: str) -> PartialDate | None:
    day = reference.as_date() if reference else None
    if day is None:
        return None
    day -= timedelta(days=1)  # the only day word matched is "yesterday"
    return PartialDate(day.year, day.month, day.day)


def _weekday(
    reference: PartialDate | None, name: str, which: str | None, tense: Tense | None
) -> PartialDate | None:
    """The day a weekday names, counted from the article date.

    * "last Friday": the latest Friday strictly before the article (in a Friday paper, a
      week before); "next Friday": the first Friday strictly after it;
    * "on Friday", "Friday", "this Friday": in future tense (``clause_tense``) the day
      itself or the next such day ("will meet on Friday", "takes effect on Friday",
      "suspended until Friday"); otherwise the day itself or the latest such day before.
      In news copy "resigned on Tuesday" in a Tuesday paper is that day: a week-old event
      is "last Tuesday" or a date.
    * a plan told in the past ("had been due to land on Monday", "was scheduled for
      Friday") is left unplaced: it may lie on either side of the article date, and it is
      not the event anyway.
    """
    day = reference.as_date() if reference else None
    if day is None:
        return None
    target = WEEKDAYS[name.lower()]
    which = (which or "").lower()
    ahead = (target - day.weekday()) % 7
    behind = (day.weekday() - target) % 7
    if which == "last":
        day -= timedelta(days=behind or 7)
    elif which == "next":
        day += timedelta(days=ahead or 7)
    elif tense == "plan":
        return None
    elif tense == "future":
        day += timedelta(days=ahead)
    else:
        day -= timedelta(days=behind)
    return PartialDate(day.year, day.month, day.day)


# ---------------------------------------------------------------------------- tense

Tense = Literal["past", "future", "plan"]

# Where a clause ends, for the verb a date belongs to: "said on Tuesday that it would
# close the plant on Friday" has two clauses, one per date.
_CLAUSE_BREAK = re.compile(
    r"[;:—–()]|,\s*(?:which|who|where|but|while|whereas)\b|\b(?:but|while|whereas|that)\b"
)
# Tense cues, tried left to right at each position: a plan told in the past before the
# words it contains ("was due", "had been expected"), the future before the passive
# ("is expected to", "is suspended"), a participle after "be" is no past tense ("to be
# elected", "is closed").
_PLAN_CUE = (
    r"\b(?:had\s+been|was|were)\s+(?:(?:originally|initially|first|still|also)\s+)?"
    r"(?:due|scheduled|expected|slated|supposed|planned|meant|billed|(?:set|to)(?=\s+\w))\b"
    r"|\bwould\s+have\s+\w+"
)
_FUTURE_CUE = (
    r"\b(?:will|shall|won't|would)\b|'ll\b|’ll\b"
    r"|\b(?:is|are|am|be|'s|’s)\s+(?:(?:now|still|also|not)\s+)?"
    r"(?:due|set|scheduled|expected|slated|planned|poised|going|likely|to)\b"
    r"|\b(?:plans?|intends?|aims?|hopes?|expects?)\s+to\b"
    r"|\b(?:due|scheduled|slated|expected|set|planned)\s+(?:to|for|on|by)\b"
    # A present-tense verb of schedule: "takes full effect", "comes into force", "ends".
    r"|\b(?:takes?|comes?|enters?|goes?)\s+(?:(?:full|immediate|legal)\s+)?"
    r"(?:effect|into\s+(?:force|effect))\b"
    r"|\b(?:begins|starts|opens|reopens|closes|ends|expires|resumes|lapses|kicks\s+off|"
    r"runs\s+out|applies)\b"
)
_NEUTRAL_CUE = r"\b(?:be|been|being|is|are|am)\s+[a-z]{3,}ed\b"
_PAST_CUE = (
    r"\b(?:was|were|had|did|has|have)\b|\b(?:[a-z]{3,}ed|took|won|said|made|came|began|"
    r"struck|fell|rose|told|gave|held|left|met|ran|saw|sent|went|kept|lost|broke|drew|"
    r"chose|spoke|wrote|beat|led|paid|sold|bought|brought|caught|fought|thought|hit|quit|"
    r"shut)\b"
)
_TENSE_CUE = re.compile(
    f"(?P<plan>{_PLAN_CUE})|(?P<future>{_FUTURE_CUE})|(?P<neutral>{_NEUTRAL_CUE})"
    f"|(?P<past>{_PAST_CUE})",
    re.IGNORECASE,
)
# A deadline or the start of a period just before the day: "until Tuesday", "from Monday".
_DEADLINE = re.compile(
    r"\b(?:until|till|by|through|from|starting|beginning|as\s+of|effective|no\s+later\s+than)"
    r"\s+$",
    re.IGNORECASE,
)
# ... which lies behind when the clause tells how long something lasted ("the airport
# remained closed until Tuesday") or is in the past perfect.
_LASTED = re.compile(
    r"\b(?:had|remained|stayed|lasted|continued|ran|kept|waited|lingered)\b", re.IGNORECASE
)
_IS_BEFORE = re.compile(r"\b(?:is|are)\s+(?:on\s+)?$", re.IGNORECASE)


def clause_tense(sentence: str, start: int, end: int) -> Tense | None:
    """The tense of the clause a date at ``sentence[start:end]`` belongs to.

    A deadline or start just before it ("until Tuesday", "from Monday") or "is" ("the vote
    is on Thursday") is the future, unless the clause says how long something lasted;
    else the last tense cue before the date in its clause ("will meet on Friday",
    "had been due to land on Monday", "told reporters on Friday"), else the first one
    after it ("On Thursday the new law takes full effect") unless the day is possessive
    ("Sunday's vote"); ``None`` when the clause has none. Future: "will", "would", "is
    to", "is expected to", "plans to", "due to", a present verb of schedule ("takes
    effect", "begins", "expires"). A plan: "was due to", "had been scheduled to", "was
    to", "would have".
    """
    breaks = [m for m in _CLAUSE_BREAK.finditer(sentence)]
    clause_start = max((m.end() for m in breaks if m.end() <= start), default=0)
    clause_end = min((m.start() for m in breaks if m.start() >= end), default=len(sentence))
    before = sentence[clause_start:start]
    possessive = sentence[end : end + 2] in ("'s", "’s")
    if not possessive and _DEADLINE.search(before):
        return "past" if _LASTED.search(before) else "future"
    if not possessive and _IS_BEFORE.search(before):
        return "future"
    cues = [m.lastgroup for m in _TENSE_CUE.finditer(before) if m.lastgroup != "neutral"]
    if cues:
        return cues[-1]  # type: ignore[return-value]
    if possessive:  # "Sunday's vote is likely to end ...": that verb is the vote's, not the day's
        return None
    for match in _TENSE_CUE.finditer(sentence[end:clause_end]):
        if match.lastgroup != "neutral":
            return match.lastgroup  # type: ignore[return-value]
    return None


# ------------------------------------------------------------------------- article dates


def dateline(sentence: str) -> PartialDate | None:
    """The date of a line that is only a dateline ("10 July 2023 11:17"), else ``None``."""
    text = " ".join(sentence.split())
    if len(text) > 60:
        return None
    match = _DATELINE.match(text)
    if match is None:
        return None
    mentions = [m for m in find_dates(match["date"]) if m.date is not None]
    return mentions[0].date if len(mentions) == 1 else None


def article_date(report: SourceReport) -> tuple[int, PartialDate] | None:
    """The source's own date from the first dateline in its English sentences, with the
    index of that sentence; ``None`` when it has none. Only the first ten sentences are
    looked at: a date line further down is a caption or a quote, not the dateline."""
    for index, text in english_sentences(report)[:10]:
        when = dateline(text)
        if when is not None:
            return index, when
    return None


@dataclass(frozen=True)
class SourceDate:
    """A source's own date, and where it came from: the page's ``published`` date, a
    dateline sentence (``sentence`` is its index), or a full date in its first lines."""

    date: PartialDate
    how: Literal["published", "dateline", "lead"]
    sentence: int | None = None


_LEAD_LINES = 3


def source_date(report: SourceReport) -> SourceDate | None:
    """The date a source's relative dates ("on Friday", "last month") count from.

    The publication date first (cleaning reads it from the page); else a dateline among
    the first sentences; else the first full date (day precision) in the first three
    sentences, which in news is the day of the event being reported. ``None``: undated.
    """
    found = article_date(report)
    if report.published is not None:
        day = report.published
        # A month-only marker ("date 2023-05") is stored as the 1st: don't resolve "on
        # Friday" or "yesterday" against a day the page never gave.
        known_day = None if report.published_precision == "month" else day.day
        return SourceDate(
            PartialDate(day.year, day.month, known_day), "published", found[0] if found else None
        )
    if found is not None:
        return SourceDate(found[1], "dateline", found[0])
    for _, text in english_sentences(report)[:_LEAD_LINES]:
        for mention in find_dates(text):
            if mention.date is not None and mention.date.precision == "day":
                return SourceDate(mention.date, "lead")
    return None


# Words before a date that make it a reference point rather than the event.
_BACKGROUND = re.compile(
    r"\b(?:since|as of|compared with|compared to|than in|born)\b[^.;]{0,12}$", re.IGNORECASE
)
_FORECAST = re.compile(
    r"\b(?:will|shall|expect(?:s|ed)?|forecasts?|forecast(?:s|ed)?|projects?|projected|"
    r"projections?|predicts?|predicted|scheduled|due to|set to|is to|are to|plans? to|"
    r"would)\b",
    re.IGNORECASE,
)


# A verb in the past tense: a regular "-ed" form or a common irregular one.
_PAST_VERB = re.compile(
    r"\b(?:[a-z]{3,}ed|took|won|said|made|came|began|struck|fell|rose|told|gave|held|left|"
    r"met|ran|saw|sent|went|kept|lost|broke|drew|chose|spoke|wrote|beat|led|paid|sold|"
    r"bought|brought|caught|fought|thought|hit|cut|set|put|quit|shut)\b",
    re.IGNORECASE,
)


def date_role(sentence: str, mention: DateMention, reference: PartialDate | None) -> Role:
    """Is a date the event, a background reference or a forecast? A date after
    ``since`` ("the highest since April 2008") or more than a year before the article is
    background; a date after the article, or in a sentence in future tense or about a
    forecast, is a forecast; a day is a forecast also when its clause (``clause_tense``)
    is in future tense, names a deadline or tells a plan ("had been due to land on 4
    May"): what was expected, planned or due is not what happened. The rest is the
    event."""
    when = mention.date
    if when is None:
        return "event"
    if _BACKGROUND.search(sentence[: mention.start]):
        return "background"
    if reference is not None:
        if when.year < reference.year - 1 or (
            when.year == reference.year - 1
            and mention.kind == "explicit"
            and when.month is not None
            and reference.month is not None
            and when.month < reference.month
        ):
            return "background"
        if _after(when, reference):
            return "forecast"
    if when.precision == "day":
        tense = clause_tense(sentence, mention.start, mention.end)
        if tense in ("future", "plan"):
            return "forecast"
        if tense == "past":
            return "event"
        # A day no later than the article is a forecast only when the future is said
        # before it with no past verb between ("is expected to be sworn in on Monday"):
        # "reached a deal on Wednesday that would end the strike" and "will return after
        # the union agreed a contract yesterday" date what happened.
        before = sentence[: mention.start]
        markers = list(_FORECAST.finditer(before))
        if markers and not _PAST_VERB.search(before[markers[-1].end() :]):
            return "forecast"
        return "event"
    if _FORECAST.search(sentence):
        return "forecast"
    return "event"


def _after(when: PartialDate, reference: PartialDate) -> bool:
    """``when`` lies wholly after ``reference`` at the precision both have."""
    mine = (when.year, when.month, when.day)
    theirs = (reference.year, reference.month, reference.day)
    for a, b in zip(mine, theirs, strict=True):
        if a is None or b is None:
            return False
        if a != b:
            return a > b
    return False


def english_sentences(report: SourceReport) -> list[tuple[int, str]]:
    """The source's English sentences by index, empty ones left out.

    The index is the sentence's position in ``report.sentences``, which is what the
    briefing's sentence table numbers, so a date or a point can be traced to its row. A
    report without sentence pairs (made by hand) has its translation split instead.
    """
    if report.sentences:
        pairs = [(i, p.translation.strip()) for i, p in enumerate(report.sentences)]
    else:
        pairs = list(enumerate(segment_text(report.translation, "en")))
    return [(index, text) for index, text in pairs if text]


# ----------------------------------------------------------------------------- timeline


def build_timeline(reports: Sequence[SourceReport]) -> list[TimelineEntry]:
    """Every resolved date of every briefed source, oldest first.

    Sources are numbered by their position in ``reports`` (the briefing's order). Each
    sentence gives at most one entry per date; a dateline gives a ``dateline`` entry.
    Entries sort by date (a year before its months, a month before its days), then by
    source and sentence.
    """
    entries: list[TimelineEntry] = []
    for number, report in enumerate(reports, start=1):
        if report.status is not Status.OK:
            continue
        dated = source_date(report)
        reference = dated.date if dated else None
        dateline_index = dated.sentence if dated else None
        for index, text in english_sentences(report):
            if index == dateline_index and reference is not None:
                entries.append(
                    TimelineEntry(
                        reference.iso(),
                        reference.precision,
                        text,
                        report.id,
                        number,
                        index,
                        text,
                        "dateline",
                    )
                )
                continue
            seen: set[str] = set()
            for mention in find_dates(text, reference):
                if mention.date is None or mention.date.iso() in seen:
                    continue
                seen.add(mention.date.iso())
                entries.append(
                    TimelineEntry(
                        mention.date.iso(),
                        mention.date.precision,
                        text,
                        report.id,
                        number,
                        index,
                        mention.text,
                        mention.kind,
                        date_role(text, mention, reference),
                    )
                )
    return sorted(entries, key=lambda e: (e.date, e.citation, e.sentence))


def sentence_dates(report: SourceReport) -> dict[int, list[DateMention]]:
    """Date mentions per sentence index of one source, resolved against its dateline."""
    dated = source_date(report)
    reference = dated.date if dated else None
    dateline_index = dated.sentence if dated else None
    return {
        index: find_dates(text, reference)
        for index, text in english_sentences(report)
        if index != dateline_index
    }
