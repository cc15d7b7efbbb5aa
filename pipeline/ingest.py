"""Find the sources of a run and read each one into a decoded ``RawDocument``.

Analysts hand Briefing whatever they saved: plain text in any Western encoding, Markdown,
or a whole web page. Reading is where most things go wrong (a missing file, a PDF renamed
``.txt``, a cp1252 file from an old Windows tool), so every problem becomes a
``SourceError`` or ``SourceSkipped`` with a message a person can act on; one bad source
never stops the others.
"""

from __future__ import annotations

import codecs
import glob
import os
import re
import stat
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.documents import RawDocument, Source, SourceError, SourceSkipped

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html": "html", ".htm": "html"}
SUPPORTED_SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES}

MAX_ID_LENGTH = 80

# The largest source file read. A news article is tens of kilobytes; a file of many
# megabytes is a book, a log or a dump, which would hold the whole briefing up for hours
# in translation, so it fails at once with a message saying so. (Web pages have the same
# limit: ``web.max_bytes``.)
MAX_SOURCE_BYTES = 5_000_000

# Magic numbers of the binary files people most often hand over by mistake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
    (b"\x7fELF", "executable"),
)

# BOMs we honour; UTF-16/32 files contain NUL bytes, so they are checked before binary data.
UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Briefing reads Dutch, Norwegian, Italian and English. charset-normalizer, asked freely,
# often reads short cp1252 text as cp1250/cp1257 (mojibake such as "sĺ" for "så"), so the
# Western encodings are tried first and the open detection only when none of them fits.
WESTERN_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]

# More control characters than this (share of all characters) means binary, not text.
MAX_CONTROL_SHARE = 0.01

_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


# --- discovery --------------------------------------------------------------------------


def discover_sources(paths: Sequence[Path]) -> list[Source]:
    """Expand files and folders into sources, in a stable order, each with a unique id.

    A path that does not exist (or has an unsupported suffix) is kept as a source so that
    the briefing reports it as failed instead of silently dropping what the analyst asked
    for. Folders are searched recursively for text, Markdown and HTML files; a folder
    given here that holds none is kept too, to be reported.
    """
    sources: list[Source] = []
    seen_files: set[str] = set()
    used_ids: set[str] = set()
    for given in paths:
        expanded = list(_expand(Path(given)))
        if not expanded and Path(given).is_dir():
            # A folder the analyst named that holds nothing Briefing reads is reported
            # (as failed: "no files to read"), never silently dropped.
            expanded = [Path(given)]
        for path in expanded:
            key = _identity(path)
            if key in seen_files:
                continue
            seen_files.add(key)
            source_id = _unique_id(safe_id(path.stem), used_ids)
            sources.append(Source(id=source_id, path=str(path)))
    return sources


def _expand(path: Path) -> Iterator[Path]:
    """A folder yields its supported files; a glob pattern (``samples/*.txt``) the paths
    it matches, in name order; anything else is yielded as given."""
    if path.is_dir():
        yield from _walk(path, visited=set())
    elif not path.exists() and any(c in str(path) for c in "*?["):
        matches = sorted(glob.glob(str(path), recursive=True))
        if not matches:
            yield path  # reported as missing, never silently dropped
        for match in matches:
            yield from _expand(Path(match))
    else:
        yield path


def _walk(folder: Path, visited: set[str]) -> Iterator[Path]:
    """Recurse in name order; resolved folders are remembered so symlink loops end."""
    real = os.path.realpath(folder)
    if real in visited:
        return
    visited.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return  # an unreadable subfolder holds nothing we can list
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if _is_dir(entry):
            yield from _walk(path, visited)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            # Broken symlinks are kept: reading them reports "file not found".
            yield path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks; loops are caught by ``visited``
    except OSError:
        return False


def _identity(path: Path) -> str:
    """The resolved file when it exists, so one file given twice is read once."""
    try:
        return os.path.realpath(path) if path.exists() else os.path.abspath(path)
    except OSError:
        return os.path.abspath(path)


