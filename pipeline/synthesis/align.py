"""Claims of one story's sources, aligned: which sentence of one source says what a
sentence of another says.

Two sentences are aligned (one *supports* the other) when they say the same thing in
words (TF-IDF cosine of their content words, names and figures, at least
``threshold``, with a lower-case word in common) **and** their claims agree:

* every number of the point is one the supporting source writes (a year, a size);
* every figure of the point is one the supporting source gives somewhere (25 basis
  points = 0.25 percentage points; 37 seats is not backed by a source that gives 35),
  and a change the point gives with its direction is not backed by the same change in
  the other direction ("grew 0.3%" against "shrank 0.3%"); other figures of the backing
  sentence are not checked against the point's (a "from" value, another year's);
* no date of the point conflicts with the other sentence's date of the same precision
  ("since April 2008" against "since March 2008");
* no conflicting outcome (approved against vetoed);
* the same actor: when both name someone, they share a name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.synthesis.claims import (
    Aliases,
    Claim,
    Quantity,
    keeps_referent,
    read_claim,
    referent,
)
from pipeline.synthesis.outcomes import conflicting, outcome_of
from pipeline.synthesis.timeline import PartialDate

__all__ = ["Sentence", "StorySource", "Support", "aligned", "story_sources"]


@dataclass(frozen=True)
class Sentence:
    """One English sentence of one source, read as a claim."""

    source: str
    citation: int
    index: int  # the sentence's index in the source report (traceable)
    position: int  # its position among the source's English sentences (0 = lead)
    text: str
    claim: Claim
    outcome: str | None
    words: int

    @property
    def key(self) -> tuple[str, int]:
        return self.source, self.index

    @property
    def quantities(self) -> list[Quantity]:
        return [f.quantity for f in self.claim.figures if f.quantity is not None]


@dataclass
class StorySource:
    """A source of a story: its sentences and every figure it gives."""

    id: str
    citation: int
    sentences: list[Sentence]
    reference: PartialDate | None
    figures: list[Quantity] = field(default_factory=list)
    numbers: set[float] = field(default_factory=set)  # every number written in digits

    def gives(self, quantity: Quantity) -> bool:
        return any(q.unit == quantity.unit and _same(q.value, quantity.value) for q in self.figures)


_DIGITS = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")


# Small counts written as words ("two allied parties"): a point that says one is backed
# only by a source that says it too. "one" is left out: it is mostly no count ("one of").
_COUNT_WORDS = {
    w: float(n)
    for n, w in enumerate(
        "two three four five six seven eight nine ten eleven twelve".split(), start=2
    )
}
_COUNT_WORD = re.compile(r"\b(" + "|".join(_COUNT_WORDS) + r")\b", re.IGNORECASE)


def digits(text: str) -> set[float]:
    """Every number written in digits (years and sizes, "150-seat", too) and every small
    count written as a word."""
    found = set()
    for raw in _DIGITS.findall(text):
        try:
            found.add(float(raw.rstrip(".,").replace(",", "")))
        except ValueError:
            continue
    found |= {_COUNT_WORDS[w.lower()] for w in _COUNT_WORD.findall(text)}
    return found


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def story_sources(
    sources: Sequence[tuple[str, int, list[tuple[int, str]], PartialDate | None]],
    aliases: Aliases,
    known: frozenset[str],
) -> list[StorySource]:
    """(id, citation, [(sentence index, English)], article date) -> sources read."""
    read = []
    for source_id, citation, sentences, reference in sources:
        items = []
        before: Claim | None = None  # the sentence before: what "his", "its" may own
        # What a leading pronoun stands for: the sentence before, or the one before that
        # when the sentence between has only a pronoun for its subject.
        anchor: Claim | None = None
        for position, (index, text) in enumerate(sentences):
            found = outcome_of(text)
            claim = read_claim(
                text,
                reference,
                aliases,
                known,
                referent(anchor, text),
                before.ordered_names if before is not None else (),
            )
            before = claim
            if anchor is None or not keeps_referent(claim):
                anchor = claim
            items.append(
                Sentence(
                    source_id,
                    citation,
                    index,
                    position,
                    text,
                    claim,
                    found[0].key if found else None,
                    len(text.split()),
                )
            )
        story = StorySource(source_id, citation, items, reference)
        story.figures = [q for s in items for q in s.quantities]
        story.numbers = {n for s in items for n in digits(s.claim.text)}
        read.append(story)
    return read


# Content-word cosine at which a sentence with figures still backs a point without any.
_SAME_WORDING = 0.3


@dataclass
class Support:
    """TF-IDF vectors of a story's sentences, and the alignment test."""

    sources: list[StorySource]
    threshold: float = 0.25
    vectors: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)
    words: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        bags, plain = {}, {}
        for source in self.sources:
            for sentence in source.sentences:
                terms = list(sentence.claim.terms)
                plain[sentence.key] = terms
                terms = terms + ["n:" + n for n in sentence.claim.names]
                terms += [f"q:{q.value:g}{q.unit}" for q in sentence.quantities]
                bags[sentence.key] = terms
        self.vectors = _tfidf(bags)
        self.words = _tfidf(plain)

    def similarity(self, a: Sentence, b: Sentence) -> float:
        return _cosine(self.vectors[a.key], self.vectors[b.key])

    def supports(self, point: Sentence, other: Sentence, source: StorySource) -> bool:
        """Does ``other`` (a sentence of ``source``) back ``point``? Similar in all (names
        and figures included) and in what is said (content words alone): the same names
        in two sentences that say different things are no support. A sentence that
        brings figures to a point without any says something else."""
        if point.source == other.source:
            return False
        wording = _cosine(self.words[point.key], self.words[other.key])
        if other.quantities and not point.quantities and wording < _SAME_WORDING:
            # Its claim is a figure the point doesn't make, unless it says the point in
            # much the same words ("The Court struck down Biden's student loan plan" and
            # "The Court blocked Biden's plan to cancel $430 billion in student debt").
            return False
        needed = 0.05
        overall = self.threshold
        shared = {(q.value, q.unit) for q in point.quantities} & {
            (q.value, q.unit) for q in other.quantities
        }
        if shared:  # the same figure, checked to agree: less wording needed
            overall *= 0.7
            needed = 0.0
        if wording < needed or self.similarity(point, other) < overall:
            return False
        return aligned(point, other, source)


