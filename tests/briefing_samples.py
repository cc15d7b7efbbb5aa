"""The five sample articles as briefed sources with real English, for synthesis tests.

The test models are random-weight and translate into noise, so the English of the Dutch,
Norwegian and Italian samples comes from hand-written, sentence-by-sentence translations
in ``tests/data/sample_translations/``. The English sample (003) is its own text, cleaned
and segmented by the real pipeline, as the flow passes English through.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.documents.clean import clean_document
from pipeline.documents.segment import segment_document
from pipeline.sources.read import read_source
from pipeline.translation.titles import english_title, plan_title
from pipeline.types import Source, SourceReport, Status, TranslatedSegment

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
TRANSLATIONS = Path(__file__).resolve().parent / "data" / "sample_translations"

SAMPLE_IDS = [
    "000_bc84fd529d18192b",
    "001_bcfb92fbb7ce6496",
    "002_dab01c50e837ae11",
    "003_eeb7419205ced9fb",
    "004_b48ab60de3e78582",
]
LANGUAGES = {
    "000_bc84fd529d18192b": "nl",
    "001_bcfb92fbb7ce6496": "nl",
    "002_dab01c50e837ae11": "nb",
    "003_eeb7419205ced9fb": "en",
    "004_b48ab60de3e78582": "it",
}
MODELS = {
    "nl": "Helsinki-NLP/opus-mt-nl-en",
    "nb": "Helsinki-NLP/opus-mt-gmq-en",
    "it": "Helsinki-NLP/opus-mt-it-en",
}


def read_pairs(path: Path) -> list[list[tuple[str, str]]]:
    """Paragraphs of (source, English) sentence pairs from a translation fixture."""
    paragraphs: list[list[tuple[str, str]]] = [[]]
    source: str | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#"):
            continue
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        marker, _, text = line.partition(" ")
        if marker == "<" and source is None:
            source = text
        elif marker == ">" and source is not None:
            paragraphs[-1].append((source, text))
            source = None
        else:
            raise ValueError(f"{path}:{number}: expected '< source' then '> English'")
    if source is not None:
        raise ValueError(f"{path}: the last source sentence has no translation")
    return [p for p in paragraphs if p]


def sample_report(sample_id: str) -> SourceReport:
    """One sample as the flow would report it, with the fixture's English."""
    path = SAMPLES / f"{sample_id}.txt"
    document = clean_document(read_source(Source(id=sample_id, path=str(path))))
    language = LANGUAGES[sample_id]
    if language == "en":
        segments = segment_document(document, "en")
        sentences = [TranslatedSegment(s.text, s.text) for s in segments]
        translation = document.text
        model = None
    else:
        paragraphs = read_pairs(TRANSLATIONS / f"{sample_id}.txt")
        sentences = [
            TranslatedSegment(source, english, -0.35) for p in paragraphs for source, english in p
        ]
        translation = "\n\n".join(" ".join(e for _, e in p) for p in paragraphs)
        model = MODELS[language]
    title, original_title = document.title, ""
    if model is not None:  # the English title, as the flow makes it from the translation
        plan = plan_title(document.title, segment_document(document, language))
        english = english_title(plan, sentences) if plan.segments else ""
        if english:
            title, original_title = english, document.title
    return SourceReport(
        id=sample_id,
        path=str(path),
        status=Status.OK,
        language=language,
        language_confidence=1.0,
        title=title,
        original_title=original_title,
        text=document.text,
        removed=list(document.removed),
        translation=translation,
        summary=" ".join(s.translation for s in sentences[:2]),
        sentences=sentences,
        translation_model=model,
    )


def sample_reports() -> list[SourceReport]:
    """All five samples, in the briefing's order (citations [1] to [5])."""
    return [sample_report(sample_id) for sample_id in SAMPLE_IDS]
