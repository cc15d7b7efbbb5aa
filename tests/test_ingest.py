"""Finding sources and reading them into decoded text, with clear messages on failure."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.sources import html, read
from pipeline.sources.discover import discover_sources, safe_id
from pipeline.sources.read import read_source
from pipeline.types import Source, SourceError, SourceSkipped

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def source_for(path: Path) -> Source:
    return Source(id="test", path=str(path))


# --- discover_sources -------------------------------------------------------------------


def test_folder_yields_supported_files_recursively_in_name_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "a.md", "a")
    write(tmp_path / "sub" / "c.html", "<p>c</p>")
    write(tmp_path / "sub" / "d.HTM", "<p>d</p>")
    write(tmp_path / "e.markdown", "e")
    write(tmp_path / "notes.pdf", PDF_BYTES)
    write(tmp_path / "image.png", PNG_BYTES)

    sources = discover_sources([tmp_path])

    names = [Path(s.path).relative_to(tmp_path).as_posix() for s in sources]
    assert names == ["a.md", "b.txt", "e.markdown", "sub/c.html", "sub/d.HTM"]
    assert [s.id for s in sources] == ["a", "b", "e", "c", "d"]


def test_folder_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path / ".hidden.txt", "secret")
    write(tmp_path / ".git" / "notes.txt", "git")
    write(tmp_path / "visible.txt", "hello")

    assert [Path(s.path).name for s in discover_sources([tmp_path])] == ["visible.txt"]


def test_the_sample_folder_gives_the_five_articles_and_readme() -> None:
    sources = discover_sources([SAMPLES])
    assert [s.id for s in sources] == [p.stem for p in SAMPLE_FILES] + ["README"]


def test_missing_path_is_kept_as_a_source(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert discover_sources([missing]) == [Source(id="nope", path=str(missing))]


def test_explicit_file_with_other_suffix_is_kept_as_a_source(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.pdf", PDF_BYTES)
    assert discover_sources([pdf]) == [Source(id="report", path=str(pdf))]


def test_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    article = write(tmp_path / "article.txt", "text")
    other_spelling = tmp_path / "." / "article.txt"

    sources = discover_sources([article, other_spelling, tmp_path])

    assert sources == [Source(id="article", path=str(article))]


def test_symlinked_file_and_its_target_are_one_source(tmp_path: Path) -> None:
    article = write(tmp_path / "article.txt", "text")
    (tmp_path / "link.txt").symlink_to(article)

    assert len(discover_sources([tmp_path])) == 1


def test_symlink_loop_in_a_folder_ends(tmp_path: Path) -> None:
    write(tmp_path / "top" / "a.txt", "a")
    write(tmp_path / "top" / "inner" / "b.txt", "b")
    (tmp_path / "top" / "inner" / "loop").symlink_to(tmp_path / "top", target_is_directory=True)
    (tmp_path / "top" / "self").symlink_to(tmp_path / "top", target_is_directory=True)

    sources = discover_sources([tmp_path / "top"])

    assert sorted(Path(s.path).name for s in sources) == ["a.txt", "b.txt"]


def test_broken_symlink_in_a_folder_is_reported_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")

    [source] = discover_sources([tmp_path])

    with pytest.raises(SourceError, match="file not found"):
        read_source(source)


@pytest.mark.parametrize(
    ("file_name", "expected_id"),
    [
        ("my article (copy).txt", "my_article_copy"),
        ("Nyheter på norsk – Aftenposten.txt", "Nyheter_pa_norsk_Aftenposten"),
        ("-rf.txt", "rf"),
        ("..hidden-ish.txt", "hidden-ish"),
        ("日本のニュース.txt", "source"),
        ("x" * 200 + ".txt", "x" * 80),
    ],
)
def test_ids_are_safe_for_files_urls_and_anchors(
    tmp_path: Path, file_name: str, expected_id: str
) -> None:
    path = write(tmp_path / file_name, "text")
    [source] = discover_sources([path])
    assert source.id == expected_id
    assert source.path == str(path)


def test_safe_id_never_starts_with_dash_or_dot_and_stays_short() -> None:
    for name in ["-", ".", "--x", ".-.y", "a b c", "é" * 300, ""]:
        result = safe_id(name)
        assert result and result[0] not in "-." and len(result) <= 80
        assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in result)


def test_colliding_ids_get_numbered_suffixes(tmp_path: Path) -> None:
    paths = [
        write(tmp_path / "one" / "news.txt", "1"),
        write(tmp_path / "two" / "news.md", "2"),
        write(tmp_path / "three" / "NEWS.html", "<p>3</p>"),
        write(tmp_path / "four" / ("y" * 90 + ".txt"), "4"),
        write(tmp_path / "five" / ("y" * 90 + ".md"), "5"),
    ]
    ids = [s.id for s in discover_sources(paths)]
    assert ids == ["news", "news-2", "NEWS-3", "y" * 80, "y" * 78 + "-2"]


# --- read_source: the samples -----------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_samples_read_as_utf8_text(path: Path) -> None:
    raw = read_source(Source(id=path.stem, path=str(path)))
    assert raw.encoding == "utf-8"
    assert raw.format == "text"
    assert raw.title is None
    assert raw.text == path.read_text(encoding="utf-8")


def test_markdown_file_has_markdown_format(tmp_path: Path) -> None:
    raw = read_source(source_for(write(tmp_path / "a.md", "# Kop\n\nTekst.")))
    assert raw.format == "markdown"


def test_newlines_are_normalised(tmp_path: Path) -> None:
    raw = read_source(source_for(write(tmp_path / "a.txt", b"one\r\ntwo\rthree\n")))
    assert raw.text == "one\ntwo\nthree\n"


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    raw = read_source(source_for(write(tmp_path / "a.txt", "\ufeffHallo".encode())))
    assert raw.text == "Hallo"
    assert raw.encoding == "utf-8"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    data = "\ufeffKontoret vil være i Tokyo.".encode("utf-16-le")
    raw = read_source(source_for(write(tmp_path / "a.txt", data)))
    assert raw.text == "Kontoret vil være i Tokyo."
    assert raw.encoding == "utf-16"


# --- read_source: encodings -------------------------------------------------------------


def test_cp1252_file_is_decoded_and_its_encoding_recorded(tmp_path: Path) -> None:
    text = "Frankrijk is ‘om principiële redenen’ tegen de opening van zo’n kantoor – €5."
    raw = read_source(source_for(write(tmp_path / "a.txt", text.encode("cp1252"))))
    assert raw.text == text
    assert raw.encoding == "cp1252"


@pytest.mark.parametrize(
    "text",
    [
        "Kontoret vil i så fall være alliansens første i Asia.",
        "Perché la NATO è già qui: città, università e libertà.",
    ],
)
def test_latin1_file_is_decoded(tmp_path: Path, text: str) -> None:
    raw = read_source(source_for(write(tmp_path / "a.txt", text.encode("latin-1"))))
    assert raw.text == text
    assert raw.encoding in {"cp1252", "latin_1", "iso8859_15"}


def test_utf8_with_a_stray_byte_keeps_its_accents(tmp_path: Path) -> None:
    data = "Caffè e città".encode() + b" \xe9 " + "più".encode()
    raw = read_source(source_for(write(tmp_path / "a.txt", data)))
    assert raw.text == "Caffè e città \ufffd più"
    assert raw.encoding == "utf-8 (1 invalid byte replaced)"


def test_undecodable_bytes_fail_clearly(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", bytes(range(128, 256)) * 20)
    with pytest.raises(SourceError, match="cannot decode text"):
        read_source(source_for(path))


def test_control_characters_are_binary_not_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"ok" + b"\x01\x02\x03\x04\x1b" * 20)
    with pytest.raises(SourceError, match="binary data, not text"):
        read_source(source_for(path))


# --- read_source: failures and skips ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG_BYTES, "PNG image"),
        (PDF_BYTES, "PDF document"),
        (b"some text\x00with a NUL", "contains NUL bytes"),
    ],
)
def test_binary_files_fail_with_their_kind(tmp_path: Path, data: bytes, kind: str) -> None:
    path = write(tmp_path / "looks-like-text.txt", data)
    with pytest.raises(SourceError, match=rf"binary file \({kind}\), not text"):
        read_source(source_for(path))


def test_binary_file_with_its_own_suffix_fails_clearly(tmp_path: Path) -> None:
    [source] = discover_sources([write(tmp_path / "scan.png", PNG_BYTES)])
    with pytest.raises(SourceError, match=r"binary file \(PNG image\), not text"):
        read_source(source)


def test_text_file_with_unsupported_suffix_is_skipped(tmp_path: Path) -> None:
    [source] = discover_sources([write(tmp_path / "data.csv", "a,b\n1,2\n")])
    with pytest.raises(SourceSkipped, match=r"unsupported file type '\.csv'"):
        read_source(source)


def test_missing_file_fails(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        read_source(source_for(tmp_path / "missing.txt"))


def test_directory_fails(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory"):
        read_source(source_for(tmp_path))


def test_fifo_fails_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(source_for(fifo))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_fails_with_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", "text")
    path.chmod(0)
    try:
        with pytest.raises(SourceError, match="permission denied"):
            read_source(source_for(path))
    finally:
        path.chmod(0o644)


def test_permission_error_while_opening_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "secret.txt", "text")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(SourceError, match="permission denied"):
        read_source(source_for(path))


def test_too_large_file_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 2000)
    with pytest.raises(SourceError, match=r"file too large: 2000 bytes \(limit 1000, "):
        read_source(source_for(path), max_bytes=1000)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n  \n", "only whitespace"),
        ("\u3000\n".encode(), "whitespace"),
    ],
)
def test_empty_and_whitespace_files_are_skipped(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(SourceSkipped, match=reason):
        read_source(source_for(write(tmp_path / "a.txt", data)))


# --- read_source: HTML ------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><title>Navo stelt besluit over kantoor in Tokio uit</title>
<style>body { color: red } .secret-style { display: none }</style>
<script>var tracking = "SCRIPT-SECRET"; document.write("SCRIPT-WRITE");</script>
</head><body>
<nav><a href="/">Home</a> <a href="/nieuws">NAV-MENU-ITEM</a></nav>
<article>
<h1>Navo stelt besluit over kantoor in Tokio uit</h1>
<p>Er komt voorlopig geen verbindingskantoor van de Navo in Tokio. Frankrijk heeft elke
verwijzing daarnaar zelfs laten schrappen uit de slotconclusies van de top.</p>
<script>console.log("INLINE-SCRIPT")</script>
<p>Navo-secretaris generaal Jens Stoltenberg had de opening van een Navo-kantoor in Azië
gesuggereerd tijdens een bezoek aan Tokio eerder dit jaar.</p>
</article>
<footer>Alle rechten voorbehouden</footer>
</body></html>
"""

