"""The briefing flow: a thin Prefect shell over ``pipeline/``.

``briefing`` (the deployment entry point) loads and validates the config, then runs
``brief-sources`` with the task runner the config asks for (threads, or Dask). Per source,
a chain of task runs: prepare (read or fetch, clean, detect, segment) -> translate ->
summarise. A source whose chain breaks ends ``failed`` (or ``skipped``) in the briefing
while the others complete.

Models are looked up in ``flows.runtime`` inside the tasks, so each is loaded once per
worker process and never travels as a task input. Translations and summaries are cached
by content, model revision and output-changing settings, with results persisted in the
configured cache directory: a rerun over unchanged sources does no model work.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, tags, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture, as_completed, wait
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from flows.artifacts import link_child_run
from flows.naming import run_name, run_tags
from flows.states import carried, final_state
from pipeline.assemble.briefing import (
    build_briefing,
    source_report,
    translated_text,
    unfinished_report,
)
from pipeline.assemble.document import Briefing
from pipeline.config.load import load_config
from pipeline.config.schema import BriefingConfig, RunnerConfig
from pipeline.documents.dedup import mark_duplicates
from pipeline.documents.prepare import PreparedSource, prepare_source
from pipeline.languages import language_name
from pipeline.models import loaded as runtime
from pipeline.models.locate import ModelNotAvailable
from pipeline.quality.faithfulness import faithfulness_report
from pipeline.render.render import render_markdown, write_outputs
from pipeline.sources.web import FetchLimits, TransientSourceError, gather_sources
from pipeline.storage.ledger import Ledger
from pipeline.synthesis.synthesize import synthesize
from pipeline.translation.glossary import Glossary, load_glossary
from pipeline.types import SourceReport, Status, Summary, TranslatedSegment, failure_text

MODEL_TAG = "briefing-model"
# Translation settings that change the output, and so belong in the cache key. Threads,
# workers, device and batch sizes change only the speed (batched output is identical).
_SPEED_ONLY = {
    "threads",
    "workers",
    "device",
    "max_batch_tokens",
    "max_batch_sentences",
    "models",
}


@dataclass(frozen=True)
class TranslationOutcome:
    translations: list[TranslatedSegment]
    seconds: float
    model_id: str | None


# -- retry conditions ----------------------------------------------------------------------


def _transient_fetch(task: Any, task_run: Any, state: State) -> bool:
    """Retry a source only when fetching it failed in a way that may pass."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, TransientSourceError)


def _transient_download(task: Any, task_run: Any, state: State) -> bool:
    """Retry model resolution only for a download that failed, not for offline/missing."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, ModelNotAvailable) and error.retryable


# -- cache keys ----------------------------------------------------------------------------


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _translation_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    prepared: PreparedSource = parameters["prepared"]
    return "translate-" + _digest(
        {
            "sentences": [s.text for s in prepared.segments],
            "language": parameters["language"],
            "model": parameters["model"],
            "settings": parameters["settings"],
        }
    )


def _summary_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    outcome: TranslationOutcome = parameters["outcome"]
    return "summarize-" + _digest(
        {
            "text": [t.translation for t in outcome.translations],
            "model": parameters["model"],
            "settings": parameters["settings"],
        }
    )


# -- tasks ---------------------------------------------------------------------------------


@task(name="discover-sources", cache_policy=NO_CACHE, task_run_name="discover-sources")
def discover_task(entries: list[str], limits: FetchLimits) -> list[Any]:
    """Expand files, folders, globs, URLs and feeds into the run's sources."""
    sources = gather_sources(entries, limits)
    get_run_logger().info("%d sources from %d entries", len(sources), len(entries))
    return sources


@task(
    name="prepare",
    cache_policy=NO_CACHE,
    task_run_name="prepare-{source_id}",
    retry_condition_fn=_transient_fetch,
    retry_delay_seconds=[2, 10, 30],
)
def prepare_task(
    source_id: str, source: Any, config: BriefingConfig, limits: FetchLimits
) -> PreparedSource:
    prepared = prepare_source(source, config.translation, limits)
    logger = get_run_logger()
    if prepared.skipped:
        logger.warning("%s skipped: %s", source_id, prepared.skip_reason)
    else:
        assert prepared.guess is not None
        logger.info(
            "%s: %s (confidence %.2f%s), %d sentences",
            source_id,
            language_name(prepared.guess.language),
            prepared.guess.confidence,
            ", mixed language" if prepared.guess.mixed else "",
            len(prepared.segments),
        )
    return prepared


