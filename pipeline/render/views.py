"""The view model both text formats are built from (``briefing_context``), so Markdown and HTML
always say the same thing; the templates only decide layout and escaping.

Everything that comes from a source (titles, paths, text, errors, even ids) is untrusted:
news pages are written by strangers. HTML is rendered with autoescaping on and a
Content-Security-Policy that forbids scripts and external resources, so a hostile page
can't run code in the reader's browser.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from pipeline.assemble.document import Briefing
from pipeline.languages import language_label
from pipeline.types import SourceReport, Status

if TYPE_CHECKING:
    from pipeline.synthesis.synthesize import Divergence, Group, Point, Synthesis
from pipeline.render.text import clean_text, md_block, md_inline, one_line, paragraphs_of

TEST_MODELS_WARNING = (
    "Made with tiny random-weight TEST models: the translations and summaries are NOT real"
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Errors can be long; the table shows the start, the source's own section the whole text.
_TABLE_ERROR_LENGTH = 160


# -------------------------------------------------------------------------- view model


@lru_cache(maxsize=1)
def jinja_environment() -> Environment:
    """One Jinja environment for both templates, built once.

    Autoescaping is chosen by file name and is *on* for anything that isn't known to be
    Markdown, so a new template fails safe. ``StrictUndefined`` turns a template typo
    into an error instead of a silently empty field.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2"),
            disabled_extensions=("md.j2",),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = paragraphs_of
    env.filters["cite_links"] = _cite_links
    env.filters["md_inline"] = md_inline
    env.filters["md_block"] = md_block
    return env


def briefing_context(briefing: Briefing) -> dict[str, Any]:
    """Everything the templates show, cleaned once, as plain values."""
    counts = briefing.counts()
    anchors = _anchors([report.id for report in briefing.sources])
    cite = _Citer(briefing.sources, anchors)
    synthesis = briefing.synthesis
    flags = synthesis.flags if synthesis is not None else {}
    by_id = {report.id: anchor for report, anchor in zip(briefing.sources, anchors, strict=True)}

    def shown_flags(report: SourceReport) -> list[Any]:
        # Test models are said once, in the banner at the top, not on every source.
        found = flags.get(report.id, [])
        return [f for f in found if not (briefing.test_models and f.type == "test_models")]

    sources = [
        {
            **_source_view(number, report, anchor, shown_flags(report)),
            "duplicate_of": _duplicate_anchor(report, by_id),
        }
        for number, (report, anchor) in enumerate(
            zip(briefing.sources, anchors, strict=True), start=1
        )
    ]
    groups = _group_views(synthesis, cite) if synthesis is not None else []
    timeline = _timeline_view(synthesis, cite) if synthesis is not None else []
    glossary = _glossary_view(synthesis, cite) if synthesis is not None else []
    notes = [one_line(note) for note in briefing.notes if one_line(note)]
    return {
        "title": one_line(briefing.title) or "Briefing",
        "generated_at": one_line(briefing.generated_at),
        "overview": clean_text(briefing.overview),
        "test_models": bool(briefing.test_models),
        "warning": TEST_MODELS_WARNING,
        "notes": notes,
        "counts": counts,
        "counts_line": _counts_line(len(briefing.sources), counts),
        "sources": sources,
        "groups": groups,
        "timeline": timeline,
        "glossary": glossary,
        "contents": _contents(notes, groups, timeline, sources, glossary),
        "models": _model_rows(briefing.models.to_dict()),
        "generated_label": human_time(briefing.generated_at),
        "source_anchors": {view["number"]: view["anchor"] for view in sources},
    }


def _published(report: SourceReport) -> str:
    """The publication date as the page gave it: "2024-03-14", or "2023-05" for a month."""
    published = getattr(report, "published", None)
    if published is None:
        return ""
    if getattr(report, "published_precision", None) == "month":
        return published.strftime("%Y-%m")
    return published.isoformat()


def _original_title(report: SourceReport) -> str:
    original = one_line(getattr(report, "original_title", ""))
    return original if original and original != one_line(report.title) else ""


