"""English summaries of each source and of the whole briefing.

Two summarisers share one small interface: ``summarize(sentences) -> str`` for one
document, ``summarize_many(documents) -> list[Summary]`` for many at once (the abstractive
one batches the chunks of all of them; a ``Summary`` says whether it was trimmed at the
length limit):

* ``ExtractiveSummarizer`` picks the most central sentences by word frequency. It needs no
  model, is deterministic, and never says anything the source did not say.
* ``AbstractiveSummarizer`` runs a transformers summarisation model (distilbart-cnn by
  default). Inputs longer than the model's window are chunked on sentence boundaries,
  each chunk summarised, and the chunk summaries joined, so no part of a long article is
  ignored.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import torch
from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer, GenerationConfig

from pipeline.text import ENGLISH_STOPWORDS
from pipeline.translation.engine import (
    _CPU_LOCK,
    TranslationError,
    apply_threads,
    check_precision,
    physical_cores,
    pick_device,
    trim_heap,
)
from pipeline.translation.marian import quantize_linear
from pipeline.translation.packed import (
    pack_linears,
    packing_available,
    release_mapped,
    unpack_linears,
)
from pipeline.translation.search import FastDecoder, beam_search, encode, greedy_search, supported
from pipeline.types import Summary

# Input tokens per batch of chunks (padded): 4 distilbart chunks of about 1,000 tokens, whose
# encoder states, cross-attention keys/values and beam caches take about 300 MB.
MAX_BATCH_TOKENS = 4096
# CTranslate2 encodes a whole batch at once, and a summariser's time there is its encoder's,
# which gains nothing from batching: two chunks a batch run as fast as four and hold about
# 70 MB less, and one chunk of up to 1,024 tokens a batch about 40 MB less again (the
# fastest mode's peak, figures in docs/performance.md).
CT2_MAX_BATCH_TOKENS = 1024
# Input tokens per encoder call (padded): the encoder's activations (attention, feed-forward)
# grow with its tokens and only its output is kept, so a batch is encoded about one chunk
# at a time (four 1,000-token chunks at once: ~290 MB of activations; one: ~75 MB), with no
# loss of speed (a matrix product of 1,000 rows is as fast per row as one of 4,000).
MAX_ENCODER_TOKENS = 1024
# Input tokens encoded before their searches (``_generate_rounds``): the encoder's output
# of every batch of a round is kept for its search (4 KB a token for distilbart: 64 MB).
MAX_ROUND_TOKENS = 16384
_SETTLE_S = 0.05  # a caller arriving within this joins the batch ...
_SETTLE_MAX_S = 0.5  # ... waited for at most this long
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


class Summarizer(Protocol):
    name: str

    def summarize(self, sentences: Sequence[str]) -> str: ...

    def summarize_many(self, documents: Sequence[Sequence[str]]) -> list[Summary]: ...


class ExtractiveSummarizer:
    """Keeps the ``max_sentences`` sentences that best represent the text, in text order."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3) -> None:
        self.max_sentences = max_sentences

    def summarize(self, sentences: Sequence[str]) -> str:
        chosen = rank_sentences(sentences)[: self.max_sentences]
        return " ".join(sentences[i].strip() for i in sorted(chosen))

    def summarize_many(self, documents: Sequence[Sequence[str]]) -> list[Summary]:
        return [Summary(self.summarize(sentences)) for sentences in documents]


def rank_sentences(sentences: Sequence[str]) -> list[int]:
    """Sentence indices, most representative first.

    A sentence scores the mean document frequency of its content words; the lead sentence
    gets a small bonus because news puts the point first. Very short fragments (headings,
    datelines) score nothing.
    """
    words_of = [
        [w for w in (x.lower() for x in _WORD.findall(s)) if w not in ENGLISH_STOPWORDS]
        for s in sentences
    ]
    frequency = Counter(w for words in words_of for w in set(words))
    scores = []
    for index, words in enumerate(words_of):
        if len(words) < 4:
            scores.append(0.0)
            continue
        score = sum(frequency[w] for w in words) / len(words)
        if index == 0:
            score *= 1.15
        scores.append(score)
    return sorted(range(len(sentences)), key=lambda i: (-scores[i], i))


@dataclass
class _Request:
    """One caller's chunks, waiting to be summarised in a batch with other callers'."""

    chunks: list[list[int]]
    done: threading.Event = field(default_factory=threading.Event)
    results: list[tuple[str, bool]] | None = None
    error: BaseException | None = None


