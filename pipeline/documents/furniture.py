"""Tell the lines of a pasted news page apart: article, or page furniture (and which kind).

What is true of furniture on any news site, in any of Briefing's languages:

* Article text is prose: sentences that end in punctuation and are full of the language's
  function words. Menus, buttons, tags and teaser headlines are short and are not.
* The article is one run of prose. What comes before its first prose line is the page
  header (menus, section labels, the headline, the byline) and what comes after its last
  one is the footer (share rows, teaser lists, tags); short label-like lines there are
  furniture, while the same shape between two paragraphs is a subheading and stays.
* Teaser blocks are runs of headline-like lines, often separated by "-" lines.
* Captions sit next to a photo credit, are short, and often list names (who is in the
  picture); credits name a person or an agency ("Foto: Name / NTB", "REUTERS/Name").
* Furniture of one outlet repeats across its pages; a headline the layout repeats is a
  duplicate of a line above it.
* A few labels no statistic sees ("Annonse", "Pubblicità") are in
  ``pipeline.documents.furniture_labels``.

In doubt, a line is kept: a line is only removed for a positive reason, and the reason is
returned so that cleaning can record it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.documents import furniture_labels as fl
from pipeline.once import load_once

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_INNER_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]* +[\"'“‘«(]?[A-ZÆØÅÀ-Ý0-9–—-]")
_TRAILING = " :,;›»>|•·-–—"
_LIST_ITEM = re.compile(r"(?:[-•*–·▪]|\d{1,2}[.)])\s")  # "- item", "• item", "2. item"
_TIMESTAMP = re.compile(r"\d{1,2}[.:/-]\d{2}")  # "22.08.2025", "10:00": a publication line
_QUOTES = re.compile(r"[\"“”„«»]")
_CLOSERS = "\"'”’»)]"
_SPEECH = ("–", "—", "-", "«", "„", '"', "“", "‘", "'", "»")

HEADLINE_MAX_WORDS = 15  # longer lines without final punctuation are not headline-like
NAV_MAX_WORDS = 2  # header lines this short are menu items and section labels
CAPTION_MAX_WORDS = 10  # a one-sentence line this short beside a credit is its caption
CAPTION_BEFORE_HEADLINE_MAX_WORDS = 25
LABELLED_CAPTION_MAX_WORDS = 40
REPEAT_MAX_WORDS = 25  # only lines this short count as furniture repeated across sources
STORY_LINE_MIN_WORDS = 6  # a prose line this long, shared by two pages, is their story's
PROSE_MIN_WORDS = 3
PROSE_ANY_PUNCTUATION_WORDS = 20
PROSE_MIN_STOP_SHARE = 0.1  # a long line with fewer function words is a list of names/tags
NAME_LIST_MIN_CAPS = 0.4  # a caption that names who is in the picture
NAME_LIST_MAX_STOP_SHARE = 0.25
PATTERN_MAX_WORDS = 80  # every pattern is bounded well below this; longer lines skip them
PITCH_MAX_WORDS = 60  # a pitch is a few sentences, not a paragraph of reporting
BOX_MAX_LINES = 8  # a summary box longer than this is not taken as one
BOX_LINE_MAX_WORDS = 40  # nor one with a paragraph in it


@dataclass(frozen=True)
class Line:
    """One non-blank, whitespace-collapsed line of a page, with its shape."""

    text: str
    words: int
    stop_share: float  # share of the words that are function words of the page's language
    caps_share: float  # share of the words after a sentence's first that are capitalised
    ends_sentence: bool
    sentences: int
    key: str  # casefolded, trailing punctuation stripped: how labels and repeats are compared

    @property
    def headline_like(self) -> bool:
        return 0 < self.words <= HEADLINE_MAX_WORDS and not self.ends_sentence

    @property
    def prose(self) -> bool:
        if self.words >= PROSE_ANY_PUNCTUATION_WORDS:
            return self.stop_share >= PROSE_MIN_STOP_SHARE
        return (
            self.words >= PROSE_MIN_WORDS
            and self.ends_sentence
            and (self.words < 6 or self.stop_share >= PROSE_MIN_STOP_SHARE)
        )

    @property
    def name_list(self) -> bool:
        return (
            self.sentences == 1
            and self.caps_share >= NAME_LIST_MIN_CAPS
            and self.stop_share <= NAME_LIST_MAX_STOP_SHARE
        )

    @property
    def speech(self) -> bool:
        return self.text.startswith(_SPEECH)


def line_key(text: str) -> str:
    return " ".join(text.split()).casefold().strip(_TRAILING)


def measure(text: str, stopwords: frozenset[str]) -> Line:
    spans = list(_WORD.finditer(text))
    words = [span.group() for span in spans]
    stop = sum(1 for word in words if word.casefold() in stopwords)
    # The first word of each sentence: the first word at or after each sentence boundary.
    boundaries = [match.end() - 1 for match in _INNER_SENTENCE.finditer(text)]
    firsts = {0}
    next_boundary = 0
    for index, span in enumerate(spans):
        while next_boundary < len(boundaries) and span.start() >= boundaries[next_boundary]:
            firsts.add(index)
            next_boundary += 1
    later = [word for index, word in enumerate(words) if index not in firsts and word[0].isalpha()]
    caps = sum(1 for word in later if word[0].isupper())
    return Line(
        text=text,
        words=len(words),
        stop_share=stop / len(words) if words else 0.0,
        caps_share=caps / len(later) if later else 0.0,
        ends_sentence=bool(_SENTENCE_END.search(text.rstrip())),
        sentences=len(firsts),
        key=line_key(text),
    )


@dataclass(frozen=True)
class RunFurniture:
    """Lines (as ``line_key``) that recur on two or more pages of one run which are not
    copies of one story: ``anywhere`` wherever they stand, ``header`` only those that stand
    before the first prose line on two such pages (menus, straplines, banners)."""

    anywhere: frozenset[str] = frozenset()
    header: frozenset[str] = frozenset()


NO_FURNITURE = RunFurniture()


@dataclass
class _PageLines:
    keys: set[str]  # every short line's key
    header: set[str]  # the keys before the first prose line
    prose: set[str]  # the keys of its prose lines: what a copy of its story shares


def _page_lines(page: str, is_prose: dict[str, bool], stopwords: frozenset[str]) -> _PageLines:
    lines = _PageLines(set(), set(), set())
    in_header = True
    for text in page.split("\n"):
        text = " ".join(strip_marker(text).split())
        key = line_key(text)
        if not key:
            continue
        if text not in is_prose:  # a run's pages share many lines: judge each text once
            shape = measure(text, stopwords)
            is_prose[text] = shape.prose and intrinsic(shape) is None
        words = len(key.split())
        if is_prose[text]:
            in_header = False
            if words >= STORY_LINE_MIN_WORDS:
                lines.prose.add(key)
        if words <= REPEAT_MAX_WORDS:
            lines.keys.add(key)
            if in_header:
                lines.header.add(key)
    return lines


def _stories(found: Sequence[_PageLines]) -> list[int]:
    """A story number per page: a page that shares at least half of the smaller prose of
    an earlier story's first page is a copy of that story (near-linear: each page is only
    compared with the first pages of the stories it shares a prose line with)."""
    story_of: list[int] = []
    first_page: list[int] = []  # per story
    stories_with: dict[str, set[int]] = {}  # prose key -> stories whose pages hold it
    for index, page in enumerate(found):
        candidates = set().union(*(stories_with.get(key, ()) for key in page.prose))
        story = None
        for candidate in sorted(candidates):
            other = found[first_page[candidate]].prose
            smaller = min(len(other), len(page.prose))
            if smaller and len(other & page.prose) * 2 >= smaller:
                story = candidate
                break
        if story is None:
            story = len(first_page)
            first_page.append(index)
        story_of.append(story)
        for key in page.prose:
            stories_with.setdefault(key, set()).add(story)
    return story_of


def repeated_lines(pages: Iterable[str], min_pages: int = 2) -> RunFurniture:
    """The furniture of the outlet (or outlets) of one run: short lines found on at least
    ``min_pages`` of its pages.

    Two pages that carry the same story (two outlets printing one agency text) share its
    headline, lead and paragraphs; those are no furniture. So a line counts only when it
    is found on pages of two different stories, where a copy shares at least half of the
    smaller page's prose lines. Long lines are left out altogether."""
    stopwords = stopwords_for("und")
    is_prose: dict[str, bool] = {}
    found = [_page_lines(page, is_prose, stopwords) for page in pages]
    story_of = _stories(found)

    def shared(region: str) -> frozenset[str]:
        stories: dict[str, set[int]] = {}
        counts: dict[str, int] = {}
        for index, page in enumerate(found):
            for key in getattr(page, region):
                stories.setdefault(key, set()).add(story_of[index])
                counts[key] = counts.get(key, 0) + 1
        return frozenset(
            key for key, count in counts.items() if count >= min_pages and len(stories[key]) > 1
        )

    return RunFurniture(anywhere=shared("keys"), header=shared("header"))


