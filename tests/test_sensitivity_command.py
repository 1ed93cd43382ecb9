"""xuefeng sensitivity end to end on a tiny budget, and its ranges file refused when invalid."""
from __future__ import annotations

import csv
import json
import shutil
import warnings

import pytest

from engine.analysis import sensitivity as S
from engine.paths import SCENARIO_DIR
from game.cli import main

SRC = SCENARIO_DIR / "west_hunan_1945"
TWO = """
[[parameters]]
path = "combat.base_loss"
range = [0.015, 0.03]
[[parameters]]
path = "sides.japan.quality"
range = [1.5, 2.0]
"""


def _scenario(tmp_path, ranges: str):
    d = tmp_path / "scen"
    d.mkdir()
    for f in ("scenario.toml", "map.json"):
        shutil.copy(SRC / f, d / f)
    (d / "sensitivity.toml").write_text(ranges, encoding="utf-8")
    return d


def test_a_tiny_budget_gives_a_row_per_parameter_and_target_and_the_same_table_for_the_same_seed(tmp_path):
    scen = _scenario(tmp_path, TWO)
    tables = []
    for k in range(2):
        out = tmp_path / f"out{k}"
        assert main(["sensitivity", str(scen), "--trajectories", "1", "--runs", "1", "--jobs", "1",
                     "--seed", "3", "--out", str(out)]) == 0
        tables.append((out / "sensitivity.csv").read_text(encoding="utf-8"))
        assert (out / "sensitivity.png").stat().st_size > 10_000
    assert tables[0] == tables[1]
    rows = list(csv.DictReader(tables[0].splitlines()))
    assert len(rows) == 2 * len(S.TARGETS)
    assert {r["parameter"] for r in rows} == {"combat.base_loss", "sides.japan.quality"}
    assert {r["target"] for r in rows} == set(S.TARGETS)


def test_one_trajectory_leaves_sigma_undefined_not_nan_and_warns_nothing(tmp_path):
    scen = _scenario(tmp_path, TWO)
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert main(["sensitivity", str(scen), "--trajectories", "1", "--runs", "1", "--jobs", "1",
                     "--seed", "3", "--out", str(out)]) == 0

    def no_nan(token):
        raise AssertionError(f"sensitivity.json holds {token}, which is not JSON")

    res = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"), parse_constant=no_nan)
    assert all(r["sigma"] is None for t in res["results"].values() for r in t.values())
    rows = list(csv.DictReader((out / "sensitivity.csv").read_text(encoding="utf-8").splitlines()))
    assert {r["sigma"] for r in rows} == {""}


@pytest.mark.parametrize("ranges, field", [
    (TWO.replace("[0.015, 0.03]", "[0.03, 0.015]"), "parameters.0"),           # low above high
    (TWO.replace("range = [1.5, 2.0]", "range = [1.5]"), "parameters.1.range"),  # one bound
    (TWO.replace("path = \"combat.base_loss\"\n", ""), "parameters.0.path"),     # no path
    (TWO.replace("range = [1.5, 2.0]", "range = [\"1.5\", 2.0]"), "parameters.1.range"),
    (TWO.replace("combat.base_loss", "combat.base_los"), "combat.base_los"),    # unknown path
])
def test_an_invalid_ranges_file_is_refused_naming_file_and_field_with_exit_2(tmp_path, capsys, ranges, field):
    scen = _scenario(tmp_path, ranges)
    assert main(["sensitivity", str(scen), "--trajectories", "1", "--runs", "1", "--jobs", "1",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert field in err and ("sensitivity.toml" in err or "scenario.toml" in err), err
