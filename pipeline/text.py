"""Plain-text helpers shared by several stages: English stopwords (the summariser, the
cross-source synthesis), newline normalisation (every reader) and the content hash (the
duplicate check and the ledger). A leaf: importing it loads no model code."""

import hashlib
import re
import unicodedata

#: A run of letters (no digits, no underscore), in any script: what the language check and
#: the quality checks count as a word.
WORD = re.compile(r"[^\W\d_]+")

# English function words that say nothing about what a sentence is about.
ENGLISH_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says according""".split()
)


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` become ``\\n`` so line numbers mean the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    """SHA-256 of ``text`` with Unicode forms (NFKC), case and whitespace evened out."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


def words(text: str, min_length: int = 1) -> list[str]:
    """The runs of letters in ``text`` at least ``min_length`` long."""
    return [word for word in WORD.findall(text) if len(word) >= min_length]
