"""The ``briefing`` command line: the front door to the flow and the models.

Exit codes (decided in :mod:`flows.exit_codes`): 0 briefing written; 1 the run failed (a
model missing, the output not writable) or, with ``--strict``, a source failed; 2 bad
usage or configuration (nothing is written).
"""

from __future__ import annotations

import os

# Prefect's temporary local server logs a harmless but alarming sqlite "database is
# locked" traceback when its analytics are on; they have no use offline anyway.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The temporary server migrates its database on first start; on a busy 2-core machine
# that can outlast Prefect's 20 s default.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from pathlib import Path  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from flows.eval_cli import eval_app  # noqa: E402
from flows.exit_codes import RUN_FAILED, fail, stop  # noqa: E402
from pipeline.config.load import given, load_config, with_overrides  # noqa: E402
from pipeline.config.schema import BriefingConfig  # noqa: E402
from pipeline.errors import BriefingError, UsageError  # noqa: E402
from pipeline.types import RunSummary, SourceLine  # noqa: E402

app = typer.Typer(
    help=(
        "Briefing: turn Dutch, Norwegian, Italian and English news into one English "
        "briefing (Markdown, HTML, JSON) that says which source said what.\n\n"
        "Start with `briefing run` (the sample corpus, the default config) and "
        "`briefing models list` (where each model comes from)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
models_app = typer.Typer(
    help="Inspect, download, or build (tiny, for tests) the models a config uses.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(models_app, name="models")
app.add_typer(eval_app, name="eval")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="YAML config (default: configs/default.yaml, which briefs samples/).",
        show_default=False,
    ),
]


# The flag that sets each config key on `briefing run`, to name it in an error.
FLAGS = {"output_name": "--name", "output_dir": "--output-dir", "sources": "--sources"}


def _err(message: str) -> None:
    typer.secho(message, err=True, fg=typer.colors.RED)


def _load(config_path: Path | None, **overrides: object) -> BriefingConfig:
    """Load and validate the config; a bad one ends the command with exit code 2."""
    try:
        config = load_config(config_path)
        config = with_overrides(config, given(**overrides), "the command line", labels=FLAGS)
        if config.glossary is not None:
            from pipeline.translation.glossary import load_glossary

            load_glossary(config.glossary)
    except UsageError as error:  # the config, or the glossary file it names
        raise fail(error) from None
    return config


@app.command()
def run(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to brief (.txt, .md, .html). Default: the config's sources.",
            show_default=False,
        ),
    ] = None,
    config_path: ConfigOption = None,
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources",
            "-s",
            help="Same as the PATHS arguments: `--sources a.txt b.txt inbox/` works.",
            show_default=False,
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir", "-o", help="Where to write the briefing files.", show_default=False
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="File name stem of the outputs (default: briefing).", show_default=False
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any source failed.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Show every Prefect log line, model-loading bars and library warnings "
            "(default: one line per stage).",
        ),
    ] = False,
) -> None:
    """Brief the sources into one English briefing (Markdown, HTML, JSON).

    Runs the Prefect flow `briefing`: against the server in PREFECT_API_URL when set (the
    run then shows in its UI), else on a temporary local one.
    """
    entries = [*(sources or []), *(paths or [])]
    config = _load(
        config_path,
        sources=[str(p.absolute()) for p in entries] if entries else None,
        output_dir=str(output_dir.absolute()) if output_dir else None,
        output_name=name,
    )
    from pipeline.storage.outdir import output_dir_problem

    problem = output_dir_problem(config.output_dir)
    if problem:  # before any model work: a bad path costs nothing
        message = f"{problem}; choose another --output-dir (or output_dir in the config)."
        raise stop(f"briefing: {message}")
    try:
        _preflight_models(config)
        from flows.briefing_flow import briefing_flow  # imports Prefect: after the check
        from flows.console import run_console

        with run_console(verbose):
            state = briefing_flow(config=config, return_state=True)
        summary = state.result()  # raises what failed the run
    except (BriefingError, OSError) as error:  # a model missing, the output not writable
        raise fail(error) from None
    _print_summary(summary)
    _print_run_url(state)
    _report_failures(summary, strict)


def _print_run_url(state: object) -> None:
    """The run's page in the Prefect UI: its task runs, logs and artifacts."""
    from flows.artifacts import flow_run_url

    url = flow_run_url(getattr(state, "state_details", None) and state.state_details.flow_run_id)
    if url:
        typer.echo(f"run: {url}")


