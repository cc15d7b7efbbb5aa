"""A bad config stops `briefing run` before anything happens: exit code 2, an error that
names the key, and nothing written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from pipeline.config.load import parse_config
from pipeline.config.schema import ConfigError

from .helpers import clean_env, cli_command

# (label, config, text the error must contain)
BAD_CONFIGS: list[tuple[str, object, str]] = [
    ("unknown top-level key", {"titel": "x"}, "titel: unknown key"),
    ("unknown nested key", {"translation": {"num_beam": 4}}, "translation.num_beam"),
    ("wrong type", {"translation": {"num_beams": "many"}}, "translation.num_beams"),
    ("out of range", {"translation": {"num_beams": 0}}, "translation.num_beams"),
    ("list given as text", {"formats": "md"}, "formats"),
    ("unknown format", {"formats": ["pdf"]}, "formats.0"),
    (
        "malformed language code",
        {"translation": {"models": {"Dutch": {"id": "Helsinki-NLP/opus-mt-nl-en"}}}},
        "translation.models",
    ),
    ("malformed passthrough code", {"translation": {"passthrough": ["english"]}}, "passthrough"),
    ("unsafe model id", {"translation": {"models": {"nl": {"id": "../../etc"}}}}, "models.nl.id"),
    ("unsafe output name", {"output_name": "../escape"}, "output_name"),
    ("bad cron", {"schedules": [{"name": "daily", "cron": "61 * * * *"}]}, "schedules.0.cron"),
    (
        "bad time zone",
        {"schedules": [{"name": "daily", "cron": "0 7 * * *", "timezone": "Mars/Olympus"}]},
        "schedules.0.timezone",
    ),
    ("not a mapping", ["a", "list"], "expected a mapping"),
    ("not YAML", "title: [unclosed", "not valid YAML"),
]


def _run_with(config: object, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    path = tmp_path / "bad.yaml"
    text = config if isinstance(config, str) else yaml.safe_dump(config)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        cli_command("run", "--config", str(path), "--output-dir", str(out)),
        cwd=tmp_path,
        env=clean_env(PREFECT_HOME=str(tmp_path / "prefect-home")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, out


@pytest.mark.parametrize(
    ("config", "named"), [c[1:] for c in BAD_CONFIGS], ids=[c[0] for c in BAD_CONFIGS]
)
def test_bad_config_exits_2_naming_the_key_and_writes_nothing(
    config: object, named: str, tmp_path: Path
) -> None:
    result, out = _run_with(config, tmp_path)

    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert named in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_a_well_formed_but_unknown_language_code_is_refused() -> None:
    # Checked without the CLI: when it is accepted, `briefing run` would start a real run.
    config = {"translation": {"models": {"xx": {"id": "Helsinki-NLP/opus-mt-nl-en"}}}}
    with pytest.raises(ConfigError, match="translation.models"):
        parse_config(config, "test.yaml")
