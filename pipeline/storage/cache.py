"""Where Briefing keeps what it can rebuild (task results, converted models): one place,
read from the environment at call time."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "BRIEFING_CACHE_DIR"


def cache_dir() -> Path:
    """``$BRIEFING_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefing``, else ``~/.cache/briefing``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "briefing"
