"""The engines agree on tiny models of the real repositories' layouts (issue 14).

The fast search (pipeline.translation.search), ``generate()`` and CTranslate2 follow one
set of rules: the same tokens, and confidences within 1e-5, on a *lively* model whose
outputs vary in length and often run to their limit, greedy and beam, batched and one at a
time; on opus-mt models published with and without ``renormalize_logits``; and on tc-big's
layout (float16 weights, ``</s>`` in mid-vocabulary). CTranslate2's beam search is held to
what it can do (docs/models.md): the same output whenever its search runs to the limit,
and the same confidence whenever the output is the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from pipeline.documents.clean import clean_document
from pipeline.documents.segment import segment_document
from pipeline.models.tiny import build_tiny_marian, default_texts
from pipeline.sources.read import read_source
from pipeline.translation.engine import EngineSettings
from pipeline.translation.load import load_translator
from pipeline.translation.marian import MarianTranslator
from pipeline.translation.search import beam_search, greedy_search
from pipeline.types import Source

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TOLERANCE = 1e-5


def _sentences(count: int = 24) -> list[str]:
    sentences = []
    for name, language in (("000_bc84fd529d18192b.txt", "nl"), ("001_bcfb92fbb7ce6496.txt", "nl")):
        document = clean_document(read_source(Source(id=name, path=str(SAMPLES / name))))
        sentences += [s.text for s in segment_document(document, language)]
    return list(dict.fromkeys(sentences))[:count]


@pytest.fixture(scope="module")
def lively_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_marian(
        tmp_path_factory.mktemp("lively") / "opus-mt-nl-en", default_texts(), lively=True
    )


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "ct2"


def _raw(engine, sentences: list[str]) -> list[tuple[str, float]]:
    """Each sentence's (text, unrounded confidence), batched as the engine batches."""
    done: dict[str, tuple[str, float]] = {}
    for batch in engine._batches(sentences):
        done.update(zip(batch, engine._generate(batch), strict=True))
    return [done[s] for s in sentences]


def _cut(engine: MarianTranslator, sentences: list[str]) -> list[bool]:
    """Whether the transformers engine's output for each sentence ran to its limit."""
    out = []
    for sentence in sentences:
        ids = engine.token_ids(sentence)
        limit = engine.max_new_tokens(len(ids))
        beams = engine.settings.num_beams
        encoded = engine._encode([ids])
        limits = torch.tensor([limit])
        if beams == 1:
            [found] = greedy_search(engine.fast, encoded, limits, engine.rules)
        else:
            [found] = beam_search(engine.fast, encoded, limits, engine.rules, beams)
        out.append(len(found.tokens) == limit)
    return out


def _assert_same(mine: list[tuple[str, float]], theirs: list[tuple[str, float]]) -> None:
    assert [t for t, _ in mine] == [t for t, _ in theirs]
    for (_, a), (_, b) in zip(mine, theirs, strict=True):
        assert a == pytest.approx(b, abs=TOLERANCE)


def test_the_lively_model_varies_in_length_and_often_runs_to_the_limit(lively_model: Path):
    engine = MarianTranslator(lively_model, EngineSettings(num_beams=1))
    sentences = _sentences()
    cut = _cut(engine, sentences)
    assert 3 <= sum(cut) <= len(sentences) - 3
    lengths = {len(text.split()) for text, _ in _raw(engine, sentences)}
    assert len(lengths) >= 6


@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize("name", ["lively", "opus-mt-nl-en", "opus-mt-it-en", "tc-big"])
def test_fast_search_equals_generate_tokens_and_confidence(
    beams: int, name: str, lively_model: Path, tiny_models_dir: Path, tc_big_model: Path
) -> None:
    """One sentence per batch: generate() has one length limit per batch. nl-en is
    published without renormalize_logits, it-en with it: the same rule for both."""
    directory = {"lively": lively_model, "tc-big": tc_big_model}.get(name) or (
        tiny_models_dir / name
    )
    engine = MarianTranslator(directory, EngineSettings(num_beams=beams, max_batch_sentences=1))
    assert engine.fast is not None
    sentences = _sentences(16)
    reference = [engine.reference_generate([s])[0] for s in sentences]
    _assert_same(_raw(engine, sentences), reference)


