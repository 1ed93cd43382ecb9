"""Scenario bounds and cross-checks: senseless numbers and positions are refused, naming file and field."""
from __future__ import annotations

import shutil

import pytest
import tomlkit

from engine.api import Game, ScenarioError
from engine.paths import SCENARIO_DIR

SRC = SCENARIO_DIR / "west_hunan_1945"


@pytest.fixture
def scenario_copy(tmp_path):
    """Edit a copy of the historical scenario (with its real map) and load it as a Game."""
    shutil.copy(SRC / "map.json", tmp_path / "map.json")
    base = (SRC / "scenario.toml").read_text(encoding="utf-8")

    def load(edit) -> str:
        doc = tomlkit.parse(base)
        edit(doc)
        (tmp_path / "scenario.toml").write_text(tomlkit.dumps(doc), encoding="utf-8")
        with pytest.raises(ScenarioError) as exc:
            Game.load(tmp_path)
        return str(exc.value)

    return load


def _unit(doc, side, k=0):
    return [u for u in doc["units"] if u["side"] == side and "arrives" not in u and not u.get("reserve")][k]


@pytest.mark.parametrize("field, edit", [
    ("movement.mp.infantry", lambda d: d["movement"]["mp"].__setitem__("infantry", 0.0)),
    ("movement.mp.infantry", lambda d: d["movement"]["mp"].__setitem__("infantry", float("nan"))),
    ("movement.mp.infantry", lambda d: d["movement"]["mp"].__setitem__("infantry", float("inf"))),
    ("sides.japan.quality", lambda d: d["sides"]["japan"].__setitem__("quality", float("inf"))),
    ("sides.china.supply_range", lambda d: d["sides"]["china"].__setitem__("supply_range", float("inf"))),
    ("ai.japan.stall_turns", lambda d: d["ai"]["japan"].__setitem__("stall_turns", 0)),
    ("sides.japan.sickness_out_of_supply_mult",
     lambda d: d["sides"]["japan"].__setitem__("sickness_out_of_supply_mult", -1.0)),
    ("air.sides.japan.sorties_per_aircraft",
     lambda d: d["air"]["sides"]["japan"].__setitem__("sorties_per_aircraft", float("inf"))),
    ("meta.days_per_turn", lambda d: d["meta"].__setitem__("days_per_turn", 10**10)),
    ("meta.map", lambda d: d["meta"].__setitem__("map", "/etc/passwd")),
    ("movement.stacking_max_units", lambda d: d["movement"].__setitem__("stacking_max_units", 0)),
])
def test_a_senseless_number_is_refused_by_field(scenario_copy, field, edit):
    msg = scenario_copy(edit)
    assert "scenario.toml" in msg and field in msg, msg


def test_a_start_off_the_map_is_refused(scenario_copy):
    def edit(d):
        u = _unit(d, "japan")
        u.pop("start", None)
        u["start_latlon"] = [10.0, 10.0]
    msg = scenario_copy(edit)
    assert "start_latlon: off the map" in msg and "scenario.toml" in msg


def test_both_sides_starting_in_one_hex_is_refused(scenario_copy):
    from engine.map.hexmap import HexMap

    lat, lon = HexMap.load(SRC / "map.json").latlon(2000)  # a hex that is no place

    def edit(d):
        for u in (_unit(d, "japan"), _unit(d, "china")):
            u.pop("start", None)
            u["start_latlon"] = [lat, lon]
    msg = scenario_copy(edit)
    assert "units of the other side" in msg


def test_seven_units_stacked_at_the_start_are_refused(scenario_copy):
    def edit(d):
        first = _unit(d, "japan")
        for k in range(1, 7):
            u = _unit(d, "japan", k)
            for key in ("start", "start_latlon"):
                u.pop(key, None)
                if key in first:
                    u[key] = first[key]
    msg = scenario_copy(edit)
    assert "expected at most movement.stacking_max_units" in msg


def test_a_side_without_units_is_refused(scenario_copy):
    def edit(d):
        keep = [u for u in d["units"] if u["side"] == "japan"]
        d["units"].clear()
        d["units"].extend(keep)
    msg = scenario_copy(edit)
    assert "units: no unit of china" in msg


def test_a_missing_map_names_meta_map(scenario_copy, tmp_path):
    (tmp_path / "map.json").unlink()
    msg = scenario_copy(lambda d: None)
    assert "meta.map" in msg and "map.json" in msg


@pytest.mark.parametrize("key, value, what", [
    ("hex_width_km", 0, "hex_width_km"), ("hex_width_km", -3.0, "hex_width_km"),
    ("ncols", True, "ncols"), ("ncols", 10**12, "ncols"),
])
def test_a_senseless_map_is_refused_by_key(tmp_path, key, value, what):
    import json

    from engine.map.hexmap import HexMap

    d = json.loads((SRC / "map.json").read_text(encoding="utf-8"))
    d[key] = value
    p = tmp_path / "map.json"
    p.write_text(json.dumps(d))
    with pytest.raises(ValueError) as exc:
        HexMap.load(p)
    assert "map.json" in str(exc.value) and what in str(exc.value)
