"""Render a ``Briefing`` as Markdown, HTML and JSON, and write the files safely.

The formats live in their own modules (``markdown``, ``html``, ``json``), built from one
view model (``views``) and its text filters (``text``); this module writes them. Rendering
is pure (``Briefing -> str``) so it can be tested without a disk.

Writing is all-or-nothing: every format is rendered before the first byte hits the disk,
and the files are then replaced atomically, so a failed run never leaves a half-written
briefing or a mix of old and new files behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.assemble.document import Briefing
from pipeline.config.schema import BriefingConfig
from pipeline.errors import RunError
from pipeline.render.html import render_html
from pipeline.render.json import render_json
from pipeline.render.markdown import render_markdown
from pipeline.render.views import TEST_MODELS_WARNING, human_time
from pipeline.storage.atomic import atomic_write_many
from pipeline.storage.ledger import Ledger

__all__ = [
    "FORMATS",
    "TEST_MODELS_WARNING",
    "human_time",
    "OutputError",
    "render_html",
    "render_json",
    "render_markdown",
    "write_briefing",
    "write_outputs",
]

#: Output formats and their file extensions (the format name is the extension).
FORMATS: tuple[str, ...] = ("md", "html", "json")

# A file stem that can't climb out of the output directory, hide itself or need quoting.
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Leaves room for ".html" and the temporary-file decoration under the usual 255-byte limit.
_MAX_NAME_LENGTH = 200


class OutputError(RunError, OSError):
    """The briefing could not be written; the message names the directory and a remedy.

    It is an ``OSError`` so callers that already handle file-system trouble catch it too,
    and a separate class so the CLI can show its message without a traceback.
    """


_RENDERERS: dict[str, str] = {
    "md": "render_markdown",
    "html": "render_html",
    "json": "render_json",
}


def _renderer(fmt: str) -> Callable[[Briefing], str]:
    # Looked up by name at call time, so the module's functions can be swapped (tests do).
    return globals()[_RENDERERS[fmt]]


# ----------------------------------------------------------------------------- writing


def write_outputs(
    briefing: Briefing,
    output_dir: Path,
    name: str,
    formats: Sequence[str] = FORMATS,
) -> dict[str, Path]:
    """Render ``briefing`` in ``formats`` and write ``output_dir/name.<format>``.

    Returns ``{format: path}``. All formats are rendered before anything is written, and
    the files are then replaced together atomically, so when rendering or writing fails
    the previous briefing files are left exactly as they were and no temporary file
    remains.

    Raises ``ValueError`` for an unsafe ``name`` or an unknown format, and ``OutputError``
    (an ``OSError``) when the directory can't be created or written.
    """
    _check_name(name)
    wanted = _check_formats(formats)
    output_dir = Path(output_dir)

    rendered = {fmt: _renderer(fmt)(briefing) for fmt in wanted}
    paths = {fmt: output_dir / f"{name}.{fmt}" for fmt in wanted}

    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"Cannot create the output directory {output_dir}: {_reason(exc)}. "
            "Create it yourself, fix its parent's permissions, or choose another "
            "output directory."
        ) from exc
    try:
        atomic_write_many({paths[fmt]: rendered[fmt] for fmt in wanted})
    except OSError as exc:
        raise OutputError(
            f"Cannot write the briefing to {output_dir}: {_reason(exc)}. "
            "Make the directory writable (and check for free space), or choose another "
            "output directory. Previous briefing files there were left untouched."
        ) from exc
    return paths


def _check_name(name: str) -> None:
    if (
        not isinstance(name, str)
        or len(name) > _MAX_NAME_LENGTH
        or _NAME_RE.fullmatch(name) is None
    ):
        raise ValueError(
            f"Unsafe output name {name!r}: use letters, digits, '.', '_' and '-' only, "
            f"starting with a letter or digit, at most {_MAX_NAME_LENGTH} characters "
            "(it is a file stem, not a path)."
        )


def _check_formats(formats: Sequence[str]) -> list[str]:
    if isinstance(formats, str):  # "md" would otherwise iterate as "m", "d"
        formats = [formats]
    wanted = list(dict.fromkeys(formats))
    unknown = [fmt for fmt in wanted if fmt not in _RENDERERS]
    if unknown or not wanted:
        raise ValueError(
            f"Unknown or missing output formats {unknown or list(formats)!r}: "
            f"choose from {', '.join(FORMATS)}."
        )
    return wanted


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def write_briefing(
    briefing: Briefing, config: BriefingConfig, ledger: Ledger | None
) -> dict[str, str]:
    """The run's files, then its ledger (a crash can brief an item twice, never lose one)."""
    name = config.resolved_output_name()
    paths = write_outputs(briefing, config.output_dir, name, list(config.formats))
    if ledger is not None:
        ledger.record_briefed(briefing.sources)
    return {fmt: str(path) for fmt, path in paths.items()}
