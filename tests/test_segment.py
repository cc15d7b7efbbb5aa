"""Sentences that are exact pieces of their paragraph and add up to it again."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.documents.clean import clean_document
from pipeline.documents.language import detect_language
from pipeline.documents.segment import rejoin, segment_document, split_sentences, splitter_language
from pipeline.sources.read import read_source
from pipeline.types import CleanDocument, Segment, Source

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))


def document(*paragraphs: str) -> CleanDocument:
    return CleanDocument(Source("doc", "doc.txt"), "title", list(paragraphs), [])


def collapse(text: str) -> str:
    return " ".join(text.split())


def assert_segments_rebuild(doc: CleanDocument, segments: list[Segment]) -> None:
    """Each segment is an exact substring; per paragraph they re-join to the paragraph."""
    assert [s.index for s in segments] == list(range(len(segments)))
    assert [s.paragraph for s in segments] == sorted(s.paragraph for s in segments)
    for number, paragraph in enumerate(doc.paragraphs):
        texts = [s.text for s in segments if s.paragraph == number]
        position = 0
        for text in texts:
            assert text and text == text.strip()
            position = paragraph.index(text, position) + len(text)
        assert collapse(" ".join(texts)) == collapse(paragraph)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_samples_split_into_sentences_that_rejoin_to_the_cleaned_text(path: Path) -> None:
    doc = clean_document(read_source(Source(path.stem, str(path))))
    segments = segment_document(doc, detect_language(doc).language)

    assert len(segments) > len(doc.paragraphs) / 2
    assert rejoin(segments) == doc.paragraphs
    assert "\n\n".join(rejoin(segments)) == doc.text
    assert_segments_rebuild(doc, segments)


def test_dutch_paragraph_splits_into_its_sentences() -> None:
    paragraph = (
        "Niettemin is de trend onmiskenbaar. De twee veiligheidsregio’s zijn ‘onderling "
        "gerelateerd’, heet het. In Vilnius kondigden Stoltenberg en premier Kishida een "
        "nieuw programma aan."
    )
    assert split_sentences(paragraph, "nl") == [
        "Niettemin is de trend onmiskenbaar.",
        "De twee veiligheidsregio’s zijn ‘onderling gerelateerd’, heet het.",
        "In Vilnius kondigden Stoltenberg en premier Kishida een nieuw programma aan.",
    ]


def test_abbreviations_and_numbers_do_not_end_a_sentence() -> None:
    paragraph = "Dr. Jansen kwam om 10.00 uur aan, o.a. met de minister. Daarna ging hij weg."
    assert split_sentences(paragraph, "nl") == [
        "Dr. Jansen kwam om 10.00 uur aan, o.a. met de minister.",
        "Daarna ging hij weg.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "language"),
    [
        ("The crowd walked down the Strasse des 17. Juni to the gate.", "en"),
        ("Die Demo zog über die Strasse des 17. Juni bis zum Tor.", "de"),
        ("Feiringen 17. mai samlet mange i sentrum.", "nb"),
        ("Toget går 17. Mai fra Bergen.", "nb"),
        ("Op 1. Januari ging de wet in.", "nl"),
        ("Il corteo del 1. Maggio è partito presto.", "it"),
    ],
)
def test_an_ordinal_before_a_month_name_does_not_end_a_sentence(
    paragraph: str, language: str
) -> None:
    assert split_sentences(paragraph, language) == [paragraph]


def test_a_number_at_a_sentence_end_before_another_word_still_ends_it() -> None:
    paragraph = "The death toll rose to 12. Rescue teams were still searching."
    assert split_sentences(paragraph, "en") == [
        "The death toll rose to 12.",
        "Rescue teams were still searching.",
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The probe touched down at 6:04 p.m. India time on Wednesday.",
        "The polls closed at 8 p.m. Eastern Standard Time in most states.",
        "Trading resumed at 9 a.m. GMT after the outage.",
        "The ceasefire began at 7 a.m. (0500 GMT) on the border.",
        "The committee meets again at 10 a.m. Monday in the capital.",
        "The rally ended at 6 p.m. local time without arrests.",
    ],
)
def test_a_clock_time_before_its_time_zone_or_day_does_not_end_a_sentence(
    paragraph: str,
) -> None:
    assert split_sentences(paragraph, "en") == [paragraph]


def test_a_capitalised_sentence_after_a_clock_time_is_a_new_sentence() -> None:
    paragraph = "The talks ended at 6 p.m. The minister said they went well."
    assert split_sentences(paragraph, "en") == [
        "The talks ended at 6 p.m.",
        "The minister said they went well.",
    ]
    paragraph = "The vote closed at 6 p.m. NATO said it would wait."
    assert split_sentences(paragraph, "en") == [
        "The vote closed at 6 p.m.",
        "NATO said it would wait.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "language"),
    [
        ("The office at No. 5 Downing Street stayed dark.", "en"),
        ("A novel by J. R. R. Tolkien topped the list again.", "en"),
        ("Han bor i gate nr. 5 i Oslo.", "nb"),
        ("Hij woont op nr. 12 in Gent.", "nl"),
    ],
)
def test_number_signs_and_initials_do_not_end_a_sentence(paragraph: str, language: str) -> None:
    assert split_sentences(paragraph, language) == [paragraph]


def test_norwegian_quote_dashes_and_guillemets() -> None:
    paragraph = "– Vi er allerede i diskusjoner. Han sa at verden er «mer ustabil». Det er alt."
    assert split_sentences(paragraph, "nb") == [
        "– Vi er allerede i diskusjoner.",
        "Han sa at verden er «mer ustabil».",
        "Det er alt.",
    ]


def test_segments_are_exact_substrings_even_with_odd_whitespace() -> None:
    paragraph = "Eerste  zin\tmet tab.   Tweede\u00a0zin! Derde?"
    sentences = split_sentences(paragraph, "nl")
    assert sentences == ["Eerste  zin\tmet tab.", "Tweede\u00a0zin!", "Derde?"]
    assert all(s in paragraph for s in sentences)


def test_segments_are_numbered_through_the_document() -> None:
    doc = document("Een. Twee.", "Drie.", "Vier. Vijf.")
    segments = segment_document(doc, "nl")
    assert [(s.paragraph, s.index, s.text) for s in segments] == [
        (0, 0, "Een."),
        (0, 1, "Twee."),
        (1, 2, "Drie."),
        (2, 3, "Vier."),
        (2, 4, "Vijf."),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "no"), ("nn", "no"), ("nl", "nl"), ("it", "it"), ("en", "en"), ("da", "da"),
     ("sv", "sv"), ("de", "de"), ("ja", "en"), ("und", "en"), ("", "en"), ("NL", "en")],
)  # fmt: skip
def test_splitter_language_maps_briefing_codes(language: str, expected: str) -> None:
    assert splitter_language(language) == expected


def test_unsupported_language_still_segments() -> None:
    assert split_sentences("Ein Satz. Noch einer.", "xx") == ["Ein Satz.", "Noch einer."]


def test_empty_and_whitespace_paragraphs_give_no_segments() -> None:
    assert split_sentences("", "nl") == []
    assert split_sentences(" \n\t ", "nl") == []
    assert segment_document(document(), "nl") == []
    assert rejoin([]) == []


def test_long_text_without_punctuation_is_fast_and_complete() -> None:
    paragraph = "woord zonder punt " * 11_200  # about 200,000 characters
    start = time.perf_counter()
    sentences = split_sentences(paragraph, "nl")
    assert time.perf_counter() - start < 5
    assert " ".join(sentences) == paragraph.strip()
    assert max(len(s) for s in sentences) <= 5_100


def test_one_huge_word_is_one_sentence_and_fast() -> None:
    paragraph = "Begin. " + "x" * 100_000 + " einde. " + "." * 50_000 + " Slot."
    start = time.perf_counter()
    sentences = split_sentences(paragraph, "nl")
    assert time.perf_counter() - start < 5
    assert sentences == ["Begin.", "x" * 100_000, "einde.", "." * 50_000, "Slot."]


def test_long_text_is_cut_after_a_sentence_end_where_possible() -> None:
    paragraph = " ".join(["Dit is een gewone zin met een paar woorden."] * 400)
    sentences = split_sentences(paragraph, "nl")
    assert sentences == ["Dit is een gewone zin met een paar woorden."] * 400


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_paragraph_never_raises_and_rejoins(paragraph: str) -> None:
    doc = document(paragraph)
    assert_segments_rebuild(doc, segment_document(doc, "nl"))


WORDS = st.sampled_from(
    ["Navo", "dr.", "Dr.", "10.00", "o.a.", "zei:", "‘Ja.’", "«Nei»", "–", "...", "?", "!", "U.S.",
     "Tokio.", "(VS).", "“Sì.”", "x" * 301, "a.b.c", "\u00a0", "\t", "Ål.", "é"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=30), max_size=4),
    st.sampled_from(["nl", "nb", "it", "en", "xx"]),
)
def test_sentence_like_text_always_rejoins(paragraph_words: list[list[str]], language: str) -> None:
    doc = document(*(" ".join(words) for words in paragraph_words))
    segments = segment_document(doc, language)
    assert_segments_rebuild(doc, segments)
    rejoined = [collapse(p) for p in rejoin(segments)]
    expected = [collapse(p) for p in doc.paragraphs]
    assert rejoined == expected[: len(rejoined)]
    assert not any(expected[len(rejoined) :])  # only empty paragraphs have no segments
