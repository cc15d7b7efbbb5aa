"""The domain objects that flow through Briefing, one way:

sources -> documents -> segments -> translations -> summaries (the Briefing they make up is
in :mod:`pipeline.assemble.document`, after the synthesis it holds).

They are plain dataclasses so every stage can be called and tested alone, and so the
JSON contract (``Briefing.to_dict``) is written in one place.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from pipeline.errors import BriefingError, SourceProblem


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


class SourceError(SourceProblem):
    """A problem with one source that ends it as ``failed`` while the others go on."""


class SourceSkipped(SourceProblem):
    """A source that is deliberately left out (``skipped``), with the reason as message."""


def failure_text(error: BaseException) -> str:
    """One line for the analyst saying why a source failed.

    Briefing's own errors (``pipeline.errors.BriefingError``: ``SourceError``,
    ``TranslationError``...) are written for people, so their message stands alone,
    without the class name; an OSError says its reason; anything else is unexpected
    and keeps its class name, which is what a bug report needs.
    """
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, BriefingError):
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
class Unreadable:
    """A source whose text could not be had, as data: reading hands it on to prepare, which
    accounts for the source (failed, or skipped when ``skip``) without reading it again, so
    a bad source is one record and a dead URL is retried in one place."""

    source: Source
    reason: str  # for the analyst, as ``failure_text`` words it
    skip: bool = False  # left out on purpose (empty, only whitespace, ...), not failed

    @classmethod
    def of(cls, source: Source, problem: SourceProblem) -> Unreadable:
        return cls(source, failure_text(problem), isinstance(problem, SourceSkipped))


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
class ModelUse:
    """A model a run used and where it was found (an entry of the JSON's ``models``)."""

    id: str
    path: str
    origin: str  # explicit | models_dir | hf_cache | hub
    revision: str | None = None
    tiny: bool = False  # a tiny random-weight test model: the briefing says so


@dataclass(frozen=True)
class ExtractiveUse:
    """No summarisation model: summaries are sentences picked from the translation."""

    method: str = "extractive"
    max_sentences: int = 3


@dataclass(frozen=True)
class ModelsUsed:
    """The models of a run: a translator per language and the summariser."""

    translation: dict[str, ModelUse] = field(default_factory=dict)
    summary: ModelUse | ExtractiveUse | None = None

    @property
    def tiny(self) -> bool:
        """Whether a tiny random-weight model made any of it."""
        return any(
            isinstance(m, ModelUse) and m.tiny for m in [*self.translation.values(), self.summary]
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "translation": {k: asdict(v) for k, v in self.translation.items()},
            "summary": asdict(self.summary) if self.summary is not None else None,
        }


@dataclass(frozen=True)
class TranslationOutcome:
    """One source's sentences in English, how long that took, and the model (None: the
    source was English and passed through)."""

    translations: list[TranslatedSegment]
    seconds: float
    model_id: str | None
    title: str = ""  # the English title of a translated source ("" for English or none)

    def english(self) -> list[str]:
        """The English sentences, the input of its summary."""
        return [t.translation for t in self.translations if t.translation]


@dataclass(frozen=True)
class Failed:
    """A step that did not complete for one source, with the reason for the analyst."""

    reason: str

    @classmethod
    def of(cls, error: BaseException) -> Failed:
        return cls(failure_text(error))


def attempt(step: Callable[..., Any], *args: Any) -> Any:
    """``step(*args)``, or ``Failed`` with the reason for the analyst when it raises."""
    try:
        return step(*args)
    except Exception as error:
        return Failed.of(error)


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
    duplicate_of: str | None = None  # a skipped copy: the id of the source it repeats
    language: str | None = None
    language_confidence: float | None = None
    mixed_language: bool = False
    title: str = ""  # in English for a translated source (its own title: ``original_title``)
    original_title: str = ""  # the title in the source's language, when ``title`` is translated
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


@dataclass(frozen=True)
class SourceLine:
    """One source in a run's summary: what became of it, and why when not ``ok``."""

    id: str
    language: str | None
    status: Status
    error: str | None


@dataclass(frozen=True)
class RunSummary:
    """What a run did, as the flow returns it and the CLI prints it: the files written
    (none when nothing was new), the per-source outcome and the headline checks."""

    paths: dict[str, str]
    counts: dict[str, int] | None  # per status; None: nothing new, no briefing written
    sources: list[SourceLine] = field(default_factory=list)
    test_models: bool = False
    quality: dict[str, Any] = field(default_factory=dict)  # the faithfulness "overall"
    groups: int = 0  # story groups
    timeline: int = 0  # dated timeline entries

    @property
    def outcome(self) -> str:
        """``written``, ``partial`` (failed or skipped sources) or ``nothing-new``."""
        if self.counts is None:
            return "nothing-new"
        partial = self.counts.get("failed", 0) or self.counts.get("skipped", 0)
        return "partial" if partial else "written"

    @property
    def failed(self) -> list[SourceLine]:
        return [s for s in self.sources if s.status is Status.FAILED]
