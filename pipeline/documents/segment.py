"""Split paragraphs into sentences, the unit that is translated and cited.

``sentence_splitter`` (the Moses heuristics, with per-language abbreviation lists) finds
the boundaries, but it normalises whitespace and returns new strings. Briefing needs each
sentence as an exact piece of its paragraph, so the splitter's sentences are mapped back
onto the paragraph's own words; whatever can't be mapped stays one sentence. Segments of
a paragraph, joined with single spaces, give back the paragraph (whitespace collapsed):
nothing is lost or invented between cleaning and translation.

The splitter's own word lists (its non-breaking prefixes: "Mr.", "No." before a number,
initials such as "J. R. R.", and in German the numbers 1-99 as ordinals) decide most
boundaries. Those lists can't look at the word after a full stop, so two breaks they get
wrong are undone by a small join step over the splitter's boundaries (``_joins``):

* an ordinal before a month name ("Strasse des 17. Juni", "1. Mai", "17. mai"): a number
  of one or two digits and a full stop, then the wide name of a month in English, German,
  Dutch, Norwegian, Italian or the text's own language (names from ``babel``);
* a clock time before its time zone ("6:04 p.m. India time", "9 a.m. GMT", "5 p.m.
  Monday"): after "a.m." / "p.m." a lower-case word never starts a sentence (the splitter
  already keeps it), and a capitalised one does ("at 6 p.m. The minister said ...") unless
  it is a zone abbreviation ("GMT", "CEST", "UTC"), a weekday, an opening bracket, or
  capitalised words that end in "time" ("Eastern Standard Time").

The splitter is quadratic on very long words and slow on very long texts, so it only
ever sees chunks of bounded size, and over-long "words" (URLs, base64, runs of dots)
become sentences of their own without passing through it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from babel import Locale, UnknownLocaleError
from sentence_splitter import SentenceSplitter

from pipeline.once import load_once
from pipeline.types import CleanDocument, Segment

LOGGER = logging.getLogger(__name__)

# Briefing code -> splitter code where they differ; unsupported languages use English rules.
SPLITTER_LANGUAGE = {"nb": "no", "nn": "no"}
FALLBACK_LANGUAGE = "en"

MAX_CHUNK_CHARS = 5_000  # text given to the splitter in one call
MAX_TOKEN_CHARS = 300  # longer whitespace-free runs bypass the splitter
_SENTENCE_END = (".", "!", "?", "…", '."', ".”", ".’", "!”", "?”", ".»")

# Languages whose month names follow an ordinal ("17. Juni") in the project's texts; the
# text's own language is added to them.
MONTH_LANGUAGES = ("en", "de", "nl", "nb", "it")
_ORDINAL = re.compile(r"^[(\[]?\d{1,2}\.$")
_CLOCK = re.compile(r"(?:^|\d)[AaPp]\.[Mm]\.$")
_ZONE = re.compile(r"^\(?(?:[A-Z]{1,4}T|UTC|MSK)\)?[.,;:]?$")
_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
_EDGE_PUNCTUATION = "\"'“”‘’«»()[],.;:!?"


@load_once
def _supported_languages() -> frozenset[str]:
    import sentence_splitter

    folder = Path(sentence_splitter.__file__).parent / "non_breaking_prefixes"
    return frozenset(path.stem for path in folder.glob("*.txt"))


def splitter_language(language: str) -> str:
    """The splitter's language for a Briefing code ("nb" -> "no", unknown -> "en")."""
    code = SPLITTER_LANGUAGE.get(language, language)
    return code if code in _supported_languages() else FALLBACK_LANGUAGE


@load_once
def _splitter(code: str) -> SentenceSplitter:
    return SentenceSplitter(language=code)


def segment_document(doc: CleanDocument, language: str) -> list[Segment]:
    """Every sentence of every paragraph, numbered through the document. Never raises."""
    segments: list[Segment] = []
    for number, paragraph in enumerate(doc.paragraphs):
        for sentence in split_sentences(paragraph, language):
            segments.append(Segment(paragraph=number, index=len(segments), text=sentence))
    return segments


def split_sentences(paragraph: str, language: str) -> list[str]:
    """The sentences of one paragraph, each an exact substring of it, in order."""
    tokens = paragraph.split()
    if not tokens:
        return []
    spans = _token_spans(paragraph, tokens)
    splitter = _splitter(splitter_language(language))
    sentences: list[str] = []
    for first, last in _sentence_ranges(tokens, splitter, language):
        sentences.append(paragraph[spans[first][0] : spans[last - 1][1]])
    return sentences


