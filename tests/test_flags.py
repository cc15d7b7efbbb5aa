"""Quality flags: each type is raised by the failure it stands for, and only by it."""

from __future__ import annotations

import pytest
from briefing_samples import SAMPLE_IDS, sample_report

from pipeline.config.schema import FlagConfig, SynthesisConfig
from pipeline.quality.flags import FLAG_TYPES, Flag, flag_source, flag_sources
from pipeline.synthesis.synthesize import synthesize
from pipeline.types import SourceReport, Status, TranslatedSegment

CONFIG = FlagConfig()
DUTCH = SAMPLE_IDS[0]


def dutch(**changes) -> SourceReport:
    """The first Dutch sample with good English (no flags), changed as a test needs."""
    report = sample_report(DUTCH)
    for key, value in changes.items():
        setattr(report, key, value)
    return report


def types(flags: list[Flag]) -> list[str]:
    return [flag.type for flag in flags]


def test_good_translations_of_the_samples_raise_no_flags():
    for sample_id in SAMPLE_IDS:
        assert flag_source(sample_report(sample_id), CONFIG) == [], sample_id


def test_test_models_flag():
    flags = flag_source(dutch(), CONFIG, test_models=True)
    assert types(flags) == ["test_models"]
    assert "TEST models" in flags[0].message


def test_untranslated_flag_names_copied_and_empty_sentences():
    report = dutch()
    pairs = list(report.sentences)
    pairs[1] = TranslatedSegment(pairs[1].source, pairs[1].source, -0.2)  # copied verbatim
    pairs[4] = TranslatedSegment(pairs[4].source, "", None)  # nothing came back
    pairs[16] = TranslatedSegment(pairs[16].source, pairs[16].source, -0.1)  # "Zorgen in ..."
    report.sentences = pairs
    flags = flag_source(report, CONFIG)
    assert types(flags) == ["untranslated"]
    assert flags[0].sentences == [1, 4, 16]
    assert "2 sentences copied untranslated" in flags[0].message
    assert "1 sentence with no translation" in flags[0].message


def test_untranslated_ignores_short_names_and_english_sources():
    report = dutch()
    report.sentences = [TranslatedSegment("Jens Stoltenberg", "Jens Stoltenberg", -0.1)]
    assert flag_source(report, CONFIG) == []
    english = sample_report(SAMPLE_IDS[3])  # English passes through: copied on purpose
    assert all(p.source == p.translation for p in english.sentences)
    assert flag_source(english, CONFIG) == []


def test_untranslated_whole_text_without_sentence_pairs():
    report = dutch(sentences=[])
    report.translation = report.text
    flags = flag_source(report, CONFIG)
    assert types(flags) == ["untranslated"]
    assert "copied unchanged" in flags[0].message


def test_low_confidence_flag_when_the_mean_is_below_the_threshold():
    report = dutch()
    report.sentences = [
        TranslatedSegment(p.source, p.translation, -2.5 if i < 15 else -0.3)
        for i, p in enumerate(report.sentences)
    ]
    flags = flag_source(report, CONFIG)
    assert types(flags) == ["low_confidence"]
    assert flags[0].sentences == list(range(15))
    # One bad sentence in a good translation leaves the mean above the threshold.
    report.sentences = [
        TranslatedSegment(p.source, p.translation, -3.0 if i == 0 else -0.3)
        for i, p in enumerate(report.sentences)
    ]
    assert flag_source(report, CONFIG) == []


def test_low_confidence_copes_with_minus_infinity():
    report = dutch()
    report.sentences = [TranslatedSegment("Een zin met woorden.", "A sentence.", float("-inf"))]
    flags = flag_source(report, CONFIG)
    assert "low_confidence" in types(flags)
    assert "-inf" in flags[types(flags).index("low_confidence")].message


def test_length_ratio_flag_for_truncated_and_bloated_sentences():
    report = dutch()
    pairs = list(report.sentences)
    pairs[1] = TranslatedSegment(pairs[1].source, "France even had.", -0.3)  # content dropped
    pairs[4] = TranslatedSegment(pairs[4].source, pairs[4].translation * 3, -0.3)  # repeated
    report.sentences = pairs
    flags = flag_source(report, CONFIG)
    assert types(flags) == ["length_ratio"]
    assert flags[0].sentences == [1, 4]


