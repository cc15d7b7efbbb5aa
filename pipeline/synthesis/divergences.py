"""Where a story's sources really disagree: the same attribute of the same subject with
different values, and contradictory outcomes.

* **Figures.** Two figures of the same unit from different sources conflict when they are
  about the same thing and can't both be true: counted things (seats, people) with a
  name in common ("PVV ... 37 seats" against "Wilders' Party for Freedom ... 35 seats");
  rates and amounts with a content word in common besides the unit ("turnout 74.4%"
  against "turnout 72.9%") and no conflicting subject; for the same date ("3.2% in 2024"
  against "3.0% next year", but not against "5.6% in 2023"). Qualifiers count ("more
  than 200 km/h" agrees with "207 km/h"); a sentence that gives both values ("cut to 0.7%
  from 0.9%") is no side.
* **Dates.** The same statement dated differently: two dates of the same precision
  with a content word in common before them ("highest since April 2008" against "the
  highest level since March 2008").
* **Outcomes.** Conflicting outcome claims about one thing: the same figure ("a 50
  billion euro package" approved against vetoed) or two content words in common.

Each divergence is one question with a few sides, each side a value and its sources'
sentences; a question with more than ``_MAX_SIDES`` values is dropped as noise.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from pipeline.synthesis.align import Sentence, StorySource
from pipeline.synthesis.claims import (
    COUNTRY_OF,
    PEOPLE,
    Figure,
    Quantity,
    content_terms,
    holders,
    office_holders,
    stem,
    unit_of_word,
    without_dateline,
)
from pipeline.synthesis.outcomes import OUTCOMES, conflicting, outcome_of
from pipeline.synthesis.timeline import DateMention, clause_tense
from pipeline.text import ENGLISH_STOPWORDS

__all__ = ["Found", "find_divergences"]

_MAX_SIDES = 4
_VOTES = stem("votes")
_CURRENCY_NAMES = {"eur": "euros", "usd": "dollars", "gbp": "pounds", "jpy": "yen"}
# Measures: a figure of one is about the same thing as another's only when their clauses
# share a content word (lengths too: "a 21-month battle" is not "rights for 15 years").
_MEASURES = {"%", "pp", "km/h", "mph", "mm", "cm", "km", "kg", "h"} | set(_CURRENCY_NAMES)
_OUTCOME_LABELS = {o.key: o.label for o in OUTCOMES}
_OUTCOME_ORDER = [
    "convicted",
    "acquitted",
    "agreed",
    "in_talks",
    "deferred",
    "blocked",
    "opposed",
    "confirmed",
    "denied",
]
_AMOUNT_WORDS = frozenset("thousand million billion trillion euro dollar pound".split())
# Stems of the outcome lexicon's own words: never the subject of an outcome.
_OUTCOME_WORDS = frozenset(
    "agre approv block veto vetoed struck defer postpon delay decid decision talk discussion "
    "plan oppos reject accept adopt ratifi pass includ remov exclud cancel confirm deni held "
    "ahead place convict acquit acquittal guilty clear verdict".split()
)


@dataclass(frozen=True)
class Found:
    kind: str  # "number", "date" or "outcome"
    topic: str
    sides: list[tuple[str, list[Sentence]]]  # label, the sentences that say it


@dataclass(frozen=True)
class _Item:
    sentence: Sentence
    figure: Figure
    names: frozenset[str]  # the sentence's names: the subject when the clause has none
    # The source's two-word nouns, stemmed ("deposit rate"): which it tells apart.
    compounds: frozenset[tuple[str, str]] = frozenset()


def find_divergences(sources: list[StorySource]) -> list[Found]:
    found = _figure_divergences(sources, "number")
    found += _figure_divergences(sources, "date")
    found += _event_day_divergences(sources, found)
    found += _outcome_divergences(sources)
    found += _name_divergences(sources)
    return found


def _items(sources: list[StorySource], kind: str) -> list[_Item]:
    items = []
    story_year = max((s.reference.year for s in sources if s.reference), default=None)
    for source in sources:
        year = source.reference.year if source.reference else story_year
        compounds = _compounds(source) if kind == "number" else frozenset()
        for position, sentence in enumerate(source.sentences):
            earlier = position > 0 and _of_earlier_time(
                source.sentences[position - 1], sentence, year
            )
            for figure in sentence.claim.figures:
                if (
                    kind == "number"
                    and figure.quantity is not None
                    and not figure.hedged
                    and not figure.quantity.ranged  # "5.25%-5.5%": where, not what
                    and not _old_value(sentence, figure.quantity)
                    and not earlier
                ):
                    items.append(_Item(sentence, figure, sentence.claim.names, compounds))
                elif kind == "date" and figure.date is not None:
                    if figure.date.date is not None and figure.date.date.precision != "year":
                        items.append(_Item(sentence, figure, sentence.claim.names))
    return items


# A sentence that opens on a distal demonstrative and a noun ("That outbreak caused ...",
# "Those talks ended ...") goes on telling of what the sentence before told.
_DISTAL = re.compile(
    r"^[\"“']?(?:That|Those)\s+(?!(?:is|was|are|were|has|had|would|will|could|may|means|"
    r"meant|said|says|came|comes)\b)[a-z][a-z-]+\b"
)


def _of_earlier_time(previous: Sentence, sentence: Sentence, year: int | None) -> bool:
    """Whether a sentence's figures are an earlier time's: it opens on "That <noun>" after
    a sentence dated a year or more before the article (an undated article takes its
    story's year): "It was an emergency from July 2022 to May 2023. That outbreak
    caused 100,000 cases" tells of 2022, not of the news."""
    if year is None or not _DISTAL.match(without_dateline(sentence.text)):
        return False
    for mention in previous.claim.dates:
        if mention.date is None or mention.date.precision == "day":
            continue
        if _SINCE_WORD.search(previous.claim.text[max(0, mention.start - 8) : mention.end]):
            continue  # "since 2019": a period up to now
        if mention.date.year < year:
            return True
    return False


_SINCE_WORD = re.compile(r"\bsince\b", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:about\s+|around\s+|nearly\s+)?$", re.IGNORECASE)
# The base a figure is compared with: "compared with 4.9 billion", "against 31%", and
# "well above the 53.2% of the first round", "higher than the 2,000 of last year": in any
# news text the figure after "above/below/than" is the yardstick, not the news's value.
_COMPARED_BEFORE = re.compile(
    r"\b(?:compared\s+(?:with|to)|against|versus|than\s+the|"
    r"(?:(?:well|far|just|slightly|much)\s+)?(?:above|below)\s+the)\s+(?:about\s+|around\s+|nearly\s+)?$",
    re.IGNORECASE,
)
# An earlier event told to set the news in time: "The crash came four days after a plane
# came down in Kazakhstan, killing 38": the figures after "N days after" are that event's.
_INTERVAL_AFTER = re.compile(
    r"\b(?:\w+|\d+)\s+(?:days?|weeks?|months?|years?)\s+(?:after|before)\s+(?:an?|the)\s",
    re.IGNORECASE,
)
# A figure of the same period a year before: "A year earlier the group had reported 4.89
# billion", "4.9 billion in the same period last year".
_EARLIER = re.compile(
    r"\b(?:a|one|the)\s+year\s+(?:earlier|ago|before)\b|\b(?:same|year-ago)\s+"
    r"(?:period|quarter|months?)\b|\blast\s+year['’]s\b",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"[;:]|\.\s")
_BREAK = re.compile(r"[;:]|,\s+(?:and|but|while|whereas)\b|\.\s")


def _earlier(text: str, quantity: Quantity, others: list[Quantity]) -> bool:
    """Whether the figure's own clause dates it a year back: the phrase before it in its
    clause, or after it before the next figure."""
    before = _BREAK.split(text[: quantity.start])[-1]
    previous_end = max((q.end for q in others if q.end <= quantity.start), default=0)
    before = before[max(0, len(before) - (quantity.start - previous_end)) :]
    following = min((q.start for q in others if q.start >= quantity.end), default=len(text))
    after = _BREAK.split(text[quantity.end : following])[0]
    return bool(_EARLIER.search(before) or _EARLIER.search(after))


_OF_WHOLE = re.compile(r"\s+of\s+(?:the\s+|all\s+|its\s+)?([\d,]+)\b", re.IGNORECASE)


def _whole(item: _Item) -> float | None:
    """The whole a figure is counted within: 242 in "killed 241 of the 242 on board"."""
    quantity = item.figure.quantity
    if quantity is None:
        return None
    match = _OF_WHOLE.match(item.sentence.claim.text[quantity.end :])
    if match is None or not match.group(1).replace(",", "").isdigit():
        return None
    return float(match.group(1).replace(",", ""))


def _outside_whole(a: _Item, b: _Item) -> bool:
    """A part counted within a stated whole ("killed 241 of the 242 people on board")
    beside a figure larger than that whole (a toll of 260): the larger one counts people
    outside the whole, so the two are different counts in any news text, not two sides.
    A part within the other figure's reach ("412 of the 650 seats" beside 411) stays."""
    for x, y in ((a, b), (b, a)):
        whole = _whole(x)
        if whole is not None and y.figure.quantity is not None and y.figure.quantity.value > whole:
            return True
    return False


def _old_value(sentence: Sentence, quantity: Quantity) -> bool:
    """The value a change started from: "dropped to 1.72 billion from 3.72 billion",
    "shrank to 3.6% from 6.2%". In any news text that is the figure of an earlier time
    (a year before, the last reading), so it is no side of what another source says of
    now; the level the change reached is."""
    text = sentence.claim.text
    if _COMPARED_BEFORE.search(text[: quantity.start]):
        return True  # "earned 2.9 billion, compared with 4.9 billion": the base compared
    if _INTERVAL_AFTER.search(_SENTENCE_BREAK.split(text[: quantity.start])[-1]):
        return True  # "came four days after a plane crashed ..., killing 38": that event's
    if quantity.direction == 0 and _earlier(text, quantity, sentence.quantities):
        return True
    if not _FROM_BEFORE.search(text[: quantity.start]):
        return False
    return any(
        q is not quantity and q.unit == quantity.unit and (q.level or q.direction)
        for q in sentence.quantities
    )


def _value(item: _Item) -> str:
    if item.figure.quantity is not None:
        q = item.figure.quantity
        value = -abs(q.value) if q.direction < 0 else q.value  # "shrank 0.3%": -0.3
        return f"{value:g}|{q.unit}"
    mention: DateMention = item.figure.date  # type: ignore[assignment]
    return mention.date.iso()  # type: ignore[union-attr]


# Content words (stems) that make a figure a rule or a goal, not a claim about what
# happened: "a majority requires 76 seats", "the 2% target".
_RULES = frozenset(
    "requir need target threshold limit minimum maximum cap goal want prefer propos seek "
    "sought demand urg".split()
)


# Words that compare a figure with others, not say what it is of: "34% of the vote, the
# lowest share since 1945" and "turnout of 60%, the lowest since 2001" are two things.
_COMPARISONS = frozenset(
    "lowest highest biggest largest smallest fewest worst best record strongest weakest "
    "deadliest".split()
)


# Verbs of change say how a figure moved, not what moved (the figure's direction keeps
# that): "shares fell 1.5%", "revenue fell 6.7%" and "deliveries fell 13%" are three
# things, in any news text.
_CHANGES = frozenset(
    stem(w)
    for w in "fell fall falls falling dropped drop drops declined declines shrank slipped slid "
    "plunged tumbled sank eased rose rise rises rising grew grow grows climbed climbs jumped "
    "jumps surged soared gained slumped".split()
)


# Words that say a figure is expected or projected, not what it is of: "growth is forecast
# at 0.8%" and "inflation is forecast at 2.5%" are two forecasts of two things.
_FORECAST_WORDS = frozenset(
    stem(w)
    for w in "forecast forecasts forecasted projected projection projections predicted "
    "prediction predictions outlook".split()
)


# Stems that say one thing: a prison term is "jailed for nine years", "a nine-year
# sentence", "nine years in prison".
_SAME_WORD = {"jail": "sentenc", "prison": "sentenc", "imprison": "sentenc"}


def _words(attribute: frozenset[str]) -> set[str]:
    return {_SAME_WORD.get(word, word) for word in attribute}


def _about_same(a: _Item, b: _Item) -> bool:
    """Two figures (or dates) about the same attribute of the same subject, at one time."""
    fa, fb = a.figure, b.figure
    if fa.when != fb.when or fa.attribute & _RULES or fb.attribute & _RULES:
        return False
    if fa.forecast != fb.forecast:
        return False  # "had expected a hold at 1.75%" is no side of the 1.5% decided
    if _other_motion(a) != _other_motion(b):
        return False  # "In a separate vote, ... by 560 votes to none" is another bill's
    if fa.date is not None and fb.date is not None and not _same_date_frame(a, b):
        return False
    unit = fa.quantity.unit if fa.quantity is not None else "date"
    if _one_whole(fa.quantity, fb.quantity):
        # "12 of the 19 officials" and "ten of the 19 policymakers": one body's count
        # under two nouns, unless the clauses name different subjects.
        subject_a, subject_b = _single(fa.subject), _single(fb.subject)
        return not (subject_a and subject_b and not subject_a & subject_b)
    if fb.quantity is not None and fb.quantity.unit != unit:
        return False
    if fa.quantity is not None and fb.quantity is not None:
        qa, qb = fa.quantity, fb.quantity
        if qa.against != qb.against:
            return False  # "61 votes to 38": the 38 is the other side's
        if (qa.direction and qb.level) or (qb.direction and qa.level):
            return False  # "fell 0.3%" is a change, "fell to 2.4%" a level
        if (_a_change(a) and _share_of_people(b)) or (_a_change(b) and _share_of_people(a)):
            return False  # "raised pay by 25%" is a change, "91% backed a strike" who did
        if _outside_whole(a, b):
            return False
    if unit == PEOPLE and not _same_place(a, b):
        return False  # "80,000 in Paris" is not the count for all of France
    if fa.rank != fb.rank and max(fa.rank or 1, fb.rank or 1) > 1:
        return False  # "a second quake of 7.5" is not the quake of 7.8
    if unit == PEOPLE and (fa.kind or fb.kind):
        # People killed, injured, missing...: the same when the same befell them; the
        # names around are mostly who said it ("a Taliban spokesman said").
        return fa.kind == fb.kind
    tallies = bool(fa.quantity and fb.quantity and fa.quantity.tally and fb.quantity.tally)
    if tallies and fa.place != fb.place:
        return False  # "In Britain, MPs backed a bill by 330 votes to 275": another vote
    if unit.startswith("#") and not (_owned(a) and _owned(b)):
        # "the 15th summit of the group" against "their 14th summit": the names before a
        # place in a series are who acted there; the series is the story's unless both
        # say whose it is ("the bank's 11th increase", "its 12th").
        return True
    if unit.startswith("#") or unit == "magnitude" or tallies:
        # A place in a series ("the 11th increase"), a scale, or a vote's tally ("by 305
        # to 190" against "with 199 members voting against", another motion kept apart
        # above): the story's own, unless the clauses name different subjects.
        subject_a, subject_b = _single(fa.subject), _single(fb.subject)
        return not (subject_a and subject_b and not subject_a & subject_b)
    if unit not in _MEASURES and unit != "date":
        if _other_owner(a, b) or _other_owner(b, a):
            return False  # "the union's 54 member states", "With the union it has 21"
        # Counted things: the unit says what; a shared name says whose.
        subject_a = _unsaid(a, fa.subject) or _unsaid(a, a.names)
        subject_b = _unsaid(b, fb.subject) or _unsaid(b, b.names)
        if not subject_a or not subject_b:
            # No one named on one side or both ("271 structures had been destroyed",
            # "2,200 buildings were destroyed"; "Senators approved it 62 votes to 37"):
            # the same when they say the same of them.
            if _whole_body(a) and _whole_body(b):
                return True  # "the 21 crew members on board", "all 22 crew on the ship"
            return bool((fa.attribute & fb.attribute) - {unit} - _COMPARISONS)
        return bool(_single(subject_a) & _single(subject_b))
    if unit != "date" and _differ(_measure(a), _measure(b)):
        return False  # "net profit of 1.9 billion" is not "operating profit of 2.5 billion"
    # A date's words are what it is the date of ("the highest since April 2008"); a
    # figure's comparison words are not what it is of.
    shared = (_words(fa.attribute) & _words(fb.attribute)) - {unit}
    shared -= _COMPARISONS | _CHANGES | _FORECAST_WORDS if unit != "date" else set()
    if not shared and not _named_measure(a, b):
        return False
    if unit != "date" and _two_compounds(a, b, shared):
        return False  # "the deposit rate, 3.5%" and "the refinancing rate, 3.65%"
    subject_a, subject_b = _single(fa.subject), _single(fb.subject)
    if not (subject_a and subject_b) or subject_a & subject_b:
        return True
    # Different names before each figure: still one subject when each sentence names
    # the other's ("Court blocked Biden's plan of $430 billion" and "Biden ... after the
    # Court struck down his $400 billion plan").
    return subject_a <= _single(b.names) or subject_b <= _single(a.names)


def _named_measure(a: _Item, b: _Item) -> bool:
    """Two measures that say nothing but whose they are, and of the same one word: the
    figure is of that word ("Turnout was 59.7%" and "Turnout was 62.3%", where the
    sentence's first word is read as a name)."""
    fa, fb = a.figure, b.figure
    if fa.attribute or fb.attribute or fa.quantity is None:
        return False
    subject = _single(fa.subject)
    return len(subject) == 1 and subject == _single(fb.subject) and len(fa.subject) == 1


_WORD = re.compile(r"[A-Za-z][a-z-]*")


def _compounds(source: StorySource) -> frozenset[tuple[str, str]]:
    """Every pair of adjacent lower-case words a source writes, the first no stopword,
    stemmed: the two-word nouns it uses ("deposit rate", "refinancing rate")."""
    pairs = set()
    for sentence in source.sentences:
        words = _WORD.findall(sentence.claim.text)
        for first, second in zip(words, words[1:], strict=False):
            if first.islower() and second.islower() and first not in ENGLISH_STOPWORDS:
                pairs.add((stem(first), stem(second)))
    return frozenset(pairs)


def _modifier(item: _Item, heads: set[str]) -> tuple[str, str] | None:
    """The word right before the last head word ahead of the figure, with that head
    ("its deposit rate ... to 3.5%": deposit, rate), where it is a lower-case content word."""
    quantity = item.figure.quantity
    if quantity is None:
        return None
    words = _WORD.findall(item.sentence.claim.text[: quantity.start])
    for k in range(len(words) - 1, 0, -1):
        head = stem(words[k])
        if head in heads and words[k].islower():
            first = words[k - 1]
            if first.islower() and first not in ENGLISH_STOPWORDS:
                return stem(first), head
            return None
    return None


def _two_compounds(a: _Item, b: _Item, shared: set[str]) -> bool:
    """Two figures of two kinds of one thing: the shared word is the head of a two-word
    noun with another first word on each side ("the deposit rate" and "the main
    refinancing rate"), and a side's source writes both nouns, so tells them apart. A
    writer who uses one of them only ("the key rate", "the deposit rate") may mean one."""
    mod_a, mod_b = _modifier(a, shared), _modifier(b, shared)
    if mod_a is None or mod_b is None or mod_a[1] != mod_b[1] or mod_a[0] == mod_b[0]:
        return False
    return mod_b in a.compounds or mod_a in b.compounds


# Whose a count is when the words right before it say so: "the union's 54 member states",
# "The union, whose 55 member states".
_POSSESSOR = re.compile(r"\b([A-Za-z][\w-]*)(?:['’]s|,\s+whose)\s+$")
# A pronoun as the subject of a figure's clause: "With the union it becomes a group of 21".
_PRONOUN_CLAUSE = re.compile(r"\b(?:it|they)\s+(?:now\s+|also\s+)?[a-z]+", re.IGNORECASE)


def _other_owner(owned: _Item, other: _Item) -> bool:
    """A count a possessor owns ("the union's 54 member states") and a count whose clause
    has a pronoun for its subject after naming that possessor ("With the union it becomes
    a group of 21 members"): the pronoun's count, another body's, in any news text."""
    qa, qb = owned.figure.quantity, other.figure.quantity
    if qa is None or qb is None:
        return False
    possessor = _POSSESSOR.search(owned.sentence.claim.text[: qa.start])
    if possessor is None:
        return False
    before = other.sentence.claim.text[: qb.start]
    before = re.split(r"[;:]|\.\s", before)[-1]
    pronoun = _PRONOUN_CLAUSE.search(before)
    if pronoun is None or _POSSESSOR.search(before):
        return False
    named = re.findall(r"[a-z][\w-]*", before[: pronoun.start()].lower())
    return possessor[1].lower() in named


# A share of people, told by what they did: "91 per cent backed a strike", "96% have
# authorised a strike", "62% of members voted for it".
_PEOPLE_SHARE_AFTER = re.compile(
    r"^\s+(?:of\s+(?:the\s+)?[a-z]+\s+(?:who\s+)?)?(?:have\s+|had\s+)?"
    r"(?:[a-z]+ed|said|say|says|want|wanted|back|backs|support|supports|oppose|opposes)\b",
    re.IGNORECASE,
)


# Nouns of a change: "pay rises of 25%", "a 25 per cent general wage increase".
_CHANGE_NOUN_BEFORE = re.compile(
    r"\b(?:rises?|increases?|raises?|hikes?|cuts?|gains?|falls?|drops?|declines?|jumps?)\s+"
    r"(?:of\s+)?(?:about\s+|around\s+|nearly\s+|some\s+)?$",
    re.IGNORECASE,
)
_CHANGE_NOUN_AFTER = re.compile(
    r"^\s+(?:[a-z]+\s+){0,2}?(?:rises?|increases?|raises?|hikes?|cuts?|gains?|drops?|declines?)\b",
    re.IGNORECASE,
)


def _a_change(item: _Item) -> bool:
    """A figure of a change: said with its direction ("raised pay by 25%") or with a noun
    of change ("pay rises of 25%", "a 25 per cent wage increase")."""
    quantity = item.figure.quantity
    if quantity is None:
        return False
    text = item.sentence.claim.text
    return bool(
        quantity.direction
        or _CHANGE_NOUN_BEFORE.search(text[: quantity.start])
        or _CHANGE_NOUN_AFTER.match(text[quantity.end :])
    )


def _share_of_people(item: _Item) -> bool:
    quantity = item.figure.quantity
    return (
        quantity is not None
        and quantity.unit == "%"
        and bool(_PEOPLE_SHARE_AFTER.match(item.sentence.claim.text[quantity.end :]))
    )


_OWNER_BEFORE = re.compile(r"(?:['’]s|\b(?:their|its|his|her|our|whose))\s+$", re.IGNORECASE)


def _owned(item: _Item) -> bool:
    """Whether a place in a series says whose series it is: "the bank's 11th increase"."""
    quantity = item.figure.quantity
    return quantity is not None and bool(
        _OWNER_BEFORE.search(item.sentence.claim.text[: quantity.start])
    )


# Words that make a sentence's vote or bill another one than the story's: "in a separate
# vote", "a second bill", "MPs also backed".
_OTHER_MOTION = re.compile(
    r"\b(?:separate|second|another|other|further)\s+(?:\w+\s+)?"
    r"(?:vote|votes|ballot|bill|motion|measure|law|text|resolution)\b"
    r"|\balso\s+(?:\w+\s+)?(?:backed|approved|passed|adopted|voted|rejected)\b",
    re.IGNORECASE,
)


# Words that name which measure of a company's or an economy's result a figure is: in any
# business news "net profit", "operating profit" and "pre-tax profit" are three figures.
_MEASURE_WORD = re.compile(
    r"\b(net|operating|gross|pre-?tax|core|adjusted|underlying|headline)\b", re.IGNORECASE
)


def _measure(item: _Item) -> str | None:
    """The measure word nearest before the figure, within its clause's last eight words."""
    quantity = item.figure.quantity
    if quantity is None:
        return None
    before = item.sentence.claim.text[: quantity.start]
    before = re.split(r"[;:]|,\s+(?:and|but|while)\b", before)[-1]
    found = _MEASURE_WORD.findall(" ".join(before.split()[-8:]))
    return found[-1].lower().replace("-", "") if found else None


def _differ(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def _other_motion(item: _Item) -> bool:
    """Whether the figure's sentence says, before the figure, that its vote is another
    one than the story's."""
    quantity = item.figure.quantity
    text = item.sentence.claim.text
    return bool(_OTHER_MOTION.search(text[: quantity.start] if quantity else text))


def _one_whole(qa: Quantity | None, qb: Quantity | None) -> bool:
    """Two parts of one stated whole, counted things not measures: "12 of the 19
    officials" and "ten of the 19 policymakers" (the nouns may differ)."""
    if qa is None or qb is None or qa.whole is None or qb.whole is None:
        return False
    if qa.unit in _MEASURES or qb.unit in _MEASURES or qa.against or qb.against:
        return False
    return qa.whole == qb.whole and qa.whole >= _MIN_WHOLE and qa.direction == qb.direction


_MIN_WHOLE = 5  # "two of the three": too small a whole to be one body's


def _same_date_frame(a: _Item, b: _Item) -> bool:
    """Two dates said the same way: both written with a month or a year (not worked out
    from "on Friday") and after the same word ("since April 2008", "since March 2008")."""
    da, db = a.figure.date, b.figure.date
    if da is None or db is None:
        return False
    if not (_WRITTEN.search(da.text) and _WRITTEN.search(db.text)):
        # A day worked out from "on Tuesday" or "yesterday": the same statement only when
        # the words before it are the same ("the minister resigned on Tuesday" against
        # "the minister resigned on Wednesday"; not "a second quake struck on Tuesday").
        fa, fb = a.figure.attribute, b.figure.attribute
        if da.date is None or db.date is None or da.date.precision != "day":
            return False
        if db.date.precision != "day" or len(fa) < 2 or fa != fb:
            return False
        if any(
            _ANOTHER.search(" ".join(item.sentence.claim.text[: d.start].split()[-6:]))
            for item, d in ((a, da), (b, db))
        ):
            return False
    before_a = _word_before(a.sentence.claim.text, da.start)
    before_b = _word_before(b.sentence.claim.text, db.start)
    if da.date is not None and db.date is not None and da.date.precision == "day":
        # A day something is set for is the day it takes place on: "set the hearing for
        # July 11" and "will be heard on July 18" (not "by", "since" or "until" a day).
        if db.date.precision == "day":
            before_a, before_b = _ON_DAY.get(before_a, before_a), _ON_DAY.get(before_b, before_b)
    return before_a == before_b


_ON_DAY = {"for": "on"}


# Words that make an event one of several: "a second dam burst on Tuesday".
_ANOTHER = re.compile(
    r"\b(?:second|third|fourth|another|again|also|further|new|more|latest)\b", re.IGNORECASE
)
# A date written with a month name or a year ("in January", "April 2008"), not one worked
# out from a weekday or "yesterday".
_WRITTEN = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|(?:19|20)\d\d)\b"
)


