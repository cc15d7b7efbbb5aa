"""The model-free front half of the pipeline for one source: read, clean, detect the
language, route, segment. Cheap and deterministic, so it runs for every source before
any model is loaded, and the run learns early which models it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from pipeline.config.schema import TranslationConfig, is_url
from pipeline.documents.clean import NO_FURNITURE, RunFurniture, clean_document
from pipeline.documents.language import detect_language
from pipeline.documents.route import Route, route
from pipeline.documents.segment import segment_document
from pipeline.errors import SourceProblem
from pipeline.sources.read import read_source
from pipeline.sources.web import FetchLimits, TransientSourceError, read_url
from pipeline.types import (
    CleanDocument,
    LanguageGuess,
    RawDocument,
    Segment,
    SkipKind,
    Source,
    SourceError,
    SourceSkipped,
    Unreadable,
)


@dataclass(frozen=True)
class Prepared:
    """A source ready for translation: its cleaned text, language, route and sentences."""

    source: Source
    document: CleanDocument
    guess: LanguageGuess
    route: Route
    segments: list[Segment] = field(default_factory=list)
    duplicate_of: ClassVar[None] = None
    skipped: ClassVar[bool] = False  # for benchmarks/briefing.py only; test the type instead


@dataclass(frozen=True)
class Skipped:
    """A source deliberately left out (``kind`` says why as data, ``reason`` in words), with
    what was learnt before it stopped, for its report."""

    source: Source
    reason: str
    kind: SkipKind
    document: CleanDocument | None = None
    guess: LanguageGuess | None = None
    route: Route | None = None
    duplicate_of: str | None = None  # the id of the first source with this text
    segments: ClassVar[tuple[Segment, ...]] = ()
    skipped: ClassVar[bool] = True  # for benchmarks/briefing.py only; test the type instead


#: What prepare makes of a source: ready for translation, or skipped with a reason.
PreparedSource = Prepared | Skipped


def read_raw(source: Source, web: FetchLimits | None = None) -> RawDocument:
    """The source's text as read (a file, or a page fetched once): what ``run_furniture``
    compares across the run's sources before each is prepared. Raises ``SourceError`` and
    ``SourceSkipped`` as reading does."""
    return read_url(source, web) if is_url(source.path) else read_source(source)


def read_document(
    source: Source, web: FetchLimits | None = None, retry: bool = False
) -> RawDocument | Unreadable:
    """``read_raw``, with a source that can't be read as data (``Unreadable``), so that
    prepare reports it without reading it again. ``retry``: a fetch that failed in a way
    that may pass (``TransientSourceError``) is raised instead, for the caller to retry."""
    try:
        return read_raw(source, web)
    except SourceProblem as problem:
        if retry and isinstance(problem, TransientSourceError):
            raise
        return Unreadable.of(source, problem)


def prepare_source(
    source: Source,
    config: TranslationConfig,
    web: FetchLimits | None = None,
    furniture: RunFurniture = NO_FURNITURE,
    raw: RawDocument | Unreadable | None = None,
) -> PreparedSource:
    """Read, clean, detect and segment one source.

    Raises ``SourceError`` for a source that can't be read; returns ``Skipped`` for one
    that is deliberately left out (empty, only debris, a language with no configured
    model). ``furniture``: what the run's sources share (``run_furniture`` over their raw
    texts), removed as the furniture of their outlets; ``raw``: the source as already read
    by ``read_document`` (a page is fetched only once), or why it could not be read.
    """
    if isinstance(raw, Unreadable):
        if not raw.skip:
            raise SourceError(raw.reason)
        return Skipped(source, raw.reason, SkipKind.CONTENT)
    try:
        document = clean_document(raw if raw is not None else read_raw(source, web), furniture)
    except SourceSkipped as skipped:
        return Skipped(source, str(skipped), SkipKind.CONTENT)
    guess = detect_language(document)
    decision = route(guess.language, config)
    if decision.action == "skip":
        return Skipped(source, decision.reason, SkipKind.LANGUAGE, document, guess, decision)
    segments = segment_document(document, guess.language)
    return Prepared(source, document, guess, decision, segments)


def model_groups(
    ready: Mapping[str, Prepared], loaded: set[str] | frozenset[str] = frozenset()
) -> list[list[str]]:
    """Source ids grouped by the model that translates them, so one model is in memory at a
    time: passthrough (no model) first, then a model this process already holds
    (``loaded``: hub ids; a worker that ran the last briefing need not load it again), then
    the others in order of first appearance. Sources keep their order within a group."""
    groups: dict[tuple[int, str], list[str]] = {}
    for source_id, prepared in ready.items():
        model = prepared.route.model if prepared.route.action == "translate" else None
        if model is None:
            key = (0, "")
        else:
            key = (1 if model.id in loaded else 2, f"{model.id}|{model.revision}|{model.path}")
        groups.setdefault(key, []).append(source_id)
    return [groups[key] for key in sorted(groups, key=lambda key: key[0])]
