"""Take the page furniture out of a pasted article and group what is left into paragraphs.

Analysts copy articles straight from news sites, so menus, share rows, ad labels, teaser
lists, photo captions and credits, newsletter pitches and copyright lines come along.
``pipeline.documents.furniture`` judges each line by what is true of furniture on any site (shape,
function words of the page's language, position, repetition); this module reads the saved
page's date marker, runs that classifier and records every removed piece as a
``RemovedLine``: cleaning may normalise whitespace, but it never silently drops a character.

The page's language is guessed here from the function words themselves (the stoplist
that covers most of the page's words wins): language detection proper runs after
cleaning, on the cleaned text, and needs no furniture in its way.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.documents.furniture import (
    NO_FURNITURE,
    STOPLISTS,
    Line,
    RunFurniture,
    classify,
    measure,
    repeated_lines,
    stopwords_for,
)
from pipeline.types import CleanDocument, RawDocument, RemovedLine, SourceSkipped

HEADLINE_MAX_CHARS = 150
TITLE_MAX_CHARS = 120
SHORT_TITLE_WORDS = 12  # a title made from a sentence: at most this many words (a headline)
_SENTENCE_END = ".!?…"
_CLOSERS = "\"'”’»)]"
_FIRST_SENTENCE = re.compile(rf"(.+?[{_SENTENCE_END}]+[{re.escape(_CLOSERS)}]*)(?: |$)")
# The date the page-saving tool puts in front of the page's text: " date 2023-05 ...".
DATE_MARKER = re.compile(r"^date (\d{4})-(\d{2})(?:-(\d{2}))?(?= |$)")
# "[lid]" / "[lead]" markers opening a line: the marker goes, the sentence stays.
LEAD_MARKER = re.compile(r"^\[(?:lid|lead|lede)\](?: ?[-–—:](?= |$))?", re.IGNORECASE)
WRAPPED_MIN_WORDS = 4  # a shorter line followed by a lower-case one is not wrapped prose
LANGUAGE_MIN_STOP_SHARE = 0.15  # below this no stoplist fits; the union of all is used
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class PublishedDate:
    """The date marker's date; ``precision`` is "day" or "month" (then the 1st is used)."""

    date: datetime.date
    precision: str


