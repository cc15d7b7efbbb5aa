"""The domain objects that flow through Briefing, one way:

sources -> documents -> segments -> translations -> summaries (the Briefing they make up is
in :mod:`pipeline.assemble.document`, after the synthesis it holds).

They are plain dataclasses so every stage can be called and tested alone, and so the
JSON contract (``Briefing.to_dict``) is written in one place.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """What became of one source in a briefing."""

    OK = "ok"
    SKIPPED = "skipped"  # deliberately not processed (no model for its language, empty, ...)
    FAILED = "failed"  # something went wrong; ``error`` says what


class SkipKind(StrEnum):
    """Why a source is left out, as data (the message says it to people)."""

    CONTENT = "content"  # nothing to brief: empty, only whitespace or web debris
    LANGUAGE = "language"  # a language with no configured model
    DUPLICATE = "duplicate"  # the same text as an earlier source


class SourceError(Exception):
    """A problem with one source that ends it as ``failed`` while the others go on."""


class SourceSkipped(Exception):
    """A source that is deliberately left out (``skipped``), with the reason as message."""


def failure_text(error: BaseException) -> str:
    """One line for the analyst saying why a source failed.

    Briefing's own errors (``SourceError``, ``SourceSkipped``, ``TranslationError``...: any
    exception defined under ``pipeline``) are written for people, so their message stands
    alone, without the class name; an OSError says its reason; anything else is unexpected
    and keeps its class name, which is what a bug report needs.
    """
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    ours = type(error).__module__.split(".")[0] == "pipeline"
    if ours or isinstance(error, (SourceError, SourceSkipped)):
        return text or "the source could not be used"
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror.lower()}{where}"
    name = type(error).__name__
    return f"unexpected error ({name}: {text})" if text else f"unexpected error ({name})"


@dataclass(frozen=True)
class Source:
    """Something to brief: a file on disk (URLs and feeds come later)."""

    id: str
    path: str


@dataclass(frozen=True)
class RemovedLine:
    """A line of web debris taken out by cleaning, kept so nothing is silently lost."""

    line: int  # 1-based line number in the ingested text
    text: str
    rule: str  # name of the cleaning rule that matched


@dataclass(frozen=True)
class RawDocument:
    """A source read from disk and decoded; HTML already reduced to its main text."""

    source: Source
    text: str
    encoding: str
    format: str  # "text", "markdown" or "html"
    title: str | None = None  # from HTML metadata when there is one


@dataclass(frozen=True)
class CleanDocument:
    """A document with its debris removed. ``text`` is ``"\\n\\n".join(paragraphs)``."""

    source: Source
    title: str
    paragraphs: list[str]
    removed: list[RemovedLine]
    encoding: str = "utf-8"
    format: str = "text"
    published: datetime.date | None = None  # from the saved page's date marker
    published_precision: str | None = None  # "day" or "month" (then the day is the 1st)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class LanguageGuess:
    """The language of a whole document (decided per document, not per line)."""

    language: str  # ISO 639-1 as Briefing uses it: "nl", "nb", "nn", "it", "en", "da", ...
    label: str  # what the detector said, e.g. "no"
    confidence: float  # 0..1
    mixed: bool = False  # paragraphs in another language make up a real share of the text
    paragraph_languages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Segment:
    """One sentence of a document: ``paragraph`` index and its exact text in that paragraph."""

    paragraph: int
    index: int  # position of the sentence in the whole document
    text: str


@dataclass(frozen=True)
class TranslatedSegment:
    """A sentence and its English translation; the pair is never separated."""

    source: str
    translation: str
    confidence: float | None = None  # mean token log-probability; None when not translated


@dataclass(frozen=True)
class Summary:
    """A source's summary. ``trimmed``: some part of it ran to the model's length limit and
    was cut back to its last full sentence, so the summary may stop short of a point (the
    briefing flags it)."""

    text: str
    trimmed: bool = False


@dataclass
class SourceReport:
    """Everything the briefing says about one source; the ``sources`` items of the JSON."""

    id: str
    path: str
    status: Status = Status.OK
    error: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    mixed_language: bool = False
    title: str = ""
    encoding: str | None = None  # how the source was decoded, e.g. "cp1252"
    published: datetime.date | None = None  # the page's publication date, when it had one
    published_precision: str | None = None  # "day" or "month"
    text: str = ""
    removed: list[RemovedLine] = field(default_factory=list)
    translation: str = ""
    summary: str = ""
    summary_trimmed: bool = False  # see Summary.trimmed
    sentences: list[TranslatedSegment] = field(default_factory=list)
    translation_model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = str(self.status)
        data["published"] = self.published.isoformat() if self.published else None
        return data
