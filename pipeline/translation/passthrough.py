"""English passes through: a translator whose translation is the sentence itself."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.translation.base import ProgressCallback
from pipeline.types import TranslatedSegment


class PassthroughTranslator:
    """The engine of the languages in ``translation.passthrough`` (English): no model, the
    sentence kept as it is (no confidence: nothing was translated)."""

    model_id: str | None = None

    def translate(
        self,
        sentences: Sequence[str],
        source_language: str,
        progress: ProgressCallback | None = None,
    ) -> list[TranslatedSegment]:
        if progress is not None:
            progress(len(sentences), len(sentences))
        return [TranslatedSegment(s, s) for s in sentences]
