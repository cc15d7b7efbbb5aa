"""Round div10a: the day of the story's event said by different verbs or without the
article's date, and a count whose clause names who said it or names its body as a whole
(issue 13). Each rule with made-up sentences and the near misses that keep their reading."""

from __future__ import annotations

import datetime

from pipeline.documents.segment import segment_text
from pipeline.synthesis.align import story_sources
from pipeline.synthesis.claims import Aliases, known_names
from pipeline.synthesis.divergences import find_divergences
from pipeline.synthesis.timeline import PartialDate


def english_source(source_id: str, text: str, published: str | None):
    return source_id, segment_text(text, "en"), published


def _found(sources, kind: str) -> list[list[str]]:
    """The sorted side labels of every ``kind`` divergence among the sources of one
    story (sources told as one story: the grouping is not under test)."""
    texts = [t for _, sentences, _ in sources for t in sentences]
    read = []
    for citation, (source_id, sentences, published) in enumerate(sources, start=1):
        day = datetime.date.fromisoformat(published) if published else None
        reference = PartialDate(day.year, day.month, day.day) if day else None
        read.append((source_id, citation, list(enumerate(sentences)), reference))
    story = story_sources(read, Aliases.learn(texts), known_names(texts))
    return [sorted(s for s, _ in f.sides) for f in find_divergences(story) if f.kind == kind]


def dates(sources) -> list[list[str]]:
    return _found(sources, "date")


def numbers(sources) -> list[list[str]]:
    return _found(sources, "number")


# ----------------------------------------------------------------- the day of the event


def test_the_day_of_one_act_told_with_two_verbs_conflicts_in_an_undated_brief():
    found = dates(
        [
            english_source(
                "brief",
                "Governor Mara Holt dismissed health minister Ivo Brandt on Monday night, "
                "ending the coalition with the Greens.\n\nThe Greens called it a betrayal.",
                None,
            ),
            english_source(
                "wire",
                "Governor Mara Holt fired her health minister, Ivo Brandt, on Tuesday "
                "evening, ending months of quarrels over the hospital budget.\n\n"
                "The Greens left the coalition.",
                "2026-03-11",
            ),
        ]
    )
    assert found == [["2026-03-10 (on Tuesday)", "on Monday"]]


def test_a_day_of_a_month_set_for_one_hearing_conflicts():
    found = dates(
        [
            english_source(
                "brief",
                "Judge Orla Finn scheduled the sentencing hearing for March 15.\n\n"
                "The defence will appeal the verdict against the builder.",
                None,
            ),
            english_source(
                "wire",
                "Judge Orla Finn set the sentencing hearing for March 11.\n\n"
                "The builder was found guilty of fraud and the defence will appeal.",
                "2026-02-20",
            ),
        ]
    )
    assert found == [["2026-03-11 (March 11)", "March 15"]]


def test_the_day_someone_spoke_is_not_the_day_of_the_act():
    # "said on Monday": the day of the saying, not of the dismissal.
    found = dates(
        [
            english_source(
                "brief",
                "Governor Mara Holt dismissed health minister Ivo Brandt, her office said on "
                "Monday.\n\nThe Greens called it a betrayal of the coalition.",
                None,
            ),
            english_source(
                "wire",
                "Governor Mara Holt dismissed her health minister, Ivo Brandt, on Saturday "
                "after months of quarrels.\n\nThe Greens left the coalition.",
                "2026-03-11",
            ),
        ]
    )
    assert found == []


def test_a_forecast_day_is_not_the_day_the_event_happened():
    # "is expected to reach ... on Friday" is a forecast, "reached ... on Thursday" past.
    found = dates(
        [
            english_source(
                "brief",
                "Storm Wren reached the northern coast of the island on Thursday, cutting "
                "power to thousands of homes.",
                "2026-08-13",
            ),
            english_source(
                "wire",
                "Storm Wren is expected to weaken as it reaches the northern coast of the "
                "mainland on Friday, after cutting power to thousands of homes on the island.",
                "2026-08-13",
            ),
        ]
    )
    assert found == []


