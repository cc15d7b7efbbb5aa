"""The glossary: preferred renderings, whole-word and case-aware, every use recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from briefing_samples import SAMPLE_IDS, sample_report

from pipeline.translation.glossary import (
    GlossaryError,
    apply_glossary,
    apply_text,
    load_glossary,
    parse_glossary,
)
from pipeline.types import SourceReport, Status, TranslatedSegment

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GLOSSARY = REPO / "configs" / "glossary.yaml"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(DEFAULT_GLOSSARY)


def machine_translated(*english: str, summary: str = "") -> SourceReport:
    """A Dutch source as opus-mt-nl-en often renders it: "Navo" left as it was."""
    return SourceReport(
        id="nl-source",
        path="nl.txt",
        language="nl",
        text="Er komt voorlopig geen verbindingskantoor van de Navo in Tokio.",
        translation=" ".join(english),
        summary=summary,
        sentences=[TranslatedSegment("bron", e, -0.4) for e in english],
        translation_model="Helsinki-NLP/opus-mt-nl-en",
    )


def test_navo_becomes_nato_and_the_use_is_recorded(glossary):
    report = machine_translated(
        "There will be no Navo liaison office in Tokyo for the time being.",
        "France had every reference struck from the conclusions of the Navo-top in Lithuania.",
        summary="No Navo office in Tokyo for now.",
    )
    [glossed], uses = apply_glossary([report], glossary)
    assert glossed.sentences[0].translation == (
        "There will be no NATO liaison office in Tokyo for the time being."
    )
    assert "NATO summit in Lithuania" in glossed.sentences[1].translation
    assert glossed.summary == "No NATO office in Tokyo for now."
    assert "Navo" not in glossed.translation
    assert [(u.source, u.sentence, u.field, u.original, u.replacement) for u in uses] == [
        ("nl-source", 0, "sentence", "Navo", "NATO"),
        ("nl-source", 1, "sentence", "Navo-top", "NATO summit"),
        ("nl-source", None, "summary", "Navo", "NATO"),
    ]
    assert uses[0].to_dict() == {
        "source": "nl-source",
        "sentence": 0,
        "field": "sentence",
        "from": "Navo",
        "to": "NATO",
    }
    # The source text and the report passed in are left alone.
    assert "Navo" in glossed.text
    assert report.sentences[0].translation.startswith("There will be no Navo")


def test_the_norwegian_captions_misspelt_name(glossary):
    text, used = apply_text("NATO Secretary General Jens Stoltenber was in Madrid.", glossary)
    assert text == "NATO Secretary General Jens Stoltenberg was in Madrid."
    assert used == [("Jens Stoltenber", "Jens Stoltenberg")]
    # Already right: the variant is not a whole word of "Jens Stoltenberg".
    assert apply_text("Jens Stoltenberg said.", glossary) == ("Jens Stoltenberg said.", [])


def test_whole_words_only(glossary):
    text, used = apply_text("Navotas, NAVO-chef, Navo's plan and Navo.", glossary)
    assert text == "Navotas, NATO-chef, NATO's plan and NATO."
    assert [u[0] for u in used] == ["NAVO", "Navo", "Navo"]


def test_case_sensitive_by_default_case_insensitive_on_request():
    strict = parse_glossary({"terms": [{"to": "NATO", "from": "Navo"}]})
    assert apply_text("navo and NAVO stay; Navo goes", strict)[0] == "navo and NAVO stay; NATO goes"
    loose = parse_glossary(
        {
            "terms": [
                {"to": "NATO", "from": "nato", "case_sensitive": False},
                {"to": "prime minister", "from": "premier", "case_sensitive": False},
            ]
        }
    )
    text, used = apply_text("Nato, nato and NATO. Premier Kishida met the premier.", loose)
    assert text == "NATO, NATO and NATO. Prime minister Kishida met the prime minister."
    assert ("NATO", "NATO") not in used  # already right: no use recorded
    assert len(used) == 4


def test_one_pass_so_replacements_are_not_replaced_again():
    chain = parse_glossary({"terms": [{"to": "B", "from": "A"}, {"to": "C", "from": "B"}]})
    assert apply_text("A B", chain)[0] == "B C"


def test_english_and_unbriefed_sources_are_left_as_written(glossary):
    english = sample_report(SAMPLE_IDS[3])
    english.sentences[0] = TranslatedSegment("Navo office", "Navo office")
    failed = SourceReport(id="x", path="x", status=Status.FAILED, translation="Navo")
    [kept_english, kept_failed], uses = apply_glossary([english, failed], glossary)
    assert kept_english is english and kept_failed is failed
    assert uses == []


def test_no_glossary_changes_nothing():
    report = machine_translated("Navo")
    assert apply_glossary([report], None) == ([report], [])
    assert apply_glossary([report], parse_glossary({"terms": []})) == ([report], [])


def test_the_shipped_glossary_is_valid(glossary):
    variants = {v for term in glossary.terms for v in term.variants}
    assert {"Navo", "NAVO", "Jens Stoltenber"} <= variants


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"terms": [{"to": "NATO"}]}, "terms.0.from"),
        ({"terms": [{"to": "NATO", "from": "Navo", "colour": "red"}]}, "unknown key"),
        ({"terms": [{"to": "", "from": "Navo"}]}, "terms.0.to"),
        ({"terms": [{"to": "NATO", "from": ["Navo", " Nato"]}]}, "leading or trailing"),
        ({"terms": [{"to": "NATO", "from": "NATO"}]}, "maps to itself"),
        (
            {"terms": [{"to": "NATO", "from": "Navo"}, {"to": "OTAN", "from": "navo"}]},
            "listed for both",
        ),
        (["Navo", "NATO"], "expected a mapping"),
    ],
)
def test_invalid_glossaries_say_what_is_wrong(data, message):
    with pytest.raises(GlossaryError, match=message) as caught:
        parse_glossary(data, origin="configs/glossary.yaml")
    assert "configs/glossary.yaml" in str(caught.value)


def test_load_errors_name_the_file(tmp_path):
    with pytest.raises(GlossaryError, match="cannot read glossary"):
        load_glossary(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("terms: [to: NATO\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not valid YAML"):
        load_glossary(broken)
    evil = tmp_path / "evil.yaml"
    evil.write_text("terms: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(GlossaryError):  # safe_load: no objects from YAML tags
        load_glossary(evil)
