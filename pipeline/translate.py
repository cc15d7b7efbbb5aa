"""Sentence translation with MarianMT (Helsinki-NLP opus-mt models).

The engine keeps every output sentence paired with its source sentence. It:

* normalises punctuation with sacremoses first, as the opus-mt training data was;
* translates each distinct sentence once (boilerplate shared by sources costs nothing twice);
* sorts sentences by length and fills batches up to a token budget, so little padding is
  computed, then puts results back in source order;
* never truncates: a sentence longer than the model's input limit is split into pieces at
  clause or word boundaries, each piece translated, and the pieces joined.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from sacremoses import MosesPunctNormalizer
from transformers import MarianMTModel, MarianTokenizer

from pipeline.documents import TranslatedSegment

ProgressCallback = Callable[[int, int], None]  # (sentences done, sentences in all)

# Room kept below the model's position limit for the end-of-sentence token.
_LENGTH_MARGIN = 8
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")


class TranslationError(Exception):
    """A model could not be loaded or run; the message says which and why."""


@dataclass(frozen=True)
class EngineSettings:
    """Generation settings that change speed and, for some, the output."""

    num_beams: int = 4
    max_batch_tokens: int = 2048
    max_batch_sentences: int = 32
    device: str = "auto"  # auto | cpu | cuda


def pick_device(requested: str) -> torch.device:
    """``auto`` means CUDA when a GPU is present, else the CPU."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise TranslationError("device 'cuda' was asked for but no CUDA GPU is available")
    return torch.device(requested)


class MarianTranslator:
    """One loaded opus-mt model. Load it once per process and reuse it for every source."""

    def __init__(
        self,
        model_dir: Path,
        settings: EngineSettings | None = None,
        model_id: str | None = None,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.model_id = model_id or self.model_dir.name
        self.settings = settings or EngineSettings()
        self.device = pick_device(self.settings.device)
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(str(self.model_dir))
            self.model = MarianMTModel.from_pretrained(str(self.model_dir))
        except Exception as error:  # corrupt weights, missing files, wrong model type
            raise TranslationError(
                f"could not load translation model {self.model_id} from {self.model_dir}: {error}"
            ) from error
        self.model.to(self.device).eval()
        self._normalizers: dict[str, MosesPunctNormalizer] = {}
        self._lock = threading.Lock()  # one generate() at a time per model
        positions = int(getattr(self.model.config, "max_position_embeddings", 512) or 512)
        tokenizer_limit = int(getattr(self.tokenizer, "model_max_length", positions) or positions)
        self.max_input_tokens = max(16, min(positions, tokenizer_limit) - _LENGTH_MARGIN)

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
        for batch in self._batches(pieces):
            with self._lock:
                outputs = self._generate(batch)
            done.update(zip(batch, outputs, strict=True))
            if progress is not None:
                progress(len(done), total)
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

    def token_count(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    # -- internals --------------------------------------------------------------------------

    def _fit(self, sentence: str) -> list[str]:
        """Split a sentence that is too long for the model into pieces that fit; never cut."""
        if self.token_count(sentence) <= self.max_input_tokens:
            return [sentence]
        return split_to_fit(sentence, self.token_count, self.max_input_tokens)

    def _batches(self, pieces: Sequence[str]) -> list[list[str]]:
        """Length-sorted batches within the token budget (longest first, to fail early)."""
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
        return batches

    @torch.inference_mode()
    def _generate(self, batch: list[str]) -> list[tuple[str, float]]:
        encoded = self.tokenizer(batch, return_tensors="pt", padding=True, truncation=False)
        encoded = {k: v.to(self.device) for k, v in encoded.items()}
        input_length = int(encoded["input_ids"].shape[1])
        max_new_tokens = min(self.max_input_tokens + _LENGTH_MARGIN, 2 * input_length + 16)
        beams = self.settings.num_beams
        out = self.model.generate(
            **encoded,
            num_beams=beams,
            max_new_tokens=max_new_tokens,
            return_dict_in_generate=True,
            output_scores=True,
        )
        scores = self.model.compute_transition_scores(
            out.sequences,
            out.scores,
            out.beam_indices if beams > 1 else None,
            normalize_logits=beams == 1,
        )
        texts = self.tokenizer.batch_decode(out.sequences, skip_special_tokens=True)
        confidences = _mean_log_probs(scores, out.sequences, self.model.config.pad_token_id)
        return [(t.strip(), c) for t, c in zip(texts, confidences, strict=True)]


def _mean_log_probs(scores: torch.Tensor, sequences: torch.Tensor, pad_id: int) -> list[float]:
    """Mean log-probability of the generated tokens of each sequence (pads excluded)."""
    generated = sequences[:, -scores.shape[1] :]
    mask = (generated != pad_id) & torch.isfinite(scores)
    totals = torch.where(mask, scores, torch.zeros_like(scores)).sum(dim=1)
    counts = mask.sum(dim=1).clamp(min=1)
    return [float(x) for x in (totals / counts).cpu()]


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
