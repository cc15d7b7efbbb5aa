"""Every ``--help`` says all its words: nothing inside ``<...>`` is eaten by the markup."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from flows.cli import app

PLACEHOLDER = re.compile(r"<[^<>\n]+>")


def _commands(command: object, path: tuple[str, ...] = ()):
    yield path, command
    # typer vendors its own click: a group is whatever has sub-commands.
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    # Flatten the rich panels: box drawing and runs of spaces out, one line of words.
    text = re.sub(r"[\u2500-\u257f]", " ", result.output)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "briefing")
def test_help_keeps_every_angle_bracket_placeholder(path: tuple[str, ...]):
    command = dict(COMMANDS)[path]
    texts = [command.help or ""] + [getattr(p, "help", None) or "" for p in command.params]
    wanted = [m.group(0) for text in texts for m in PLACEHOLDER.finditer(text)]
    shown = _help(path)
    for placeholder in wanted:
        assert re.sub(r"\s+", " ", placeholder) in shown, f"{placeholder!r} lost in: {shown}"


def test_eval_translation_help_names_the_source_columns_and_history_default():
    shown = _help(("eval", "translation"))
    assert "sentence_<flores code>" in shown
    assert "<output_dir>/eval-history.jsonl" in shown
    assert "default: /eval-history" not in shown


def test_eval_history_config_says_it_locates_the_history_file():
    shown = _help(("eval", "history"))
    assert "output_dir holds the history file" in shown
    assert "measured" not in shown
