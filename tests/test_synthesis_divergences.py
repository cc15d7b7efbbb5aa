"""Divergences said in other words: tolls as bare figures, people by other nouns, pronoun
subjects, a city's count beside the country's, a second quake, background years, hedged
figures; and the overview and support rules that go with them (issue 13)."""

from __future__ import annotations

from synthesis_helpers import english_source

from pipeline.config.schema import SynthesisConfig
from pipeline.synthesis.synthesize import synthesize
from pipeline.types import SourceReport

CONFIG = SynthesisConfig()


def article(source_id: str, text: str, published: str | None = "2023-09-13", title: str = ""):
    return english_source(source_id, text, published, title)


def numbers(reports: list[SourceReport]) -> list[list[str]]:
    result = synthesize(reports, CONFIG, False, "extractive")
    (group,) = result.groups
    return [[side.label for side in d.sides] for d in group.divergences if d.kind == "number"]


def test_a_toll_given_as_a_bare_figure_conflicts_with_people_feared_dead():
    found = numbers(
        [
            article(
                "wire",
                "More than 5,300 people are feared dead after floods swept through Derna.\n\n"
                "Two dams above the city burst on Sunday.",
            ),
            article(
                "brief",
                "The death toll from the floods in Derna has risen to more than 6,000, "
                "officials said.\n\nTwo dams burst above the city on Sunday.",
            ),
        ]
    )
    assert found == [["at least 5,300 people", "at least 6,000 people"]]


def test_the_dead_the_injured_and_the_missing_are_never_one_question():
    found = numbers(
        [
            article(
                "wire",
                "The quake in Herat province killed 2,053 people and 1,240 people were "
                "injured, the ministry said.",
            ),
            article(
                "brief",
                "The quake in Herat province killed more than 2,400 people.\n\n"
                "He said more than 2,000 were injured.",
            ),
        ]
    )
    assert sorted(found) == [
        ["1,240 people", "at least 2,000 people"],
        ["2,053 people", "at least 2,400 people"],
    ]


def test_a_citys_count_is_compared_with_the_citys_not_the_countrys():
    found = numbers(
        [
            article(
                "wire",
                "The interior ministry said 1.12 million people had marched against the "
                "pension reform in France, including 80,000 in Paris.",
                published="2023-01-19",
            ),
            article(
                "paper",
                "The unions said two million people marched against the pension reform in "
                "France.\n\nIn Paris, the CGT union counted 400,000 marchers against the reform.",
                published="2023-01-20",
            ),
        ]
    )
    assert sorted(found) == [
        ["1.12 million people", "2 million people"],
        ["80,000 people", "400,000 marchers"],
    ]


def test_a_second_quake_is_compared_only_with_the_second():
    found = numbers(
        [
            article(
                "wire",
                "A magnitude 7.8 earthquake struck southern Turkey on Monday.\n\n"
                "A second quake of magnitude 7.5 struck the region in the afternoon.",
                published="2023-02-06",
            ),
            article(
                "paper",
                "The agency said the first earthquake in southern Turkey measured 7.7 and was "
                "followed by a second of 7.6.",
                published="2023-02-07",
            ),
        ]
    )
    assert sorted(found) == [["magnitude 7.5", "magnitude 7.6"], ["magnitude 7.7", "magnitude 7.8"]]


def test_a_pronoun_subject_is_the_name_of_the_sentence_before():
    found = numbers(
        [
            article(
                "paper",
                "Pedro Sanchez, the Socialist prime minister, confounded the polls in Spain.\n\n"
                "His party won 121 seats in the election on Sunday.",
                published="2023-07-25",
            ),
            article(
                "wire",
                "Prime Minister Pedro Sanchez's Socialists won 122 seats in the election in "
                "Spain on Sunday.",
                published="2023-07-24",
            ),
        ]
    )
    assert found == [["121 seats", "122 seats"]]


