"""The Briefing: the one document a run produces, and its JSON contract.

It lives after synthesis (it holds one), so :mod:`pipeline.types` needs no import of a
later stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.synthesis.synthesize import Synthesis
from pipeline.types import ModelsUsed, RunSummary, SourceLine, SourceReport, Status


@dataclass
class Briefing:
    """The one document a run produces: an overview and a section per source."""

    title: str
    generated_at: str  # ISO 8601, UTC
    overview: str
    sources: list[SourceReport]
    models: ModelsUsed = field(default_factory=ModelsUsed)
    test_models: bool = False  # True when tiny random-weight models made it: say so loudly
    notes: list[str] = field(default_factory=list)
    # Story groups, timeline, quality flags and glossary uses (pipeline.synthesis);
    # None when the briefing was made without them.
    synthesis: Synthesis | None = None
    # Reference-free faithfulness checks (pipeline.quality.faithfulness): coverage, length ratios,
    # untranslated copies, numbers and dates preserved.
    quality: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract. ``groups``, ``timeline`` and ``glossary`` are always there
        (empty without a synthesis), and so is ``flags`` in every source, so readers of
        the JSON never have to test for missing keys."""
        synthesis = self.synthesis.to_dict() if self.synthesis is not None else {}
        flags = synthesis.get("flags", {})
        sources = []
        for report in self.sources:
            data = report.to_dict()
            data["flags"] = flags.get(report.id, [])
            sources.append(data)
        return {
            "title": self.title,
            "generated_at": self.generated_at,
            "overview": self.overview,
            "test_models": self.test_models,
            "notes": list(self.notes),
            "models": self.models.to_dict(),
            "counts": self.counts(),
            "sources": sources,
            "groups": synthesis.get("groups", []),
            "timeline": synthesis.get("timeline", []),
            "glossary": synthesis.get("glossary", []),
            "quality": self.quality or {},
        }

    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in Status}
        for report in self.sources:
            counts[str(report.status)] += 1
        return counts

    def summary(self, paths: dict[str, str]) -> RunSummary:
        """The run's summary once this briefing is written to ``paths``."""
        synthesis = self.synthesis
        return RunSummary(
            paths=dict(paths),
            counts=self.counts(),
            sources=[SourceLine(s.id, s.language, s.status, s.error) for s in self.sources],
            test_models=self.test_models,
            quality=(self.quality or {}).get("overall") or {},
            groups=len(synthesis.groups) if synthesis else 0,
            timeline=len(synthesis.timeline) if synthesis else 0,
        )
