"""The ``briefing`` command line: the front door to the flow and the models.

Exit codes: 0 briefing written; 1 the run failed (a model missing, the output not
writable) or, with ``--strict``, a source failed; 2 bad usage or configuration (nothing
is written).
"""

from __future__ import annotations

import os

# Prefect's temporary local server logs a harmless but alarming sqlite "database is
# locked" traceback when its analytics are on; they have no use offline anyway.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from pipeline.config import BriefingConfig, ConfigError, load_config  # noqa: E402

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
)
models_app = typer.Typer(
    help="Inspect, download, or build (tiny, for tests) the models a config uses.",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="YAML config (default: configs/default.yaml, which briefs samples/).",
        show_default=False,
    ),
]


def _err(message: str) -> None:
    typer.secho(message, err=True, fg=typer.colors.RED)


def _load(config_path: Path | None, **overrides: object) -> BriefingConfig:
    """Load and validate the config; a bad one ends the command with exit code 2."""
    try:
        config = load_config(config_path)
        updates = {k: v for k, v in overrides.items() if v not in (None, [], ())}
        if updates:
            from pipeline.config import parse_config

            config = parse_config(
                {**config.model_dump(mode="json"), **_json_ready(updates)}, "command line"
            )
    except ConfigError as error:
        _err(str(error))
        raise typer.Exit(2) from None
    return config


def _json_ready(values: dict[str, object]) -> dict[str, object]:
    return json.loads(json.dumps(values, default=str))


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
) -> None:
    """Brief the sources into one English briefing (Markdown, HTML, JSON).

    Runs the Prefect flow `briefing`: against the server in PREFECT_API_URL when set (the
    run then shows in its UI), else on a temporary local one.
    """
    given = [*(sources or []), *(paths or [])]
    config = _load(
        config_path,
        sources=[str(p.absolute()) for p in given] if given else None,
        output_dir=str(output_dir.absolute()) if output_dir else None,
        output_name=name,
    )
    from flows.briefing_flow import briefing_flow
    from pipeline.models import ModelNotAvailable
    from pipeline.render import OutputError

    try:
        paths = briefing_flow(config=config)
    except ModelNotAvailable as error:
        _err(f"briefing: a model is missing.\n{error}")
        raise typer.Exit(1) from None
    except (OutputError, OSError) as error:
        _err(f"briefing: could not write the briefing: {error}")
        raise typer.Exit(1) from None
    _print_summary(paths)
    if strict and _count_failed(paths) > 0:
        raise typer.Exit(1)


def _print_summary(paths: dict[str, str]) -> None:
    json_path = paths.get("json")
    if json_path:
        data = json.loads(Path(json_path).read_text(encoding="utf-8"))
        if data.get("test_models"):
            typer.secho(
                "NOTE: made with tiny random-weight TEST models; the text is not real.",
                fg=typer.colors.YELLOW,
            )
        typer.echo(f"{'source':<32} {'lang':<5} {'status':<8} note")
        for source in data["sources"]:
            typer.echo(
                f"{source['id'][:32]:<32} {source['language'] or '-':<5} "
                f"{source['status']:<8} {source['error'] or ''}"
            )
    for fmt, path in paths.items():
        typer.echo(f"wrote {fmt}: {path}")


def _count_failed(paths: dict[str, str]) -> int:
    json_path = paths.get("json")
    if not json_path:
        return 0
    data = json.loads(Path(json_path).read_text(encoding="utf-8"))
    return sum(1 for s in data["sources"] if s["status"] == "failed")


@models_app.command("list")
def models_list(config_path: ConfigOption = None) -> None:
    """Show each configured model and where it resolves (no download)."""
    from pipeline.models import ModelNotAvailable, hub_offline, locate_model

    config = _load(config_path)
    users: dict[str, list[str]] = {}
    for language, spec in config.translation.models.items():
        users.setdefault(spec.id, []).append(f"translate {language}")
    if config.summary.method == "abstractive":
        users.setdefault(config.summary.model.id, []).append("summarise")
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
            help="Download into DIR/<name> (for BRIEFING_MODELS_DIR on an "
            "air-gapped machine) instead of the Hugging Face cache.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Download every configured model (needs the Hugging Face hub)."""
    from pipeline.models import ModelNotAvailable, fetch_model

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
        raise typer.Exit(1)


@models_app.command("tiny")
def models_tiny(
    directory: Annotated[Path, typer.Argument(help="Where to build the tiny models.")],
    config_path: ConfigOption = None,
) -> None:
    """Build tiny random-weight models with the real file layout, for tests and smoke runs.

    Point BRIEFING_MODELS_DIR at DIRECTORY and `briefing run` works offline; briefings made
    with them say so prominently. Their output is not a translation.
    """
    from pipeline.tiny import build_tiny_models

    config = _load(config_path)
    for path in build_tiny_models(config, directory):
        typer.echo(f"built {path}")
    typer.echo(f"export BRIEFING_MODELS_DIR={directory.resolve()}")


if __name__ == "__main__":
    app()
