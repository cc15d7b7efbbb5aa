"""Story grouping: which sources tell one story (pipeline/synthesis/groups.py).

Each test is a small made-up story of our own: a live blog beside the wire, a figure
and its rounding, a people and its country, a title that differs by paper, a feature
that opens on a scene, a paper in house style against the wire; and the look-alikes
that must stay apart."""

from __future__ import annotations

from pipeline.synthesis.claims import Aliases, known_names, quantities
from pipeline.synthesis.groups import (
    GroupInput,
    learn_variants,
    main_actor,
    person,
    read_run,
    story_groups,
    whole_figure,
    without_stamp,
)
from pipeline.synthesis.timeline import PartialDate

SUNDAY = PartialDate(2025, 5, 18)
MONDAY = PartialDate(2025, 5, 19)


def _figure(text: str) -> float | None:
    (quantity,) = quantities(text)
    return whole_figure(quantity)


def _actor(item: GroupInput, others: list[GroupInput]) -> str | None:
    items, aliases, known = read_run([item, *others])
    return main_actor(items[0], aliases, known)


# ------------------------------------------------------------------ live-blog stamps


def test_a_live_blogs_clock_time_is_no_part_of_the_entry():
    assert without_stamp("10:40 Early counts show the bill failing.") == (
        "Early counts show the bill failing."
    )
    assert without_stamp("9.05 Confirmed: the motion is lost.") == "Confirmed: the motion is lost."
    # A figure that opens a sentence is no clock time.
    assert without_stamp("12.5% of voters stayed home.") == "12.5% of voters stayed home."


def test_a_live_blog_joins_the_wire_though_its_entries_open_with_capitals():
    live = GroupInput(
        "Water vote live: counting under way",
        [
            "08:30 Early counts from the north suggest the water levy is heading for defeat.",
            "11:10 Turnout looks low in the capital.",
            "16:45 Confirmed: the water levy is rejected with 61.4% against.",
        ],
        SUNDAY,
    )
    wire = GroupInput(
        "Voters throw out the water levy",
        [
            "Voters rejected the proposed water levy in a referendum on Sunday, the electoral "
            "office said.",
            "The levy was defeated by 61.4% to 38.6%, with turnout at 47.2%.",
        ],
        SUNDAY,
    )
    assert _actor(live, [wire]) is None  # not "early", not "confirmed"
    assert story_groups([live, wire]) == [[0, 1]]


# ------------------------------------------------------------------ rounded figures


def test_a_large_figure_with_decimals_meets_its_rounding():
    assert _figure("The levy was rejected by 61.4% of voters.") == 61
    assert _figure("About 58.72% voted yes.") == 59
    assert _figure("The deal is worth $12.6 billion.") == 13e9


def test_small_figures_keep_their_decimals():
    # A rate, a growth figure, a profit in billions: the decimals are the news.
    assert _figure("The bank raised its rate to 4.75%.") is None
    assert _figure("The economy grew 0.4% in the quarter.") is None
    assert _figure("Operating profit fell to 2.38 billion euros.") is None
    assert _figure("Turnout was 61%.") is None  # nothing to round


# ------------------------------------------------------------------ names


def test_a_people_its_plural_and_its_country_are_one_name():
    texts = [
        "Uzbekistan held a vote on Sunday.",
        "Most Uzbeks backed the change.",
        "Uzbek officials said turnout was high.",
    ]
    aliases = Aliases.learn(texts)
    known = learn_variants(texts, aliases, known_names(texts))
    assert {"uzbek", "uzbeks", "uzbekistan"} <= known
    assert aliases.key("uzbeks") == aliases.key("uzbekistan") == "uzbek"
    # A country's adjective still leads to the country.
    texts = ["Israeli officials met.", "Two Israelis were hurt, police in Israel said."]
    aliases = Aliases.learn(texts)
    learn_variants(texts, aliases, known_names(texts))
    assert aliases.key("israelis") == "israel"


def test_a_short_word_and_an_ending_are_no_name_variant():
    texts = ["Mila flew to Milan.", "Later Mila and Milan met."]
    aliases = Aliases.learn(texts)
    learn_variants(texts, aliases, known_names(texts))
    assert aliases.key("milan") == "milan"  # "Mila" has four letters: no base