def _word_before(text: str, start: int) -> str:
    words = re.findall(r"[A-Za-z]+", text[:start])
    return words[-1].lower() if words else ""


def _single(names: frozenset[str]) -> set[str]:
    """The one-word names, stemmed: "Socialist" and "Socialists" are one."""
    return {stem(n) for n in names if " " not in n}


# Two amounts or counts this many times apart are not one figure misreported: "up to
# $10,000" a borrower and "$400 billion" in all are two things.
_APART = 20.0


_NEAR = 0.25


def _reported(quantity: Quantity) -> Quantity:
    if quantity.qualifier in {">=", "<="}:
        return replace(quantity, qualifier="=")
    return quantity


def _round(value: float) -> bool:
    """A figure written round ("more than 2,000", "at least 150"), a loose bound; "at
    least 48" is a count someone made, a report of its own."""
    return abs(value) >= 10 and abs(value) % 10 == 0


def _round_bound_holds(bound: Quantity, count: Quantity) -> bool:
    """A round lower bound of a count ("more than 2,000 dead") that the other count keeps
    (3,958 is more than 2,000): in any news text a round "more than" says only which
    side of it the figure lies, so a later, larger toll does not contradict it; a
    precise bound ("at least 27") is a count someone made, and stays a side."""
    if not _round(bound.value) or count.qualifier in {">=", "<="}:
        return False
    # Only a lower bound: "nearly 2,000" and "as many as 2,000" (read as "<=") say the
    # count is close to it, not any count below it.
    return bound.qualifier == ">=" and count.value >= bound.value


