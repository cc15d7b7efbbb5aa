"""``engine: ctranslate2`` on the tiny models: same inputs and outputs as the transformers
engine, and the conversion made once (no mocks; skipped without the ``[ct2]`` extra)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.documents.clean import clean_document
from pipeline.documents.segment import segment_document
from pipeline.sources.read import read_source
from pipeline.translation.engine import EngineSettings, TranslationError
from pipeline.translation.load import load_translator
from pipeline.translation.marian import MarianTranslator
from pipeline.types import Source

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _dutch_sentences() -> list[str]:
    path = SAMPLES / "001_bcfb92fbb7ce6496.txt"
    document = clean_document(read_source(Source(id="nl", path=str(path))))
    return [s.text for s in segment_document(document, "nl")]


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "ct2"


def test_missing_package_says_how_to_install(
    tiny_models_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # as if it were not installed
    with pytest.raises(TranslationError, match=r'pip install -e "\.\[ct2\]"'):
        load_translator(tiny_models_dir / "opus-mt-nl-en", EngineSettings(engine="ctranslate2"))


@pytest.mark.parametrize("beams", [1, 4])
def test_one_result_per_input_with_confidence_as_the_transformers_engine(
    beams: int, tiny_models_dir: Path, cache_dir: Path
) -> None:
    pytest.importorskip("ctranslate2")
    model = tiny_models_dir / "opus-mt-nl-en"
    sentences = _dutch_sentences()
    sentences = [*sentences, "", sentences[0]]  # an empty one and a repeat
    ct2 = load_translator(model, EngineSettings(num_beams=beams, engine="ctranslate2"))
    assert ct2.engine == "ctranslate2"
    results = ct2.translate(sentences, "nl")
    assert [r.source for r in results] == sentences
    assert results[-2].translation == "" and results[-2].confidence is None
    assert (results[-1].translation, results[-1].confidence) == (
        results[0].translation,
        results[0].confidence,
    )
    assert all(
        r.translation and r.confidence is not None and r.confidence <= 0
        for r in results
        if r.source
    )
    reference = MarianTranslator(model, EngineSettings(num_beams=beams)).translate(sentences, "nl")
    assert [r.translation for r in results] == [r.translation for r in reference]
    for mine, theirs in zip(results, reference, strict=True):
        if mine.source:
            assert mine.confidence == pytest.approx(theirs.confidence, abs=2e-3)


def test_conversion_is_cached(tiny_models_dir: Path, cache_dir: Path) -> None:
    pytest.importorskip("ctranslate2")
    model = tiny_models_dir / "opus-mt-it-en"
    settings = EngineSettings(num_beams=1, engine="ctranslate2", precision="int8")
    first = load_translator(model, settings)
    assert first.converted_now
    weights = first.path / "model.bin"
    stamp = (weights.stat().st_ino, weights.stat().st_mtime_ns)
    second = load_translator(model, settings)
    assert not second.converted_now
    assert second.path == first.path
    assert (weights.stat().st_ino, weights.stat().st_mtime_ns) == stamp
    assert [p.name for p in cache_dir.iterdir()] == [first.path.name]  # no staging left over
    assert first.path.name.startswith("opus-mt-it-en-") and first.path.name.endswith("-int8")
    [result] = second.translate(["La Nato vuole aprire un ufficio a Tokyo."], "it")
    assert result.translation and result.confidence is not None


def test_a_changed_model_or_precision_is_converted_again(
    tiny_models_dir: Path, cache_dir: Path
) -> None:
    pytest.importorskip("ctranslate2")
    from pipeline.translation.ct2 import converted_model

    model = tiny_models_dir / "opus-mt-gmq-en"
    plain, made = converted_model(model, None)
    assert made
    assert converted_model(model, None) == (plain, False)
    other_revision, made = converted_model(model, None, revision="0" * 40)
    assert made and other_revision != plain
    quantised, made = converted_model(model, "int8")
    assert made and quantised != plain


def test_half_precision_on_a_cpu_is_a_clear_error(tiny_models_dir: Path, cache_dir: Path) -> None:
    pytest.importorskip("ctranslate2")
    settings = EngineSettings(engine="ctranslate2", precision="float16", device="cpu")
    with pytest.raises(TranslationError, match="needs a CUDA GPU"):
        load_translator(tiny_models_dir / "opus-mt-nl-en", settings)
