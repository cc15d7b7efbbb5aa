"""prefect.yaml repeats the default config's schedules for `prefect deploy`: they must agree."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.config.load import load_config

REPO = Path(__file__).resolve().parents[1]


def test_prefect_yaml_schedules_match_the_default_config():
    config = load_config()
    deployments = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    scheduled = {d["name"]: d for d in deployments if d.get("schedules")}
    assert set(scheduled) == {s.name for s in config.schedules}
    for schedule in config.schedules:
        deployment = scheduled[schedule.name]
        assert deployment["schedules"] == [{"cron": schedule.cron, "timezone": schedule.timezone}]
        parameters = deployment.get("parameters", {})
        assert parameters.get("output_name") == schedule.output_name
        assert parameters.get("only_new") == schedule.only_new
        assert parameters.get("config_path") == "configs/default.yaml"
