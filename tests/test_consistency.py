"""The consistency check holds after every order of random games, and catches broken states."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine.ai.random_player as random_player
from engine.api import RandomPlayer
from engine.core.consistency import state_problems
from engine.core.play import apply as real_apply

PHASES_PER_TURN = 6


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1), phases=st.integers(1, 5 * PHASES_PER_TURN))
def test_random_play_keeps_every_invariant_after_every_order(game, seed, phases, monkeypatch):
    state = game.new_initial_state(seed)
    assert state_problems(state) == []
    orders = []

    def checked_apply(st_, action):
        real_apply(st_, action)
        orders.append(action)
        assert state_problems(st_) == [], f"after order {len(orders)}: {action!r}"
        return st_

    monkeypatch.setattr(random_player, "apply", checked_apply)
    players = {"japan": RandomPlayer(seed), "china": RandomPlayer(seed + 1)}
    for _ in range(phases):
        if state.is_over:
            break
        players[state.side].play_phase(state)
    assert orders
    json.dumps(state.to_dict())  # always saveable


def _broken(state, edit):
    edit(state)
    return state_problems(state)


@pytest.mark.parametrize("field, edit", [
    ("units[0].men", lambda s: setattr(s.units[0], "men", -5000)),
    ("units[0].mp", lambda s: setattr(s.units[0], "mp", float("nan"))),
    ("units[0].fatigue", lambda s: setattr(s.units[0], "fatigue", float("inf"))),
    ("units[0].side", lambda s: setattr(s.units[0], "side", "china")),
    ("turn", lambda s: setattr(s, "turn", 99)),
    ("weather", lambda s: setattr(s, "weather", "sandstorm")),
    ("airfield_status", lambda s: setattr(s, "airfield_status", "captured")),
    ("losses.japan", lambda s: s.losses["japan"].pop("sick")),
    ("control", lambda s: s.control.__setitem__("atlantis", "japan")),
    ("missions[0]", lambda s: s.missions.append({"side": "japan"})),
])
def test_a_broken_state_is_reported_by_field(game, field, edit):
    errs = _broken(game.new_initial_state(3), edit)
    assert any(e.startswith(field) for e in errs), errs


def test_units_of_both_sides_in_one_hex_are_reported(game):
    state = game.new_initial_state(3)
    jp = next(u for u in state.units if u.side == "japan" and u.status == "active")
    cn = next(u for u in state.units if u.side == "china" and u.status == "active")
    cn.hex = jp.hex
    assert any("both sides" in e for e in state_problems(state))


def test_overstacking_is_reported(game):
    state = game.new_initial_state(3)
    us = [u for u in state.units if u.side == "japan" and u.status == "active"]
    for u in us[1:]:
        u.hex = us[0].hex
    assert any("expected at most" in e for e in state_problems(state))


def test_men_must_be_conserved(game):
    state = game.new_initial_state(3)
    u = next(u for u in state.units if u.status == "active")
    u.men -= 100  # men vanish without being booked as losses
    assert any("not conserved" in e for e in state_problems(state))


def test_a_reserve_on_the_map_and_an_eliminated_unit_with_men_are_reported(game):
    state = game.new_initial_state(3)
    r = next(u for u in state.units if u.status == "reserve")
    r.hex = 5
    e = next(u for u in state.units if u.status == "active")
    e.status, e.hex = "eliminated", -1
    errs = state_problems(state)
    assert any(x.startswith(f"units[{state.units.index(r)}].hex") for x in errs)
    assert any(x.startswith(f"units[{state.units.index(e)}].men") for x in errs)


def test_numpy_integers_in_the_state_are_reported(game):
    import numpy as np

    state = game.new_initial_state(3)
    state.units[0].fort = np.int64(1)
    assert any(e.startswith("units[0].fort") for e in state_problems(state))
