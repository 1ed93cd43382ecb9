"""V1-V8 target computation on synthetic rows (no campaigns are played here)."""
from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from engine.analysis import validate as V
from engine.scenario.loader import load_scenario

TARGETS = load_scenario().validation  # the historical scenario's [validation] table


def evaluate(*args, targets=TARGETS, **kw):
    return V.evaluate(*args, targets=targets, **kw)


def row(i=0, **kw):
    r = {
        "run": i, "seed": i, "winner": "china", "zhijiang_held": True,
        "japanese_closest_km_to_zhijiang": 60.0, "japanese_max_penetration_km": 80.0,
        "japanese_final_penetration_km": 0.0,
        "japanese_killed": 6000, "japanese_wounded": 12000, "japanese_captured": 200, "japanese_sick": 25000,
        "chinese_killed": 7800, "chinese_wounded": 12800, "chinese_missing": 400, "end_date": "1945-06-07",
    }
    r.update(kw)
    return r


def spread(n, base, **fixed):
    """n rows whose ``base`` fields vary a little around their value (so bootstraps have spread)."""
    rng = np.random.default_rng(len(base) + n)
    out = []
    for i in range(n):
        kw = dict(fixed)
        for k, v in base.items():
            kw[k] = type(v)(v * (1 + 0.05 * rng.standard_normal()))
        out.append(row(i, **kw))
    return out


HIST = dict(japanese_max_penetration_km=80.0, japanese_closest_km_to_zhijiang=60.0, japanese_killed=6000)
NO_AIR = dict(japanese_max_penetration_km=120.0, japanese_closest_km_to_zhijiang=40.0, japanese_killed=3000)
NO_LIFT = dict(japanese_max_penetration_km=100.0, japanese_closest_km_to_zhijiang=30.0, japanese_killed=6000)


def by_id(results):
    return {r.id: r for r in results}


def test_share_counts_rows_matching_predicate():
    rows = [row(0), row(1, winner="japan"), row(2)]
    assert V.share(rows, lambda r: r["winner"] == "china") == (2, 3, pytest.approx(2 / 3))


def test_bootstrap_ci_excludes_zero_for_clearly_different_samples():
    a = np.arange(100, 150)
    b = np.arange(0, 50)
    d, lo, hi = V.bootstrap_median_diff(a, b, n_boot=500, seed=1)
    assert d == pytest.approx(100.0)
    assert 0 < lo <= d <= hi


def test_bootstrap_ci_contains_zero_for_same_distribution():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 200), rng.normal(0, 1, 200)
    _, lo, hi = V.bootstrap_median_diff(a, b, n_boot=1000, seed=2)
    assert lo < 0 < hi


def test_bootstrap_ci_of_constant_samples_is_a_point():
    d, lo, hi = V.bootstrap_median_diff([5.0] * 10, [5.0] * 10, n_boot=200, seed=0)
    assert d == lo == hi == 0.0


def test_bootstrap_is_reproducible_for_a_seed():
    a, b = np.random.default_rng(0).normal(size=(2, 30))
    assert V.bootstrap_median_diff(a, b, 300, seed=9) == V.bootstrap_median_diff(a, b, 300, seed=9)


def test_bootstrap_of_empty_sample_is_nan():
    assert all(np.isnan(x) for x in V.bootstrap_median_diff([], [1.0, 2.0]))


def test_all_targets_pass_on_history_like_rows():
    res = evaluate(spread(40, HIST), spread(40, NO_AIR), spread(40, NO_LIFT), seed=0, n_boot=500)
    assert [r.id for r in res] == ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8"]
    assert all(r.passed for r in res), [(r.id, r.simulated) for r in res if not r.passed]


def test_v1_fails_below_ninety_percent_airfield_held():
    hist = [row(i, zhijiang_held=i >= 2) for i in range(10)]  # 80%
    assert not by_id(evaluate(hist, None, None))["V1"].passed
    hist = [row(i, zhijiang_held=i >= 1) for i in range(10)]  # 90%
    assert by_id(evaluate(hist, None, None))["V1"].passed


def test_v2_fails_below_eighty_percent_chinese_victories():
    hist = [row(i, winner="japan" if i < 3 else "china") for i in range(10)]
    r = by_id(evaluate(hist, None, None))["V2"]
    assert not r.passed and r.details["count"] == 7


def test_v3_uses_final_not_maximum_penetration():
    hist = [row(i, japanese_max_penetration_km=150.0, japanese_final_penetration_km=10.0) for i in range(10)]
    assert by_id(evaluate(hist, None, None))["V3"].passed
    hist = [row(i, japanese_final_penetration_km=31.0 if i < 4 else 30.0) for i in range(10)]  # 60%
    assert not by_id(evaluate(hist, None, None))["V3"].passed


def test_v4_counts_killed_wounded_missing_against_band():
    ok = [row(i, chinese_killed=4000, chinese_wounded=9000, chinese_missing=1000) for i in range(5)]  # 14,000
    low = [row(i, chinese_killed=4000, chinese_wounded=9000, chinese_missing=999) for i in range(5)]
    assert by_id(evaluate(ok, None, None))["V4"].passed
    assert not by_id(evaluate(low, None, None))["V4"].passed


def test_v5_excludes_sickness_from_battle_casualties():
    hist = [row(i, japanese_killed=1000, japanese_wounded=2000, japanese_captured=0, japanese_sick=50000)
            for i in range(5)]
    r = by_id(evaluate(hist, None, None))["V5"]
    assert not r.passed and r.details["median"] == 3000


