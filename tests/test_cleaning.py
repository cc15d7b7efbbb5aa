"""Page furniture out, article in, the date marker read, and every removed character
accounted for."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.documents.clean import choose_title, clean_document, page_language, run_furniture
from pipeline.sources.read import read_source
from pipeline.types import CleanDocument, RawDocument, Source, SourceSkipped

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))

NL_1 = (
    "Het kabinet maakt de komende vijf jaar 420 miljoen euro vrij om de dijken langs de "
    "IJssel te versterken, zo heeft de minister maandag bekendgemaakt."
)
NL_2 = "Volgens de waterschappen zijn ruim zestig kilometer dijk niet meer sterk genoeg."
NB_1 = (
    "Kalde dager og lite vind i Europa har presset strømprisen i Sør-Norge opp på det "
    "høyeste nivået siden desember, og analytikerne venter at den holder seg høy."
)
NB_2 = "Strømstøtten dekker fortsatt 90 prosent av prisen over 73 øre per kilowattime."
IT_1 = (
    "La linea A della metropolitana di Roma resterà chiusa sabato e domenica tra le "
    "stazioni Termini e Battistini per lavori di ammodernamento dei binari."
)
IT_2 = "Il servizio sarà sostituito da bus navetta in entrambe le direzioni."
EN_1 = (
    "The Bank of England has kept interest rates at 5.25% for the fourth time in a row, "
    "but signalled that cuts could come later this year."
)
EN_2 = "Inflation fell to 4% in December, still double the Bank's target of 2%."


def sample(prefix: str) -> RawDocument:
    [path] = SAMPLES.glob(f"{prefix}_*.txt")
    return read_source(Source(id=path.stem, path=str(path)))


def raw(text: str, title: str | None = None) -> RawDocument:
    return RawDocument(Source("doc", "doc.txt"), text, "utf-8", "text", title)


def page(*lines: str) -> RawDocument:
    return raw("\n\n".join(lines))


def non_whitespace(text: str) -> Counter[str]:
    return Counter("".join(text.split()))


def assert_nothing_lost(document: RawDocument, cleaned: CleanDocument) -> None:
    removed = Counter[str]()
    for line in cleaned.removed:
        removed += non_whitespace(line.text)
    assert non_whitespace(document.text) == non_whitespace(cleaned.text) + removed


def removed(cleaned: CleanDocument) -> dict[str, str]:
    return {line.text: line.rule for line in cleaned.removed}


# --- furniture inside the article, by kind, in each language ------------------------------


@pytest.mark.parametrize(
    ("first", "line", "last", "rule"),
    [
        (NL_1, "Advertentie", NL_2, "advertisement"),
        (NB_1, "Annonse", NB_2, "advertisement"),
        (IT_1, "Pubblicità", IT_2, "advertisement"),
        (EN_1, "Advertisement", EN_2, "advertisement"),
        (NL_1, "1 uur geleden", NL_2, "relative_time"),
        (NB_1, "Oppdatert for 2 timer siden", NB_2, "relative_time"),
        (IT_1, "2 ore fa", IT_2, "relative_time"),
        (EN_1, "Updated 12 minutes ago", EN_2, "relative_time"),
        (EN_1, "1h ago", EN_2, "relative_time"),
        (NL_1, "Volg de laatste ontwikkelingen in ons liveblog", NL_2, "pitch"),
        (EN_1, "Accept all", EN_2, "cookie_notice"),
        (IT_1, "Il ministro al termine del vertice (foto Ansa)", IT_2, "photo_caption"),
        (NL_1, "Demonstranten op de Dam. Beeld: Joris Kamp / ANP", NL_2, "photo_caption"),
        (NL_1, "Leestijd 3 minuten", NL_2, "reading_time"),
        (IT_1, "3 min di lettura", IT_2, "reading_time"),
        (NL_1, "Lees ook: Omwonenden stappen naar de rechter", NL_2, "read_more"),
        (NB_1, "Les også: Regjeringen vil endre strømstøtten", NB_2, "read_more"),
        (NB_1, "Foto: Terje Pedersen / NTB", NB_2, "photo_credit"),
        (IT_1, "Foto: ANSA/Giuseppe Lami", IT_2, "photo_credit"),
        (EN_1, "REUTERS/Ints Kalnins", EN_2, "photo_credit"),
        (NB_1, "Bildet: Studenter utenfor universitetet. Foto: Jan Olsen", NB_2, "photo_caption"),
        (EN_1, "Reporting by Andrew Gray; Editing by Mark Heinrich", EN_2, "credit"),
        (NL_1, "Deze pagina stoot per bezoek 0,4 gram CO2 uit.", NL_2, "widget"),
        (NB_1, "Liveblogg", NB_2, "live_label"),
        (IT_1, "Condividi", IT_2, "share_buttons"),
        (EN_1, "Share on Facebook", EN_2, "share_buttons"),
        (NB_1, "Følg oss på Snapchat", NB_2, "follow_us"),
        (IT_1, "Segui i nostri canali su WhatsApp e Telegram", IT_2, "follow_us"),
        (IT_1, "© Riproduzione riservata", IT_2, "copyright"),
        (EN_1, "Copyright 2024 Herald. All rights reserved.", EN_2, "copyright"),
        (EN_1, "Views: 69", EN_2, "counter"),
    ],
)
def test_furniture_between_paragraphs_is_removed_by_kind(
    first: str, line: str, last: str, rule: str
) -> None:
    cleaned = clean_document(page(first, line, last))
    assert [(r.text, r.rule) for r in cleaned.removed] == [(line, rule)]
    assert cleaned.paragraphs == [first, last]


@pytest.mark.parametrize(
    "pitch",
    [
        "Ontvang elke ochtend het belangrijkste nieuws in je mailbox. Meld je aan voor onze "
        "gratis nieuwsbrief.",
        "Abonner på nyhetsbrevet vårt. Hver morgen får du et utvalg av dagens viktigste saker.",
        "Få dei viktigaste nyheitene rett i innboksen. Meld deg på nyheitsbrevet vårt i dag.",
        "Iscriviti alla nostra newsletter. Ogni mattina ricevi le notizie più importanti.",
        "Sign up to our daily newsletter. Get the biggest stories delivered to your inbox.",
    ],
)
def test_newsletter_pitch_in_full_sentences_is_removed(pitch: str) -> None:
    cleaned = clean_document(page(NL_1, pitch, NL_2))
    assert removed(cleaned) == {pitch: "pitch"}


# Article sentences that look like furniture (shares, follow, copyright, video, dates ...).
REAL_SENTENCES = [
    "Nevertheless, France and other member states share an emphasis on the region.",
    "Share prices fell sharply after the announcement.",
    "Follow us, the protesters shouted as they marched to the embassy.",
    "Copyright law was changed in 2024 after a long debate in parliament.",
    "The app store of the future will be regulated, the commissioner said.",
    "Views differ on whether the office will open this year.",
    "Video: de minister zei dat er geen kantoor komt in Tokio.",
    "Foto: Stoltenberg og Kishida i Tokyo. Begge var fornøyde med møtet.",
    "The date 2023-05 was mentioned in the report as the earliest option.",
    "De krant stuurt haar nieuwsbrief voortaan ook naar abonnees in België.",
    "Delen van Azië zijn bezorgd.",
    '"We verliezen abonnees en dat raakt onze redactie hard", zei de hoofdredacteur.',
    "– Du må ikke abonnere på alt, sier forbrukerøkonomen.",
    "Kripos/Politiet i Oslo",
    "Satellite images",
    "CO2-utslippene på norsk side økte med tre prosent i fjor.",
    "Each visit to the park adds to the CO2 the city emits, the study says.",
    "Websites must ask before they place cookies, the court ruled.",
]
# Article sentences about subscriptions, inside the body: no newsletter pitch.
SUBSCRIPTION_SENTENCES = [
    "Hvis du har abonnement på Netflix, blir prisen høyere fra mars.",
    "If you subscribe to a streaming service, your bill will rise by a fifth in March.",
    "Dan moet je je abonnement bij de energieleverancier opzeggen, zegt de toezichthouder.",
]


@pytest.mark.parametrize(
    ("first", "sentence", "last"),
    [(NL_1, s, NL_2) for s in REAL_SENTENCES] + [(NB_1, s, NB_2) for s in SUBSCRIPTION_SENTENCES],
)
def test_real_sentences_are_kept(first: str, sentence: str, last: str) -> None:
    cleaned = clean_document(page(first, sentence, last))
    assert cleaned.removed == []
    assert cleaned.paragraphs == [first, sentence, last]


def test_cookie_banner_is_removed_and_does_not_start_the_article() -> None:
    banner = (
        "Questo sito utilizza cookie tecnici e, previo tuo consenso, cookie di profilazione. "
        "Chiudendo questo banner acconsenti all'uso dei cookie."
    )
    headline = "Manovra, il governo prepara il taglio del cuneo fiscale"
    cleaned = clean_document(
        page(banner, "Accetta", "Politica", "Il ministro al vertice (foto Ansa)", headline, IT_1)
    )
    assert removed(cleaned)[banner] == "cookie_notice"
    assert cleaned.paragraphs == [headline, IT_1]


def test_bullet_item_before_a_credit_is_kept() -> None:
    item = "• Planlagt ferdig høsten 2025"
    cleaned = clean_document(
        page(NB_1, "Fakta:", "• 96 plasser", item, "Foto: Privat", "Anne gleder seg.", NB_2)
    )
    assert item in cleaned.paragraphs
    assert removed(cleaned) == {"Foto: Privat": "photo_credit", "Anne gleder seg.": "photo_caption"}


def test_sentence_full_of_names_before_a_credit_is_kept() -> None:
    sentence = "Jonas Gahr Støre og Erna Solberg møttes i Stortinget tirsdag."
    cleaned = clean_document(page(NB_1, sentence, "Foto: Terje Pedersen / NTB", NB_2))
    assert sentence in cleaned.paragraphs


def test_short_sentence_after_a_credit_is_kept_when_the_caption_stands_before_it() -> None:
    caption, credit = "Statsministeren på pressekonferansen i Oslo.", "Foto: Terje Pedersen / NTB"
    sentence = "Regjeringen vil ikke endre ordningen."
    cleaned = clean_document(page(NB_1, caption, credit, sentence, NB_2))
    assert sentence in cleaned.paragraphs
    assert removed(cleaned) == {credit: "photo_credit"}


def test_question_teaser_after_a_read_more_label_is_removed() -> None:
    cleaned = clean_document(
        page(NL_1, NL_2, "Lees ook", "Nepal herdenkt slachtoffers", "Hoe ontstaan aardbevingen?")
    )
    assert cleaned.paragraphs == [NL_1, NL_2]


def test_unlabelled_headline_run_between_paragraphs_is_kept() -> None:
    run = ["Brand in Rotterdam", "Tram rijdt weer", "Nieuwe regels voor de dijken"]
    cleaned = clean_document(page(NL_1, *run, NL_2))
    assert cleaned.paragraphs == [NL_1, *run, NL_2]


def test_unlabelled_headline_run_after_the_article_is_removed() -> None:
    run = ["Brand in Rotterdam", "Tram rijdt weer", "Nieuwe regels voor de dijken"]
    cleaned = clean_document(page(NL_1, NL_2, *run))
    assert cleaned.paragraphs == [NL_1, NL_2]


def test_list_of_results_between_two_paragraphs_is_kept() -> None:
    results = [
        "Arbeiderpartiet 25,1 prosent",
        "Høyre 20,3 prosent",
        "Fremskrittspartiet 18 prosent",
    ]
    cleaned = clean_document(page(NB_1, *results, NB_2))
    assert cleaned.removed == []


def test_share_row_of_network_names_is_removed() -> None:
    row = ["Deel dit bericht via", "WhatsApp", "LinkedIn"]
    cleaned = clean_document(page(NL_1, NL_2, *row, NL_1))
    assert removed(cleaned) == {line: "share_buttons" for line in row}


def test_fact_box_at_the_end_of_the_article_is_kept() -> None:
    box = ["Fakta om strømstøtten", "Innført: desember 2021", "Dekker: 90 prosent over 73 øre"]
    cleaned = clean_document(page(NB_1, NB_2, *box, "Del saken"))
    assert cleaned.paragraphs == [NB_1, NB_2, *box]


def test_numbered_list_without_an_introduction_is_kept() -> None:
    items = ["1. Rates stay at 5.25%", "2. Bond sales continue", "3. Next review in March"]
    cleaned = clean_document(page(EN_1, *items, EN_2))
    assert cleaned.removed == []


def test_two_word_headline_above_a_byline_and_a_time_is_kept() -> None:
    lines = ["Nyheter", "Renten uendret", "Av Per Solheim", "Publisert 22.08.2025 10:00"]
    cleaned = clean_document(page(*lines, NB_1, NB_2))
    assert removed(cleaned) == {"Nyheter": "navigation"}


def test_menu_item_above_the_date_marker_is_no_headline() -> None:
    caption = " date 2024-01-30 The minister speaking to reporters in Downing Street."
    cleaned = clean_document(
        page("Subscribe now", "Log in", caption, "Review of school funding", EN_1)
    )
    assert cleaned.paragraphs == ["Review of school funding", EN_1]


# --- position: header and footer runs, subheadings, teaser blocks ----------------------------


def test_menu_and_skip_links_above_the_headline_are_removed() -> None:
    cleaned = clean_document(
        page("Hopp til innhold", "Nyheter", "Sport", "Strømprisen stiger igjen", NB_1, NB_2)
    )
    assert removed(cleaned) == {
        "Hopp til innhold": "navigation",
        "Nyheter": "navigation",
        "Sport": "navigation",
    }
    assert cleaned.paragraphs[0] == "Strømprisen stiger igjen"


def test_headline_byline_and_dateline_above_the_lead_are_kept() -> None:
    lines = ("Kabinet trekt extra geld uit voor dijken", "Door Sanne de Vries", "12 maart 2024")
    cleaned = clean_document(page(*lines, NL_1, NL_2))
    assert cleaned.removed == []
    assert cleaned.paragraphs[:3] == list(lines)


def test_a_short_sentence_said_twice_is_kept_twice() -> None:
    cleaned = clean_document(page(NB_1, "– Nei.", NB_2, "– Nei."))
    assert cleaned.removed == []


def test_lone_subheading_between_paragraphs_is_kept() -> None:
    cleaned = clean_document(page(NB_1, "Japan: Vi har ikke annet valg", NB_2))
    assert cleaned.removed == []


def test_teaser_headlines_after_the_article_are_removed() -> None:
    teasers = ["Mer fra Oslo", "Trikken får nye linjer", "-", "Nytt bibliotek åpner på Stovner"]
    cleaned = clean_document(page(NB_1, NB_2, *teasers))
    assert cleaned.paragraphs == [NB_1, NB_2]
    assert set(removed(cleaned)) == set(teasers)


def test_teaser_run_separated_by_dashes_inside_the_article_is_removed() -> None:
    teasers = ["Il Campidoglio approva il piano", "-", "Taxi, arrivano mille nuove licenze"]
    cleaned = clean_document(page(IT_1, *teasers, IT_2))
    assert cleaned.paragraphs == [IT_1, IT_2]
    assert set(removed(cleaned).values()) == {"teaser"}


def test_video_teaser_is_only_removed_at_the_end() -> None:
    cleaned = clean_document(page("Se video: Putin i Moskva", NB_1, "VIDEO: Stoltenberg i Tokyo"))
    assert cleaned.paragraphs == ["Se video: Putin i Moskva", NB_1]
    assert removed(cleaned) == {"VIDEO: Stoltenberg i Tokyo": "video_teaser"}


def test_summary_box_is_removed_up_to_its_disclaimer() -> None:
    box = [
        "Kort fortalt",
        "Tre kommuner vil oppløse sammenslåingen.",
        "Sammendraget er laget med kunstig intelligens og kvalitetssikret av redaksjonen.",
    ]
    cleaned = clean_document(page(NB_1, *box, NB_2))
    assert cleaned.paragraphs == [NB_1, NB_2]


def test_repeated_headline_is_removed_once_and_kept_once() -> None:
    headline = "Minder boeren, maar grotere bedrijven"
    cleaned = clean_document(page(headline, headline, NL_1, NL_2))
    assert cleaned.paragraphs == [headline, NL_1, NL_2]
    assert [r.rule for r in cleaned.removed] == ["duplicate"]


# --- captions and credits -------------------------------------------------------------------


def test_short_caption_after_a_credit_is_removed() -> None:
    cleaned = clean_document(
        page(NL_1, "Foto: ANP / Robin van Lonkhuijsen", "Een vliegtuig stijgt op.", NL_2)
    )
    assert cleaned.paragraphs == [NL_1, NL_2]


def test_caption_fragment_before_a_credit_is_removed() -> None:
    lines = (EN_1, "The fossil trunks in the cliffs near Minehead", "Photograph: University", EN_2)
    cleaned = clean_document(page(*lines))
    assert cleaned.paragraphs == [EN_1, EN_2]


def test_short_article_sentence_before_a_credit_is_kept() -> None:
    cleaned = clean_document(page(EN_1, "The review will report in the autumn.", "Photo: PA"))
    assert cleaned.paragraphs == [EN_1, "The review will report in the autumn."]


def test_headline_after_a_credit_is_kept() -> None:
    cleaned = clean_document(page("Foto: NTB", "Strømprisen stiger igjen", NB_1))
    assert cleaned.paragraphs == ["Strømprisen stiger igjen", NB_1]


# --- the date marker ------------------------------------------------------------------------


def test_date_marker_becomes_the_publication_date() -> None:
    cleaned = clean_document(page(f" date 2024-03-14 {NL_1}", NL_2))
    assert cleaned.published == datetime.date(2024, 3, 14)
    assert cleaned.published_precision == "day"
    assert cleaned.removed[0].text == "date 2024-03-14"
    assert cleaned.removed[0].rule == "date_marker"


def test_month_only_marker_gives_the_first_of_the_month_and_says_so() -> None:
    cleaned = clean_document(page(f" date 2023-05 {NB_1}"))
    assert (cleaned.published, cleaned.published_precision) == (datetime.date(2023, 5, 1), "month")


def test_lead_after_date_marker_is_kept() -> None:
    cleaned = clean_document(page(f" date 2024-03-14 {NL_1}", NL_2))
    assert cleaned.paragraphs == [NL_1, NL_2]


def test_headline_after_date_marker_is_kept() -> None:
    cleaned = clean_document(page(" date 2023-11 Opnieuw twee aardbevingen in Groningen", NL_1))
    assert cleaned.paragraphs == ["Opnieuw twee aardbevingen in Groningen", NL_1]


def test_one_paragraph_wire_story_after_date_marker_is_kept_not_skipped() -> None:
    story = f"{IT_1} {IT_2} (ANSA)"
    cleaned = clean_document(page(f" date 2024-03-16 {story}", "Condividi", "Copia link"))
    assert cleaned.paragraphs == [story]


@pytest.mark.parametrize(
    ("rest", "rule"),
    [
        ("Foto: Emma Whittaker / NRK", "photo_credit"),
        ("Innenriks", "navigation"),
        ("Liveblogg", "live_label"),
        ("ANSA", "photo_credit"),
    ],
)
def test_credit_or_section_label_after_date_marker_is_removed(rest: str, rule: str) -> None:
    cleaned = clean_document(page(f" date 2024-01-20 {rest}", "Strømprisen stiger igjen", NB_1))
    assert removed(cleaned)[rest] == rule
    assert cleaned.published == datetime.date(2024, 1, 20)
    assert cleaned.paragraphs == ["Strømprisen stiger igjen", NB_1]


def test_question_headline_after_date_marker_is_kept() -> None:
    headline = "What is the new bus fare cap and who benefits?"
    cleaned = clean_document(
        page("Home", f" date 2025-06-10 {headline}", "By Priya Shah, Transport", EN_1)
    )
    assert cleaned.paragraphs[0] == headline
    assert [r.rule for r in cleaned.removed] == ["navigation", "date_marker"]


def test_caption_before_the_headline_after_date_marker_is_removed() -> None:
    caption = " date 2024-02 Een kraanmachinist aan het werk in de haven."
    cleaned = clean_document(page(caption, "Havenbedrijf boekt recordomzet", NL_1, NL_2))
    assert cleaned.paragraphs == ["Havenbedrijf boekt recordomzet", NL_1, NL_2]
    assert removed(cleaned)["Een kraanmachinist aan het werk in de haven."] == "photo_caption"


def test_page_without_marker_has_no_publication_date() -> None:
    assert clean_document(page(NL_1)).published is None


def test_impossible_marker_date_is_kept_as_text() -> None:
    cleaned = clean_document(page(" date 2024-13-40 Iets", NL_1))
    assert cleaned.published is None
    assert cleaned.paragraphs[0] == "date 2024-13-40 Iets"


# --- repeats across the sources of one run ----------------------------------------------------


def test_furniture_repeated_across_sources_is_removed() -> None:
    strap = "Nyheter fra Dagbladet Oslo"
    pages = [f"{strap}\n\nStrømprisen stiger\n\n{NB_1}", f"{strap}\n\nRenten er uendret\n\n{NB_2}"]
    cleaned = clean_document(raw(pages[0]), run_furniture(pages))
    assert removed(cleaned) == {strap: "repeated_furniture"}
    assert cleaned.paragraphs == ["Strømprisen stiger", NB_1]


def test_the_same_line_on_one_page_only_is_kept() -> None:
    text = f"Nyheter fra Dagbladet Oslo\n\nStrømprisen stiger\n\n{NB_1}"
    assert clean_document(raw(text), run_furniture([text])).removed == []


def test_wire_story_in_two_sources_keeps_its_paragraphs() -> None:
    pages = [f"{NB_1}\n\n{NB_2}", f"{NB_1}\n\n{NB_2}"]
    cleaned = clean_document(raw(pages[0]), run_furniture(pages))
    assert cleaned.paragraphs == [NB_1, NB_2]


WIRE_HEADLINE = "Strømprisen stiger igjen"
OTHER_NB = "Kommunen bygger en ny skole på Lillestrøm, og den skal stå ferdig om to år."


def outlet_page(strap: str, headline: str, *body: str) -> str:
    return "\n\n".join([strap, "Nyheter", headline, *body, "Mest lest", "Brann i Bergen"])


def test_wire_headline_shared_by_two_outlets_is_kept_while_their_furniture_goes() -> None:
    pages = [
        outlet_page("Avisa Vest – nyheter fra fylket", WIRE_HEADLINE, NB_1, NB_2),
        outlet_page("Avisa Vest – nyheter fra fylket", "Ny skole på Lillestrøm", OTHER_NB),
        outlet_page("Dagbladet Nord", WIRE_HEADLINE, NB_1, NB_2),
    ]
    furniture = run_furniture(pages)
    first, copy = (clean_document(raw(p), furniture) for p in (pages[0], pages[2]))
    assert first.paragraphs == [WIRE_HEADLINE, NB_1, NB_2]
    assert removed(first)["Avisa Vest – nyheter fra fylket"] == "repeated_furniture"
    assert copy.paragraphs == [WIRE_HEADLINE, NB_1, NB_2]


def test_headline_of_a_page_that_is_a_teaser_on_another_page_is_kept() -> None:
    own = "\n\n".join(["Nyheter", "Brann i Bergen", OTHER_NB])
    other = "\n\n".join(["Nyheter", WIRE_HEADLINE, NB_1, "Mest lest", "Brann i Bergen"])
    furniture = run_furniture([own, other])
    assert clean_document(raw(own), furniture).paragraphs == ["Brann i Bergen", OTHER_NB]
    assert clean_document(raw(other), furniture).paragraphs == [WIRE_HEADLINE, NB_1]


def test_subheading_shared_by_two_stories_of_one_outlet_is_kept() -> None:
    pages = [f"{NB_1}\n\nBakgrunn\n\n{NB_2}", f"{OTHER_NB}\n\nBakgrunn\n\n{NL_2}"]
    cleaned = clean_document(raw(pages[0]), run_furniture(pages))
    assert cleaned.paragraphs == [NB_1, "Bakgrunn", NB_2]


def test_teaser_repeated_in_the_footers_of_a_run_is_removed() -> None:
    pages = [f"{NB_1}\n\nValget i Bergen avgjort", f"{OTHER_NB}\n\nValget i Bergen avgjort"]
    cleaned = clean_document(raw(pages[0]), run_furniture(pages))
    assert removed(cleaned) == {"Valget i Bergen avgjort": "repeated_furniture"}


def test_prepare_source_cleans_the_given_raw_text_with_the_run_furniture(tmp_path: Path) -> None:
    from pipeline.config.load import load_config
    from pipeline.documents.prepare import prepare_source, read_raw

    paths = []
    for name, text in (
        ("a", outlet_page("Dagbladet Nord", WIRE_HEADLINE, NB_1, NB_2)),
        ("b", outlet_page("Dagbladet Nord", "Ny skole", OTHER_NB)),
    ):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    sources = [Source(path.stem, str(path)) for path in paths]
    raws = [read_raw(source) for source in sources]
    furniture = run_furniture([r.text for r in raws])
    prepared = prepare_source(sources[0], load_config().translation, None, furniture, raws[0])
    assert prepared.document is not None
    assert prepared.document.paragraphs == [WIRE_HEADLINE, NB_1, NB_2]
    assert removed(prepared.document)["Dagbladet Nord"] == "repeated_furniture"


# --- the skip rule ----------------------------------------------------------------------------


def test_only_debris_is_skipped() -> None:
    with pytest.raises(SourceSkipped, match="only web debris, no article text"):
        clean_document(raw("apple store\nplay market\n\nShare\nViews: 12\n[lid]\nAnnonse"))


def test_whitespace_only_is_skipped() -> None:
    with pytest.raises(SourceSkipped):
        clean_document(raw(" \n\n\t\n"))


def test_page_with_one_article_paragraph_among_furniture_is_not_skipped() -> None:
    cleaned = clean_document(page("Menu", "Search", EN_1, "Share", "Advertisement"))
    assert cleaned.paragraphs == [EN_1]


# --- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"), [(NL_1, "nl"), (NB_1, "nb"), (IT_1, "it"), (EN_1, "en"), ("42", "und")]
)
def test_page_language_comes_from_its_function_words(text: str, language: str) -> None:
    assert page_language(text) == language


# --- the samples ------------------------------------------------------------------------------


def test_sample_003_loses_app_copyright_and_share_debris_at_both_ends() -> None:
    cleaned = clean_document(sample("003"))
    texts = [line.text for line in cleaned.removed]
    assert texts[:3] == [
        "apple store",
        "play market",
        "Any use of materials is allowed only if there is a hyperlink to © 2024. .",
    ]
    for debris in (
        "Views: 69",
        "copy link",
        "share-lineLiked the story? Share it on social media!",
    ):
        assert debris in texts
    assert texts.count("Follow us on Youtube") == 2
    assert cleaned.title == "NATO to defer decision on Tokyo liaison office"
    assert cleaned.paragraphs[0] == cleaned.title
    assert cleaned.paragraphs[-1].startswith("Nevertheless, France and other member states")


def test_sample_002_loses_its_photo_caption_and_video_teaser_and_gets_its_date() -> None:
    cleaned = clean_document(sample("002"))
    assert [(r.line, r.rule) for r in cleaned.removed] == [
        (1, "date_marker"),
        (1, "photo_caption"),
        (41, "video_teaser"),
    ]
    assert cleaned.removed[1].text.startswith("Australias statsminister")
    assert cleaned.published == datetime.date(2023, 5, 1)
    assert cleaned.paragraphs[0] == "Kontoret vil i så fall være alliansens første i Asia."
    assert cleaned.paragraphs[-1] == "USA har gjort det tydelig at de støtter Taiwan i konflikten."
    assert "Japan: Vi har ikke annet valg" in cleaned.paragraphs


def test_sample_004_loses_the_lid_marker_but_keeps_its_sentence() -> None:
    cleaned = clean_document(sample("004"))
    assert [(r.line, r.text, r.rule) for r in cleaned.removed] == [(2, "[lid]-", "lead_marker")]
    assert cleaned.paragraphs[0].startswith("L’ufficio “consentirà all’alleanza di condurre")
    assert cleaned.title.endswith("…") and len(cleaned.title) <= 121


def test_sample_001_without_blank_lines_has_a_paragraph_per_line() -> None:
    document = sample("001")
    cleaned = clean_document(document)
    assert cleaned.paragraphs == [line for line in document.text.split("\n") if line.strip()]
    assert cleaned.removed == []


def test_sample_000_paragraphs_follow_its_blank_lines() -> None:
    cleaned = clean_document(sample("000"))
    assert len(cleaned.paragraphs) == 13
    assert cleaned.removed == []


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_samples_lose_nothing_but_recorded_debris(path: Path) -> None:
    document = sample(path.stem[:3])
    cleaned = clean_document(document)
    assert_nothing_lost(document, cleaned)
    assert all(p and p == " ".join(p.split()) for p in cleaned.paragraphs)


# --- structure, whitespace and titles ---------------------------------------------------------


def test_whitespace_inside_lines_is_collapsed() -> None:
    cleaned = clean_document(raw("  Een \t zin\u00a0met   ruimte.  \n\nTweede\u2003alinea. "))
    assert cleaned.paragraphs == ["Een zin met ruimte.", "Tweede alinea."]


def test_lines_of_a_block_form_one_paragraph() -> None:
    text = "Eerste regel van een\nafgebroken alinea.\n\nTweede alinea."
    assert clean_document(raw(text)).paragraphs == [
        "Eerste regel van een afgebroken alinea.",
        "Tweede alinea.",
    ]


def test_a_line_that_is_only_a_marker_disappears() -> None:
    cleaned = clean_document(raw("[lid]\nDe Navo komt niet naar Tokio."))
    assert cleaned.paragraphs == ["De Navo komt niet naar Tokio."]
    assert [(r.line, r.text) for r in cleaned.removed] == [(1, "[lid]")]


def test_title_from_html_metadata_wins() -> None:
    cleaned = clean_document(raw("Kop van de pagina\n\nTekst.", title="  Echte   titel "))
    assert cleaned.title == "Echte titel"


def test_headline_like_first_paragraph_is_the_title() -> None:
    assert choose_title(None, ["Japan: Vi har ikke annet valg", "Tekst."], "id") == (
        "Japan: Vi har ikke annet valg"
    )


def test_first_sentence_is_the_title_when_there_is_no_headline() -> None:
    paragraphs = ["De Navo komt niet. Frankrijk is ertegen, zegt Parijs."]
    assert choose_title(None, paragraphs, "id") == "De Navo komt niet."


def test_long_first_sentence_is_shortened_on_a_word_boundary() -> None:
    sentence = "Woord " * 40 + "einde."
    title = choose_title(None, [sentence], "id")
    assert title.endswith("Woord…") and len(title) <= 121


def test_title_falls_back_to_the_source_id() -> None:
    assert choose_title(None, ["… — !!"], "source-7") == "source-7"
    assert clean_document(raw("— — —")).title == "doc"


# --- the guarantee ----------------------------------------------------------------------------


DEBRIS_LINES = [
    "apple store", "Share", "Views: 3", "[lid] Kop", " date 2023-05 x", "date 2024-02-30 y",
    "VIDEO: y", "Annonse", "-", "Foto: NTB", "Kort fortalt",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_is_cleaned_or_skipped_and_nothing_is_lost(text: str) -> None:
    check_guarantee(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(DEBRIS_LINES + ["", " ", "Zin.", NL_1]), st.text(max_size=40)),
        max_size=12,
    )
)
def test_debris_mixed_with_arbitrary_lines_loses_nothing(lines: list[str]) -> None:
    check_guarantee("\n".join(lines))


def check_guarantee(text: str) -> None:
    """Only ``SourceSkipped`` may escape; otherwise every character is kept or recorded."""
    document = raw(text)
    try:
        cleaned = clean_document(document, run_furniture([text, text]))
    except SourceSkipped:
        return
    assert_nothing_lost(document, cleaned)
    assert cleaned.paragraphs and all(cleaned.paragraphs)
    assert cleaned.title


def test_box_label_before_article_paragraphs_takes_none_of_them() -> None:
    lines = ("In breve", IT_1, "I dati sono stati pubblicati ai primi di marzo.", IT_2)
    cleaned = clean_document(page(*lines))
    assert cleaned.paragraphs == list(lines[1:])
    assert removed(cleaned) == {"In breve": "widget"}


def test_page_of_short_lines_without_prose_is_kept() -> None:
    lines = ("Uitslagen", "Ajax - PSV 2-1", "Feyenoord - AZ 0-0", "Twente - Utrecht 3-2")
    assert clean_document(page(*lines)).paragraphs == list(lines)


def test_list_the_article_introduces_is_kept() -> None:
    items = ["hogere huurtoeslag", "lagere belasting in de eerste schijf", "meer geld voor zorg"]
    cleaned = clean_document(page(NL_1, "De belangrijkste maatregelen:", *items, NL_2))
    assert cleaned.removed == []


def test_bulleted_list_inside_the_article_is_kept() -> None:
    items = ["- Tre døde", "- Ti skadde", "- Veien er stengt"]
    cleaned = clean_document(page(NB_1, *items, NB_2))
    assert cleaned.removed == []


def test_list_that_ends_the_article_is_kept() -> None:
    items = ["Ajax - PSV 2-1", "Feyenoord - AZ 0-0", "Twente - Utrecht 3-2"]
    cleaned = clean_document(page(NL_1, "De uitslagen van zondag:", *items))
    assert cleaned.removed == []


# --- the publication date downstream -------------------------------------------------------


def test_publication_date_reaches_the_report_the_json_and_the_source_header() -> None:
    from pipeline.assemble.briefing import source_report, unfinished_report
    from pipeline.assemble.document import Briefing
    from pipeline.render.render import render_html, render_markdown
    from pipeline.types import LanguageGuess, Status

    cleaned = clean_document(page(f" date 2024-03-14 {NL_1}", NL_2))
    report = source_report(cleaned, LanguageGuess("nl", "nl", 0.99), [], "", "", None)
    assert report.published == datetime.date(2024, 3, 14)
    assert report.to_dict()["published"] == "2024-03-14"
    assert report.to_dict()["published_precision"] == "day"
    skipped = unfinished_report(cleaned.source, Status.SKIPPED, "no model", cleaned)
    assert skipped.published == datetime.date(2024, 3, 14)
    briefing = Briefing("Briefing", "2024-03-15T00:00:00Z", "", [report])
    assert "- **Published:** 2024-03-14" in render_markdown(briefing)
    assert '<time datetime="2024-03-14">2024-03-14</time>' in render_html(briefing)


def test_month_precision_date_is_shown_as_a_month() -> None:
    from pipeline.assemble.briefing import source_report
    from pipeline.assemble.document import Briefing
    from pipeline.render.render import render_markdown
    from pipeline.types import LanguageGuess

    cleaned = clean_document(page(f" date 2023-05 {NB_1}"))
    report = source_report(cleaned, LanguageGuess("nb", "no", 0.99), [], "", "", None)
    assert "- **Published:** 2023-05\n" in render_markdown(Briefing("B", "t", "", [report]))


def test_source_without_a_date_has_no_published_line() -> None:
    from pipeline.assemble.briefing import source_report
    from pipeline.assemble.document import Briefing
    from pipeline.render.render import render_markdown
    from pipeline.types import LanguageGuess

    report = source_report(
        clean_document(page(NL_1)), LanguageGuess("nl", "nl", 0.9), [], "", "", None
    )
    assert report.to_dict()["published"] is None
    assert "Published" not in render_markdown(Briefing("B", "t", "", [report]))


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
