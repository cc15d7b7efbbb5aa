"""Reference-free faithfulness checks on briefings: numbers, coverage, length, copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows.eval_cli import eval_app
from pipeline.assemble.document import Briefing
from pipeline.quality.faithfulness import (
    check_briefing,
    check_sentences,
    check_source,
    faithfulness_report,
    missing_numbers,
    number_values,
)
from pipeline.types import SourceReport, Status, TranslatedSegment

runner = CliRunner()

GOOD_NL = [
    ("De top in Vilnius begint op 11 juli 2023.", "The summit in Vilnius begins on 11 July 2023."),
    (
        "Voor het besluit is de instemming van alle 31 lidstaten nodig.",
        "The decision requires the consent of all 31 member states.",
    ),
    (
        "De regering trekt 1,5 miljard euro uit voor nieuwe woningen.",
        "The government is setting aside 1.5 billion euros for new homes.",
    ),
    (
        "Het aantal werklozen daalde met 12.000 tot 350.000.",
        "The number of unemployed fell by 12,000 to 350,000.",
    ),
]


def _segments(pairs: list[tuple[str, str]]) -> list[TranslatedSegment]:
    return [TranslatedSegment(source=s, translation=t, confidence=-0.2) for s, t in pairs]


def _report(source_id: str, language: str, pairs, model: str | None = "m", **extra) -> SourceReport:
    return SourceReport(
        id=source_id,
        path=f"/news/{source_id}.txt",
        language=language,
        sentences=_segments(pairs),
        translation_model=model,
        **extra,
    )


def _briefing(reports: list[SourceReport]) -> dict:
    briefing = Briefing(
        title="Test", generated_at="2026-01-01T00:00:00Z", overview="", sources=reports
    )
    return json.loads(json.dumps(briefing.to_dict()))  # exactly what the JSON file holds


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "values"),
    [
        ("31", {"31"}),
        ("2023", {"2023"}),
        ("1,5", {"1.5"}),
        ("1.5", {"1.5"}),
        ("12.000", {"12000", "12"}),  # Dutch thousands, or English 12.000
        ("1,500", {"1500", "1.5"}),
        ("1.000.000", {"1000000"}),
        ("1.234,5", {"1234.5"}),
        ("10 000", {"10000"}),
        ("007", {"7"}),
    ],
)
def test_number_readings(token: str, values: set[str]) -> None:
    assert number_values(token) == values


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("De inflatie was 3,8 procent in 2023.", "Inflation was 3.8 percent in 2023."),
        ("Er kwamen 12.000 mensen.", "12,000 people came."),
        ("Over 10 000 mennesker deltok.", "More than 10,000 people took part."),
        ("L'inflazione è scesa al 5,3 per cento.", "Inflation fell to 5.3 percent."),
        ("De top begint op 10-07-2023.", "The summit begins on 10 July 2023."),
        ("De top begint op 10-07-2023.", "The summit begins on 7/10/2023."),
        ("Het vliegtuig landde om 11.17 uur.", "The plane landed at 11:17."),
        ("Er raakten 2 mensen gewond.", "Two people were injured."),
        ("De nieuwe F-35 toestellen.", "The new F-35 aircraft."),
    ],
)
def test_numbers_written_the_english_way_are_found(source: str, translation: str) -> None:
    missing, checked = missing_numbers(source, translation)
    assert checked >= 1
    assert missing == []


def test_a_dropped_or_changed_number_is_caught() -> None:
    assert missing_numbers("alle 31 lidstaten in 2023", "all 30 member states in 2023") == (
        ["31"],
        2,
    )
    assert missing_numbers("De inflatie was 3,8 procent.", "Inflation was high.")[0] == ["3,8"]
    assert missing_numbers("De top begint op 10-07-2023.", "The summit begins in July.")[0] == [
        "10-07-2023"
    ]


# -- sentences -------------------------------------------------------------------------------


def test_clean_translation_passes_every_check() -> None:
    result = check_sentences(GOOD_NL, "nl")
    assert result["coverage"] == 1.0
    assert result["untranslated"] == result["length_outliers"] == result["copies"] == []
    assert result["numbers_missing"] == [] and result["numbers_checked"] == 6


def test_each_check_fires_on_its_failure() -> None:
    pairs = [
        ("Het kabinet wil dat de nieuwe regels snel ingaan.", ""),  # untranslated
        ("De oppositie noemt het plan volstrekt onbetaalbaar.", "No."),  # far too short
        (
            "Volgens de minister is er geen alternatief.",
            "Volgens de minister is er geen alternatief.",
        ),
        ("De staking duurt al 3 dagen.", "The strike has been going on for days."),
        ("Jens Stoltenberg.", "Jens Stoltenberg."),  # a name may be copied
    ]
    result = check_sentences(pairs, "nl")
    assert [u["sentence"] for u in result["untranslated"]] == [0]
    assert result["coverage"] == pytest.approx(0.8)
    assert [o["sentence"] for o in result["length_outliers"]] == [1]
    assert result["length_outliers"][0]["ratio"] < 0.5
    assert [c["sentence"] for c in result["copies"]] == [2]
    assert [(m["sentence"], m["number"]) for m in result["numbers_missing"]] == [(3, "3")]


def test_english_is_not_an_untranslated_copy() -> None:
    pairs = [("The alliance has 31 members.", "The alliance has 31 members.")]
    assert check_sentences(pairs, "en")["copies"] == []


def test_short_sources_are_not_ratio_checked() -> None:
    result = check_sentences([("Tokio.", "Tokyo, the capital of Japan, said so.")], "nl")
    assert result["length_checked"] == 0 and result["length_outliers"] == []


def test_flags_and_report_judge_lengths_and_copies_alike() -> None:
    """One set of checks and thresholds: a sentence the report calls an outlier or a copy
    is the one the source's flag names, and the config's thresholds move both."""
    from pipeline.config.schema import FlagConfig
    from pipeline.quality.flags import flag_source

    pairs = [
        ("De minister sprak kort.", "Yes."),  # 23 characters: below 30, not judged by length
        ("De minister van Defensie sprak gisteren lang.", "Yes."),  # judged: far too short
        ("Rutte zei niets meer daarover.", "Rutte zei niets meer daarover."),  # a copy
    ]
    report = _report("nl", "nl", pairs, status=Status.OK)
    for config in (FlagConfig(), FlagConfig(min_ratio_chars=10, min_copied_words=9)):
        checked = faithfulness_report([report], config)["sources"][0]
        flags = {f.type: f for f in flag_source(report, config)}
        outliers = [o["sentence"] for o in checked["length_outliers"]]
        assert outliers == flags["length_ratio"].sentences
        copies = [c["sentence"] for c in checked["copies"]]
        assert copies == (flags["untranslated"].sentences if "untranslated" in flags else [])
    assert outliers == [0, 1] and copies == []  # the looser config judges both, copies none


# -- sources and briefings -------------------------------------------------------------------


def test_report_over_source_reports() -> None:
    reports = [
        _report("nl-good", "nl", GOOD_NL),
        _report("en", "en", [("NATO met.", "NATO met.")], model=None),
        SourceReport(id="broken", path="/news/x.bin", status=Status.FAILED, error="binary"),
    ]
    result = faithfulness_report(reports)
    assert result["overall"]["ok"] is True
    assert result["overall"]["sources"] == 3 and result["overall"]["sources_checked"] == 1
    by_id = {s["id"]: s for s in result["sources"]}
    assert by_id["nl-good"]["checked"] and by_id["nl-good"]["problems"] == []
    assert by_id["en"]["checked"] is False and "not translated" in by_id["en"]["reason"]
    assert by_id["broken"]["checked"] is False and "failed" in by_id["broken"]["reason"]
    assert result["thresholds"]["min_length_ratio"] == 0.5


def test_planted_dropped_number_makes_the_briefing_fail() -> None:
    planted = [*GOOD_NL[:3], ("Het aantal werklozen daalde met 12.000.", "Unemployment fell.")]
    result = check_briefing(_briefing([_report("nl-bad", "nl", planted)]))
    assert result["overall"]["ok"] is False
    assert result["overall"]["numbers_missing"] == 1
    source = result["sources"][0]
    assert source["numbers_missing"][0]["number"] == "12.000"
    assert source["numbers_missing"][0]["sentence"] == 3
    assert any("12.000" in p for p in source["problems"])


def test_check_source_accepts_the_json_dict() -> None:
    report = _report("it", "it", [("L'alleanza conta 31 membri.", "The alliance has 31 members.")])
    assert check_source(report.to_dict())["numbers_checked"] == 1
    assert check_source(report)["numbers_checked"] == 1


def test_not_a_briefing_is_refused() -> None:
    with pytest.raises(ValueError, match="no 'sources' list"):
        check_briefing({"title": "x"})


# -- the command -----------------------------------------------------------------------------


def _invoke(*args: str):
    app = typer.Typer()
    app.add_typer(eval_app, name="eval")
    return runner.invoke(app, ["eval", "faithfulness", *args])


def test_command_prints_per_source_results(tmp_path: Path) -> None:
    path = tmp_path / "briefing.json"
    path.write_text(json.dumps(_briefing([_report("nl-good", "nl", GOOD_NL)])), encoding="utf-8")
    result = _invoke(str(path), "--strict")
    assert result.exit_code == 0, result.output
    assert "nl-good" in result.output and "100.0%" in result.output
    assert "0/6" in result.output and "overall:" in result.output


def test_command_strict_fails_on_a_dropped_number(tmp_path: Path) -> None:
    planted = [("Voor het besluit zijn alle 31 lidstaten nodig.", "All member states are needed.")]
    path = tmp_path / "briefing.json"
    path.write_text(json.dumps(_briefing([_report("nl-bad", "nl", planted)])), encoding="utf-8")
    output = tmp_path / "faithfulness.json"
    result = _invoke(str(path), "--strict", "--output", str(output))
    assert result.exit_code == 1
    assert "'31' missing" in result.output and "PROBLEM" in result.output
    assert json.loads(output.read_text(encoding="utf-8"))["overall"]["numbers_missing"] == 1
    as_json = _invoke(str(path), "--json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["overall"]["ok"] is False


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "cannot read"), ("{not json", "is not JSON"), ('{"title": "x"}', "no 'sources'")],
)
def test_command_bad_file_exits_2(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "briefing.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = _invoke(str(path))
    assert result.exit_code == 2
    assert expected in result.output
