"""Summaries: extractive without a model, abstractive with a tiny BART."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM

from pipeline.documents.clean import clean_document
from pipeline.documents.segment import segment_document
from pipeline.sources.read import read_source
from pipeline.summaries.summarize import (
    AbstractiveSummarizer,
    ExtractiveSummarizer,
    last_full_sentences,
    rank_sentences,
)
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
    assert engine.generation.max_length == 16
    sentences = _english_sentences()
    long_input = sentences * 20
    chunks = engine.chunks(long_input)
    assert len(chunks) > len(engine.chunks(sentences))
    for chunk in chunks:
        assert len(engine.tokenizer(chunk)["input_ids"]) <= engine.window
    assert " ".join(chunks) == " ".join(long_input)
    assert engine.summarize(sentences).strip()


_GENERATION_KEYS = (
    "early_stopping",
    "length_penalty",
    "max_length",
    "min_length",
    "no_repeat_ngram_size",
    "num_beams",
)


@pytest.fixture(scope="module")
def distilbart_layout(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny BART laid out as distilbart-cnn-12-6 is on the hub: generation keys in
    config.json (and task_specific_params), no generation_config.json, ``prefix: " "``,
    and an embedding one row smaller than the tokenizer (no row for ``<mask>``)."""
    directory = tmp_path_factory.mktemp("distilbart") / "distilbart-cnn-12-6"
    shutil.copytree(tiny_models_dir / "distilbart-cnn-12-6", directory)
    model = AutoModelForSeq2SeqLM.from_pretrained(directory)
    rows = model.get_input_embeddings().weight.shape[0]
    model.resize_token_embeddings(rows - 1)
    model.save_pretrained(directory)
    (directory / "generation_config.json").unlink()
    config = json.loads((directory / "config.json").read_text())
    generation = {
        "early_stopping": True,
        "length_penalty": 2.0,
        "max_length": 30,
        "min_length": 12,
        "no_repeat_ngram_size": 3,
        "num_beams": 4,
    }
    config.update(generation, prefix=" ")
    config["task_specific_params"] = {"summarization": {**generation, "prefix": " "}}
    (directory / "config.json").write_text(json.dumps(config))
    return directory


def test_generation_settings_in_config_json_are_the_models(distilbart_layout: Path) -> None:
    engine = AbstractiveSummarizer(distilbart_layout)
    settings = engine.generation
    assert (settings.min_length, settings.max_length, settings.num_beams) == (12, 30, 4)
    assert settings.length_penalty == 2.0 and settings.no_repeat_ngram_size == 3
    assert settings.early_stopping is True
    assert engine.prefix == " "
    assert engine.token_ids("Hello")[:2] == engine.tokenizer(" Hello")["input_ids"][:2]


def test_configured_keys_override_the_models_and_others_stay(distilbart_layout: Path) -> None:
    engine = AbstractiveSummarizer(distilbart_layout, max_length=20, num_beams=2)
    assert (engine.generation.max_length, engine.generation.num_beams) == (20, 2)
    assert engine.generation.min_length == 12


@pytest.mark.parametrize("literal", ["<mask>", "</s>", "<pad>", "<s>", "<unk>", ">>nob<<"])
def test_special_token_strings_in_a_source_are_text(distilbart_layout: Path, literal: str) -> None:
    engine = AbstractiveSummarizer(distilbart_layout, num_beams=1)
    sentence = f"The minister said {literal} twice in Oslo."
    ids = engine.token_ids(sentence)
    specials = set(engine.tokenizer.all_special_ids)
    assert [i for i in ids if i in specials] == [ids[0], ids[-1]]  # only <s> ... </s>
    assert engine.summarize([sentence, *_english_sentences()[:3]]).strip()