def safe_id(name: str) -> str:
    """Turn a file stem into an id usable in file names, URLs and HTML anchors.

    Accents are folded to ASCII ("på" -> "pa"), anything else outside ``[A-Za-z0-9._-]``
    becomes ``_``, and a leading dash or dot is dropped so the id is never read as an
    option or a hidden file.
    """
    folded = unicodedata.normalize("NFKD", name)
    ascii_only = (
        "".join(ch for ch in folded if not unicodedata.combining(ch))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_only)
    cleaned = cleaned.lstrip("-._").rstrip("_")[:MAX_ID_LENGTH].rstrip("-._")
    return cleaned or "source"


def _unique_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... (case-insensitively unique, at most 80 chars)."""
    candidate, number = base, 1
    while candidate.lower() in used:
        number += 1
        suffix = f"-{number}"
        candidate = base[: MAX_ID_LENGTH - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


# --- reading ----------------------------------------------------------------------------


def read_source(source: Source, max_bytes: int = MAX_SOURCE_BYTES) -> RawDocument:
    """Read, check and decode one source; HTML is reduced to its main text.

    Raises ``SourceError`` when the source can't be read as text and ``SourceSkipped``
    when it is empty or of a type Briefing does not read.
    """
    path = Path(source.path)
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise SourceSkipped("empty file" if not data else "file holds only whitespace")
    kind = _binary_kind(data)
    if kind is not None:
        raise SourceError(f"binary file ({kind}), not text: {path}")
    text, encoding = decode_bytes(data)
    text = normalise_newlines(text)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES and not looks_like_html(text):
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise SourceSkipped(
            f"unsupported file type {suffix or '(none)'!r}; Briefing reads {supported}"
        )
    if not text.strip():
        raise SourceSkipped("file holds only whitespace")
    if suffix in HTML_SUFFIXES or looks_like_html(text):
        body, title = extract_html(text)
        if not body.strip():
            raise SourceSkipped("HTML page without readable text")
        return RawDocument(source, body, encoding, "html", title)
    return RawDocument(source, text, encoding, SUPPORTED_SUFFIXES[suffix])


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after the checks that give the clearest messages."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SourceError(f"file not found: {path}") from None
    except PermissionError:
        raise SourceError(f"permission denied: cannot read {path}") from None
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        suffixes = ", ".join(SUPPORTED_SUFFIXES)
        raise SourceError(
            f"is a directory, not a file, and holds no files Briefing reads ({suffixes}): {path}"
        )
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(f"not a regular file (device, pipe or socket): {path}")
    if info.st_size > max_bytes:
        raise SourceError(_too_large(f"{info.st_size} bytes", max_bytes, path))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise SourceError(f"permission denied: cannot read {path}") from None
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > max_bytes:  # the file grew while we looked at it
        raise SourceError(_too_large(f"over {max_bytes} bytes", max_bytes, path))
    return data


def _too_large(size: str, max_bytes: int, path: Path) -> str:
    return (
        f"file too large: {size} (limit {max_bytes}, about {max_bytes / 1e6:.1f} MB); "
        f"Briefing reads articles, not books or dumps: split it into parts: {path}"
    )


def _binary_kind(data: bytes) -> str | None:
    """Name the kind of binary data, or None for what may be text."""
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    if any(data.startswith(bom) for bom, _ in UNICODE_BOMS):
        return None  # UTF-16/32 text has NUL bytes of its own
    if b"\x00" in data:
        return "contains NUL bytes"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text and say how: a BOM, else UTF-8, else a detected (preferably Western)
    encoding. Raises ``SourceError`` when nothing gives sensible text."""
    for bom, codec in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec).lstrip("\ufeff")), codec.removesuffix("-sig")
            except UnicodeDecodeError:
                raise SourceError(f"invalid {codec} text despite its byte-order mark") from None
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    text, encoding = _detect(data)
    return _checked(text), encoding


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few stray bytes (a bad paste) is still UTF-8: replace those bytes
    rather than turning every accented letter into mojibake with a single-byte codec."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    valid_multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    if valid_multibyte < 1 or invalid > valid_multibyte:
        return None
    plural = "s" if invalid != 1 else ""
    return _checked(text), f"utf-8 ({invalid} invalid byte{plural} replaced)"


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    match = from_bytes(data, cp_isolation=WESTERN_ENCODINGS).best() or from_bytes(data).best()
    if match is None:
        raise SourceError("cannot decode text: not UTF-8, and no known encoding fits")
    return str(match), match.encoding


