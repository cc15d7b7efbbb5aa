"""The briefing as Markdown (CommonMark + GitHub tables)."""

from __future__ import annotations

import re

from pipeline.assemble.document import Briefing
from pipeline.render.views import briefing_context, jinja_environment


def render_markdown(briefing: Briefing) -> str:
    """The briefing as Markdown (CommonMark + GitHub tables), ending in one newline."""
    text = jinja_environment().get_template("briefing.md.j2").render(briefing_context(briefing))
    # Template conditionals leave runs of blank lines; one blank line means the same thing.
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
