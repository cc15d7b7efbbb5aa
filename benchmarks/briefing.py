"""The whole default briefing of the samples, end to end: naive, default and fastest.

    python benchmarks/briefing.py            # the five samples: 9 min on 2 cores (load 0.4-7)
    python benchmarks/briefing.py --quick    # 2 of the 5 samples: 1-2 min quiet, more loaded

``--quick`` measures the same three systems side by side on two of the samples (one
Norwegian, one English: one translation model, one passthrough, two summaries in one
batch), and the naive system translates every sixth sentence (4 of the Norwegian 23), its
translation time scaled to all of them (one at a time, a sentence's time does not depend on
the others; every output is 30 tokens); a skipped sentence's English is the previous one's,
so the summariser gets input of the real length. Everything else is the full run's
measurement. Its figures are not the full run's: fewer sources means smaller batches for
the default and fastest systems (their lead grows with the batch) and one translator load
instead of three. Model files are built once per ``--work-dir`` and reused.

Builds random-weight models of the real sizes for every configured model into a work
directory (kept with ``--work-dir``): the three opus-mt base models (6+6 layers, d_model
512, 8 heads, FFN 2048, vocabulary 67,028; every translation forced to 30 tokens and
``</s>``, about 1.1x the samples' mean source sentence) and distilbart-cnn-12-6 (12+6
layers, d_model 1024, 16 heads, FFN 4096, vocabulary 50,264, float32; its generation keys
in ``config.json`` as on the hub: num_beams 4, length_penalty 2.0, no_repeat_ngram_size 3,
early_stopping, max_length 142; ``min_length`` 71 and a large ``</s>`` bias force every
summary to 70 tokens and ``</s>``). Then, each in its own process (so each has its own
peak RSS), one after another:

(a) naive: what most people write: per source the project's reading, cleaning and
    segmentation, then what ``pipeline("translation")`` did, one sentence at a time, and
    what ``pipeline("summarization")`` did on the joined translation (transformers 5
    removed both tasks: tokenizer and ``generate()`` one input at a time), beam 4,
    float32, each model loaded when first needed;
(b) the default config through the real Prefect flow (result cache off);
(c) the fastest config a user would pick: both models on the CTranslate2 engine, int8,
    greedy (converted once and cached, before timing).

Per system: wall time per stage (read/clean/segment, load translators, translate, load
summariser, summarise, synthesise, render; busy time summed over the task threads; loading
a translator includes its int8 quantisation), the rest of the wall time as orchestration
(Prefect task runs, result handling; the temporary Prefect server is started before
timing), and the process's peak RSS (the Prefect server is another process and is not
counted), and the largest resident memory of the process while each stage runs (sampled
every 10 ms; with its file-mapped part: the weights files are mapped, not copied).
``summary_share_default`` counts the summariser's loading and its batches. The
load average before and after is printed: the naive system (torch's two threads on one
batch of one) slows down far more than the others on a busy machine. The last line is
``speedup_default_vs_naive=X.XX speedup_fastest_vs_naive=Y.YY summary_share_default=Z.ZZ
peak_rss_mb=N`` (N: the default briefing's peak RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import defaultdict
from pathlib import Path

STAGES = (
    "read/clean/segment",
    "load translators",
    "translate",
    "load summariser",
    "summarise",
    "synthesise",
    "render",
)
SUMMARY_STAGES = ("load summariser", "summarise")
QUICK_NAIVE_EVERY = 6  # --quick: the naive system translates every 6th sentence (scaled up)
TRANSLATION_TOKENS = 30
SUMMARY_TOKENS = 70
DISTILBART = {
    "d_model": 1024,
    "encoder_layers": 12,
    "decoder_layers": 6,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
    "vocab_size": 50264,
}
DISTILBART_GENERATION = {
    "early_stopping": True,
    "length_penalty": 2.0,
    "max_length": 142,
    "min_length": SUMMARY_TOKENS + 1,  # counts the decoder start token
    "no_repeat_ngram_size": 3,
    "num_beams": 4,
    "prefix": " ",
}


# -- models -----------------------------------------------------------------------------------


def build_models(directory: Path, config) -> None:
    from pipeline.models.tiny import (
        OPUS_MT_ARCH,
        OPUS_MT_NL_EN_VOCAB,
        build_tiny_marian,
        default_texts,
    )

    for spec in {s.id: s for s in config.translation.models.values()}.values():
        target = directory / spec.name
        if not (target / "config.json").is_file():
            print(f"building {spec.name} (opus-mt size, random weights) ...", flush=True)
            build_tiny_marian(
                target,
                default_texts(),
                vocab_size=8000,
                arch=OPUS_MT_ARCH,
                model_vocab_size=OPUS_MT_NL_EN_VOCAB,
                min_new_tokens=TRANSLATION_TOKENS,
                model_id=spec.id,
            )
        never_fillers(target)
    target = directory / config.summary.model.name
    if not (target / "config.json").is_file():
        print(f"building {target.name} (distilbart size, random weights) ...", flush=True)
        build_distilbart(target)


def never_fillers(target: Path) -> None:
    """The vocabulary's filler pieces (padding it to opus-mt's real size) never chosen.

    A random model would pick them as often as real pieces, and each decodes to a long
    ``<filler-N>`` string (about 12 BART tokens): the English would be ten times as long
    as a real translation (about 360 summariser tokens per sentence instead of 30-40) and
    the summariser would get ten times its real work. Real opus-mt outputs are pieces."""
    import torch

    marker = target / "briefing-bench-fillers"
    if marker.is_file():
        return
    vocab = json.loads((target / "vocab.json").read_text(encoding="utf-8"))
    fillers = [index for piece, index in vocab.items() if "<filler-" in piece]
    weights = target / "pytorch_model.bin"
    state = torch.load(weights, map_location="cpu", weights_only=True)
    state["final_logits_bias"][0, fillers] = -50.0
    torch.save(state, weights)
    marker.write_text(f"{len(fillers)} filler pieces biased -50\n")


def build_distilbart(target: Path) -> None:
    """distilbart-cnn-12-6's size and file layout, random weights, outputs forced to
    SUMMARY_TOKENS tokens: the tokenizer is the project's tiny BPE (its ids are the first
    of the model's vocabulary; the rest get a large negative bias and are never chosen)."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    from pipeline.models.tiny import _save_weights, build_tiny_summarizer, default_texts

    staging = target.with_name(target.name + ".tok")
    build_tiny_summarizer(staging, default_texts(), vocab_size=8000)
    # The vocabulary padded to distilbart's 50,265 entries (never-produced fillers), <mask>
    # last at 50,264: one more than the model's rows, as on the hub.
    vocab = json.loads((staging / "vocab.json").read_text())
    vocab.pop("<mask>", None)
    learned = len(vocab)
    for index in range(learned, DISTILBART["vocab_size"]):
        vocab[f"<unused{index}>"] = index
    vocab["<mask>"] = DISTILBART["vocab_size"]
    (staging / "vocab.json").write_text(json.dumps(vocab))
    config = BartConfig(
        bos_token_id=0,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        **DISTILBART,
    )
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config).eval()
    with torch.no_grad():
        bias = model.final_logits_bias
        bias[0, learned:] = -50.0  # the fillers: never chosen
        bias[0, 1] = bias[0, 3] = -50.0  # <pad>, <unk>
        bias[0, 2] = 50.0  # </s> as soon as min_length allows
    target.mkdir(parents=True, exist_ok=True)
    _save_weights(model, target, "float32")  # pytorch_model.bin, as on the hub
    data = json.loads((target / "config.json").read_text())
    data.update(DISTILBART_GENERATION)
    data["task_specific_params"] = {"summarization": DISTILBART_GENERATION}
    (target / "config.json").write_text(json.dumps(data, indent=2))
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"):
        if (staging / name).is_file():
            (target / name).write_bytes((staging / name).read_bytes())
    import shutil

    shutil.rmtree(staging, ignore_errors=True)


