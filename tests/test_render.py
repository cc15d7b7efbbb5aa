"""Rendering and writing a briefing: content, escaping, the JSON contract, atomic files."""

from __future__ import annotations

import html as html_lib
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.assemble.document import Briefing
from pipeline.render import render
from pipeline.render.render import (
    TEST_MODELS_WARNING,
    OutputError,
    render_html,
    render_json,
    render_markdown,
    write_outputs,
)
from pipeline.storage.atomic import atomic_write_text
from pipeline.types import (
    ModelsUsed,
    ModelUse,
    RemovedLine,
    SourceReport,
    Status,
    TranslatedSegment,
)

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</details>",
    "a | b || c",
]


def make_briefing(**overrides) -> Briefing:
    ok = SourceReport(
        id="nos-kabinet",
        path="samples/nl/nos-kabinet.txt",
        language="nl",
        language_confidence=0.97,
        title="Kabinet valt over migratie",
        text="Het kabinet is gevallen.\n\nDe premier is weg.",
        removed=[RemovedLine(line=3, text="Accepteer alle cookies", rule="cookie-banner")],
        translation="The cabinet has fallen.\n\nThe prime minister is gone.",
        summary="The Dutch cabinet fell over migration.",
        sentences=[
            TranslatedSegment("Het kabinet is gevallen.", "The cabinet has fallen.", -0.3),
            TranslatedSegment("De premier is weg.", "The prime minister is gone.", -0.4),
        ],
        translation_model="Helsinki-NLP/opus-mt-nl-en",
    )
    failed = SourceReport(
        id="rai-sport",
        path="samples/it/rai-sport.html",
        status=Status.FAILED,
        error="translation model crashed: out of memory",
        language="it",
        title="Calcio, la Juve vince",
    )
    skipped = SourceReport(
        id="nrk-vaer",
        path="samples/nb/nrk-vaer.txt",
        status=Status.SKIPPED,
        error="no translation model for language 'de'",
        language="de",
        mixed_language=True,
        title="Været i helgen",
    )
    fields = {
        "title": "Morning briefing",
        "generated_at": "2024-05-01T07:00:00+00:00",
        "overview": "Three sources today.\n\nOne failed, one skipped.",
        "sources": [ok, failed, skipped],
        "models": ModelsUsed(
            translation={"nl": ModelUse("Helsinki-NLP/opus-mt-nl-en", "/m/nl", "hub")},
            summary=ModelUse("t5-small", "/m/t5", "hub"),
        ),
        "test_models": False,
        "notes": ["Norwegian source skipped: no model"],
    }
    fields.update(overrides)
    return Briefing(**fields)


def hostile_briefing() -> Briefing:
    evil = " ".join(HOSTILE)
    report = SourceReport(
        id=f"id {evil}",
        path=f"path/{evil}.txt",
        language='nl"><script>',
        title=f"Title {evil}\nsecond line",
        text=evil,
        removed=[RemovedLine(line=1, text=evil, rule=evil)],
        translation=f"{evil}\n\n{evil}",
        summary=evil,
        sentences=[TranslatedSegment(evil, evil)],
        translation_model=evil,
    )
    failed = SourceReport(
        id="bad", path="bad.txt", status=Status.FAILED, error=f"boom {evil}", title=evil
    )
    return make_briefing(
        title=f"Briefing {evil}",
        generated_at=evil,
        overview=evil,
        sources=[report, failed],
        models=ModelsUsed({evil: ModelUse(evil, evil, evil, evil)}, ModelUse(evil, evil, evil)),
        notes=[evil],
    )


def source_section(markdown: str, anchor: str) -> str:
    """The Markdown of one source: from its anchor to the next anchor or Models section."""
    start = markdown.index(f'<a id="{anchor}"></a>')
    ends = [markdown.find(marker, start + 1) for marker in ('<a id="', "## Models used")]
    return markdown[start : min(end for end in ends if end != -1)]