@dataclass
class _Line:
    number: int  # 1-based
    text: str  # whitespace-collapsed; "" for a blank line
    removed: bool = False


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace (anything ``str.isspace``) become one space; ends are trimmed."""
    return " ".join(text.split())


def run_furniture(pages: Iterable[str]) -> RunFurniture:
    """The furniture shared by a run's pages (the raw texts of all its sources): lines that
    recur on two or more of them, to pass to ``clean_document`` for each. Pure; a headline
    or lead that two sources share because they print one agency story is not in it."""
    return repeated_lines(pages)


def page_language(text: str) -> str:
    """The language (of nl, nb, it, en) whose function words cover most of ``text``; "und"
    when none covers a fair share."""
    words = [word.casefold() for word in _WORD.findall(text[:4000])]
    if not words:
        return "und"
    best, share = "und", 0.0
    for language in ("nl", "nb", "it", "en"):
        stop = stopwords_for(language)
        hits = sum(1 for word in words if word in stop) / len(words)
        if hits > share:
            best, share = language, hits
    return best if share >= LANGUAGE_MIN_STOP_SHARE else "und"


def clean_document(raw: RawDocument, furniture: RunFurniture = NO_FURNITURE) -> CleanDocument:
    """Remove furniture, record it, read the date marker, and group the rest into paragraphs.

    ``furniture`` holds lines that recur across the run's sources (``run_furniture``).
    Raises only ``SourceSkipped``, when nothing article-like is left.
    """
    removed: list[RemovedLine] = []
    lines = [_Line(number, collapse_whitespace(text)) for number, text in _numbered(raw.text)]
    published, marker_line = _read_marker(lines, removed)
    for line in lines:
        line.text = _strip_lead_marker(line, removed)
    units = _units(lines)
    texts = [" ".join(line.text for line in unit) for unit in units]
    stopwords = stopwords_for(page_language(" ".join(texts)))
    shapes: list[Line] = [measure(text, stopwords) for text in texts]
    marker_at = next(
        (i for i, unit in enumerate(units) if any(line.number == marker_line for line in unit)),
        None,
    )
    for unit, reason in zip(units, classify(shapes, furniture, marker_at), strict=True):
        if reason is None:
            continue
        for line in unit:
            removed.append(RemovedLine(line.number, line.text, reason))
            line.removed = True
    paragraphs = _paragraphs(lines, block_mode=_has_inner_blank_line(lines))
    if not paragraphs:
        raise SourceSkipped("only web debris, no article text")
    removed.sort(key=lambda item: item.line)
    return CleanDocument(
        source=raw.source,
        title=choose_title(raw.title, paragraphs, raw.source.id),
        paragraphs=paragraphs,
        removed=removed,
        encoding=raw.encoding,
        format=raw.format,
        published=published.date if published else None,
        published_precision=published.precision if published else None,
    )


def _units(lines: list[_Line]) -> list[list[_Line]]:
    """The non-blank lines, with a hard-wrapped sentence's lines joined into one unit (a
    line that ends mid-sentence, followed directly by one that starts in lower case), so
    that the classifier judges the sentence and not its fragments."""
    units: list[list[_Line]] = []
    previous: _Line | None = None
    for line in lines:
        if not line.text:
            previous = None
            continue
        if previous is not None and _continues(previous.text, line.text):
            units[-1].append(line)
        else:
            units.append([line])
        previous = line
    return units


def _continues(line: str, following: str) -> bool:
    """Wrapped text: a line of some length cut mid-sentence (short lines are labels)."""
    return (
        len(line.split()) >= WRAPPED_MIN_WORDS
        and following[0].islower()
        and not line.rstrip(_CLOSERS).endswith(tuple(_SENTENCE_END) + (":", ";"))
    )


def _numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), 1))


def parse_marker(text: str) -> tuple[PublishedDate | None, str, str]:
    """(date, marker text, rest of the line) for a line that opens with a date marker;
    (None, "", text) otherwise, and for a marker that is no real date."""
    match = DATE_MARKER.match(text)
    if match is None:
        return None, "", text
    year, month, day = (int(group) if group else None for group in match.groups())
    try:
        date = datetime.date(year or 0, month or 0, day or 1)
    except ValueError:
        return None, "", text
    return PublishedDate(date, "day" if day else "month"), match.group(), text[match.end() :]


def _read_marker(
    lines: list[_Line], removed: list[RemovedLine]
) -> tuple[PublishedDate | None, int]:
    """The first line that opens with a date marker gives the publication date (the saving
    tool writes it before the text, sometimes after the menu); the rest of that line is
    judged like any other line."""
    for line in lines:
        published, marker, rest = parse_marker(line.text)
        if published is not None:
            removed.append(RemovedLine(line.number, marker, "date_marker"))
            line.text = collapse_whitespace(rest)
            return published, line.number
    return None, 0


def _strip_lead_marker(line: _Line, removed: list[RemovedLine]) -> str:
    match = LEAD_MARKER.match(line.text)
    if match is None or not match.group().strip():
        return line.text
    removed.append(RemovedLine(line.number, match.group(), "lead_marker"))
    return collapse_whitespace(line.text[match.end() :])


def _has_inner_blank_line(lines: list[_Line]) -> bool:
    """Do blank lines separate paragraphs? (Leading and trailing blank lines don't count.)"""
    filled = [index for index, line in enumerate(lines) if line.text]
    if not filled:
        return False
    return any(not line.text and not line.removed for line in lines[filled[0] : filled[-1]])


def _paragraphs(lines: list[_Line], block_mode: bool) -> list[str]:
    """With blank lines, a paragraph is a block of lines; without, each line is one."""
    if not block_mode:
        return [line.text for line in lines if line.text and not line.removed]
    paragraphs: list[str] = []
    block: list[str] = []
    for line in lines:
        if line.removed:
            continue
        if line.text:
            block.append(line.text)
        else:
            paragraphs.append(" ".join(block))
            block = []
    paragraphs.append(" ".join(block))
    return [paragraph for paragraph in paragraphs if paragraph]


def choose_title(given: str | None, paragraphs: list[str], fallback: str) -> str:
    """The page's own title, else a headline-like first paragraph, else the first sentence
    (shortened on a word boundary), else ``fallback`` (the source id)."""
    if given and _has_word(given):
        return collapse_whitespace(given)
    first = paragraphs[0].lstrip("#").strip() if paragraphs else ""
    if not _has_word(first):
        return fallback
    if len(first) < HEADLINE_MAX_CHARS and not first.rstrip(_CLOSERS).endswith(
        tuple(_SENTENCE_END)
    ):
        return first
    match = _FIRST_SENTENCE.match(first)
    return short_title(match.group(1) if match else first)


def short_title(sentence: str, max_words: int = SHORT_TITLE_WORDS) -> str:
    """A title from a sentence: itself when short, else its first clause, else its first
    ``max_words`` words and "…" (a title names the story; the text follows below)."""
    sentence = collapse_whitespace(sentence)
    if len(sentence.split()) <= max_words:
        return shorten(sentence, TITLE_MAX_CHARS)
    clause = re.split(r"[,;:]\s|\s[–—-]\s|\s\(", sentence, maxsplit=1)[0].strip()
    words = clause.split()
    if 2 <= len(words) <= max_words:
        return clause.rstrip(".") + "…"
    return shorten(" ".join(words[:max_words]), TITLE_MAX_CHARS).rstrip(" ,;:.…") + "…"


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits, else cut on the last word boundary before ``limit`` plus "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return (cut.rstrip(" ,;:-–—") or cut) + "…"


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


__all__ = [
    "NO_FURNITURE",
    "STOPLISTS",
    "RunFurniture",
    "clean_document",
    "choose_title",
    "run_furniture",
    "shorten",
]
