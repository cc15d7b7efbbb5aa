"""The real flow with tiny models of every configured model's real layout, with each engine.

The samples go through the Prefect flow with opus-mt-nl-en and opus-mt-it-en (published
generation configs without and with ``renormalize_logits``), opus-mt-tc-big-gmq-en for
Norwegian (float16, ``</s>`` at 41,977) and distilbart-cnn-12-6 (generation keys in
``config.json``, one embedding row fewer than the tokenizer), with the transformers engine
and with CTranslate2; every sentence's translation is the one ``generate()`` gives.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.briefing_flow import briefing_flow
from pipeline.config.load import load_config, parse_config
from pipeline.models import loaded as runtime
from pipeline.translation.engine import EngineSettings
from pipeline.translation.marian import MarianTranslator

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def models_dir(
    tiny_models_dir: Path, tc_big_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    directory = tmp_path_factory.mktemp("layouts")
    for model in [*tiny_models_dir.iterdir(), tc_big_model]:
        shutil.copytree(model, directory / model.name)
    return directory


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_every_real_layout_through_the_flow_gives_generates_translations(
    engine: str,
    prefect_server,
    models_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    monkeypatch.setenv("BRIEFING_MODELS_DIR", str(models_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    runtime.clear()
    data = load_config().model_dump(mode="json")
    data["sources"] = [str(s) for s in SAMPLES]
    data["output_dir"] = str(tmp_path / "out")
    data["glossary"] = None  # compare the engines' own output
    data["translation"]["engine"] = engine
    data["translation"]["models"]["nb"] = {"id": "Helsinki-NLP/opus-mt-tc-big-gmq-en"}
    try:
        paths = briefing_flow(config=parse_config(data)).paths
    finally:
        runtime.clear()

    briefing = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
    sources = briefing["sources"]
    assert [s["status"] for s in sources] == ["ok"] * 5
    assert all(s["summary"].strip() for s in sources)
    used = {lang: m["id"] for lang, m in briefing["models"]["translation"].items()}
    assert used["nb"] == "Helsinki-NLP/opus-mt-tc-big-gmq-en"

    beams = data["translation"]["num_beams"]
    references: dict[str, MarianTranslator] = {}
    for source in sources:
        language = source["language"]
        if language == "en":
            continue
        name = used[language].split("/", 1)[1]
        reference = references.get(name) or MarianTranslator(
            models_dir / name, EngineSettings(num_beams=beams)
        )
        references[name] = reference
        for pair in source["sentences"]:
            sentence = reference.normalise(pair["source"], language)
            [(text, _)] = reference.reference_generate([sentence])
            assert pair["translation"] == text, (name, pair["source"])