def test_a_could_figure_and_a_background_years_toll_are_no_sides():
    found = numbers(
        [
            article(
                "wire",
                "The floods in Derna killed 11,300 people, the Red Crescent said.\n\n"
                "The mayor of Derna said the toll could rise to 20,000.",
            ),
            article(
                "paper",
                "The floods in Derna killed 11,300 people, the Red Crescent said.\n\n"
                "A flood in Derna in 1959 killed more than 50,000 people.",
            ),
        ]
    )
    assert found == []


def test_amounts_far_apart_are_two_things_not_one_disagreement():
    found = numbers(
        [
            article(
                "wire",
                "The court blocked Biden's plan to cancel $430 billion in student loan debt.",
                published="2023-06-30",
            ),
            article(
                "paper",
                "Biden's student loan plan would have cancelled up to $10,000 in debt per "
                "borrower before the court blocked it.",
                published="2023-07-01",
            ),
        ]
    )
    assert found == []


def test_outcome_sides_leave_out_the_plans_of_other_actors():
    reports = [
        article(
            "wire",
            "European Union countries on Tuesday gave final approval to a law that will ban "
            "new combustion-engine cars from 2035.",
            published="2023-03-28",
        ),
        article(
            "paper",
            "A vote by European Union countries on the ban on new combustion-engine cars has "
            "been postponed after Germany objected.\n\nCarmakers such as Volkswagen have "
            "announced plans to sell only electric cars by 2030.",
            published="2023-03-03",
        ),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    (group,) = result.groups
    (outcome,) = [d for d in group.divergences if d.kind == "outcome"]
    texts = [c.text for side in outcome.sides for c in side.claims]
    assert any("final approval" in t for t in texts) and any("postponed" in t for t in texts)
    assert not any("Volkswagen" in t for t in texts)


def test_the_overview_never_opens_on_a_pronoun():
    reports = [
        article(
            "brief",
            "It measured 7.8 and was the strongest quake to hit Turkey in decades.",
            published="2023-02-06",
        ),
        article(
            "wire",
            "A magnitude 7.8 earthquake struck Turkey on Monday, the strongest quake to hit "
            "Turkey in decades.\n\nThousands of buildings collapsed in Gaziantep and Hatay.",
            published="2023-02-06",
        ),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    assert result.groups[0].points[0].text.startswith("It measured")  # the top point
    assert result.overview and not result.overview.startswith("It ")


def test_a_claim_without_figures_is_backed_by_the_same_claim_with_one():
    reports = [
        article(
            "brief",
            "The Supreme Court struck down President Biden's student loan forgiveness plan "
            "on Friday.",
            published="2023-06-30",
        ),
        article(
            "wire",
            "The Supreme Court on Friday struck down President Biden's plan to forgive $430 "
            "billion in student loans.",
            published="2023-06-30",
        ),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    (group,) = result.groups
    backed = [p for p in group.points if p.text.startswith("The Supreme Court struck down")]
    assert backed and backed[0].sources == ["brief", "wire"]


def test_a_stale_lower_bound_of_a_toll_is_a_side_a_close_one_is_not():
    stale = numbers(
        [
            article(
                "wire", "Hurricane Otis hit Acapulco, killing at least 27 people.", "2023-10-26"
            ),
            article(
                "paper",
                "The number of people killed by Hurricane Otis in Acapulco rose to 39.",
                "2023-10-28",
            ),
        ]
    )
    assert stale == [["at least 27 people", "39 people"]]
    close = numbers(
        [
            article("wire", "The quake in Morocco killed more than 2,000 people.", "2023-09-10"),
            article(
                "paper", "The quake in Morocco killed 2,012 people, officials said.", "2023-09-10"
            ),
        ]
    )
    assert close == []


def test_what_had_happened_before_is_no_outcome_side():
    reports = [
        article(
            "wire",
            "Microsoft completed its takeover of Activision on Friday after the regulator "
            "approved the deal.\n\nThe regulator had blocked the original deal in April.",
            published="2023-10-13",
        ),
        article(
            "paper",
            "The regulator approved the deal for Activision after Microsoft sold cloud rights.",
            published="2023-10-14",
        ),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    (group,) = result.groups
    assert [d for d in group.divergences if d.kind == "outcome"] == []


def test_two_figures_both_the_lowest_since_are_not_one_question():
    found = numbers(
        [
            article(
                "wire",
                "Keir Starmer's Labour won the UK election on Thursday.\n\n"
                "Turnout was about 60%, the lowest since 2001.",
                "2024-07-05",
            ),
            article(
                "paper",
                "Keir Starmer's Labour won the UK election on Thursday.\n\n"
                "It took 34% of the vote, the lowest share for a winner since 1945.",
                "2024-07-06",
            ),
        ]
    )
    assert found == []


def test_the_ends_of_a_range_are_no_sides():
    found = numbers(
        [
            article(
                "wire",
                "The central bank of Norland held its key rate in a range of 3.25%-3.5% on "
                "Tuesday.",
            ),
            article(
                "paper",
                "The central bank of Norland kept its key rate between 3.25 and 3.5 per cent "
                "yesterday, as markets had expected.",
            ),
            article(
                "brief",
                "The central bank of Norland held its key rate at 3.25% on Tuesday.\n\n"
                "Fines for the other firms ranged from three to 15 years of profits.",
            ),
        ]
    )
    assert found == []


def test_a_change_by_one_figure_to_another_is_no_range():
    from pipeline.synthesis.claims import quantities

    cut = quantities("The bank cut its key rate by 0.5 percentage point to 1.25% on Friday.")
    assert [(q.value, q.ranged) for q in cut] == [(0.5, False), (1.25, False)]
    rose = quantities("Prices rose from 3% to 4.5% in May.")
    assert [q.ranged for q in rose] == [False, False]
    assert [q.ranged for q in quantities("Terms of three to 15 years were handed down.")] == [True]


def test_words_after_a_comma_belong_to_the_next_figure():
    found = numbers(
        [
            article(
                "wire",
                "The Liberal Union of Norland won the election on Sunday.\n\n"
                "The Liberal Union took 40 seats, with 21.5% of the vote, on a turnout of "
                "70.2 per cent.",
            ),
            article(
                "paper",
                "The Liberal Union of Norland won the election on Sunday.\n\nTurnout was 71.2%.",
            ),
        ]
    )
    assert found == [["70.2%", "71.2%"]]


def test_a_new_noun_after_and_is_a_new_thing_not_the_figure_before():
    found = numbers(
        [
            article(
                "wire",
                "The Norland central bank held its rate on Wednesday.\n\n"
                "Officials now see growth of 2.1 per cent this year and unemployment peaking "
                "at 4.4 per cent next year.",
                "2023-09-20",
            ),
            article(
                "paper",
                "The Norland central bank held its rate on Wednesday.\n\n"
                "The median official now sees growth of 2.1% this year and the rate at 5.1% at "
                "the end of next year.",
                "2023-09-20",
            ),
        ]
    )
    assert found == []


LEAD = "Carmaker Norbil said on Friday its quarterly operating profit halved on weak sales.\n\n"


def test_a_verb_of_change_alone_does_not_tie_two_figures():
    found = numbers(
        [
            article("wire", LEAD + "Its revenue fell 6.7% in the quarter.", "2024-10-25"),
            article("paper", LEAD + "Its shares fell 1.5% in early trading.", "2024-10-25"),
            article("brief", LEAD + "Deliveries of its cars fell by 13%.", "2024-10-25"),
        ]
    )
    assert found == []


def test_a_higher_toll_keeps_a_round_lower_bound():
    found = numbers(
        [
            article(
                "wire",
                "More than 2,000 people were killed in the floods in Varna, officials said.",
                "2023-09-12",
            ),
            article("paper", "The floods in Varna killed 3,958 people, the UN said.", "2023-09-17"),
            article(
                "brief", "The floods in Varna killed 5,300 people, a minister said.", "2023-09-17"
            ),
        ]
    )
    assert found == [["3,958 people", "5,300 people"]]


def test_may_the_month_is_no_hedge():
    from pipeline.synthesis.claims import read_claim

    claim = read_claim("Prices rose 2% in May, the statistics office said.", None)
    assert [f.hedged for f in claim.figures if f.quantity is not None] == [False]
    claim = read_claim("Prices may rise 2% next year, the office said.", None)
    assert [f.hedged for f in claim.figures if f.quantity is not None] == [True]


def test_the_value_a_change_started_from_is_no_side():
    found = numbers(
        [
            article(
                "wire",
                LEAD + "Its operating margin shrank to 3.6% from 6.2% a year earlier.",
                "2024-10-30",
            ),
            article("paper", LEAD + "The operating margin fell to 3.2%, it said.", "2024-10-30"),
            article(
                "brief",
                LEAD + "It earned nearly 2.9 billion euros in operating profit, compared with "
                "4.9 billion euros in the same period last year.\n\n"
                "A year earlier it had reported an operating profit of 4.89 billion euros.",
                "2024-10-30",
            ),
        ]
    )
    assert found == [["3.2%", "3.6%"]]


def test_net_and_operating_profit_are_two_figures():
    found = numbers(
        [
            article("wire", LEAD + "Net profit was 1.9 billion euros.", "2024-10-25"),
            article(
                "paper",
                LEAD + "Operating profit more than halved to around 2.5 billion euros.",
                "2024-10-25",
            ),
        ]
    )
    assert found == []


def test_an_opening_when_clause_is_the_time_not_an_outcome():
    reports = [
        article(
            "wire",
            "Norbil completed its takeover of Vantix on Friday after the regulator approved "
            "the revised deal.",
            published="2023-10-13",
        ),
        article(
            "paper",
            "When the regulator blocked Norbil's takeover of Vantix in April, the deal "
            "looked dead.\n\nThe regulator approved the revised deal for Vantix this week.",
            published="2023-10-14",
        ),
    ]
    result = synthesize(reports, CONFIG, False, "extractive")
    (group,) = result.groups
    assert [d for d in group.divergences if d.kind == "outcome"] == []


def test_the_yardstick_after_well_above_the_is_no_side():
    found = numbers(
        [
            article(
                "wire",
                "Voters in Maravia elected Ilse Korv president on Sunday.\n\n"
                "Turnout was 58.4%, well above the 47.1% recorded in the first round.",
                "2024-03-11",
            ),
            article(
                "paper",
                "Voters in Maravia elected Ilse Korv president on Sunday.\n\n"
                "Turnout was 55.9 per cent, the electoral commission said.",
                "2024-03-11",
            ),
        ]
    )
    assert found == [["55.9%", "58.4%"]]


def test_an_earlier_event_told_after_days_after_is_no_side():
    found = numbers(
        [
            article(
                "wire",
                "A cargo ferry sank off Port Arlen on Monday, killing 64 people.\n\n"
                "The sinking came three weeks after a tour boat capsized on Lake Visk, "
                "killing 12 people.",
                "2024-07-02",
            ),
            article(
                "paper",
                "A cargo ferry sank off Port Arlen on Monday, killing 64 people, the coast "
                "guard said.",
                "2024-07-02",
            ),
        ]
    )
    assert found == []


def test_a_part_of_a_smaller_whole_is_no_side_of_a_larger_toll():
    found = numbers(
        [
            article(
                "wire",
                "The coach crash near Tolvan killed 31 people, police said on Tuesday.",
                "2024-05-08",
            ),
            article(
                "paper",
                "The coach crash near Tolvan killed 28 of the 29 people on board, police "
                "said on Tuesday.",
                "2024-05-08",
            ),
        ]
    )
    assert found == []


def test_a_part_within_reach_of_the_other_figure_is_still_a_side():
    found = numbers(
        [
            article(
                "wire", "The Unity party won 212 of the 400 seats in Sunday's vote.", "2024-05-08"
            ),
            article("paper", "The Unity party won 209 seats in Sunday's vote.", "2024-05-08"),
        ]
    )
    assert len(found) == 1


def test_an_estimate_is_no_side_of_the_count():
    found = numbers(
        [
            article(
                "live",
                "Polls have closed in Maravia.\n\nTurnout is estimated at 66.2%.",
                "2024-03-10",
            ),
            article(
                "wire",
                "Polls closed in Maravia on Sunday.\n\nTurnout was 64.9%, the commission said.",
                "2024-03-11",
            ),
        ]
    )
    assert found == []
