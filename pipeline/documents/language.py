"""Decide the language of a document, which picks its translation model.

Known pitfalls, all seen in practice:

* py3langid says "no" for Norwegian (Bokmål), never "nb"; Briefing's code is "nb".
* On a short Norwegian paragraph it can say "da" (Danish), and on a headline almost
  anything. So the decision is made per DOCUMENT on the whole text, never per line, and
  a Danish verdict with Norwegian close behind is checked against Norwegian-only words.
* A peer tool read Dutch as "nds" (Low German) and then asked for a translation model
  that does not exist. Labels are therefore mapped to Briefing codes with an explicit
  table, and a label that is not in it maps to itself: it is never bent into a language
  that happens to have a model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.once import load_once
from pipeline.text import WORD
from pipeline.types import CleanDocument, LanguageGuess

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Detector label -> Briefing code. Anything else maps to itself (see module docstring).
LABEL_TO_CODE: dict[str, str] = {
    "no": "nb",
    "nb": "nb",
    "nn": "nn",
    "nl": "nl",
    "it": "it",
    "en": "en",
    "da": "da",
    "sv": "sv",
    "de": "de",
}

UNDETERMINED = "und"  # BCP 47's code for "no language could be determined"

# Close relatives that are not a "mixed" document when they alternate paragraph by
# paragraph: short Norwegian paragraphs are routinely read as Danish or Swedish.
SCANDINAVIAN = frozenset({"nb", "nn", "no", "da", "sv"})
NORWEGIAN_LABELS = ("no", "nn")

MIN_PARAGRAPH_LETTERS = 40  # shorter paragraphs are too short to detect reliably
MIN_PARAGRAPH_CONFIDENCE = 0.5  # a less certain paragraph follows the document
MIXED_SHARE = 0.2  # share of the letters in another language that makes a document mixed

# Words written differently in Norwegian and Danish ("å gjøre" / "at gøre", "etter" /
# "efter", "noe" / "noget", "seg" / "sig", ...). Only used to settle a close Danish call.
NORWEGIAN_WORDS = frozenset(
    "å av etter noe noen mye meg deg seg enn hva bli blir ble ikkje kva eg dei ho frå berre "
    "fordi regjeringen regjering".split()
)
DANISH_WORDS = frozenset(
    "af efter noget nogen meget mig dig sig end hvad blive bliver blev regeringen regering "
    "nu".split()
)


@load_once
def _identifier() -> LanguageIdentifier:
    """py3langid's shipped model, with probabilities normalised to 0..1 (loaded once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def to_code(label: str) -> str:
    """Briefing's code for a detector label (unknown labels stay as they are)."""
    return LABEL_TO_CODE.get(label, label)


def family(code: str) -> str:
    """Languages that count as one when judging whether a document is mixed."""
    return "scandinavian" if code in SCANDINAVIAN else code


def detect_language(doc: CleanDocument) -> LanguageGuess:
    """The document's language from its whole text, plus per-paragraph codes.

    ``paragraph_languages[i]`` is the language to treat paragraph ``i`` as: its own when
    it is long enough and confidently in another language family, the document's
    otherwise. ``mixed`` is set when such paragraphs hold at least 20% of the letters.
    """
    text = doc.text
    if _letters(text) == 0:
        unknown = [UNDETERMINED] * len(doc.paragraphs)
        return LanguageGuess(UNDETERMINED, UNDETERMINED, 0.0, False, unknown)
    label, confidence = classify(text)
    language = to_code(label)
    paragraph_languages = [_paragraph_language(p, language) for p in doc.paragraphs]
    foreign = sum(
        _letters(p)
        for p, code in zip(doc.paragraphs, paragraph_languages, strict=True)
        if family(code) != family(language)
    )
    mixed = foreign >= MIXED_SHARE * _letters(text)
    return LanguageGuess(language, label, confidence, mixed, paragraph_languages)


def classify(text: str) -> tuple[str, float]:
    """Detector label and its probability, with close Danish calls settled for Norwegian."""
    ranking = _identifier().rank(text)
    label, probability = ranking[0]
    norwegian = _norwegian_runner_up(ranking)
    if label == "da" and norwegian is not None and _norwegian_evidence(text):
        return norwegian
    return label, float(probability)


def _norwegian_runner_up(ranking: list[tuple[str, float]]) -> tuple[str, float] | None:
    """The best Norwegian label when it is among the top three and not negligible."""
    for label, probability in ranking[1:3]:
        if label in NORWEGIAN_LABELS and probability >= 0.05:
            return label, float(probability)
    return None


def _norwegian_evidence(text: str) -> bool:
    """More Norwegian-only than Danish-only words (or "-sjon" where Danish has "-tion")."""
    words = [word.lower() for word in WORD.findall(text)]
    norwegian = sum(word in NORWEGIAN_WORDS or word.endswith(("sjon", "sjonen")) for word in words)
    danish = sum(word in DANISH_WORDS or word.endswith(("tion", "tionen")) for word in words)
    return norwegian > danish


def _paragraph_language(paragraph: str, document_language: str) -> str:
    if _letters(paragraph) < MIN_PARAGRAPH_LETTERS:
        return document_language
    label, confidence = classify(paragraph)
    code = to_code(label)
    if family(code) == family(document_language) or confidence < MIN_PARAGRAPH_CONFIDENCE:
        return document_language
    return code


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))  # a third of the time of a generator on long texts
