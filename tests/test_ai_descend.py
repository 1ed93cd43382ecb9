"""The AIs' downhill walk (engine.ai.common.descend) is the walk its docstring defines."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

import functools

from engine.ai.common import descend, first_steps
from engine.api import Game, make_player
from engine.rules import movement

GAME = Game.load("west_hunan_1945")


def descend_by_definition(u, field, ctx, stop_at=0.0):
    """Step to the legal neighbour with the lowest value (the first within 1e-9, in neighbour
    order) while it improves, never re-entering a hex; stop on entering enemy ZOC, without
    movement points or at ``stop_at``; back off hexes where stacking forbids ending."""
    h, mp, path, seen = u.hex, u.mp, [], {u.hex}
    while mp > 1e-9 and field[h] > stop_at and not (path and ctx.enemy_zoc[h]):
        options = [(n, c) for n, c in zip(ctx.nbr[h], ctx.cost[h])
                   if n >= 0 and not ctx.enemy_occupied[n] and n not in seen and c <= mp + 1e-9
                   and not (not path and ctx.enemy_zoc[h] and ctx.enemy_zoc[n])]
        best, best_val, best_cost = -1, field[h], 0.0
        for n, c in options:
            if field[n] < best_val - 1e-9:
                best, best_val, best_cost = n, field[n], c
        if best < 0:
            break
        path.append(best)
        seen.add(best)
        mp -= best_cost
        h = best
    while path and not movement.can_end_in(ctx, path[-1]):
        path.pop()
    return tuple(path)


@functools.lru_cache(maxsize=None)
def _position(turn: int):
    """The position at the start of ``turn`` of an AI-versus-AI game (units in contact)."""
    state = GAME.new_initial_state(seed=7)
    players = {side: make_player(side) for side in ("japan", "china")}
    while state.turn < turn and not state.is_over:
        players[state.side].play_phase(state)
    return state


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), which=st.integers(0, 10 ** 6), mp=st.floats(0.0, 12.0),
       stop_at=st.sampled_from([0.0, 2.0]), kind=st.sampled_from(["random", "ties", "to the enemy"]),
       turn=st.sampled_from([1, 6, 12]), in_contact=st.booleans())
def test_descend_is_the_walk_its_definition_gives(seed, which, mp, stop_at, kind, turn, in_contact):
    state = _position(turn).clone()
    side = ("japan", "china")[which % 2]
    ctx = movement.move_context(state, side)
    units = state.active_units(side)
    if in_contact:  # a unit starting in enemy ZOC, when there is one
        units = [u for u in units if ctx.enemy_zoc[u.hex]] or units
    u = units[which % len(units)]
    u.mp = mp
    rng = np.random.default_rng(seed)
    if kind == "random":
        field = rng.random(GAME.n_hex) * 20
    elif kind == "ties":
        field = rng.integers(0, 4, GAME.n_hex).astype(float)
    else:  # a real cost-to-go field toward an enemy unit: the walk runs into zones of control
        enemy = state.active_units("china" if side == "japan" else "japan")
        field = GAME.field_to([enemy[int(rng.integers(len(enemy)))].hex])
    assert descend(state, u, field, ctx, stop_at) == descend_by_definition(u, field, ctx, stop_at)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), which=st.integers(0, 10 ** 6), mp=st.floats(0.0, 12.0),
       turn=st.sampled_from([1, 6, 12]), in_contact=st.booleans())
def test_descend_first_steps_only_to_first_steps_and_not_at_all_when_they_are_closed(seed, which, mp, turn, in_contact):
    """What the Japanese withdrawal relies on to skip a detour field whose first steps are all blocked."""
    state = _position(turn).clone()
    side = ("japan", "china")[which % 2]
    ctx = movement.move_context(state, side)
    units = state.active_units(side)
    if in_contact:
        units = [u for u in units if ctx.enemy_zoc[u.hex]] or units
    u = units[which % len(units)]
    u.mp = mp
    field = np.random.default_rng(seed).random(GAME.n_hex) * 20
    steps = first_steps(u, ctx)
    path = descend(state, u, field, ctx)
    assert not path or path[0] in steps
    field[steps] = np.inf  # a blocked hex in a detour field
    assert descend(state, u, field, ctx) == ()
