"""Shared fixtures: tiny random-weight models with the real file layout, built once a session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config.load import load_config
from pipeline.models.tiny import build_tiny_models


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with one tiny model per model of the default config, under the real names
    (``opus-mt-nl-en``, ``distilbart-cnn-12-6``, ...): point ``BRIEFING_MODELS_DIR`` at it."""
    directory = tmp_path_factory.mktemp("models")
    build_tiny_models(load_config(), directory)
    return directory


@pytest.fixture(autouse=True)
def _private_cache_and_prefect_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own result cache, so no test sees another's cached work, and
    Prefect's temporary server runs without analytics (their noisy sqlite traceback)."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
