"""The sentence checks behind both views of quality: the per-source flags
(:mod:`pipeline.quality.flags`) and the run's faithfulness report
(:mod:`pipeline.quality.faithfulness`). One set of checks with one set of thresholds, the
config's ``synthesis.flags`` (:class:`FlagConfig`), so the two views never disagree on
what counts as an odd length or a copy.
"""

from __future__ import annotations

from pipeline.config.schema import FlagConfig
from pipeline.text import words

#: The thresholds in the faithfulness report's JSON (``quality.thresholds``).
THRESHOLDS = ("min_length_ratio", "max_length_ratio", "min_ratio_chars", "min_copied_words")


def length_ratio(source: str, translation: str, config: FlagConfig) -> float | None:
    """English length over source length, for a sentence long enough to judge (shorter
    ones are headings and names) that has a translation; None when not judged."""
    source, translation = source.strip(), translation.strip()
    if len(source) < config.min_ratio_chars or not translation:
        return None
    return len(translation) / len(source)


def odd_length(ratio: float, config: FlagConfig) -> bool:
    """Far shorter or longer than the source: the mark of a dropped or invented clause."""
    return not config.min_length_ratio <= ratio <= config.max_length_ratio


def copy_judged(source: str, config: FlagConfig) -> bool:
    """Long enough that an unchanged copy means "not translated" (a short one is often a
    name: "NATO", "Jens Stoltenberg")."""
    return len(words(source, min_length=2)) >= config.min_copied_words


def copied(source: str, translation: str) -> bool:
    """The translation is the source, whitespace and case aside."""
    return _plain(source) == _plain(translation)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()
