"""Sentences read as claims: figures with unit, sign and qualifier; names; story groups."""

from __future__ import annotations

from pipeline.synthesis.claims import (
    PEOPLE,
    Aliases,
    entities,
    known_names,
    quantities,
    read_claim,
    referent,
)
from pipeline.synthesis.groups import GroupInput, cluster_sparse, story_groups, usable_headline
from pipeline.synthesis.timeline import PartialDate


def figures(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in quantities(text)]


def test_basis_points_percentage_points_and_a_quarter_point_are_one_figure():
    assert figures("raised rates by 25 basis points") == [(0.25, "pp")]
    assert figures("raised rates by 0.25 percentage points") == [(0.25, "pp")]
    assert figures("a rise of a quarter of a percentage point") == [(0.25, "pp")]
    assert figures("the quarter-point move") == [(0.25, "pp")]


def test_a_negative_figure_keeps_its_sign_and_disagrees_with_the_positive():
    (minus,) = quantities("The economy shrank by -0.5% in the quarter.")
    (plus,) = quantities("The economy grew by 0.5% in the quarter.")
    assert (minus.value, plus.value) == (-0.5, 0.5)
    assert not minus.agrees(plus)


def test_qualified_figures_agree_within_their_bounds():
    (over,) = quantities("winds of more than 200 km/h")
    (exact,) = quantities("gusts of 207 km/h")
    assert over.agrees(exact)
    (seven,) = quantities("at least seven people died")
    (ten,) = quantities("at least ten people died")
    assert not seven.agrees(ten)


def test_the_size_in_n_of_the_total_is_not_a_figure_of_its_own():
    assert figures("taking 37 of the 150 seats in parliament") == [(37.0, "seat")]
    assert figures("won 194 seats in the 460-seat Sejm") == [(194.0, "seat")]


def test_a_bare_figure_takes_the_unit_before_it_only_after_a_linking_word():
    assert figures("projected to win 26 seats, ahead of the VVD on 23.") == [
        (26.0, "seat"),
        (23.0, "seat"),
    ]
    assert figures("Nine members met, and six backed the increase.") == [
        (9.0, "member"),
        (6.0, "member"),
    ]
    assert figures("wanted a rise of half a point and one voted to hold.") == [(0.5, "pp")]


def test_money_years_times_and_scores_are_told_apart():
    assert figures("a 50 billion euro package") == [(5e10, "eur")]
    assert figures("in 2023, at 11:17, after a 6-3 vote") == []
    assert figures("thirty countries and 31 members") == [(30.0, "member"), (31.0, "member")]


def test_acronyms_and_bracketed_short_forms_are_one_name():
    texts = [
        "The European Central Bank raised rates.",
        "The ECB said inflation would fall.",
        "the nationalist Law and Justice (PiS) party lost power.",
    ]
    aliases = Aliases.learn(texts)
    assert entities(texts[0], aliases) == ["ecb"]
    known = known_names(texts)
    assert entities("Voters punished Law and Justice.", aliases, known) == ["pis"]


def test_a_capital_that_only_starts_a_sentence_is_no_name():
    known = known_names(["Results in Poland came late.", "In Warsaw, Tusk spoke."])
    assert entities("Turnout was high in Poland.", known=known) == ["poland"]
    assert entities("Tusk told supporters in Warsaw.", known=known) == ["tusk", "warsaw"]


def test_a_possessive_ends_a_name():
    assert entities("He said Lagarde's ECB hikes again.") == ["lagarde", "ecb"]


def test_a_figure_is_read_with_what_it_is_about_and_when():
    claim = read_claim(
        "ECB staff expect inflation to average 5.6% this year and 3.2% in 2024.",
        PartialDate(2023, 9, 14),
    )
    quantities_only = [f for f in claim.figures if f.quantity is not None]
    assert [(f.quantity.value, f.when) for f in quantities_only] == [(5.6, "2023"), (3.2, "2024")]
    assert all("inflation" in f.attribute for f in quantities_only)
    assert all("ecb" in f.subject for f in quantities_only)


def test_a_dateline_prefix_is_not_read_as_a_name():
    claim = read_claim("LONDON, Aug 3 - The Bank of England raised rates.", None)
    assert "london" not in claim.names and "bank of england" in claim.names


# ------------------------------------------------------------------------------ groups


def source(headline: str, *sentences: str) -> GroupInput:
    return GroupInput(headline, list(sentences), PartialDate(2023, 9, 14))


