"""Round div10b: false disagreements by clause structure (issue 13). A value of another
time than the news's (a state until this morning, a trading session, what "that outbreak"
did years before), an outcome phrase of another act than the one the other side tells
(a blow "struck", an aim "to block", words of the next clause, who acted), and two
subjects under one attribute (a pronoun carried over a sentence, two countries' offices).
Each rule with made-up sentences and the near misses that must keep their reading."""

from __future__ import annotations

from synthesis_helpers import divergences, english_source

from pipeline.synthesis.claims import keeps_referent, read_claim
from pipeline.synthesis.outcomes import outcome_of
from pipeline.synthesis.timeline import PartialDate


def source(source_id: str, text: str, published: str | None = "2025-03-12"):
    return english_source(source_id, text, published)


# Two sentences every source of a test story shares, so the sources form one story.
SETTING = (
    "\n\nThe news from Northbridge dominated the week, Mayor Ellen Park said on the radio."
    "\n\nResidents of Northbridge and Eastford gathered in the square."
)


def pair(first: str, second: str, kind: str | None = None, undated: bool = False):
    return divergences(
        [
            source("a", first + SETTING, None if undated else "2025-03-12"),
            source("b", second + SETTING),
        ],
        kind,
    )


def whens(sentence: str) -> list[str | None]:
    return [f.when for f in read_claim(sentence, None).figures if f.quantity is not None]


# ------------------------------------------------------------------ another time's value


def test_a_state_until_this_morning_is_the_state_before_the_news():
    assert whens("Some background: the league until this morning was 18 clubs.") != [None]
    found = pair(
        "Some background: the Northbridge league until this morning was 18 clubs.",
        "With the new side the Northbridge league has 20 clubs.",
        "number",
    )
    assert found == []


def test_a_plan_until_a_date_and_a_state_now_keep_their_time():
    # "will run until" is a plan, not a state that has ended: the figure is the news's.
    assert whens("The union will keep the contract until June for 4,500 workers.") == [None]
    found = pair(
        "The Northbridge league was 18 clubs this season.",
        "The Northbridge league has 20 clubs this season.",
        "number",
    )
    assert found == [["18 clubs", "20 clubs"]]


def test_a_move_in_extended_trading_is_not_the_next_days_close():
    found = pair(
        "Shares of Acme fell 12% in extended trading.",
        "Acme shares fell 15% on Friday.",
        "number",
    )
    assert found == []


def test_one_session_under_two_names_is_still_compared():
    assert whens("Acme shares fell 12% in extended trading.") == whens(
        "Acme shares fell 15% in after-hours trading."
    )
    found = pair("Acme shares fell 12% on Friday.", "Acme shares fell 15% on Friday.", "number")
    assert found == [["down 12%", "down 15%"]]


def test_that_outbreak_after_an_earlier_period_is_that_periods():
    # The undated explainer takes its story's year (2025) from the dated source.
    found = pair(
        "It was an emergency from June 2021 to April 2022, when an older strain spread. "
        "That outbreak caused 9,000 cases in 40 countries of Eastford.",
        "The new strain has been found in 12 countries of Eastford this year.",
        "number",
        undated=True,
    )
    assert found == []


def test_this_outbreak_or_that_outbreak_after_no_earlier_date_is_the_news():
    found = pair(
        "This outbreak has caused 9,000 cases in 40 countries of Eastford.",
        "The new strain has been found in 12 countries of Eastford this year.",
        "number",
    )
    assert found == [["12 countries", "40 countries"]]
    found = pair(
        "It was declared an emergency this week. That outbreak has caused 9,000 cases "
        "in 40 countries of Eastford.",
        "The new strain has been found in 12 countries of Eastford this year.",
        "number",
    )
    assert found == [["12 countries", "40 countries"]]


# ----------------------------------------------------------- an outcome of another act


def test_a_blow_struck_is_no_blocking_outcome():
    assert outcome_of("The mayor struck a gong and the leaders took their seats.") is None
    assert outcome_of("An earthquake struck the coast on Monday.") is None
    assert outcome_of("The town was struck by an earthquake.") is None


def test_struck_down_out_or_from_and_a_passive_struck_still_block():
    for sentence in (
        "The court struck down the levy on Friday.",
        "France had every reference struck from the final text.",
        "The reference had to be struck at the last moment.",
    ):
        found = outcome_of(sentence)
        assert found is not None and found[0].key == "blocked", sentence


