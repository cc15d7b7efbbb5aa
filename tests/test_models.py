"""Where models come from: explicit path, $BRIEFING_MODELS_DIR, the Hugging Face cache, the hub.

Everything runs on real directories: tiny models with the real file layout, a Hugging Face
cache laid out as huggingface_hub lays it out (``models--owner--name/{blobs,refs,snapshots}``),
and, for downloads, a small local HTTP server speaking the part of the hub API that
``huggingface_hub.snapshot_download`` uses. No test reaches the internet.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from transformers import MarianMTModel, MarianTokenizer

import pipeline.models.locate as models_module
from pipeline.config.schema import ModelSpec
from pipeline.models.locate import (
    HOW_TO_SUPPLY,
    MODELS_DIR_ENV,
    ModelNotAvailable,
    ResolvedModel,
    describe_hub_error,
    fetch_model,
    forget_hub_failures,
    hub_offline,
    locate_model,
    missing_files,
    resolve_model,
)

NL = ModelSpec(id="Helsinki-NLP/opus-mt-nl-en")
SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER_SHA = "89abcdef0123456789abcdef0123456789abcdef"


# --------------------------------------------------------------------------------------------
# Fixtures: a clean environment, model directories, a hub cache, a local fake hub
# --------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No models dir, an empty HF cache, online, and a hub endpoint where nothing listens."""
    for name in (
        MODELS_DIR_ENV,
        "HF_HUB_OFFLINE",
        "TRANSFORMERS_OFFLINE",
        "HF_HOME",
        "HUGGINGFACE_HUB_CACHE",
        "BRIEFING_HUB_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    cache = tmp_path / "hf-cache"
    cache.mkdir()
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    # huggingface_hub reads HF_HUB_OFFLINE at import; our code reads it at call time, but the
    # library refuses requests when it was set at import (pytest run with HF_HUB_OFFLINE=1).
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    forget_hub_failures()
    return cache


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _copy_model(tiny_models_dir: Path, dest: Path, name: str = "opus-mt-nl-en") -> Path:
    shutil.copytree(tiny_models_dir / name, dest)
    return dest


def _lay_out_cache(cache: Path, model_dir: Path, repo_id: str, sha: str, ref: str = "main") -> Path:
    """Put ``model_dir`` into ``cache`` as huggingface_hub does: blobs named by hash,
    snapshots/<sha>/<file> symlinks to them, refs/<ref> holding the sha."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / sha
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True)
    for file in sorted(model_dir.iterdir()):
        if not file.is_file():
            continue
        data = file.read_bytes()
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        (snapshot / file.name).symlink_to(Path("..") / ".." / "blobs" / blob.name)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / ref).write_text(sha)
    return snapshot


class FakeHub:
    """The slice of the hub API snapshot_download uses, serving directories as repos."""

    def __init__(self, repos: dict[str, Path], sha: str = SHA):
        self.repos = repos
        self.sha = sha
        self.requests: list[str] = []
        self.downloads: list[str] = []  # files sent (GET)
        self.requested_files: set[str] = set()  # files asked about (HEAD or GET)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                hub._handle(self, head=True)

            def do_GET(self) -> None:
                hub._handle(self, head=False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _files(self, repo_id: str) -> dict[str, Path]:
        root = self.repos[repo_id]
        return {p.name: p for p in sorted(root.iterdir()) if p.is_file()}

    def _handle(self, request: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = unquote(urlsplit(request.path).path)
        self.requests.append(f"{request.command} {path}")
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "models"] and len(parts) >= 4:
            repo_id = "/".join(parts[2:4])
            if repo_id not in self.repos:
                return self._send(request, 404, b'{"error":"not found"}', head, RepoNotFound=1)
            if len(parts) == 4 or parts[4] == "revision":
                siblings = [{"rfilename": name} for name in self._files(repo_id)]
                body = {"id": repo_id, "sha": self.sha, "siblings": siblings}
                return self._send(request, 200, json.dumps(body).encode(), head)
            if parts[4] == "tree":
                entries = [
                    {"type": "file", "path": name, "size": p.stat().st_size, "oid": _oid(p)}
                    for name, p in self._files(repo_id).items()
                ]
                return self._send(request, 200, json.dumps(entries).encode(), head)
        if len(parts) >= 5 and parts[2] == "resolve":
            repo_id, filename = "/".join(parts[:2]), "/".join(parts[4:])
            self.requested_files.add(filename)
            file = self._files(repo_id).get(filename) if repo_id in self.repos else None
            if file is None:
                return self._send(request, 404, b"", head, EntryNotFound=1)
            if not head:
                self.downloads.append(filename)
            return self._send(request, 200, file.read_bytes(), head, etag=_oid(file))
        return self._send(request, 404, b"", head)

    def _send(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        head: bool,
        *,
        etag: str | None = None,
        RepoNotFound: int = 0,  # noqa: N803
        EntryNotFound: int = 0,  # noqa: N803
    ) -> None:
        request.send_response(status)
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("X-Repo-Commit", self.sha)
        if etag:
            request.send_header("ETag", f'"{etag}"')
        if RepoNotFound:
            request.send_header("X-Error-Code", "RepoNotFound")
        if EntryNotFound:
            request.send_header("X-Error-Code", "EntryNotFound")
        request.end_headers()
        if not head:
            request.wfile.write(body)


def _oid(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


@pytest.fixture()
def hub_repo(tiny_models_dir: Path, tmp_path: Path) -> Path:
    """A hub repository's files as opus-mt-nl-en has them on main: the tiny nl-en model
    (pytorch_model.bin its only PyTorch weights) plus files a download must skip."""
    repo = _copy_model(tiny_models_dir, tmp_path / "repo")
    (repo / TINY_MARKER_NAME).unlink()
    (repo / "tf_model.h5").write_bytes(b"tensorflow weights, never fetched")
    (repo / "rust_model.ot").write_bytes(b"rust weights, never fetched")
    (repo / "README.md").write_text("model card")
    return repo


TINY_MARKER_NAME = "briefing-tiny.json"


@pytest.fixture()
def fake_hub(hub_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    hub = FakeHub({NL.id: hub_repo})
    monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
    yield hub
    hub.close()


@pytest.fixture()
def watchdog(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A hub endpoint that records every request: tests assert it got none."""
    hub = FakeHub({})
    monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
    yield hub
    hub.close()


# --------------------------------------------------------------------------------------------
# Resolution order
# --------------------------------------------------------------------------------------------


def test_models_dir_is_found(tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch, watchdog):
    monkeypatch.setenv(MODELS_DIR_ENV, str(tiny_models_dir))
    resolved = resolve_model(NL)
    assert isinstance(resolved, ResolvedModel)
    assert resolved.origin == "models_dir"
    assert resolved.path == (tiny_models_dir / "opus-mt-nl-en").resolve()
    assert resolved.tiny is True
    assert resolved.revision and resolved.revision.startswith("local-")
    assert resolved.to_dict()["origin"] == "models_dir"
    assert locate_model(NL) == resolved
    assert watchdog.requests == []


def test_explicit_path_wins_over_models_dir_and_cache(
    tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
):
    explicit = _copy_model(tiny_models_dir, tmp_path / "explicit" / "my-nl-model")
    (explicit / TINY_MARKER_NAME).unlink()
    _lay_out_cache(clean_env, tiny_models_dir / "opus-mt-nl-en", NL.id, SHA)
    monkeypatch.setenv(MODELS_DIR_ENV, str(tiny_models_dir))

    resolved = resolve_model(NL.model_copy(update={"path": explicit}))
    assert resolved.origin == "path"
    assert resolved.path == explicit.resolve()
    assert resolved.tiny is False


def test_models_dir_wins_over_cache(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
):
    _lay_out_cache(clean_env, tiny_models_dir / "opus-mt-nl-en", NL.id, SHA)
    monkeypatch.setenv(MODELS_DIR_ENV, str(tiny_models_dir))
    assert resolve_model(NL).origin == "models_dir"


def test_cache_is_found_at_its_snapshot(tiny_models_dir: Path, clean_env: Path, watchdog):
    snapshot = _lay_out_cache(clean_env, tiny_models_dir / "opus-mt-nl-en", NL.id, SHA)
    resolved = resolve_model(NL)
    assert resolved.origin == "hf_cache"
    assert resolved.path == snapshot.resolve()
    assert resolved.revision == SHA
    assert locate_model(NL) == resolved
    # The cached files load with the real classes, through the blob symlinks.
    assert isinstance(MarianTokenizer.from_pretrained(resolved.path), MarianTokenizer)
    assert watchdog.requests == []


def test_cache_honours_hf_home(
    tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, watchdog
):
    monkeypatch.delenv("HF_HUB_CACHE")
    home = tmp_path / "hf-home"
    _lay_out_cache(home / "hub", tiny_models_dir / "opus-mt-nl-en", NL.id, SHA)
    monkeypatch.setenv("HF_HOME", str(home))
    assert resolve_model(NL).origin == "hf_cache"


def test_cache_revision_selects_the_snapshot(tiny_models_dir: Path, clean_env: Path, watchdog):
    _lay_out_cache(clean_env, tiny_models_dir / "opus-mt-nl-en", NL.id, SHA)
    _lay_out_cache(clean_env, tiny_models_dir / "opus-mt-nl-en", NL.id, OTHER_SHA, ref="v2")
    assert resolve_model(NL).revision == SHA
    assert resolve_model(NL.model_copy(update={"revision": "v2"})).revision == OTHER_SHA
    assert resolve_model(NL.model_copy(update={"revision": OTHER_SHA})).revision == OTHER_SHA
    with pytest.raises(ModelNotAvailable):
        resolve_model(NL.model_copy(update={"revision": "v3"}), allow_download=False)


def test_incomplete_cache_snapshot_is_not_used(tiny_models_dir: Path, clean_env: Path, watchdog):
    snapshot = _lay_out_cache(clean_env, tiny_models_dir / "opus-mt-nl-en", NL.id, SHA)
    (snapshot / "pytorch_model.bin").unlink()  # e.g. only config and tokenizer were cached
    assert locate_model(NL) is None
    with pytest.raises(ModelNotAvailable, match="incomplete: missing model.safetensors"):
        resolve_model(NL, allow_download=False)


# --------------------------------------------------------------------------------------------
# Missing and broken models
# --------------------------------------------------------------------------------------------


def test_missing_model_names_the_model_every_place_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
):
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path / "models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotAvailable) as caught:
        resolve_model(NL)
    message = str(caught.value)
    assert caught.value.model_id == NL.id
    assert NL.id in message
    assert str(tmp_path / "models" / "opus-mt-nl-en") in message
    assert str(clean_env) in message
    assert "HF_HUB_OFFLINE" in message
    assert "briefing models fetch" in message
    assert "briefing models tiny" in message
    assert MODELS_DIR_ENV in message and "path:" in message
    assert HOW_TO_SUPPLY in message
    assert len(caught.value.looked) == 3