def _signed(quantity: Quantity, other: Quantity) -> Quantity:
    """The figure with the sign its direction says ("shrank 0.3%" is -0.3%), when both
    say one; with only one direction said, the sizes are compared."""
    if quantity.direction and other.direction:
        return replace(quantity, value=quantity.direction * abs(quantity.value))
    if quantity.direction or other.direction:
        return replace(quantity, value=abs(quantity.value))
    return quantity


def _conflict(a: _Item, b: _Item) -> bool:
    if a.sentence.source == b.sentence.source or not _about_same(a, b):
        return False
    if a.figure.quantity is not None and b.figure.quantity is not None:
        qa, qb = a.figure.quantity, b.figure.quantity
        qa, qb = _signed(qa, qb), _signed(qb, qa)
        if _one_whole(qa, qb):
            qb = replace(qb, unit=qa.unit)  # "12 of the 19 officials", "ten of the 19 ..."
        if qa.unit == PEOPLE:
            # A count of people is a report more than a bound: "at least 27 dead" and "39
            # dead" are two tolls an analyst wants side by side; a bound holds only near
            # its figure, a quarter ("more than 2,000" and "2,497"); "about" keeps its margin.
            near = abs(qa.value - qb.value) <= _NEAR * max(abs(qa.value), abs(qb.value))
            loose = all(_round(q.value) for q in (qa, qb) if q.qualifier in {">=", "<="})
            if (qa.agrees(qb) and near and loose) or _reported(qa).agrees(_reported(qb)):
                return False
            if _round_bound_holds(qa, qb) or _round_bound_holds(qb, qa):
                return False
        elif qa.agrees(qb):
            return False
        low, high = sorted((abs(qa.value), abs(qb.value)))
        if qa.unit not in {"%", "pp"} and low > 0 and high / low > _APART:
            return False
    elif _value(a) == _value(b):
        return False
    # A sentence that gives both values ("to 0.7% from 0.9%") is no side; nor one that
    # gives the other's value for one thing beside its own for another ("the family
    # amendment is rejected with 67.7% against, and the care amendment with 73.9%").
    return not (
        _gives(a.sentence, b)
        or _gives(b.sentence, a)
        or _gives_too(a.sentence, a, b)
        or _gives_too(b.sentence, b, a)
    )


