"""Sentences read as claims: who (names), what (content words), how much (figures with
unit and sign), when (dates), and what became of it (an outcome).

Synthesis compares sources claim by claim, not word by word: two sentences about the same
rate with different figures are a disagreement, not support, and "25 basis points" is
the same figure as "0.25 percentage points". The reading is English-only and rule-based
(synthesis runs on the English of every source); the rules are about the shapes of news
English (figures, names, dates), never about one story's words.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from pipeline.synthesis.timeline import (
    MONTHS,
    WEEKDAYS,
    DateMention,
    PartialDate,
    date_role,
    find_dates,
)
from pipeline.text import ENGLISH_STOPWORDS

_DATELINE_PREFIX = re.compile(
    r"^[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?=,))?(?:\([A-Za-z]+\))?,?\s*"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*)?"
    r"(?:\([A-Za-z]+\)\s*)?[-–—]+\s+(?=[A-Z\"“])"
)


def without_dateline(text: str) -> str:
    """ "LONDON, Aug 3 - The Bank ..." -> "The Bank ..." (only an all-capitals place)."""
    return _DATELINE_PREFIX.sub("", text, count=1)


__all__ = [
    "Aliases",
    "without_dateline",
    "known_names",
    "unit_of_word",
    "Claim",
    "Quantity",
    "referent",
    "content_terms",
    "entities",
    "quantities",
    "read_claim",
    "stem",
]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*", re.UNICODE)
GENERIC = ENGLISH_STOPWORDS | frozenset(
    """say said says told tell tells added adds according also well even still yet already
    mr ms mrs per cent percent year years month months week day days time times new
    last next first second third one two three more less than about around some least
    since until till before after during from into onto upon within against among between
    while""".split()
)


def stem(word: str) -> str:
    """A crude English stem, enough to match "seats"/"seat", "raised"/"raise"."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s") or word.endswith("s'"):
        word = word[:-2] if word.endswith("'s") else word[:-1]
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed lower-case content words: what a sentence says, without who or where."""
    found = []
    for word in _WORD.findall(text):
        if not word[:1].islower():
            continue
        if word in GENERIC or word.removesuffix("'s") in GENERIC:
            continue
        found.append(stem(word))
    return found


# --------------------------------------------------------------------------- entities

_CONNECTOR = r"(?:of|for|and|de|van|der|von|du|la|le|al|bin)"
_CAP = r"[A-Z][\w'’.&-]*"
_ENTITY = re.compile(
    r"(?<![\w'’-])" + _CAP + r"(?:(?:\s+" + _CONNECTOR + r")?\s+" + _CAP + r")*",
)
# "Name (ABC)": a name with its short form in brackets. The short form is written as a
# name (a capital first: "(PiS)", not "(paper)" or "(2005)"), and the name starts where a
# name can ("anti-Islam Party for Freedom (PVV)" glosses "Party for Freedom").
_PAREN_ALIAS = re.compile(
    r"(?<![\w'’-])(" + _CAP + r"(?:(?:\s+" + _CONNECTOR + r")?\s+" + _CAP + r")*)"
    r"\s+\(([A-Z]\w{1,9})\)"
)
_POSSESSIVE = ("'s", "’s", "'", "’")
_NOT_NAMES = frozenset(MONTHS) | frozenset(WEEKDAYS) | {"i"}


def _clean(token: str) -> str:
    token = token.replace("’", "'").rstrip(".,")
    for suffix in ("'s", "'"):
        if token.endswith(suffix):
            token = token[: -len(suffix)]
    return token


# A country's adjective is the country: "French cities" and "across France" are one
# place to grouping and alignment (English forms; a name of its own, "French Open", is a
# longer phrase and stays as it is).
COUNTRY_OF = {
    adjective: country
    for country, adjectives in (
        ("afghanistan", "afghan"),
        ("algeria", "algerian"),
        ("argentina", "argentine argentinian"),
        ("australia", "australian"),
        ("austria", "austrian"),
        ("belgium", "belgian"),
        ("brazil", "brazilian"),
        ("britain", "british"),
        ("bulgaria", "bulgarian"),
        ("canada", "canadian"),
        ("chile", "chilean"),
        ("china", "chinese"),
        ("colombia", "colombian"),
        ("croatia", "croatian"),
        ("cuba", "cuban"),
        ("czechia", "czech"),
        ("denmark", "danish"),
        ("egypt", "egyptian"),
        ("england", "english"),
        ("ethiopia", "ethiopian"),
        ("finland", "finnish"),
        ("france", "french"),
        ("germany", "german"),
        ("greece", "greek"),
        ("hungary", "hungarian"),
        ("india", "indian"),
        ("indonesia", "indonesian"),
        ("iran", "iranian"),
        ("iraq", "iraqi"),
        ("ireland", "irish"),
        ("israel", "israeli"),
        ("italy", "italian"),
        ("japan", "japanese"),
        ("jordan", "jordanian"),
        ("kenya", "kenyan"),
        ("lebanon", "lebanese"),
        ("libya", "libyan"),
        ("mexico", "mexican"),
        ("morocco", "moroccan"),
        ("netherlands", "dutch"),
        ("nigeria", "nigerian"),
        ("norway", "norwegian"),
        ("pakistan", "pakistani"),
        ("peru", "peruvian"),
        ("philippines", "filipino philippine"),
        ("poland", "polish"),
        ("portugal", "portuguese"),
        ("romania", "romanian"),
        ("russia", "russian"),
        ("scotland", "scottish"),
        ("serbia", "serbian"),
        ("spain", "spanish"),
        ("sudan", "sudanese"),
        ("sweden", "swedish"),
        ("switzerland", "swiss"),
        ("syria", "syrian"),
        ("taiwan", "taiwanese"),
        ("thailand", "thai"),
        ("tunisia", "tunisian"),
        ("turkey", "turkish"),
        ("ukraine", "ukrainian"),
        ("venezuela", "venezuelan"),
        ("vietnam", "vietnamese"),
        ("wales", "welsh"),
    )
    for adjective in adjectives.split()
}


@dataclass
class Aliases:
    """Names that are the same actor in one run: "European Central Bank" and "ECB",
    "Law and Justice (PiS)". Learnt from acronyms and from a name with its short form
    in brackets; keys are lower-case tokens or phrases."""

    to_key: dict[str, str] = field(default_factory=dict)
    # Glossed names with a possessive inside ("International Longshoremen's Association
    # (ILA)"): one name, not an owner and a thing.
    whole: set[str] = field(default_factory=set)

    def key(self, phrase: str) -> str:
        return self.to_key.get(phrase, COUNTRY_OF.get(phrase, phrase))

    @classmethod
    def learn(cls, texts: Iterable[str]) -> Aliases:
        aliases = cls()
        phrases: set[str] = set()
        short: set[str] = set()
        glossed: set[str] = set()
        for text in texts:
            for match in _PAREN_ALIAS.finditer(text):
                name, whole = _glossed(match[1].split(), match[2].lower())
                if name:
                    aliases.to_key[name] = match[2].lower()
                    glossed.add(name)
                if whole:
                    aliases.whole.add(name)
            for match in _ENTITY.finditer(text):
                words = [_clean(t) for t in match[0].split()]
                while words and words[0].lower() in ENGLISH_STOPWORDS:
                    words = words[1:]
                if not words:
                    continue
                if len(words) == 1 and words[0].isupper() and len(words[0]) >= 2:
                    short.add(words[0].lower())
                elif len(words) > 1:
                    phrases.add(" ".join(w.lower() for w in words))
        for phrase in phrases:
            initials = "".join(w[0] for w in phrase.split() if not re.fullmatch(_CONNECTOR, w))
            if initials in short and phrase not in aliases.to_key:
                aliases.to_key[phrase] = initials
                # A glossed name holding this phrase, written with its initials, is the
                # same name: "United States Maritime Alliance" and "US Maritime Alliance".
                for name in glossed:
                    if f" {phrase} " in f" {name} ":
                        written = f" {name} ".replace(f" {phrase} ", f" {initials} ").strip()
                        aliases.to_key.setdefault(written, aliases.to_key[name])
        return aliases


def _glossed(tokens: list[str], gloss: str) -> tuple[str, bool]:
    """The name a bracketed short form stands for, and whether it holds a possessive.
    Leading function words go ("The British Medical Association (BMA)"). After a
    possessive the gloss is the owned thing's ("Ireland's Data Protection Commission
    (DPC)", "Poland's Law and Justice (PiS)"), unless the initials of the whole phrase
    spell it: then the possessive is inside the name ("People's Party (PP)")."""
    while tokens and tokens[0].lower() in ENGLISH_STOPWORDS:
        tokens = tokens[1:]
    words = [_clean(t).lower() for t in tokens]
    owner = max((i + 1 for i, t in enumerate(tokens[:-1]) if t.endswith(_POSSESSIVE)), default=0)
    if not owner:
        return " ".join(words), False
    letters = "".join(w[0] for w in words if not re.fullmatch(_CONNECTOR, w))
    if letters == gloss:
        return " ".join(words), True
    return " ".join(words[owner:]), False


def known_names(texts: Iterable[str]) -> frozenset[str]:
    """Words written with a capital inside a sentence somewhere in ``texts``: the words
    that are names, so a sentence that starts with one can be told from one that starts
    with "Turnout" or "Mortgage"."""
    known = set()
    for text in texts:
        for match in re.finditer(r"(?<=[\w,;:)] )([A-Z][\w'’.&-]*)", text):
            known.add(_clean(match[1]).lower())
    return frozenset(known)


def entities(
    sentence: str, aliases: Aliases | None = None, known: frozenset[str] | None = None
) -> list[str]:
    """The names in a sentence as lower-case keys (phrases, aliases resolved), in order.

    A phrase breaks after a possessive ("Lagarde's ECB" is two names). A capitalised
    first word is a name only when it is no function word and, alone, when ``known``
    has it (it is capitalised mid-sentence somewhere). Months and weekdays are dates.
    """
    found = []
    for match in _ENTITY.finditer(sentence):
        raw = match[0].split()
        runs: list[list[str]] = [[]]
        for token in raw:
            runs[-1].append(token)
            if token.endswith(_POSSESSIVE):
                runs.append([])
        if aliases and aliases.whole:
            words = [_clean(t).lower() for t in raw]
            while words and words[0] in ENGLISH_STOPWORDS:
                words = words[1:]
            if " ".join(words) in aliases.whole:
                runs = [raw]  # a glossed name with a possessive inside is one name
        initial = match.start() == 0 or sentence[: match.start()].strip() in {'"', "“", "'"}
        for number, run in enumerate(runs):
            words = [_clean(t) for t in run]
            if words and words[0].lower() in ENGLISH_STOPWORDS:
                words = words[1:]  # "The Bank of England" after a dateline
            if number == 0 and initial and words:
                first = words[0].lower()
                alone = len(words) == 1
                if (
                    first in ENGLISH_STOPWORDS
                    or first in GENERIC
                    or (alone and known is not None and first not in known)
                ):
                    words = words[1:]
                    while words and re.fullmatch(_CONNECTOR, words[0]):
                        words = words[1:]
            words = [w for w in words if w and w.lower() not in _NOT_NAMES]
            if (
                len(words) == 1
                and _LABEL.search(words[0] + " ")
                and _NUMBER_NEXT.match(sentence[match.end() :])
            ):
                continue  # "Category 3": a label of a figure, no actor
            while words and re.fullmatch(_CONNECTOR, words[-1]):
                words = words[:-1]
            if not words or not words[0][:1].isupper():
                continue
            phrase = " ".join(w.lower() for w in words)
            found.append(aliases.key(phrase) if aliases else phrase)
    return found


def name_tokens(names: Iterable[str], aliases: Aliases | None = None) -> set[str]:
    """The single words of names, plus the names themselves: "geert wilders" gives
    "geert wilders", "geert", "wilders"; each token also by its alias key."""
    tokens: set[str] = set()
    for name in names:
        tokens.add(name)
        for part in name.split():
            if not re.fullmatch(_CONNECTOR, part):
                tokens.add(aliases.key(part) if aliases else part)
    return tokens


# -------------------------------------------------------------------------- quantities

_NUMBER_WORDS = {
    w: float(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
)
_NUMBER_WORDS.update({"ninety": 90, "hundred": 100, "dozen": 12})
_FRACTIONS = {"quarter": 0.25, "half": 0.5}
# Tens and units in words: "forty-two", "twenty one".
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_UNITS = "one two three four five six seven eight nine".split()
_COMPOUND_NUMBER = r"(?:" + "|".join(_TENS) + r")[-\s](?:" + "|".join(_UNITS) + r")"


def _number_word(raw: str) -> float | None:
    """The value of a number in words: "twelve", "forty-two", "twenty one"."""
    if raw in _NUMBER_WORDS:
        return _NUMBER_WORDS[raw]
    parts = re.split(r"[-\s]+", raw)
    if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _NUMBER_WORDS:
        return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]]
    return None


_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
_MULTIPLIERS["m"] = 1e6  # "£290m", "$4.5m": only after a currency sign
_CURRENCY = {"$": "usd", "€": "eur", "£": "gbp", "dollar": "usd", "euro": "eur", "pound": "gbp"}
_CURRENCY["yen"] = "jpy"

_QUALIFIERS = (
    (r"more than|over|above|at least|upwards of|in excess of", ">="),
    (r"up to|less than|under|below|fewer than|nearly|almost|at most|as many as", "<="),
    (r"about|around|roughly|approximately|some|an estimated|close to", "~"),
)
_QUALIFIER = re.compile(
    r"(?:"
    + "|".join(f"(?P<q{i}>\\b(?:{p}))" for i, (p, _) in enumerate(_QUALIFIERS))
    + r")\s+(?:a\s+)?$",
    re.IGNORECASE,
)

_QUANTITY = re.compile(
    r"(?<![\w.,/-])(?P<sign>[-−–]|minus\s+|negative\s+)?(?P<cur>[$€£])?\s?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + _COMPOUND_NUMBER
    + "|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r"|(?:half\s+)?an?(?=\s+(?:thousand|million|billion|trillion)\b)"
    r"|(?:a\s+)?quarter|half)"
    r"(?P<half>\s+and\s+a\s+half)?"  # "nine and a half hours", "two and a half million"
    r"(?:\s*(?P<mult>thousand|million|billion|trillion|bn|m)\b)?"
    r"(?P<tail>(?:(?:[-\s]+of)?(?:[-\s]+a)?[-\s]*(?:%|per ?cent\b|percentage[-\s]points?\b|"
    r"basis[-\s]points?\b|bps?\b|points?\b|km/h|mph|mm|cm|km|kg))?)"
    r"(?P<span>-(?:hour|day|week|month|year)(?![\w-]))?"
    r"(?![\w-])",
    re.IGNORECASE,
)
_NEXT_WORDS = re.compile(r"\s*([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?")
_TOTAL = re.compile(r"\s+of\s+(?:the\s+)?(\d[\d,]*)[-\s]+(?:[A-Z][\w-]*\s+)?([a-z][\w-]*)")
_VERB_LIKE = re.compile(r"^[a-z]{3,}(?:ed|ly)$")  # "six backed", "ten narrowly": no nouns
# Words of units and currencies: every figure of that unit has them, so they say nothing
# about what the figure is of.
_UNIT_WORDS = frozenset(
    "percent cent percentag point basi euro dollar pound yen sterling bp".split()
)
# A bare figure takes the unit of the one before only after these words: "ahead of the
# VVD on 23", "from 3.75 to 4" ("and one voted to hold" is no figure).
_CARRIES_UNIT = re.compile(
    r"\b(?:on|to|from|at|with|against|versus|vs|won|took|gained|secured|got|had|including|of)"
    r"\s*$",
    re.IGNORECASE,
)
# Nouns that count the same thing: "thirty countries" and "31 members" of an alliance;
# people by any of the words for them ("residents", "inhabitants", "the dead").
_UNIT_ALIASES = {"country": "member", "state": "member", "nation": "member", "ally": "member"}
_UNIT_ALIASES["structur"] = "build"  # "271 structures", "2,200 buildings"
PEOPLE = "peopl"
_UNIT_ALIASES.update(
    dict.fromkeys(
        "person resident inhabitant citizen civilian villager individual dead victim "
        "marcher protester protestor demonstrator".split(),
        PEOPLE,
    )
)
# A demonym in the plural counts people: "43 million Americans", "500 Britons".
_DEMONYMS = re.compile(r"[A-Z][a-z]+(?:ans|ons)")
_HOURS = {"hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.0, "year": 8760.0}
# A length written as a number of units after a word that makes it one: "sentenced to
# eight years", "for 14 months", "lasted 41 days" (not "in 17 years", "two years ago",
# "ending eight years of rule": when, or background).
_LENGTH_AFTER = re.compile(
    r"^\s+(hour|day|week|month|year)s?\b(?![-\s]+(?:old|ago|earlier|later|before|after|since|"
    r"on(?!\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)|from|"
    r"of\s+age)\b)",
    re.IGNORECASE,
)
_LENGTH_BEFORE = re.compile(
    r"\b(?:for|to|lasted|lasting|lasts|served|spent|sentence\s+of|term\s+of|ban\s+of)\s+"
    r"(?:(?:about|around|some|nearly|almost|more\s+than|at\s+least|up\s+to|over|just)\s+)?$",
    re.IGNORECASE,
)
# Units of measures and scales, which take fractions (a counted noun never does).
_SCALES = frozenset("% pp magnitude km/h mph mm cm km kg".split())
# A bare figure takes the unit of the figure before only that close: "a million people
# took to the streets ... to raise the retirement age from 62 to 64" counts no people.
_CARRY_WORDS = 15
# Units of time: a bare figure never takes one from the figure before ("followed nine
# hours later by a second of 7.6" is a magnitude).
_TIME_UNITS = frozenset("h hour minut second day week month year".split())
# A bare figure of a reading: "the first quake measured 7.7", "It measured 7.8".
_MEASURED = re.compile(
    r"\bmeasur(?:ed|ing)(?:\s+at|(?:\s+[\w'’]+){1,4}\s+at)?\s*$"
    r"|\b(?:strength|magnitude|intensity)(?:\s+[\w'’]+){0,4}\s+(?:at|as)\s*$",
    re.IGNORECASE,
)  # "measured 7.7", "measured yesterday's earthquake at 7.2", "put its strength at 7.6"
# A bare figure after a fate verb counts people: "killing nine and injuring more than 1,000".
_FATE_BEFORE = re.compile(
    r"\b(?:killing|injuring|wounding|evacuating|displacing|arresting|detaining|"
    r"killed|injured|wounded|arrested|detained|evacuated)\s+"
    r"(?:(?:at\s+least|more\s+than|some|about|nearly|over|around|almost)\s+)?$",
    re.IGNORECASE,
)
# The start of a range takes the unit of its end: "0 to 0.1%", "between 0 and 0.1%".
_RANGE_TO_PERCENT = re.compile(r"^\s*(?:to|and|-|–)\s*[-−]?\d+(?:\.\d+)?\s*(?:%|per ?cent\b)")
# A bare figure of people by the verb after it: "more than 2,000 were injured".
_PEOPLE_VERB = re.compile(
    r"^\s+(?:people\s+)?(?:were|are|was|is|had|have|has)\s+(?:been\s+|now\s+)?"
    r"(?:killed|dead|died|injured|wounded|hurt|missing|evacuated|displaced|arrested|"
    r"detained|rescued|confirmed\s+dead)\b",
    re.IGNORECASE,
)
# A bare figure that a count-noun phrase before it names: "the death toll ... rose to
# 39", "the number of people killed rose above 5,000".
_TOLL = re.compile(r"\b(?:death\s+)?toll\b", re.IGNORECASE)
_NUMBER_OF = re.compile(r"\bnumber\s+of\s+(?:the\s+)?([a-z]+)", re.IGNORECASE)
# What makes a figure a time of day: "at 11 p.m.", "11.20 pm", "11 o'clock", "0600 GMT".
_CLOCK_AFTER = re.compile(
    r"\s*(?:[ap]\.\s?m\b\.?|[ap]m\b|o['’]clock\b|(?:GMT|UTC|BST|CET|CEST|EST|EDT)\b|"
    r"local\s+time\b)",
    re.IGNORECASE,
)
_MIN_COUNT = 3  # "two security regions", "one minister": incidental, not claims


@dataclass(frozen=True)
class Quantity:
    """A figure: value (signed, in the unit's base: basis points become percentage
    points), unit ("%", "pp", a currency, a measure or the counted noun), qualifier
    ("=", ">=", "<=", "~"), the words, and where they stand in the sentence."""

    value: float
    unit: str
    text: str
    start: int
    end: int
    qualifier: str = "="
    total: bool = False  # "the 150 seats" in "37 of the 150 seats": a size, not a claim
    step: float = 0.0  # what the written figure is rounded to: "$69 billion" 1e9, "68.7" 0.1
    direction: int = 0  # a change said with its direction: "shrank 0.3%" -1, "grew 0.3%" +1
    level: bool = False  # a level reached or held: "fell to 2.4%", "stood at 4%"
    against: bool = False  # the second count of a tally: 38 in "61 votes to 38"
    tally: bool = False  # a count of a vote's tally: both of "by 305 to 190", "199 voted against"
    ranged: bool = False  # an end of a range: "5.25%-5.5%", "between 7.5% and 8.5%"
    other: float | None = None  # a vote written as a score: the 4 of "a 5-4 vote"
    whole: float | None = None  # the whole a part is of: 19 in "12 of the 19 officials"

    def agrees(self, other: Quantity) -> bool:
        """Could both be true: equal, one the other rounded ("$69 billion" and "$68.7
        billion", "a six-week strike" and "a 41-day strike"), or within what the
        qualifiers allow."""
        if self.unit != other.unit:
            return True
        if (self.other is None) != (other.other is None):
            return True  # "a 5-4 vote" and "by 305 votes to 190": not one count
        if self.other is not None and other.other is not None:
            return _close(self.value, other.value) and _close(self.other, other.other)
        if _close(self.value, other.value):
            return True
        if abs(self.value - other.value) <= max(self.step, other.step) / 2 + 1e-9:
            return True
        if self.qualifier == other.qualifier:
            return False
        low_a, high_a = _interval(self)
        low_b, high_b = _interval(other)
        return low_a <= high_b and low_b <= high_a


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _interval(q: Quantity) -> tuple[float, float]:
    if q.qualifier == ">=":
        return q.value, float("inf")
    if q.qualifier == "<=":
        return float("-inf"), q.value
    if q.qualifier == "~":
        return q.value * 0.9, q.value * 1.1
    return q.value, q.value


def _unit_of(tail: str, number_word: str) -> str | None:
    tail = tail.lower().replace("-", " ").strip()
    tail = re.sub(r"^(?:of\s+)?(?:a\s+)?", "", tail)
    if not tail:
        return None
    if tail.startswith(("percentage", "basis", "bp")):
        return "pp" if tail.startswith("percentage") else "bp"
    if tail.startswith(("%", "per")):
        return "%"
    if tail.startswith("point"):
        return "pp"
    return tail


def quantities(sentence: str, dates: Sequence[DateMention] | None = None) -> list[Quantity]:
    """Every figure in an English sentence, with its unit, sign and qualifier.

    Years and numbers inside dates, times (11:17), scores ("6-3"), ordinals and small
    counts of things ("two regions") are left out. A bare figure after a figure with a
    unit takes that unit ("26 seats, ahead of the VVD on 23").
    """
    if dates is None:
        dates = find_dates(sentence)
    spans = [(m.start, m.end) for m in dates]
    found: list[Quantity] = []
    totals: set[int] = set()
    for match in _QUANTITY.finditer(sentence):
        start = match.start("number")
        if any(s <= start < e for s, e in spans) or start in totals:
            continue
        raw = match["number"].lower()
        after = sentence[match.end() : match.end() + 2]
        if (
            raw.isdigit()
            and len(raw) == 4
            and 1900 <= int(raw) <= 2100
            and not match["tail"].strip()
        ):
            continue
        if after[:1] == ":" or re.match(
            r"-\d", sentence[match.end("number") : match.end("number") + 2]
        ):
            continue  # a time, 11:17, or a score, 6-3
        if re.match(r"(?:st|nd|rd|th)\b", sentence[match.end("number") :]):
            continue
        if _CLOCK_AFTER.match(sentence[match.end("number") :]) or re.search(
            r"\d:$", sentence[:start]
        ):
            continue  # a clock time, "11 p.m.", "11.20 pm", "23:21": when, not how many
        if (match["mult"] or "").lower() == "m" and not match["cur"]:
            continue  # "a 100m sprint": metres; "m" is millions only after a currency
        word = raw.removeprefix("a").strip()
        if raw in {"a", "an"}:
            value = 1.0  # "a million"
        elif raw.startswith("half") and match["mult"]:
            value = 0.5  # "half a million"
        elif word in _FRACTIONS:
            value = _FRACTIONS[word]
        elif _number_word(raw) is not None:
            value = _number_word(raw)  # type: ignore[assignment]
        else:
            value = float(raw.replace(",", ""))
        if match["half"]:
            value += 0.5
        value *= _MULTIPLIERS.get((match["mult"] or "").lower(), 1.0)
        if match["sign"] and not (
            match["sign"] in "-−–" and re.search(r"[\d%]$", sentence[: match.start()])
        ):
            value = -value  # "5.25%-5.5%": a range's dash, not a minus
        unit = _unit_of(match["tail"] or "", raw)
        total = False
        if match["cur"]:
            unit = _CURRENCY[match["cur"]]
        if _MAGNITUDE.search(sentence[: match.start()]):
            unit = "magnitude"  # "a magnitude 6.8 quake", "a magnitude of 7.0"
        if unit == "bp":
            unit, value = "pp", value / 100
        if match["span"] and unit is None:
            # "a 96-hour strike", "a four-day walkout": one length, in hours ("a two-day
            # summit", a small count, is no figure; "a two-year ban" is a length).
            if abs(value) < _MIN_COUNT and match["span"][1:].lower() not in {"month", "year"}:
                continue
            unit, value = "h", value * _HOURS[match["span"][1:].lower()]
        length = _LENGTH_AFTER.match(sentence[match.end() :]) if unit is None else None
        if length and _LENGTH_BEFORE.search(sentence[: match.start()]):
            # "eight years in prison", "for 14 months": one length, in hours.
            unit, value = "h", value * _HOURS[length[1].lower()]
            span_unit = length[1].lower()
        else:
            span_unit = None
        voted = _vote_side(sentence, match.start(), match.end()) if unit is None else None
        if voted is not None:
            unit = stem("votes")  # "by 305 to 190", "199 MPs voted against": a tally's counts
        whole = None
        if unit is None:
            unit, total = _noun_unit(sentence, match.end(), found)
            size = _TOTAL.match(sentence[match.end() :])
            if size:
                totals.add(match.end() + size.start(1))
                whole = float(size[1].replace(",", ""))
            if (
                unit is not None
                and unit not in _TIME_UNITS | _SCALES
                and unit not in _CURRENCY.values()
                and value != int(value)
                and not match["mult"]
            ):
                unit = None  # "a 7.6 tremor": no count of things is a fraction
        if unit is None:
            unit = _bare_unit(sentence, match.start(), match.end(), found)
        if word in _FRACTIONS and unit not in {"pp", "%"} and not match["mult"]:
            continue  # "half of the members"
        if unit is None:
            continue
        if (
            unit not in {"%", "pp", "h"}
            and unit not in _CURRENCY.values()
            and abs(value) < _MIN_COUNT
            and not match["mult"]
        ):
            continue
        qualifier = "="
        lead = _QUALIFIER.search(sentence[max(0, match.start() - 24) : match.start()])
        if lead:
            index = next(i for i in range(len(_QUALIFIERS)) if lead[f"q{i}"])
            qualifier = _QUALIFIERS[index][1]
        if _LABEL.search(sentence[: match.start()]):
            continue  # "a Category 3 storm", "Article 50": a name, not a figure
        before_text = sentence[: match.start()]
        after_text = sentence[match.end() :]
        direction = _direction(before_text, after_text)
        level = bool(_LEVEL.search(before_text))
        against = voted == "against" or bool(
            found
            and found[-1].unit == unit
            and _TALLY.search(sentence[found[-1].end : match.start()])
        )
        tally = voted is not None or (against and unit == stem("votes"))
        if against and tally and found and not found[-1].tally and found[-1].unit == unit:
            found[-1] = replace(found[-1], tally=True)  # "by 305 votes to 190": the 305 too
        found.append(
            Quantity(
                value,
                unit,
                match.group(0).strip(),
                match.start(),
                match.end(),
                qualifier,
                total,
                _step(raw, match["mult"], match["span"] or (span_unit and "-" + span_unit)),
                direction,
                level,
                against,
                tally,
                whole=whole,
            )
        )
    found = [
        replace(q, ranged=True)
        if not (q.tally or q.against) and _range_end(sentence, q.start, q.end)
        else q
        for q in found
    ]
    found += _series(sentence, spans, found)
    return sorted(found, key=lambda q: q.start)


_NUM = (
    r"[$€£]?\s?(?:\d[\d,]*(?:\.\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s*(?:%|per\s?cent|thousand|million|billion|trillion|bn))?"
)
# An end of a range: "between 7.5% and 8.5%", "5.25%-5.50%", "three to 15 years" (not a
# change, "rose from 3% to 4%", unless "ranging from"; a tally's "305 to 190" is left to
# the tally rules).
_RANGE_FIRST = re.compile(r"^\s*(?:-|–|to\s)\s*" + _NUM, re.IGNORECASE)
_RANGE_SECOND = re.compile(_NUM + r"\s*(?:-|–|\sto)\s*$", re.IGNORECASE)
_BETWEEN_FIRST = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_BETWEEN_SECOND = re.compile(r"\bbetween\s+" + _NUM + r"\s+and\s+$", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|by)\s+$", re.IGNORECASE)
_RANGE_WORD = re.compile(r"\brang(?:e|es|ed|ing)\s+(?:from\s+|of\s+)?$", re.IGNORECASE)


def _range_end(sentence: str, start: int, end: int) -> bool:
    """Whether the figure is one end of a range. A range says where a value lies, not
    what it is, so an end is no value to set against another source's figure: "a range
    of 5.25%-5.5%" holds 5.5%, "terms of three to 15 years" are not a 15-year term. Any
    news text writes ranges this way ("between X and Y", "X-Y", "X to Y"), while a change
    is written "from X to Y", "by X to Y" or after a verb of change ("rose 2% to 5%"),
    which stays a change and a level unless "ranging from" says it is a range."""
    before, after = sentence[:start], sentence[end:]
    if sentence[start : start + 1] in "-–−" and re.search(_NUM + r"$", before):
        return True  # "5.25%-5.50%": the dash is the figure's own start
    if _BETWEEN_SECOND.search(before):
        return True
    if _BETWEEN_FIRST.search(before) and re.match(r"^\s+and\s+" + _NUM, after, re.I):
        return True
    second = _RANGE_SECOND.search(before)
    opening = before[: second.start()] if second else before
    if second or _RANGE_FIRST.match(after):
        if _RANGE_WORD.search(opening):
            return True
        # "from 3% to 4%", "cut by 0.5 point to 1.25%", "rose 2% to 5%": a change.
        return not (_FROM.search(opening) or _DIRECTION_BEFORE.search(opening))
    return False


_ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
        "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
        "nineteenth twentieth".split()
    )
}
_ORDINAL = re.compile(
    r"(?<![\w.-])(?:(?P<digits>\d{1,3})(?:st|nd|rd|th)|(?P<word>"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r"))(?P<noun>(?:\s+[a-z][\w-]*){1,2})",
    re.IGNORECASE,
)
_MAGNITUDE = re.compile(r"\bmagnitude(?:\s+of)?\s*$", re.IGNORECASE)
_MIN_ORDINAL = 3  # "the first time", "a second term": not a count of a series
# "the second time", "for the third time": how often it has happened, a count from two
# on ("the first time" is a claim of a first, told in words of its own).
_OCCURRENCE = re.compile(r"^\s+times?\b", re.IGNORECASE)
_OCCURRENCE_BEFORE = re.compile(r"\b(?:the|for\s+the|a)\s+$", re.IGNORECASE)


def _series(sentence: str, spans: list[tuple[int, int]], found: list[Quantity]) -> list[Quantity]:
    """Places in a series and scales: "the 11th rate increase" and "the twelfth increase"
    (unit ``#increas``, the noun that ends the phrase)."""
    taken = [(q.start, q.end) for q in found] + spans
    extra = []
    for match in _ORDINAL.finditer(sentence):
        if any(s <= match.start() < e for s, e in taken):
            continue
        value = int(match["digits"]) if match["digits"] else _ORDINAL_WORDS[match["word"].lower()]
        words = match["noun"].split()
        nouns = []
        for word in words:
            if word.lower() in GENERIC or word.lower() in ENGLISH_STOPWORDS:
                break
            nouns.append(word)
        if (
            _OCCURRENCE.match(match["noun"])
            and value >= 2
            and _OCCURRENCE_BEFORE.search(sentence[: match.start()])
        ):
            # "for the third time", "the second time it has done so": a count of times.
            end = match.start("noun") + match["noun"].index(words[0]) + len(words[0])
            text = sentence[match.start() : end]
            extra.append(Quantity(float(value), "#time", text, match.start(), end))
            continue
        if value < _MIN_ORDINAL or not nouns:
            continue
        end = match.start("noun") + match["noun"].index(nouns[-1]) + len(nouns[-1])
        text = sentence[match.start() : end]
        extra.append(Quantity(float(value), "#" + stem(nouns[-1]), text, match.start(), end))
    return extra


_NUMBER_NEXT = re.compile(r"\s+\d")
# A capitalised label before a number makes it a name: "Category 3", "Level 4".
_LABEL = re.compile(
    r"\b(?:Category|Level|Phase|Article|Section|Chapter|Stage|Grade|Class|Type|Route|Flight|"
    r"Gate|Terminal|Platform|Room|Model|Series|Version)\s+$"
)


# A change said with its direction, the verb right before the figure ("shrank 0.3%",
# "rose by 25 basis points", "up 4%") or its noun right after ("a 0.3% fall", "a
# quarter-point cut"); "fell to 2.4%" is a level, not a change.
_DOWN = (
    r"fell|fall|falls|falling|dropped|drop|drops|declined|decline|declines|shrank|shrunk|"
    r"shrinks|contracted|contracts|slipped|slid|lost|loses|plunged|plunges|tumbled|sank|eased|"
    r"eases|decreased|decreases|cut|cuts|cutting|lowered|lowers|reduced|reduces|down|lower|"
    r"slump(?:ed|s)?"
)
_UP = (
    r"rose|rise|rises|rising|grew|grow|grows|growing|gained|gains|climbed|climbs|jumped|jumps|"
    r"increased|increases|expanded|expands|added|adds|surged|surges|soared|soars|raised|"
    r"raises|raising|lifted|lifts|up|higher|hike[sd]?|boost(?:ed|s)?"
)
_QUALIFYING = r"(?:\s+(?:by|about|around|some|roughly|nearly|almost|more\s+than|over|just|a))*"
_DIRECTION_BEFORE = re.compile(
    r"\b(?:(?P<down>" + _DOWN + r")|(?P<up>" + _UP + r"))"
    r"(?:(?:\s+[\w'’]+){0,4}\s+by\b)?" + _QUALIFYING + r"\s*$",
    re.IGNORECASE,
)
_DIRECTION_AFTER = re.compile(
    r"^[-\s]*(?:(?P<down>fall|drop|decline|cut|reduction|decrease|contraction|loss|slump)|"
    r"(?P<up>rise|increase|gain|hike|jump|expansion|growth|raise))\b",
    re.IGNORECASE,
)
_LEVEL = re.compile(r"\b(?:to|at|of)\s+(?:about|around|some|roughly|nearly|almost|just\s+)?$", re.I)
# "61 votes to 38", "by 61 to 38", "passed 310-295" (a score is no figure): the second
# count of a tally is the other side's.
_TALLY = re.compile(r"^\s*(?:[a-z]+\s+)?(?:to|against|versus|vs\.?)\s+$", re.IGNORECASE)


# A tally without the word "votes": "passed by 305 to 190", "a vote of 305 to 190"; and a
# count of voters by what they did: "199 MPs voted against", "with 190 against", "305
# members voted in favour". Read only in a sentence about a vote.
_VOTE_SENTENCE = re.compile(
    r"\b(?:vot(?:e|es|ed|ing)|passed|approved|adopted|rejected|backed|defeated|carried|"
    r"ballot|motion|bill)\b",
    re.IGNORECASE,
)
_TALLY_FIRST_BEFORE = re.compile(r"\b(?:by|of)\s+$", re.IGNORECASE)
_TALLY_FIRST_AFTER = re.compile(r"^\s+to\s+\d", re.IGNORECASE)
_TALLY_SECOND_BEFORE = re.compile(r"\b(?:by|of)\s+\d[\d,]*\s+to\s+$", re.IGNORECASE)
_VOTERS = (
    r"(?:(?:MPs|members|lawmakers|legislators|deputies|senators|representatives|delegates|"
    r"councillors|councilors|peers|parliamentarians|shareholders)\s+)?"
)
_VOTERS_AGAINST = re.compile(
    r"^\s+" + _VOTERS + r"(?:(?:had\s+)?voted\s+against|voting\s+against|"
    r"against\b(?!\s+(?:the|a|an|his|her|its|their|this|that|it)\b)|opposed\b|(?:voted|voting)\s+no\b)",
)
_VOTERS_FOR = re.compile(
    r"^\s+" + _VOTERS + r"(?:(?:had\s+)?voted\s+(?:for|in\s+favou?r)|voting\s+(?:for|in\s+"
    r"favou?r)|in\s+favou?r\b|(?:voted|voting)\s+yes\b)",
)


# A vote written as a score: "a 5-4 vote", "voted 6-3", "split 7-2", "a 6-3 ruling",
# "voted five to four". Only next to a word of a vote or a decision: "won 6-3" (a match),
# "the 2019-2021 term" (years) and "pages 10-12" stay no figure.
_SCORE_NUMBER = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_SCORE = re.compile(
    r"(?<![\w.,/-])(?P<first>" + _SCORE_NUMBER + r")\s*(?:-|–|\s+to\s+)\s*"
    r"(?P<second>" + _SCORE_NUMBER + r")(?![\w/-]|[.,]\d|\s*(?:%|per\s?cent))"
    r"(?!\s+(?:times|years|months|weeks|days|hours|minutes|points|seats|votes)\b)",
    re.IGNORECASE,
)
_SCORE_VOTE_BEFORE = re.compile(
    r"\b(?:vot(?:e|ed|es|ing)|split|ruled|decided|ballot(?:ed)?)\s+(?:by\s+)?(?:a\s+)?$",
    re.IGNORECASE,
)
_SCORE_VOTE_AFTER = re.compile(
    r"^[-\s]*(?:vote|votes|ballot|ruling|majority|decision|verdict|split)\b", re.IGNORECASE
)


def vote_scores(
    sentence: str, dates: Sequence[DateMention], found: Sequence[Quantity]
) -> list[Quantity]:
    """A vote written as a score ("a 5-4 vote", "voted five to four"): one figure, the
    first count with the other side's as ``other``, comparable only with another score.
    A score next to no word of a vote is a match's result or a range, and stays no
    figure. Kept out of ``quantities``: "6-3" is a common count, no sign of one story."""
    taken = [(q.start, q.end) for q in found] + [(m.start, m.end) for m in dates]
    extra: list[Quantity] = []
    for match in _SCORE.finditer(sentence):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        before, after = sentence[: match.start()], sentence[match.end() :]
        if not (_SCORE_VOTE_BEFORE.search(before) or _SCORE_VOTE_AFTER.match(after)):
            continue
        words = (match["first"].lower(), match["second"].lower())
        first, second = (float(w) if w.isdigit() else _NUMBER_WORDS[w] for w in words)
        if not 0 < first + second <= 1000:
            continue
        extra.append(
            Quantity(
                first,
                stem("votes"),
                match.group(0),
                match.start(),
                match.end(),
                tally=True,
                other=second,
            )
        )
    return extra


def _vote_side(sentence: str, start: int, end: int) -> str | None:
    """ "for" or "against" when a bare figure is a count of a vote's tally, else None."""
    if not _VOTE_SENTENCE.search(sentence):
        return None
    before, after = sentence[:start], sentence[end:]
    if _TALLY_SECOND_BEFORE.search(before):
        return "second"  # the other side's count: marked by the tally rule after it
    if _TALLY_FIRST_BEFORE.search(before) and _TALLY_FIRST_AFTER.match(after):
        return "for"
    if _VOTERS_AGAINST.match(after):
        return "against"
    if _VOTERS_FOR.match(after):
        return "for"
    return None


def _direction(before: str, after: str) -> int:
    """-1 for a fall said with the figure, +1 for a rise, 0 for neither (a level)."""
    said = _DIRECTION_BEFORE.search(before) or _DIRECTION_AFTER.match(after)
    if said is None:
        return 0
    return -1 if said["down"] else 1


def _step(raw: str, multiplier: str | None, span: str | None) -> float:
    """What a written figure is rounded to: its last decimal place times its multiplier
    ("68.7 billion": 1e8, "69 billion": 1e9), a whole unit of a length ("six-week": a
    week); 0 for an exact count ("121 seats")."""
    if span:
        return _HOURS[span[1:].lower()]
    scale = _MULTIPLIERS.get((multiplier or "").lower(), 0.0)
    if "." in raw:
        decimals = len(raw.split(".")[1])
        return 10.0**-decimals * (scale or 1.0)
    return scale


def _bare_unit(sentence: str, start: int, end: int, before: list[Quantity]) -> str | None:
    """The unit of a figure written without one, where the sentence says it: a reading
    ("measured 7.7" is a magnitude), people by the verb after ("2,000 were injured"),
    or the count named before it ("the death toll has risen to 2,400")."""
    if _MEASURED.search(sentence[:start]):
        return "magnitude"
    if _RANGE_TO_PERCENT.match(sentence[end:]):
        return "%"
    if _PEOPLE_VERB.match(sentence[end:]) or _FATE_BEFORE.search(sentence[:start]):
        return PEOPLE
    clause = sentence[before[-1].end if before else 0 : start]
    clause = re.split(r"[;:]", clause)[-1]
    counted = _NUMBER_OF.search(clause)
    if counted:
        # "the number of injured stood at 1,011": a fate word counts people.
        return PEOPLE if stem(counted[1]) in _KIND_OF else unit_of_word(counted[1])
    if _TOLL.search(clause):
        return PEOPLE
    return None


def unit_of_word(word: str) -> str:
    """The unit a counted noun stands for: its stem, "countries" and "members" alike."""
    key = stem(word)
    return _UNIT_ALIASES.get(key, key)


def _noun_unit(sentence: str, end: int, before: list[Quantity]) -> tuple[str | None, bool]:
    """The counted noun after a figure ("37 seats", "1.2 million French homes", "50
    billion euro package"); "37 of the 150 seats" counts seats; a bare figure takes the
    unit of the figure before it in the sentence."""
    rest = sentence[end:]
    total = _TOTAL.match(rest)
    if total:
        return stem(total[2]), False
    words = _NEXT_WORDS.match(rest)
    if words and not rest[:1].strip() == "" and rest[:1] not in "-":
        words = None  # punctuation right after the number
    if words:
        for word in (words[1], words[2]):
            if word is None:
                break
            lower = word.lower()
            if lower in _CURRENCY or lower.rstrip("s") in _CURRENCY:
                return _CURRENCY.get(lower, _CURRENCY.get(lower.rstrip("s"))), False
            if _DEMONYMS.fullmatch(word):
                return PEOPLE, False
            if word[:1].isupper():
                continue  # "1.2 million French homes"
            if lower in GENERIC or lower in ENGLISH_STOPWORDS or _VERB_LIKE.search(lower):
                break
            return unit_of_word(lower), False
    number_start = end - len(sentence[:end].split()[-1])
    verb_after = bool(words) and bool(_VERB_LIKE.search((words[1] or "").lower()))
    before = [q for q in before if q.unit not in _TIME_UNITS]
    counted = bool(before) and before[-1].unit not in {"%", "pp", *_CURRENCY.values()}
    if before and re.search(r"\bincluding\s*$", sentence[:number_start], re.IGNORECASE):
        return before[0].unit, False  # "1.12 million people ..., including 80,000 in Paris"
    near = bool(before) and len(sentence[before[-1].end : number_start].split()) <= _CARRY_WORDS
    if near and (_CARRIES_UNIT.search(sentence[:number_start]) or (verb_after and counted)):
        return before[-1].unit, False  # "ahead of the VVD on 23", "and six backed it"
    return None, False


# ------------------------------------------------------------------------------ claims


@dataclass(frozen=True)
class Figure:
    """A figure or a date in a claim, with what it is about: the names (``subject``) and
    content words (``attribute``) of its clause, and the date it is for (``when``)."""

    quantity: Quantity | None
    date: DateMention | None
    subject: frozenset[str]
    attribute: frozenset[str]
    when: str | None
    kind: str | None = None  # what befell the people counted: "dead", "injured", ...
    rank: int | None = None  # "the second quake": 2; "the first" and none are the main one
    place: str | None = None  # "In Paris, ... 400,000", "80,000 in Paris": "paris"
    hedged: bool = False  # "could rise to 20,000": a possibility, not a claim
    # "economists had expected 1.75%", "sees 1.2% in 2025": an expectation or a forecast,
    # which disagrees only with another forecast, never with what happened.
    forecast: bool = False


@dataclass(frozen=True)
class Claim:
    """One sentence read as a claim."""

    text: str  # the sentence as read (a dateline prefix left off): figures' offsets
    names: frozenset[str]  # name keys and their tokens
    terms: tuple[str, ...]  # stemmed content words
    figures: tuple[Figure, ...]
    dates: tuple[DateMention, ...]
    lead_name: str | None = None  # the first name, or the one a leading pronoun stands for
    ordered_names: tuple[str, ...] = ()  # its names in order (a resolved pronoun first)


# A thing someone named before owns: "his party", "their coalition", "its shares".
_POSSESSED = re.compile(r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+[a-z]+")
_PERSONAL = re.compile(r"^[\"“']?(?:He|She|His|Her)\b")


def referent(previous: Claim | None, sentence: str) -> str | None:
    """The name a sentence's leading pronoun stands for, from the sentence before: for
    "He"/"She"/"His"/"Her" its first name of two words or more (a person's: "Javier
    Milei" rather than "Argentines"), else its first name."""
    if previous is None or not previous.ordered_names:
        return None
    if _PERSONAL.match(without_dateline(sentence)):
        people = [n for n in previous.ordered_names if " " in n]
        if people:
            return people[0]
    return previous.ordered_names[0]


# A pronoun as a clause's subject: "At the last election, in 2021, it took 25.7%".
_PRONOUN_SUBJECT = re.compile(r"(?:^|,\s+)[\"“']?(?:[Ii]t|[Hh]e|[Ss]he|[Tt]hey)\s+[a-z]")


def keeps_referent(claim: Claim) -> bool:
    """Whether a sentence without names, its subject a pronoun, goes on about the name
    the sentence before it was about: a pronoun in the sentence after it still stands for
    that name ("The SPD's position is no better. In 2021 it took 25.7%. It now polls 16%":
    the second "It" is the SPD)."""
    return not claim.ordered_names and bool(_PRONOUN_SUBJECT.search(claim.text))


# What happened to the people a figure counts, by the words of its clause (stems).
_PEOPLE_KINDS = {
    "dead": "kill die died dead death toll fatal fataliti perish drown bodi victim",
    "injured": "injur wound hurt",
    "missing": "miss unaccount",
    "evacuated": "evacuat displac fled flee homeless shelter safety leav hom",
    "protest": "march marcher protest protester demonstrat demonstrator ralli",
    "arrested": "arrest detain",
}
_KIND_OF = {stem: kind for kind, stems in _PEOPLE_KINDS.items() for stem in stems.split()}
_RANK = re.compile(r"\b(first|second|third|fourth|fifth|sixth)\b", re.IGNORECASE)
_RANKS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_PLACE_NAME = r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
_FRONTED_PLACE = re.compile(r"^[Ii]n\s+(?:the\s+)?" + _PLACE_NAME)
_PLACE_AFTER = re.compile(
    r"^(?:\s+[a-z]+)?\s+(?:in|across)\s+(?:the\s+)?" + _PLACE_NAME + r"\b(?!['’]|\s+and\s+[A-Z])"
)
# "May" with a capital inside a sentence is the month ("rose 2% in May"), not a hedge.
_HEDGE = re.compile(r"\b(?:[Cc]ould|[Mm]ight|may)\b")
# Words that make a figure of its clause an expectation, a forecast or a projection, not
# what happened: "economists had expected a hold at 1.75%", "sees inflation at 1.2%",
# "its rate path is half a point lower", and "turnout is estimated at 72.8%" (an estimate
# made before the count, compared only with other estimates) ("as expected", "than
# expected" say it happened).
_EXPECTATION = re.compile(
    r"\b(?<!as\s)(?<!than\s)(?<!widely\s)(?:expect(?:s|ed|ing)?|forecasts?|forecasting|"
    r"sees|saw\s+\w+\s+(?:averaging|at|rising|falling)|projects?|projected|projections?|"
    r"predicts?|predicted|path|outlook|estimates?\s+(?:that\s+)?\w+\s+will|"
    r"(?:is|are|was|were)\s+estimated\s+at|"
    r"(?:will|would)\s+(?:rise|fall|reach|average|be|stay|remain))\b(?!\s+move)",
    re.IGNORECASE,
)
# Where the phrase of a figure ends: the words after it are its own up to here.
_OWN_PHRASE = re.compile(r"[,;:()]|\s[-–—]\s")
# A coordinated noun before a figure names a new thing: "growth of 2.1% and unemployment
# at 4.1%" (not "rose 2% in May and 3% in June": no content word after "and").
_NEW_THING = re.compile(
    r"\b(?:and|while|but|whereas)\s+(?:the\s+|its\s+|their\s+)?[a-z]{4,}\b(?<!ing)"
)


# Where a clause starts: what a cue before it says is of another clause.
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|as|after|which)\b|\.\s")
# A pronoun that opens a sentence stands for the previous sentence's first name.
_PRONOUN = re.compile(r"^[\"“']?(?:He|She|It|They|His|Her|Its|Their)\b")


# Fates only people meet (homes are evacuated and damaged too); the units that are no
# people whatever befell them.
_FATES_OF_PEOPLE = frozenset({"dead", "injured", "missing", "arrested"})
_NOT_PEOPLE = frozenset(
    "magnitude h usd eur gbp jpy km mph mm cm kg pp build home hous vehicl car flight tonn "
    "animal cattl dog".split()
)


def _kind(before: Sequence[str], after: Sequence[str]) -> str | None:
    """The fate word nearest the figure, after it on a tie ("killing at least 27 people
    and leaving the city without power" are killed; "5,300 dead and 10,000 missing")."""
    near_before = next(
        ((d, _KIND_OF[w]) for d, w in enumerate(reversed(before)) if w in _KIND_OF), None
    )
    near_after = next(((d, _KIND_OF[w]) for d, w in enumerate(after) if w in _KIND_OF), None)
    if near_before and (not near_after or near_before[0] < near_after[0]):
        return near_before[1]
    return near_after[1] if near_after else None


def _place(sentence: str, quantity: Quantity) -> str | None:
    """The place a figure is for, when the sentence says so: a fronted "In Paris, ..."
    before it, or "in Paris" right after it and its noun."""
    after = _PLACE_AFTER.match(sentence[quantity.end :])
    if after:
        return _clean(after[1]).lower()
    fronted = _FRONTED_PLACE.match(sentence)
    if fronted and fronted.end() <= quantity.start:
        return _clean(fronted[1]).lower()
    return None


def read_claim(
    sentence: str,
    reference: PartialDate | None,
    aliases: Aliases | None = None,
    known: frozenset[str] | None = None,
    context: str | None = None,
    related: Sequence[str] = (),
) -> Claim:
    """``context`` is the first name of the sentence before, which a leading pronoun
    ("His party won 121 seats", "It measured 7.8") stands for; ``related`` are all the
    names of the sentence before: what "his party" or "its shares" belongs to may be
    any of them ("Starmer became prime minister after the election gave Labour a
    majority. His party won 411 seats")."""
    sentence = without_dateline(sentence)
    stands_for = bool(context) and bool(_PRONOUN.match(sentence))
    first = re.match(r"[\"“']?([A-Z][a-z]+)\b", sentence)
    if first and known is not None and first[1].lower() not in known:
        # "Turnout was 74.4%": a capital that only starts the sentence is no name.
        at = first.start(1)
        sentence = sentence[:at] + sentence[at].lower() + sentence[at + 1 :]
    dates = find_dates(sentence, reference)
    found = quantities(sentence, dates)
    found = sorted(found + vote_scores(sentence, dates, found), key=lambda q: q.start)
    names = entities(sentence, aliases, known)
    pronoun: frozenset[str] = frozenset()
    if context and stands_for:
        pronoun = frozenset(name_tokens([context], aliases))
        names = [context, *names]
    marks: list[tuple[int, int, Quantity | None, DateMention | None]] = [
        (q.start, q.end, q, None) for q in found if not q.total
    ]
    marks += [(d.start, d.end, None, d) for d in dates if d.date is not None]
    marks.sort(key=lambda m: m[0])
    figures = []
    previous_end = 0
    previous: Figure | None = None
    previous_figure: Figure | None = None  # the last figure (not date) before
    previous_quantity_end = 0
    for start, end, quantity, mention in marks:
        window = sentence[previous_end:start]
        next_start = next((m[0] for m in marks if m[0] > start), len(sentence))
        after = sentence[end:next_start]
        subject = frozenset(name_tokens(entities(window, aliases, known), aliases))
        # "his PVV", "Chris Hipkins ... saw his party win": the owner is named here.
        own_names = bool(entities(sentence[:start], aliases, known))
        words = content_terms(window)[-6:]
        # The words after a figure are its own only up to a clause break: in "23.5% of
        # the vote, on a turnout of 77.7%" the turnout is the next figure's.
        after_words = [w for w in content_terms(_OWN_PHRASE.split(after, maxsplit=1)[0])[:3]]
        attribute = frozenset(words + after_words) - _UNIT_WORDS
        if mention is not None:
            # A date is about the words just before it: "the highest since April 2008".
            attribute = frozenset(words[-3:])
        elif previous_figure is not None and len(words) <= 2 and not _NEW_THING.search(window):
            # "5.6% in 2023, falling to 3.2% in 2024": the second figure is still inflation
            # (not in "growth of 2.1% and unemployment at 4.1%": a new noun after "and").
            attribute |= previous_figure.attribute
        if previous is not None and not subject:
            subject = previous.subject
        if previous is None:
            subject = subject | pronoun  # "He beat Massa, taking 14.4 million votes"
        if related and not own_names and _POSSESSED.search(window):
            subject = subject | frozenset(name_tokens(related, aliases))
        when = None
        kind = rank = place = None
        hedged = forecast = False
        if quantity is not None:
            next_figure = next(
                (m[0] for m in marks if m[0] > start and m[2] is not None), len(sentence)
            )
            when = (
                _when(dates, end, next_figure, sentence)
                or _background(dates, sentence, reference, end)
                or _earlier_event(dates, sentence, reference, start)
                or _fronted(dates, sentence, start)
                or _year_named(sentence, reference, start)
            )
            # The fate is told in the figure's own clause: "five crew died; all 379
            # people on the airliner escaped" (a semicolon starts another).
            clause = sentence[previous_quantity_end:start].split(";")[-1]
            kind = _kind(content_terms(clause)[-8:], content_terms(after)[:4])
            if kind is None and ";" not in sentence[previous_quantity_end:start]:
                # "1.12 million people marched ..., including 80,000 in Paris": the same fate.
                kind = next(
                    (
                        f.kind
                        for f in reversed(figures)
                        if f.quantity is not None and f.quantity.unit == quantity.unit
                    ),
                    None,
                )
            ranked = _RANK.search(" ".join(window.split()[-4:]))
            rank = _RANKS[ranked[1].lower()] if ranked else None
            place = _place(sentence, quantity)
            hedged = bool(
                _HEDGE.search(" ".join(window.split()[-7:]))
                or _HEDGE.search(" ".join(after.split()[:3]))
            )
            forecast = _expected(sentence[:start]) or _future_year(when, reference)
            when = (
                when
                or _other_time(sentence, start, end, next_figure)
                or _earlier_day(dates, sentence, reference, start)
            )
        if (
            quantity is not None
            and kind in _FATES_OF_PEOPLE
            and quantity.unit not in _NOT_PEOPLE
            and not quantity.unit.startswith("#")
            and quantity.unit.isalpha()
        ):
            # "detained 41 fans", "injured 30 passengers": whom a fate befell are people.
            quantity = replace(quantity, unit=PEOPLE)
        figure = Figure(
            quantity, mention, subject, attribute, when, kind, rank, place, hedged, forecast
        )
        figures.append(figure)
        previous = figure
        if quantity is not None:
            previous_figure = figure
            previous_quantity_end = end
        previous_end = end
    return Claim(
        sentence,
        frozenset(name_tokens(names, aliases)),
        tuple(content_terms(sentence)),
        tuple(figures),
        tuple(dates),
        names[0] if names else None,
        tuple(names),
    )


# A title and the person who holds it: "Governor Erik Thedeen", "Finance Minister Anna
# Berg", "Anna Berg, the finance minister,". The title's own words (with the one before
# it: "Finance Minister", "Prime Minister") are the role.
_TITLES = (
    r"Governor|Minister|President|Chancellor|Mayor|Chairman|Chairwoman|Chair|Speaker|"
    r"Secretary|Commissioner|Director|Premier|Ambassador"
)
_NAME = r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
_TITLE_FIRST = re.compile(r"(?:\b([A-Z][a-z]+)\s+)?\b(" + _TITLES + r")\s+" + _NAME)
_NAME_FIRST = re.compile(
    _NAME + r",\s+the\s+(?:([a-z]+)\s+)?(" + _TITLES.lower() + r")\b(?!\s+of\b)"
)


_FORMER = re.compile(r"\b(?:former|ex|then|late|previous|outgoing|acting|deputy)[-\s]*$", re.I)


def holders(text: str) -> dict[str, dict[str, str]]:
    """Role -> surname -> full name of the people a text says hold it now ("governor" ->
    {"thedeen": "Erik Thedeen"}); a former or deputy holder is left out."""
    found: dict[str, dict[str, str]] = {}
    for match in _TITLE_FIRST.finditer(text):
        if _FORMER.search(text[max(0, match.start() - 12) : match.start(2)]):
            continue
        qualifier = (match[1] or "").lower()
        qualifier = "" if qualifier in ENGLISH_STOPWORDS else qualifier
        role = f"{qualifier} {match[2].lower()}".strip()
        name = match[3]
        found.setdefault(role, {})[name.split()[-1].lower()] = name
    for match in _NAME_FIRST.finditer(text):
        if match[2] and _FORMER.search(match[2]):
            continue
        role = f"{match[2] or ''} {match[3]}".strip().lower()
        found.setdefault(role, {})[match[1].split()[-1].lower()] = match[1]
    return found


# Offices as news writes them in lower case too ("energy minister Sara Lind", "Acme chief
# executive Ana Ruiz"), for the office-holder disagreements only.
_OFFICES = _TITLES + r"|Chief\s+Executive(?:\s+Officer)?|CEO|Chief\s+Financial\s+Officer|CFO"
_OFFICE_FIRST = re.compile(
    r"(?:\b([A-Z][\w-]*)['’]s\s+(?=\w))?(?:\b([A-Za-z][\w'’-]*)\s+)?\b((?i:"
    + _OFFICES
    + r"))\s+(?!(?:of|for|and)\b)"
    + _NAME
)
_NOT_QUALIFIER = frozenset("said says told new the a an his her its their then".split())


def office_holders(text: str) -> list[tuple[str, str, str, str]]:
    """(place, qualifier, office, full name) of everyone a text says holds an office now,
    the office in lower case: "Spain's energy minister Sara Lind" gives ("Spain",
    "energy", "minister", "Sara Lind"), "Acme chief executive Ana Ruiz" gives ("",
    "Acme", "chief executive", "Ana Ruiz"); a former, acting or deputy holder is left
    out."""
    found = []
    for match in _OFFICE_FIRST.finditer(text):
        if _FORMER.search(text[max(0, match.start() - 12) : match.start(3)]):
            continue
        place, qualifier = match[1] or "", match[2] or ""
        if qualifier.endswith(("'s", "’s")):
            place, qualifier = place or qualifier[:-2], ""
        if qualifier.lower() in ENGLISH_STOPWORDS or qualifier.lower() in _NOT_QUALIFIER:
            qualifier = ""
        if _FORMER.search(qualifier + " "):
            continue
        office = re.sub(r"\s+", " ", match[3].lower())
        office = _OFFICE_NAMES.get(office, office)
        found.append((place, qualifier, office, match[4]))
    return found


_OFFICE_NAMES = {
    "ceo": "chief executive",
    "chief executive officer": "chief executive",
    "cfo": "chief financial officer",
}


def _expected(before: str) -> bool:
    """Whether the clause a figure ends under says it was expected, forecast or
    projected ("Most economists had expected the bank to hold the rate at 1.75%")."""
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    return bool(_EXPECTATION.search(clause))


def _future_year(when: str | None, reference: PartialDate | None) -> bool:
    """A figure for a year after the article's ("1.2% in 2025" in a 2024 story) is a
    forecast, not the event's."""
    if when is None or reference is None:
        return False
    return int(when[:4]) > reference.year


# A past-participle clause after a figure and a noun phrase tells of that noun: "240
# million pounds under the deal, first agreed in 2022" is the news's sum, not 2022's; right
# after the figure it tells of the figure ("a fine, €4.3bn, imposed in 2018" is 2018's).
_PARTICIPLE_CLAUSE = re.compile(
    r"^\s+[\w'’-]+(?:\s+[\w'’-]+)+,\s+(?:first\s+|originally\s+|initially\s+)?[a-z]+ed\s+"
    r"(?:[\w'’-]+\s+){0,3}$"
)


def _background(
    dates: Sequence[DateMention],
    sentence: str,
    reference: PartialDate | None,
    figure_end: int | None = None,
) -> str | None:
    """The year or month of a figure's sentence when that date is background, more than
    a year before the article ("The last quake of this size, in 1999, killed 17,000
    people"): such a figure is that date's, not the news's. A date after "since" is the
    start of a period, not the figure's ("the highest since 1989")."""
    if reference is None:
        return None
    for mention in dates:
        if mention.date is None or mention.date.precision == "day":
            continue
        if _SINCE.search(mention.text) or _SINCE.search(
            " ".join(sentence[: mention.start].split()[-6:])
        ):
            continue
        if figure_end is not None and mention.start >= figure_end:
            if _PARTICIPLE_CLAUSE.match(sentence[figure_end : mention.start]):
                continue  # "..., first agreed in 2022": the noun's date, not the figure's
        if date_role(sentence, mention, reference) == "background":
            return mention.date.iso()
    return None


# A clause that tells of another event at an earlier date: "the worst since 1995, when
# more than 300 people were killed", "as in 2011, when ...".
_WHEN_CLAUSE = re.compile(r"^\s*,?\s*when\b", re.IGNORECASE)
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.IGNORECASE)


def _earlier_event(
    dates: Sequence[DateMention], sentence: str, reference: PartialDate | None, start: int
) -> str | None:
    """The earlier date whose "when" clause a figure stands in: that event's figure,
    not the news's. Without the article's date, a year right after "since" is still
    an earlier one ("warned since 1980, when ...")."""
    for mention in dates:
        date = mention.date
        if date is None or mention.end > start:
            continue
        if reference is None:
            since = mention.text.lower().startswith("since ")
            if not (since or _SINCE_BEFORE.search(sentence[: mention.start])):
                continue
        elif date.year >= reference.year:
            continue
        if _WHEN_CLAUSE.match(sentence[mention.end : start]):
            return date.iso()
    return None


# What may come before a year or a month that opens a sentence and so dates its first
# clause: "Last year the rate climbed to 4%", "In 2023, the firm made $2 billion".
_FRONT = re.compile(r"^[\"“']?(?:(?:in|during)\s+)?$", re.IGNORECASE)


def _fronted(dates: Sequence[DateMention], sentence: str, start: int) -> str | None:
    """The year or month that opens the sentence, for a figure of its first clause: the
    same date a figure right before it would get ("climbed to 4% last year"). A day is
    the news's (as in ``_when``); a period's start ("Since 2019, ...") or a later clause
    ("Last year it was 4%, but now it is 3.5%") is not the figure's."""
    for mention in dates:
        if mention.date is None or mention.date.precision == "day" or mention.start >= start:
            continue
        if not _FRONT.match(sentence[: mention.start]) or _SINCE.search(mention.text):
            continue
        if _CLAUSE_BREAK.search(sentence[mention.end : start]):
            return None
        return mention.date.iso()
    return None


# An earlier event named by its year, opening the sentence: "The 2011 disaster measured
# 9.0", "The 2019 election gave the party 365 seats".
_YEAR_NAMED = re.compile(r"^[\"“']?[Tt]he\s+((?:19|20)\d\d)\s+[a-z]")


def _year_named(sentence: str, reference: PartialDate | None, start: int) -> str | None:
    """The year of an event the sentence opens on by naming it with its year, for a
    figure of its first clause, when that year is before the article's (a year of the
    article's own may name the news: "The 2025 budget sets ...")."""
    named = _YEAR_NAMED.match(sentence)
    if named is None or reference is None or int(named[1]) >= reference.year:
        return None
    if named.end() > start or _CLAUSE_BREAK.search(sentence[named.end() : start]):
        return None
    return named[1]


_WHEN_GAP = re.compile(r"^[^,;:.]{0,12}$")
_SINCE = re.compile(r"\b(?:since|from|after|before)\b", re.IGNORECASE)  # a period's start


def _when(dates: Sequence[DateMention], after: int, before: int, sentence: str = "") -> str | None:
    """The date a figure is for: a date right after it ("5.6% in 2023", "3.0% next
    year"), not one further on ("74.4%, the highest since ... 1989")."""
    for mention in dates:
        if after <= mention.start < before and mention.date is not None:
            if mention.date.precision == "day":
                return None  # "to 4% on Thursday": the day of the news, not of the figure
            gap = sentence[after : mention.start]
            if _WHEN_GAP.match(gap) and not _SINCE.search(gap):
                return mention.date.iso()
            return None
    return None


# A state that held until a time before the news: "the council until this morning had 19
# members", "Until last year the firm employed ... was 5,000 strong": the figure is the
# state before, not the news's. A past copula says it no longer holds ("will run until
# January" is a plan, "lasted until Friday, when ..." an event's end).
_UNTIL = re.compile(r"\b(?:until|till)\s+(?!now\b)[\w'’-]+", re.IGNORECASE)
_STATE_PAST = re.compile(r"\b(?:was|were|had|numbered|stood\s+at|used\s+to\s+be)\b", re.I)
# The trading session a price move is of: "fell 20% in extended trading" (the evening of
# the results) is not the next day's close; one session under its common names.
_SESSION = re.compile(
    r"^\s*(?:[a-z]+\s+){0,3}?in\s+(?:the\s+)?"
    r"(extended|after-hours|afterhours|after\s+hours|post-market|out-of-hours|late|early|"
    r"pre-market|premarket|overnight|electronic)\s+(?:trading|trade|dealings|session)\b",
    re.IGNORECASE,
)
_SESSIONS = {
    "afterhours": "after-hours",
    "after hours": "after-hours",
    "extended": "after-hours",
    "post-market": "after-hours",
    "out-of-hours": "after-hours",
    "electronic": "after-hours",
    "premarket": "pre-market",
}


def _other_time(sentence: str, start: int, end: int, next_figure: int) -> str | None:
    """Another time than the news's that a figure's own clause gives it: a state before
    the news ("until this morning was 19"), or a trading session ("in extended
    trading")."""
    breaks = list(_CLAUSE_BREAK.finditer(sentence[:start]))
    before = sentence[breaks[-1].end() if breaks else 0 : start]
    after = _OWN_PHRASE.split(sentence[end:next_figure], maxsplit=1)[0]
    until = _UNTIL.search(before) or _UNTIL.search(after)
    if until and _STATE_PAST.search(before):
        return "until " + until[0].split()[-1].lower()
    session = _SESSION.match(sentence[end:next_figure])
    if session:
        name = " ".join(session[1].lower().split())
        return "session " + _SESSIONS.get(name, name)
    return None


# The past perfect tells what had happened before the news: "had topped the first round
# on May 4 with 41%" (a runoff two weeks later is the news).
_HAD = re.compile(
    r"\bhad\s+(?:already\s+|been\s+)?(?!(?:the|its|his|her|their|our|no|not|more|less|"
    r"about|some|only|just|over|under|nearly|almost)\b)[a-z]{3,}\b",
    re.IGNORECASE,
)
_EARLIER_DAYS = 7  # a day this much before the article is another event's, not the news's


def _earlier_day(
    dates: Sequence[DateMention], sentence: str, reference: PartialDate | None, start: int
) -> str | None:
    """The day of an earlier event a figure's clause tells in the past perfect, a week or
    more before the article: that event's figure ("Simion had topped the first round on
    May 4 with almost 41%" in a story of May 19)."""
    if reference is None or reference.precision != "day":
        return None
    breaks = list(_CLAUSE_BREAK.finditer(sentence[:start]))
    clause_start = breaks[-1].end() if breaks else 0
    if not _HAD.search(sentence[clause_start:start]):
        return None
    for mention in dates:
        date = mention.date
        if date is None or date.precision != "day" or not clause_start <= mention.start < start:
            continue
        then = datetime.date(date.year, date.month or 1, date.day or 1)
        now = datetime.date(reference.year, reference.month or 1, reference.day or 1)
        if (now - then).days >= _EARLIER_DAYS:
            return date.iso()
    return None
