"""Models held by this worker process.

Loading an opus-mt model takes seconds and hundreds of MB, so each is loaded once per
process and shared by every task run in it (the thread pool's tasks, or a Dask worker's).
Models are never task inputs: tasks ask this module for them by configuration, which is
cheap to pass and to hash.
"""

from __future__ import annotations

import threading
from typing import Any

from pipeline.config import ModelSpec, SummaryConfig, TranslationConfig
from pipeline.models import ResolvedModel, resolve_model
from pipeline.summarize import AbstractiveSummarizer, ExtractiveSummarizer, Summarizer
from pipeline.translate import EngineSettings, MarianTranslator

_lock = threading.RLock()
_resolved: dict[tuple[str, str | None, str | None], ResolvedModel] = {}
_translators: dict[tuple[str, EngineSettings], MarianTranslator] = {}
_summarizers: dict[tuple[Any, ...], Summarizer] = {}


def resolved_model(spec: ModelSpec, allow_download: bool = True) -> ResolvedModel:
    """Where ``spec`` lies on disk (downloading it if allowed); remembered per process."""
    key = (spec.id, spec.revision, str(spec.path) if spec.path else None)
    with _lock:
        if key not in _resolved:
            _resolved[key] = resolve_model(spec, allow_download=allow_download)
        return _resolved[key]


def engine_settings(config: TranslationConfig) -> EngineSettings:
    return EngineSettings(
        num_beams=config.num_beams,
        max_batch_tokens=config.max_batch_tokens,
        max_batch_sentences=config.max_batch_sentences,
        device=config.device,
    )


def translator(spec: ModelSpec, config: TranslationConfig) -> MarianTranslator:
    """The loaded translator for ``spec`` with ``config``'s engine settings."""
    resolved = resolved_model(spec)
    settings = engine_settings(config)
    key = (str(resolved.path), settings)
    with _lock:
        if key not in _translators:
            _translators[key] = MarianTranslator(resolved.path, settings, model_id=spec.id)
        return _translators[key]


def summarizer(config: SummaryConfig, device: str = "auto") -> Summarizer:
    """The summariser the config asks for, loaded once."""
    if config.method == "extractive":
        return ExtractiveSummarizer(config.max_sentences)
    resolved = resolved_model(config.model)
    key = (str(resolved.path), config.max_length, config.min_length, config.num_beams, device)
    with _lock:
        if key not in _summarizers:
            _summarizers[key] = AbstractiveSummarizer(
                resolved.path,
                model_id=config.model.id,
                max_length=config.max_length,
                min_length=config.min_length,
                num_beams=config.num_beams,
                device=device,
            )
        return _summarizers[key]


def clear() -> None:
    """Forget every loaded model (tests; releasing memory between runs)."""
    with _lock:
        _resolved.clear()
        _translators.clear()
        _summarizers.clear()