def table_rows(markdown: str, header: str) -> list[str]:
    lines = markdown.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def unescaped_pipes(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row))


# ------------------------------------------------------------------------- content


@pytest.mark.parametrize("render_fn", [render_markdown, render_html, render_json])
def test_every_format_shows_each_sources_title_summary_and_status(render_fn):
    briefing = make_briefing()
    out = render_fn(briefing)
    for report in briefing.sources:
        assert report.title in out
        assert str(report.status) in out
        if report.summary:
            assert report.summary in out


@pytest.mark.parametrize("render_fn", [render_markdown, render_html])
def test_text_formats_show_overview_notes_models_and_generated_at(render_fn):
    out = render_fn(make_briefing())
    assert "Overview" in out
    assert "Three sources today." in out
    assert "Norwegian source skipped: no model" in out
    assert "1 May 2024, 07:00 UTC" in out
    assert "t5-small" in out
    assert "Models used" in out


def test_html_keeps_the_machine_timestamp_beside_the_human_one():
    assert '<time datetime="2024-05-01T07:00:00+00:00">1 May 2024, 07:00 UTC</time>' in render_html(
        make_briefing()
    )


def test_json_round_trips_and_has_the_contract_keys():
    briefing = make_briefing()
    data = json.loads(render_json(briefing))
    assert data == json.loads(json.dumps(briefing.to_dict()))
    assert list(data) == list(briefing.to_dict())
    for key in ("generated_at", "overview", "models", "sources"):
        assert key in data
    source_keys = {
        "id", "path", "language", "status", "error", "title",
        "text", "removed", "translation", "summary", "sentences",
    }  # fmt: skip
    for source in data["sources"]:
        assert source_keys <= set(source)
        for pair in source["sentences"]:
            assert {"source", "translation"} <= set(pair)
    assert data["sources"][0]["sentences"][0]["translation"] == "The cabinet has fallen."
    assert data["sources"][1]["status"] == "failed"


def test_json_keeps_non_ascii_readable_and_is_indented():
    out = render_json(make_briefing())
    assert "Været i helgen" in out
    assert '\n  "title": ' in out
    assert out.endswith("}\n")


def test_json_turns_non_finite_confidence_into_null_so_it_stays_valid():
    briefing = make_briefing()
    briefing.sources[0].sentences[0] = TranslatedSegment("a", "b", float("-inf"))
    out = render_json(briefing)
    assert "Infinity" not in out
    assert json.loads(out)["sources"][0]["sentences"][0]["confidence"] is None


def test_translation_paragraphs_are_preserved():
    briefing = make_briefing()
    assert "The cabinet has fallen.\n\nThe prime minister is gone." in render_markdown(briefing)
    html = render_html(briefing)
    assert "<p>The cabinet has fallen.</p>" in html
    assert "<p>The prime minister is gone.</p>" in html


def test_sentence_pairs_and_removed_debris_are_shown_collapsed():
    briefing = make_briefing()
    html = render_html(briefing)
    details = html[html.index("<details>") :]
    assert "Het kabinet is gevallen." in details
    assert "Removed as web debris: line 3 (cookie-banner): Accepteer alle cookies" in details
    markdown = render_markdown(briefing)
    assert "### Sentence by sentence" in markdown
    assert "| 1 | Het kabinet is gevallen. | The cabinet has fallen. |" in markdown
    assert "- Removed as web debris: line 3 (cookie-banner): Accepteer alle cookies" in markdown


def test_mixed_language_is_mentioned():
    briefing = make_briefing()
    assert "mixed language" in render_markdown(briefing)
    assert "mixed language" in render_html(briefing)


def test_html_names_a_language_the_table_lacks_once():
    binary = SourceReport(
        id="odd-bytes", path="inbox/odd.txt", status=Status.SKIPPED, error="no model", language="zh"
    )
    page = render_html(make_briefing(sources=[binary]))
    assert "Chinese (zh)" in page and "zh (zh)" not in page


