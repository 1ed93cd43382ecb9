"""The scenario as validated data: the historical file, its variants, and the error messages
of broken files (each names the file, the dotted field path and what was expected)."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from engine.scenario.loader import REPO_ROOT, Scenario, ScenarioError, load_scenario

SCENARIO = REPO_ROOT / "scenarios" / "west_hunan_1945" / "scenario.toml"
MAP = SCENARIO.parent / "map.json"
PLACES_CSV = REPO_ROOT.parent / "shared" / "reference" / "west_hunan_places.csv"
VARIANTS = ("no_air", "no_airlift", "no_feints", "reserves_released")
NEW_6TH = ("cn_14d", "cn_n22d")
FEINTS = ("jp_64d_1", "jp_68d_1", "jp_68d_2")
RESERVES = ("cn_142d", "cn_39c_div")

# The gazetteer keys on the map (used when neither map.json nor the shared CSV is available).
ON_MAP_KEYS = (
    "anhua anjiang changsha chengbu chenxi dongkou hengyang hongjiang huaihua_yushuwan huitong jiangkou "
    "jingzhou lengshuijiang lianyuan longhui_taohuaping longtan_longtansi loudi ningxiang qianyang_qiancheng "
    "shanmen shaodong shaoyang shixiajiang suining tongwan wugang wuyang xiangtan xiangxiang xiaoshajiang xidu "
    "xinhua xinning xinshao xuefeng_subaoding xupu yiyang yuanling zhijiang zhijiang_airfield zhongfang"
).split()


def place_keys() -> set[str]:
    if MAP.exists():
        return {p["key"] for p in json.loads(MAP.read_text(encoding="utf-8"))["places"]}
    return set(ON_MAP_KEYS)


@pytest.fixture(scope="module")
def scn() -> Scenario:
    return load_scenario()


@pytest.fixture
def tmp_scenario(tmp_path):
    """Write a (modified) copy of the historical TOML, with a map.json listing the place keys."""
    (tmp_path / "map.json").write_text(json.dumps({"places": [{"key": k} for k in sorted(place_keys())]}))
    base = SCENARIO.read_text(encoding="utf-8")

    def write(edit=lambda s: s) -> Path:
        text = edit(base)
        p = tmp_path / "scenario.toml"
        p.write_text(text, encoding="utf-8")
        return p

    return write


def replace_once(old: str, new: str):
    def edit(text: str) -> str:
        assert text.count(old) >= 1, f"test set-up: {old!r} not in the scenario file"
        return text.replace(old, new, 1)

    return edit


def error_of(path: Path, variant: str | None = None) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, variant=variant)
    return info.value


# ----------------------------------------------------------------------- historical scenario
def test_historical_scenario_loads(scn):
    assert scn.meta.id == "west_hunan_1945"
    assert scn.meta.start_date == dt.date(1945, 4, 6) and scn.meta.end_date == dt.date(1945, 6, 7)
    assert scn.meta.days_per_turn == 2
    assert scn.variant is None
    assert Path(scn.source_path) == SCENARIO


def test_load_by_name_and_by_path_give_the_same_scenario(scn):
    assert load_scenario(SCENARIO) == scn
    assert load_scenario(SCENARIO.parent) == scn


def test_japanese_men_sum_to_80000(scn):
    assert scn.side_men("japan") == 80_000
    assert scn.side_men("japan", include_reserve=False) == 80_000


def test_chinese_committed_men_sum_to_110000_and_reserves_are_extra(scn):
    assert scn.side_men("china", include_reserve=False) == 110_000
    reserves = [u for u in scn.units if u.side == "china" and u.reserve]
    assert sorted(u.id for u in reserves) == sorted(RESERVES)
    assert scn.side_men("china") == 110_000 + sum(u.men for u in reserves)


def test_every_unit_formation_exists_and_is_on_the_units_side(scn):
    formations = {f.id: f for f in scn.formations}
    for u in scn.units:
        assert u.formation in formations, u.id
        assert formations[u.formation].side == u.side, u.id


def test_every_formation_parent_chain_reaches_a_theatre_command(scn):
    for f in scn.formations:
        chain = scn.formation_chain(f.id)
        assert chain[-1].parent is None
        if f.level not in ("air",):
            assert chain[-1].level == "theatre", f.id


def test_ids_are_unique(scn):
    ids = [u.id for u in scn.units] + [f.id for f in scn.formations]
    assert len(ids) == len(set(ids))


def test_every_place_key_resolves(scn):
    keys = place_keys()
    used = [u.start for u in scn.units] + [u.arrives_at for u in scn.units]
    used += [k for sp in scn.sides.values() for k in sp.supply_sources + sp.start_control]
    used += [k for a in scn.air.sides.values() for k in a.bases]
    used += [scn.victory.airfield, *scn.victory.key_places]
    used += [k for ax in scn.ai.japan.axes.values() for k in ax.objectives] + [scn.ai.japan.withdraw_base]
    for v in VARIANTS:
        s = load_scenario(variant=v)
        used += [u.start for u in s.units] + [u.arrives_at for u in s.units]
    missing = {k for k in used if k is not None} - keys
    assert not missing


def test_on_map_keys_are_gazetteer_keys():
    assert PLACES_CSV.exists(), f"the shared gazetteer is expected at {PLACES_CSV} (beside the checkout)"
    with open(PLACES_CSV, newline="", encoding="utf-8") as fh:
        gazetteer = {row["key"] for row in csv.DictReader(fh)}
    assert place_keys() <= gazetteer


def test_every_unit_has_one_start_or_an_arrival(scn):
    for u in scn.units:
        if u.arrives is None:
            assert (u.start is None) != (u.start_latlon is None), u.id
        else:
            assert u.arrives_at is not None, u.id


def test_japanese_units_follow_a_planned_axis(scn):
    axes = scn.ai.japan.axes
    for u in scn.units_of("japan"):
        assert u.axis in axes, u.id
    assert {"south", "centre", "north", "feint_ningxiang", "feint_yiyang"} <= set(axes)
    assert axes["centre"].objectives[-1] == "zhijiang_airfield"


def test_chinese_units_have_roles_and_new_6th_corps_is_airlifted_to_zhijiang(scn):
    assert all(u.role is not None for u in scn.units_of("china"))
    for uid in NEW_6TH:
        u = scn.unit_by_id(uid)
        assert u.arrives_at == "zhijiang_airfield"
        assert dt.date(1945, 4, 20) <= u.arrives <= dt.date(1945, 4, 30)  # EN: by late April


def test_terrain_codes_and_probabilities_are_consistent(scn):
    assert {t.code for t in scn.terrain.values()} == {"P", "H", "M", "X"}
    assert sum(w.probability for w in scn.air.weather.values()) == pytest.approx(1.0)
    for sp in scn.sides.values():
        c = sp.casualty_split
        assert c.killed + c.wounded + c.captured == pytest.approx(1.0)
    for u in scn.units:
        assert u.kind in scn.movement.mp


def test_start_line_runs_north_to_south_and_japanese_start_east_of_it(scn):
    lats = [p[0] for p in scn.victory.start_line]
    assert lats == sorted(lats, reverse=True)
    # every Japanese start given by lat/lon lies east of the line at its latitude
    line = sorted(scn.victory.start_line)
    import numpy as np

    for u in scn.units_of("japan"):
        if u.start_latlon:
            lat, lon = u.start_latlon
            assert lon > np.interp(lat, [p[0] for p in line], [p[1] for p in line]), u.id


def test_every_citation_key_is_defined(scn):
    for item in [*scn.formations, *scn.units]:
        for key in item.source.split("+"):
            assert key in scn.meta.sources, item.id


def test_unit_by_id_raises_for_an_unknown_unit(scn):
    assert scn.unit_by_id("jp_116d_109").men == 6000
    with pytest.raises(KeyError):
        scn.unit_by_id("nope")


# ----------------------------------------------------------------------------------- variants
def test_variants_available_lists_the_four_variants(scn):
    assert scn.variants_available() == list(VARIANTS)


@pytest.mark.parametrize("name", VARIANTS)
def test_each_variant_loads_and_records_its_name(name):
    s = load_scenario(variant=name)
    assert s.variant == name
    assert s.variants_available() == list(VARIANTS)


def test_no_air_grounds_the_chinese_air_force(scn):
    s = load_scenario(variant="no_air")
    assert s.air.sides["china"].aircraft == 0
    assert scn.air.sides["china"].aircraft == 400
    assert s.air.sides["japan"] == scn.air.sides["japan"]
    assert s.units == scn.units


def test_no_airlift_makes_new_6th_corps_arrive_later_and_not_at_the_airfield(scn):
    s = load_scenario(variant="no_airlift")
    for uid in NEW_6TH:
        base, late = scn.unit_by_id(uid), s.unit_by_id(uid)
        assert late.arrives >= base.arrives + dt.timedelta(days=21)
        assert late.arrives.month == 5
        assert late.arrives_at != "zhijiang_airfield"
        assert late.men == base.men
    assert s.side_men("china") == scn.side_men("china")


def test_no_feints_sends_the_feint_forces_to_the_centre_from_near_shaoyang(scn):
    s = load_scenario(variant="no_feints")
    for uid in FEINTS:
        base, u = scn.unit_by_id(uid), s.unit_by_id(uid)
        assert base.axis.startswith("feint") and u.axis == "centre"
        assert u.start != base.start
        assert (u.start is None) != (u.start_latlon is None)  # setting one start clears the other
    assert not any(u.axis.startswith("feint") for u in s.units_of("japan"))
    assert s.side_men("japan") == 80_000


def test_reserves_released_commits_the_reserves_in_mid_april(scn):
    s = load_scenario(variant="reserves_released")
    for uid in RESERVES:
        u = s.unit_by_id(uid)
        assert scn.unit_by_id(uid).reserve and not u.reserve
        assert dt.date(1945, 4, 10) <= u.arrives <= dt.date(1945, 4, 20)
        assert u.arrives_at in place_keys()
    assert s.side_men("china", include_reserve=False) == scn.side_men("china")


def test_loading_a_variant_does_not_change_the_base_scenario(scn):
    before = scn.model_dump()
    for v in VARIANTS:
        load_scenario(variant=v)
    assert load_scenario().model_dump() == before


def test_loading_does_not_modify_the_toml_file():
    digest = hashlib.sha256(SCENARIO.read_bytes()).hexdigest()
    mtime = SCENARIO.stat().st_mtime_ns
    load_scenario()
    for v in VARIANTS:
        load_scenario(variant=v)
    assert hashlib.sha256(SCENARIO.read_bytes()).hexdigest() == digest
    assert SCENARIO.stat().st_mtime_ns == mtime


# ------------------------------------------------------------------------------ broken files
def test_the_unmodified_copy_loads(tmp_scenario):
    assert load_scenario(tmp_scenario()).meta.id == "west_hunan_1945"


def test_unknown_field_is_named_with_its_path_and_the_expected_fields(tmp_scenario):
    p = tmp_scenario(replace_once("road_cost = 1.0", "road_cost = 1.0\nroad_kost = 0.4"))
    err = str(error_of(p))
    assert str(p) in err
    assert "movement.road_kost: unknown field 'road_kost'" in err
    assert "expected one of: road_cost" in err


def test_unknown_unit_field_gives_the_list_index(tmp_scenario):
    p = tmp_scenario(replace_once('id = "jp_116d_2"', 'id = "jp_116d_2"\nstrength = 3'))
    err = str(error_of(p))
    assert re.search(r"units\[1\]\.strength: unknown field 'strength'", err)
    assert "jp_116d_2" in err


def test_wrong_type_names_the_field_and_the_expected_type(tmp_scenario):
    p = tmp_scenario(replace_once("men = 6000 ", 'men = "6000" '))
    err = str(error_of(p))
    assert f"{p}: units[0].men: expected a valid integer (got '6000')" in err


def test_bad_place_key_is_reported_with_file_path_and_expectation(tmp_scenario):
    p = tmp_scenario(replace_once('start = "shaoyang"', 'start = "shaoyan"'))
    err = error_of(p)
    assert (f"{p}: units[0].start: unknown place key 'shaoyan' "
            "(expected one of the keys in west_hunan_places / map places)") in str(err)


def test_bad_place_key_in_supply_sources_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once('supply_sources = ["shaoyang"', 'supply_sources = ["baoqing"'))
    assert "sides.japan.supply_sources[0]: unknown place key 'baoqing'" in str(error_of(p))


def test_place_check_is_skipped_without_a_map(tmp_scenario):
    p = tmp_scenario(replace_once('start = "shaoyang"', 'start = "shaoyan"'))
    (p.parent / "map.json").unlink()
    assert load_scenario(p).units[0].start == "shaoyan"


def test_arrival_date_outside_the_campaign_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once("arrives = 1945-04-24", "arrives = 1945-08-24"))
    err = str(error_of(p))
    assert re.search(r"units\[\d+\]\.arrives: 1945-08-24 is outside the campaign \(expected 1945-04-06 \.\. 1945-06-07\)",
                     err)


def test_date_given_as_text_is_a_type_error(tmp_scenario):
    p = tmp_scenario(replace_once("start_date = 1945-04-06", 'start_date = "6 April 1945"'))
    assert "meta.start_date: expected a valid date" in str(error_of(p))


def test_end_before_start_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once("end_date = 1945-06-07", "end_date = 1945-04-01"))
    assert "meta: end_date 1945-04-01 must be after start_date 1945-04-06" in str(error_of(p))


def test_weather_probabilities_not_summing_to_one_are_reported(tmp_scenario):
    p = tmp_scenario(replace_once("probability = 0.10", "probability = 0.15"))
    assert f"{p}: air.weather: probabilities sum to 1.05 (expected 1)" in str(error_of(p))


def test_casualty_split_not_summing_to_one_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once("captured = 0.005", "captured = 0.05"))
    assert "sides.japan.casualty_split: killed + wounded + captured = 1.045 (expected 1)" in str(error_of(p))


def test_toml_syntax_error_gives_line_and_column(tmp_scenario):
    p = tmp_scenario(replace_once("days_per_turn = 2", "days_per_turn = = 2"))
    line = next(i for i, t in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "= = 2" in t)
    err = str(error_of(p))
    assert err.startswith(f"{p}: line {line}, column ")
    assert "TOML syntax error" in err


def test_unknown_variant_lists_the_available_ones(tmp_scenario):
    p = tmp_scenario()
    err = str(error_of(p, variant="no_rain"))
    assert f"{p}: variant 'no_rain': unknown variant (expected one of: no_air, no_airlift, no_feints, " \
           "reserves_released)" in err


def test_unknown_formation_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once('formation = "jp_116d"', 'formation = "jp_117d"'))
    err = str(error_of(p))
    assert "units[0].formation: unknown formation 'jp_117d' (expected the id of a formation in [[formations]])" in err


def test_unknown_formation_parent_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once('parent = "jp_cea"', 'parent = "jp_6aa"'))
    assert "formations[1].parent: unknown formation 'jp_6aa'" in str(error_of(p))


def test_duplicate_unit_id_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once('id = "jp_116d_2"', 'id = "jp_116d_109"'))
    assert "units[1].id: duplicate id 'jp_116d_109' (also units[0])" in str(error_of(p))


def test_unit_id_equal_to_a_formation_id_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once('id = "jp_116d_2"', 'id = "jp_116d"'))
    assert "units[1].id: 'jp_116d' is also the id of formations[" in str(error_of(p))


def test_unit_starting_in_a_place_held_by_the_enemy_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once('start = "shanmen"', 'start = "shaoyang"'))
    assert "start: 'shaoyang' is held by japan at the start (expected a place of china" in str(error_of(p))


def test_unit_kind_must_have_movement_points(tmp_scenario):
    p = tmp_scenario(replace_once('kind = "garrison"', 'kind = "cavalry"'))
    assert re.search(r"units\[\d+\]\.kind: unknown unit kind 'cavalry' \(expected a key of movement.mp",
                     str(error_of(p)))


def test_two_start_positions_are_refused(tmp_scenario):
    p = tmp_scenario(replace_once('start = "shaoyang"', 'start = "shaoyang"\nstart_latlon = [27.2, 111.4]'))
    assert "units[0]: give either start or start_latlon, not both" in str(error_of(p))


def test_all_problems_are_listed_one_per_line(tmp_scenario):
    p = tmp_scenario(lambda s: s.replace('start = "shaoyang"', 'start = "shaoyan"', 1)
                     .replace("probability = 0.10", "probability = 0.15"))
    err = error_of(p)
    lines = str(err).splitlines()
    assert len(lines) == len(err.errors) == 2
    assert all(ln.startswith(f"{p}: ") for ln in lines)


def test_variant_with_unknown_dotted_path_names_the_variant(tmp_scenario):
    p = tmp_scenario(replace_once('"air.sides.china.aircraft" = 0', '"air.sides.china.planes" = 0'))
    err = str(error_of(p, variant="no_air"))
    assert "variant 'no_air'" in err and "variants.no_air.set: unknown path 'air.sides.china.planes'" in err
    assert load_scenario(p).variants_available()  # the base scenario still loads


def test_variant_with_unknown_unit_names_the_variant(tmp_scenario):
    p = tmp_scenario(replace_once("[variants.no_airlift.units.cn_14d]", "[variants.no_airlift.units.cn_15x]"))
    err = str(error_of(p, variant="no_airlift"))
    assert "variant 'no_airlift'" in err and "variants.no_airlift.units.cn_15x: unknown unit id 'cn_15x'" in err


def test_variant_result_is_validated_by_the_same_schema(tmp_scenario):
    p = tmp_scenario(replace_once('arrives_at = "zhijiang"\n', 'arrives_at = "kunming"\n'))
    err = str(error_of(p, variant="no_airlift"))
    assert "(variant 'no_airlift')" in err and "unknown place key 'kunming'" in err


def test_variant_can_remove_and_add_units(tmp_scenario):
    extra = '''
[variants.swap]
description = "test"
remove_units = ["jp_86imb_1"]
add_units = [ { id = "jp_extra", name = "Extra", name_zh = "增援", side = "japan", formation = "jp_20a", size = "group", kind = "infantry", men = 5500, quality = 1.0, start = "shaoyang", axis = "centre", source = "estimate" } ]
'''
    p = tmp_scenario(lambda s: s + extra)
    s = load_scenario(p, variant="swap")
    assert "jp_extra" in [u.id for u in s.units] and "jp_86imb_1" not in [u.id for u in s.units]
    assert s.side_men("japan") == 80_000


def test_loader_fields_cannot_be_set_in_the_file(tmp_scenario):
    p = tmp_scenario(lambda s: 'variant = "x"\n' + s)
    assert "variant: set by the loader" in str(error_of(p))


def test_missing_file_is_a_scenario_error(tmp_path):
    err = str(error_of(tmp_path / "nope.toml"))
    assert "nope.toml: cannot read scenario file" in err


def test_copy_outside_the_repo_keeps_its_own_path(tmp_path):
    shutil.copy(SCENARIO, tmp_path / "scenario.toml")
    s = load_scenario(tmp_path)
    assert Path(s.source_path) == tmp_path / "scenario.toml"


# ----------------------------------------------------------------------- AI plan tables
def test_a_misspelt_ai_parameter_is_refused_with_file_and_field(tmp_scenario):
    p = tmp_scenario(replace_once("counter_ratio = 1.5", "counter_ratio = 1.5\ncountr_ratio = 2.0"))
    err = str(error_of(p))
    assert str(p) in err and "ai.china.countr_ratio: unknown field 'countr_ratio'" in err


def test_a_missing_ai_parameter_is_an_error_not_a_code_default(tmp_scenario):
    p = tmp_scenario(replace_once("threshold = 1.25 ", "# threshold removed "))
    err = str(error_of(p))
    assert str(p) in err and "ai.japan.threshold" in err


def test_an_axis_objective_must_be_a_place(tmp_scenario):
    p = tmp_scenario(replace_once('objectives = ["yiyang"]', 'objectives = ["yiyan"]'))
    assert "ai.japan.axes.feint_yiyang.objectives[0]: unknown place key 'yiyan'" in str(error_of(p))


def test_the_japanese_ai_table_has_no_unused_air_share(scn):
    assert "air_support_share" not in type(scn.ai.japan).model_fields


def test_a_side_missing_from_the_air_tables_is_reported(tmp_scenario):
    p = tmp_scenario(replace_once("[air.sides.china]", "[air.sides.chinese_air_force]"))
    err = str(error_of(p))
    assert "air.sides: missing air.sides.china" in err
    assert "air.sides.chinese_air_force: unknown side" in err
