"""The 20th Army's culmination judgement answers to the fighting, not to the calendar."""
from __future__ import annotations

import numpy as np
import pytest

from engine.api import EndPhase, apply, make_player
from tests.conftest import load_game

SEEDS = range(6)


class DoNothing:
    """A side that gives no orders at all."""

    def play_phase(self, state):
        apply(state, EndPhase())


def break_off(game, seed):
    """(turn of the break-off or None, Japanese max penetration km at it) of one AI campaign."""
    state = game.new_initial_state(seed)
    players = {s: make_player(s) for s in ("japan", "china")}
    while not state.is_over:
        players[state.side].play_phase(state)
        if state.ai["japan"]["posture"] == "withdraw":
            return state.turn, state.max_penetration_km
    return None, state.max_penetration_km


def test_it_never_fires_against_an_opponent_that_does_nothing(game):
    state = game.new_initial_state(1)
    for u in state.units:  # no Chinese army on the map, and none to come
        if u.side == "china":
            u.status, u.hex = "reserve", -1
    japan = make_player("japan")
    while not state.is_over:
        if state.side == "japan":
            japan.play_phase(state)
        else:
            DoNothing().play_phase(state)
        assert state.ai["japan"]["posture"] == "advance", f"broke off on turn {state.turn} against nobody"
    assert state.losses["japan"]["sick"] > 0  # sickness ran all the while


@pytest.fixture(scope="module")
def break_offs():
    out = {}
    for variant in (None, "no_air", "reserves_released"):
        g = load_game(variant)
        out[variant] = [break_off(g, s) for s in SEEDS]
    return out


def _mean_turn(results, end_turn=32):
    return float(np.mean([t if t is not None else end_turn for t, _ in results]))


def test_without_allied_air_the_break_off_comes_later_or_deeper(break_offs):
    hist, no_air = break_offs[None], break_offs["no_air"]
    later = _mean_turn(no_air) > _mean_turn(hist)
    deeper = np.mean([km for _, km in no_air]) > np.mean([km for _, km in hist])
    assert later or deeper


def test_with_the_reserves_released_the_break_off_comes_earlier(break_offs):
    assert _mean_turn(break_offs["reserves_released"]) < _mean_turn(break_offs[None])


def test_sickness_hunger_and_a_stalled_advance_alone_never_make_the_army_break_off(game):
    """No enemy in sight: even with most men sick, every unit cut off and the advance stalled
    for good, the judgement holds - only fighting (losses, pressure) can add the rest."""
    from engine.api import remember

    state = game.new_initial_state(2)
    for u in state.units:
        if u.side == "china":
            u.status, u.hex = "reserve", -1
        elif u.status == "active":
            sick = int(u.men * 0.6)
            u.men -= sick
            state.losses["japan"]["sick"] += sick
            u.supplied = False
    p = game.scenario.ai.japan
    remember(state, "japan", {"posture": "advance", "stall": p.stall_turns * 3, "best_progress": 0.0,
                              "assessed_turn": 0, "score": 0.0})
    while not (state.side == "japan" and state.phase == "move"):
        apply(state, EndPhase())
    make_player("japan").play_phase(state)
    assert state.ai["japan"]["posture"] == "advance"
    assert 0 < state.ai["japan"]["score"] < p.threshold
