"""Text as the renderers show it: cleaned of control characters, one kind of newline, and
made inert for Markdown where the syntax would otherwise be hijacked (headings, table
cells, raw HTML) while running text stays readable."""

from __future__ import annotations

import re
from typing import Any

from pipeline.types import Status

# Line breaks in all their Unicode forms become "\n"; other control characters are dropped
# (they are invisible, invalid in HTML and can mangle terminals).
_LINE_BREAKS_RE = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_text(value: Any) -> str:
    """Any value as displayable text: ``None`` -> "", one kind of newline, no controls."""
    if value is None:
        return ""
    text = value.value if isinstance(value, Status) else str(value)
    text = _LINE_BREAKS_RE.sub("\n", text)
    text = _CONTROL_RE.sub("", text)
    # Lone surrogates can't be written as UTF-8; show them as "?" instead of failing.
    return text.encode("utf-8", "replace").decode("utf-8")


def one_line(value: Any) -> str:
    """A single-line field (title, id, path, error): all whitespace runs become one space."""
    return " ".join(clean_text(value).split())


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs separated by blank lines, stripped; single newlines are kept inside."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", clean_text(text)) if p.strip()]


# Characters that change meaning in CommonMark/GFM inline text (emphasis, code, links,
# raw HTML, table cells, strikethrough, headings' closing #).
_MD_INLINE_RE = re.compile(r"([\\`*_\[\]<>|~#])")
# "&amp;" would be read as an entity; "AT&T" is left alone.
_MD_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Block syntax at the start of a line: headings, quotes, lists, rules, fences, tables.
_MD_LINE_START_RE = re.compile(r"^([#>|+\-*=_~`])")
_MD_ORDERED_RE = re.compile(r"^(\d+)([.)])")
# In running text only HTML-looking "<" is dangerous (tags, comments, autolinks).
_MD_HTML_RE = re.compile(r"<(?=[A-Za-z/!?])")


def md_inline(value: Any) -> str:
    """A single-line field made inert in Markdown: headings, list items, table cells.

    Newlines collapse to spaces (a newline would end a table row or heading) and every
    active character is backslash-escaped, so the text shows exactly as written.
    """
    text = " ".join(clean_text(value).split())
    text = _MD_INLINE_RE.sub(r"\\\1", text)
    text = _MD_ENTITY_RE.sub(r"\\&", text)
    text = _MD_LINE_START_RE.sub(r"\\\1", text)
    return _MD_ORDERED_RE.sub(r"\1\\\2", text)


def md_block(value: Any) -> str:
    """Running text (summaries, translations) kept readable but structurally inert.

    Paragraphs stay separated by one blank line. Only what would change the document's
    structure is escaped: raw HTML, entities and block markers at the start of a line
    (so a sentence starting with "#" or "1." doesn't become a heading or a list). Leading
    indentation is dropped because four spaces would turn a line into a code block.
    """
    paragraphs = []
    for paragraph in paragraphs_of(clean_text(value)):
        lines = []
        for line in paragraph.split("\n"):
            line = line.strip()
            line = line.replace("\\", "\\\\")
            line = _MD_HTML_RE.sub(r"\\<", line)
            line = _MD_ENTITY_RE.sub(r"\\&", line)
            line = _MD_LINE_START_RE.sub(r"\\\1", line)
            line = _MD_ORDERED_RE.sub(r"\1\\\2", line)
            if line:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(p for p in paragraphs if p)
