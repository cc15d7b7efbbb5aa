"""Assembling per-source results into one briefing.

The per-source record keeps the cleaned original, what cleaning removed, each sentence
with its translation and the summary, so every statement in the briefing can be traced
back to the source that made it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pipeline.assemble.document import Briefing
from pipeline.documents.prepare import Prepared
from pipeline.documents.segment import segment_text
from pipeline.summaries.summarize import rank_sentences
from pipeline.synthesis.synthesize import Synthesis
from pipeline.types import (
    CleanDocument,
    Failed,
    LanguageGuess,
    ModelsUsed,
    Segment,
    Source,
    SourceReport,
    Status,
    Summary,
    TranslatedSegment,
    TranslationOutcome,
)


def translated_text(segments: Sequence[Segment], translations: Sequence[TranslatedSegment]) -> str:
    """The English text: translated sentences re-joined into the source's paragraphs."""
    paragraphs: dict[int, list[str]] = {}
    for segment, translated in zip(segments, translations, strict=True):
        paragraphs.setdefault(segment.paragraph, []).append(translated.translation)
    return "\n\n".join(" ".join(t for t in parts if t) for _, parts in sorted(paragraphs.items()))


def source_report(
    document: CleanDocument,
    guess: LanguageGuess,
    translations: Sequence[TranslatedSegment],
    translation: str,
    summary: str | Summary,
    model_id: str | None,
    english_title: str = "",
) -> SourceReport:
    """The record of a source that went through every stage.

    ``summary`` as the summariser gave it: a :class:`Summary` carries whether it was trimmed
    at the length limit. ``english_title`` is the translated title of a translated source;
    the source's own title is then kept as ``original_title``.
    """
    translated = bool(model_id and english_title)
    trimmed = isinstance(summary, Summary) and summary.trimmed
    if isinstance(summary, Summary):
        summary = summary.text
    return SourceReport(
        id=document.source.id,
        path=document.source.path,
        status=Status.OK,
        language=guess.language,
        language_confidence=round(guess.confidence, 4),
        mixed_language=guess.mixed,
        title=english_title if translated else document.title,
        original_title=document.title if translated else "",
        encoding=document.encoding,
        published=document.published,
        published_precision=document.published_precision,
        text=document.text,
        removed=list(document.removed),
        translation=translation,
        summary=summary,
        summary_trimmed=trimmed,
        sentences=list(translations),
        translation_model=model_id,
    )


def unfinished_report(
    source: Source,
    status: Status,
    error: str,
    document: CleanDocument | None = None,
    guess: LanguageGuess | None = None,
    duplicate_of: str | None = None,
) -> SourceReport:
    """A source that was skipped or failed, with whatever was learnt before it stopped
    (``duplicate_of``: the source a skipped copy repeats)."""
    report = SourceReport(id=source.id, path=source.path, status=status, error=error)
    report.duplicate_of = duplicate_of
    if document is not None:
        report.title = document.title
        report.encoding = document.encoding
        report.published = document.published
        report.published_precision = document.published_precision
        report.text = document.text
        report.removed = list(document.removed)
    if guess is not None:
        report.language = guess.language
        report.language_confidence = round(guess.confidence, 4)
        report.mixed_language = guess.mixed
    return report


def assemble_reports(
    found: Sequence[Source],
    stopped: Mapping[str, SourceReport],
    ready: Mapping[str, Prepared],
    results: Mapping[str, tuple[TranslationOutcome, str] | Failed],
) -> list[SourceReport]:
    """One report per source, in the order the sources were given: those ``stopped`` before
    translation as they are, the ``ready`` ones from their (translation, summary) or the
    step that failed. An English source's text is its own translation, paragraphs and all."""
    done = dict(stopped)
    for source_id, item in ready.items():
        result = results[source_id]
        if isinstance(result, Failed):
            done[source_id] = unfinished_report(
                item.source, Status.FAILED, result.reason, item.document, item.guess
            )
            continue
        outcome, summary = result
        passthrough = item.route.action == "passthrough"
        english = (
            item.document.text
            if passthrough
            else translated_text(item.segments, outcome.translations)
        )
        done[source_id] = source_report(
            item.document,
            item.guess,
            outcome.translations,
            english,
            summary,
            outcome.model_id,
            outcome.title,
        )
    return [done[source.id] for source in found]


def overview(reports: Sequence[SourceReport], max_points: int = 5) -> str:
    """An overview across sources: the most central summary sentences, each cited [n].

    Extractive on purpose: every sentence of the overview is a sentence of a source's
    summary, and the number says which source (its position in the briefing).
    """
    candidates: list[tuple[int, str]] = []
    for number, report in enumerate(reports, start=1):
        if report.status is Status.OK and report.summary:
            candidates.extend((number, s) for s in segment_text(report.summary, "en"))
    if not candidates:
        return "No source could be briefed; see the sources table for why."
    ranked = rank_sentences([s for _, s in candidates])
    chosen: list[int] = []
    cited: set[int] = set()
    # First pass: one sentence from as many different sources as possible.
    for index in ranked:
        if len(chosen) >= max_points:
            break
        if candidates[index][0] not in cited:
            chosen.append(index)
            cited.add(candidates[index][0])
    for index in ranked:
        if len(chosen) >= max_points:
            break
        if index not in chosen:
            chosen.append(index)
    chosen.sort()
    # The same sentence in several summaries (shared wire copy) is said once, citing all.
    cited_by: dict[str, list[int]] = {}
    for number, sentence in candidates:
        cited_by.setdefault(sentence, []).append(number)
    said: list[str] = []
    for index in chosen:
        sentence = candidates[index][1]
        if sentence not in said:
            said.append(sentence)
    return " ".join(f"{s} " + "".join(f"[{n}]" for n in sorted(set(cited_by[s]))) for s in said)


def build_briefing(
    title: str,
    reports: Sequence[SourceReport],
    models: ModelsUsed,
    test_models: bool = False,
    generated_at: datetime | None = None,
    synthesis: Synthesis | None = None,
    quality: dict[str, Any] | None = None,
) -> Briefing:
    """One briefing from the per-source reports, in the order the sources were given,
    with the synthesis across them (its cited overview replaces the plain one) and the
    faithfulness checks, when the run made them."""
    when = (generated_at or datetime.now(UTC)).isoformat(timespec="seconds")
    notes = []
    if test_models:
        notes.append(
            "Made with tiny random-weight TEST models: translations and summaries are not real."
        )
    problems = [r for r in reports if r.status is not Status.OK]
    if problems:
        notes.append(
            f"{len(problems)} of {len(reports)} sources were not briefed: "
            + "; ".join(f"{r.id} ({r.status})" for r in problems)
        )
    if synthesis is not None:
        notes.extend(synthesis.notes)
    return Briefing(
        title=title,
        generated_at=when,
        overview=synthesis.overview if synthesis and synthesis.overview else overview(reports),
        sources=list(reports),
        models=models,
        test_models=test_models,
        notes=notes,
        synthesis=synthesis,
        quality=quality,
    )
