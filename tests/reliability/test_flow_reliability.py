"""The real Prefect flow with tiny models, under faults: one Prefect test harness for all.

* A mix of the bad inputs from ``cases.py`` plus two good samples: every source is in the
  briefing exactly once, with the status and message the catalogue expects.
* A corrupt model for one language fails that language's sources only.
* An output directory that can't be written: exit code 1, a clear message, nothing touched.
* Two `briefing run` processes into one output directory at once: each file on disk is one
  complete briefing, and the Markdown, HTML and JSON are the same run's.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.config.load import load_config, parse_config
from pipeline.models import loaded as runtime
from pipeline.render.render import human_time

from .cases import BAD_INPUTS, HOSTILE_PAYLOADS, Expected, many_files, sample
from .helpers import assert_reported, clean_env, cli_command, unescape_markdown
from .test_security import assert_html_inert, assert_markdown_inert

pytestmark = pytest.mark.e2e

FLOW_CASES = [case for case in BAD_INPUTS if case.in_flow]
# mark_duplicates is called by the flow once flows/briefing_flow.py wires it in.


@pytest.fixture(scope="module")
def prefect_api(tiny_models_dir: Path) -> Any:
    """One temporary Prefect server for the module; yields its API URL."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
        with prefect_test_harness(server_startup_timeout=120):
            yield PREFECT_API_URL.value()
    runtime.clear()


def _config(sources: list[Path], out: Path):
    """The default config on ``sources``, with greedy decoding and short summaries: the
    same code paths, a fraction of the tiny models' generation time."""
    data = load_config().model_dump(mode="json")
    data.update({"sources": [str(s) for s in sources], "output_dir": str(out)})
    data["translation"]["num_beams"] = 1
    data["summary"].update({"num_beams": 1, "max_length": 24, "min_length": 4})
    data["runner"].update({"max_workers": 8, "model_concurrency": 8})
    data["cache"]["enabled"] = False
    return parse_config(data)


def _load(paths: dict[str, str]) -> tuple[dict[str, Any], str, str]:
    return (
        json.loads(Path(paths["json"]).read_text(encoding="utf-8")),
        Path(paths["md"]).read_text(encoding="utf-8"),
        Path(paths["html"]).read_text(encoding="utf-8"),
    )


# --- the bad mix through the real flow ---------------------------------------------------


@pytest.fixture(scope="module")
def mix_run(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from flows.briefing_flow import briefing_flow

    root = tmp_path_factory.mktemp("mix")
    inbox = root / "inbox"
    inbox.mkdir()
    given: list[Path] = []
    expected: list[Expected] = []
    for name, prefix in (("good-nl.txt", "000"), ("good-en.txt", "003")):
        path = inbox / name
        path.write_text(sample(prefix), encoding="utf-8")
        given.append(path)
        expected.append(Expected(str(path), "ok", None))
    for case in FLOW_CASES:
        built = case.build(inbox)
        given += built.given
        expected.extend(built.expected)
    small_folder = many_files(root, 3)
    given.append(small_folder[0].parent)
    expected += [Expected(str(path), "ok", None) for path in small_folder]

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(root / "cache"))
        runtime.clear()
        paths = briefing_flow(config=_config(given, root / "out")).paths
    data, markdown, html = _load(paths)
    return {"given": given, "expected": expected, "data": data, "md": markdown, "html": html}


def test_every_source_of_a_bad_mix_is_accounted_for_by_the_real_flow(
    mix_run: dict[str, Any],
) -> None:
    data, expected = mix_run["data"], mix_run["expected"]
    assert len(data["sources"]) == len(expected)  # sources in == sources in the JSON
    assert_reported(expected, data, mix_run["md"])
    counts = {status: sum(e.status == status for e in expected) for status in data["counts"]}
    assert data["counts"] == counts
    assert data["test_models"] is True
    for record in data["sources"]:
        if record["status"] == "ok":
            assert record["sentences"] and record["summary"].strip(), record["id"]


