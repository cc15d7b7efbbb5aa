"""The summariser's fast search against ``generate`` with the model's own settings.

A tiny distilbart-layout model made *lively* (larger weights, a moderate ``</s>`` bias) so
its summaries vary in length and some run to the length limit, with distilbart-cnn's
generation keys in ``config.json``: beam 4, length_penalty 2.0, no_repeat_ngram_size 3,
early_stopping, forced ``<s>`` first and ``</s>`` at the limit.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM

from pipeline.models.tiny import build_tiny_summarizer, default_texts
from pipeline.summaries import summarize
from pipeline.summaries.summarize import AbstractiveSummarizer
from pipeline.translation import search
from pipeline.translation.search import length_groups, supported

MAX_LENGTH = 30  # generate()'s max_length: 29 output tokens, </s> included


@pytest.fixture(scope="module")
def lively_bart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = build_tiny_summarizer(
        tmp_path_factory.mktemp("bart") / "distilbart-cnn-12-6", default_texts()
    )
    original = json.loads((base / "config.json").read_text())
    model = AutoModelForSeq2SeqLM.from_pretrained(base)
    with torch.no_grad():
        model.model.shared.weight.mul_(10.0)
        for layer in model.model.decoder.layers:
            layer.fc2.weight.mul_(300.0)
            layer.encoder_attn.out_proj.weight.mul_(300.0)
        model.final_logits_bias[0, model.config.eos_token_id] = 1.5
    lively = base.with_name("distilbart-lively")
    model.save_pretrained(lively)
    (lively / "generation_config.json").unlink(missing_ok=True)
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json"):
        (lively / name).write_bytes((base / name).read_bytes())
    # The generation keys where distilbart keeps them (config.json), shorter limits.
    (lively / "config.json").write_text(
        json.dumps({**original, "min_length": 6, "max_length": MAX_LENGTH})
    )
    return lively


def _chunks(engine: AbstractiveSummarizer, count: int = 14) -> list[list[int]]:
    sentences = [s for text in default_texts() for s in text.split(". ") if s.strip()]
    docs = [sentences[i : i + 1 + i % 5] for i in range(0, 3 * count, 3)]
    return [engine._input_ids(" ".join(d)) for d in docs]


def test_the_models_settings_are_the_fast_searchs_rules(lively_bart: Path) -> None:
    rules = AbstractiveSummarizer(lively_bart, threads=1).rules
    assert rules is not None
    assert (rules.forced_bos, rules.no_repeat_ngram, rules.early_stopping) == (0, 3, True)
    assert rules.length_penalty == 2.0 and rules.min_new_tokens == 5
    assert rules.renormalize is False  # generate()'s default, as the model has it


@pytest.mark.parametrize("beams", [4, 1], ids=["beam4", "greedy"])
def test_fast_summaries_are_the_tokens_of_generate_single_and_batched(
    lively_bart: Path, beams: int
) -> None:
    engine = AbstractiveSummarizer(lively_bart, num_beams=beams, threads=1)
    chunks = _chunks(engine)
    expected = [engine._generate_transformers(ids) for ids in chunks]
    lengths = {len(tokens) for tokens, _ in expected}
    assert len(lengths) > 3  # outputs of many lengths ...
    assert any(hit for _, hit in expected) and not all(hit for _, hit in expected)  # some cut
    assert [engine._generate_fast([ids])[0] for ids in chunks] == expected
    engine.max_batch_tokens = 3 * max(len(ids) for ids in chunks)  # batches of 3 or more
    assert engine._generate_all(chunks) == expected


def test_a_batch_encoded_a_few_inputs_at_a_time_gives_generates_tokens(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    chunks = _chunks(engine)
    expected = [engine._generate_transformers(ids) for ids in chunks]
    engine.max_batch_tokens = 10_000  # one batch of all of them ...
    longest = max(len(ids) for ids in chunks)
    monkeypatch.setattr(summarize, "MAX_ENCODER_TOKENS", 2 * longest)  # ... encoded by twos
    calls = []
    encoder = engine.model.get_encoder()
    original = encoder.forward

    def counted(*args, **kwargs):
        calls.append(kwargs["input_ids"].shape)
        return original(*args, **kwargs)

    monkeypatch.setattr(encoder, "forward", counted)
    assert engine._generate_all(chunks) == expected
    assert len(calls) >= len(chunks) // 2
    assert all(rows * length <= 2 * longest for rows, length in calls)


def test_length_groups_keep_a_token_budget_and_a_longer_input_alone() -> None:
    lengths = [10, 50, 12, 11, 49, 120, 48]
    groups = length_groups(lengths, max_tokens=100)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert [5] in groups  # over the budget: alone
    for group in groups:
        assert len(group) == 1 or max(lengths[i] for i in group) * len(group) <= 100
    assert length_groups(lengths) == [[5], [1, 4, 6], [2, 3, 0]]  # no budget: as before


def test_the_no_repeat_rule_is_generates(lively_bart: Path) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    chunks = _chunks(engine)
    fast = engine._generate_all(chunks)
    engine.generation.no_repeat_ngram_size = 0
    free = [engine._generate_transformers(ids) for ids in chunks]
    assert free != fast  # the rule changes these outputs, and the fast search follows it
    engine.rules = supported(engine.generation, follow_renormalize=True)
    assert engine._generate_all(chunks) == free


def test_settings_the_fast_search_does_not_do_go_to_generate(lively_bart: Path) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    engine.generation.repetition_penalty = 1.3
    assert supported(engine.generation, follow_renormalize=True) is None


def test_summarize_many_is_each_document_alone_and_marks_trimmed_summaries(
    lively_bart: Path,
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    sentences = [s + "." for text in default_texts() for s in text.split(". ") if s.strip()]
    documents = [sentences[i : i + 2 + i % 7] for i in range(0, 60, 4)]
    documents.append(sentences * 3)  # longer than the window: several chunks
    documents.append([])
    assert len(engine.chunks(documents[-2])) > 1
    together = engine.summarize_many(documents)
    alone = [engine.summarize_many([d])[0] for d in documents]
    assert together == alone
    assert together[-1].text == "" and not together[-1].trimmed
    assert any(s.trimmed for s in together) and not all(s.trimmed for s in together)
    assert [s.text for s in together] == [engine.summarize(d) for d in documents]


def test_callers_in_several_threads_get_their_own_summaries(lively_bart: Path) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    sentences = [s + "." for text in default_texts() for s in text.split(". ") if s.strip()]
    documents = [sentences[i : i + 3] for i in range(0, 48, 6)]
    expected = engine.summarize_many(documents)
    got: dict[int, object] = {}

    def work(index: int) -> None:
        got[index] = engine.summarize_many([documents[index]])[0]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(documents))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [got[i] for i in range(len(documents))] == expected


def test_the_encoders_mapped_pages_go_back_after_encoding_and_the_next_call_is_the_same(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1, memory="lean")
    chunks = _chunks(engine, count=4)
    expected = [engine._generate_transformers(ids) for ids in chunks]
    released = []
    original = summarize.release_mapped

    def counted(tensors):
        tensors = list(tensors)
        released.append((len(tensors), original(tensors)))
        return released[-1][1]

    monkeypatch.setattr(summarize, "release_mapped", counted)
    first = [engine._generate_fast([ids])[0] for ids in chunks]
    second = [engine._generate_fast([ids])[0] for ids in chunks]  # encoder read back from file
    assert first == second == expected
    encoder_linears = sum(
        isinstance(m, torch.nn.Linear) for m in engine.model.get_encoder().modules()
    )
    assert released and all(count == encoder_linears for count, _ in released)


def test_lean_memory_gives_the_same_summaries_as_fast(lively_bart: Path) -> None:
    documents = [[f"Sentence {i} of document {d} goes on." for i in range(3 + d)] for d in range(4)]
    fast = AbstractiveSummarizer(lively_bart, threads=1, memory="fast").summarize_many(documents)
    lean = AbstractiveSummarizer(lively_bart, threads=1, memory="lean")
    assert lean.summarize_many(documents) == fast
    assert lean.summarize_many(documents) == fast  # the second call, after the pages went back


def test_a_cache_grown_in_blocks_gives_the_tokens_of_one_allocated_whole(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    chunks = _chunks(engine)
    expected = [engine._generate_transformers(ids) for ids in chunks]
    assert max(len(tokens) for tokens, _ in expected) > 2 * 3  # outputs across blocks of 3
    engine.max_batch_tokens = 3 * max(len(ids) for ids in chunks)  # sentences finish apart
    monkeypatch.setattr(search, "CACHE_BLOCK", 10_000)  # allocated whole (for max_length)
    assert engine._generate_all(chunks) == expected
    lengths = []
    original = search._reorder

    def recorded(*args):
        out = original(*args)
        lengths.append(out.shape[2])
        return out

    monkeypatch.setattr(search, "CACHE_BLOCK", 3)
    monkeypatch.setattr(search, "_reorder", recorded)
    assert engine._generate_all(chunks) == expected
    assert {3, 6, 9} <= set(lengths)  # it did grow, block by block


def test_a_large_search_grows_its_cache_in_smaller_blocks_with_the_same_tokens(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    chunks = _chunks(engine)
    expected = [engine._generate_transformers(ids) for ids in chunks]
    assert max(len(tokens) for tokens, _ in expected) > 2 * 4  # outputs across blocks of 4
    engine.max_batch_tokens = 10_000
    lengths: list[int] = []
    original = search._reorder

    def recorded(*args):
        out = original(*args)
        lengths.append(out.shape[2])
        return out

    monkeypatch.setattr(search, "_reorder", recorded)
    monkeypatch.setattr(search, "CACHE_BLOCK", 7)
    monkeypatch.setattr(search, "LARGE_CACHE_BLOCK", 4)
    monkeypatch.setattr(search, "TRIM_BYTES", 1)  # every batch "large"
    assert engine._generate_all(chunks) == expected
    assert {4, 8} <= set(lengths)
    assert all(length % 4 == 0 or length == max(lengths) for length in lengths)
    lengths.clear()
    monkeypatch.setattr(search, "TRIM_BYTES", 1 << 40)  # near miss: a small search
    assert engine._generate_all(chunks) == expected
    assert {7} <= set(lengths)
    assert all(length % 7 == 0 or length == max(lengths) for length in lengths)


def _packing_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What was packed, in order: "encoder" per pack_linears call, "decoder" per FastDecoder
    built with packing."""
    packed: list[str] = []
    original_pack = summarize.pack_linears
    original_decoder = summarize.FastDecoder

    def pack(module):
        packed.append("encoder")
        return original_pack(module)

    def decoder(model, fuse=True, pack=False):
        if pack:
            packed.append("decoder")
        return original_decoder(model, fuse=fuse, pack=pack)

    monkeypatch.setattr(summarize, "pack_linears", pack)
    monkeypatch.setattr(summarize, "FastDecoder", decoder)
    return packed


