"""Every bad input ends as one source with a clear status and message; the others complete.

These run the pipeline's real discovery, prepare, duplicate marking, merge and render
(no models: see ``helpers.brief_without_models``); test_flow_reliability.py puts a mix of
the same inputs through the real flow.
"""

from __future__ import annotations

import dataclasses
import re
import time
from html import escape
from pathlib import Path

import pytest

from pipeline.config.load import load_config
from pipeline.documents.dedup import content_hash, mark_duplicates
from pipeline.documents.prepare import Prepared, Skipped, prepare_source
from pipeline.sources.discover import discover_sources
from pipeline.sources.read import read_source
from pipeline.types import SkipKind, Source, SourceError

from .cases import (
    BAD_INPUTS,
    DUTCH_ARTICLE,
    DUTCH_ARTICLE_COPY,
    INVALID_UTF8,
    BadInput,
    Expected,
    long_line,
    many_files,
    sample,
)
from .helpers import assert_reported, brief_without_models, unescape_markdown

GOOD = {"good-nl.txt": ("000", "nl"), "good-en.txt": ("003", "en")}


def _good_sources(folder: Path) -> tuple[list[Path], list[Expected]]:
    folder.mkdir(parents=True, exist_ok=True)
    paths, expected = [], []
    for name, (prefix, language) in GOOD.items():
        path = folder / name
        path.write_text(sample(prefix), encoding="utf-8")
        paths.append(path)
        expected.append(Expected(str(path), "ok", None, _in_language(language)))
    return paths, expected


def _in_language(code: str):
    def check(record: dict) -> None:
        assert record["language"] == code

    return check


PER_CASE = [case for case in BAD_INPUTS if case.name != "many_files"]


@pytest.mark.parametrize("case", PER_CASE, ids=[case.name for case in PER_CASE])
def test_bad_input_gets_a_clear_status_and_the_good_sources_complete(
    case: BadInput, tmp_path: Path
) -> None:
    good, good_expected = _good_sources(tmp_path / "good")
    built = case.build(tmp_path / "inbox")

    data, markdown, html = brief_without_models([good[0], *built.given, good[1]])

    expected = [*good_expected, *built.expected]
    assert len(data["sources"]) == len(expected)  # nothing lost, nothing added
    assert_reported(expected, data, markdown)
    page_text = re.sub(r"<[^>]+>", "", html)  # "duplicate of <a ...>id</a>" reads as text
    for item in expected:
        if item.message is not None:
            assert escape(item.message, quote=False) in page_text, item.message
    assert sum(data["counts"].values()) == len(expected)


def test_a_folder_of_2000_files_is_discovered_and_prepared_whole(tmp_path: Path) -> None:
    paths = many_files(tmp_path, 2000)
    config = load_config().translation

    started = time.monotonic()
    sources = discover_sources([paths[0].parent])
    prepared = [prepare_source(source, config) for source in sources]
    elapsed = time.monotonic() - started

    assert [s.path for s in sources] == [str(p) for p in paths]  # name order, none lost
    assert len({s.id.lower() for s in sources}) == 2000
    assert all(isinstance(p, Prepared) and p.guess.language == "en" for p in prepared)
    assert not [p for p in mark_duplicates(prepared) if isinstance(p, Skipped)]
    assert elapsed < 120, f"2,000 small files took {elapsed:.0f} s to prepare"


def test_a_ten_megabyte_file_fails_at_once_without_being_read(tmp_path: Path) -> None:
    [case] = [c for c in BAD_INPUTS if c.name == "ten_megabytes"]
    built = case.build(tmp_path)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"file too large: 1\d{7} bytes .*split it"):
        read_source(discover_sources(built.given)[0])
    assert time.monotonic() - started < 1