@pytest.mark.parametrize("render_fn", [render_markdown, render_html])
def test_failed_source_shows_its_error_and_no_empty_sections(render_fn):
    out = html_lib.unescape(render_fn(make_briefing()))
    assert "translation model crashed: out of memory" in out
    assert "no translation model for language 'de'" in out


def test_failed_and_skipped_sections_have_no_summary_or_translation_headings():
    markdown = render_markdown(make_briefing())
    for anchor in ("source-rai-sport", "source-nrk-vaer"):
        section = source_section(markdown, anchor)
        assert "Summary" not in section
        assert "Translation (English)" not in section
    ok_section = source_section(markdown, "source-nos-kabinet")
    assert "### Summary" in ok_section
    assert "### Translation (English)" in ok_section

    html = render_html(make_briefing())
    article = html[html.index('id="source-rai-sport"') : html.index('id="source-nrk-vaer"')]
    assert "<h3>" not in article


def test_each_source_gets_a_safe_unique_anchor():
    reports = [
        SourceReport(id="a b/c", path="1"),
        SourceReport(id="A-B-C", path="2"),
        SourceReport(id='x"><script>', path="3"),
        SourceReport(id="città", path="4"),
        SourceReport(id="", path="5"),
    ]
    html = render_html(make_briefing(sources=reports))
    anchors = re.findall(r'<article class="source" id="([^"]*)"', html)
    assert anchors == [
        "source-a-b-c",
        "source-a-b-c-2",
        "source-x-script",
        "source-citta",
        "source-5",
    ]
    for anchor in anchors:
        assert f'href="#{anchor}"' in html
        assert f'<a id="{anchor}"></a>' in render_markdown(make_briefing(sources=reports))


def test_a_briefing_without_sources_still_renders():
    briefing = make_briefing(sources=[], notes=[], models=ModelsUsed(), overview="")
    assert "No sources" in render_html(briefing)
    assert "No sources" in render_markdown(briefing)
    assert json.loads(render_json(briefing))["sources"] == []


# ------------------------------------------------------------------- test-models banner


@pytest.mark.parametrize("render_fn", [render_markdown, render_html])
def test_test_models_banner_appears_only_for_test_models(render_fn):
    assert TEST_MODELS_WARNING in render_fn(make_briefing(test_models=True))
    assert TEST_MODELS_WARNING not in render_fn(make_briefing(test_models=False))


@pytest.mark.parametrize("render_fn", [render_markdown, render_html])
def test_test_models_banner_comes_before_the_overview(render_fn):
    out = render_fn(make_briefing(test_models=True))
    assert out.index(TEST_MODELS_WARNING) < out.index("Overview")


# -------------------------------------------------------------------------- escaping


def test_html_escapes_hostile_source_text():
    html = render_html(hostile_briefing())
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert lowered.count("<details") == lowered.count("</details>")
    # Attribute values can't be broken out of either.
    assert re.search(r'lang="[^"]*<', html) is None


def test_html_is_self_contained_with_a_restrictive_policy():
    html = render_html(make_briefing())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert '<meta charset="utf-8">' in html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1)
    assert "style-src 'unsafe-inline'" in policy.group(1)
    lowered = html.lower()
    for forbidden in ("<script", "<link", "<img", "<iframe", "http://", "https://", "src="):
        assert forbidden not in lowered
    assert "@media print" in html


def test_markdown_table_cells_stay_one_row_with_pipes_and_newlines():
    briefing = hostile_briefing()
    markdown = render_markdown(briefing)
    rows = table_rows(markdown, "| # | ID | Title | Language | Status | Error |")
    assert len(rows) == 2 + len(briefing.sources)
    assert {unescaped_pipes(row) for row in rows} == {7}

    pair_header = next(line for line in markdown.splitlines() if line.startswith("| # | Source"))
    pair_rows = table_rows(markdown, pair_header)
    assert len(pair_rows) == 2 + 1
    assert {unescaped_pipes(row) for row in pair_rows} == {4}


