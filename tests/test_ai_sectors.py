"""The AIs' sector decisions, read from the board: garrisons, retaking places, detours."""
from __future__ import annotations

import numpy as np

from engine.api import EndPhase, apply, make_player
from engine.rules import movement
from tests.conftest import clear_board, put


def to_move_phase(state, side):
    while not (state.side == side and state.phase == "move"):
        apply(state, EndPhase())


def ring(game, h, r):
    """A hex exactly ``r`` steps from ``h``."""
    d = game.map.grid.distances_from(h)
    return int(np.flatnonzero(d == r)[0])


def nearer_airfield_than(game, h, watch, far=False):
    """A hex nearer Zhijiang than ``h`` by more than the hold slack, within (or, with ``far``,
    beyond) ``watch`` hexes of it."""
    d = game.map.grid.distances_from(h)
    f = game.field_to_airfield
    ok = (f < f[h] - game.scenario.ai.china.hold_slack - 1.0) & ((d > watch + 2) if far else ((d <= watch) & (d >= 2)))
    return int(np.flatnonzero(ok)[0])


def play_china_move(state):
    to_move_phase(state, "china")
    make_player("china").play_phase(state)


def test_a_garrison_stays_in_its_town_when_the_enemy_goes_past(game, state):
    clear_board(state, keep=("cn_43d", "jp_34d_2"))
    h = game.place_hex["wugang"]
    assert state.unit("cn_43d").hex == h
    put(state, "jp_34d_2", nearer_airfield_than(game, h, game.scenario.ai.china.hold_watch_radius))
    play_china_move(state)
    assert state.unit("cn_43d").hex == h


def test_a_holding_unit_falls_back_when_the_enemy_goes_past_it(game, state):
    clear_board(state, keep=("cn_57d", "jp_34d_2"))
    h = state.unit("cn_57d").hex
    put(state, "jp_34d_2", nearer_airfield_than(game, h, game.scenario.ai.china.hold_watch_radius))
    play_china_move(state)
    assert state.unit("cn_57d").hex != h


def test_a_holding_unit_ignores_a_push_on_another_sector(game, state):
    clear_board(state, keep=("cn_57d", "jp_34d_2"))
    h = state.unit("cn_57d").hex
    put(state, "jp_34d_2", nearer_airfield_than(game, h, game.scenario.ai.china.hold_watch_radius, far=True))
    play_china_move(state)
    assert state.unit("cn_57d").hex == h


def test_a_flank_unit_makes_for_an_uncovered_place_the_enemy_holds_nearby(game, state):
    clear_board(state, keep=("cn_44d", "jp_34d_2"))
    place = game.place_hex["xinning"]
    state.control["xinning"] = "japan"
    start = ring(game, place, 4)
    put(state, "cn_44d", start)
    d = game.map.grid.distances_from(place)
    beyond = (d == 12) & (game.map.grid.distances_from(start) == 8)  # the enemy far off, the other way
    put(state, "jp_34d_2", int(np.flatnonzero(beyond)[0]))
    play_china_move(state)
    assert d[state.unit("cn_44d").hex] < d[start]


def test_a_detour_axis_keeps_off_chinese_zones_of_control_on_its_way(game, state):
    japan = make_player("japan")
    to_move_phase(state, "japan")
    japan.p = game.scenario.ai.japan
    ctx = movement.move_context(state, "japan")
    u = state.unit("jp_34d_2")
    field = japan._detour_field(state, game.place_hex["wuyang"], ctx, origin=u.hex)
    zoc = np.asarray(ctx.enemy_zoc)
    near_target = game.map.grid.distances_from(game.place_hex["wuyang"]) <= 1
    assert np.isfinite(field[u.hex])
    assert np.all(np.isinf(field[zoc & ~near_target & (np.arange(game.n_hex) != u.hex)]))
