"""Preferred English renderings, applied to translations after translation.

MarianMT renders the same name differently from source to source and sentence to
sentence: Dutch "Navo" often comes back as "Navo", a typo in a Norwegian caption
("Jens Stoltenber") survives translation. A briefing that compares sources needs one
spelling per thing, both for the reader and for the grouping and citation of points
(``pipeline.synthesis`` compares words). The glossary maps each variant to its preferred
form, and every replacement is recorded, so a change to a translation is never silent.

Matching is whole-word (the "Navo" in "Navotas" is left alone, the one in "Navo-top"
is replaced) and case-aware: an entry matches exactly as written unless it says
``case_sensitive: false``; then a capitalised match of a lower-case rendering keeps its
capital. All entries are applied in one pass, longest variant first, so one replacement
is never replaced again by another entry.

The glossary file is YAML (``safe_load``), validated like the run configuration::

    terms:
      - to: NATO
        from: [Navo, NAVO]
      - to: Jens Stoltenberg
        from: Jens Stoltenber
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.config.load import read_yaml
from pipeline.errors import UsageError
from pipeline.types import SourceReport, Status, TranslatedSegment

__all__ = [
    "Glossary",
    "GlossaryError",
    "GlossaryTerm",
    "GlossaryUse",
    "apply_glossary",
    "load_glossary",
    "parse_glossary",
]

# Word characters on both sides of a match would make it part of a longer word.
_BEFORE = r"(?<![\w])"
_AFTER = r"(?![\w])"


class GlossaryError(UsageError, ValueError):
    """A glossary that can't be used; the message names the file, the entry and the key."""