class AbstractiveSummarizer:
    """A seq2seq summarisation model (BART family). Load once per process, reuse.

    The model's own generation settings are used (distilbart-cnn keeps them in
    ``config.json``: min_length 56, max_length 142, length_penalty 2.0,
    no_repeat_ngram_size 3, early_stopping, num_beams 4); ``max_length``, ``min_length``
    and ``num_beams`` override them only when given. The input gets the model's
    ``prefix`` (distilbart: a space), and special-token strings in it (``<mask>``,
    ``</s>``, ``>>nob<<``) are tokenised as text. A summary that reaches the length limit
    and ends mid-sentence is trimmed to its last full sentence (where it has one), counted
    in :attr:`cut` and marked ``trimmed``.

    :meth:`summarize_many` chunks every document, sorts the chunks of all documents by
    length and summarises them in batches (a token budget), then puts each document's
    chunk summaries back together. Calls from several threads at once (the flow's
    per-source tasks) join one batch: whoever holds the CPU lock takes every chunk
    waiting. On ``engine: transformers`` the batches go through the fast search of
    :mod:`pipeline.translation.search` (the same tokens as ``generate`` with the model's
    settings, one input at a time or batched; ``generate`` itself where the settings ask
    for something the fast search does not do).

    ``precision: int8`` quantises the linear layers (CPU, changes the output a little);
    ``engine: ctranslate2`` runs the model converted by CTranslate2 (its own beam search,
    same settings, output close to but not always identical with ``generate``). On a CPU
    the summariser takes the translators' lock: one generation at a time.
    """

    name = "abstractive"

    def __init__(
        self,
        model_dir: Path,
        *,
        model_id: str | None = None,
        max_length: int | None = None,
        min_length: int | None = None,
        num_beams: int | None = None,
        device: str = "auto",
        precision: str = "float32",
        engine: str = "transformers",
        memory: str = "fast",
        threads: int | None = None,
        max_batch_tokens: int | None = None,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.model_id = model_id or self.model_dir.name
        self.device = pick_device(device)
        self.precision = precision
        self.engine = engine
        self.memory = memory
        self.threads = threads
        self.max_batch_tokens = max_batch_tokens or (
            CT2_MAX_BATCH_TOKENS if engine == "ctranslate2" else MAX_BATCH_TOKENS
        )
        self.cut = 0  # summaries trimmed to their last full sentence
        self.fast: FastDecoder | None = None
        self._pack_per_call = False  # memory: lean
        self._decoder_quantized = True  # False while an int8 model's decoder is float
        check_precision(precision, self.device, engine)
        apply_threads(threads)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
            self.config = AutoConfig.from_pretrained(str(self.model_dir))
            self.generation = model_generation_config(self.model_dir, self.config)
            if engine == "ctranslate2":
                self._load_ctranslate2()
            else:
                self._load_transformers()
        except TranslationError:
            raise
        except Exception as error:
            raise TranslationError(
                f"could not load summarisation model {self.model_id} from {self.model_dir}: {error}"
            ) from error
        trim_heap()  # what loading needed only for a moment (CTranslate2 reads its file whole)
        overrides = {"max_length": max_length, "min_length": min_length, "num_beams": num_beams}
        self.generation.update(**{k: v for k, v in overrides.items() if v is not None})
        # The fast search's rules, or None: generate() for settings it does not do.
        self.rules = (
            supported(self.generation, follow_renormalize=True) if self.fast is not None else None
        )
        self.prefix = str(getattr(self.config, "prefix", None) or "")
        positions = int(getattr(self.config, "max_position_embeddings", 1024) or 1024)
        self.window = max(32, min(positions, 1024) - 8)
        self._lock = _CPU_LOCK if self.device.type == "cpu" else threading.Lock()
        self._pending: list[_Request] = []
        self._pending_lock = threading.Lock()

    def _load_transformers(self) -> None:
        dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16}.get(
            self.precision, torch.float32
        )
        self.model = AutoModelForSeq2SeqLM.from_pretrained(str(self.model_dir), dtype=dtype)
        self.model.to(self.device).eval()
        if hasattr(self.model, "final_logits_bias"):  # BART: the fast search can run it
            # No fused copies of the projections: distilbart is the briefing's largest
            # model, its weights most of the briefing's memory. Packed (float32 on a CPU):
            # copies, but the mapped originals' pages are handed back.
            # memory "fast": everything packed once, here. memory "lean": packed per call,
            # phase by phase (``_generate_round``): the encoder packed for the encoding of
            # every batch of the call and unpacked after it, its pages handed back; then
            # the decoder packed for the searches (its mapped pages handed back as they are
            # packed) and its copies dropped after them, so neither phase holds all of
            # distilbart's weights at once (``self.fast`` then holds views of the model's
            # weights, no copies).
            pack = self.precision == "float32" and packing_available(self.device, dtype)
            self._pack_per_call = pack and self.memory == "lean"
            at_load = pack and not self._pack_per_call
            self.fast = FastDecoder(self.model, fuse=False, pack=at_load).eval()
            if self._pack_per_call:
                # Loading reads some weights whole (the 206 MB embedding): their mapped
                # pages back until a phase needs them.
                release_mapped(list(self.model.parameters()))
            if at_load:
                pack_linears(self.model.get_encoder())
        self._decoder_quantized = self.precision != "int8"
        if self.precision == "int8":
            if self.fast is None:
                quantize_linear(self.model)
                self._decoder_quantized = True
            else:
                # The fast search runs its own 8-bit copies and the model's encoder; the
                # model's decoder and output projection only serve generate(), quantised
                # when that first runs.
                quantize_linear(self.fast)
                quantize_linear(self.model.get_encoder())

    def _load_ctranslate2(self) -> None:
        from pipeline.translation.ct2 import _CT2_TYPES, converted_model, import_ctranslate2

        ctranslate2 = import_ctranslate2()
        quantization, compute_type = _CT2_TYPES[self.precision]
        path, _ = converted_model(self.model_dir, quantization)
        self.model = ctranslate2.Translator(
            str(path),
            device=self.device.type,
            compute_type=compute_type,
            intra_threads=(self.threads or physical_cores()) if self.device.type == "cpu" else 0,
        )

    # -- the interface --------------------------------------------------------------------

    def summarize(self, sentences: Sequence[str]) -> str:
        return self.summarize_many([sentences])[0].text

    def summarize_many(self, documents: Sequence[Sequence[str]]) -> list[Summary]:
        """One :class:`Summary` per document (a list of sentences), in order."""
        chunked = [self.chunks([s.strip() for s in d if s.strip()]) for d in documents]
        ids = [self._input_ids(chunk) for chunks in chunked for chunk in chunks]
        results = iter(self._run(ids) if ids else [])
        summaries = []
        for chunks in chunked:
            parts = [next(results) for _ in chunks]
            text = " ".join(t for t, _ in parts if t)
            summaries.append(Summary(text=text, trimmed=any(trimmed for _, trimmed in parts)))
        return summaries

    def token_ids(self, text: str) -> list[int]:
        """Input ids of ``text`` with the model's prefix; a literal ``<mask>`` or ``</s>``
        in a source is text, never the special token (distilbart's embedding has no row
        for ``<mask>``)."""
        return self.tokenizer(self.prefix + text, split_special_tokens=True)["input_ids"]

    def chunks(self, sentences: Sequence[str]) -> list[str]:
        """Consecutive sentences packed into chunks that fit the model's window."""
        chunks: list[str] = []
        current: list[str] = []
        used = 2  # <s> and </s>
        for sentence in sentences:
            cost = (
                len(
                    self.tokenizer(sentence, add_special_tokens=False, split_special_tokens=True)[
                        "input_ids"
                    ]
                )
                + 1
            )
            if current and used + cost > self.window:
                chunks.append(" ".join(current))
                current, used = [], 2
            current.append(sentence)
            used += cost
        if current:
            chunks.append(" ".join(current))
        return chunks

    def _input_ids(self, text: str) -> list[int]:
        ids = self.token_ids(text)
        if len(ids) > self.window:  # only a single sentence over the window
            ids = ids[: self.window - 1] + [ids[-1]]
        return ids

    # -- batching across callers ----------------------------------------------------------

    def _run(self, chunks: list[list[int]]) -> list[tuple[str, bool]]:
        """(summary, trimmed) per chunk. The chunks wait with other threads' until one
        holds the CPU lock; it summarises all that are waiting, in one sorted set."""
        request = _Request(chunks)
        with self._pending_lock:
            self._pending.append(request)
        while not request.done.is_set():
            with self._lock:
                if request.done.is_set():
                    break
                self._settle()
                with self._pending_lock:
                    taken, self._pending = self._pending, []
                self._summarize_requests(taken)
        if request.error is not None:
            raise request.error
        assert request.results is not None
        return request.results

    def _settle(self) -> None:
        """Wait while other callers are still arriving (tasks started together reach the
        summariser a few milliseconds apart), so that they join this batch: a batch of
        many chunks costs little more per decoding step than one. Only the batching
        depends on it, never the output."""
        deadline = time.monotonic() + _SETTLE_MAX_S
        while time.monotonic() < deadline:
            with self._pending_lock:
                waiting = len(self._pending)
            time.sleep(_SETTLE_S)
            with self._pending_lock:
                if len(self._pending) == waiting:
                    return

    def _summarize_requests(self, requests: list[_Request]) -> None:
        try:
            apply_threads(self.threads)
            flat = [ids for request in requests for ids in request.chunks]
            outputs = self._generate_all(flat)
            texts = [self._finish(tokens, hit) for tokens, hit in outputs]
            start = 0
            for request in requests:
                request.results = texts[start : start + len(request.chunks)]
                start += len(request.chunks)
        except BaseException as error:
            for request in requests:
                request.error = error
        finally:
            for request in requests:
                request.done.set()

    def _finish(self, tokens: list[int], limit_hit: bool) -> tuple[str, bool]:
        summary = self.tokenizer.decode(tokens, skip_special_tokens=True).strip()
        if not limit_hit or _ends_a_sentence(summary):
            return summary, False
        # Cut mid-sentence by the limit: back to its last full sentence where it has one
        # (all of it where it has none); either way the summary is marked.
        self.cut += 1
        return last_full_sentences(summary), True

    # -- generation -----------------------------------------------------------------------

    def _max_new_tokens(self) -> int:
        """Output tokens, ``</s>`` included: generate()'s ``max_length`` counts the
        decoder start token."""
        g = self.generation
        return int(g.max_new_tokens) if g.max_new_tokens else int(g.max_length or 20) - 1

    def _generate_all(self, chunks: list[list[int]]) -> list[tuple[list[int], bool]]:
        """(output tokens, ran to the length limit) per chunk, in order; the chunks are
        sorted by length and cut into batches of at most ``max_batch_tokens`` input
        tokens. On the fast search the batches go phase by phase (:meth:`_generate_rounds`)."""
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]), reverse=True)
        outputs: list[tuple[list[int], bool]] = [([], False)] * len(chunks)
        batches: list[list[int]] = []
        for index in order:
            if batches and (len(batches[-1]) + 1) * len(chunks[batches[-1][0]]) <= (
                self.max_batch_tokens
            ):
                batches[-1].append(index)
            else:
                batches.append([index])
        inputs = [[chunks[i] for i in batch] for batch in batches]
        if self.engine != "ctranslate2" and self.rules is not None:
            found_all = self._generate_rounds(inputs)
        else:
            found_all = []
            for batch in inputs:
                found_all.append(self._generate(batch))
                trim_heap()  # the batch's activations back to the system, not kept
        for batch, found in zip(batches, found_all, strict=True):
            for position, output in zip(batch, found, strict=True):
                outputs[position] = output
        return outputs

    def _generate(self, batch: list[list[int]]) -> list[tuple[list[int], bool]]:
        if self.engine == "ctranslate2":
            return self._generate_ctranslate2(batch)
        if self.rules is None:
            return [self._generate_transformers(ids) for ids in batch]
        return self._generate_fast(batch)

    def _generate_fast(self, batch: list[list[int]]) -> list[tuple[list[int], bool]]:
        return self._generate_rounds([batch])[0]

    def _generate_rounds(
        self, batches: list[list[list[int]]]
    ) -> list[list[tuple[list[int], bool]]]:
        """The fast search on ``batches``, in rounds of at most :data:`MAX_ROUND_TOKENS`
        input tokens: each round's batches are all encoded, then all searched. With
        ``memory: lean`` the encoder is packed once per round and let go before the
        decoder is packed for the round's searches, so the two halves of the model are
        never held together and each is packed once per round, not once per batch."""
        results: list[list[tuple[list[int], bool]]] = []
        start = 0
        while start < len(batches):
            end, tokens = start, 0
            while end < len(batches) and (
                end == start or tokens + _tokens(batches[end]) <= MAX_ROUND_TOKENS
            ):
                tokens += _tokens(batches[end])
                end += 1
            results.extend(self._generate_round(batches[start:end]))
            start = end
        return results

    @torch.inference_mode()
    def _generate_round(self, batches: list[list[list[int]]]) -> list[list[tuple[list[int], bool]]]:
        assert self.fast is not None and self.rules is not None
        encoder = self.model.get_encoder()
        if self._pack_per_call:
            pack_linears(encoder)  # for this round's encoding only
        try:
            encoded = [
                encode(
                    encoder,
                    batch,
                    int(self.tokenizer.pad_token_id),
                    self.device,
                    max_tokens=MAX_ENCODER_TOKENS,
                )
                for batch in batches
            ]
        finally:
            if self._pack_per_call:
                unpack_linears(encoder)
                release_mapped(_linear_weights(encoder))
        # The encoder's activations (and, lean, its packed copies) back to the system
        # before the search allocates its caches: glibc would keep them (100-150 MB).
        trim_heap()
        limit = self._max_new_tokens()
        beams = int(self.generation.num_beams or 1)
        # Packed for this round only (lean): the copies go with ``decoder`` on return.
        decoder = (
            FastDecoder(self.model, fuse=False, pack=True).eval()
            if self._pack_per_call
            else self.fast
        )
        eos = self.rules.eos
        results = []
        for batch in batches:
            states = encoded.pop(0)  # let go of each batch's encoding once it is searched
            limits = torch.full((len(batch),), limit, dtype=torch.long)
            if beams == 1:
                found = greedy_search(decoder, states, limits, self.rules)
            else:
                found = beam_search(decoder, states, limits, self.rules, beams)
            del states
            results.append(
                [
                    (h.tokens, not (h.tokens and h.tokens[-1] == eos and len(h.tokens) < limit))
                    for h in found
                ]
            )
            trim_heap()  # the batch's caches back to the system, not kept for the next
        del decoder, encoded
        trim_heap()
        return results

    @torch.inference_mode()
    def _generate_transformers(self, ids: list[int]) -> tuple[list[int], bool]:
        """``generate`` on one input: the reference, and the path for settings the fast
        search does not do. The tokens come without the decoder start token."""
        if not self._decoder_quantized:
            quantize_linear(self.model)  # the encoder's layers are quantised already
            self._decoder_quantized = True
        input_ids = torch.tensor([ids], device=self.device)
        output = self.model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            generation_config=self.generation,
        )[0].tolist()[1:]
        eos = self.generation.eos_token_id
        ended = bool(output) and output[-1] == eos and len(output) < self._max_new_tokens()
        return output, not ended

    def _generate_ctranslate2(self, batch: list[list[int]]) -> list[tuple[list[int], bool]]:
        g = self.generation
        limit = self._max_new_tokens()
        results = self.model.translate_batch(
            [self.tokenizer.convert_ids_to_tokens(ids) for ids in batch],
            beam_size=g.num_beams or 1,
            length_penalty=float(g.length_penalty if g.length_penalty is not None else 1.0),
            no_repeat_ngram_size=int(g.no_repeat_ngram_size or 0),
            min_decoding_length=max((g.min_length or 0) - 1, g.min_new_tokens or 0),
            max_decoding_length=limit,
        )
        outputs = []
        for result in results:
            tokens = result.hypotheses[0]
            outputs.append((self.tokenizer.convert_tokens_to_ids(tokens), len(tokens) + 1 >= limit))
        return outputs


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")


