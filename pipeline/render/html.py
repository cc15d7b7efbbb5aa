"""The briefing as one self-contained HTML page: every source text escaped, a
Content-Security-Policy that allows no scripts and no fetches."""

from __future__ import annotations

from pipeline.assemble.document import Briefing
from pipeline.render.views import briefing_context, jinja_environment


def render_html(briefing: Briefing) -> str:
    """The briefing as one self-contained, escaped HTML page (no scripts, no fetches)."""
    return jinja_environment().get_template("briefing.html.j2").render(briefing_context(briefing))
