"""Translation speed on a CPU: the project's engine against naive use and CTranslate2.

    python benchmarks/translation.py            # about 4 minutes on 2 cores
    python benchmarks/translation.py --quick    # under 3 minutes

What is measured, side by side in one run (rounds interleave the systems, so a machine
that gets busier or quieter mid-run affects all of them alike; medians of the rounds):

(a) naive: ``transformers``, one sentence at a time, beam 4, float32 (what a loop over
    ``pipeline("translation")`` does);
(b) the project's engine with the default settings (configs/default.yaml: beam 4, float32);
(c) the project's engine in its fastest CPU mode (greedy, int8);
(d) CTranslate2 int8 with (c)'s beam and batch size: the outside reference, in both of its
    thread layouts (all threads on one batch; as many batches side by side as the engine's
    workers, each on its share of the threads); the faster one is (d).

The model has opus-mt-nl-en's exact architecture (6+6 layers, d_model 512, 8 heads, FFN
2048, vocabulary 67,028) with random weights (real weights can't be downloaded here), and a
SentencePiece tokenizer trained on the samples, its vocabulary padded to the real size
(pipeline.models.tiny). The sentences are the samples' own, from the project's segmenter. A
random model would stop at random lengths, so every system is made to produce exactly
``--tokens`` tokens and ``</s>`` for every sentence: the model's generation config has
``min_new_tokens`` = N and ``</s>`` a large logit bias (it is banned before N and chosen
right at N); CTranslate2 gets ``min_decoding_length`` = N. The run checks the counts.

Reported: sentences/s, output tokens/s, the speed-up over (a), the arithmetic rate (model
FLOPs of the search, no padding counted, over the time) against the machine's measured
float32 matrix-product peak (the roofline), and each system's peak resident memory. The
last line is ``speedup_default_vs_naive=... speedup_fastest_vs_naive=...
fastest_vs_ctranslate2=...``.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import torch
from common import fixed_length_marian, proc_status, reset_peak_rss, sample_sentences

from pipeline.config.load import load_config
from pipeline.models.loaded import engine_settings
from pipeline.models.tiny import OPUS_MT_NL_EN_VOCAB
from pipeline.translation.engine import EngineSettings, physical_cores
from pipeline.translation.load import load_translator

FASTEST = {"num_beams": 1, "precision": "int8"}


# -- inputs -----------------------------------------------------------------------------------


# -- memory and arithmetic --------------------------------------------------------------------


def matmul_peak(threads: int) -> float:
    """The machine's float32 matrix-product rate (GFLOP/s): the roofline's ceiling."""
    torch.set_num_threads(threads)
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    rates = []
    for _ in range(7):
        start = time.perf_counter()
        torch.mm(a, b)
        rates.append(2 * 2048**3 / (time.perf_counter() - start) / 1e9)
    return statistics.median(rates[2:])


def search_flops(source_lengths: list[int], out_tokens: int, beams: int) -> float:
    """Model FLOPs of translating the sentences (no padding counted): the encoder over the
    source, and each of ``beams`` rows per output token through the decoder and the
    output projection, attention included."""
    d, ffn, layers, vocab = 512, 2048, 6, OPUS_MT_NL_EN_VOCAB
    encoder_token = layers * (4 * d * d + 2 * d * ffn)
    cross_kv_token = layers * 2 * d * d
    decoder_token = layers * (4 * d * d + 2 * d * d + 2 * d * ffn) + d * vocab
    total = 0.0
    for length in source_lengths:
        total += length * (encoder_token + cross_kv_token)
        total += layers * 2 * length * length * d  # encoder attention
        for step in range(out_tokens):
            attention = layers * 2 * (step + 1 + length) * d
            total += beams * (decoder_token + attention)
    return 2 * total


# -- systems ----------------------------------------------------------------------------------


class System:
    def __init__(self, name: str, beams: int, run: Callable[[list[str]], int]) -> None:
        self.name, self.beams, self.run = name, beams, run
        self.seconds: list[float] = []
        self.working_set = 0  # peak RSS during its rounds less the RSS before them


def naive_system(model_dir: Path, threads: int) -> System:
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
    model = MarianMTModel.from_pretrained(str(model_dir)).eval()

    def run(sentences: list[str]) -> int:
        torch.set_num_threads(threads)
        produced = 0
        with torch.inference_mode():
            for sentence in sentences:
                batch = tokenizer([sentence], return_tensors="pt")
                output = model.generate(**batch, num_beams=4)
                tokenizer.decode(output[0], skip_special_tokens=True)
                produced += output.shape[1] - 1  # less the decoder start token
        return produced

    return System("(a) naive: one at a time, beam 4, float32", 4, run)


def engine_system(name: str, model_dir: Path, settings: EngineSettings) -> System:
    engine = load_translator(model_dir, settings)

    def run(sentences: list[str]) -> int:
        engine._ids_cache.clear()  # tokenising is part of the work
        engine.translate(sentences, "nl")
        return -1

    system = System(name, settings.num_beams, run)
    system.engine = engine  # type: ignore[attr-defined]
    return system


def ctranslate2_system(
    model_dir: Path, beams: int, batch: int, threads: int, cache: Path, inter: int = 1
):
    """CTranslate2 int8 translating every sentence in one call, batched by
    ``max_batch_size``; ``inter`` batches side by side, each on ``threads // inter``
    threads (CTranslate2's own way of running batches in parallel)."""
    import ctranslate2
    from transformers import MarianTokenizer

    from pipeline.translation.ct2 import converted_model

    path, _ = converted_model(model_dir, "int8", cache_dir=cache)
    intra = max(1, threads // inter)
    translator = ctranslate2.Translator(
        str(path), device="cpu", compute_type="int8", intra_threads=intra, inter_threads=inter
    )
    tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
    minimum = int(
        __import__("json").loads((model_dir / "generation_config.json").read_text())[
            "min_new_tokens"
        ]
    )

    def run(sentences: list[str]) -> int:
        source = [tokenizer.convert_ids_to_tokens(tokenizer(s).input_ids) for s in sentences]
        results = translator.translate_batch(
            source,
            beam_size=beams,
            max_batch_size=batch,
            min_decoding_length=minimum,
            max_decoding_length=2 * minimum + 16,
            return_scores=True,
        )
        produced = 0
        for result in results:
            tokens = result.hypotheses[0]
            tokenizer.decode(tokenizer.convert_tokens_to_ids(tokens), skip_special_tokens=True)
            produced += len(tokens) + 1  # + </s>
        return produced

    layout = f"{inter} batch{'es' if inter > 1 else ''} x {intra} thread{'s' if intra > 1 else ''}"
    return System(f"(d) CTranslate2 int8, beam {beams}, batch {batch}, {layout}", beams, run)


def check_lengths(systems: list[System], sentences: list[str], tokens: int) -> None:
    """Every system emits ``tokens`` tokens and </s> per sentence, or the run stops."""
    from pipeline.translation.search import beam_search, greedy_search

    probe = sentences[:6]
    for system in systems:
        engine = getattr(system, "engine", None)
        if engine is None:
            produced = system.run(probe)
        else:
            ids = [engine.token_ids(engine.normalise(s, "nl")) for s in probe]
            encoded = engine._encode(ids)
            limits = torch.tensor([engine.max_new_tokens(len(i)) for i in ids])
            if system.beams == 1:
                found = greedy_search(engine.fast, encoded, limits, engine.rules)
            else:
                found = beam_search(engine.fast, encoded, limits, engine.rules, system.beams)
            produced = sum(len(h.tokens) for h in found)
        if produced != len(probe) * (tokens + 1):
            sys.exit(
                f"{system.name}: {produced} tokens for {len(probe)} sentences, expected "
                f"{len(probe) * (tokens + 1)}"
            )


def _describe(settings: EngineSettings) -> str:
    return (
        f"beam {settings.num_beams}, {settings.precision}, batches of <= "
        f"{settings.max_batch_sentences} sentences / {settings.max_batch_tokens} tokens, "
        f"{settings.workers} worker(s) x {max(1, (settings.threads or 1) // settings.workers)} "
        "thread(s)"
    )


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sentences and rounds")
    parser.add_argument("--sentences", type=int, help="how many sample sentences (all: 99)")
    parser.add_argument("--rounds", type=int, help="rounds of the fast systems (median)")
    parser.add_argument("--naive-rounds", type=int, help="rounds of the naive system")
    parser.add_argument(
        "--naive-sentences", type=int, help="sentences naive translates (a spread subset)"
    )
    parser.add_argument("--tokens", type=int, default=30, help="output tokens per sentence")
    parser.add_argument("--threads", type=int, default=physical_cores())
    parser.add_argument("--work-dir", type=Path, help="keep the model here (default: temp)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

    sentences = sample_sentences()
    count = args.sentences or (40 if args.quick else len(sentences))
    sentences = sentences[:count]
    rounds = args.rounds or (2 if args.quick else 3)
    naive_rounds = args.naive_rounds or (1 if args.quick else 2)
    # Naive translates one sentence at a time, so its rate per sentence does not depend on
    # the other sentences: it runs on every k-th sentence (a spread of lengths) to keep the
    # benchmark short; its rate is compared with the others' on all of them.
    naive_count = min(len(sentences), args.naive_sentences or (8 if args.quick else 25))
    step = len(sentences) / naive_count
    naive_sentences = [sentences[int(i * step)] for i in range(naive_count)]

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    model_dir = fixed_length_marian(
        work / "opus-mt-nl-en", "Helsinki-NLP/opus-mt-nl-en", args.tokens
    )
    peak = matmul_peak(args.threads)

    translation = load_config().translation.model_copy(update={"threads": args.threads})
    default = engine_settings(translation)  # workers: auto follows the threads
    fastest = EngineSettings(**{**default.__dict__, **FASTEST})
    systems = [
        naive_system(model_dir, args.threads),
        engine_system("(b) engine, default settings (beam 4, float32)", model_dir, default),
        engine_system("(c) engine, fastest CPU mode (greedy, int8)", model_dir, fastest),
    ]
    # CTranslate2 in both of its thread layouts: all threads on one batch (its default),
    # and as many batches side by side as the engine's workers. (d) is the faster one.
    for inter in sorted({1, fastest.workers}):
        systems.append(
            ctranslate2_system(
                model_dir,
                fastest.num_beams,
                fastest.max_batch_sentences,
                args.threads,
                work / "ct2",
                inter=inter,
            )
        )
    check_lengths(systems, sentences, args.tokens)
    for system in systems:  # warm up: first calls pack weights, allocate, ...
        system.run(sentences[:4])
    reset_peak_rss()

    tokenizer = systems[1].engine.tokenizer  # type: ignore[attr-defined]
    lengths = [len(tokenizer(s).input_ids) for s in sentences]
    naive_lengths = [len(tokenizer(s).input_ids) for s in naive_sentences]
    print(
        f"{len(sentences)} sentences ({statistics.mean(lengths):.1f} source tokens on average; "
        f"naive: {naive_count} of them, {statistics.mean(naive_lengths):.1f}), {args.tokens} + 1 "
        f"output tokens each; {args.threads} threads; {rounds} rounds ({naive_rounds} for naive)",
        flush=True,
    )
    overall_peak = proc_status("VmHWM")
    for round_number in range(rounds):
        for index, system in enumerate(systems):
            if index == 0 and round_number >= naive_rounds:
                continue
            gc.collect()
            reset_peak_rss()
            before = proc_status("VmRSS")
            start = time.perf_counter()
            system.run(naive_sentences if index == 0 else sentences)
            system.seconds.append(time.perf_counter() - start)
            system.working_set = max(system.working_set, proc_status("VmHWM") - before)
            overall_peak = max(overall_peak, proc_status("VmHWM"))
        print(
            f"round {round_number + 1}: "
            + "  ".join(f"{s.seconds[-1]:.1f}s" for s in systems if s.seconds),
            flush=True,
        )

    ct2_systems = systems[3:]
    fastest_ct2 = min(ct2_systems, key=lambda system: statistics.median(system.seconds))
    naive_rate = naive_count / statistics.median(systems[0].seconds)
    print(f"\nfloat32 matmul peak (2048x2048, {args.threads} threads): {peak:.0f} GFLOP/s")
    width = max(len(system.name) for system in systems)
    header = (
        f"{'system':<{width}} {'sent/s':>7} {'tok/s':>7} {'speedup':>8} {'GFLOP/s':>8} "
        f"{'% peak':>7} {'work mem':>9}"
    )
    print(header)
    print("-" * len(header))
    rates = {}
    for index, system in enumerate(systems):
        seconds = statistics.median(system.seconds)
        done = naive_sentences if index == 0 else sentences
        done_lengths = naive_lengths if index == 0 else lengths
        rate = len(done) / seconds
        if system is fastest_ct2 or system not in ct2_systems:
            rates[system.name[:3]] = rate
        gflops = search_flops(done_lengths, args.tokens + 1, system.beams) / seconds / 1e9
        print(
            f"{system.name:<{width}} {rate:>7.2f} {rate * (args.tokens + 1):>7.0f} "
            f"{rate / naive_rate:>7.2f}x {gflops:>8.1f} {100 * gflops / peak:>6.0f}% "
            f"{system.working_set / 2**20:>7.0f}MB"
        )
    print(
        "(GFLOP/s: model arithmetic of each search over its time; int8 work can exceed the "
        "float32 peak. work mem: peak RSS during the system's rounds less the RSS before.)"
    )
    print(f"fastest_vs_ctranslate2 is against the faster (d): {fastest_ct2.name[4:]}")
    print(
        f"engine settings: default {_describe(default)}; fastest {_describe(fastest)}; "
        f"machine: {platform.processor() or platform.machine()}, {args.threads} threads"
    )
    print(f"peak RSS of the process (all systems loaded): {overall_peak / 2**20:.0f} MB")
    print(
        f"speedup_default_vs_naive={rates['(b)'] / rates['(a)']:.2f} "
        f"speedup_fastest_vs_naive={rates['(c)'] / rates['(a)']:.2f} "
        f"fastest_vs_ctranslate2={rates['(c)'] / rates['(d)']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
