"""The rules' numbers are scenario data: each is a typed, bounded field of scenario.toml that the
rules read (a bad or missing value is refused naming the file and the field)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.api import Game
from engine.core.play import legal_actions
from engine.rules import combat
from engine.scenario.loader import REPO_ROOT, ScenarioError, load_scenario

from .conftest import clear_board, inland_hex, put

SCENARIO = REPO_ROOT / "scenarios" / "west_hunan_1945" / "scenario.toml"
MAP = SCENARIO.parent / "map.json"


@pytest.fixture
def write_scenario(tmp_path):
    """Write an edited copy of the historical scenario next to a map listing its place keys."""
    places = [{"key": p["key"]} for p in json.loads(MAP.read_text(encoding="utf-8"))["places"]]
    (tmp_path / "map.json").write_text(json.dumps({"places": places}), encoding="utf-8")

    def write(old: str, new: str) -> Path:
        text = SCENARIO.read_text(encoding="utf-8")
        assert re.search(old, text, flags=re.M), f"test set-up: {old!r} not in the scenario file"
        p = tmp_path / "scenario.toml"
        p.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")
        return p

    return write


def refusal(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value)


def game_with(**tables) -> Game:
    """The historical game with some fields of the named tables replaced (``combat={"max_loss": 0.1}``)."""
    scn = load_scenario()
    for table, fields in tables.items():
        for k, v in fields.items():
            setattr(getattr(scn, table), k, v)
    return Game(scn, Game.load().map)


# ----------------------------------------------------------------------- bounds and presence
@pytest.mark.parametrize("field, bad, expected", [
    ("combat.max_loss", "1.5", "less than or equal to 1"),
    ("combat.no_retreat_capture", "-0.1", "greater than or equal to 0"),
    ("combat.fatigue_max_effect", "1.2", "less than or equal to 1"),
    ("combat.retreat_hexes", "0", "greater than or equal to 1"),
    ("combat.rout_hexes", "1.5", "valid integer"),
    ("attrition.sickness_max", "2.0", "less than or equal to 1"),
    ("attrition.strafe_max", "-1.0", "greater than or equal to 0"),
    ("air.interdict_radius", "-1", "greater than or equal to 0"),
    ("air.support_radius", '"one"', "valid integer"),
    ("air.cap_radius", "-2", "greater than or equal to 0"),
    ("air.package_sorties", "0", "greater than or equal to 1"),
    ("movement.arrival_search_hexes", "0", "greater than or equal to 1"),
])
def test_an_out_of_bounds_parameter_is_refused_naming_file_and_field(write_scenario, field, bad, expected):
    key = field.rsplit(".", 1)[1]
    p = write_scenario(rf"^{key} = \S+", f"{key} = {bad}")
    err = refusal(p)
    assert f"{p}: {field}:" in err and expected in err


@pytest.mark.parametrize("field", ["combat.max_loss", "combat.rout_hexes", "attrition.strafe_noise_low",
                                   "air.interdict_radius", "air.package_sorties", "air.interdiction_kill"])
def test_a_missing_parameter_is_refused_not_defaulted(write_scenario, field):
    key = field.rsplit(".", 1)[1]
    p = write_scenario(rf"^{key} = .*\n", "")
    assert f"{p}: {field}: missing" in refusal(p)


def test_rout_closer_than_retreat_is_refused(write_scenario):
    p = write_scenario(r"^retreat_hexes = 1", "retreat_hexes = 3")
    err = refusal(p)
    assert f"{p}: combat" in err and "rout_hexes 2 must not be below retreat_hexes 3" in err


def test_strafe_noise_upside_down_is_refused(write_scenario):
    p = write_scenario(r"^strafe_noise_high = \S+", "strafe_noise_high = 0.1")
    assert "strafe_noise_high 0.1 must not be below strafe_noise_low 0.5" in refusal(p)


# ------------------------------------------------------------------------- the rules read them
def _attack_setup(game):
    st = game.new_initial_state(seed=3)
    clear_board(st)
    h = inland_hex(game, "plain")
    att = next(u.id for u in game.units if u.side == "japan")
    dfn = next(u.id for u in game.units if u.side == "china")
    put(st, att, int(game.map.nbr[h, 0]), men=20_000)
    put(st, dfn, h, men=1000)
    st.phase, st.side = "combat", "japan"
    return st, att, h


def test_the_loss_cap_is_the_scenarios_max_loss():
    game = game_with(combat={"max_loss": 0.05})
    st, att, h = _attack_setup(game)
    assert combat.preview(st, [att], h)["defender_loss"] == 50


def test_a_fatigued_unit_keeps_the_strength_fatigue_max_effect_leaves_it():
    game = game_with(combat={"fatigue_max_effect": 0.25})
    st, att, h = _attack_setup(game)
    fresh = combat.preview(st, [att], h)["attack"]
    st.unit(att).fatigue = 1.0
    assert combat.preview(st, [att], h)["attack"] == pytest.approx(0.75 * fresh)


def test_the_smaller_sortie_package_is_the_scenarios_package_sorties():
    game = game_with(air={"package_sorties": 7})
    st = game.new_initial_state(seed=0)
    assert st.phase == "air"
    st.sorties_left[st.side] = 100
    sizes = {a.sorties for a in legal_actions(st) if hasattr(a, "sorties")}
    assert sizes == {7, 100}


# ------------------------------------------------------------------------- victory and air bases
@pytest.mark.parametrize("field, old, bad, expected", [
    ("victory.attacker", r'^attacker = "japan"', 'attacker = "korea"', "'japan' or 'china'"),
    ("air.sides.china.bases_need_objective", r"^bases_need_objective = true", "bases_need_objective = 1",
     "valid boolean"),
])
def test_a_bad_victory_or_base_rule_is_refused_naming_file_and_field(write_scenario, field, old, bad, expected):
    p = write_scenario(old, bad)
    err = refusal(p)
    assert f"{p}: {field}:" in err and expected in err


def _with_airfield_taken_by(game, side):
    st = game.new_initial_state(seed=1)
    unit = next(u.id for u in game.units if u.side == side)
    put(st, unit, game.airfield_hex)
    return st


def test_the_attacker_named_in_victory_wins_by_taking_the_objective(game):
    from engine.rules.victory import check_victory
    scn = load_scenario()
    scn.victory.attacker = "china"
    flipped = Game(scn, game.map)
    st = _with_airfield_taken_by(flipped, "china")
    check_victory(st)
    assert (st.over, st.winner, st.airfield_status) == (True, "china", "captured")


def test_a_japanese_unit_on_the_airfield_wins_for_japan_as_the_scenario_says(game):
    from engine.rules.victory import check_victory
    st = _with_airfield_taken_by(game, "japan")
    check_victory(st)
    assert (st.over, st.winner) == (True, "japan")


@pytest.mark.parametrize("needs, share", [(True, 0.3), (False, 1.0)])
def test_losing_the_objective_grounds_only_the_bases_that_need_it(game, needs, share):
    from engine.rules.air import base_share
    scn = load_scenario()
    scn.air.sides["china"].bases_need_objective = needs
    g = Game(scn, game.map)
    st = g.new_initial_state(seed=1)
    st.airfield_status = "neutralised"
    assert base_share(st, "china") == pytest.approx(share)


# ---------------------------------------------------------------------- history and validation
@pytest.mark.parametrize("field, old, bad, expected", [
    ("validation.airfield_held_share", r"^airfield_held_share = \S+", "airfield_held_share = 1.5",
     "less than or equal to 1"),
    ("validation.thrown_back_km", r"^thrown_back_km = \S+", "thrown_back_km = -30.0", "greater than or equal to 0"),
    ("validation.chinese_casualties", r"^chinese_casualties = \{ low = 14000, high = 30000",
     "chinese_casualties = { low = 30000, high = 14000", "high 14000 must not be below low 30000"),
    ("history.japanese_sick_range.low", r"^japanese_sick_range = \{ low = 24640", "japanese_sick_range = { low = -1",
     "greater than or equal to 0"),
    ("history.chinese_casualties.0.source", r'source = "EN" \},  # 7,817', 'source = "WIKI" },  # 7,817',
     "unknown source key 'WIKI'"),
])
def test_a_bad_history_or_validation_value_is_refused_naming_file_and_field(write_scenario, field, old, bad,
                                                                              expected):
    p = write_scenario(old, bad)
    err = refusal(p)
    assert f"{p}: " in err and expected in err
    assert field.replace(".0.", "[0].") in err or field in err


def test_the_end_screen_words_come_from_the_scenarios_history(game):
    from game.texts import history_1945
    h = history_1945(game)
    assert h["chinese_casualties"] == "21,040 (EN) / 20,660 (ZH)"
    assert h["japanese_battle_casualties"] == "disputed 11,000–36,358"
    assert h["japanese_sick"] == "~24–28k"
    assert h["ended"] == game.scenario.history.ended


# ---------------------------------------------------------------------------------- terrain
def test_the_maps_terrain_comes_from_its_legend_in_the_scenarios_order(game):
    assert game.map.terrain_codes == tuple(t.code for t in game.scenario.terrain.values())
    assert game.terrain_names == game.map.terrain_names == tuple(game.scenario.terrain)


def test_a_map_terrain_without_rules_in_the_scenario_is_refused_naming_both_files(tmp_path):
    text = SCENARIO.read_text(encoding="utf-8")
    assert text.count('code = "X"') == 1
    (tmp_path / "scenario.toml").write_text(text.replace('code = "X"', 'code = "Z"'), encoding="utf-8")
    (tmp_path / "map.json").write_bytes(MAP.read_bytes())
    with pytest.raises(ScenarioError) as info:
        Game.load(tmp_path / "scenario.toml")
    err = str(info.value)
    assert str(tmp_path / "scenario.toml") in err and str(tmp_path / "map.json") in err
    assert "terrain: the map" in err and "'X' = 'high_mountain'" in err and "no terrain has code 'X'" in err


def test_a_terrain_without_a_sickness_multiplier_is_refused(write_scenario):
    p = write_scenario(r"^sickness_terrain_mult = \{ plain = 1\.0, hills = 1\.1, ", "sickness_terrain_mult = { hills = 1.1, ")
    assert f"{p}: sides.china.sickness_terrain_mult.plain: missing" in refusal(p)
