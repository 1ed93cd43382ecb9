"""The rules' fast paths (constants read once per call, tables kept on the board) give the very
numbers of the plain rule they shortcut, bit for bit, in positions the AIs reach."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from engine.api import Game, make_player
from engine.rules import combat

GAME = Game.load("west_hunan_1945")


def _play_until(seed: int, turn: int, side: str, phase: str):
    state = GAME.new_initial_state(seed=seed)
    players = {s: make_player(s) for s in ("japan", "china")}
    while not (state.turn == turn and state.side == side and state.phase == phase) and not state.over:
        players[state.side].play_phase(state)
    return state


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 50), turn=st.integers(1, 20), side=st.sampled_from(["japan", "china"]))
def test_the_odds_next_to_a_side_are_the_odds_its_attacks_would_weigh(seed, turn, side):
    state = _play_until(seed, turn, side, "combat")
    weighed = combat.odds_next_to(state, side)
    for ratio, target, attackers in weighed:
        att, dfn, _ = combat.strengths(state, attackers, target)
        assert ratio == att / max(dfn, 1e-9)
        assert attackers == combat.attackers_next_to(state, side, target)
    assert [t for _, t, _ in weighed] == combat.enemy_adjacent_targets(state, side)