def test_locate_returns_none_when_nothing_is_local(watchdog):
    assert locate_model(NL) is None
    assert watchdog.requests == []


def test_explicit_path_that_is_missing_is_an_error(tmp_path: Path, tiny_models_dir: Path):
    gone = tmp_path / "nowhere"
    with pytest.raises(ModelNotAvailable, match="does not exist") as caught:
        resolve_model(NL.model_copy(update={"path": gone}))
    assert str(gone) in str(caught.value)

    # ... and an incomplete one is too: no silent fall-through to the cache or the hub.
    half = _copy_model(tiny_models_dir, tmp_path / "half")
    (half / "source.spm").unlink()
    with pytest.raises(ModelNotAvailable, match="source.spm"):
        locate_model(NL.model_copy(update={"path": half}))


def test_incomplete_models_dir_entry_is_an_error(
    tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    models = tmp_path / "models"
    _copy_model(tiny_models_dir, models / "opus-mt-nl-en")
    (models / "opus-mt-nl-en" / "config.json").unlink()
    monkeypatch.setenv(MODELS_DIR_ENV, str(models))
    with pytest.raises(ModelNotAvailable, match="missing config.json"):
        resolve_model(NL)


@pytest.mark.parametrize(
    "spec",
    [
        ModelSpec(id="evil/x..y"),
        ModelSpec.model_construct(id="evil/../../etc", revision=None, path=None),
        ModelSpec.model_construct(id="..", revision=None, path=None),
    ],
)
def test_names_that_escape_the_models_dir_are_refused(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    with pytest.raises(ValueError, match="not a safe directory name"):
        resolve_model(spec, allow_download=False)
    with pytest.raises(ValueError, match="not a safe directory name"):
        fetch_model(spec, tmp_path / "out")


def test_missing_files_knows_marian_and_bart(tiny_models_dir: Path, tmp_path: Path):
    assert missing_files(tiny_models_dir / "opus-mt-nl-en") == []
    assert missing_files(tiny_models_dir / "distilbart-cnn-12-6") == []
    bart = _copy_model(tiny_models_dir, tmp_path / "bart", "distilbart-cnn-12-6")
    (bart / "merges.txt").unlink()
    assert missing_files(bart) == ["merges.txt"]
    assert missing_files(tmp_path / "empty") == ["config.json"]


# --------------------------------------------------------------------------------------------
# Offline, and a hub that can't be reached
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variable", ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"])
def test_offline_never_touches_the_network(
    variable: str, monkeypatch: pytest.MonkeyPatch, watchdog: FakeHub
):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv(variable, "1")
    assert hub_offline()
    with pytest.raises(ModelNotAvailable, match="HF_HUB_OFFLINE"):
        resolve_model(NL)
    with pytest.raises(ModelNotAvailable, match="HF_HUB_OFFLINE"):
        fetch_model(NL, None)
    assert watchdog.requests == []


