"""Sentence translation with MarianMT (Helsinki-NLP opus-mt models).

The engine keeps every output sentence paired with its source sentence. It:

* normalises punctuation with sacremoses first, as the opus-mt training data was;
* translates each distinct sentence once (boilerplate shared by sources costs nothing twice);
* sorts sentences by length and fills batches up to a token budget, so little padding is
  computed, then puts results back in source order;
* never truncates: a sentence longer than the model's input limit is split into pieces at
  clause or word boundaries, each piece translated, and the pieces joined;
* gives each sentence a confidence: the mean log-probability of its output tokens.

All of that lives in :class:`SentenceTranslator`, once. Two engines run the model:
:class:`MarianTranslator` (``engine: transformers``, the default and the reference: the
model as ``transformers`` loads it, searched by :mod:`pipeline.translation.search`, or by
``generate`` when the model's generation config needs it) and
:class:`pipeline.translation.ct2.CTranslate2Translator` (``engine: ctranslate2``, optional).
:func:`load_translator` picks one from :class:`EngineSettings`.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from sacremoses import MosesPunctNormalizer

from pipeline.errors import RunError
from pipeline.translation.base import ProgressCallback
from pipeline.types import TranslatedSegment

if TYPE_CHECKING:
    pass


ENGINES = ("transformers", "ctranslate2")
PRECISIONS = ("float32", "int8", "float16", "bfloat16")
DEVICES = ("auto", "cpu", "cuda")

# Room kept below the model's position limit for the end-of-sentence token.
_LENGTH_MARGIN = 8
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")
_ID_CACHE_LIMIT = 50_000  # token ids remembered per engine (sentences and split units)

# One CPU, one generation at a time: each already uses every thread it is given, and two at
# once (the flow translates sources in parallel threads) would only fight over the cores.
_CPU_LOCK = threading.Lock()


class TranslationError(RunError):
    """A model could not be loaded or run; the message says which and why."""


@dataclass(frozen=True)
class EngineSettings:
    """How a model is run. ``num_beams`` and ``precision`` change the output; the others
    only change the speed (and greedy batched output is token-identical to one at a time)."""

    num_beams: int = 4
    max_batch_tokens: int = 4096
    max_batch_sentences: int = 32
    device: str = "auto"  # auto | cpu | cuda
    precision: str = "float32"  # float32 | int8 (CPU) | float16 | bfloat16 (CUDA)
    threads: int | None = None  # CPU threads in all; None leaves torch's default
    engine: str = "transformers"  # transformers | ctranslate2
    # Batches decoded at once, each on threads // workers threads (CPU only). Small
    # matrix products and the search's many small operations use one core well and two
    # badly, so on a CPU two batches side by side beat one batch on two cores.
    workers: int = 1

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise TranslationError(f"unknown engine {self.engine!r}; use one of {ENGINES}")
        if self.precision not in PRECISIONS:
            raise TranslationError(f"unknown precision {self.precision!r}; use one of {PRECISIONS}")
        if self.device not in DEVICES:
            raise TranslationError(f"unknown device {self.device!r}; use one of {DEVICES}")
        if self.num_beams < 1 or self.max_batch_sentences < 1 or self.max_batch_tokens < 1:
            raise TranslationError("num_beams and the batch limits must be at least 1")
        if self.threads is not None and self.threads < 1:
            raise TranslationError("threads must be at least 1 (or None for torch's default)")
        if self.workers < 1:
            raise TranslationError("workers must be at least 1")


def pick_device(requested: str) -> torch.device:
    """``auto`` means CUDA when a GPU is present, else the CPU."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise TranslationError("device 'cuda' was asked for but no CUDA GPU is available")
    return torch.device(requested)


def check_precision(precision: str, device: torch.device, engine: str) -> None:
    """Refuse a precision the device can't run, before a model is loaded."""
    if precision in ("float16", "bfloat16") and device.type != "cuda":
        raise TranslationError(
            f"precision {precision} needs a CUDA GPU (device is {device.type}); on a CPU use "
            "float32, or int8 for speed"
        )
    if precision == "int8" and device.type != "cpu" and engine == "transformers":
        raise TranslationError(
            "precision int8 is dynamic quantisation, which PyTorch runs on the CPU only; on "
            "CUDA use float16 or bfloat16 (or engine: ctranslate2, which has int8 on CUDA)"
        )


