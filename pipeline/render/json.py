"""The briefing as JSON: the contract of ``Briefing.to_dict()``, always valid JSON."""

from __future__ import annotations

import json
import math
from typing import Any

from pipeline.assemble.document import Briefing


def render_json(briefing: Briefing) -> str:
    """The JSON contract: ``Briefing.to_dict()`` with its key order, UTF-8 kept readable.

    Two repairs make sure the output is always valid, loadable JSON: non-finite floats
    (a log-probability can be ``-inf``) become ``null`` instead of the non-standard
    ``NaN``/``Infinity``, and lone surrogates, which can't be encoded as UTF-8, become
    ``?``. Anything else that ``json`` can't serialise raises ``TypeError``.
    """
    data = _json_safe(briefing.to_dict())
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _json_safe(value: Any) -> Any:
    """Make ``to_dict()`` output valid JSON (see ``render_json``), keeping key order."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_json_safe(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value