def test_markdown_neutralises_raw_html_and_headings_from_sources():
    markdown = render_markdown(hostile_briefing())
    assert re.search(r"(?<!\\)<(script|img|/details)", markdown) is None
    heading = next(line for line in markdown.splitlines() if line.startswith("## 1. "))
    assert "second line" in heading  # the title's newline didn't end the heading


def test_markdown_keeps_running_text_readable():
    text = "The minister said (again) that 3.5% isn't enough - really."
    briefing = make_briefing()
    briefing.sources[0].summary = text
    assert text in render_markdown(briefing)


def test_markdown_line_starting_with_hash_does_not_become_a_heading():
    briefing = make_briefing()
    briefing.sources[0].translation = "# not a heading\n\n1. not a list"
    markdown = render_markdown(briefing)
    assert "\n# not a heading" not in markdown
    assert "\\# not a heading" in markdown
    assert "1\\. not a list" in markdown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_html_markup_never_depends_on_source_text(text):
    """Escaping is complete: any title adds no '<' of its own to the page."""
    baseline = render_html(make_briefing()).count("<")
    briefing = make_briefing()
    for report in briefing.sources:
        report.title = text
        report.error = (report.error and text) or None
    assert render_html(briefing).count("<") == baseline


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_markdown_sources_table_has_one_row_per_source_for_any_title(text):
    briefing = make_briefing()
    briefing.sources[0].title = text
    briefing.sources[1].error = text
    rows = table_rows(render_markdown(briefing), "| # | ID | Title | Language | Status | Error |")
    assert len(rows) == 2 + len(briefing.sources)
    assert {unescaped_pipes(row) for row in rows} == {7}


# --------------------------------------------------------------------------- writing


def temp_files(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_write_outputs_writes_every_format_and_leaves_no_temp_files(tmp_path):
    briefing = make_briefing()
    out_dir = tmp_path / "out" / "nested"  # created on demand
    paths = write_outputs(briefing, out_dir, "daily")
    assert paths == {
        "md": out_dir / "daily.md",
        "html": out_dir / "daily.html",
        "json": out_dir / "daily.json",
    }
    assert paths["md"].read_text(encoding="utf-8") == render_markdown(briefing)
    assert paths["html"].read_text(encoding="utf-8") == render_html(briefing)
    assert json.loads(paths["json"].read_text(encoding="utf-8")) == json.loads(
        render_json(briefing)
    )
    assert temp_files(out_dir) == []
    assert sorted(p.name for p in out_dir.iterdir()) == ["daily.html", "daily.json", "daily.md"]


def test_write_outputs_only_writes_the_requested_formats(tmp_path):
    paths = write_outputs(make_briefing(), tmp_path, "daily", formats=["json"])
    assert list(paths) == ["json"]
    assert [p.name for p in tmp_path.iterdir()] == ["daily.json"]


def test_write_outputs_replaces_existing_files(tmp_path):
    write_outputs(make_briefing(title="Old"), tmp_path, "daily")
    write_outputs(make_briefing(title="New"), tmp_path, "daily")
    assert "# New" in (tmp_path / "daily.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "daily.json").read_text(encoding="utf-8"))["title"] == "New"
    assert temp_files(tmp_path) == []


def test_render_failure_leaves_previous_outputs_untouched(tmp_path, monkeypatch):
    write_outputs(make_briefing(title="Old"), tmp_path, "daily")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(briefing):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(render, "render_html", broken)
    with pytest.raises(RuntimeError, match="template exploded"):
        write_outputs(make_briefing(title="New"), tmp_path, "daily")
    with pytest.raises(RuntimeError):
        write_outputs(make_briefing(title="New"), tmp_path, "other")

    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert temp_files(tmp_path) == []


def test_write_failure_midway_leaves_previous_outputs_untouched(tmp_path, monkeypatch):
    write_outputs(make_briefing(title="Old"), tmp_path, "daily")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_fsync = os.fsync
    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:  # the second staged file hits a full disk
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OutputError, match=re.escape(str(tmp_path))):
        write_outputs(make_briefing(title="New"), tmp_path, "daily")
    monkeypatch.undo()

    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("make_target", [lambda d: d, lambda d: d / "sub" / "dir"])
def test_unwritable_output_dir_raises_output_error_naming_the_dir(tmp_path, make_target):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "daily.md").write_text("previous", encoding="utf-8")
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("permissions are not enforced for this user (root?)")
        target = make_target(locked)
        with pytest.raises(OSError) as caught:
            write_outputs(make_briefing(), target, "daily")
        assert isinstance(caught.value, OutputError)
        assert str(target) in str(caught.value)
        assert "output directory" in str(caught.value)
    finally:
        locked.chmod(0o700)
    assert (locked / "daily.md").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in locked.iterdir()) == ["daily.md"]


