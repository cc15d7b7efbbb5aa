"""outputs/ never holds a partial file: faults injected while a briefing is written.

Processes are killed with SIGKILL (nothing can clean up after that), the disk is "filled"
with a file-size limit (which binds root too), directories and files are put in the way,
and writers are made to race. After each fault every briefing file is either the complete
previous one or the complete new one, and no temporary file survives the next write.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.assemble.briefing import build_briefing
from pipeline.render.render import (
    FORMATS,
    OutputError,
    render_html,
    render_json,
    render_markdown,
    write_outputs,
)
from pipeline.storage import atomic
from pipeline.storage.atomic import atomic_write_many, stale_temp_files
from pipeline.types import ModelsUsed, SourceReport, Status

RENDERERS = {"md": render_markdown, "html": render_html, "json": render_json}


def make_briefing(tag: str, size: int = 2_000):
    """A briefing whose every format names ``tag`` and holds about ``size`` characters."""
    words = (f"{tag} " * (size // (len(tag) + 1) + 1))[:size]
    report = SourceReport(
        id=f"source-{tag}",
        path=f"/inbox/{tag}.txt",
        status=Status.OK,
        language="en",
        title=f"Title {tag}",
        text=words,
        translation=words,
        summary=f"Summary of run {tag}.",
    )
    return build_briefing(f"Briefing {tag}", [report], ModelsUsed())


def rendered(briefing) -> dict[str, str]:
    return {fmt: RENDERERS[fmt](briefing) for fmt in FORMATS}


def on_disk(out: Path, name: str = "briefing") -> dict[str, bytes | None]:
    result = {}
    for fmt in FORMATS:
        path = out / f"{name}.{fmt}"
        result[fmt] = path.read_bytes() if path.exists() else None
    return result


def temp_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp"))


def in_child(body: Callable[[], None]) -> int:
    """Run ``body`` in a forked child; its exit status (0 when it returned)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            body()
        except BaseException:
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


# --- killed writers ---------------------------------------------------------------------


def test_fault_killed_while_staging(tmp_path: Path) -> None:
    """SIGKILL after the new Markdown is staged but before anything is renamed: the
    previous briefing is intact, and the next write removes the orphaned temp file."""
    out = tmp_path / "out"
    write_outputs(make_briefing("old"), out, "briefing")
    previous = on_disk(out)
    new = make_briefing("new", 3_000_000)
    read_end, write_end = os.pipe()

    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        real_fsync = os.fsync

        def fsync_then_hang(fd: int) -> None:
            real_fsync(fd)
            os.write(write_end, b"staged")
            time.sleep(60)

        os.fsync = fsync_then_hang
        try:
            write_outputs(new, out, "briefing")
        finally:
            os._exit(1)
    assert os.read(read_end, 6) == b"staged"
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

    assert on_disk(out) == previous
    [orphan] = temp_files(out)
    assert orphan.startswith(".briefing.md.")
    assert (out / orphan).stat().st_size > 3_000_000  # killed with the new text staged

    write_outputs(make_briefing("next"), out, "briefing")  # the lock died with the child
    assert temp_files(out) == []
    assert b"Briefing next" in (out / "briefing.md").read_bytes()


def test_fault_killed_at_random(tmp_path: Path) -> None:
    """25 writers killed at random moments: every file is always a complete version."""
    out = tmp_path / "out"
    versions = {tag: rendered(make_briefing(tag, 400_000)) for tag in ("a", "b")}
    out.mkdir()
    atomic_write_many({out / f"briefing.{fmt}": versions["a"][fmt] for fmt in FORMATS})
    generator = random.Random(25)
    for _ in range(25):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child writes versions until killed
            while True:
                for tag in ("b", "a"):
                    atomic_write_many(
                        {out / f"briefing.{fmt}": versions[tag][fmt] for fmt in FORMATS}
                    )
        time.sleep(generator.uniform(0.0, 0.15))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        files = on_disk(out)
        tags = []
        for fmt in FORMATS:  # the order of the renames: md, html, json
            [tag] = [t for t in versions if versions[t][fmt].encode() == files[fmt]]  # complete
            tags.append(tag)
        # Killed between two renames, the set can be part new, part old (see the docs), but
        # only as a new prefix: once one file is the previous version, so are the rest.
        changes = sum(tags[n] != tags[n + 1] for n in range(len(tags) - 1))
        assert changes <= 1, tags
    atomic_write_many({out / f"briefing.{fmt}": versions["a"][fmt] for fmt in FORMATS})
    assert temp_files(out) == []


# --- the disk and the file system in the way --------------------------------------------


