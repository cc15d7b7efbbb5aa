"""Sentences read as claims: figures with unit, sign and qualifier; names; story groups."""

from __future__ import annotations

from pipeline.synthesis.claims import Aliases, entities, known_names, quantities, read_claim
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
