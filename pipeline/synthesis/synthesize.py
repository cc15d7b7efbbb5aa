"""Cross-source synthesis: story groups, cited key points, divergences, overview.

A briefing of separate summaries leaves the analyst to find out which sources tell the
same story, which statements several sources back, and where they disagree. This does
that work on the English of the briefed sources, extractively: every point and every side
of a divergence is a source's exact sentence with its citation, nothing is invented.

The steps live beside this module in ``pipeline.synthesis`` (one module each): claims
(names, figures with unit and sign, dates, outcomes), story groups, claim alignment, key
points, divergences, the overview and the per-source flags; ``synthesize`` is the entry
point the flow calls. It also runs the quality flags (``pipeline.quality.flags``), the
timeline (``pipeline.synthesis.timeline``) and the glossary
(``pipeline.translation.glossary``). How it works, its limits and its figures:
docs/synthesis.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.config.schema import SynthesisConfig
from pipeline.quality.flags import Flag, flag_sources
from pipeline.synthesis.claims import quantities, stem
from pipeline.synthesis.model import Claim, Divergence, Group, Point, Side
from pipeline.synthesis.outcomes import CONFLICTS, OUTCOMES, outcome_of
from pipeline.synthesis.overview import build_overview
from pipeline.synthesis.source_flags import source_flags
from pipeline.synthesis.story import briefed_sources, build_story_groups
from pipeline.synthesis.timeline import TimelineEntry, build_timeline
from pipeline.translation.glossary import Glossary, GlossaryUse, apply_glossary
from pipeline.types import SourceReport

__all__ = [
    "CONFLICTS",
    "OUTCOMES",
    "Claim",
    "Divergence",
    "Group",
    "Point",
    "Side",
    "Synthesis",
    "SynthesisConfig",
    "build_groups",
    "outcome_of",
    "quantities",
    "stem",
    "synthesize",
]

#: Flags that would say the same about every source of a run; said once in the notes.
_RUN_WIDE = {
    "extractive_summary": "Summaries are extractive: sentences picked from each source's "
    "English, not written by a summarisation model.",
}


@dataclass
class Synthesis:
    """All of it for one briefing. ``reports`` are the sources with the glossary applied:
    build the briefing from them, so the text agrees with the recorded glossary uses.
    ``overview`` is one paragraph per story (cited); ``notes`` are run-wide facts."""

    groups: list[Group] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    flags: dict[str, list[Flag]] = field(default_factory=dict)
    glossary: list[GlossaryUse] = field(default_factory=list)
    reports: list[SourceReport] = field(default_factory=list)
    overview: str = ""
    notes: list[str] = field(default_factory=list)

    def flags_for(self, source_id: str) -> list[Flag]:
        return list(self.flags.get(source_id, []))

    def to_dict(self) -> dict[str, Any]:
        """The JSON parts (``reports`` are the briefing's ``sources`` and not repeated)."""
        return {
            "groups": [g.to_dict() for g in self.groups],
            "timeline": [e.to_dict() for e in self.timeline],
            "flags": {sid: [f.to_dict() for f in flags] for sid, flags in self.flags.items()},
            "glossary": [u.to_dict() for u in self.glossary],
        }


def synthesize(
    reports: Sequence[SourceReport],
    config: SynthesisConfig,
    test_models: bool,
    summary_method: str,
    glossary: Glossary | None = None,
) -> Synthesis:
    """The synthesis of a briefing's sources, in briefing order (citations are positions).

    Flags are computed on the reports as translated; the glossary is then applied, and
    groups, timeline and overview are built from the glossed English. Sources that were
    not briefed (failed, skipped) get flags but take no part in groups or timeline. A
    flag every briefed source would carry (extractive summaries) becomes one note.
    """
    flags = flag_sources(reports, config.flags, test_models, summary_method)
    notes = []
    for kind, note in _RUN_WIDE.items():
        if any(f.type == kind for found in flags.values() for f in found):
            notes.append(note)
            flags = {sid: [f for f in found if f.type != kind] for sid, found in flags.items()}
    glossed, uses = apply_glossary(reports, glossary)
    groups = build_groups(glossed, config)
    briefed = briefed_sources(glossed)
    for source_id, found in source_flags(briefed, groups).items():
        flags.setdefault(source_id, []).extend(found)
    return Synthesis(
        groups=groups,
        timeline=build_timeline(glossed),
        flags=flags,
        glossary=uses,
        reports=glossed,
        overview=build_overview(groups),
        notes=notes,
    )


def build_groups(reports: Sequence[SourceReport], config: SynthesisConfig) -> list[Group]:
    """Story groups of the briefed sources, each with points and divergences, ordered by
    their first source's position in the briefing."""
    return build_story_groups(
        briefed_sources(reports),
        group_threshold=config.group_threshold,
        support_threshold=config.support_threshold,
        max_points=config.max_points,
        per_source=config.max_per_source,
        min_words=config.min_point_words,
    )