def _report_failures(summary: RunSummary, strict: bool) -> None:
    """Say at the end when sources failed; with ``strict`` that ends the run with exit 1."""
    failed = summary.failed
    if failed and strict:
        raise stop(
            f"briefing: --strict: {_count(failed)} failed, so exit code 1 (the briefing is written)"
        )
    if failed:
        typer.secho(
            f"warning: {_count(failed)} failed (see the note column): "
            + "; ".join(f"{s.id}: {s.error}" for s in failed[:3])
            + ("; ..." if len(failed) > 3 else "")
            + ". Use --strict to make this exit 1.",
            fg=typer.colors.YELLOW,
            err=True,
        )


@app.command()
def serve(
    config_path: ConfigOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="Flow runs at once in this process (default: no limit).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the briefing flow: the config's schedules, plus an on-demand deployment.

    Each entry under `schedules:` in the config becomes a deployment `briefing/<name>` that
    runs on its cron in its time zone; `briefing/on-demand` runs when triggered
    (`prefect deployment run 'briefing/on-demand' -p sources='["inbox/"]'`). Runs happen in
    this process until it is stopped (Ctrl-C). Point PREFECT_API_URL at a Prefect server
    (`prefect server start`) to see and trigger them in its UI.
    """
    config = _load(config_path)
    if not os.environ.get("PREFECT_API_URL"):
        typer.secho(
            "PREFECT_API_URL is not set: serving against a temporary server that no UI shows.\n"
            "For the UI: `prefect server start`, then "
            "`export PREFECT_API_URL=http://127.0.0.1:4200/api` and serve again.",
            fg=typer.colors.YELLOW,
            err=True,
        )
    from prefect import serve as prefect_serve
    from prefect.schedules import Cron

    from flows.briefing_flow import briefing_flow

    config_file = str(config_path.absolute()) if config_path else None
    base = {"config_path": config_file} if config_file else {}
    deployments = [
        briefing_flow.to_deployment(
            name="on-demand",
            parameters=base,
            tags=["briefing", "on-demand"],
            description="Brief the given sources (default: the config's) now.",
        )
    ]
    for schedule in config.schedules:
        parameters: dict[str, object] = {**base, "only_new": schedule.only_new}
        if schedule.sources:
            parameters["sources"] = [_absolute_source(s) for s in schedule.sources]
        if schedule.output_dir:
            parameters["output_dir"] = str(Path(schedule.output_dir).absolute())
        if schedule.output_name:
            parameters["output_name"] = schedule.output_name
        deployments.append(
            briefing_flow.to_deployment(
                name=schedule.name,
                schedules=[Cron(schedule.cron, timezone=schedule.timezone)],
                parameters=parameters,
                tags=["briefing", "scheduled"],
                description=f"Scheduled briefing: {schedule.cron} ({schedule.timezone}).",
            )
        )
    for deployment in deployments:
        typer.echo(f"serving briefing/{deployment.name}")
    prefect_serve(*deployments, limit=limit)


def _absolute_source(source: str) -> str:
    from pipeline.config.schema import is_url

    return source if is_url(source) else str(Path(source).absolute())


def _preflight_models(config: BriefingConfig) -> None:
    """Make sure the models this run needs are on disk before Prefect starts.

    When every configured model is already local this costs nothing. Otherwise the
    sources are scanned (read, clean, detect: no model) to learn which languages occur,
    and only those models are fetched, with progress, or reported missing at once,
    instead of after the orchestration has started up.
    """
    from pipeline.documents.prepare import prepare_source
    from pipeline.models.locate import (
        ModelNotAvailable,
        ModelsNotAvailable,
        locate_model,
        resolve_model,
    )
    from pipeline.sources.web import FetchLimits, gather_sources

    def local(spec: object) -> bool:
        try:
            return locate_model(spec) is not None  # type: ignore[arg-type]
        except Exception:
            return False  # a broken entry: resolve_model below says what is wrong

    missing = {m.id: m for m in config.model_specs().values() if not local(m)}
    if not missing:
        return
    limits = FetchLimits(timeout=config.web.timeout, max_bytes=config.web.max_bytes)
    languages: set[str] = set()
    for source in gather_sources(list(config.sources), limits):
        try:
            prepared = prepare_source(source, config.translation, limits)
        except Exception:
            continue  # the flow reports broken sources; this scan only wants languages
        if prepared.route is not None and prepared.route.action == "translate":
            languages.add(prepared.route.language)
    needed = [config.translation.models[lang] for lang in sorted(languages)]
    if needed and config.summary.method == "abstractive":
        needed.append(config.summary.model)
    errors: list[ModelNotAvailable] = []
    for spec in {m.id: m for m in needed}.values():
        if spec.id in missing:
            try:
                resolve_model(spec)  # downloads with progress, or raises ModelNotAvailable
            except ModelNotAvailable as error:
                errors.append(error)  # go on: every missing model is named at once
    if errors:
        raise ModelsNotAvailable(errors, _model_uses(config))


def _model_uses(config: BriefingConfig) -> dict[str, list[str]]:
    """What each model is for: "translate nl", "summarise"."""
    uses: dict[str, list[str]] = {}
    for language, spec in config.translation.models.items():
        uses.setdefault(spec.id, []).append(f"translate {language}")
    if config.summary.method == "abstractive":
        uses.setdefault(config.summary.model.id, []).append("summarise")
    return uses


def _print_summary(summary: RunSummary) -> None:
    """The run's outcome per source and its headline checks (from the flow's result)."""
    if summary.test_models:
        typer.secho(
            "NOTE: made with tiny random-weight TEST models; the text is not real.",
            fg=typer.colors.YELLOW,
        )
    if summary.sources:
        typer.echo(f"{'source':<32} {'lang':<5} {'status':<8} note")
    for source in summary.sources:
        typer.echo(
            f"{source.id[:32]:<32} {source.language or '-':<5} "
            f"{source.status:<8} {source.error or ''}"
        )
    quality = summary.quality
    if quality:
        typer.echo(
            f"faithfulness: {quality['translated']}/{quality['sentences']} sentences "
            f"translated, {quality['numbers_missing']} of {quality['numbers_checked']} "
            f"numbers missing, {quality['copies']} copied untranslated, "
            f"{quality['length_outliers']} length outliers"
        )
    if summary.groups:
        typer.echo(
            f"stories: {summary.groups} group(s); timeline: {summary.timeline} dated entries"
        )
    for fmt, path in summary.paths.items():
        typer.echo(f"wrote {fmt}: {path}")
    if not summary.paths:
        typer.echo("nothing new to brief: no briefing written")


def _count(failed: list[SourceLine]) -> str:
    return "1 source" if len(failed) == 1 else f"{len(failed)} sources"


@models_app.command("list")
def models_list(config_path: ConfigOption = None) -> None:
    """Show each configured model and where it resolves (no download)."""
    from pipeline.models.locate import ModelNotAvailable, hub_offline, locate_model

    config = _load(config_path)
    users = _model_uses(config)
    for model_id, spec in config.model_specs().items():
        try:
            found = locate_model(spec)
        except (ModelNotAvailable, ValueError) as error:
            typer.echo(f"{model_id:<40} {', '.join(users[model_id]):<28} BROKEN: {error}")
            continue
        if found:
            where = f"{found.origin}: {found.path}"
        elif hub_offline():
            where = "MISSING (HF_HUB_OFFLINE is set, so no download)"
        else:
            where = "not on disk yet: downloaded from the hub on first use"
        tiny = " [tiny test model]" if found and found.tiny else ""
        typer.echo(f"{model_id:<40} {', '.join(users[model_id]):<28} {where}{tiny}")


@models_app.command("fetch")
def models_fetch(
    config_path: ConfigOption = None,
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help="Download into `DIR/<name>` (for BRIEFING_MODELS_DIR on an "
            "air-gapped machine) instead of the Hugging Face cache.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Download every configured model (needs the Hugging Face hub)."""
    from pipeline.models.locate import ModelNotAvailable, fetch_model

    config = _load(config_path)
    failed = 0
    for model_id, spec in config.model_specs().items():
        try:
            path = fetch_model(spec, to)
            typer.echo(f"{model_id}: {path}")
        except ModelNotAvailable as error:
            _err(str(error))
            failed += 1
    if failed:
        raise typer.Exit(RUN_FAILED)


@models_app.command("tiny")
def models_tiny(
    directory: Annotated[Path, typer.Argument(help="Where to build the tiny models.")],
    config_path: ConfigOption = None,
) -> None:
    """Build tiny random-weight models with the real file layout, for tests and smoke runs.

    Point BRIEFING_MODELS_DIR at DIRECTORY and `briefing run` works offline; briefings made
    with them say so prominently. Their output is not a translation.
    """
    from pipeline.models.tiny import build_tiny_models

    config = _load(config_path)
    for path in build_tiny_models(config, directory):
        typer.echo(f"built {path}")
    typer.echo(f"export BRIEFING_MODELS_DIR={directory.resolve()}")


if __name__ == "__main__":
    app()