_MARKER = re.compile(r"^\s*date (\d{4})-(\d{2})(?:-(\d{2}))?(?= |$)")


def strip_marker(line: str) -> str:
    return _MARKER.sub("", line, count=1)


def intrinsic(line: Line) -> str | None:
    """The reason a line is furniture wherever it stands, or None."""
    kind = fl.LABEL_OF.get(line.key)
    if kind is not None:
        return kind
    if not line.words:
        return None
    for name, pattern in fl.PATTERNS if line.words <= PATTERN_MAX_WORDS else ():
        if name == "video_teaser":
            continue  # only in the footer, see ``classify``
        if pattern.fullmatch(line.text):
            return name
    if _is_cookie_notice(line):
        return "cookie_notice"
    if _is_credit(line):
        return "photo_credit"
    if _is_labelled_caption(line):
        return "photo_caption"
    if (
        line.words <= PITCH_MAX_WORDS
        and fl.PITCH_WORDS.search(line.text)
        and fl.READER_WORDS.search(line.text)
        and not line.speech
        and not _QUOTES.search(line.text)  # quoted speech is the article's
    ):
        return "pitch"
    return None


def _is_cookie_notice(line: Line) -> bool:
    """A cookie banner names cookies, asks for consent and speaks of the site; an article
    about cookie rules quotes or reports, and is no banner."""
    return (
        line.words <= PITCH_MAX_WORDS
        and bool(fl.COOKIE_WORDS.search(line.text))
        and bool(fl.CONSENT_WORDS.search(line.text))
        and bool(fl.SITE_WORDS.search(line.text))
        and bool(fl.READER_WORDS.search(line.text))
        and not line.speech
        and not _QUOTES.search(line.text)
    )


