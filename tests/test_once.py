"""load_once: a loader asked for by many threads at once runs once (lru_cache runs it in
every thread that misses)."""

from __future__ import annotations

import threading
import time

from pipeline.documents.language import _identifier
from pipeline.once import load_once


def test_threads_asking_together_share_one_load():
    calls: list[str] = []
    ready = threading.Barrier(8)

    @load_once
    def load(name: str) -> object:
        calls.append(name)
        time.sleep(0.2)  # long enough for every other thread to arrive while it loads
        return object()

    results: list[object] = []

    def ask() -> None:
        ready.wait()
        results.append(load("model"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == ["model"]
    assert len({id(r) for r in results}) == 1


def test_each_argument_loads_once_and_clearing_forgets():
    calls: list[str] = []

    @load_once
    def load(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert [load("nl"), load("it"), load("nl")] == ["NL", "IT", "NL"]
    assert calls == ["nl", "it"]
    load.cache_clear()
    assert load("nl") == "NL" and calls == ["nl", "it", "nl"]


def test_the_language_detector_is_one_shared_object():
    assert _identifier() is _identifier()
