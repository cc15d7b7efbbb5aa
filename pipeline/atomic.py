"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Briefing overwrites its outputs and state files on every run. Writing them in place would
leave a truncated file behind when the process dies, the disk fills or a render fails
half-way, and the previous good file would be lost too. So text goes to a temporary file
in the *same* directory (``os.replace`` is only atomic within one file system), is flushed
and fsynced, and is then renamed over the final name. On any error the temporary file is
removed and the old file is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["atomic_write_many", "atomic_write_text"]

_DEFAULT_UMASK = 0o022


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically (see the module docstring for why).

    The text is written byte for byte (no newline translation), so output is the same on
    every platform. An existing file keeps its permission bits; a new file gets the ones
    the process umask allows, as a plain ``open`` would. Raises ``OSError`` when the
    directory can't be written; the temporary file never outlives the call.
    """
    atomic_write_many({Path(path): text}, encoding=encoding)


def atomic_write_many(files: Mapping[Path, str], *, encoding: str = "utf-8") -> None:
    """Write several files so that either all are replaced or none is touched.

    Every file is first written and fsynced under a temporary name; only when all of them
    are safely on disk are they renamed into place. A failure while staging (disk full,
    permission denied, encoding error) therefore leaves every previous file untouched. The
    renames themselves do not fail in practice (same directory, no data to write), so a
    mixed old/new set is left only in exotic cases such as a directory sitting on a
    target name.
    """
    # Encode everything before the first file is created: an encoding error is then a
    # plain exception with nothing on disk to clean up.
    payloads = [(Path(path), text.encode(encoding)) for path, text in files.items()]
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in payloads:
            staged.append((_stage(path, data), path))
        for temp, path in staged:
            os.replace(temp, path)
    except BaseException:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        raise
    for directory in {path.parent for _, path in staged}:
        _fsync_directory(directory)


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a fresh temporary file next to ``path``; return the temp path."""
    mode = _mode_for(path)
    handle = tempfile.NamedTemporaryFile(
        mode="wb", dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=".tmp"
    )
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600; a briefing meant to be shared or served should
        # not silently become private just because it was written atomically.
        os.chmod(temp, mode)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return temp


def _mode_for(path: Path) -> int:
    """Permission bits for the new file: those of the file it replaces, else umask-based."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_current_umask()


def _current_umask() -> int:
    """The process umask, read without changing it.

    ``os.umask`` can only be read by setting it, which races with other threads (Prefect
    runs tasks in threads); Linux exposes it in /proc instead. Elsewhere, assume 022.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return _DEFAULT_UMASK


def _fsync_directory(directory: Path) -> None:
    """Make the renames durable. Best effort: not every platform can fsync a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