@task(
    name="resolve-models",
    cache_policy=NO_CACHE,
    task_run_name="resolve-models",
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=_transient_download,
)
def resolve_models_task(config: BriefingConfig, languages: list[str]) -> dict[str, Any]:
    """Find (or download) every model the run needs before any source is translated, so a
    missing model stops the run at once with a message saying how to provide it."""
    logger = get_run_logger()
    used: dict[str, Any] = {"translation": {}, "summary": None}
    for language in languages:
        spec = config.translation.models[language]
        resolved = runtime.resolved_model(spec)
        logger.info("model for %s: %s (%s: %s)", language, spec.id, resolved.origin, resolved.path)
        used["translation"][language] = resolved.to_dict()
    if config.summary.method == "abstractive":
        used["summary"] = runtime.resolved_model(config.summary.model).to_dict()
    else:
        used["summary"] = {"method": "extractive", "max_sentences": config.summary.max_sentences}
    return used


def translate_source(
    source_id: str,
    language: str,
    prepared: PreparedSource,
    model: dict[str, Any] | None,
    settings: dict[str, Any],
    config: BriefingConfig,
) -> TranslationOutcome:
    """Translate one source's sentences (English passes through verbatim)."""
    sentences = [segment.text for segment in prepared.segments]
    assert prepared.route is not None
    if prepared.route.action == "passthrough":
        return TranslationOutcome([TranslatedSegment(s, s) for s in sentences], 0.0, None)
    assert prepared.route.model is not None
    logger = get_run_logger()
    engine = runtime.translator(prepared.route.model, config.translation)
    started = time.perf_counter()
    last_report = [started]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last_report[0] > 5:
            last_report[0] = now
            logger.info("%s: translated %d/%d sentences", source_id, done, total)

    translations = engine.translate(sentences, language, progress=progress)
    seconds = time.perf_counter() - started
    logger.info(
        "%s: %d sentences translated with %s in %.1f s",
        source_id,
        len(translations),
        prepared.route.model.id,
        seconds,
    )
    return TranslationOutcome(translations, seconds, prepared.route.model.id)


def summarize_source(
    source_id: str,
    outcome: TranslationOutcome,
    model: dict[str, Any] | None,
    settings: dict[str, Any],
    config: BriefingConfig,
) -> Summary:
    engine = runtime.summarizer(config.summary, config.translation)
    # summarize_many: the concurrent summarise tasks' chunks join one length-sorted batch,
    # and the Summary says whether it was trimmed at the length limit (a flag).
    english = [t.translation for t in outcome.translations if t.translation]
    return engine.summarize_many([english])[0]


def _model_task(function: Any, name: str, run_name: str, key: Any, cached: bool) -> Any:
    """A model task (translate, summarise), cached by content or never (cache.enabled:
    false): built here from one definition, as Prefect's with_options can't remove a
    cache_key_fn."""
    caching = {"cache_key_fn": key} if cached else {"cache_policy": NO_CACHE}
    return task(function, name=name, task_run_name=run_name, **caching)


def translate_task(cached: bool = True) -> Any:
    return _model_task(
        translate_source, "translate", "translate-{source_id}-{language}", _translation_key, cached
    )


def summarize_task(cached: bool = True) -> Any:
    return _model_task(summarize_source, "summarize", "summarize-{source_id}", _summary_key, cached)


@task(name="synthesize", cache_policy=NO_CACHE, task_run_name="synthesize")
def synthesize_task(
    reports: list[SourceReport],
    models: dict[str, Any],
    config: BriefingConfig,
    glossary: Glossary | None,
) -> Briefing:
    """Across sources: glossary, story groups, cited points, divergences, timeline, flags;
    then the reference-free faithfulness checks, and the briefing itself."""
    test_models = _uses_test_models(models)
    synthesis = synthesize(
        reports, config.synthesis, test_models, config.summary.method, glossary=glossary
    )
    briefing = build_briefing(config.title, synthesis.reports, models, test_models=test_models)
    briefing.synthesis = synthesis
    if synthesis.overview:  # one cited paragraph per story, from the key points
        briefing.overview = synthesis.overview
    briefing.notes.extend(synthesis.notes)
    briefing.quality = faithfulness_report(synthesis.reports)
    overall = briefing.quality["overall"]
    get_run_logger().info(
        "%d story groups; faithfulness: coverage %.0f%%, %d numbers missing, %d problems, "
        "%d warnings",
        len(synthesis.groups),
        100 * overall["coverage"],
        overall["numbers_missing"],
        overall["problems"],
        overall["warnings"],
    )
    return briefing