def _source_view(
    number: int, report: SourceReport, anchor: str, flags: Sequence[Any] = ()
) -> dict[str, Any]:
    status = one_line(report.status)
    ok = status == Status.OK.value
    error = one_line(report.error)
    if not ok and not error:
        error = "(no reason given)"
    summary = clean_text(report.summary)
    translation = clean_text(report.translation)
    source_id = one_line(report.id)
    path = one_line(report.path)
    code = one_line(report.language)
    return {
        "number": number,
        "anchor": anchor,
        "id": source_id,
        "title": one_line(report.title) or source_id or path or f"Source {number}",
        # A translated title keeps the source's own beside it (when they differ).
        "original_title": _original_title(report),
        "path": path,
        "encoding": one_line(getattr(report, "encoding", None)),
        "published": _published(report),
        "language": language_label(code) if code else "unknown",
        "language_code": code,
        # Only a well-formed tag goes into a lang="" attribute.
        "lang_attr": code if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", code) else "",
        "language_confidence": _format_confidence(report.language_confidence),
        "mixed": bool(report.mixed_language),
        "status": status,
        "status_class": re.sub(r"[^a-z0-9-]", "", status.lower()) or "unknown",
        "ok": ok,
        "error": error,
        "error_label": "Reason" if status == Status.SKIPPED.value else "Error",
        "error_short": _shorten(error, _TABLE_ERROR_LENGTH),
        # A failed or skipped source shows only what it actually has: no empty sections.
        "show_summary": ok or bool(summary.strip()),
        "show_translation": ok or bool(translation.strip()),
        "summary": summary,
        "translation": translation,
        "translation_model": one_line(report.translation_model),
        "sentences": [
            {"source": one_line(pair.source), "translation": one_line(pair.translation)}
            for pair in report.sentences
        ],
        "removed": [
            {"line": one_line(line.line), "rule": one_line(line.rule), "text": one_line(line.text)}
            for line in report.removed
        ],
        "flags": [_flag_view(flag, anchor, len(report.sentences)) for flag in flags],
    }


# ----------------------------------------------------------------------- synthesis views


class _Citer:
    """Citation numbers to links: ``[n]`` points at source n's section, a (source,
    sentence) pair at that sentence's row. A number that doesn't match the briefing's
    sources (a synthesis made from other reports) is shown without a link rather than
    with a link to nowhere."""

    def __init__(self, sources: Sequence[SourceReport], anchors: Sequence[str]) -> None:
        self.sources = sources
        self.anchors = anchors
        self.by_id: dict[str, int] = {}
        for number, report in enumerate(sources, start=1):
            self.by_id.setdefault(one_line(report.id), number)

    def number(self, citation: Any, source_id: Any = None) -> int | None:
        if isinstance(citation, int) and 1 <= citation <= len(self.sources):
            if source_id is None or one_line(self.sources[citation - 1].id) == one_line(source_id):
                return citation
        return self.by_id.get(one_line(source_id)) if source_id is not None else None

    def source(self, citation: Any, source_id: Any = None) -> dict[str, Any]:
        number = self.number(citation, source_id)
        if number is None:
            return {"number": one_line(citation), "anchor": ""}
        return {"number": number, "anchor": self.anchors[number - 1]}

    def sentence(self, citation: Any, source_id: Any, index: Any) -> dict[str, Any]:
        """A citation of one sentence, with the sentence's English when it is known."""
        view = self.source(citation, source_id)
        number = self.number(citation, source_id)
        text = ""
        anchor = ""
        if number is not None and isinstance(index, int):
            sentences = self.sources[number - 1].sentences
            if 0 <= index < len(sentences):
                text = one_line(sentences[index].translation)
                anchor = _sentence_anchor(self.anchors[number - 1], index)
        position = index + 1 if isinstance(index, int) else one_line(index)
        return {
            **view,
            "sentence": position,
            "where": f"sentence {position}",
            "sentence_anchor": anchor,
            "text": text,
        }


def _sentence_anchor(source_anchor: str, index: int) -> str:
    """``s<n>-<source anchor>``: unique, as source anchors are and all start "source-"."""
    return f"s{index + 1}-{source_anchor}"


def _flag_view(flag: Any, anchor: str, sentence_count: int) -> dict[str, Any]:
    indices = [i for i in (flag.sentences or []) if isinstance(i, int)]
    return {
        "type": one_line(flag.type),
        "label": one_line(flag.type).replace("_", " "),
        "message": one_line(flag.message),
        "sentences": [
            {
                "number": i + 1,
                "anchor": _sentence_anchor(anchor, i) if 0 <= i < sentence_count else "",
            }
            for i in indices
        ],
    }


_DIVERGENCE_KINDS = {
    "outcome": "Outcome",
    "number": "Numbers",
    "date": "Dates",
    "name": "Who or where",
}


def _group_views(synthesis: Synthesis, cite: _Citer) -> list[dict[str, Any]]:
    return [_group_view(number, group, cite) for number, group in enumerate(synthesis.groups, 1)]


