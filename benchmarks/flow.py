"""The whole briefing flow on the sample corpus: orchestration overhead and peak memory.

    python benchmarks/flow.py            # a few minutes on 2 cores
    python benchmarks/flow.py --quick    # greedy int8 engine: faster, same measurement

Builds random-weight models with opus-mt's exact size for the three configured
translation models (opus-mt-nl-en, -gmq-en, -it-en: 6+6 layers, d_model 512, vocabulary
67,028, float32 weights; every output 30 tokens and </s>, as in benchmarks/translation.py)
into a temporary directory, points ``BRIEFING_MODELS_DIR`` at it and
runs the real Prefect flow (``flows.briefing_flow.briefing_flow``) with the default config,
except ``summary.method: extractive`` (so the summariser, another issue's model, does not
dominate), the result cache off (every run does the model work) and a temporary output
directory.

Reported:

* the cold run: Prefect's temporary server starting, the models loading, translation;
* warm runs (in the same process: server up, as in a long-lived worker), each followed by
  the engine alone on the same sentences (the same runtime loading and letting go the
  same models in the same order, the translators called directly, no Prefect); medians
  of the rounds. The difference is the orchestration overhead (reading, cleaning,
  language detection, segmentation, task runs, synthesis, rendering, writing);
* the process's peak RSS after the cold run: what a sample briefing needs (the temporary
  Prefect server is a separate process and is not counted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from common import fixed_length_marian, proc_status

from pipeline.config.load import load_config, parse_config

OUTPUT_TOKENS = 30  # per sentence, then </s>: about a real translation's length


def build_models(directory: Path, config) -> None:
    for spec in {s.id: s for s in config.translation.models.values()}.values():
        fixed_length_marian(directory / spec.name, spec.id, OUTPUT_TOKENS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="greedy int8 engine")
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds (median)")
    parser.add_argument("--work-dir", type=Path, help="keep the models here (default: temp)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="briefing-flow-bench-"))
    data = load_config().model_dump(mode="json")
    data["summary"]["method"] = "extractive"
    data["output_dir"] = str(work / "out")
    data["cache"]["enabled"] = False  # every run does the model work
    if args.quick:
        data["translation"].update(num_beams=1, precision="int8")
    config = parse_config(data)
    build_models(work / "models", config)
    os.environ["BRIEFING_MODELS_DIR"] = str(work / "models")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    from flows.briefing_flow import briefing_flow
    from pipeline.documents.prepare import Prepared, model_groups, prepare_source
    from pipeline.models import loaded as runtime
    from pipeline.sources.discover import discover_sources

    runtime.clear()
    start = time.perf_counter()
    briefing_flow(config=config)
    cold = time.perf_counter() - start
    peak_rss = proc_status("VmHWM")

    # The engine alone: the same translators (loaded and let go by the same runtime, one
    # model at a time as in the flow) on the same sentences, in the flow's order.
    prepared = {
        s.id: prepare_source(s, config.translation) for s in discover_sources(config.sources)
    }
    ready = {k: p for k, p in prepared.items() if isinstance(p, Prepared)}
    sentences = sum(len(p.segments) for p in ready.values() if p.route.action == "translate")

    def engine_alone() -> None:
        groups = model_groups(ready, runtime.loaded_model_ids())
        for source_id in [source_id for group in groups for source_id in group]:
            item = ready[source_id]
            if item.route.action != "translate":
                continue
            engine = runtime.translator(item.route.model, config.translation)
            assert item.guess is not None
            engine.translate([segment.text for segment in item.segments], item.guess.language)

    flow_seconds: list[float] = []
    engine_seconds: list[float] = []
    for round_number in range(args.rounds):
        start = time.perf_counter()
        briefing_flow(config=config)
        flow_seconds.append(time.perf_counter() - start)
        start = time.perf_counter()
        engine_alone()
        engine_seconds.append(time.perf_counter() - start)
        print(
            f"round {round_number + 1}: flow {flow_seconds[-1]:.1f} s, "
            f"engine alone {engine_seconds[-1]:.1f} s",
            flush=True,
        )
    warm = statistics.median(flow_seconds)
    engine = statistics.median(engine_seconds)
    overhead = warm - engine

    settings = config.translation
    print(
        f"\nengine: {settings.engine}, beam {settings.num_beams}, {settings.precision}, "
        f"max_loaded_models {settings.max_loaded_models}; {sentences} sentences translated "
        f"in {len(prepared)} sources; medians of {args.rounds} rounds"
    )
    print(f"cold flow run (server start, model loading, translation): {cold:8.1f} s")
    print(f"warm flow run (server up):                                {warm:8.1f} s")
    print(f"engine alone, same sentences and model loads:             {engine:8.1f} s")
    share = 100 * overhead / engine
    print(f"orchestration overhead: {overhead:.1f} s = {share:.1f}% of engine time")
    print(f"peak RSS of a sample briefing (cold run, float32 models): {peak_rss / 2**20:.0f} MB")
    print(f"flow_overhead_pct={share:.1f} peak_rss_mb={peak_rss / 2**20:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