SECRETS = ("SCRIPT-SECRET", "SCRIPT-WRITE", "INLINE-SCRIPT", "secret-style", "NAV-MENU-ITEM")


def test_html_gives_main_text_paragraphs_and_title(tmp_path: Path) -> None:
    raw = read_source(source_for(write(tmp_path / "page.html", ARTICLE_HTML)))

    assert raw.format == "html"
    assert raw.title == "Navo stelt besluit over kantoor in Tokio uit"
    paragraphs = raw.text.split("\n\n")
    assert any(p.startswith("Er komt voorlopig geen verbindingskantoor") for p in paragraphs)
    assert any(p.startswith("Navo-secretaris generaal") for p in paragraphs)
    assert "\n\n\n" not in raw.text
    for secret in SECRETS:
        assert secret not in raw.text


def test_html_fallback_never_returns_script_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    raw = read_source(source_for(write(tmp_path / "page.htm", ARTICLE_HTML)))

    assert raw.format == "html"
    assert raw.title == "Navo stelt besluit over kantoor in Tokio uit"
    assert "Er komt voorlopig geen verbindingskantoor" in raw.text
    assert "Navo-secretaris generaal" in raw.text
    for secret in SECRETS:
        assert secret not in raw.text


def test_html_document_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    raw = read_source(source_for(write(tmp_path / "saved.txt", ARTICLE_HTML)))
    assert raw.format == "html"
    assert "SCRIPT-SECRET" not in raw.text


