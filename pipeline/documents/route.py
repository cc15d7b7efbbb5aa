"""What happens to a document of a given language: translated by which model, passed
through as English, or skipped because no model is configured for it.

The mapping is explicit: a language with no configured model is skipped with a reason,
never sent to the closest-looking model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.config.schema import ModelSpec, TranslationConfig
from pipeline.languages import language_label


@dataclass(frozen=True)
class Route:
    action: Literal["translate", "passthrough", "skip"]
    language: str
    model: ModelSpec | None = None
    reason: str = ""


def route(language: str, config: TranslationConfig) -> Route:
    """Decide how a document in ``language`` is handled under ``config``."""
    if language in config.passthrough:
        return Route("passthrough", language)
    spec = config.models.get(language)
    if spec is None:
        configured = ", ".join(sorted(config.models)) or "none"
        return Route(
            "skip",
            language,
            reason=(
                f"no translation model is configured for {language_label(language)}; "
                f"configured: {configured}. Add one under translation.models "
                f"in the config to include such sources."
            ),
        )
    return Route("translate", language, model=spec)
