"""Pick and load the translation engine that :class:`EngineSettings` names."""

from __future__ import annotations

from pathlib import Path

from pipeline.translation.engine import EngineSettings, SentenceTranslator
from pipeline.translation.marian import MarianTranslator


def load_translator(
    model_dir: Path,
    settings: EngineSettings | None = None,
    model_id: str | None = None,
    revision: str | None = None,
) -> SentenceTranslator:
    """The engine ``settings.engine`` names, with the model in ``model_dir`` loaded."""
    settings = settings or EngineSettings()
    if settings.engine == "ctranslate2":
        from pipeline.translation.ct2 import CTranslate2Translator

        return CTranslate2Translator(model_dir, settings, model_id=model_id, revision=revision)
    return MarianTranslator(model_dir, settings, model_id=model_id, revision=revision)
