"""Air effects read from the cached per-hex picture equal the mission-by-mission definition."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules import air

from .conftest import load_game

GAME = load_game()
A = GAME.scenario.air
missions = st.lists(st.fixed_dictionaries({
    "side": st.sampled_from(["japan", "china"]),
    "kind": st.sampled_from(["support", "interdict", "cap"]),
    "target": st.integers(1000, 1200),
    "sorties": st.integers(1, 120)}), max_size=10)


def by_definition(state, side, kind, hex_id, radius):
    grid = GAME.map.grid
    return sum(air._effective(state, m) for m in state.missions
               if m["side"] == side and m["kind"] == kind and grid.distance(m["target"], hex_id) <= radius)


@settings(max_examples=30, deadline=None)
@given(missions, st.integers(990, 1210))
def test_support_and_interdiction_follow_the_missions_flown(ms, h):
    state = GAME.new_initial_state(seed=1)
    state.missions = [dict(m) for m in ms]
    for side in ("japan", "china"):
        assert air.support_sorties(state, side, h) == by_definition(state, side, "support", h, A.support_radius)
        enemy = "china" if side == "japan" else "japan"
        assert air.interdiction_at(state, enemy)[h] == by_definition(state, side, "interdict", h, A.interdict_radius)


def test_a_new_mission_is_seen_at_once():
    state = GAME.new_initial_state(seed=1)
    state.missions = []
    assert air.support_sorties(state, "china", 1100) == 0.0
    state.missions.append({"side": "china", "kind": "support", "target": 1100, "sorties": 10})
    assert air.support_sorties(state, "china", 1100) == 10.0
    assert np.count_nonzero(air.interdiction_at(state, "japan")) == 0
