"""Cross-source synthesis: story groups, cited key points, divergences.

A briefing made of five separate summaries leaves the analyst to find out which sources
tell the same story, which statements several sources back, and where they disagree.
This module does that work on the English text of the briefed sources, and it does it
extractively, so nothing in the synthesis is invented:

* **Story groups.** Sources whose English texts are similar (TF-IDF cosine, average
  linkage, ``SynthesisConfig.group_threshold``) form one group; an unrelated source is a
  group of its own.
* **Key points.** A point is one translated sentence of one source. It is *supported*
  by another source when that source has a sentence similar enough to it
  (``support_threshold``); each point keeps the (source id, sentence index) pairs that
  support it and cites every source among them. Points backed by two or more sources
  are *corroborated* and come first; the others are marked single-source.
* **Divergences.** Rule-based, on the English text, and shown side by side:
  - *outcome*: what the sources say became of the story's subject, read with a small
    lexicon (``OUTCOMES``: will happen/agreed, under discussion, deferred, blocked,
    opposed), when sources make claims that can't all be true (``CONFLICTS``);
  - *number*: the same kind of thing counted differently ("thirty countries" and "31
    members");
  - *date*: the same statement with different dates;
  - *single-source*: specific claims (an outcome, a number or a date) that only one
    source makes.

The TF-IDF is a few lines of plain Python: the texts are a handful of articles, so a
dependency (scikit-learn, ~40 MB with SciPy) would buy nothing. ``synthesize`` is the
entry point; it also runs the quality flags (``pipeline.quality.flags``), the timeline
(``pipeline.synthesis.timeline``) and the glossary (``pipeline.translation.glossary``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.config.schema import SynthesisConfig
from pipeline.quality.flags import Flag, flag_sources
from pipeline.synthesis.timeline import (
    DateMention,
    PartialDate,
    TimelineEntry,
    article_date,
    build_timeline,
    english_sentences,
    find_dates,
)
from pipeline.text import ENGLISH_STOPWORDS
from pipeline.translation.glossary import Glossary, GlossaryUse, apply_glossary
from pipeline.types import SourceReport, Status

__all__ = [
    "CONFLICTS",
    "OUTCOMES",
    "Claim",
    "Divergence",
    "Group",
    "Point",
    "Side",
    "Synthesis",
    "SynthesisConfig",
    "outcome_of",
    "synthesize",
]


# ------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Claim:
    """One sentence of one source, as evidence on one side of a divergence."""

    text: str
    source: str
    citation: int
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source": self.source,
            "citation": self.citation,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Side:
    """What some sources say on a divergent question: a label and their sentences."""

    label: str
    claims: list[Claim]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(c.source for c in sorted(self.claims, key=_claim_order)))

    @property
    def citations(self) -> list[int]:
        return sorted({c.citation for c in self.claims})

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "sources": self.sources,
            "citations": self.citations,
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass(frozen=True)
class Divergence:
    """Claims that conflict across sources (two or more sides), or a claim only one
    source makes (``kind="single-source"``, one side)."""

    kind: str  # "outcome", "number", "date" or "single-source"
    topic: str
    sides: list[Side]

    @property
    def citations(self) -> list[int]:
        return sorted({n for side in self.sides for n in side.citations})

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "topic": self.topic,
            "citations": self.citations,
            "sides": [side.to_dict() for side in self.sides],
        }


@dataclass(frozen=True)
class Point:
    """A key point: one source's sentence, and every sentence of other sources backing it.

    ``support`` holds (source id, sentence index) pairs, the point's own sentence first;
    ``sources`` and ``citations`` are the sources among them, in briefing order.
    """

    text: str
    sources: list[str]
    citations: list[int]
    corroborated: bool
    support: list[tuple[str, int]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sources": list(self.sources),
            "citations": list(self.citations),
            "corroborated": self.corroborated,
            "support": [{"source": s, "sentence": i} for s, i in self.support],
        }


@dataclass(frozen=True)
class Group:
    """Sources that tell one story, with its key points and divergences."""

    sources: list[str]
    citations: list[int]
    label: str  # a few words the group's sources share, e.g. "office, tokyo, liaison"
    points: list[Point]
    divergences: list[Divergence]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "citations": list(self.citations),
            "label": self.label,
            "points": [p.to_dict() for p in self.points],
            "divergences": [d.to_dict() for d in self.divergences],
        }


@dataclass
class Synthesis:
    """All of it for one briefing. ``reports`` are the sources with the glossary applied:
    build the briefing from them, so the text agrees with the recorded glossary uses."""

    groups: list[Group] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    flags: dict[str, list[Flag]] = field(default_factory=dict)
    glossary: list[GlossaryUse] = field(default_factory=list)
    reports: list[SourceReport] = field(default_factory=list)

    def flags_for(self, source_id: str) -> list[Flag]:
        return list(self.flags.get(source_id, []))

    def to_dict(self) -> dict[str, Any]:
        """The JSON parts (``reports`` are the briefing's ``sources`` and not repeated)."""
        return {
            "groups": [g.to_dict() for g in self.groups],
            "timeline": [e.to_dict() for e in self.timeline],
            "flags": {sid: [f.to_dict() for f in flags] for sid, flags in self.flags.items()},
            "glossary": [u.to_dict() for u in self.glossary],
        }


# ------------------------------------------------------------------------- entry point


def synthesize(
    reports: Sequence[SourceReport],
    config: SynthesisConfig,
    test_models: bool,
    summary_method: str,
    glossary: Glossary | None = None,
) -> Synthesis:
    """The synthesis of a briefing's sources, in briefing order (citations are positions).

    Flags are computed on the reports as translated; the glossary is then applied, and
    groups and timeline are built from the glossed English. Sources that were not
    briefed (failed, skipped) get flags but take no part in groups or timeline.
    """
    flags = flag_sources(reports, config.flags, test_models, summary_method)
    glossed, uses = apply_glossary(reports, glossary)
    return Synthesis(
        groups=build_groups(glossed, config),
        timeline=build_timeline(glossed),
        flags=flags,
        glossary=uses,
        reports=glossed,
    )


# ------------------------------------------------------------------------------- terms

_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# Summaries' stopwords plus reporting verbs and fragments common in news copy.
_STOPWORDS = ENGLISH_STOPWORDS | frozenset(
    """say told tells added adds well even still yet already one two s t mr ms""".split()
)


def stem(word: str) -> str:
    """A crude English stem, enough to match "offices"/"office", "opposed"/"opposes".

    Not a linguistic stemmer: it only has to map the forms a sentence and its paraphrase
    in another source use onto one key.
    """
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "deferred" -> "defer", "planned" -> "plan"
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # "oppose" and "opposed" -> "oppos"
    return word


def terms(text: str) -> list[str]:
    """The content terms of a text: words minus function words, stemmed."""
    found = []
    for word in _WORD.findall(text):
        lower = word.lower().replace("’", "'")
        if lower in _STOPWORDS or lower.removesuffix("'s") in _STOPWORDS:
            continue
        if lower.isdigit() and len(lower) < 2:
            continue
        found.append(stem(lower))
    return found


class TfIdf:
    """TF-IDF vectors (sublinear tf, smoothed idf, unit length) over a small collection."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        documents = list(documents)
        self.count = len(documents)
        self.df: Counter[str] = Counter(t for doc in documents for t in set(doc))

    def idf(self, term: str) -> float:
        return math.log((1 + self.count) / (1 + self.df.get(term, 0))) + 1.0

    def vector(self, document: Sequence[str]) -> dict[str, float]:
        weights = {
            term: (1.0 + math.log(tf)) * self.idf(term) for term, tf in Counter(document).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


# ------------------------------------------------------------------------------ groups


@dataclass(frozen=True)
class _Sentence:
    source: str
    citation: int
    index: int
    text: str
    terms: tuple[str, ...]
    words: int
    common: frozenset[str]  # terms written in lower case: what is said, not who or where


@dataclass
class _Source:
    report: SourceReport
    citation: int
    sentences: list[_Sentence]
    reference: PartialDate | None = None  # the article date, for relative dates

    @property
    def id(self) -> str:
        return self.report.id


def _sources(reports: Sequence[SourceReport]) -> list[_Source]:
    sources = []
    for citation, report in enumerate(reports, start=1):
        if report.status is not Status.OK:
            continue
        sentences = [
            _Sentence(
                report.id,
                citation,
                index,
                text,
                tuple(terms(text)),
                len(_WORD.findall(text)),
                frozenset(_common_terms(text)),
            )
            for index, text in english_sentences(report)
        ]
        if any(s.terms for s in sentences):
            found = article_date(report)
            sources.append(_Source(report, citation, sentences, found[1] if found else None))
    return sources


def _common_terms(text: str) -> list[str]:
    """Content terms of the words written in lower case (the first word excluded: its
    capital says nothing)."""
    words = _WORD.findall(text)[1:]
    return [t for w in words if w[:1].islower() for t in terms(w)]


def build_groups(reports: Sequence[SourceReport], config: SynthesisConfig) -> list[Group]:
    """Story groups of the briefed sources, each with points and divergences, ordered by
    their first source's position in the briefing."""
    sources = _sources(reports)
    if not sources:
        return []
    documents = [[t for s in source.sentences for t in s.terms] for source in sources]
    model = TfIdf(documents)
    vectors = [model.vector(doc) for doc in documents]
    clusters = cluster(vectors, config.group_threshold)
    return [_group([sources[i] for i in members], config) for members in clusters]


def cluster(vectors: Sequence[dict[str, float]], threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering: merge the two most similar clusters while
    their mean pairwise cosine is at least ``threshold``. Average rather than single
    linkage, so one article that touches two stories doesn't chain them into one."""
    similarity = [[cosine(a, b) for b in vectors] for a in vectors]
    clusters = [[i] for i in range(len(vectors))]
    while len(clusters) > 1:
        best, pair = -1.0, (0, 0)
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                linkage = sum(similarity[i][j] for i in clusters[x] for j in clusters[y]) / (
                    len(clusters[x]) * len(clusters[y])
                )
                if linkage > best:
                    best, pair = linkage, (x, y)
        if best < threshold:
            break
        x, y = pair
        clusters[x] = sorted(clusters[x] + clusters[y])
        del clusters[y]
    return sorted(clusters, key=lambda members: members[0])


def _group(sources: list[_Source], config: SynthesisConfig) -> Group:
    sentences = [s for source in sources for s in source.sentences]
    model = TfIdf(s.terms for s in sentences)
    vectors = {(s.source, s.index): model.vector(s.terms) for s in sentences}
    points = _points(sources, vectors, config)
    divergences = _divergences(sources, vectors, model, points, config) if len(sources) > 1 else []
    return Group(
        sources=[s.id for s in sources],
        citations=[s.citation for s in sources],
        label=_label(sources, model),
        points=points,
        divergences=divergences,
    )


def _label(sources: list[_Source], model: TfIdf, size: int = 3) -> str:
    """A few words that say what the group is about: the words its sentences use most,
    weighted by idf so that the ones every sentence has don't crowd out the rest, and
    (for a group of several sources) used by at least two of them."""
    coverage: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for source in sources:
        seen = set()
        for sentence in source.sentences:
            for word in _WORD.findall(sentence.text):
                key = stem(word)
                if key in sentence.terms:
                    surface[key][re.sub(r"['’]s$", "", word)] += 1
                    seen.add(key)
        coverage.update(seen)
    minimum = min(2, len(sources))
    ranked = sorted(
        (t for t, n in coverage.items() if n >= minimum and not t[:1].isdigit()),
        key=lambda t: (-model.df[t] * model.idf(t), t),
    )
    return ", ".join(surface[t].most_common(1)[0][0] for t in ranked[:size])


# ------------------------------------------------------------------------------ points


@dataclass
class _Candidate:
    sentence: _Sentence
    support: list[tuple[_Sentence, float]]  # the best sentence of each supporting source

    @property
    def corroborated(self) -> bool:
        return bool(self.support)


def _points(
    sources: list[_Source],
    vectors: dict[tuple[str, int], dict[str, float]],
    config: SynthesisConfig,
) -> list[Point]:
    """Greedy choice of key points: most widely supported first, then (to fill up) the
    most central single-source sentences, never two points that say the same thing."""
    candidates = []
    for source in sources:
        for sentence in source.sentences:
            if not _is_point(sentence, config):
                continue
            support = []
            for other in sources:
                if other is not source:
                    best = _best_support(sentence, other, vectors, config)
                    if best is not None:
                        support.append(best)
            candidates.append(_Candidate(sentence, support))

    centrality = _centrality(sources, vectors)

    def order(candidate: _Candidate) -> tuple[float, ...]:
        s = candidate.sentence
        return (
            -len(candidate.support),
            -sum(sim for _, sim in candidate.support),
            -centrality[(s.source, s.index)],
            s.citation,
            s.index,
        )

    chosen: list[_Candidate] = []
    used: set[tuple[str, int]] = set()
    for candidate in sorted(candidates, key=order):
        if len(chosen) >= config.max_points:
            break
        key = (candidate.sentence.source, candidate.sentence.index)
        vector = vectors[key]
        if key in used or any(
            cosine(vector, vectors[(c.sentence.source, c.sentence.index)])
            >= config.support_threshold
            for c in chosen
        ):
            continue
        chosen.append(candidate)
        used.add(key)
        used.update((s.source, s.index) for s, _ in candidate.support)
    # Corroborated points stay in order of support; single-source ones read in text order.
    corroborated = [c for c in chosen if c.corroborated]
    single = sorted((c for c in chosen if not c.corroborated), key=lambda c: _order(c.sentence))
    return [_point(c) for c in corroborated + single]


def _is_point(sentence: _Sentence, config: SynthesisConfig) -> bool:
    """A whole statement: long enough, ending like a sentence (not a heading, caption or
    dateline)."""
    return sentence.words >= config.min_point_words and bool(_STATEMENT_END.search(sentence.text))


_STATEMENT_END = re.compile(r"[.!?…][\"”’»')\]]*$")


def _best_support(
    sentence: _Sentence,
    other: _Source,
    vectors: dict[tuple[str, int], dict[str, float]],
    config: SynthesisConfig,
) -> tuple[_Sentence, float] | None:
    """The sentence of ``other`` most similar to ``sentence``, if it says the same thing.

    Similar enough (``support_threshold``) and sharing at least one lower-case word: two
    sentences that only list the same names ("Australia, Japan, New Zealand and South
    Korea") are about the same people, not the same statement.
    """
    vector = vectors[(sentence.source, sentence.index)]
    best: tuple[_Sentence, float] | None = None
    for candidate in other.sentences:
        if not sentence.common & candidate.common:
            continue
        similarity = cosine(vector, vectors[(candidate.source, candidate.index)])
        if similarity >= config.support_threshold and (best is None or similarity > best[1]):
            best = (candidate, similarity)
    return best


def _centrality(
    sources: list[_Source], vectors: dict[tuple[str, int], dict[str, float]]
) -> dict[tuple[str, int], float]:
    """How typical a sentence is of its own source (mean cosine to its other sentences),
    with the lead sentences weighted up a little, because news puts the point first."""
    scores = {}
    for source in sources:
        keys = [(s.source, s.index) for s in source.sentences]
        for position, key in enumerate(keys):
            others = [cosine(vectors[key], vectors[k]) for k in keys if k != key]
            score = sum(others) / len(others) if others else 0.0
            scores[key] = score * (1.15 if position < 3 else 1.0)
    return scores


def _point(candidate: _Candidate) -> Point:
    own = candidate.sentence
    backing = sorted([own] + [s for s, _ in candidate.support], key=lambda s: s.citation)
    return Point(
        text=own.text,
        sources=list(dict.fromkeys(s.source for s in backing)),
        citations=sorted({s.citation for s in backing}),
        corroborated=candidate.corroborated,
        support=[(own.source, own.index)] + [(s.source, s.index) for s, _ in candidate.support],
    )


# ------------------------------------------------------------------------------ outcomes


@dataclass(frozen=True)
class Outcome:
    """One kind of outcome and the English phrases that claim it.

    ``patterns`` claim the outcome wherever they stand (unless negated: "has not been
    postponed" is no claim of a delay). ``negated`` phrases claim it only in a sentence
    that says "no" or "not" before them: "no liaison office ... for the time being".
    """

    key: str
    label: str  # how a divergence shows it
    patterns: tuple[str, ...]
    negated: tuple[str, ...] = ()


# What sources say became of the subject, strongest first: a sentence that says the
# reference to "further discussion" was "struck" is a "blocked" claim, not "in talks".
# Regular expressions, matched case-insensitively on whole words of the English.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "blocked",
        "blocked or struck out",
        (
            r"block(?:s|ed|ing)?",
            r"veto(?:es|ed|ing)?",
            r"struck",
            r"scrap(?:s|ped|ping)?",
            r"(?:removed|deleted|dropped) from",
            r"ruled? out",
        ),
    ),
    Outcome(
        "deferred",
        "deferred or not for now",
        (
            r"defer(?:s|red|ring)?",
            r"postpon(?:e|es|ed|ing)",
            r"delay(?:s|ed|ing)?",
            r"put off",
            r"shelved?",
        ),
        negated=(r"for the time being", r"for now"),
    ),
    Outcome(
        "agreed",
        "will happen or agreed",
        (
            r"will (?:open|establish|set up|create|launch)",
            r"will be (?:opened|established|set up|created|launched)",
            r"(?:is|are) (?:set|going|due) to (?:open|establish|set up|create|launch)",
            r"(?:has|have|had) (?:decided|agreed) to",
            r"decided to",
            r"decision to (?:open|establish|set up|create|launch)",
            r"agreed|approved|endorsed",
        ),
    ),
    Outcome(
        "opposed",
        "opposed",
        (
            r"oppos(?:e|es|ed|ing)",
            r"opposition to",
            r"(?:is|are|was|were|be|stance|position) against",
            r"object(?:s|ed)? to",
            r"reject(?:s|ed|ing)?",
            r"inappropriate",
        ),
    ),
    Outcome(
        "in_talks",
        "under discussion or planned",
        (
            r"talks",
            r"discussions?",
            r"discuss(?:es|ed|ing)?",
            r"negotiat(?:e|es|ed|ing|ions?)",
            r"(?:draft )?proposals?",
            r"consider(?:s|ed|ing)",
            r"plan(?:s|ned)? to",
        ),
        negated=(r"finali[sz]ed",),
    ),
)

