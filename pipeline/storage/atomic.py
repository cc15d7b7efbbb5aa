"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Briefing overwrites its outputs and state files on every run. Writing them in place would
leave a truncated file behind when the process dies, the disk fills or a render fails
half-way, and the previous good file would be lost too. So text goes to a temporary file
in the *same* directory (``os.replace`` is only atomic within one file system), is flushed
and fsynced, and is then renamed over the final name. On any error the temporary file is
removed and the old file is left exactly as it was.

Two more hazards are handled here:

* Concurrent writers. Two runs writing the same set of files (``briefing.md``, ``.html``,
  ``.json``) into one directory could interleave their renames and leave the Markdown of
  one run next to the JSON of the other. Every write holds an exclusive ``flock`` on the
  target *directory* (no lock file is left behind) from staging to the last rename, so
  sets are written one after the other and each set on disk comes from one run.
* A writer killed mid-write (SIGKILL, power loss) can't remove its temporary file. Such
  leftovers are dot-files named ``.<name>.<random>.tmp``; the next write to ``<name>``
  removes them, under the lock, so a live writer's file is never taken.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

try:  # POSIX; elsewhere writes are still atomic, just not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_TIMEOUT_S", "atomic_write_many", "atomic_write_text", "stale_temp_files"]

_DEFAULT_UMASK = 0o022
_TEMP_SUFFIX = ".tmp"
# tempfile's random part: 8 characters of [a-z0-9_].
_TEMP_RANDOM = r"[a-z0-9_]{8}"
#: How long a writer waits for another one to finish with the directory.
LOCK_TIMEOUT_S = 120.0


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically (see the module docstring for why).

    The text is written byte for byte (no newline translation), so output is the same on
    every platform. An existing file keeps its permission bits; a new file gets the ones
    the process umask allows, as a plain ``open`` would. Raises ``OSError`` when the
    directory can't be written; the temporary file never outlives the call (unless the
    process is killed, and then the next write removes it).
    """
    atomic_write_many({Path(path): text}, encoding=encoding)


def atomic_write_many(files: Mapping[Path, str], *, encoding: str = "utf-8") -> None:
    """Write several files so that either all are replaced or none is touched.

    Every file is first written and fsynced under a temporary name; only when all of them
    are safely on disk are they renamed into place. A failure while staging (disk full,
    permission denied, encoding error) therefore leaves every previous file untouched. The
    renames themselves do not fail in practice (same directory, no data to write; a
    directory sitting on a target name is refused before anything is staged), so a mixed
    old/new set is left only when the process dies between two renames.

    The target directories are locked for the whole write (see the module docstring), so
    concurrent writers of the same set take turns; one that waits longer than
    ``LOCK_TIMEOUT_S`` gets a ``TimeoutError`` (an ``OSError``). Temporary files that a
    killed writer left for these names are removed first.
    """
    # Encode everything before the first file is created: an encoding error is then a
    # plain exception with nothing on disk to clean up.
    payloads = [(Path(path), text.encode(encoding)) for path, text in files.items()]
    directories = sorted({path.parent for path, _ in payloads}, key=str)
    with _locked(directories) as locked:
        if locked:  # no other writer is staging now: every temp file there is a leftover
            for path, _ in payloads:
                for leftover in stale_temp_files(path):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
        for path, _ in payloads:
            if path.is_dir():
                raise IsADirectoryError(
                    errno.EISDIR, "a directory is in the way of the file", str(path)
                )
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
        for directory in directories:
            _fsync_directory(directory)


def stale_temp_files(path: Path) -> list[Path]:
    """Temporary files of ``path`` left in its directory (``.<name>.<random>.tmp``)."""
    path = Path(path)
    pattern = re.compile(rf"\.{re.escape(path.name)}\.{_TEMP_RANDOM}{re.escape(_TEMP_SUFFIX)}")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return [path.parent / name for name in sorted(names) if pattern.fullmatch(name)]


@contextlib.contextmanager
def _locked(directories: Sequence[Path]) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on every directory (in a fixed order, so two writers
    can't deadlock). Yields whether all of them are locked: locking is best effort where
    the platform or file system can't do it, but a lock held by another writer is waited
    for, up to ``LOCK_TIMEOUT_S``."""
    descriptors: list[int] = []
    locked = fcntl is not None
    try:
        for directory in directories:
            if not locked:
                break
            try:
                fd = os.open(directory, os.O_RDONLY)
            except OSError:  # missing (staging will say so) or not readable
                locked = False
                break
            descriptors.append(fd)
            locked = _flock(fd, directory)
        yield locked
    finally:
        for fd in reversed(descriptors):
            os.close(fd)  # closing the descriptor releases its lock


def _flock(fd: int, directory: Path) -> bool:
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    errno.ETIMEDOUT,
                    f"another process kept the directory locked for {LOCK_TIMEOUT_S:g} s "
                    "(is another run writing the same briefing?)",
                    str(directory),
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        except OSError:  # the file system can't lock (some network mounts)
            return False


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a fresh temporary file next to ``path``; return the temp path."""
    mode = _mode_for(path)
    handle = tempfile.NamedTemporaryFile(
        mode="wb", dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=_TEMP_SUFFIX
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
