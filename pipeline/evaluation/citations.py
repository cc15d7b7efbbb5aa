"""Does a cited source state the point? A reader's check of a briefing's extra citations.

A point is one source's sentence; every other source it cites should have a sentence that
says the same thing. Checking only that the point's numbers appear somewhere in the cited
source misses a citation of a wire that talks about the same fire but never says it was
arson, or a wire that says the rover "is due to roll out" cited for "the rover had rolled
down a ramp". This check is lexical, conservative (a loose paraphrase passes; only clear
signs fail) and explainable, each failing verdict with its reason:

* **quote**: a quotation in the point is in a sentence of the source (most of its runs of
  three words);
* **subject**: a point that opens with a common word ("Shares of Meta ended ...") has that
  subject in the source;
* **claim**: unless one sentence holds ``threshold`` of the point's words (each weighted by
  its rarity in the briefing), some sentence has one of the point's figures, or a fair
  share of the point with one of its rarer words ("deliberately", not "fire", in a story
  about a fire);
* **modality**: the closest sentence does not make a plan of what the point states as done
  ("is due to roll out" for "had rolled down"), and neither of the two denies what the
  other states ("not eligible").

Figures are left to the benchmark's ``support`` score (every number of a point in each cited
source), which reads "25 basis points" as 0.25 points.

It is deliberately independent of the synthesis's own citation rule
(``pipeline.synthesis.citations``), so the benchmark does not grade that rule by itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.text import ENGLISH_STOPWORDS

__all__ = ["CitationCheck", "Verdict"]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*")
# "NEW YORK, May 22 - ": the place and date before a wire's first sentence.
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+,[^-–—]{0,40}\s[-–—]\s+")
_QUOTE = re.compile(r'[“"]([^”"]{8,})[”"]')
_DIGITS = re.compile(r"(?<![\w.])(?<![^\W\d_]-)\d+(?:[.,]\d+)*")
# Words that say who reported a thing or when, not what happened.
_FILLER = ENGLISH_STOPWORDS | frozenset(
    """say said says saying told tell tells added adds according also yesterday today
    tonight morning evening afternoon night week weeks year years month months day days
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec mr ms mrs dr per cent percent one two three four five six seven
    eight nine ten its it's has been being yet however meanwhile""".split()
)
# Words that open a subject with its amount: "Tens of thousands of doctors".
_AMOUNTS = frozenset(
    """tens hundreds thousands millions dozens scores many most few several all both each
    every half""".split()
)
# Words that make what follows a plan, a forecast or a denial, not a thing done.
_MODAL = frozenset(
    """not no never nor without cannot will would could might may shall should must
    before until unless if once""".split()
)
# "... to": "is due to roll out", "is still to", "plans to".
_BEFORE_TO = frozenset(
    """is are was were still due set plans plan planned aims intends hopes likely going""".split()
)
# ... and a forecast: "expects inflation to fall".
_FORECAST = frozenset("expects expect expected forecast forecasts projected sees".split())
_NEGATIONS = frozenset("not no never nor without cannot".split())
_MODAL_REACH = 1  # a modal right before a word governs it ("would end", "not eligible")