def _gives(sentence: Sentence, item: _Item) -> bool:
    wanted = _value(item)
    for figure in sentence.claim.figures:
        probe = _Item(sentence, figure, sentence.claim.names)
        if (figure.quantity is None) == (item.figure.quantity is None) and _value(probe) == wanted:
            return True
    return False


def _gives_too(sentence: Sentence, own: _Item, item: _Item) -> bool:
    """Whether the sentence of one side also gives, in another figure of the same unit
    and the same clause's words, a value that agrees with the other side's."""
    wanted = item.figure.quantity
    if wanted is None or own.figure.quantity is None:
        return False
    for figure in sentence.claim.figures:
        quantity = figure.quantity
        if quantity is None or figure is own.figure or quantity.unit != wanted.unit:
            continue
        if quantity.agrees(wanted) and _about_same(_Item(sentence, figure, own.names), item):
            return True
    return False


def _figure_divergences(sources: list[StorySource], kind: str) -> list[Found]:
    items = _items(sources, kind)
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    conflicts = set()
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            if _conflict(a, items[j]):
                conflicts.add(i)
                conflicts.add(j)
                parent[root(i)] = root(j)
    if not conflicts:
        return []
    components: dict[int, list[int]] = defaultdict(list)
    for i in conflicts:
        components[root(i)].append(i)
    found = []
    for members in components.values():
        chosen = [items[i] for i in members]
        # Backers: the same value about the same thing, from any source.
        for k, item in enumerate(items):
            if k in conflicts:
                continue
            for member in list(chosen):
                if (
                    _value(item) == _value(member)
                    and item.sentence.key != member.sentence.key
                    and _about_same(item, member)
                ):
                    chosen.append(item)
                    break
        by_value: dict[str, list[_Item]] = defaultdict(list)
        for item in chosen:
            by_value[_value(item)].append(item)
        if len(by_value) < 2 or len(by_value) > _MAX_SIDES:
            continue
        sides = []
        for _, group in sorted(by_value.items(), key=lambda kv: _sort_key(kv[1][0])):
            sentences: dict[str, Sentence] = {}
            for item in sorted(group, key=lambda x: (x.sentence.citation, x.sentence.index)):
                sentences.setdefault(item.sentence.source, item.sentence)
            sides.append((_label(group[0]), list(sentences.values())))
        if len({s.source for _, side in sides for s in side}) < 2:
            continue
        found.append(Found(kind, _topic(chosen), sides))
    return sorted(found, key=lambda f: min(s.citation for _, side in f.sides for s in side))


def _sort_key(item: _Item) -> tuple[float, str]:
    if item.figure.quantity is not None:
        return item.figure.quantity.value, ""
    return 0.0, _value(item)


def _label(item: _Item) -> str:
    if item.figure.quantity is None:
        mention = item.figure.date
        return f"{mention.date.iso()} ({mention.text})"  # type: ignore[union-attr]
    q = item.figure.quantity
    value = f"{q.value:,.10g}"
    qualifier = {">=": "at least ", "<=": "up to ", "~": "about "}.get(q.qualifier, "")
    if q.direction:
        qualifier = ("down " if q.direction < 0 else "up ") + qualifier
    if q.unit == "%":
        return f"{qualifier}{value}%"
    if q.unit == "pp":
        return f"{qualifier}{value} percentage points"
    if q.unit in _CURRENCY_NAMES:
        return f"{qualifier}{_money(q.value)} {_CURRENCY_NAMES[q.unit]}"
    if q.unit == "h":
        return f"{qualifier}{_length(q.value)}"
    if q.unit in _MEASURES:
        return f"{qualifier}{value} {q.unit}"
    if q.unit == "magnitude":
        return f"magnitude {value}"
    if q.unit.startswith("#"):
        return q.text  # "11th rate increase", "twelfth increase"
    if q.unit == _VOTES and q.other is not None:
        return f"{value}-{q.other:,.10g} vote"  # "a 5-4 vote", "voted five to four"
    if q.unit == _VOTES and q.tally and abs(q.value) < 1e6:
        return f"{qualifier}{value} votes"  # "by 305 to 190", "199 voted against"
    if abs(q.value) >= 1e6:
        return f"{qualifier}{_money(q.value)} {_noun(item)}"  # "1.12 million people"
    return f"{qualifier}{value} {_noun(item)}"


def _length(hours: float) -> str:
    """A length in the largest unit it is a whole number of: "8 years", "96 hours"."""
    for size, word in ((8760.0, "years"), (730.0, "months")):
        if hours >= size and abs(hours / size - round(hours / size)) < 1e-9:
            return f"{hours / size:,.10g} {word}"
    return f"{hours:,.10g} hours"


def _noun(item: _Item) -> str:
    """The counted noun as the sentence writes it ("seats"), else its stem."""
    q = item.figure.quantity
    assert q is not None
    for word in re.findall(r"[A-Za-z][\w-]*", item.sentence.claim.text[q.end :])[:4]:
        if unit_of_word(word) == q.unit:
            return word.lower()
    if q.unit == PEOPLE:
        return "people"
    # "on 23", "to 38": the unit of the figure before, as the sentence writes it.
    for word in re.findall(r"[A-Za-z][\w-]*", item.sentence.claim.text):
        if unit_of_word(word) == q.unit:
            return word.lower()
    return q.unit


