"""Fields the AIs keep between phases (derived data keyed by every input): a kept field is the one
the search would give, so keeping it changes no decision."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from engine.ai import japan
from engine.ai.japan import _kept_cost_field
from engine.api import Game, make_player
from engine.ai.common import KeptOdds
from engine.core.actions import Move
from engine.core.play import apply
from engine.rules import combat, movement

GAME = Game.load("west_hunan_1945")  # its own game: these tests fill its caches


@settings(max_examples=30, deadline=None)
@given(target=st.integers(0, GAME.n_hex - 1), origin=st.integers(0, GAME.n_hex - 1),
       blocked_seed=st.integers(0, 2 ** 32 - 1))
def test_a_kept_detour_field_is_the_field_the_search_gives(target, origin, blocked_seed):
    blocked = np.random.default_rng(blocked_seed).random(GAME.n_hex) < 0.2
    blocked[[target, origin]] = False
    fresh = GAME.cost_field([target], blocked=blocked.copy(), until=origin)
    first = _kept_cost_field(GAME, target, blocked.copy(), origin)
    again = _kept_cost_field(GAME, target, blocked.copy(), origin)
    assert np.array_equal(first, fresh) and np.array_equal(again, fresh)


def test_a_detour_field_asked_again_is_the_kept_one_and_read_only():
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    first = _kept_cost_field(GAME, 100, blocked, 200)
    assert _kept_cost_field(GAME, 100, blocked.copy(), 200) is first
    assert not first.flags.writeable


def test_other_blocked_hexes_are_another_detour_field():
    open_ = np.zeros(GAME.n_hex, dtype=bool)
    walled = open_.copy()
    walled[[n for n in GAME.nbr_lists[100] if n >= 0]] = True  # every way into the target closed
    far = 100 + 5 * GAME.map.grid.ncols  # five rows away
    kept_open, kept_walled = _kept_cost_field(GAME, 100, open_, far), _kept_cost_field(GAME, 100, walled, far)
    assert np.isfinite(kept_open[far]) and not np.isfinite(kept_walled[far])


def test_the_kept_detour_fields_are_bounded():
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    for origin in range(japan.DETOUR_FIELDS_KEPT + 10):
        _kept_cost_field(GAME, 50, blocked, origin)
    assert len(GAME.__dict__["_detour_fields"]) == japan.DETOUR_FIELDS_KEPT


def _japan_move_phase(seed: int, turn: int):
    state = GAME.new_initial_state(seed=seed)
    players = {side: make_player(side) for side in ("japan", "china")}
    while not (state.turn == turn and state.side == "japan" and state.phase == "move"):
        players[state.side].play_phase(state)
    return state


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 50), turn=st.integers(2, 12), pick=st.randoms(use_true_random=False))
def test_kept_odds_after_any_moves_are_the_odds_weighed_afresh(seed, turn, pick):
    state = _japan_move_phase(seed, turn)
    targets = sorted({u.hex for u in state.active_units("china")})
    kept = KeptOdds(state, "japan")
    kept.odds_on(targets)
    for u in state.active_units("japan"):
        reach = [h for h in movement.reachable(state, u.id) if movement.can_end_in(movement.move_context(state, "japan"), h)]
        if not reach:
            continue
        start = u.hex
        apply(state, Move(u.id, movement.path_to(movement.reachable(state, u.id), pick.choice(sorted(reach)))))
        kept.moved(start, u.hex)
        fresh = {t: r for r, t, _ in combat.odds_next_to(state, "japan", targets)}
        assert kept.odds_on(targets) == [fresh[t] for t in targets if t in fresh]
