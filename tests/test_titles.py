"""English titles: a translated source's title in English, its own kept beside it, made from
the translation the text already gets whenever the title is in the text."""

from __future__ import annotations

from pathlib import Path

from pipeline.assemble.briefing import source_report, translated_text
from pipeline.documents.clean import clean_document, short_title
from pipeline.documents.segment import segment_document
from pipeline.translation.glossary import apply_glossary, parse_glossary
from pipeline.translation.load import load_translator
from pipeline.translation.titles import TitlePlan, english_title, plan_title, translate_with_title
from pipeline.types import LanguageGuess, RawDocument, Segment, Source, TranslatedSegment

HEADLINE = "Kabinet valt over stikstofplan"
BODY = (
    "Het kabinet is dinsdag gevallen na een ruzie over het stikstofplan. "
    "De premier bood zijn ontslag aan bij de koning."
)
LONG_FIRST = (
    "Het kabinet van premier Rutte is dinsdagavond na maanden van ruzie over het omstreden "
    "stikstofplan voor de boeren in het oosten van het land onverwacht gevallen. "
    "De premier bood zijn ontslag aan."
)


def document(text: str, title: str | None = None):
    raw = RawDocument(Source("s1", "s1.txt"), text, "utf-8", "text", title)
    cleaned = clean_document(raw)
    return cleaned, segment_document(cleaned, "nl")


def upper(batch: list[str]) -> list[TranslatedSegment]:
    """A stand-in translator whose output shows which input it came from."""
    return [TranslatedSegment(s, s.upper()) for s in batch]


def test_headline_paragraph_title_is_its_own_segment():
    cleaned, segments = document(f"{HEADLINE}\n\n{BODY}")
    assert cleaned.title == HEADLINE
    plan = plan_title(cleaned.title, segments)
    assert plan == TitlePlan(segments=(0,))
    assert english_title(plan, upper([s.text for s in segments])) == HEADLINE.upper()


def test_title_shortened_from_the_first_sentence_is_shortened_again_in_english():
    cleaned, segments = document(LONG_FIRST)
    assert cleaned.title.endswith("…")
    plan = plan_title(cleaned.title, segments)
    assert plan.segments == (0,) and plan.shortened and plan.extra is None
    english = [TranslatedSegment(segments[0].text, "The cabinet of prime minister Rutte fell on "
               "Tuesday evening, after months of quarrels over the disputed nitrogen plan "
               "for the farmers in the east of the country.")]  # fmt: skip
    title = english_title(plan, english)
    assert title == short_title(english[0].translation)
    assert len(title.split()) <= 12 and title.endswith("…")


def test_a_title_the_text_lacks_is_translated_in_the_same_call():
    cleaned, segments = document(BODY, title="Kabinet gevallen | De Krant")
    calls: list[list[str]] = []

    def translate(batch: list[str]) -> list[TranslatedSegment]:
        calls.append(batch)
        return upper(batch)

    sentences = [s.text for s in segments]
    own, title = translate_with_title(translate, sentences, cleaned.title, segments)
    assert calls == [[*sentences, "Kabinet gevallen | De Krant"]]
    assert [t.source for t in own] == sentences  # the title is not one of the sentences
    assert title == "KABINET GEVALLEN | DE KRANT"


def test_a_title_in_the_text_costs_no_extra_sentence():
    cleaned, segments = document(f"{HEADLINE}\n\n{BODY}")
    calls: list[list[str]] = []

    def translate(batch: list[str]) -> list[TranslatedSegment]:
        calls.append(batch)
        return upper(batch)

    sentences = [s.text for s in segments]
    _, title = translate_with_title(translate, sentences, cleaned.title, segments)
    assert calls == [sentences]
    assert title == HEADLINE.upper()


def test_no_title_gives_no_english_title():
    assert plan_title("", [Segment(0, 0, "Een zin.")]) == TitlePlan()
    assert translate_with_title(upper, [], "", []) == ([], "")


def test_report_of_a_translated_source_has_the_english_title_and_keeps_the_original():
    cleaned, segments = document(f"{HEADLINE}\n\n{BODY}")
    pairs = upper([s.text for s in segments])
    guess = LanguageGuess("nl", "nl", 0.99)
    report = source_report(
        cleaned,
        guess,
        pairs,
        translated_text(segments, pairs),
        "summary",
        "Helsinki-NLP/opus-mt-nl-en",
        english_title=HEADLINE.upper(),
    )
    assert report.title == HEADLINE.upper()
    assert report.original_title == HEADLINE
    assert report.to_dict()["original_title"] == HEADLINE
    english = source_report(cleaned, guess, pairs, "x", "summary", None, english_title="ignored")
    assert english.title == HEADLINE and english.original_title == ""


def test_glossary_applies_to_a_translated_title():
    cleaned, segments = document(f"{HEADLINE}\n\n{BODY}")
    pairs = [TranslatedSegment(s.text, s.text) for s in segments]
    report = source_report(
        cleaned, LanguageGuess("nl", "nl", 0.9), pairs, BODY, "", "m", "Navo opens office"
    )
    glossary = parse_glossary({"terms": [{"to": "NATO", "from": ["Navo"]}]})
    (glossed,), _ = apply_glossary([report], glossary)
    assert glossed.title == "NATO opens office"
    assert glossed.original_title == HEADLINE


def test_tiny_model_title_reuses_the_headline_translation(tiny_models_dir: Path):
    translator = load_translator(tiny_models_dir / "opus-mt-nl-en")
    cleaned, segments = document(f"{HEADLINE}\n\n{BODY}")
    sentences = [s.text for s in segments]
    batches: list[list[str]] = []

    def translate(batch: list[str]) -> list[TranslatedSegment]:
        batches.append(batch)
        return translator.translate(batch, "nl")

    own, title = translate_with_title(translate, sentences, cleaned.title, segments)
    assert batches == [sentences]
    assert title and title == " ".join(own[0].translation.split())

    # A page title outside the text: one engine call with one more sentence.
    cleaned, segments = document(BODY, title="Het kabinet valt")
    batches.clear()
    own, title = translate_with_title(
        translate, [s.text for s in segments], cleaned.title, segments
    )
    assert len(batches) == 1 and batches[0][-1] == "Het kabinet valt"
    assert len(own) == len(segments) and title.strip()