def test_v6_fails_when_no_air_penetrates_deeper_but_loses_as_many():
    no_air = spread(40, dict(NO_AIR, japanese_killed=6000))
    r = by_id(evaluate(spread(40, HIST), no_air, spread(40, NO_LIFT), n_boot=500))["V6"]
    assert not r.passed
    assert r.details["deeper"] and not r.details["fewer_casualties"]


def test_v6_fails_when_difference_goes_the_wrong_way():
    no_air = spread(40, dict(NO_AIR, japanese_max_penetration_km=40.0))
    r = by_id(evaluate(spread(40, HIST), no_air, spread(40, NO_LIFT), n_boot=500))["V6"]
    assert not r.passed and not r.details["deeper"]


def test_v7_fails_when_closest_approach_is_not_nearer():
    no_lift = spread(40, dict(NO_LIFT, japanese_closest_km_to_zhijiang=60.0))
    r = by_id(evaluate(spread(40, HIST), spread(40, NO_AIR), no_lift, n_boot=500))["V7"]
    assert not r.passed
    lo, hi = r.details["closest_diff"][1:]
    assert lo <= 0 <= hi


def test_the_bands_are_the_scenarios_validation_table():
    rows = spread(20, HIST)
    assert by_id(evaluate(rows, None, None))["V4"].passed
    stricter = TARGETS.model_copy(update={"chinese_casualties": TARGETS.chinese_casualties.model_copy(
        update={"low": 25_000, "high": 26_000})})
    v4 = by_id(evaluate(rows, None, None, targets=stricter))["V4"]
    assert not v4.passed and v4.band == "median 25,000 – 26,000"


def test_evaluate_needs_the_targets():
    with pytest.raises(TypeError):
        V.evaluate(spread(5, HIST), None, None)


def test_missing_variant_fails_its_target_with_the_reason():
    res = by_id(evaluate(spread(20, HIST), None, None, missing={"no_air": "ScenarioError: no such variant"}))
    assert not res["V6"].passed and "no such variant" in res["V6"].simulated
    assert not res["V7"].passed


def _args(tmp_path, **kw):
    return argparse.Namespace(scenario="west_hunan_1945", runs=40, seed=0, jobs=1,
                              json=str(tmp_path / "v.json"), **kw)


def _fake_rows(hist, no_air, no_lift):
    def rows_for(scenario, variant, runs, seed, jobs, players="ai", progress=False, compiled_paths=False):
        return {None: hist, "no_air": no_air, "no_airlift": no_lift}[variant]
    return rows_for


def test_cli_validate_exits_nonzero_when_a_target_fails(tmp_path, monkeypatch):
    hist = spread(40, HIST, winner="japan", zhijiang_held=False)
    monkeypatch.setattr(V, "rows_for", _fake_rows(hist, spread(40, NO_AIR), spread(40, NO_LIFT)))
    assert V.cli_validate(_args(tmp_path)) == 1
    doc = json.loads((tmp_path / "v.json").read_text())
    assert doc["passed"] is False
    assert {t["id"]: t["passed"] for t in doc["targets"]}["V2"] is False


def test_cli_validate_exits_zero_and_writes_json_when_all_pass(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(V, "rows_for", _fake_rows(spread(40, HIST), spread(40, NO_AIR), spread(40, NO_LIFT)))
    assert V.cli_validate(_args(tmp_path)) == 0
    assert str(tmp_path / "v.json") in capsys.readouterr().out.replace("\n", "")
    doc = json.loads((tmp_path / "v.json").read_text())
    assert doc["passed"] is True and len(doc["targets"]) == 8


def test_paired_bootstrap_sees_a_small_shift_common_seed_noise_would_hide():
    rng = np.random.default_rng(4)
    base = rng.normal(0, 50, 100)  # large seed-to-seed spread, shared by both variants
    shifted = base - 3.0 + rng.normal(0, 1, 100)
    _, lo_u, hi_u = V.bootstrap_median_diff(shifted, base, n_boot=1000, seed=0)
    _, lo_p, hi_p = V.paired_bootstrap_median_diff(shifted, base, n_boot=1000, seed=0)
    assert lo_u < 0 < hi_u
    assert hi_p < 0


def test_paired_rows_are_matched_by_seed_not_by_position():
    a = [row(0, seed=11, japanese_sick=1), row(1, seed=12, japanese_sick=2)]
    b = [row(0, seed=12, japanese_sick=20), row(1, seed=13, japanese_sick=30)]
    x, y = V.paired(a, b, lambda r: r["japanese_sick"])
    assert list(x) == [2] and list(y) == [20]


def test_paired_effect_counts_seeds_moving_the_expected_way():
    eff = V.paired_effect([1, 2, 3, 10], [2, 1, 1, 5], expected_sign=+1)
    assert eff["share_expected"] == 0.75 and eff["pairs"] == 4 and eff["d_z"] > 0


def test_v8_fails_when_the_japanese_sick_are_too_few():
    res = by_id(evaluate(spread(20, HIST, japanese_sick=12000), spread(20, NO_AIR), spread(20, NO_LIFT)))
    assert not res["V8"].passed and "12,000" in res["V8"].simulated


def test_v8_passes_inside_the_medical_records_band():
    res = by_id(evaluate(spread(20, HIST, japanese_sick=25000), spread(20, NO_AIR), spread(20, NO_LIFT)))
    assert res["V8"].passed
