"""The AIs' attack loop re-weighs only the targets an attack touched: it must make exactly the
attacks that re-weighing every option after each attack makes."""
from __future__ import annotations

from engine.api import Game, apply, make_player
from engine.ai.common import attack_if, attack_options
from engine.core.actions import Attack
from engine.core.errors import IllegalAction


def attack_if_reweighing_all(state, side, min_ratio):
    """The attack loop by its definition: weigh every option again after each attack."""
    made = 0
    while True:
        opts = [o for o in attack_options(state, side) if o[0] >= min_ratio]
        if not opts:
            return made
        _, t, ids = opts[0]
        try:
            apply(state, Attack(ids, t))
            made += 1
        except IllegalAction:
            return made


def test_the_attack_loop_makes_the_attacks_reweighing_everything_makes():
    game = Game.load("west_hunan_1945")  # its own game: 30 turns fill the caches of the shared one
    state = game.new_initial_state(seed=4)
    players = {side: make_player(side) for side in ("japan", "china")}
    compared = attacks = 0
    while not state.is_over and state.turn <= 30:
        if state.phase == "combat":
            for ratio in (0.6, 1.0, 1.5):  # from reckless to careful: more and fewer attacks
                mine, reference = state.clone(), state.clone()
                made = attack_if(mine, state.side, ratio)
                assert made == attack_if_reweighing_all(reference, state.side, ratio)
                assert mine.history == reference.history
                assert mine.state_hash() == reference.state_hash()
                compared += 1
                attacks += made
        players[state.side].play_phase(state)
    assert compared >= 40 and attacks >= 40  # the comparison saw real fighting
