"""``engine: ctranslate2``: the same translation, run by CTranslate2 (optional extra ``[ct2]``).

CTranslate2 is a C++ inference engine for Transformer models. It is the outside reference
for the speed of :class:`pipeline.translation.engine.MarianTranslator`, and an engine in its own
right. Everything around the model (normalisation, repeated sentences translated once,
splitting of over-long sentences, length-sorted batches, results in input order) is
:class:`~pipeline.translation.engine.SentenceTranslator`'s, shared with the transformers engine;
this module only converts the model and runs batches.

The model is converted once with CTranslate2's ``TransformersConverter`` into a cache
directory (``$BRIEFING_CACHE_DIR/ct2``, else ``$XDG_CACHE_HOME/briefing/ct2``, else
``~/.cache/briefing/ct2``) under a name made of the model's name, a fingerprint of its
files (the resolved revision, ``config.json`` and the weights' sizes and modification
times) and the quantisation, so a changed model is converted again and an unchanged one
never is. The conversion is written into a temporary directory beside the final one and
renamed into place: a crash or a concurrent conversion never leaves a half-written model
where a later run would load it.

The confidence is CTranslate2's hypothesis score with ``return_scores``: the sum of the
token log-probabilities (``</s>`` included) divided by ``length ** length_penalty``, which
for the usual ``length_penalty`` of 1 is exactly the transformers engine's mean token
log-probability.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.storage.cache import cache_dir
from pipeline.translation.engine import (
    EngineSettings,
    SentenceTranslator,
    TranslationError,
    physical_cores,
)
from pipeline.translation.search import supported

INSTALL_HINT = 'pip install -e ".[ct2]"'

# Our precision -> (CTranslate2 quantisation at conversion, compute type at load).
_CT2_TYPES = {
    "float32": (None, "float32"),
    "int8": ("int8", "int8"),
    "float16": ("float16", "float16"),
    "bfloat16": ("bfloat16", "bfloat16"),
}
_WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")


def import_ctranslate2():
    """The ``ctranslate2`` module, or a TranslationError that says how to install it."""
    try:
        import ctranslate2
    except ImportError as error:
        raise TranslationError(
            "engine: ctranslate2 needs the ctranslate2 package, which is not installed; "
            f"install it with: {INSTALL_HINT}"
        ) from error
    return ctranslate2


def cache_root() -> Path:
    """Where converted models are kept (read from the environment at call time)."""
    return cache_dir() / "ct2"


def fingerprint(model_dir: Path, revision: str | None = None) -> str:
    """A short hash that changes whenever the model's files do."""
    digest = hashlib.sha256()
    digest.update((revision or "").encode())
    config = Path(model_dir) / "config.json"
    digest.update(config.read_bytes() if config.is_file() else b"")
    for name in sorted(os.listdir(model_dir)):
        if name.startswith(_WEIGHT_FILES) or name.endswith((".safetensors", ".bin")):
            stat = (Path(model_dir) / name).stat()
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def converted_model(
    model_dir: Path,
    quantization: str | None,
    revision: str | None = None,
    cache_dir: Path | None = None,
) -> tuple[Path, bool]:
    """The CTranslate2 conversion of ``model_dir``, made once and cached. Returns the
    directory and whether this call converted it (False: it was in the cache)."""
    import_ctranslate2()
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    name = f"{Path(model_dir).name}-{fingerprint(model_dir, revision)}-{quantization or 'float32'}"
    final = root / name
    if (final / "model.bin").is_file():
        return final, False
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        from ctranslate2.converters import TransformersConverter

        converter = TransformersConverter(str(model_dir))
        converter.convert(str(staging), quantization=quantization, force=True)
        staging.chmod(0o755)
        try:
            staging.rename(final)
        except OSError:
            if not (final / "model.bin").is_file():  # not a concurrent conversion: an error
                raise
            shutil.rmtree(staging, ignore_errors=True)
            return final, False
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final, True


class CTranslate2Translator(SentenceTranslator):
    """``engine: ctranslate2``: the model converted for, and run by, CTranslate2."""

    engine = "ctranslate2"

    def __init__(
        self,
        model_dir: Path,
        settings: EngineSettings | None = None,
        model_id: str | None = None,
        revision: str | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.converted_now = False
        super().__init__(model_dir, settings, model_id=model_id, revision=revision)

    def _load(self) -> None:
        from transformers import AutoConfig, GenerationConfig

        ctranslate2 = import_ctranslate2()
        quantization, compute_type = _CT2_TYPES[self.settings.precision]
        self.config = AutoConfig.from_pretrained(str(self.model_dir))
        try:
            generation = GenerationConfig.from_pretrained(str(self.model_dir))
        except OSError:
            generation = GenerationConfig.from_model_config(self.config)
        # What the transformers engine's search obeys, CTranslate2 is told: a minimum
        # length, banned tokens, the length penalty (generate()'s defaults otherwise).
        self.rules = supported(generation)
        self.path, self.converted_now = converted_model(
            self.model_dir, quantization, self.revision, self.cache_dir
        )
        threads = self.settings.threads or physical_cores()
        # Batches run side by side as in the transformers engine: one CTranslate2 replica
        # per worker (they share the weights), each on its share of the threads.
        self.translator = ctranslate2.Translator(
            str(self.path),
            device=self.device.type,
            compute_type=compute_type,
            intra_threads=max(1, threads // self.workers) if self.device.type == "cpu" else 0,
            inter_threads=self.workers,
        )
        pad = self.tokenizer.pad_token
        banned = self.rules.banned if self.rules is not None else ()
        # The converter drops <pad> from the vocabulary (it can never be generated).
        self._suppress = [
            [token] for token in self.tokenizer.convert_ids_to_tokens(list(banned)) if token != pad
        ]

    def _max_positions(self) -> int:
        return int(getattr(self.config, "max_position_embeddings", 512) or 512)

    def _generate(self, batch: list[str]) -> list[tuple[str, float]]:
        ids = [self.token_ids(p) for p in batch]
        source = [self.tokenizer.convert_ids_to_tokens(i) for i in ids]
        rules = self.rules
        length_penalty = rules.length_penalty if rules is not None else 1.0
        results = self.translator.translate_batch(
            source,
            beam_size=self.settings.num_beams,
            max_batch_size=0,  # the batch is already the engine's length-sorted batch
            # CTranslate2's limit is per batch; the longest piece's is the transformers
            # engine's limit for that piece, so no output is cut shorter than there.
            max_decoding_length=max(self.max_new_tokens(len(i)) for i in ids),
            min_decoding_length=rules.min_new_tokens if rules is not None else 0,
            length_penalty=length_penalty,
            suppress_sequences=self._suppress or None,
            return_scores=True,
        )
        out = []
        for result in results:
            tokens = result.hypotheses[0]
            token_ids = self.tokenizer.convert_tokens_to_ids(tokens)
            text = self.tokenizer.decode(token_ids, skip_special_tokens=True).strip()
            length = len(tokens) + 1  # + </s>, which CTranslate2 scores but does not return
            out.append((text, float(result.scores[0]) * length**length_penalty / length))
        return out
