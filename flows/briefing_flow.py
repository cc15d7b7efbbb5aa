"""The briefing flow: the steps of :mod:`pipeline.run` as task runs of ONE flow run per
briefing, named and tagged by it, with its task runs, logs and artifacts. The final state
(Completed, Partial: N failed, Nothing new) and an event say what happened."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.futures import as_completed, wait

from flows import tasks
from flows.artifacts import Progress, publish_briefing, publish_nothing_new
from flows.console import stage_advance, stage_done, stage_part, stage_start
from flows.naming import name_this_run, run_tags, tag_this_run
from flows.states import final_state
from pipeline import run
from pipeline.assemble.briefing import assemble_reports
from pipeline.config.load import given, load_config, with_overrides
from pipeline.config.schema import BriefingConfig
from pipeline.documents.prepare import model_groups
from pipeline.models import loaded as runtime
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
        stage_start("find sources")
        found = tasks.discover_task(config)
        stage_done("find sources", f"{len(found)} found")
        logger.info("briefing %d sources into %s/%s", len(found), config.output_dir, name)
        progress = Progress(name, len(found))
        stage_start("read and clean", len(found))
        triaged = run.triage(found, tasks.prepare_all(runner, found, config), ledger)
        progress.update(finished=len(triaged.stopped))
        stopped = f", {len(triaged.stopped)} not" if triaged.stopped else ""
        stage_done("read and clean", f"{len(triaged.ready)} to brief{stopped}")
        if ledger is not None and not triaged.ready:
            publish_nothing_new(name, config.title, len(found))
            stage_done("nothing new", f"{len(found)} sources briefed before or skipped")
            return final_state(name, RunSummary(paths={}, counts=None))  # type: ignore[return-value]

        ready = triaged.ready
        languages = sorted({p.route.language for p in ready.values() if p.route.model})
        stage_start("models")
        work = tasks.ModelWork(runner, config, tasks.resolve_models_task(config, languages))
        stage_done("models", f"{len(languages)} translation model(s) ready")
        # One model at a time (its sources in parallel task runs), English (no model) first.
        translated = {}
        stage_start("translate", sum(len(p.segments) for p in ready.values()), "sentences")
        for group in model_groups(ready, runtime.loaded_model_ids()):
            translated.update({sid: work.translate(sid, ready[sid]) for sid in group})
            by_future = {translated[sid]: sid for sid in group}
            for future in as_completed(list(by_future)):
                progress.update(translated=1)
                stage_part("translate", by_future[future], len(ready[by_future[future]].segments))
        stage_done("translate")
        # Then the summaries: the summariser loads once, after the last translator is let go.
        stage_start("summarise", len(ready))
        summaries = {sid: work.summarize(sid, translated[sid]) for sid in ready}
        for _ in as_completed(list(summaries.values())):
            progress.update(finished=1, translated=-1)
            stage_advance("summarise")
        stage_done("summarise")
        # wait(): each run's final state from its future (the server may lag behind).
        wait([*translated.values(), *summaries.values()])

    english = {sid: tasks.outcome(future) for sid, future in translated.items()}
    results = {sid: tasks.paired(english[sid], tasks.outcome(summaries[sid])) for sid in ready}
    reports = assemble_reports(found, triaged.stopped, ready, results)
    stage_start("synthesise")
    briefing = tasks.synthesize_task(reports, config, work.models, glossary)
    groups = len(briefing.synthesis.groups) if briefing.synthesis else 0
    stage_done("synthesise", f"{groups} stor{'y' if groups == 1 else 'ies'}")
    stage_start("write")
    paths = tasks.write_task(briefing, config, ledger)
    stage_done("write", ", ".join(paths))
    publish_briefing(name, briefing, english, paths)
    return final_state(name, briefing.summary(paths))  # type: ignore[return-value]
