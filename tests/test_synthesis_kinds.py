"""Disagreements by kind, each from sentences written for these tests: counts, money
with currency and scale, rates and basis points, dates and weekdays, lengths, who held a
role, where, outcomes, attributed figures; and stories kept together by a name only
their sources use (issue 13)."""

from __future__ import annotations

from synthesis_helpers import brief, divergences, english_source

from pipeline.synthesis.groups import vote_features
from pipeline.synthesis.outcomes import outcome_of


def source(source_id: str, text: str, published: str | None = "2025-03-12", title: str = ""):
    return english_source(source_id, text, published, title)


# Two sentences every source of a test story shares, so the sources form one story.
SETTING = (
    "\n\nThe news from Northbridge dominated the week, Mayor Ellen Park said on the radio."
    "\n\nResidents of Northbridge and Eastford gathered in the square."
)


def pair(first: str, second: str, kind: str | None = None) -> list[list[str]]:
    return divergences([source("a", first + SETTING), source("b", second + SETTING)], kind)


# ------------------------------------------------------------------------------ grouping


def test_a_feature_joins_the_story_whose_sources_alone_name_its_main_actor():
    wire = source(
        "wire",
        "Floods swept through the Varna valley in southern Ostland on Sunday, killing "
        "at least 12 people and cutting off three towns.\n\nThe Ostland army sent boats "
        "and helicopters, the defence ministry said.\n\nMore rain is forecast for Tuesday.",
        title="Floods kill 12 in Ostland's Varna valley",
    )
    update = source(
        "update",
        "The death toll from the floods in Ostland's Varna valley rose to 19, rescuers "
        "said on Monday.\n\nThousands of people spent the night in schools.",
        title="Ostland flood toll rises to 19",
    )
    feature = source(
        "feature",
        "The water came at night, long before the sirens of the Civil "
        "Protection Service sounded in Kellby and Marrow.\n\nShopkeepers on the old "
        "bridge street lost everything, and many say they will not rebuild.\n\nThe "
        "river has burst its banks four times in a decade, according to the regional "
        "water board.\n\nAt the Kellby school, volunteers from the Red Cross handed out "
        "blankets while Father Tomas Weller opened the church hall.\n\nThe Marrow "
        "bakery, run by the Dorn family since 1952, will stay shut until spring.",
        title="Varna's shopkeepers count the cost",
    )
    other = source(
        "other",
        "Westmark's central bank raised its main rate to 6.5% on Monday, its third "
        "increase this year.\n\nThe governor, Ilse Brand, said inflation was still too "
        "high.\n\nThe currency rose against the euro.",
        title="Westmark lifts rates again",
    )
    groups = [sorted(g.sources) for g in brief([wire, other, update, feature]).groups]
    assert sorted(groups) == [["feature", "update", "wire"], ["other"]]


# ------------------------------------------------------------------------------- counts


def test_people_held_by_police_are_people_whatever_the_noun():
    found = pair(
        "Police in Lisbon arrested 34 people after clashes outside the stadium on Saturday.",
        "Officers detained 41 fans after fighting broke out near the stadium in Lisbon.",
    )
    assert found == [["34 people", "41 people"]]


def test_a_bare_count_after_a_past_fate_verb_counts_people():
    found = pair(
        "Six people died and 40 were hurt when the bus overturned.",
        "The bus crash killed six people and injured 52.",
    )
    assert found == [["40 people", "52 people"]]


def test_a_tally_compares_yes_with_yes_and_no_with_no():
    found = pair(
        "The bill passed the Senate by 61 votes to 38 on Tuesday.",
        "Senators approved the bill 62 votes to 37 on Tuesday.",
        "number",
    )
    assert sorted(found) == [["37 votes", "38 votes"], ["61 votes", "62 votes"]]


