"""The real briefing flow, end to end, on the sample corpus with tiny models.

Nothing is mocked: Prefect runs the flow against a temporary server (its test harness),
transformers loads the tiny models from disk exactly as it loads the real ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows.briefing_flow import briefing_flow
from pipeline.config.load import load_config, parse_config
from pipeline.models import loaded as runtime

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def tiny_env(tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    runtime.clear()
    yield tiny_models_dir
    runtime.clear()


def _config(tmp_path: Path, sources: list[Path], **extra: object):
    data = load_config().model_dump(mode="json")
    data.update({"sources": [str(s) for s in sources], "output_dir": str(tmp_path / "out")})
    data.update(extra)
    return parse_config(data)


def test_flow_briefs_the_five_samples_into_the_json_contract(
    prefect_server, tiny_env, tmp_path: Path
) -> None:
    paths = briefing_flow(config=_config(tmp_path, SAMPLES)).paths

    assert set(paths) == {"md", "html", "json"}
    for path in paths.values():
        assert Path(path).is_file() and Path(path).stat().st_size > 0
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]

    data = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
    for key in ("generated_at", "overview", "models", "sources"):
        assert key in data
    assert data["test_models"] is True
    sources = data["sources"]
    assert [s["language"] for s in sources] == ["nl", "nl", "nb", "en", "it"]
    assert [s["status"] for s in sources] == ["ok"] * 5
    for source in sources:
        for key in (
            "id",
            "path",
            "language",
            "status",
            "error",
            "title",
            "text",
            "removed",
            "translation",
            "summary",
            "sentences",
        ):
            assert key in source, key
        assert source["error"] is None
        assert source["sentences"], source["id"]
        for pair in source["sentences"]:
            assert pair["source"].strip()
            assert pair["translation"].strip(), (source["id"], pair["source"])
        assert source["summary"].strip()

    english = sources[3]
    assert english["translation"] == english["text"]
    removed = " ".join(r["text"] for r in english["removed"]).lower()
    assert "apple store" in removed and "play market" in removed
    assert english["title"] == "NATO to defer decision on Tokyo liaison office"
    # The models the run used are recorded, each resolved from the tiny-model folder.
    assert set(data["models"]["translation"]) == {"nl", "nb", "it"}
    assert all(m["origin"] == "models_dir" for m in data["models"]["translation"].values())

    html = Path(paths["html"]).read_text(encoding="utf-8")
    assert "TEST models" in html


def test_one_broken_source_does_not_sink_the_briefing(
    prefect_server, tiny_env, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES[0], inbox / "dutch.txt")
    (inbox / "empty.txt").write_text("")
    (inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (inbox / "german.txt").write_text(
        "Die Bundesregierung hat am Mittwoch beschlossen, die Hilfe für die Ukraine deutlich "
        "zu erhöhen. Der Kanzler sagte, Deutschland werde seine Verantwortung in Europa "
        "wahrnehmen und die Zusammenarbeit mit den Partnern weiter stärken.\n",
        encoding="utf-8",
    )
    paths = briefing_flow(
        config=_config(tmp_path, [inbox, tmp_path / "missing.txt"], output_name="inbox-{date}")
    ).paths

    data = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
    status = {s["id"]: (s["status"], s["error"] or "") for s in data["sources"]}
    assert status["dutch"][0] == "ok"
    assert status["empty"][0] == "skipped"
    assert status["image"][0] == "failed" and "binary" in status["image"][1].lower()
    assert status["german"][0] == "skipped" and "German" in status["german"][1]
    assert status["missing"][0] == "failed"
    markdown = Path(paths["md"]).read_text(encoding="utf-8")
    for source_id in status:
        assert source_id in markdown

    # The runs list says what happened: one run per briefing, "Partial", named and tagged
    # by the briefing, holding its task runs and artifacts.
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        [run] = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))
        )
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        )
    assert run.state.name == "Partial"
    assert run.state.message == "Partial: 2 failed, 2 skipped (1 ok)"
    assert run.name.startswith("inbox-20") and "{date}" not in run.name
    assert run.parent_task_run_id is None  # no sub-run: this run is the briefing
    assert "briefing" in run.tags and any(t.startswith("briefing:inbox-20") for t in run.tags)
    assert {"discover-sources", "synthesize", "write-briefing"} <= {t.name for t in tasks}
    assert any(t.name == "translate-dutch-nl" for t in tasks)
    stem = Path(paths["json"]).stem  # inbox-<date>
    assert {a.key for a in artifacts} >= {f"briefing-{stem}", f"briefing-{stem}-sources"}


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BRIEFING_"))}
    env["BRIEFING_CACHE_DIR"] = os.environ["BRIEFING_CACHE_DIR"]
    env.update({"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "HF_HUB_OFFLINE": "1"})
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def test_cli_run_writes_all_formats_with_tiny_models(tiny_models_dir: Path, tmp_path: Path):
    out = tmp_path / "briefing out"
    result = _cli(
        ["run", "--sources", *map(str, SAMPLES), "--output-dir", str(out)],
        _clean_env(BRIEFING_MODELS_DIR=str(tiny_models_dir), PREFECT_HOME=str(tmp_path / "ph")),
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".json", ".md"]
    data = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert [s["status"] for s in data["sources"]] == ["ok"] * 5
    assert "TEST models" in result.stdout


def test_missing_model_fails_fast_naming_the_model(tmp_path: Path) -> None:
    empty = tmp_path / "no-models"
    empty.mkdir()
    out = tmp_path / "out"
    started = time.monotonic()
    result = _cli(
        ["run", "--sources", str(SAMPLES[0]), "--output-dir", str(out)],
        _clean_env(
            BRIEFING_MODELS_DIR=str(empty),
            HF_HOME=str(tmp_path / "hf"),
            PREFECT_HOME=str(tmp_path / "ph"),
        ),
        tmp_path,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert elapsed < 60
    assert "Helsinki-NLP/opus-mt-nl-en" in result.stderr
    assert "BRIEFING_MODELS_DIR" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_bad_config_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("title: x\ntranslaton:\n  num_beams: 4\n", encoding="utf-8")
    result = _cli(["run", "--config", str(config)], _clean_env(), tmp_path)
    assert result.returncode == 2
    assert "translaton" in result.stderr


def test_languages_are_translated_one_model_at_a_time(
    prefect_server, tiny_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three models, one at a time: each is loaded only after the one before was let go
    (before, the flow translated every language at once with all three loaded)."""
    loads: list[tuple[str, int]] = []
    real_load = runtime.load_translator

    def observed_load(path, settings, **kwargs):
        loads.append((Path(path).name, len(runtime._translators)))
        return real_load(path, settings, **kwargs)

    monkeypatch.setattr(runtime, "load_translator", observed_load)  # still the real loader
    config = _config(tmp_path, SAMPLES, cache={"enabled": False})
    paths = briefing_flow(config=config).paths

    assert sorted(name for name, _ in loads) == ["opus-mt-gmq-en", "opus-mt-it-en", "opus-mt-nl-en"]
    assert all(loaded == 0 for _, loaded in loads)
    data = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
    assert [s["status"] for s in data["sources"]] == ["ok"] * 5