@task(name="write-briefing", cache_policy=NO_CACHE, task_run_name="write-briefing")
def write_task(
    briefing: Briefing, output_dir: Path, name: str, formats: list[str]
) -> dict[str, str]:
    paths = write_outputs(briefing, output_dir, name, formats)
    return {fmt: str(path) for fmt, path in paths.items()}


# -- helpers -------------------------------------------------------------------------------


def _failure_message(state: State) -> str:
    """The reason a task run failed, as one line for the briefing."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception as exc:  # the result itself could not be read
        error = exc
    if isinstance(error, BaseException):
        return failure_text(error)
    return state.message or "failed"


def artifact_key(name: str, suffix: str = "") -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    key = re.sub(r"[^a-z0-9-]+", "-", f"briefing-{name}{suffix}".lower()).strip("-")
    return re.sub(r"-{2,}", "-", key)[:100]


def task_runner_for(runner: RunnerConfig) -> Any:
    """The Prefect task runner the config asks for."""
    if runner.kind == "dask":
        from prefect_dask import DaskTaskRunner

        if runner.dask_address:
            return DaskTaskRunner(address=runner.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": runner.dask_workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return ThreadPoolTaskRunner(max_workers=runner.max_workers)


def _ensure_model_concurrency_limit(limit: int) -> None:
    """A tag-based concurrency limit so model-heavy task runs don't crowd a worker."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            client.create_concurrency_limit(tag=MODEL_TAG, concurrency_limit=limit)
    except Exception as error:  # never fatal: the run works without the limit
        get_run_logger().warning("could not set the %s concurrency limit: %s", MODEL_TAG, error)


def _output_settings(config: BriefingConfig) -> dict[str, Any]:
    return {
        k: v for k, v in config.translation.model_dump(mode="json").items() if k not in _SPEED_ONLY
    }


def _model_tasks(config: BriefingConfig) -> tuple[Any, Any]:
    """The translate and summarise tasks, cached in the configured store unless off, and
    tagged for the server's concurrency limit when one is configured."""
    tags = [MODEL_TAG] if config.runner.model_concurrency is not None else []
    cached = config.cache.enabled
    pair = (translate_task(cached), summarize_task(cached))
    if not cached:
        return tuple(t.with_options(tags=tags) for t in pair)  # type: ignore[return-value]
    storage = config.cache.location() / "results"
    storage.mkdir(parents=True, exist_ok=True)
    return tuple(  # type: ignore[return-value]
        t.with_options(persist_result=True, result_storage=storage, tags=tags) for t in pair
    )


def _run_name() -> str:
    from prefect.runtime import flow_run

    parameters = flow_run.parameters
    config = parameters.get("config")
    if not isinstance(config, BriefingConfig):
        config = None
    return run_name(config, parameters.get("output_name"))


# -- flows ---------------------------------------------------------------------------------


@flow(name="briefing", flow_run_name=_run_name, log_prints=True)
def briefing_flow(
    sources: list[str] | None = None,
    output_dir: str | None = None,
    output_name: str | None = None,
    only_new: bool | None = None,
    config_path: str | None = None,
    config: BriefingConfig | None = None,
) -> dict[str, str]:
    """Brief ``sources`` (files, folders, globs, URLs, feeds; default: the config's) into one
    English briefing written as Markdown, HTML and JSON. Returns the paths written.

    The config is ``config`` when given (the CLI passes the one it validated), else the
    YAML at ``config_path``, else configs/default.yaml; the other parameters override it.
    With ``only_new``, sources already briefed under this output name are skipped.
    """
    if config is None:
        config = load_config(config_path)
    overrides: dict[str, Any] = {}
    if sources:
        overrides["sources"] = list(sources)
    if output_dir:
        overrides["output_dir"] = output_dir
    if output_name:
        overrides["output_name"] = output_name
    if only_new is not None:
        overrides["only_new"] = only_new
    if overrides:
        config = BriefingConfig.model_validate({**config.model_dump(), **overrides})
    if config.runner.model_concurrency is not None:
        _ensure_model_concurrency_limit(config.runner.model_concurrency)
    brief = brief_sources.with_options(
        task_runner=task_runner_for(config.runner), flow_run_name=run_name(config)
    )
    with tags(*run_tags(config)):
        # The child's state (Partial, Nothing new) is this run's too: the list shows it.
        child = brief(config, return_state=True)
    link_child_run(child, artifact_key(config.resolved_output_name(), "-run"))
    return carried(child)  # type: ignore[return-value]


