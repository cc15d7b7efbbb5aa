"""English titles for translated sources, made with as little model work as possible.

Most titles are already in the text: a headline-like first paragraph, or the first
sentence shortened (``pipeline.documents.clean.choose_title``). Those are segments the
engine translates anyway, so the English title is their translation (shortened the same
way), at no extra cost. Only a title the text does not contain (an HTML ``<title>`` or
a feed entry's title) is translated as one more sentence, in the same engine call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.documents.clean import collapse_whitespace, short_title
from pipeline.types import Segment, TranslatedSegment

__all__ = ["TitlePlan", "english_title", "plan_title", "translate_with_title"]

_ELLIPSIS = "…"


@dataclass(frozen=True)
class TitlePlan:
    """Where a source's English title comes from.

    ``segments``: the title is these sentences (their translations, joined); with
    ``shortened`` it was cut from them, and the English is cut the same way. ``extra``:
    the title is not in the text and is translated as one more sentence.
    """

    segments: tuple[int, ...] = ()
    shortened: bool = False
    extra: str | None = None


def _bare(text: str) -> str:
    return collapse_whitespace(text.lstrip("#").strip())


def plan_title(title: str, segments: Sequence[Segment]) -> TitlePlan:
    """How to get ``title`` in English from the translation of ``segments``."""
    wanted = _bare(title or "")
    if not wanted:
        return TitlePlan()
    if segments:
        first = segments[0].paragraph
        lead = [(i, s) for i, s in enumerate(segments) if s.paragraph == first]
        joined = ""
        for count, (_, segment) in enumerate(lead, start=1):
            joined = _bare(f"{joined} {segment.text}")
            if joined == wanted:
                return TitlePlan(segments=tuple(i for i, _ in lead[:count]))
            if len(joined) > len(wanted):
                break
        if wanted.endswith(_ELLIPSIS):
            stem = wanted[: -len(_ELLIPSIS)].rstrip(" ,;:.")
            if stem and _bare(lead[0][1].text).startswith(stem):
                return TitlePlan(segments=(lead[0][0],), shortened=True)
    return TitlePlan(extra=wanted)


def english_title(
    plan: TitlePlan,
    translations: Sequence[TranslatedSegment],
    extra: TranslatedSegment | None = None,
) -> str:
    """The English title the plan describes ("" when there is none to give)."""
    if plan.segments:
        text = collapse_whitespace(
            " ".join(translations[i].translation for i in plan.segments if i < len(translations))
        )
        return short_title(text) if plan.shortened and text else text
    if plan.extra is not None and extra is not None:
        return collapse_whitespace(extra.translation)
    return ""


def translate_with_title(
    translate: Callable[[list[str]], list[TranslatedSegment]],
    sentences: Sequence[str],
    title: str,
    segments: Sequence[Segment],
) -> tuple[list[TranslatedSegment], str]:
    """Translate ``sentences`` and, in the same call, the title when the text lacks it.

    Returns the sentences' translations (one per sentence, as ``translate`` gives them)
    and the English title ("" when there is no title).
    """
    plan = plan_title(title, segments)
    batch = list(sentences) + ([plan.extra] if plan.extra is not None else [])
    translated = translate(batch) if batch else []
    own, extra = translated[: len(sentences)], translated[len(sentences) :]
    return own, english_title(plan, own, extra[0] if extra else None)