ECB = [
    source(
        "ECB lifts deposit rate to record 4%",
        "The European Central Bank raised its deposit rate by 25 basis points to 4% on Thursday.",
        "President Christine Lagarde said a solid majority backed the move.",
    ),
    source(
        "Lagarde's ECB hikes again",
        "The ECB on Thursday raised interest rates for the tenth time, to 4%.",
        "Inflation is expected to average 5.6% this year.",
    ),
]
BOE = [
    source(
        "Bank of England raises rates to 5.25%",
        "The Bank of England raised interest rates by 25 basis points to 5.25% on Thursday.",
        "Governor Andrew Bailey said inflation would fall.",
    ),
    source(
        "Bailey's Bank pushes rates higher",
        "The Bank of England lifted its base rate to 5.25%, the 14th rise in a row.",
        "Inflation is expected to fall to 4.9% by the end of the year.",
    ),
]


def test_two_rate_decisions_alike_in_words_are_two_stories():
    assert story_groups(ECB + BOE) == [[0, 1], [2, 3]]


def test_sources_interleaved_still_group_by_story():
    assert story_groups([ECB[0], BOE[0], ECB[1], BOE[1]]) == [[0, 2], [1, 3]]


def test_average_linkage_does_not_chain_two_stories_through_a_bridge():
    # Single linkage would chain 0-1-2 at 0.6; the average of 0 to {1, 2} is 0.3.
    similarity = {(0, 1): 0.6, (1, 2): 0.8}
    assert cluster_sparse(3, similarity, 0.5) == [[0], [1, 2]]
    assert cluster_sparse(3, similarity, 0.2) == [[0, 1, 2]]


def test_a_pair_kept_apart_pulls_its_clusters_apart():
    assert cluster_sparse(3, {(0, 1): 0.9, (1, 2): 0.5, (0, 2): -1.0}, 0.2) == [[0, 1], [2]]


def test_a_title_case_headline_says_nothing_about_names():
    assert usable_headline("Storm Batters West Coast As Thousands Flee") is None
    assert usable_headline("Storm Ciaran batters western Europe") is not None


# ----------------------------------------------------- figures said in other words (issue 13)


def units(text: str) -> list[tuple[float, str, str]]:
    return [(q.value, q.unit, q.qualifier) for q in quantities(text)]


def test_a_bare_figure_after_measured_is_a_magnitude():
    assert units("It measured 7.8 and was the strongest in decades.") == [(7.8, "magnitude", "=")]
    # A reading with its own unit keeps it.
    assert units("The snow measured 30 cm in places.") == [(30.0, "cm", "=")]


def test_a_bare_death_toll_and_the_number_of_people_killed_count_people():
    assert units("The death toll from the floods has risen to more than 6,000.") == [
        (6000.0, PEOPLE, ">=")
    ]
    assert units("The number of people killed rose above 5,000 this morning.") == [
        (5000.0, PEOPLE, ">=")
    ]


def test_a_bare_figure_before_were_injured_counts_people():
    assert units("He said more than 2,000 were injured.") == [(2000.0, PEOPLE, ">=")]


def test_residents_the_dead_marchers_and_a_plural_demonym_all_count_people():
    for text in (
        "About 350,000 residents were evacuated.",
        "Rescuers reported more than 800 dead.",
        "The union counted 400,000 marchers.",
        "About 43 million Americans would have been eligible.",
    ):
        assert [q.unit for q in quantities(text)] == [PEOPLE], text


def test_a_four_day_strike_is_96_hours_and_a_two_day_summit_no_figure():
    assert (
        units("began a four-day walkout") == units("began a 96-hour walkout") == [(96.0, "h", "=")]
    )
    assert units("a two-day summit in Brussels") == []


def test_a_million_and_half_a_million_are_figures():
    assert units("More than a million people marched.") == [(1e6, PEOPLE, ">=")]
    assert units("half a million people marched") == [(5e5, PEOPLE, "=")]


def test_as_many_as_is_an_upper_bound():
    assert units("as many as 20,000 people died") == [(20000.0, PEOPLE, "<=")]


def test_a_bare_figure_takes_no_unit_from_a_figure_far_before_it():
    text = (
        "More than a million people took to the streets across France on Thursday to "
        "protest against the plan to raise the retirement age from 62 to 64."
    )
    assert units(text) == [(1e6, PEOPLE, ">=")]
    # Close after, it does: "ahead of the VVD on 23".
    assert [q.unit for q in quantities("The PVV won 37 seats, ahead of the VVD on 24.")] == [
        "seat",
        "seat",
    ]