def test_output_dir_that_is_a_file_raises_output_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=re.escape(str(blocker))):
        write_outputs(make_briefing(), blocker, "daily")


@pytest.mark.parametrize(
    "name", ["../x", "a/b", "a\\b", "", ".hidden", "-x", "x\n", "daily briefing", "x" * 201]
)
def test_unsafe_name_raises_value_error(tmp_path, name):
    with pytest.raises(ValueError):
        write_outputs(make_briefing(), tmp_path, name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["daily", "2024-05-01", "brief_v1.2"])
def test_safe_names_are_accepted(tmp_path, name):
    assert write_outputs(make_briefing(), tmp_path, name, formats=["md"])["md"].exists()


@pytest.mark.parametrize("formats", [["pdf"], [], ["md", "docx"]])
def test_unknown_format_raises_value_error_before_writing(tmp_path, formats):
    with pytest.raises(ValueError):
        write_outputs(make_briefing(), tmp_path, "daily", formats=formats)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- atomic write


def test_atomic_write_text_creates_and_replaces_without_temp_files(tmp_path):
    target = tmp_path / "state.json"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two ü\r\n")
    assert target.read_bytes() == "two ü\r\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_atomic_write_text_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "state.json"
    target.write_text("old", encoding="utf-8")

    def failing_replace(src, dst):
        raise OSError("rename refused")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename refused"):
        atomic_write_text(target, "new")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_atomic_write_text_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "briefing.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_text(target, "new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_atomic_write_text_gives_new_files_umask_permissions_not_0600(tmp_path):
    target = tmp_path / "briefing.html"
    atomic_write_text(target, "new")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_models_are_a_table_of_use_id_revision_and_place_not_json():
    models = ModelsUsed(
        translation={"nl": ModelUse("Helsinki-NLP/opus-mt-nl-en", "/m/nl", "hub", "abc123")},
        summary=ModelUse("sshleifer/distilbart-cnn-12-6", "/m/bart", "models_dir", "def456", True),
    )
    html = render_html(make_briefing(models=models))
    markdown = render_markdown(make_briefing(models=models))
    assert '<table class="models">' in html
    assert "<td>translate nl</td><td><code>Helsinki-NLP/opus-mt-nl-en</code>" in html
    assert "<td>summarise</td>" in html and "test model" in html
    for out in (html, markdown):
        assert '{"id"' not in out and "&#34;id&#34;" not in out and "&quot;id" not in out
    assert "- **translate nl:** Helsinki-NLP/opus-mt-nl-en, revision abc123, from hub" in markdown


def test_overview_citations_link_to_their_sources():
    briefing = make_briefing(overview="Two agree [1][2]; a third [9] is no source.")
    html = render_html(briefing)
    anchors = re.findall(
        r'<a class="cite" href="#([^"]+)">\[(\d)\]</a>',
        html.split('id="overview"')[1].split("</section>")[0],
    )
    assert [n for _, n in anchors] == ["1", "2"]
    for anchor, _ in anchors:
        assert f'id="{anchor}"' in html
    assert "[9]" in html