def _tokens(batch: list[list[int]]) -> int:
    """A batch's padded input tokens."""
    return len(batch) * max(len(ids) for ids in batch)


def _linear_weights(module: torch.nn.Module) -> list[torch.Tensor]:
    """The weight matrices of every linear layer in ``module`` (most of an encoder's bytes)."""
    return [m.weight.detach() for m in module.modules() if isinstance(m, torch.nn.Linear)]


def _ends_a_sentence(text: str) -> bool:
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return bool(ends) and ends[-1] == len(text.rstrip())


def last_full_sentences(text: str) -> str:
    """``text`` up to the end of its last full sentence (all of it if none ends)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[-1]].strip() if ends else text


def model_generation_config(model_dir: Path, config) -> GenerationConfig:
    """The model's generation settings: ``generation_config.json`` where there is one, else
    the generation keys of ``config.json`` and its ``task_specific_params.summarization``
    (where distilbart-cnn keeps min_length 56, max_length 142, ...)."""
    path = Path(model_dir)
    if (path / "generation_config.json").is_file():
        return GenerationConfig.from_pretrained(str(path))
    generation = GenerationConfig.from_model_config(config)
    raw = json.loads((path / "config.json").read_text(encoding="utf-8"))
    task = (raw.get("task_specific_params") or {}).get("summarization") or {}
    defaults = GenerationConfig().to_dict()
    values = {
        k: v for k, v in {**raw, **task}.items() if k in defaults and k != "transformers_version"
    }
    generation.update(**values)
    return generation
