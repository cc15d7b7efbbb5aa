"""Key points of a story: the claims an analyst would write down, each one a source's
exact sentence citing every source that backs it.

Ranked by how many sources back a claim, with the headline and lead weighing most (news
puts the decision or result first); one point per claim (a sentence that backs a chosen
point is not a point again); at most ``per_source`` points taken from any one source,
so one long article or a biography can't fill the story. The story's lead claim comes
first; the rest follow by support.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.synthesis.align import Sentence, StorySource, Support
from pipeline.synthesis.claims import content_terms

__all__ = ["CLOCK_STAMP", "Chosen", "choose_points", "is_live", "is_statement"]

# A live blog's leading clock stamp ("19:25 ...", "10:42 GMT - ...", "8.15am: ..."): a
# time of the entry, not part of the statement. Hours 0-23, minutes 00-59, an optional
# am/pm and zone, an optional dash or colon, then the statement's capital or quote.
CLOCK_STAMP = re.compile(
    r"^(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s?[ap]\.?m\.?)?"
    r"(?:\s+(?:GMT|BST|UTC|CET|CEST|EDT|EST|ET|PDT|PST|KST|JST|IST|local time))?"
    r"\s*(?:[-\u2013\u2014:|]\s*)?(?=[A-Z\"\u201c\u2018'])"
)


# A live blog: a source whose entries open on a clock stamp, at least this many of them.
_LIVE_STAMPS = 2
_STATEMENT_END = re.compile(r"[.!?…][\"”’»')\]]*$")
_LEAD_BONUS = 0.75  # a lead sentence counts this much more than one more backing source
_LEAD_POSITIONS = 2
# How much a sentence's closeness to what the other sources say counts: a biography's
# birthplace, said by no one else, ranks below a detail the others touch on.
_STORY_WEIGHT = 1.0


@dataclass(frozen=True)
class Chosen:
    sentence: Sentence
    support: list[Sentence]  # the best backing sentence of each other source

    @property
    def sources(self) -> int:
        return 1 + len(self.support)


def is_statement(sentence: Sentence, min_words: int) -> bool:
    """A whole statement: long enough, ending like a sentence (no heading or caption)."""
    return sentence.words >= min_words and bool(_STATEMENT_END.search(sentence.text))


def is_live(source: StorySource) -> bool:
    """A live blog: entries that open on a clock stamp. Its order is the order of the
    day (the first entry is the earliest, the last the latest, or the other way round),
    not the order of importance a news report's inverted pyramid has."""
    stamped = sum(bool(CLOCK_STAMP.match(s.text)) for s in source.sentences)
    return stamped >= _LIVE_STAMPS