def test_a_figure_listed_after_including_counts_what_the_sentence_counts_first():
    text = "1.12 million people marched in more than 200 towns, including 80,000 in Paris."
    assert [q.unit for q in quantities(text)] == [PEOPLE, "town", PEOPLE]


def test_a_leading_pronoun_stands_for_the_first_name_of_the_sentence_before():
    claim = read_claim("His party won 121 seats on Sunday.", None, context="pedro sanchez")
    assert {"pedro", "sanchez"} <= claim.figures[0].subject
    assert claim.lead_name == "pedro sanchez"
    plain = read_claim("The party won 121 seats on Sunday.", None, context="pedro sanchez")
    assert "pedro" not in plain.figures[0].subject


def test_a_figure_knows_its_place_rank_hedge_and_what_befell_the_people():
    (paris,) = read_claim("In Paris, the CGT union counted 400,000 marchers.", None).figures
    assert (paris.place, paris.kind) == ("paris", "protest")
    national, _towns, city = read_claim(
        "The ministry said 1.12 million people marched in 200 towns, including 80,000 in Paris.",
        None,
    ).figures
    assert national.place is None and city.place == "paris" and city.kind == "protest"
    first, second = [
        f
        for f in read_claim(
            "The first quake measured 7.7 and was followed by a second of 7.6.", None
        ).figures
        if f.quantity is not None and f.quantity.unit == "magnitude"
    ]
    assert (first.rank, second.rank) == (1, 2)
    (could,) = read_claim("The mayor said the toll could rise to 20,000.", None).figures
    assert could.hedged
    dead, missing = read_claim("5,300 people are feared dead and 10,000 are missing.", None).figures
    assert (dead.kind, missing.kind) == ("dead", "missing")


def test_a_figure_in_a_sentence_about_a_past_year_is_that_years():
    reference = PartialDate(2023, 2, 7)
    (old,) = [
        f
        for f in read_claim(
            "The last quake of this size, in 1999, killed more than 17,000 people.", reference
        ).figures
        if f.quantity is not None
    ]
    assert old.when == "1999"
    # "since" starts a period: the figure is still the news's.
    (turnout,) = [
        f
        for f in read_claim(
            "Turnout was 74.4%, the highest since the fall of communism in 1989.",
            PartialDate(2023, 10, 16),
        ).figures
        if f.quantity is not None
    ]
    assert turnout.when is None


def test_a_country_adjective_is_the_country():
    aliases = Aliases()
    assert "france" in entities("Protesters marched in Paris and other French cities.", aliases)
    assert entities("The French Open champion", aliases) == ["french open"]


def test_a_dateline_with_a_country_is_left_off():
    claim = read_claim("BENGHAZI, Libya, Sept 12 - More than 5,300 people died.", None)
    assert claim.text == "More than 5,300 people died."


def test_he_stands_for_the_person_named_before_not_the_first_name():
    before = read_claim("Argentines on Sunday handed the presidency to Javier Milei.", None)
    assert referent(before, "He beat Sergio Massa, taking 14.4 million votes.") == "javier milei"
    assert referent(before, "It was a landslide.") == before.ordered_names[0]
    claim = read_claim(
        "He beat Sergio Massa, taking 14.4 million votes.", None, context="javier milei"
    )
    (votes,) = [f for f in claim.figures if f.quantity is not None and f.quantity.unit == "vot"]
    assert {"milei", "massa"} <= votes.subject


def test_since_a_year_is_no_year_of_the_figure():
    (seats,) = read_claim(
        "Hipkins saw his party win 35 seats, its worst result since 2017.",
        PartialDate(2023, 10, 16),
    ).figures[:1]
    assert seats.when is None