def test_hostile_text_through_the_real_flow_stays_text(mix_run: dict[str, Any]) -> None:
    [record] = [r for r in mix_run["data"]["sources"] if r["path"].endswith("hostile.txt")]
    assert all(payload in record["translation"] for payload in HOSTILE_PAYLOADS)
    assert_html_inert(mix_run["html"], (*HOSTILE_PAYLOADS, record["title"]))
    assert_markdown_inert(mix_run["md"])


def test_a_copy_is_reported_as_a_duplicate_by_the_real_flow(mix_run: dict[str, Any]) -> None:
    [copy] = [r for r in mix_run["data"]["sources"] if r["path"].endswith("dup-copy.txt")]
    assert copy["status"] == "skipped" and copy["error"] == "duplicate of dup-original"
    assert "duplicate of dup-original" in unescape_markdown(mix_run["md"])


# --- faults -----------------------------------------------------------------------------


def test_fault_corrupt_model(
    prefect_api: str, tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Dutch model's weights cut in half: the Dutch sources fail, naming the model;
    Italian and English complete."""
    from flows.briefing_flow import briefing_flow

    models = tmp_path / "models"
    shutil.copytree(tiny_models_dir, models)
    # The weights file of the real layout (pytorch_model.bin for opus-mt-nl-en).
    [weights] = [
        p
        for p in (models / "opus-mt-nl-en").iterdir()
        if p.name in ("model.safetensors", "pytorch_model.bin")
    ]
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(models))
    runtime.clear()
    sources = {prefix: tmp_path / f"{prefix}.txt" for prefix in ("000", "001", "003", "004")}
    for prefix, path in sources.items():
        path.write_text(sample(prefix), encoding="utf-8")
    try:
        paths = briefing_flow(config=_config(list(sources.values()), tmp_path / "out")).paths
    finally:
        runtime.clear()

    data, markdown, _ = _load(paths)
    status = {
        Path(r["path"]).stem: (r["status"], r["language"], r["error"]) for r in data["sources"]
    }
    assert len(status) == 4
    for prefix in ("000", "001"):
        assert status[prefix][:2] == ("failed", "nl")
        assert "opus-mt-nl-en" in status[prefix][2]
    for prefix in ("003", "004"):
        assert status[prefix][0] == "ok", status[prefix]
    assert "could not load translation model" in unescape_markdown(markdown)


def test_fault_output_dir_is_a_file_through_the_cli(prefect_api: str, tmp_path: Path) -> None:
    """`briefing run -o FILE`: exit code 1, a message naming the directory, the file as
    it was (the CLI in-process, on the module's Prefect server)."""
    from typer.testing import CliRunner

    from flows.cli import app

    target = tmp_path / "outputs"
    target.write_text("keep me", encoding="utf-8")
    source = tmp_path / "en.txt"
    source.write_text(sample("003"), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(source), "--output-dir", str(target)])

    assert result.exit_code == 1, result.output
    # Found before any work: one line naming the directory, no traceback.
    assert f"the output directory {target} is a file, not a folder" in result.output
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "keep me"


def test_fault_concurrent_cli_runs(prefect_api: str, tiny_models_dir: Path, tmp_path: Path) -> None:
    """Two `briefing run` processes, different sources, same output directory and name, at
    the same time: both succeed and the files on disk are one run's complete briefing."""
    out = tmp_path / "out"
    config = tmp_path / "light.yaml"  # no model for the summary: the run is all I/O
    config.write_text("summary: {method: extractive}\n", encoding="utf-8")
    runs = {}
    for tag, prefix in (("alpha", "003"), ("beta", "004")):
        path = tmp_path / tag / f"source-{tag}.txt"
        path.parent.mkdir()
        path.write_text(sample(prefix), encoding="utf-8")
        env = clean_env(
            PREFECT_API_URL=prefect_api,
            BRIEFING_MODELS_DIR=str(tiny_models_dir),
            BRIEFING_CACHE_DIR=str(tmp_path / f"cache-{tag}"),
            PREFECT_HOME=str(tmp_path / f"prefect-{tag}"),
        )
        runs[tag] = subprocess.Popen(
            cli_command(
                "run", str(path), "-c", str(config), "--output-dir", str(out), "--name", "shared"
            ),
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    outputs = {tag: process.communicate(timeout=300)[0] for tag, process in runs.items()}
    for tag, process in runs.items():
        assert process.returncode == 0, outputs[tag][-3000:]

    data = json.loads((out / "shared.json").read_text(encoding="utf-8"))
    [winner] = [record["id"] for record in data["sources"]]
    loser = "source-beta" if winner == "source-alpha" else "source-alpha"
    for fmt in ("md", "html"):
        text = (out / f"shared.{fmt}").read_text(encoding="utf-8")
        assert winner in text and loser not in text, fmt
        # All three files come from the same run: the same moment, as ISO or as the label.
        stamp = data["generated_at"] if fmt == "html" else human_time(data["generated_at"])
        assert stamp in text, fmt
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "shared.html",
        "shared.json",
        "shared.md",
    ]
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert os.path.getsize(out / "shared.html") > 1000


# --- one record per unreadable source ----------------------------------------------------


def _settled_task_runs(flow_run_id: Any, names: set[str]) -> dict[str, Any]:
    """The flow run's task runs by name, once the server has each of ``names`` in a final
    state (it learns of states from events, a little after the flow has them)."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    runs: dict[str, Any] = {}
    with get_client(sync_client=True) as client:
        for _ in range(600):
            found = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
            runs = {r.name: r for r in found}
            if all(n in runs and runs[n].state and runs[n].state.is_final() for n in names):
                break
            time.sleep(0.1)
    return runs


def test_an_unreadable_source_is_one_failed_task_run_and_a_dead_url_is_retried_once(
    prefect_api: str, tiny_models_dir: Path, tmp_path: Path
) -> None:
    """A missing file, an image and a URL nothing answers: each is ONE failed task run
    (prepare, with the reason read found), the URL fetched again by its read task run only;
    an empty file is skipped without a failed run. The briefing reports them all as ever."""
    from prefect import get_client
    from prefect.client.schemas.sorting import FlowRunSort

    from flows.briefing_flow import briefing_flow

    good, image, empty = tmp_path / "good.txt", tmp_path / "image.txt", tmp_path / "empty.txt"
    good.write_text(sample("003"), encoding="utf-8")
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    empty.write_bytes(b"")
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/news/article.html"
    data = load_config().model_dump(mode="json")
    data.update(sources=[str(good), str(image), str(empty), str(tmp_path / "gone.txt"), url])
    data.update(output_dir=str(tmp_path / "out"), web={"retries": 1})
    data["summary"]["method"] = "extractive"  # English and extractive: no model to load
    data["cache"]["enabled"] = False
    runtime.clear()
    paths = briefing_flow(config=parse_config(data)).paths

    report = {r["path"]: r for r in _load(paths)[0]["sources"]}
    ids = {path: record["id"] for path, record in report.items()}
    assert [report[p]["status"] for p in ids] == ["ok", "failed", "skipped", "failed", "failed"]
    assert "binary file (PNG image)" in report[str(image)]["error"]
    assert report[str(empty)]["error"] == "empty file"
    assert report[str(tmp_path / "gone.txt")]["error"].startswith("file not found")
    assert report[url]["error"].startswith(f"could not fetch {url}")

    with get_client(sync_client=True) as client:
        [flow_run] = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)
    steps = {f"{step}-{source_id}" for source_id in ids.values() for step in ("read", "prepare")}
    runs = _settled_task_runs(flow_run.id, steps)
    failed = sorted(name for name, r in runs.items() if r.state.is_failed())
    unreadable = (str(image), str(tmp_path / "gone.txt"), url)
    assert failed == sorted(f"prepare-{ids[p]}" for p in unreadable)
    assert all(runs[f"read-{ids[p]}"].state.is_completed() for p in ids)
    assert runs[f"read-{ids[url]}"].run_count == 2  # the one retry, in read only
    assert all(runs[f"prepare-{ids[p]}"].run_count == 1 for p in ids)
