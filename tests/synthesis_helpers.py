"""Shared by the synthesis tests: an English source as the flow passes it through."""

from __future__ import annotations

import datetime

from pipeline.config.schema import SynthesisConfig
from pipeline.documents.segment import segment_text
from pipeline.synthesis.synthesize import Synthesis, synthesize
from pipeline.types import SourceReport, TranslatedSegment

CONFIG = SynthesisConfig()


def english_source(
    source_id: str, text: str, published: str | None, title: str = ""
) -> SourceReport:
    """An English pass-through report of ``text`` (paragraphs split by blank lines), with
    its page date (ISO) or none."""
    sentences = segment_text(text, "en")
    return SourceReport(
        id=source_id,
        path=f"{source_id}.txt",
        language="en",
        title=title,
        text=text,
        translation=text,
        sentences=[TranslatedSegment(s, s) for s in sentences],
        summary=sentences[0],
        published=datetime.date.fromisoformat(published) if published else None,
    )


def brief(reports: list[SourceReport]) -> Synthesis:
    return synthesize(reports, CONFIG, False, "extractive")


def divergences(reports: list[SourceReport], kind: str | None = None) -> list[list[str]]:
    """The side labels of every divergence of the one story ``reports`` tell."""
    (group,) = brief(reports).groups
    return [[s.label for s in d.sides] for d in group.divergences if kind in (None, d.kind)]
