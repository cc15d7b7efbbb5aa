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
    (group,) = result.groups
    return [
        [side.label for side in d.sides]
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