@flow(name="brief-sources", log_prints=True)
def brief_sources(config: BriefingConfig) -> dict[str, str]:
    """The body of a briefing run, for a config already validated."""
    logger = get_run_logger()
    limits = FetchLimits(timeout=config.web.timeout, max_bytes=config.web.max_bytes)
    name = config.resolved_output_name()
    glossary = load_glossary(config.glossary) if config.glossary else None  # fail early
    found = discover_task(list(config.sources), limits)
    logger.info("briefing %d sources into %s/%s", len(found), config.output_dir, name)
    progress_id = create_progress_artifact(
        0.0, key=artifact_key(name, "-progress"), description=f"Sources briefed of {len(found)}"
    )

    prepare = prepare_task.with_options(retries=config.web.retries)
    prepared_futures = {src.id: prepare.submit(src.id, src, config, limits) for src in found}
    wait(list(prepared_futures.values()))
    reports: dict[str, SourceReport] = {}
    ready: dict[str, PreparedSource] = {}
    # The ledger belongs to the output name as configured ("daily-{date}" -> "daily-date"),
    # so dated briefings of one schedule share what they have already briefed.
    ledger_name = re.sub(r"[{}]", "", config.output_name)
    ledger = Ledger.load(config.output_dir, ledger_name) if config.only_new else None
    states = {src.id: prepared_futures[src.id].state for src in found}
    # The same article twice (another file, another site): briefed once, the copy skipped.
    deduplicated = {
        p.source.id: p
        for p in mark_duplicates([s.result() for s in states.values() if s.is_completed()])
    }
    for src in found:
        state = states[src.id]
        if not state.is_completed():
            reports[src.id] = unfinished_report(src, Status.FAILED, _failure_message(state))
            continue
        prepared: PreparedSource = deduplicated[src.id]
        seen = ledger.seen(prepared.document.text) if ledger and prepared.document else None
        if prepared.skipped:
            reports[src.id] = unfinished_report(
                src,
                Status.SKIPPED,
                prepared.skip_reason or "skipped",
                prepared.document,
                prepared.guess,
            )
        elif seen is not None:
            reports[src.id] = unfinished_report(
                src,
                Status.SKIPPED,
                f"already briefed on {seen['briefed_at']} (as {seen['id']})",
                prepared.document,
                prepared.guess,
            )
        else:
            ready[src.id] = prepared
    finished = len(reports)
    update_progress_artifact(progress_id, 100.0 * finished / max(1, len(found)))

    if ledger is not None and not ready:
        logger.info("nothing new: all %d sources were briefed before or skipped", len(found))
        create_markdown_artifact(
            f"# {config.title}\n\nNothing new to brief: {len(found)} sources, "
            "all briefed before or skipped.",
            key=artifact_key(name),
            description="No new sources",
        )
        update_progress_artifact(progress_id, 100.0)
        return final_state(name, None, {})

    languages = sorted(
        {p.route.language for p in ready.values() if p.route and p.route.action == "translate"}
    )
    models = resolve_models_task(config, languages)
    settings = _output_settings(config)
    summary_settings = config.summary.model_dump(mode="json")

    translate, summarize = _model_tasks(config)
    translated = 0  # sources translated whose summary is not yet counted as finished
    translate_futures: dict[str, PrefectFuture[Any]] = {}
    summary_futures: dict[str, PrefectFuture[Any]] = {}
    # One model at a time: the sources of a model are translated (in parallel task runs,
    # which share the loaded model) before the next model's are submitted, so a briefing in
    # three languages needs the memory of one model, not three. English goes first (no
    # model).
    for group in _model_groups(ready, runtime.loaded_model_ids()):
        for source_id in group:
            prepared = ready[source_id]
            assert prepared.guess is not None and prepared.route is not None
            language = prepared.guess.language
            model = models["translation"].get(language)
            translate_futures[source_id] = translate.submit(
                source_id, language, prepared, model, settings, config
            )
        for _ in as_completed([translate_futures[source_id] for source_id in group]):
            translated += 1
            update_progress_artifact(progress_id, _progress(finished, translated, len(found)))
    # Summaries after all translations: they share the CPU lock anyway, and the summariser
    # loads once, after the last translator is let go (one model in memory at a time).
    for source_id in ready:
        summary_futures[source_id] = summarize.submit(
            source_id,
            translate_futures[source_id],
            models["summary"],
            summary_settings,
            config,
        )
    by_future = {future: source_id for source_id, future in summary_futures.items()}
    for future in as_completed(list(summary_futures.values())):
        finished += 1
        translated -= 1
        update_progress_artifact(progress_id, _progress(finished, translated, len(found)))
        logger.info("%s done (%d/%d)", by_future[future], finished, len(found))
    # wait() takes each run's final state from the future itself. Without it, ``.state``
    # of a future that as_completed() yielded asks the server, which may not have
    # processed the run's last state event yet (a cached run is over in milliseconds)
    # and answer PENDING: a finished source would be reported as failed.
    wait([*translate_futures.values(), *summary_futures.values()])

    rows: list[dict[str, Any]] = []
    for source_id, prepared in ready.items():
        assert prepared.document is not None and prepared.guess is not None
        translated_state = translate_futures[source_id].state
        summary_state = summary_futures[source_id].state
        failed = next((s for s in (translated_state, summary_state) if not s.is_completed()), None)
        if failed is not None:
            reports[source_id] = unfinished_report(
                prepared.source,
                Status.FAILED,
                _failure_message(failed),
                prepared.document,
                prepared.guess,
            )
            continue
        outcome: TranslationOutcome = translate_futures[source_id].result()
        if prepared.route is not None and prepared.route.action == "passthrough":
            english = prepared.document.text
        else:
            english = translated_text(prepared.segments, outcome.translations)
        reports[source_id] = source_report(
            prepared.document,
            prepared.guess,
            outcome.translations,
            english,
            summary_futures[source_id].result(),
            outcome.model_id,
        )
        rows.append(_table_row(reports[source_id], outcome))

    ordered = [reports[src.id] for src in found]
    briefing = synthesize_task(ordered, models, config, glossary)
    paths = write_task(briefing, config.output_dir, name, list(config.formats))
    if ledger is not None:
        for report in ordered:
            if report.status is Status.OK:
                ledger.record(report.text, report.id, report.path)
        ledger.save()

    rows += [_table_row(r, None) for r in ordered if r.status is not Status.OK]
    create_table_artifact(
        rows, key=artifact_key(name, "-sources"), description=f"Sources of {name}"
    )
    create_markdown_artifact(
        render_markdown(briefing), key=artifact_key(name), description=config.title
    )
    update_progress_artifact(progress_id, 100.0)
    counts = briefing.counts()
    logger.info(
        "briefing written: %s (%d ok, %d skipped, %d failed)",
        ", ".join(paths.values()),
        counts["ok"],
        counts["skipped"],
        counts["failed"],
    )
    return final_state(name, counts, paths)


