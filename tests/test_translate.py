"""The MarianMT engine on tiny models with the real file layout (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cleaning import clean_document
from pipeline.documents import Source
from pipeline.ingest import read_source
from pipeline.segment import segment_document
from pipeline.translate import EngineSettings, MarianTranslator, split_to_fit

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def dutch_model(tiny_models_dir: Path) -> Path:
    return tiny_models_dir / "opus-mt-nl-en"


def _dutch_sentences() -> list[str]:
    path = SAMPLES / "000_bc84fd529d18192b.txt"
    document = clean_document(read_source(Source(id="nl", path=str(path))))
    return [s.text for s in segment_document(document, "nl")]


def test_every_sentence_gets_a_translation_in_input_order(dutch_model: Path) -> None:
    engine = MarianTranslator(dutch_model, EngineSettings(num_beams=2))
    sentences = _dutch_sentences()
    results = engine.translate(sentences, "nl")
    assert [r.source for r in results] == sentences
    assert all(r.translation.strip() for r in results)
    assert all(r.confidence is not None and r.confidence <= 0 for r in results)


def test_greedy_batched_output_is_token_identical_to_one_at_a_time(dutch_model: Path) -> None:
    sentences = _dutch_sentences()
    batched = MarianTranslator(
        dutch_model, EngineSettings(num_beams=1, max_batch_sentences=16, max_batch_tokens=4096)
    ).translate(sentences, "nl")
    single = MarianTranslator(
        dutch_model, EngineSettings(num_beams=1, max_batch_sentences=1)
    ).translate(sentences, "nl")
    assert [r.translation for r in batched] == [r.translation for r in single]


def test_repeated_sentences_are_translated_once(dutch_model: Path) -> None:
    engine = MarianTranslator(dutch_model, EngineSettings(num_beams=1))
    calls: list[int] = []
    original = engine._generate

    def counting(batch: list[str]) -> list[tuple[str, float]]:
        calls.append(len(batch))
        return original(batch)

    engine._generate = counting  # count real model calls; the model itself still runs
    sentence = "Frankrijk is tegen de opening van zo'n kantoor."
    results = engine.translate([sentence, "Japan is een partner.", sentence], "nl")
    assert sum(calls) == 2
    assert results[0].translation == results[2].translation


def test_batches_are_length_sorted_and_within_the_token_budget(dutch_model: Path) -> None:
    engine = MarianTranslator(
        dutch_model, EngineSettings(max_batch_tokens=200, max_batch_sentences=8)
    )
    pieces = _dutch_sentences()
    batches = engine._batches(pieces)
    assert sorted(p for b in batches for p in b) == sorted(pieces)
    lengths = [[engine.token_count(p) for p in batch] for batch in batches]
    for batch_lengths in lengths:
        assert len(batch_lengths) <= 8
        assert max(batch_lengths) * len(batch_lengths) <= 200 or len(batch_lengths) == 1
    flat = [n for batch in lengths for n in batch]
    assert flat == sorted(flat, reverse=True)


def test_a_sentence_over_the_model_limit_is_split_not_cut(dutch_model: Path) -> None:
    engine = MarianTranslator(dutch_model, EngineSettings(num_beams=1))
    long_sentence = " ".join(["Frankrijk blokkeert het kantoor van de Navo in Tokio"] * 80)
    assert engine.token_count(long_sentence) > engine.max_input_tokens
    pieces = engine._fit(long_sentence)
    assert len(pieces) > 1
    assert all(engine.token_count(p) <= engine.max_input_tokens for p in pieces)
    assert " ".join(pieces) == long_sentence
    [result] = engine.translate([long_sentence], "nl")
    assert result.source == long_sentence and result.translation


def test_split_to_fit_keeps_every_character_of_an_unbroken_run() -> None:
    text = "x" * 1000

    def count(s: str) -> int:
        return len(s) // 10 + 1

    pieces = split_to_fit(text, count, 20)
    assert "".join(pieces) == text
    assert all(count(p) <= 20 for p in pieces)


def test_split_to_fit_prefers_clause_boundaries() -> None:
    text = "first clause here, second clause here; third clause here"

    def count(s: str) -> int:
        return len(s.split()) + 1

    pieces = split_to_fit(text, count, 5)
    assert pieces == ["first clause here,", "second clause here;", "third clause here"]


def test_punctuation_is_normalised_before_translation(dutch_model: Path) -> None:
    engine = MarianTranslator(dutch_model)
    assert engine.normalise("„Geen partner”  staat dichter bij de Navo", "nl") == (
        '"Geen partner" staat dichter bij de Navo'
    )


def test_a_broken_model_folder_gives_a_clear_error(tmp_path: Path) -> None:
    from pipeline.translate import TranslationError

    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TranslationError, match="could not load translation model"):
        MarianTranslator(tmp_path)
