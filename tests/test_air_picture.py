"""Air: effects read from the cached per-hex picture equal the mission-by-mission definition; the weather draw is numpy's choice."""
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


def test_a_mission_changed_in_place_is_seen_at_once():
    state = GAME.new_initial_state(seed=1)
    state.missions = [{"side": "china", "kind": "support", "target": 1100, "sorties": 10}]
    assert air.support_sorties(state, "china", 1100) == 10.0
    state.missions[0]["sorties"] = 4
    assert air.support_sorties(state, "china", 1100) == 4.0
    state.missions[0]["target"] = 1190
    assert air.support_sorties(state, "china", 1100) == 0.0


def fresh_picture(state) -> dict:
    """The picture summed from nothing (the state's kept one set aside)."""
    kept = state.__dict__.pop("_air_picture", None)
    try:
        return air.air_picture(state)
    finally:
        state.__dict__.pop("_air_picture", None)
        if kept is not None:
            state.__dict__["_air_picture"] = kept


steps = st.lists(st.one_of(
    missions.map(lambda ms: ("fly", ms[:1])),
    st.sampled_from(["japan", "china"]).map(lambda side: ("air phase", side))), max_size=14)


@settings(max_examples=40, deadline=None)
@given(steps)
def test_the_kept_picture_equals_one_summed_afresh_as_missions_come_and_go(todo):
    state = GAME.new_initial_state(seed=1)
    state.missions = []
    for what, arg in todo:
        if what == "fly":
            state.missions.extend(dict(m) for m in arg)
        else:  # a side's air phase ends its missions
            state.missions = [m for m in state.missions if m["side"] != arg]
        kept, fresh = air.air_picture(state), fresh_picture(state)
        assert kept == fresh  # every group's sorties, hex by hex, to the last bit
        for side in ("japan", "china"):
            expected = np.minimum(1.0, air.interdiction_at(state, side) / A.interdiction_saturation)
            assert np.array_equal(air.interdiction_level(state, side), expected)


def test_the_weather_is_drawn_as_numpys_choice_draws_it():
    table = GAME.scenario.air.weather
    names = list(table)
    p = np.array([table[n].probability for n in names])
    for seed in range(300):
        state = GAME.new_initial_state(seed=seed)
        rng = np.random.default_rng(seed)
        rng.bit_generator.state = state.rng.bit_generator.state
        assert air.draw_weather(state) == names[int(rng.choice(len(names), p=p / p.sum()))]
        assert state.rng.random() == rng.random()  # the two generators are still in step


@settings(max_examples=30, deadline=None)
@given(missions, st.lists(st.integers(990, 1210), max_size=8))
def test_the_interdiction_level_at_some_hexes_is_the_whole_maps_there(ms, hexes):
    state = GAME.new_initial_state(seed=1)
    state.missions = [dict(m) for m in ms]
    hexes = np.asarray(hexes, dtype=np.intp)
    for side in ("japan", "china"):
        assert air.interdiction_levels(state, side, hexes) == air.interdiction_level(state, side)[hexes].tolist()