def trim_heap() -> None:
    """Hand the heap memory that is free back to the system (glibc's ``malloc_trim``, every
    thread's arena): glibc keeps freed memory for reuse, so without it a process stays as
    large as its largest moment (a model's loading, a batch's activations). Milliseconds."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def physical_cores() -> int:
    """Physical cores this process may run on (hyper-threads share a core's arithmetic units,
    so matrix products gain nothing from them)."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        allowed = list(range(os.cpu_count() or 1))
    cores = set()
    for cpu in allowed:
        topology = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            package = (topology / "physical_package_id").read_text().strip()
            core = (topology / "core_id").read_text().strip()
        except OSError:
            return max(1, len(allowed))
        cores.add((package, core))
    return max(1, len(cores) or len(allowed))


def apply_threads(threads: int | None) -> None:
    """``torch.set_num_threads`` (process-wide: every model in the process shares it)."""
    if threads is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


class SentenceTranslator:
    """What every engine shares: normalise, deduplicate, split, batch, put back in order.

    An engine subclass loads its model in ``_load`` and translates one batch of pieces (each
    within :attr:`max_input_tokens`) in ``_generate``, returning ``(text, mean log-prob)``.
    """

    engine = "base"

    def __init__(
        self,
        model_dir: Path,
        settings: EngineSettings | None = None,
        model_id: str | None = None,
        revision: str | None = None,
    ) -> None:
        from transformers import MarianTokenizer

        self.model_dir = Path(model_dir)
        self.model_id = model_id or self.model_dir.name
        self.revision = revision
        self.settings = settings or EngineSettings()
        self.device = pick_device(self.settings.device)
        check_precision(self.settings.precision, self.device, self.engine)
        apply_threads(self.settings.threads)
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(str(self.model_dir))
            self._load()
        except TranslationError:
            raise
        except Exception as error:  # corrupt weights, missing files, wrong model type
            raise TranslationError(
                f"could not load translation model {self.model_id} from {self.model_dir}: {error}"
            ) from error
        self._normalizers: dict[str, MosesPunctNormalizer] = {}
        self._ids_cache: dict[str, list[int]] = {}
        self._lock = _CPU_LOCK if self.device.type == "cpu" else threading.Lock()
        positions = self._max_positions()
        tokenizer_limit = int(getattr(self.tokenizer, "model_max_length", positions) or positions)
        self.max_input_tokens = max(16, min(positions, tokenizer_limit) - _LENGTH_MARGIN)

    # -- engine interface -------------------------------------------------------------------

    def _load(self) -> None:
        raise NotImplementedError

    def _max_positions(self) -> int:
        raise NotImplementedError

    def _generate(self, batch: list[str]) -> list[tuple[str, float]]:
        raise NotImplementedError

    # -- public API -------------------------------------------------------------------------

    def translate(
        self,
        sentences: Sequence[str],
        source_language: str,
        progress: ProgressCallback | None = None,
    ) -> list[TranslatedSegment]:
        """Translate ``sentences`` into English; one result per input, in input order.

        ``source_language`` only picks the punctuation normaliser: one multilingual model
        (gmq-en for nb and nn) serves several languages.
        """
        normalised = [self.normalise(s, source_language) for s in sentences]
        distinct = list(dict.fromkeys(s for s in normalised if s))
        # Each distinct sentence becomes one or more pieces that fit the model.
        pieces_of = {s: self._fit(s) for s in distinct}
        pieces = list(dict.fromkeys(p for ps in pieces_of.values() for p in ps))
        done: dict[str, tuple[str, float]] = {}
        total = len(pieces)
        with self._lock:
            for batch, outputs in self._run(self._batches(pieces)):
                done.update(zip(batch, outputs, strict=True))
                if progress is not None:
                    progress(len(done), total)
        if len(self._ids_cache) > _ID_CACHE_LIMIT:
            self._ids_cache.clear()
        results = []
        for original, norm in zip(sentences, normalised, strict=True):
            if not norm:
                results.append(TranslatedSegment(source=original, translation="", confidence=None))
                continue
            parts = [done[p] for p in pieces_of[norm]]
            text = " ".join(t for t, _ in parts if t)
            confidence = sum(c for _, c in parts) / len(parts)
            results.append(
                TranslatedSegment(
                    source=original, translation=text, confidence=round(confidence, 4)
                )
            )
        return results

    def normalise(self, sentence: str, language: str) -> str:
        """Moses punctuation normalisation, as applied to opus-mt's training data."""
        normalizer = self._normalizers.get(language)
        if normalizer is None:
            normalizer = MosesPunctNormalizer(lang=_moses_language(language))
            self._normalizers[language] = normalizer
        return normalizer.normalize(sentence).strip()

    def token_ids(self, text: str) -> list[int]:
        """The model's input ids for ``text`` (``</s>`` included), tokenised once: fitting,
        batching and the model all ask for them.

        The text is only text: it goes through the source SentencePiece model alone, so a
        ``</s>``, ``<pad>``, ``<unk>`` or ``<mask>`` written in a source is a few pieces like
        any other word, never the special token (the tokenizer's own call would end the
        sentence at a literal ``</s>``), and a leading ``>>nob<<`` is not taken for a
        target-language code (every configured model translates into English only)."""
        ids = self._ids_cache.get(text)
        if ids is None:
            ids = text_token_ids(self.tokenizer, text)
            self._ids_cache[text] = ids
        return ids

    def token_count(self, text: str) -> int:
        return len(self.token_ids(text))

    def max_new_tokens(self, input_tokens: int) -> int:
        """Output tokens allowed for an input of ``input_tokens``: twice as many and 16 more,
        within the model's positions. A translation is never that much longer than its
        source; the bound only stops a model that loops."""
        return min(self.max_input_tokens + _LENGTH_MARGIN, 2 * input_tokens + 16)

    # -- internals --------------------------------------------------------------------------

    def _fit(self, sentence: str) -> list[str]:
        """Split a sentence that is too long for the model into pieces that fit; never cut."""
        if self.token_count(sentence) <= self.max_input_tokens:
            return [sentence]
        return split_to_fit(sentence, self.token_count, self.max_input_tokens)

    @property
    def workers(self) -> int:
        """Batches decoded side by side: the setting on a CPU, one on a GPU (its kernels
        queue on one stream anyway)."""
        return self.settings.workers if self.device.type == "cpu" else 1

    def _worker_threads(self) -> int | None:
        threads = self.settings.threads
        if self.workers == 1:
            return threads
        return max(1, (threads or torch.get_num_threads()) // self.workers)

    def _run(self, batches: list[list[str]]) -> Iterator[tuple[list[str], list]]:
        """Each batch with its outputs, as they are done: one after another, or with
        :attr:`workers` > 1 on that many threads (torch releases the GIL inside its
        operations), each with its share of the CPU threads."""
        if self.workers == 1 or len(batches) < 2:
            apply_threads(self.settings.threads)  # another model may have changed it
            for batch in batches:
                yield batch, self._generate(batch)
            return
        pool = _worker_pool(min(self.workers, len(batches)), self._worker_threads())
        futures = {pool.submit(self._generate, batch): batch for batch in batches}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()
            wait(futures)  # no batch is still running when the lock is let go

    def _batches(self, pieces: Sequence[str]) -> list[list[str]]:
        """Length-sorted batches within the token budget (longest first, to fail early).

        The budget counts padded source tokens (longest x sentences); with the output about
        as long as the input it also bounds the decoder's work and memory per step.
        """
        lengths = {p: self.token_count(p) for p in pieces}
        ordered = sorted(pieces, key=lambda p: lengths[p], reverse=True)
        batches: list[list[str]] = []
        current: list[str] = []
        longest = 0
        for piece in ordered:
            longest_if_added = max(longest, lengths[piece])
            too_many = len(current) + 1 > self.settings.max_batch_sentences
            too_big = longest_if_added * (len(current) + 1) > self.settings.max_batch_tokens
            if current and (too_many or too_big):
                batches.append(current)
                current, longest_if_added = [], lengths[piece]
            current.append(piece)
            longest = longest_if_added
        if current:
            batches.append(current)
        return _balanced(batches, ordered, lengths, self.workers, self.settings)


def _balanced(
    batches: list[list[str]],
    ordered: list[str],
    lengths: dict[str, int],
    workers: int,
    settings: EngineSettings,
) -> list[list[str]]:
    """With several workers, the same pieces in a multiple of ``workers`` batches of equal
    size, so no worker idles at the end while another decodes a full batch alone (99
    sentences in batches of 32 are 32+32+32+3: one worker would do two full batches).

    A decoding step costs about the same per row whatever the sentence, so equal batches
    are about equal work. They are cut from the same length-sorted order; each stays
    within both limits (a piece alone may exceed the token budget, as in ``_batches``),
    else more batches are tried, else the plain ones are kept.
    """
    if workers < 2 or len(ordered) < 2 * workers:
        return batches

    def fits(batch: list[str]) -> bool:
        if len(batch) > settings.max_batch_sentences:
            return False
        return len(batch) == 1 or lengths[batch[0]] * len(batch) <= settings.max_batch_tokens

    count = -(-len(batches) // workers) * workers
    while count <= len(ordered):
        size, extra = divmod(len(ordered), count)
        cut, start = [], 0
        for index in range(count):
            end = start + size + (1 if index < extra else 0)
            cut.append(ordered[start:end])
            start = end
        if all(fits(b) for b in cut):
            return cut
        count += workers
    return batches


_pools: dict[tuple[int, int | None], ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _worker_pool(workers: int, threads: int | None) -> ThreadPoolExecutor:
    """A pool of ``workers`` threads, each set to ``threads`` torch threads, kept for the
    process (the OpenMP thread teams behind each worker are then made once)."""
    key = (workers, threads)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = ThreadPoolExecutor(
                max_workers=workers,
                thread_name_prefix="briefing-translate",
                initializer=apply_threads,
                initargs=(threads,),
            )
            _pools[key] = pool
        return pool


def text_token_ids(tokenizer, text: str) -> list[int]:
    """A MarianTokenizer's input ids for ``text`` read as plain text, ``</s>`` appended
    (see :meth:`SentenceTranslator.token_ids`). For text without special-token strings
    these are the ids ``tokenizer(text)`` gives."""
    pieces = tokenizer.spm_source.encode(text, out_type=str)
    return [*tokenizer.convert_tokens_to_ids(pieces), tokenizer.eos_token_id]


def split_to_fit(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Split ``text`` into consecutive pieces of at most ``limit`` tokens.

    Splits at clause punctuation first, then between words, and only as a last resort
    inside a word (a 200,000-character run without spaces). Joining the pieces with
    spaces gives back the text with its whitespace collapsed: nothing is dropped.
    """
    if count(text) <= limit:
        return [text]
    for splitter in (_CLAUSE_BREAK, re.compile(r"\s+")):
        units = [u for u in splitter.split(text) if u]
        if len(units) > 1:
            return _pack(units, count, limit)
    # One unbroken run of characters: halve it until the halves fit.
    middle = len(text) // 2
    return split_to_fit(text[:middle], count, limit) + split_to_fit(text[middle:], count, limit)


def _pack(units: list[str], count: Callable[[str], int], limit: int) -> list[str]:
    """Greedily pack units into pieces. Costs add up per unit (one token of each count is
    the end-of-sentence marker), so a long run is measured once per unit, not per prefix."""
    pieces: list[str] = []
    current: list[str] = []
    used = 1  # the end-of-sentence token
    for unit in units:
        cost = max(1, count(unit) - 1)
        if cost + 1 > limit:
            if current:
                pieces.append(" ".join(current))
                current, used = [], 1
            pieces.extend(split_to_fit(unit, count, limit))
            continue
        if current and used + cost > limit:
            pieces.append(" ".join(current))
            current, used = [], 1
        current.append(unit)
        used += cost
    if current:
        pieces.append(" ".join(current))
    return pieces


def _moses_language(language: str) -> str:
    # sacremoses has rules for a few languages and falls back to generic ones otherwise.
    return {"nb": "no", "nn": "no"}.get(language, language)
