"""How well the cleaner keeps article lines and removes page furniture, on labelled pages.

Each page is ``NAME.txt`` with ``NAME.tsv`` beside it (see the corpus README): one row per
non-blank line, labelled ``article``, ``meta`` or ``debris``. Pages whose names share the
part before the last ``_`` (``nl_dagblad_01``, ``nl_dagblad_02``) come from one outlet and
are cleaned as one run, so furniture that repeats across them can be recognised.

A line's leading `` date YYYY-MM[-DD]`` marker is not article text and is ignored when
matching. An article line is kept when its text is in the cleaned text; a debris line is
left only when it occurs in the cleaned text more often than inside the article's own lines
(a repeated headline kept once is not left). Meta lines (bylines, datelines) are not scored.

With ``--one-run`` all pages of the corpus are the sources of one run (``wire_run/``: two
outlets print the same agency story beside pages of their own). The figures without the
run's repeated lines are printed beside the real ones.

Run: ``python benchmarks/cleaning.py [--corpus DIR] [--quick] [--one-run]``. The throughput
line cleans 1,000 pages of 5 KB (200 with ``--quick``). The last line is exactly
``article_kept=X.XXX debris_removed=Y.YYY``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.documents.clean import NO_FURNITURE, RunFurniture, clean_document, run_furniture  # noqa: E402
from pipeline.types import RawDocument, Source, SourceSkipped  # noqa: E402

DEFAULT_CORPUS = ROOT / "benchmarks" / "corpus" / "cleaning" / "dev"
MARKER = re.compile(r"^\s*date \d{4}-\d{2}(?:-\d{2})?(?: |$)")


@dataclass
class Score:
    article: int = 0
    kept: int = 0
    debris: int = 0
    removed: int = 0


def norm(text: str) -> str:
    return " ".join(MARKER.sub("", text).split())


def occurrences(line: str, text: str) -> int:
    """How often ``line`` occurs in ``text`` as whole words (so "-" is not in "Nato-top")."""
    return len(re.findall(rf"(?<!\S){re.escape(line)}(?!\S)", text))


def load(corpus: Path) -> list[tuple[Path, list[tuple[str, str]]]]:
    pages = []
    for txt in sorted(corpus.glob("*.txt")):
        with txt.with_suffix(".tsv").open(encoding="utf-8", newline="") as handle:
            rows = [
                (row["label"], row["text"])
                for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            ]
        pages.append((txt, rows))
    return pages


def outlet(path: Path) -> str:
    return path.stem.rsplit("_", 1)[0]


def raw_of(path: Path) -> RawDocument:
    return RawDocument(
        Source(path.stem, str(path)), path.read_text(encoding="utf-8"), "utf-8", "text"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="smaller throughput check")
    parser.add_argument("--one-run", action="store_true", help="all pages are one run")
    args = parser.parse_args()
    pages = load(args.corpus)
    runs: dict[str, list[Path]] = defaultdict(list)
    for path, _ in pages:
        runs["run" if args.one_run else outlet(path)].append(path)
    run_of = {path: name for name, paths in runs.items() for path in paths}
    furniture = {
        name: run_furniture([p.read_text(encoding="utf-8") for p in paths])
        for name, paths in runs.items()
    }
    scores, lost, left, skipped = score(pages, {path: furniture[run_of[path]] for path in run_of})
    alone, *_ = score(pages, {path: NO_FURNITURE for path in run_of})
    total = Score()
    print(f"corpus: {args.corpus} ({len(pages)} pages, {len(runs)} runs)")
    for language in sorted(scores):
        s = scores[language]
        print(
            f"{language}: article_kept={s.kept / s.article:.3f} ({s.kept}/{s.article}) "
            f"debris_removed={s.removed / s.debris:.3f} ({s.removed}/{s.debris})"
        )
        for field in ("article", "kept", "debris", "removed"):
            setattr(total, field, getattr(total, field) + getattr(s, field))
    print(f"skipped as only debris: {', '.join(skipped) or 'none'}")
    print(f"article lines lost ({len(lost)}):")
    for line in lost:
        print(f"  - {line}")
    print(f"debris lines left ({len(left)}):")
    for line in left:
        print(f"  + {line}")
    throughput(pages, 200 if args.quick else 1000)
    without = Score()
    for s in alone.values():
        for field in ("article", "kept", "debris", "removed"):
            setattr(without, field, getattr(without, field) + getattr(s, field))
    print(
        "each page alone, without the run's repeated lines: "
        f"article_kept={without.kept / max(without.article, 1):.3f} "
        f"debris_removed={without.removed / max(without.debris, 1):.3f}"
    )
    print(
        f"article_kept={total.kept / max(total.article, 1):.3f} "
        f"debris_removed={total.removed / max(total.debris, 1):.3f}"
    )


def score(
    pages: list[tuple[Path, list[tuple[str, str]]]], furniture: dict[Path, RunFurniture]
) -> tuple[dict[str, Score], list[str], list[str], list[str]]:
    """Scores per language, and the lines lost, the lines left and the pages skipped."""
    scores: dict[str, Score] = defaultdict(Score)
    lost: list[str] = []
    left: list[str] = []
    skipped: list[str] = []
    for path, rows in pages:
        language = path.stem.split("_", 1)[0]
        try:
            text = clean_document(raw_of(path), furniture[path]).text
        except SourceSkipped:
            text = ""
            skipped.append(path.stem)
        article_text = "\n".join(norm(t) for label, t in rows if label == "article")
        score = scores[language]
        for label, line in rows:
            line = norm(line)
            if not line:
                continue
            if label == "article":
                score.article += 1
                if occurrences(line, text):
                    score.kept += 1
                else:
                    lost.append(f"{path.stem}: {line}")
            elif label == "debris":
                score.debris += 1
                if occurrences(line, text) > occurrences(line, article_text):
                    left.append(f"{path.stem}: {line}")
                else:
                    score.removed += 1
    return scores, lost, left, skipped


def throughput(pages: list[tuple[Path, list[tuple[str, str]]]], count: int) -> None:
    """Clean ``count`` pages of about 5 KB (corpus pages glued together) on one core."""
    texts = [p.read_text(encoding="utf-8") for p, _ in pages]
    page = ""
    documents = []
    for index in range(count):
        while len(page) < 5000:
            page += texts[(index + len(page)) % len(texts)] + "\n"
        documents.append(RawDocument(Source(f"p{index}", "p.txt"), page[:5000], "utf-8", "text"))
        page = page[5000:]
    start, cpu_start = time.perf_counter(), time.process_time()
    furniture = run_furniture(document.text for document in documents)
    repeats_seconds = time.perf_counter() - start
    for document in documents:
        try:
            clean_document(document, furniture)
        except SourceSkipped:
            pass
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # CPU seconds too: on a shared machine the wall time mostly measures the others' load.
    print(
        f"throughput: {count} pages of 5 KB in {seconds:.2f} s wall, {cpu:.2f} s CPU, "
        f"one process, as one run (its repeated lines: {repeats_seconds:.2f} s of it; "
        "target: under 10 s on 2 cores)"
    )


if __name__ == "__main__":
    main()