def test_a_200000_character_line_is_cut_into_pieces_that_fit_the_model(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    """No sentence the splitter makes, and no piece the translator makes of it, is too
    long for the model; joined, they give back the line (whitespace collapsed)."""
    from transformers import MarianTokenizer

    from pipeline.translation.engine import split_to_fit

    text = long_line()
    path = tmp_path / "line.txt"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    prepared = prepare_source(Source("line", str(path)), load_config().translation)
    assert time.monotonic() - started < 20
    sentences = [segment.text for segment in prepared.segments]
    assert " ".join(sentences) == text
    tokenizer = MarianTokenizer.from_pretrained(str(tiny_models_dir / "opus-mt-nl-en"))

    def count(piece: str) -> int:
        return len(tokenizer(piece, add_special_tokens=True, truncation=False)["input_ids"])

    pieces = [piece for sentence in sentences for piece in split_to_fit(sentence, count, 500)]
    assert all(count(piece) <= 500 for piece in pieces)
    assert " ".join(pieces).split() == text.split()


def test_cp1252_and_latin1_are_told_apart_from_utf8_and_decoded_exactly(tmp_path: Path) -> None:
    cases = {c.name: c for c in BAD_INPUTS}
    for name, encoding in (("cp1252", "cp1252"), ("latin1", "cp1252"), ("utf16", "utf-16")):
        built = cases[name].build(tmp_path / name)
        raw = read_source(discover_sources(built.given)[0])
        assert raw.encoding == encoding, (name, raw.encoding)
    windows = read_source(Source("w", str(tmp_path / "cp1252" / "windows.txt")))
    assert "“We investeren €5 miljoen in de coördinatie van het beleid — dat is één stap.”" in (
        windows.text
    )


def test_invalid_utf8_keeps_every_valid_character_and_says_how_many_bytes_were_bad(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(INVALID_UTF8)
    raw = read_source(Source("bad", str(path)))
    assert raw.encoding == "utf-8 (2 invalid bytes replaced)"
    assert raw.text.count("\ufffd") == 2
    assert raw.text.replace("\ufffd", "") == INVALID_UTF8.decode("utf-8", "ignore")


def test_invalid_utf8_is_flagged_in_the_briefing_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(INVALID_UTF8)
    data, markdown, _ = brief_without_models([path])
    [record] = data["sources"]
    assert "invalid bytes replaced" in record.get("encoding", "")
    assert "invalid bytes replaced" in unescape_markdown(markdown)


# --- duplicates -------------------------------------------------------------------------


def _prepared(folder: Path, texts: dict[str, str | bytes]) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    config = load_config().translation
    return [prepare_source(source, config) for source in discover_sources(paths)]


def test_copies_of_an_article_are_marked_duplicates_of_the_first(tmp_path: Path) -> None:
    edited = DUTCH_ARTICLE.replace("dinsdagavond", "woensdagavond")
    prepared = _prepared(
        tmp_path,
        {
            "a.txt": DUTCH_ARTICLE,
            "b.txt": DUTCH_ARTICLE_COPY,
            "edited.txt": edited,
            "c.txt": DUTCH_ARTICLE.upper(),
            "empty.txt": "",
            "empty-too.txt": "",
        },
    )
    before = [dataclasses.replace(p) for p in prepared]

    marked = mark_duplicates(prepared)

    assert [p.source.id for p in marked] == ["a", "b", "edited", "c", "empty", "empty-too"]
    reasons = {p.source.id: p.reason if isinstance(p, Skipped) else None for p in marked}
    assert reasons["a"] is None and reasons["edited"] is None
    assert reasons["b"] == "duplicate of a" and reasons["c"] == "duplicate of a"
    assert reasons["empty"] == reasons["empty-too"] == "empty file"  # nobody's duplicate
    originals = {p.source.id: p.duplicate_of for p in marked}
    assert originals["b"] == "a" and originals["empty"] is None and originals["a"] is None
    assert {p.source.id: p.kind for p in marked if isinstance(p, Skipped)}[
        "b"
    ] == SkipKind.DUPLICATE
    assert prepared == before  # pure
    copy = next(p for p in marked if p.source.id == "b")
    assert copy.document is not None and copy.guess is not None  # the report keeps its text


def test_content_hash_ignores_layout_but_not_words() -> None:
    assert content_hash("Een  zin.\n\nTwee") == content_hash("een zin. twee")
    assert content_hash("ﬁnale") == content_hash("finale")  # NFKC
    assert content_hash("Een zin.") != content_hash("Een zin!")
