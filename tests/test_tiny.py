"""Tiny models load with the real transformers classes and generate something."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    MarianMTModel,
    MarianTokenizer,
)

from pipeline.config.load import load_config, parse_config
from pipeline.models.tiny import (
    EOS_BIAS,
    SUPPRESSED_BIAS,
    TINY_MARKER,
    TINY_MIN_NEW_TOKENS,
    build_tiny_marian,
    build_tiny_models,
    build_tiny_summarizer,
    is_tiny,
)

MARIAN_NAMES = ["opus-mt-nl-en", "opus-mt-gmq-en", "opus-mt-it-en"]
MARIAN_FILES = {
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    TINY_MARKER,
}
BART_FILES = {
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "vocab.json",
    "merges.txt",
    "tokenizer_config.json",
    "special_tokens_map.json",
    TINY_MARKER,
}


def test_one_directory_per_configured_model(tiny_models_dir: Path):
    names = {p.name for p in tiny_models_dir.iterdir()}
    assert names == {*MARIAN_NAMES, "distilbart-cnn-12-6"}
    for name in MARIAN_NAMES:
        assert MARIAN_FILES <= {p.name for p in (tiny_models_dir / name).iterdir()}
    assert BART_FILES <= {p.name for p in (tiny_models_dir / "distilbart-cnn-12-6").iterdir()}


def test_marker_says_tiny(tiny_models_dir: Path):
    marker = json.loads((tiny_models_dir / "opus-mt-nl-en" / TINY_MARKER).read_text())
    assert marker["tiny"] is True
    assert marker["built_from"] == "Helsinki-NLP/opus-mt-nl-en"
    assert "not a translation" in marker["note"]
    assert is_tiny(tiny_models_dir / "distilbart-cnn-12-6")


@pytest.mark.parametrize("name", MARIAN_NAMES)
def test_marian_loads_and_translates_non_empty(tiny_models_dir: Path, name: str):
    directory = tiny_models_dir / name
    tokenizer = MarianTokenizer.from_pretrained(directory)
    model = MarianMTModel.from_pretrained(directory)
    batch = tokenizer(
        ["De Navo wil een kantoor in Tokio.", "Kort."], return_tensors="pt", padding=True
    )
    output = model.generate(**batch, max_new_tokens=64)
    texts = tokenizer.batch_decode(output, skip_special_tokens=True)
    assert len(texts) == 2
    assert all(text.strip() for text in texts)
    # Short and deterministic: decoder start, min_new_tokens tokens, </s>, whatever the bound.
    assert output.shape[1] == 1 + TINY_MIN_NEW_TOKENS + 1
    assert (output[:, -1] == tokenizer.eos_token_id).all()


def test_marian_special_tokens_as_in_opus_mt(tiny_models_dir: Path):
    directory = tiny_models_dir / "opus-mt-nl-en"
    vocab = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 0 and vocab["<unk>"] == 1
    assert vocab["<pad>"] == len(vocab) - 1
    assert sorted(vocab.values()) == list(range(len(vocab)))

    tokenizer = MarianTokenizer.from_pretrained(directory)
    model = MarianMTModel.from_pretrained(directory)
    config = model.config
    assert config.vocab_size == len(vocab) == len(tokenizer)
    assert config.pad_token_id == config.decoder_start_token_id == tokenizer.pad_token_id
    assert config.eos_token_id == config.forced_eos_token_id == tokenizer.eos_token_id == 0
    assert model.generation_config.decoder_start_token_id == tokenizer.pad_token_id
    assert model.generation_config.num_beams == 4
    assert model.generation_config.max_length == 512
    assert config.max_position_embeddings == 512
    # The biases survive save/load: they keep random outputs short and non-empty.
    assert float(model.final_logits_bias[0, config.eos_token_id]) == EOS_BIAS
    assert float(model.final_logits_bias[0, config.pad_token_id]) == SUPPRESSED_BIAS
    assert model.generation_config.min_new_tokens == TINY_MIN_NEW_TOKENS

    encoded = tokenizer("Navo Tokio").input_ids
    assert encoded[-1] == tokenizer.eos_token_id
    assert tokenizer.unk_token_id not in encoded  # the sample vocabulary covers it

    tokenizer_config = json.loads((directory / "tokenizer_config.json").read_text())
    assert (tokenizer_config["source_lang"], tokenizer_config["target_lang"]) == ("nl", "en")
    assert tokenizer_config["separate_vocabs"] is False


def test_auto_classes_load_marian(tiny_models_dir: Path):
    directory = tiny_models_dir / "opus-mt-it-en"
    assert isinstance(AutoTokenizer.from_pretrained(directory), MarianTokenizer)
    assert isinstance(AutoModelForSeq2SeqLM.from_pretrained(directory), MarianMTModel)


def test_summarizer_loads_and_summarises_non_empty(tiny_models_dir: Path):
    directory = tiny_models_dir / "distilbart-cnn-12-6"
    tokenizer = AutoTokenizer.from_pretrained(directory)
    model = AutoModelForSeq2SeqLM.from_pretrained(directory)
    assert type(model).__name__ == "BartForConditionalGeneration"
    assert (tokenizer.bos_token_id, tokenizer.pad_token_id, tokenizer.eos_token_id) == (0, 1, 2)
    assert tokenizer.mask_token_id == len(tokenizer) - 1
    config = model.config
    assert config.vocab_size == len(tokenizer)
    assert config.pad_token_id == tokenizer.pad_token_id
    assert config.decoder_start_token_id == config.eos_token_id == tokenizer.eos_token_id
    assert config.max_position_embeddings == 1024
    assert tokenizer.model_max_length == 1024

    text = "NATO wants a liaison office in Tokyo. France is against it. " * 3
    batch = tokenizer([text], return_tensors="pt", truncation=True)
    # As pipeline.summaries.summarize calls it: the caller's min_new_tokens sets the length.
    output = model.generate(
        **batch, max_new_tokens=40, min_new_tokens=12, num_beams=4, no_repeat_ngram_size=3
    )
    summary = tokenizer.decode(output[0], skip_special_tokens=True)
    assert summary.strip()
    assert output.shape[1] == 1 + 12 + 1


def test_builders_are_deterministic(tmp_path: Path):
    texts = ["Hei verden. Dette er en test.", "Ciao mondo."]
    first = build_tiny_marian(tmp_path / "a" / "opus-mt-gmq-en", texts, seed=3)
    second = build_tiny_marian(tmp_path / "b" / "opus-mt-gmq-en", texts, seed=3)
    for name in ("model.safetensors", "vocab.json", "source.spm", "config.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    tokenizer_config = json.loads((first / "tokenizer_config.json").read_text())
    assert tokenizer_config["source_lang"] == "gmq"


def test_rebuild_replaces_a_tiny_model_but_never_a_real_one(tmp_path: Path):
    dest = tmp_path / "opus-mt-nl-en"
    build_tiny_marian(dest, ["Een korte tekst."])
    build_tiny_marian(dest, ["Een andere tekst."])  # a tiny model may be rebuilt in place
    assert is_tiny(dest)

    real = tmp_path / "distilbart-cnn-12-6"
    real.mkdir()
    (real / "config.json").write_text("{}")
    with pytest.raises(FileExistsError, match="not a tiny model"):
        build_tiny_summarizer(real, ["Some text."])
    assert (real / "config.json").read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_extractive_config_builds_no_summariser(tmp_path: Path):
    data = load_config().model_dump(mode="json")
    data["summary"]["method"] = "extractive"
    data["translation"]["models"] = {"nl": {"id": "Helsinki-NLP/opus-mt-nl-en"}}
    built = build_tiny_models(parse_config(data), tmp_path, ["Een korte tekst."])
    assert [p.name for p in built] == ["opus-mt-nl-en"]


def test_empty_training_text_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="training text"):
        build_tiny_marian(tmp_path / "opus-mt-nl-en", ["   ", ""])
