"""`xuefeng sim --from-save`: many seeded continuations of one saved game."""
from __future__ import annotations

import pytest

from engine.analysis import sim
from engine.api import load_game, make_player, play_game, replay, save_game
from engine.core.play import branch
from game.cli import main

TURN = 10


@pytest.fixture(scope="module")
def saved(game, tmp_path_factory):
    state = game.new_initial_state(3)
    players = {s: make_player(s) for s in ("japan", "china")}
    while state.turn < TURN:
        players[state.side].play_phase(state)
    path = tmp_path_factory.mktemp("save") / "turn10.json"
    save_game(state, path)
    return path


@pytest.fixture(scope="module")
def batch(saved, tmp_path_factory):
    out = tmp_path_factory.mktemp("branches")
    assert main(["sim", "--from-save", str(saved), "--runs", "4", "--seed", "5", "--jobs", "1",
                 "--no-plots", "--out", str(out)]) == 0
    return out, sim.read_runs_csv(out / "runs.csv")


def test_every_continuation_starts_from_the_saved_turn_and_plays_to_the_end(batch, game):
    _, rows = batch
    assert len(rows) == 4
    assert all(r["turns"] >= TURN and r["end_date"] for r in rows)


def test_continuations_differ_by_their_chance_stream(batch):
    _, rows = batch
    assert len({(r["japanese_killed"], r["chinese_killed"], r["japanese_sick"]) for r in rows}) > 1


def test_a_continuation_is_the_saved_game_branched_with_its_run_seed(batch, saved):
    _, rows = batch
    game, state = load_game(saved)
    branch(state, sim.run_seed(5, 2))
    res = play_game(state, {s: make_player(s) for s in ("japan", "china")})
    assert res.losses["japan"]["killed"] == rows[2]["japanese_killed"]
    assert res.losses["china"]["killed"] == rows[2]["chinese_killed"]
    assert replay(game, state.seed, state.history).state_hash() == state.state_hash()


def test_the_summary_names_the_save_it_continues(batch, saved):
    import json

    out, _ = batch
    summary = json.loads((out / "summary.json").read_text())
    assert summary["from_save"]["path"] == str(saved) and summary["from_save"]["turn"] == TURN


def test_a_bad_save_is_refused_with_its_name_and_no_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["sim", "--from-save", str(bad), "--runs", "1", "--out", str(tmp_path / "o")]) == 2
    assert "bad.json" in capsys.readouterr().err
