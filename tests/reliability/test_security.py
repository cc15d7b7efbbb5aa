"""Nothing let in: hostile text stays text, models never run their own code, and no id,
name or model path can climb out of its directory.

YAML is loaded with ``yaml.safe_load``: tests/test_config_routing.py::test_yaml_is_loaded_safely
feeds it a ``!!python/object/apply`` tag. Hostile text through the real flow is in
test_flow_reliability.py; here it goes through the same render code without models.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config.load import parse_config
from pipeline.config.schema import ConfigError, ModelSpec
from pipeline.models.locate import resolve_model, safe_name
from pipeline.render.render import write_outputs
from pipeline.sources.discover import discover_sources, safe_id
from pipeline.summaries.summarize import AbstractiveSummarizer
from pipeline.translation.marian import MarianTranslator

from .cases import HOSTILE_PAYLOADS, HOSTILE_TEXT
from .helpers import REPO, brief_without_models
from .test_outputs import make_briefing

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CODE_DIRS = ("pipeline", "flows")


def assert_html_inert(html: str, payloads: tuple[str, ...] = HOSTILE_PAYLOADS) -> None:
    """No element, attribute or URL from a source became markup; the text shows as text."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in {"script", "iframe", "svg", "img", "object", "embed", "base"}
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (element.tag, value)
    assert not [h for h in root.iter("h1") if "Injected" in h.text_content()]
    text = root.text_content()
    for payload in payloads:
        assert payload in text, payload  # shown literally, as the source wrote it
    csp = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]


def assert_markdown_inert(markdown: str) -> None:
    """Raw HTML from a source is escaped in Markdown (a renderer shows it as text)."""
    for tag in ("script", "img", "svg", "iframe", "/details", "h1", "!--"):
        assert not re.search(rf"(?<!\\)<{re.escape(tag)}", markdown), tag


def test_hostile_text_is_escaped_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "hostile <img src=x onerror=alert(9)>.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    data, markdown, html = brief_without_models([path])

    [record] = data["sources"]
    assert record["status"] == "ok"
    assert all(payload in record["text"] for payload in HOSTILE_PAYLOADS)  # JSON keeps it
    assert record["title"].startswith('<script>alert("title")</script>')
    assert_html_inert(html, (*HOSTILE_PAYLOADS, record["title"], record["path"]))
    assert_markdown_inert(markdown)


# --- no remote code -------------------------------------------------------------------


def _python_files() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in (REPO / d).rglob("*.py"))


def test_no_code_sets_trust_remote_code() -> None:
    hits = []
    for path in _python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"trust_remote_code\s*=\s*(?!False\b)", line):
                hits.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert hits == []


def test_every_from_pretrained_call_is_plain() -> None:
    """Every model and tokenizer load passes only a path: no trust_remote_code, and no
    ``**kwargs`` that could smuggle it in."""
    calls = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in {"from_pretrained", "pipeline"}:
                continue
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            calls.append(where)
            for keyword in node.keywords:
                assert keyword.arg is not None, f"{where}: **kwargs"
                if keyword.arg == "trust_remote_code":
                    assert isinstance(keyword.value, ast.Constant) and not keyword.value.value
    assert len(calls) >= 4, calls  # the translator's and summariser's loads are found


def _with_remote_code(model: Path, target: Path, marker: Path, model_type: str | None) -> Path:
    shutil.copytree(model, target)
    config = json.loads((target / "config.json").read_text(encoding="utf-8"))
    config["auto_map"] = {
        "AutoConfig": "evil.EvilConfig",
        "AutoModelForSeq2SeqLM": "evil.EvilModel",
        "AutoTokenizer": ["evil.EvilTokenizer", None],
    }
    if model_type is not None:
        config["model_type"] = model_type
    (target / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (target / "evil.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n", encoding="utf-8"
    )
    return target


@pytest.mark.parametrize("model_type", [None, "evil-model"], ids=["known-type", "unknown-type"])
def test_fault_remote_code_model(
    model_type: str | None, tiny_models_dir: Path, tmp_path: Path
) -> None:
    """A model folder that asks (``auto_map``) to run its own Python: the code never runs.
    A known architecture loads with the library's own code; an unknown one is refused
    where the class is looked up from the folder (the summariser's Auto classes)."""
    marker = tmp_path / "remote-code-ran"
    loaders = {
        "opus-mt-nl-en": lambda d: MarianTranslator(d),
        "distilbart-cnn-12-6": lambda d: AbstractiveSummarizer(d),
    }
    for name, load in loaders.items():
        folder = _with_remote_code(tiny_models_dir / name, tmp_path / name, marker, model_type)
        try:
            load(folder)
            loaded = True
        except Exception:
            loaded = False
        assert not marker.exists(), f"{name}: the model's own code ran"
        if model_type is None or name.startswith("distilbart"):
            assert loaded == (model_type is None), name


# --- nothing escapes its directory -----------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_file_name_gives_a_safe_id(name: str) -> None:
    source_id = safe_id(name)
    assert SAFE_ID.fullmatch(source_id) and len(source_id) <= 80
    assert ".." not in source_id.split("/") and "/" not in source_id


# (Names starting with "." are hidden files, left out of a folder on purpose.)
HOSTILE_NAMES = [
    "x...txt",
    "-rf --no-preserve-root.txt",
    "a; rm -rf ~.txt",
    "<script>alert(1)<\\script>.txt",
    "a..\\..\\windows.txt",
    "line\nbreak.txt",
    "$(reboot).txt",
    "%2e%2e%2fetc.txt",
    "CON.txt",
    "\u202egnp.txt",
]


def test_hostile_file_names_give_safe_unique_ids(tmp_path: Path) -> None:
    for name in HOSTILE_NAMES:
        (tmp_path / name).write_text("Some text.", encoding="utf-8")
    sources = discover_sources([tmp_path])
    assert len(sources) == len(HOSTILE_NAMES)
    assert all(SAFE_ID.fullmatch(s.id) for s in sources), [s.id for s in sources]
    assert len({s.id.lower() for s in sources}) == len(sources)


@pytest.mark.parametrize(
    "name",
    ["../escape", "/etc/passwd", "a/b", ".hidden", "", "-rf", "x\0y", "a" * 201, "..", "a b"],
)
def test_output_names_that_could_escape_are_refused(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="Unsafe output name"):
        write_outputs(make_briefing("x"), out, name)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../escape", "/abs", "a/b", ".hidden", "{../x}"])
def test_the_config_refuses_output_names_that_could_escape(name: str) -> None:
    with pytest.raises(ConfigError, match="output_name"):
        parse_config({"output_name": name})


def test_a_dated_output_name_stays_a_plain_file_name() -> None:
    config = parse_config({"output_name": "briefing-{date}"})
    assert SAFE_ID.fullmatch(config.resolved_output_name())


@pytest.mark.parametrize("model_id", ["../x", "a/../../b", "a/b/c", "..", "a/", "/a", "a//b"])
def test_model_ids_that_could_escape_the_models_folder_are_refused(model_id: str) -> None:
    with pytest.raises(ConfigError, match="id"):
        parse_config({"translation": {"models": {"nl": {"id": model_id}}}})
    # Even a spec that skipped validation can't name a folder outside the models folder.
    with pytest.raises(ValueError, match="not a safe directory name"):
        safe_name(ModelSpec.model_construct(id=model_id))


def test_a_model_resolves_inside_the_models_folder(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(tiny_models_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    resolved = resolve_model(ModelSpec(id="Helsinki-NLP/opus-mt-nl-en"))
    assert resolved.path.is_relative_to(tiny_models_dir.resolve())
