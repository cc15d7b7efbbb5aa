"""Reference-free checks that a briefing's translations say what their sources said.

BLEU needs a human reference, which a day's news never has. These checks need only the
source and its translation, which every briefing keeps sentence by sentence, so they can
run on every briefing. They catch the failures that matter most to a reader and that a
neural model makes silently:

* **coverage**: a source sentence with no translation (the reader never sees it);
* **length-ratio outliers**: a translation far shorter or longer than its source (for
  sentences over ``min_ratio_chars`` characters), the mark of a dropped clause or of a
  model repeating itself;
* **untranslated copies**: a translation identical to its non-English source (the model
  gave up and echoed its input);
* **numbers and dates**: each number, year and numeric date in the source must appear in
  the translation. Figures are what a briefing is quoted for, and a model that drops or
  changes one still reads fluently. Numbers are compared by value, so "1,5" (Dutch decimal
  comma) matches "1.5", "12.000" or "10 000" (thousands separators) match "12,000" and
  "10,000", and a numeric date "10-07-2023" matches "10 July 2023".

*Problems* (a missing translation, a missing number) are almost always real; *warnings*
(length outliers, copies) are heuristics that a short quote or a name can trip. Callers
decide what to do with them: :func:`faithfulness_report` for a run's ``SourceReport``s,
:func:`check_briefing` for a written briefing JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.config.schema import FlagConfig
from pipeline.quality.checks import THRESHOLDS, copied, copy_judged, length_ratio, odd_length
from pipeline.text import WORD

ENGLISH = "en"
MAX_EXAMPLES = 20  # details listed per check and source; the counts are always complete


DEFAULT_THRESHOLDS = FlagConfig()  # the config's synthesis.flags when a run gives them

# -- numbers ---------------------------------------------------------------------------------

# A number: digit groups separated by "." or "," (1.000.000, 1,5, 3.14), or groups of three
# separated by spaces (10 000, Norwegian and Italian style; non-breaking spaces too).
_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"
    r"|\d+(?:[.,]\d+)*"
)
# Numeric dates: 2023-07-10 (ISO), 10-07-2023, 10/7/2023, 10.07.2023, 10/7/23.
_DATE = re.compile(
    r"(?<![\d.,/-])(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}))(?![\d])"
)
_SPACES = re.compile(r"[ \u00a0\u202f]")

_NUMBER_WORDS = {
    word: index
    for index, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_MONTHS = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may", "may"),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
]


def _canonical(number: str) -> str | None:
    """A number written with "." as decimal point, as a canonical string ("1.50" -> "1.5",
    "007" -> "7", "1000" -> "1000")."""
    try:
        value = Decimal(number).normalize()
    except InvalidOperation:
        return None
    return format(value, "f")


def number_values(token: str) -> set[str]:
    """Every value a written number can mean, as canonical strings.

    Separators are ambiguous between languages: "1.000" is a thousand in Dutch and one in
    English, "1,500" one and a half in Italian and fifteen hundred in English. A number is
    therefore read every plausible way, and a source number counts as preserved when any
    reading matches any reading of a number in the translation.
    """
    if _SPACES.search(token):  # 10 000: thousands separated by spaces
        value = _canonical(_SPACES.sub("", token))
        return {value} if value else set()
    separators = re.findall(r"[.,]", token)
    groups = re.split(r"[.,]", token)
    if not separators:
        value = _canonical(token)
        return {value} if value else set()
    readings: set[str | None] = set()
    kinds = set(separators)
    if len(kinds) == 1:
        # 1.000.000 or 12,000: thousands separators
        if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            readings.add(_canonical("".join(groups)))
        # 1,5 or 3.14: one decimal separator
        if len(separators) == 1:
            readings.add(_canonical(f"{groups[0]}.{groups[1]}"))
    else:
        # 1.234,5 or 1,234.5: the last separator is the decimal one, the others thousands
        decimal_sep = separators[-1]
        thousands = separators[:-1]
        if decimal_sep not in thousands and all(len(g) == 3 for g in groups[1:-1]):
            readings.add(_canonical("".join(groups[:-1]) + "." + groups[-1]))
    return {r for r in readings if r is not None}


def _digit_runs(text: str) -> set[str]:
    runs = set()
    for run in re.findall(r"\d+", text):
        value = _canonical(run)
        if value is not None:
            runs.add(value)
    return runs


@dataclass(frozen=True)
class _Date:
    text: str
    year: int
    month: int
    day: int


def _dates(text: str) -> list[_Date]:
    found = []
    for match in _DATE.finditer(text):
        if match.group("iy"):
            year, month, day = (int(match.group(k)) for k in ("iy", "im", "id"))
        else:
            day, month, year = (int(match.group(k)) for k in ("d", "m", "y"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append(_Date(match.group(0), year, month, day))
    return found


def _same_year(a: int, b: int) -> bool:
    return a == b or (min(a, b) < 100 and a % 100 == b % 100)


def _date_in(date: _Date, translation: str) -> bool:
    """A source date is kept when the translation has it as a numeric date (either order of
    day and month, as English styles differ) or in words: the day, the month's English name
    and the year."""
    for other in _dates(translation):
        if not _same_year(date.year, other.year):
            continue
        if (other.month, other.day) in ((date.month, date.day), (date.day, date.month)):
            return True
    lowered = translation.lower()
    words = set(WORD.findall(lowered))
    month_named = any(name in words for name in _MONTHS[date.month - 1])
    runs = _digit_runs(translation)
    year_there = any(_same_year(date.year, int(r)) for r in runs if r.isdigit())
    return month_named and str(date.day) in runs and year_there


def _translation_numbers(translation: str) -> tuple[set[str], set[str]]:
    """Values the translation states (every reading), and its bare digit runs."""
    values: set[str] = set()
    for token in _NUMBER.findall(translation):
        values |= number_values(token)
    for word in WORD.findall(translation.lower()):
        if word in _NUMBER_WORDS:
            values.add(str(_NUMBER_WORDS[word]))
    return values, _digit_runs(translation)


def missing_numbers(source: str, translation: str) -> tuple[list[str], int]:
    """Numbers and dates of ``source`` not found in ``translation``, and how many were
    checked.

    A number is found when one of its readings (:func:`number_values`) is a value of the
    translation, or, failing that, when every digit group of it appears in the translation
    (so a time "11.17" matches "11:17"). Numeric dates are checked as dates.
    """
    missing: list[str] = []
    checked = 0
    remainder = source
    for date in _dates(source):
        checked += 1
        if not _date_in(date, translation):
            missing.append(date.text)
        remainder = remainder.replace(date.text, " ")
    values, runs = _translation_numbers(translation)
    seen: set[str] = set()
    for token in _NUMBER.findall(remainder):
        if token in seen:
            continue
        seen.add(token)
        checked += 1
        readings = number_values(token)
        if readings & values:
            continue
        groups = {_canonical(g) for g in re.findall(r"\d+", token)}
        if groups and groups <= (runs | values):
            continue
        missing.append(token)
    return missing, checked


# -- sentences and sources -------------------------------------------------------------------


def _as_dict(item: Any) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)
    if hasattr(item, "to_dict"):
        return item.to_dict()
    return asdict(item)


def _sentences(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs = []
    for item in report.get("sentences") or []:
        sentence = _as_dict(item)
        pairs.append((str(sentence.get("source") or ""), str(sentence.get("translation") or "")))
    return pairs


def check_sentences(
    pairs: Sequence[tuple[str, str]],
    language: str | None,
    thresholds: FlagConfig = DEFAULT_THRESHOLDS,
) -> dict[str, Any]:
    """All checks over (source, translation) pairs of one source in ``language``."""
    untranslated: list[dict[str, Any]] = []
    outliers: list[dict[str, Any]] = []
    copies: list[dict[str, Any]] = []
    numbers_missing: list[dict[str, Any]] = []
    non_empty = ratio_checked = copy_checked = numbers_checked = 0
    english = (language or "").lower() == ENGLISH
    for index, (source, translation) in enumerate(pairs):
        source_text, translation_text = source.strip(), translation.strip()
        if not source_text:
            continue
        non_empty += 1
        if not translation_text:
            untranslated.append({"sentence": index, "source": source_text})
            continue
        ratio = length_ratio(source_text, translation_text, thresholds)
        if ratio is not None:
            ratio_checked += 1
            if odd_length(ratio, thresholds):
                outliers.append(
                    {
                        "sentence": index,
                        "ratio": round(ratio, 2),
                        "source": source_text,
                        "translation": translation_text,
                    }
                )
        if not english and copy_judged(source_text, thresholds):
            copy_checked += 1
            if copied(source_text, translation_text):
                copies.append({"sentence": index, "source": source_text})
        missing, checked = missing_numbers(source_text, translation_text)
        numbers_checked += checked
        for number in missing:
            numbers_missing.append(
                {
                    "sentence": index,
                    "number": number,
                    "source": source_text,
                    "translation": translation_text,
                }
            )
    translated = non_empty - len(untranslated)
    return {
        "sentences": non_empty,
        "translated": translated,
        "coverage": round(translated / non_empty, 4) if non_empty else 1.0,
        "untranslated": untranslated,
        "length_checked": ratio_checked,
        "length_outliers": outliers,
        "copy_checked": copy_checked,
        "copies": copies,
        "copy_rate": round(len(copies) / copy_checked, 4) if copy_checked else 0.0,
        "numbers_checked": numbers_checked,
        "numbers_missing": numbers_missing,
    }


def _flags(result: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Readable problems and warnings for one checked source."""
    problems, warnings = [], []
    if result["untranslated"]:
        problems.append(
            f"{len(result['untranslated'])} of {result['sentences']} sentences have no translation"
        )
    if result["numbers_missing"]:
        shown = ", ".join(repr(m["number"]) for m in result["numbers_missing"][:5])
        problems.append(
            f"{len(result['numbers_missing'])} of {result['numbers_checked']} numbers not "
            f"found in the translation ({shown})"
        )
    if result["length_outliers"]:
        warnings.append(
            f"{len(result['length_outliers'])} of {result['length_checked']} translations "
            "are much shorter or longer than their source"
        )
    if result["copies"]:
        warnings.append(
            f"{len(result['copies'])} of {result['copy_checked']} sentences were copied "
            "untranslated"
        )
    return problems, warnings


