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

The search follows the transformers engine's rules (``pipeline.translation.search``): the same bans
and minimum length, one length limit per sentence with ``</s>`` forced at it, and
log-probabilities renormalised after the bans (CTranslate2 always does: it drops ``<pad>``
from the vocabulary). The confidence is the mean token log-probability, ``</s>`` included,
recovered from CTranslate2's hypothesis score (``return_scores``: the sum divided by
``length ** length_penalty``). Greedy output is then the transformers engine's, tokens and
confidence; beam output is too, except where CTranslate2's stopping rule ends a search
sooner (see :meth:`CTranslate2Translator._search`).
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
        converter = _converter(str(model_dir))
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


def _converter(model_dir: str):
    """CTranslate2's converter, told that BART is post-norm: its BART loader reads
    ``config.normalize_before``, which transformers 5 configs no longer carry (the
    transformers BART layers are post-norm)."""
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            if model.config.model_type == "bart" and not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False
            return model

    return Converter(model_dir)


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
        """The batch with the transformers engine's limit for each piece. CTranslate2 takes
        one ``max_decoding_length`` per call, so the batch runs once with the largest limit;
        a piece whose search there went on to within a token of its own limit (or past
        it) runs again with its own: the first run is its result only where the search
        ended before its own limit could matter. Those reruns are rare with real models,
        whose outputs end well before the limit."""
        ids = [self.token_ids(p) for p in batch]
        limits = [self.max_new_tokens(len(i)) for i in ids]
        top = max(limits)
        out = self._search(ids, top)
        again = [
            row
            for row, (_, _, longest) in enumerate(out)
            if limits[row] < top and longest >= limits[row] - 1
        ]
        for limit in sorted({limits[row] for row in again}, reverse=True):
            rows = [row for row in again if limits[row] == limit]
            for row, result in zip(rows, self._search([ids[r] for r in rows], limit), strict=True):
                out[row] = result
        return [(text, confidence) for text, confidence, _ in out]

    def _search(self, ids: list[list[int]], limit: int) -> list[tuple[str, float, int]]:
        """Pieces with one limit (tokens, ``</s>`` included), as the transformers engine
        searches them: at the limit ``</s>`` is forced (probability 1), so CTranslate2 stops
        one token earlier and the ``</s>`` is added here with log-probability 0. Among the
        ``num_beams`` hypotheses CTranslate2 returns, the best by the transformers engine's
        score (sum of log-probabilities / length ** length_penalty, ``</s>`` counted) wins.
        Returns per piece (text, confidence, the longest hypothesis CTranslate2 returned, in
        tokens with ``</s>``: the search went on at least that far; ``limit`` means it was
        cut there).

        Beam search (``num_beams`` > 1) may still differ from the transformers engine on a
        sentence whose search ends before the limit: CTranslate2 stops once ``num_beams``
        hypotheses have finished, ``generate()`` (``early_stopping=False``) goes on while a
        running hypothesis could still beat the worst finished one (docs/models.md)."""
        rules = self.rules
        length_penalty = rules.length_penalty if rules is not None else 1.0
        forced = rules is None or rules.force_eos_last
        beams = self.settings.num_beams
        eos = self.tokenizer.eos_token
        results = self.translator.translate_batch(
            [self.tokenizer.convert_ids_to_tokens(i) for i in ids],
            beam_size=beams,
            num_hypotheses=beams,
            max_batch_size=0,  # the batch is already the engine's length-sorted batch
            max_decoding_length=limit - 1 if forced else limit,
            min_decoding_length=rules.min_new_tokens if rules is not None else 0,
            length_penalty=length_penalty,
            suppress_sequences=self._suppress or None,
            return_end_token=True,
            return_scores=True,
        )
        out = []
        for result in results:
            best: tuple[float, list[str], float] | None = None
            longest = 0
            for tokens, score in zip(result.hypotheses, result.scores, strict=True):
                # CTranslate2's score: the sum over its tokens / their count ** penalty.
                total = float(score) * max(1, len(tokens)) ** length_penalty
                if not tokens or tokens[-1] != eos:
                    tokens = [*tokens, eos]  # cut at the limit: </s> forced, log p = 0
                length = len(tokens)
                longest = max(longest, length)
                ranked = total / length**length_penalty
                if best is None or ranked > best[0]:
                    best = (ranked, tokens, total / length)
            if best is None:  # no hypothesis at all: nothing could be generated
                out.append(("", 0.0, limit))
                continue
            _, tokens, confidence = best
            token_ids = self.tokenizer.convert_tokens_to_ids(tokens)
            text = self.tokenizer.decode(token_ids, skip_special_tokens=True).strip()
            out.append((text, confidence, longest))
        return out
