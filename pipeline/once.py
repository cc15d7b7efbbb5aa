"""Loaders run once per process, even when several threads ask at the same moment.

``functools.lru_cache`` lets every thread that misses run the function: the flow prepares
its sources in parallel task runs, and each of them asked for the language detector's model
before any had it, so the model was read (and held) once per source at the start of every
briefing. :func:`load_once` lets the first caller load while the others wait for its result.
A leaf: it imports nothing of Briefing's.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def load_once(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` cached by its (hashable, positional) arguments; one call per arguments
    however many threads ask at once. ``cache_clear()`` forgets what was loaded."""
    results: dict[tuple[Hashable, ...], T] = {}
    lock = threading.Lock()

    @functools.wraps(function)
    def loaded(*args: Hashable) -> T:
        try:
            return results[args]
        except KeyError:
            pass
        with lock:  # loads are rare and short: one lock for every argument is enough
            if args not in results:
                results[args] = function(*args)
            return results[args]

    loaded.cache_clear = results.clear  # type: ignore[attr-defined]
    return loaded
