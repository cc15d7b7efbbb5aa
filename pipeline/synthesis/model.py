"""The synthesis's data: groups (stories) with cited points and divergences.

Every point and every side of a divergence is a source's sentence, named by source id,
citation (the source's position in the briefing) and sentence index: traceable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Claim", "Divergence", "Group", "Point", "Side"]


@dataclass(frozen=True)
class Claim:
    """One sentence of one source, as evidence on one side of a divergence."""

    text: str
    source: str
    citation: int
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source": self.source,
            "citation": self.citation,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Side:
    """What some sources say on a divergent question: a label and their sentences."""

    label: str
    claims: list[Claim]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(c.source for c in sorted(self.claims, key=_claim_order)))

    @property
    def citations(self) -> list[int]:
        return sorted({c.citation for c in self.claims})

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "sources": self.sources,
            "citations": self.citations,
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass(frozen=True)
class Divergence:
    """Claims that conflict across sources (two or more sides), or a claim only one
    source makes (``kind="single-source"``, one side; no longer produced)."""

    kind: str  # "outcome", "number" or "date" ("single-source" in older briefings)
    topic: str
    sides: list[Side]

    @property
    def citations(self) -> list[int]:
        return sorted({n for side in self.sides for n in side.citations})

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "topic": self.topic,
            "citations": self.citations,
            "sides": [side.to_dict() for side in self.sides],
        }


@dataclass(frozen=True)
class Point:
    """A key point: one source's sentence, and every sentence of other sources backing it.

    ``support`` holds (source id, sentence index) pairs, the point's own sentence first;
    ``sources`` and ``citations`` are the sources among them, in briefing order.
    """

    text: str
    sources: list[str]
    citations: list[int]
    corroborated: bool
    support: list[tuple[str, int]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sources": list(self.sources),
            "citations": list(self.citations),
            "corroborated": self.corroborated,
            "support": [{"source": s, "sentence": i} for s, i in self.support],
        }


@dataclass(frozen=True)
class Group:
    """Sources that tell one story, with its key points and divergences."""

    sources: list[str]
    citations: list[int]
    label: str  # a few words the group's sources share, e.g. "office, tokyo, liaison"
    points: list[Point]
    divergences: list[Divergence]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "citations": list(self.citations),
            "label": self.label,
            "points": [p.to_dict() for p in self.points],
            "divergences": [d.to_dict() for d in self.divergences],
        }


def _claim_order(claim: Claim) -> tuple[int, int]:
    return claim.citation, claim.sentence
