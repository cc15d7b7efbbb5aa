"""Greedy and beam search for MarianMT, written for speed on a CPU; same results as ``generate``.

``transformers``' ``generate`` is general: each step it runs a dozen logits processors over
the whole vocabulary (an opus-mt step is 4 beams x 16 sentences x ~60k logits), takes the
log-softmax twice, copies the scores for ``output_scores``, rebuilds attention masks,
appends to its key/value cache with ``torch.cat`` and re-orders the encoder's keys and
values for every beam although beams never leave their sentence. On a CPU that overhead
is as large as the matrix products. This module does the same search with less:

* the decoder's query/key/value projections are fused into one matrix product (and the
  cross-attention's key/value projections into another, run once per batch);
* the self-attention cache is preallocated; only it is re-ordered between beams, and only
  the part written so far; the encoder's keys and values are stored once per sentence and
  the beams of a sentence are its queries;
* per step, one ``logsumexp`` and one ``topk`` over the vocabulary: the log-probability of a
  candidate is ``logit - logsumexp`` and a row's order does not change by subtracting a
  constant, so the full log-softmax is never written out;
* a sentence whose search is over leaves the batch (its rows are not computed any more);
* the confidence (mean log-probability of the output tokens) falls out of the beam scores,
  so no per-step scores are kept.

The search rules are ``generate``'s, so the output is the same tokens (tests compare the
two on the tiny models): greedy takes the arg-max; beam search keeps ``2 x beams``
candidates per step, finishes those among the best ``beams`` that end in ``</s>``, scores a
finished hypothesis ``sum(log p) / length ** length_penalty`` and stops a sentence with
``generate``'s ``early_stopping=False`` heuristic. ``</s>`` is banned until
``min_new_tokens``, ``bad_words_ids`` are banned, the last allowed position is forced to
``</s>``, and probabilities are always renormalised after the bans, whatever the model's
``renormalize_logits`` says (see the comment at :data:`NEG`).
A generation config that asks for anything else (sampling, repetition penalties, ...) is
not :func:`supported` here and the caller falls back to ``generate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from pipeline.translation.engine import trim_heap
from pipeline.translation.packed import PackedLinear

# One rule for every engine: a token's log-probability is taken over the tokens that may
# be chosen at that step (after the bans), i.e. generate() with renormalize_logits=True.
# opus-mt repositories differ (the conversion wrote no renormalize_logits; some got it
# later), but CTranslate2 can't follow the other rule (it drops <pad> from the vocabulary),
# and without it a ban on a likely token (</s> before min_new_tokens) would lower every
# other token's log-probability, and so the confidence, by the banned token's mass. The
# transformers engine passes renormalize_logits=True to generate() for the same reason.
NEG = -1.0e9  # generate()'s "impossible" score, kept for identical tie behaviour
VOCAB_CHUNK = 8192  # output-projection rows per slice: 128 rows x 8192 logits = 4 MB
CACHE_BLOCK = 32  # self-attention cache positions added at a time by the beam search
# ... and by a large search (a summariser's batch, see TRIM_BYTES), whose cache is tens of MB:
# a 70-token summary then holds 80 positions, not 96 (about 15 MB less for distilbart's
# 16 beams of five chunks), for two more growths of the cache.
LARGE_CACHE_BLOCK = 16

# Generation-config keys this module implements (or that do not change a greedy or beam
# search). Anything else set to a non-default value sends the caller to generate().
_HANDLED = {
    "max_length",
    "max_new_tokens",
    "min_length",
    "min_new_tokens",
    "num_beams",
    "bad_words_ids",
    "renormalize_logits",
    "forced_eos_token_id",
    "pad_token_id",
    "eos_token_id",
    "bos_token_id",
    "decoder_start_token_id",
    "length_penalty",
    "early_stopping",
    "forced_bos_token_id",
    "no_repeat_ngram_size",
    "num_return_sequences",
    "do_sample",
    "use_cache",
    "temperature",
    "top_k",
    "top_p",
    "transformers_version",
    "output_scores",
    "output_logits",
    "return_dict_in_generate",
    "output_attentions",
    "output_hidden_states",
    "_from_model_config",
}


@dataclass(frozen=True)
class SearchRules:
    """What a model's generation config asks of a search, in the form this module uses."""

    start: int
    eos: int
    banned: tuple[int, ...]
    min_new_tokens: int
    length_penalty: float
    force_eos_last: bool
    # BART (distilbart-cnn) asks for these; opus-mt for none of them.
    forced_bos: int | None = None  # the first generated token (ForcedBOSTokenLogitsProcessor)
    no_repeat_ngram: int = 0  # no n-gram of this size twice in an output (0: no rule)
    early_stopping: bool = False  # a sentence is done once it has `beams` finished hypotheses
    # Log-probabilities over the tokens left after the bans (True: the translators' one
    # rule, see NEG) or over the whole vocabulary, the bans then setting -inf (False:
    # generate()'s own default, which the summariser follows to give generate()'s output).
    renormalize: bool = True


