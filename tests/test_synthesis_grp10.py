"""Round grp10: where a source's order says importance, and initials as a name.

A news report puts its news first, so its lead weighs more; a live blog runs in the order
of the day, so its first entries (the crowd gathering, the doors still shut) are no lead.
Initials that spell a function word ("the WHO") name the body another source spells out.
Fixtures are made-up stories in our own words.
"""

from __future__ import annotations

from pipeline.synthesis.align import Support, story_sources
from pipeline.synthesis.claims import Aliases, known_names
from pipeline.synthesis.groups import GroupInput, names_in, read_run, story_groups
from pipeline.synthesis.points import choose_points, is_live

_LIVE = [
    "09:10 Crowds are gathering outside the town hall in Velmora this morning.",
    "09:40 The doors of the council chamber are still shut and the mood is tense.",
    "11:05 The council has voted 31 to 12 to close the Velmora steelworks by March.",
]
# The same three statements, as a report writes them: no clock stamps.
_REPORT = [s.split(" ", 1)[1] for s in _LIVE]
_OTHER = [
    "Grain prices in the northern provinces rose sharply over the summer months.",
    "Farmers blamed the dry weather and the cost of diesel for the poor harvest.",
]


def _choose(texts: list[str], headline: str) -> list[str]:
    sentences = [list(enumerate(texts)), list(enumerate(_OTHER))]
    every = texts + _OTHER + [headline]
    sources = story_sources(
        [(f"s{n}", n + 1, items, None) for n, items in enumerate(sentences)],
        Aliases.learn(every),
        known_names(every),
    )
    points = choose_points(
        sources, Support(sources), max_points=2, per_source=1, min_words=6, headlines=[headline]
    )
    return [p.sentence.text for p in points if p.sentence.source == "s0"]


def test_a_live_blogs_first_entry_is_no_lead() -> None:
    (shown,) = _choose(_LIVE, "Velmora council votes to close steelworks")
    assert shown == _LIVE[2]  # the vote, not the crowd gathering at 09:10


def test_a_reports_first_sentence_keeps_its_lead_weight() -> None:
    (shown,) = _choose(_REPORT, "Velmora council votes to close steelworks")
    # The same wording without stamps: its order is its weight, a lead sentence comes first.
    assert shown in _REPORT[:2]


def _source(texts: list[str]):
    (source,) = story_sources([("s", 1, list(enumerate(texts)), None)], Aliases.learn(texts), {})
    return source


def test_a_source_of_stamped_entries_is_a_live_blog() -> None:
    assert is_live(_source(_LIVE))


def test_one_stamped_sentence_does_not_make_a_live_blog() -> None:
    # A report that opens on a time once ("10:30 was the hour ...") is still a report.
    texts = ["10:30 was the hour the council set for its vote on the steelworks.", *_REPORT]
    assert not is_live(_source(texts))
    assert not is_live(_source(_REPORT))


# ----------------------------------------------------------------- initials as a name

_SPELT = "The World Health Organization declared the spread of cholera in Marenvia an emergency."
_QA = "What has the WHO decided? It has called the cholera outbreak in Marenvia an emergency."


def _run(texts: list[str]) -> tuple[Aliases, frozenset[str]]:
    items = [GroupInput(None, [t]) for t in texts]
    _, aliases, known = read_run(items)
    return aliases, known


def test_initials_that_spell_a_function_word_name_the_spelt_out_body() -> None:
    aliases, known = _run([_SPELT, _QA])
    assert "who" in names_in(_QA, aliases, known)
    assert names_in(_SPELT, aliases, known)[0] == "who"


def test_the_lower_case_word_and_a_shouted_line_are_no_name() -> None:
    aliases, known = _run([_SPELT, _QA, "WHO IS TO BLAME FOR THE FLOODS?"])
    assert "who" not in names_in("Nobody knew who had opened the gates.", aliases, known)
    assert "who" not in names_in("WHO IS TO BLAME FOR THE FLOODS?", aliases, known)


def test_a_two_word_name_does_not_take_three_letter_initials() -> None:
    # "World Health" has two words: no name of three words spells W-H-O.
    spelt = "Officials of World Health met in Marenvia on Monday."
    aliases, known = _run([spelt, _QA])
    assert "who" not in names_in(spelt, aliases, known)


def test_an_explainer_in_initials_joins_the_wire_that_spells_the_name_out() -> None:
    wire = [
        "The World Health Organization on Tuesday declared the cholera outbreak in Marenvia"
        " a global emergency.",
        "Director-General Talia Oroshen said 4,210 cases had been recorded since June.",
    ]
    explainer = [
        "What has the WHO decided? It has declared a global emergency over cholera in"
        " eastern Dravia.",
        "Eastern Dravia has had 4,210 cases since June.",
        "Why does Dravia matter? Its ports feed the whole region.",
        "Most cases are in Marenvia, and Talia Oroshen said the agency would send vaccines.",
    ]
    # Another story that names the WHO in passing: one shared name is no story.
    other = [
        "A vaccine plant opened in Kelsbury on Monday, the first in the province.",
        "Kelsbury's mayor said the WHO had approved the plant's first vaccine.",
        "The plant in Kelsbury will employ 300 people.",
    ]
    items = [GroupInput(None, t) for t in (wire, explainer, other)]
    assert story_groups(items) == [[0, 1], [2]]
