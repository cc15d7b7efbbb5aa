"""The last check of a story's key points: a source is cited only when it states the point.

The aligner backs a point with the closest sentence of each other source, and close is not
the same as saying it: a wire on the same fire that never says it was arson, a wire that
says the rover "is due to roll out" for "the rover had rolled down a ramp", a quotation
the cited source does not have. A wrong citation is worse than a missing one (everything
in a briefing stays traceable to a sentence that says it), so each backing sentence must
pass every test below, or another sentence of the same source that does takes its place,
or the source is not cited; the point's own source always stays.

* **quotation**: a quotation in the point is in the sentence (most of its runs of three
  words);
* **figures**: every number the point gives is in the source, in one of its forms (25
  basis points is a quarter of a percentage point; a four-day strike lasts 96 hours);
* **subject**: a point that opens with a common word ("Shares of Meta ended ...") has it in
  the source;
* **claim**: the sentence holds half of the point's words, each weighted by its rarity in
  the briefing (a story's names weigh little, "deliberately" much), or a quarter of them
  with one of the point's rarer words, or a sixth with one of its figures, or every figure
  of the point, one of them telling ("7.8", not the 2 of "2% target");
* **modality**: the sentence does not make a plan or a forecast of what the point states as
  done ("is due to", "will", "could"), and neither denies what the other states ("not").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.synthesis.align import StorySource
from pipeline.synthesis.claims import holders
from pipeline.synthesis.points import Chosen
from pipeline.text import ENGLISH_STOPWORDS

__all__ = ["StatedTest", "stated_support"]

_STATED = 0.5  # share of the point's weighted words that states it on its own
_WITH_WORD = 0.25  # ... with one of its rarer words
_WITH_FIGURE = 0.15  # ... with one of its figures

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"(?<![\w.])(?<![^\W\d_]-)\d+(?:[.,]\d{3})*(?:\.\d+)?")
_POINTS = re.compile(
    r"(\d+(?:[.,]\d+)?|quarter|half)[\s-]+(?:of\s+a\s+)?(basis|percentage)?[\s-]*points?\b",
    re.IGNORECASE,
)
_FRACTIONS = {"quarter": 0.25, "half": 0.5}
_WORDS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())
}
_SPANS = re.compile(r"(?<![\w.])(\d+|" + "|".join(_WORDS) + r")[-\s](hour|day|week)s?\b", re.I)
_HOURS = {"hour": 1, "day": 24, "week": 168}
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+,[^-–—]{0,40}\s[-–—]\s+")
_QUOTE = re.compile(r'[“"]([^”"]{8,})[”"]')
_FILLER = ENGLISH_STOPWORDS | frozenset(
    """say said says saying told tell tells added adds also yesterday today tonight
    morning evening afternoon night week weeks year years month months day days monday
    tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec mr ms mrs dr per cent percent one two three four five six seven eight
    nine ten has been being yet however meanwhile""".split()
)
_AMOUNTS = frozenset(
    "tens hundreds thousands millions dozens scores many most few several all both each every"
    " half some".split()
)
_NEGATIONS = frozenset("not no never nor without cannot".split())
_MODALS = _NEGATIONS | frozenset("will would could might may shall should must".split())
_PLAN_TO = frozenset(
    "is are was were still due set plans plan planned aims intends hopes likely going".split()
)
_FORECAST = frozenset("expects expect expected forecast forecasts projected sees".split())


def stated_support(
    points: Sequence[Chosen], sources: Sequence[StorySource], texts: Sequence[str]
) -> list[Chosen]:
    """Each point with only the backing sentences that state it (one per source): a
    failing one is replaced by the source's best sentence that passes, or dropped.
    ``texts``: every sentence of the briefing, for how rare a word is (a story's own
    names and topic are common in it, "deliberately" is not)."""
    test = _test(tuple(texts))
    by_id = {source.id: source for source in sources}
    checked = []
    for chosen in points:
        point = chosen.sentence.text
        kept = []
        for backing in chosen.support:
            source = by_id.get(backing.source)
            sentences = source.sentences if source else [backing]
            text = " ".join(s.text for s in sentences)
            if test.states(point, backing.text, text):
                kept.append(backing)
                continue
            passing = [
                s for s in sentences if s.key != backing.key and test.states(point, s.text, text)
            ]
            if passing:
                kept.append(max(passing, key=lambda s: test.share(point, s.text)))
        checked.append(Chosen(chosen.sentence, kept))
    return checked


@lru_cache(maxsize=1)
def _test(texts: tuple[str, ...]) -> StatedTest:
    """One test per briefing: every story of it asks with the same sentences."""
    return StatedTest(texts)


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """A word for matching: lower case, no possessive, a few English endings off."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    for suffix in ("ing", "ied", "ies", "ed", "es", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]  # "stopped" -> "stop"
    return word.removesuffix("e") if len(word) > 3 else word


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_DATELINE.sub("", text))


