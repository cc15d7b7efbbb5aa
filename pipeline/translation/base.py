"""What every translator offers (MarianMT, CTranslate2, English pass-through): no model
code here, so callers can name the interface without loading torch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from pipeline.types import TranslatedSegment

ProgressCallback = Callable[[int, int], None]  # (sentences done, sentences in all)


class Translator(Protocol):
    model_id: str | None  # the model's hub id; None when nothing is translated

    def translate(
        self,
        sentences: Sequence[str],
        source_language: str,
        progress: ProgressCallback | None = None,
    ) -> list[TranslatedSegment]:
        """One English sentence per input sentence, in order."""
        ...
