"""Briefing as a service, against a real `prefect server start` on 127.0.0.1.

Runs the CLI in subprocesses pointed at the server, then reads back what the UI would
show through the Prefect client: flow runs, task-run states (Cached on a rerun) and the
artifacts. Also `briefing serve`, feeds and URLs from a local HTTP server, and Dask.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        {
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_HOME": str(tmp / "prefect-home"),
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(REPO),
        }
    )
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server on a free loopback port, for this module's tests."""
    import httpx

    home = tmp_path_factory.mktemp("server")
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    try:
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("prefect server did not start")
            time.sleep(1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture()
def client(prefect_api: str, monkeypatch: pytest.MonkeyPatch):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: prefect_api}):
        with get_client(sync_client=True) as api_client:
            yield api_client


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result


def _task_runs_of(client, flow_run_id) -> list:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    return client.read_task_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    )


def _child_runs(client, flow: str = "briefing") -> list:
    """Runs of the briefing flow (named by their briefing, so found by the flow's name)."""
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    return client.read_flow_runs(
        flow_filter=FlowFilter(name=FlowFilterName(any_=[flow])),
        sort=FlowRunSort.START_TIME_ASC,
    )


def test_runs_show_in_the_server_with_artifacts_and_a_rerun_hits_the_cache(
    prefect_api: str, client, tiny_models_dir: Path, tmp_path: Path
) -> None:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    out = tmp_path / "out"
    env = _env(
        tmp_path,
        PREFECT_API_URL=prefect_api,
        BRIEFING_MODELS_DIR=str(tiny_models_dir),
        BRIEFING_CACHE_DIR=str(tmp_path / "cache"),
    )
    args = ["run", *map(str, SAMPLES), "-o", str(out), "--name", "svc"]
    first = _cli(args, env, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    first_json = json.loads((out / "svc.json").read_text(encoding="utf-8"))
    second = _cli(args, env, tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    second_json = json.loads((out / "svc.json").read_text(encoding="utf-8"))

    runs = _child_runs(client)
    assert len(runs) >= 2 and all(r.state.is_completed() for r in runs[-2:])
    first_tasks = {t.name: t for t in _task_runs_of(client, runs[-2].id)}
    second_tasks = {t.name: t for t in _task_runs_of(client, runs[-1].id)}
    translate_names = sorted(n for n in first_tasks if n.startswith("translate-"))
    assert len(translate_names) == 5
    assert "translate-002_dab01c50e837ae11-nb" in translate_names
    assert all(first_tasks[n].state.name == "Completed" for n in translate_names)
    model_work = [n for n in second_tasks if n.startswith(("translate-", "summarize-"))]
    assert len(model_work) == 10
    assert all(second_tasks[n].state.name == "Cached" for n in model_work), {
        n: second_tasks[n].state.name for n in model_work
    }

    first_json.pop("generated_at")
    second_json.pop("generated_at")
    assert first_json == second_json

    keys = ["briefing-svc", "briefing-svc-sources", "briefing-svc-progress"]
    artifacts = client.read_artifacts(
        artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
    )
    by_key: dict[str, list] = {}
    for artifact in artifacts:
        by_key.setdefault(artifact.key, []).append(artifact)
    assert set(by_key) == set(keys)
    assert len(by_key["briefing-svc"]) == 2  # the history of the stable key
    assert "NATO to defer decision" in by_key["briefing-svc"][0].data
    table = by_key["briefing-svc-sources"][0].data
    rows = json.loads(table) if isinstance(table, str) else table
    assert [r["#"] for r in rows] == list(range(1, len(SAMPLES) + 1))
    assert list(rows[0]) == ["#", "source", "status", "note"]
    assert any("NATO to defer decision" in r["source"] for r in rows)  # the English sample
    assert {r["status"] for r in rows} >= {"ok (nl)", "ok (en)"}
    assert all(float(a.data) == 100.0 for a in by_key["briefing-svc-progress"])


def test_a_changed_source_recomputes_only_what_changed(
    prefect_api: str, client, tiny_models_dir: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for sample in SAMPLES[:2]:
        (inbox / sample.name).write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    env = _env(
        tmp_path,
        PREFECT_API_URL=prefect_api,
        BRIEFING_MODELS_DIR=str(tiny_models_dir),
        BRIEFING_CACHE_DIR=str(tmp_path / "cache"),
    )
    args = ["run", str(inbox), "-o", str(tmp_path / "out"), "--name", "changes"]
    assert _cli(args, env, tmp_path).returncode == 0
    changed = inbox / SAMPLES[1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEen nieuwe zin.\n", "utf-8")
    assert _cli(args, env, tmp_path).returncode == 0
    tasks = {t.name: t.state.name for t in _task_runs_of(client, _child_runs(client)[-1].id)}
    assert tasks[f"translate-{SAMPLES[0].stem}-nl"] == "Cached"
    assert tasks[f"translate-{SAMPLES[1].stem}-nl"] == "Completed"


def test_serve_registers_the_configured_schedule_and_stops_cleanly(
    prefect_api: str, client, tmp_path: Path
) -> None:
    config = tmp_path / "serve.yaml"
    config.write_text(
        "title: Served\n"
        f"sources: ['{SAMPLES[3]}']\n"
        "summary: {method: extractive}\n"
        "schedules:\n"
        "  - {name: test-morning, cron: '30 6 * * 1-5', timezone: Europe/Rome}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--config", str(config)],
        cwd=tmp_path,
        env=_env(tmp_path, PREFECT_API_URL=prefect_api),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Ctrl-C as at a terminal: a suite started in the background (`cmd &` without job
        # control, as CI scripts do) passes SIGINT down ignored, and a Python started with
        # SIGINT ignored never raises KeyboardInterrupt, so serve could never be stopped.
        preexec_fn=_default_sigint,
    )
    try:
        deadline = time.monotonic() + 300  # a hang guard, not a speed requirement
        deployment = None
        while deployment is None and time.monotonic() < deadline:
            try:
                deployment = client.read_deployment_by_name("briefing/test-morning")
            except Exception:
                time.sleep(1)
        assert deployment is not None, "deployment not registered"
        [schedule] = deployment.schedules
        assert schedule.schedule.cron == "30 6 * * 1-5"
        assert schedule.schedule.timezone == "Europe/Rome"
        assert deployment.parameters["only_new"] is True
        assert client.read_deployment_by_name("briefing/on-demand") is not None
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            pytest.fail(f"serve did not stop within 300 s of Ctrl-C:\n{output[-3000:]}")
    assert process.returncode == 0, output[-3000:]


# -- feeds and URLs ------------------------------------------------------------------------

ARTICLE = """<!doctype html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> Subscribe now</nav>
<article><h1>{title}</h1>{paragraphs}</article>
<script>document.title = "pwned"</script></body></html>"""


def _article(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    return ARTICLE.format(title=title, paragraphs=paragraphs)


class _Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path not in self.pages:
            self.send_error(404)
            return
        content_type, body = self.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def site() -> Iterator[str]:
    english = SAMPLES[3].read_text(encoding="utf-8").split("\n\n", 3)[-1]
    dutch = SAMPLES[1].read_text(encoding="utf-8").replace("\n", "\n\n")
    _Site.pages = {
        "/en.html": ("text/html; charset=utf-8", _article("NATO office", english).encode()),
        "/nl.html": ("text/html; charset=utf-8", _article("Japan en NAVO", dutch).encode()),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _Site.pages["/feed.xml"] = ("application/rss+xml", _rss(base, ["/en.html"]).encode())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()


def _rss(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in paths)
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        f"<link>{base}</link>{items}</channel></rss>"
    )


def test_a_feed_expands_into_its_articles_and_urls_are_read_as_html(site: str) -> None:
    from pipeline.config.load import load_config
    from pipeline.documents.prepare import prepare_source
    from pipeline.sources.web import gather_sources

    sources = gather_sources([f"{site}/feed.xml", f"{site}/nl.html"])
    assert [s.path for s in sources] == [f"{site}/en.html", f"{site}/nl.html"]
    english = prepare_source(sources[0], load_config().translation)
    assert english.guess.language == "en"
    assert "liaison office in Tokyo" in english.document.text
    assert "pwned" not in english.document.text and "Subscribe" not in english.document.text


def test_urls_only_http_with_no_redirect_to_other_schemes(site: str) -> None:
    from pipeline.sources.web import FetchLimits, fetch
    from pipeline.types import SourceError

    with pytest.raises(SourceError, match="only http and https"):
        fetch("file:///etc/passwd")
    with pytest.raises(SourceError, match="only http and https"):
        fetch(f"{site}/to-file")
    with pytest.raises(SourceError, match="larger than"):
        fetch(f"{site}/en.html", FetchLimits(max_bytes=1_000))
    with pytest.raises(SourceError, match="404"):
        fetch(f"{site}/missing.html")


def test_a_scheduled_run_over_a_feed_briefs_only_what_is_new(
    site: str, tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.testing.utilities import prefect_test_harness

    from flows.briefing_flow import briefing_flow
    from pipeline.config.load import load_config, parse_config
    from pipeline.models import loaded as runtime

    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    runtime.clear()
    data = load_config().model_dump(mode="json")
    data.update(
        sources=[f"{site}/feed.xml"],
        output_dir=str(tmp_path / "out"),
        output_name="feed-{date}",
        only_new=True,
    )
    config = parse_config(data)
    with prefect_test_harness(server_startup_timeout=120):
        first = briefing_flow(config=config).paths
        assert first, "the first run briefs the feed's article"
        again = briefing_flow(config=config).paths
        assert again == {}, "nothing new: no briefing is written over the last one"
        _Site.pages["/feed.xml"] = (
            "application/rss+xml",
            _rss(site, ["/en.html", "/nl.html"]).encode(),
        )
        third = briefing_flow(config=config).paths
    report = json.loads(Path(third["json"]).read_text(encoding="utf-8"))
    status = {s["path"].rsplit("/", 1)[-1]: (s["status"], s["error"]) for s in report["sources"]}
    assert status["nl.html"] == ("ok", None)
    assert status["en.html"][0] == "skipped" and "already briefed" in status["en.html"][1]


def test_a_dask_run_gives_the_same_briefing_as_a_threads_run(
    tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.testing.utilities import prefect_test_harness

    from flows.briefing_flow import briefing_flow
    from pipeline.config.load import load_config, parse_config
    from pipeline.models import loaded as runtime

    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    runtime.clear()
    results = {}
    with prefect_test_harness(server_startup_timeout=120):
        for kind in ("threads", "dask"):
            data = load_config().model_dump(mode="json")
            data.update(
                sources=[str(p) for p in SAMPLES],
                output_dir=str(tmp_path / kind),
                runner={"kind": kind, "dask_workers": 2},
                cache={"enabled": False},
            )
            paths = briefing_flow(config=parse_config(data)).paths
            briefing = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
            briefing.pop("generated_at")
            results[kind] = briefing
    assert results["dask"] == results["threads"]
    assert [s["status"] for s in results["dask"]["sources"]] == ["ok"] * 5