def test_text_that_merely_mentions_a_tag_stays_text(tmp_path: Path) -> None:
    text = "Use the <p> tag for paragraphs.\n"
    raw = read_source(source_for(write(tmp_path / "a.txt", text)))
    assert raw.format == "text"
    assert raw.text == text


def test_html_without_readable_text_is_skipped(tmp_path: Path) -> None:
    page = "<html><head><script>var x = 1;</script></head><body><nav>Menu</nav></body></html>"
    with pytest.raises(SourceSkipped, match="HTML page without readable text"):
        read_source(source_for(write(tmp_path / "empty.html", page)))


def test_looks_like_html_only_for_whole_documents() -> None:
    assert html.looks_like_html("<!-- saved -->\n<!doctype html><html>")
    assert html.looks_like_html("  <HTML lang='nl'><body>")
    assert not html.looks_like_html("<p>fragment</p>")
    assert not html.looks_like_html("Text about <html> tags")


# --- the guarantee ----------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(max_size=200).map(lambda t: f"<html><body><p>{t}</p></body></html>".encode()),
    ),
    st.sampled_from([".txt", ".html", ".md", ".bin"]),
)
def test_any_bytes_give_a_document_or_a_clear_source_problem(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / f"fuzz{suffix}", data)
        try:
            raw = read_source(source_for(path))
        except (SourceError, SourceSkipped) as problem:
            assert str(problem)
            return
        assert raw.text.strip()
        assert "\r" not in raw.text
        assert raw.format in {"text", "markdown", "html"}