def _progress(finished: int, translated: int, total: int) -> float:
    """Percent of sources briefed: a finished source counts 1, one translated but not yet
    summarised 0.9 (translation is most of a source's work)."""
    return min(100.0, 100.0 * (finished + 0.9 * translated) / max(1, total))


def _model_groups(
    ready: dict[str, PreparedSource], loaded: set[str] | frozenset[str] = frozenset()
) -> list[list[str]]:
    """Source ids grouped by the model that translates them: passthrough (no model) first,
    then a model this process already holds (``loaded``: hub ids; a worker that ran the
    last briefing need not load it again), then the others in order of first appearance.
    Sources keep their order within a group."""
    groups: dict[tuple[int, str], list[str]] = {}
    for source_id, prepared in ready.items():
        route = prepared.route
        model = route.model if route is not None and route.action == "translate" else None
        if model is None:
            key = (0, "")
        else:
            key = (1 if model.id in loaded else 2, f"{model.id}|{model.revision}|{model.path}")
        groups.setdefault(key, []).append(source_id)
    return [groups[key] for key in sorted(groups, key=lambda key: key[0])]


def _table_row(report: SourceReport, outcome: TranslationOutcome | None) -> dict[str, Any]:
    confidences = [s.confidence for s in report.sentences if s.confidence is not None]
    return {
        "source": report.id,
        "language": report.language or "-",
        "status": str(report.status),
        "sentences": len(report.sentences),
        "characters": len(report.text),
        "translate_seconds": round(outcome.seconds, 2) if outcome else None,
        "mean_confidence": round(sum(confidences) / len(confidences), 3) if confidences else None,
        "error": report.error or "",
    }


def _uses_test_models(models: dict[str, Any]) -> bool:
    records = [*models["translation"].values(), models.get("summary")]
    return any(isinstance(r, dict) and r.get("tiny") for r in records)
