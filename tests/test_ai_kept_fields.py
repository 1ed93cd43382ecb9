"""What the AIs keep through a phase (derived data kept current with every input): a kept value is
the one weighed afresh, so keeping it changes no decision."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from engine.api import Game, make_player
from engine.ai.common import KeptOdds
from engine.core.actions import Move
from engine.core.play import apply
from engine.rules import combat, movement

GAME = Game.load("west_hunan_1945")  # its own game: these tests fill its caches


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
