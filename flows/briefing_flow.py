"""The briefing flow: a thin Prefect shell over ``pipeline/``.

Per source, a chain of task runs: prepare (read, clean, detect, segment) -> translate ->
summarise. A source whose chain breaks ends ``failed`` (or ``skipped``) in the briefing
while the others complete. Models are looked up in ``flows.runtime`` inside the tasks,
so each is loaded once per worker process and never travels as a task input.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from flows import runtime
from pipeline.config import BriefingConfig, load_config
from pipeline.documents import SourceReport, Status, TranslatedSegment
from pipeline.ingest import discover_sources
from pipeline.merge import build_briefing, source_report, translated_text, unfinished_report
from pipeline.prepare import PreparedSource, prepare_source
from pipeline.render import write_outputs
from pipeline.routing import language_name


@task(name="prepare", cache_policy=NO_CACHE, task_run_name="prepare-{source_id}")
def prepare_task(source_id: str, source: Any, config: BriefingConfig) -> PreparedSource:
    prepared = prepare_source(source, config.translation)
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


@task(name="resolve-models", cache_policy=NO_CACHE, task_run_name="resolve-models")
def resolve_models_task(config: BriefingConfig, languages: list[str]) -> dict[str, Any]:
    """Find (or download) every model the run needs before any source is translated, so a
    missing model stops the run at once with a message saying how to provide it."""
    logger = get_run_logger()
    used: dict[str, Any] = {"translation": {}, "summary": None}
    for language in languages:
        spec = config.translation.models[language]
        resolved = runtime.resolved_model(spec)
        logger.info(
            "model for %s: %s from %s (%s)", language, spec.id, resolved.path, resolved.origin
        )
        used["translation"][language] = resolved.to_dict()
    if config.summary.method == "abstractive":
        resolved = runtime.resolved_model(config.summary.model)
        used["summary"] = resolved.to_dict()
    else:
        used["summary"] = {"method": "extractive", "max_sentences": config.summary.max_sentences}
    return used


@task(name="translate", cache_policy=NO_CACHE, task_run_name="translate-{source_id}-{language}")
def translate_task(
    source_id: str, language: str, prepared: PreparedSource, config: BriefingConfig
) -> list[TranslatedSegment]:
    sentences = [segment.text for segment in prepared.segments]
    assert prepared.route is not None
    if prepared.route.action == "passthrough":
        return [TranslatedSegment(source=s, translation=s) for s in sentences]
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
    logger.info(
        "%s: %d sentences translated with %s in %.1f s",
        source_id,
        len(translations),
        prepared.route.model.id,
        time.perf_counter() - started,
    )
    return translations


@task(name="summarize", cache_policy=NO_CACHE, task_run_name="summarize-{source_id}")
def summarize_task(
    source_id: str, translations: list[TranslatedSegment], config: BriefingConfig
) -> str:
    engine = runtime.summarizer(config.summary, config.translation.device)
    return engine.summarize([t.translation for t in translations if t.translation])


@task(name="write-briefing", cache_policy=NO_CACHE, task_run_name="write-briefing")
def write_task(briefing: Any, output_dir: Path, name: str, formats: list[str]) -> dict[str, str]:
    paths = write_outputs(briefing, output_dir, name, formats)
    return {fmt: str(path) for fmt, path in paths.items()}


def _failure_message(state: State) -> str:
    """The reason a task run failed, as one line for the briefing."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception as exc:  # the result itself could not be read
        error = exc
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return state.message or "failed"


def _run_name() -> str:
    from prefect.runtime import flow_run

    sources = flow_run.parameters.get("sources") or []
    return f"briefing-{len(sources)}-sources" if sources else "briefing"


@flow(
    name="briefing",
    flow_run_name=_run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=4),
    log_prints=True,
)
def briefing_flow(
    sources: list[str] | None = None,
    output_dir: str | None = None,
    output_name: str | None = None,
    config_path: str | None = None,
    config: BriefingConfig | None = None,
) -> dict[str, str]:
    """Brief ``sources`` (files or folders; default: the config's) into one English
    briefing written as Markdown, HTML and JSON. Returns the paths written, by format.

    The config is ``config`` when given (the CLI passes the one it validated), else the
    YAML at ``config_path``, else configs/default.yaml; the other parameters override it.
    """
    if config is None:
        config = load_config(config_path)
    overrides: dict[str, Any] = {}
    if sources:
        overrides["sources"] = [Path(s) for s in sources]
    if output_dir:
        overrides["output_dir"] = Path(output_dir)
    if output_name:
        overrides["output_name"] = output_name
    if overrides:
        config = BriefingConfig.model_validate({**config.model_dump(), **overrides})
    return run_briefing(config)


def run_briefing(config: BriefingConfig) -> dict[str, str]:
    """The body of the flow, for a config already in hand."""
    logger = get_run_logger()
    found = discover_sources(config.sources)
    logger.info("briefing %d sources into %s", len(found), config.output_dir)

    prepared_futures = {src.id: prepare_task.submit(src.id, src, config) for src in found}
    wait(list(prepared_futures.values()))
    reports: dict[str, SourceReport] = {}
    ready: dict[str, PreparedSource] = {}
    for src in found:
        state = prepared_futures[src.id].state
        if not state.is_completed():
            reports[src.id] = unfinished_report(src, Status.FAILED, _failure_message(state))
            continue
        prepared: PreparedSource = state.result()
        if prepared.skipped:
            reports[src.id] = unfinished_report(
                src,
                Status.SKIPPED,
                prepared.skip_reason or "skipped",
                prepared.document,
                prepared.guess,
            )
        else:
            ready[src.id] = prepared

    languages = sorted(
        {p.route.language for p in ready.values() if p.route and p.route.action == "translate"}
    )
    models = resolve_models_task(config, languages)

    translate_futures: dict[str, PrefectFuture[Any]] = {}
    summary_futures: dict[str, PrefectFuture[Any]] = {}
    for source_id, prepared in ready.items():
        assert prepared.guess is not None
        translated = translate_task.submit(source_id, prepared.guess.language, prepared, config)
        translate_futures[source_id] = translated
        summary_futures[source_id] = summarize_task.submit(source_id, translated, config)
    wait(list(translate_futures.values()) + list(summary_futures.values()))

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
        translations: list[TranslatedSegment] = translated_state.result()
        if prepared.route is not None and prepared.route.action == "passthrough":
            english = prepared.document.text
        else:
            english = translated_text(prepared.segments, translations)
        model_id = prepared.route.model.id if prepared.route and prepared.route.model else None
        reports[source_id] = source_report(
            prepared.document,
            prepared.guess,
            translations,
            english,
            summary_state.result(),
            model_id,
        )

    ordered = [reports[src.id] for src in found]
    test_models = _uses_test_models(models)
    briefing = build_briefing(config.title, ordered, models, test_models=test_models)
    paths = write_task(briefing, config.output_dir, config.output_name, list(config.formats))
    counts = briefing.counts()
    logger.info(
        "briefing written: %s (%d ok, %d skipped, %d failed)",
        ", ".join(paths.values()),
        counts["ok"],
        counts["skipped"],
        counts["failed"],
    )
    return paths


def _uses_test_models(models: dict[str, Any]) -> bool:
    records: Sequence[Any] = [*models["translation"].values(), models.get("summary")]
    return any(isinstance(r, dict) and r.get("tiny") for r in records)
