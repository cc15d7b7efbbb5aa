"""The overview: for each story, in story order, its top claim or two, cited.

Each sentence is a key point's exact sentence (a dateline prefix such as "FRANKFURT,
Sept 14 -" left off), followed by the citations of every source that backs it. A second
sentence is added only when several sources back it and it is not the first said again;
a story of one source gets one sentence. Nothing is said twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.synth.model import Group, Point

__all__ = ["build_overview", "without_dateline"]

_DATELINE_PREFIX = re.compile(
    r"^[A-Z][A-Z .'’/-]{1,40}(?:\([A-Za-z]+\))?,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*)?"
    r"(?:\([A-Za-z]+\)\s*)?[-–—]+\s+(?=[A-Z\"“])"
)


def without_dateline(text: str) -> str:
    """ "LONDON, Aug 3 - The Bank ..." -> "The Bank ..." (only an all-capitals place)."""
    return _DATELINE_PREFIX.sub("", text, count=1)


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
