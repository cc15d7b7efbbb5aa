"""What a briefing run does, without Prefect: discover -> read -> prepare -> triage ->
translate -> summarise -> synthesise -> assemble -> write. Read and prepare need no model,
so every source gets them (the lines its pages share known before any is cleaned); triage
stops copies, sources briefed before, those with nothing to brief, no model or no file.
The engines are arguments: the real models (``flows/briefing_flow.py``) or stand-ins."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.assemble import briefing as assemble
from pipeline.assemble.document import Briefing
from pipeline.config.schema import BriefingConfig
from pipeline.documents.clean import RunFurniture, run_furniture
from pipeline.documents.dedup import mark_duplicates
from pipeline.documents.prepare import (
    Prepared,
    Skipped,
    model_groups,
    prepare_source,
    read_document,
)
from pipeline.quality.faithfulness import faithfulness_report
from pipeline.render.render import write_briefing
from pipeline.sources.web import FetchLimits, gather_sources
from pipeline.storage.ledger import Ledger
from pipeline.summaries.summarize import Summarizer
from pipeline.synthesis.synthesize import synthesize
from pipeline.translation.base import ProgressCallback, Translator
from pipeline.translation.glossary import Glossary, load_glossary
from pipeline.translation.passthrough import PassthroughTranslator
from pipeline.translation.titles import translate_with_title
from pipeline.types import (
    Failed,
    ModelsUsed,
    RawDocument,
    RunSummary,
    Source,
    SourceReport,
    Status,
    Summary,
    TranslationOutcome,
    Unreadable,
    attempt,
)


@dataclass(frozen=True)
class Engines:
    """The models of a run, asked for when needed (one translator in memory at a time)."""

    translator: Callable[[str], Translator]  # the engine for a language's sources
    summarizer: Callable[[], Summarizer]
    used: ModelsUsed = field(default_factory=ModelsUsed)  # the record of models, for the JSON


@dataclass(frozen=True)
class Triage:
    ready: dict[str, Prepared]  # on to translation
    stopped: dict[str, SourceReport]  # skipped or failed here


def discover(config: BriefingConfig) -> list[Source]:
    """Files, folders, globs, URLs and feeds expanded into the run's sources."""
    return gather_sources(list(config.sources), FetchLimits.of(config.web))


def read(source: Source, config: BriefingConfig, retry: bool = False) -> RawDocument | Unreadable:
    """The source's text, read (or fetched) once, for the run's shared furniture; or why it
    could not be read, for prepare to report. ``retry``: raise a fetch failure that may pass."""
    return read_document(source, FetchLimits.of(config.web), retry)


def shared_furniture(raws: Iterable[RawDocument | Unreadable | Failed]) -> RunFurniture:
    """The lines the run's pages share as outlet furniture (never a shared wire lead)."""
    return run_furniture(raw.text for raw in raws if isinstance(raw, RawDocument))


def prepare(
    source: Source,
    config: BriefingConfig,
    furniture: RunFurniture,
    raw: RawDocument | Unreadable | Failed,
) -> Prepared | Skipped | Failed:
    """Clean, detect, segment what read gave, never reading again: a source that could not
    be read fails (raises) or is skipped for the reason reading gave; a read that broke
    stays that failure."""
    if isinstance(raw, Failed):
        return raw
    return prepare_source(source, config.translation, FetchLimits.of(config.web), furniture, raw)


def triage(
    found: Sequence[Source],
    prepared: Mapping[str, Prepared | Skipped | Failed],
    ledger: Ledger | None,
) -> Triage:
    """Which sources go on: not failed, not skipped, not a copy, not briefed before."""
    done = [p for p in prepared.values() if not isinstance(p, Failed)]
    unique = {p.source.id: p for p in mark_duplicates(done)}
    ready: dict[str, Prepared] = {}
    stopped: dict[str, SourceReport] = {}
    for source in found:
        if isinstance(outcome := prepared[source.id], Failed):
            stopped[source.id] = assemble.unfinished_report(source, Status.FAILED, outcome.reason)
            continue
        item = unique[source.id]
        before = ledger.briefed_before(item.document.text) if ledger and item.document else None
        if isinstance(item, Prepared) and before is None:
            ready[source.id] = item
        else:
            reason = item.reason if isinstance(item, Skipped) else before or ""
            stopped[source.id] = assemble.unfinished_report(
                source, Status.SKIPPED, reason, item.document, item.guess, item.duplicate_of
            )
    return Triage(ready, stopped)


def translate(
    item: Prepared, engines: Engines, progress: ProgressCallback | None = None
) -> TranslationOutcome:
    """One source's sentences and title in English (a passthrough language, English, as it
    is); a title the text lacks goes in the same call as one more sentence."""
    passthrough = item.route.action == "passthrough"
    engine = PassthroughTranslator() if passthrough else engines.translator(item.route.language)
    started = time.perf_counter()
    translations, title = translate_with_title(
        lambda batch: engine.translate(batch, item.guess.language, progress=progress),
        [segment.text for segment in item.segments],
        "" if passthrough else item.document.title,
        item.segments,
    )
    return TranslationOutcome(translations, time.perf_counter() - started, engine.model_id, title)


def summarise(documents: Mapping[str, Sequence[str]], summarizer: Summarizer) -> dict[str, Summary]:
    """A summary per source (from its English sentences), all at once: batched across them."""
    return dict(zip(documents, summarizer.summarize_many(list(documents.values())), strict=True))


def synthesise(
    briefed: Sequence[SourceReport],
    config: BriefingConfig,
    models: ModelsUsed,
    glossary: Glossary | None = None,
) -> Briefing:
    """Across sources (glossary, groups, points, timeline, flags, faithfulness): the Briefing."""
    synthesis = synthesize(briefed, config.synthesis, models.tiny, config.summary.method, glossary)
    quality = faithfulness_report(synthesis.reports, config.synthesis.flags)
    return assemble.build_briefing(
        config.title, synthesis.reports, models, models.tiny, synthesis=synthesis, quality=quality
    )


def brief(
    config: BriefingConfig,
    engines: Engines,
    ledger: Ledger | None = None,
    glossary: Glossary | None = None,
) -> Briefing | None:
    """The whole run in this process, step after step; None when nothing is new."""
    found = discover(config)
    raws = {s.id: attempt(read, s, config) for s in found}
    furniture = shared_furniture(raws.values())
    prepared = {s.id: attempt(prepare, s, config, furniture, raws[s.id]) for s in found}
    triaged = triage(found, prepared, ledger)
    if ledger is not None and not triaged.ready:
        return None
    order = [sid for group in model_groups(triaged.ready) for sid in group]
    results = {sid: attempt(translate, triaged.ready[sid], engines) for sid in order}
    english = {sid: r.english() for sid, r in results.items() if not isinstance(r, Failed)}
    summaries = attempt(lambda: summarise(english, engines.summarizer())) if english else {}
    for sid in english:  # a summariser that fails fails them all
        failed = isinstance(summaries, Failed)
        results[sid] = summaries if failed else (results[sid], summaries[sid])
    reports = assemble.assemble_reports(found, triaged.stopped, triaged.ready, results)
    return synthesise(reports, config, engines.used, glossary)


def run_briefing(config: BriefingConfig, engines: Engines) -> RunSummary:
    """Brief and write: what the run did."""
    ledger = Ledger.of(config.output_dir, config.output_name) if config.only_new else None
    glossary = load_glossary(config.glossary) if config.glossary else None
    briefing = brief(config, engines, ledger, glossary)
    return (
        briefing.summary(write_briefing(briefing, config, ledger))
        if briefing
        else RunSummary({}, None)
    )
