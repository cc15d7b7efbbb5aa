"""Find the sources of a run and read each one into a decoded ``RawDocument``.

Analysts hand Briefing whatever they saved: plain text in any Western encoding, Markdown,
or a whole web page. Reading is where most things go wrong (a missing file, a PDF renamed
``.txt``, a cp1252 file from an old Windows tool), so every problem becomes a
``SourceError`` or ``SourceSkipped`` with a message a person can act on; one bad source
never stops the others.
"""

from __future__ import annotations

import codecs
import stat
import unicodedata
from pathlib import Path

from pipeline.sources.html import extract_html, looks_like_html
from pipeline.text import normalise_newlines
from pipeline.types import RawDocument, Source, SourceError, SourceSkipped

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
