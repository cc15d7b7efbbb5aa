"""Read and validate a YAML config; relative paths are rebased."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pipeline.config.schema import BriefingConfig, ConfigError, ModelSpec, is_url

#: configs/ of a checkout (the top-level folder the design asks for) ...
CHECKOUT_CONFIG_PATH = Path(__file__).resolve().parents[2] / "configs" / "default.yaml"
#: ... and the same files inside the package (links to configs/ in the repository, copied
#: into the wheel), so an installed ``briefing run`` has its defaults too.
PACKAGED_DEFAULTS = Path(__file__).parent / "defaults"
DEFAULT_CONFIG_PATH = (
    CHECKOUT_CONFIG_PATH if CHECKOUT_CONFIG_PATH.is_file() else PACKAGED_DEFAULTS / "default.yaml"
)


def _format_validation_error(
    error: ValidationError, origin: str, labels: dict[str, str] | None = None
) -> str:
    lines = [f"invalid configuration in {origin}:"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see configs/default.yaml)"
        elif item["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        key = labels.get(key.split(".")[0], key) if labels else key
        lines.append(f"  {key}: {message}")
    return "\n".join(lines)


def parse_config(
    data: object,
    origin: str = "<config>",
    base_dir: Path | None = None,
    labels: dict[str, str] | None = None,
) -> BriefingConfig:
    """Validate already-loaded YAML data. Relative paths are taken from ``base_dir``.

    ``labels`` names top-level keys as the user gave them (``{"output_name": "--name"}``
    for values from command-line flags), so an error points at what to change.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"invalid configuration in {origin}: expected a mapping at top level")
    try:
        config = BriefingConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_format_validation_error(error, origin, labels)) from None
    if base_dir is not None:
        config = _rebase_model_paths(config, base_dir)
        config = config.model_copy(
            update={
                "sources": [_rebase_source(s, base_dir) for s in config.sources],
                "glossary": None
                if config.glossary is None or config.glossary.is_absolute()
                else base_dir / config.glossary,
                "output_dir": config.output_dir
                if config.output_dir.is_absolute()
                else base_dir / config.output_dir,
            }
        )
    return config


def _rebase_source(source: str, base_dir: Path) -> str:
    if is_url(source) or Path(source).is_absolute():
        return source
    return str(base_dir / source)


def _rebase_model_paths(config: BriefingConfig, base_dir: Path) -> BriefingConfig:
    """Relative ``path:`` entries of models are taken from ``base_dir`` like sources are."""

    def rebase(spec: ModelSpec) -> ModelSpec:
        if spec.path is None or spec.path.is_absolute():
            return spec
        return spec.model_copy(update={"path": base_dir / spec.path})

    translation = config.translation.model_copy(
        update={"models": {k: rebase(v) for k, v in config.translation.models.items()}}
    )
    summary = config.summary.model_copy(update={"model": rebase(config.summary.model)})
    return config.model_copy(update={"translation": translation, "summary": summary})


def read_yaml(path: Path, what: str, error: type[Exception]) -> Any:
    """The data of a YAML file (``safe_load``), or ``error`` saying in plain words that the
    ``what`` (config, glossary) can't be read or isn't YAML."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as problem:
        raise error(f"cannot read {what} {path}: {problem.strerror or problem}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise error(f"{what} {path} is not valid YAML: {problem}") from None


def load_config(path: Path | str | None = None) -> BriefingConfig:
    """Read a YAML config (``safe_load``). Relative paths in it are relative to the repo root
    for the default config of a checkout, and to the current directory otherwise; the
    packaged default (an installed package without the checkout) uses its own glossary."""
    config_path = Path(path) if path is not None else DEFAULT_CONFIG_PATH
    data = read_yaml(config_path, "config", ConfigError)
    packaged = path is None and config_path != CHECKOUT_CONFIG_PATH
    if packaged and isinstance(data, dict) and isinstance(data.get("glossary"), str):
        data["glossary"] = str(PACKAGED_DEFAULTS / Path(data["glossary"]).name)
    checkout = path is None and not packaged
    base_dir = CHECKOUT_CONFIG_PATH.parents[1] if checkout else Path.cwd()
    return parse_config(data, origin=str(config_path), base_dir=base_dir)


def given(**values: Any) -> dict[str, Any]:
    """The values a caller gave: options left unset (None, empty) override nothing."""
    return {k: v for k, v in values.items() if v is not None and v not in ("", [], ())}


def with_overrides(
    config: BriefingConfig,
    overrides: Mapping[str, Any],
    origin: str = "overrides",
    labels: dict[str, str] | None = None,
) -> BriefingConfig:
    """``config`` with ``overrides`` set and validated again: the one way a command line, a
    flow parameter or an evaluation setting changes a config. A key is a top-level field
    (``sources``) or a dotted path (``translation.num_beams``). A bad key or value raises
    ConfigError naming it (as ``labels`` calls it: ``{"output_name": "--name"}``)."""
    if not overrides:
        return config
    data = config.model_dump(mode="json")
    for key, value in overrides.items():
        *parents, last = key.split(".")
        node = data
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[last] = json.loads(json.dumps(value, default=str))
    return parse_config(data, origin=origin, labels=labels)