def test_overview_text_stays_escaped_around_citation_links():
    html = render_html(make_briefing(overview="<script>x</script> [1]"))
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_duplicate_of_links_to_the_original_source():
    copy = SourceReport(
        id="nos-copy",
        path="in/copy.txt",
        status=Status.SKIPPED,
        error="duplicate of nos-kabinet",
        duplicate_of="nos-kabinet",
    )
    briefing = make_briefing()
    html = render_html(make_briefing(sources=[*briefing.sources, copy]))
    match = re.search(r'duplicate of <a href="#([^"]+)">nos-kabinet</a>', html)
    assert match is not None
    assert f'id="{match.group(1)}"' in html


def test_a_message_that_only_reads_like_a_duplicate_is_not_parsed_into_a_link():
    odd = SourceReport(
        id="odd", path="in/odd.txt", status=Status.FAILED, error="duplicate of nos-kabinet"
    )
    briefing = make_briefing()
    html = render_html(make_briefing(sources=[*briefing.sources, odd]))
    assert re.search(r'duplicate of <a href="#[^"]+">nos-kabinet</a>', html) is None


def test_test_models_are_said_once_at_the_top_not_on_every_source():
    from pipeline.quality.flags import Flag
    from pipeline.synthesis.synthesize import Synthesis

    briefing = make_briefing()
    flags = {
        r.id: [
            Flag("test_models", "Made with tiny random-weight TEST models."),
            Flag("low_confidence", "Shaky.", [0]),
        ]
        for r in briefing.sources
    }
    html = render_html(make_briefing(test_models=True, synthesis=Synthesis(flags=flags)))
    assert html.count(TEST_MODELS_WARNING) == 1
    assert "Made with tiny random-weight TEST models." not in html
    assert "Shaky." in html  # the other flags stay
    # Flag sentence indices are 0-based in the JSON, shown 1-based on the page.
    assert 'Sentences: <a href="#s1-' in html


def translated_title_briefing() -> Briefing:
    briefing = make_briefing()
    ok = briefing.sources[0]
    ok.original_title, ok.title = ok.title, "Cabinet falls over migration"
    return briefing


def test_translated_title_heads_the_contents_table_and_section_with_the_original_beside():
    markdown = render_markdown(translated_title_briefing())
    contents = markdown.split("## Contents", 1)[1].split("## ", 1)[0]
    assert "[1\\. Cabinet falls over migration](#source-nos-kabinet)" in contents
    assert "Kabinet valt" not in contents
    rows = table_rows(markdown, "| # | ID | Title | Language | Status | Error |")
    row = next(r for r in rows if "nos-kabinet" in r)
    assert "| Cabinet falls over migration _(Kabinet valt over migratie)_ |" in row
    section = source_section(markdown, "source-nos-kabinet")
    assert "## 1. Cabinet falls over migration\n\n_Original title:_ Kabinet valt over migratie" in (
        section
    )


def test_html_shows_the_original_title_in_its_language_beside_the_english_one():
    page = render_html(translated_title_briefing())
    heading = page.split('id="source-nos-kabinet"', 1)[1].split("</p>", 1)[0]
    assert "<h2>1. Cabinet falls over migration</h2>" in heading
    assert 'Original title: <span class="original" lang="nl">Kabinet valt over migratie</span>' in (
        heading
    )
    data = json.loads(render_json(translated_title_briefing()))
    assert data["sources"][0]["title"] == "Cabinet falls over migration"
    assert data["sources"][0]["original_title"] == "Kabinet valt over migratie"
    assert data["sources"][1]["original_title"] == ""


def test_untranslated_title_shows_once_in_its_language():
    page = render_html(make_briefing())
    assert "Original title" not in page
    assert '<h2>1. <span lang="nl">Kabinet valt over migratie</span></h2>' in page