def test_a_titled_person_is_the_person_whatever_the_title():
    assert person("finance minister maria lenz") == "maria lenz"
    assert person("premier maria lenz") == "maria lenz"
    assert person("maria lenz") == "maria lenz"
    assert person("bank of england") == "bank of england"  # a connector: kept whole


# ------------------------------------------------------------------ main actor


def test_a_scene_in_a_features_opening_is_no_main_actor():
    feature = GroupInput(
        "Tears at the pithead as the last men come up",
        [
            "Families in Copiapo wept as the cage reached the surface just after dawn.",
            "The rescue, run by engineers from three countries, took 19 days.",
            "The mining minister of Chile said all 12 men were in good health.",
            "Mines across Chile will face new safety checks, he said.",
        ],
        MONDAY,
    )
    assert _actor(feature, []) == "chile"
    wire_style = GroupInput(
        None,
        [
            "Copiapo declared a day of celebration on Monday after the rescue.",
            "The mayor of Copiapo said the town would honour the miners.",
            "The president of Chile sent his thanks.",
        ],
        MONDAY,
    )
    assert _actor(wire_style, []) == "copiapo"  # named again: the wire's actor


def test_a_feature_that_opens_on_a_scene_joins_its_story():
    wire = GroupInput(
        "Atacama miners freed after 19 days underground",
        [
            "Rescuers in Atacama brought the last of 12 trapped copper miners to the surface "
            "on Monday, 19 days after a tunnel collapsed.",
            "The mining ministry of Chile said all 12 men were in good health.",
        ],
        MONDAY,
    )
    brief = GroupInput(
        "Atacama rescue ends",
        ["All 12 miners trapped in an Atacama copper mine in northern Chile were freed on Monday."],
        MONDAY,
    )
    feature = GroupInput(
        "Tears at the pithead as the last men come up",
        [
            "Families in Copiapo wept on Monday as the cage reached the surface.",
            "The rescue, run by engineers from three countries, took 19 days.",
            "The mining minister of Chile said all 12 trapped miners were in good health.",
            "Mines across Chile will face new safety checks, he said.",
        ],
        MONDAY,
    )
    assert story_groups([wire, brief, feature]) == [[0, 1, 2]]


# ------------------------------------------------------------------ corroboration

WIRE = GroupInput(
    "Voters reject change to marriage clause",
    [
        "Voters have rejected a proposal to change the constitution's wording on marriage, "
        "results showed on Sunday.",
        "The amendment was defeated by 63.8% to 36.2%.",
        "Prime Minister Petra Holm said the government accepted the result.",
    ],
    SUNDAY,
)


def _paper(day_word: str) -> GroupInput:
    return GroupInput(
        "Heavy defeat for Cabinet as count closes at the Royal Hall",
        [
            f"The Cabinet's plan to rewrite the Charter ended at the Royal Hall on {day_word} "
            "evening, when the last tallies came in.",
            "Almost 64% voted No, one of the worst results for a Cabinet-backed proposal in "
            "the Republic's history.",
            "Taoiseach Petra Holm said the Cabinet had misread the mood.",
        ],
        MONDAY,
    )


def test_one_day_one_name_and_one_figure_make_one_story():
    # The paper's capitals (Cabinet, Charter, Royal Hall, Republic) are names the wire
    # never writes; the day, the person and the figure (63.8% is "almost 64%") are one.
    assert story_groups([WIRE, _paper("Sunday")]) == [[0, 1]]


def test_without_the_same_day_the_paper_stays_apart():
    # Told on another day the same pair is not corroborated, and too unlike to join.
    assert story_groups([WIRE, _paper("Friday")]) == [[0], [1]]