def test_a_postponement_has_its_own_day_beside_the_deal():
    found = dates(
        [
            english_source(
                "paper",
                "Talks between the pilots' union and the airline were postponed on Thursday "
                "without a deal on pay.\n\nThe strike goes on.",
                "2026-05-15",
            ),
            english_source(
                "wire",
                "The pilots' union reached a deal on pay with the airline on Sunday, ending "
                "the strike.\n\nFlights resume on Monday.",
                "2026-05-18",
            ),
        ]
    )
    assert found == []


def test_the_same_act_of_two_named_bodies_on_two_days_is_no_conflict():
    # The Lakeland Health Board's alert and the Harbor Institute's alert are two acts.
    found = dates(
        [
            english_source(
                "health",
                "The Lakeland Health Board declared a regional health emergency over the "
                "fever on Monday.\n\nSchools in the valley closed.",
                None,
            ),
            english_source(
                "wire",
                "The Harbor Institute declared a regional health emergency over the fever on "
                "Wednesday.\n\nSchools in the valley closed.",
                "2026-07-16",
            ),
        ]
    )
    assert found == []


# ------------------------------------------------------------------------- counts


def test_a_count_after_who_said_it_is_the_counted_bodys():
    found = numbers(
        [
            english_source(
                "wire",
                "Secretary Lena Voss said 23 countries had formally applied to join the "
                "customs union.\n\nThe union meets again in June.",
                "2026-04-02",
            ),
            english_source(
                "analysis",
                "By the time the union's leaders met in Tallinn, 22 countries had formally "
                "asked to join the customs union.\n\nThe union meets again in June.",
                None,
            ),
        ]
    )
    assert found == [["22 countries", "23 countries"]]


def test_two_named_subjects_still_keep_their_counts_apart():
    # Not speakers: Norway's and Sweden's fleets are two counts.
    found = numbers(
        [
            english_source(
                "wire",
                "On Monday, Norway sent 23 ships to the joint fishing patrol in the north.",
                "2026-04-02",
            ),
            english_source(
                "paper",
                "On Monday, Sweden sent 22 ships to the joint fishing patrol in the north.",
                "2026-04-02",
            ),
        ]
    )
    assert found == []


def test_two_definite_counts_of_one_body_conflict():
    found = numbers(
        [
            english_source(
                "brief",
                "The 31 crew members on board were all safe after the freighter ran "
                "aground, the owner said.",
                None,
            ),
            english_source(
                "wire",
                "All 30 crew on the Marisol, who are Filipino nationals, were safe after the "
                "freighter ran aground off the cape, the manager, Orca Shipping, said.",
                "2026-01-09",
            ),
        ]
    )
    assert found == [["30 crew", "31 crew"]]


def test_a_count_of_some_of_the_body_is_not_its_size():
    # "12 crew were taken off" is part of the crew, not its size.
    found = numbers(
        [
            english_source(
                "brief",
                "The 31 crew members on board were all safe after the freighter ran aground.",
                None,
            ),
            english_source(
                "wire",
                "Rescuers took 12 crew off the freighter by helicopter after it ran aground "
                "off the cape.",
                "2026-01-09",
            ),
        ]
    )
    assert found == []


def test_a_places_toll_as_its_clauses_subject_is_the_places():
    found = numbers(
        [
            english_source(
                "health",
                "In Ruritania alone there have been 548 deaths from the fever this year.",
                None,
            ),
            english_source(
                "wire",
                "Ruritania has recorded 537 deaths from the fever so far this year, the "
                "ministry said.",
                "2026-08-14",
            ),
        ]
    )
    assert found == [["537 people", "548 people"]]


def test_a_toll_for_two_countries_is_not_one_countrys():
    found = numbers(
        [
            english_source(
                "brief",
                "The number of people killed by the flood in Ruritania and Borduria has "
                "risen to 900.",
                None,
            ),
            english_source(
                "wire",
                "In Ruritania at least 500 people were killed by the flood, the ministry said.",
                "2026-08-14",
            ),
        ]
    )
    assert found == []


def test_a_whole_states_toll_is_not_a_countys():
    found = numbers(
        [
            english_source(
                "live",
                "A sheriff in Elm County says 4 people died when a tornado hit a trailer "
                "park during the storm.",
                "2026-10-09",
            ),
            english_source(
                "paper",
                "In Elm County, six people were killed when a tornado hit a trailer park "
                "during the storm.\n\nAcross the state, officials confirmed at least 16 deaths "
                "linked to the storm.",
                "2026-10-11",
            ),
        ]
    )
    assert found == [["4 people", "6 people"]]


