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

import re
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from pipeline.text import ENGLISH_STOPWORDS
from pipeline.translation.engine import TranslationError, pick_device

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
    """A seq2seq summarisation model (BART family). Load once per process, reuse."""

    name = "abstractive"

    def __init__(
        self,
        model_dir: Path,
        *,
        model_id: str | None = None,
        max_length: int = 120,
        min_length: int = 20,
        num_beams: int = 4,
        device: str = "auto",
    ) -> None:
        self.model_dir = Path(model_dir)
        self.model_id = model_id or self.model_dir.name
        self.max_length = max_length
        self.min_length = min_length
        self.num_beams = num_beams
        self.device = pick_device(device)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
            self.model = AutoModelForSeq2SeqLM.from_pretrained(str(self.model_dir))
        except Exception as error:
            raise TranslationError(
                f"could not load summarisation model {self.model_id} from {self.model_dir}: {error}"
            ) from error
        self.model.to(self.device).eval()
        positions = int(getattr(self.model.config, "max_position_embeddings", 1024) or 1024)
        self.window = max(32, min(positions, 1024) - 8)
        self._lock = threading.Lock()

    def summarize(self, sentences: Sequence[str]) -> str:
        sentences = [s.strip() for s in sentences if s.strip()]
        if not sentences:
            return ""
        summaries = [self._summarize_chunk(chunk) for chunk in self.chunks(sentences)]
        return " ".join(s for s in summaries if s)

    def chunks(self, sentences: Sequence[str]) -> list[str]:
        """Consecutive sentences packed into chunks that fit the model's window."""
        chunks: list[str] = []
        current: list[str] = []
        used = 2  # <s> and </s>
        for sentence in sentences:
            cost = len(self.tokenizer(sentence, add_special_tokens=False)["input_ids"]) + 1
            if current and used + cost > self.window:
                chunks.append(" ".join(current))
                current, used = [], 2
            current.append(sentence)
            used += cost
        if current:
            chunks.append(" ".join(current))
        return chunks

    @torch.inference_mode()
    def _summarize_chunk(self, text: str) -> str:
        # A chunk is built to fit; truncation only guards a single sentence over the window.
        encoded = self.tokenizer(text, return_tensors="pt", truncation=True, max_length=self.window)
        encoded = {k: v.to(self.device) for k, v in encoded.items()}
        input_tokens = int(encoded["input_ids"].shape[1])
        max_new = max(8, min(self.max_length, input_tokens))
        with self._lock:
            output = self.model.generate(
                **encoded,
                num_beams=self.num_beams,
                max_new_tokens=max_new,
                min_new_tokens=min(self.min_length, max_new // 2),
                no_repeat_ngram_size=3,
                early_stopping=True,
            )
        return self.tokenizer.decode(output[0], skip_special_tokens=True).strip()