def test_fault_disk_full(tmp_path: Path) -> None:
    """A file-size limit (EFBIG, like ENOSPC) mid-write: a clear OutputError, the previous
    briefing untouched, no temporary file left. Works as root, unlike chmod."""
    out = tmp_path / "out"
    write_outputs(make_briefing("old"), out, "briefing")
    previous = on_disk(out)
    message = tmp_path / "message.txt"

    def write_with_a_full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, resource.RLIM_INFINITY))
        try:
            write_outputs(make_briefing("new", 500_000), out, "briefing")
        except OutputError as error:
            resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
            message.write_text(str(error), encoding="utf-8")
            return
        raise AssertionError("the write should have failed")

    assert in_child(write_with_a_full_disk) == 0
    text = message.read_text(encoding="utf-8")
    assert "Cannot write the briefing to" in text and "File too large" in text
    assert "left untouched" in text
    assert on_disk(out) == previous
    assert temp_files(out) == []


def test_fault_output_dir_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "outputs"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match=r"Cannot create the output directory .*outputs"):
        write_outputs(make_briefing("new"), target, "briefing")
    assert target.read_text(encoding="utf-8") == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"]


def test_fault_output_parent_is_a_file(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.write_text("a file", encoding="utf-8")
    with pytest.raises(OutputError, match="Not a directory"):
        write_outputs(make_briefing("new"), parent / "outputs", "briefing")
    assert parent.read_text(encoding="utf-8") == "a file"


def test_fault_directory_in_the_way(tmp_path: Path) -> None:
    """A directory where briefing.json goes: nothing is replaced, not even the Markdown
    and HTML that could be (the set stays one run's)."""
    out = tmp_path / "out"
    write_outputs(make_briefing("old"), out, "briefing", ["md", "html"])
    previous = on_disk(out)
    (out / "briefing.json").mkdir()
    with pytest.raises(OutputError, match="directory is in the way"):
        write_outputs(make_briefing("new"), out, "briefing")
    assert (out / "briefing.md").read_bytes() == previous["md"]
    assert (out / "briefing.html").read_bytes() == previous["html"]
    assert temp_files(out) == []


def test_fault_stale_temp_files(tmp_path: Path) -> None:
    """Temp files a crashed run left for these names go; anything else stays."""
    out = tmp_path / "out"
    out.mkdir()
    leftovers = [".briefing.md.k3j_9x0a.tmp", ".briefing.json.abcdefgh.tmp"]
    others = [
        ".briefing.md.tmp",
        ".other.md.abcdefgh.tmp",
        "notes.tmp",
        ".briefing.pdf.abcdefgh.tmp",
    ]
    for name in leftovers + others:
        (out / name).write_text("partial", encoding="utf-8")
    assert [p.name for p in stale_temp_files(out / "briefing.md")] == [leftovers[0]]

    write_outputs(make_briefing("new"), out, "briefing")

    assert temp_files(out) == sorted(n for n in others if n.endswith(".tmp"))


# --- racing writers ---------------------------------------------------------------------


def test_fault_interleaved_writers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writer A is slow between its renames; writer B writes the same names the moment A
    has renamed its Markdown. Unlocked, B's Markdown would end up next to A's HTML and
    JSON; with the directory lock B waits, and the set on disk is B's whole."""
    out = tmp_path / "out"
    out.mkdir()
    real_replace = os.replace
    a_renamed_markdown = threading.Event()

    def replace(src: str | Path, dst: str | Path) -> None:
        real_replace(src, dst)
        if threading.current_thread().name == "A":
            if str(dst).endswith(".md"):
                a_renamed_markdown.set()
            time.sleep(0.3)

    monkeypatch.setattr(os, "replace", replace)
    sets = {tag: rendered(make_briefing(tag)) for tag in ("A", "B")}
    errors: list[BaseException] = []

    def write(tag: str) -> None:
        try:
            if tag == "B":
                assert a_renamed_markdown.wait(10)
            atomic_write_many({out / f"briefing.{fmt}": sets[tag][fmt] for fmt in FORMATS})
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(tag,), name=tag) for tag in sets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert on_disk(out) == {fmt: sets["B"][fmt].encode() for fmt in FORMATS}
    assert temp_files(out) == []


def test_fault_lock_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that holds the directory too long: the next one gives up with a clear
    error after ``LOCK_TIMEOUT_S`` and writes nothing."""
    import fcntl

    out = tmp_path / "out"
    write_outputs(make_briefing("old"), out, "briefing")
    previous = on_disk(out)
    monkeypatch.setattr(atomic, "LOCK_TIMEOUT_S", 0.3)
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(OutputError, match="another process kept the directory locked"):
            write_outputs(make_briefing("new"), out, "briefing")
    finally:
        os.close(fd)
    assert on_disk(out) == previous
    assert temp_files(out) == []