def _is_credit(line: Line) -> bool:
    match = fl.CREDIT_PREFIX.fullmatch(line.text)
    if match:
        rest = match.group("rest")
        return len(_WORD.findall(rest)) <= 8 and not _INNER_SENTENCE.search(rest)
    if line.words > 6 or line.ends_sentence or line.stop_share >= 0.3:
        return False
    return bool(fl.AGENCIES.search(line.text) or fl.SLASH_CREDIT.search(line.text))


def _explicit_credit(line: Line) -> bool:
    return bool(fl.SLASH_CREDIT.search(line.text) or fl.CREDIT_PREFIX.fullmatch(line.text))


def _is_labelled_caption(line: Line) -> bool:
    match = fl.CAPTION_PREFIX.fullmatch(line.text)
    if match and len(_WORD.findall(match.group("rest"))) <= LABELLED_CAPTION_MAX_WORDS:
        return True
    tail = fl.CREDIT_TAIL.fullmatch(line.text)
    return bool(tail) and line.words <= LABELLED_CAPTION_MAX_WORDS and line.sentences <= 2


def classify(
    lines: Sequence[Line],
    repeated: RunFurniture = NO_FURNITURE,
    marker_at: int | None = None,
) -> list[str | None]:
    """A reason per line (None: keep). ``lines`` are a page's non-blank lines in order;
    ``repeated`` holds the lines that recur across the run's sources; ``marker_at`` is
    the index of the line that carried the saved page's date marker."""
    reasons: list[str | None] = [intrinsic(line) for line in lines]
    _boxes(lines, reasons)
    facts = _fact_boxes(lines, reasons)
    prose = [i for i, line in enumerate(lines) if reasons[i] is None and line.prose]
    # Without a prose line there is no article to find the header and footer of: in doubt,
    # nothing is judged by its position.
    first, last = (prose[0], prose[-1]) if prose else (0, len(lines) - 1)
    if prose and lines[last].text.rstrip().endswith(":"):  # the article ends with a list
        while last + 1 < len(lines) and reasons[last + 1] is None and lines[last + 1].words:
            last += 1
    if prose:
        _keep_weak_pitches_in_body(lines, reasons, first, last)
    headline = _headline_candidate(lines, reasons, first, marker_at) if prose else None
    for i, line in enumerate(lines):
        if reasons[i] is not None or i in facts:
            continue
        header, footer = i < first, i > last
        if _repeat_is_furniture(line, repeated, header and i != headline, footer):
            reasons[i] = "repeated_furniture"
        elif (
            header
            and line.words <= NAV_MAX_WORDS
            and line.headline_like
            and i not in (first - 1, headline)
        ):
            reasons[i] = "navigation"
        elif footer and line.words and _is_video_teaser(line):
            reasons[i] = "video_teaser"
        elif footer and line.headline_like:
            reasons[i] = "navigation" if line.words <= NAV_MAX_WORDS else "teaser"
    _teaser_runs(lines, reasons, start=first if prose else len(lines), facts=facts)
    _captions(lines, reasons, marker_at, first if prose else len(lines))
    _duplicates(lines, reasons)
    _separators(lines, reasons, first, last, has_article=bool(prose))
    return reasons