def test_an_aim_in_a_to_infinitive_is_no_outcome():
    assert outcome_of("Crowds gathered outside the hall to block the convoy.") is None
    assert outcome_of("The minister refused to confirm the report.") is None


def test_a_decision_an_obligation_or_a_headline_to_infinitive_stays_an_outcome():
    for sentence, key in (
        ("The senate voted to block the nomination.", "blocked"),
        ("Ministers agreed to delay the vote.", "deferred"),
        ("Alliance to defer decision on the new office", "deferred"),
        ("The alliance is poised to defer its decision on the office.", "deferred"),
    ):
        found = outcome_of(sentence)
        assert found is not None and found[0].key == key, sentence


def test_words_of_the_next_clause_are_not_what_an_outcome_is_about():
    found = pair(
        "The president accepted the resignation of his aide on Monday, as the opposition "
        "pushed ahead with its motion.",
        "Crowds blocked the streets of the capital, and an opposition leader spoke.",
        "outcome",
    )
    assert found == []


def test_one_motion_approved_and_blocked_is_still_an_outcome_divergence():
    found = pair(
        "The opposition's motion was approved by parliament on Monday.",
        "The opposition's motion was blocked by parliament on Monday.",
        "outcome",
    )
    assert found == [["will happen or agreed", "blocked or struck out"]]


def test_who_agreed_and_the_container_dropped_from_are_not_the_thing_agreed():
    found = pair(
        "Leaders of the Vantor group agreed at their summit to admit two new members.",
        "Talk of a Vantor currency was dropped from the summit agenda before it began.",
        "outcome",
    )
    assert found == []


def test_a_name_the_outcome_befell_still_ties_two_sides():
    found = pair(
        "The Vantor pipeline was approved by regulators on Monday.",
        "The Vantor pipeline was blocked by regulators on Monday.",
        "outcome",
    )
    assert found == [["will happen or agreed", "blocked or struck out"]]


# ---------------------------------------------------------- two subjects, one attribute


def test_a_pronoun_subject_without_names_keeps_the_referent():
    assert keeps_referent(
        read_claim("At the last election, in 2021, it took 20% of the vote.", None)
    )
    # A sentence with a name of its own, or with no pronoun subject, moves the referent.
    assert not keeps_referent(read_claim("In 2021 the Greens took 20% of the vote.", None))
    assert not keeps_referent(read_claim("At the last election turnout was 60%.", None))


def test_it_two_sentences_after_a_party_is_that_party():
    found = pair(
        "Ahead of the Northbridge vote, the Greens are polling at about 9 per cent.",
        "The Liberals' position before the Northbridge vote is no better than the Greens'. "
        "At the last election, in 2021, it took 20 per cent of the vote. It now polls "
        "around 14 per cent.",
        "number",
    )
    assert found == []
    # Without the sentence between, "It" is the Liberals too.
    found = pair(
        "Ahead of the Northbridge vote, the Greens are polling at about 9 per cent.",
        "The Liberals' position before the Northbridge vote is no better than the Greens'. "
        "It now polls around 14 per cent.",
        "number",
    )
    assert found == []


def test_two_countries_offices_under_one_title_are_two_offices():
    found = pair(
        "China was represented by Foreign Minister Wang Lin at the summit.",
        "Russia was represented by Foreign Minister Ivan Petrov at the summit.",
        "name",
    )
    assert found == []


def test_one_countrys_office_with_two_holders_still_disagrees():
    found = pair(
        "Chile was represented by Foreign Minister Ana Soto at the summit.",
        "Chile was represented by Foreign Minister Luis Vega at the summit.",
        "name",
    )
    assert found == [["Ana Soto", "Luis Vega"]]
    # A country the holder speaks of after the name is not whose office it is.
    found = pair(
        "Spain's energy minister Ana Ruiz said power was back across Spain.",
        "Energy minister Eva Sol said links between Spain and France had helped.",
        "name",
    )
    assert found == [["Ana Ruiz", "Eva Sol"]]


# ---------------------------------------------------------------------- ordinals (recall)


def test_the_second_time_against_the_third_time_disagrees():
    found = pair(
        "The health agency declared an emergency over the virus, the third time it has "
        "issued such a warning.",
        "The health agency declared an emergency over the virus for the second time.",
        "number",
    )
    assert found == [["second time", "third time"]]


