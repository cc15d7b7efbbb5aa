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
    DISTILBART_GENERATION,
    EOS_BIAS,
    SUPPRESSED_BIAS,
    TINY_MARKER,
    TINY_MIN_NEW_TOKENS,
    build_tiny_marian,
    build_tiny_models,
    build_tiny_summarizer,
    default_texts,
    is_tiny,
)

MARIAN_NAMES = ["opus-mt-nl-en", "opus-mt-gmq-en", "opus-mt-it-en"]
# The files of the real repositories on main (less their TensorFlow, Rust and Flax weights).
MARIAN_FILES = {
    "config.json",
    "generation_config.json",
    "pytorch_model.bin",
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    TINY_MARKER,
}
BART_FILES = {
    "config.json",
    "pytorch_model.bin",
    "vocab.json",
    "merges.txt",
    "tokenizer_config.json",
    TINY_MARKER,
}


def test_one_directory_per_configured_model_with_the_real_file_set(tiny_models_dir: Path):
    names = {p.name for p in tiny_models_dir.iterdir()}
    assert names == {*MARIAN_NAMES, "distilbart-cnn-12-6"}
    for name in MARIAN_NAMES:
        assert {p.name for p in (tiny_models_dir / name).iterdir()} == MARIAN_FILES
    assert {p.name for p in (tiny_models_dir / "distilbart-cnn-12-6").iterdir()} == BART_FILES


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
    assert model.generation_config.num_beams == 6  # as opus-mt-nl-en's is published
    assert not model.generation_config.renormalize_logits
    assert model.generation_config.max_length == 512
    assert config.max_position_embeddings == 512
    # The biases survive save/load: they keep random outputs short and non-empty.
    assert float(model.final_logits_bias[0, config.eos_token_id]) == EOS_BIAS
    assert float(model.final_logits_bias[0, config.pad_token_id]) == SUPPRESSED_BIAS
    assert model.generation_config.min_new_tokens == TINY_MIN_NEW_TOKENS

    encoded = tokenizer("Navo Tokio").input_ids
    assert encoded[-1] == tokenizer.eos_token_id
    assert tokenizer.unk_token_id not in encoded  # the sample vocabulary covers it

    # opus-mt's 42 bytes: the two languages, nothing else.
    tokenizer_config = json.loads((directory / "tokenizer_config.json").read_text())
    assert tokenizer_config == {"target_lang": "en", "source_lang": "nl"}
    assert (directory / "tokenizer_config.json").stat().st_size == 42
    # Two SentencePiece models, as in opus-mt; both sides' pieces are in the joint vocab.
    assert (directory / "source.spm").read_bytes() != (directory / "target.spm").read_bytes()
    assert tokenizer.spm_source.get_piece_size() != tokenizer.spm_target.get_piece_size()
    pieces = [
        tokenizer.spm_target.id_to_piece(i) for i in range(tokenizer.spm_target.get_piece_size())
    ]
    assert all(p in vocab for p in pieces if p != "<unk>")
    # The generation keys are in config.json too, as the conversion wrote them.
    raw = json.loads((directory / "config.json").read_text())
    assert raw["num_beams"] == 6 and raw["bad_words_ids"] == [[config.pad_token_id]]
    assert raw["torch_dtype"] == "float32"


def test_one_opus_mt_model_has_the_renormalising_generation_config(tiny_models_dir: Path):
    generation = json.loads(
        (tiny_models_dir / "opus-mt-it-en" / "generation_config.json").read_text()
    )
    assert generation["renormalize_logits"] is True and generation["num_beams"] == 4
    for name in ("opus-mt-nl-en", "opus-mt-gmq-en"):
        other = json.loads((tiny_models_dir / name / "generation_config.json").read_text())
        assert "renormalize_logits" not in other and other["num_beams"] == 6