# -- timing -----------------------------------------------------------------------------------


class Timers:
    """Busy seconds per stage, summed over the threads that run it; and the process's
    largest resident memory while each stage runs (sampled every 10 ms from
    ``/proc/self/status``, in MB: all of it, and its file-mapped part, where the mapped
    weights files count)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.rss: dict[str, tuple[int, int]] = {}  # stage: (VmRSS, RssFile) at its peak
        self._active: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            now = memory_mb()
            if now is None:
                return
            with self._lock:
                for stage in [s for s, n in self._active.items() if n] or ["between stages"]:
                    if now[0] > self.rss.get(stage, (0, 0))[0]:
                        self.rss[stage] = now
            time.sleep(0.01)

    def wrap(self, owner, attribute: str, stage: str) -> None:
        original = getattr(owner, attribute)
        timers = self

        def timed(*args, **kwargs):
            start = time.perf_counter()
            with timers._lock:
                timers._active[stage] += 1
            try:
                return original(*args, **kwargs)
            finally:
                with timers._lock:
                    timers._active[stage] -= 1
                    timers.seconds[stage] += time.perf_counter() - start

        setattr(owner, attribute, timed)

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self.seconds[stage] += seconds

    def stage(self, stage: str):
        """A context in which ``stage`` is running (for the naive system's own loops)."""
        timers = self

        class _Running:
            def __enter__(self):
                with timers._lock:
                    timers._active[stage] += 1

            def __exit__(self, *_):
                with timers._lock:
                    timers._active[stage] -= 1

        return _Running()


def memory_mb() -> tuple[int, int] | None:
    """(VmRSS, RssFile) of this process in MB, None where /proc can't be read."""
    values = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "RssFile"):
                    values[key] = int(value.split()[0]) // 1024
    except (OSError, ValueError):
        return None
    return values.get("VmRSS", 0), values.get("RssFile", 0)