def test_two_rulings_a_week_apart_on_one_man_are_two_stories():
    colorado = [
        GroupInput(
            "Colorado court bars Trump from primary ballot",
            [
                "Colorado's Supreme Court ruled on Tuesday that Donald Trump cannot appear on "
                "the state's primary ballot, overturning a lower court judge.",
                "The 4-3 decision was paused until January 4 to allow an appeal.",
            ],
            PartialDate(2023, 12, 19),
        ),
        GroupInput(
            "Trump removed from Colorado ballot",
            [
                "Colorado's top court on Tuesday disqualified Donald Trump from the state's "
                "primary ballot over his role in the attack on the Capitol."
            ],
            PartialDate(2023, 12, 20),
        ),
    ]
    maine = [
        GroupInput(
            "Maine election chief removes Trump from ballot",
            [
                "Maine's secretary of state, Shenna Bellows, ruled on Thursday that Donald "
                "Trump is not eligible, making Maine the second state after Colorado.",
                "Bellows suspended her decision until the courts rule on an appeal.",
            ],
            PartialDate(2023, 12, 28),
        ),
        GroupInput(
            "Maine bars Trump",
            [
                "Maine's secretary of state on Thursday barred Donald Trump from the state's "
                "primary ballot, citing the insurrection clause."
            ],
            PartialDate(2023, 12, 28),
        ),
    ]
    items = [colorado[0], maine[0], colorado[1], maine[1]]
    assert story_groups(items) == [[0, 2], [1, 3]]
    # Undated, the same sources are one story: the days are what tells them apart.
    undated = [GroupInput(i.headline, i.sentences, None) for i in items]
    assert story_groups(undated) == [[0, 1, 2, 3]]


def test_a_lone_brief_joins_the_story_that_names_its_actor():
    items = [
        GroupInput(
            "Wildfire destroys Hawaii town",
            [
                "A wildfire swept through the town of Lahaina on the island of Maui, killing "
                "at least 36 people, officials said.",
                "Winds from Hurricane Dora fanned the flames in Lahaina.",
            ],
            PartialDate(2023, 8, 10),
        ),
        GroupInput(
            "Lahaina's long night",
            [
                "Eighty people are now known to have died in the fire that tore through "
                "Lahaina, the deadliest in a century.",
                "More than 2,200 buildings in Lahaina were destroyed, officials said.",
            ],
            PartialDate(2023, 8, 12),
        ),
        GroupInput(
            "Maui fire toll rises",
            ["The number of people killed in the Maui wildfire has risen to 55, officials said."],
            PartialDate(2023, 8, 11),
        ),
        GroupInput(
            "Messi picks Inter Miami",
            ["Lionel Messi said on Wednesday he would join Inter Miami, officials said."],
            PartialDate(2023, 6, 8),
        ),
    ]
    assert story_groups(items) == [[0, 1, 2], [3]]


def test_a_rounded_figure_agrees_with_the_precise_one_it_rounds():
    (rounded,) = quantities("the $69 billion takeover")
    (precise,) = quantities("the $68.7 billion acquisition")
    assert rounded.agrees(precise)
    (weeks,) = quantities("ending a six-week strike")
    (days,) = quantities("ending a 41-day walkout")
    assert weeks.agrees(days)
    # Both written to one decimal: 7.8 is not 7.7; whole counts are exact.
    (a,) = quantities("a magnitude 7.8 quake")
    (b,) = quantities("a magnitude 7.7 quake")
    assert not a.agrees(b)
    (x,) = quantities("won 121 seats")
    (y,) = quantities("won 122 seats")
    assert not x.agrees(y)


def test_a_category_number_is_a_label_not_a_figure_or_an_actor():
    text = "Idalia made landfall as a Category 3 storm, cutting power to 220,000 customers."
    assert [q.unit for q in quantities(text)] == ["customer"]
    assert "category" not in entities(text)


def test_the_fate_nearest_a_count_is_its_fate():
    (dead,) = read_claim(
        "Otis struck Acapulco, killing at least 27 people and leaving the city without power.",
        None,
    ).figures
    assert dead.kind == "dead"


def test_bare_figures_named_by_measured_at_a_fate_count_or_a_fate_verb():
    assert units("The agency measured yesterday's earthquake at 7.2.") == [(7.2, "magnitude", "=")]
    assert units("The number of injured stood at 1,011 this morning.") == [(1011.0, PEOPLE, "=")]
    assert units("The quake killed nine people, injuring more than 1,000.") == [
        (9.0, PEOPLE, "="),
        (1000.0, PEOPLE, ">="),
    ]


def test_the_start_of_a_range_takes_the_unit_of_its_end():
    assert units("It lifted its rate to a range of 0 to 0.1% from -0.1%.") == [
        (0.0, "%", "="),
        (0.1, "%", "="),
        (-0.1, "%", "="),
    ]


def test_no_count_of_things_is_a_fraction():
    assert units("a 7.6 tremor killed about 2,400 people") == [(2400.0, PEOPLE, "~")]