def _group_view(number: int, group: Group, cite: _Citer) -> dict[str, Any]:
    sources = [
        cite.source(citation, source_id)
        for citation, source_id in zip(group.citations, group.sources, strict=False)
    ]
    conflicts = [d for d in group.divergences if d.kind != "single-source"]
    single = [d for d in group.divergences if d.kind == "single-source"]
    return {
        "number": number,
        "anchor": f"story-{number}",
        "label": one_line(group.label) or f"Story {number}",
        "sources": sources,
        "standalone": len(group.sources) == 1,
        "points": [_point_view(point, cite) for point in group.points],
        "conflicts": [_divergence_view(d, cite) for d in conflicts],
        "single": [
            cite.sentence(c.citation, c.source, c.sentence) | {"text": one_line(c.text)}
            for d in single
            for side in d.sides
            for c in side.claims
        ],
    }


def _point_view(point: Point, cite: _Citer) -> dict[str, Any]:
    ids = {}
    for source_id in point.sources:
        number = cite.number(None, source_id)
        if number is not None:
            ids[number] = source_id
    citations = [cite.source(n, ids.get(n)) for n in point.citations]
    support = [cite.sentence(cite.number(None, s), s, i) for s, i in point.support]
    return {
        "text": one_line(point.text),
        "citations": citations,
        "corroborated": bool(point.corroborated),
        "support": support,
        "source_count": len(point.citations),
    }


def _divergence_view(divergence: Divergence, cite: _Citer) -> dict[str, Any]:
    return {
        "kind": one_line(divergence.kind),
        "kind_label": _DIVERGENCE_KINDS.get(divergence.kind, one_line(divergence.kind).title()),
        "topic": one_line(divergence.topic),
        "sides": [
            {
                "label": one_line(side.label),
                "citations": [
                    cite.source(c.citation, c.source)
                    for c in {c.citation: c for c in side.claims}.values()
                ],
                "claims": [
                    cite.sentence(c.citation, c.source, c.sentence) | {"text": one_line(c.text)}
                    for c in side.claims
                ],
            }
            for side in divergence.sides
        ],
    }


def _timeline_view(synthesis: Synthesis, cite: _Citer) -> list[dict[str, Any]]:
    return [
        {
            "date": one_line(entry.date),
            "display": _display_date(entry.date, entry.precision),
            "precision": one_line(entry.precision),
            "kind": one_line(entry.kind),
            "role": one_line(getattr(entry, "role", "event")),
            "mention": one_line(entry.mention),
            "text": one_line(entry.text),
            "cite": cite.sentence(entry.citation, entry.source, entry.sentence),
        }
        for entry in synthesis.timeline
    ]


def _display_date(iso: str, precision: str) -> str:
    """An ISO date for people: 2023-07-10 is "10 July 2023", 2023-07 "July 2023"."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", one_line(iso))
    if match is None:
        return one_line(iso)
    year, month, day = match.groups()
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    if month is None or not 1 <= int(month) <= 12:
        return year
    if day is None or precision != "day":
        return f"{months[int(month) - 1]} {year}"
    return f"{int(day)} {months[int(month) - 1]} {year}"


def _glossary_view(synthesis: Synthesis, cite: _Citer) -> list[dict[str, Any]]:
    """Glossary uses folded to one line per (from, to), with where they were made."""
    folded: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for use in synthesis.glossary:
        where = (
            cite.sentence(None, use.source, use.sentence)
            if use.sentence is not None
            else cite.source(None, use.source)
            | {"sentence": "summary", "where": "summary", "sentence_anchor": ""}
        )
        folded.setdefault((one_line(use.original), one_line(use.replacement)), []).append(where)
    return [
        {"original": original, "replacement": replacement, "uses": uses}
        for (original, replacement), uses in folded.items()
    ]


def _contents(
    notes: Sequence[str],
    groups: Sequence[dict[str, Any]],
    timeline: Sequence[dict[str, Any]],
    sources: Sequence[dict[str, Any]],
    glossary: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The table of contents: (anchor, label, children) for the sections that exist."""
    entries: list[dict[str, Any]] = []
    if notes:
        entries.append({"anchor": "notes", "label": "Notes", "children": []})
    entries.append({"anchor": "overview", "label": "Overview", "children": []})
    if groups:
        entries.append(
            {
                "anchor": "stories",
                "label": "Stories",
                "children": [
                    {"anchor": g["anchor"], "label": f"{g['number']}. {g['label']}"} for g in groups
                ],
            }
        )
    if timeline:
        entries.append({"anchor": "timeline", "label": "Timeline", "children": []})
    entries.append(
        {
            "anchor": "sources",
            "label": "Sources",
            "children": [
                {"anchor": s["anchor"], "label": f"{s['number']}. {s['title']}"} for s in sources
            ],
        }
    )
    if glossary:
        entries.append({"anchor": "glossary", "label": "Glossary applied", "children": []})
    entries.append({"anchor": "models", "label": "Models used", "children": []})
    return entries