def test_two_central_banks_on_one_day_stay_two_stories():
    # Same day, a shared quarter point and a shared third name: two main actors.
    riks = GroupInput(
        "Riksbank lifts rate by a quarter point",
        [
            "The Riksbank raised its policy rate by 25 basis points to 3.75% on Thursday.",
            "The Federal Reserve is expected to hold, the Riksbank said.",
        ],
        PartialDate(2025, 5, 15),
    )
    norges = GroupInput(
        "Norges Bank raises rates",
        [
            "Norges Bank raised its key rate by 25 basis points to 4.5% on Thursday.",
            "Governor Ida Wolden Bache said the Federal Reserve had not been the reason.",
        ],
        PartialDate(2025, 5, 15),
    )
    riks2 = GroupInput(
        "Swedish rates up again",
        ["The Riksbank on Thursday raised interest rates to 3.75%, its fifth rise."],
        PartialDate(2025, 5, 15),
    )
    assert story_groups([riks, norges, riks2]) == [[0, 2], [1]]


def test_two_referendums_on_one_day_stay_two_stories():
    malta = GroupInput(
        "Malta votes for longer terms",
        [
            "Voters in Malta approved longer parliamentary terms in a referendum on Sunday.",
            "About 55.2% voted yes, the electoral commission said.",
        ],
        SUNDAY,
    )
    latvia = GroupInput(
        "Latvia backs voting at 16",
        [
            "Latvia approved lowering the voting age to 16 in a referendum on Sunday.",
            "Some 54.8% voted in favour, officials said.",
        ],
        SUNDAY,
    )
    malta2 = GroupInput(
        "Longer parliament backed in Malta",
        ["Voters approved five-year terms for parliament on Sunday, with 55.2% in favour."],
        SUNDAY,
    )
    assert story_groups([malta, latvia, malta2]) == [[0, 2], [1]]


def test_two_precise_figures_that_round_alike_share_nothing():
    # 55.2% and 54.8% are two counts, not a count and its rounding.
    levy = GroupInput(
        None, ["Voters approved the water levy on Sunday, with 55.2% in favour."], SUNDAY
    )
    school = GroupInput(
        None, ["Voters approved the school reform on Sunday, with 54.8% in favour."], SUNDAY
    )
    assert story_groups([levy, school]) == [[0], [1]]


# ------------------------------------------------- two scene headlines, one subject


def _subject_pair(a: GroupInput, b: GroupInput) -> bool:
    from pipeline.synthesis.groups import _same_subject, _subjects

    items, aliases, known = read_run([a, b])
    tokens = [
        {t for n in set(_subjects_all(i, aliases, known)) for t in [n, *n.split()]} for i in items
    ]
    subjects = [_subjects(i, aliases, known) for i in items]
    return _same_subject(subjects[0], subjects[1], tokens[0], tokens[1])


def _subjects_all(item: GroupInput, aliases: Aliases, known: frozenset[str]) -> list[str]:
    from pipeline.synthesis.groups import names_in

    return [n for s in item.sentences for n in names_in(s, aliases, known)]


MAYOR_LIVE = GroupInput(
    "Live: cheers outside Harbour Hall as the count ends",
    [
        "Supporters packed the steps of Harbour Hall as the last boxes arrived.",
        "The returning officer says the result is minutes away.",
        "Councillors confirm that Marta Quellen has won the mayoralty.",
        "Marta Quellen thanks the volunteers who knocked on doors for a month.",
    ],
)
MAYOR_PROFILE = GroupInput(
    "From Dunmore Quay to the mayor's office",
    [
        "She grew up above a bakery on Dunmore Quay.",
        "Marta Quellen trained as a nurse before she ran for the council.",
        "Friends say Marta Quellen never expected to lead the city.",
    ],
)
BRIDGE_LIVE = GroupInput(
    "Live: queues outside Harbour Hall for the bridge hearing",
    [
        "Residents queued at Harbour Hall for the hearing on the toll bridge.",
        "Engineers from Ostrava Works said the deck needs new cables.",
        "Ostrava Works expects the repairs to take a year.",
    ],
)


def test_two_scene_headlines_about_one_person_share_their_subject():
    assert _subject_pair(MAYOR_LIVE, MAYOR_PROFILE)


def test_pieces_about_different_subjects_share_none():
    assert not _subject_pair(BRIDGE_LIVE, MAYOR_PROFILE)
