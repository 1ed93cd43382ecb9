"""Headless batches: files, columns, determinism across workers and schedulers, interruption.

Campaigns here use the random legal players and a handful of runs to stay quick.
"""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from engine.analysis import sim

SCN = "west_hunan_1945"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One small batch with every output on, shared by the file-format tests."""
    out = tmp_path_factory.mktemp("sim")
    res = sim.run_batch(SCN, runs=3, seed=11, out_dir=out, jobs=1, players="random", with_turns=True, plots=True)
    return out, res


def test_run_seed_is_the_seedsequence_child_whatever_the_batch_size():
    kids = np.random.SeedSequence(5).spawn(10)
    assert sim.run_seeds(5, 10)[:4] == sim.run_seeds(5, 4)
    assert sim.run_seed(5, 7) == int(kids[7].generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def test_players_for_random_gives_both_sides_with_play_phase():
    p = sim.players_for("random", 3)
    assert set(p) == {"japan", "china"} and all(hasattr(x, "play_phase") for x in p.values())


def test_players_for_ai_gives_the_operational_ais():
    from engine.ai import ChinaAI, JapanAI

    p = sim.players_for("ai", 3)
    assert isinstance(p["japan"], JapanAI) and isinstance(p["china"], ChinaAI)


def test_players_for_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="expected 'ai' or 'random'"):
        sim.players_for("clever", 3)


def test_runs_csv_has_the_required_columns_first_in_order(batch):
    out, _ = batch
    with open(out / "runs.csv", newline="") as f:
        header = next(csv.reader(f))
    assert tuple(header[:len(sim.REQUIRED_COLUMNS)]) == sim.REQUIRED_COLUMNS
    assert "seconds" not in header


def test_runs_csv_has_one_row_per_run_in_run_order(batch):
    out, _ = batch
    rows = sim.read_runs_csv(out / "runs.csv")
    assert [r["run"] for r in rows] == [0, 1, 2]
    assert [r["seed"] for r in rows] == sim.run_seeds(11, 3)


def test_turns_jsonl_lines_follow_the_schema_with_every_place(batch):
    out, _ = batch
    game = sim.get_game(SCN)
    lines = [json.loads(x) for x in (out / "turns.jsonl").read_text().splitlines()]
    assert lines and {t["run"] for t in lines} == {0, 1, 2}
    for t in lines:
        assert set(t) == {"run", "turn", "date", "control", "units", "losses"}
        assert set(t["control"]) == set(game.place_keys)
        assert set(t["control"].values()) <= {"japan", "china"}
        assert len(t["date"]) == 10 and t["date"][4] == "-"
        for u in t["units"]:
            assert set(u) == {"id", "name", "side", "lat", "lon", "men", "start_men"}
        assert set(t["losses"]["japan"]) == {"killed", "wounded", "captured", "sick"}
        assert set(t["losses"]["china"]) == {"killed", "wounded", "missing", "sick"}


def test_turns_jsonl_is_in_run_then_turn_order(batch):
    out, _ = batch
    keys = [(t["run"], t["turn"]) for t in map(json.loads, (out / "turns.jsonl").read_text().splitlines())]
    assert keys == sorted(keys)


def test_summary_json_and_pngs_are_written(batch):
    out, _ = batch
    s = json.loads((out / "summary.json").read_text())
    assert s["runs"] == 3 and s["seed"] == 11 and s["scenario"] == SCN
    assert sum(s["outcomes"]["winner"].values()) == 3
    assert set(s["stats"]["chinese_casualties"]) >= {"median", "p10", "p90"}
    assert s["timing"]["seconds"] > 0
    for png in ("outcomes.png", "casualties.png", "map_highwater.png"):
        assert (out / png).stat().st_size > 10_000


def test_no_turns_writes_no_turns_jsonl(tmp_path):
    sim.run_batch(SCN, runs=1, seed=1, out_dir=tmp_path, jobs=1, players="random", with_turns=False, plots=False)
    assert (tmp_path / "runs.csv").exists()
    assert not (tmp_path / "turns.jsonl").exists()


def test_same_seed_gives_byte_identical_runs_csv_with_one_or_two_jobs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    sim.run_batch(SCN, runs=3, seed=4, out_dir=a, jobs=1, players="random", with_turns=False, plots=False)
    sim.run_batch(SCN, runs=3, seed=4, out_dir=b, jobs=2, players="random", with_turns=False, plots=False)
    assert (a / "runs.csv").read_bytes() == (b / "runs.csv").read_bytes()


def test_interrupted_batch_writes_the_runs_finished_so_far(tmp_path, capsys):
    seen = []

    def stop_after_two(row):
        seen.append(row["run"])
        if len(seen) == 2:
            raise KeyboardInterrupt

    res = sim.run_batch(SCN, runs=4, seed=2, out_dir=tmp_path, jobs=1, players="random", with_turns=True,
                        plots=False, on_result=stop_after_two)
    assert res["interrupted"]
    assert [r["run"] for r in sim.read_runs_csv(tmp_path / "runs.csv")] == [0, 1]
    assert len({json.loads(x)["run"] for x in (tmp_path / "turns.jsonl").read_text().splitlines()}) == 2
    assert "wrote 2 of 4 runs" in capsys.readouterr().err


def test_dask_local_cluster_gives_the_same_runs_csv_as_local_processes(tmp_path):
    import distributed  # a test dependency (pyproject [test]): its absence is a failure, not a skip

    local = tmp_path / "local"
    sim.run_batch(SCN, runs=2, seed=8, out_dir=local, jobs=1, players="random", with_turns=False, plots=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        remote = tmp_path / "dask"
        sim.run_batch(SCN, runs=2, seed=8, out_dir=remote, jobs=1, players="random", with_turns=False,
                      plots=False, scheduler=lc.scheduler_address)
    assert (local / "runs.csv").read_bytes() == (remote / "runs.csv").read_bytes()


def test_cli_sim_writes_outputs(tmp_path):
    from game.cli import main

    assert main(["sim", "--runs", "1", "--players", "random", "--no-plots", "--no-turns", "--out",
                 str(tmp_path)]) == 0
    assert (tmp_path / "runs.csv").exists() and (tmp_path / "summary.json").exists()


def test_the_collector_is_paused_in_the_block_and_as_it_was_after():
    import gc

    assert gc.isenabled()
    with sim.collection_paused():
        paused = not gc.isenabled()
    assert paused and gc.isenabled()


def test_a_batch_plays_its_campaigns_with_the_collector_on(tmp_path):
    import gc

    seen = []
    sim.run_batch(SCN, runs=1, seed=1, out_dir=tmp_path, jobs=1, players="random", with_turns=False, plots=True,
                  on_result=lambda row: seen.append(gc.isenabled()))
    assert seen == [True] and gc.isenabled()


def test_a_frozen_start_up_leaves_its_survivors_out_of_the_collectors_sight():
    import gc

    before = gc.get_freeze_count()
    try:
        with sim.collection_paused(freeze=True):
            kept = [[i] for i in range(1000)]  # noqa: F841 - alive at the block's end
        assert gc.get_freeze_count() >= before + 1000 and gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_one_job_batch_keeps_its_fields_and_the_next_process_plays_the_same_games(tmp_path, monkeypatch):
    from engine.analysis import field_store

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = []
    for i in range(2):  # a fresh game each time, as in a new process: searched, then from the store
        sim.forget_game(SCN)
        sim.run_batch(SCN, runs=1, seed=5, out_dir=tmp_path / f"b{i}", jobs=1, plots=False)
        out.append((tmp_path / f"b{i}" / "runs.csv").read_bytes() + (tmp_path / f"b{i}" / "turns.jsonl").read_bytes())
    assert sim._STORED_FIELDS[(SCN, None)]  # the second game started with the first one's fields
    assert field_store.store_path(sim.get_game(SCN)).exists()
    assert out[0] == out[1]
    sim.forget_game(SCN)


def test_stored_fields_counts_the_fields_the_store_gave_this_process_game(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sim.forget_game(SCN)
    g = sim.get_game(SCN)
    assert sim.stored_fields(SCN) == 0  # nothing kept yet for this map and code
    for h in (100, 1500):
        g.field_to([h])
    sim.keep_fields(SCN)
    sim.forget_game(SCN)
    assert sim.stored_fields(SCN) == 0  # no game built
    sim.get_game(SCN)
    assert sim.stored_fields(SCN) >= 2
    sim.forget_game(SCN)


def test_a_batch_whose_scenario_cannot_be_read_leaves_no_plotting_process(tmp_path):
    import multiprocessing

    from engine.api import ScenarioError

    with pytest.raises(ScenarioError):
        sim.run_batch(SCN, runs=1, out_dir=tmp_path, jobs=1, variant="no_such_variant", plots=True)
    assert multiprocessing.active_children() == []  # forked before the scenario was read, stopped since


def _summary_of_one_batch(tmp_path) -> dict:
    return sim.run_batch(SCN, runs=1, seed=2, out_dir=tmp_path, jobs=1, players="random", with_turns=False,
                         plots=False)["summary"]


def test_the_closing_lines_into_a_file_are_what_rich_would_print_there(tmp_path, capsys):
    import io

    from rich.console import Console

    from engine.analysis.console import PlainLines

    lines = sim.batch_report(_summary_of_one_batch(tmp_path), tmp_path / "a [bold] :smile: b" / ("x" * 30), True)
    rich_file = io.StringIO()
    capsys.readouterr()
    for text, style in lines:
        PlainLines().print(text, style=style, markup=False, emoji=False)
        Console(file=rich_file, width=10_000).print(text, style=style, markup=False, emoji=False)
    assert capsys.readouterr().out == rich_file.getvalue()
    assert "a [bold] :smile: b" in lines[0][0] and lines[-1][0] == "interrupted after 1 of 1 runs"
