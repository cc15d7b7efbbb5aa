"""Take the web debris out of a pasted article and group what is left into paragraphs.

Analysts copy articles straight from news sites, so app-store badges, share buttons,
view counters, copyright notices, photo captions and video teasers come along. Each kind
is one ``DebrisRule`` below, matched against WHOLE lines (whitespace collapsed, case
ignored) so a real sentence that merely contains "share" or "video" is never touched.
Every removed piece is recorded as a ``RemovedLine``: cleaning may normalise whitespace,
but it never silently drops a character of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pipeline.types import CleanDocument, RawDocument, RemovedLine, SourceSkipped

Scope = Literal["line", "tail", "inline"]


@dataclass(frozen=True)
class DebrisRule:
    """One kind of web debris.

    ``scope`` says how the pattern is used: ``line`` removes a whole line anywhere,
    ``tail`` removes a whole line only in the trailing block after the last article line,
    ``inline`` removes only the matched text and keeps the rest of the line.
    """

    name: str
    pattern: re.Pattern[str]
    description: str
    scope: Scope = "line"

    def matches(self, line: str) -> bool:
        """Whole-line test (``line`` and ``tail`` rules) on a whitespace-collapsed line."""
        return self.pattern.fullmatch(line) is not None


def _rule(name: str, pattern: str, description: str, scope: Scope = "line") -> DebrisRule:
    return DebrisRule(name, re.compile(pattern, re.IGNORECASE), description, scope)


_NETWORKS = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|e-?mail|print|copy link|share)"
)

DEBRIS_RULES: tuple[DebrisRule, ...] = (
    _rule(
        "app_store",
        r"(?:download (?:on|from) the )?(?:apple|app|play|google play|android|ios) "
        r"(?:store|market)|google play|get it on google play"
        r"|(?:download|get) (?:the|our) (?:free )?(?:[\w-]+ )?app\b[^.!?]{0,60}",
        'App-store badges: "apple store", "play market", "Download the app".',
    ),
    _rule(
        "share_buttons",
        r"share(?: this(?: article| story| page)?)?|tweet(?: this)?"
        r"|share (?:on|via) (?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|e-?mail)"
        r"|copy link|link copied|copied!?|ссылка скопирована"
        r"|del(?: artikkelen| saken)?|kopier lenken?|delen|deel dit artikel|kopieer (?:de )?link"
        r"|condividi|copia (?:il )?link"
        r"|(?:share-line)?liked the (?:story|article)\? ?share it on social media!?"
        rf"|{_NETWORKS}(?:[ |·•,/]+{_NETWORKS})+",
        'Share buttons: "Share", "Copy link", "Share on Facebook", "Tweet", a row of networks.',
    ),
    _rule(
        "view_counter",
        r"(?:views?|visninger|weergaven|bekeken|visualizzazioni|letture|reads) ?:? ?\d[\d.,\s]*"
        r"|\d[\d.,]* ?(?:views|visninger|weergaven|visualizzazioni|letture)",
        'View counters: "Views: 69", "1,204 views".',
    ),
    _rule(
        "follow_us",
        r"(?:follow us|volg ons|følg oss|seguici)\b[^.!?]{0,80}",
        'Social-media prompts without sentence punctuation: "Follow us on Youtube".',
    ),
    _rule(
        "copyright",
        r"any use of materials is allowed only .{0,200}"
        r"|(?:©|\(c\) \d{4}|copyright ©|copyright \d{4}).{0,120}"
        r"|.{0,100}\ball rights reserved\.?|alle rechten voorbehouden\.?"
        r"|alle rettigheter (?:er )?reservert\.?|tutti i diritti riservati\.?",
        'Copyright boilerplate: "Any use of materials is allowed only if ...", "© 2024 ...".',
    ),
    _rule(
        "photo_caption",
        r"date \d{4}-\d{2}(?:-\d{2})?\b.*",
        'Photo captions pasted as a line starting with "date YYYY-MM".',
    ),
    _rule(
        "photo_credit",
        r"(?:foto|photo|bilde|fotografia) ?: ?[^.!?]{0,80}",
        'Short photo credits without a sentence in them: "Foto: NTB".',
    ),
    _rule(
        "read_more",
        r"(?:les også|lees ook|lees meer|leggi anche|read more|read also|see also|related)"
        r" ?:.{0,150}",
        'Links to other articles: "Les også: ...", "Read more: ...".',
    ),
    _rule(
        "site_tagline",
        r"the most important world news",
        "A news site's tagline left under the share buttons.",
    ),
    _rule(
        "video_teaser",
        r"(?:se video|se også video|video|watch(?: video)?|bekijk (?:de )?video|kijk"
        r"|guarda(?: il)? video) ?:.{0,150}",
        'Video teasers at the end of an article: "Se video: ...", "VIDEO: ...", "Watch: ...".',
        scope="tail",
    ),
    _rule(
        "lead_marker",
        r"^\[(?:lid|lead|lede)\](?: ?[-–—:](?= |$))?",
        'Lead markers such as "[lid]" opening a line: the marker goes, the sentence stays.',
        scope="inline",
    ),
)

LINE_RULES = tuple(rule for rule in DEBRIS_RULES if rule.scope == "line")
TAIL_RULES = tuple(rule for rule in DEBRIS_RULES if rule.scope == "tail")
INLINE_RULES = tuple(rule for rule in DEBRIS_RULES if rule.scope == "inline")

HEADLINE_MAX_CHARS = 150
TITLE_MAX_CHARS = 120
SHORT_TITLE_WORDS = 12  # a title made from a sentence: at most this many words (a headline)
_SENTENCE_END = ".!?…"
_CLOSERS = "\"'”’»)]"
_FIRST_SENTENCE = re.compile(rf"(.+?[{_SENTENCE_END}]+[{re.escape(_CLOSERS)}]*)(?: |$)")


@dataclass
class _Line:
    number: int  # 1-based
    text: str  # whitespace-collapsed; "" for a blank line
    removed: bool = False


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace (anything ``str.isspace``) become one space; ends are trimmed."""
    return " ".join(text.split())


