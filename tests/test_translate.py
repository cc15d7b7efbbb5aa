"""The MarianMT engine on tiny models with the real file layout (no mocks)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config.load import parse_config
from pipeline.config.schema import ConfigError
from pipeline.documents.clean import clean_document
from pipeline.documents.segment import segment_document
from pipeline.sources.read import read_source
from pipeline.translation.engine import EngineSettings, TranslationError, split_to_fit
from pipeline.translation.load import load_translator
from pipeline.translation.marian import MarianTranslator
from pipeline.types import Source

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
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TranslationError, match="could not load translation model"):
        MarianTranslator(tmp_path)


# -- the fast search against transformers' generate() ----------------------------------------


@pytest.fixture(scope="module")
def lively_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Dutch model whose beams compete, outputs differ in length and some sentences
    run to their length limit (the plain tiny model always emits 8 tokens and </s>)."""
    from pipeline.models.tiny import build_tiny_marian, default_texts

    directory = tmp_path_factory.mktemp("lively") / "opus-mt-nl-en"
    return build_tiny_marian(directory, default_texts(), lively=True)


@pytest.mark.parametrize("beams", [1, 2, 4])
@pytest.mark.parametrize("which", ["tiny", "lively"])
def test_fast_search_gives_generates_tokens_and_confidence(
    beams: int, which: str, dutch_model: Path, lively_model: Path
) -> None:
    """pipeline.translation.search is generate()'s: same tokens, same mean log-probability.
    One sentence per batch, because generate() has one length limit per batch (more
    layouts and CTranslate2: tests/test_engine_agreement.py)."""
    directory = dutch_model if which == "tiny" else lively_model
    engine = MarianTranslator(directory, EngineSettings(num_beams=beams, max_batch_sentences=1))
    assert engine.fast is not None
    for batch in engine._batches(_dutch_sentences()[:12]):
        fast, reference = engine._generate(batch), engine.reference_generate(batch)
        assert [t for t, _ in fast] == [t for t, _ in reference]
        for (_, mine), (_, theirs) in zip(fast, reference, strict=True):
            assert mine == pytest.approx(theirs, abs=1e-5)


@pytest.mark.parametrize("beams", [1, 4])
def test_batched_output_is_identical_to_one_at_a_time(beams: int, lively_model: Path) -> None:
    """Length limits are per sentence and finished sentences leave the batch, so batching
    changes the speed, never the output (greedy or beam)."""
    sentences = _dutch_sentences()[:16]
    batched = MarianTranslator(
        lively_model, EngineSettings(num_beams=beams, max_batch_sentences=16)
    ).translate(sentences, "nl")
    single = MarianTranslator(
        lively_model, EngineSettings(num_beams=beams, max_batch_sentences=1)
    ).translate(sentences, "nl")
    assert [r.translation for r in batched] == [r.translation for r in single]
    assert [r.confidence for r in batched] == pytest.approx([r.confidence for r in single])


def test_a_generation_config_the_fast_search_lacks_falls_back_to_generate(
    dutch_model: Path, tmp_path: Path
) -> None:
    import json

    directory = tmp_path / "opus-mt-nl-en"
    shutil.copytree(dutch_model, directory)
    config_file = directory / "generation_config.json"
    config = json.loads(config_file.read_text())
    config["repetition_penalty"] = 1.3  # generate() does it, the fast search does not
    config_file.write_text(json.dumps(config))
    engine = MarianTranslator(directory, EngineSettings(num_beams=2))
    assert engine.fast is None
    [result] = engine.translate(["Japan is een partner van de Navo."], "nl")
    assert result.translation and result.confidence is not None


def test_the_batch_is_tokenised_once(dutch_model: Path) -> None:
    engine = MarianTranslator(dutch_model, EngineSettings(num_beams=1))
    sentences = _dutch_sentences()[:6]
    calls: list[str] = []
    processor = engine.tokenizer.spm_source

    class Counting:  # the real SentencePiece model, counting the texts it encodes
        def __getattr__(self, name):
            return getattr(processor, name)

        def encode(self, text, *args, **kwargs):
            calls.append(text)
            return processor.encode(text, *args, **kwargs)

    engine.tokenizer.spm_source = Counting()
    engine.translate(sentences, "nl")
    normalised = [engine.normalise(s, "nl") for s in sentences]
    assert sorted(calls) == sorted(set(calls)) == sorted(normalised)


# -- precision, threads, engines ------------------------------------------------------------


