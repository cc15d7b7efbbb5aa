"""Round grp10b: what a bracketed short form ("Name (ABC)") is the short form of.

A wire spells a body out once with its initials in brackets; a live blog that writes
only the initials names the same body. The gloss belongs to the name it follows: after a
possessive, to the owned thing, unless the whole phrase's initials spell it (a name with
a possessive inside, "Dock Porters' Guild (DPG)"). Two sets of initials joined by "and"
are two names. Fixtures are our own words.
"""

from __future__ import annotations

from pipeline.synthesis.claims import Aliases, entities
from pipeline.synthesis.groups import GroupInput, names_in, read_run

# ------------------------------------------------------------- a possessive in the name

_SPELT = "The Harbour Porters' Guild (HPG) called the stoppage at dawn on Monday."
_SHORT = "Talks between the HPG and the shipping lines resumed in Corlund on Wednesday."


def test_a_gloss_spelling_the_whole_phrase_keeps_the_possessive_inside_the_name() -> None:
    aliases = Aliases.learn([_SPELT, _SHORT])
    assert entities(_SPELT, aliases)[0] == "hpg"
    again = "The Harbour Porters' Guild said the walkout would go on."
    assert entities(again, aliases) == ["hpg"]


def test_without_a_gloss_a_possessive_still_parts_owner_and_thing() -> None:
    aliases = Aliases.learn(["Corlund's Harbour Board met on Monday."])
    assert entities("Corlund's Harbour Board met on Monday.", aliases) == [
        "corlund",
        "harbour board",
    ]


def test_a_gloss_after_a_possessive_names_the_owned_thing() -> None:
    # "Corlund's Maritime Safety Board (MSB)": the board is MSB, Corlund is its owner.
    text = "Corlund's Maritime Safety Board (MSB) opened an inquiry into the collision."
    aliases = Aliases.learn([text])
    assert aliases.key("maritime safety board") == "msb"
    assert entities(text, aliases)[:2] == ["corlund", "msb"]


def test_a_gloss_after_the_unions_names_the_council_alone() -> None:
    text = "The vote was called by the union's Quay Workers Council (QWC) late on Friday."
    aliases = Aliases.learn([text])
    assert aliases.key("quay workers council") == "qwc"
    assert "union" not in " ".join(aliases.to_key)


def test_a_foreign_short_form_after_a_possessive_goes_to_the_owned_name() -> None:
    # Initials of another language ("PzN") spell neither phrase: the owner stays out.
    text = "Velmora's Party of Renewal (PzN) won the most seats."
    aliases = Aliases.learn([text])
    assert aliases.key("party of renewal") == "pzn"
    assert entities(text, aliases)[:2] == ["velmora", "pzn"]


def test_the_leading_article_is_no_part_of_the_glossed_name() -> None:
    aliases = Aliases.learn(["The Coastal Pilots Association (CPA) agreed."])
    assert aliases.key("coastal pilots association") == "cpa"


def test_a_glossed_name_written_with_the_initials_of_its_part_is_the_same_name() -> None:
    texts = [
        "The Northern Isles Ferry Board (NIFB) cut sailings on Monday.",
        "Ferries to the Northern Isles were full; the NI crossings were cancelled.",
        "The NI Ferry Board said sailings would resume.",
    ]
    aliases = Aliases.learn(texts)
    assert aliases.key("northern isles") == "ni"
    assert aliases.key("ni ferry board") == "nifb"


def test_without_the_initials_seen_a_part_is_not_shortened() -> None:
    texts = [
        "The Northern Isles Ferry Board (NIFB) cut sailings on Monday.",
        "Ferries to the Northern Isles were full.",
    ]
    aliases = Aliases.learn(texts)
    assert aliases.key("ni ferry board") == "ni ferry board"


# ------------------------------------------------------------------ what is no gloss


def test_a_bracket_that_is_no_short_form_is_no_alias() -> None:
    # A year, a lower-case word: neither is another name for what comes before.
    aliases = Aliases.learn(
        ["Storm Orla (2019) flooded the coast.", "Mayor Anka Ris (interview) spoke."]
    )
    assert aliases.key("storm orla") == "storm orla"
    assert aliases.key("mayor anka ris") == "mayor anka ris"


def test_a_hyphenated_prefix_is_no_part_of_the_glossed_name() -> None:
    text = "Members of the anti-Tunnel Alliance for Valleys (ATV) marched."
    aliases = Aliases.learn([text])
    assert aliases.key("alliance for valleys") == "atv"
    assert "atv" in entities(text, aliases)


# ------------------------------------------------------- two sets of initials with "and"


def _names(text: str) -> list[str]:
    items = [GroupInput(None, [text])]
    _, aliases, known = read_run(items)
    return names_in(text, aliases, known)


def test_two_sets_of_initials_joined_by_and_are_two_names() -> None:
    names = _names("On Thursday the HPG and CSL said they had agreed on pay.")
    assert "hpg" in names and "csl" in names
    assert "hpg and csl" not in names


def test_a_spelt_out_name_with_and_inside_stays_one_name() -> None:
    assert "law and justice" in _names("Voters in the east backed Law and Justice again.")
    assert "trinidad and tobago" in _names("Rain fell across Trinidad and Tobago overnight.")