def _is_translated(report: Mapping[str, Any]) -> bool:
    if report.get("translation_model"):
        return True
    language = (report.get("language") or "").lower()
    return bool(language) and language != ENGLISH and "translation_model" not in report


def check_source(report: Any, thresholds: FlagConfig = DEFAULT_THRESHOLDS) -> dict[str, Any]:
    """The checks for one source (a ``SourceReport`` or its JSON dict)."""
    data = _as_dict(report)
    status = str(data.get("status") or "ok")
    base = {
        "id": data.get("id"),
        "language": data.get("language"),
        "status": status,
        "model": data.get("translation_model"),
    }
    if status != "ok":
        return {**base, "checked": False, "reason": f"source {status}"}
    if not _is_translated(data):
        return {**base, "checked": False, "reason": "not translated (passed through)"}
    pairs = _sentences(data)
    if not pairs:
        return {**base, "checked": False, "reason": "no sentences recorded"}
    result = check_sentences(pairs, data.get("language"), thresholds)
    for key in ("untranslated", "length_outliers", "copies", "numbers_missing"):
        result[f"{key}_count"] = len(result[key])
    problems, warnings = _flags(result)
    # Keep the JSON readable for a long source: counts are complete, examples are capped.
    for key in ("untranslated", "length_outliers", "copies", "numbers_missing"):
        result[key] = result[key][:MAX_EXAMPLES]
    return {**base, "checked": True, **result, "problems": problems, "warnings": warnings}


