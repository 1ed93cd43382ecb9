"""Morris screening of the calibrated parameters (engine/analysis/sensitivity.py)."""
from __future__ import annotations

import pytest

from engine.analysis import sensitivity as S
from engine.scenario.loader import ScenarioError, load_scenario


def _value(scn, dotted):
    node = scn
    for part in dotted.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def test_every_range_names_a_scenario_value_that_lies_inside_it():
    scn = load_scenario()
    ranges = S.load_ranges(scn.source_path)
    for p in ranges.parameters:
        lo, hi = p.range
        assert lo <= _value(scn, p.path) <= hi, p.path


def test_an_override_of_an_unknown_field_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="combat.base_los"):
        load_scenario(overrides={"combat.base_los": 0.02})


def test_an_override_changes_only_its_value():
    scn = load_scenario(overrides={"combat.base_loss": 0.025})
    assert scn.combat.base_loss == 0.025
    assert load_scenario().combat.base_loss != 0.025


def test_morris_ranks_first_the_one_parameter_that_moves_a_target(monkeypatch):
    def fake_point(scenario, overrides, seeds):
        sick = 20000 * overrides["sides.japan.sickness_per_turn"] / 0.0068
        return [{"zhijiang_held": True, "japanese_final_penetration_km": 0.0, "chinese_casualties": 18000,
                 "japanese_battle_casualties": 20000, "japanese_sick": sick, "japanese_max_penetration_km": 50.0,
                 "japanese_closest_km_to_zhijiang": 80.0} for _ in seeds]

    monkeypatch.setattr(S, "_point", fake_point)
    res = S.run(trajectories=2, runs=2, seed=1, jobs=1)
    sick = res["results"]["V8 Japanese sick"]
    assert sick["sides.japan.sickness_per_turn"]["rank"] == 1
    assert sick["sides.japan.sickness_per_turn"]["mu_star"] > 0
    assert all(v["mu_star"] == 0 and v["rank"] is None for k, v in sick.items()
               if k != "sides.japan.sickness_per_turn")
    assert res["points"] == 2 * (len(res["parameters"]) + 1)