def test_a_precise_lower_bound_is_a_count_of_its_own():
    found = pair(
        "The collapse of the mine killed at least 48 workers, the company said.",
        "The death toll from the mine collapse stood at 62 on Wednesday.",
    )
    assert found == [["at least 48 people", "62 people"]]


def test_a_round_lower_bound_agrees_with_a_count_above_it():
    assert (
        pair(
            "The fire injured more than 200 people, officials said.",
            "The fire injured 231 people, officials said.",
        )
        == []
    )


# -------------------------------------------------------------------------------- money


def test_money_is_compared_with_its_currency_and_scale():
    found = pair(
        "The government will spend €1.2bn on flood defences over five years.",
        "The government pledged 1.4 billion euros for flood defences over five years.",
    )
    assert found == [["1.2 billion euros", "1.4 billion euros"]]


def test_the_same_sum_in_other_words_is_no_divergence():
    assert (
        pair(
            "Acme agreed to pay $2.3 billion to settle the lawsuit.",
            "Acme will pay $2.3bn to settle the lawsuit, court filings show.",
        )
        == []
    )


# ------------------------------------------------------------------------ rates, signs


def test_a_fall_and_a_rise_of_the_same_size_conflict():
    found = pair(
        "The economy shrank 0.3% in the third quarter, the statistics office said.",
        "The economy grew 0.3% in the third quarter, the statistics office said.",
    )
    assert found == [["down 0.3%", "up 0.3%"]]


def test_a_change_is_not_compared_with_a_level():
    assert (
        pair(
            "Inflation fell 0.4% in April, the statistics office said.",
            "Inflation fell to 2.1% in April, the statistics office said.",
        )
        == []
    )


def test_basis_points_and_quarter_points_are_one_unit():
    found = pair(
        "The central bank cut its key rate by 50 basis points to 3.25%.",
        "The central bank lowered its key rate by a quarter point to 3.5%.",
    )
    assert sorted(found) == [
        ["3.25%", "3.5%"],
        ["down 0.25 percentage points", "down 0.5 percentage points"],
    ]


def test_a_grew_point_is_not_backed_by_shrank():
    result = brief(
        [
            source("a", "The economy grew 0.3% in the third quarter." + SETTING),
            source("b", "The economy shrank 0.3% in the third quarter." + SETTING),
        ]
    )
    (group,) = result.groups
    (point,) = [p for p in group.points if "0.3%" in p.text]
    assert len(point.sources) == 1


# ------------------------------------------------------------------------------ lengths


def test_prison_terms_are_lengths():
    found = pair(
        "The two men were sentenced to eight years in prison for the robbery.",
        "A court jailed the two men for six years for the robbery.",
    )
    assert found == [["6 years", "8 years"]]


def test_a_period_of_background_is_no_length():
    assert (
        pair(
            "The vote ended 14 years of rule by the party.",
            "It was the party's first defeat in 12 years.",
        )
        == []
    )


# ----------------------------------------------------------------------------- outcomes


def test_approved_against_rejected_is_an_outcome_divergence():
    found = pair(
        "The pension reform was approved by parliament on Thursday.",
        "The pension reform was rejected by parliament on Thursday.",
        "outcome",
    )
    assert found == [["will happen or agreed", "blocked or struck out"]]


def test_included_against_removed_is_an_outcome_divergence():
    found = pair(
        "The pledge on coal was included in the final text of the treaty.",
        "The pledge on coal was removed from the final text of the treaty.",
        "outcome",
    )
    assert found == [["will happen or agreed", "blocked or struck out"]]


def test_held_as_planned_against_postponed_is_an_outcome_divergence():
    found = pair(
        "The referendum was postponed until the spring.",
        "The referendum went ahead as planned on Sunday.",
        "outcome",
    )
    assert found == [["will happen or agreed", "deferred or not for now"]]


def test_confirmed_against_denied_is_an_outcome_divergence():
    found = pair(
        "The club confirmed that its coach had been dismissed.",
        "The club denied that its coach had been dismissed.",
        "outcome",
    )
    assert found == [["confirmed", "denied"]]