def test_every_summary_waits_for_the_summariser_together(
    prefect_server, tiny_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With fewer task threads than sources, every source's summary task runs at once, so
    the summariser can batch all their chunks together (before, with four threads the
    fifth source's summary started only after the other four were done, a batch alone).
    The real summariser runs once all five have asked; with two threads for five the
    barrier could never fill and the summaries would fail."""
    from pipeline.summaries.summarize import AbstractiveSummarizer

    everyone = threading.Barrier(len(SAMPLES), timeout=120)
    real_run = AbstractiveSummarizer._run

    def gathered(self, chunks):
        everyone.wait()
        return real_run(self, chunks)

    monkeypatch.setattr(AbstractiveSummarizer, "_run", gathered)
    config = _config(tmp_path, SAMPLES, cache={"enabled": False}, runner={"max_workers": 2})
    paths = briefing_flow(config=config).paths

    data = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
    assert [s["status"] for s in data["sources"]] == ["ok"] * 5
    assert all(s["summary"] for s in data["sources"])


@pytest.mark.parametrize("limit", [None, 2])
def test_model_tasks_carry_the_limit_tag_only_when_a_limit_is_set(
    limit: int | None, tmp_path: Path
) -> None:
    """The tag makes Prefect ask the server for a slot around every task run (seconds each),
    so it is there only when runner.model_concurrency asks for a limit."""
    from flows.tasks import MODEL_TAG, model_tasks

    for cache in (True, False):
        config = _config(
            tmp_path,
            SAMPLES,
            runner={"model_concurrency": limit},
            cache={"enabled": cache, "dir": str(tmp_path / "cache")},
        )
        for task in model_tasks(config):
            assert (MODEL_TAG in task.tags) == (limit is not None)
