"""The recall round (div8, issue 13): disagreements the rules missed, each with the near
miss that must stay no disagreement."""

from __future__ import annotations

from synthesis_helpers import english_source

from pipeline.config.schema import SynthesisConfig
from pipeline.synthesis.claims import vote_scores
from pipeline.synthesis.synthesize import synthesize
from pipeline.synthesis.timeline import find_dates
from pipeline.types import SourceReport

CONFIG = SynthesisConfig()


def article(source_id: str, text: str, published: str | None = "2024-03-14"):
    return english_source(source_id, text, published, "")


def found(reports: list[SourceReport], kind: str | None = None) -> list[list[str]]:
    result = synthesize(reports, CONFIG, False, "extractive")
    return [
        [side.label for side in d.sides]
        for group in result.groups
        for d in group.divergences
        if kind is None or d.kind == kind
    ]


def scores(sentence: str) -> list[tuple[float, float | None]]:
    return [(q.value, q.other) for q in vote_scores(sentence, find_dates(sentence), [])]


def test_a_vote_written_as_a_score_is_a_tally():
    assert scores("The regulator's board approved the merger in a 7-2 vote.") == [(7.0, 2.0)]
    assert scores("Directors voted eight to one to sell the plant.") == [(8.0, 1.0)]
    assert scores("The tribunal's ruling was split 4-3, a clerk said.") == [(4.0, 3.0)]


def test_a_match_score_or_a_range_is_no_vote():
    assert scores("The visitors won 4-1 in front of a full stadium.") == []
    assert scores("Talks are expected to last two to three weeks before any vote.") == []
    assert scores("Pages 12-14 of the vote report were redacted.") == []


def test_two_scores_of_one_vote_disagree():
    labels = found(
        [
            article(
                "wire",
                "The Riverton council voted seven to two to close the old harbour bridge.\n\n"
                "Mayor Elena Vos said repairs would cost too much.",
            ),
            article(
                "paper",
                "The Riverton council backed closing the old harbour bridge in a 5-4 vote.\n\n"
                "Mayor Elena Vos said repairs would cost too much.",
            ),
        ],
        "number",
    )
    assert sorted(sorted(sides) for sides in labels) == [["5-4 vote", "7-2 vote"]]


def test_one_score_in_two_wordings_is_no_disagreement():
    labels = found(
        [
            article(
                "wire",
                "The Riverton council voted seven to two to close the old harbour bridge.\n\n"
                "Mayor Elena Vos said repairs would cost too much.",
            ),
            article(
                "paper",
                "The Riverton council backed closing the old harbour bridge in a 7-2 vote.\n\n"
                "Mayor Elena Vos said repairs would cost too much.",
            ),
        ],
        "number",
    )
    assert labels == []


def names(reports: list[SourceReport]) -> list[list[str]]:
    return sorted(sorted(sides) for sides in found(reports, "name"))


def test_one_office_held_by_two_different_people_disagrees():
    assert names(
        [
            article(
                "wire",
                "Norland's transport minister Ida Berg said the rail line would reopen in May.",
            ),
            article(
                "paper",
                "Transport minister Olav Strand said the Norland rail line would reopen in May.",
            ),
        ]
    ) == [["Ida Berg", "Olav Strand"]]


def test_a_chief_executive_named_bare_is_the_company_of_the_sentence_before():
    assert names(
        [
            article(
                "wire",
                "Calvex said it would cut 900 jobs at its two plants.\n\n"
                "Chief executive Mara Quint said the cuts were painful.",
            ),
            article(
                "paper",
                "Calvex will cut 900 jobs at its two plants, Calvex chief executive Jonas "
                "Leary said.",
            ),
        ]
    ) == [["Jonas Leary", "Mara Quint"]]


def test_other_offices_other_countries_and_former_holders_are_no_disagreement():
    assert (
        names(
            [
                article(
                    "wire",
                    "Norland's transport minister Ida Berg said the border line would "
                    "reopen in May.",
                ),
                article(
                    "paper",
                    "Vestmark's transport minister Olav Strand said the border line would "
                    "reopen in May, as Norland agreed.",
                ),
            ]
        )
        == []
    )
    assert (
        names(
            [
                article("wire", "Calvex chief executive Mara Quint said 900 jobs would go."),
                article(
                    "paper", "Calvex chief financial officer Jonas Leary said 900 jobs would go."
                ),
            ]
        )
        == []
    )
    assert (
        names(
            [
                article("wire", "Calvex chief executive Mara Quint said 900 jobs would go."),
                article(
                    "paper", "Former Calvex chief executive Jonas Leary said 900 jobs would go."
                ),
            ]
        )
        == []
    )


def test_one_count_of_a_whole_under_two_nouns_disagrees():
    labels = found(
        [
            article(
                "wire",
                "Nine of the 15 judges on the panel backed the appeal in Dorvale on Monday.\n\n"
                "The panel sat in Dorvale for two weeks.",
            ),
            article(
                "paper",
                "Seven of the 15 jurists on the Dorvale panel backed the appeal on Monday.\n\n"
                "The panel sat in Dorvale for two weeks.",
            ),
        ],
        "number",
    )
    assert sorted(sorted(sides) for sides in labels) == [["7 jurists", "9 judges"]]


def test_parts_of_different_wholes_are_no_disagreement():
    labels = found(
        [
            article(
                "wire",
                "Nine of the 15 judges on the panel backed the appeal in Dorvale on Monday.\n\n"
                "The panel sat in Dorvale for two weeks.",
            ),
            article(
                "paper",
                "Seven of the 11 jurists on the Dorvale panel backed the appeal on Monday.\n\n"
                "The panel sat in Dorvale for two weeks.",
            ),
        ],
        "number",
    )
    assert labels == []
