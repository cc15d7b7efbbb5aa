"""The synthesis cites a source for a point only where one of its sentences states it
(sentences written for these tests)."""

from pipeline.synthesis.align import StorySource, story_sources
from pipeline.synthesis.citations import StatedTest, stated_support
from pipeline.synthesis.claims import Aliases, known_names
from pipeline.synthesis.points import Chosen

POINT = (
    "The fire that has scorched the hills of Kalmora was started deliberately, "
    "Governor Ilse Varn said, citing the police."
)
ARSON = "The wildfire on Kalmora was started deliberately, the island's governor said."
COMPLEX = "Ilse Varn, the governor, said the fire on Kalmora was the hardest in decades."
OTHER = [
    "Governor Ilse Varn asked the army for help as the fire on Kalmora spread.",
    "Kalmora's airport stayed open, the governor said.",
    "The fire on Kalmora has burned for five days.",
    "Police in the capital arrested two men after a protest.",
    "The harbour authority said ferries would keep running.",
]
BRIEFING = [POINT, ARSON, COMPLEX, *OTHER]


def checker() -> StatedTest:
    return StatedTest(BRIEFING)


def states(point: str, sentence: str, source: str | None = None) -> bool:
    return checker().states(point, sentence, source or sentence)


def test_a_paraphrase_of_the_claim_states_it() -> None:
    assert states(POINT, ARSON)


def test_the_same_actor_on_another_claim_does_not_state_it() -> None:
    assert not states(POINT, COMPLEX)


def test_a_plan_does_not_state_a_thing_done() -> None:
    point = "The rover Tesk had rolled down a ramp onto the soil of the comet."
    assert not states(point, "The lander carries a rover, Tesk, which is due to roll out.")
    assert not states(point, "The rover Tesk will roll down a ramp onto the comet's soil.")
    assert states(point, "The rover Tesk rolled down a ramp onto the comet's soil on Friday.")


def test_a_denial_does_not_state_the_claim() -> None:
    point = "The harbour authority said ferries would keep running."
    assert not states(point, "The harbour authority said ferries would not keep running.")


def test_a_quotation_the_sentence_lacks_does_not_state_it() -> None:
    point = '"We have made history," said Oren Baske, the head of the agency.'
    assert not states(point, "Oren Baske, the head of the agency, thanked the engineers.")
    assert states(point, '"We have made history," Oren Baske told the agency\'s engineers.')


def test_a_subject_the_source_never_names_does_not_state_it() -> None:
    point = "Shares of Dunmore Foods ended little changed after it was fined 20 million euros."
    fined = "Dunmore Foods was fined 20 million euros by the regulator on Tuesday."
    assert not states(point, fined)
    assert states(point, fined, fined + " Its shares ended little changed.")


def test_a_figure_the_source_lacks_does_not_state_it() -> None:
    point = "The regulator fined Dunmore Foods 20 million euros on Tuesday."
    assert not states(point, "The regulator fined Dunmore Foods 25 million euros on Tuesday.")
    assert states(point, "Dunmore Foods was fined 20 million euros by the regulator.")


def test_basis_points_agree_with_percentage_points() -> None:
    point = "The central bank raised its deposit rate by 0.25 percentage points to 4%."
    assert states(point, "The central bank lifted its deposit rate by 25 basis points to 4%.")


def test_a_telling_figure_states_a_short_point_whatever_the_words() -> None:
    point = "It measured 6.4 and was the strongest in the region for decades."
    assert states(point, "A magnitude 6.4 earthquake struck the coast of Vantra at dawn.")
    short = "The governor said rates would stay high to bring inflation back to the 2% target."
    assert not states(short, "Some 2% of the homes on the coast lost power.")


def test_a_length_in_days_agrees_with_hours() -> None:
    point = "Junior doctors walked out at the start of a 96-hour strike over pay."
    assert states(point, "Junior doctors began a four-day strike over pay on Tuesday.")


def story(*texts: tuple[str, list[str]]) -> list[StorySource]:
    all_texts = [t for _, sentences in texts for t in sentences]
    return story_sources(
        [(sid, n, list(enumerate(sentences)), None) for n, (sid, sentences) in enumerate(texts, 1)],
        Aliases.learn(all_texts),
        known_names(all_texts),
    )


def test_a_backing_sentence_that_does_not_state_the_point_is_dropped() -> None:
    sources = story(
        ("paper", [POINT, OTHER[2]]),
        ("wire", [COMPLEX, OTHER[0]]),
        ("brief", [ARSON, OTHER[1]]),
    )
    own = sources[0].sentences[0]
    chosen = Chosen(own, [sources[1].sentences[0], sources[2].sentences[0]])
    [checked] = stated_support([chosen], sources, BRIEFING)
    assert checked.sentence is own  # the point's own source always stays
    assert [s.source for s in checked.support] == ["brief"]


def test_another_sentence_of_the_source_that_states_the_point_takes_the_place() -> None:
    sources = story(("paper", [POINT, OTHER[2]]), ("wire", [COMPLEX, ARSON]))
    chosen = Chosen(sources[0].sentences[0], [sources[1].sentences[0]])
    [checked] = stated_support([chosen], sources, BRIEFING)
    assert [s.text for s in checked.support] == [ARSON]


def test_a_source_naming_another_holder_of_the_role_does_not_state_it() -> None:
    point = "The Kalmora reserve bank cut its rate to 3%, Governor Tomas Vell said."
    cut = "The Kalmora reserve bank cut its rate to 3% on Wednesday."
    other_governor = cut + " Governor Ana Roos said more cuts could follow."
    assert not states(point, cut, other_governor)
    assert states(point, cut, cut + " Governor Tomas Vell spoke to reporters.")


def test_another_minister_of_a_different_post_is_no_conflict() -> None:
    point = "Finance Minister Tomas Vell said the Kalmora budget would be cut by 3%."
    budget = "The Kalmora budget would be cut by 3%, the finance ministry said."
    assert states(point, budget, budget + " Health Minister Ana Roos resigned.")