def test_what_a_denial_denies_is_no_claim():
    found = outcome_of("The ministry denied that the match was cancelled.")
    assert found is not None and found[0].key == "denied"


# ------------------------------------------------------------------- who a figure is of


def test_his_party_is_the_party_the_sentence_before_names():
    found = pair(
        "Anna Kovac became mayor after Sunday's vote gave the Green League a clear win."
        "\n\nHer party won 31 seats on the council.",
        "The Green League won 29 seats on the city council in Sunday's vote.",
    )
    assert found == [["29 seats", "31 seats"]]


def test_his_party_beside_a_named_leader_is_not_the_rival_before():
    assert (
        pair(
            "The Blue Alliance of Marek Stein won the council vote on Sunday."
            "\n\nOskar Lind, the outgoing mayor, saw his party win 18 seats.",
            "The Blue Alliance won 40 seats on the council in Sunday's vote.",
        )
        == []
    )


def test_a_magnitude_put_at_a_figure_is_a_magnitude():
    found = pair(
        "The geological survey put the strength of the quake at 6.4, the strongest in years.",
        "A magnitude 6.1 earthquake shook the region early on Tuesday.",
    )
    assert found == [["magnitude 6.1", "magnitude 6.4"]]


# -------------------------------------------------------------------------------- dates


def test_the_same_event_on_two_weekdays_is_a_date_divergence():
    found = pair(
        "The finance minister resigned on Tuesday after the audit was published.",
        "The finance minister resigned on Wednesday, a day after the audit came out.",
        "date",
    )
    assert found == [["2025-03-11 (on Tuesday)", "2025-03-12 (on Wednesday)"]]


def test_two_events_on_two_weekdays_are_no_divergence():
    assert (
        pair(
            "The dam burst on Monday.",
            "A second dam burst on Tuesday, the water board said.",
            "date",
        )
        == []
    )


def test_a_date_written_two_ways_is_compared_as_a_date():
    found = pair(
        "The new bridge will open on 14 May, the city council said.",
        "The city council said the new bridge would open on May 21.",
        "date",
    )
    assert found == [["2025-05-14 (14 May)", "2025-05-21 (May 21)"]]


# ------------------------------------------------------------------------ who and where


def test_two_people_said_to_be_elected_to_one_post_are_a_divergence():
    found = pair(
        "Delegates elected Ines Moreau party leader on Sunday, with 58% of the vote.",
        "Delegates elected Paul Varga party leader on Sunday after a tight race.",
        "name",
    )
    assert found == [["Ines Moreau", "Paul Varga"]]


def test_two_places_for_one_meeting_are_a_divergence():
    found = pair(
        "The peace talks will be held in Oslo next month, officials said.",
        "Officials said the peace talks will be held in Lisbon next month.",
        "name",
    )
    assert found == [["Oslo", "Lisbon"]]


def test_a_name_the_other_source_also_gives_is_no_divergence():
    found = pair(
        "The peace talks will be held in Oslo next month, officials said.\n\n"
        "Delegations from Lisbon will attend.",
        "Officials said the peace talks will be held in Lisbon next month.\n\n"
        "Oslo had offered to host them.",
        "name",
    )
    assert found == []


def test_who_said_it_is_no_divergence():
    found = pair(
        "The mine was closed after the explosion, Governor Ruth Adler said.",
        "The mine was closed after the explosion, Mayor Sam Okafor said.",
        "name",
    )
    assert found == []


def test_who_won_how_many_seats_is_a_number_question_not_a_who_question():
    found = pair(
        "The Farmers' Union won 12 seats in the regional vote.",
        "Ana Petrov won a seat in the regional vote, and the Farmers' Union won 14.",
        "name",
    )
    assert found == []