@lru_cache(maxsize=1 << 12)
def _folded(text: str) -> frozenset[str]:
    return frozenset(_fold(t) for t in _tokens(text))


def _figures(text: str) -> list[set[float]]:
    """Each figure of a text (a dateline's left off) in every form it may take elsewhere:
    a change in basis points also in percentage points and back ("a quarter point" is
    0.25 and 25), a length in days or weeks also in hours ("a four-day strike": 96)."""
    text = _DATELINE.sub("", text)
    found: list[set[float]] = []
    spans: set[float] = set()
    for raw, kind in _POINTS.findall(text):
        value = _FRACTIONS.get(raw.lower()) or float(raw.replace(",", ""))
        other = value / 100 if kind.lower() == "basis" else value * 100
        found.append({round(value, 6), round(other, 6)})
    for raw, unit in _SPANS.findall(text):
        value = float(_WORDS.get(raw.lower()) or raw)
        found.append({value, value * _HOURS[unit.lower()]})
        spans.add(value)
    for raw in _NUMBER.findall(text):
        try:
            value = round(float(raw.replace(",", "")), 6)
        except ValueError:
            continue
        if not any(value in forms for forms in found):
            found.append({value})
    return found


@lru_cache(maxsize=1 << 12)
def _numbers(text: str) -> frozenset[float]:
    """Every form of every figure of a text."""
    return frozenset(value for forms in _figures(text) for value in forms)


def _agree(point: str, text: str) -> bool:
    """Every figure of the point is in the text, in one of its forms."""
    given = _numbers(text)
    return all(forms & given for forms in _figures(point))


def _telling_figures(point: str, sentence: str) -> bool:
    """The sentence gives every figure of the point, one of them telling (not a small
    whole number such as the 2 of "the 2% target"): "It measured 7.8" is backed by "A
    magnitude 7.8 earthquake struck" whatever the words."""
    figures = _figures(point)
    given = _numbers(sentence)
    telling = any(v >= 10 or v != int(v) for forms in figures for v in forms if v in given)
    return bool(figures) and all(forms & given for forms in figures) and telling


def _runs(text: str) -> set[tuple[str, ...]]:
    words = [_fold(t) for t in _tokens(text)]
    return set(zip(words, words[1:], words[2:], strict=False))


def _like(a: str, b: str) -> bool:
    """One word in two forms: the same first letters ("Greek"/"Greece")."""
    a, b = a.lower(), b.lower()
    size = max(4, min(len(a), len(b)) - 3)
    return len(a) >= min(size, len(a)) and a[:size] == b[:size]