def test_chosen_and_elected_are_one_act_with_one_day():
    found = dates(
        [
            english_source(
                "brief",
                "The former Anton Vell, born in Riga, was chosen on the final ballot on "
                "Wednesday, becoming the first leader from the north.",
                None,
            ),
            english_source(
                "wire",
                "In Rome, Bishop Anton Vell of Latvia was elected the 31st leader of the "
                "Synod on Thursday.",
                "2026-05-08",
            ),
        ]
    )
    assert found == [["2026-05-07 (on Thursday)", "on Wednesday"]]


def test_one_word_in_common_among_many_is_not_one_event():
    # "power" in "woke up with their power back" and in "a power cut knocked out ...".
    found = dates(
        [
            english_source(
                "paper",
                "Ruritania and Borduria woke up on Tuesday with their power back.",
                "2026-04-29",
            ),
            english_source(
                "wire",
                "A huge power cut knocked out electricity across Ruritania and Borduria on "
                "Monday, stopping trains.",
                "2026-04-28",
            ),
        ]
    )
    assert found == []


# ------------------------------------------------------------------- office holders


def names(sources) -> list[list[str]]:
    return _found(sources, "name")


def test_two_holders_of_one_office_in_apposition_conflict():
    found = names(
        [
            english_source(
                "brief",
                "Ruritania's transport minister, Pavel Orn, resigned over the rail crash in "
                "the north.",
                None,
            ),
            english_source(
                "paper",
                "His transport minister, Ilse Varga, has resigned over the rail crash, and "
                "prosecutors in Ruritania opened an inquiry.",
                "2026-06-05",
            ),
        ]
    )
    assert found == [["Ilse Varga", "Pavel Orn"]]


def test_someone_named_to_an_office_is_its_holder():
    found = names(
        [
            english_source(
                "brief",
                "The premier sacked her treasurer and named Rolf Dahl, her chief of staff, to "
                "take over the finance ministry.",
                None,
            ),
            english_source(
                "paper",
                "The governor appointed Mia Sund, an economist and adviser to the premier, as "
                "the new finance minister.",
                "2026-06-05",
            ),
        ]
    )
    assert found == [["Mia Sund", "Rolf Dahl"]]


def test_a_former_holder_in_apposition_is_no_holder():
    found = names(
        [
            english_source(
                "brief",
                "Ruritania's former transport minister, Pavel Orn, spoke about the rail "
                "crash in the north.",
                None,
            ),
            english_source(
                "paper",
                "His transport minister, Ilse Varga, has resigned over the rail crash, and "
                "prosecutors in Ruritania opened an inquiry.",
                "2026-06-05",
            ),
        ]
    )
    assert found == []


def test_holders_both_sources_name_are_no_conflict():
    # The paper names Pavel Orn too: both may be right about two moments.
    found = names(
        [
            english_source(
                "brief",
                "Ruritania's transport minister, Pavel Orn, resigned over the rail crash.",
                None,
            ),
            english_source(
                "paper",
                "His transport minister, Ilse Varga, took over from Pavel Orn after the rail "
                "crash in Ruritania.",
                "2026-06-05",
            ),
        ]
    )
    assert found == []


def test_a_scheduled_events_noun_is_enough_for_its_day():
    found = dates(
        [
            english_source(
                "brief",
                "Opposition parties have filed a motion to remove the mayor, with a vote on "
                "Friday.",
                None,
            ),
            english_source(
                "wire",
                "The council said the motion against the mayor had support.\n\nA vote is "
                "expected on Saturday.",
                "2026-12-05",
            ),
        ]
    )
    assert found == [["2026-12-05 (on Saturday)", "on Friday"]]


def test_a_held_vote_is_not_the_vote_still_to_come():
    # "the vote was held on Sunday" (past) and "a vote is expected on Saturday" (future)
    # are two votes.
    found = dates(
        [
            english_source(
                "brief",
                "In the first round the vote was held on Sunday, and the mayor lost.",
                "2026-12-05",
            ),
            english_source(
                "wire",
                "The council said the motion against the mayor had support.\n\nA vote is "
                "expected on Saturday.",
                "2026-12-05",
            ),
        ]
    )
    assert found == []