def choose_points(
    sources: list[StorySource],
    support: Support,
    max_points: int,
    per_source: int,
    min_words: int,
    headlines: Sequence[str] = (),
) -> list[Chosen]:
    candidates = []
    backers: dict[tuple[str, int], set[tuple[str, int]]] = {}
    story: dict[tuple[str, int], float] = {}  # closeness to the other sources' sentences
    for source in sources:
        for sentence in source.sentences:
            if not is_statement(sentence, min_words):
                continue
            backing = []
            every: set[tuple[str, int]] = set()
            for other in sources:
                if other is source:
                    continue
                agreeing = [s for s in other.sentences if support.supports(sentence, s, other)]
                every.update(s.key for s in agreeing)
                best = max(
                    agreeing,
                    key=lambda s: (support.similarity(sentence, s), -s.position),
                    default=None,
                )
                if best is not None:
                    backing.append(best)
            candidates.append(Chosen(sentence, backing))
            backers[sentence.key] = every
            story[sentence.key] = max(
                (
                    support.similarity(sentence, s)
                    for other in sources
                    if other is not source
                    for s in other.sentences
                ),
                default=0.0,
            )
    headline_terms = _headline_terms(headlines)
    # Where a source's lead is its most important statement: not in a live blog.
    ranked_by_weight = {source.id for source in sources if not is_live(source)}

    def in_lead(sentence: Sentence) -> bool:
        return sentence.position < _LEAD_POSITIONS and sentence.source in ranked_by_weight

    def score(candidate: Chosen) -> tuple[float, ...]:
        s = candidate.sentence
        lead = _LEAD_BONUS if in_lead(s) else 0.0
        lead += 0.25 * sum(in_lead(b) for b in candidate.support)
        lead = min(lead, 0.9)  # a lead never outranks a claim one more source backs
        figures = 0.1 * bool(s.quantities)
        secondary = _headline_score(s, headline_terms) + _STORY_WEIGHT * story[s.key]
        return (
            -(candidate.sources + lead + figures + min(secondary, 0.5) * 0.4),
            s.position,
            s.citation,
        )

    chosen: list[Chosen] = []
    used: set[tuple[str, int]] = set()
    taken: dict[str, int] = {}
    ranked = sorted(candidates, key=score)
    # A second pass, one more single-source point per source, when the story has room
    # left: a story whose sources word each claim differently is not cut to two points
    # a source, and no source gets more than the others.
    caps = (per_source, per_source + 1) if len(sources) > 2 else (per_source,)
    if len(sources) == 1:
        # A story told by one source: the cap keeps one source from crowding out the
        # others, and there are none, so it gets the room two sources would have (the
        # main facts of a single report, not just its first two).
        caps = (2 * per_source,)
    for cap in caps:
        for candidate in ranked:
            if len(chosen) >= max_points:
                break
            s = candidate.sentence
            single = not candidate.support
            if s.key in used or (single and taken.get(s.source, 0) >= cap):
                continue
            if any(_same_claim(candidate, c, support) for c in chosen):
                continue
            chosen.append(candidate)
            if single:  # the cap is on what one source alone puts in the story
                taken[s.source] = taken.get(s.source, 0) + 1
            used.add(s.key)
            used.update(backers[s.key])  # every sentence that says it: one point per claim
    order = {c.sentence.key: i for i, c in enumerate(ranked)}
    return sorted(chosen, key=lambda c: order[c.sentence.key])


def _headline_terms(headlines: Sequence[str]) -> dict[str, float]:
    """Content words and names of the story's headlines, by the share of headlines that
    use them."""
    counts: Counter[str] = Counter()
    for headline in headlines:
        counts.update(set(content_terms(headline)) | set(_name_words(headline)))
    return {t: n / len(headlines) for t, n in counts.items()} if headlines else {}


def _name_words(text: str) -> list[str]:
    return [w.lower().removesuffix("'s") for w in re.findall(r"[A-Z][\w'’-]+", text)]


def _headline_score(sentence: Sentence, terms: dict[str, float]) -> float:
    """How much of the headlines a sentence says: the headlines weigh most."""
    if not terms:
        return 0.0
    own = set(sentence.claim.terms) | set(_name_words(sentence.text))
    return sum(terms.get(t, 0.0) for t in own) / math.sqrt(max(1, len(own)))


def _same_claim(a: Chosen, b: Chosen, support: Support) -> bool:
    """Two candidates that say one thing: one backs the other, they overlap strongly, or
    one gives only figures the other gave, in the same words ("PVV won 37 seats")."""
    if support.similarity(a.sentence, b.sentence) >= 0.5:
        return True
    keys = {a.sentence.key} | {s.key for s in a.support}
    if b.sentence.key in keys or a.sentence.key in {s.key for s in b.support}:
        return True
    mine = {(q.value, q.unit) for q in a.sentence.quantities if not q.total}
    theirs = {(q.value, q.unit) for q in b.sentence.quantities if not q.total}
    return (
        bool(mine)
        and mine <= theirs
        and bool(set(a.sentence.claim.terms) & set(b.sentence.claim.terms))
    )