def _tfidf(bags: dict[tuple[str, int], list[str]]) -> dict[tuple[str, int], dict[str, float]]:
    df: Counter[str] = Counter(t for terms in bags.values() for t in set(terms))
    count = len(bags)
    vectors = {}
    for key, terms in bags.items():
        weights = {
            t: (1 + math.log(n)) * (math.log((1 + count) / (1 + df[t])) + 1)
            for t, n in Counter(terms).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[key] = {t: w / norm for t, w in weights.items()}
    return vectors


def _cosine(x: dict[str, float], y: dict[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum(w * y.get(t, 0.0) for t, w in x.items())


def aligned(point: Sentence, other: Sentence, source: StorySource) -> bool:
    """The claims of two similar sentences agree (see the module docstring)."""
    equivalent = set()
    for quantity in point.quantities:
        if not source.gives(quantity):
            return False
        equivalent |= digits(quantity.text)
        same_unit = [q for q in other.quantities if q.unit == quantity.unit]
        if quantity.direction and any(
            q.direction == -quantity.direction and quantity.agrees(q) for q in same_unit
        ):
            return False  # "grew 0.3%" is not backed by "shrank 0.3%"
    # Every other number of the point (a year, a size) is one the source writes too.
    if not digits(point.claim.text) - equivalent <= source.numbers:
        return False
    for mine in point.claim.dates:
        if mine.date is None or mine.date.precision == "year":
            continue
        theirs = [
            d.date
            for d in other.claim.dates
            if d.date is not None and d.date.precision == mine.date.precision
        ]
        if theirs and mine.date not in theirs:
            return False
    if point.outcome and other.outcome and conflicting(point.outcome, other.outcome):
        return False
    mine_names = {n for n in point.claim.names if " " not in n}
    their_names = {n for n in other.claim.names if " " not in n}
    if mine_names and their_names and not mine_names & their_names:
        # Different names: the same actor only if a checked figure ties them.
        shared = {(q.value, q.unit) for q in point.quantities} & {
            (q.value, q.unit) for q in other.quantities
        }
        return bool(shared)
    return True
