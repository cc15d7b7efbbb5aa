"""English summaries of each source and of the whole briefing.

Two summarisers share one small interface (``summarize(sentences) -> str``):

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
from collections import Counter
from collections.abc import Sequence
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
)
from pipeline.translation.marian import _quantize

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


class Summarizer(Protocol):
    name: str

    def summarize(self, sentences: Sequence[str]) -> str: ...


class ExtractiveSummarizer:
    """Keeps the ``max_sentences`` sentences that best represent the text, in text order."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3) -> None:
        self.max_sentences = max_sentences

    def summarize(self, sentences: Sequence[str]) -> str:
        chosen = rank_sentences(sentences)[: self.max_sentences]
        return " ".join(sentences[i].strip() for i in sorted(chosen))


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


class AbstractiveSummarizer:
    """A seq2seq summarisation model (BART family). Load once per process, reuse.

    The model's own generation settings are used (distilbart-cnn keeps them in
    ``config.json``: min_length 56, max_length 142, length_penalty 2.0,
    no_repeat_ngram_size 3, early_stopping, num_beams 4); ``max_length``, ``min_length``
    and ``num_beams`` override them only when given. The input gets the model's
    ``prefix`` (distilbart: a space), and special-token strings in it (``<mask>``,
    ``</s>``, ``>>nob<<``) are tokenised as text. A summary that reaches the length limit
    is trimmed to its last full sentence and counted in :attr:`cut`.

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
        threads: int | None = None,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.model_id = model_id or self.model_dir.name
        self.device = pick_device(device)
        self.precision = precision
        self.engine = engine
        self.threads = threads
        self.cut = 0  # summaries trimmed to their last full sentence
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
        overrides = {"max_length": max_length, "min_length": min_length, "num_beams": num_beams}
        self.generation.update(**{k: v for k, v in overrides.items() if v is not None})
        self.prefix = str(getattr(self.config, "prefix", None) or "")
        positions = int(getattr(self.config, "max_position_embeddings", 1024) or 1024)
        self.window = max(32, min(positions, 1024) - 8)
        self._lock = _CPU_LOCK if self.device.type == "cpu" else threading.Lock()

    def _load_transformers(self) -> None:
        dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16}.get(
            self.precision, torch.float32
        )
        self.model = AutoModelForSeq2SeqLM.from_pretrained(str(self.model_dir), dtype=dtype)
        self.model.to(self.device).eval()
        if self.precision == "int8":
            _quantize(self.model)

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

    def summarize(self, sentences: Sequence[str]) -> str:
        sentences = [s.strip() for s in sentences if s.strip()]
        if not sentences:
            return ""
        summaries = [self._summarize_chunk(chunk) for chunk in self.chunks(sentences)]
        return " ".join(s for s in summaries if s)

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

    def _summarize_chunk(self, text: str) -> str:
        ids = self.token_ids(text)
        if len(ids) > self.window:  # only a single sentence over the window
            ids = ids[: self.window - 1] + [ids[-1]]
        with self._lock:
            apply_threads(self.threads)
            if self.engine == "ctranslate2":
                output, limit_hit = self._generate_ctranslate2(ids)
            else:
                output, limit_hit = self._generate_transformers(ids)
        summary = self.tokenizer.decode(output, skip_special_tokens=True).strip()
        if limit_hit:
            trimmed = last_full_sentences(summary)
            if trimmed != summary:
                self.cut += 1
            summary = trimmed
        return summary

    @torch.inference_mode()
    def _generate_transformers(self, ids: list[int]) -> tuple[list[int], bool]:
        input_ids = torch.tensor([ids], device=self.device)
        output = self.model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            generation_config=self.generation,
        )[0].tolist()
        limit = self.generation.max_length or 20
        eos = self.generation.eos_token_id
        ended = output[-1] == eos and len(output) < limit
        return output, not ended

    def _generate_ctranslate2(self, ids: list[int]) -> tuple[list[int], bool]:
        g = self.generation
        limit = (g.max_length or 20) - 1  # generate()'s max_length counts the start token
        result = self.model.translate_batch(
            [self.tokenizer.convert_ids_to_tokens(ids)],
            beam_size=g.num_beams or 1,
            length_penalty=float(g.length_penalty if g.length_penalty is not None else 1.0),
            no_repeat_ngram_size=int(g.no_repeat_ngram_size or 0),
            min_decoding_length=max((g.min_length or 0) - 1, g.min_new_tokens or 0),
            max_decoding_length=limit,
        )[0]
        tokens = result.hypotheses[0]
        return self.tokenizer.convert_tokens_to_ids(tokens), len(tokens) + 1 >= limit


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")


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
