"""The command line never shows a traceback for a user's mistake: a clear message and exit 2."""
from __future__ import annotations

import json

import pytest

from game.cli import main


@pytest.mark.parametrize("argv, says", [
    (["sim", "--runs", "-1"], "--runs"),
    (["sim", "--runs", str(10**12)], "--runs"),
    (["sim", "--seed", "-1"], "--seed"),
    (["sim", "--jobs", "100000"], "--jobs"),
    (["sim", "--variant", ""], "--variant"),
    (["play", "--seed", "x"], "--seed"),
    (["validate", "--runs", "0"], "--runs"),
    (["play", "--size", "10x"], "--size"),
    (["play", "--size", "100x100"], "--size"),
])
def test_out_of_range_arguments_are_usage_errors(argv, says, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert says in capsys.readouterr().err


@pytest.mark.parametrize("argv, says", [
    (["sim", "--runs", "1", "--variant", "nope"], "unknown variant"),
    (["sim", "no_such_scenario", "--runs", "1"], "unknown scenario"),
    (["sim", "/etc/passwd", "--runs", "1"], "not a scenario"),
])
def test_an_unknown_scenario_or_variant_is_a_clear_error(argv, says, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_out_naming_a_file_is_refused(tmp_path, capsys):
    f = tmp_path / "f"
    f.write_text("")
    assert main(["sim", "--runs", "1", "--out", str(f)]) == 2
    assert "names a file" in capsys.readouterr().err


def test_a_new_batch_removes_the_older_batchs_files(tmp_path):
    from engine.analysis.sim import prepare_out_dir

    (tmp_path / "runs.csv").write_text("old")
    (tmp_path / "turns.jsonl").write_text("old")
    (tmp_path / "mine.txt").write_text("keep")
    prepare_out_dir(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_play_seed_zero_stays_zero():
    from game.app import config_from_args
    from game.cli import _parser

    assert config_from_args(_parser().parse_args(["play", "--seed", "0"])).seed == 0


def test_check_reports_a_broken_save_with_file_and_field(game, tmp_path, capsys):
    d = game.new_initial_state(1).to_dict()
    d["units"][0]["men"] = -5000
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(d))
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(game.new_initial_state(1).to_dict()))
    assert main(["check", str(ok)]) == 0
    assert main(["check", str(p), str(ok)]) == 1
    out = capsys.readouterr().out
    assert f"{p}: units[0].men" in out and f"{ok}: ok" in out


def test_check_passes_the_historical_scenario(capsys):
    from engine.paths import SCENARIO_DIR

    assert main(["check", str(SCENARIO_DIR / "west_hunan_1945")]) == 0


def test_without_a_display_a_bad_scenario_is_reported_before_any_fallback(capsys, monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert main(["play", "no_such_scenario"]) == 2
    out = capsys.readouterr()
    assert "unknown scenario" in out.err and "No display found" not in out.out


def test_map_takes_the_scenario_positionally_like_the_other_commands(tmp_path, capsys):
    out = tmp_path / "m.png"
    assert main(["map", "west_hunan_1945", "--png", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_map_refuses_two_different_scenarios(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["map", "a_scenario", "--scenario", "another", "--png", str(tmp_path / "m.png")])
    assert exc.value.code == 2
    assert "once" in capsys.readouterr().err
