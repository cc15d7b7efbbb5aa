"""The overview: for each story, in story order, its top claim or two, cited.

Each sentence is a key point's exact sentence (a dateline prefix such as "FRANKFURT,
Sept 14 -" left off), followed by the citations of every source that backs it. A second
sentence is added only when several sources back it and it is not the first said again;
a story of one source gets one sentence. Nothing is said twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.synthesis.claims import without_dateline
from pipeline.synthesis.model import Group, Point

__all__ = ["build_overview", "without_dateline"]


# A sentence that opens with a pronoun ("It measured 7.8") needs the one before it: it
# never opens a story's paragraph while the story has another point.
_PRONOUN_START = re.compile(r"^[\"“']?(?:He|She|It|They|His|Her|Its|Their|This|These)\b")


def build_overview(groups: Sequence[Group], per_story: int = 2) -> str:
    """One paragraph per story that has points; empty when none has."""
    paragraphs = []
    said: set[str] = set()
    for group in groups:
        chosen: list[Point] = []
        opening = [p for p in group.points if not _PRONOUN_START.match(without_dateline(p.text))]
        ordered = opening[:1] + [p for p in group.points if p not in opening[:1]]
        for point in ordered:
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