def test_downloads_disabled_never_touch_the_network(watchdog: FakeHub):
    with pytest.raises(ModelNotAvailable, match="downloads are disabled"):
        resolve_model(NL, allow_download=False)
    assert watchdog.requests == []


def test_unreachable_hub_fails_fast():
    # HF_ENDPOINT points at a closed port (clean_env): the connection is refused.
    started = time.monotonic()
    with pytest.raises(ModelNotAvailable, match="download failed") as caught:
        resolve_model(NL)
    assert time.monotonic() - started < 5
    assert "briefing models fetch" in str(caught.value)


def test_hub_that_never_answers_times_out(monkeypatch: pytest.MonkeyPatch):
    """A firewall or a proxy that swallows requests: the deadline ends the wait."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # connections are accepted by the kernel, never answered
    try:
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{listener.getsockname()[1]}")
        monkeypatch.setenv("BRIEFING_HUB_TIMEOUT", "1")
        started = time.monotonic()
        with pytest.raises(ModelNotAvailable, match="did not answer in time"):
            resolve_model(NL)
        # Generous bound (a busy CI machine): the point is that it ends, not hang forever.
        assert time.monotonic() - started < 30

        # The next model doesn't wait again: the hub was found unreachable a moment ago.
        with pytest.raises(ModelNotAvailable, match="not tried again"):
            resolve_model(ModelSpec(id="Helsinki-NLP/opus-mt-it-en"))
    finally:
        listener.close()


def test_hub_client_timeout_reads_as_a_timeout(monkeypatch: pytest.MonkeyPatch):
    """On a busy machine the HTTP client's ReadTimeout may fire before our own deadline.

    Our deadline is taken out here, so only the client's timeout can end the wait: the
    message must still say the hub did not answer in time, and the hub is remembered as
    unreachable.
    """
    monkeypatch.setattr(models_module, "_with_deadline", lambda function, seconds, what: function())
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{listener.getsockname()[1]}")
        monkeypatch.setenv("BRIEFING_HUB_TIMEOUT", "1")
        with pytest.raises(ModelNotAvailable, match="did not answer in time") as caught:
            resolve_model(NL)
        assert "ReadTimeout: timed out" not in str(caught.value)
        with pytest.raises(ModelNotAvailable, match="not tried again"):
            resolve_model(ModelSpec(id="Helsinki-NLP/opus-mt-it-en"))
    finally:
        listener.close()


@pytest.mark.parametrize("module_name", ["httpx2", "httpx"])
@pytest.mark.parametrize("kind", ["ReadTimeout", "ConnectTimeout", "WriteTimeout", "PoolTimeout"])
def test_every_http_client_timeout_is_described_as_a_timeout(module_name: str, kind: str):
    module = pytest.importorskip(module_name)
    error = getattr(module, kind)("timed out")
    assert describe_hub_error(error).startswith("the hub did not answer in time")
    # Wrapped by the hub library in an error of its own: still a timeout.
    try:
        try:
            raise error
        except Exception as inner:
            raise RuntimeError("request failed") from inner
    except RuntimeError as wrapped:
        assert describe_hub_error(wrapped).startswith("the hub did not answer in time")


def test_refused_connection_is_not_called_a_timeout():
    httpx2 = pytest.importorskip("httpx2")
    text = describe_hub_error(httpx2.ConnectError("[Errno 111] Connection refused"))
    assert "in time" not in text
    assert "Connection refused" in text


# --------------------------------------------------------------------------------------------
# Downloads, from a local fake hub
# --------------------------------------------------------------------------------------------


def test_download_into_cache_then_found_there(fake_hub: FakeHub, clean_env: Path):
    resolved = resolve_model(NL)
    assert resolved.origin == "hub"
    assert resolved.revision == SHA
    assert resolved.path == (clean_env / "models--Helsinki-NLP--opus-mt-nl-en" / "snapshots" / SHA)
    assert resolved.tiny is False
    # Only what Marian needs: the PyTorch weights, never TensorFlow's or Rust's.
    assert {p.name for p in resolved.path.iterdir()} == set(
        [
            "config.json",
            "generation_config.json",
            "pytorch_model.bin",
            "source.spm",
            "target.spm",
            "tokenizer_config.json",
            "vocab.json",
        ]
    )
    assert {f.rsplit("/", 1)[-1] for f in fake_hub.requested_files} == {
        p.name for p in resolved.path.iterdir()
    }
    tokenizer = MarianTokenizer.from_pretrained(resolved.path)
    model = MarianMTModel.from_pretrained(resolved.path)
    output = model.generate(**tokenizer(["Hallo."], return_tensors="pt"), max_new_tokens=12)
    assert tokenizer.decode(output[0], skip_special_tokens=True).strip()

    # Next time the cache answers, without a request.
    fake_hub.requests.clear()
    again = resolve_model(NL)
    assert again.origin == "hf_cache" and again.path == resolved.path
    assert fake_hub.requests == []


def test_fetch_to_a_models_dir_for_an_air_gapped_machine(
    fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    target = tmp_path / "carry"
    path = fetch_model(NL, target)
    assert path == (target / "opus-mt-nl-en").resolve()
    assert missing_files(path) == []
    assert not (path / "tf_model.h5").exists() and not (path / "rust_model.ot").exists()

    # On the other machine: offline, the copied folder as models dir.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv(MODELS_DIR_ENV, str(target))
    fake_hub.requests.clear()
    resolved = resolve_model(NL)
    assert resolved.origin == "models_dir"
    assert resolved.revision == SHA  # from huggingface_hub's download metadata
    assert fake_hub.requests == []


def test_safetensors_are_fetched_instead_of_pytorch_model_bin_when_both_exist(
    hub_repo: Path, fake_hub: FakeHub, clean_env: Path
):
    model = MarianMTModel.from_pretrained(hub_repo)
    model.save_pretrained(hub_repo)  # writes model.safetensors beside pytorch_model.bin
    resolved = resolve_model(NL)
    names = {p.name for p in resolved.path.iterdir()}
    assert "model.safetensors" in names and "pytorch_model.bin" not in names


def test_a_separate_vocabulary_marian_model_is_fetched_whole(
    hub_repo: Path, fake_hub: FakeHub, clean_env: Path
):
    """A Marian repository with ``separate_vocabs`` needs target_vocab.json to load."""
    shutil.copy(hub_repo / "vocab.json", hub_repo / "target_vocab.json")
    tokenizer_config = json.loads((hub_repo / "tokenizer_config.json").read_text())
    tokenizer_config["separate_vocabs"] = True
    (hub_repo / "tokenizer_config.json").write_text(json.dumps(tokenizer_config))
    resolved = resolve_model(NL)
    assert (resolved.path / "target_vocab.json").is_file()
    assert missing_files(resolved.path) == []
    tokenizer = MarianTokenizer.from_pretrained(resolved.path)
    assert tokenizer.separate_vocabs
    (resolved.path / "target_vocab.json").unlink()
    assert missing_files(resolved.path) == ["target_vocab.json"]


def test_fetch_into_the_cache(fake_hub: FakeHub, clean_env: Path):
    path = fetch_model(NL, None)
    assert path == clean_env / "models--Helsinki-NLP--opus-mt-nl-en" / "snapshots" / SHA
    assert locate_model(NL).origin == "hf_cache"


def test_unknown_repository_is_reported(fake_hub: FakeHub):
    started = time.monotonic()
    with pytest.raises(ModelNotAvailable, match="no such model") as caught:
        resolve_model(ModelSpec(id="Helsinki-NLP/opus-mt-xx-en"))
    assert time.monotonic() - started < 5
    assert "Helsinki-NLP/opus-mt-xx-en" in str(caught.value)
