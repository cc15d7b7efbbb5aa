"""The briefing flow: the steps of :mod:`pipeline.run` as task runs of ONE flow run per
briefing, named and tagged by it, with its task runs, logs and artifacts. The final state
(Completed, Partial: N failed, Nothing new) and an event say what happened."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.futures import wait

from flows import tasks
from flows.artifacts import Progress, publish_briefing, publish_nothing_new
from flows.console import stage_done
from flows.naming import name_this_run, run_tags, tag_this_run
from flows.states import final_state
from pipeline import run
from pipeline.assemble.briefing import assemble_reports
from pipeline.config.load import given, load_config, with_overrides
from pipeline.config.schema import BriefingConfig
from pipeline.storage.ledger import Ledger
from pipeline.translation.glossary import load_glossary
from pipeline.types import RunSummary


@flow(name="briefing", flow_run_name=name_this_run, log_prints=True)
def briefing_flow(
    sources: list[str] | None = None,
    output_dir: str | None = None,
    output_name: str | None = None,
    only_new: bool | None = None,
    config_path: str | None = None,
    config: BriefingConfig | None = None,
) -> RunSummary:
    """Brief ``sources`` (files, folders, globs, URLs, feeds; default: the config's) into one
    English briefing (Markdown, HTML, JSON). The config: ``config`` (the CLI's), else the
    YAML at ``config_path``, else the default; the other parameters override it."""
    values = given(
        sources=sources, output_dir=output_dir, output_name=output_name, only_new=only_new
    )
    config = with_overrides(config or load_config(config_path), values, "flow parameters")
    name, logger = config.resolved_output_name(), get_run_logger()
    tag_this_run(run_tags(config))
    tasks.ensure_model_concurrency_limit(config.runner.model_concurrency)
    glossary = load_glossary(config.glossary) if config.glossary else None  # fail early
    ledger = Ledger.of(config.output_dir, config.output_name) if config.only_new else None

    with tasks.task_runner_for(config.runner) as runner:
        found = tasks.discover_task(config)
        logger.info("briefing %d sources into %s/%s", len(found), config.output_dir, name)
        progress = Progress(name, len(found))
        triaged = run.triage(found, tasks.prepare_all(runner, found, config), ledger)
        progress.update(finished=len(triaged.stopped))
        stopped = f", {len(triaged.stopped)} not" if triaged.stopped else ""
        stage_done("read and clean", f"{len(triaged.ready)} to brief{stopped}")
        if ledger is not None and not triaged.ready:
            publish_nothing_new(name, config.title, len(found))
            return final_state(name, RunSummary(paths={}, counts=None))  # type: ignore[return-value]

        ready = triaged.ready
        languages = sorted({p.route.language for p in ready.values() if p.route.model})
        work = tasks.ModelWork(runner, config, tasks.resolve_models_task(config, languages))
        translated = work.translate_all(ready, progress)  # one model at a time
        summaries = work.summarize_all(translated, progress)  # then the summariser
        # wait(): each run's final state from its future (the server may lag behind).
        wait([*translated.values(), *summaries.values()])

    english = {sid: tasks.outcome(future) for sid, future in translated.items()}
    results = {sid: tasks.paired(english[sid], tasks.outcome(summaries[sid])) for sid in ready}
    reports = assemble_reports(found, triaged.stopped, ready, results)
    briefing = tasks.synthesize_task(reports, config, work.models, glossary)
    paths = tasks.write_task(briefing, config, ledger)
    publish_briefing(name, briefing, english, paths)
    return final_state(name, briefing.summary(paths))  # type: ignore[return-value]
