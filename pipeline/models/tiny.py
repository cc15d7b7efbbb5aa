"""Tiny random-weight models laid out like their real hub repositories, for tests and dry runs.

``briefing models tiny DIR`` (and the test suite) builds one directory per configured model
under ``DIR/<name after the slash>`` — the same names as the real models — so that
``BRIEFING_MODELS_DIR=DIR`` makes the whole pipeline run with them, offline, in seconds.

Each model family is built in the layout of its real repository (:func:`layout_for` picks
it by name; docs/models.md has the table of what is and is not the same), because the code
that loads a model meets the repository's files, not a convenient copy:

* opus-mt (``Helsinki-NLP/opus-mt-xx-en``): ``pytorch_model.bin`` only (float32), a
  ``source.spm`` and a *different* ``target.spm`` beside one joint ``vocab.json``
  (``</s>`` = 0, ``<unk>`` = 1, ``<pad>`` last), a ``tokenizer_config.json`` with only
  ``source_lang``/``target_lang``, no ``special_tokens_map.json``, swish, 8 heads, 512
  positions, and the generation config as the hub's conversion published it: the generation
  keys in ``config.json`` too, and in ``generation_config.json`` either ``num_beams: 6``
  without ``renormalize_logits`` or ``num_beams: 4`` with ``renormalize_logits: true``;
* opus-mt-tc-big (``Helsinki-NLP/opus-mt-tc-big-xx-en``): float16 weights, relu, 16 heads,
  an FFN four times the model width, 1024 positions, the real vocabulary size with ``</s>``
  in mid-vocabulary (tc-big-gmq-en: 54,765 entries, ``</s>`` = 41,977, ``<pad>`` = 54,764),
  the full tokenizer config and a ``special_tokens_map.json``;
* distilbart-cnn (``sshleifer/distilbart-cnn-12-6``): ``pytorch_model.bin``, ``vocab.json``
  + ``merges.txt``, ``tokenizer_config.json`` = ``{"model_max_length": 1024}``, no
  ``generation_config.json`` (its generation keys — min_length 56, max_length 142,
  length_penalty 2.0, no_repeat_ngram_size 3, early_stopping, num_beams 4, prefix " " —
  live in ``config.json``), and a ``vocab_size`` one less than the tokenizer has entries:
  ``<mask>`` has no row in the embedding, as in the real model.

What is not real: the sizes (a few layers of width 32-64, a vocabulary trained on the
sample texts) and the weights, which are random, so the output is word salad and never a
translation or a summary. Each directory carries ``briefing-tiny.json`` (see
:data:`TINY_MARKER`) so that a briefing made with them can say so.

Short, non-empty output, deterministically: a randomly initialised decoder has near-equal
logits for every token, so it would either stop at once (an empty string) or never stop.
The builders set ``final_logits_bias`` (a real buffer of Marian and BART, saved with the
weights) to :data:`EOS_BIAS` for ``</s>`` and :data:`SUPPRESSED_BIAS` for ``<pad>``/``<unk>``.
A Marian model gets ``min_new_tokens`` = :data:`TINY_MIN_NEW_TOKENS` in its generation config
(the one key the real repositories lack), so ``generate`` emits exactly that many tokens
and ``</s>``; the summariser needs no such key, its real ``min_length`` does the same. A
*lively* model (``lively=True``) has neither: scaled weights and a moderate ``</s>`` bias
(:data:`LIVELY_EOS_BIAS`) make its outputs vary in length, and some run to their length
limit: what the engines must agree on.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.config.schema import BriefingConfig

TINY_MARKER = "briefing-tiny.json"
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
EOS_BIAS = 50.0  # added to the logit of </s>: chosen as soon as min_new_tokens allows
SUPPRESSED_BIAS = -50.0  # added to the logits of <pad> and <unk>: never chosen
TINY_MIN_NEW_TOKENS = 8  # tokens a tiny Marian model generates unless told otherwise
# A lively model: embeddings x10 (logits far from uniform), the decoder's feed-forward and
# cross-attention outputs x300 (so each step's state depends on the source and the step,
# not mostly on the previous token, which tied embeddings would make it repeat), and a
# </s> bias that lets </s> win at some steps of some sentences.
LIVELY_EMBEDDING_SCALE = 10.0
LIVELY_DECODER_SCALE = 300.0
LIVELY_EOS_BIAS = 3.0

# Characters every tiny tokenizer knows even when the training text lacks them.
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
    ".,;:!?'\"()[]-–—/&%€$@#*+=<> "
    "àáâäãåæçèéêëìíîïñòóôöõøœùúûüýÿß ÀÁÂÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖØŒÙÚÛÜÝ «»“”‘’…"
)
_SAMPLE_SENTENCE = "De NAVO wil een verbindingskantoor in Tokio openen."
SOURCE_SPM_SIZE = 800  # pieces of a tiny source.spm
TARGET_SPM_SIZE = 600  # pieces of a tiny target.spm (another size: another model)

# Helsinki-NLP/opus-mt-nl-en (and the other opus-mt "base" models): for benchmarks.
OPUS_MT_ARCH = {
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512,
}
OPUS_MT_NL_EN_VOCAB = 67_028  # vocab_size in opus-mt-nl-en's config.json
# Helsinki-NLP/opus-mt-tc-big-gmq-en's config.json: transformer-big.
TC_BIG_ARCH = {
    "d_model": 1024,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
}
TC_BIG_GMQ_EN_VOCAB = 54_765
TC_BIG_GMQ_EN_EOS = 41_977


@dataclass(frozen=True)
class MarianLayout:
    """What differs between opus-mt repositories, as their files say."""

    family: str
    arch: Mapping[str, int]
    activation: str
    dtype: str  # of the saved weights: float32 | float16
    num_beams: int  # generation_config.json as published
    renormalize_logits: bool  # published with the key (true) or without it
    vocab_size: int | None = None  # the real vocabulary size, or None: as trained
    eos_id: int = 0  # where </s> sits in vocab.json
    full_tokenizer_config: bool = False  # tc-big: every key, and special_tokens_map.json
    notes: tuple[str, ...] = field(default=())


# Tiny shapes: the real head counts, activations and position limits, widths of 32-64.
_BASE_TINY = {
    "d_model": 32,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 128,
    "decoder_ffn_dim": 128,
    "max_position_embeddings": 512,
}
_BIG_TINY = {
    "d_model": 64,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 256,
    "decoder_ffn_dim": 256,
    "max_position_embeddings": 1024,
}
# Two forms of opus-mt's generation_config.json are on the hub: the conversion's
# (num_beams 6, no renormalize_logits; opus-mt-nl-en and most others) and the one some
# repositories got later (num_beams 4, renormalize_logits true).
OPUS_MT_BASE = MarianLayout(
    family="opus-mt",
    arch=_BASE_TINY,
    activation="swish",
    dtype="float32",
    num_beams=6,
    renormalize_logits=False,
)
OPUS_MT_BASE_RENORMALISED = replace(OPUS_MT_BASE, num_beams=4, renormalize_logits=True)
OPUS_MT_TC_BIG = MarianLayout(
    family="opus-mt-tc-big",
    arch=_BIG_TINY,
    activation="relu",
    dtype="float16",
    num_beams=4,
    renormalize_logits=False,
    vocab_size=TC_BIG_GMQ_EN_VOCAB,
    eos_id=TC_BIG_GMQ_EN_EOS,
    full_tokenizer_config=True,
)
# Which tiny model gets which published generation config: both forms are tested.
_RENORMALISED_NAMES = {"opus-mt-it-en"}


def layout_for(name: str) -> MarianLayout:
    """The layout of the real repository ``name`` (the part after the slash)."""
    if name.startswith("opus-mt-tc-big"):
        return OPUS_MT_TC_BIG
    if name in _RENORMALISED_NAMES:
        return OPUS_MT_BASE_RENORMALISED
    return OPUS_MT_BASE


def default_texts() -> list[str]:
    """The sample corpus shipped with the project (``samples/*.txt``)."""
    paths = sorted(SAMPLES_DIR.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no sample texts (*.txt) in {SAMPLES_DIR}")
    return [p.read_text(encoding="utf-8") for p in paths]


def is_tiny(directory: Path) -> bool:
    """Whether ``directory`` holds a model made by this module."""
    return (Path(directory) / TINY_MARKER).is_file()


def _training_lines(texts: Iterable[str]) -> list[str]:
    lines = [line.strip() for text in texts for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("tiny models need some non-empty training text")
    return [*lines, _ALPHABET]


# --------------------------------------------------------------------------------------------
# Writing a directory safely
# --------------------------------------------------------------------------------------------


def _staging_dir(dest: Path) -> Path:
    """A fresh directory beside ``dest``; it replaces ``dest`` once complete."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and not dest.is_dir():
        raise FileExistsError(f"{dest} exists and is not a directory")
    if dest.is_dir() and any(dest.iterdir()) and not is_tiny(dest):
        raise FileExistsError(
            f"{dest} already holds something that is not a tiny model; "
            "refusing to overwrite it (a real model, perhaps)"
        )
    return Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))


def _install(staging: Path, dest: Path) -> Path:
    staging.chmod(0o755)  # mkdtemp made it private
    if dest.exists():
        shutil.rmtree(dest)
    staging.rename(dest)
    return dest


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """No progress bars or generation warnings while building (a tiny save is instant)."""
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    verbosity = hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


def _write_json(path: Path, data: object, *, indent: int | None = 2) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    path.write_text(text + ("\n" if indent else ""), encoding="utf-8")


def _write_marker(directory: Path, model_id: str | None, kind: str, **facts: object) -> None:
    _write_json(
        directory / TINY_MARKER,
        {
            "tiny": True,
            "built_from": model_id,
            "kind": kind,
            "note": "random weights: output is not a translation",
            **facts,
        },
    )


def _save_weights(model, staging: Path, dtype: str) -> None:
    """``pytorch_model.bin`` (what the real repositories have on main), in ``dtype``, and
    ``config.json``. ``save_pretrained`` writes only safetensors."""
    import torch

    model.to({"float16": torch.float16, "float32": torch.float32}[dtype])
    # Tied weights (embeddings, output projection) share one storage, saved once.
    torch.save(model.state_dict(), staging / "pytorch_model.bin")
    model.config.save_pretrained(staging)
    config = json.loads((staging / "config.json").read_text(encoding="utf-8"))
    config["torch_dtype"] = dtype  # the key the real (older) configs carry
    config["dtype"] = dtype
    _write_json(staging / "config.json", config)


def _update_config(staging: Path, keys: Mapping[str, object]) -> None:
    """Keys that transformers no longer keeps on a model config (generation settings)
    but that the real ``config.json`` has, written into the file itself."""
    config = json.loads((staging / "config.json").read_text(encoding="utf-8"))
    config.update(keys)
    _write_json(staging / "config.json", dict(sorted(config.items())))


# --------------------------------------------------------------------------------------------
# MarianMT (opus-mt)
# --------------------------------------------------------------------------------------------


def _train_sentencepiece(lines: Sequence[str], vocab_size: int) -> bytes:
    """A unigram SentencePiece model like opus-mt's ``source.spm``, as bytes (written in
    memory, so no temporary path ends up in it and the same text gives the same bytes)."""
    import io

    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a small text gives a smaller vocabulary, not an error
        character_coverage=1.0,
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def _pieces(spm_model: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _marian_vocab(
    source_spm: bytes,
    target_spm: bytes | None = None,
    size: int | None = None,
    eos_id: int = 0,
) -> dict[str, int]:
    """opus-mt's joint ``vocab.json``: the pieces of both SentencePiece models, ``</s>`` at
    ``eos_id`` (0 in the base models), ``<unk>``, ``<pad>`` last.

    ``size`` pads the vocabulary with filler pieces (``▁<filler-N>``, never produced by the
    SentencePiece models) up to that many entries: a tokenizer trained on a small text can't
    reach opus-mt's ~60k pieces, but a benchmark needs its embedding and softmax sizes, and
    tc-big's ``</s>`` sits at 41,977.
    """
    pieces = _pieces(source_spm) + (_pieces(target_spm) if target_spm else [])
    ordered = ["<unk>"] + [p for p in dict.fromkeys(pieces) if p not in ("<unk>", "</s>", "<pad>")]
    total = max(size or 0, len(ordered) + 2, eos_id + 2)
    vocab: dict[str, int] = {}
    queue = iter(ordered)
    for index in range(total - 1):
        if index == eos_id:
            vocab["</s>"] = index
            continue
        piece = next(queue, None)
        vocab[piece if piece is not None else f"\u2581<filler-{index}>"] = index
    if next(queue, None) is not None:
        raise ValueError(f"{len(ordered) + 2} pieces do not fit in a vocabulary of {size}")
    vocab["<pad>"] = total - 1
    return vocab


def _languages_from_name(name: str) -> tuple[str, str]:
    """``opus-mt-nl-en`` -> (nl, en); ``opus-mt-tc-big-gmq-en`` -> (gmq, en)."""
    parts = name.split("-")
    if len(parts) >= 2 and all(p.isalpha() and 2 <= len(p) <= 3 for p in parts[-2:]):
        return parts[-2], parts[-1]
    return "xx", "en"


def _marian_tokenizer_files(
    staging: Path, layout: MarianLayout, source_lang: str, target_lang: str
) -> None:
    if not layout.full_tokenizer_config:
        # opus-mt base: 42 bytes, the two languages and nothing else.
        _write_json(
            staging / "tokenizer_config.json",
            {"target_lang": target_lang, "source_lang": source_lang},
            indent=None,
        )
        return
    _write_json(
        staging / "tokenizer_config.json",
        {
            "source_lang": source_lang,
            "target_lang": target_lang,
            "unk_token": "<unk>",
            "eos_token": "</s>",
            "pad_token": "<pad>",
            "model_max_length": 512,
            "sp_model_kwargs": {},
            "separate_vocabs": False,
            "special_tokens_map_file": None,
            "tokenizer_class": "MarianTokenizer",
        },
        indent=None,
    )
    _write_json(
        staging / "special_tokens_map.json",
        {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"},
        indent=None,
    )


def _build_marian_from_spm(
    dest: Path,
    source_spm: bytes,
    target_spm: bytes,
    *,
    seed: int,
    model_id: str | None,
    source_lang: str,
    target_lang: str,
    layout: MarianLayout = OPUS_MT_BASE,
    arch: Mapping[str, int] | None = None,
    model_vocab_size: int | None = None,
    min_new_tokens: int | None = TINY_MIN_NEW_TOKENS,
    lively: bool = False,
) -> Path:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    dest = Path(dest)
    staging = _staging_dir(dest)
    try:
        vocab = _marian_vocab(
            source_spm, target_spm, model_vocab_size or layout.vocab_size, layout.eos_id
        )
        eos, unk, pad = vocab["</s>"], vocab["<unk>"], vocab["<pad>"]
        (staging / "source.spm").write_bytes(source_spm)
        (staging / "target.spm").write_bytes(target_spm)
        _write_json(staging / "vocab.json", vocab)
        _marian_tokenizer_files(staging, layout, source_lang, target_lang)
        config = MarianConfig(
            vocab_size=len(vocab),
            decoder_vocab_size=len(vocab),
            pad_token_id=pad,
            decoder_start_token_id=pad,
            eos_token_id=eos,
            forced_eos_token_id=eos,
            bos_token_id=0,
            share_encoder_decoder_embeddings=True,
            scale_embedding=True,
            activation_function=layout.activation,
            static_position_embeddings=True,
            normalize_embedding=False,
            dropout=0.1,
            **{**layout.arch, **(arch or {})},
        )
        config.architectures = ["MarianMTModel"]
        # generation_config.json as the hub's conversion wrote it (plus the tiny key).
        published = {
            "bad_words_ids": [[pad]],
            "bos_token_id": 0,
            "decoder_start_token_id": pad,
            "eos_token_id": eos,
            "forced_eos_token_id": eos,
            "max_length": 512,
            "num_beams": layout.num_beams,
            "pad_token_id": pad,
        }
        if layout.renormalize_logits:
            published["renormalize_logits"] = True
        generation = GenerationConfig(**published)
        if min_new_tokens and not lively:
            generation.min_new_tokens = min_new_tokens
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = MarianMTModel(config)
        model.generation_config = generation
        if lively:
            with torch.no_grad():
                model.model.shared.weight.mul_(LIVELY_EMBEDDING_SCALE)
                for layer in model.model.decoder.layers:
                    layer.fc2.weight.mul_(LIVELY_DECODER_SCALE)
                    layer.encoder_attn.out_proj.weight.mul_(LIVELY_DECODER_SCALE)
            _set_biases(model, eos=eos, suppressed=[pad, unk], eos_bias=LIVELY_EOS_BIAS)
        else:
            _set_biases(model, eos=eos, suppressed=[pad, unk])
        with _quiet_transformers():
            _save_weights(model, staging, layout.dtype)
            generation.save_pretrained(staging)
            # The real config.json carries the generation keys as well (older transformers
            # kept them there); transformers reads generation_config.json first.
            _update_config(
                staging,
                {k: v for k, v in published.items() if k != "renormalize_logits"},
            )
            _write_marker(staging, model_id, "marian", family=layout.family, lively=lively)
            _check_marian(staging, lively, generation.min_new_tokens or TINY_MIN_NEW_TOKENS)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _install(staging, dest)


def _set_biases(model, *, eos: int, suppressed: Sequence[int], eos_bias: float = EOS_BIAS) -> None:
    import torch

    with torch.no_grad():
        model.final_logits_bias[0, eos] = eos_bias
        for token_id in suppressed:
            model.final_logits_bias[0, token_id] = SUPPRESSED_BIAS


def _check_marian(
    directory: Path, lively: bool = False, min_new_tokens: int = TINY_MIN_NEW_TOKENS
) -> None:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(directory)
    model = MarianMTModel.from_pretrained(directory, dtype=torch.float32)
    batch = tokenizer([_SAMPLE_SENTENCE], return_tensors="pt")
    output = model.generate(**batch, max_new_tokens=2 * min_new_tokens, num_beams=2)
    text = tokenizer.decode(output[0], skip_special_tokens=True)
    if not lively and not text.strip():
        raise RuntimeError(f"tiny Marian model in {directory} generated an empty output")


def build_tiny_marian(
    dest: Path,
    texts: Sequence[str],
    *,
    seed: int = 0,
    vocab_size: int = SOURCE_SPM_SIZE,
    model_id: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    layout: MarianLayout | None = None,
    arch: Mapping[str, int] | None = None,
    model_vocab_size: int | None = None,
    min_new_tokens: int | None = TINY_MIN_NEW_TOKENS,
    lively: bool = False,
) -> Path:
    """A random-weight MarianMT model in the layout of the opus-mt repository named like
    ``dest`` (:func:`layout_for`, or ``layout``), tokenizers trained on ``texts``.

    Languages default to the last two parts of ``dest``'s name (``opus-mt-nl-en`` -> nl,
    en). Returns ``dest``. ``lively`` makes outputs vary in length (see the module's doc).

    The optional sizes are for benchmarks, which need a model as big as the real one:
    ``arch`` overrides the tiny layer sizes (:data:`OPUS_MT_ARCH`, :data:`TC_BIG_ARCH`),
    ``model_vocab_size`` pads ``vocab.json`` with filler pieces up to the real embedding and
    softmax size, and ``min_new_tokens`` sets how many tokens every output has before ``</s>``.
    """
    dest = Path(dest)
    guessed = _languages_from_name(dest.name)
    lines = _training_lines(texts)
    return _build_marian_from_spm(
        dest,
        _train_sentencepiece(lines, vocab_size),
        _train_sentencepiece(lines, max(100, vocab_size * 3 // 4)),
        seed=seed,
        model_id=model_id,
        source_lang=source_lang or guessed[0],
        target_lang=target_lang or guessed[1],
        layout=layout or layout_for(dest.name),
        arch=arch,
        model_vocab_size=model_vocab_size,
        min_new_tokens=min_new_tokens,
        lively=lively,
    )


# --------------------------------------------------------------------------------------------
# BART (distilbart-cnn)
# --------------------------------------------------------------------------------------------

_BART_ARCH = {
    "d_model": 32,
    "encoder_layers": 2,  # distilbart-cnn-12-6: twice as many encoder as decoder layers
    "decoder_layers": 1,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 128,
    "decoder_ffn_dim": 128,
    "max_position_embeddings": 1024,
}
# sshleifer/distilbart-cnn-12-6's config.json: its generation settings (no
# generation_config.json in the repository).
DISTILBART_GENERATION = {
    "early_stopping": True,
    "length_penalty": 2.0,
    "max_length": 142,
    "min_length": 56,
    "no_repeat_ngram_size": 3,
    "num_beams": 4,
    "prefix": " ",
}


def build_tiny_summarizer(
    dest: Path,
    texts: Sequence[str],
    *,
    seed: int = 0,
    vocab_size: int = 1000,
    model_id: str | None = None,
) -> Path:
    """A random-weight BART summariser in the distilbart-cnn layout, with a byte-level BPE
    tokenizer trained on ``texts`` (``<s>``=0, ``<pad>``=1, ``</s>``=2, ``<unk>``=3,
    ``<mask>`` last, as in BART) and a model ``vocab_size`` one less (no row for
    ``<mask>``, as in distilbart-cnn-12-6: 50,264 against 50,265). Returns ``dest``."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration

    dest = Path(dest)
    staging = _staging_dir(dest)
    try:
        bpe = ByteLevelBPETokenizer(add_prefix_space=False)
        bpe.train_from_iterator(
            _training_lines(texts),
            vocab_size=vocab_size,
            min_frequency=1,
            show_progress=False,
            special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
        )
        bpe.add_special_tokens(["<mask>"])
        bpe.save_model(str(staging))  # vocab.json (with <mask> appended) + merges.txt
        vocab = json.loads((staging / "vocab.json").read_text(encoding="utf-8"))
        if "<mask>" not in vocab:
            vocab["<mask>"] = len(vocab)
            _write_json(staging / "vocab.json", vocab)
        if vocab["<mask>"] != len(vocab) - 1:
            raise RuntimeError("tiny BART vocabulary: <mask> is not the last entry")
        bos, pad, eos, unk = vocab["<s>"], vocab["<pad>"], vocab["</s>"], vocab["<unk>"]
        _write_json(staging / "tokenizer_config.json", {"model_max_length": 1024}, indent=None)
        config = BartConfig(
            vocab_size=len(vocab) - 1,  # <mask> has no embedding row, as in distilbart
            bos_token_id=bos,
            pad_token_id=pad,
            eos_token_id=eos,
            decoder_start_token_id=eos,
            forced_bos_token_id=bos,
            forced_eos_token_id=eos,
            activation_function="gelu",
            scale_embedding=False,
            **_BART_ARCH,
        )
        config.architectures = ["BartForConditionalGeneration"]
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = BartForConditionalGeneration(config)
        _set_biases(model, eos=eos, suppressed=[pad, unk])
        with _quiet_transformers():
            _save_weights(model, staging, "float32")
            _update_config(
                staging,
                {
                    **DISTILBART_GENERATION,
                    "forced_bos_token_id": bos,
                    "forced_eos_token_id": eos,
                    "decoder_start_token_id": eos,
                },
            )
            (staging / "generation_config.json").unlink(missing_ok=True)
            _write_marker(staging, model_id, "bart", family="distilbart-cnn")
            _check_summarizer(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _install(staging, dest)


def _check_summarizer(directory: Path) -> None:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(directory)
    model = AutoModelForSeq2SeqLM.from_pretrained(directory)
    batch = tokenizer(["NATO plans a liaison office in Tokyo."], return_tensors="pt")
    output = model.generate(
        **batch, max_new_tokens=2 * TINY_MIN_NEW_TOKENS, min_new_tokens=4, num_beams=2
    )
    text = tokenizer.decode(output[0], skip_special_tokens=True)
    if not text.strip():
        raise RuntimeError(f"tiny summariser in {directory} generated an empty output")


# --------------------------------------------------------------------------------------------
# All configured models
# --------------------------------------------------------------------------------------------


def build_tiny_models(
    config: BriefingConfig, dest: Path, texts: Sequence[str] | None = None, *, seed: int = 0
) -> list[Path]:
    """One tiny model per distinct configured model, in ``dest/<name after the slash>``.

    Marian for every ``translation.models`` entry, BART for ``summary.model`` when
    ``summary.method`` is ``abstractive``. ``texts`` defaults to the sample corpus. The
    SentencePiece models are trained once and shared by all Marian models. Returns the
    directories in a stable order (translation models first, then the summariser).
    """
    dest = Path(dest)
    texts = list(texts) if texts is not None else default_texts()
    marian = {spec.id: spec for spec in config.translation.models.values()}
    summarizer = config.summary.model if config.summary.method == "abstractive" else None

    names: dict[str, str] = {}
    for spec in [*marian.values(), *([summarizer] if summarizer else [])]:
        other = names.setdefault(spec.name, spec.id)
        if other != spec.id:
            raise ValueError(
                f"models {other!r} and {spec.id!r} would share the directory {spec.name!r}"
            )
    if summarizer is not None and summarizer.id in marian:
        raise ValueError(f"{summarizer.id!r} is configured both as translator and summariser")

    built: list[Path] = []
    lines = _training_lines(texts)
    source_spm = _train_sentencepiece(lines, SOURCE_SPM_SIZE) if marian else b""
    target_spm = _train_sentencepiece(lines, TARGET_SPM_SIZE) if marian else b""
    for spec in sorted(marian.values(), key=lambda s: s.id):
        source_lang, target_lang = _languages_from_name(spec.name)
        built.append(
            _build_marian_from_spm(
                dest / spec.name,
                source_spm,
                target_spm,
                seed=seed,
                model_id=spec.id,
                source_lang=source_lang,
                target_lang=target_lang,
                layout=layout_for(spec.name),
            )
        )
    if summarizer is not None:
        built.append(
            build_tiny_summarizer(dest / summarizer.name, texts, seed=seed, model_id=summarizer.id)
        )
    return built
