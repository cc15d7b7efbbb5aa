"""News shapes of disagreement the earlier rules did not read, each from sentences written
for these tests (issue 13): a tally without the word "votes", voters counted by what
they did, money with "m" for millions, an active "passed", verdicts, counts in words,
a prison term on a weekday; and what must stay quiet (another country's vote, a plea,
a night that runs past midnight). Then two small stories of several sources each."""

from __future__ import annotations

from synthesis_helpers import brief, divergences, english_source

from pipeline.synthesis.claims import quantities
from pipeline.synthesis.outcomes import outcome_of


def source(source_id: str, text: str, published: str | None = "2026-04-15", title: str = ""):
    return english_source(source_id, text, published, title)


# Two sentences every source of a test story shares, so the sources form one story.
SETTING = (
    "\n\nThe week in Harrowgate began with rain, council leader Ada Quist said."
    "\n\nTraders in Harrowgate and Linmouth opened late."
)


def pair(first: str, second: str, kind: str | None = None) -> list[list[str]]:
    return divergences([source("a", first + SETTING), source("b", second + SETTING)], kind)


# ------------------------------------------------------------------------------ tallies


def test_a_tally_without_the_word_votes_is_a_tally():
    (first, second) = quantities("The chamber passed the levy by 288 to 174 on Tuesday.")
    assert (first.value, first.against, second.value, second.against) == (288, False, 174, True)
    assert first.unit == second.unit == quantities("It won 288 votes.")[0].unit


def test_votes_against_a_noun_less_tally_disagree_with_members_voting_against():
    found = pair(
        "The chamber passed the levy by 288 to 174 on Tuesday.",
        "The chamber passed the levy on Tuesday, with 181 members voting against.",
        "number",
    )
    assert found == [["174 votes", "181 votes"]]


def test_mps_who_opposed_are_the_votes_against():
    found = pair(
        "Lawmakers approved the levy by 288 votes to 174 on Tuesday.",
        "Lawmakers approved the levy on Tuesday; 169 MPs opposed it.",
        "number",
    )
    assert found == [["169 votes", "174 votes"]]


def test_voters_counted_against_are_no_blocked_outcome():
    found = outcome_of("The levy was approved on Tuesday after 174 MPs voted against it.")
    assert found is not None and found[0].key == "agreed"
    assert outcome_of("Parliament voted against the levy on Tuesday.")[0].key == "blocked"


def test_another_countrys_tally_is_no_side_of_the_story_vote():
    found = pair(
        "The chamber passed the levy by 288 to 174 on Tuesday.",
        "The chamber passed the levy on Tuesday.\n\nIn Norland, MPs backed a similar levy "
        "last year by 301 votes to 120.",
        "number",
    )
    assert found == []


def test_the_same_tally_told_two_ways_is_no_divergence():
    assert (
        pair(
            "The chamber passed the levy by 288 to 174 on Tuesday.",
            "The chamber passed the levy on Tuesday, with 174 members voting against.",
            "number",
        )
        == []
    )


# -------------------------------------------------------------------------------- money


def test_m_after_a_currency_sign_is_millions():
    (q,) = quantities("The port has cost £310m so far.")
    assert (q.value, q.unit) == (310e6, "gbp")
    assert quantities("She won the 100m final.") == []  # metres, no money


def test_millions_with_a_sign_and_in_words_disagree():
    found = pair(
        "The city has paid £310m to the contractor so far, the auditor said.",
        "The city has paid 265 million pounds to the contractor so far, the auditor said.",
    )
    assert found == [["265 million pounds", "310 million pounds"]]


def test_millions_with_a_sign_and_in_words_agree_when_equal_or_rounded():
    assert (
        pair(
            "The city has paid £310m to the contractor so far, the auditor said.",
            "The city has paid 310.4 million pounds to the contractor, the auditor said.",
        )
        == []
    )


# ----------------------------------------------------------------------------- outcomes


def test_a_chamber_that_passed_a_bill_is_an_agreed_outcome():
    found = outcome_of("The upper house passed the water bill late on Monday.")
    assert found is not None and found[0].key == "agreed"
    assert outcome_of("The storm passed the coast at dawn.") is None


def test_passed_against_delayed_is_an_outcome_divergence():
    found = pair(
        "The upper house passed the water bill late on Monday.",
        "The upper house delayed the water bill again on Monday.",
        "outcome",
    )
    assert found == [["will happen or agreed", "deferred or not for now"]]


def test_convicted_against_acquitted_is_an_outcome_divergence():
    found = pair(
        "A jury convicted the former port director of bribery on Friday.",
        "The former port director was acquitted of bribery by a jury on Friday.",
        "outcome",
    )
    assert found == [["convicted or found guilty", "acquitted or cleared"]]


def test_found_guilty_against_found_not_guilty_is_an_outcome_divergence():
    found = pair(
        "The former port director was found guilty of bribery on Friday.",
        "A jury found the former port director not guilty of bribery on Friday.",
        "outcome",
    )
    assert found == [["convicted or found guilty", "acquitted or cleared"]]


def test_a_plea_of_not_guilty_is_no_verdict():
    assert outcome_of("The former port director pleaded not guilty to bribery.") is None
    assert outcome_of("The director was not convicted of bribery.") is None
    assert outcome_of("He is a convicted fraudster.") is None


# ------------------------------------------------------------------------------ counts


