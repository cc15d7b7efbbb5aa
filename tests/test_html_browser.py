"""The HTML briefing in a real browser: headless Chromium loads a briefing that contains a
hostile source, and the test checks the DOM Chromium built (not the HTML we wrote).

What it proves: every section is there, every in-page link (citations, contents, flags,
sentence references) lands on an element, and the source's script and ``onerror``
payloads did not run (``document.title`` would read "pwned"). A screenshot is saved in
the test's tmp dir for a person to look at.

Needs a Chromium binary (Debian: ``apt-get install chromium``); skipped without one. Set
``BRIEFING_CHROMIUM`` to use a particular binary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from briefing_samples import sample_reports

from pipeline.assemble.document import Briefing
from pipeline.config.schema import SynthesisConfig
from pipeline.render.render import render_html
from pipeline.synthesis.synthesize import synthesize
from pipeline.translation.glossary import parse_glossary
from pipeline.types import ModelsUsed, ModelUse, SourceReport, TranslatedSegment

SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
TITLE = "NATO liaison office in Tokyo"
SECTIONS = ["contents", "overview", "stories", "story-1", "timeline", "sources", "models"]


def chromium() -> str | None:
    candidates = [os.environ.get("BRIEFING_CHROMIUM", "")]
    candidates += ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    for name in candidates:
        if name and (path := shutil.which(name)):
            return path
    return None


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Root in a container needs --no-sandbox; the rest keeps the run quiet and offline.
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


class _Dom(HTMLParser):
    """What the test needs from the DOM: ids, in-page links, title, tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        href = values.get("href") or ""
        if href.startswith("#"):
            self.links.append(href[1:])
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def hostile_briefing():
    """The five samples plus a hostile source that joins their story."""
    evil_sentences = [
        f"NATO will open its first Asian office in Japan {SCRIPT} says a report.",
        f"France has opposed the idea of a NATO office in Tokyo {IMG} and Navo allies agree.",
        "The Navo summit begins on July 11 in Vilnius, the capital of Lithuania.",
    ]
    evil = SourceReport(
        id=f"evil{SCRIPT}",
        path=f"evil/{IMG}.txt",
        language="nl",
        language_confidence=0.42,
        title=f"Evil {SCRIPT}{IMG}",
        text="\n\n".join(evil_sentences),
        translation="\n\n".join(evil_sentences),
        summary=evil_sentences[0],
        sentences=[TranslatedSegment(s, s, -2.5) for s in evil_sentences],
        translation_model=f"evil/{SCRIPT}",
    )
    reports = [*sample_reports(), evil]
    glossary = parse_glossary({"terms": [{"to": "NATO", "from": ["Navo"]}]})
    synthesis = synthesize(reports, SynthesisConfig(), True, "extractive", glossary=glossary)
    # Built directly, not with pipeline.assemble.briefing, which imports torch (slow).
    return Briefing(
        title=TITLE,
        generated_at="2023-07-10T12:00:00+00:00",
        overview=f"{synthesis.overview} The sources disagree. {SCRIPT} [6]",
        sources=synthesis.reports,
        models=ModelsUsed({"nl": ModelUse(SCRIPT, SCRIPT, "models_dir", tiny=True)}),
        test_models=True,
        notes=[f"Note {IMG}"],
        synthesis=synthesis,
    )


def test_briefing_in_headless_chromium(tmp_path):
    binary = chromium()
    if binary is None:
        pytest.skip(
            "no Chromium binary (chromium, chromium-browser, google-chrome) on PATH; "
            "install it (Debian: apt-get install chromium) or set BRIEFING_CHROMIUM"
        )
    briefing = hostile_briefing()
    page = tmp_path / "briefing.html"
    page.write_text(render_html(briefing), encoding="utf-8")
    url = page.as_uri()

    dumped = run_chromium(
        binary, tmp_path / "profile-dom", "--virtual-time-budget=3000", "--dump-dom", url
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = _Dom()
    dom.feed(dumped.stdout)

    # Nothing from the hostile source ran or became markup.
    assert dom.title == TITLE
    assert "pwned" not in dom.title
    assert "script" not in dom.tags and "img" not in dom.tags
    assert "document.title='pwned'" in dumped.stdout  # shown as text, escaped

    for section in SECTIONS:
        assert section in dom.ids, section
    anchors = [a for a in dom.ids if a.startswith("source-")]
    assert len(anchors) == len(briefing.sources)

    # Every in-page link resolves: citations, contents, flags, sentence references.
    assert dom.links
    assert [link for link in dom.links if link not in dom.ids] == []
    citations = [link for link in dom.links if link.startswith("source-")]
    assert len(citations) > len(briefing.sources)  # the table, and the points' [n]
    assert any(link.startswith("s") and "-source-" in link for link in dom.links)
    assert any(link.startswith("flags-") for link in dom.links)

    # The overview's [n] are links to their sources; a human timestamp; a models table;
    # the test-models warning once, at the top.
    overview = dumped.stdout.split('id="overview"', 1)[1].split("</section>", 1)[0]
    cited = re.findall(r'<a class="cite" href="#(source-[^"]+)">\[6\]</a>', overview)
    assert cited and cited[0] in dom.ids
    assert ">10 July 2023, 12:00 UTC</time>" in dumped.stdout
    models = dumped.stdout.split('<table class="models">', 1)[1].split("</table>", 1)[0]
    assert "<td>translate nl</td>" in models
    assert dumped.stdout.count("TEST models") == 1

    # English titles: in the contents and the section heading, the original beside them in
    # its language; the English source keeps its own title, once.
    contents = dumped.stdout.split('id="contents"', 1)[1].split("</nav>", 1)[0]
    english = "There will be no NATO liaison office in Tokyo for the time being."
    original = "Er komt voorlopig geen verbindingskantoor van de Navo in Tokio."
    assert f">1. {english}</a>" in contents and original not in contents
    section = dumped.stdout.split('id="source-000_bc84fd529d18192b"', 1)[1].split("</dl>", 1)[0]
    assert f"<h2>1. {english}</h2>" in section
    assert f'<span class="original" lang="nl">{original}</span>' in section
    table = dumped.stdout.split('<table class="sources">', 1)[1].split("</table>", 1)[0]
    assert english in table and f'lang="nl">{original}</span>' in table
    assert '4. <span lang="en">NATO to defer decision on Tokyo liaison office</span></h2>' in (
        dumped.stdout
    )
    assert (
        "Original title" not in dumped.stdout.split('id="source-003_eeb7419205ced9fb"', 1)[1][:600]
    )

    # The overview: the synthesis' cited paragraph, each [n] a link that lands.
    text = re.sub(r"<[^>]+>", "", overview)
    assert "NATO Secretary General Jens Stoltenberg" in text

    shot = tmp_path / "briefing.png"
    taken = run_chromium(
        binary,
        tmp_path / "profile-shot",
        "--hide-scrollbars",
        "--window-size=1200,2400",
        f"--screenshot={shot}",
        url,
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