def peak_rss_mb() -> float:
    """The process's own largest RSS: ``VmHWM`` (of this program's memory since it started).
    Not ``ru_maxrss``: Linux carries that over from the parent when a child starts, so
    every system of a run that first built the models reported the builder's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key == "VmHWM":
                    return int(value.split()[0]) / 1024
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the systems (each in its own process) ------------------------------------------------------


def configs(work: Path, quick: bool):
    from pipeline.config.load import load_config, parse_config

    data = load_config().model_dump(mode="json")
    data["output_dir"] = str(work / "out")
    data["cache"]["enabled"] = False
    if quick:  # two samples in two languages (one translated, one English)
        samples = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))
        data["sources"] = [str(p) for p in samples[2:4]]
    default = parse_config(data)
    fastest = json.loads(json.dumps(data))
    fastest["translation"].update(num_beams=1, precision="int8", engine="ctranslate2")
    fastest["summary"].update(engine="ctranslate2", precision="int8", num_beams=1)
    return default, parse_config(fastest)


def sources_of(config):
    from pipeline.sources.discover import discover_sources

    return discover_sources(config.sources)


def run_naive(config, timers: Timers, every: int = 1) -> float:
    """What the transformers 4 ``pipeline("translation")`` / ``pipeline("summarization")``
    did (transformers 5 removed both tasks): tokenizer and ``generate()`` one input at a
    time, beam 4, the model's generation config, float32.

    ``every`` > 1 (``--quick``): only every ``every``-th sentence is translated and the
    translation time scaled up by the sentences in all over those measured (one at a time,
    a sentence's time does not depend on the others; every output is 30 tokens); a skipped
    sentence's English is the previous one's, so the summariser's input keeps its length."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from pipeline.documents.prepare import prepare_source
    from pipeline.models import loaded as runtime
    from pipeline.summaries.summarize import model_generation_config

    def load(path):
        return AutoTokenizer.from_pretrained(str(path)), AutoModelForSeq2SeqLM.from_pretrained(
            str(path)
        ).eval()

    found = sources_of(config)
    start = time.perf_counter()
    with timers.stage("read/clean/segment"):
        prepared = [prepare_source(s, config.translation) for s in found]
    timers.add("read/clean/segment", time.perf_counter() - start)
    loaded: dict[str, tuple] = {}
    english: list[str] = []
    extra = 0.0  # seconds the skipped sentences would have taken (every > 1)
    with torch.inference_mode():
        for item in prepared:
            if item.skipped or item.route is None:
                continue
            start = time.perf_counter()
            if item.route.action == "translate":
                path = runtime.resolved_model(item.route.model).path
                if str(path) not in loaded:
                    loaded.clear()
                    began = time.perf_counter()
                    with timers.stage("load translators"):
                        loaded[str(path)] = load(path)
                    timers.add("load translators", time.perf_counter() - began)
                    start += time.perf_counter() - began  # not translation time
                tokenizer, model = loaded[str(path)]
                lines: list[str] = []
                loop = time.perf_counter()
                measured = 0
                with timers.stage("translate"):
                    for index, segment in enumerate(item.segments):
                        if index % every and lines:
                            lines.append(lines[-1])
                            continue
                        batch = tokenizer([segment.text], return_tensors="pt", truncation=True)
                        output = model.generate(**batch, num_beams=4)
                        lines.append(tokenizer.decode(output[0], skip_special_tokens=True))
                        measured += 1
                spent = time.perf_counter() - loop
                unmeasured = spent * (len(item.segments) / max(1, measured) - 1)
                timers.add("translate", unmeasured)
                extra += unmeasured
                english.append(" ".join(lines))
            else:
                english.append(" ".join(s.text for s in item.segments))
            timers.add("translate", time.perf_counter() - start)
        loaded.clear()
        start = time.perf_counter()
        path = runtime.resolved_model(config.summary.model).path
        with timers.stage("load summariser"):
            tokenizer, model = load(path)
        timers.add("load summariser", time.perf_counter() - start)
        start = time.perf_counter()
        generation = model_generation_config(path, model.config)
        generation.num_beams = 4
        prefix = getattr(model.config, "prefix", None) or ""
        with timers.stage("summarise"):
            for text in english:
                batch = tokenizer(
                    [prefix + text], return_tensors="pt", truncation=True, max_length=1024
                )
                output = model.generate(**batch, generation_config=generation)
                tokenizer.decode(output[0], skip_special_tokens=True)
        timers.add("summarise", time.perf_counter() - start)
    return extra


def run_flow(config, timers: Timers) -> float:
    """The flow on ``config``; returns the seconds spent before it (imports, the temporary
    Prefect server's start), which are not the briefing's."""
    began = time.perf_counter()
    from prefect import flow

    from flows import briefing_flow as module
    from pipeline import run as steps
    from pipeline.render import render
    from pipeline.summaries.summarize import AbstractiveSummarizer
    from pipeline.translation.engine import SentenceTranslator

    @flow
    def start_server() -> None:
        return None

    start_server()  # the temporary Prefect server starts before timing
    timers.wrap(steps, "prepare_source", "read/clean/segment")  # the run's steps call these
    timers.wrap(SentenceTranslator, "__init__", "load translators")  # load + quantise
    timers.wrap(SentenceTranslator, "translate", "translate")
    # The summariser's loading and its batches (one at a time, under the CPU lock); not
    # its callers, which wait for one another's batch.
    timers.wrap(AbstractiveSummarizer, "__init__", "load summariser")
    timers.wrap(AbstractiveSummarizer, "_summarize_requests", "summarise")
    timers.wrap(steps, "synthesize", "synthesise")
    timers.wrap(render, "write_outputs", "render")  # called by render.write_briefing
    setup = time.perf_counter() - began
    module.briefing_flow(config=config)
    return setup


def child(args) -> int:
    warnings.filterwarnings("ignore")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    os.environ["BRIEFING_MODELS_DIR"] = str(args.work_dir / "models")
    os.environ["BRIEFING_CACHE_DIR"] = str(args.work_dir / "cache")
    default, fastest = configs(args.work_dir, args.quick)
    timers = Timers()
    start = time.perf_counter()
    if args.system == "naive":
        extra = run_naive(default, timers, every=QUICK_NAIVE_EVERY if args.quick else 1)
    else:
        extra = -run_flow(default if args.system == "default" else fastest, timers)
    total = time.perf_counter() - start + extra
    result = {
        "total": total,
        "stages": dict(timers.seconds),
        "peak_rss_mb": peak_rss_mb(),
        "stage_rss": dict(timers.rss),
    }
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="two of the five samples (one Norwegian, one English) for all three systems, "
        "the naive system translating every sixth sentence (its time scaled to all)",
    )
    parser.add_argument("--work-dir", type=Path, help="keep the models here (default: temp)")
    parser.add_argument(
        "--systems",
        default="naive,default,fastest",
        help="comma-separated systems to run (default all three; without naive no ratios)",
    )
    parser.add_argument("--system", choices=("naive", "default", "fastest"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.work_dir = (args.work_dir or Path(tempfile.mkdtemp(prefix="briefing-e2e-"))).resolve()
    if args.system:
        return child(args)

    warnings.filterwarnings("ignore")
    default, fastest = configs(args.work_dir, args.quick)
    build_models(args.work_dir / "models", default)
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        # On a busy machine the temporary server can take longer than Prefect's 20 s.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    # CTranslate2 converts each model once (cached): done before timing. The translators'
    # conversions are keyed by the resolved revision, as in the flow.
    from pipeline.models.loaded import resolved_model
    from pipeline.translation.ct2 import converted_model

    os.environ["BRIEFING_MODELS_DIR"] = str(args.work_dir / "models")
    ct2_cache = args.work_dir / "cache" / "ct2"
    specs = {spec.id: spec for spec in fastest.translation.models.values()}
    for spec in specs.values():
        found = resolved_model(spec, allow_download=False)
        converted_model(found.path, "int8", found.revision, cache_dir=ct2_cache)
    converted_model(
        args.work_dir / "models" / fastest.summary.model.name, "int8", cache_dir=ct2_cache
    )
    results = {}
    load_before = f"{os.getloadavg()[0]:.2f}"
    chosen = [s for s in ("naive", "default", "fastest") if s in args.systems.split(",")]
    for system in chosen:
        command = [sys.executable, __file__, "--system", system, "--work-dir", str(args.work_dir)]
        if args.quick:
            command.append("--quick")
        print(f"running {system} ...", flush=True)
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
        if done.returncode != 0 or line is None:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            sys.exit(f"{system} failed")
        results[system] = json.loads(line[len("RESULT ") :])
        print(f"  {results[system]['total']:.1f} s", flush=True)

    print(f"\n{len(sources_of(default))} sources; seconds (busy time per stage)")
    header = f"{'stage':<20}" + "".join(f"{s:>10}" for s in results)
    print(header)
    print("-" * len(header))
    for stage in STAGES:
        print(
            f"{stage:<20}"
            + "".join(f"{r['stages'].get(stage, 0.0):>10.1f}" for r in results.values())
        )
    print(
        f"{'orchestration':<20}"
        + "".join(
            f"{max(0.0, r['total'] - sum(r['stages'].values())):>10.1f}" for r in results.values()
        )
    )
    print(f"{'total (wall)':<20}" + "".join(f"{r['total']:>10.1f}" for r in results.values()))
    print(
        f"{'peak RSS (MB)':<20}" + "".join(f"{r['peak_rss_mb']:>10.0f}" for r in results.values())
    )
    print("\nlargest RSS while each stage runs, MB (its file-mapped part: weights, libraries)")
    print(f"{'stage':<20}" + "".join(f"{s:>12}" for s in results))
    for stage in (*STAGES, "between stages"):
        cells = []
        for r in results.values():
            rss, mapped = r["stage_rss"].get(stage, (0, 0))
            cells.append(f"{rss:>5} ({mapped:>4})" if rss else f"{'-':>12}")
        print(f"{stage:<20}" + "".join(f"{c:>12}" for c in cells))
    if set(results) != {"naive", "default", "fastest"}:
        print(f"load average: {load_before} before, {os.getloadavg()[0]:.2f} after")
        return 0  # the ratios need all three systems
    naive, base, fast = results["naive"], results["default"], results["fastest"]

    def summarising(result, stages=SUMMARY_STAGES) -> float:
        return sum(result["stages"].get(stage, 0.0) for stage in stages)

    summary_speedup = summarising(naive) / max(1e-9, summarising(base))
    work_speedup = naive["stages"]["summarise"] / max(1e-9, base["stages"].get("summarise", 0))
    print(
        f"summarisation: default {summary_speedup:.2f}x naive "
        f"(loading included; the batches alone {work_speedup:.2f}x)"
    )
    print(f"load average: {load_before} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"speedup_default_vs_naive={naive['total'] / base['total']:.2f} "
        f"speedup_fastest_vs_naive={naive['total'] / fast['total']:.2f} "
        f"summary_share_default={summarising(base) / base['total']:.2f} "
        f"peak_rss_mb={base['peak_rss_mb']:.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