def test_attributed_figures_are_paired_whoever_said_them():
    found = pair(
        "Police said about 20,000 people joined the march in Madrid.",
        "Organisers said 100,000 people joined the march in Madrid.",
    )
    assert found == [["about 20,000 people", "100,000 people"]]


# --------------------------------------------------------------- times, forecasts (heldout8)


def test_a_clock_time_is_no_counted_quantity():
    found = pair(
        "The ferry left the harbour at about 10:40 p.m. and ran aground near the cape.",
        "The ferry had sailed just after 10 p.m., and struck the rocks at 22:55 near the cape.",
        "number",
    )
    assert found == []


def test_a_clock_time_with_a_dot_or_o_clock_is_no_count():
    found = pair(
        "The tower's lights went out at 9.15 pm across Eastford.",
        "The tower's lights went out at 9 o'clock across Eastford.",
        "number",
    )
    assert found == []


def test_an_expected_figure_is_no_side_of_the_decided_one():
    found = pair(
        "The Northbridge Reserve lowered its deposit rate to 2.5% on Tuesday.",
        "Analysts had expected the Northbridge Reserve to keep its deposit rate at 2.75%, "
        "and the currency weakened.",
        "number",
    )
    assert found == []


def test_a_forecast_for_a_later_year_is_no_side_of_this_years_figure():
    found = pair(
        "Northbridge unemployment stood at 6.1% in January, the statistics office said.",
        "The statistics office sees Northbridge unemployment averaging 5.8% in 2026.",
        "number",
    )
    assert found == []


def test_two_forecasts_for_the_same_year_still_disagree():
    found = pair(
        "The Reserve's staff now forecast growth of 1.4% in 2026.",
        "The Reserve's staff projections see growth of 1.1% in 2026.",
        "number",
    )
    assert found == [["1.1%", "1.4%"]]


def test_an_outcome_in_a_clause_about_an_earlier_ruling_is_not_the_news():
    assert outcome_of("After a court ruling, which struck down the levy, the council met.") is None


def test_a_figure_in_a_when_clause_of_an_earlier_year_is_background():
    found = pair(
        "The landslide in Northbridge is the deadliest since 2009, when more than 120 "
        "people died in a flood in Eastford.",
        "The landslide killed 41 people on Sunday, officials said.",
        "number",
    )
    assert found == []


def test_a_separate_vote_is_no_side_of_the_main_vote():
    found = pair(
        "Councillors approved the Northbridge transit plan by 48 votes to 21.",
        "In a separate vote, councillors approved a bill on school meals by 66 votes to none.",
        "number",
    )
    assert found == []


def test_the_same_vote_told_twice_still_disagrees():
    found = pair(
        "Councillors approved the Northbridge transit plan by 48 votes to 21.",
        "Councillors backed the Northbridge transit plan by 46 votes to 21.",
        "number",
    )
    assert found == [["46 votes", "48 votes"]]


def test_two_people_given_the_same_title_are_a_who_divergence():
    found = pair(
        "The Northbridge Reserve cut its rate to 3%, Governor Tomas Vell said.",
        "Governor Ana Roos said the Northbridge Reserve would watch the currency.",
        "name",
    )
    assert [sorted(sides) for sides in found] == [["Ana Roos", "Tomas Vell"]]


def test_a_former_holder_of_the_title_is_no_other_side():
    found = pair(
        "The Northbridge Reserve cut its rate to 3%, Governor Tomas Vell said.",
        "Former Governor Ana Roos said the Northbridge Reserve had waited too long.",
        "name",
    )
    assert found == []


def test_a_tally_and_a_majority_in_words_share_the_votes_margin():
    tally = vote_features("Lawmakers have voted by 214 to 187 in favour of the trawling ban.")
    margin = vote_features("The ban won the chamber's backing by a majority of twenty-seven.")
    assert set(margin) <= set(tally)
    assert vote_features("The flights will leave in 10 to 12 weeks.") == []