def test_a_first_time_or_a_second_term_is_still_no_count():
    assert read_claim("It is the first time a rocket has landed there.", None).figures == ()
    found = pair(
        "The mayor won a second term on Sunday.",
        "The mayor, who won a fourth term, spoke on Sunday.",
        "number",
    )
    assert found == []


def test_a_place_in_the_storys_series_ignores_who_acted_there():
    found = pair(
        "Leaders of the Vantor group agreed at their 14th summit to admit two members.",
        "President Ana Soto announced the decision at the 15th summit of the Vantor group.",
        "number",
    )
    assert found == [["14th summit", "15th summit"]]


def test_two_owners_series_are_still_two_series():
    found = pair(
        "It was Norland's 11th rate increase since 2022, the bank said.",
        "It was Vestmark's 12th rate increase since 2022, the bank said.",
        "number",
    )
    assert found == []


# ---------------------------------------------------------------------- lengths in words


def test_nine_and_a_half_hours_is_one_length():
    (figure,) = read_claim("The jurors deliberated for about nine and a half hours.", None).figures
    assert figure.quantity is not None
    assert (figure.quantity.value, figure.quantity.unit) == (9.5, "h")


def test_and_a_half_only_after_a_number():
    figures = read_claim("Talks lasted a day and a half, and 40 delegates left.", None).figures
    assert [f.quantity.value for f in figures if f.quantity is not None] == [40.0]


# ------------------------------------------------------- an earlier day in the past perfect


def day_whens(sentence: str, published: PartialDate) -> list[str | None]:
    return [f.when for f in read_claim(sentence, published).figures if f.quantity is not None]


def test_a_figure_the_past_perfect_dates_weeks_before_is_that_days():
    sentence = "Lind had won the first round on March 2 with almost 41% of the vote."
    assert day_whens(sentence, PartialDate(2025, 3, 17)) == ["2025-03-02"]
    found = pair(
        "Lind had won the first round on March 2 with almost 41% of the vote.",
        "Lind won Sunday's runoff with 53.6% of the vote.",
        "number",
    )
    assert found == []


def test_a_recent_day_or_a_plain_past_keeps_the_news_figure():
    # Two days before the article: the news itself, told in the past perfect.
    sentence = "Lind had won the runoff on March 15 with 53.6% of the vote."
    assert day_whens(sentence, PartialDate(2025, 3, 17)) == [None]
    # No past perfect: "won ... on March 2" is what the article reports.
    sentence = "Lind won the first round on March 2 with 41% of the vote."
    assert day_whens(sentence, PartialDate(2025, 3, 17)) == [None]


def test_a_possessors_count_is_not_the_count_of_a_pronoun_after_it():
    found = pair(
        "The league's 54 member clubs will vote on the Northbridge plan.",
        "With the league, it becomes in effect a group of 21 members.",
        "number",
    )
    assert found == []


def test_two_counts_of_one_possessor_still_disagree():
    found = pair(
        "The league's 54 member clubs will vote on the Northbridge plan.",
        "The league, whose 55 member clubs will vote on the Northbridge plan, met.",
        "number",
    )
    assert found == [["54 member", "55 member"]]


# ------------------------------------------------------- a change against a share of people


def test_a_pay_rise_is_no_side_of_a_share_that_backed_a_strike():
    found = pair(
        "Most workers turned down the contract that their leaders had negotiated, and 91 "
        "per cent backed a strike.",
        "Members voted against the contract, which offered pay rises of 25% over the life "
        "of the contract.",
        "number",
    )
    assert found == []


def test_two_rises_are_still_compared():
    found = pair(
        "The Northbridge offer included pay rises of 25% over four years.",
        "The Northbridge offer included pay rises of 30% over four years.",
        "number",
    )
    assert found == [["25%", "30%"]]


# ------------------------------------------- a side that also gives the other's value


def test_a_sentence_giving_both_things_values_is_no_side_against_one_of_them():
    found = pair(
        "Almost 68% voted against the Northbridge family amendment.",
        "The Northbridge family amendment is rejected with 67.7% against, and the care "
        "amendment with 73.9% against.",
        "number",
    )
    assert found == []


def test_a_sentence_with_one_value_still_disagrees():
    found = pair(
        "Almost 68% voted against the Northbridge family amendment.",
        "The Northbridge family amendment is rejected with 73.9% against.",
        "number",
    )
    assert found == [["up to 68%", "73.9%"]]
