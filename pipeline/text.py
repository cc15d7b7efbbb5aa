"""Plain-text helpers shared by several stages: English stopwords (the summariser, the
cross-source synthesis) and newline normalisation (every reader). A leaf: importing it
loads no model code."""

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
