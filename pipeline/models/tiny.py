"""Tiny random-weight models with the real file layout, for tests and offline dry runs.

``briefing models tiny DIR`` (and the test suite) builds one directory per configured model
under ``DIR/<name after the slash>`` — the same names as the real models — so that
``BRIEFING_MODELS_DIR=DIR`` makes the whole pipeline run with them, offline, in seconds.

What is real about them: the files (``config.json``, ``generation_config.json``,
``model.safetensors``, ``source.spm``/``target.spm``/``vocab.json``/``tokenizer_config.json``
for Marian; ``vocab.json``/``merges.txt``/``tokenizer_config.json``/``special_tokens_map.json``
for BART), the special-token ids and conventions of opus-mt and distilbart, and the classes
that load them (``MarianTokenizer``, ``MarianMTModel``, ``AutoTokenizer``,
``AutoModelForSeq2SeqLM``). What is not: the weights are random, so the output is word salad
and never a translation or a summary. Each directory carries ``briefing-tiny.json`` (see
:data:`TINY_MARKER`) so that a briefing made with them can say so.

Short, non-empty output, deterministically: a randomly initialised decoder has near-equal
logits for every token, so it would either stop at once (an empty string) or never stop
(``max_new_tokens`` of salad, slow in tests). The builders therefore set
``final_logits_bias`` (a real buffer of Marian and BART, saved with the weights) to
:data:`EOS_BIAS` for ``</s>`` and :data:`SUPPRESSED_BIAS` for ``<pad>``/``<unk>``, and put
``min_new_tokens`` = :data:`TINY_MIN_NEW_TOKENS` in ``generation_config.json``. ``generate``
then emits exactly ``min_new_tokens`` tokens and ``</s>``: the generation config's value, or
the caller's when it passes one (the summariser's ``min_new_tokens``). A caller that replaces
the whole generation config (``generate(generation_config=...)``) or another engine
(CTranslate2: set ``min_decoding_length``) must ask for a minimum length itself, or it
gets an empty string.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipeline.config.schema import BriefingConfig

TINY_MARKER = "briefing-tiny.json"
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
EOS_BIAS = 50.0  # added to the logit of </s>: chosen as soon as min_new_tokens allows
SUPPRESSED_BIAS = -50.0  # added to the logits of <pad> and <unk>: never chosen
TINY_MIN_NEW_TOKENS = 8  # tokens a tiny model generates unless told otherwise

# Characters every tiny tokenizer knows even when the training text lacks them.
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
    ".,;:!?'\"()[]-–—/&%€$@#*+=<> "
    "àáâäãåæçèéêëìíîïñòóôöõøœùúûüýÿß ÀÁÂÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖØŒÙÚÛÜÝ «»“”‘’…"
)
_SAMPLE_SENTENCE = "De NAVO wil een verbindingskantoor in Tokio openen."

_MARIAN_ARCH = {
    "d_model": 32,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 512,
}
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
_BART_ARCH = {
    "d_model": 32,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 1024,
}


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


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_marker(directory: Path, model_id: str | None, kind: str) -> None:
    _write_json(
        directory / TINY_MARKER,
        {
            "tiny": True,
            "built_from": model_id,
            "kind": kind,
            "note": "random weights: output is not a translation",
        },
    )


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


def _marian_vocab(spm_model: bytes, size: int | None = None) -> dict[str, int]:
    """opus-mt's ``vocab.json`` layout: ``</s>`` = 0, ``<unk>`` = 1, the pieces, ``<pad>`` last.

    ``size`` pads the vocabulary with filler pieces (``▁<filler-N>``, never produced by the
    SentencePiece model) up to that many entries: a tokenizer trained on a small text can't
    reach opus-mt's ~60k pieces, but a benchmark needs its embedding and softmax sizes.
    """
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_model)
    vocab = {"</s>": 0, "<unk>": 1}
    for index in range(processor.get_piece_size()):
        piece = processor.id_to_piece(index)
        if piece not in vocab and piece != "<pad>":
            vocab[piece] = len(vocab)
    if size is not None:
        while len(vocab) < size - 1:
            vocab[f"\u2581<filler-{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab


def _languages_from_name(name: str) -> tuple[str, str]:
    """``opus-mt-nl-en`` -> (nl, en); ``opus-mt-tc-big-gmq-en`` -> (gmq, en)."""
    parts = name.split("-")
    if len(parts) >= 2 and all(p.isalpha() and 2 <= len(p) <= 3 for p in parts[-2:]):
        return parts[-2], parts[-1]
    return "xx", "en"


def _build_marian_from_spm(
    dest: Path,
    spm_model: bytes,
    *,
    seed: int,
    model_id: str | None,
    source_lang: str,
    target_lang: str,
    arch: Mapping[str, int] | None = None,
    model_vocab_size: int | None = None,
    min_new_tokens: int = TINY_MIN_NEW_TOKENS,
) -> Path:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    dest = Path(dest)
    staging = _staging_dir(dest)
    try:
        vocab = _marian_vocab(spm_model, model_vocab_size)
        eos, unk, pad = vocab["</s>"], vocab["<unk>"], vocab["<pad>"]
        (staging / "source.spm").write_bytes(spm_model)
        (staging / "target.spm").write_bytes(spm_model)
        _write_json(staging / "vocab.json", vocab)
        _write_json(
            staging / "tokenizer_config.json",
            {
                "tokenizer_class": "MarianTokenizer",
                "source_lang": source_lang,
                "target_lang": target_lang,
                "model_max_length": 512,
                "separate_vocabs": False,
                "eos_token": "</s>",
                "unk_token": "<unk>",
                "pad_token": "<pad>",
            },
        )
        _write_json(
            staging / "special_tokens_map.json",
            {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"},
        )
        config = MarianConfig(
            vocab_size=len(vocab),
            decoder_vocab_size=len(vocab),
            pad_token_id=pad,
            decoder_start_token_id=pad,
            eos_token_id=eos,
            forced_eos_token_id=eos,
            bos_token_id=None,
            share_encoder_decoder_embeddings=True,
            scale_embedding=True,
            activation_function="swish",
            static_position_embeddings=True,
            dropout=0.1,
            **{**_MARIAN_ARCH, **(arch or {})},
        )
        config.architectures = ["MarianMTModel"]
        generation = GenerationConfig(
            bad_words_ids=[[pad]],
            decoder_start_token_id=pad,
            eos_token_id=eos,
            forced_eos_token_id=eos,
            pad_token_id=pad,
            max_length=512,
            min_new_tokens=min_new_tokens,
            num_beams=4,
            renormalize_logits=True,
        )
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = MarianMTModel(config)
        model.generation_config = generation
        _set_biases(model, eos=eos, suppressed=[pad, unk])
        with _quiet_transformers():
            model.save_pretrained(staging)
            _write_marker(staging, model_id, "marian")
            _check_marian(staging, min_new_tokens)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _install(staging, dest)


def _set_biases(model, *, eos: int, suppressed: Sequence[int]) -> None:
    import torch

    with torch.no_grad():
        model.final_logits_bias[0, eos] = EOS_BIAS
        for token_id in suppressed:
            model.final_logits_bias[0, token_id] = SUPPRESSED_BIAS


def _check_marian(directory: Path, min_new_tokens: int = TINY_MIN_NEW_TOKENS) -> None:
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(directory)
    model = MarianMTModel.from_pretrained(directory)
    batch = tokenizer([_SAMPLE_SENTENCE], return_tensors="pt")
    output = model.generate(**batch, max_new_tokens=2 * min_new_tokens, num_beams=2)
    text = tokenizer.decode(output[0], skip_special_tokens=True)
    if not text.strip():
        raise RuntimeError(f"tiny Marian model in {directory} generated an empty output")


def build_tiny_marian(
    dest: Path,
    texts: Sequence[str],
    *,
    seed: int = 0,
    vocab_size: int = 800,
    model_id: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    arch: Mapping[str, int] | None = None,
    model_vocab_size: int | None = None,
    min_new_tokens: int = TINY_MIN_NEW_TOKENS,
) -> Path:
    """A random-weight MarianMT model in the opus-mt layout, tokenizer trained on ``texts``.

    Source and target share one SentencePiece model (``source.spm`` = ``target.spm``) and
    one ``vocab.json``. Languages default to the last two parts of ``dest``'s name
    (``opus-mt-nl-en`` -> nl, en). Returns ``dest``.

    The optional sizes are for benchmarks, which need a model as big as the real one:
    ``arch`` overrides the tiny layer sizes (:data:`OPUS_MT_ARCH` is opus-mt's),
    ``model_vocab_size`` pads ``vocab.json`` with filler pieces up to the real embedding and
    softmax size, and ``min_new_tokens`` sets how many tokens every output has before ``</s>``.
    """
    dest = Path(dest)
    guessed = _languages_from_name(dest.name)
    spm_model = _train_sentencepiece(_training_lines(texts), vocab_size)
    return _build_marian_from_spm(
        dest,
        spm_model,
        seed=seed,
        model_id=model_id,
        source_lang=source_lang or guessed[0],
        target_lang=target_lang or guessed[1],
        arch=arch,
        model_vocab_size=model_vocab_size,
        min_new_tokens=min_new_tokens,
    )


# --------------------------------------------------------------------------------------------
# BART (distilbart-cnn)
# --------------------------------------------------------------------------------------------


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
    ``<mask>`` last, as in BART). Returns ``dest``."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig

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
        bos, pad, eos, unk = vocab["<s>"], vocab["<pad>"], vocab["</s>"], vocab["<unk>"]
        specials = {
            "bos_token": "<s>",
            "eos_token": "</s>",
            "unk_token": "<unk>",
            "sep_token": "</s>",
            "pad_token": "<pad>",
            "cls_token": "<s>",
            "mask_token": "<mask>",
        }
        _write_json(staging / "special_tokens_map.json", specials)
        _write_json(
            staging / "tokenizer_config.json",
            {
                "tokenizer_class": "BartTokenizer",
                "model_max_length": 1024,
                "add_prefix_space": False,
                "errors": "replace",
                **specials,
            },
        )
        config = BartConfig(
            vocab_size=len(vocab),
            bos_token_id=bos,
            pad_token_id=pad,
            eos_token_id=eos,
            decoder_start_token_id=eos,
            forced_bos_token_id=bos,
            forced_eos_token_id=eos,
            **_BART_ARCH,
        )
        config.architectures = ["BartForConditionalGeneration"]
        generation = GenerationConfig(
            bos_token_id=bos,
            decoder_start_token_id=eos,
            eos_token_id=eos,
            forced_bos_token_id=bos,
            forced_eos_token_id=eos,
            pad_token_id=pad,
            early_stopping=True,
            length_penalty=2.0,
            max_length=142,
            min_length=56,
            min_new_tokens=TINY_MIN_NEW_TOKENS,
            no_repeat_ngram_size=3,
            num_beams=4,
        )
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = BartForConditionalGeneration(config)
        model.generation_config = generation
        _set_biases(model, eos=eos, suppressed=[pad, unk])
        with _quiet_transformers():
            model.save_pretrained(staging)
            _write_marker(staging, model_id, "bart")
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
    output = model.generate(**batch, max_new_tokens=2 * TINY_MIN_NEW_TOKENS, num_beams=2)
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
    SentencePiece model is trained once and shared by all Marian models. Returns the
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
    spm_model = _train_sentencepiece(_training_lines(texts), 800) if marian else b""
    for spec in sorted(marian.values(), key=lambda s: s.id):
        source_lang, target_lang = _languages_from_name(spec.name)
        built.append(
            _build_marian_from_spm(
                dest / spec.name,
                spm_model,
                seed=seed,
                model_id=spec.id,
                source_lang=source_lang,
                target_lang=target_lang,
            )
        )
    if summarizer is not None:
        built.append(
            build_tiny_summarizer(dest / summarizer.name, texts, seed=seed, model_id=summarizer.id)
        )
    return built
