"""The synthesis benchmark's term matcher: a fact counts as shown only when its terms are
in a point, and a figure written in headline style is still that figure."""

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "synthesis.py"
_SPEC = importlib.util.spec_from_file_location("synthesis_benchmark", _PATH)
bench = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = bench  # its dataclasses look their module up
_SPEC.loader.exec_module(bench)


def test_a_figure_with_a_magnitude_suffix_is_that_figure():
    assert bench.has_term("Insurers paid out €512m in claims.", "512")
    assert bench.has_term("The deal is worth $3bn.", "3")
    assert bench.has_term("Insurers paid out €512m in claims.", "€|euros")


def test_a_figure_inside_a_longer_number_or_word_is_not_that_figure():
    assert not bench.has_term("Some 250 homes were lost.", "25")
    assert not bench.has_term("It was the 25th meeting.", "25")
    assert not bench.has_term("The plan runs to 2025.", "25")
    assert not bench.has_term("The rate is 2.5%.", "2")
    assert not bench.has_term("About 12,400 people voted.", "12")
    assert not bench.has_term("The 25mph limit stays.", "25")


def test_words_still_match_whole_words_only():
    assert bench.has_term("The Senate passed the bill.", "passed")
    assert not bench.has_term("The Senate bypassed the bill.", "passed")
    assert bench.has_term("A 5.25% rate.", "5.25%")