@dataclass
class StatedTest:
    """Does a sentence state a point? Word rarities from the briefing's sentences."""

    sentences: Sequence[str]

    def __post_init__(self) -> None:
        self._df: Counter[str] = Counter()
        self._inside: set[str] = set()  # words capitalised inside a sentence: names
        self._texts = set(self.sentences)
        for sentence in self.sentences:
            tokens = _tokens(sentence)
            self._df.update({_fold(t) for t in tokens})
            self._inside.update(t for t in tokens[1:] if t[:1].isupper())

    def weight(self, word: str) -> float:
        return math.log((1 + len(self.sentences)) / (1 + self._df[word])) + 1.0

    def words(self, text: str) -> list[str]:
        return list(
            dict.fromkeys(
                _fold(t)
                for t in _tokens(text)
                if not t[0].isdigit() and len(t) > 2 and t.lower() not in _FILLER
            )
        )

    def within(self, sentence: str, point: str) -> float:
        """The weighted share of the sentence's words that the point has: a sentence that
        says part of the point and little else ("The proposal was spearheaded by
        Stoltenberg") against one that says a claim of its own about the same actor."""
        return self.share(sentence, point)

    def share(self, point: str, sentence: str) -> float:
        """The weighted share of the point's words in the sentence."""
        wanted = self.words(point)
        total = sum(self.weight(w) for w in wanted)
        own = _folded(sentence)
        return sum(self.weight(w) for w in wanted if w in own) / total if total else 0.0

    def rarer(self, point: str) -> set[str]:
        """The rarer half of the point's common words (no names) that another sentence of
        the briefing uses too: a word only the point has ("blackened") tells nothing."""
        common = [
            _fold(t)
            for t in _tokens(point)
            if not t[0].isdigit()
            and len(t) > 2
            and t.lower() not in _FILLER
            and not (t[:1].isupper() and t in self._inside)
            and self._df[_fold(t)] > int(point in self._texts)
        ]
        ranked = sorted(dict.fromkeys(common), key=lambda w: (-self.weight(w), w))
        return set(ranked[: (len(ranked) + 1) // 2])

    def subject(self, point: str) -> list[str]:
        """The opening words of a point up to a function word or a past tense, when the
        first is no name: "Shares" of "Shares of Meta ended ..."."""
        tokens = _tokens(point)
        if not tokens or tokens[0][0].isdigit() or tokens[0] in self._inside:
            return []
        if tokens[0].lower() in _FILLER | _AMOUNTS:
            return []
        run = [tokens[0]]
        for token in tokens[1:]:
            if token.lower() in _FILLER or token.endswith("ed") or token[0].isdigit():
                break
            run.append(token)
        return run

    def _quoted(self, point: str, quote: str, sentence: str) -> bool:
        """The sentence has the quotation: most of its runs of three words, or (a
        translation words a quotation its own way) more than half of its words beside
        one of the point's names (the speaker's, or what the quotation is about)."""
        runs = _runs(quote)
        if not runs or len(runs & _runs(sentence)) >= 0.5 * len(runs):
            return True
        words = self.words(quote)
        own = _folded(sentence)
        names = {_fold(t) for t in _tokens(point) if t[:1].isupper() and t in self._inside}
        said = sum(w in own for w in words)
        return bool(words) and said > 0.5 * len(words) and bool(names & own)

    def states(self, point: str, sentence: str, source: str) -> bool:
        """Does ``sentence`` (of a source whose whole text is ``source``) state ``point``?"""
        for quote in _QUOTE.findall(point):
            if not self._quoted(point, quote, sentence):
                return False
        if not _agree(point, source):
            return False
        if _other_holder(point, source):
            return False
        subject = self.subject(point)
        if subject and not any(_like(w, t) for w in subject for t in _tokens(source)):
            return False
        share = self.share(point, sentence)
        enough = (
            share >= _STATED
            or (share >= _WITH_WORD and bool(self.rarer(point) & _folded(sentence)))
            or (share >= _WITH_FIGURE and bool(_numbers(point) & _numbers(sentence)))
            or _telling_figures(point, sentence)
        )
        return enough and not _turned(point, sentence)


def _other_holder(point: str, source: str) -> bool:
    """The source names someone else in the point's role and never the point's person
    ("Governor Stefan Ingves said" against a source's "Governor Erik Thedeen")."""
    theirs = holders(source)
    words = {w.lower() for w in _tokens(source)}
    for role, named in holders(point).items():
        people = set(named)
        others = set(theirs.get(role, {})) - people
        if others and not people & words:
            return True
    return False


def _governed(text: str, aims: bool) -> dict[str, str]:
    """Folded word -> the marker right before it that makes it a plan, a forecast or a
    denial ("would end", "not eligible", "is due to roll", "expects inflation to fall");
    with ``aims`` any "to" too ("a deal to end the strike" is no thing done either)."""
    tokens = [t.replace("’", "'") for t in _tokens(text)]
    found: dict[str, str] = {}
    for i, token in enumerate(tokens):
        marker = None
        if i and (tokens[i - 1] in _MODALS or tokens[i - 1].endswith("n't")):
            marker = tokens[i - 1]  # lower case only: "May 22" is a date
        elif i >= 2 and tokens[i - 1] == "to":
            if tokens[i - 2] in _PLAN_TO:
                marker = f"{tokens[i - 2]} to"
            elif any(w in _FORECAST for w in tokens[max(0, i - 4) : i - 1]):
                marker = "forecast to"
            elif aims:
                marker = "to"
        if marker:
            found.setdefault(_fold(token), marker)
    return found


def _turned(point: str, sentence: str) -> bool:
    """A word the two share that the sentence plans where the point states it done, or
    that one of them denies and the other does not."""
    mine, theirs = _governed(point, aims=True), _governed(sentence, aims=False)
    shared = _folded(point) & _folded(sentence)
    names = {_fold(t) for t in _tokens(point + " " + sentence) if t[:1].isupper()}
    for word in shared:
        if word in _FILLER:
            continue
        if word in theirs and word not in mine:
            return True
        if word in names:  # "no NATO office": the denial is of the office, not of NATO
            continue
        if _denies(mine.get(word)) != _denies(theirs.get(word)):
            return True
    return False


def _denies(marker: str | None) -> bool:
    return marker is not None and (marker in _NEGATIONS or marker.endswith("n't"))
