"""Summaries: extractive without a model, abstractive with a tiny BART."""

from __future__ import annotations

from pathlib import Path

from pipeline.documents.clean import clean_document
from pipeline.documents.segment import segment_document
from pipeline.sources.read import read_source
from pipeline.summaries.summarize import AbstractiveSummarizer, ExtractiveSummarizer, rank_sentences
from pipeline.types import Source

ENGLISH = Path(__file__).resolve().parent.parent / "samples" / "003_eeb7419205ced9fb.txt"


def _english_sentences() -> list[str]:
    document = clean_document(read_source(Source(id="en", path=str(ENGLISH))))
    return [s.text for s in segment_document(document, "en")]


def test_extractive_summary_is_made_of_source_sentences_in_text_order() -> None:
    sentences = _english_sentences()
    summary = ExtractiveSummarizer(max_sentences=3).summarize(sentences)
    chosen = [s for s in sentences if s in summary]
    assert len(chosen) == 3
    assert summary == " ".join(chosen)
    assert "Tokyo" in summary or "NATO" in summary


def test_fragments_such_as_datelines_are_never_ranked_first() -> None:
    sentences = ["10 July 2023 11:17", *_english_sentences()]
    assert rank_sentences(sentences)[0] != 0


def test_extractive_summary_of_nothing_is_empty() -> None:
    assert ExtractiveSummarizer().summarize([]) == ""


def test_abstractive_summary_runs_the_model_and_chunks_long_input(tiny_models_dir: Path) -> None:
    engine = AbstractiveSummarizer(
        tiny_models_dir / "distilbart-cnn-12-6", max_length=16, min_length=4, num_beams=1
    )
    sentences = _english_sentences()
    long_input = sentences * 20
    chunks = engine.chunks(long_input)
    assert len(chunks) > len(engine.chunks(sentences))
    for chunk in chunks:
        assert len(engine.tokenizer(chunk)["input_ids"]) <= engine.window
    assert " ".join(chunks) == " ".join(long_input)
    assert engine.summarize(sentences).strip()
