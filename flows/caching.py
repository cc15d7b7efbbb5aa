"""Cache keys of the model tasks: a translation or summary is reused when its input text,
its model and every setting that changes the output are the same."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from prefect.context import TaskRunContext

from pipeline.config.schema import BriefingConfig
from pipeline.documents.prepare import Prepared
from pipeline.types import TranslationOutcome

# Translation settings that change only the speed (batched output is identical), so they
# stay out of the key.
_SPEED_ONLY = {
    "threads",
    "workers",
    "device",
    "max_batch_tokens",
    "max_batch_sentences",
    "models",
}


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=_plain).encode()).hexdigest()


def _plain(value: Any) -> Any:
    """A model record as its JSON (the key of the same model stays the same), else text."""
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else str(value)


def _key(kind: str, parameters: dict[str, Any], **content: Any) -> str:
    """``kind-<digest>`` of the input ``content``, the model and the output settings."""
    model, settings = parameters["model"], parameters["settings"]
    return f"{kind}-" + _digest({**content, "model": model, "settings": settings})


def translation_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    prepared: Prepared = parameters["prepared"]
    sentences = [s.text for s in prepared.segments]
    title = prepared.document.title if prepared.document else None  # translated with them
    return _key(
        "translate", parameters, sentences=sentences, title=title, language=parameters["language"]
    )


def summary_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    outcome: TranslationOutcome = parameters["outcome"]
    return _key("summarize", parameters, text=[t.translation for t in outcome.translations])


def output_settings(config: BriefingConfig) -> dict[str, Any]:
    """The translation settings that belong in the key."""
    return {
        k: v for k, v in config.translation.model_dump(mode="json").items() if k not in _SPEED_ONLY
    }
