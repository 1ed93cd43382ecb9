"""Invariants of random legal play (hypothesis), determinism, saves and replays."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api import RandomPlayer, load_game, replay, save_game, state_from_json

PHASES_PER_TURN = 6


def play_phases(state, n_phases, seed):
    players = {"japan": RandomPlayer(seed), "china": RandomPlayer(seed + 1)}
    for _ in range(n_phases):
        if state.is_over:
            break
        players[state.side].play_phase(state)
    return state


def men_accounted(state):
    losses = sum(sum(v.values()) for v in state.losses.values())
    present = sum(u.men for u in state.units)
    start = sum(u.start_men for u in state.units)
    return start, present + losses


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1), phases=st.integers(1, 4 * PHASES_PER_TURN))
def test_random_play_never_loses_or_creates_men(game, seed, phases):
    state = play_phases(game.new_initial_state(seed), phases, seed)
    start, accounted = men_accounted(state)
    assert start == accounted


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1), phases=st.integers(1, 4 * PHASES_PER_TURN))
def test_random_play_never_puts_both_sides_in_one_hex(game, seed, phases):
    state = play_phases(game.new_initial_state(seed), phases, seed)
    sides_at = {}
    for u in state.active_units():
        sides_at.setdefault(u.hex, set()).add(u.side)
    assert all(len(s) == 1 for s in sides_at.values())


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1))
def test_random_play_respects_stacking(game, seed):
    state = play_phases(game.new_initial_state(seed), 3 * PHASES_PER_TURN, seed)
    counts = {}
    for u in state.active_units():
        counts[u.hex] = counts.get(u.hex, 0) + 1
    assert max(counts.values()) <= game.scenario.movement.stacking_max_units


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1))
def test_same_seed_same_game(game, seed):
    a = play_phases(game.new_initial_state(seed), 2 * PHASES_PER_TURN, seed)
    b = play_phases(game.new_initial_state(seed), 2 * PHASES_PER_TURN, seed)
    assert a.state_hash() == b.state_hash()


def test_state_survives_a_json_round_trip(game):
    state = play_phases(game.new_initial_state(3), 3 * PHASES_PER_TURN, 3)
    again = state_from_json(game, state.to_json())
    assert again.state_hash() == state.state_hash()
    # and the two go on identically: the RNG state came along
    play_phases(state, PHASES_PER_TURN, 9)
    play_phases(again, PHASES_PER_TURN, 9)
    assert again.state_hash() == state.state_hash()


def test_a_game_replays_exactly_from_its_seed_and_history(game):
    state = play_phases(game.new_initial_state(11), 3 * PHASES_PER_TURN, 11)
    again = replay(game, 11, state.history)
    assert again.state_hash() == state.state_hash()


def test_save_and_load_give_the_same_state(game, tmp_path):
    state = play_phases(game.new_initial_state(5), 2 * PHASES_PER_TURN, 5)
    path = tmp_path / "game.json"
    save_game(state, path)
    _, loaded = load_game(path)
    assert loaded.state_hash() == state.state_hash()


def test_a_broken_save_names_the_file_and_field(game, tmp_path):
    state = game.new_initial_state(1)
    d = state.to_dict()
    d["units"][0]["men"] = "many"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(d))
    try:
        load_game(path)
    except ValueError as exc:
        msg = str(exc)
        assert "broken.json" in msg and "units[0].men" in msg
    else:
        raise AssertionError("a broken save loaded")


def test_a_save_of_the_older_format_is_refused_naming_its_version(game, tmp_path):
    d = game.new_initial_state(1).to_dict()
    d["version"] = 2
    for u in d["units"]:
        u["retreats"] = 0  # version 2 carried a per-unit retreat count that nothing read
    path = tmp_path / "old.json"
    path.write_text(json.dumps(d))
    try:
        load_game(path)
    except ValueError as exc:
        assert "old.json: version: save format '2' is not supported (expected 3" in str(exc)
    else:
        raise AssertionError("a version-2 save loaded")


def test_a_save_that_is_not_json_gives_a_clear_error(tmp_path):
    path = tmp_path / "garbage.json"
    path.write_text("{not json")
    try:
        load_game(path)
    except ValueError as exc:
        assert "garbage.json" in str(exc) and "line 1" in str(exc)
    else:
        raise AssertionError("garbage loaded")


def test_saving_over_a_file_is_atomic(game, tmp_path, monkeypatch):
    path = tmp_path / "game.json"
    state = game.new_initial_state(1)
    save_game(state, path)
    good = path.read_text()

    def boom(*a, **k):
        raise OSError("disk full")

    import engine.atomic_file as sf

    monkeypatch.setattr(sf.os, "replace", boom)
    try:
        save_game(game.new_initial_state(2), path)
    except OSError:
        pass
    assert path.read_text() == good
    assert [p.name for p in tmp_path.iterdir()] == ["game.json"]


def test_a_save_is_flushed_to_the_disk_and_a_batch_result_is_not(tmp_path, monkeypatch):
    import engine.atomic_file as sf
    from engine.atomic_file import write_atomic

    synced = []
    real = sf.os.fsync
    monkeypatch.setattr(sf.os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    write_atomic(tmp_path / "save.json", "{}", durable=True)
    write_atomic(tmp_path / "runs.csv", "run\n0\n", durable=False)
    assert len(synced) == 1
    assert (tmp_path / "runs.csv").read_text() == "run\n0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv", "save.json"]