def faithfulness_report(
    reports: Sequence[Any], thresholds: FlagConfig = DEFAULT_THRESHOLDS
) -> dict[str, Any]:
    """Per-source and overall results for a run's sources (``SourceReport`` objects or their
    dicts). ``overall["ok"]`` is False when any translation is missing or drops a number;
    warnings (length outliers, copies) do not change it.
    """
    sources = [check_source(report, thresholds) for report in reports]
    checked = [s for s in sources if s["checked"]]
    sentences = sum(s["sentences"] for s in checked)
    translated = sum(s["translated"] for s in checked)
    copy_checked = sum(s["copy_checked"] for s in checked)
    copies = sum(s["copies_count"] for s in checked)
    overall = {
        "sources": len(sources),
        "sources_checked": len(checked),
        "sentences": sentences,
        "translated": translated,
        "coverage": round(translated / sentences, 4) if sentences else 1.0,
        "untranslated": sum(s["untranslated_count"] for s in checked),
        "length_checked": sum(s["length_checked"] for s in checked),
        "length_outliers": sum(s["length_outliers_count"] for s in checked),
        "copy_checked": copy_checked,
        "copies": copies,
        "copy_rate": round(copies / copy_checked, 4) if copy_checked else 0.0,
        "numbers_checked": sum(s["numbers_checked"] for s in checked),
        "numbers_missing": sum(s["numbers_missing_count"] for s in checked),
        "problems": sum(len(s["problems"]) for s in checked),
        "warnings": sum(len(s["warnings"]) for s in checked),
    }
    overall["ok"] = overall["problems"] == 0
    limits = {name: getattr(thresholds, name) for name in THRESHOLDS}
    return {"thresholds": limits, "overall": overall, "sources": sources}


def check_briefing(
    briefing: Mapping[str, Any], thresholds: FlagConfig = DEFAULT_THRESHOLDS
) -> dict[str, Any]:
    """:func:`faithfulness_report` over a briefing's JSON (``Briefing.to_dict()``)."""
    sources = briefing.get("sources")
    if not isinstance(sources, list):
        raise ValueError("not a briefing: it has no 'sources' list")
    return {
        "title": briefing.get("title"),
        "generated_at": briefing.get("generated_at"),
        "test_models": bool(briefing.get("test_models")),
        **faithfulness_report(sources, thresholds),
    }