class GlossaryTerm(BaseModel):
    """One preferred rendering (``to``) and the variants (``from``) that become it."""

    # As strict as pipeline.config.StrictModel; spelt out to keep pipeline.config free to
    # import this module.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    to: str = Field(min_length=1, description="The preferred English rendering")
    variants: list[str] = Field(alias="from", min_length=1, description="What to replace")
    case_sensitive: bool = Field(default=True, description="false: match any letter case")
    note: str | None = Field(default=None, description="Why; for the people who edit it")

    @field_validator("variants", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("to")
    @classmethod
    def _to_is_text(cls, value: str) -> str:
        if not value.strip() or value != value.strip():
            raise ValueError("must be text without leading or trailing spaces")
        return value

    @field_validator("variants")
    @classmethod
    def _variants_are_words(cls, value: list[str]) -> list[str]:
        for variant in value:
            if not variant.strip() or variant != variant.strip():
                raise ValueError(f"{variant!r}: must be text without leading or trailing spaces")
        return value

    @model_validator(mode="after")
    def _not_itself(self) -> GlossaryTerm:
        for variant in self.variants:
            if self.case_sensitive and variant == self.to:
                raise ValueError(f"{variant!r} maps to itself")
        return self


class Glossary(BaseModel):
    """The whole glossary: a list of terms. A variant may appear in one term only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: list[GlossaryTerm] = Field(default_factory=list)

    @model_validator(mode="after")
    def _variants_unique(self) -> Glossary:
        seen: dict[str, str] = {}
        for term in self.terms:
            for variant in term.variants:
                key = variant.casefold()
                if key in seen and seen[key] != term.to:
                    raise ValueError(
                        f"{variant!r} is listed for both {seen[key]!r} and {term.to!r}"
                    )
                seen[key] = term.to
        return self

    def pattern(self) -> re.Pattern[str] | None:
        """One regular expression for every variant, longest first; ``None`` if empty."""
        alternatives = []
        for variant in sorted(
            {(v, t.case_sensitive) for t in self.terms for v in t.variants},
            key=lambda item: (-len(item[0]), item[0]),
        ):
            text, case_sensitive = variant
            escaped = re.escape(text)
            alternatives.append(escaped if case_sensitive else f"(?i:{escaped})")
        if not alternatives:
            return None
        return re.compile(_BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER)

    def rendering(self, matched: str) -> str:
        """The preferred form for a matched variant, keeping a capital where it matters."""
        for term in self.terms:
            for variant in term.variants:
                if matched == variant or (
                    not term.case_sensitive and matched.casefold() == variant.casefold()
                ):
                    target = term.to
                    if not term.case_sensitive and matched[:1].isupper() and target[:1].islower():
                        target = target[:1].upper() + target[1:]
                    return target
        return matched


@dataclass(frozen=True)
class GlossaryUse:
    """One replacement: in which source and sentence (``None`` for the summary), what."""

    source: str
    sentence: int | None
    field: str  # "sentence" or "summary"
    original: str
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sentence": self.sentence,
            "field": self.field,
            "from": self.original,
            "to": self.replacement,
        }


# ------------------------------------------------------------------------------ loading


def parse_glossary(data: object, origin: str = "<glossary>") -> Glossary:
    """Validate already-loaded YAML data; ``GlossaryError`` names what is wrong where."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise GlossaryError(f"invalid glossary in {origin}: expected a mapping with 'terms'")
    try:
        return Glossary.model_validate(data)
    except ValidationError as error:
        lines = [f"invalid glossary in {origin}:"]
        for item in error.errors():
            key = ".".join(str(part) for part in item["loc"]) or "(top level)"
            message = item["msg"]
            if item["type"] == "extra_forbidden":
                message = "unknown key (expected to, from, case_sensitive, note)"
            lines.append(f"  {key}: {message}")
        raise GlossaryError("\n".join(lines)) from None


def load_glossary(path: Path) -> Glossary:
    """Read and validate a glossary YAML file."""
    path = Path(path)
    return parse_glossary(read_yaml(path, "glossary", GlossaryError), origin=str(path))


# ----------------------------------------------------------------------------- applying


def apply_text(
    text: str, glossary: Glossary, pattern: re.Pattern[str] | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with every variant replaced, and the (from, to) pairs replaced, in order."""
    pattern = pattern if pattern is not None else glossary.pattern()
    if pattern is None or not text:
        return text, []
    used: list[tuple[str, str]] = []

    def swap(match: re.Match[str]) -> str:
        target = glossary.rendering(match.group(0))
        if target != match.group(0):
            used.append((match.group(0), target))
        return target

    return pattern.sub(swap, text), used


def apply_glossary(
    reports: Sequence[SourceReport], glossary: Glossary | None
) -> tuple[list[SourceReport], list[GlossaryUse]]:
    """Copies of ``reports`` with the glossary applied to their English, and every use.

    Applied to each sentence's translation, the whole translation and the summary of
    machine-translated sources (briefed, with a ``translation_model``); the source text
    is never touched, and neither is a source that was English already: its own wording
    is the evidence, and its English translation stays equal to its text. Uses are recorded per
    sentence and for the summary; the whole translation is made of the sentences, so its
    replacements are the sentences' and are not counted twice. The reports passed in are
    not changed.
    """
    if glossary is None or not glossary.terms:
        return list(reports), []
    pattern = glossary.pattern()
    uses: list[GlossaryUse] = []
    result: list[SourceReport] = []
    for report in reports:
        if report.status is not Status.OK or not report.translation_model:
            result.append(report)
            continue
        sentences = []
        for index, pair in enumerate(report.sentences):
            english, used = apply_text(pair.translation, glossary, pattern)
            uses.extend(GlossaryUse(report.id, index, "sentence", a, b) for a, b in used)
            sentences.append(
                pair if not used else TranslatedSegment(pair.source, english, pair.confidence)
            )
        translation, _ = apply_text(report.translation, glossary, pattern)
        summary, used = apply_text(report.summary, glossary, pattern)
        uses.extend(GlossaryUse(report.id, None, "summary", a, b) for a, b in used)
        # A translated title is machine English too (its uses are the sentences' or few).
        title = apply_text(report.title, glossary, pattern)[0] if report.original_title else None
        result.append(
            replace(
                report,
                sentences=sentences,
                translation=translation,
                summary=summary,
                title=title if title is not None else report.title,
            )
        )
    return result, uses
