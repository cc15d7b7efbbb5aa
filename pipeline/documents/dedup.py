"""The same article handed over twice is briefed once.

Analysts save the same story from two sites, or drop a file into the inbox twice under
another name. Discovery already reads one *file* once (however it is spelled or linked);
this catches the same *text* in different files. Two sources are the same article when
their cleaned text is the same once Unicode forms, case and whitespace are evened out, so
a copy with other line breaks, a BOM or a trailing newline still counts as a copy, while
an edited version (one word changed) does not.

The first source, in the order the sources were given, is briefed; every later copy is
reported as ``skipped`` with the reason ``duplicate of <id of the first>``. Nothing is
dropped: the copy keeps its text, title and language in the briefing.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.documents.prepare import PreparedSource, Skipped
from pipeline.text import content_hash
from pipeline.types import SkipKind

__all__ = ["DUPLICATE_PREFIX", "content_hash", "mark_duplicates"]

DUPLICATE_PREFIX = "duplicate of "


def mark_duplicates(prepared: Sequence[PreparedSource]) -> list[PreparedSource]:
    """The sources in the same order, later copies of an article marked skipped.

    A copy becomes ``Skipped(kind=SkipKind.DUPLICATE, reason="duplicate of <id>",
    duplicate_of=<id>)`` keeping its document, language and route, where ``<id>`` is the
    first source with that text. Sources without a cleaned document (empty, only debris,
    unreadable) are never anyone's duplicate and come back as they went in. Pure: the
    inputs are not changed.
    """
    first_by_hash: dict[str, str] = {}
    result: list[PreparedSource] = []
    for item in prepared:
        if item.document is None or not item.document.text.strip():
            result.append(item)
            continue
        digest = content_hash(item.document.text)
        original = first_by_hash.setdefault(digest, item.source.id)
        if original == item.source.id:
            result.append(item)
        else:
            reason = f"{DUPLICATE_PREFIX}{original}"
            kind = SkipKind.DUPLICATE
            result.append(
                Skipped(item.source, reason, kind, item.document, item.guess, item.route, original)
            )
    return result
