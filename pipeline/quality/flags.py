"""Quality flags: what an analyst should know before trusting a source's English.

Machine translation fails quietly: a sentence comes back in the source language, half a
sentence goes missing, the model guesses. Each check here turns one such failure into a
``Flag`` shown next to the source (and in the JSON), naming the sentences concerned
where it can, so the reader knows which statements to check against the original.

The checks are cheap and deterministic; thresholds live in ``FlagConfig``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.config.schema import FlagConfig
from pipeline.quality.checks import copied as is_copy
from pipeline.quality.checks import copy_judged, length_ratio, odd_length
from pipeline.types import SourceReport, Status

__all__ = ["FLAG_TYPES", "Flag", "FlagConfig", "flag_source", "flag_sources"]

#: Every flag type, in the order flags are listed for a source.
FLAG_TYPES: tuple[str, ...] = (
    "test_models",
    "untranslated",
    "low_confidence",
    "length_ratio",
    "uncertain_language",
    "mixed_language",
    "extractive_summary",
    "summary_trimmed",
)

# Languages whose text is English already: nothing to translate, so nothing copied.
_ENGLISH = frozenset({"en"})


@dataclass(frozen=True)
class Flag:
    """One quality concern about one source; ``sentences`` are 0-based sentence indices."""

    type: str
    message: str
    sentences: list[int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "message": self.message,
            "sentences": list(self.sentences) if self.sentences is not None else None,
        }


def flag_sources(
    reports: Sequence[SourceReport],
    config: FlagConfig,
    test_models: bool = False,
    summary_method: str = "abstractive",
) -> dict[str, list[Flag]]:
    """Flags of every source, by source id (every id present, possibly with no flags)."""
    flags: dict[str, list[Flag]] = {}
    for report in reports:
        flags.setdefault(report.id, []).extend(
            flag_source(report, config, test_models, summary_method)
        )
    return flags


def flag_source(
    report: SourceReport,
    config: FlagConfig,
    test_models: bool = False,
    summary_method: str = "abstractive",
) -> list[Flag]:
    """Every flag that applies to one source, in ``FLAG_TYPES`` order.

    Language flags apply to every source that got as far as language detection; the
    translation and summary flags only to sources that were briefed (status ``ok``).
    """
    found: list[Flag | None] = []
    briefed = report.status is Status.OK
    if briefed:
        found += [
            _test_models(test_models),
            _untranslated(report, config),
            _low_confidence(report, config),
            _length_ratio(report, config),
        ]
    found += [_uncertain_language(report, config), _mixed_language(report)]
    if briefed:
        found += [_extractive_summary(report, summary_method), _summary_trimmed(report)]
    return [flag for flag in found if flag is not None]


# ------------------------------------------------------------------------------ checks


def _test_models(test_models: bool) -> Flag | None:
    if not test_models:
        return None
    return Flag(
        "test_models",
        "Made with tiny random-weight TEST models: this translation and summary are not real.",
    )


def _is_english(report: SourceReport) -> bool:
    return (report.language or "").lower() in _ENGLISH


def _untranslated(report: SourceReport, config: FlagConfig) -> Flag | None:
    """Sentences that came back in the source language (MT copies what it can't read)
    or came back empty. English sources are copied on purpose and never flagged."""
    if _is_english(report):
        return None
    copied, empty = [], []
    for index, pair in enumerate(report.sentences):
        source, english = " ".join(pair.source.split()), " ".join(pair.translation.split())
        if not source:
            continue
        if not english:
            empty.append(index)
        elif is_copy(source, english) and copy_judged(source, config):
            copied.append(index)
    whole = (
        not report.sentences
        and bool(report.text.strip())
        and " ".join(report.translation.split()) == " ".join(report.text.split())
    )
    if not copied and not empty and not whole:
        return None
    parts = []
    if whole:
        parts.append("the English text is the source text copied unchanged")
    if copied:
        parts.append(f"{_count(copied, 'sentence')} copied untranslated")
    if empty:
        parts.append(f"{_count(empty, 'sentence')} with no translation")
    return Flag(
        "untranslated",
        _capital("; ".join(parts)) + f" ({_language(report)} source).",
        sorted(copied + empty) or None,
    )


def _low_confidence(report: SourceReport, config: FlagConfig) -> Flag | None:
    """Mean model confidence (token log-probability) of the translated sentences."""
    scored = [
        (index, pair.confidence)
        for index, pair in enumerate(report.sentences)
        if isinstance(pair.confidence, int | float) and not math.isnan(pair.confidence)
    ]
    if not scored:
        return None
    mean = sum(c for _, c in scored) / len(scored)
    if mean >= config.min_confidence:
        return None
    low = [index for index, confidence in scored if confidence < config.min_confidence]
    shown = f"{mean:.2f}" if math.isfinite(mean) else "-inf"
    return Flag(
        "low_confidence",
        f"Low translation confidence: mean log-probability {shown} is below "
        f"{config.min_confidence:.2f}; {_count(low, 'sentence')} below the threshold.",
        low,
    )


def _length_ratio(report: SourceReport, config: FlagConfig) -> Flag | None:
    """English much shorter or longer than its source: dropped or invented content."""
    if _is_english(report):
        return None
    ratios = [length_ratio(p.source, p.translation, config) for p in report.sentences]
    judged = [(index, ratio) for index, ratio in enumerate(ratios) if ratio is not None]
    if not judged:
        return None
    source_chars = sum(len(report.sentences[i].source.strip()) for i, _ in judged)
    english_chars = sum(len(report.sentences[i].translation.strip()) for i, _ in judged)
    overall = english_chars / source_chars
    odd = [index for index, ratio in judged if odd_length(ratio, config)]
    overall_odd = odd_length(overall, config)
    if not odd and not overall_odd:
        return None
    return Flag(
        "length_ratio",
        f"Odd length: the English is {overall:.2f}× the length of the source overall; "
        f"{_count(odd, 'sentence')} outside {config.min_length_ratio:g}–"
        f"{config.max_length_ratio:g}×, possibly dropped or invented content.",
        odd,
    )


def _uncertain_language(report: SourceReport, config: FlagConfig) -> Flag | None:
    confidence = report.language_confidence
    if confidence is None or confidence >= config.min_language_confidence:
        return None
    return Flag(
        "uncertain_language",
        f"Uncertain language: detected as {_language(report)} with confidence "
        f"{confidence:.2f} (below {config.min_language_confidence:.2f}); the wrong model "
        "may have translated it.",
    )


def _mixed_language(report: SourceReport) -> Flag | None:
    if not report.mixed_language:
        return None
    return Flag(
        "mixed_language",
        f"Mixed language: paragraphs in another language than {_language(report)} make up "
        "a real share of the text; they went through the same translation model.",
    )


def _extractive_summary(report: SourceReport, summary_method: str) -> Flag | None:
    if summary_method != "extractive" or not report.summary.strip():
        return None
    return Flag(
        "extractive_summary",
        "Summary from the extractive fallback: sentences picked from the translation, "
        "not written by a summarisation model.",
    )


def _summary_trimmed(report: SourceReport) -> Flag | None:
    """A summary that ran to the model's length limit ends where the limit fell; it is cut
    back to its last full sentence (where it has one), which may leave out what the model
    was still saying."""
    if not report.summary_trimmed or not report.summary.strip():
        return None
    return Flag(
        "summary_trimmed",
        "Summary trimmed at the length limit: the model's summary ran to its maximum length "
        "mid-sentence and was cut back to its last full sentence, so it may stop short of "
        "a point.",
    )


# ------------------------------------------------------------------------------ wording


def _count(items: Sequence[Any], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _language(report: SourceReport) -> str:
    return report.language or "unknown-language"
