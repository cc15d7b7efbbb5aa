"""The Prefect tasks of a briefing run: each wraps one step of :mod:`pipeline.run` and adds
what Prefect brings (a task run with logs, retries, result caching, concurrency tags).

Models are looked up in :mod:`pipeline.models.loaded` inside the tasks, so each is loaded
once per worker process and never travels as a task input. Translations and summaries are
cached by content, model and output-changing settings (:mod:`flows.caching`), persisted in
the configured cache directory: a rerun over unchanged sources does no model work.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture, as_completed, wait
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from flows.artifacts import Progress
from flows.caching import output_settings, summary_key, translation_key
from flows.console import stage_advance, stage_done, stage_part, stage_start
from pipeline import run
from pipeline.assemble.document import Briefing
from pipeline.config.schema import BriefingConfig, RunnerConfig
from pipeline.documents.clean import RunFurniture
from pipeline.documents.prepare import Prepared, PreparedSource, Skipped, model_groups
from pipeline.languages import language_name
from pipeline.models import loaded as runtime
from pipeline.models.locate import ModelNotAvailable
from pipeline.render.render import write_briefing
from pipeline.sources.web import TransientSourceError
from pipeline.storage.ledger import Ledger
from pipeline.translation.glossary import Glossary
from pipeline.types import (
    ExtractiveUse,
    Failed,
    ModelsUsed,
    ModelUse,
    RawDocument,
    Source,
    SourceReport,
    TranslationOutcome,
    Unreadable,
    failure_text,
)

MODEL_TAG = "briefing-model"
# At most this many summary task runs wait for the summariser together (see summary_runner).
SUMMARY_THREADS_MAX = 32


def _transient_fetch(task: Any, task_run: Any, state: State) -> bool:
    """Retry a source only when fetching it failed in a way that may pass."""
    return isinstance(state.result(raise_on_failure=False), TransientSourceError)


def _transient_download(task: Any, task_run: Any, state: State) -> bool:
    """Retry model resolution only for a download that failed, not for offline/missing."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, ModelNotAvailable) and error.retryable


@task(name="discover-sources", cache_policy=NO_CACHE, task_run_name="discover-sources")
def discover_task(config: BriefingConfig) -> list[Source]:
    """Expand files, folders, globs, URLs and feeds into the run's sources."""
    stage_start("find sources")
    sources = run.discover(config)
    stage_done("find sources", f"{len(sources)} found")
    get_run_logger().info("%d sources from %d entries", len(sources), len(config.sources))
    return sources


@task(name="prepare", cache_policy=NO_CACHE, task_run_name="prepare-{source_id}")
def prepare_task(
    source_id: str,
    source: Source,
    config: BriefingConfig,
    furniture: RunFurniture,
    raw: RawDocument | Unreadable | Failed,
) -> PreparedSource | Failed:
    """Prepare what read gave (it never reads again, so it has no retries): a source that
    could not be read fails here, once, with the reason reading gave."""
    prepared = run.prepare(source, config, furniture, raw)
    logger = get_run_logger()
    if isinstance(prepared, Failed):
        return prepared  # the read task run broke and says why
    if isinstance(prepared, Skipped):
        logger.warning("%s skipped: %s", source_id, prepared.reason)
    else:
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
def resolve_models_task(config: BriefingConfig, languages: list[str]) -> ModelsUsed:
    """Find (or download) every model the run needs before any source is translated, so a
    missing model stops the run at once with a message saying how to provide it."""
    logger = get_run_logger()
    stage_start("models")
    translation = {}
    for language in languages:
        spec = config.translation.models[language]
        resolved = runtime.resolved_model(spec)
        logger.info("model for %s: %s (%s: %s)", language, spec.id, resolved.origin, resolved.path)
        translation[language] = resolved.use()
    if config.summary.method == "abstractive":
        summary: ModelUse | ExtractiveUse = runtime.resolved_model(config.summary.model).use()
    else:
        summary = ExtractiveUse(max_sentences=config.summary.max_sentences)
    stage_done("models", f"{len(languages)} translation model(s) ready")
    return ModelsUsed(translation, summary)


def engines(config: BriefingConfig, used: dict[str, Any] | None = None) -> run.Engines:
    """The real engines, loaded once per worker process."""
    return run.Engines(
        translator=lambda language: runtime.translator(
            config.translation.models[language], config.translation
        ),
        summarizer=lambda: runtime.summarizer(config.summary, config.translation),
        used=used or {},
    )


