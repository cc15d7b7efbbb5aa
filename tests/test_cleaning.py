"""Web debris out, article in, and every removed character accounted for."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.documents.clean import DEBRIS_RULES, DebrisRule, choose_title, clean_document
from pipeline.sources.read import read_source
from pipeline.types import CleanDocument, RawDocument, Source, SourceSkipped

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))


def sample(prefix: str) -> RawDocument:
    [path] = SAMPLES.glob(f"{prefix}_*.txt")
    return read_source(Source(id=path.stem, path=str(path)))


def raw(text: str, title: str | None = None) -> RawDocument:
    return RawDocument(Source("doc", "doc.txt"), text, "utf-8", "text", title)


def non_whitespace(text: str) -> Counter[str]:
    return Counter("".join(text.split()))


def assert_nothing_lost(document: RawDocument, cleaned: CleanDocument) -> None:
    removed = Counter[str]()
    for line in cleaned.removed:
        removed += non_whitespace(line.text)
    assert non_whitespace(document.text) == non_whitespace(cleaned.text) + removed


def rule_names(cleaned: CleanDocument) -> list[str]:
    return [line.rule for line in cleaned.removed]


# --- the rule table ---------------------------------------------------------------------


def test_rules_are_named_described_and_compiled() -> None:
    names = [rule.name for rule in DEBRIS_RULES]
    assert len(names) == len(set(names))
    for rule in DEBRIS_RULES:
        assert isinstance(rule, DebrisRule)
        assert isinstance(rule.pattern, re.Pattern)
        assert rule.description and rule.scope in {"line", "tail", "inline"}


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("apple store", "app_store"),
        ("Play Market", "app_store"),
        ("App Store", "app_store"),
        ("Google Play", "app_store"),
        ("Download the app", "app_store"),
        ("Download our free NOS app for the latest news", "app_store"),
        ("Share", "share_buttons"),
        ("Copy link", "share_buttons"),
        ("Share on Facebook", "share_buttons"),
        ("Share on X", "share_buttons"),
        ("Tweet", "share_buttons"),
        ("Facebook | Twitter | LinkedIn | E-mail", "share_buttons"),
        ("share-lineLiked the story? Share it on social media!", "share_buttons"),
        ("Ссылка скопирована", "share_buttons"),
        ("Views: 69", "view_counter"),
        ("1.204 weergaven", "view_counter"),
        ("Follow us on Youtube", "follow_us"),
        ("Følg oss på Facebook", "follow_us"),
        ("Any use of materials is allowed only if there is a hyperlink to © 2024. .", "copyright"),
        ("© 2024 Mediahuis", "copyright"),
        ("Copyright 2023 NTB. All rights reserved.", "copyright"),
        ("Tutti i diritti riservati", "copyright"),
        (" date 2023-05 Australias statsminister Anthony Albanese i Madrid.", "photo_caption"),
        ("Foto: NTB scanpix", "photo_credit"),
        ("Les også: Nato vil åpne kontor i Japan", "read_more"),
        ("The most important world news", "site_tagline"),
    ],
)
def test_debris_line_is_removed_by_its_rule(line: str, rule: str) -> None:
    text = f"Echte eerste zin van het artikel.\n{line}\nEchte laatste zin van het artikel."
    cleaned = clean_document(raw(text))
    assert [(r.line, r.rule) for r in cleaned.removed] == [(2, rule)]
    assert cleaned.paragraphs == [
        "Echte eerste zin van het artikel.",
        "Echte laatste zin van het artikel.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Nevertheless, France and other member states share an emphasis on the region.",
        "Share prices fell sharply after the announcement.",
        "Follow us, the protesters shouted as they marched to the embassy.",
        "Copyright law was changed in 2024 after a long debate in parliament.",
        "The app store of the future will be regulated, the commissioner said.",
        "Views differ on whether the office will open this year.",
        "Video: de minister zei dat er geen kantoor komt in Tokio.",
        "Watch: the alliance is divided.",
        "Foto: Stoltenberg og Kishida i Tokyo. Begge var fornøyde med møtet.",
        "The date 2023-05 was mentioned in the report as the earliest option.",
        "Hij zei dat [lid] in de tekst stond.",
        "Delen van Azië zijn bezorgd.",
    ],
)
def test_real_sentences_are_kept(sentence: str) -> None:
    text = f"{sentence}\nDe Navo komt voorlopig niet naar Tokio."
    cleaned = clean_document(raw(text))
    assert cleaned.removed == []
    assert cleaned.paragraphs[0] == sentence


# --- the samples ------------------------------------------------------------------------


def test_sample_003_loses_app_copyright_and_share_debris_at_both_ends() -> None:
    cleaned = clean_document(sample("003"))
    removed = [line.text for line in cleaned.removed]

    assert removed[:3] == [
        "apple store",
        "play market",
        "Any use of materials is allowed only if there is a hyperlink to © 2024. .",
    ]
    assert "Views: 69" in removed
    assert "copy link" in removed
    assert "share-lineLiked the story? Share it on social media!" in removed
    assert removed.count("Follow us on Youtube") == 2
    assert cleaned.title == "NATO to defer decision on Tokyo liaison office"
    assert cleaned.paragraphs[0] == cleaned.title
    assert cleaned.paragraphs[-1].startswith("Nevertheless, France and other member states")
    for debris in ("apple store", "play market", "Any use of materials", "copy link", "Follow us"):
        assert debris not in cleaned.text


def test_sample_002_loses_its_photo_caption_and_video_teaser() -> None:
    cleaned = clean_document(sample("002"))

    first, last = cleaned.removed[0], cleaned.removed[-1]
    assert (first.line, first.rule) == (1, "photo_caption")
    assert first.text.startswith("date 2023-05 Australias statsminister")
    assert (last.line, last.rule, last.text) == (
        41,
        "video_teaser",
        "Se video: Putin: – Vesten har glemt",
    )
    assert len(cleaned.removed) == 2
    assert cleaned.paragraphs[0] == "Kontoret vil i så fall være alliansens første i Asia."
    assert cleaned.paragraphs[-1] == "USA har gjort det tydelig at de støtter Taiwan i konflikten."
    assert "Japan: Vi har ikke annet valg" in cleaned.paragraphs


def test_sample_004_loses_the_lid_marker_but_keeps_its_sentence() -> None:
    cleaned = clean_document(sample("004"))

    assert [(r.line, r.text, r.rule) for r in cleaned.removed] == [(2, "[lid]-", "lead_marker")]
    assert cleaned.paragraphs[0].startswith("L’ufficio “consentirà all’alleanza di condurre")
    assert cleaned.paragraphs[0].endswith("come nuova sfida”.")
    assert "[lid]" not in cleaned.text
    assert cleaned.title.startswith("L’ufficio “consentirà")
    assert cleaned.title.endswith("…") and len(cleaned.title) <= 121


def test_sample_001_without_blank_lines_has_a_paragraph_per_line() -> None:
    document = sample("001")
    cleaned = clean_document(document)

    assert cleaned.paragraphs == [line for line in document.text.split("\n") if line.strip()]
    assert cleaned.title == "Japan en NAVO halen banden aan in licht veiligheidsdreigingen"
    assert cleaned.removed == []


def test_sample_000_paragraphs_follow_its_blank_lines() -> None:
    cleaned = clean_document(sample("000"))

    assert len(cleaned.paragraphs) == 13
    assert "Zorgen in Japan en Zuid-Korea" in cleaned.paragraphs
    assert cleaned.title == "Er komt voorlopig geen verbindingskantoor van de Navo in Tokio."
    assert cleaned.removed == []


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_samples_lose_nothing_but_recorded_debris(path: Path) -> None:
    document = sample(path.stem[:3])
    cleaned = clean_document(document)
    assert_nothing_lost(document, cleaned)
    assert cleaned.encoding == "utf-8" and cleaned.format == "text"
    assert all(p and p == " ".join(p.split()) for p in cleaned.paragraphs)


# --- structure and whitespace -----------------------------------------------------------


def test_whitespace_inside_lines_is_collapsed() -> None:
    cleaned = clean_document(raw("  Een \t zin\u00a0met   ruimte.  \n\nTweede\u2003alinea. "))
    assert cleaned.paragraphs == ["Een zin met ruimte.", "Tweede alinea."]


def test_lines_of_a_block_form_one_paragraph() -> None:
    text = "Eerste regel van een\nafgebroken alinea.\n\nTweede alinea."
    assert clean_document(raw(text)).paragraphs == [
        "Eerste regel van een afgebroken alinea.",
        "Tweede alinea.",
    ]


def test_removed_lines_do_not_split_a_paragraph_block() -> None:
    text = "Kop\n\nEerste deel\nShare\nvan de zin.\n\nSlot."
    cleaned = clean_document(raw(text))
    assert cleaned.paragraphs == ["Kop", "Eerste deel van de zin.", "Slot."]
    assert [(r.line, r.rule) for r in cleaned.removed] == [(4, "share_buttons")]


def test_video_teaser_is_only_removed_at_the_end() -> None:
    text = "Se video: Putin i Moskva\n\nArtikkelen fortsetter her.\n\nVIDEO: Stoltenberg i Tokyo\n"
    cleaned = clean_document(raw(text))
    assert cleaned.paragraphs == ["Se video: Putin i Moskva", "Artikkelen fortsetter her."]
    assert [(r.line, r.rule) for r in cleaned.removed] == [(5, "video_teaser")]


def test_several_trailing_teasers_and_debris_are_all_removed() -> None:
    text = "Artikkel.\n\nWatch: one\nShare\n\nVIDEO: two\n\n"
    cleaned = clean_document(raw(text))
    assert cleaned.paragraphs == ["Artikkel."]
    assert rule_names(cleaned) == ["video_teaser", "share_buttons", "video_teaser"]


def test_a_line_that_is_only_a_marker_disappears() -> None:
    cleaned = clean_document(raw("[lid]\nDe Navo komt niet naar Tokio."))
    assert cleaned.paragraphs == ["De Navo komt niet naar Tokio."]
    assert [(r.line, r.text) for r in cleaned.removed] == [(1, "[lid]")]


def test_only_debris_is_skipped() -> None:
    with pytest.raises(SourceSkipped, match="only web debris, no article text"):
        clean_document(raw("apple store\nplay market\n\nShare\nViews: 12\n[lid]"))


def test_whitespace_only_is_skipped() -> None:
    with pytest.raises(SourceSkipped):
        clean_document(raw(" \n\n\t\n"))


# --- titles -----------------------------------------------------------------------------


def test_title_from_html_metadata_wins() -> None:
    cleaned = clean_document(raw("Kop van de pagina\n\nTekst.", title="  Echte   titel "))
    assert cleaned.title == "Echte titel"
    assert cleaned.paragraphs[0] == "Kop van de pagina"  # the text keeps everything


def test_headline_like_first_paragraph_is_the_title() -> None:
    assert choose_title(None, ["Japan: Vi har ikke annet valg", "Tekst."], "id") == (
        "Japan: Vi har ikke annet valg"
    )


def test_markdown_heading_marks_are_not_part_of_the_title() -> None:
    assert choose_title(None, ["## Navo in Tokio", "Tekst."], "id") == "Navo in Tokio"


def test_first_sentence_is_the_title_when_there_is_no_headline() -> None:
    paragraphs = ["De Navo komt niet. Frankrijk is ertegen, zegt Parijs."]
    assert choose_title(None, paragraphs, "id") == "De Navo komt niet."


def test_long_first_sentence_is_shortened_on_a_word_boundary() -> None:
    sentence = "Woord " * 40 + "einde."
    title = choose_title(None, [sentence], "id")
    assert title.endswith("Woord…")
    assert len(title) <= 121
    assert sentence.startswith(title[:-1])


def test_title_falls_back_to_the_source_id() -> None:
    assert choose_title(None, ["… — !!"], "source-7") == "source-7"
    assert clean_document(raw("— — —")).title == "doc"


# --- the guarantee ----------------------------------------------------------------------


DEBRIS_LINES = ["apple store", "Share", "Views: 3", "[lid] Kop", "date 2023-05 x", "VIDEO: y"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_is_cleaned_or_skipped_and_nothing_is_lost(text: str) -> None:
    check_guarantee(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(DEBRIS_LINES + ["", " ", "Zin."]), st.text(max_size=40)),
        max_size=12,
    )
)
def test_debris_mixed_with_arbitrary_lines_loses_nothing(lines: list[str]) -> None:
    check_guarantee("\n".join(lines))


def check_guarantee(text: str) -> None:
    """Only ``SourceSkipped`` may escape; otherwise every character is kept or recorded."""
    document = raw(text)
    try:
        cleaned = clean_document(document)
    except SourceSkipped:
        return
    assert_nothing_lost(document, cleaned)
    assert cleaned.paragraphs and all(cleaned.paragraphs)
    assert cleaned.title


def test_long_first_sentence_without_headline_gives_its_first_clause() -> None:
    sentence = (
        "Il governo giapponese ha confermato mercoledì, dopo settimane di indiscrezioni, "
        "che la Nato aprirà un ufficio di collegamento a Tokyo entro la fine dell'anno."
    )
    assert choose_title(None, [sentence], "id") == "Il governo giapponese ha confermato mercoledì…"


def test_long_clause_is_cut_to_a_few_words() -> None:
    sentence = (
        "De regering in Den Haag heeft na lang overleg met alle betrokken partijen besloten "
        "de steun voor het plan te verhogen."
    )
    title = choose_title(None, [sentence], "id")
    assert title == "De regering in Den Haag heeft na lang overleg met alle betrokken…"
    assert len(title.split()) == 12