def test_uncertain_language_flag():
    flags = flag_source(dutch(language_confidence=0.55), CONFIG)
    assert types(flags) == ["uncertain_language"]
    assert "0.55" in flags[0].message


def test_mixed_language_flag():
    flags = flag_source(dutch(mixed_language=True), CONFIG)
    assert types(flags) == ["mixed_language"]


def test_extractive_summary_flag():
    flags = flag_source(dutch(), CONFIG, summary_method="extractive")
    assert types(flags) == ["extractive_summary"]
    assert flag_source(dutch(summary=""), CONFIG, summary_method="extractive") == []


def test_summary_trimmed_at_the_length_limit_is_flagged():
    flags = flag_source(dutch(summary_trimmed=True), CONFIG)
    assert types(flags) == ["summary_trimmed"]
    assert "length limit" in flags[0].message
    assert flag_source(dutch(summary_trimmed=False), CONFIG) == []


def test_unbriefed_sources_get_language_flags_only():
    skipped = SourceReport(
        id="german",
        path="german.txt",
        status=Status.SKIPPED,
        error="no model for de",
        language="de",
        language_confidence=0.4,
        mixed_language=True,
    )
    flags = flag_source(skipped, CONFIG, test_models=True, summary_method="extractive")
    assert types(flags) == ["uncertain_language", "mixed_language"]


def test_every_flag_type_at_once_in_a_fixed_order():
    report = dutch(language_confidence=0.3, mixed_language=True)
    report.sentences = [
        TranslatedSegment(p.source, p.source if i == 0 else p.translation[:10], -4.0)
        for i, p in enumerate(report.sentences)
    ]
    report.summary_trimmed = True
    flags = flag_source(report, CONFIG, test_models=True, summary_method="extractive")
    assert types(flags) == list(FLAG_TYPES)
    for flag in flags:
        data = flag.to_dict()
        assert set(data) == {"type", "message", "sentences"}
        assert data["message"].strip()


def test_thresholds_come_from_the_config():
    report = dutch(language_confidence=0.7)
    assert types(flag_source(report, CONFIG)) == ["uncertain_language"]
    assert flag_source(report, FlagConfig(min_language_confidence=0.6)) == []
    assert types(flag_source(dutch(), FlagConfig(min_confidence=-0.1))) == ["low_confidence"]


def test_flags_by_source_id_and_through_synthesize():
    reports = [dutch(mixed_language=True), sample_report(SAMPLE_IDS[3])]
    flags = flag_sources(reports, CONFIG)
    assert list(flags) == [DUTCH, SAMPLE_IDS[3]]
    assert types(flags[DUTCH]) == ["mixed_language"] and flags[SAMPLE_IDS[3]] == []
    synthesis = synthesize(reports, SynthesisConfig(), test_models=True, summary_method="x")
    assert types(synthesis.flags_for(SAMPLE_IDS[3])) == ["test_models"]


def test_flags_see_the_translation_before_the_glossary():
    """A copied Dutch sentence stays flagged even when the glossary changes a word in it."""
    from pipeline.translation.glossary import parse_glossary

    report = dutch()
    pairs = list(report.sentences)
    pairs[0] = TranslatedSegment(pairs[0].source, pairs[0].source, -0.2)
    report.sentences = pairs
    glossary = parse_glossary({"terms": [{"to": "NATO", "from": ["Navo"]}]})
    synthesis = synthesize([report], SynthesisConfig(), False, "abstractive", glossary=glossary)
    assert [t for t in types(synthesis.flags[DUTCH]) if t in FLAG_TYPES] == ["untranslated"]
    assert "NATO" in synthesis.reports[0].sentences[0].translation


@pytest.mark.parametrize("bounds", [(2.0, 0.5), (1.0, 1.0)])
def test_config_rejects_inverted_length_bounds(bounds):
    with pytest.raises(ValueError):
        FlagConfig(min_length_ratio=bounds[0], max_length_ratio=bounds[1])
