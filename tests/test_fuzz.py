"""Fuzzing saves and scenarios (a small CI run; the large one: ``python -m tests.fuzz``).

Every mutant of a real save or scenario is either refused naming file and field, or loads
into a state that passes the consistency check and plays on; never a crash.
"""
from __future__ import annotations

import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.map.hexmap import HexMap
from tests import fuzz


@pytest.fixture(scope="module")
def saves(game):
    return fuzz.base_saves(game, 2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31))
def test_a_mutated_save_is_refused_by_field_or_loads_consistent(game, saves, seed, tmp_path):
    tally = fuzz.Tally()
    fuzz.fuzz_one_save(game, saves[seed % 2], seed, tmp_path, tally)
    assert tally.ok(), (tally.crashes, tally.inconsistent, tally.unnamed)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31))
def test_a_mutated_scenario_is_refused_by_field_or_loads_consistent(seed, tmp_path_factory):
    text = (fuzz.SCENARIO / "scenario.toml").read_bytes()
    tally = fuzz.Tally()
    fuzz.fuzz_one_scenario(tomllib.loads(text.decode()), text, _hexmap(), seed, tmp_path_factory.mktemp("f"),
                           tally)
    assert tally.ok(), (tally.crashes, tally.inconsistent, tally.unnamed)


_MAP = []


def _hexmap():
    if not _MAP:
        _MAP.append(HexMap.load(fuzz.SCENARIO / "map.json"))
    return _MAP[0]


def test_the_judge_calls_an_unnamed_refusal_unnamed():
    assert fuzz.names_file_and_field("a/save.json: units[3].men: expected >= 0", ("save.json",))
    assert not fuzz.names_file_and_field("something went wrong", ("save.json",))
    assert not fuzz.names_file_and_field("a/save.json: data is bad, sorry!", ("save.json",))
