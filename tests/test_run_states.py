"""A briefing run's name, tags and final state say which briefing it is and what happened."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.naming import run_name, run_tags
from flows.states import counts_message, final_state, outcome
from pipeline.config.load import parse_config
from pipeline.types import RunSummary

WHEN = datetime(2026, 12, 1, 20, 52, tzinfo=UTC)


def test_dated_output_name_is_filled_in_the_run_name():
    config = parse_config({"output_name": "briefing-{date}"})
    assert run_name(config, when=WHEN) == "briefing-2026-12-01 20:52 UTC"


def test_undated_output_name_gets_the_date_in_the_run_name():
    assert run_name(parse_config({}), when=WHEN) == "briefing 2026-12-01 20:52 UTC"
    assert run_name(None, "tokyo", when=WHEN) == "tokyo 2026-12-01 20:52 UTC"


def test_runs_are_tagged_by_briefing_and_schedule():
    config = parse_config({"output_name": "tokyo"})
    assert run_tags(config, deployment="weekday-morning") == [
        "briefing",
        "briefing:tokyo",
        "schedule:weekday-morning",
    ]
    assert run_tags(config, deployment="") == ["briefing", "briefing:tokyo"]


@pytest.mark.parametrize(
    ("counts", "kind", "name", "message"),
    [
        ({"ok": 5, "failed": 0, "skipped": 0}, "written", "Completed", "briefing written: 5 ok"),
        (
            {"ok": 5, "failed": 1, "skipped": 3},
            "partial",
            "Partial",
            "Partial: 1 failed, 3 skipped (5 ok)",
        ),
        (None, "nothing-new", "Nothing new", "nothing new to brief: no briefing written"),
    ],
)
def test_final_state_names_what_happened(counts, kind, name, message):
    assert outcome(counts) == kind
    summary = RunSummary(paths={"md": "/out/tokyo.md"}, counts=counts)
    state = final_state("tokyo", summary)
    assert state.is_completed()
    assert state.name == name
    assert state.message == message
    assert state.result() == summary


def test_counts_message_leads_with_what_went_wrong():
    assert counts_message({"ok": 2, "failed": 0, "skipped": 1}) == "1 skipped (2 ok)"


def test_flow_run_url_points_at_the_ui_run_page():
    from prefect.settings import PREFECT_UI_URL, temporary_settings

    from flows.artifacts import flow_run_url

    with temporary_settings({PREFECT_UI_URL: "http://127.0.0.1:4200/"}):
        assert flow_run_url("1234") == "http://127.0.0.1:4200/runs/flow-run/1234"