def _checked(text: str) -> str:
    """Refuse decoded text that is mostly control characters: it was binary after all."""
    controls = sum(1 for ch in text if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    if text and controls > max(1, len(text) * MAX_CONTROL_SHARE):
        raise SourceError(f"binary data, not text ({controls} control characters)")
    return text


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` become ``\\n`` so line numbers mean the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_like_html(text: str) -> bool:
    """True for a whole HTML document (not for text that merely mentions a tag)."""
    return bool(_HTML_START.match(text[:4096]))


# --- HTML -------------------------------------------------------------------------------


def extract_html(html: str) -> tuple[str, str | None]:
    """Main text of a page as paragraphs separated by blank lines, and its title.

    trafilatura finds the article and leaves out navigation, comments and tables; when it
    finds nothing (a very short page) a plain lxml extraction takes over, which still
    never returns script, style or navigation text.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Without this, a page with nothing else yields its menu (or its <noscript> text).
        prune_xpath=PRUNE_XPATH,
    )
    title = _clean_line(getattr(document, "title", None) or "") or None
    body = _paragraphs(getattr(document, "text", None) or "")
    if not body:
        body, fallback_title = _lxml_text(html)
        title = title or fallback_title
    return body, title


# Navigation menus: <nav>, ARIA navigation roles, and the class or id tokens sites give
# their menus (a whole token, so "navigator" or "menu-card" in an article stays).
_MENU_TOKENS = (
    "nav", "navbar", "navigation", "menu", "menubar", "main-nav", "main-menu", "site-nav",
    "site-menu", "nav-menu", "top-nav", "topnav", "sidenav", "breadcrumb", "breadcrumbs",
    "skip-link", "skiplink",
)  # fmt: skip


def _token_test(attribute: str) -> str:
    padded = f"concat(' ', normalize-space(translate(@{attribute}, "
    padded += "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')), ' ')"
    return " or ".join(f"contains({padded}, ' {token} ')" for token in _MENU_TOKENS)


# The page's main containers are never pruned, whatever classes a site gives them.
NAVIGATION_XPATH = (
    "//nav | //*[@role='navigation' or @role='menu' or @role='menubar']"
    "[not(self::html or self::body or self::main or self::article)]"
    " | //*[not(self::html or self::body or self::main or self::article)]"
    f"[{_token_test('class')} or {_token_test('id')}]"
)

# Elements that are never article text: code, fallbacks for browsers without scripts,
# embedded media and controls. trafilatura keeps <noscript> and <template> text.
_NON_CONTENT_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
    "select", "button",
)  # fmt: skip
PRUNE_XPATH = NAVIGATION_XPATH + "".join(f" | //{tag}" for tag in _NON_CONTENT_TAGS)
_DROPPED_TAGS = (*_NON_CONTENT_TAGS, "nav", "head")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "aside", "blockquote", "pre", "main", "dd",
    "dt", "figcaption", "hr",
)  # fmt: skip


def _lxml_text(html: str) -> tuple[str, str | None]:
    import lxml.html
    from lxml import etree

    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError):
        return "", None
    titles = root.xpath("//title")
    title = _clean_line(titles[0].text_content()) if titles else ""
    for element in list(root.iter(*_DROPPED_TAGS)) + list(root.xpath(NAVIGATION_XPATH)):
        if element.getparent() is not None:  # not already gone with an ancestor
            element.drop_tree()
    return _paragraphs(_block_text(root)), title or None


def _block_text(root: object) -> str:
    """The tree's text with a line break around every block element (tree left as is:
    lxml refuses to store some characters a page may contain)."""
    from lxml import etree

    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        block = element.tag in _BLOCK_TAGS
        if event == "start":
            parts.append("\n" if block else "")
            parts.append(element.text or "")
        else:
            parts.append("\n" if block else "")
            if element is not root:
                parts.append(element.tail or "")
    return "".join(parts)


def _paragraphs(text: str) -> str:
    lines = (_clean_line(line) for line in normalise_newlines(text).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _clean_line(line: str) -> str:
    return " ".join(line.split())