@pytest.mark.parametrize("beams", [1, 4])
def test_batched_is_one_at_a_time_for_both_engines(
    beams: int, lively_model: Path, cache_dir: Path
) -> None:
    pytest.importorskip("ctranslate2")
    sentences = _sentences()
    for engine in ("transformers", "ctranslate2"):
        batched = load_translator(
            lively_model, EngineSettings(num_beams=beams, max_batch_sentences=16, engine=engine)
        )
        single = load_translator(
            lively_model, EngineSettings(num_beams=beams, max_batch_sentences=1, engine=engine)
        )
        _assert_same(_raw(batched, sentences), _raw(single, sentences))


@pytest.mark.parametrize("batch", [1, 16])
def test_ctranslate2_greedy_equals_transformers_even_where_outputs_hit_the_limit(
    batch: int, lively_model: Path, cache_dir: Path
) -> None:
    pytest.importorskip("ctranslate2")
    sentences = _sentences()
    settings = {"num_beams": 1, "max_batch_sentences": batch}
    reference = MarianTranslator(lively_model, EngineSettings(**settings))
    ct2 = load_translator(lively_model, EngineSettings(**settings, engine="ctranslate2"))
    assert any(_cut(reference, sentences))
    _assert_same(_raw(ct2, sentences), _raw(reference, sentences))


def test_ctranslate2_beam_equals_transformers_where_its_search_runs_to_the_limit(
    lively_model: Path, cache_dir: Path
) -> None:
    pytest.importorskip("ctranslate2")
    sentences = _sentences()
    settings = {"num_beams": 4, "max_batch_sentences": 1}
    reference = MarianTranslator(lively_model, EngineSettings(**settings))
    ct2 = load_translator(lively_model, EngineSettings(**settings, engine="ctranslate2"))
    theirs = _raw(reference, sentences)
    cut_there = _cut(reference, sentences)
    compared = 0
    for sentence, (text, confidence), cut in zip(sentences, theirs, cut_there, strict=True):
        ids = ct2.token_ids(sentence)
        limit = ct2.max_new_tokens(len(ids))
        [(mine, my_confidence, longest)] = ct2._search([ids], limit)
        if longest == limit:  # CTranslate2's search ran to the limit
            compared += 1
            assert cut and mine == text
        if mine == text:
            assert my_confidence == pytest.approx(confidence, abs=TOLERANCE)
    assert compared >= 3


@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize("name", ["opus-mt-gmq-en", "tc-big"])
def test_ctranslate2_equals_transformers_on_the_real_layouts(
    beams: int, name: str, tiny_models_dir: Path, tc_big_model: Path, cache_dir: Path
) -> None:
    """Outputs that end by themselves: the same tokens and confidences, tc-big's </s> at
    41,977 and its float16 weights included."""
    pytest.importorskip("ctranslate2")
    directory = tc_big_model if name == "tc-big" else tiny_models_dir / name
    sentences = _sentences(12)
    reference = MarianTranslator(directory, EngineSettings(num_beams=beams))
    ct2 = load_translator(directory, EngineSettings(num_beams=beams, engine="ctranslate2"))
    _assert_same(_raw(ct2, sentences), _raw(reference, sentences))


SPECIAL_STRINGS = [
    "Het model schreef </s> in de tekst.",
    "<mask> is geen woord, <pad> ook niet.",
    ">>nob<< staat aan het begin van deze zin.",
    "Een onbekend teken: <unk> en <s> en </s></s>.",
]


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_special_token_strings_in_a_source_are_text(
    engine: str, tiny_models_dir: Path, cache_dir: Path
) -> None:
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    translator = load_translator(tiny_models_dir / "opus-mt-gmq-en", EngineSettings(engine=engine))
    tokenizer = translator.tokenizer
    special = {tokenizer.eos_token_id, tokenizer.pad_token_id, tokenizer.unk_token_id}
    for sentence in SPECIAL_STRINGS:
        ids = translator.token_ids(sentence)
        assert ids[-1] == tokenizer.eos_token_id
        assert not special & set(ids[:-1]), sentence  # no </s>, <pad> or <unk> inside
        # The pieces spell the sentence, the special-token strings included.
        assert tokenizer.spm_source.decode(tokenizer.convert_ids_to_tokens(ids[:-1])) == sentence
    results = translator.translate(SPECIAL_STRINGS, "nb")
    assert all(r.translation and r.confidence is not None for r in results)


def test_plain_text_is_tokenised_as_the_tokenizer_does(tiny_models_dir: Path) -> None:
    translator = MarianTranslator(tiny_models_dir / "opus-mt-nl-en")
    for sentence in _sentences():
        assert translator.token_ids(sentence) == translator.tokenizer(sentence)["input_ids"]
