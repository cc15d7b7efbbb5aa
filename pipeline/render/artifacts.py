"""What a briefing shows in the Prefect UI: an overview in Markdown and a narrow sources table.

The full briefing lives in the files; the UI gets a page to read at a glance. Both Prefect
UIs render Markdown artifacts with their own components, which show link text raw (a
``\\.`` escape in a link stays on screen), cut wide tables off on the right, and give
in-page anchors nowhere to go. So this Markdown has no links, no tables and no anchors;
source text stands where Markdown reads it as plain text, and is escaped only where it
would otherwise turn into markup (an emphasis star, a tag, a list marker at the start of
a block), which is rare in news text: ``000_bc84``, ``1. fi`` and ``[1][4]`` stay as
written. Pure functions: ``flows/artifacts.py`` publishes what they return.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.assemble.document import Briefing
from pipeline.render.views import TEST_MODELS_WARNING, human_time
from pipeline.types import SourceReport, Status

__all__ = [
    "FILE_LABELS",
    "nothing_new_markdown",
    "overview_markdown",
    "sources_table",
    "ui_text",
]

#: How each output format is named in the overview's list of files.
FILE_LABELS = {"html": "HTML", "md": "Markdown", "json": "JSON"}
# Table cells are cut to this many characters, so the four columns fit a laptop screen.
_TITLE_CELL = 40
_NOTE_CELL = 28

# Emphasis: a star or underscore that touches a word on one side only (``000_bc84`` and
# ``5 * 3`` are plain text to CommonMark).
_EMPHASIS_RE = re.compile(r"(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])")
_INLINE_RE = re.compile(r"([\\`~])")
_HTML_RE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINK_RE = re.compile(r"\](?=\()")
# A link reference definition ("[4]: http://...") can only start a block.
_DEFINITION_RE = re.compile(r"^\[(?=[^\]]*\]:)")
# What would start a heading, quote, list, rule, fence or table at the start of a block.
_BLOCK_START_RE = re.compile(r"^([#>|+\-*=_~`]|\d{1,9}[.)](?=\s|$))")


def ui_text(value: Any) -> str:
    """One line of source text, inert in Prefect's Markdown renderer and shown as written."""
    text = " ".join(str(value or "").split())
    text = _INLINE_RE.sub(r"\\\1", text)
    text = _EMPHASIS_RE.sub(lambda m: "\\" + m.group(0), text)
    text = _HTML_RE.sub(r"\\<", text)
    text = _ENTITY_RE.sub(r"\\&", text)
    text = _LINK_RE.sub(r"\\]", text)
    text = _DEFINITION_RE.sub(r"\\[", text)
    match = _BLOCK_START_RE.match(text)
    if match:
        marker = match.group(1)
        text = (
            marker[:-1] + "\\" + marker[-1] + text[len(marker) :]
            if marker[0].isdigit()
            else "\\" + text
        )
    # A heading's closing "#"s would be dropped.
    return text[:-1] + "\\#" if text.endswith("#") else text


