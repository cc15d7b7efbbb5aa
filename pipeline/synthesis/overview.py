"""The overview: for each story, in story order, its top claim or two, cited.

Each sentence is a key point's exact sentence (a dateline prefix such as "FRANKFURT,
Sept 14 -" left off), followed by the citations of every source that backs it. A second
sentence is added only when several sources back it and it is not the first said again;
a story of one source gets one sentence. Nothing is said twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.synthesis.claims import without_dateline
from pipeline.synthesis.model import Group, Point

__all__ = ["build_overview", "without_dateline"]


def build_overview(groups: Sequence[Group], per_story: int = 2) -> str:
    """One paragraph per story that has points; empty when none has."""
    paragraphs = []
    said: set[str] = set()
    for group in groups:
        chosen: list[Point] = []
        for point in group.points:
            if len(chosen) >= per_story or point.text in said:
                continue
            if chosen and (len(point.sources) < 2 or len(group.sources) < 2):
                continue
            chosen.append(point)
            said.add(point.text)
        if chosen:
            paragraphs.append(
                " ".join(
                    without_dateline(p.text) + " " + "".join(f"[{n}]" for n in p.citations)
                    for p in chosen
                )
            )
    return "\n\n".join(paragraphs)
