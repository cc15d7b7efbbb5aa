"""The figures in docs/reliability.md (the README links it) are the tests' own: counted
here, compared there.

Run ``pytest tests/reliability/test_reliability_doc.py`` after adding a case; a mismatch
prints the table as it should read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .cases import BAD_INPUTS, FAULTS
from .helpers import REPO
from .test_config_cli import BAD_CONFIGS

CATALOGUE = REPO / "docs" / "reliability.md"


def _reliability_section() -> str:
    """docs/reliability.md, where the README's Reliability section points."""
    return CATALOGUE.read_text(encoding="utf-8")


HERE = Path(__file__).resolve().parent


def _test_functions() -> set[str]:
    names = set()
    for path in HERE.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    return names


STAGE_SUITES = ("test_ingest.py", "test_cleaning.py", "test_langid.py", "test_segment.py")


def _property_tests(paths: list[Path]) -> int:
    """Test functions decorated with hypothesis' ``@given(...)``."""
    count = 0
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                count += any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", "") == "given"
                    for d in node.decorator_list
                )
    return count


def expected_figures(tmp_path: Path) -> dict[str, int]:
    sources = 0
    for case in BAD_INPUTS:
        sources += len(case.build(tmp_path / case.name).expected)
    return {
        "Kinds of bad input": len(BAD_INPUTS),
        "Kinds of bad input through the real flow": sum(c.in_flow for c in BAD_INPUTS),
        "Sources the bad inputs make": sources,
        "Faults injected": len(FAULTS),
        "Bad configurations refused": len(BAD_CONFIGS),
        "Property tests (hypothesis), tests/reliability": _property_tests(
            sorted(HERE.glob("test_*.py"))
        ),
        "Property tests (hypothesis), ingest/cleaning/langid/segment suites": _property_tests(
            [REPO / "tests" / name for name in STAGE_SUITES]
        ),
        "Sources lost": 0,
    }


def documented_figures() -> dict[str, int]:
    rows = re.findall(r"^\| ([^|]+?) \| (\d[\d,]*) \|$", _reliability_section(), re.M)
    return {label: int(number.replace(",", "")) for label, number in rows}


def test_the_documented_figures_match_the_tests(tmp_path: Path) -> None:
    expected = expected_figures(tmp_path)
    table = "\n".join(f"| {label} | {number:,} |" for label, number in expected.items())
    assert documented_figures() == expected, f"docs/reliability.md's table should read:\n{table}"


def test_every_fault_has_its_test() -> None:
    functions = _test_functions()
    for name in FAULTS:
        assert any(f.startswith(f"test_fault_{name}") for f in functions), name


def test_every_bad_input_and_fault_is_named_in_the_doc() -> None:
    text = _reliability_section()
    for case in BAD_INPUTS:
        assert case.description in text, case.description
    for description in FAULTS.values():
        assert description in text, description