def _money(value: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.10g} {word}"
    return f"{value:,.10g}"


_PEOPLE_TOPICS = {
    "dead": "people killed",
    "injured": "people injured",
    "missing": "people missing",
    "evacuated": "people evacuated",
    "protest": "people protesting",
    "arrested": "people arrested",
}


def _topic(items: list[_Item]) -> str:
    """What the question is about: the content word its sentences share most, with the
    unit (``seat``, ``turnout %``)."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for term in item.figure.attribute:
            counts[term] += 1
    first = items[0].figure
    unit = first.quantity.unit if first.quantity is not None else "date"
    if unit == "magnitude":
        return "magnitude"
    if unit.startswith("#"):
        return _surface(unit[1:], [i.sentence.text for i in items]) + " (count)"
    if unit == "h":
        return "length"
    if unit == PEOPLE and first.kind:
        where = f" in {_place_surface(first.place, items)}" if first.place else ""
        return _PEOPLE_TOPICS.get(first.kind, "people") + where
    if unit not in _MEASURES and unit != "date":
        return _noun(items[0]) if first.quantity is not None else unit
    best = max(sorted(counts), key=lambda t: counts[t], default="")
    word = _surface(best, [i.sentence.text for i in items]) if best else ""
    suffix = {"%": "", "pp": " (percentage points)", "date": " (date)"}.get(unit, f" ({unit})")
    return f"{word}{suffix}" if word else unit


def _place_surface(place: str, items: list[_Item]) -> str:
    """A place key as a sentence writes it ("paris" -> "Paris")."""
    for item in items:
        found = re.search(re.escape(place), item.sentence.text, re.IGNORECASE)
        if found:
            return found[0]
    return place


def _surface(term: str, texts: list[str]) -> str:
    for text in texts:
        for word in re.findall(r"[A-Za-z][\w-]*", text):
            if stem(word) == term:
                return word.lower()
    return term


def _outcome_divergences(sources: list[StorySource]) -> list[Found]:
    """Conflicting outcomes about one thing: first those tied by a figure ("a 50 billion
    euro package" approved and vetoed), then one about the story's subject, the word
    found around outcome phrases in most sources ("office" in "will open its first Asian
    office" and "no liaison office for the time being")."""
    claims = [s for source in sources for s in source.sentences if s.outcome is not None]
    objects = {s.key: _object(s) for s in claims}
    figures = {s.key: {(q.value, q.unit) for q in s.quantities} for s in claims}
    found = []
    done: set[tuple[str, int]] = set()
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.key in done or b.key in done or a.source == b.source:
                continue
            about = figures[a.key] & figures[b.key]
            if not about or not _strong_conflict(a.outcome or "", b.outcome or ""):
                continue
            related = [s for s in claims if s.key not in done and about & figures[s.key]]
            done.update(s.key for s in related)
            found.append(Found("outcome", _outcome_topic(related), _outcome_sides(related)))
    rest = [s for s in claims if s.key not in done]
    spread: dict[str, set[str]] = defaultdict(set)
    for s in rest:
        for term in objects[s.key]:
            spread[term].add(s.source)
    subjects = []
    for term, ids in spread.items():
        if len(ids) < 2:
            continue
        on_topic = [s for s in rest if term in objects[s.key]]
        if any(
            a.source != b.source and _strong_conflict(a.outcome or "", b.outcome or "")
            for a in on_topic
            for b in on_topic
        ):
            subjects.append((len(ids), -len(on_topic), term, on_topic))
    if subjects:
        _, _, term, on_topic = max(subjects, key=lambda s: (s[0], s[1], s[2]))
        word = _surface_word(term, [s.text for s in on_topic])
        # The contradicting claims, and the other outcome claims (talks, opposition) of
        # the same actors: carmakers' own "plans" are no side of the EU's vote.
        core = [
            a
            for a in on_topic
            if any(
                a.source != b.source and _strong_conflict(a.outcome or "", b.outcome or "")
                for b in on_topic
            )
        ]
        actors = {n for a in core for n in _single(a.claim.names)}
        sides = [a for a in on_topic if a in core or _single(a.claim.names) & actors]
        found.append(Found("outcome", word, _outcome_sides(sides)))
    return found


def _outcome_sides(claims: list[Sentence]) -> list[tuple[str, list[Sentence]]]:
    side_of: dict[str, dict[str, Sentence]] = defaultdict(dict)
    for s in sorted(claims, key=lambda s: (s.citation, s.index)):
        side_of[s.outcome or ""].setdefault(s.source, s)
    return [
        (_OUTCOME_LABELS[key], list(side_of[key].values()))
        for key in _OUTCOME_ORDER
        if side_of.get(key)
    ]


def _outcome_topic(claims: list[Sentence]) -> str:
    """The thing the figure counts, as a source writes it ("package")."""
    shared = set.intersection(*(set(content_terms(s.text)) for s in claims))
    for word in re.findall(r"[a-z][\w-]+", claims[0].text):
        key = stem(word)
        if key in shared and key not in _OUTCOME_WORDS | _AMOUNT_WORDS and len(word) > 3:
            return word
    return "outcome"


def _surface_word(term: str, texts: list[str]) -> str:
    for text in texts:
        for word in re.findall(r"[A-Za-z][\w-]*", text):
            if stem(word) == term:
                return word.lower()
    return term


def _strong_conflict(a: str, b: str) -> bool:
    """Outcomes that contradict even when worded loosely: done against deferred or
    blocked. "Agreed" against "talks" is left out here: "agreed to open accession talks"
    uses "talks" as the thing agreed, and sides still show any talks claims."""
    return conflicting(a, b) and "in_talks" not in (a, b)


def _object(sentence: Sentence) -> set[str]:
    """The content words around the outcome phrase: what the outcome is about."""
    found = outcome_of(sentence.text)
    if found is None:
        return set()
    match = found[1]
    text = sentence.text
    before_text, after_text = _outcome_clause(text, match.start(), match.end())
    before = content_terms(before_text)[-6:]
    after = content_terms(after_text)[:8]
    if not _PASSIVE.search(text[: match.start()] + match[0]):
        # Before an active verb the names are who acted ("Leaders of the Union agreed"),
        # not what the outcome is about ("Talk of a Union currency was dropped").
        before = [w for w in before if w not in _single(sentence.claim.names)]
    return set(before + after) - set(content_terms(match[0])) - _OUTCOME_WORDS


# Where the clause of an outcome phrase ends: what lies beyond is another act ("accepted
# the resignation on Thursday, as the opposition pushed ahead with ...").
_CLAUSE_EDGE = re.compile(
    r"[;:]|,\s+(?:and|but|while|whereas|as|when|after|before|though|although)\b|\.\s|\s[-–—]\s"
)
# A passive outcome phrase: what stands before it is the thing the outcome befell.
_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|be|been|being|get|got)\s+(?:\w+ly\s+)?[a-z]+(?:ed|en|wn|ck|ut)\b"
    r"(?:\s+(?:from|of|in|out|off|down))?$",
    re.IGNORECASE,
)
# A phrase that ends in its preposition ("removed from", "included in", "struck from")
# names the container next ("the summit agenda", "the final text"), not the thing.
_CONTAINER_AFTER = re.compile(
    r"^\s*(?:[\w'’-]+\s+){0,5}?(?=(?:before|after|when|to|that|which|and|but|as|because|"
    r"while|until|at|on)\b|[,;:.]|$)",
    re.IGNORECASE,
)