def _keep_weak_pitches_in_body(
    lines: Sequence[Line], reasons: list[str | None], first: int, last: int
) -> None:
    """Between the article's first and last prose line, a sentence is taken for a pitch
    only on a strong signal (the outlet's "our", or an imperative "Sign up ..."): "if you
    have a subscription, the price rises" is reporting. In doubt, it stays."""
    for i in range(first, last + 1):
        text = lines[i].text
        if (
            reasons[i] == "pitch"
            and lines[i].prose
            and not fl.OUTLET_WORDS.search(text)
            and not fl.PITCH_IMPERATIVE.search(text)
        ):
            reasons[i] = None


def _repeat_is_furniture(line: Line, repeated: RunFurniture, header: bool, footer: bool) -> bool:
    """A line that recurs across the run's sources is furniture only where furniture
    stands: in the footer, or in the header when it stands in the header of other pages
    too (a page's own headline is a teaser at the foot of the others, and is no furniture;
    ``header`` is False for the headline). Inside the article a repeat is no evidence: two
    stories of one outlet share subheadings ("Bakgrunn") and background sentences."""
    if footer:
        return line.key in repeated.anywhere
    return header and line.key in repeated.header


def _headline_candidate(
    lines: Sequence[Line], reasons: list[str | None], first: int, marker_at: int | None
) -> int | None:
    """The nearest headline-like line of two words or more above the lead, passing over
    bylines, agency names and publication times: the page's headline, which neither the
    menu rule nor a repeat across sources takes away ("Renten uendret / Av Per Solheim").
    The saving tool writes the date marker before the page's text: nothing above the
    marker's line is the headline."""
    top = marker_at - 1 if marker_at is not None and marker_at <= first else -1
    for j in range(first - 1, top, -1):
        line = lines[j]
        if reasons[j] is not None or _byline_or_time(line):
            continue
        if line.headline_like and line.words >= NAV_MAX_WORDS:
            return j
        return None  # a menu item or a label stands between: no headline to protect
    return None


def _byline_or_time(line: Line) -> bool:
    return bool(
        fl.BYLINE.fullmatch(line.text)
        or (line.words <= 8 and _TIMESTAMP.search(line.text))
        or (line.words <= 3 and fl.AGENCIES.fullmatch(line.key))
    )


