"""`scenarios/large.yaml` is the bench's 1M-record scenario: made by bench/scenarios.py, valid."""

from __future__ import annotations

from pathlib import Path

from bench.scenarios import BENCH_PROVIDERS, LARGE_RECORDS, LIST_TARGETS, big_scenario
from sandbox.providers import load_providers
from sandbox.scenario import parse_scenario

LARGE = Path(__file__).resolve().parent.parent / "scenarios" / "large.yaml"


def test_large_yaml_is_what_the_bench_generates():
    assert LARGE.read_text() == big_scenario(LARGE_RECORDS, list(LIST_TARGETS), name="large")


def test_large_yaml_validates_with_a_million_records():
    scenario = parse_scenario(LARGE.read_text(), str(LARGE), load_providers())
    assert set(scenario.sections) == set(BENCH_PROVIDERS)
    assert LARGE_RECORDS * len(BENCH_PROVIDERS) == 1_000_000