def test_tc_big_has_its_real_shape_vocabulary_and_half_precision(tc_big_model: Path):
    import torch

    tokenizer = MarianTokenizer.from_pretrained(tc_big_model)
    model = MarianMTModel.from_pretrained(tc_big_model)
    config = model.config
    assert model.dtype == torch.float16  # as saved, like the real one
    assert (config.vocab_size, config.eos_token_id, config.pad_token_id) == (54765, 41977, 54764)
    assert tokenizer.eos_token_id == 41977 and len(tokenizer) == 54765
    assert (config.d_model % config.encoder_attention_heads, config.encoder_attention_heads) == (
        0,
        16,
    )
    assert config.encoder_ffn_dim == 4 * config.d_model
    assert (config.activation_function, config.max_position_embeddings) == ("relu", 1024)
    assert (tc_big_model / "special_tokens_map.json").is_file()
    assert not (tc_big_model / "model.safetensors").exists()

    model = MarianMTModel.from_pretrained(tc_big_model, dtype=torch.float32)
    batch = tokenizer(["Nato vil åpne et kontor i Tokyo."], return_tensors="pt")
    assert batch.input_ids[0, -1] == 41977
    output = model.generate(**batch, max_new_tokens=32)
    assert output[0, -1] == 41977
    assert tokenizer.decode(output[0], skip_special_tokens=True).strip()


def test_distilbart_layout_keeps_generation_keys_in_config_and_a_vocab_mismatch(
    tiny_models_dir: Path,
):
    directory = tiny_models_dir / "distilbart-cnn-12-6"
    assert json.loads((directory / "tokenizer_config.json").read_text()) == {
        "model_max_length": 1024
    }
    assert not (directory / "generation_config.json").exists()
    assert not (directory / "special_tokens_map.json").exists()
    raw = json.loads((directory / "config.json").read_text())
    assert {k: raw[k] for k in DISTILBART_GENERATION} == DISTILBART_GENERATION
    assert raw["min_length"] == 56 and raw["max_length"] == 142 and raw["prefix"] == " "
    tokenizer = AutoTokenizer.from_pretrained(directory)
    model = AutoModelForSeq2SeqLM.from_pretrained(directory)
    # The real repository: vocab_size 50264, the tokenizer 50265 entries (<mask> last).
    assert model.config.vocab_size == len(tokenizer) - 1 == tokenizer.mask_token_id
    assert model.get_input_embeddings().num_embeddings == len(tokenizer) - 1
    # generate() reads the generation keys from config.json.
    assert model.generation_config.min_length == 56
    assert model.generation_config.no_repeat_ngram_size == 3


def test_a_lively_model_gives_outputs_of_varied_length(tmp_path: Path):
    directory = build_tiny_marian(tmp_path / "opus-mt-nl-en", default_texts(), lively=True)
    tokenizer = MarianTokenizer.from_pretrained(directory)
    model = MarianMTModel.from_pretrained(directory)
    assert model.generation_config.min_new_tokens is None
    sentences = [s for s in " ".join(default_texts()[:2]).split(". ") if s.strip()][:20]
    lengths = set()
    for sentence in sentences:
        batch = tokenizer([sentence], return_tensors="pt", truncation=True)
        lengths.add(model.generate(**batch, max_new_tokens=24, num_beams=1).shape[1])
    assert len(lengths) >= 3
    assert 1 + 24 in lengths  # some run to the limit


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
    assert config.vocab_size == len(tokenizer) - 1  # no embedding row for <mask>
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
    for name in ("pytorch_model.bin", "vocab.json", "source.spm", "target.spm", "config.json"):
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


def test_a_configured_tc_big_model_is_built_in_its_own_layout(tmp_path: Path):
    data = load_config().model_dump(mode="json")
    data["summary"]["method"] = "extractive"
    data["translation"]["models"] = {
        "nb": {"id": "Helsinki-NLP/opus-mt-tc-big-gmq-en"},
        "nl": {"id": "Helsinki-NLP/opus-mt-nl-en"},
    }
    built = build_tiny_models(parse_config(data), tmp_path)
    assert [p.name for p in built] == ["opus-mt-nl-en", "opus-mt-tc-big-gmq-en"]
    big = json.loads((tmp_path / "opus-mt-tc-big-gmq-en" / "config.json").read_text())
    base = json.loads((tmp_path / "opus-mt-nl-en" / "config.json").read_text())
    assert (big["eos_token_id"], big["activation_function"], big["torch_dtype"]) == (
        41977,
        "relu",
        "float16",
    )
    assert (base["eos_token_id"], base["activation_function"], base["torch_dtype"]) == (
        0,
        "swish",
        "float32",
    )
