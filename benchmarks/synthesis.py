"""The cross-source synthesis on a written story set: is it something an analyst can trust?

    python benchmarks/synthesis.py                                   # the dev set
    python benchmarks/synthesis.py --stories benchmarks/corpus/stories/heldout
    python benchmarks/synthesis.py --quick                           # no scale check

Every story of the set (``benchmarks/corpus/stories/<set>/<story>/``, format in the README
there) is briefed **together**, sources interleaved story by story, through the real
``pipeline.synthesis.synthesize``: each source an English pass-through report (its body as
text and translation, one sentence pair per sentence, ``published`` from its header) with
an extractive summary, as the flow makes for an English page. No models run.

Scored against each story's ``story.yaml``:

* ``group_f1``: pairwise F1 of the story groups against the story partition;
* ``fact_recall``: main facts stated by a point of the story's group (every term of the
  fact in one point's text);
* ``support``: of every (point, cited source) pair, the share where each number of the
  point appears in that source's text;
* ``citations`` (its own line before the last): of every extra citation (a cited source
  other than the point's own), the share whose source has a sentence that states the point
  (``pipeline.evaluation.citations``: its quotation, its subject, its rarer words or
  figures, no plan or denial of it); ``--show`` lists the others with the reason;
* ``div_recall`` / ``div_precision``: reference divergences found / conflicts shown
  (outcome, number and date divergences; single-source listings are not conflicts) that
  match a reference divergence (two sides holding two different reference sides);
* ``dates``: main event dates on the timeline from a sentence of the story (the
  publication date itself does not count);
* ``overview_stories``: stories with a sentence of one of their sources in the overview.

Then a scale check: 500 synthetic sources (100 made-up stories of 5, built from the set's
sentences with names and numbers replaced) through the same ``synthesize``, timed.
The last line is the summary, in a fixed format.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.assemble.briefing import overview as summary_overview  # noqa: E402
from pipeline.documents.segment import segment_text  # noqa: E402
from pipeline.evaluation.citations import CitationCheck  # noqa: E402
from pipeline.summaries.summarize import ExtractiveSummarizer  # noqa: E402
from pipeline.synthesis.synthesize import SynthesisConfig, synthesize  # noqa: E402
from pipeline.types import SourceReport, TranslatedSegment  # noqa: E402

DEV = REPO / "benchmarks" / "corpus" / "stories" / "dev"


@dataclass
class Story:
    id: str
    reference: dict[str, Any]
    sources: list[SourceReport] = field(default_factory=list)


def read_source(path: Path, story: str) -> SourceReport:
    """One story file as the English pass-through report the flow would make of it."""
    raw = path.read_text(encoding="utf-8")
    _, header, body = raw.split("---\n", 2)
    meta = yaml.safe_load(header) or {}
    body = body.strip()
    sentences = segment_text(body, "en")
    published = meta.get("published")
    if isinstance(published, str):  # "2023-09" (a month): the first of it
        published = datetime.date.fromisoformat(published + "-01")
    return SourceReport(
        id=f"{story}/{path.stem}",
        path=str(path.resolve().relative_to(REPO)),
        language="en",
        language_confidence=1.0,
        title=str(meta.get("title", "")),
        encoding="utf-8",
        text=body,
        translation=body,
        summary=ExtractiveSummarizer().summarize(sentences),
        sentences=[TranslatedSegment(s, s) for s in sentences],
        published=published,
    )


def read_stories(folder: Path) -> list[Story]:
    stories = []
    for story_dir in sorted(p for p in folder.iterdir() if (p / "story.yaml").is_file()):
        reference = yaml.safe_load((story_dir / "story.yaml").read_text(encoding="utf-8"))
        story = Story(story_dir.name, reference)
        story.sources = [read_source(p, story_dir.name) for p in sorted(story_dir.glob("*.txt"))]
        stories.append(story)
    return stories


def interleaved(stories: list[Story]) -> list[SourceReport]:
    """Sources in round-robin order across stories, so no story is one block."""
    reports = []
    for position in range(max(len(s.sources) for s in stories)):
        reports += [s.sources[position] for s in stories if position < len(s.sources)]
    return reports


# ------------------------------------------------------------------------------ scoring

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}


_POINTS = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?|a quarter|quarter|half)[\s-]+(?:of\s+a\s+)?"
    r"(percentage|basis)?[\s-]*points?\b",
    re.IGNORECASE,
)


_SPANS = re.compile(
    r"(?<![\w.])(\d+|" + "|".join(_WORD_NUMBERS) + r")[-\s](hour|day|week)s?\b", re.IGNORECASE
)
_HOURS = {"hour": 1, "day": 24, "week": 168}


def numbers(text: str) -> set[float]:
    """The numbers a text gives: digits, number words, a change in points both ways
    (25 basis points is also 0.25 percentage points, "a quarter point" 0.25), and a
    length both ways ("a four-day strike" is also 96 hours)."""
    found = set()
    for match in _SPANS.finditer(text):
        raw = match[1].lower()
        value = float(_WORD_NUMBERS.get(raw, raw))
        hours = value * _HOURS[match[2].lower()]
        found |= {value, hours, hours / 24}
    for match in _POINTS.finditer(text):
        raw, kind = match[1].lower(), (match[2] or "percentage").lower()
        value = {"a quarter": 0.25, "quarter": 0.25, "half": 0.5}.get(raw)
        value = float(raw) if value is None else value
        found |= {value, value / 100} if kind == "basis" else {value, value * 100}
    for raw in _NUMBER.findall(text):
        raw = raw.rstrip(".,")
        try:
            found.add(float(raw.replace(",", "")))
        except ValueError:
            continue
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _WORD_NUMBERS:
            found.add(float(_WORD_NUMBERS[word]))
    return found


# What may follow a figure in a headline style and still be that figure: "€846m", "$2bn".
_MAGNITUDE_SUFFIX = r"(?:m|mn|bn|b|k|tn)(?![a-z])"


def has_term(text: str, term: str) -> bool:
    """``term`` (or one of its ``a|b`` alternatives) in ``text``, case-insensitive, not
    inside a longer word or number ("25" is not in "250", "25th" or "2025"). A figure may
    carry a magnitude suffix ("846" is in "€846m"), and a currency or other symbol may touch
    its figure ("€" is in "€846m")."""
    for option in term.split("|"):
        option = option.lower()
        before = r"(?<![\w.])" if option[:1].isalnum() else ""
        if not option[-1:].isalnum():
            after = ""
        elif option[-1].isdigit():
            after = r"(?:(?![\w]|[.,]\d)|(?=" + _MAGNITUDE_SUFFIX + "))"
        else:
            after = r"(?![\w]|\.\d)"
        if re.search(before + re.escape(option) + after, text.lower()):
            return True
    return False


def side_holds(texts: list[str], values: list[str]) -> bool:
    """A found side holds a reference side: one of its values among the side's words
    (numbers compared as numbers, so "3%" holds "3.0%")."""
    joined = " ".join(texts)
    for value in values:
        for option in value.split("|"):
            wanted = numbers(option)
            if wanted and wanted <= numbers(joined):
                month = re.search(r"[A-Z][a-z]+", option)
                if month is None or month.group(0).lower() in joined.lower():
                    return True
            elif not wanted and has_term(joined, option):
                return True
    return False


def matches(divergence: dict[str, Any], reference: dict[str, Any]) -> bool:
    """Two sides of the divergence hold two different sides of the reference, and every
    side holds one of them: a table of every number with one unit is no match."""
    sides = [[s["label"]] + [c["text"] for c in s["claims"]] for s in divergence["sides"]]
    labels = [[s["label"]] for s in divergence["sides"]]
    # A side's value is its label where the label says one (a number, a date), else
    # its sentences (an outcome: "vetoed", "approved").
    values = [
        lab if _NUMBER.search(lab[0]) else full for lab, full in zip(labels, sides, strict=True)
    ]
    if not all(any(side_holds(v, ref) for ref in reference["sides"]) for v in values):
        return False
    for i, ref_a in enumerate(reference["sides"]):
        for ref_b in reference["sides"][i + 1 :]:
            for x, side_x in enumerate(sides):
                for y, side_y in enumerate(sides):
                    if x == y:
                        continue
                    # The label says the value where there is one; the claims otherwise.
                    hold_x = side_holds(labels[x], ref_a) or side_holds(side_x, ref_a)
                    hold_y = side_holds(labels[y], ref_b) or side_holds(side_y, ref_b)
                    if hold_x and hold_y and not side_holds(labels[x], ref_b):
                        return True
    return False


def pairwise_f1(predicted: list[set[str]], truth: dict[str, str]) -> float:
    def pairs(groups: list[set[str]]) -> set[frozenset[str]]:
        return {frozenset({a, b}) for g in groups for a in g for b in g if a < b}

    stories: dict[str, set[str]] = {}
    for source, story in truth.items():
        stories.setdefault(story, set()).add(source)
    got, want = pairs(predicted), pairs(list(stories.values()))
    if not got and not want:
        return 1.0
    tp = len(got & want)
    precision = tp / len(got) if got else 0.0
    recall = tp / len(want) if want else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(stories: list[Story], verbose: bool = True) -> dict[str, Any]:
    reports = interleaved(stories)
    start = time.perf_counter()
    synthesis = synthesize(reports, SynthesisConfig(), False, "extractive")
    seconds = time.perf_counter() - start
    data = synthesis.to_dict()
    overview = getattr(synthesis, "overview", None) or summary_overview(reports)
    story_of = {r.id: s.id for s in stories for r in s.sources}
    text_of = {r.id: r.text for r in reports}
    citation_of = {r.id: n for n, r in enumerate(reports, start=1)}
    groups = data["groups"]
    f1 = pairwise_f1([set(g["sources"]) for g in groups], story_of)

    facts = facts_found = dates = dates_found = covered = 0
    div_ref = div_found = 0
    shown = shown_right = 0
    support_pairs = supported = 0
    cited_in_overview = {int(n) for n in re.findall(r"\[(\d+)\]", overview)}
    lines = []
    for story in stories:
        ids = {r.id for r in story.sources}
        mine = [g for g in groups if set(g["sources"]) & ids]
        main = max(mine, key=lambda g: len(set(g["sources"]) & ids)) if mine else None
        points = main["points"] if main else []
        missed = []
        for fact in story.reference.get("facts", []):
            facts += 1
            if any(all(has_term(p["text"], t) for t in fact["terms"]) for p in points):
                facts_found += 1
            else:
                missed.append(fact["id"])
        found_divs = [d for g in mine for d in g["divergences"] if d["kind"] != "single-source"]
        refs = story.reference.get("divergences") or []
        div_ref += len(refs)
        hit = [r for r in refs if any(matches(d, r) for d in found_divs)]
        div_found += len(hit)
        for d in found_divs:
            shown += 1
            shown_right += any(matches(d, r) for r in refs)
        for event in story.reference.get("dates", []):
            dates += 1
            dates_found += any(
                e["date"] == str(event) and e["source"] in ids and e["kind"] != "dateline"
                for e in data["timeline"]
            )
        in_overview = any(citation_of[i] in cited_in_overview for i in ids)
        covered += in_overview
        lines.append(
            f"  {story.id:28} sources={len(ids)} groups={len(mine)} "
            f"facts={len(story.reference.get('facts', [])) - len(missed)}/"
            f"{len(story.reference.get('facts', []))}"
            + (f" (missed {', '.join(missed)})" if missed else "")
            + f" divs={len(hit)}/{len(refs)} shown={len(found_divs)}"
            + f" overview={'yes' if in_overview else 'no'}"
        )
    sentences_of = {r.id: [s.translation for s in r.sentences] for r in reports}
    check = CitationCheck([t for texts in sentences_of.values() for t in texts])
    citations: list[tuple[str, str, Any]] = []  # (point, cited source, verdict)
    for group in groups:
        for point in group["points"]:
            wanted = numbers(point["text"])
            for source in point["sources"]:
                support_pairs += 1
                supported += wanted <= numbers(text_of[source])
            own = point["support"][0]["source"]
            for source in point["sources"]:
                if source != own:
                    verdict = check.check(point["text"], sentences_of[source])
                    citations.append((point["text"], source, verdict))
    if verbose:
        print(f"{len(reports)} sources, {len(stories)} stories, {len(groups)} groups")
        print("\n".join(lines))
        print(f"dates on the timeline: {dates_found}/{dates}")
        print(f"synthesis: {seconds:.2f} s")
    return {
        "group_f1": f1,
        "facts": (facts_found, facts),
        "support": supported / support_pairs if support_pairs else 1.0,
        "div_recall": (div_found, div_ref),
        "div_precision": shown_right / shown if shown else 1.0,
        "dates": (dates_found, dates),
        "overview": (covered, len(stories)),
        "seconds": seconds,
        "citations": citations,
        "synthesis": synthesis,
        "overview_text": overview,
    }


# ------------------------------------------------------------------------------ scale

_NAME = re.compile(r"\b[A-Z][a-z]+\b")


def synthetic_sources(stories: list[Story], count: int = 500, seed: int = 7) -> list[SourceReport]:
    """``count`` sources in stories of five: each story takes one real source's sentences
    as its template, with its capitalised words and numbers swapped for made-up ones shared
    by the story's five sources (each source keeps a random two thirds of the sentences)."""
    rng = random.Random(seed)
    templates = [r for s in stories for r in s.sources]
    syllables = "ka lo mi ra ten vos dar uli pe sto bri nek hal zu".split()
    reports = []
    for story in range(count // 5):
        template = rng.choice(templates)
        names: dict[str, str] = {}

        def rename(match: re.Match[str], names: dict[str, str] = names) -> str:
            word = match.group(0)
            if word not in names:
                names[word] = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
            return names[word]

        base = [
            re.sub(r"\d+", lambda m: str(rng.randint(2, 99)), _NAME.sub(rename, s.translation))
            for s in template.sentences
        ]
        for member in range(5):
            kept = [s for s in base if rng.random() < 0.67] or base[:1]
            reports.append(
                SourceReport(
                    id=f"s{story}-{member}",
                    path=f"s{story}-{member}.txt",
                    language="en",
                    title=_NAME.sub(rename, template.title),
                    text="\n\n".join(kept),
                    translation="\n\n".join(kept),
                    sentences=[TranslatedSegment(s, s) for s in kept],
                    published=template.published,
                )
            )
    rng.shuffle(reports)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=Path, default=DEV, help="a story set folder")
    parser.add_argument("--quick", action="store_true", help="skip the 500-source scale check")
    parser.add_argument("--show", action="store_true", help="print groups, points, overview")
    args = parser.parse_args(argv)
    stories = read_stories(args.stories)
    result = score(stories)
    if args.show:
        show(result)
    if not args.quick:
        reports = synthetic_sources(stories)
        start = time.perf_counter()
        scaled = synthesize(reports, SynthesisConfig(), False, "extractive")
        seconds = time.perf_counter() - start
        print(
            f"scale: {len(reports)} synthetic sources in {seconds:.2f} s "
            f"({len(scaled.groups)} groups for {len(reports) // 5} stories; target < 10 s)"
        )
    citations = result["citations"]
    stated = sum(v.stated for _, _, v in citations)
    print(
        f"citations: {100 * stated / len(citations) if citations else 100:.0f}% of extra "
        f"citations stated in the cited source (n={len(citations)})"
    )
    if args.show:
        for text, source, verdict in citations:
            if not verdict.stated:
                print(f"  unstated [{source}] {text}\n    -> {verdict.reason}")
                print(f"    closest: {verdict.sentence}")
    facts, divs, covered = result["facts"], result["div_recall"], result["overview"]
    print(
        f"group_f1={result['group_f1']:.2f} fact_recall={facts[0]}/{facts[1]} "
        f"support={100 * result['support']:.0f}% div_recall={divs[0]}/{divs[1]} "
        f"div_precision={100 * result['div_precision']:.0f}% "
        f"overview_stories={covered[0]}/{covered[1]}"
    )
    return 0


def show(result: dict[str, Any]) -> None:
    data = result["synthesis"].to_dict()
    for group in data["groups"]:
        print(f"\n== {group['label']} {group['sources']}")
        for point in group["points"]:
            print(f"  * {point['text']} {point['citations']}")
        for d in group["divergences"]:
            sides = " | ".join(f"{s['label']} {s['citations']}" for s in d["sides"])
            print(f"  ! {d['kind']} {d['topic']}: {sides}")
    print("\ntimeline:")
    for e in data["timeline"]:
        print(f"  {e['date']} [{e['citation']}] {e['kind']} {e['mention']!r}")
    print("\noverview:\n" + result["overview_text"])
    print("\nflags:")
    for source, flags in data["flags"].items():
        for f in flags:
            print(f"  {source}: {f['type']}: {f['message']}")
    for note in getattr(result["synthesis"], "notes", []):
        print(f"  note: {note}")
    print()


if __name__ == "__main__":
    raise SystemExit(main())
