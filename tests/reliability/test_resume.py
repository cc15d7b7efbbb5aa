"""A run killed with SIGKILL mid-translation, started again, completes, reuses the work
that was finished, and writes the same briefing as an uninterrupted run (timestamps
aside). The output directory never holds a partial file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
pytestmark = pytest.mark.e2e


def _inbox(folder: Path, copies: int) -> Path:
    """Distinct Dutch articles (the samples' sentences in other orders), so that each is
    its own translation task and none is a duplicate of another."""
    folder.mkdir()
    paragraphs = [
        p for sample in SAMPLES[:2] for p in sample.read_text(encoding="utf-8").split("\n") if p
    ]
    for n in range(copies):
        rotated = paragraphs[n % len(paragraphs) :] + paragraphs[: n % len(paragraphs)]
        text = f"Bericht {n + 1} over de Navo.\n\n" + "\n\n".join(rotated)
        (folder / f"artikel-{n:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _config(path: Path, inbox: Path, out: Path) -> Path:
    path.write_text(
        f"title: Resume\nsources: ['{inbox}']\noutput_dir: '{out}'\n"
        "summary: {method: extractive}\n"
        "runner: {max_workers: 1}\n",  # one source at a time: a kill lands mid-run
        encoding="utf-8",
    )
    return path


def _env(models: Path, cache: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BRIEFING_"))}
    env.update(
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_HOME=str(home),
        HF_HUB_OFFLINE="1",
        BRIEFING_MODELS_DIR=str(models),
        BRIEFING_CACHE_DIR=str(cache),
        PYTHONPATH=str(REPO),
    )
    return env


def _assert_no_partial_files(out: Path) -> None:
    if not out.exists():
        return
    for path in out.iterdir():
        assert not path.name.endswith(".tmp"), f"partial file left: {path.name}"
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


def _briefing(out: Path) -> dict:
    data = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    data.pop("generated_at")
    return data


def test_a_killed_run_resumes_reusing_finished_work_and_writes_the_same_briefing(
    tiny_models_dir: Path, tmp_path: Path
) -> None:
    inbox = _inbox(tmp_path / "inbox", copies=12)
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    env = _env(tiny_models_dir, cache, tmp_path / "home")
    config = _config(tmp_path / "resume.yaml", inbox, out)
    # --verbose: Prefect's "Finished in state Cached" lines are on the console only then.
    command = [sys.executable, "-m", "flows.cli", "run", "--verbose", "--config", str(config)]

    process = subprocess.Popen(
        command,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = cache / "results"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        if results.is_dir() and len(list(results.iterdir())) >= 3:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    finished_before_kill = len(list(results.iterdir()))
    assert finished_before_kill >= 3
    assert not (out / "briefing.json").exists(), "killed before the briefing was written"
    _assert_no_partial_files(out)

    resumed = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    reused = resumed.stderr.count("Finished in state Cached")
    assert reused >= 3, "the finished translations were not reused"

    fresh_out = tmp_path / "fresh"
    fresh = subprocess.run(
        [*command[:-2], "--config", str(_config(tmp_path / "fresh.yaml", inbox, fresh_out))],
        env=_env(tiny_models_dir, tmp_path / "fresh-cache", tmp_path / "home"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    resumed_briefing, fresh_briefing = _briefing(out), _briefing(fresh_out)
    for briefing in (resumed_briefing, fresh_briefing):
        for source in briefing["sources"]:
            source["path"] = Path(source["path"]).name
    assert resumed_briefing == fresh_briefing
    assert len(resumed_briefing["sources"]) == 12
    assert all(s["status"] == "ok" for s in resumed_briefing["sources"])
    _assert_no_partial_files(out)