def _outcome_clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of an outcome phrase's own clause before and after it; after a phrase
    that ends in its preposition, without the container it names."""
    before = text[:start]
    edges = list(_CLAUSE_EDGE.finditer(before))
    if edges:
        before = before[edges[-1].end() :]
    after = text[end:]
    edge = _CLAUSE_EDGE.search(after)
    if edge:
        after = after[: edge.start()]
    if re.search(r"\b(?:from|of|in)$", text[start:end], re.IGNORECASE):
        container = _CONTAINER_AFTER.match(after)
        if container:
            after = after[container.end() :]
    return before, after


# ------------------------------------------------------------------ who and where

# Verbs whose subject or place is one only: two sources that say "X was elected leader"
# and "Y was elected leader" disagree, as do "held in Geneva" and "held in Vienna".
_ONE_ONLY = frozenset(
    "elect appoint nam chos choos select nominat resign quit succeed replac sack fir dismiss "
    "charg arrest host held hold crown beat defeat won win sworn".split()
)
_SAID = re.compile(r"^[\s,]*(?:[a-z]+\s+)?(?:said|says|told|tells|announced|reported)\b")
_ACCORDING = re.compile(r"\baccording\s+to\s*(?:the\s+)?$", re.IGNORECASE)
# Share of the shorter sentence's content words the other has: one statement.
_SAME_STATEMENT = 0.6


def _name_divergences(sources: list[StorySource]) -> list[Found]:
    """The same statement with a different name in it, where neither source names the
    other's anywhere: "Maria Lopez was elected party leader" against "Carlos Ruiz was
    elected party leader", "the summit will be held in Geneva" against "... in Vienna".
    Only for verbs whose slot holds one name (elected, appointed, resigned, held in, won,
    beat); names of who said it are left out ("police said")."""
    mentioned = {source.id: _source_tokens(source) for source in sources}
    # Only sentences with a one-holder verb can be sides: the pairs stay few.
    candidates = {
        source.id: [s for s in source.sentences if _ONE_ONLY & set(s.claim.terms)]
        for source in sources
    }
    found = []
    seen: set[frozenset[str]] = set()
    for i, first in enumerate(sources):
        for second in sources[i + 1 :]:
            for a in candidates[first.id]:
                for b in candidates[second.id]:
                    pair = _name_pair(a, b, mentioned[first.id], mentioned[second.id])
                    if pair is None:
                        continue
                    (name_a, name_b), topic = pair
                    key = frozenset({name_a, name_b})
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(Found("name", topic, [(name_a, [a]), (name_b, [b])]))
    return found + _holder_divergences(sources, seen) + _office_divergences(sources, seen)


def _holder_divergences(sources: list[StorySource], seen: set[frozenset[str]]) -> list[Found]:
    """Two sources that give the same title to different people, neither naming the
    other's anywhere: "Governor Stefan Ingves said" against "Governor Erik Thedeen"."""
    roles = {
        source.id: [
            (role, name, s)
            for s in source.sentences
            for role, people in holders(s.claim.text).items()
            for name in people.values()
        ]
        for source in sources
    }
    words = {
        source.id: {w.lower() for s in source.sentences for w in re.findall(r"\w+", s.text)}
        for source in sources
    }
    found = []
    for i, first in enumerate(sources):
        for second in sources[i + 1 :]:
            for role, name_a, a in roles[first.id]:
                for other_role, name_b, b in roles[second.id]:
                    surname_a, surname_b = name_a.split()[-1].lower(), name_b.split()[-1].lower()
                    if other_role != role or surname_a == surname_b:
                        continue
                    if surname_a in words[second.id] or surname_b in words[first.id]:
                        continue
                    if _other_countries(a.text, name_a, b.text, name_b):
                        continue  # "China was represented by Foreign Minister ...", "Russia ..."
                    key = frozenset({name_a, name_b})
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(Found("name", role, [(name_a, [a]), (name_b, [b])]))
    return found


_CAPITAL = re.compile(r"\b[A-Z][\w-]+")
_COUNTRIES = frozenset(COUNTRY_OF.values())
_HOLDER_CLAUSE = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|after|as)\b|\.\s")


def _countries_of(text: str, name: str) -> set[str]:
    """The countries the clause of a title's holder names ("China was represented by
    Foreign Minister Wang Yi", "Russia's Foreign Minister ..."): whose office it is."""
    at = text.find(name)
    if at < 0:
        return set()
    edges = [m for m in _HOLDER_CLAUSE.finditer(text)]
    start = max((m.end() for m in edges if m.end() <= at), default=0)
    end = at + len(name)  # not what the holder said after ("... said links with France")
    found = set()
    for word in re.findall(r"[A-Z][a-z]+", text[start:end]):
        word = word.lower()
        country = COUNTRY_OF.get(word, word)
        if country in _COUNTRIES:
            found.add(country)
    return found


def _other_countries(text_a: str, name_a: str, text_b: str, name_b: str) -> bool:
    """Two holders of one title in clauses that name different countries: two offices."""
    countries_a, countries_b = _countries_of(text_a, name_a), _countries_of(text_b, name_b)
    return bool(countries_a and countries_b and not countries_a & countries_b)


def _owner(source: StorySource, index: int, names: frozenset[str] | set[str]) -> str:
    """Whose an office named bare is ("Chief executive Ana Ruiz said" after "Acme said
    it had..."): the first name of the sentence before, in lower case, else ""."""
    if index == 0:
        return ""
    previous = source.sentences[index - 1]
    for word in _CAPITAL.findall(previous.text):
        if word.lower() in ENGLISH_STOPWORDS:
            continue
        return word.lower() if word.lower() in previous.claim.names else ""
    return ""


def _office_divergences(sources: list[StorySource], seen: set[frozenset[str]]) -> list[Found]:
    """Two sources that name different people as the holder of one office, in the words
    news uses in lower case too: "energy minister Sara Lind" against "Energy minister
    Omar Berg", "Acme chief executive Ana Ruiz" against "Chief executive Tom Hale" right
    after "Acme said ...". The office and its qualifier ("energy", "Acme") must be the
    same, no country may differ ("Spain's" against "Portugal's"), a country on one side
    only must be named by the other source too, and neither source may name the other's
    person anywhere (then both are right about different offices or times); a former,
    acting or deputy holder is no holder."""
    texts = {source.id: " ".join(s.text for s in source.sentences) for source in sources}
    words = {
        source.id: {w.lower() for w in re.findall(r"\w+", texts[source.id])} for source in sources
    }
    offices = {}
    for source in sources:
        entries = []
        for index, sentence in enumerate(source.sentences):
            text = without_dateline(sentence.text)
            for place, qualifier, office, name in office_holders(text) + _appositive_holders(text):
                owner = qualifier.lower()
                if not owner:
                    owner = place.lower() or _owner(source, index, sentence.claim.names)
                entries.append((place.lower(), owner, office, name, sentence))
        offices[source.id] = entries
    found = []
    for i, first in enumerate(sources):
        for second in sources[i + 1 :]:
            for place_a, owner_a, office_a, name_a, a in offices[first.id]:
                for place_b, owner_b, office_b, name_b, b in offices[second.id]:
                    if office_a != office_b or not owner_a or owner_a != owner_b:
                        continue
                    if place_a and place_b and place_a != place_b:
                        continue
                    if not (
                        _named_in(place_a, words[second.id]) and _named_in(place_b, words[first.id])
                    ):
                        continue
                    # "Yoon Suk-yeol" and "Yoon Suk Yeol": one person, spelt two ways.
                    parts_a = {w for w in re.findall(r"\w+", name_a.lower()) if len(w) > 2}
                    parts_b = {w for w in re.findall(r"\w+", name_b.lower()) if len(w) > 2}
                    if parts_a & (words[second.id] | parts_b) or parts_b & words[first.id]:
                        continue
                    if _other_countries(a.text, name_a, b.text, name_b):
                        continue  # "China was represented by ...", "Russia was ...": two offices
                    key = frozenset({name_a, name_b})
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(Found("name", office_a, [(name_a, [a]), (name_b, [b])]))
    return found


def _source_tokens(source: StorySource) -> set[str]:
    return {n for sentence in source.sentences for n in sentence.claim.names}


def _actors(sentence: Sentence) -> list[str]:
    """The names a sentence gives, without those of who said it."""
    text = sentence.claim.text
    lower = text.lower()
    names = []
    for name in sentence.claim.ordered_names:
        at = lower.find(name)
        if at >= 0:
            end = at + len(name)
            if _SAID.match(lower[end:]) or _ACCORDING.search(lower[:at]):
                continue
        names.append(name)
    return names


def _name_pair(
    a: Sentence, b: Sentence, tokens_a: set[str], tokens_b: set[str]
) -> tuple[tuple[str, str], str] | None:
    # What a figure counts is a number's question ("won 72 seats"), not who did it.
    units = {q.unit for q in [*a.quantities, *b.quantities]}
    terms_a, terms_b = set(a.claim.terms) - units, set(b.claim.terms) - units
    if not terms_a or not terms_b:
        return None
    shared = terms_a & terms_b
    verbs = shared & _ONE_ONLY
    if not verbs or len(shared) < 2:
        return None
    if len(shared) / min(len(terms_a), len(terms_b)) < _SAME_STATEMENT:
        return None
    if a.outcome != b.outcome:
        return None
    only_a = [n for n in _actors(a) if not _known_to(n, tokens_b)]
    only_b = [n for n in _actors(b) if not _known_to(n, tokens_a)]
    if len(only_a) != 1 or len(only_b) != 1:
        return None
    words = sorted(shared - _ONE_ONLY) or sorted(verbs)
    topic = "who or where: " + " ".join(
        _surface_word(w, [a.text, b.text]) for w in [*sorted(verbs), *words][:3]
    )
    return (_name_surface(only_a[0], a.text), _name_surface(only_b[0], b.text)), topic


def _known_to(name: str, tokens: set[str]) -> bool:
    """The other source names it, or one of its words (a surname alone)."""
    return name in tokens or any(part in tokens for part in name.split() if len(part) > 2)


def _name_surface(name: str, text: str) -> str:
    found = re.search(re.escape(name), text, re.IGNORECASE)
    return found[0] if found else name


# ------------------------------------------------------------------ the day of an event