def test_int8_runs_and_gives_non_empty_output(dutch_model: Path) -> None:
    engine = MarianTranslator(dutch_model, EngineSettings(num_beams=2, precision="int8"))
    results = engine.translate(_dutch_sentences()[:5], "nl")
    assert all(r.translation.strip() for r in results)
    assert all(r.confidence is not None and r.confidence <= 0 for r in results)


def test_int8_quantises_what_runs_and_the_reference_decoder_only_when_used(
    dutch_model: Path,
) -> None:
    import torch

    def float_linears(module: torch.nn.Module) -> int:
        return sum(type(m) is torch.nn.Linear for m in module.modules())

    engine = MarianTranslator(dutch_model, EngineSettings(num_beams=2, precision="int8"))
    assert engine.fast is not None and float_linears(engine.fast) == 0
    assert float_linears(engine.model.get_encoder()) == 0
    assert float_linears(engine.model.get_decoder()) > 0  # nothing runs it yet
    sentences = [s for s in _dutch_sentences()[:3]]
    assert all(r.translation.strip() for r in engine.translate(sentences, "nl"))
    assert float_linears(engine.model.get_decoder()) > 0
    reference = engine.reference_generate(sentences)
    assert float_linears(engine.model) == 0
    assert all(text for text, _ in reference)


@pytest.mark.parametrize("precision", ["float16", "bfloat16"])
def test_half_precision_on_a_cpu_is_a_clear_error(precision: str, dutch_model: Path) -> None:
    with pytest.raises(TranslationError, match=f"precision {precision} needs a CUDA GPU"):
        MarianTranslator(dutch_model, EngineSettings(device="cpu", precision=precision))


def test_threads_setting_is_applied(dutch_model: Path) -> None:
    import torch

    before = torch.get_num_threads()
    try:
        MarianTranslator(dutch_model, EngineSettings(num_beams=1, threads=1))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_load_translator_picks_the_transformers_engine_by_default(dutch_model: Path) -> None:
    engine = load_translator(dutch_model, EngineSettings(num_beams=1))
    assert isinstance(engine, MarianTranslator) and engine.engine == "transformers"


def test_unknown_engine_settings_are_refused() -> None:
    with pytest.raises(TranslationError, match="unknown precision"):
        EngineSettings(precision="int4")
    with pytest.raises(TranslationError, match="unknown engine"):
        EngineSettings(engine="onnx")


# -- configuration --------------------------------------------------------------------------


def test_engine_keys_have_cpu_friendly_defaults() -> None:
    translation = parse_config({}).translation
    assert translation.engine == "transformers"
    assert translation.precision == "float32"
    assert translation.threads == "auto"
    assert translation.num_beams == 4


@pytest.mark.parametrize(
    ("translation", "message"),
    [
        ({"precision": "float16", "device": "cpu"}, "runs on CUDA only"),
        ({"precision": "int8", "device": "cuda"}, "CPU only"),
        ({"precision": "int4"}, "translation.precision"),
        ({"engine": "onnx"}, "translation.engine"),
        ({"threads": 0}, "threads must be at least 1"),
        ({"threads": "many"}, "translation.threads"),
        ({"num_beams": 0}, "translation.num_beams"),
    ],
)
def test_engine_keys_are_validated(translation: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"translation": translation})


def test_engine_settings_map_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.models.loaded import engine_settings
    from pipeline.translation.engine import physical_cores

    config = parse_config(
        {"translation": {"precision": "int8", "num_beams": 1, "engine": "ctranslate2"}}
    ).translation
    settings = engine_settings(config)
    assert (settings.precision, settings.num_beams, settings.engine) == ("int8", 1, "ctranslate2")
    assert settings.threads == physical_cores() >= 1
    none = parse_config({"translation": {"threads": None}}).translation
    assert engine_settings(none).threads is None


