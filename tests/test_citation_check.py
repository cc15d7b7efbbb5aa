"""The benchmark's citation check: a cited source must have a sentence that states the
point, not just one on the same topic (sentences written for these tests)."""

from pipeline.evaluation.citations import CitationCheck

ARSON = "The fire on Kalmora was started deliberately, the head of the island's government said."
WORST = "Ilse Varn, the governor, said the fire on Kalmora was the worst in decades."
VISIT = "Ilse Varn visited the fire lines on Kalmora."
BURNING = "The fire on Kalmora has burned for five days."
FERRIES = "The harbour authority said ferries would keep running."
SHARES = "Shares of Dunmore Foods fell 4% after the company cut its forecast."
FINED = "Dunmore Foods was fined 20 million euros by the regulator on Tuesday."
DUE = "The probe Talis is due to land on the comet next week."
LANDED = "The probe Talis landed on the comet on Sunday, the agency said."
QUOTE = '"We have made history," said Oren Baske, the head of the agency.'
THANKS = "Oren Baske thanked the engineers in the control room."
# The story names its place and its governor in most sentences, as a story does.
STORY = [
    "Ilse Varn, the governor of Kalmora, asked the army for help.",
    "Governor Ilse Varn said Kalmora's schools would stay shut.",
    "Kalmora's airport stayed open, the governor said.",
]
BRIEFING = [ARSON, WORST, VISIT, BURNING, FERRIES, SHARES, FINED, DUE, LANDED, QUOTE, THANKS]
BRIEFING += STORY
FIRE_POINT = (
    "The fire that has blackened the hills of Kalmora was started deliberately, "
    "Ilse Varn, the governor, said, citing the police."
)


def check() -> CitationCheck:
    return CitationCheck(BRIEFING)


def test_paraphrase_with_the_claim_is_stated() -> None:
    assert check().check(FIRE_POINT, [ARSON, BURNING]).stated


def test_same_topic_without_the_claim_is_not_stated() -> None:
    verdict = check().check(FIRE_POINT, [WORST, VISIT])
    assert not verdict.stated
    assert "deliberately" in verdict.reason


def test_a_plan_does_not_state_a_thing_done() -> None:
    point = "The probe Talis had landed on the comet."
    verdict = check().check(point, [DUE])
    assert not verdict.stated
    assert "due to" in verdict.reason
    assert check().check(point, [LANDED]).stated


def test_a_quote_must_be_in_the_cited_source() -> None:
    point = '"We have made history," said Oren Baske in the control room.'
    verdict = check().check(point, [THANKS])
    assert not verdict.stated
    assert "quote" in verdict.reason
    assert check().check(point, [QUOTE, THANKS]).stated


def test_a_subject_the_source_never_names_is_not_stated() -> None:
    point = "Shares of Dunmore Foods fell 4% after it was fined 20 million euros."
    verdict = check().check(point, [FINED])
    assert not verdict.stated
    assert "Shares" in verdict.reason
    assert check().check(point, [SHARES, FINED]).stated


def test_a_denial_does_not_state_the_claim() -> None:
    point = "The harbour authority said ferries would not keep running."
    verdict = check().check(point, [FERRIES])
    assert not verdict.stated
    assert "not" in verdict.reason