def _code(value: Any) -> str:
    """A code span that holds ``value`` exactly, whatever backticks it contains."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def _state_label(counts: Mapping[str, int]) -> str:
    if counts.get("failed") or counts.get("skipped"):
        return "Partial"
    return "Completed"


def _counts_text(counts: Mapping[str, int]) -> str:
    total = sum(counts.values())
    noun = "source" if total == 1 else "sources"
    parts = ", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in Status)
    return f"{total} {noun}: {parts}"


def _cite(numbers: Sequence[Any]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _title(report: SourceReport, number: int) -> str:
    return " ".join((report.title or report.id or f"Source {number}").split())


def overview_markdown(briefing: Briefing, paths: Mapping[str, str]) -> str:
    """The overview artifact: the outcome and counts, where the files are, the overview,
    each story with its sources and key points, and the sources that were not briefed."""
    counts = briefing.counts()
    lines = [f"# {ui_text(briefing.title) or 'Briefing'}", ""]
    if briefing.test_models:
        lines += [f"> **Warning:** {TEST_MODELS_WARNING}.", ""]
    lines += [
        f"**{_state_label(counts)}**, {_counts_text(counts)}",
        "",
        f"Generated {human_time(briefing.generated_at)}",
        "",
    ]
    if paths:
        lines += ["**Files**", ""]
        lines += [f"- {FILE_LABELS.get(fmt, fmt)}: {_code(path)}" for fmt, path in paths.items()]
        lines.append("")
    lines += ["## Overview", ""]
    paragraphs = [p for p in re.split(r"\n\s*\n", briefing.overview or "") if p.strip()]
    for paragraph in paragraphs or ["No overview."]:
        lines += [ui_text(paragraph), ""]
    groups = briefing.synthesis.groups if briefing.synthesis is not None else []
    if groups:
        lines += ["## Stories", ""]
        for number, group in enumerate(groups, start=1):
            label = ui_text(group.label)
            lines += [f"### Story {number}: {label}" if label else f"### Story {number}", ""]
            lines += [*_story_sources(briefing.sources, group.citations), ""]
            if group.points:
                lines += ["Key points:", ""]
            for index, point in enumerate(group.points, start=1):
                support = (
                    f"corroborated by {len(point.citations)} sources"
                    if point.corroborated
                    else "single source"
                )
                lines.append(f"{index}. {ui_text(point.text)} {_cite(point.citations)} ({support})")
            lines.append("" if group.points else "No key points.\n")
    problems = [
        (number, report)
        for number, report in enumerate(briefing.sources, start=1)
        if report.status is not Status.OK
    ]
    if problems:
        lines += ["## Not briefed", ""]
        for number, report in problems:
            reason = ui_text(report.error or "no reason given")
            lines.append(
                f"- [{number}] {ui_text(_title(report, number))}: {report.status}, {reason}"
            )
        lines.append("")
    lines += ["The full briefing (timeline, every sentence and its source) is in the files."]
    return "\n".join(lines).strip() + "\n"


def _story_sources(reports: Sequence[SourceReport], citations: Sequence[int]) -> list[str]:
    """The story's sources, one list item each: its number and English title."""
    named = []
    for citation in citations:
        if isinstance(citation, int) and 1 <= citation <= len(reports):
            named.append(f"- [{citation}] {ui_text(_title(reports[citation - 1], citation))}")
        else:
            named.append(f"- [{citation}]")
    return ["Sources:", "", *named] if named else ["Sources: none"]


def _cell(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sources_table(briefing: Briefing) -> list[dict[str, Any]]:
    """One short row per source for the table artifact: four narrow columns that fit the
    UI's table (it cuts wider ones off on the right) at a laptop's width.

    ``#`` (the citation number), ``source`` (the English title, else the id), ``status``
    with the language code, and a ``note``: why it failed or was skipped, else its sentence
    and flag counts. Cells are Markdown to the UI, so they pass through ``ui_text``.
    """
    flags = briefing.synthesis.flags if briefing.synthesis is not None else {}
    rows = []
    for number, report in enumerate(briefing.sources, start=1):
        shown = [
            f
            for f in flags.get(report.id, [])
            if not (briefing.test_models and f.type == "test_models")
        ]
        if report.error:
            note = report.error
        else:
            note = _plural(len(report.sentences), "sentence")
            if shown:
                note += ", " + _plural(len(shown), "flag")
        status = str(report.status) + (f" ({report.language})" if report.language else "")
        rows.append(
            {
                "#": number,
                "source": ui_text(_cell(_title(report, number), _TITLE_CELL)),
                "status": ui_text(status),
                "note": ui_text(_cell(note, _NOTE_CELL)),
            }
        )
    return rows


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def nothing_new_markdown(title: str, total: int) -> str:
    """The artifact of a run that found nothing new to brief."""
    noun = "source" if total == 1 else "sources"
    return (
        f"# {ui_text(title) or 'Briefing'}\n\n**Nothing new**: {total} {noun}, all briefed "
        "before or skipped. No briefing was written.\n"
    )
