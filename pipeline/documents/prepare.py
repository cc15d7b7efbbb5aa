"""The model-free front half of the pipeline for one source: read, clean, detect the
language, route, segment. Cheap and deterministic, so it runs for every source before
any model is loaded, and the run learns early which models it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config.schema import TranslationConfig, is_url
from pipeline.documents.clean import clean_document
from pipeline.documents.language import detect_language
from pipeline.documents.route import Route, route
from pipeline.documents.segment import segment_document
from pipeline.sources.read import read_source
from pipeline.sources.web import FetchLimits, read_url
from pipeline.types import CleanDocument, LanguageGuess, Segment, Source, SourceSkipped


@dataclass(frozen=True)
class PreparedSource:
    """A source ready for translation, or the reason it is skipped."""

    source: Source
    document: CleanDocument | None = None
    guess: LanguageGuess | None = None
    route: Route | None = None
    segments: list[Segment] = field(default_factory=list)
    skip_reason: str | None = None

    @property
    def skipped(self) -> bool:
        return self.skip_reason is not None


def prepare_source(
    source: Source, config: TranslationConfig, web: FetchLimits | None = None
) -> PreparedSource:
    """Read, clean, detect and segment one source.

    Raises ``SourceError`` for a source that can't be read; returns a skipped
    ``PreparedSource`` for one that is deliberately left out (empty, only debris, a
    language with no configured model).
    """
    try:
        raw = read_url(source, web) if is_url(source.path) else read_source(source)
        document = clean_document(raw)
    except SourceSkipped as skipped:
        return PreparedSource(source=source, skip_reason=str(skipped))
    guess = detect_language(document)
    decision = route(guess.language, config)
    if decision.action == "skip":
        return PreparedSource(
            source=source,
            document=document,
            guess=guess,
            route=decision,
            skip_reason=decision.reason,
        )
    segments = segment_document(document, guess.language)
    return PreparedSource(
        source=source, document=document, guess=guess, route=decision, segments=segments
    )