def _counts_line(total: int, counts: dict[str, int]) -> str:
    parts = ", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in Status)
    noun = "source" if total == 1 else "sources"
    return f"{total} {noun}: {parts}"


def _format_confidence(value: float | None) -> str:
    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        return ""
    return f"{value:.2f}"


_USE_LABELS = {"translation": "translate", "summary": "summarise"}


def _model_rows(models: dict[str, Any]) -> list[dict[str, str]]:
    """One row per model: what it is used for, its id, revision and where it was found.

    ``briefing.models`` is ``{"translation": {lang: model}, "summary": model}``, each model
    a dict with ``id``, ``revision``, ``origin``, ``path``; anything else is shown as text.
    """
    rows: list[dict[str, str]] = []

    def add(use: str, value: Any) -> None:
        if isinstance(value, dict) and "id" in value:
            rows.append(
                {
                    "use": use,
                    "id": one_line(value.get("id")),
                    "revision": one_line(value.get("revision")),
                    "origin": one_line(value.get("origin")),
                    "path": one_line(value.get("path")),
                    "tiny": "test model" if value.get("tiny") else "",
                }
            )
        elif isinstance(value, dict):
            for sub, inner in value.items():
                add(f"{use} {one_line(sub)}", inner)
        else:
            rows.append(
                {
                    "use": use,
                    "id": _model_value(value),
                    "revision": "",
                    "origin": "",
                    "path": "",
                    "tiny": "",
                }
            )

    for key, value in models.items():
        add(_USE_LABELS.get(str(key), one_line(key)), value)
    for row in rows:  # the same facts as one line, for the Markdown list
        parts = [row["id"]]
        if row["revision"]:
            parts.append(f"revision {row['revision']}")
        if row["origin"]:
            parts.append(f"from {row['origin']}" + (f" ({row['path']})" if row["path"] else ""))
        row["line"] = ", ".join(parts) + (f" ({row['tiny']})" if row["tiny"] else "")
    return rows


def _duplicate_anchor(report: SourceReport, anchors: dict[str, str]) -> dict[str, str] | None:
    """The source a skipped duplicate copies, to link "duplicate of <id>" to it."""
    original = report.duplicate_of
    anchor = anchors.get(original) if original else None
    return {"id": original, "anchor": anchor} if original and anchor else None


def human_time(stamp: Any) -> str:
    """ "1 December 2026, 20:43 UTC" from an ISO timestamp; the raw text if it isn't one."""
    from datetime import UTC, datetime

    text = one_line(stamp)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def _cite_links(paragraph: str, anchors: dict[int, str]) -> Markup:
    """Escape ``paragraph`` and make each ``[n]`` naming a source a link to it."""

    def link(match: re.Match[str]) -> str:
        anchor = anchors.get(int(match.group(1)))
        if not anchor:
            return match.group(0)
        return f'<a class="cite" href="#{anchor}">[{match.group(1)}]</a>'

    return Markup(re.sub(r"\[(\d{1,4})\]", link, str(escape(paragraph))))


def _model_value(value: Any) -> str:
    if isinstance(value, str):
        return one_line(value)
    return one_line(json.dumps(value, ensure_ascii=False, default=str))


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _anchors(ids: Sequence[Any]) -> list[str]:
    """``source-<id>`` anchors: ASCII letters, digits, '-' and '_' only, and unique.

    Ids are folded to ASCII (``città`` -> ``citta``) and lower-cased; two ids that fold to
    the same slug get ``-2``, ``-3``... so every link points at exactly one section.
    """
    seen: set[str] = set()
    anchors: list[str] = []
    for number, source_id in enumerate(ids, start=1):
        folded = unicodedata.normalize("NFKD", clean_text(source_id)).encode("ascii", "ignore")
        slug = re.sub(r"[^a-z0-9_-]+", "-", folded.decode("ascii").lower()).strip("-_")[:80]
        base = f"source-{slug or number}"
        anchor, suffix = base, 2
        while anchor in seen:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        seen.add(anchor)
        anchors.append(anchor)
    return anchors
