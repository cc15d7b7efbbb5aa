"""Disagreements by kind, each from sentences written for these tests: counts, money
with currency and scale, rates and basis points, dates and weekdays, lengths, who held a
role, where, outcomes, attributed figures; and stories kept together by a name only
their sources use (issue 13)."""

from __future__ import annotations

from synthesis_helpers import brief, divergences, english_source


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
