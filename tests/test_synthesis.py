"""Story groups, cited key points and divergences on the five sample articles.

The English is real: the English sample's own text, and faithful hand translations of
the Dutch, Norwegian and Italian samples (tests/data/sample_translations), because the
test models translate into noise.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from briefing_samples import SAMPLE_IDS, SAMPLES, TRANSLATIONS, read_pairs, sample_reports
from pydantic import ValidationError
from synthesis_helpers import english_source

from pipeline.assemble.document import Briefing
from pipeline.config.schema import SynthesisConfig
from pipeline.documents.segment import segment_text
from pipeline.render.render import render_html, render_json, render_markdown
from pipeline.synthesis.synthesize import (
    CONFLICTS,
    OUTCOMES,
    Synthesis,
    outcome_of,
    quantities,
    stem,
    synthesize,
)
from pipeline.types import SourceReport, Status, TranslatedSegment

UNRELATED = Path(__file__).resolve().parent / "data" / "unrelated"
CONFIG = SynthesisConfig()


@pytest.fixture(scope="module")
def reports() -> list[SourceReport]:
    return sample_reports()


@pytest.fixture(scope="module")
def synthesis(reports) -> Synthesis:
    return synthesize(reports, CONFIG, test_models=False, summary_method="abstractive")


def english_report(name: str) -> SourceReport:
    """An English article outside the NATO story, briefed as the flow passes English."""
    text = (UNRELATED / f"{name}.txt").read_text(encoding="utf-8")
    sentences = [TranslatedSegment(s, s) for s in segment_text(text, "en")]
    return SourceReport(
        id=name, path=f"{name}.txt", language="en", text=text, translation=text, sentences=sentences
    )


def sentence(reports: list[SourceReport], source_id: str, index: int) -> str:
    return next(r for r in reports if r.id == source_id).sentences[index].translation


# ---------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("sample_id", [s for s in SAMPLE_IDS if not s.startswith("003")])
def test_translation_fixtures_pair_real_sample_sentences(sample_id):
    """Every source sentence of a fixture is text of the sample, so the fixtures can't
    drift from the articles they translate."""
    original = " ".join((SAMPLES / f"{sample_id}.txt").read_text(encoding="utf-8").split())
    pairs = [pair for p in read_pairs(TRANSLATIONS / f"{sample_id}.txt") for pair in p]
    assert len(pairs) >= 10
    for source, english in pairs:
        assert " ".join(source.split()) in original, source
        assert english.strip() and english != source


# ------------------------------------------------------------------------------ groups


def test_the_five_samples_form_one_group(synthesis):
    assert len(synthesis.groups) == 1
    group = synthesis.groups[0]
    assert group.sources == SAMPLE_IDS
    assert group.citations == [1, 2, 3, 4, 5]
    assert "NATO" in group.label


def test_unrelated_sources_stand_alone(reports):
    extra = [english_report("football"), english_report("housing"), english_report("sweden")]
    result = synthesize(reports + extra, CONFIG, False, "abstractive")
    assert [g.citations for g in result.groups] == [[1, 2, 3, 4, 5], [6], [7], [8]]
    football = result.groups[1]
    assert football.sources == ["football"]
    assert football.divergences == []
    assert football.points and not any(p.corroborated for p in football.points)
    assert all(p.citations == [6] for p in football.points)


def test_unbriefed_sources_take_no_part_but_keep_their_number(reports):
    failed = SourceReport(id="broken", path="broken.txt", status=Status.FAILED, error="boom")
    result = synthesize([failed, *reports], CONFIG, False, "abstractive")
    assert len(result.groups) == 1
    assert result.groups[0].citations == [2, 3, 4, 5, 6]
    assert "broken" in result.flags


def test_group_threshold_is_the_knob(reports):
    apart = synthesize(reports, SynthesisConfig(group_threshold=0.99), False, "abstractive")
    assert len(apart.groups) == 5


def test_stem_maps_a_word_and_its_forms_to_one_key():
    assert stem("offices") == stem("office") == "offic"
    assert stem("opposed") == stem("opposes") == stem("oppose")
    assert stem("deferred") == stem("defer")


# ------------------------------------------------------------------------------ points


def test_points_cite_every_supporting_source_and_are_traceable(reports, synthesis):
    points = synthesis.groups[0].points
    assert 1 <= len(points) <= CONFIG.max_points
    corroborated = [p for p in points if p.corroborated]
    assert corroborated, "at least one point is backed by two or more sources"
    # A source is cited only where one of its sentences states the point
    # (pipeline/synthesis/citations.py), so the samples' loose paraphrases are not cited.
    assert any(len(p.citations) >= 2 for p in corroborated)
    for point in points:
        own_source, own_index = point.support[0]
        # Extractive: the point is a sentence of a source, word for word.
        assert point.text == sentence(reports, own_source, own_index)
        assert point.corroborated == (len(point.citations) >= 2)
        assert sorted({SAMPLE_IDS.index(s) + 1 for s, _ in point.support}) == point.citations
        assert set(point.sources) == {s for s, _ in point.support}


def test_stoltenbergs_proposal_is_corroborated_where_a_source_states_it(reports, synthesis):
    proposal = [p for p in synthesis.groups[0].points if "Stoltenberg had suggested" in p.text]
    assert proposal, [p.text for p in synthesis.groups[0].points]
    point = proposal[0]
    # "The proposal for the Tokyo office was spearheaded by ... Stoltenberg" (source 4)
    # shares the actor and the office but none of the point's rarer words ("suggested",
    # "visit"): the citation check can't tell it from a sentence on another claim of the
    # same actor, and in doubt it does not cite.
    assert point.citations == [1, 5]
    supporting = {s: sentence(reports, s, i) for s, i in point.support}
    assert "Stoltenberg" in supporting[SAMPLE_IDS[4]]


def test_no_office_for_now_is_backed_by_the_english_headline(synthesis):
    texts = {p.text: p for p in synthesis.groups[0].points}
    point = texts["There will be no NATO liaison office in Tokyo for the time being."]
    assert point.citations == [1, 4]
    assert (SAMPLE_IDS[3], 0) in point.support


def test_points_are_never_headings_or_datelines(synthesis):
    for point in synthesis.groups[0].points:
        assert point.text.rstrip("”’\"'»)").endswith((".", "!", "?"))
        assert "10 July 2023 11:17" != point.text


def test_max_points_is_respected(reports):
    result = synthesize(reports, SynthesisConfig(max_points=2), False, "abstractive")
    assert len(result.groups[0].points) == 2


# ------------------------------------------------------------------------- divergences


def test_outcomes_conflict_will_open_against_deferred_and_blocked(synthesis):
    outcome = [d for d in synthesis.groups[0].divergences if d.kind == "outcome"]
    assert len(outcome) == 1
    divergence = outcome[0]
    assert divergence.topic == "office"
    sides = {side.label: side for side in divergence.sides}
    assert sides["will happen or agreed"].citations == [5]
    assert "NATO will open its first Asian office" in sides["will happen or agreed"].claims[0].text
    assert sides["deferred or not for now"].citations == [1, 4]
    assert sides["blocked or struck out"].citations == [1]
    assert "struck" in sides["blocked or struck out"].claims[0].text
    assert 3 in sides["under discussion or planned"].citations
    assert {1, 4} <= set(sides["opposed"].citations)
    # Japan's own "decision to open a dedicated diplomatic mission" is another subject.
    assert not any("diplomatic mission" in c.text for s in divergence.sides for c in s.claims)


def test_membership_count_30_against_31_is_a_number_divergence(synthesis):
    numbers = [d for d in synthesis.groups[0].divergences if d.kind == "number"]
    assert len(numbers) == 1
    sides = {side.label: side.citations for side in numbers[0].sides}
    assert sides["30 countries"] == [2] and 5 in sides["31 members"]


def test_claims_only_one_source_makes_are_points_marked_single_source(synthesis):
    single = [p for p in synthesis.groups[0].points if not p.corroborated]
    assert all(len(p.citations) == 1 and len(p.support) == 1 for p in single)
    assert not any(d.kind == "single-source" for d in synthesis.groups[0].divergences)


def test_date_divergence_same_statement_different_dates():
    def report(source_id: str, text: str) -> SourceReport:
        return SourceReport(
            id=source_id,
            path=source_id,
            language="en",
            translation=text,
            published=datetime.date(2023, 3, 10),
            sentences=[TranslatedSegment(s, s) for s in segment_text(text, "en")],
        )

    first = report(
        "a",
        "NATO Secretary General Jens Stoltenberg visited Tokyo in January to discuss a "
        "liaison office with Prime Minister Kishida. The office would be the first in Asia.",
    )
    second = report(
        "b",
        "NATO Secretary General Jens Stoltenberg visited Tokyo in February to discuss a "
        "liaison office with Prime Minister Kishida. China opposes the plan.",
    )
    result = synthesize([first, second], CONFIG, False, "abstractive")
    dates = [d for g in result.groups for d in g.divergences if d.kind == "date"]
    assert len(dates) == 1
    assert [side.label for side in dates[0].sides] == [
        "2023-01 (in January)",
        "2023-02 (in February)",
    ]
    assert [side.citations for side in dates[0].sides] == [[1], [2]]


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("NATO will open its first Asian office in Japan.", "agreed"),
        ("NATO is poised to defer its decision on the office.", "deferred"),
        ("There will be no liaison office in Tokyo for the time being.", "deferred"),
        ("The reference to the office had to be struck at the last moment.", "blocked"),
        ("France has opposed the idea.", "opposed"),
        ("France is against the opening of such an office.", "opposed"),
        ("Talks have begun about opening an office in Japan.", "in_talks"),
        ("We are in discussions, but no details have been finalised yet.", "in_talks"),
        ("The decision has not been postponed.", None),
        ("The office is in line with NATO's plans.", None),
        ("The alliance fights against cybercrime.", None),
    ],
)
def test_outcome_lexicon(text, outcome):
    found = outcome_of(text)
    assert (found[0].key if found else None) == outcome


def test_outcome_lexicon_is_consistent():
    keys = [o.key for o in OUTCOMES]
    assert len(keys) == len(set(keys))
    assert all(key in keys for pair in CONFLICTS for key in pair)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NATO has thirty countries in Europe.", [(30.0, "member")]),
        ("the unanimous agreement of all 31 members", [(31.0, "member")]),
        ("the country of 1.4 billion consumers", [(1.4e9, "consumer")]),
        ("a two-day summit beginning on July 11 in 2023", []),
        ("Australia and India as the other two members", []),
        ("10 July 2023 11:17", []),
    ],
)
def test_quantities(text, expected):
    assert [(q.value, q.unit) for q in quantities(text)] == expected


# ---------------------------------------------------------------------- config and JSON


def test_config_rejects_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError):
        SynthesisConfig.model_validate({"group_treshold": 0.2})
    with pytest.raises(ValidationError):
        SynthesisConfig.model_validate({"group_threshold": 1.5})
    with pytest.raises(ValidationError):
        SynthesisConfig.model_validate({"flags": {"min_length_ratio": 3, "max_length_ratio": 2}})
    config = SynthesisConfig.model_validate({"max_points": 3, "flags": {"min_confidence": -2}})
    assert config.max_points == 3 and config.flags.min_confidence == -2


def test_briefing_json_has_groups_timeline_and_flags(synthesis):
    briefing = Briefing(
        title="t",
        generated_at="2023-07-10T12:00:00+00:00",
        overview="o",
        sources=synthesis.reports,
        synthesis=synthesis,
    )
    data = json.loads(render_json(briefing))
    assert list(data)[:8] == [
        "title", "generated_at", "overview", "test_models", "notes", "models", "counts", "sources",
    ]  # fmt: skip
    group = data["groups"][0]
    assert group["sources"] == SAMPLE_IDS
    assert {"text", "sources", "citations", "corroborated", "support"} <= set(group["points"][0])
    assert {d["kind"] for d in group["divergences"]} == {"outcome", "number"}
    assert {"date", "precision", "text", "source"} <= set(data["timeline"][0])
    assert all(isinstance(s["flags"], list) for s in data["sources"])


def test_briefing_without_synthesis_still_has_the_keys():
    data = json.loads(render_json(Briefing(title="t", generated_at="g", overview="o", sources=[])))
    assert data["groups"] == [] and data["timeline"] == [] and data["glossary"] == []


def test_noise_from_test_models_does_not_break_synthesis():
    noise = SourceReport(
        id="noise",
        path="noise.txt",
        language="nl",
        translation="",
        sentences=[
            TranslatedSegment("Er komt geen kantoor.", "ǂ ǂ ǂ 31 31 31", -9.0),
            TranslatedSegment("Frankrijk is tegen.", "", None),
            TranslatedSegment(
                "Tokio.", "Tokio Tokio Tokio Tokio Tokio Tokio Tokio.", float("-inf")
            ),
        ],
        translation_model="tiny/opus-mt-nl-en",
    )
    empty = SourceReport(id="empty", path="empty.txt", language="it")
    result = synthesize([noise, empty], CONFIG, True, "extractive")
    assert [g.sources for g in result.groups] == [["noise"]]
    assert json.dumps(result.to_dict(), default=str)


# --------------------------------------------------------------------------- rendering


def briefing_with(synthesis: Synthesis, **changes) -> Briefing:
    fields = {
        "title": "NATO liaison office in Tokyo",
        "generated_at": "2023-07-10T12:00:00+00:00",
        "overview": "Five sources on one story.",
        "sources": synthesis.reports,
        "synthesis": synthesis,
    }
    fields.update(changes)
    return Briefing(**fields)


def test_html_shows_contents_stories_timeline_and_every_link_resolves(synthesis):
    html = render_html(briefing_with(synthesis))
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert {"contents", "overview", "stories", "story-1", "timeline", "sources", "models"} <= ids
    assert links and [link for link in links if link not in ids] == []
    stories = html[html.index('id="stories"') : html.index('id="timeline"')]
    assert 'href="#source-003_eeb7419205ced9fb">[4]</a>' in stories
    assert "corroborated" in stories and "Where the sources differ" in stories
    assert "30 countries" in stories and "31 members" in stories
    timeline = html[html.index('id="timeline"') : html.index('id="sources"')]
    assert '<time datetime="2023-07-10">10 July 2023</time>' in timeline


def test_markdown_shows_the_synthesis_with_citation_links(synthesis):
    markdown = render_markdown(briefing_with(synthesis))
    assert "## Contents" in markdown and "[Stories](#stories)" in markdown
    assert "## Stories" in markdown and "## Timeline" in markdown
    assert "[\\[4\\]](#source-003_eeb7419205ced9fb)" in markdown
    assert "| will happen or agreed | [\\[5\\]](#source-004_b48ab60de3e78582) |" in markdown
    assert "| 10 July 2023 _(dateline)_ | 10 July 2023 11:17 |" in markdown
    for anchor in re.findall(r"\]\(#([^)]+)\)", markdown):
        assert f'<a id="{anchor}"></a>' in markdown, anchor


def test_flags_show_inline_on_their_source(reports):
    flagged = synthesize(reports, CONFIG, test_models=True, summary_method="extractive")
    briefing = briefing_with(flagged)
    html = render_html(briefing)
    article = html[html.index('<article class="source" id="source-000_bc84fd529d18192b"') :]
    article = article[: article.index("</article>")]
    assert 'id="flags-source-000_bc84fd529d18192b"' in article
    assert "test models" in article and "extractive summary" not in article
    markdown = render_markdown(briefing)
    section = markdown[markdown.index('<a id="source-000_bc84fd529d18192b"></a>') :]
    assert "**⚑ Quality flags**" in section.split('<a id="source-001')[0]
    assert "| ok, 3 flags |" in markdown  # test models, no date, contradicted
    assert any("Summaries are extractive" in note for note in flagged.notes)


def test_source_text_in_points_is_escaped(reports):
    evil = "<script>alert(1)</script>"
    hostile = [*reports]
    pairs = list(hostile[4].sentences)
    pairs[1] = TranslatedSegment(pairs[1].source, pairs[1].translation + " " + evil, -0.3)
    hostile[4] = SourceReport(**{**hostile[4].__dict__, "sentences": pairs})
    result = synthesize(hostile, CONFIG, False, "abstractive")
    assert any(evil in p.text for p in result.groups[0].points) or any(
        evil in c.text for d in result.groups[0].divergences for s in d.sides for c in s.claims
    )
    briefing = briefing_with(result)
    assert evil not in render_html(briefing)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render_html(briefing)
    assert evil not in render_markdown(briefing)


# ------------------------------------------------------- claims across English sources


def article(source_id: str, text: str, published: str | None = "2023-11-23", title: str = ""):
    return english_source(source_id, text, published, title)


ELECTION = [
    article(
        "wire",
        "Geert Wilders' Party for Freedom (PVV) won the Dutch election on Wednesday, taking "
        "37 of the 150 seats.\n\nThe Labour-Green list of Frans Timmermans came second with "
        "25 seats.\n\nCoalition talks are expected to take months.",
        title="Wilders' PVV wins Dutch election",
    ),
    article(
        "daily",
        "The PVV of Geert Wilders won 37 seats in Wednesday's election.\n\nFrans Timmermans' "
        "Labour-Green alliance won 25 seats and said it would not join a Wilders government.",
        title="Netherlands shifts right as PVV takes 37 seats",
    ),
    article(
        "exitpoll",
        "Geert Wilders' PVV is set to win 35 seats after Wednesday's election, an exit poll "
        "showed.\n\nThe Labour-Green alliance of Frans Timmermans was projected to win 25 seats.",
        published="2023-11-22",
        title="Exit poll puts Wilders far ahead",
    ),
]


@pytest.fixture(scope="module")
def election() -> Synthesis:
    return synthesize(ELECTION, CONFIG, False, "extractive")


def test_a_conflicting_figure_is_never_support(election):
    (group,) = election.groups
    (seats,) = [p for p in group.points if "37" in p.text]
    assert seats.citations == [1, 2]


def test_a_divergence_pairs_the_values_with_each_sides_sources(election):
    (divergence,) = election.groups[0].divergences
    assert divergence.kind == "number"
    sides = {side.label: side.citations for side in divergence.sides}
    assert sides == {"35 seats": [3], "37 seats": [1, 2]}


def test_agreeing_figures_across_sources_are_one_corroborated_point(election):
    points = [p for p in election.groups[0].points if "25 seats" in p.text]
    assert len(points) == 1 and points[0].citations == [1, 2, 3]


def test_the_minority_side_is_flagged_contradicted_on_the_named_point(election):
    flags = {f.type: f for f in election.flags["exitpoll"]}
    assert "contradicted" in flags
    assert "35 seats" in flags["contradicted"].message
    assert "[1][2] 37 seats" in flags["contradicted"].message
    assert "contradicted" not in {f.type for f in election.flags["wire"]}


def test_the_overview_is_the_storys_top_claims_cited_without_datelines():
    reports = [
        article("a", "LONDON, Aug 3 - The Bank of England raised rates to 5.25% on Thursday."),
        article("b", "The Bank of England raised interest rates to 5.25% on Thursday."),
    ]
    result = synthesize(reports + ELECTION, CONFIG, False, "extractive")
    paragraphs = result.overview.split("\n\n")
    assert len(paragraphs) == len(result.groups) == 2
    assert paragraphs[0].startswith("The Bank of England raised") and "[1][2]" in paragraphs[0]
    assert "LONDON" not in result.overview
    assert "37 seats" in paragraphs[1] and "[3][4]" in paragraphs[1]


def test_units_are_compared_as_figures_so_basis_points_back_percentage_points():
    reports = [
        article("a", "The European Central Bank raised its deposit rate by 25 basis points to 4%."),
        article(
            "b",
            "The European Central Bank lifted its deposit rate by 0.25 percentage points to 4%.",
        ),
        article(
            "c", "The European Central Bank cut its deposit rate by -0.25 percentage points to 4%."
        ),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    top = result.groups[0].points[0]
    assert top.citations == [1, 2]


def test_contradictory_outcomes_about_one_figure_are_paired():
    reports = [
        article("a", "EU leaders approved a 50 billion euro support package for Ukraine."),
        article("b", "Hungary vetoed the 50 billion euro aid package for Ukraine on Thursday."),
        article("c", "Hungary had threatened to block the decisions on Ukraine, diplomats said."),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    outcome = [d for g in result.groups for d in g.divergences if d.kind == "outcome"]
    assert len(outcome) == 1
    sides = {side.label: side.citations for side in outcome[0].sides}
    assert sides == {"will happen or agreed": [1], "blocked or struck out": [2]}


def test_a_sentence_that_gives_both_values_is_no_divergence():
    reports = [
        article("a", "The ECB cut its growth forecast for this year to 0.7% from 0.9%."),
        article("b", "The ECB cut its forecast for economic growth this year to 0.7%."),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    assert result.groups[0].divergences == []


def test_figures_for_different_years_do_not_conflict():
    reports = [
        article("a", "ECB staff expect inflation to average 5.6% this year and 3.2% in 2024."),
        article("b", "The ECB's economists predict inflation of 5.6% in 2023 and 3.0% next year."),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    (divergence,) = result.groups[0].divergences
    assert [side.label for side in divergence.sides] == ["3%", "3.2%"]


def test_one_source_cannot_fill_a_story():
    biography = "\n\n".join(
        f"In {year} Geert Wilders held post number {n} in the PVV of his youth in Venlo."
        for n, year in enumerate(range(1990, 2002), start=3)
    )
    config = SynthesisConfig(group_threshold=0.01)
    result = synthesize([*ELECTION, article("profile", biography)], config, False, "extractive")
    (group,) = result.groups
    own = [p for p in group.points if p.sources == ["profile"]]
    assert 1 <= len(own) <= config.max_per_source


def test_run_wide_flags_become_one_note_and_source_flags_stay(election):
    result = synthesize(
        [*ELECTION, article("undated", "Wilders' PVV won 37 seats, the count showed.", None)],
        CONFIG,
        False,
        "extractive",
    )
    assert result.notes == [
        "Summaries are extractive: sentences picked from each source's English, not written "
        "by a summarisation model."
    ]
    assert not any(f.type == "extractive_summary" for fs in result.flags.values() for f in fs)
    assert [f.type for f in result.flags["undated"]] == ["no_date"]


def test_truncated_and_off_story_sources_are_flagged():
    cut = article(
        "cut",
        "Storm Babet brought floods to Scotland on Friday.\n\nThe Met Office said that the "
        "red warning for Angus would stay in place until",
    )
    result = synthesize([*ELECTION, cut], CONFIG, False, "extractive")
    types = [f.type for f in result.flags["cut"]]
    assert types == ["truncated", "off_story"] or types == ["off_story", "truncated"]
    assert "off_story" not in {f.type for f in result.flags["wire"]}
