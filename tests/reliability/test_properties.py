"""Property tests (hypothesis) over the whole front half and the writes.

They add to the per-stage properties in test_cleaning.py, test_segment.py, test_ingest.py,
test_langid.py and test_render.py: here arbitrary text goes through every stage in a row,
as a file on disk, and the guarantee is checked end to end: nothing raises but a clear
``SourceError``/``SourceSkipped``, and every character that is not whitespace is either in
the cleaned text (and so in exactly one sentence) or recorded as removed debris.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.documents.clean import clean_document
from pipeline.documents.dedup import content_hash, mark_duplicates
from pipeline.documents.language import detect_language
from pipeline.documents.prepare import Prepared, PreparedSource, Skipped
from pipeline.documents.route import Route
from pipeline.documents.segment import MAX_CHUNK_CHARS, segment_document
from pipeline.sources.html import extract_html
from pipeline.sources.read import read_source
from pipeline.storage.atomic import atomic_write_text
from pipeline.types import (
    CleanDocument,
    LanguageGuess,
    SkipKind,
    Source,
    SourceError,
    SourceSkipped,
)

DEBRIS = ["apple store", "Share", "Views: 3", "[lid] Kop.", "VIDEO: x", "Les også: y", "© 2024 X"]
LANGUAGES = ["nl", "nb", "nn", "it", "en", "de", "sv", "da", "und", "xx"]

# Any Unicode text, with the line and paragraph separators and odd spaces the web sends.
UNICODE_TEXT = st.lists(
    st.one_of(
        st.characters(exclude_categories=("Cs",)),  # surrogates can't be in a file
        st.sampled_from(["\n", "\n\n", "\r\n", "\u2028", "\u00a0", "\u200b", "\t", ". ", "?"]),
    ),
    max_size=400,
).map("".join)


def non_whitespace(text: str) -> Counter[str]:
    return Counter("".join(text.split()))


def check_front_half(data: bytes, suffix: str, language: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            raw = read_source(Source("input", str(path)))
            document = clean_document(raw)
        except (SourceError, SourceSkipped) as problem:
            assert str(problem).strip()
            return
    removed = Counter[str]()
    for line in document.removed:
        removed += non_whitespace(line.text)
    assert non_whitespace(raw.text) == non_whitespace(document.text) + removed
    guess = detect_language(document)
    assert len(guess.paragraph_languages) == len(document.paragraphs)
    segments = segment_document(document, language)
    for number, paragraph in enumerate(document.paragraphs):
        sentences = [s.text for s in segments if s.paragraph == number]
        assert " ".join(" ".join(sentences).split()) == " ".join(paragraph.split())
    assert [s.index for s in segments] == list(range(len(segments)))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(UNICODE_TEXT, st.sampled_from(DEBRIS)), max_size=8),
    st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    st.sampled_from(LANGUAGES),
)
def test_any_text_file_goes_through_every_stage_and_loses_nothing(
    lines: list[str], encoding: str, language: str
) -> None:
    data = "\n".join(lines).encode(encoding, errors="replace")
    check_front_half(data, ".txt", language)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["Zin.", "Dr.", "o.a.", "10.00", "«Nei»", "x" * 400, "…", "?!"]),
            st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12),
        ),
        min_size=200,
        max_size=1200,
    ),
    st.sampled_from(LANGUAGES),
)
def test_paragraphs_longer_than_a_splitter_chunk_lose_nothing(
    words: list[str], language: str
) -> None:
    paragraph = " ".join(words)
    document = CleanDocument(Source("p", "p"), "t", [paragraph], [])
    segments = segment_document(document, language)
    assert " ".join(" ".join(s.text for s in segments).split()) == " ".join(paragraph.split())
    if len(paragraph) > 2 * MAX_CHUNK_CHARS:
        assert len(segments) > 1


@settings(max_examples=60, deadline=None)
@given(
    UNICODE_TEXT,
    UNICODE_TEXT,
    st.sampled_from(["script", "style", "nav", "noscript", "template", "button"]),
)
def test_html_never_lets_script_style_or_menu_text_through(
    article: str, other: str, hidden: str
) -> None:
    marker = "QQHIDDENQQ"
    page = (
        f"<!DOCTYPE html><html><head><title>t</title></head><body>"
        f"<{hidden}>{marker} {other}</{hidden}><div role='navigation'>{marker}</div>"
        f"<ul class='menu'><li>{marker}</li></ul><p>{article}</p></body></html>"
    )
    body, _ = extract_html(page)
    assert marker not in body


def _prepared(source_id: str, text: str) -> PreparedSource:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    source = Source(source_id, source_id)
    if not paragraphs:
        return Skipped(source, "empty file", SkipKind.CONTENT)
    document = CleanDocument(source, "t", paragraphs, [])
    return Prepared(source, document, LanguageGuess("en", "en", 1.0), Route("passthrough", "en"))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["A b.", "a  B.", "A b!", "C.\nD.", "c.\n\nd.", "", " "]), max_size=12)
)
def test_mark_duplicates_keeps_the_first_of_each_text_and_names_it(texts: list[str]) -> None:
    prepared = [_prepared(f"s{n}", text) for n, text in enumerate(texts)]
    marked = mark_duplicates(prepared)

    assert [p.source for p in marked] == [p.source for p in prepared]  # none lost, same order
    first: dict[str, str] = {}
    for before, after in zip(prepared, marked, strict=True):
        if before.document is None:
            assert after == before
            continue
        digest = content_hash(before.document.text)
        original = first.setdefault(digest, before.source.id)
        if original == before.source.id:
            assert after == before
        else:
            assert after.duplicate_of == original
            assert after.document == before.document


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_an_atomic_write_gives_back_the_text_exactly_or_leaves_nothing(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "briefing.md"
        try:
            atomic_write_text(path, text)
        except UnicodeEncodeError:  # a lone surrogate: refused before any file exists
            assert list(Path(folder).iterdir()) == []
            return
        assert path.read_bytes() == text.encode("utf-8")
        assert [p.name for p in Path(folder).iterdir()] == ["briefing.md"]