def supported(generation_config, *, follow_renormalize: bool = False) -> SearchRules | None:
    """The rules of ``generation_config``, or None when it asks for something only
    ``generate`` does (then the caller uses ``generate``).

    ``follow_renormalize``: take ``renormalize_logits`` from the config (the summariser,
    whose reference is ``generate`` with the model's own settings) instead of always
    renormalising (the translators' one rule for every engine)."""
    values = generation_config.to_diff_dict()
    for key, value in values.items():
        if key not in _HANDLED and value not in (None, False, 0, 1, 1.0, [], {}):
            return None
    if generation_config.do_sample or (generation_config.num_return_sequences or 1) != 1:
        return None
    if generation_config.early_stopping not in (None, False, True):
        return None  # "never": another stopping heuristic
    eos = generation_config.eos_token_id
    if isinstance(eos, list):
        if len(eos) != 1:
            return None
        eos = eos[0]
    start = generation_config.decoder_start_token_id
    if eos is None or start is None or isinstance(start, list):
        return None
    banned: list[int] = []
    for words in generation_config.bad_words_ids or []:
        if len(words) != 1:
            return None  # multi-token bad words need generate()'s n-gram matching
        banned.append(int(words[0]))
    forced = generation_config.forced_eos_token_id
    if isinstance(forced, list):
        forced = forced[0] if len(forced) == 1 else -1
    if forced is not None and forced != eos:
        return None
    min_new = max(
        int(generation_config.min_new_tokens or 0), int(generation_config.min_length or 0) - 1
    )
    bos = generation_config.forced_bos_token_id
    return SearchRules(
        start=int(start),
        eos=int(eos),
        banned=tuple(banned),
        min_new_tokens=min_new,
        length_penalty=float(
            1.0 if generation_config.length_penalty is None else generation_config.length_penalty
        ),
        force_eos_last=forced is not None,
        forced_bos=None if bos is None else int(bos),
        no_repeat_ngram=int(generation_config.no_repeat_ngram_size or 0),
        early_stopping=generation_config.early_stopping is True,
        renormalize=bool(generation_config.renormalize_logits) if follow_renormalize else True,
    )


def _fused(*linears: nn.Linear) -> nn.Linear:
    """One linear layer computing several with the same input (their outputs side by side).

    The originals are re-pointed at slices of the fused weights, so the model keeps working
    (``generate`` uses them) and no weight is held twice."""
    weight = torch.cat([linear.weight.detach() for linear in linears], dim=0)
    bias = torch.cat([linear.bias.detach() for linear in linears], dim=0)
    fused = _linear(weight, bias)
    start = 0
    for linear in linears:
        rows = linear.weight.shape[0]
        linear.weight = nn.Parameter(weight[start : start + rows], requires_grad=False)
        linear.bias = nn.Parameter(bias[start : start + rows], requires_grad=False)
        start += rows
    return fused


def _vocab_chunks(model, size: int) -> list[nn.Linear]:
    """The output projection (tied to the embeddings) and ``final_logits_bias`` as linear
    layers over consecutive slices of the vocabulary. In float32 the weights are views of
    the model's (no copy); quantisation makes each slice its own 8-bit copy."""
    weight = model.lm_head.weight.detach()
    bias = model.final_logits_bias.detach().reshape(-1)
    chunks = []
    for start in range(0, weight.shape[0], size):
        part = weight[start : start + size]
        chunks.append(_linear(part, bias[start : start + size].to(part.dtype)))
    return chunks


def _linear(weight: torch.Tensor, bias: torch.Tensor) -> nn.Linear:
    """An ``nn.Linear`` around existing tensors. Made on the meta device first: a normal
    one would fill its own weights with random numbers only to have them replaced (a
    tenth of a second per model for the vocabulary slices alone)."""
    linear = nn.Linear(weight.shape[1], weight.shape[0], device="meta", dtype=weight.dtype)
    linear.weight = nn.Parameter(weight, requires_grad=False)
    linear.bias = nn.Parameter(bias, requires_grad=False)
    return linear


class _Stacked(nn.Module):
    """Several linear layers with the same input, their outputs side by side: what
    :func:`_fused` computes, without a fused copy of the weights."""

    def __init__(self, *linears: nn.Linear) -> None:
        super().__init__()
        self.linears = nn.ModuleList(linears)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([linear(x) for linear in self.linears], dim=-1)


