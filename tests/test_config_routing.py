"""Config validation and language routing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config.load import load_config, parse_config
from pipeline.config.schema import ConfigError
from pipeline.documents.route import route


def test_the_default_config_briefs_the_samples() -> None:
    config = load_config()
    assert config.sources and "samples" in str(config.sources[0])
    assert config.translation.models["nl"].id == "Helsinki-NLP/opus-mt-nl-en"
    assert config.translation.models["nb"].id == "Helsinki-NLP/opus-mt-gmq-en"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"titel": "x"}, "titel"),
        ({"translation": {"num_beams": "many"}}, "translation.num_beams"),
        ({"translation": {"models": {"Dutch": {"id": "a/b"}}}}, "translation.models"),
        ({"translation": {"models": {"nl": {"id": "../../etc"}}}}, "translation.models.nl.id"),
        ({"output_name": "../escape"}, "output_name"),
        ({"summary": {"method": "magic"}}, "summary.method"),
    ],
)
def test_a_bad_config_is_an_error_naming_the_key(data: dict, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(data, "test.yaml")
    assert key in str(error.value)


def test_a_config_file_that_is_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("title: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)


def test_relative_model_paths_are_taken_from_the_base_dir(tmp_path: Path) -> None:
    config = parse_config(
        {"translation": {"models": {"nl": {"id": "a/b", "path": "models/b"}}}},
        base_dir=tmp_path,
    )
    assert config.translation.models["nl"].path == tmp_path / "models" / "b"


def test_languages_route_to_their_model_english_passes_through_others_are_skipped() -> None:
    config = load_config().translation
    assert route("nl", config).model.id == "Helsinki-NLP/opus-mt-nl-en"
    assert route("nb", config).model.id == "Helsinki-NLP/opus-mt-gmq-en"
    assert route("en", config).action == "passthrough"
    for language in ("da", "de", "sv", "af"):
        decision = route(language, config)
        assert decision.action == "skip" and decision.model is None
        assert language in decision.reason


def test_a_language_the_table_lacks_is_named_once_not_as_its_code_twice() -> None:
    config = load_config().translation
    assert "for Chinese (zh);" in route("zh", config).reason  # the CLDR name
    assert "for German (de);" in route("de", config).reason  # the project's table
    unnamed = route("qaa", config).reason  # a code no table names
    assert "for qaa;" in unnamed and "qaa (qaa)" not in unnamed
