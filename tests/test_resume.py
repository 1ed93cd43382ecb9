"""A saved game is the whole game: the AIs' memory travels with the state.

AI against AI to turn N, save, load in a new process with freshly built AIs, play on: the
final state must be the one the uninterrupted game reaches.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.api import load_game, make_player, play_game, remember, replay, save_game

ROOT = Path(__file__).resolve().parents[1]
CASES = [(1, 5), (2, 12), (3, 20), (4, 24)]  # (seed, turn of the save)

RESUME = """
import json, sys
from engine.api import load_game, make_player, play_game
out = {}
for path in sys.argv[1:]:
    game, state = load_game(path)
    play_game(state, {s: make_player(s, 0, game) for s in ("japan", "china")})
    out[path] = state.state_hash()
print(json.dumps(out))
"""


def players(game):
    return {s: make_player(s, 0, game) for s in ("japan", "china")}


def play_to_turn(game, seed: int, turn: int):
    state = game.new_initial_state(seed)
    ps = players(game)
    while not state.is_over and state.turn < turn:
        ps[state.side].play_phase(state)
    return state


@pytest.fixture(scope="module")
def resumed(game, tmp_path_factory):
    """For each case: (uninterrupted final hash, the saved state, final hash after a reload elsewhere)."""
    tmp = tmp_path_factory.mktemp("saves")
    saved, paths = {}, []
    for seed, turn in CASES:
        state = play_to_turn(game, seed, turn)
        path = tmp / f"seed{seed}_turn{turn}.json"
        save_game(state, path)
        saved[(seed, turn)] = state
        paths.append(str(path))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", RESUME, *paths], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    after = json.loads(proc.stdout)
    out = {}
    for (seed, turn), path in zip(CASES, paths):
        whole = game.new_initial_state(seed)
        play_game(whole, players(game))
        out[(seed, turn)] = (whole.state_hash(), saved[(seed, turn)], after[path])
    return out


@pytest.mark.parametrize("seed,turn", CASES)
def test_a_game_saved_and_resumed_in_a_new_process_ends_as_the_uninterrupted_one(resumed, seed, turn):
    whole, _, again = resumed[(seed, turn)]
    assert again == whole


def test_the_saves_include_a_japanese_army_that_has_already_broken_off(resumed):
    postures = [saved.ai["japan"]["posture"] for _, saved, _ in resumed.values()]
    assert "withdraw" in postures and "advance" in postures


def test_the_ai_memory_is_part_of_the_state_hash(game):
    state = game.new_initial_state(1)
    before = state.state_hash()
    remember(state, "china", {"pursuit": True, "penetration_seen": [], "assessed_turn": 0})
    assert state.state_hash() != before


def test_a_replay_rebuilds_the_ai_memory(game):
    state = play_to_turn(game, 5, 8)
    again = replay(game, 5, state.history)
    assert again.ai == state.ai and again.state_hash() == state.state_hash()


def test_a_memory_that_does_not_fit_its_model_is_refused(game):
    state = game.new_initial_state(1)
    with pytest.raises(ValueError):
        remember(state, "japan", {"posture": "panic"})
    assert state.ai["japan"]["posture"] == "advance"


def test_a_memory_equal_to_the_kept_one_but_of_other_types_is_refused(game):
    state = game.new_initial_state(1)
    kept = dict(state.ai["japan"])
    assert kept["stall"] == 0
    with pytest.raises(ValueError):
        remember(state, "japan", kept | {"stall": False})  # == 0, but not a whole number
    remember(state, "japan", dict(kept))  # the same memory: accepted, nothing recorded
    assert state.ai["japan"] == kept and not [h for h in state.history if h.get("type") == "memory"]


def test_a_save_with_a_broken_ai_memory_names_the_field(game, tmp_path):
    d = game.new_initial_state(1).to_dict()
    d["ai"]["japan"]["stall"] = "long"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ValueError, match=r"bad\.json: ai\.japan\.stall"):
        load_game(path)


def test_a_player_reads_the_memory_its_state_holds_at_every_phase(game):
    """A player keeps its reading of the memory between phases (PlanAI.recall) only while the
    state holds what it read or wrote: it always equals the state's memory validated afresh,
    also when one player plays two games in turn."""
    a, b = game.new_initial_state(2), game.new_initial_state(3)
    ps = players(game)
    while not a.is_over and a.turn < 12:
        for state in (a, b):
            side = state.side
            ps[side].recall(state)
            assert ps[side].mem == ps[side].memory_model.model_validate(state.ai[side])
            ps[side].play_phase(state)


def test_a_player_rereads_a_memory_changed_in_place(game):
    state = play_to_turn(game, 4, 3)
    jp = make_player("japan", 0, game)
    jp.recall(state)
    state.ai["japan"]["stall"] = state.ai["japan"]["stall"] + 5
    jp.recall(state)
    assert jp.mem.stall == state.ai["japan"]["stall"]


def test_a_player_rereads_the_memory_after_a_phase_that_failed(game):
    state = play_to_turn(game, 4, 3)
    jp = make_player("japan", 0, game)
    jp.recall(state)

    def broken(state):
        jp.mem.stall += 7  # changed, never remembered
        raise RuntimeError("broken phase")

    jp._air = jp._move = jp._combat = broken
    with pytest.raises(RuntimeError):
        jp.play_phase(state)
    jp.recall(state)
    assert jp.mem.stall == state.ai["japan"]["stall"]