def rejoin(segments: Sequence[Segment]) -> list[str]:
    """Paragraph texts back from segments (sentences joined with one space), by index."""
    if not segments:
        return []
    paragraphs: list[list[str]] = [[] for _ in range(max(s.paragraph for s in segments) + 1)]
    for segment in segments:
        paragraphs[segment.paragraph].append(segment.text)
    return [" ".join(sentences) for sentences in paragraphs]


def _token_spans(paragraph: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each whitespace-separated token lies in the paragraph.

    Searching from the end of the previous token is exact: the characters skipped are
    whitespace, and a token never starts with whitespace.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for token in tokens:
        start = paragraph.find(token, position)
        position = start + len(token)
        spans.append((start, position))
    return spans


def _sentence_ranges(
    tokens: list[str], splitter: SentenceSplitter, language: str
) -> Iterator[tuple[int, int]]:
    """Token ranges ``[first, last)`` of the sentences, chunk by chunk, with the
    splitter's wrong breaks (``_joins``) joined again."""
    months = _month_names(language)
    pending: tuple[int, int] | None = None
    for first, last, use_splitter in _chunks(tokens):
        pieces = (
            list(_split_chunk(tokens, first, last, splitter)) if use_splitter else [(first, last)]
        )
        for start, end in pieces:
            if pending is not None and use_splitter and _joins(tokens, start, months):
                pending = (pending[0], end)
                continue
            if pending is not None:
                yield pending
            pending = (start, end)
    if pending is not None:
        yield pending


def _joins(tokens: list[str], start: int, months: frozenset[str]) -> bool:
    """Is the break before ``tokens[start]`` inside a sentence: an ordinal before a month
    name, or a clock time before its time zone?"""
    before, word = tokens[start - 1], _bare(tokens[start])
    if _ORDINAL.match(before):
        return word.lower() in months
    if not _CLOCK.search(before):
        return False
    if _ZONE.match(tokens[start]) or tokens[start].startswith("(") or word.lower() in _WEEKDAYS:
        return True
    # Capitalised words up to "time": "India time", "Central European Summer Time".
    for token in tokens[start : start + 5]:
        bare = _bare(token)
        if bare.lower() == "time":
            return True
        if not bare[:1].isupper() or token != bare:
            return False
    return False


def _bare(token: str) -> str:
    return token.strip(_EDGE_PUNCTUATION)


@load_once
def _month_names(language: str) -> frozenset[str]:
    """Lower-case wide month names of ``MONTH_LANGUAGES`` and ``language`` (babel's CLDR
    data; an unknown language adds nothing)."""
    names: set[str] = set()
    for code in dict.fromkeys((*MONTH_LANGUAGES, language)):
        try:
            months = Locale.parse(code).months
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        for context in ("format", "stand-alone"):
            names.update(name.lower() for name in months[context]["wide"].values())
    return frozenset(names)


def _chunks(tokens: list[str]) -> Iterator[tuple[int, int, bool]]:
    """Bounded pieces of the token list; a long piece is cut after its last sentence end."""
    start, size, last_end = 0, 0, None
    for index, token in enumerate(tokens):
        if len(token) > MAX_TOKEN_CHARS:
            if start < index:
                yield start, index, True
            yield index, index + 1, False
            start, size, last_end = index + 1, 0, None
            continue
        size += len(token) + 1
        if token.endswith(_SENTENCE_END):
            last_end = index + 1
        if size > MAX_CHUNK_CHARS:
            cut = last_end if last_end is not None and last_end > start else index + 1
            yield start, cut, True
            start, last_end = cut, None
            size = sum(len(t) + 1 for t in tokens[cut : index + 1])
    if start < len(tokens):
        yield start, len(tokens), True


def _split_chunk(
    tokens: list[str], first: int, last: int, splitter: SentenceSplitter
) -> Iterator[tuple[int, int]]:
    """Map the splitter's sentences back onto tokens; on any mismatch the rest of the
    chunk stays one sentence rather than losing or changing text."""
    try:
        sentences = splitter.split(" ".join(tokens[first:last]))
    except Exception:  # a third-party heuristic must not end the run
        LOGGER.warning("sentence splitter failed; keeping the chunk as one sentence")
        sentences = []
    position = first
    for sentence in sentences:
        count = len(sentence.split())
        end = position + count
        if count == 0 or end > last or " ".join(tokens[position:end]) != sentence:
            break
        yield position, end
        position = end
    if position < last:
        yield position, last


def segment_text(text: str, language: str) -> list[str]:
    """The sentences of free text (paragraphs separated by blank lines), in order."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [s for p in paragraphs for s in split_sentences(p, language)]
