"""Place control: places left empty or cut off change hands at the end of the turn."""
from __future__ import annotations

import numpy as np

from engine.api import apply
from engine.core.actions import EndPhase
from engine.rules import control, supply
from tests.conftest import clear_board, put, units_of


def fields(state):
    return {s: supply.supply_field(state, s) for s in state.game.scenario.sides}


def traces(state):
    return {s: supply.SupplyTrace(state, s) for s in state.game.scenario.sides}


def next_to(game, key):
    return int(next(n for n in game.map.nbr[game.place_hex[key]] if n >= 0))


def two_away(game, key):
    d = game.map.grid.distances_from(game.place_hex[key])
    return int(next(h for h in range(game.n_hex) if d[h] == 2))


def test_a_place_left_empty_next_to_an_enemy_unit_goes_to_the_enemy(game, state):
    cn = units_of(game, "china", 1)[0]
    clear_board(state, keep=(cn,))
    state.control["xinning"] = "japan"
    put(state, cn, next_to(game, "xinning"))
    control.update_control(state, traces(state))
    assert state.control["xinning"] == "china"


def test_a_place_with_its_holders_unit_next_to_it_never_changes_hands(game, state):
    jp, cn = units_of(game, "japan", 1)[0], units_of(game, "china", 1)[0]
    clear_board(state, keep=(jp, cn))
    state.control["xinning"] = "japan"
    put(state, cn, game.place_hex["xinning"])  # even with the enemy standing on it
    put(state, jp, next_to(game, "xinning"))
    control.update_control(state, traces(state))
    assert state.control["xinning"] == "japan"


def test_an_enemy_two_hexes_off_does_not_take_a_place(game, state):
    cn = units_of(game, "china", 1)[0]
    clear_board(state, keep=(cn,))
    state.control["xinning"] = "japan"
    put(state, cn, two_away(game, "xinning"))
    control.update_control(state, traces(state))
    assert state.control["xinning"] == "japan"


def test_a_conquered_place_cut_off_from_its_takers_supply_reverts_to_its_start_holder(game, state):
    clear_board(state)
    state.control["wuyang"] = "japan"
    f = fields(state)
    h = game.place_hex["wuyang"]
    assert f["japan"][h] > game.scenario.sides["japan"].supply_range
    assert f["china"][h] <= game.scenario.sides["china"].supply_range
    control.update_control(state, traces(state))
    assert state.control["wuyang"] == "china"


def test_a_conquered_place_outside_both_sides_supply_stays_with_its_taker(game, state):
    clear_board(state)
    state.control["xinning"] = "japan"
    f = fields(state)
    h = game.place_hex["xinning"]
    assert f["china"][h] > game.scenario.sides["china"].supply_range
    control.update_control(state, traces(state))
    assert state.control["xinning"] == "japan"


def test_a_sides_own_place_does_not_change_hands_by_supply_alone(game, state):
    clear_board(state)
    f = fields(state)
    h = game.place_hex["ningxiang"]  # Chinese at the start, in Japanese and not in Chinese supply reach
    assert state.control["ningxiang"] == "china"
    assert f["japan"][h] <= game.scenario.sides["japan"].supply_range
    assert f["china"][h] > game.scenario.sides["china"].supply_range
    control.update_control(state, traces(state))
    assert state.control["ningxiang"] == "china"


def test_the_victory_airfield_changes_hands_only_by_being_entered(game, state):
    jp = units_of(game, "japan", 1)[0]
    clear_board(state, keep=(jp,))
    put(state, jp, next_to(game, game.scenario.victory.airfield))
    control.update_control(state, traces(state))
    assert state.control[game.scenario.victory.airfield] == "china"


def test_a_change_of_control_at_the_end_of_the_turn_is_logged(game, state):
    cn = units_of(game, "china", 1)[0]
    clear_board(state, keep=(cn,))
    state.control["xinning"] = "japan"
    put(state, cn, next_to(game, "xinning"))
    turn = state.turn
    while state.turn == turn:
        apply(state, EndPhase())
    assert state.control["xinning"] == "china"
    assert {"turn": turn, "type": "control", "place": "xinning", "side": "china", "from": "japan"} in state.log


def test_the_hexes_near_a_side_are_those_within_the_radius_of_one_of_its_units_as_they_move(game, state):
    grid = game.map.grid
    jp = units_of(game, "japan", 3)
    for step in range(3):
        for radius in (1, 2, 3):
            expected = np.zeros(game.n_hex, dtype=bool)
            for u in state.active_units("japan"):
                expected[grid.within(u.hex, radius)] = True
            assert np.array_equal(control._near(state, "japan", radius), expected)
        put(state, jp[step], two_away(game, "xinning") + step)
