"""``engine: transformers``: the opus-mt model as ``transformers`` loads it, searched by
:mod:`pipeline.translation.search` (or by ``generate`` when the model needs it)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:
    from pipeline.translation.search import Encoded


from pipeline.translation.engine import _LENGTH_MARGIN, SentenceTranslator  # noqa: F401
from pipeline.translation.packed import pack_linears, packing_available
from pipeline.translation.search import (
    Encoded,
    FastMarianDecoder,
    beam_search,
    greedy_search,
    length_groups,
    supported,
)


class MarianTranslator(SentenceTranslator):
    """``engine: transformers``: one opus-mt model loaded with ``transformers``. Load it once
    per process and reuse it for every source.

    ``precision: int8`` quantises every linear layer (the output projection included, the
    largest) to 8-bit weights with PyTorch's dynamic quantisation: about 4x less memory
    traffic and faster integer kernels, at a small cost in quality.
    """

    engine = "transformers"

    def _load(self) -> None:
        from transformers import MarianMTModel

        dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16}.get(
            self.settings.precision, torch.float32
        )
        model = MarianMTModel.from_pretrained(str(self.model_dir), dtype=dtype)
        model.to(self.device).eval()
        self.rules = supported(model.generation_config)
        # Packed products for the float32 search (several times faster at a step's rows).
        pack = self.settings.precision == "float32" and packing_available(self.device, dtype)
        self.fast = FastMarianDecoder(model, pack=pack).eval() if self.rules is not None else None
        if pack and self.fast is not None:
            pack_linears(model.get_encoder())
        self._decoder_quantized = self.settings.precision != "int8"
        if self.settings.precision == "int8":
            if self.fast is None:
                quantize_linear(model)
                self._decoder_quantized = True
            else:
                # The fast search runs its own 8-bit copies and the model's encoder; the
                # model's decoder and output projection only serve reference_generate, so
                # they are quantised when that first runs (most of the loading time of an
                # int8 translator went into quantising layers nothing then used).
                quantize_linear(self.fast)
                quantize_linear(model.get_encoder())
        self.model = model

    def _max_positions(self) -> int:
        return int(getattr(self.model.config, "max_position_embeddings", 512) or 512)

    @torch.inference_mode()
    def _generate(self, batch: list[str]) -> list[tuple[str, float]]:
        if self.fast is None or self.rules is None:
            return self.reference_generate(batch)

        ids = [self.token_ids(p) for p in batch]
        encoded = self._encode(ids)
        limits = torch.tensor([self.max_new_tokens(len(i)) for i in ids])
        if self.settings.num_beams == 1:
            found = greedy_search(self.fast, encoded, limits, self.rules)
        else:
            found = beam_search(self.fast, encoded, limits, self.rules, self.settings.num_beams)
        texts = self.tokenizer.batch_decode([h.tokens for h in found], skip_special_tokens=True)
        return [(t.strip(), h.mean_log_prob) for t, h in zip(texts, found, strict=True)]

    @torch.inference_mode()
    def reference_generate(self, batch: list[str]) -> list[tuple[str, float]]:
        """The batch through ``transformers``' own ``generate``: the reference the fast
        search is tested against, and the path for generation configs it does not handle."""
        if not self._decoder_quantized:
            quantize_linear(self.model)  # the encoder's layers are quantised already
            self._decoder_quantized = True
        ids = [self.token_ids(p) for p in batch]
        input_ids, attention_mask = self._padded(ids)
        max_new_tokens = self.max_new_tokens(int(input_ids.shape[1]))
        beams = self.settings.num_beams
        out = self.model.generate(
            input_ids=input_ids,
            attention_mask=attention_mask,
            num_beams=beams,
            max_new_tokens=max_new_tokens,
            # The one rule every engine follows (pipeline.translation.search: renormalised
            # after the bans), whatever the model's generation config says.
            renormalize_logits=True,
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

    def _encode(self, ids: list[list[int]]) -> Encoded:
        """The batch through the encoder, in groups of sentences of about the same length.

        The batch is length-sorted, so the groups are neighbours. A decoding batch wants
        many sentences, but padding them all to the longest would make the encoder (and the
        cross-attention projections) compute up to a third of their tokens for nothing.
        """

        encoder = self.model.get_encoder()
        groups = length_groups([len(i) for i in ids])
        parts = []
        for group in groups:
            input_ids, mask = self._padded([ids[i] for i in group])
            parts.append(encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state)
        order = [i for group in groups for i in group]
        position = None
        if order != list(range(len(ids))):
            position = torch.tensor(order).argsort().to(self.device)
        _, attention_mask = self._padded(ids)
        return Encoded(parts=parts, order=position, mask=attention_mask)

    def _padded(self, ids: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Right-padded input ids and attention mask, as the tokenizer pads, from ids already
        computed (the batch is never tokenised a second time)."""
        longest = max(len(i) for i in ids)
        pad = self.tokenizer.pad_token_id
        input_ids = torch.full((len(ids), longest), pad, dtype=torch.long)
        attention_mask = torch.zeros((len(ids), longest), dtype=torch.long)
        for row, sequence in enumerate(ids):
            input_ids[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
            attention_mask[row, : len(sequence)] = 1
        return input_ids.to(self.device), attention_mask.to(self.device)


def quantize_linear(module: torch.nn.Module) -> None:
    """8-bit dynamic quantisation of every ``nn.Linear`` in ``module``, in place."""
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        # torch.ao.quantization is deprecated in favour of torchao, but it is in torch 2.x,
        # which is pinned, and torchao would be one more large dependency.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)


def _mean_log_probs(scores: torch.Tensor, sequences: torch.Tensor, pad_id: int) -> list[float]:
    """Mean log-probability of the generated tokens of each sequence (pads excluded)."""
    generated = sequences[:, -scores.shape[1] :]
    mask = (generated != pad_id) & torch.isfinite(scores)
    totals = torch.where(mask, scores, torch.zeros_like(scores)).sum(dim=1)
    counts = mask.sum(dim=1).clamp(min=1)
    return [float(x) for x in (totals / counts).cpu()]