def _fold(word: str) -> str:
    """A word for matching: lower case, no possessive, a few English endings off."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    for suffix in ("ing", "ied", "ies", "ed", "es", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2]:  # "rolled" -> "roll", "stopped" -> "stop"
        word = word if word[-1] in "ls" else word[:-1]
    return word.removesuffix("e") if len(word) > 3 else word


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _like(a: str, b: str) -> bool:
    """One word in two forms: the same first letters ("Greek"/"Greece", "shares"/"share")."""
    a, b = a.lower(), b.lower()
    size = max(4, min(len(a), len(b)) - 3)
    return a[:size] == b[:size] and min(len(a), len(b)) >= min(size, len(a))


def _runs(text: str) -> set[tuple[str, ...]]:
    """Runs of three words in order: a quotation is in a source that has most of them."""
    words = [_fold(t) for t in _tokens(text)]
    return set(zip(words, words[1:], words[2:], strict=False))


def _figures(text: str) -> set[str]:
    return {m.replace(",", "").rstrip(".") for m in _DIGITS.findall(text)}


@dataclass(frozen=True)
class Verdict:
    """Whether a cited source states a point, and why (or why not)."""

    stated: bool
    reason: str  # "" when stated
    coverage: float  # weighted share of the point's words in ``sentence``
    sentence: str | None  # the source's sentence closest to the point


@dataclass
class CitationCheck:
    """The check, with word rarities learnt from every sentence of a briefing."""

    sentences: Sequence[str]
    threshold: float = 0.5
    _df: Counter[str] = field(default_factory=Counter, init=False)
    _inside: set[str] = field(default_factory=set, init=False)  # capitalised mid-sentence
    _texts: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        for sentence in self.sentences:
            self._texts.add(sentence)
            self._texts.add(_DATELINE.sub("", sentence))
            tokens = _tokens(_DATELINE.sub("", sentence))
            self._df.update({_fold(t) for t in tokens})
            self._inside.update(t for t in tokens[1:] if t[:1].isupper())

    def weight(self, word: str) -> float:
        """Rarity (inverse document frequency over the briefing's sentences)."""
        return math.log((1 + len(self.sentences)) / (1 + self._df[_fold(word)])) + 1.0

    def names(self, text: str) -> list[str]:
        """The point's names: capitalised words (the first word of the sentence only when
        the briefing never writes it in lower case)."""
        found = []
        for position, token in enumerate(_tokens(text)):
            if not token[:1].isupper() or len(token) < 2 or token.lower() in _FILLER:
                continue
            if token.isupper():  # an acronym: "US" is also "U.S." or "the United States"
                continue
            if position == 0 and token not in self._inside:
                continue
            found.append(token)
        return found

    def words(self, text: str) -> list[str]:
        """The point's words that say what happened (names included, fillers not)."""
        return list(
            dict.fromkeys(
                _fold(t)
                for t in _tokens(text)
                if not t[0].isdigit() and len(t) > 2 and t.lower() not in _FILLER
            )
        )

    def check(self, point: str, source: Sequence[str]) -> Verdict:
        """Does one of ``source``'s sentences state ``point``? Each test that fails names
        what the source lacks; a loose paraphrase ("lifted its base rate to 5.25%" for
        "raised interest rates to 5.25%") passes them all."""
        text = " ".join(source)
        wanted = self.words(point)
        total = sum(self.weight(w) for w in wanted) or 1.0
        shares = {}
        for sentence in source:
            own = {_fold(t) for t in _tokens(sentence)}
            shares[sentence] = sum(self.weight(w) for w in wanted if w in own) / total
        best = max(shares, key=lambda s: shares[s], default=None)
        best_share = shares[best] if best is not None else 0.0

        def fails(reason: str) -> Verdict:
            return Verdict(False, reason, best_share, best)

        for quote in _QUOTE.findall(point):
            runs = _runs(quote)
            if runs and not any(len(runs & _runs(s)) >= 0.5 * len(runs) for s in source):
                return fails(f"quote not in source: {quote!r}")
        subject = self.subject(point)
        if subject and not any(_like(w, t) for w in subject for t in _tokens(text)):
            return fails(f"subject not in source: {' '.join(subject)!r}")
        if best_share < self.threshold and not self._carries(point, source, shares):
            return fails(
                "no sentence of the source has the point's rarer words or figures: "
                + ", ".join(self.claim_words(point) + sorted(_figures(point)))
            )
        turned = _turned(point, best or "", set(wanted))
        if turned:
            return fails(f"a plan or denial in the source: {turned!r}")
        return Verdict(True, "", best_share, best)

    def _carries(self, point: str, source: Sequence[str], shares: dict[str, float]) -> bool:
        """A sentence with one of the point's figures, or holding a fair share of the point
        (``threshold`` * 0.6) with one of its rarer words: a loose paraphrase ("TUI
        cancelled departures to the island") carries the claim; a sentence on the same
        topic without them does not."""
        claim = set(self.claim_words(point))
        figures = _figures(point)
        if not claim and not figures:
            return True
        for sentence in source:
            if figures & _figures(sentence):
                return True
            if shares.get(sentence, 0.0) >= 0.6 * self.threshold and claim & {
                _fold(t) for t in _tokens(sentence)
            }:
                return True
        return False

    def subject(self, point: str) -> list[str]:
        """The words that open the point up to its first function word or past tense,
        when the first is no name (the briefing never capitalises it inside a sentence):
        "Shares" of "Shares of Meta ended ...", "Consumer price inflation" of "Consumer
        price inflation was 7.9%". Empty when the point opens with a name or a filler."""
        tokens = _tokens(_DATELINE.sub("", point))
        if not tokens or tokens[0].lower() in _FILLER | _AMOUNTS or tokens[0][0].isdigit():
            return []
        if tokens[0] in self._inside:
            return []
        run = [tokens[0]]
        for token in tokens[1:]:
            if token.lower() in _FILLER or token.endswith("ed") or token[0].isdigit():
                break
            run.append(token)
        return run

    def claim_words(self, point: str) -> list[str]:
        """The rarer half of the point's common words that another sentence of the briefing
        also uses: what sets its claim apart ("deliberately", not "fire"); a word only the
        point uses ("blackened") can't tell a supporting source from another."""
        names = {_fold(n) for n in self.names(point)}
        own = int(point in self._texts)
        common = [w for w in self.words(point) if w not in names and self._df[w] > own]
        ranked = sorted(common, key=lambda w: (-self.weight(w), w))
        return ranked[: (len(ranked) + 1) // 2]


def _governed(text: str, aims: bool) -> dict[str, str]:
    """Each folded word of ``text`` that a negation or plan marker governs -> the marker:
    a modal or negation right before it ("not eligible", "will appeal", "before members
    vote"), or a "to" right before it after a plan word ("is due to roll out", "expects
    inflation to fall"); with ``aims``, any "to" ("a deal to end the strike")."""
    tokens = [t.replace("’", "'") for t in _tokens(text)]
    found: dict[str, str] = {}
    for i, token in enumerate(tokens):
        marker = next(
            (
                tokens[j]
                for j in range(i - 1, max(-1, i - 1 - _MODAL_REACH), -1)
                if tokens[j] in _MODAL or tokens[j].endswith("n't")  # lower case: not "May"
            ),
            None,
        )
        if marker is None and i >= 2 and tokens[i - 1] == "to":
            if tokens[i - 2] in _BEFORE_TO:
                marker = f"{tokens[i - 2]} to"
            elif any(w in _FORECAST for w in tokens[max(0, i - 4) : i - 1]):
                marker = "forecast to"
            elif aims:
                marker = "to"
        if marker:
            found.setdefault(_fold(token), marker)
    return found


def _turned(point: str, sentence: str, shared: Iterable[str]) -> str:
    """A word the two share that the sentence makes a plan of where the point states it
    ("is due to roll out" for "had rolled down"), or that one of them denies."""
    mine, theirs = _governed(point, aims=True), _governed(sentence, aims=False)
    own = {_fold(t) for t in _tokens(sentence)}
    for word in shared:
        if word in _FILLER or word not in own:
            continue
        if word in theirs and word not in mine:
            return f"{theirs[word]} ... {word}"
        denied_here = mine.get(word) in _NEGATIONS
        denied_there = theirs.get(word) in _NEGATIONS
        if denied_here != denied_there:
            return f"{mine.get(word) if denied_here else theirs.get(word)} ... {word}"
    return ""
