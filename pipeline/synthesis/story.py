"""From briefed sources to story groups with points and divergences.

The steps, each in its own module: read every source's English sentences as claims
(``claims``), group the sources by story (``groups``), align each story's claims across
its sources (``align``), pick the key points (``points``) and the real disagreements
(``divergences``). Everything shown is a source sentence with its citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.synthesis.align import Sentence, StorySource, Support, story_sources
from pipeline.synthesis.citations import stated_support
from pipeline.synthesis.claims import Aliases, known_names, without_dateline
from pipeline.synthesis.divergences import Found, find_divergences
from pipeline.synthesis.groups import GroupInput, story_groups
from pipeline.synthesis.model import Claim, Divergence, Group, Point, Side
from pipeline.synthesis.points import CLOCK_STAMP, Chosen, choose_points
from pipeline.synthesis.timeline import PartialDate, english_sentences, source_date
from pipeline.types import SourceReport, Status

__all__ = ["Briefed", "briefed_sources", "build_story_groups", "shown_text", "story_label"]


@dataclass(frozen=True)
class Briefed:
    """A briefed source: its report, number in the briefing, English and date."""

    report: SourceReport
    citation: int
    sentences: list[tuple[int, str]]
    reference: PartialDate | None
    dateline: int | None  # index of a dateline sentence, not a statement

    @property
    def id(self) -> str:
        return self.report.id

    @property
    def headline(self) -> str | None:
        """The title, when it is English (other titles are not translated)."""
        language = (self.report.language or "en").lower()
        return self.report.title if language == "en" and self.report.title else None


def briefed_sources(reports: Sequence[SourceReport]) -> list[Briefed]:
    found = []
    for citation, report in enumerate(reports, start=1):
        if report.status is not Status.OK:
            continue
        sentences = english_sentences(report)
        if not sentences:
            continue
        dated = source_date(report)
        reference = dated.date if dated else None
        dateline = dated.sentence if dated else None
        found.append(Briefed(report, citation, sentences, reference, dateline))
    return found


def build_story_groups(
    briefed: list[Briefed],
    *,
    group_threshold: float,
    support_threshold: float,
    max_points: int,
    per_source: int,
    min_words: int,
) -> list[Group]:
    if not briefed:
        return []
    clusters = story_groups(
        [
            GroupInput(b.headline, [t for i, t in b.sentences if i != b.dateline], b.reference)
            for b in briefed
        ],
        group_threshold,
    )
    texts = [t for b in briefed for _, t in b.sentences] + [b.headline or "" for b in briefed]
    aliases = Aliases.learn(texts)
    known = known_names(texts)
    groups = []
    for members in clusters:
        chosen = [briefed[i] for i in members]
        sources = story_sources(
            [
                (b.id, b.citation, [(i, t) for i, t in b.sentences if i != b.dateline], b.reference)
                for b in chosen
            ],
            aliases,
            known,
        )
        support = Support(sources, support_threshold)
        headlines = [b.headline for b in chosen if b.headline]
        points = choose_points(sources, support, max_points, per_source, min_words, headlines)
        points = stated_support(points, sources, texts)  # cite only sources that say it
        divergences = find_divergences(sources) if len(sources) > 1 else []
        groups.append(
            Group(
                sources=[b.id for b in chosen],
                citations=[b.citation for b in chosen],
                label=story_label(sources, points),
                points=[_point(c) for c in points],
                divergences=[_divergence(d) for d in divergences],
            )
        )
    return groups


def story_label(sources: list[StorySource], points: list[Chosen]) -> str:
    """A few names that say what the story is about: those named by most of its
    sources (a name inside a longer one shown once), in the words of the top point
    where it has them."""
    spread: dict[str, int] = {}
    count: dict[str, int] = {}
    for source in sources:
        names = [n for s in source.sentences for n in s.claim.names]
        for name in set(names):
            spread[name] = spread.get(name, 0) + 1
        for name in names:
            count[name] = count.get(name, 0) + 1
    # A word of a longer name as widely named ("bank" of "bank of england") is no label.
    widest: dict[str, int] = {}
    for name in spread:
        if " " in name:
            for word in name.split():
                widest[word] = max(widest.get(word, 0), spread[name])
    ranked = sorted(
        (n for n in spread if " " in n or widest.get(n, 0) < spread[n]),
        key=lambda n: (-spread[n], -count[n], n),
    )
    chosen: list[str] = []
    for name in ranked:
        if any(name in c.split() or c in name.split() or name == c for c in chosen):
            continue
        chosen.append(name)
        if len(chosen) == 3:
            break
    texts = [p.sentence.text for p in points] + [s.text for so in sources for s in so.sentences]
    return ", ".join(_surface(texts, n) for n in chosen)


def _surface(texts: list[str], key: str) -> str:
    """A name key as the sources write it ("nato" -> "NATO")."""
    pattern = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)", re.IGNORECASE)
    for text in texts:
        match = pattern.search(text)
        if match:
            return match[0]
    return key


def shown_text(text: str) -> str:
    """A point's sentence as shown: without a dateline or a live blog's clock stamp.

    The point's ``support`` still names the exact source sentence (source id, index).
    """
    text = without_dateline(text)
    match = CLOCK_STAMP.match(text)
    if match and match.end() < len(text):
        return text[match.end() :]
    return text


def _claim(sentence: Sentence) -> Claim:
    return Claim(sentence.text, sentence.source, sentence.citation, sentence.index)


def _point(chosen: Chosen) -> Point:
    own = chosen.sentence
    backing = sorted([own, *chosen.support], key=lambda s: s.citation)
    return Point(
        text=shown_text(own.text),
        sources=list(dict.fromkeys(s.source for s in backing)),
        citations=sorted({s.citation for s in backing}),
        corroborated=bool(chosen.support),
        support=[own.key] + [s.key for s in chosen.support],
    )


def _divergence(found: Found) -> Divergence:
    return Divergence(
        found.kind,
        found.topic,
        [Side(label, [_claim(s) for s in sentences]) for label, sentences in found.sides],
    )
