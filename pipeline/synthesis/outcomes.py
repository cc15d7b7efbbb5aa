"""What sources say became of a story's subject: done, under discussion, deferred,
blocked, opposed. A small English lexicon of outcome phrases, with negation ("has not
been postponed" claims no delay) and hypothetical framing ("threatened to block", "could
be agreed") read as no claim at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CONFLICTS", "OUTCOMES", "Outcome", "conflicting", "outcome_of"]


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
    # A verdict: a court or jury convicts or acquits ("found not guilty" is an acquittal;
    # "pleaded not guilty" is a plea, no verdict; "was not convicted" claims neither).
    Outcome(
        "acquitted",
        "acquitted or cleared",
        (
            r"acquit(?:s|ted|ting)?",
            r"acquittal",
            r"found (?:[\w'’-]+ ){0,5}?not guilty",
            r"not guilty verdicts?",
            r"cleared (?:him |her |them )?of",
        ),
    ),
    Outcome(
        "convicted",
        "convicted or found guilty",
        (
            # Not the adjective: "a convicted fraudster", "the convicted man".
            r"(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\btwice )convict(?:s|ed|ing)?(?=\s+\w)",
            r"(?:was|were|been|be) convicted",
            r"found (?:[\w'’-]+ ){0,5}?guilty",  # after "not guilty", read first
            r"guilty verdicts?",
        ),
    ),
    # A thing rejected ("the reform was rejected", "voted down") is blocked; a party that
    # rejects ("China has rejected such attempts") opposes.
    Outcome(
        "blocked",
        "blocked or struck out",
        (
            r"block(?:s|ed|ing)?",
            r"veto(?:es|ed|ing)?",
            # "struck down", "struck out", "struck from the text", "had to be struck": the
            # blocking sense; a bare active "struck" is a blow ("an earthquake struck the
            # coast", "struck a gavel", "struck the doors three times").
            r"struck (?:[\w'’-]+ ){0,3}?(?:down|out|off|from)",
            r"(?:was|were|been|be|being|is|are|get|got) struck(?! by an? )",
            r"scrap(?:s|ped|ping)?",
            r"(?:removed|deleted|dropped|taken out|cut|excluded|left out) (?:from|of)",
            r"ruled? out",
            r"(?:was|were|been|be) rejected",
            r"voted (?:to reject|against)",
            r"(?:voted|turned) down",
            r"thr(?:ew|own) out",
            r"cancel(?:s|led|ed|ling|ing)?",
            r"called off",
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
            r"agreed|approved|endorsed|adopted|ratified|accepted",
            r"(?:was|were|been|be) passed",
            # Active: a chamber "passed the asylum bill", "passed the reform by 305 to 190".
            r"passed (?:the |a |an |its |their )?(?:[\w-]+ ){0,3}?(?:bill|law|motion|budget|"
            r"reform|legislation|resolution|measure|amendment|act|treaty|text)s?",
            r"passed (?:it |the text )?by \d",
            r"(?:included|kept|retained) in",
            r"(?:went|go|goes|going) ahead",
            r"took place",
            r"as (?:planned|scheduled)",
            r"(?:gave|give|gives|given|won|wins|received?) (?:its |their |the |final |formal )*"
            r"(?:approval|go-ahead|green light)",
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
        "confirmed",
        "confirmed",
        (r"confirm(?:s|ed|ing)?",),
    ),
    Outcome(
        "denied",
        "denied",
        (r"den(?:y|ies|ied|ying)", r"dismissed (?:reports|claims|suggestions)"),
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
        frozenset({"confirmed", "denied"}),
        frozenset({"convicted", "acquitted"}),
    }
)


def _phrases(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


# Sides of an outcome divergence read from "it will happen" to "it won't".
_SIDE_ORDER = (
    "convicted",
    "acquitted",
    "agreed",
    "in_talks",
    "deferred",
    "blocked",
    "opposed",
    "confirmed",
    "denied",
)

_OUTCOME_RES = [(o, _phrases(o.patterns), _phrases(o.negated)) for o in OUTCOMES]
# A negation shortly before a phrase: "has not been postponed", "no ... for now".
# A denial negates what it denies: "denied that the vote had been called off".
_NEGATION_NEAR = re.compile(
    r"\b(?:not|no|never|nor|without|den(?:y|ies|ied|ying))\b[\w\s]{0,20}$|n't\s+\w*\s*$", re.I
)
_NEGATION_BEFORE = re.compile(r"\b(?:not|no)\b", re.IGNORECASE)
# Framing that makes what follows no claim: "threatened to block", "could be agreed",
# "if Budapest kept blocking it", "wanted to hold", "documents to be adopted" (but "had
# to be struck" is a claim).
_HYPOTHETICAL = re.compile(
    r"\b(?:threat(?:en|ened|ens)? to|could|would|might|may|if|unless|whether|want(?:s|ed)? to|"
    r"hop(?:e|es|ed) to|expect(?:s|ed)? to|likely to|aim(?:s|ed)? to|tr(?:y|ies|ied) to|"
    r"(?<!had )(?<!has )(?<!have )to be)"
    r"(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
# The past perfect tells what had happened before the news: "had blocked the original
# deal in April", "had been postponed twice".
_PAST_PERFECT = re.compile(r"\bhad\s+(?:been\s+|already\s+)?$", re.IGNORECASE)
# An opening "When ..." or "Since ..." clause in the past gives the time of the main
# clause: in any news text what it tells happened before (or as the background of) the
# news the main clause gives ("When the regulator blocked the deal in April, it looked
# dead"), so it is no outcome claim.
_OPENING_WHEN = re.compile(r"^\W*(?:When|Since|Ever\s+since|Back\s+when)\b[^,;:]*$")
# A clause that describes a noun before it: what that thing did, not the news.
_RELATIVE = re.compile(r",\s+(?:which|who)\s+(?:had\s+|has\s+)?$", re.IGNORECASE)
# A count of voters before the phrase makes it one side of a tally, not what became of
# the thing voted on: "after 199 MPs voted against it", "190 opposed".
_COUNTED_VOTERS = re.compile(r"\b\d[\d,]*\s+(?:[A-Za-z]+\s+)?$")
_TALLY_SIDE = re.compile(r"voted|voting|oppos", re.IGNORECASE)
# An outcome verb as a to-infinitive tells what someone set out to do, not what became of
# the thing ("crowds gathered outside to block them", "refused to confirm it"), unless a
# verb of deciding governs it ("voted to block the bill", "agreed to delay the vote") or
# it was done of necessity ("had to be struck").
_INFINITIVE = re.compile(r"(?<!\bhad )(?<!\bhas )(?<!\bhave )\bto\s+$", re.IGNORECASE)
_DECIDED_TO = re.compile(
    r"\b(?:vot(?:e|es|ed|ing)|decid(?:e|es|ed|ing)|agree(?:s|d)?|resolv(?:e|es|ed)|"
    r"rul(?:e|es|ed)|opt(?:s|ed)?|cho(?:se|ose|oses))\s+(?:\w+\s+)?to\s+$",
    re.IGNORECASE,
)
_WINDOW_BEFORE = 6  # words before the outcome phrase that may name its subject (passive)
_WINDOW_AFTER = 8  # words after it (active: "will open its first Asian office")


def outcome_of(sentence: str) -> tuple[Outcome, re.Match[str]] | None:
    """The strongest outcome a sentence claims, and the phrase that claims it."""
    for outcome, plain, negated in _OUTCOME_RES:
        for match in plain.finditer(sentence) if plain else ():
            before = sentence[: match.start()]
            if _PAST_PERFECT.search(before):
                continue  # "the regulator had blocked the original deal": the story before
            if _OPENING_WHEN.match(before):
                continue  # "When the regulator blocked the deal in April, ...": the time
            if _RELATIVE.search(before):
                continue  # "a ruling, which struck out €60bn": what the ruling did before
            if _TALLY_SIDE.match(match.group(0)) and _COUNTED_VOTERS.search(before):
                continue  # "199 MPs voted against it": a tally's count, not the outcome
            if _purpose(outcome, before):
                continue  # "gathered outside to block them": an aim, not an outcome
            if not _NEGATION_NEAR.search(before) and not _HYPOTHETICAL.search(before):
                return outcome, match
        for match in negated.finditer(sentence) if negated else ():
            if _NEGATION_BEFORE.search(sentence[: match.start()]):
                return outcome, match
    return None


# A finite verb in the past before the infinitive: "gathered outside to block" is an aim;
# a headline's "NATO to defer decision" (no verb before) says what will be done.
_PAST_VERB = re.compile(r"\b(?:[a-z]+ed|went|came|met|ran|rose|set|sought|stood|took|made|got)\b")

_STATE_TO = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+\w+\s+to\s+$", re.IGNORECASE)


def _purpose(outcome: Outcome, before: str) -> bool:
    """Whether the outcome phrase is a to-infinitive of aim (talks aimed at stay talks)."""
    if outcome.key == "in_talks" or not _INFINITIVE.search(before):
        return False
    clause = re.split(r"[,;:]", before)[-1]
    if _STATE_TO.search(clause):
        return False  # "is poised to defer", "was forced to delay": what is or was done
    return bool(_PAST_VERB.search(clause)) and not _DECIDED_TO.search(before)


def conflicting(a: str, b: str) -> bool:
    """Two outcome keys that can't both be true of one subject at one time."""
    return frozenset({a, b}) in CONFLICTS
