"""Bench functions run on a tiny configuration (no timing is asserted)."""
from __future__ import annotations

import math

from engine.analysis import bench

SCN = "west_hunan_1945"


def test_time_campaigns_returns_one_duration_per_campaign():
    t = bench.time_campaigns(SCN, 1, players="random")
    assert len(t) == 1 and t[0] > 0


def test_the_rules_alone_are_timed_once_per_campaign_replayed():
    t = bench.time_rules_alone(SCN, 2, players="random")
    assert len(t) == 2 and all(x > 0 for x in t)


def test_the_rules_alone_refuse_a_replay_that_does_not_give_the_game_played(monkeypatch):
    import pytest

    import engine.core.play as play

    real = play.replay_record

    def also_logs(state, rec):  # a replay that adds a log line the game never had
        real(state, rec)
        state.log.append({"turn": state.turn, "type": "note", "text": "not in the game"})

    monkeypatch.setattr(play, "replay_record", also_logs)
    with pytest.raises(RuntimeError, match="did not give the game it played"):
        bench.time_rules_alone(SCN, 1, players="random")


def test_the_report_shows_the_rules_alone_against_the_one_core_budget(capsys):
    m = bench.measure(SCN, runs=1, batch=2, players="random", jobs=2, with_process=False)
    bench.print_report(m)
    row = next(line for line in capsys.readouterr().out.splitlines() if "the rules alone" in line)
    assert f"{m['rules_ms_median']:.0f} ms" in row and "40 ms" in row


def test_time_side_turns_records_both_sides_split_into_deciding_and_engine():
    per = bench.time_side_turns(SCN, 1, players="random")
    for side in ("japan", "china"):
        assert per["total"][side]
        for tot, eng, ai in zip(per["total"][side], per["engine"][side], per["ai"][side]):
            assert eng <= tot + 1e-9 and ai == max(0.0, tot - eng)


def test_apply_timer_restores_the_engine_apply():
    from engine import api
    from engine.ai import random_player

    real = api.apply
    with bench.apply_timer([None], {}):
        assert random_player.apply is not real
    assert random_player.apply is real and api.apply is real


def test_timed_player_accumulates_per_side_and_turn():
    class P:
        def play_phase(self, state):
            pass

    class S:
        turn = 3

    times = {}
    tp = bench.TimedPlayer(P(), "china", times)
    tp.play_phase(S())
    tp.play_phase(S())
    assert list(times) == [("china", 3)] and times[("china", 3)] >= 0


def test_time_batch_reports_throughput():
    b = bench.time_batch(SCN, 2, jobs=2, players="random")
    assert b["runs"] == 2 and b["per_s"] > 0


def test_a_batch_timed_with_orders_writes_them_as_sim_does_by_default(monkeypatch):
    from engine.analysis import sim

    seen = []
    real = sim.run_batch
    monkeypatch.setattr(sim, "run_batch", lambda *a, **kw: seen.append(kw) or real(*a, **kw))
    b = bench.time_batch(SCN, 2, jobs=1, players="random", with_turns=True, with_orders=True)
    assert b["with_orders"] and seen[0]["with_orders"] and seen[0]["with_turns"]


def test_time_process_runs_the_cli_in_a_subprocess():
    assert bench.time_process(SCN, players="random") > 0


def test_a_timed_process_keeps_what_it_made_in_the_cache_it_is_given(tmp_path):
    assert bench.time_process(SCN, players="ai", cache_home=str(tmp_path)) > 0
    assert {p.name.split("-")[0] for p in (tmp_path / "xuefeng").iterdir()} == {"highwater", "casualties", "outcomes",
                                                                                  "fields"}


def test_a_timed_process_keeps_its_bytecode_as_python_does_by_default(monkeypatch):
    """A container's PYTHONDONTWRITEBYTECODE would have every timed process compile the project
    again, which a user's second run never does."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    seen = []
    monkeypatch.setattr(bench.subprocess, "run", lambda cmd, **kw: seen.append(kw["env"]))
    bench.time_process(SCN, players="random")
    assert len(seen) == 1 and "PYTHONDONTWRITEBYTECODE" not in seen[0] and "PATH" in seen[0]


def test_peak_rss_is_reported_in_mib():
    r = bench.peak_rss_mib()
    assert 1 < r["self"] < 100_000 and r["children"] >= 0


def test_measure_and_report_give_a_verdict_per_target(capsys):
    steps = []
    m = bench.measure(SCN, runs=1, batch=2, players="random", jobs=2, with_process=False,
                      step=lambda what, done, total: steps.append((what, done, total)))
    assert not math.isnan(m["campaign_ms_median"])
    # the progress it reported: every stage named, never backwards, ending complete
    done = [d for _, d, _ in steps]
    assert done == sorted(done) and steps[-1][1] == steps[-1][2] == 7
    assert any("batch" in what for what, _, _ in steps)
    v = bench.print_report(m)
    assert set(v) == {"per_core", "batch_1000_on_2", "batch_1000_on_2_turns", "rss"}
    out = capsys.readouterr().out
    assert "campaigns/s" in out and ("PASS" in out or "MISS" in out)


def test_the_one_core_figure_says_what_the_field_store_gave_its_campaigns(capsys):
    from engine.analysis import sim

    m = bench.measure(SCN, runs=1, batch=2, players="random", jobs=2, with_process=False)
    assert m["stored_fields"] == sim.stored_fields(SCN)
    bench.print_report(m)
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "from the field store" in line)
    assert f" {m['stored_fields']} " in row


def test_profile_names_the_functions_that_take_the_time():
    out = bench.profile_campaigns(SCN, 1, players="random", top=5)
    assert "1 campaigns under cProfile" in out and "tottime" in out and "cumulative" in out


def test_rss_curve_samples_the_first_and_the_last_campaign():
    curve = bench.rss_curve(SCN, 2, every=5, players="random")
    assert [k for k, _, _ in curve] == [1, 2]
    assert all(peak > 1 for _, _, peak in curve)
