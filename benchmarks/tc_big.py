"""What opus-mt-tc-big-gmq-en costs against opus-mt-gmq-en: speed and memory, side by side.

    python benchmarks/tc_big.py            # about 5 minutes on 2 cores
    python benchmarks/tc_big.py --quick    # about 2 minutes

The config suggests the larger Norwegian model (better translations); this says what it
costs on a CPU. Two random-weight models in the real repositories' shapes (pipeline.models.tiny):

* base: opus-mt-gmq-en's architecture (6+6 layers, d_model 512, 8 heads, FFN 2048, swish,
  float32 weights), with opus-mt-nl-en's vocabulary size (67,028; gmq-en's is of that
  order);
* tc-big: opus-mt-tc-big-gmq-en's (6+6 layers, d_model 1024, 16 heads, FFN 4096, relu,
  float16 weights on disk, vocabulary 54,765 with ``</s>`` at 41,977).

Both run through the project's engine with the default settings (configs/default.yaml:
beam 4, float32), on the samples' own sentences. Random weights would stop at random
lengths, so both are made to emit exactly ``--tokens`` tokens and ``</s>`` per sentence
(``min_new_tokens`` and a ``</s>`` bias, as in benchmarks/translation.py). Rounds
interleave the two models; medians of the rounds.

Reported per model: parameters, weights on disk, resident memory added by loading it and
the peak added by loading and translating (each measured alone in a fresh process), load
time, sentences/s. The last line is ``tc_big_vs_base_time=... tc_big_vs_base_memory=...
tc_big_vs_base_peak=... tc_big_vs_base_params=...`` (tc-big's over the base model's).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
from common import fixed_length_marian, proc_status, reset_peak_rss, sample_sentences

from pipeline.config.load import load_config
from pipeline.models.loaded import engine_settings
from pipeline.models.tiny import OPUS_MT_NL_EN_VOCAB, TC_BIG_ARCH
from pipeline.translation.engine import physical_cores
from pipeline.translation.load import load_translator


def build(directory: Path, name: str, tokens: int) -> Path:
    big = "tc-big" in name  # tc-big: its own vocabulary, 54,765
    arch, vocab = (TC_BIG_ARCH, None) if big else (None, OPUS_MT_NL_EN_VOCAB)
    return fixed_length_marian(directory / name, f"Helsinki-NLP/{name}", tokens, arch, vocab)


def measure_memory(directory: Path, sentences: list[str], settings) -> dict[str, int]:
    """In this (fresh) process: resident memory added by loading the model, and the peak
    added by loading and translating, over the process's size with torch imported."""
    gc.collect()
    baseline = proc_status("VmRSS")
    reset_peak_rss()
    engine = load_translator(directory, settings)
    loaded = proc_status("VmRSS") - baseline
    engine.translate(sentences, "nb")
    return {"loaded": loaded, "peak": proc_status("VmHWM") - baseline}


def _memory_in_child(directory: Path, args: argparse.Namespace) -> dict[str, int]:
    command = [
        sys.executable,
        __file__,
        "--memory-of",
        str(directory),
        "--threads",
        str(args.threads),
        "--tokens",
        str(args.tokens),
    ]
    if args.quick:
        command.append("--quick")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sentences and rounds")
    parser.add_argument("--tokens", type=int, default=24, help="output tokens per sentence")
    parser.add_argument("--threads", type=int, default=physical_cores())
    parser.add_argument("--work-dir", type=Path, help="keep the models here (default: temp)")
    parser.add_argument("--memory-of", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    count, rounds = (12, 2) if args.quick else (32, 3)
    tokens = 12 if args.quick else args.tokens

    config = load_config()
    settings = engine_settings(config.translation)
    settings = type(settings)(**{**settings.__dict__, "threads": args.threads})
    sentences = sample_sentences()[:count]
    if args.memory_of is not None:
        print(json.dumps(measure_memory(args.memory_of, sentences, settings)))
        return 0
    print(
        f"{len(sentences)} sentences, {tokens} output tokens each, beam {settings.num_beams}, "
        f"{settings.precision}, {args.threads} threads, {rounds} rounds",
        flush=True,
    )
    names = ["opus-mt-gmq-en", "opus-mt-tc-big-gmq-en"]
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work_dir or Path(temporary)
        dirs = {name: build(work, name, tokens) for name in names}
        # Memory first, each model alone in a fresh process; then speed, side by side here.
        facts = {name: {**_memory_in_child(dirs[name], args), "times": []} for name in names}
        engines = {}
        for name in names:
            start = time.perf_counter()
            engines[name] = load_translator(dirs[name], settings, model_id=f"Helsinki-NLP/{name}")
            facts[name]["load_s"] = time.perf_counter() - start
            facts[name]["params"] = sum(p.numel() for p in engines[name].model.parameters())
            facts[name]["disk"] = (dirs[name] / "pytorch_model.bin").stat().st_size
        for _ in range(rounds):
            for name in names:
                start = time.perf_counter()
                results = engines[name].translate(sentences, "nb")
                facts[name]["times"].append(time.perf_counter() - start)
                assert all(r.translation for r in results)

    mib = 1024 * 1024
    print(
        f"{'model':<24}{'params':>10}{'disk MiB':>10}{'loaded MiB':>12}{'peak MiB':>10}"
        f"{'load s':>8}{'time s':>8}{'sent/s':>8}"
    )
    for name in names:
        f = facts[name]
        median = statistics.median(f["times"])
        print(
            f"{name:<24}{f['params'] / 1e6:>9.1f}M{f['disk'] / mib:>10.0f}"
            f"{f['loaded'] / mib:>12.0f}{f['peak'] / mib:>10.0f}{f['load_s']:>8.1f}"
            f"{median:>8.2f}{len(sentences) / median:>8.2f}"
        )
    base, big = (facts[n] for n in names)
    time_ratio = statistics.median(big["times"]) / statistics.median(base["times"])
    print(f"python {sys.version.split()[0]}, torch {torch.__version__}")
    print(
        f"tc_big_vs_base_time={time_ratio:.2f} "
        f"tc_big_vs_base_memory={big['loaded'] / base['loaded']:.2f} "
        f"tc_big_vs_base_peak={big['peak'] / base['peak']:.2f} "
        f"tc_big_vs_base_params={big['params'] / base['params']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