#: Outcome pairs that can't both be true of one subject at one time.
CONFLICTS: frozenset[frozenset[str]] = frozenset(
    {
        frozenset({"agreed", "deferred"}),
        frozenset({"agreed", "blocked"}),
        frozenset({"agreed", "in_talks"}),
    }
)


def _phrases(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


# Sides of an outcome divergence read from "it will happen" to "it won't".
_SIDE_ORDER = ("agreed", "in_talks", "deferred", "blocked", "opposed")

_OUTCOME_RES = [(o, _phrases(o.patterns), _phrases(o.negated)) for o in OUTCOMES]
# A negation shortly before a phrase: "has not been postponed", "no ... for now".
_NEGATION_NEAR = re.compile(r"\b(?:not|no|never|nor|without)\b[\w\s]{0,20}$|n't\s+\w*\s*$", re.I)
_NEGATION_BEFORE = re.compile(r"\b(?:not|no)\b", re.IGNORECASE)
_WINDOW_BEFORE = 6  # words before the outcome phrase that may name its subject (passive)
_WINDOW_AFTER = 8  # words after it (active: "will open its first Asian office")


def outcome_of(sentence: str) -> tuple[Outcome, re.Match[str]] | None:
    """The strongest outcome a sentence claims, and the phrase that claims it."""
    for outcome, plain, negated in _OUTCOME_RES:
        for match in plain.finditer(sentence) if plain else ():
            if not _NEGATION_NEAR.search(sentence[: match.start()]):
                return outcome, match
        for match in negated.finditer(sentence) if negated else ():
            if _NEGATION_BEFORE.search(sentence[: match.start()]):
                return outcome, match
    return None


@dataclass(frozen=True)
class _OutcomeClaim:
    outcome: Outcome
    sentence: _Sentence
    window: frozenset[str]  # content terms around the outcome phrase: what it is about
    phrase: frozenset[str]  # the terms of the outcome phrase itself ("defer", "struck")


def _outcome_claims(sources: list[_Source]) -> list[_OutcomeClaim]:
    claims = []
    for source in sources:
        for sentence in source.sentences:
            found = outcome_of(sentence.text)
            if found is None:
                continue
            outcome, match = found
            before = terms(sentence.text[: match.start()])[-_WINDOW_BEFORE:]
            after = terms(sentence.text[match.end() :])[:_WINDOW_AFTER]
            claims.append(
                _OutcomeClaim(
                    outcome, sentence, frozenset(before + after), frozenset(terms(match[0]))
                )
            )
    return claims


def _outcome_divergence(sources: list[_Source], model: TfIdf) -> Divergence | None:
    """Sources' outcome claims about the group's subject, side by side, when they conflict.

    The subject is the word found around outcome phrases in the most sources (ties: the
    rarer word in the group), e.g. "office" when one source says NATO "will open its first Asian
    office" and another that it will "defer its decision on ... a liaison office". Only
    claims that mention the subject count, so "Japan's decision to open a diplomatic
    mission" does not contradict a deferred office.
    """
    claims = _outcome_claims(sources)
    outcome_words = {t for claim in claims for t in claim.phrase}
    spread: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        for term in claim.window - outcome_words:
            if not term.isdigit():
                spread[term].add(claim.sentence.source)
    subjects = [t for t, ids in spread.items() if len(ids) >= 2]
    if not subjects:
        return None
    subject = min(subjects, key=lambda t: (-len(spread[t]), -model.idf(t), t))
    on_topic = [c for c in claims if subject in c.window]
    by_outcome: dict[str, list[_OutcomeClaim]] = defaultdict(list)
    for claim in on_topic:
        by_outcome[claim.outcome.key].append(claim)
    conflict = any(
        a.sentence.source != b.sentence.source
        for pair in CONFLICTS
        for first, second in [tuple(pair)]
        for a in by_outcome.get(first, [])
        for b in by_outcome.get(second, [])
    )
    if not conflict:
        return None
    sides = []
    for outcome in sorted(OUTCOMES, key=lambda o: _SIDE_ORDER.index(o.key)):
        first_per_source: dict[str, _OutcomeClaim] = {}
        for claim in sorted(by_outcome.get(outcome.key, []), key=lambda c: _order(c.sentence)):
            first_per_source.setdefault(claim.sentence.source, claim)
        if first_per_source:
            sides.append(
                Side(outcome.label, [_claim(c.sentence) for c in first_per_source.values()])
            )
    return Divergence("outcome", _surface(subject, on_topic), sides)


def _surface(term: str, claims: Sequence[_OutcomeClaim]) -> str:
    words = Counter(
        w.lower() for c in claims for w in _WORD.findall(c.sentence.text) if stem(w) == term
    )
    return words.most_common(1)[0][0] if words else term


# ------------------------------------------------------------------------------- numbers

_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update(
    {
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
        "dozen": 12,
    }  # fmt: skip
)
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_QUANTITY = re.compile(
    r"(?<![\w.,-])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s+(?P<multiplier>thousand|million|billion|trillion))?"
    r"(?:\s*(?P<percent>%|per ?cent\b))?"
    r"(?![\w-])(?:\s+(?P<unit>[A-Za-z][\w-]*))?",
    re.IGNORECASE,
)
# Nouns that count the same thing in a story about an alliance or a body: "thirty
# countries" and "31 members" are both a membership count.
UNIT_ALIASES = {"country": "member", "state": "member", "ally": "member", "nation": "member"}
_MIN_COUNT = 3  # "two security regions", "one defence minister": incidental, not claims


@dataclass(frozen=True)
class _Quantity:
    value: float
    unit: str
    text: str
    sentence: _Sentence


def quantities(
    text: str, dates: Sequence[DateMention] | None = None
) -> list[tuple[float, str, str]]:
    """(value, unit, words) for each counted thing in an English sentence.

    Years, numbers inside dates and times, adjectives ("two-day") and small counts are
    left out; the unit is the stemmed noun after the number (with ``UNIT_ALIASES``).
    ``dates`` are the sentence's date mentions, found here when not given.
    """
    if dates is None:
        dates = find_dates(text)
    spans = [(m.start, m.end) for m in dates]
    found = []
    for match in _QUANTITY.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        raw = match["number"].lower()
        if raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100:
            continue
        if text[match.end("number") : match.end("number") + 1] == ":":
            continue  # a time, 11:17
        value = _NUMBER_WORDS.get(raw)
        if value is None:
            value = float(raw.replace(",", ""))
        value = float(value) * _MULTIPLIERS.get((match["multiplier"] or "").lower(), 1.0)
        if match["percent"]:
            unit = "percent"
        elif match["unit"] and match["unit"].lower() not in _STOPWORDS:
            unit = stem(match["unit"])
            unit = UNIT_ALIASES.get(unit, unit)
        else:
            continue
        if value < _MIN_COUNT and not match["multiplier"] and not match["percent"]:
            continue
        found.append((value, unit, match.group(0)))
    return found


def _entities(text: str) -> set[str]:
    """Capitalised words after the first (names: NATO, France, Europe), lower-cased."""
    words = _WORD.findall(text)
    return {w.lower() for w in words[1:] if w[:1].isupper()}


def _number_divergences(sources: list[_Source]) -> list[Divergence]:
    """The same unit counted differently by different sources. A pair only counts when
    its sentences share a name (both say "NATO"), so "31 members" of NATO and "three
    members" of something else elsewhere don't make a conflict."""
    by_unit: dict[str, list[_Quantity]] = defaultdict(list)
    for source in sources:
        for sentence in source.sentences:
            dates = find_dates(sentence.text, source.reference)
            for value, unit, words in quantities(sentence.text, dates):
                by_unit[unit].append(_Quantity(value, unit, words, sentence))
    divergences = []
    for unit, found in sorted(by_unit.items()):
        conflicting = any(
            a.value != b.value
            and a.sentence.source != b.sentence.source
            and _entities(a.sentence.text) & _entities(b.sentence.text)
            for a in found
            for b in found
        )
        if not conflicting:
            continue
        sides = []
        for value in sorted({q.value for q in found}):
            same = sorted((q for q in found if q.value == value), key=lambda q: _order(q.sentence))
            first_per_source = {q.sentence.source: q for q in reversed(same)}
            label = f"{_format_number(value)} {_plural(unit, value)}"
            claims = [_claim(q.sentence) for q in reversed(list(first_per_source.values()))]
            sides.append(Side(label, sorted(claims, key=_claim_order)))
        divergences.append(Divergence("number", _plural(unit, 2), sides))
    return divergences


def _format_number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0")


def _plural(unit: str, value: float) -> str:
    if unit == "percent" or value == 1:
        return unit
    if unit.endswith("y") and unit[-2:-1] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"


# --------------------------------------------------------------------------------- dates


def _date_divergences(
    sources: list[_Source],
    vectors: dict[tuple[str, int], dict[str, float]],
    config: SynthesisConfig,
) -> list[Divergence]:
    """The same statement (sentences similar enough to support each other) dated
    differently by two sources, e.g. a visit "in January" and "in February"."""
    dated: list[tuple[_Sentence, list[DateMention]]] = []
    for source in sources:
        for sentence in source.sentences:
            mentions = [
                m
                for m in find_dates(sentence.text, source.reference)
                if m.date is not None or m.month is not None
            ]
            if mentions and sentence.words >= config.min_point_words:
                dated.append((sentence, mentions))
    divergences = []
    seen: set[frozenset[tuple[str, int]]] = set()
    for i, (a, a_dates) in enumerate(dated):
        for b, b_dates in dated[i + 1 :]:
            if a.source == b.source:
                continue
            pair = frozenset({(a.source, a.index), (b.source, b.index)})
            if pair in seen:
                continue
            similar = cosine(vectors[(a.source, a.index)], vectors[(b.source, b.index)])
            if similar < config.support_threshold or not a.common & b.common:
                continue
            if any(_compatible(x, y) for x in a_dates for y in b_dates):
                continue
            seen.add(pair)
            sides = [
                Side(_date_label(dates), [_claim(s)])
                for s, dates in sorted([(a, a_dates), (b, b_dates)], key=lambda p: _order(p[0]))
            ]
            divergences.append(Divergence("date", "date", sides))
    return divergences


def _fields(mention: DateMention) -> tuple[int | None, int | None, int | None]:
    if mention.date is not None:
        return mention.date.year, mention.date.month, mention.date.day
    return None, mention.month, mention.day


def _compatible(a: DateMention, b: DateMention) -> bool:
    """Two mentions that could be the same date: equal wherever both are known."""
    return all(
        x is None or y is None or x == y for x, y in zip(_fields(a), _fields(b), strict=True)
    )


def _date_label(mentions: Sequence[DateMention]) -> str:
    return "; ".join(m.date.iso() if m.date else m.text for m in mentions)


# --------------------------------------------------------------------------- divergences


def _divergences(
    sources: list[_Source],
    vectors: dict[tuple[str, int], dict[str, float]],
    model: TfIdf,
    points: list[Point],
    config: SynthesisConfig,
) -> list[Divergence]:
    """Conflicts first (outcome, numbers, dates), then single-source claims."""
    found: list[Divergence] = []
    outcome = _outcome_divergence(sources, model)
    if outcome is not None:
        found.append(outcome)
    found += _number_divergences(sources)
    found += _date_divergences(sources, vectors, config)
    found += _single_source(sources, vectors, points, found, config)
    return found


def _single_source(
    sources: list[_Source],
    vectors: dict[tuple[str, int], dict[str, float]],
    points: list[Point],
    conflicts: list[Divergence],
    config: SynthesisConfig,
) -> list[Divergence]:
    """Specific claims (an outcome, a number or a date) no other source backs.

    Sentences already shown (as a single-source point or in a conflict) are not listed
    again; at most two per source, so one long article doesn't fill the list.
    """
    if config.max_single_source == 0:
        return []
    shown = {(s, i) for p in points if not p.corroborated for s, i in p.support}
    shown |= {(c.source, c.sentence) for d in conflicts for side in d.sides for c in side.claims}
    scored = []
    for source in sources:
        others = [o for o in sources if o is not source]
        for sentence in source.sentences:
            key = (sentence.source, sentence.index)
            if key in shown or not _is_point(sentence, config):
                continue
            specific = 0
            if outcome_of(sentence.text) is not None:
                specific += 2
            dates = find_dates(sentence.text, source.reference)
            if quantities(sentence.text, dates):
                specific += 1
            if any(m.date is not None for m in dates):
                specific += 1
            if not specific:
                continue
            if any(_best_support(sentence, o, vectors, config) for o in others):
                continue
            scored.append((-specific, sentence.citation, sentence.index, sentence))
    listed: list[Divergence] = []
    per_source: Counter[str] = Counter()
    for *_, sentence in sorted(scored, key=lambda item: item[:3]):
        if len(listed) >= config.max_single_source:
            break
        if per_source[sentence.source] >= 2:
            continue
        per_source[sentence.source] += 1
        listed.append(
            Divergence("single-source", "claim", [Side("only this source", [_claim(sentence)])])
        )
    return sorted(listed, key=lambda d: _claim_order(d.sides[0].claims[0]))


# ------------------------------------------------------------------------------- helpers


def _claim(sentence: _Sentence) -> Claim:
    return Claim(sentence.text, sentence.source, sentence.citation, sentence.index)


def _order(sentence: _Sentence) -> tuple[int, int]:
    return sentence.citation, sentence.index


def _claim_order(claim: Claim) -> tuple[int, int]:
    return claim.citation, claim.sentence
