"""Reliability: bad input, faults, concurrent runs, hostile content (issue 6).

``cases.py`` is the catalogue of bad inputs and injected faults; docs/reliability.md quotes
its counts and ``test_reliability_doc.py`` checks that the figures there still match.
"""