def test_a_glob_pattern_expands_to_the_files_it_matches_in_name_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "README.md"):
        (tmp_path / name).write_text("Some text.", encoding="utf-8")
    sources = discover_sources([tmp_path / "*.txt"])
    assert [Path(s.path).name for s in sources] == ["a.txt", "b.txt"]


def test_a_glob_pattern_that_matches_nothing_is_kept_to_be_reported(tmp_path: Path) -> None:
    sources = discover_sources([tmp_path / "*.none"])
    assert len(sources) == 1 and sources[0].path.endswith("*.none")


# --- found by the reliability tests (tests/reliability) ----------------------------------


@pytest.mark.parametrize(
    "menu",
    [
        '<div role="navigation"><a href="/">Home MENU-TEXT</a></div>',
        '<ul class="menu"><li><a href="/">MENU-TEXT</a></li></ul>',
        '<div id="navbar"><a href="/">MENU-TEXT</a></div>',
        '<header><ul class="Main-Nav x"><li>MENU-TEXT</li></ul></header>',
        "<noscript>Turn on JavaScript MENU-TEXT</noscript>",
        "<template><p>MENU-TEXT</p></template>",
    ],
)
@pytest.mark.parametrize("article", ["<p>Kort bericht over de Navo.</p>", ARTICLE_HTML])
def test_menus_and_noscript_text_never_reach_the_document(
    tmp_path: Path, menu: str, article: str
) -> None:
    page = f"<!DOCTYPE html><html><head><title>T</title></head><body>{menu}{article}</body></html>"
    raw = read_source(source_for(write(tmp_path / "page.html", page)))
    assert "MENU-TEXT" not in raw.text
    assert "Navo" in raw.text


def test_a_menu_class_is_matched_as_a_whole_token_and_never_on_the_body(tmp_path: Path) -> None:
    page = (
        '<!DOCTYPE html><html class="nav"><head><title>T</title></head><body class="menu">'
        '<div class="navigator">Navigator stays.</div><p>Kort bericht.</p></body></html>'
    )
    raw = read_source(source_for(write(tmp_path / "page.html", page)))
    assert "Navigator stays." in raw.text and "Kort bericht." in raw.text


def test_a_named_folder_with_nothing_to_read_is_kept_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    write(folder / "notes.pdf", PDF_BYTES)
    [source] = discover_sources([folder])
    assert source.path == str(folder)
    with pytest.raises(SourceError, match="holds no files Briefing reads"):
        read_source(source)


def test_files_over_the_default_limit_fail_with_advice(tmp_path: Path) -> None:
    path = write(tmp_path / "book.txt", b"a" * (read.MAX_SOURCE_BYTES + 1))
    with pytest.raises(SourceError, match="file too large: .* split it into parts"):
        read_source(source_for(path))
