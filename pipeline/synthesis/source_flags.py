"""Flags synthesis raises about one source: what an analyst should know about it that
only shows when it is read beside the others.

* ``no_date``: no publication date, dateline or date in its first lines, so its
  relative dates ("on Friday") are not on the timeline;
* ``contradicted``: on a named point, as many other sources or more give another value
  or a conflicting outcome;
* ``truncated``: the text stops mid-sentence;
* ``off_story``: no other source tells its story, while others share theirs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.quality.flags import Flag
from pipeline.synthesis.model import Group
from pipeline.synthesis.outcomes import OUTCOMES, conflicting
from pipeline.synthesis.story import Briefed

__all__ = ["SOURCE_FLAG_TYPES", "source_flags"]

SOURCE_FLAG_TYPES = ("no_date", "contradicted", "truncated", "off_story")
_ENDS_SENTENCE = re.compile(r"[.!?…:][\"”’»')\]]*$")
_MIN_TRUNCATED_WORDS = 6


_OUTCOME_KEYS = {o.label: o.key for o in OUTCOMES}


def _contradict(kind: str, label: str, other: str) -> bool:
    """Two sides that can't both be true: any two values of a figure, a date or a name; for
    outcomes, the pairs of ``CONFLICTS`` (done against deferred or blocked)."""
    if kind != "outcome":
        return True
    return conflicting(_OUTCOME_KEYS.get(label, ""), _OUTCOME_KEYS.get(other, ""))


def source_flags(briefed: Sequence[Briefed], groups: Sequence[Group]) -> dict[str, list[Flag]]:
    flags: dict[str, list[Flag]] = {b.id: [] for b in briefed}
    shared = any(len(g.sources) > 1 for g in groups)
    number = {b.id: b.citation for b in briefed}
    for b in briefed:
        if b.reference is None:
            flags[b.id].append(
                Flag(
                    "no_date",
                    "No date: no publication date, dateline or date in its first lines; "
                    "its relative dates (\u201con Friday\u201d, \u201clast month\u201d) "
                    "are not on the timeline.",
                )
            )
    for group in groups:
        for divergence in group.divergences:
            for side in divergence.sides:
                against = [
                    other
                    for other in divergence.sides
                    if other is not side
                    and len(other.sources) >= len(side.sources)
                    and set(other.sources) - set(side.sources)
                    and _contradict(divergence.kind, side.label, other.label)
                ]
                if not against:
                    continue
                said = "; ".join(
                    f"{''.join(f'[{number[i]}]' for i in s.sources)} {s.label}" for s in against
                )
                for source in side.sources:
                    if any(source in s.sources for s in against):
                        continue  # says both: no contradiction to flag
                    sentences = [c.sentence for c in side.claims if c.source == source]
                    flags[source].append(
                        Flag(
                            "contradicted",
                            f"Contradicted on {divergence.topic}: says {side.label}; {said}.",
                            sentences,
                        )
                    )
        if shared and len(group.sources) == 1:
            flags[group.sources[0]].append(
                Flag("off_story", "Off-story: no other source in this briefing tells its story.")
            )
    for b in briefed:
        last_index, last = b.sentences[-1]
        if len(last.split()) >= _MIN_TRUNCATED_WORDS and not _ENDS_SENTENCE.search(last):
            flags[b.id].append(
                Flag(
                    "truncated",
                    f"Possibly truncated: the text stops mid-sentence (\u201c\u2026"
                    f"{' '.join(last.split()[-6:])}\u201d).",
                    [last_index],
                )
            )
    order = {t: i for i, t in enumerate(SOURCE_FLAG_TYPES)}
    return {sid: sorted(found, key=lambda f: order[f.type]) for sid, found in flags.items()}
