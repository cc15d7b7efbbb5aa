"""Models held by this worker process.

Loading an opus-mt model takes seconds and hundreds of MB, so each is loaded once per
process and shared by every task run in it (the thread pool's tasks, or a Dask worker's).
Models are never task inputs: tasks ask this module for them by configuration, which is
cheap to pass and to hash.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from pipeline.config.schema import ModelSpec, SummaryConfig, TranslationConfig
from pipeline.models.locate import ResolvedModel, resolve_model
from pipeline.summaries.summarize import AbstractiveSummarizer, ExtractiveSummarizer, Summarizer
from pipeline.translation.engine import (
    EngineSettings,
    SentenceTranslator,
    physical_cores,
    trim_heap,
)
from pipeline.translation.load import load_translator

_lock = threading.RLock()
_resolved: dict[tuple[str, str | None, str | None], ResolvedModel] = {}
_translators: OrderedDict[tuple[str, EngineSettings], SentenceTranslator] = OrderedDict()
_summarizers: dict[tuple[Any, ...], Summarizer] = {}


def resolved_model(spec: ModelSpec, allow_download: bool = True) -> ResolvedModel:
    """Where ``spec`` lies on disk (downloading it if allowed); remembered per process."""
    key = (spec.id, spec.revision, str(spec.path) if spec.path else None)
    with _lock:
        if key not in _resolved:
            _resolved[key] = resolve_model(spec, allow_download=allow_download)
        return _resolved[key]


def engine_settings(config: TranslationConfig) -> EngineSettings:
    """The engine settings a translation config asks for (``threads: auto`` = physical cores,
    ``workers: auto`` = one per thread, at most 4)."""
    threads = physical_cores() if config.threads == "auto" else config.threads
    workers = config.workers
    if workers == "auto":
        # One batch per thread (each on one core) up to 4; beyond, 4 batches share the
        # cores: a batch's matrix products gain from a few threads, not from many.
        workers = min(threads or 1, 4)
    return EngineSettings(
        num_beams=config.num_beams,
        max_batch_tokens=config.max_batch_tokens,
        max_batch_sentences=config.max_batch_sentences,
        device=config.device,
        precision=config.precision,
        threads=threads,
        engine=config.engine,
        workers=workers,
    )


def translator(spec: ModelSpec, config: TranslationConfig) -> SentenceTranslator:
    """The loaded translator for ``spec`` with ``config``'s engine settings.

    Loaded translators are kept, most recently used last. Before another is loaded, the
    least recently used ones are let go while ``config.max_loaded_models`` (default 1) are
    loaded or the machine lacks the memory for the new one (about twice its weight files,
    for loading): the flow translates one language after another, so a briefing in many
    languages runs with one model in memory, at the cost of reloading a model if its
    language comes back. A translator still in use by a task is freed only when that task
    is done with it.
    """
    resolved = resolved_model(spec)
    settings = engine_settings(config)
    key = (str(resolved.path), settings)
    with _lock:
        loaded = _translators.get(key)
        if loaded is not None:
            _translators.move_to_end(key)
            return loaded
        need = 2 * _weights_size(resolved.path)
        released = False
        if _summarizers and config.max_loaded_models <= 1:
            _summarizers.clear()  # one model in memory: the summariser goes first
            released = True
        while _translators and (
            len(_translators) >= config.max_loaded_models
            or _available_memory() < need + _MEMORY_RESERVE
        ):
            _translators.popitem(last=False)
            released = True
        if released:
            release_memory()
        loaded = load_translator(
            resolved.path, settings, model_id=spec.id, revision=resolved.revision
        )
        _translators[key] = loaded
        return loaded


def loaded_model_ids() -> set[str]:
    """Hub ids of the translation models this process holds now."""
    with _lock:
        return {loaded.model_id for loaded in _translators.values()}


_MEMORY_RESERVE = 512 * 1024 * 1024  # left for activations, the summariser and the rest


def release_memory() -> None:
    """Hand memory freed by Python and torch back to the system.

    A loaded ``transformers`` model sits in reference cycles, so its weights (mapped from
    the weights file) are freed only by a full collection, not when the last outside
    reference goes (see docs/performance.md, Memory, for what it measured). And glibc
    keeps freed heap (one arena per thread that allocated) for reuse, so the process would
    stay as large as its largest moment; ``malloc_trim`` hands it back."""
    gc.collect()
    trim_heap()


def _weights_size(directory: Path) -> int:
    return sum(
        p.stat().st_size for p in Path(directory).iterdir() if p.suffix in (".safetensors", ".bin")
    )


def _available_memory() -> int:
    """MemAvailable from /proc/meminfo (bytes); unbounded where that can't be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 62


def summarizer(config: SummaryConfig, translation: TranslationConfig | None = None) -> Summarizer:
    """The summariser the config asks for, loaded once.

    With ``max_loaded_models`` 1 (the default) the translators are let go before it loads
    (the flow summarises after translating), and it is let go before a translator loads:
    a briefing needs the largest model's memory, not the sum. It runs on the translators'
    device and threads, under their CPU lock."""
    if config.method == "extractive":
        return ExtractiveSummarizer(config.max_sentences)
    translation = translation or TranslationConfig()
    resolved = resolved_model(config.model)
    device = translation.device
    threads = physical_cores() if translation.threads == "auto" else translation.threads
    key = (
        str(resolved.path),
        config.max_length,
        config.min_length,
        config.num_beams,
        config.precision,
        config.engine,
        config.memory,
        device,
        threads,
    )
    with _lock:
        if key not in _summarizers:
            if _translators and translation.max_loaded_models <= 1:
                _translators.clear()
                release_memory()
            if _summarizers:
                _summarizers.clear()
                release_memory()
            _summarizers[key] = AbstractiveSummarizer(
                resolved.path,
                model_id=config.model.id,
                max_length=config.max_length,
                min_length=config.min_length,
                num_beams=config.num_beams,
                device=device,
                precision=config.precision,
                engine=config.engine,
                memory=config.memory,
                threads=threads,
            )
        return _summarizers[key]


def clear() -> None:
    """Forget every loaded model (tests; releasing memory between runs)."""
    with _lock:
        _resolved.clear()
        _translators.clear()
        _summarizers.clear()
