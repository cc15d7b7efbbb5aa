"""Merging per-source results into one briefing."""

from __future__ import annotations

from pipeline.assemble.briefing import build_briefing, overview, translated_text
from pipeline.types import ModelsUsed, Segment, SourceReport, Status, TranslatedSegment


def _report(source_id: str, summary: str, status: Status = Status.OK) -> SourceReport:
    return SourceReport(id=source_id, path=f"/in/{source_id}.txt", status=status, summary=summary)


def test_translated_text_keeps_the_source_paragraphs() -> None:
    segments = [Segment(0, 0, "Een."), Segment(0, 1, "Twee."), Segment(1, 2, "Drie.")]
    english = ["One.", "Two.", "Three."]
    translations = [TranslatedSegment(s.text, t) for s, t in zip(segments, english, strict=True)]
    assert translated_text(segments, translations) == "One. Two.\n\nThree."


def test_overview_cites_the_source_of_every_sentence() -> None:
    reports = [
        _report("a", "France opposed the NATO office in Tokyo because of China."),
        _report("b", "NATO will open its first Asian office in Tokyo, Nikkei Asia reported."),
        _report("c", "", Status.FAILED),
    ]
    text = overview(reports)
    assert "[1]" in text and "[2]" in text and "[3]" not in text
    assert "France opposed the NATO office in Tokyo because of China. [1]" in text


def test_overview_says_so_when_no_source_could_be_briefed() -> None:
    assert "No source" in overview([_report("a", "", Status.FAILED)])


def test_briefing_notes_sources_that_were_not_briefed_and_test_models() -> None:
    reports = [
        _report("a", "A summary sentence about NATO and Japan."),
        _report("b", "", Status.SKIPPED),
    ]
    briefing = build_briefing("T", reports, models=ModelsUsed(), test_models=True)
    assert briefing.counts() == {"ok": 1, "skipped": 1, "failed": 0}
    assert any("TEST models" in note for note in briefing.notes)
    assert any("b (skipped)" in note for note in briefing.notes)
    assert briefing.to_dict()["sources"][1]["status"] == "skipped"


def test_a_sentence_in_several_summaries_is_said_once_citing_them_all() -> None:
    shared = "NATO will open a liaison office in Tokyo, the first in Asia."
    reports = [_report("a", shared), _report("b", shared), _report("c", shared)]
    assert overview(reports) == f"{shared} [1][2][3]"
