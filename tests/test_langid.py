"""Language per document, with Norwegian and mixed documents handled on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.documents import language as langid
from pipeline.documents.clean import clean_document
from pipeline.documents.language import LABEL_TO_CODE, detect_language, family, to_code
from pipeline.sources.read import read_source
from pipeline.types import CleanDocument, Source

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sample(prefix: str) -> CleanDocument:
    [path] = SAMPLES.glob(f"{prefix}_*.txt")
    return clean_document(read_source(Source(id=path.stem, path=str(path))))


def document(*paragraphs: str) -> CleanDocument:
    return CleanDocument(Source("doc", "doc.txt"), "title", list(paragraphs), [])


GERMAN = (
    "Die Bundesregierung hat beschlossen, den Verteidigungshaushalt nach dem russischen "
    "Einmarsch in die Ukraine deutlich zu erhöhen. Das sei notwendig, sagte der Kanzler."
)
SWEDISH = (
    "Regeringen har beslutat att kraftigt öka försvarsbudgeten efter Rysslands invasion av "
    "Ukraina. Det är mycket viktigt för Sverige, säger statsministern."
)
DANISH = (
    "Regeringen har besluttet at øge forsvarsbudgettet markant efter Ruslands invasion af "
    "Ukraine. Det er meget vigtigt for Danmark, siger statsministeren."
)
DUTCH = [
    "Er komt voorlopig geen verbindingskantoor van de Navo in Tokio, zo werd dinsdag bekend.",
    "Frankrijk heeft elke verwijzing daarnaar laten schrappen uit de slotconclusies van de top.",
    "Premier Kishida zei dat hij hoopt dat de samenwerking met de bondgenoten inniger wordt.",
]
ENGLISH = [
    "NATO is poised to defer its decision on establishing a liaison office in Tokyo until "
    "autumn or later, Nikkei has learned.",
    "But France has opposed the idea, caring for relations with China, and the unanimous "
    "agreement of all members needed for the decision appears unlikely.",
]


@pytest.mark.parametrize(
    ("prefix", "language", "label"),
    [
        ("000", "nl", "nl"),
        ("001", "nl", "nl"),
        ("002", "nb", "no"),
        ("003", "en", "en"),
        ("004", "it", "it"),
    ],
)
def test_samples_get_their_languages(prefix: str, language: str, label: str) -> None:
    doc = sample(prefix)
    guess = detect_language(doc)
    assert (guess.language, guess.label) == (language, label)
    assert guess.confidence > 0.9
    assert guess.mixed is False
    assert guess.paragraph_languages == [language] * len(doc.paragraphs)


@pytest.mark.parametrize(("text", "language"), [(GERMAN, "de"), (SWEDISH, "sv"), (DANISH, "da")])
def test_other_languages_are_named_not_bent_into_ours(text: str, language: str) -> None:
    guess = detect_language(document(text))
    assert guess.language == language
    assert guess.mixed is False


def test_dutch_file_with_english_paragraphs_is_mixed(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text("\n\n".join([DUTCH[0], ENGLISH[0], DUTCH[1], ENGLISH[1], DUTCH[2]]))
    doc = clean_document(read_source(Source("mixed", str(path))))

    guess = detect_language(doc)

    assert guess.language == "nl"
    assert guess.mixed is True
    assert guess.paragraph_languages == ["nl", "en", "nl", "en", "nl"]


def test_one_short_foreign_quote_does_not_make_a_document_mixed() -> None:
    guess = detect_language(document(*DUTCH, *DUTCH, "Thank you very much, he said."))
    assert guess.language == "nl"
    assert guess.mixed is False
    assert guess.paragraph_languages[-1] == "nl"  # too short to judge: follows the document


def test_norwegian_and_danish_paragraphs_are_one_family_not_mixed() -> None:
    norwegian = (
        "Han la til at landet ikke har noe annet valg enn å revurdere sin sikkerhet etter "
        "Russlands invasjon av Ukraina, som han mener har gjort verden mer ustabil."
    )
    guess = detect_language(document(norwegian, norwegian, DANISH))
    assert guess.language == "nb"
    assert guess.mixed is False
    assert guess.paragraph_languages == ["nb", "nb", "nb"]  # decided per document


def test_text_without_letters_is_undetermined() -> None:
    guess = detect_language(document("12:30 — 14.07.2023", "!!!"))
    assert (guess.language, guess.label, guess.confidence) == ("und", "und", 0.0)
    assert guess.paragraph_languages == ["und", "und"]


def test_labels_map_explicitly_and_unknown_labels_stay_themselves() -> None:
    assert to_code("no") == "nb"
    assert to_code("nb") == "nb"
    assert to_code("nn") == "nn"
    assert {to_code(code) for code in ("nl", "it", "en")} == {"nl", "it", "en"}
    assert to_code("nds") == "nds"  # Low German is not Dutch: no Dutch model for it
    assert to_code("af") == "af"
    assert set(LABEL_TO_CODE.values()) >= {"nb", "nn", "nl", "it", "en"}


def test_scandinavian_languages_are_one_family() -> None:
    assert {family(code) for code in ("nb", "nn", "no", "da", "sv")} == {"scandinavian"}
    assert family("nl") == "nl" and family("de") == "de"


class FakeIdentifier:
    """Stands in for py3langid to pin a close Danish/Norwegian call."""

    def __init__(self, ranking: list[tuple[str, float]]) -> None:
        self.ranking = ranking

    def rank(self, text: str) -> list[tuple[str, float]]:
        return self.ranking


CLOSE_CALL = [("da", 0.45), ("no", 0.40), ("nn", 0.10), ("sv", 0.05)]


def test_close_danish_call_with_norwegian_words_becomes_norwegian(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(langid, "_identifier", lambda: FakeIdentifier(CLOSE_CALL))
    text = "Han sier at det er for tidlig å si noe om saken etter møtet."
    assert langid.classify(text) == ("no", 0.40)
    assert detect_language(document(text)).language == "nb"


def test_close_danish_call_with_danish_words_stays_danish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(langid, "_identifier", lambda: FakeIdentifier(CLOSE_CALL))
    assert langid.classify("Han siger at det er meget tidligt efter mødet.") == ("da", 0.45)


def test_clear_danish_call_stays_danish_whatever_the_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear = [("da", 0.98), ("sv", 0.01), ("no", 0.01)]
    monkeypatch.setattr(langid, "_identifier", lambda: FakeIdentifier(clear))
    assert langid.classify("å etter noe")[0] == "da"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_any_text_gets_a_guess_with_one_code_per_paragraph(paragraphs: list[str]) -> None:
    guess = detect_language(document(*paragraphs))
    assert len(guess.paragraph_languages) == len(paragraphs)
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.language == to_code(guess.label)


def test_the_list_of_detectable_languages_is_the_models_own() -> None:
    from pipeline.documents.language import _identifier, to_code
    from pipeline.languages import DETECTABLE_LANGUAGES

    assert DETECTABLE_LANGUAGES == {to_code(label) for label in _identifier().nb_classes}