def _is_video_teaser(line: Line) -> bool:
    return any(p.fullmatch(line.text) for name, p in fl.PATTERNS if name == "video_teaser")


def _boxes(lines: Sequence[Line], reasons: list[str | None]) -> None:
    """A summary box: its label, its lines, and the disclaimer that closes it."""
    for i, line in enumerate(lines):
        if line.key not in fl.BOX_HEADERS:
            continue
        for j in range(i + 1, min(len(lines), i + 1 + BOX_MAX_LINES)):
            if lines[j].words > BOX_LINE_MAX_WORDS:
                break  # a paragraph: this is no box
            text = lines[j].text
            named = fl.MACHINE_WORDS.search(text) or fl.SUMMARY_WORDS.search(text)
            if named and fl.MADE_WORDS.search(text):
                for k in range(i + 1, j + 1):
                    reasons[k] = reasons[k] or "widget"
                break


def _fact_boxes(lines: Sequence[Line], reasons: list[str | None]) -> set[int]:
    """A fact box ("Fakta om X", "Key facts", "In cijfers") is the article's: its label and
    the short lines after it, up to a paragraph or furniture, are kept whatever their
    shape or place ("Innført: desember 2021" is no teaser)."""
    kept: set[int] = set()
    for i, line in enumerate(lines):
        if reasons[i] is not None or not fl.FACT_HEADER.fullmatch(line.key):
            continue
        kept.add(i)
        for j in range(i + 1, min(len(lines), i + 1 + BOX_MAX_LINES)):
            if reasons[j] is not None or lines[j].words > BOX_LINE_MAX_WORDS:
                break
            kept.add(j)
    return kept


def _teaser_runs(
    lines: Sequence[Line], reasons: list[str | None], start: int, facts: set[int]
) -> None:
    """Runs of headline-like lines after the article has begun (before it, headline, byline
    and dateline make such a run): after a "read more" label, with "-" separators, or three
    and more in a row where no paragraph follows. A lone short line between paragraphs is a
    subheading and stays."""
    i = start
    while i < len(lines):
        j = i
        members: list[int] = []
        separated = False
        after_label = i > 0 and lines[i - 1].key in fl.TEASER_HEADERS
        while j < len(lines) and (
            (reasons[j] is None and j not in facts and _teaser_shaped(lines[j], after_label))
            or lines[j].words == 0
        ):
            if lines[j].words == 0:
                separated = True
            else:
                members.append(j)
            j += 1
        # A list the article introduces ("De maatregelen:") or bullets are the article's.
        introduced = i > 0 and lines[i - 1].text.rstrip().endswith(":") and not after_label
        bulleted = any(_LIST_ITEM.match(lines[k].text) for k in members)
        listed = introduced or bulleted
        # Between two paragraphs, a run with neither label nor separators is as likely a
        # list of the article's (results, names, places) as teasers: in doubt, it stays.
        inside = j < len(lines) and lines[j].prose
        if (
            members
            and not listed
            and (
                after_label
                or (separated and len(members) >= 2)
                or (len(members) >= 3 and not inside)
            )
        ):
            for k in range(i, j):
                reasons[k] = "teaser"
        i = max(j, i + 1)


def _teaser_shaped(line: Line, after_label: bool) -> bool:
    """Headline-like; after a "read more" label a question headline counts too."""
    if line.headline_like:
        return True
    return (
        after_label
        and 0 < line.words <= HEADLINE_MAX_WORDS
        and line.sentences == 1
        and line.text.rstrip().endswith("?")
    )