def _same(linear: nn.Linear) -> nn.Linear:
    return linear


class _Layer(nn.Module):
    def __init__(self, layer, fuse: bool = True, pack: bool = False) -> None:
        super().__init__()
        self_attn, cross = layer.self_attn, layer.encoder_attn
        join = PackedLinear if pack else (_fused if fuse else _Stacked)
        single = PackedLinear if pack else _same
        self.qkv = join(self_attn.q_proj, self_attn.k_proj, self_attn.v_proj)
        self.out = single(self_attn.out_proj)
        self.norm1 = layer.self_attn_layer_norm
        self.cross_q = single(cross.q_proj)
        self.cross_kv = join(cross.k_proj, cross.v_proj)
        self.cross_out = single(cross.out_proj)
        self.norm2 = layer.encoder_attn_layer_norm
        self.fc1 = single(layer.fc1)
        self.fc2 = single(layer.fc2)
        self.activation = layer.activation_fn
        self.norm3 = layer.final_layer_norm


class FastDecoder(nn.Module):
    """The decoder of a loaded Marian or BART model, its weights shared (the fused
    projections are copies), with a step function for incremental decoding.

    The two differ only before the first layer: Marian scales its token embeddings outside
    the embedding and adds sinusoidal positions; BART scales inside the embedding (by 1 in
    distilbart-cnn), adds learned positions stored from row 2 on, and normalises the sum
    (``layernorm_embedding``). The layers (post-norm self-attention, cross-attention,
    feed-forward) and the output projection with ``final_logits_bias`` are the same.

    ``fuse``: the query/key/value projections fused into one matrix product (and the
    cross-attention's key/value projections into another). The fused weights are copies:
    the originals' memory (mapped from the weights file) stays in the process too, which
    for a large model (distilbart-cnn: 120 MB) matters more than the few small matrix
    products saved; without it the projections run one after another on shared weights.

    ``pack``: every matrix product of the step in oneDNN's packed layout
    (:mod:`pipeline.translation.packed`, float32 on a CPU): several times faster at a
    decoding step's few rows. The packed weights are copies; the originals' pages of the
    mapped weights file are handed back (:func:`release_mapped`), so the model's own
    decoder still works (``generate``) and reads them back from the file if it runs.

    Build it before quantising: ``quantize_dynamic`` then quantises its linear layers too
    (unpacked ones only: packing is for float32).
    """

    def __init__(self, model, fuse: bool = True, pack: bool = False) -> None:
        super().__init__()
        decoder = model.get_decoder()
        config = model.config
        self.embed_tokens = decoder.embed_tokens
        # BartScaledWordEmbedding scales by itself; Marian's decoder scales its embeddings.
        inside = hasattr(decoder.embed_tokens, "embed_scale")
        self.embed_scale = 1.0 if inside else float(getattr(decoder, "embed_scale", 1.0))
        self.positions = decoder.embed_positions
        self.position_offset = int(getattr(decoder.embed_positions, "offset", 0))
        self.embed_norm = getattr(decoder, "layernorm_embedding", None)
        self.layers = nn.ModuleList(_Layer(layer, fuse, pack) for layer in decoder.layers)
        chunks = _vocab_chunks(model, VOCAB_CHUNK)
        self.vocab_chunks = (
            nn.ModuleList(PackedLinear(c) for c in chunks) if pack else nn.ModuleList(chunks)
        )
        self.packed = pack
        self.chunk_starts = [VOCAB_CHUNK * i for i in range(len(self.vocab_chunks))]
        self.vocab_size = int(model.final_logits_bias.shape[-1])
        self.heads = int(config.decoder_attention_heads)
        self.d_model = int(config.d_model)
        self.head_dim = self.d_model // self.heads
        self.scaling = self.head_dim**-0.5
        self.max_positions = int(config.max_position_embeddings)

    # -- model pieces -----------------------------------------------------------------------

    def cross_keys_values(self, encoded: Encoded) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Each layer's cross-attention keys and values, (batch, heads, source, head_dim),
        computed per length group (no work on padding) and written into one zeroed buffer
        per layer in batch order: no padded, concatenated or re-ordered copies on the way
        (for a batch of five ~700-token chunks of distilbart those were about 120 MB on
        top of the 185 MB the keys and values take)."""
        batch, longest = encoded.mask.shape
        like = encoded.parts[0]
        # Batch position of each row of the concatenated groups.
        rows = (
            torch.arange(batch, device=like.device)
            if encoded.order is None
            else encoded.order.argsort()
        )
        out = []
        for layer in self.layers:
            shape = (batch, self.heads, longest, self.head_dim)
            keys, values = like.new_zeros(shape), like.new_zeros(shape)
            start = 0
            for part in encoded.parts:
                group, length, _ = part.shape
                kv = layer.cross_kv(part).view(group, length, 2, self.heads, self.head_dim)
                into = rows[start : start + group]
                keys[into, :, :length] = kv[:, :, 0].transpose(1, 2)
                values[into, :, :length] = kv[:, :, 1].transpose(1, 2)
                start += group
                del kv
            out.append((keys, values))
        return out

    def step(
        self,
        tokens: torch.Tensor,
        position: int,
        cache: list[tuple[torch.Tensor, torch.Tensor]],
        cross: list[tuple[torch.Tensor, torch.Tensor]],
        cross_bias: torch.Tensor,
        beams: int,
    ) -> torch.Tensor:
        """The last hidden state (rows, d_model) for the next token of each row; writes this
        position's keys and values into ``cache``. Rows are sentence-major: row = sentence *
        beams + beam. Attention is two matrix products: for one query per row that is faster
        on a CPU than scaled_dot_product_attention's kernels, and the same arithmetic."""
        rows = tokens.shape[0]
        sentences = rows // beams
        heads, head_dim = self.heads, self.head_dim
        hidden = self.embed_tokens(tokens) * self.embed_scale
        hidden = hidden + self.positions.weight[position + self.position_offset]
        if self.embed_norm is not None:
            hidden = self.embed_norm(hidden)
        for layer, (keys, values), (cross_k, cross_v) in zip(
            self.layers, cache, cross, strict=True
        ):
            qkv = layer.qkv(hidden).view(rows, 3, heads, head_dim)
            keys[:, :, position] = qkv[:, 1]
            values[:, :, position] = qkv[:, 2]
            weights = torch.matmul(
                qkv[:, 0].unsqueeze(2), keys[:, :, : position + 1].transpose(2, 3)
            ).mul_(self.scaling)
            attended = torch.matmul(weights.softmax(dim=-1), values[:, :, : position + 1])
            hidden = layer.norm1(hidden + layer.out(attended.view(rows, self.d_model)))
            # The beams of a sentence are queries against that sentence's encoder states.
            query = layer.cross_q(hidden).view(sentences, beams, heads, head_dim).transpose(1, 2)
            weights = torch.matmul(query, cross_k.transpose(2, 3)).mul_(self.scaling)
            weights = (weights + cross_bias).softmax(dim=-1)
            attended = torch.matmul(weights, cross_v).transpose(1, 2).reshape(rows, self.d_model)
            hidden = layer.norm2(hidden + layer.cross_out(attended))
            hidden = layer.norm3(hidden + layer.fc2(layer.activation(layer.fc1(hidden))))
        return hidden

    def best_tokens(
        self,
        hidden: torch.Tensor,
        count: int,
        rules: SearchRules,
        generated: int,
        forced: torch.Tensor | None,
        bans: tuple[torch.Tensor, torch.Tensor] | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The ``count`` most probable next tokens of each row and their log-probabilities,
        with generate()'s bans, normalisation (see :attr:`SearchRules.renormalize`) and
        forced tokens. ``bans`` are (row, token) pairs banned in one row only (repeated
        n-grams).

        The output projection runs one slice of the vocabulary at a time, and each slice's
        logsumexp and top-k are taken while it is still in the CPU cache: the (rows x
        vocabulary) logits (34 MB for 128 rows of opus-mt) are never written out whole.
        """
        rows = hidden.shape[0]
        if generated == 0 and rules.forced_bos is not None:
            # ForcedBOSTokenLogitsProcessor: the first token is <s> with probability 1; the
            # step only fills the caches, the output projection is not needed.
            log_probs = hidden.new_full((rows, count), -math.inf, dtype=torch.float32)
            log_probs[:, 0] = 0.0
            top_indices = torch.full(
                (rows, count), rules.forced_bos, dtype=torch.long, device=hidden.device
            )
            return self._force_eos(log_probs, top_indices, rules, forced)
        ban_eos = generated < rules.min_new_tokens
        lses, values, indices = [], [], []
        for start, head in zip(self.chunk_starts, self.vocab_chunks, strict=True):
            logits = head(hidden).float()
            end = start + logits.shape[1]
            banned = [t - start for t in rules.banned if start <= t < end]
            if ban_eos and start <= rules.eos < end:
                banned.append(rules.eos - start)
            pairs = None
            if bans is not None:
                inside = (bans[1] >= start) & (bans[1] < end)
                if bool(inside.any()):
                    pairs = (bans[0][inside], bans[1][inside] - start)
            held = None
            if not rules.renormalize and (banned or pairs is not None):
                held = _banned_logits(logits, banned, pairs)
            if banned:
                logits[:, banned] = -math.inf
            if pairs is not None:
                logits[pairs] = -math.inf
            if count == 1:
                top_values, top_indices = logits.max(dim=-1, keepdim=True)
            else:
                top_values, top_indices = logits.topk(min(count, logits.shape[1]), dim=-1)
            # logsumexp in place, from the row maxima just found (the logits are not
            # needed any more): one pass over the slice instead of torch's four.
            peak = top_values[:, :1]
            if held is not None:  # generate()'s default: the banned tokens count too
                held_rows, held_values = held
                most = torch.full((rows,), -math.inf, device=peak.device)
                most.scatter_reduce_(0, held_rows, held_values, reduce="amax")
                peak = torch.maximum(peak, most[:, None])
            peak = torch.where(torch.isfinite(peak), peak, torch.zeros_like(peak))
            total = logits.sub_(peak).exp_().sum(dim=-1, keepdim=True)
            if held is not None:
                total.index_add_(0, held_rows, (held_values - peak[held_rows, 0]).exp_()[:, None])
            lses.append((total.log_() + peak).squeeze(1))
            values.append(top_values)
            indices.append(top_indices + start)
        lse = torch.logsumexp(torch.stack(lses, dim=-1), dim=-1)
        top_values, order = torch.cat(values, dim=-1).topk(count, dim=-1)
        top_indices = torch.cat(indices, dim=-1).gather(-1, order)
        log_probs = top_values - lse[:, None]
        return self._force_eos(log_probs, top_indices, rules, forced)

    @staticmethod
    def _force_eos(
        log_probs: torch.Tensor,
        top_indices: torch.Tensor,
        rules: SearchRules,
        forced: torch.Tensor | None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        if forced is not None:  # ForcedEOSTokenLogitsProcessor: </s> with probability 1
            log_probs[forced] = -math.inf
            log_probs[forced, 0] = 0.0
            top_indices[forced, 0] = rules.eos
        return log_probs, top_indices

    def new_cache(
        self, rows: int, length: int, like: torch.Tensor
    ) -> list[tuple[torch.Tensor, torch.Tensor]]:
        shape = (rows, self.heads, length, self.head_dim)
        return [(like.new_empty(shape), like.new_empty(shape)) for _ in range(len(self.layers))]


FastMarianDecoder = FastDecoder  # the name the translators know it by


def _banned_logits(
    logits: torch.Tensor, banned: list[int], pairs: tuple[torch.Tensor, torch.Tensor] | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """(row, logit) of every distinct banned entry of ``logits``, before the bans."""
    rows, width = logits.shape
    keys = []
    if banned:
        columns = torch.tensor(banned, device=logits.device)
        keys.append((torch.arange(rows, device=logits.device)[:, None] * width + columns).view(-1))
    if pairs is not None:
        keys.append(pairs[0] * width + pairs[1])
    flat = torch.cat(keys).unique()
    return flat // width, logits.view(-1)[flat].clone()


def ngram_bans(
    history: torch.Tensor, start: int, size: int
) -> tuple[torch.Tensor, torch.Tensor] | None:
    """NoRepeatNGramLogitsProcessor's bans as (row, token) pairs: a token that would
    complete an n-gram the row's sequence (the start token, then ``history``) already
    holds. None when nothing is banned."""
    if size < 2:
        return None
    rows, generated = history.shape
    length = generated + 1
    if length < size:
        return None
    full = torch.cat([history.new_full((rows, 1), start), history], dim=1)
    windows = full.unfold(1, size, 1)  # (rows, length - size + 1, size): every full n-gram
    prefix = full[:, length + 1 - size :]
    matches = (windows[..., :-1] == prefix[:, None, :]).all(dim=-1)
    row, window = matches.nonzero(as_tuple=True)
    if not row.numel():
        return None
    return row, windows[row, window, -1]


def length_groups(
    lengths: list[int], waste: float = 0.1, max_tokens: int | None = None
) -> list[list[int]]:
    """Indices of ``lengths`` in groups of similar length, longest first, each padded by
    at most ``waste`` of its tokens (a group of one is never padded) and, with
    ``max_tokens``, holding at most that many padded tokens (a longer input alone)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    groups: list[list[int]] = []
    longest = total = 0
    for index in order:
        length = lengths[index]
        padded_tokens = longest * (len(groups[-1]) + 1) if groups else 0
        if (
            groups
            and padded_tokens <= (1 + waste) * (total + length)
            and (max_tokens is None or padded_tokens <= max_tokens)
        ):
            groups[-1].append(index)
            total += length
            continue
        groups.append([index])
        longest = total = length
    return groups


def padded(
    ids: list[list[int]], pad: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded input ids and attention mask from token ids already computed."""
    longest = max(len(i) for i in ids)
    input_ids = torch.full((len(ids), longest), pad, dtype=torch.long)
    attention_mask = torch.zeros((len(ids), longest), dtype=torch.long)
    for row, sequence in enumerate(ids):
        input_ids[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
        attention_mask[row, : len(sequence)] = 1
    return input_ids.to(device), attention_mask.to(device)


@torch.inference_mode()
def encode(
    encoder,
    ids: list[list[int]],
    pad: int,
    device: torch.device,
    max_tokens: int | None = None,
) -> Encoded:
    """A batch through ``encoder`` in groups of inputs of about the same length, so almost
    no padding is computed (padding a batch to its longest would make the encoder and the
    cross-attention projections work on up to a third of their tokens for nothing).

    ``max_tokens``: at most this many padded tokens per encoder call (one input longer
    than that alone). An encoder call's working memory (its attention and feed-forward
    activations) grows with its tokens, and only its output is kept: the summariser's
    chunks of ~1,000 tokens take ~290 MB for four at once, ~75 MB one at a time, and a
    matrix product of ~1,000 rows runs as fast as one of 4,000."""
    groups = length_groups([len(i) for i in ids], max_tokens=max_tokens)
    parts = []
    for group in groups:
        input_ids, mask = padded([ids[i] for i in group], pad, device)
        parts.append(encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state)
    order = [i for group in groups for i in group]
    position = None
    if order != list(range(len(ids))):
        position = torch.tensor(order).argsort().to(device)
    _, attention_mask = padded(ids, pad, device)
    return Encoded(parts=parts, order=position, mask=attention_mask)


@dataclass
class Encoded:
    """A batch through the encoder: ``parts`` are groups of sentences of about the same
    length, each padded to its own longest; ``order`` puts the concatenated groups back in
    batch order (None: they are in order); ``mask`` is the batch's (sentences, longest)
    attention mask."""

    parts: list[torch.Tensor]
    order: torch.Tensor | None
    mask: torch.Tensor


@dataclass
class Hypothesis:
    tokens: list[int]  # generated tokens, </s> included when the model produced it
    mean_log_prob: float


def _cross_bias(source_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """Additive attention bias (sentences, 1, 1, source): 0 for tokens, -inf for padding."""
    bias = torch.zeros(source_mask.shape, dtype=dtype, device=source_mask.device)
    bias.masked_fill_(source_mask == 0, -math.inf)
    return bias[:, None, None, :]


def _forced(rules: SearchRules, limits: torch.Tensor, step: int, width: int):
    """Rows whose next token is the last allowed one (forced to </s>), or None."""
    if not rules.force_eos_last:
        return None
    last = limits == step + 1
    if not bool(last.any()):
        return None
    return last.repeat_interleave(width) if width > 1 else last


@torch.inference_mode()
def greedy_search(
    decoder: FastMarianDecoder,
    encoded: Encoded,
    max_new_tokens: torch.Tensor,
    rules: SearchRules,
) -> list[Hypothesis]:
    """Arg-max decoding of a batch; ``max_new_tokens`` is per sentence (tokens, </s> included)."""
    batch = encoded.mask.shape[0]
    like = encoded.parts[0]
    device = like.device
    alive = torch.arange(batch, device=device)
    limits = max_new_tokens.to(device)
    cross = decoder.cross_keys_values(encoded)
    cut = _large(cross)
    bias = _cross_bias(encoded.mask, like.dtype)
    cache = decoder.new_cache(batch, int(limits.max()), like)
    tokens = torch.full((batch,), rules.start, dtype=torch.long, device=device)
    out_tokens: list[list[int]] = [[] for _ in range(batch)]
    sums = [0.0] * batch
    history = torch.zeros((batch, 0), dtype=torch.long, device=device)  # for n-gram bans
    step = 0
    while alive.numel():
        hidden = decoder.step(tokens, step, cache, cross, bias, beams=1)
        forced = _forced(rules, limits, step, 1)
        bans = ngram_bans(history, rules.start, rules.no_repeat_ngram)
        log_probs, chosen = decoder.best_tokens(hidden, 1, rules, step, forced, bans)
        log_probs, chosen = log_probs[:, 0], chosen[:, 0]
        for sentence, token, log_prob in zip(
            alive.tolist(), chosen.tolist(), log_probs.tolist(), strict=True
        ):
            out_tokens[sentence].append(token)
            sums[sentence] += log_prob
        finished = (chosen == rules.eos) | (limits <= step + 1)
        step += 1
        if bool(finished.any()):
            keep = (~finished).nonzero().squeeze(1)
            alive, limits, chosen, bias = alive[keep], limits[keep], chosen[keep], bias[keep]
            _keep_rows(cross, keep)
            _keep_rows(cache, keep)
            if cut:
                trim_heap()
            if rules.no_repeat_ngram:
                history = history[keep]
        if rules.no_repeat_ngram:
            history = torch.cat([history, chosen[:, None]], dim=1)
        tokens = chosen
    return [
        Hypothesis(tokens=t, mean_log_prob=s / max(1, len(t)))
        for t, s in zip(out_tokens, sums, strict=True)
    ]


@torch.inference_mode()
def beam_search(
    decoder: FastMarianDecoder,
    encoded: Encoded,
    max_new_tokens: torch.Tensor,
    rules: SearchRules,
    beams: int,
) -> list[Hypothesis]:
    """generate()'s beam search (early_stopping=False) for a batch, best hypothesis each."""
    batch = encoded.mask.shape[0]
    like = encoded.parts[0]
    device = like.device
    keep_k = 2 * beams  # candidates kept per step, as generate() keeps
    lp = rules.length_penalty
    longest = int(max_new_tokens.max())

    # Finished hypotheses, per original sentence: generate()'s "beam_scores" (normalised by
    # length ** length_penalty), plus the raw sums, lengths and tokens for the confidence.
    pool_scores = torch.full((batch, beams), NEG, device=device)
    pool_sums = torch.zeros((batch, beams), device=device)
    pool_lengths = torch.ones((batch, beams), device=device)
    pool_tokens = torch.zeros((batch, beams, longest), dtype=torch.long, device=device)
    pool_full = torch.zeros((batch, beams), dtype=torch.bool, device=device)

    alive = torch.arange(batch, device=device)  # original index of each live sentence
    limits = max_new_tokens.to(device)
    cross = decoder.cross_keys_values(encoded)
    cut = _large(cross)  # worth handing back when sentences leave
    bias = _cross_bias(encoded.mask, like.dtype)
    width = 1  # rows per sentence: 1 at the first step (all beams are equal), then beams
    block = LARGE_CACHE_BLOCK if cut else CACHE_BLOCK
    cache = decoder.new_cache(batch, min(longest, block), like)  # grown in blocks
    tokens = torch.full((batch,), rules.start, dtype=torch.long, device=device)
    history = torch.zeros((batch, 0), dtype=torch.long, device=device)
    running = torch.zeros((batch, 1), device=device)
    top_slots = torch.arange(keep_k, device=device) < beams
    step = 0
    while alive.numel():
        live = alive.numel()
        hidden = decoder.step(tokens, step, cache, cross, bias, beams=width)
        forced = _forced(rules, limits, step, width)
        per_row = min(keep_k, decoder.vocab_size)
        bans = ngram_bans(history, rules.start, rules.no_repeat_ngram)
        log_probs, token_ids = decoder.best_tokens(hidden, per_row, rules, step, forced, bans)
        scores = log_probs.view(live, width, per_row) + running[:, :, None]
        scores, flat = scores.view(live, width * per_row).topk(min(keep_k, width * per_row))
        if scores.shape[1] < keep_k:  # only at the first step with a tiny vocabulary
            pad = keep_k - scores.shape[1]
            scores = F.pad(scores, (0, pad), value=NEG)
            flat = F.pad(flat, (0, pad), value=0)
        parent = flat // per_row
        chosen = token_ids.view(live, width * per_row).gather(1, flat)
        length = step + 1
        hits = (chosen == rules.eos) | (limits <= length)[:, None]

        # Finished candidates among the best `beams` join the sentence's pool.
        finishing = hits & top_slots
        if bool(finishing.any()):
            rows = (torch.arange(live, device=device) * width)[:, None] + parent
            cand_tokens = torch.cat([history[rows], chosen[:, :, None]], dim=2)
            cand_tokens = F.pad(cand_tokens, (0, longest - length))
            normalised = torch.where(finishing, scores / (length**lp), torch.full_like(scores, NEG))
            best = torch.cat([pool_scores[alive], normalised], dim=1).topk(beams, dim=1).indices

            pool_scores[alive] = _merge(pool_scores, alive, normalised, best)
            pool_sums[alive] = _merge(pool_sums, alive, scores, best)
            lengths = torch.full_like(scores, float(length))
            pool_lengths[alive] = _merge(pool_lengths, alive, lengths, best)
            pool_full[alive] = _merge(pool_full, alive, finishing, best)
            pool_tokens[alive] = _merge(pool_tokens, alive, cand_tokens, best)

        # The best `beams` unfinished candidates run on.
        open_scores = scores + hits.float() * NEG
        next_scores, pick = open_scores.topk(beams, dim=1)
        next_parent = parent.gather(1, pick)
        next_tokens = chosen.gather(1, pick)
        rows = ((torch.arange(live, device=device) * width)[:, None] + next_parent).view(-1)

        # generate()'s early_stopping=False test: can the best running beam still beat the
        # worst finished one? A sentence that can't, or that reached its limit, is done.
        best_possible = next_scores[:, :1] / (length**lp)
        worst = torch.where(
            pool_full[alive],
            pool_scores[alive].min(dim=1, keepdim=True).values,
            torch.full_like(next_scores, NEG),
        )
        going = (best_possible > worst).any(dim=1) & (limits > length)
        if rules.early_stopping:  # done as soon as `beams` hypotheses have finished
            going &= ~pool_full[alive].all(dim=1)

        step += 1
        width = beams
        if not bool(going.all()):
            keep = going.nonzero().squeeze(1)
            rows = rows.view(live, beams)[keep].reshape(-1)
            next_scores, next_tokens = next_scores[keep], next_tokens[keep]
            alive, limits, bias = alive[keep], limits[keep], bias[keep]
            _keep_rows(cross, keep)
        if not alive.numel():
            break
        positions = cache[0][0].shape[2]
        for i, (k, v) in enumerate(cache):  # one layer at a time: no second whole cache
            cache[i] = (
                _reorder(k, rows, step, longest, block),
                _reorder(v, rows, step, longest, block),
            )
        if cache[0][0].shape[2] != positions or (cut and not bool(going.all())):
            trim_heap()  # the outgrown cache (and cut cross keys/values) back to the system
        history = torch.cat([history[rows], next_tokens.reshape(-1, 1)], dim=1)
        running = next_scores
        tokens = next_tokens.reshape(-1)

    results = []
    for sentence in range(batch):
        count = int(pool_lengths[sentence, 0])
        results.append(
            Hypothesis(
                tokens=pool_tokens[sentence, 0, :count].tolist(),
                mean_log_prob=float(pool_sums[sentence, 0]) / count,
            )
        )
    return results


def _merge(
    pool: torch.Tensor, alive: torch.Tensor, new: torch.Tensor, best: torch.Tensor
) -> torch.Tensor:
    """The pool entries of the live sentences merged with new candidates, best first."""
    merged = torch.cat([pool[alive], new], dim=1)
    if merged.dim() == 3:
        return merged.gather(1, best[:, :, None].expand(-1, -1, merged.shape[2]))
    return merged.gather(1, best)


def _keep_rows(layers: list[tuple[torch.Tensor, torch.Tensor]], keep: torch.Tensor) -> None:
    """Each layer's keys and values cut to the sentences ``keep``, in the list itself and one
    layer at a time, so the old and the new tensors of all layers are never held together
    (for the cross-attention of a batch of four 1,000-token chunks: 196 MB)."""
    for i, (k, v) in enumerate(layers):
        layers[i] = (k[keep], v[keep])


TRIM_BYTES = 64 << 20  # cross keys/values this large are handed back as sentences leave


def _large(layers: list[tuple[torch.Tensor, torch.Tensor]]) -> bool:
    """Whether ``layers`` hold at least :data:`TRIM_BYTES` (a summariser's batch; a
    translator's is smaller, and its sentences leave too often to trim for each)."""
    return sum(k.numel() * k.element_size() * 2 for k, _ in layers) >= TRIM_BYTES


def _reorder(
    buffer: torch.Tensor, rows: torch.Tensor, filled: int, longest: int, block: int | None = None
) -> torch.Tensor:
    """The cache rows ``rows`` (parents of the next beams), only the ``filled`` positions.
    The cache grows in blocks of ``block`` positions (:data:`CACHE_BLOCK` if not given; up
    to ``longest``) as the output does, instead of being allocated for the longest output
    from the start."""
    block = block or CACHE_BLOCK
    length = buffer.shape[2]
    if length <= filled:  # the next step writes position `filled`
        length = min(longest, (filled // block + 1) * block)
    if rows.numel() == buffer.shape[0] and length == buffer.shape[2]:
        buffer[:, :, :filled] = buffer[rows, :, :filled]
        return buffer
    out = buffer.new_empty((rows.numel(), buffer.shape[1], length, buffer.shape[3]))
    out[:, :, :filled] = buffer[rows, :, :filled]
    return out