def test_runtime_keeps_a_bounded_number_of_translators(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.models import loaded as runtime

    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    config = parse_config({"translation": {"num_beams": 1, "threads": None}})
    assert config.translation.max_loaded_models == 1
    runtime.clear()
    try:
        dutch = runtime.translator(config.translation.models["nl"], config.translation)
        assert runtime.translator(config.translation.models["nl"], config.translation) is dutch
        runtime.translator(config.translation.models["it"], config.translation)
        assert len(runtime._translators) == 1
        two = config.translation.model_copy(update={"max_loaded_models": 2})
        runtime.translator(two.models["nl"], two)
        runtime.translator(two.models["it"], two)
        assert len(runtime._translators) == 2
    finally:
        runtime.clear()


def test_a_let_go_translator_is_freed_at_once_without_a_full_collection(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """runtime.release_memory skips the 0.3 s full gc.collect: that is only right while a
    translator (its model, tokenizer, fast decoder, worker pools) holds no reference cycle."""
    import gc
    import weakref

    from pipeline.models import loaded as runtime

    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    config = parse_config({"translation": {"num_beams": 1, "threads": 2, "workers": 2}})
    runtime.clear()
    gc.disable()
    try:
        dutch = runtime.translator(config.translation.models["nl"], config.translation)
        dutch.translate(_dutch_sentences()[:6], "nl")
        model, engine = weakref.ref(dutch.model), weakref.ref(dutch)
        del dutch
        runtime.translator(config.translation.models["it"], config.translation)
        assert engine() is None and model() is None
    finally:
        gc.enable()
        runtime.clear()


# -- workers: batches side by side --------------------------------------------------------


@pytest.mark.parametrize("beams", [1, 3])
def test_batches_decoded_side_by_side_give_the_same_output(beams: int, lively_model: Path) -> None:
    """Workers change which thread decodes a batch, never what it decodes into."""
    sentences = _dutch_sentences()
    one = MarianTranslator(
        lively_model, EngineSettings(num_beams=beams, max_batch_sentences=4, workers=1)
    ).translate(sentences, "nl")
    done: list[tuple[int, int]] = []
    two = MarianTranslator(
        lively_model, EngineSettings(num_beams=beams, max_batch_sentences=4, workers=2, threads=2)
    ).translate(sentences, "nl", progress=lambda d, t: done.append((d, t)))
    assert [r.translation for r in two] == [r.translation for r in one]
    assert [r.confidence for r in two] == pytest.approx([r.confidence for r in one])
    assert done[-1][0] == done[-1][1] and [d for d, _ in done] == sorted(d for d, _ in done)


def test_with_workers_the_batches_are_even_and_within_both_limits(dutch_model: Path) -> None:
    engine = MarianTranslator(
        dutch_model, EngineSettings(max_batch_tokens=300, max_batch_sentences=8, workers=2)
    )
    pieces = _dutch_sentences()
    batches = engine._batches(pieces)
    assert sorted(p for b in batches for p in b) == sorted(pieces)
    assert len(batches) % 2 == 0
    sizes = [len(b) for b in batches]
    assert max(sizes) - min(sizes) <= 1
    for batch in batches:
        lengths = [engine.token_count(p) for p in batch]
        assert len(batch) <= 8 and max(lengths) * len(batch) <= 300
    flat = [engine.token_count(p) for b in batches for p in b]
    assert flat == sorted(flat, reverse=True)


def test_a_failing_batch_in_a_worker_fails_the_call_and_frees_the_engine(
    dutch_model: Path,
) -> None:
    engine = MarianTranslator(
        dutch_model, EngineSettings(num_beams=1, max_batch_sentences=2, workers=2, threads=2)
    )
    original = engine._generate

    def failing(batch: list[str]) -> list[tuple[str, float]]:
        if any("Tokio" in piece for piece in batch):
            raise RuntimeError("out of memory in this batch")
        return original(batch)

    engine._generate = failing  # the real model runs for every other batch
    with pytest.raises(RuntimeError, match="out of memory"):
        engine.translate(_dutch_sentences(), "nl")
    engine._generate = original
    assert engine.translate(["Japan is een partner."], "nl")[0].translation


def test_even_batches_keep_the_token_budget_even_beside_an_oversized_piece() -> None:
    """A piece over the budget may stand alone (as in plain batching); it must not lift
    the budget for the even batches cut around it."""
    from pipeline.translation.engine import _balanced

    settings = EngineSettings(max_batch_tokens=100, max_batch_sentences=8, workers=2)
    lengths = {"long": 150, **{f"s{i}": 20 for i in range(9)}}
    ordered = sorted(lengths, key=lambda p: lengths[p], reverse=True)
    plain = [["long"], [f"s{i}" for i in range(5)], [f"s{i}" for i in range(5, 9)]]
    batches = _balanced(plain, ordered, lengths, 2, settings)
    assert sorted(p for b in batches for p in b) == sorted(ordered)
    assert len(batches) % 2 == 0
    for batch in batches:
        assert len(batch) == 1 or lengths[batch[0]] * len(batch) <= 100