def clean_document(raw: RawDocument) -> CleanDocument:
    """Remove debris, record it, and group the remaining lines into paragraphs.

    Raises only ``SourceSkipped``, when nothing but debris is left.
    """
    removed: list[RemovedLine] = []
    lines = [_apply_line_rules(number, text, removed) for number, text in _numbered(raw.text)]
    _apply_tail_rules(lines, removed)
    paragraphs = _paragraphs(lines, block_mode=_has_inner_blank_line(lines))
    if not paragraphs:
        raise SourceSkipped("only web debris, no article text")
    removed.sort(key=lambda item: item.line)
    return CleanDocument(
        source=raw.source,
        title=choose_title(raw.title, paragraphs, raw.source.id),
        paragraphs=paragraphs,
        removed=removed,
        encoding=raw.encoding,
        format=raw.format,
    )


def _numbered(text: str) -> list[tuple[int, str]]:
    return [(number, collapse_whitespace(line)) for number, line in enumerate(text.split("\n"), 1)]


def _apply_line_rules(number: int, text: str, removed: list[RemovedLine]) -> _Line:
    """Whole-line rules first; otherwise strip inline markers and keep the rest."""
    if not text:
        return _Line(number, "")
    for rule in LINE_RULES:
        if rule.matches(text):
            removed.append(RemovedLine(number, text, rule.name))
            return _Line(number, text, removed=True)
    for rule in INLINE_RULES:
        text = _strip_inline(number, text, rule, removed)
    return _Line(number, text, removed=not text)  # a line that was only a marker is gone


def _strip_inline(number: int, text: str, rule: DebrisRule, removed: list[RemovedLine]) -> str:
    pieces: list[str] = []
    position = 0
    for match in rule.pattern.finditer(text):
        if not match.group().strip():
            continue
        removed.append(RemovedLine(number, collapse_whitespace(match.group()), rule.name))
        pieces.append(text[position : match.start()])
        position = match.end()
    if not pieces:
        return text
    pieces.append(text[position:])
    return collapse_whitespace(" ".join(pieces))


def _apply_tail_rules(lines: list[_Line], removed: list[RemovedLine]) -> None:
    """Walk back from the end over blank and debris lines; teaser lines there go too."""
    for line in reversed(lines):
        if line.removed or not line.text:
            continue
        rule = next((rule for rule in TAIL_RULES if rule.matches(line.text)), None)
        if rule is None:
            return
        removed.append(RemovedLine(line.number, line.text, rule.name))
        line.removed = True


def _has_inner_blank_line(lines: list[_Line]) -> bool:
    """Do blank lines separate paragraphs? (Leading and trailing blank lines don't count.)"""
    filled = [index for index, line in enumerate(lines) if line.text]
    if not filled:
        return False
    return any(not line.text and not line.removed for line in lines[filled[0] : filled[-1]])


def _paragraphs(lines: list[_Line], block_mode: bool) -> list[str]:
    """With blank lines, a paragraph is a block of lines; without, each line is one."""
    if not block_mode:
        return [line.text for line in lines if line.text and not line.removed]
    paragraphs: list[str] = []
    block: list[str] = []
    for line in lines:
        if line.removed:
            continue
        if line.text:
            block.append(line.text)
        else:
            paragraphs.append(" ".join(block))
            block = []
    paragraphs.append(" ".join(block))
    return [paragraph for paragraph in paragraphs if paragraph]


def choose_title(given: str | None, paragraphs: list[str], fallback: str) -> str:
    """The page's own title, else a headline-like first paragraph, else the first sentence
    (shortened on a word boundary), else ``fallback`` (the source id)."""
    if given and _has_word(given):
        return collapse_whitespace(given)
    first = paragraphs[0].lstrip("#").strip() if paragraphs else ""
    if not _has_word(first):
        return fallback
    if len(first) < HEADLINE_MAX_CHARS and not first.rstrip(_CLOSERS).endswith(
        tuple(_SENTENCE_END)
    ):
        return first
    match = _FIRST_SENTENCE.match(first)
    return short_title(match.group(1) if match else first)


def short_title(sentence: str, max_words: int = SHORT_TITLE_WORDS) -> str:
    """A title from a sentence: itself when short, else its first clause, else its first
    ``max_words`` words and "…" (a title names the story; the text follows below)."""
    sentence = collapse_whitespace(sentence)
    if len(sentence.split()) <= max_words:
        return shorten(sentence, TITLE_MAX_CHARS)
    clause = re.split(r"[,;:]\s|\s[–—-]\s|\s\(", sentence, maxsplit=1)[0].strip()
    words = clause.split()
    if 2 <= len(words) <= max_words:
        return clause.rstrip(".") + "…"
    return shorten(" ".join(words[:max_words]), TITLE_MAX_CHARS).rstrip(" ,;:.…") + "…"


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits, else cut on the last word boundary before ``limit`` plus "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return (cut.rstrip(" ,;:-–—") or cut) + "…"


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