def test_lean_packs_each_half_once_per_round_of_batches_and_gives_generates_tokens(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1, memory="lean")
    chunks = _chunks(engine)
    expected = [engine._generate_transformers(ids) for ids in chunks]
    engine.max_batch_tokens = 2 * max(len(ids) for ids in chunks)  # batches of about two
    packed = _packing_counted(monkeypatch)
    assert engine._generate_all(chunks) == expected
    # All batches in one round: the encoder packed once and let go before the decoder.
    assert packed == ["encoder", "decoder"]
    packed.clear()
    monkeypatch.setattr(summarize, "MAX_ROUND_TOKENS", engine.max_batch_tokens)  # a batch each
    assert engine._generate_all(chunks) == expected
    rounds = len(packed) // 2
    assert rounds >= 2 and packed == ["encoder", "decoder"] * rounds


def test_fast_memory_packs_nothing_per_call(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1, memory="fast")
    chunks = _chunks(engine, count=4)
    packed = _packing_counted(monkeypatch)
    engine.max_batch_tokens = max(len(ids) for ids in chunks)  # one chunk a batch
    engine._generate_all(chunks)
    assert packed == []


def test_lean_loading_hands_the_weights_pages_back(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    released: list[int] = []
    original = summarize.release_mapped

    def counted(tensors):
        tensors = list(tensors)
        released.append(len(tensors))
        return original(tensors)

    monkeypatch.setattr(summarize, "release_mapped", counted)
    engine = AbstractiveSummarizer(lively_bart, threads=1, memory="lean")
    assert released == [len(list(engine.model.parameters()))]
    released.clear()
    AbstractiveSummarizer(lively_bart, threads=1, memory="fast")
    assert released == []  # fast: the packing hands each matrix back as it goes


def _cross_by_concatenation(decoder, encoded):
    """The cross-attention keys and values the way they were built before: each group
    padded, the groups concatenated, then put in batch order."""
    longest = encoded.mask.shape[1]
    out = []
    for layer in decoder.layers:
        pieces = []
        for part in encoded.parts:
            group, length, _ = part.shape
            kv = layer.cross_kv(part).view(group, length, 2, decoder.heads, decoder.head_dim)
            kv = kv.permute(2, 0, 3, 1, 4)
            pieces.append(torch.nn.functional.pad(kv, (0, 0, 0, longest - length)))
        kv = torch.cat(pieces, dim=1)
        if encoded.order is not None:
            kv = kv[:, encoded.order]
        out.append((kv[0], kv[1]))
    return out


@torch.inference_mode()
def test_cross_keys_values_in_one_buffer_are_the_concatenated_ones_exactly(
    lively_bart: Path,
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    chunks = _chunks(engine, count=6)
    mixed = [chunks[i] for i in (1, 4, 0, 5, 2, 3)]  # groups out of batch order
    encoded = search.encode(engine.model.get_encoder(), mixed, 1, engine.device)
    assert len(encoded.parts) > 1 and encoded.order is not None
    got = engine.fast.cross_keys_values(encoded)
    want = _cross_by_concatenation(engine.fast, encoded)
    assert all(
        torch.equal(k, k2) and torch.equal(v, v2)
        for (k, v), (k2, v2) in zip(got, want, strict=True)
    )
    one = search.encode(engine.model.get_encoder(), chunks[:1], 1, engine.device)
    assert one.order is None  # near miss: a single group in order
    assert all(
        torch.equal(k, k2) and torch.equal(v, v2)
        for (k, v), (k2, v2) in zip(
            engine.fast.cross_keys_values(one),
            _cross_by_concatenation(engine.fast, one),
            strict=True,
        )
    )


def test_large_searches_hand_outgrown_caches_back_and_small_ones_do_not(
    lively_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = AbstractiveSummarizer(lively_bart, threads=1)
    chunks = _chunks(engine)
    expected = [engine._generate_transformers(ids) for ids in chunks]
    engine.max_batch_tokens = 10_000
    trims = []
    monkeypatch.setattr(search, "trim_heap", lambda: trims.append(1))
    monkeypatch.setattr(search, "TRIM_BYTES", 1)  # every batch "large"
    monkeypatch.setattr(search, "CACHE_BLOCK", 3)  # the cache outgrown many times
    monkeypatch.setattr(search, "LARGE_CACHE_BLOCK", 3)  # in the large search too
    assert engine._generate_all(chunks) == expected
    large = len(trims)
    trims.clear()
    monkeypatch.setattr(search, "TRIM_BYTES", 1 << 40)  # near miss: small batches
    assert engine._generate_all(chunks) == expected
    grown = len(trims)  # only where the cache grew, not as each sentence leaves
    assert grown >= 1
    assert large >= grown + len(chunks) // 2  # large: as sentences leave too