# A weekday as written ("on Tuesday", "Tuesday night"), and a day of a month ("July 11",
# "11 July"): the words two sources use for the day of one event, with or without the
# article's date.
_WEEKDAY_WORD = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# Where the clause a day belongs to ends: a day after "with" or in an "-ing" clause
# ("filed a motion, with a vote on Friday"; "fell 26%, ... after the chipmaker announced
# ...") is another act's than the main verb's.
_DAY_CLAUSE_BREAK = re.compile(
    r"[;:()\"“”]|\s[-–—]\s|,\s+(?=(?:and|but|while|whereas|which|who|where|with|after|before|"
    r"as|when|because|since|until|[a-z]+ing)\b)|\s(?=(?:after|before|when|because|since|that|"
    r"while|until)\s)"
)
# Words of the time of day and of saying: no part of what happened.
_DAY_TIME_WORDS = frozenset(
    content_terms("late early night evening morning afternoon overnight today tonight yesterday")
)
_DAY_SAID = re.compile(
    r"\b(?:said|says|told|tells|announced|reported|confirmed)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
_DAY_OTHER_PERIOD = re.compile(r"\b(?:last|next|this|every|each|since|until|from|by)\s+$", re.I)
_MIN_EVENT_WORDS = 2  # content words two clauses share to tell one event
_DAY_WINDOW = 10  # words of the clause on each side of the day
# Verbs (stems) that tell one act in news copy: "was chosen" and "was elected" pope,
# "dismissed" and "fired" a minister.
_SAME_ACT = {
    "chosen": "elect",
    "choos": "elect",
    "chos": "elect",
    "select": "elect",
    "fir": "dismiss",
    "sack": "dismiss",
    "oust": "dismiss",
}
# The noun of a scheduled event the day is of: "with a vote on Friday", "the impeachment
# vote is due on Saturday", "a vote of confidence in parliament on June 10", "the vote
# would take place on June 11".
_DAY_NOUN = re.compile(
    r"\b(?:[Aa]|[Aa]n|[Tt]he)\s+(?:[a-z-]+\s+)?([a-z]{4,})(?:\s+of\s+[a-z]+)?(?:\s+in\s+[a-z]+)?\s+"
    r"(?:(?:is|was|will\s+be|would\s+be)\s+)?(?:(?:due|expected|set|scheduled|planned|held)\s+)?"
    r"(?:(?:(?:will|would|to)\s+take|took)\s+place\s+)?(?:(?:on|for)\s+)?$"
)
# Outcomes that say an act did not happen (yet): their day is not the act's.
_UNDONE = frozenset({"deferred", "blocked", "opposed", "denied", "in_talks"})


@dataclass(frozen=True)
class _Day:
    source: str
    sentence: Sentence
    mention: DateMention
    key: str  # "weekday" or "day of month"
    value: str  # "tuesday", "07-11"
    terms: frozenset[str]  # the clause's content words (stems), time words left out
    names: frozenset[str]  # the clause's names (or the one a leading pronoun stands for)
    tense: str | None  # the clause's tense: "past", "future", "plan" or None
    noun: str | None = None  # the event noun the day is of: "vot" in "a vote on Friday"


def _days(sources: list[StorySource]) -> list[_Day]:
    """Every day of an event a source writes: a weekday or a day of a month, in a clause
    of its own words (not one said to be another or the day someone spoke)."""
    found = []
    for source in sources:
        for sentence in source.sentences:
            text = sentence.claim.text
            for mention in sentence.claim.dates:
                weekday = _WEEKDAY_WORD.search(mention.text)
                if weekday is not None:
                    key, value = "weekday", weekday[1].lower()
                elif mention.day is not None and mention.month is not None:
                    key, value = "day of month", f"{mention.month:02d}-{mention.day:02d}"
                elif mention.date is not None and mention.date.precision == "day":
                    if not _WRITTEN.search(mention.text):
                        continue  # "yesterday", "today": no day written
                    key, value = "day of month", f"{mention.date.month:02d}-{mention.date.day:02d}"
                else:
                    continue
                before = text[: mention.start]
                if mention.text.lower().startswith(("last", "next", "this")):
                    continue  # "last Tuesday": a day counted from another
                if _DAY_SAID.search(before) or _DAY_OTHER_PERIOD.search(before):
                    continue  # "said on Thursday": the day of the saying; "until Friday"
                if _ANOTHER.search(" ".join(before.split()[-6:])):
                    continue  # "a second quake struck on Tuesday"
                clause = _day_clause(text, mention)
                terms = frozenset(_words(frozenset(content_terms(clause))))
                terms = frozenset(_SAME_ACT.get(t, t) for t in terms)
                terms -= _DAY_TIME_WORDS
                # Who acted: the names of the whole clause (its subject may be far before).
                whole = _day_clause(text, mention, len(text))
                names = frozenset(
                    w.lower() for w in _CAPITAL.findall(whole) if w.lower() in sentence.claim.names
                )
                if not names and re.match(r"\W*(?:It|He|She|They)\b", clause):
                    lead = sentence.claim.lead_name
                    names = frozenset(lead.split()) if lead else names
                tense = clause_tense(text, mention.start, mention.end)
                noun = _DAY_NOUN.search(before)
                event = stem(noun[1]) if noun and stem(noun[1]) in terms else None
                found.append(
                    _Day(source.id, sentence, mention, key, value, terms, names, tense, event)
                )
    return found


def _day_clause(text: str, mention: DateMention, window: int = 0) -> str:
    """The words of the clause a day is written in, the day left out: the ``window``
    words on each side of it (``_DAY_WINDOW`` by default)."""
    window = window or _DAY_WINDOW
    start, end = _clause_span(text, mention)
    # The words nearest the day: a long clause's far end tells more than one act ("found
    # the bodies of two road workers killed in the collapse of the bridge").
    before = text[start : mention.start].split()[-window:]
    after = text[mention.end : end].split()[:window]
    return " ".join(before + ["|"] + after)


def _clause_span(text: str, mention: DateMention) -> tuple[int, int]:
    start = max((m.end() for m in _DAY_CLAUSE_BREAK.finditer(text, 0, mention.start)), default=0)
    ends = [m.start() for m in _DAY_CLAUSE_BREAK.finditer(text, mention.end)]
    return start, min(ends, default=len(text))


def _own_tense(text: str, mention: DateMention) -> str | None:
    """The tense of the day's own clause alone: "with a vote on Friday" has none, though
    its sentence ("Parties have filed a motion, with a vote on Friday") is past."""
    start, end = _clause_span(text, mention)
    return clause_tense(text[start:end], mention.start - start, mention.end - start)


def _same_event(a: _Day, b: _Day) -> int:
    """How much two days' clauses share when they tell one event (0 when they do not):
    two content words, or one and a name where that word is half the shorter clause's
    ("Merchan scheduled sentencing for July 15", "Merchan set sentencing for July 11"),
    and no different names on both sides ("the
    WHO declared an emergency" is not "the Africa CDC declared an emergency")."""
    if a.key != b.key:
        return 0
    if a.noun and a.noun == b.noun and not (a.names and b.names and not a.names & b.names):
        # "a vote on Friday", "the vote is due on Saturday": one event's noun, in one
        # tense where each clause alone says one.
        tenses = (
            _own_tense(a.sentence.claim.text, a.mention),
            _own_tense(b.sentence.claim.text, b.mention),
        )
        return 0 if None not in tenses and tenses[0] != tenses[1] else 1
    if a.tense and b.tense and a.tense != b.tense:
        return 0  # "reached the coast on Thursday" is not "is expected to reach ... on Friday"
    outcomes = {a.sentence.outcome, b.sentence.outcome}
    if len(outcomes) > 1 and outcomes & _UNDONE:
        return 0  # "agreed a deal on Sunday" is not "postponed on Thursday without a deal"
    names = _single(a.names) & _single(b.names)
    if a.names and b.names and not names:
        return 0
    terms = len(a.terms & b.terms)
    if terms == 1 and 2 * terms < min(len(a.terms), len(b.terms)):
        return 0  # one word in common among many: "power" in "woke up with power back"
    shared = terms + (1 if names else 0)
    return shared if terms and shared >= _MIN_EVENT_WORDS else 0


def _event_day_divergences(sources: list[StorySource], found: list[Found]) -> list[Found]:
    """The day of one event given differently by two sources: "Scholz dismissed his
    finance minister on Tuesday night" against "Scholz fired his finance minister ... on
    Wednesday evening", "scheduled sentencing for July 15" against "set sentencing for
    July 11", in an undated article too (its weekday is compared as written). The two
    clauses must share two content words (or one and a name), name no different actors,
    be in one tense and give no different outcomes, and each must be the other's
    closest clause in its source (the WHO's emergency of Wednesday is not the
    Africa CDC's of Tuesday when the source tells both)."""
    days = _days(sources)
    shown = {
        frozenset((s.key for _, side in f.sides for s in side)) for f in found if f.kind == "date"
    }

    # Every cross-source pair scored once; each day's best score in each other source.
    scores: dict[tuple[int, int], int] = {}
    best: dict[tuple[int, str], int] = defaultdict(int)
    for i, a in enumerate(days):
        for j in range(i + 1, len(days)):
            b = days[j]
            if a.source == b.source:
                continue
            score = scores[i, j] = _same_event(a, b)
            best[i, b.source] = max(best[i, b.source], score)
            best[j, a.source] = max(best[j, a.source], score)

    parent = list(range(len(days)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    linked: set[int] = set()
    for i, a in enumerate(days):
        for j in range(i + 1, len(days)):
            b = days[j]
            if a.source == b.source or a.value == b.value:
                continue
            score = scores[i, j]
            if not score or score < best[i, b.source] or score < best[j, a.source]:
                continue
            if _over_midnight(a, b) or _over_midnight(b, a):
                continue
            if any({a.sentence.key, b.sentence.key} <= keys for keys in shown):
                continue  # already a date divergence
            linked.update((i, j))
            parent[root(i)] = root(j)
    components: dict[int, list[int]] = defaultdict(list)
    for i in linked:
        components[root(i)].append(i)
    result = []
    for members in components.values():
        chosen = [days[i] for i in members]
        by_value: dict[str, dict[str, Sentence]] = defaultdict(dict)
        labels: dict[str, str] = {}
        for day in sorted(chosen, key=lambda d: (d.sentence.citation, d.sentence.index)):
            by_value[day.value].setdefault(day.source, day.sentence)
            labels.setdefault(day.value, _day_label(day))
        if len(by_value) < 2 or len(by_value) > _MAX_SIDES:
            continue
        sides = [(labels[v], list(by_value[v].values())) for v in sorted(by_value)]
        shared = set.intersection(*(set(d.terms) for d in chosen))
        words = [_surface(t, [d.sentence.text for d in chosen]) for t in sorted(shared)][:3]
        topic = ("day of: " + " ".join(words)) if words else "day of the event"
        result.append(Found("date", topic, sides))
    return result


_LATE = re.compile(r"\b(?:late|night|evening|tonight)\b", re.IGNORECASE)
_EARLY = re.compile(r"\b(?:early|midnight|dawn|small\s+hours)\b", re.IGNORECASE)
_WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _over_midnight(first: _Day, then: _Day) -> bool:
    """Late on one day and early on the next ("late on Tuesday night" and "shortly after
    midnight on Wednesday"): both may be right about one moment, so no conflict."""
    if first.key != "weekday" or then.key != "weekday":
        return False
    if (_WEEK.index(first.value) + 1) % 7 != _WEEK.index(then.value):
        return False
    return _edge(first, _LATE) and _edge(then, _EARLY)


def _edge(day: _Day, pattern: re.Pattern[str]) -> bool:
    text = day.sentence.claim.text
    near = text[: day.mention.start].split()[-4:] + text[day.mention.end :].split()[:2]
    return bool(pattern.search(" ".join(near)))


def _day_label(day: _Day) -> str:
    mention = day.mention
    if mention.date is not None and mention.date.precision == "day":
        return f"{mention.date.iso()} ({mention.text})"
    return mention.text


# ------------------------------------------------------------- whose count it is


def _same_place(a: _Item, b: _Item) -> bool:
    """Two counts of people for one place: the same place (a count fronted "Across the
    state," is the whole state's), or one said only by the other clause's subject ("In
    Congo alone there have been 548 deaths" and "Congo has recorded 537 deaths": the
    place of a count is also its clause's subject)."""
    pa, pb = a.figure.place or _whole_area(a), b.figure.place or _whole_area(b)
    if pa == pb:
        return True
    if pa and pb:
        return False
    place, other = (pa, b) if pa else (pb, a)
    assert place is not None
    # The other clause's subject must be that place alone: "killed in Turkey and Syria"
    # is no count for Turkey.
    subject = other.figure.subject
    keys = [n for n in subject if not any(n != o and n in o.split() for o in subject)]
    return bool(keys) and all((k == place or place in k.split()) and " and " not in k for k in keys)


# A count fronted as the whole area's: "Across the state, officials confirmed at least 16
# deaths", "Nationwide, 300 were arrested": no count of one county or city in it.
_WHOLE_AREA = re.compile(
    r"^\W*(?:(?:across|throughout|in|for)\s+the\s+(?:whole\s+|entire\s+)?"
    r"(state|country|nation|region|province|island)|(nationwide|statewide))\b",
    re.IGNORECASE,
)


def _whole_area(item: _Item) -> str | None:
    """ "the state" for a figure whose sentence opens with "Across the state," (before it)."""
    found = _WHOLE_AREA.match(item.sentence.claim.text)
    quantity = item.figure.quantity
    if found is None or quantity is None or found.end() > quantity.start:
        return None
    return "the " + (found[1] or found[2]).lower()


# A name that says a figure: "Ramaphosa said 23 countries", "officials told reporters".
_SAYS_AFTER = re.compile(
    r"^['’]?s?[\s,]*(?:\w+\s+){0,1}(?:said|says|told|tells|announced|reported|estimated)\b"
)


def _unsaid(item: _Item, names: frozenset[str]) -> frozenset[str]:
    """A figure's names without those of who said it ("Ramaphosa said 23 countries had
    applied": the count is the countries', not Ramaphosa's; "..., the operator, Acme
    Marine, said"). Only a name right before a verb of saying goes: "Ramaphosa's 23
    countries" keeps him."""
    quantity = item.figure.quantity
    if not names or quantity is None:
        return names
    lower = item.sentence.claim.text.lower()
    speakers: set[str] = set()
    for name in names:
        if " " not in name and any(name in other.split() for other in names if other != name):
            continue  # a token of a longer name: the name decides
        at = lower.rfind(name)
        if at >= 0 and _SAYS_AFTER.match(lower[at + len(name) :]):
            speakers.add(name)
    if not speakers:
        return names
    gone = speakers | {part for name in speakers for part in name.split()}
    return frozenset(n for n in names if n not in gone)


# A count given as the size of a known whole: "the 22 crew", "all 22 crew", "all the 300
# passengers" (not "the union's 55", "the first 20", "the 2,000 who fled").
_WHOLE_BEFORE = re.compile(r"(?:^|[\s,(])(?:[Tt]he|[Aa]ll|[Aa]ll\s+the|[Aa]ll\s+of\s+the)\s+$")
_WHOLE_AFTER = re.compile(r"^\s+[a-z][\w-]*(?:\s+members)?(?:\s+(?:on|aboard|of|in)\b|[\s,.]*$|,)")


def _whole_body(item: _Item) -> bool:
    """A definite count of a body, said as its size ("The 21 crew members on board were
    all accounted for", "All 22 crew on the Dali"): in any news text two such counts of
    one noun in one story are one body's size, when neither clause names another
    subject (checked by the caller). A count that does something ("the 20 countries that
    signed") or is owned ("the union's 55 states") is none."""
    quantity = item.figure.quantity
    if quantity is None or quantity.unit in _MEASURES or quantity.unit == PEOPLE:
        return False
    text = item.sentence.claim.text
    if not _WHOLE_BEFORE.search(text[: quantity.start]):
        return False
    return bool(_WHOLE_AFTER.match(text[quantity.end :]))


# ------------------------------------------------------------- an office's holder

# An office with its holder in apposition: "South Korea's defence minister, Lee Sang-min,
# resigned", "His defence minister, Kim Yong-hyun, has resigned" (the form the titles of
# ``office_holders`` do not read: the name after a comma).
_APPOSITIVE_OFFICE = re.compile(
    r"(?:\b([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)['’]s|\b(?:[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Tt]he))\s+"
    r"([a-z][\w-]*)\s+(minister|secretary|governor|chancellor|commissioner|ambassador)"
    r",\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}),"
)


# Someone named to an office: "appointed Ana Ruiz, a state secretary, as finance
# minister", "named Tom Hale to take over the finance ministry".
_NAMED_TO_OFFICE = re.compile(
    r"\b(?:named|appointed|nominated|picked|chose|tapped)\s+"
    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})(?:,\s+[^,;:]{1,160},)?\s+"
    r"(?:as\s+(?:the\s+)?(?:new\s+)?|to\s+(?:take\s+over|head|run|lead)\s+(?:the\s+)?)"
    r"([a-z][\w-]*)\s+(minist(?:er|ry)|secretary|governor|commissioner|ambassador)\b"
)


def _appositive_holders(text: str) -> list[tuple[str, str, str, str]]:
    """(place, qualifier, office, name) for each office told with its holder in
    apposition, or someone named to it; a former, acting or deputy holder is none
    ("its former finance minister, ...")."""
    found = []
    for match in _NAMED_TO_OFFICE.finditer(text):
        if not _FORMER_WORD.search(match[2]):
            office = "minister" if match[3] == "ministry" else match[3]
            found.append(("", match[2], office, match[1]))
    for match in _APPOSITIVE_OFFICE.finditer(text):
        qualifier = match[2]
        if _FORMER_WORD.search(qualifier) or qualifier in {"new", "then", "next"}:
            continue
        found.append((match[1] or "", qualifier, match[3], match[4]))
    return found


_FORMER_WORD = re.compile(r"^(?:former|ex|late|previous|outgoing|acting|deputy|interim)$")


def _named_in(place: str, words: set[str]) -> bool:
    """A place of an office the other source names too, word by word ("south korea")."""
    return all(word in words for word in re.findall(r"\w+", place.lower()))