def translate_source(
    source_id: str,
    language: str,
    prepared: Prepared,
    model: Any,
    settings: dict[str, Any],
    config: BriefingConfig,
) -> TranslationOutcome:
    """Translate one source's sentences (``model`` and ``settings`` key the cache)."""
    logger = get_run_logger()
    last_report = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        # The console's bar counts sentences (the engine counts distinct pieces).
        stage_part("translate", source_id, len(prepared.segments) * done // max(1, total))
        now = time.perf_counter()
        if done == total or now - last_report[0] > 5:
            last_report[0] = now
            logger.info("%s: translated %d/%d sentences", source_id, done, total)

    outcome = run.translate(prepared, engines(config), progress)
    if outcome.model_id is not None:
        logger.info(
            "%s: %d sentences translated with %s in %.1f s",
            source_id,
            len(outcome.translations),
            outcome.model_id,
            outcome.seconds,
        )
    return outcome


def summarize_source(
    source_id: str,
    outcome: TranslationOutcome,
    model: Any,
    settings: dict[str, Any],
    config: BriefingConfig,
) -> str:
    """Summarise one source (``model`` and ``settings`` key the cache)."""
    return run.summarise({source_id: outcome.english()}, engines(config).summarizer())[source_id]


def _model_task(function: Any, name: str, run_name: str, key: Any, cached: bool) -> Any:
    """A model task (translate, summarise), cached by content or never (cache.enabled:
    false): built here from one definition, as Prefect's with_options can't remove a
    cache_key_fn."""
    caching = {"cache_key_fn": key} if cached else {"cache_policy": NO_CACHE}
    return task(function, name=name, task_run_name=run_name, **caching)


def model_tasks(config: BriefingConfig) -> tuple[Any, Any]:
    """The translate and summarise tasks, cached in the configured store unless off, and
    tagged for the server's concurrency limit when one is configured."""
    tags = [MODEL_TAG] if config.runner.model_concurrency is not None else []
    cached = config.cache.enabled
    pair = (
        _model_task(
            translate_source,
            "translate",
            "translate-{source_id}-{language}",
            translation_key,
            cached,
        ),
        _model_task(summarize_source, "summarize", "summarize-{source_id}", summary_key, cached),
    )
    if not cached:
        return tuple(t.with_options(tags=tags) for t in pair)  # type: ignore[return-value]
    storage = config.cache.location() / "results"
    storage.mkdir(parents=True, exist_ok=True)
    return tuple(  # type: ignore[return-value]
        t.with_options(persist_result=True, result_storage=storage, tags=tags) for t in pair
    )


@task(name="synthesize", cache_policy=NO_CACHE, task_run_name="synthesize")
def synthesize_task(
    reports: list[SourceReport],
    config: BriefingConfig,
    models: ModelsUsed,
    glossary: Glossary | None,
) -> Briefing:
    """Across sources: story groups, cited points, timeline, flags, faithfulness."""
    stage_start("synthesise")
    briefing = run.synthesise(reports, config, models, glossary)
    groups = len(briefing.synthesis.groups) if briefing.synthesis else 0
    stage_done("synthesise", f"{groups} stor{'y' if groups == 1 else 'ies'}")
    overall = (briefing.quality or {})["overall"]
    get_run_logger().info(
        "%d story groups; faithfulness: coverage %.0f%%, %d numbers missing, %d problems, "
        "%d warnings",
        groups,
        100 * overall["coverage"],
        overall["numbers_missing"],
        overall["problems"],
        overall["warnings"],
    )
    return briefing


@task(name="write-briefing", cache_policy=NO_CACHE, task_run_name="write-briefing")
def write_task(briefing: Briefing, config: BriefingConfig, ledger: Ledger | None) -> dict[str, str]:
    stage_start("write")
    paths = write_briefing(briefing, config, ledger)
    stage_done("write", ", ".join(paths))
    return paths


class ModelWork:
    """The model task runs of one briefing (translate, summarise), submitted on its task
    runner with what keys their cache: the resolved model and the output settings."""

    def __init__(self, runner: Any, config: BriefingConfig, models: ModelsUsed) -> None:
        self.runner, self.config, self.models = runner, config, models
        self.translate_task, self.summarize_task = model_tasks(config)
        self.settings = output_settings(config)

    def translate(self, source_id: str, prepared: Prepared) -> PrefectFuture[Any]:
        language = prepared.guess.language
        parameters = dict(source_id=source_id, language=language, prepared=prepared)
        model = self.models.translation.get(language)
        parameters.update(model=model, settings=self.settings, config=self.config)
        return self.runner.submit(self.translate_task, parameters)

    def summarize(
        self, source_id: str, translated: PrefectFuture[Any], runner: Any
    ) -> PrefectFuture[Any]:
        parameters = dict(source_id=source_id, outcome=translated, model=self.models.summary)
        parameters.update(settings=self.config.summary.model_dump(mode="json"))
        return runner.submit(self.summarize_task, {**parameters, "config": self.config})

    def translate_all(self, ready: dict[str, Prepared], progress: Progress) -> dict[str, Any]:
        """Every source's translate task run, one model at a time: a model's sources (in
        parallel task runs that share it) before the next model's; English (no model) and
        a model this process holds first."""
        translated: dict[str, PrefectFuture[Any]] = {}
        stage_start("translate", sum(len(p.segments) for p in ready.values()), "sentences")
        for group in model_groups(ready, runtime.loaded_model_ids()):
            by_future = {self.translate(sid, ready[sid]): sid for sid in group}
            translated.update({sid: future for future, sid in by_future.items()})
            for future in as_completed(list(by_future)):
                progress.update(translated=1)
                stage_part("translate", by_future[future], len(ready[by_future[future]].segments))
        stage_done("translate")
        return translated

    def summarize_all(self, translated: dict[str, Any], progress: Progress) -> dict[str, Any]:
        """Every source's summary task run, after the last translation, so the summariser
        loads once, after the last translator is let go; all of them at once (see
        :func:`summary_runner`), so it summarises their chunks in one set of batches."""
        stage_start("summarise", len(translated))
        with summary_runner(self.runner, self.config.runner, len(translated)) as runner:
            summaries = {
                sid: self.summarize(sid, future, runner) for sid, future in translated.items()
            }
            for _ in as_completed(list(summaries.values())):
                progress.update(finished=1, translated=-1)
                stage_advance("summarise")
        stage_done("summarise")
        return summaries


def summary_runner(runner: Any, config: RunnerConfig, count: int) -> Any:
    """Where the summary task runs go: threads enough for ``count`` of them (at most
    ``SUMMARY_THREADS_MAX``) when the runner is a thread pool with fewer.

    The summariser batches the chunks of every caller waiting for it, and a batch costs
    about as much per decoding step for one chunk as for four (the step reads every
    weight). With four threads and five sources, the fifth summary could only start
    after the other four were done, and ran as a batch of its own: a quarter of the
    summaries' time for one short article. A summary task run mostly waits (for the
    summariser's lock, or for its batch), so a thread each costs little. Dask workers
    each hold their own summariser: their runner is kept."""
    wanted = min(max(count, 1), SUMMARY_THREADS_MAX)
    if config.kind != "threads" or wanted <= config.max_workers:
        return nullcontext(runner)
    return ThreadPoolTaskRunner(max_workers=wanted)


@task(
    name="read",
    cache_policy=NO_CACHE,
    task_run_name="read-{source_id}",
    retry_condition_fn=_transient_fetch,
    retry_delay_seconds=[2, 10, 30],
)
def read_task(source_id: str, source: Source, config: BriefingConfig) -> RawDocument | Unreadable:
    """The source read once. What keeps it from being read is data for prepare to report;
    only a fetch that may pass is raised, while retries are left, for Prefect to retry."""
    context = TaskRunContext.get()
    retry = context is not None and context.task_run.run_count <= context.task.retries
    return run.read(source, config, retry)


def prepare_all(runner: Any, found: list[Source], config: BriefingConfig) -> dict[str, Any]:
    """Every source read, then prepared with the lines the run's pages share removed, in
    parallel task runs. A fetch is retried, in the read task run, when it may pass; a
    source that could not be read is one failed (or skipped) prepare task run saying why."""
    stage_start("read and clean", len(found))
    read = read_task.with_options(retries=config.web.retries)
    reads = {
        s.id: runner.submit(read, dict(source_id=s.id, source=s, config=config)) for s in found
    }
    wait(list(reads.values()))
    raws = {source_id: outcome(future) for source_id, future in reads.items()}
    furniture = run.shared_furniture(raws.values())
    futures = {
        s.id: runner.submit(
            prepare_task,
            dict(source_id=s.id, source=s, config=config, furniture=furniture, raw=raws[s.id]),
        )
        for s in found
    }
    for _ in as_completed(list(futures.values())):
        stage_advance("read and clean")
    wait(list(futures.values()))
    return {source_id: outcome(future) for source_id, future in futures.items()}


def paired(translated: Any, summary: Any) -> Any:
    """A source's (translation, summary), or the first of them that failed."""
    for result in (translated, summary):
        if isinstance(result, Failed):
            return result
    return translated, summary


def outcome(future: PrefectFuture[Any]) -> Any:
    """A finished task run's result, or ``Failed`` with the reason it failed."""
    state = future.state
    if state.is_completed():
        return future.result()
    try:
        error = state.result(raise_on_failure=False)
    except Exception as exc:  # the result itself could not be read
        error = exc
    return Failed(
        failure_text(error) if isinstance(error, BaseException) else state.message or "failed"
    )


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


def ensure_model_concurrency_limit(limit: int | None) -> None:
    """A tag-based concurrency limit so model-heavy task runs don't crowd a worker."""
    if limit is None:
        return
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            client.create_concurrency_limit(tag=MODEL_TAG, concurrency_limit=limit)
    except Exception as error:  # never fatal: the run works without the limit
        get_run_logger().warning("could not set the %s concurrency limit: %s", MODEL_TAG, error)