def _captions(
    lines: Sequence[Line], reasons: list[str | None], marker_at: int | None, first: int
) -> None:
    for i, line in enumerate(lines):
        if reasons[i] is not None or line.speech or not line.words:
            continue
        if _LIST_ITEM.match(line.text):
            continue  # a list item, not a caption
        before = reasons[i - 1] if i > 0 else None
        after = reasons[i + 1] if i + 1 < len(lines) else None
        # A bare agency name ("NTB") signs a story as often as a photo: only a credit that
        # says it is one ("Foto: ...", "Name / Agency") marks its neighbour as a caption.
        if before == "photo_credit" and not _explicit_credit(lines[i - 1]):
            before = None
        if after == "photo_credit" and not _explicit_credit(lines[i + 1]):
            after = None
        # A credit has one caption: when a caption-shaped line stands before it inside the
        # article, the short sentence after it may be the next paragraph. In doubt, keep.
        if before == "photo_credit" and i >= 2 and i - 2 >= first:
            if _caption_shaped(lines[i - 2]) and reasons[i - 2] in (None, "photo_caption"):
                before = None
        by_credit = "photo_credit" in (before, after)
        # Before its credit a caption is told from a paragraph by its missing full stop,
        # names or not ("Støre og Solberg i Stortinget"); a sentence there stays.
        named = line.name_list and (before == "photo_credit" or not line.ends_sentence)
        if by_credit and named and line.words <= LABELLED_CAPTION_MAX_WORDS:
            reasons[i] = "photo_caption"
        elif (
            by_credit
            and line.sentences == 1
            and line.words <= CAPTION_MAX_WORDS
            and (before == "photo_credit") == line.ends_sentence
        ):
            reasons[i] = "photo_caption"
        elif before == "caption" and line.words <= LABELLED_CAPTION_MAX_WORDS:
            reasons[i] = "photo_caption"
        elif i == marker_at and _caption_before_headline(lines, reasons, i):
            reasons[i] = "photo_caption"


def _caption_shaped(line: Line) -> bool:
    return (
        0 < line.words <= CAPTION_MAX_WORDS
        and line.sentences == 1
        and not line.speech
        and not _LIST_ITEM.match(line.text)
    )


def _caption_before_headline(lines: Sequence[Line], reasons: list[str | None], i: int) -> bool:
    """The page's first text, saved with the date marker, is the top picture's caption when
    it names people and places, or when it is one short sentence and the headline follows."""
    line = lines[i]
    if line.name_list and line.words <= LABELLED_CAPTION_MAX_WORDS:
        return True
    # A caption describes the picture in a statement; a question or an exclamation on the
    # marker's line is the headline.
    if line.sentences != 1 or not line.text.rstrip(_CLOSERS).endswith("."):
        return False
    if line.words > CAPTION_BEFORE_HEADLINE_MAX_WORDS:
        return False
    following = [j for j in range(i + 1, len(lines)) if reasons[j] is None][:2]
    if len(following) != 2 or not lines[following[1]].prose:
        return False
    headline = lines[following[0]]
    return (
        headline.headline_like
        and headline.words > NAV_MAX_WORDS
        and not fl.BYLINE.fullmatch(headline.text)
    )


def _duplicates(lines: Sequence[Line], reasons: list[str | None]) -> None:
    """A headline-like line the layout repeats: the first copy stays."""
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if reasons[i] is not None or not line.words:
            continue
        if line.key in seen and line.headline_like:
            reasons[i] = "duplicate"
        seen.add(line.key)


def _separators(
    lines: Sequence[Line], reasons: list[str | None], first: int, last: int, has_article: bool
) -> None:
    """Lines without a word ("-", "•") go with the furniture around them."""
    for i, line in enumerate(lines):
        if reasons[i] is not None or line.words:
            continue
        neighbours = [reasons[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        if i < first or i > last or any(reason is not None for reason in neighbours):
            if has_article:  # a page of only symbols is kept
                reasons[i] = "separator"


@load_once
def stopwords_for(language: str) -> frozenset[str]:
    """The function words of ``language`` (Briefing's code) from justext's stoplists; the
    union of Briefing's five languages when the language is none of them."""
    import justext

    names = STOPLISTS.get(language) or tuple(n for ns in STOPLISTS.values() for n in ns)
    words: set[str] = set()
    for name in names:
        words |= {word.casefold() for word in justext.get_stoplist(name)}
    return frozenset(words)


STOPLISTS: dict[str, tuple[str, ...]] = {
    "nl": ("Dutch",),
    "nb": ("Norwegian_Bokmal", "Norwegian_Nynorsk"),
    "nn": ("Norwegian_Bokmal", "Norwegian_Nynorsk"),
    "it": ("Italian",),
    "en": ("English",),
}
