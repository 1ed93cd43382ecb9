"""The derived board (engine/core/board.py) always matches the units, however they changed."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core import board as B
from engine.rules import movement

from .conftest import clear_board, load_game

GAME = load_game()
N_UNITS = len(GAME.units)


def naive(state, side):
    """Count and zone of control of ``side`` recomputed from scratch, unit by unit."""
    count = np.zeros(GAME.n_hex, dtype=int)
    zoc = np.zeros(GAME.n_hex, dtype=bool)
    at: dict = {}
    for i, u in enumerate(state.units):
        if u.status == "active" and u.side == side and u.hex >= 0:
            count[u.hex] += 1
            zoc[u.hex] = True
            zoc[[n for n in GAME.map.nbr[u.hex] if n >= 0]] = True
            at.setdefault(u.hex, []).append(i)
    return count, zoc, at


changes = st.lists(
    st.tuples(st.integers(0, N_UNITS - 1), st.integers(-1, GAME.n_hex - 1),
              st.sampled_from(["active", "active", "active", "eliminated", "reserve"]),
              st.booleans()),
    min_size=1, max_size=25)


@settings(max_examples=40, deadline=None)
@given(changes)
def test_the_board_follows_every_move_arrival_and_loss(steps):
    state = GAME.new_initial_state(seed=3)
    for i, h, status, look in steps:
        u = state.units[i]
        u.hex, u.status = h, status
        if look:  # query now and then, so later boards are patched from earlier ones
            movement.move_context(state, u.side)
            state.units_at(max(h, 0))
            state.occupancy()
            state.active_units(u.side)
    for side in ("japan", "china"):
        assert [id(u) for u in state.active_units(side)] == [
            id(u) for u in state.units if u.status == "active" and u.side == side and u.hex >= 0]
        sb = B.board(state).side(state, side)
        count, zoc, at = naive(state, side)
        assert np.array_equal(sb.count, count)
        assert np.array_equal(sb.zoc, zoc)
        assert sb.at == at
        assert sb.occupied_list == (count > 0).tolist()
        assert sb.zoc_list == zoc.tolist()
    owner, count = state.occupancy()
    (jp, _, _), (cn, _, _) = naive(state, "japan"), naive(state, "china")
    assert np.array_equal(count, jp + cn)
    assert np.array_equal(owner, np.where(cn > 0, 1, np.where(jp > 0, 0, -1)))
    for _, h, _, _ in steps:
        if h >= 0:
            assert state.units_at(h) == [u for u in state.units if u.status == "active" and u.hex == h]


moves = st.lists(st.tuples(st.integers(0, N_UNITS - 1), st.integers(0, GAME.n_hex - 1), st.booleans()),
                 min_size=1, max_size=25)


@settings(max_examples=40, deadline=None)
@given(moves)
def test_units_moving_on_the_map_keep_every_table_and_list_exact(steps):
    state = GAME.new_initial_state(seed=5)
    for i, h, look in steps:
        state.units[i].hex = h  # an active unit is shifted on its side's board
        if look:
            for side in ("japan", "china"):
                state.active_units(side)
                B.board(state).side(state, side).hexes
    for side in ("japan", "china"):
        on_map = [(i, u) for i, u in enumerate(state.units) if u.status == "active" and u.side == side and u.hex >= 0]
        sb = B.board(state).side(state, side)
        assert [id(u) for u in state.active_units(side)] == [id(u) for _, u in on_map]
        assert sb.index == [i for i, _ in on_map]
        assert sb.hexes.tolist() == [u.hex for _, u in on_map]
        count, zoc, at = naive(state, side)
        assert sb.count_list == count.tolist() and sb.zoc_list == zoc.tolist() and sb.at == at


def test_a_unit_moving_makes_the_move_context_see_it():
    state = GAME.new_initial_state(seed=1)
    u = state.active_units("japan")[0]
    ctx = movement.move_context(state, "japan")
    old = u.hex
    new = int(next(n for n in GAME.map.nbr[old] if n >= 0 and ctx.friendly_count[n] == 0))
    before_old, before_new = ctx.friendly_count[old], ctx.friendly_count[new]
    u.hex = new
    now = movement.move_context(state, "japan")
    assert now.friendly_count[new] == before_new + 1
    assert now.friendly_count[old] == before_old - 1
    assert movement.move_context(state, "china").enemy_occupied[new]


def test_a_unit_leaving_the_map_clears_its_zone_of_control():
    state = GAME.new_initial_state(seed=1)
    clear_board(state, keep=(state.active_units("china")[0].id,))
    cn = state.active_units("china")[0]
    ctx = movement.move_context(state, "japan")
    around = [int(n) for n in GAME.map.nbr[cn.hex] if n >= 0]
    assert all(ctx.enemy_zoc[n] for n in around)
    cn.status, cn.hex = "eliminated", -1
    assert not any(ctx.enemy_zoc[n] for n in around)
    assert not movement.zoc_mask(state, "china").any()


def test_board_arrays_are_read_only():
    state = GAME.new_initial_state(seed=1)
    owner, count = state.occupancy()
    assert not owner.flags.writeable and not count.flags.writeable
    assert not movement.zoc_mask(state, "china").flags.writeable


def test_a_loaded_state_builds_its_own_board():
    state = GAME.new_initial_state(seed=1)
    state.occupancy()
    copy = state.clone()
    assert "_board" not in copy.__dict__
    assert np.array_equal(copy.occupancy()[1], state.occupancy()[1])
    assert copy.state_hash() == state.state_hash()


def test_attackers_next_to_a_hex_are_the_adjacent_units_that_have_not_attacked():
    from engine.rules import combat

    state = GAME.new_initial_state(seed=2)
    for side in ("japan", "china"):
        for u in state.active_units(side)[::3]:
            u.attacked = True
    for t in range(0, GAME.n_hex, 7):
        for side in ("japan", "china"):
            around = {int(n) for n in GAME.map.nbr[t] if n >= 0}
            expect = [u for u in state.units if u.status == "active" and u.side == side and not u.attacked
                      and u.hex in around]
            assert combat.attackers_next_to(state, side, t) == expect


def test_enemy_stacks_next_to_a_side_are_those_touching_one_of_its_units_that_has_not_attacked():
    from engine.rules import combat

    state = GAME.new_initial_state(seed=4)
    occupied = {u.hex for u in state.active_units()}
    for jp, cn in zip(state.active_units("japan")[:6], state.active_units("china")[:6]):
        cn.hex = next(n for n in GAME.nbr_lists[jp.hex] if n >= 0 and n not in occupied)  # contact
        occupied.add(cn.hex)
    for side in ("japan", "china"):
        for u in state.active_units(side)[::3]:
            u.attacked = True
    assert combat.enemy_adjacent_targets(state, "japan") and combat.enemy_adjacent_targets(state, "china")
    for side, enemy in (("japan", "china"), ("china", "japan")):
        expect = sorted({t for u in state.active_units(side) if not u.attacked
                         for t in GAME.nbr_lists[u.hex] if t >= 0 and any(e.hex == t for e in state.active_units(enemy))})
        assert combat.enemy_adjacent_targets(state, side) == expect


def test_a_pickled_state_keeps_its_board_following_its_units():
    import pickle

    state = GAME.new_initial_state(seed=1)
    movement.move_context(state, "japan")
    copy = pickle.loads(pickle.dumps(state))
    u = copy.active_units("japan")[0]
    u.status, u.hex = "eliminated", -1
    count, zoc, at = naive(copy, "japan")
    sb = B.board(copy).side(copy, "japan")
    assert np.array_equal(sb.count, count) and sb.at == at and sb.zoc_list == zoc.tolist()


def test_each_hexs_neighbours_are_those_on_the_map():
    got = B._around(GAME)
    assert got == [[int(x) for x in row if x >= 0] for row in GAME.map.nbr]
