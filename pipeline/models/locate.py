"""Where models come from: explicit paths, a models directory, the Hugging Face cache, the hub.

A :class:`~pipeline.config.ModelSpec` resolves, in this order, to the first of:

1. ``spec.path`` when the config sets ``path:``. It must exist and hold a complete model;
   if not, that is an error (:class:`ModelNotAvailable` naming the path): an explicit path
   never silently falls through to a download.
2. ``$BRIEFING_MODELS_DIR/<name>``, ``<name>`` being the part of the id after the slash
   (``opus-mt-nl-en``). This is how air-gapped machines get models: ``briefing models fetch
   --to DIR`` elsewhere, copy ``DIR``, set ``BRIEFING_MODELS_DIR=DIR``. A directory that is
   there but incomplete is an error too. Tiny test models (``briefing models tiny DIR``)
   use the same names.
3. The Hugging Face cache (``HF_HUB_CACHE``, else ``HF_HOME/hub``, else
   ``~/.cache/huggingface/hub``), at ``spec.revision`` (default ``main``); no network.
4. A download from the hub (``HF_ENDPOINT``, default https://huggingface.co) into that
   cache, with progress bars — unless offline (``HF_HUB_OFFLINE=1`` or
   ``TRANSFORMERS_OFFLINE=1``) or ``allow_download=False``. Only the files MarianMT and
   BART need are fetched, safetensors weights in preference to ``pytorch_model.bin``.

Environment variables are read when a model is resolved, not when this module is imported,
so a test or a CLI flag can change them. A hub that can't be reached fails fast: the first
request (which also tells which weight files exist) runs with a deadline of
``$BRIEFING_HUB_TIMEOUT`` seconds (default 10), DNS included, and an endpoint that gave no
answer is not tried again for :data:`UNREACHABLE_MEMORY_S` (so four missing models cost one
wait, not four; :func:`forget_hub_failures` resets that).

Nothing here loads a model or runs remote code; callers load the returned directory with
``from_pretrained(path)`` (never ``trust_remote_code``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pipeline.config.schema import ModelSpec
from pipeline.errors import RunError
from pipeline.models.tiny import TINY_MARKER
from pipeline.types import ModelUse

log = logging.getLogger(__name__)

MODELS_DIR_ENV = "BRIEFING_MODELS_DIR"
HUB_TIMEOUT_ENV = "BRIEFING_HUB_TIMEOUT"
DEFAULT_HUB_TIMEOUT = 10.0

Origin = Literal["path", "models_dir", "hf_cache", "hub"]

# What MarianMT (opus-mt) and BART (distilbart) may need from a hub repository; weights are
# added by _weight_patterns (safetensors when the repository has them, else
# pytorch_model.bin). A repository may lack some of them (most opus-mt ones have no
# special_tokens_map.json, distilbart no generation_config.json). target_vocab.json: a
# Marian model with separate source and target vocabularies (``separate_vocabs: true``);
# added_tokens.json: tokens a repository added after training.
NEEDED_FILES = [
    "config.json",
    "generation_config.json",
    "source.spm",
    "target.spm",
    "vocab.json",
    "target_vocab.json",
    "tokenizer_config.json",
    "merges.txt",
    "tokenizer.json",
    "special_tokens_map.json",
    "added_tokens.json",
]
SAFETENSORS_PATTERNS = ["model.safetensors", "model-*.safetensors", "model.safetensors.index.json"]
PYTORCH_PATTERNS = ["pytorch_model.bin", "pytorch_model-*.bin", "pytorch_model.bin.index.json"]
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json")
LEGACY_WEIGHT_FILES = ("pytorch_model.bin", "pytorch_model.bin.index.json")

HOW_TO_SUPPLY = (
    "To supply it: run `briefing models fetch --to DIR` on a machine with internet, copy DIR "
    f"here and set {MODELS_DIR_ENV}=DIR; or set `path:` for this model in the config; or "
    "allow a download (unset HF_HUB_OFFLINE). For a test run without real models, build "
    f"tiny ones with `briefing models tiny DIR` and set {MODELS_DIR_ENV}=DIR."
)

UNREACHABLE_MEMORY_S = 60.0  # a hub found unreachable is not tried again for this long

_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_T = TypeVar("_T")
_unreachable: dict[str, tuple[float, str]] = {}  # endpoint -> (when, why)
_unreachable_lock = threading.Lock()


class ModelNotAvailable(RunError):
    """A model that is nowhere to be found; the message says where we looked and what to do."""

    def __init__(
        self,
        model_id: str,
        looked: list[str],
        reason: str | None = None,
        *,
        retryable: bool = False,
    ):
        self.model_id = model_id
        self.looked = list(looked)
        self.reason = reason
        # True only for a download that was tried and failed: trying again may succeed
        # (offline, a missing local copy or a hub just found unreachable won't).
        self.retryable = retryable
        lines = [f"model {model_id} is not available" + (f": {reason}" if reason else ".")]
        if looked:
            lines.append("Looked in:")
            lines.extend(f"  - {place}" for place in looked)
        lines.append(HOW_TO_SUPPLY)
        super().__init__("\n".join(lines))


class ModelsNotAvailable(ModelNotAvailable):
    """Several models missing at once: each named with its reason, the ways to supply them once.

    ``uses`` maps a model id to what needs it ("translate nl", "summarise"); when the
    summariser is among the missing, the message adds that ``summary.method: extractive``
    briefs without it.
    """

    def __init__(self, errors: list[ModelNotAvailable], uses: dict[str, list[str]]):
        self.errors = list(errors)
        self.model_id = ", ".join(e.model_id for e in errors)
        self.looked = [place for e in errors for place in e.looked]
        self.reason = None
        count = "1 model is" if len(errors) == 1 else f"{len(errors)} models are"
        lines = [f"{count} not available:"]
        for error in errors:
            used = ", ".join(uses.get(error.model_id, [])) or "used by the config"
            reason = f": {error.reason}" if error.reason else ""
            lines.append(f"  - {error.model_id} ({used}){reason}")
            lines.extend(f"      looked in {place}" for place in error.looked)
        how = HOW_TO_SUPPLY.replace("for this model", "for each model", 1)
        lines.append(
            how.replace("To supply it:", "To supply them:", 1) if len(errors) > 1 else HOW_TO_SUPPLY
        )
        if any("summarise" in uses.get(e.model_id, []) for e in errors):
            lines.append(
                "The summariser is needed only for abstractive summaries: with "
                "`summary.method: extractive` in the config, briefings need no summary model."
            )
        Exception.__init__(self, "\n".join(lines))


@dataclass(frozen=True)
class ResolvedModel:
    """A model directory ready for ``from_pretrained``, and how it was found."""

    spec: ModelSpec
    path: Path
    origin: Origin
    tiny: bool = False
    revision: str | None = None  # commit sha when known, else "local-<hash>" for local dirs

    @property
    def id(self) -> str:
        return self.spec.id

    def use(self) -> ModelUse:
        """The record of this model in a briefing (its ``models`` section)."""
        return ModelUse(str(self.spec.id), str(self.path), self.origin, self.revision, self.tiny)

    def to_dict(self) -> dict[str, Any]:
        """For the ``models`` section of a briefing and for ``briefing models list``."""
        return asdict(self.use())


# --------------------------------------------------------------------------------------------
# Environment, read at call time
# --------------------------------------------------------------------------------------------


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().upper() in {"1", "ON", "YES", "TRUE"}


def hub_offline() -> bool:
    """``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` as set now (huggingface_hub reads them at
    import; a later change counts here too)."""
    raw = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE")
    if raw is not None:
        return _is_true(raw)
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache: ``HF_HUB_CACHE``, else ``HF_HOME/hub``, else the default."""
    for name in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(name):
            return Path(os.path.expandvars(os.environ[name])).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.path.expandvars(os.environ["HF_HOME"])).expanduser() / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def hub_endpoint() -> str:
    from huggingface_hub import constants

    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def hub_timeout() -> float:
    raw = os.environ.get(HUB_TIMEOUT_ENV)
    try:
        value = float(raw) if raw else DEFAULT_HUB_TIMEOUT
    except ValueError:
        log.warning("%s=%r is not a number; using %s s", HUB_TIMEOUT_ENV, raw, DEFAULT_HUB_TIMEOUT)
        value = DEFAULT_HUB_TIMEOUT
    return max(value, 0.1)


def models_dir() -> Path | None:
    raw = os.environ.get(MODELS_DIR_ENV)
    return Path(raw).expanduser() if raw else None


def safe_name(spec: ModelSpec) -> str:
    """``spec.name``, refused (ValueError) when it could leave the models directory."""
    name = spec.name
    parts = spec.id.split("/")
    unsafe_id = len(parts) > 2 or any(part in {"", ".", ".."} for part in parts)
    if unsafe_id or not name or "\\" in name or ".." in name or "\0" in name:
        raise ValueError(f"model id {spec.id!r}: {name!r} is not a safe directory name")
    return name


# --------------------------------------------------------------------------------------------
# Inspecting a directory
# --------------------------------------------------------------------------------------------


def missing_files(directory: Path) -> list[str]:
    """What a model directory lacks to be loaded (empty when complete)."""
    directory = Path(directory)
    config_file = directory / "config.json"
    if not config_file.is_file():
        return ["config.json"]
    try:
        model_type = json.loads(config_file.read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError):
        return ["config.json (unreadable)"]
    missing = []
    if not any((directory / f).is_file() for f in WEIGHT_FILES + LEGACY_WEIGHT_FILES):
        missing.append("model.safetensors (or pytorch_model.bin)")
    if model_type == "marian":
        needed = ["source.spm", "target.spm", "vocab.json"]
        if _separate_vocabs(directory):
            needed.append("target_vocab.json")
        missing += [f for f in needed if not (directory / f).is_file()]
    elif not (directory / "tokenizer.json").is_file():
        missing += [f for f in ("vocab.json", "merges.txt") if not (directory / f).is_file()]
    return missing


def _separate_vocabs(directory: Path) -> bool:
    """Whether a Marian tokenizer has a target vocabulary of its own (target_vocab.json)."""
    try:
        config = json.loads((directory / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and bool(config.get("separate_vocabs"))


def _local_revision(directory: Path) -> str | None:
    """The commit a ``fetch --to`` download came from, else a short hash of the files."""
    metadata = directory / ".cache" / "huggingface" / "download" / "config.json.metadata"
    try:
        commit = metadata.read_text(encoding="utf-8").splitlines()[0].strip()
        if _COMMIT.match(commit):
            return commit
    except (OSError, IndexError):
        pass
    # No commit: the content decides. config.json's bytes plus each weights/tokenizer
    # file's size and modification time, so replaced weights never reuse cached output.
    try:
        digest = hashlib.sha256((directory / "config.json").read_bytes())
        for path in sorted(directory.iterdir()):
            if path.is_file() and path.suffix in {".safetensors", ".bin", ".spm", ".json"}:
                info = path.stat()
                digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}".encode())
    except OSError:
        return None
    return f"local-{digest.hexdigest()[:12]}"


def _resolved(spec: ModelSpec, path: Path, origin: Origin, revision: str | None) -> ResolvedModel:
    return ResolvedModel(
        spec=spec,
        path=path.resolve(),
        origin=origin,
        tiny=(path / TINY_MARKER).is_file(),
        revision=revision,
    )


# --------------------------------------------------------------------------------------------
# Steps 1-3: local, no network
# --------------------------------------------------------------------------------------------


def _search_local(spec: ModelSpec, looked: list[str]) -> ResolvedModel | None:
    """Steps 1-3; appends a line per place looked to ``looked``."""
    # 1. explicit path
    if spec.path is not None:
        path = Path(spec.path).expanduser()
        if not path.is_dir():
            raise ModelNotAvailable(
                spec.id,
                [f"path from the config: {path} (no such directory)"],
                reason=f"the configured path {path} does not exist",
            )
        missing = missing_files(path)
        if missing:
            raise ModelNotAvailable(
                spec.id,
                [f"path from the config: {path} (missing {', '.join(missing)})"],
                reason=f"the configured path {path} is not a complete model",
            )
        return _resolved(spec, path, "path", _local_revision(path))

    # 2. $BRIEFING_MODELS_DIR/<name>
    name = safe_name(spec)
    root = models_dir()
    if root is None:
        looked.append(f"${MODELS_DIR_ENV}/{name} ({MODELS_DIR_ENV} is not set)")
    else:
        candidate = root / name
        if candidate.is_dir():
            missing = missing_files(candidate)
            if missing:
                looked.append(
                    f"${MODELS_DIR_ENV}/{name}: {candidate} (missing {', '.join(missing)})"
                )
                raise ModelNotAvailable(
                    spec.id, looked, reason=f"{candidate} is there but not a complete model"
                )
            return _resolved(spec, candidate, "models_dir", _local_revision(candidate))
        state = "no such directory" if root.is_dir() else f"{root} does not exist"
        looked.append(f"${MODELS_DIR_ENV}/{name}: {candidate} ({state})")

    # 3. Hugging Face cache
    cache = hub_cache_dir()
    revision = spec.revision or "main"
    snapshot = _cached_snapshot(spec, cache)
    if snapshot is None:
        looked.append(f"Hugging Face cache: {cache} (no {spec.id} at revision {revision})")
        return None
    missing = missing_files(snapshot)
    if missing:
        looked.append(f"Hugging Face cache: {snapshot} (incomplete: missing {', '.join(missing)})")
        return None
    return _resolved(spec, snapshot, "hf_cache", snapshot.name)


def _cached_snapshot(spec: ModelSpec, cache: Path) -> Path | None:
    """The snapshot folder of ``spec`` at its revision in the hub cache, if there is one.

    ``try_to_load_from_cache`` maps a branch or tag to its commit through ``refs/`` without
    touching the network; completeness is judged by :func:`missing_files`, since a download
    with ``allow_patterns`` leaves a snapshot that huggingface_hub's own check (against the
    full tree listing) would call incomplete."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(
            spec.id, "config.json", cache_dir=cache, revision=spec.revision
        )
    except Exception as error:  # an id or revision the library refuses
        log.debug("%s not in the cache %s: %s", spec.id, cache, error)
        return None
    if not isinstance(found, str):  # None, or _CACHED_NO_EXIST
        return None
    return Path(found).parent


def locate_model(spec: ModelSpec) -> ResolvedModel | None:
    """Steps 1-3 only (no network): where ``spec`` already lies, or None.

    Raises :class:`ModelNotAvailable` when an explicit location is broken (a configured
    ``path`` that is missing or incomplete, an incomplete ``$BRIEFING_MODELS_DIR/<name>``),
    and ValueError for a model name that would escape the models directory.
    """
    return _search_local(spec, [])


# --------------------------------------------------------------------------------------------
# Step 4: the hub
# --------------------------------------------------------------------------------------------


def _with_deadline(function: Callable[[], _T], seconds: float, what: str) -> _T:
    """Run ``function`` in a daemon thread; give up after ``seconds`` (DNS can't hang us)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=target, name="briefing-hub-probe", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"{what}: no answer within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _http_error_classes(name: str) -> tuple[type[BaseException], ...]:
    """``name`` (TransportError, TimeoutException) from httpx2 (the hub's client) and httpx."""
    import importlib

    found: list[type[BaseException]] = []
    for module_name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # pragma: no cover - huggingface_hub depends on httpx2
            continue
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions it was raised from (the hub wraps its client's errors)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _is_timeout(error: BaseException) -> bool:
    """Our own deadline, a socket timeout, or the HTTP client's (ReadTimeout, ConnectTimeout...).

    The client's timeout and ours are set alike, so on a busy machine either may fire
    first; both mean the same thing to the user.
    """
    kinds = (TimeoutError, *_http_error_classes("TimeoutException"))
    return any(isinstance(cause, kinds) for cause in _causes(error))


def _is_connection_failure(error: BaseException) -> bool:
    """No answer at all (DNS, refused, timeout, proxy) rather than an answer saying no."""
    kinds = (TimeoutError, ConnectionError, *_http_error_classes("TransportError"))
    return any(isinstance(cause, kinds) for cause in _causes(error))


def forget_hub_failures() -> None:
    """Try the hub again on the next download, even if it was unreachable a moment ago."""
    with _unreachable_lock:
        _unreachable.clear()


def describe_hub_error(error: BaseException, kind: str = "model", name: str | None = None) -> str:
    """What a hub failure means and what to do, for a ``kind`` of repository ("model" or
    "data set") named ``name``: the one description for model downloads and for the data
    sets of ``briefing eval``."""
    from huggingface_hub.errors import (
        GatedRepoError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    data_set = kind == "data set"
    if isinstance(error, GatedRepoError) or (data_set and "gated" in str(error).lower()):
        where = f"at https://huggingface.co/datasets/{name}" if data_set else "on the hub"
        subject = "the data set" if data_set else "the repository"
        return f"{subject} is gated: accept its terms {where} and log in (`hf auth login`)"
    if isinstance(error, RevisionNotFoundError):
        return "the hub has no such revision (check `revision:` in the config)"
    if isinstance(error, RepositoryNotFoundError):
        check = "the name" if data_set else "the id"
        return f"the hub has no such {kind}, or it is private (check {check}; log in if private)"
    if not data_set and _is_timeout(error):
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return f"the hub did not answer in time ({detail or type(error).__name__})"
    names = {cls.__name__ for cls in type(error).__mro__}
    transport = names & {"TransportError", "ConnectError", "TimeoutException"}
    if data_set and (_is_connection_failure(error) or transport):
        return (
            f"the hub could not be reached ({first_line(error)}); use a local "
            ".jsonl/.tsv file, or run where the hub is reachable"
        )
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    described = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return f"could not be loaded ({described})" if data_set else described


def first_line(error: BaseException) -> str:
    """The first line of an error's message (its type's name when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _weight_patterns(siblings: list[str] | None) -> list[str]:
    if siblings is None:
        return SAFETENSORS_PATTERNS + PYTORCH_PATTERNS
    if any(name.endswith(".safetensors") and "/" not in name for name in siblings):
        return SAFETENSORS_PATTERNS
    return PYTORCH_PATTERNS


def _download(spec: ModelSpec, *, local_dir: Path | None, looked: list[str]) -> Path:
    """Download ``spec`` into the cache (or ``local_dir``); ModelNotAvailable on any failure."""
    from huggingface_hub import HfApi, constants, snapshot_download

    endpoint = hub_endpoint()
    timeout = hub_timeout()
    place = f"Hugging Face hub: {endpoint}"
    started = time.monotonic()
    with _unreachable_lock:
        failed_at, why = _unreachable.get(endpoint, (None, ""))
    if failed_at is not None and started - failed_at < UNREACHABLE_MEMORY_S:
        # One model's failed download already told us; don't wait again for each model.
        reason = f"{why} ({started - failed_at:.0f} s ago; not tried again)"
        looked.append(f"{place} ({reason})")
        raise ModelNotAvailable(spec.id, looked, reason=f"download failed: {reason}")
    try:
        info = _with_deadline(
            lambda: HfApi(endpoint=endpoint).model_info(
                spec.id, revision=spec.revision, timeout=timeout
            ),
            timeout,
            f"{endpoint}",
        )
    except Exception as error:
        reason = describe_hub_error(error)
        if _is_connection_failure(error):
            with _unreachable_lock:
                _unreachable[endpoint] = (time.monotonic(), reason)
        log.info(
            "hub lookup of %s failed after %.2f s: %s", spec.id, time.monotonic() - started, reason
        )
        looked.append(f"{place} ({reason})")
        raise ModelNotAvailable(
            spec.id, looked, reason=f"download failed: {reason}", retryable=True
        ) from None

    siblings = None if info.siblings is None else [s.rfilename for s in info.siblings]
    patterns = NEEDED_FILES + _weight_patterns(siblings)
    target = local_dir if local_dir is not None else hub_cache_dir()
    log.info("downloading %s (%s) from %s into %s", spec.id, info.sha, endpoint, target)
    try:
        folder = snapshot_download(
            spec.id,
            revision=spec.revision,
            cache_dir=None if local_dir is not None else hub_cache_dir(),
            local_dir=local_dir,
            allow_patterns=patterns,
            endpoint=endpoint,
            etag_timeout=max(timeout, float(constants.HF_HUB_ETAG_TIMEOUT)),
        )
    except Exception as error:
        reason = describe_hub_error(error)
        looked.append(f"{place} ({reason})")
        raise ModelNotAvailable(
            spec.id, looked, reason=f"download failed: {reason}", retryable=True
        ) from None
    path = Path(folder)
    missing = missing_files(path)
    if missing:
        looked.append(f"{place}: downloaded to {path}, but it lacks {', '.join(missing)}")
        raise ModelNotAvailable(
            spec.id, looked, reason="the hub repository lacks files MarianMT/BART need"
        )
    return path


def resolve_model(spec: ModelSpec, *, allow_download: bool = True) -> ResolvedModel:
    """The directory to load ``spec`` from, searching in the order the module doc gives.

    Raises :class:`ModelNotAvailable` (naming the model, every place looked, and how to
    supply it) when nothing is found and no download is allowed or possible, and ValueError
    for a model name that would escape the models directory.
    """
    looked: list[str] = []
    found = _search_local(spec, looked)
    if found is not None:
        return found
    if not allow_download:
        looked.append(f"Hugging Face hub: {hub_endpoint()} (not tried: downloads are disabled)")
        raise ModelNotAvailable(spec.id, looked, reason="it is not on this machine")
    if hub_offline():
        looked.append(f"Hugging Face hub: {hub_endpoint()} (not tried: HF_HUB_OFFLINE is set)")
        raise ModelNotAvailable(spec.id, looked, reason="it is not on this machine")
    path = _download(spec, local_dir=None, looked=looked)
    # A download to the cache lands in snapshots/<commit sha>.
    revision = path.name if _COMMIT.match(path.name) else spec.revision
    return _resolved(spec, path, "hub", revision)


def fetch_model(spec: ModelSpec, to: Path | None = None) -> Path:
    """Download ``spec`` for later offline use (``briefing models fetch [--to DIR]``).

    With ``to``: into ``to/<name>`` — copy ``to`` to the air-gapped machine and point
    ``$BRIEFING_MODELS_DIR`` at it. Without: into the Hugging Face cache. Files already there
    are not downloaded again. Returns the model directory.
    """
    if hub_offline():
        raise ModelNotAvailable(
            spec.id,
            [f"Hugging Face hub: {hub_endpoint()} (not tried: HF_HUB_OFFLINE is set)"],
            reason="fetching needs the hub; unset HF_HUB_OFFLINE",
        )
    local_dir = Path(to).expanduser() / safe_name(spec) if to is not None else None
    return _download(spec, local_dir=local_dir, looked=[])
