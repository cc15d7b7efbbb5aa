"""Key points of a story: the claims an analyst would write down, each one a source's
exact sentence citing every source that backs it.

Ranked by how many sources back a claim, with the headline and lead weighing most (news
puts the decision or result first); one point per claim (a sentence that backs a chosen
point is not a point again); at most ``per_source`` points taken from any one source,
so one long article or a biography can't fill the story. The story's lead claim comes
first; the rest follow by support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.synth.align import Sentence, StorySource, Support

__all__ = ["Chosen", "choose_points", "is_statement"]

_STATEMENT_END = re.compile(r"[.!?…][\"”’»')\]]*$")
_LEAD_BONUS = 0.75  # a lead sentence counts this much more than one more backing source
_LEAD_POSITIONS = 2


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


def choose_points(
    sources: list[StorySource],
    support: Support,
    max_points: int,
    per_source: int,
    min_words: int,
) -> list[Chosen]:
    candidates = []
    for source in sources:
        for sentence in source.sentences:
            if not is_statement(sentence, min_words):
                continue
            backing = []
            for other in sources:
                if other is source:
                    continue
                best = max(
                    (s for s in other.sentences if support.supports(sentence, s, other)),
                    key=lambda s: (support.similarity(sentence, s), -s.position),
                    default=None,
                )
                if best is not None:
                    backing.append(best)
            candidates.append(Chosen(sentence, backing))

    def score(candidate: Chosen) -> tuple[float, ...]:
        s = candidate.sentence
        lead = _LEAD_BONUS if s.position < _LEAD_POSITIONS else 0.0
        lead += 0.25 * sum(b.position < _LEAD_POSITIONS for b in candidate.support)
        figures = 0.1 * bool(s.quantities)
        return (-(candidate.sources + lead + figures), s.position, s.citation)

    chosen: list[Chosen] = []
    used: set[tuple[str, int]] = set()
    taken: dict[str, int] = {}
    for candidate in sorted(candidates, key=score):
        if len(chosen) >= max_points:
            break
        s = candidate.sentence
        if s.key in used or taken.get(s.source, 0) >= per_source:
            continue
        if any(_same_claim(candidate, c, support, sources) for c in chosen):
            continue
        chosen.append(candidate)
        taken[s.source] = taken.get(s.source, 0) + 1
        used.add(s.key)
        used.update(b.key for b in candidate.support)
    return chosen


def _same_claim(a: Chosen, b: Chosen, support: Support, sources: list[StorySource]) -> bool:
    """Two candidates that say one thing: one backs the other, or they overlap strongly."""
    if support.similarity(a.sentence, b.sentence) >= 0.5:
        return True
    keys = {a.sentence.key} | {s.key for s in a.support}
    return b.sentence.key in keys or a.sentence.key in {s.key for s in b.support}