def test_a_count_in_tens_and_units_words_is_a_count():
    (q,) = quantities("Thirty-seven passengers were injured, the operator said.")
    assert q.value == 37
    found = pair(
        "Thirty-seven people were injured in the derailment, the operator said.",
        "The derailment injured 41 people, the operator said.",
    )
    assert found == [["37 people", "41 people"]]


def test_a_count_in_words_and_in_digits_agree_when_equal():
    assert (
        pair(
            "Thirty-seven people were injured in the derailment, the operator said.",
            "The derailment injured 37 people, the operator said.",
        )
        == []
    )


# ------------------------------------------------------------------------------ lengths


def test_a_term_given_on_a_weekday_is_still_a_length():
    (q,) = quantities("The judge jailed the director for nine years on Thursday.")
    assert (q.value, q.unit) == (9 * 8760.0, "h")
    found = pair(
        "The judge jailed the former port director for nine years on Thursday.",
        "The former port director was handed an 11-year sentence on Thursday.",
    )
    assert found == [["9 years", "11 years"]]


def test_years_on_from_an_event_are_no_length():
    assert quantities("Ten years on from the flood, the town has rebuilt.") == []


# ------------------------------------------------------------------------------- days


def test_late_at_night_and_just_after_midnight_are_no_date_divergence():
    # A report of "late on Tuesday night" and one of "shortly after midnight on Wednesday"
    # can both be right about one event: in doubt, nothing is shown.
    found = pair(
        "The two ferries collided late on Tuesday night outside the harbour.",
        "The two ferries collided shortly after midnight on Wednesday outside the harbour.",
        "date",
    )
    assert found == []


# ---------------------------------------------------------------------- small stories


def test_a_three_source_vote_story_shows_its_tally_money_and_outcome_divergences():
    wire = source(
        "wire",
        "Norland's parliament passed the coastal defence bill by 288 to 174 on Tuesday "
        "after a heated debate.\n\nThe bill commits £310m to sea walls along the east "
        "coast over five years.\n\nOpposition leader Piet Brand called it too little, too "
        "late.\n\nThe upper house is expected to vote next month.",
        title="Norland parliament passes coastal defence bill",
    )
    paper = source(
        "paper",
        "Norland's parliament approved the coastal defence bill on Tuesday, with 181 "
        "members voting against.\n\nThe bill sets aside 265 million pounds for "
        "sea walls along the east coast over five years.\n\nPiet Brand, the opposition "
        "leader, said the money would not protect the villages most at risk.",
        title="Norland coastal bill clears parliament",
    )
    radio = source(
        "radio",
        "Norland's parliament delayed the coastal defence bill on Tuesday after a "
        "procedural row.\n\nThe bill would commit £310m to sea walls over five years, "
        "according to the government.\n\nOpposition leader Piet Brand welcomed the delay.",
        title="Coastal defence vote put off",
    )
    (group,) = brief([wire, paper, radio]).groups
    found = [[s.label for s in d.sides] for d in group.divergences]
    assert ["174 votes", "181 votes"] in found
    assert ["265 million pounds", "310 million pounds"] in found
    outcomes = [[s.label for s in d.sides] for d in group.divergences if d.kind == "outcome"]
    assert outcomes == [["will happen or agreed", "deferred or not for now"]]


def test_a_three_source_trial_story_shows_the_verdicts_and_terms():
    wire = source(
        "wire",
        "A court in Linmouth convicted former port director Hana Sol of bribery on "
        "Thursday.\n\nThe judge jailed Sol for nine years on Thursday, saying she had "
        "betrayed the public.\n\nHer lawyers said they would appeal.",
        title="Former port director convicted of bribery",
    )
    paper = source(
        "paper",
        "Former port director Hana Sol was handed an 11-year sentence on Thursday for "
        "taking bribes from shipping firms.\n\nThirty-seven witnesses gave evidence "
        "during the four-month trial in Linmouth.",
        title="Sol sentenced",
    )
    blog = source(
        "blog",
        "A court in Linmouth acquitted former port director Hana Sol of bribery on "
        "Thursday, her lawyers said.\n\nThe trial in Linmouth heard from 37 witnesses "
        "over four months.",
        title="Sol verdict",
    )
    (group,) = brief([wire, paper, blog]).groups
    found = [[s.label for s in d.sides] for d in group.divergences]
    assert ["convicted or found guilty", "acquitted or cleared"] in found
    assert ["9 years", "11 years"] in found
    assert not any("witness" in d.topic for d in group.divergences)  # 37 = thirty-seven


def test_a_participle_clause_dating_the_noun_leaves_the_sum_the_news():
    first = source(
        "a",
        "The city has paid £310m to the contractor so far, the auditor said." + SETTING,
        "2026-04-15",
    )
    second = source(
        "b",
        "The city has paid 265 million pounds to the contractor under the contract, "
        "first signed in 2021, the auditor said." + SETTING,
        "2026-04-15",
    )
    assert divergences([first, second], "number") == [["265 million pounds", "310 million pounds"]]


def test_a_figure_in_a_sentence_about_an_earlier_year_is_still_background():
    assert (
        pair(
            "The flood killed 14 people in Harrowgate, officials said.",
            "The last flood of this size, in 2009, killed 30 people in Harrowgate.",
        )
        == []
    )


def test_a_participle_right_after_a_figure_dates_the_figure():
    assert (
        pair(
            "The regulator fined the bank €2.1bn on Monday for misleading savers.",
            "The regulator fined the bank on Monday for misleading savers.\n\nThe "
            "regulator's record fine for misleading savers, €3.5bn, imposed in 2019, "
            "went to a rival.",
            "number",
        )
        == []
    )
