"""pipeline.run: the whole run without Prefect, with stand-in engines (no models)."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Sequence
from pathlib import Path

import pytest

from pipeline import run
from pipeline.config.load import load_config, with_overrides
from pipeline.documents.clean import NO_FURNITURE
from pipeline.documents.prepare import Skipped
from pipeline.sources.web import TransientSourceError
from pipeline.summaries.summarize import ExtractiveSummarizer
from pipeline.translation.passthrough import PassthroughTranslator
from pipeline.types import (
    SkipKind,
    Source,
    SourceError,
    Status,
    TranslatedSegment,
    Unreadable,
)

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))


class BrokenTranslator:
    model_id = "broken/model"

    def translate(self, sentences, source_language, progress=None) -> list[TranslatedSegment]:
        raise RuntimeError("the model fell over")


class BatchSummarizer:
    """Records how it was called: one call with every source's sentences."""

    name = "batch"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def summarize(self, sentences: Sequence[str]) -> str:
        raise AssertionError("summarize_many is there: one source at a time is not wanted")

    def summarize_many(self, documents: Sequence[Sequence[str]]) -> list[str]:  # SPEED's API
        self.calls.append(len(documents))
        return [sentences[0] for sentences in documents]


def _config(tmp_path: Path, **extra: object):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for sample in SAMPLES:
        shutil.copy(sample, inbox / sample.name)
    values = {"sources": [str(inbox)], "output_dir": str(tmp_path / "out"), **extra}
    return with_overrides(load_config(), values)


def _engines(translator=None, summarizer=None) -> run.Engines:
    return run.Engines(
        translator=lambda language: translator or PassthroughTranslator(),
        summarizer=lambda: summarizer or ExtractiveSummarizer(),
    )


def test_summaries_of_all_sources_are_asked_for_at_once(tmp_path: Path) -> None:
    summarizer = BatchSummarizer()
    briefing = run.brief(_config(tmp_path), _engines(summarizer=summarizer))
    assert briefing is not None
    assert summarizer.calls == [len(SAMPLES)]
    assert all(s.summary == s.sentences[0].translation for s in briefing.sources)


def test_a_broken_translator_fails_its_sources_and_english_passes_through(tmp_path: Path) -> None:
    briefing = run.brief(_config(tmp_path), _engines(translator=BrokenTranslator()))
    assert briefing is not None
    by_language = {s.language: s for s in briefing.sources}
    assert by_language["en"].status is Status.OK
    assert by_language["en"].translation == by_language["en"].text
    for language in ("nl", "nb", "it"):
        assert by_language[language].status is Status.FAILED
        assert "the model fell over" in (by_language[language].error or "")


def test_a_rerun_with_only_new_writes_nothing_and_says_so(tmp_path: Path) -> None:
    config = _config(tmp_path, only_new=True, output_name="daily-{date}")
    first = run.run_briefing(config, _engines())
    assert first.outcome == "written" and set(first.paths) == {"md", "html", "json"}
    assert [s.status for s in first.sources] == [Status.OK] * len(SAMPLES)
    again = run.run_briefing(config, _engines())
    assert again.outcome == "nothing-new" and again.paths == {} and again.counts is None


def test_a_copy_and_a_missing_file_stop_at_triage(tmp_path: Path) -> None:
    config = _config(tmp_path)
    copy = tmp_path / "inbox" / "zz-copy.txt"
    shutil.copy(SAMPLES[0], copy)
    config = with_overrides(config, {"sources": [*config.sources, str(tmp_path / "gone.txt")]})
    summary = run.run_briefing(config, _engines())
    status = {s.id: (s.status, s.error) for s in summary.sources}
    assert status["zz-copy"] == (Status.SKIPPED, f"duplicate of {SAMPLES[0].stem}")
    assert status["gone"][0] is Status.FAILED
    assert summary.outcome == "partial" and [s.id for s in summary.failed] == ["gone"]


class UpperTranslator:
    """A stand-in model whose English is the source in capitals, with its calls recorded."""

    model_id = "upper/model"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def translate(self, sentences, source_language, progress=None) -> list[TranslatedSegment]:
        self.calls.append(len(sentences))
        return [TranslatedSegment(s, s.upper()) for s in sentences]


def test_translated_sources_get_english_titles_from_their_own_sentences(tmp_path: Path) -> None:
    translator = UpperTranslator()
    briefing = run.brief(_config(tmp_path), _engines(translator=translator))
    assert briefing is not None
    dutch = next(r for r in briefing.sources if r.language == "nl")
    assert dutch.original_title and dutch.title == dutch.original_title.upper()
    english = next(r for r in briefing.sources if r.language == "en")
    assert english.original_title == "" and english.title != english.title.upper()
    # No extra sentence for a title that is in the text: one call per source, its sentences.
    translated = [r for r in briefing.sources if r.translation_model == "upper/model"]
    assert sorted(translator.calls) == sorted(len(r.sentences) for r in translated)


def test_a_source_that_cannot_be_read_is_reported_from_the_first_read(tmp_path: Path) -> None:
    config = _config(tmp_path)
    gone, empty = tmp_path / "gone.txt", tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = run.read(Source("gone", str(gone)), config)
    blank = run.read(Source("empty", str(empty)), config)
    assert missing == Unreadable(Source("gone", str(gone)), f"file not found: {gone}")
    assert isinstance(blank, Unreadable) and blank.skip and blank.reason == "empty file"
    # Prepare reports what read found and never reads again: the files now readable
    # change nothing.
    gone.write_text(SAMPLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    empty.write_text(SAMPLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SourceError, match="file not found"):
        run.prepare(missing.source, config, NO_FURNITURE, missing)
    skipped = run.prepare(blank.source, config, NO_FURNITURE, blank)
    assert isinstance(skipped, Skipped)
    assert (skipped.reason, skipped.kind) == ("empty file", SkipKind.CONTENT)


def test_a_fetch_that_may_pass_is_raised_only_when_a_retry_is_asked_for(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = Source("dead", f"http://127.0.0.1:{port}/news/article.html")
    config = _config(tmp_path)
    with pytest.raises(TransientSourceError):
        run.read(source, config, retry=True)
    last = run.read(source, config)
    assert isinstance(last, Unreadable) and not last.skip
    assert last.reason.startswith(f"could not fetch {source.path}")