def test_summary_is_the_output_of_generate_with_the_models_settings(
    distilbart_layout: Path,
) -> None:
    engine = AbstractiveSummarizer(distilbart_layout)
    sentences = _english_sentences()
    for count in (2, 5, 9):
        text = " ".join(sentences[:count])
        ids = torch.tensor([engine.tokenizer(" " + text)["input_ids"]])
        with torch.inference_mode():
            expected = engine.model.generate(
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                generation_config=engine.generation,
            )
        tokens, _ = engine._generate_transformers(ids[0].tolist())
        assert tokens == expected[0].tolist()[1:]  # less the decoder start token
        assert engine._generate_fast([ids[0].tolist()])[0][0] == tokens


def test_a_summary_cut_at_the_limit_ends_with_its_last_full_sentence() -> None:
    assert last_full_sentences("NATO met. Japan said it would") == "NATO met."
    assert last_full_sentences("No sentence end here") == "No sentence end here"
    assert last_full_sentences('He said "yes." Then') == 'He said "yes."'


def test_one_model_in_memory_translators_and_summariser_take_turns(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.config.load import parse_config
    from pipeline.models import loaded as runtime
    from pipeline.translation.engine import _CPU_LOCK

    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    config = parse_config({"translation": {"num_beams": 1, "threads": 1}})
    runtime.clear()
    try:
        runtime.translator(config.translation.models["nl"], config.translation)
        engine = runtime.summarizer(config.summary, config.translation)
        assert not runtime._translators  # the translator went before the summariser loaded
        assert engine._lock is _CPU_LOCK and engine.threads == 1
        runtime.translator(config.translation.models["it"], config.translation)
        assert not runtime._summarizers
        two = config.translation.model_copy(update={"max_loaded_models": 2})
        runtime.translator(two.models["nl"], two)
        runtime.summarizer(config.summary, two)
        assert runtime._translators and runtime._summarizers
    finally:
        runtime.clear()


@pytest.mark.parametrize(
    "settings", [{"precision": "int8"}, {"engine": "ctranslate2"}], ids=["int8", "ctranslate2"]
)
def test_fast_engines_keep_the_models_length_rules_and_take_special_strings_as_text(
    distilbart_layout: Path,
    settings: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if settings.get("engine") == "ctranslate2":
        pytest.importorskip("ctranslate2")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    engine = AbstractiveSummarizer(distilbart_layout, **settings)
    summary = engine.summarize(["The minister said <mask> and </s> in Oslo.", "Japan agreed."])
    assert summary.strip()
    tokens = engine.tokenizer(summary, add_special_tokens=False)["input_ids"]
    assert len(tokens) >= engine.generation.min_length - 2  # less <s>, </s>


def test_ctranslate2_summarises_one_long_chunk_a_batch_and_transformers_several(
    distilbart_layout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ctranslate2")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    chunks = [[5] * 600, [6] * 590, [7] * 300, [8] * 280]  # two long chunks, two short
    for engine_name, expected in (("ctranslate2", [1, 1, 2]), ("transformers", [4])):
        engine = AbstractiveSummarizer(distilbart_layout, engine=engine_name)
        sizes: list[int] = []

        def recorded(batch, sizes=sizes):
            sizes.append(len(batch))
            return [([2], False) for _ in batch]

        monkeypatch.setattr(engine, "_generate", recorded)
        monkeypatch.setattr(engine, "rules", None)  # one batch at a time, as CTranslate2
        engine._generate_all(chunks)
        assert sizes == expected, engine_name


def test_ctranslate2_summaries_do_not_depend_on_how_chunks_are_batched(
    distilbart_layout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ctranslate2")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    engine = AbstractiveSummarizer(distilbart_layout, engine="ctranslate2")
    documents = [
        ["The harbour office opened a second ferry line.", "Tickets cost less in winter."],
        ["A storm closed the mountain road on Tuesday."],
        ["The council voted to repair the old bridge.", "Work starts in spring.", "It ends soon."],
    ]
    engine.max_batch_tokens = 10_000  # all in one batch
    together = engine.summarize_many(documents)
    engine.max_batch_tokens = 1  # each chunk alone
    assert engine.summarize_many(documents) == together
