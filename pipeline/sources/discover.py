"""Find the sources of a run: files and folders expanded in a stable order, each with a
unique id."""

from __future__ import annotations

import glob
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.sources.read import MAX_ID_LENGTH, SUPPORTED_SUFFIXES
from pipeline.types import Source

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
