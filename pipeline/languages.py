"""Language codes, in one place: the names shown to readers and every code the detector can
return (the config checks its model languages against it). A leaf: it imports nothing of
Briefing's, so the config, the router and the renderer can all use it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from babel import Locale

LANGUAGE_NAMES: dict[str, str] = {
    "nl": "Dutch",
    "nb": "Norwegian Bokmål",
    "nn": "Norwegian Nynorsk",
    "no": "Norwegian",
    "it": "Italian",
    "en": "English",
    "da": "Danish",
    "sv": "Swedish",
    "de": "German",
    "af": "Afrikaans",
    "fr": "French",
    "es": "Spanish",
}


@cache
def _cldr_names() -> Mapping[str, str]:
    """Every language's English name in the Unicode CLDR (through babel): the detector can
    return codes the table above does not name (a binary file read as ``zh``)."""
    return Locale("en").languages


def language_name(code: str) -> str:
    """``nl`` -> ``Dutch``, ``zh`` -> ``Chinese``; a code without any name stays as it is."""
    return LANGUAGE_NAMES.get(code) or _cldr_names().get(code, code)


def language_label(code: str) -> str:
    """``Dutch (nl)`` for readers; the code alone when it has no name (never ``xx (xx)``)."""
    name = language_name(code)
    return code if name == code else f"{name} ({code})"


# Every code detect_language can return (py3langid's labels through LABEL_TO_CODE). The
# config checks its languages against it: a model for a code that is never detected
# would never be used. tests/test_langid.py keeps it equal to the model's own list.
DETECTABLE_LANGUAGES: frozenset[str] = frozenset(
    """
    ace af am an ar ary arz as az ba bcl be bg bn br bs ca crh cs cy da de dz el en eo
    es et eu ext fa fi fo fr fuv fy ga gcf gcr gd gl gom grc gu gug guw ha hbo he hi hr
    ht hu hy id ig is it ja jv ka kab kik kk km kn ko ku ky la lb lg lij ln lo lt ltg lv
    mg mk ml mn mr ms mt my nb ne nl nn nso oc om or pa pcm pl ps pt qu ro ru rw sa sdh
    se si sk sl sn so sq sr st sv sw ta te tg th tk tl tr tt ug uk ur uz uzs vec vi vo
    wa wuu xh yo yue zh zu zxx
    """.split()
)
