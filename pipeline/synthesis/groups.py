"""Story groups: which sources tell the same story.

Two articles on two central-bank decisions share most of their words ("raised", "rate",
"inflation", "basis points"); what tells them apart is who acted, where, with which
figures and when. So each source is a weighted bag of *features*: the names of its
headline and lead (proper names, organisations, countries, with aliases such as "ECB"
for "European Central Bank"), its figures with their units ("4%", "0.25 pp"), its dates,
and, weighted far below, its common words. Features are weighted by rarity across the
run (idf); sources are compared by cosine.

Two sources whose *main actor* (the first name of the headline, else of the lead)
differs, where neither mentions the other's, are kept apart: "Bank of England raises
rates" and "ECB lifts deposit rate" never join, however alike their vocabulary.

Copies of one story written differently still meet: a live blog's clock stamps are
no names, a precise figure meets the round one another copy writes ("67.7%" and
"almost 68%"), a people, its plural and its country are one name ("Kazakh", "Kazakhs",
"Kazakhstan"), a titled person is the person whatever the title ("Taoiseach Leo
Varadkar", "Prime Minister Leo Varadkar"), a feature's once-named opening scene is no
main actor, and two sources whose leads date the news to the same day and that share
a specific name and a specific figure are one story where the actors cannot tell.

Scale: candidate pairs come from an inverted index over the names, figures and dates
(features shared by at most a fifth of the sources), and average-linkage clustering runs
on that sparse graph with a heap, so the cost grows with the number of sources sharing
specific features, not with the square of the sentences.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.synthesis.claims import (
    Aliases,
    Quantity,
    content_terms,
    entities,
    known_names,
    name_tokens,
    quantities,
)
from pipeline.synthesis.timeline import PartialDate, find_dates
from pipeline.text import ENGLISH_STOPWORDS

__all__ = ["GroupInput", "cluster_sparse", "main_actor", "read_run", "story_groups"]

# Feature weights: names and figures far above common words; the headline and lead
# count double.
_NAME = 3.0
_NAME_TOKEN = 1.0
_FIGURE = 2.0
_DATE = 1.0
_WORD = 0.5
_LEAD = 2.0
_LEAD_SENTENCES = 2
_APART = -1.0  # similarity given to two sources with different main actors
# Two leads that date their news more than this many days apart tell two events (a
# ruling in one state, another a week later): their similarity counts this much.
_SAME_NEWS_DAYS = 3
_OTHER_DAY = 0.5


@dataclass(frozen=True)
class GroupInput:
    """What grouping needs of one source: its English headline (``None`` when the
    headline is not English), its English sentences in order, and its date."""

    headline: str | None
    sentences: Sequence[str]
    reference: PartialDate | None = None


def usable_headline(headline: str | None) -> str | None:
    """A headline whose capitals mean names: a Title Case headline ("Storm Batters West
    Coast") says nothing about which words are names, so it is read as plain words."""
    if not headline or not headline.strip():
        return None
    words = [w for w in headline.split() if w[:1].isalpha()]
    capitals = sum(w[:1].isupper() for w in words[1:])
    if len(words) >= 4 and capitals / max(1, len(words) - 1) > 0.6:
        return None
    return headline


_CONNECTOR_WORDS = frozenset("of for and de van der von du la le al bin".split())


def person(name: str) -> str:
    """A name of three words or more, none a connector, is a title and a person: the
    last two words are who it is ("finance minister christian lindner" and "christian
    lindner, the finance minister"; "prime minister leo varadkar" and "taoiseach leo
    varadkar"). Titles differ by paper, country and house style (a head of
    government is "Prime Minister", "Taoiseach", "Premier", "Chancellor"), the name
    does not. An organisation's name of three words reads the same in every copy
    ("U.S. Supreme Court" and "Supreme Court" both become "supreme court"), and one
    with a connector ("Bank of England", "Writers Guild of America") is kept whole."""
    words = name.split()
    if len(words) < 3 or any(w in _CONNECTOR_WORDS for w in words):
        return name
    return " ".join(words[-2:])


# Initials that spell a function word ("WHO" for the World Health Organization): the
# name reader drops them as the word "who", so the piece that writes only the initials
# names nothing where the piece that spells the name out names the organisation.
_SPELT_INITIALS = re.compile(r"(?<![\w'’-])([A-Z]{3,6})(?![\w'’-])")
_NAME_WORD_CONNECTORS = frozenset("of for and de van der von du la le al bin".split())


def _initials_word(match: re.Match[str], text: str, known: frozenset[str]) -> bool:
    """Capitals that spell a function word, in a sentence not written all in capitals,
    that the run writes as a name (with a capital inside a sentence)."""
    word = match[1].lower()
    return word in ENGLISH_STOPWORDS and word in known and text != text.upper()


# Two sets of initials joined by "and" ("the ILA and USMX said") are two bodies: a name
# with "and" inside ("Law and Justice") is spelt out, and its initials are one word.
_INITIALS_AND = re.compile(r"(?<![\w'’-])([A-Z]{2,6})\s+and\s+(?=[A-Z]{2,6}(?![\w'’-]))")


def names_in(text: str, aliases: Aliases, known: frozenset[str]) -> list[str]:
    """The names of a text, in order, each titled person by the person's name; initials
    that spell a function word ("the WHO") are a name too, and two sets of initials
    joined by "and" are two names."""
    text = _INITIALS_AND.sub(r"\1, ", text)
    found: list[str] = []
    start = 0
    for match in _SPELT_INITIALS.finditer(text):
        if not _initials_word(match, text, known):
            continue
        found += [person(n) for n in entities(text[start : match.start()], aliases, known)]
        found.append(aliases.key(match[1].lower()))
        start = match.end()
    found += [person(n) for n in entities(text[start:], aliases, known)]
    return found


def learn_spelt_initials(texts: Sequence[str], aliases: Aliases, known: frozenset[str]) -> None:
    """A name spelt out in one source and written as its initials in another, where the
    initials spell a function word ("World Health Organization" and "WHO"): the name
    takes the initials' key (in place), as a "Name (ABC)" gloss would give it. The
    initials are the first letters of the name's words but its connectors ("of",
    "for")."""
    initials = {
        m[1].lower()
        for text in texts
        for m in _SPELT_INITIALS.finditer(text)
        if _initials_word(m, text, known)
    }
    if not initials:
        return
    for text in texts:
        for name in entities(text, aliases, known):
            words = [w for w in name.split() if w not in _NAME_WORD_CONNECTORS]
            letters = "".join(w[0] for w in words)
            if len(words) >= 3 and letters in initials and name not in aliases.to_key:
                aliases.to_key[name] = letters


def main_actor(item: GroupInput, aliases: Aliases, known: frozenset[str]) -> str | None:
    """The first name of the headline, else of the lead (the first sentence that has
    one). A lead's first name that the source never names again, where it names
    another twice or more, is where a scene is set, not whom the piece is about
    ("Crowds in Tel Aviv cheered ..." in a piece that goes on about Israel): the most
    named name is the actor then. A wire's lead names its actor first and again
    further down; a feature's opening scene names a street, a town or a crowd once."""
    headline = usable_headline(item.headline)
    if headline:
        names = names_in(headline, aliases, known)
        if names:
            return names[0]
    first = None
    for text in item.sentences[:_LEAD_SENTENCES]:
        names = names_in(text, aliases, known)
        if names:
            first = names[0]
            break
    if first is None:
        return None
    counts = Counter(n for text in item.sentences for n in set(names_in(text, aliases, known)))
    if counts[first] >= 2:
        return first
    most, times = max(counts.items(), key=lambda kv: kv[1])
    return most if times >= 2 else first


def _features(
    item: GroupInput, aliases: Aliases, known: frozenset[str]
) -> tuple[Counter[str], Counter[str]]:
    """(all features, the specific ones: names, figures, dates) of one source."""
    weights: Counter[str] = Counter()
    parts: list[tuple[str, float]] = []
    headline = usable_headline(item.headline)
    if headline:
        parts.append((headline, _LEAD))
    elif item.headline:
        parts.append((item.headline, _WORD * _LEAD))  # Title Case: words only
    parts += [(s, _LEAD if i < _LEAD_SENTENCES else 1.0) for i, s in enumerate(item.sentences)]
    for text, weight in parts:
        names = names_in(text, aliases, known)
        for name in names:
            weights["n:" + name] += _NAME * weight
        for token in name_tokens(names, aliases):
            weights["t:" + token] += _NAME_TOKEN * weight
        dates = find_dates(text, item.reference)
        for quantity in quantities(text, dates):
            if not quantity.total:
                weights[f"q:{quantity.value:g}{quantity.unit}"] += _FIGURE * weight
                rounded = whole_figure(quantity)
                if rounded is not None:
                    weights[f"r:{rounded:g}{quantity.unit}"] += _FIGURE * weight
        for mention in dates:
            if mention.date is not None and mention.date.precision != "year":
                weights["d:" + mention.date.iso()] += _DATE * weight
        if weight >= _LEAD:
            for feature in vote_features(text):
                weights[feature] += _FIGURE * weight
        for term in content_terms(text):
            weights["w:" + term] += _WORD * weight
    specific = Counter({k: v for k, v in weights.items() if not k.startswith("w:")})
    return weights, specific


_DECIMAL = re.compile(r"\d[\d,]*\.\d+")
_ROUNDED_FROM = 10.0  # the whole part from which copies drop the decimals


def whole_figure(quantity: Quantity) -> float | None:
    """The figure as another copy rounds it, when it is written with decimals and its
    whole part has two digits or more: "67.7%" is "almost 68%" elsewhere, "71.12%" is
    "71%", "$68.7 billion" is "$69 billion" (in the figure's own unit). A smaller figure
    keeps its decimals in every copy, because there they are the news: a rate of 5.25%,
    growth of 0.3%, a profit of 2.52 billion are never written 5%, 0% or 3 billion; so
    two rate decisions at 5.25% and 5% share no rounded figure."""
    match = _DECIMAL.search(quantity.text)
    if match is None:
        return None
    written = float(match[0].replace(",", ""))
    if written < _ROUNDED_FROM or not written:
        return None
    rounded = round(written) * (quantity.value / written)
    return None if math.isclose(rounded, quantity.value) else rounded


_TALLY = re.compile(
    r"\b(\d{1,3}(?:,\d{3})*)\s+(?:votes?\s+)?(?:to|against)\s+(\d{1,3}(?:,\d{3})*)\b"
    r"(?!\s*(?:%|per|weeks?|days?|months?|years?|hours?|minutes?|km|miles)\b)",
    re.IGNORECASE,
)
_MAJORITY = re.compile(r"\bmajority\s+of\s+([a-z]+(?:-[a-z]+)?|\d[\d,]*)\b", re.IGNORECASE)
_UNITS = "one two three four five six seven eight nine".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def _number(word: str) -> int | None:
    """A count in digits or in words up to ninety-nine ("55", "fifty-five")."""
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    tens, _, unit = word.partition("-")
    if tens not in _TENS or (unit and unit not in _UNITS):
        return None
    return 10 * (_TENS.index(tens) + 2) + (_UNITS.index(unit) + 1 if unit else 0)


def vote_features(text: str) -> list[str]:
    """A vote's tally and its margin: "by 330 votes to 275" gives the tally and a
    majority of 55, which "a majority of fifty-five" in another source's lead shares."""
    features = []
    for match in _TALLY.finditer(text):
        yes, no = int(match[1].replace(",", "")), int(match[2].replace(",", ""))
        if yes > no:
            features += [f"v:{yes}-{no}", f"m:{yes - no}"]
    for match in _MAJORITY.finditer(text):
        margin = _number(match[1])
        if margin is not None and margin >= 2:
            features.append(f"m:{margin}")
    return features


# A live blog's entries open with their clock time ("09:15 Early tallies suggest ...").
_STAMP = re.compile(r"^\s*\d{1,2}[:.]\d{2}\s+(?=[A-Z\"“‘'])")


def without_stamp(sentence: str) -> str:
    """A live blog's entry without its leading clock time: "09:15 Early tallies ..." is
    "Early tallies ...". The word after the stamp starts the entry's sentence, so it is
    no name unless the run writes it with a capital mid-sentence; left on, the stamp
    makes "Early" or "Confirmed" look like a name in mid-sentence and the source's main
    actor, which keeps a live blog apart from the wire copy of its own story."""
    return _STAMP.sub("", sentence, count=1)


# A people and its country by the endings English gives them: "Kazakhs" and "Kazakh",
# "Kazakhstan"; "Uzbeks", "Uzbekistan"; "Israelis", "Israeli"; "Russians", "Russia".
_VARIANT_ENDINGS = ("s", "i", "is", "n", "ns", "an", "ans", "stan", "istan")
_VARIANT_BASE = 5  # letters a name keeps before the ending ("Korea" + "n"; no "Ira" + "n")
_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][a-z'’]+)\b")


def learn_variants(texts: Sequence[str], aliases: Aliases, known: frozenset[str]) -> frozenset[str]:
    """One name for a people, its plural and its country: a capitalised word that is
    another capitalised word of the run plus an ending of nationality or plural
    ("Kazakh" + "s", + "stan") is that name, so "Kazakhstan approved ..." in one source
    and "Kazakhs who voted" in another name one actor. Both count as names wherever
    either is written with a capital mid-sentence (a sentence-initial "Kazakhstan" is
    a name when the run writes "Kazakhs" inside a sentence). Adds the aliases in place
    (each form to the base's key, a country's adjective to the country) and returns
    the known names with the variants added. Holds for any news: English forms a
    demonym and a plural by these endings, and a base of five letters or more is no
    common word that a name extends by chance."""
    words = {_clean_word(m[1]) for text in texts for m in _CAPITALISED.finditer(text)}

    def base_of(word: str) -> str | None:
        for ending in _VARIANT_ENDINGS:
            base = word[: -len(ending)]
            if word.endswith(ending) and len(base) >= _VARIANT_BASE and base in words:
                return base
        return None

    families: dict[str, set[str]] = defaultdict(set)
    for word in words:
        root, base = word, base_of(word)
        while base is not None:  # "israelis" -> "israeli" -> "israel"
            root, base = base, base_of(base)
        if root != word:
            families[root] |= {root, word}
    added = set(known)
    for root, family in families.items():
        if not family & known:
            continue
        added |= family
        for word in family - {root}:
            aliases.to_key.setdefault(word, aliases.key(root))
    return frozenset(added)


def _clean_word(word: str) -> str:
    word = word.replace("’", "'").lower()
    return word[:-2] if word.endswith("'s") else word


def story_groups(items: Sequence[GroupInput], threshold: float = 0.2) -> list[list[int]]:
    """Indices of ``items`` by story, each group in input order, groups by first member."""
    if not items:
        return []
    items, aliases, known = read_run(items)
    features = _rounded_as_written([_features(item, aliases, known) for item in items])
    count = len(items)
    df: Counter[str] = Counter(f for weights, _ in features for f in weights)
    vectors = []
    for weights, _ in features:
        vector = {f: w * (math.log((1 + count) / (1 + df[f])) + 1.0) for f, w in weights.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({f: v / norm for f, v in vector.items()})
    actors = [main_actor(item, aliases, known) for item in items]
    tokens = [{f[2:] for f in weights if f.startswith(("n:", "t:"))} for weights, _ in features]
    leads = [_lead_names(item, aliases, known) for item in items]
    subjects = [_subjects(item, aliases, known) for item in items]
    cap = max(10, count // 5)
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, specific) in enumerate(features):
        for feature in specific:
            if df[feature] <= cap:
                index[feature].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                pairs.add((a, b))
    days = [_lead_days(item) for item in items]
    similarity: dict[tuple[int, int], float] = {}
    corroborated: set[tuple[int, int]] = set()
    for a, b in pairs:
        if _apart(
            actors[a], actors[b], tokens[a], tokens[b], leads[a] & leads[b]
        ) and not _same_subject(subjects[a], subjects[b], tokens[a], tokens[b]):
            similarity[(a, b)] = _APART
            continue
        similarity[(a, b)] = _cosine(vectors[a], vectors[b])
        if _days_apart(days[a], days[b]):
            similarity[(a, b)] *= _OTHER_DAY
        shared = {f for f in features[a][1] if f in features[b][1] and df[f] <= cap}
        if _corroborate(shared, days[a] & days[b], actors[a], actors[b]):
            corroborated.add((a, b))
            similarity[(a, b)] = max(similarity[(a, b)], threshold)
    clusters = cluster_sparse(count, similarity, threshold)
    return _attach_singletons(clusters, similarity, threshold, actors, tokens, corroborated)


def _rounded_as_written(
    features: list[tuple[Counter[str], Counter[str]]],
) -> list[tuple[Counter[str], Counter[str]]]:
    """A precise figure meets its rounding only where another source writes the round
    figure: "67.7%" takes "68%" when some source says "almost 68%". Two precise figures
    that round alike ("55.2%" in one referendum, "54.8%" in another) share nothing by
    it: they are two counts, not one count and its rounding."""
    written = Counter(f for weights, _ in features for f in weights if f.startswith("q:"))
    found = []
    for weights, specific in features:
        weights, specific = Counter(weights), Counter(specific)
        for feature in [f for f in weights if f.startswith("r:")]:
            value = weights.pop(feature)
            specific.pop(feature, None)
            figure = "q:" + feature[2:]
            if written[figure] > (1 if figure in weights else 0):
                weights[figure] += value
                specific[figure] += value
        found.append((weights, specific))
    return found


def _corroborate(
    shared: set[str], same_days: set[date], actor_a: str | None, actor_b: str | None
) -> bool:
    """One event told twice: both leads date the news to the same day, and the two
    sources share a specific name and a specific figure (each in few of the run's
    sources): the same day, the same person or place and the same number ("Leo
    Varadkar", "68%" and Saturday) are one story however differently the rest is
    written (a paper's "the Government", "the State", "Dublin Castle" against the
    wire's plain words). Two look-alikes rarely share all three: two rate decisions
    share figures but fall on different days; two rulings on one man share him but a
    week apart. Only where the main actors cannot tell (the same actor, or one source
    has none): two different main actors are two actors' news, which can share a day
    and a figure ("the ECB raised by a quarter point, hours before the Bank of
    England did the same"), and the actor rule and the cosine decide them."""
    if actor_a and actor_b and actor_a != actor_b:
        return False
    if not same_days:
        return False
    names = any(f.startswith("n:") for f in shared)
    return names and any(f.startswith(("q:", "v:", "m:")) for f in shared)


def read_run(
    items: Sequence[GroupInput],
) -> tuple[list[GroupInput], Aliases, frozenset[str]]:
    """The items without live-blog stamps, the run's aliases and its known names."""
    items = [
        GroupInput(item.headline, [without_stamp(s) for s in item.sentences], item.reference)
        for item in items
    ]
    texts = [s for item in items for s in ([item.headline or ""] + list(item.sentences))]
    aliases = Aliases.learn(texts)
    known = learn_variants(texts, aliases, known_names(texts))
    learn_spelt_initials(texts, aliases, known)
    return items, aliases, known


def _lead_days(item: GroupInput) -> set[date]:
    """The days the headline and lead say things happened on ("on Tuesday" resolved by
    the article's date): when the news happened."""
    parts = [item.headline or ""] + list(item.sentences[:_LEAD_SENTENCES])
    found = set()
    for text in parts:
        for mention in find_dates(text, item.reference):
            day = mention.date.as_date() if mention.date is not None else None
            if day is not None:
                found.add(day)
    return found


def _days_apart(a: set[date], b: set[date]) -> bool:
    """Both leads date their news, and no two of those days are close: two rulings a
    week apart are two stories, a follow-up a day or two later is the same one."""
    if not a or not b:
        return False
    return min(abs((x - y).days) for x in a for y in b) > _SAME_NEWS_DAYS


def _attach_singletons(
    clusters: list[list[int]],
    similarity: dict[tuple[int, int], float],
    threshold: float,
    actors: list[str | None],
    tokens: list[set[str]],
    corroborated: set[tuple[int, int]],
) -> list[list[int]]:
    """A source left alone joins the story it is most like when it is like one of that
    story's sources at the threshold, is kept apart from none of them, and its main
    actor is named there (a three-line brief, "The Maui fire toll rose to 55", whose
    words the long article on "Lahaina" doesn't share, as average linkage demands) or
    one of them corroborates it (`_corroborate`: a paper whose main actor is "the
    Government" beside a wire that writes "the government")."""

    def sim(a: int, b: int) -> float:
        return similarity.get((a, b) if a < b else (b, a), 0.0)

    groups = [list(c) for c in clusters]
    for lone in [c[0] for c in clusters if len(c) == 1]:
        actor = actors[lone]
        best, best_value = None, threshold
        for group in groups:
            if len(group) < 2 or lone in group:
                continue
            values = [sim(lone, m) for m in group]
            if min(values) < 0 or max(values) < best_value:
                continue
            named = actor is not None and any(_names(actor, tokens[m]) for m in group)
            told = any((min(lone, m), max(lone, m)) in corroborated for m in group)
            if not named and not told:
                continue
            best, best_value = group, max(values)
        if best is None and actor is not None:
            best = _own_story(lone, actor, groups, tokens, sim, threshold)
        if best is not None:
            best.append(lone)
            best.sort()
            groups = [g for g in groups if g != [lone]]
    return sorted(groups, key=lambda group: group[0])


def _own_story(
    lone: int,
    actor: str,
    groups: list[list[int]],
    tokens: list[set[str]],
    sim: Callable[[int, int], float],
    threshold: float,
) -> list[int] | None:
    """The story whose sources are the only others that name the lone source's main
    actor, when it is like them at half the threshold and kept apart from none: a long
    piece on "Noto" whose other names ("Japan Meteorological Agency", "Wajima and Suzu")
    the wire's copy doesn't use, where no other story names Noto at all."""
    naming = {i for i, own in enumerate(tokens) if i != lone and _names(actor, own)}
    if not naming:
        return None
    for group in groups:
        if lone in group or not naming <= set(group) or len(group) < 2:
            continue
        values = [sim(lone, m) for m in group]
        if min(values) >= 0 and max(values) >= threshold / 2:
            return group
    return None


def _lead_names(item: GroupInput, aliases: Aliases, known: frozenset[str]) -> set[str]:
    parts = [usable_headline(item.headline) or ""] + list(item.sentences[:_LEAD_SENTENCES])
    return {name for text in parts for name in names_in(text, aliases, known)}


def _apart(
    actor_a: str | None,
    actor_b: str | None,
    tokens_a: set[str],
    tokens_b: set[str],
    shared_lead_names: set[str],
) -> bool:
    """Different main actors, neither named by the other source (every word of the name
    among the other's names), and no name shared by their headlines and leads."""
    if actor_a is None or actor_b is None or actor_a == actor_b or shared_lead_names:
        return False
    return not _names(actor_a, tokens_b) and not _names(actor_b, tokens_a)


def _subjects(item: GroupInput, aliases: Aliases, known: frozenset[str]) -> set[str]:
    """The names the source names most, in two sentences or more: whom it goes on about."""
    counts = Counter(n for text in item.sentences for n in set(names_in(text, aliases, known)))
    top = max(counts.values(), default=0)
    return {n for n, c in counts.items() if c == top} if top >= 2 else set()


def _same_subject(
    subjects_a: set[str], subjects_b: set[str], tokens_a: set[str], tokens_b: set[str]
) -> bool:
    """Each source names what the other goes on about: two pieces headed by two places
    (a live blog "... over the chapel", a profile "From <birthplace> to ...") that both go
    on about the one person elected tell one story, whatever their headlines open with.
    Two rate decisions each go on about their own bank, which the other does not name."""
    return any(_names(n, tokens_b) for n in subjects_a) and any(
        _names(n, tokens_a) for n in subjects_b
    )


def _names(actor: str, tokens: set[str]) -> bool:
    return actor in tokens or all(part in tokens for part in actor.split() if len(part) > 3)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(f, 0.0) for f, w in a.items())


def cluster_sparse(
    count: int, similarity: dict[tuple[int, int], float], threshold: float
) -> list[list[int]]:
    """Average-linkage clustering over a sparse similarity graph (absent pairs are 0):
    merge the two clusters of highest mean pairwise similarity while it is at least
    ``threshold``. Average, not single, linkage: one article touching two stories does
    not chain them, and one pair kept apart pulls its clusters' mean down."""
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), value in similarity.items():
        links[a][b] = links[a].get(b, 0.0) + value
        links[b][a] = links[b].get(a, 0.0) + value
    version = dict.fromkeys(range(count), 0)
    heap = [(-value, a, b, 0, 0) for (a, b), value in similarity.items() if value >= threshold]
    heapq.heapify(heap)
    while heap:
        negative, a, b, va, vb = heapq.heappop(heap)
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue
        if -negative < threshold:
            break
        members[a] = sorted(members[a] + members.pop(b))
        version[a] += 1
        merged = links.pop(b, {})
        own = links[a]
        own.pop(b, None)
        for c, value in merged.items():
            if c == a:
                continue
            own[c] = own.get(c, 0.0) + value
            links[c].pop(b, None)
            links[c][a] = own[c]
        for c, total in own.items():
            if c not in members:
                continue
            mean = total / (len(members[a]) * len(members[c]))
            if mean >= threshold:
                x, y = (a, c) if a < c else (c, a)
                heapq.heappush(heap, (-mean, x, y, version[x], version[y]))
    return sorted(members.values(), key=lambda group: group[0])
