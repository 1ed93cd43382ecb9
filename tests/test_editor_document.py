"""The editor's document model: byte-identical round trip, drafts, save as, undo, map overrides."""
from __future__ import annotations

import json
import shutil

import pytest

from engine.api import Game
from engine.map.overrides import MapOverrides, apply_overrides
from engine.paths import REFERENCE_DIR, SCENARIO_DIR
from game.editor import tools
from game.editor.commands import InsertItem, RemoveItem, SetValue
from game.editor.document import Document, EditorError

SRC = SCENARIO_DIR / "west_hunan_1945"


@pytest.fixture
def folder(tmp_path):
    dst = tmp_path / "scenarios" / "west_hunan_1945"
    shutil.copytree(SRC, dst)
    return dst


def test_open_and_save_without_edits_is_byte_identical(folder):
    before = {f.name: f.read_bytes() for f in folder.iterdir()}
    doc = Document(folder)
    assert doc.save().kind == "saved"
    assert {f.name: f.read_bytes() for f in folder.iterdir()} == before


def test_edit_then_undo_gives_the_original_text_and_clears_the_unsaved_flag(folder):
    doc = Document(folder)
    doc.apply(SetValue(("units", 0, "men"), 1234))
    assert doc.dirty and doc.data()["units"][0]["men"] == 1234
    doc.undo_last()
    assert not doc.dirty and doc.text == doc.opened_text
    doc.redo_last()
    assert doc.dirty and doc.data()["units"][0]["men"] == 1234


def test_a_scenario_with_errors_is_saved_only_as_a_draft(folder):
    valid = (folder / "scenario.toml").read_bytes()
    doc = Document(folder)
    doc.apply(SetValue(("units", 0, "men"), -5))
    res = doc.save()
    assert res.kind == "draft" and any("units[0].men" in e for e in res.errors)
    assert (folder / "scenario.toml").read_bytes() == valid
    draft = (folder / "scenario.draft.toml").read_text(encoding="utf-8")
    assert draft.startswith("# DRAFT") and "units[0].men" in draft.splitlines()[2]
    assert doc.dirty


def test_reopening_a_draft_strips_its_header(folder):
    doc = Document(folder)
    doc.apply(SetValue(("units", 0, "men"), -5))
    doc.save()
    (folder / "scenario.toml").unlink()
    again = Document(folder)
    assert again.is_draft and again.text == doc.text


def test_save_as_writes_a_new_folder_and_leaves_the_original(folder):
    original = (folder / "scenario.toml").read_bytes()
    doc = Document(folder)
    doc.apply(SetValue(("units", 0, "men"), 4321))
    res = doc.save_as("forward_74th")
    assert res.kind == "saved" and res.path == folder.parent / "forward_74th" / "scenario.toml"
    assert (folder / "scenario.toml").read_bytes() == original
    game = Game.load(res.path.parent)
    assert game.scenario.meta.id == "forward_74th" and game.scenario.units[0].men == 4321


def test_save_as_refuses_an_existing_id(folder):
    doc = Document(folder)
    with pytest.raises(EditorError, match="already exists"):
        doc.save_as("west_hunan_1945")


def test_add_and_remove_a_unit_undo_to_identical_text(folder):
    doc = Document(folder)
    unit = doc.doc["units"][3]
    doc.apply(InsertItem(("units",), 4, unit))
    doc.apply(RemoveItem(("units",), 0))
    doc.undo_last()
    doc.undo_last()
    assert doc.text == doc.opened_text


def test_terrain_paint_is_saved_as_overrides_and_survives_a_rebuild(folder):
    doc = Document(folder)
    h = doc.map.places["zhijiang"].hex
    cmd = tools.paint(doc.map, tools.brush(doc.map, h, 1), "X")
    doc.apply(cmd)
    assert all(doc.map.terrain_code(x) == "X" for x in tools.brush(doc.map, h, 1))
    assert doc.save().kind == "saved"
    ov = MapOverrides.load(folder / "map_overrides.toml")
    assert ov.terrain[h] == "X"
    # a "rebuild" gives the unedited map: applying the overrides file gives the edited one back
    base = json.loads((SRC / "map.json").read_text(encoding="utf-8"))
    rebuilt = apply_overrides(base, ov)
    assert rebuilt == json.loads((folder / "map.json").read_text(encoding="utf-8"))
    assert Game.load(folder).map.terrain_code(h) == "X"


def test_river_and_road_sides_are_set_on_both_hexes(folder):
    doc = Document(folder)
    h = doc.map.places["zhijiang"].hex
    o = int(doc.map.nbr[h, 0])
    road_before = bool(doc.map.road[h, 0])
    doc.apply(tools.set_river(doc.map, h, 0, 2))
    doc.apply(tools.toggle_road(doc.map, h, 0))
    assert doc.map.river[h, 0] == 2 and doc.map.river[o, 3] == 2
    assert bool(doc.map.road[h, 0]) == bool(doc.map.road[o, 3]) == (not road_before)
    doc.undo_last()
    doc.undo_last()
    assert doc.map.river[h, 0] == doc.map.river[o, 3] != 2
    assert bool(doc.map.road[h, 0]) == road_before


def test_deleting_a_place_in_use_is_an_error_naming_it(folder):
    doc = Document(folder)
    doc.apply(tools.delete_place("zhijiang_airfield"))
    errs = doc.errors()
    assert any("victory.airfield" in e and "zhijiang_airfield" in e for e in errs)
    assert any(p.target == ("place", "zhijiang_airfield") for p in doc.problems())


def test_build_map_applies_the_overrides_beside_its_output(tmp_path):
    from engine.map import build as mapbuild

    assert (REFERENCE_DIR / mapbuild.DEM_FILE).exists(), f"the shared reference data is expected at {REFERENCE_DIR}"
    out = tmp_path / "map.json"
    base = json.loads((SRC / "map.json").read_text(encoding="utf-8"))
    h = next(p["hex"] for p in base["places"] if p["key"] == "zhijiang")
    ov = MapOverrides(terrain={h: "X"}, places={"second_airfield": {
        "name_en": "Second airfield", "name_zh": "第二机场", "kind": "airfield", "lat": 27.35, "lon": 110.12}})
    (tmp_path / "map_overrides.toml").write_text(ov.dumps(), encoding="utf-8")
    assert mapbuild.main(["--out", str(out)]) == 0
    built = json.loads(out.read_text(encoding="utf-8"))
    assert built == apply_overrides(base, ov)
    assert "second_airfield" in {p["key"] for p in built["places"]}


def test_overrides_file_round_trips_and_names_bad_entries(tmp_path):
    ov = MapOverrides(terrain={5: "H"}, rivers={(5, 0): 2}, roads={(5, 0): True}, remove_places=["x"])
    p = tmp_path / "map_overrides.toml"
    p.write_text(ov.dumps(), encoding="utf-8")
    assert MapOverrides.load(p) == ov
    p.write_text('terrain = { "5" = "QQ" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"terrain\.5: expected a one-letter terrain code"):
        MapOverrides.load(p)
    base = json.loads((SRC / "map.json").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match=r"terrain\.5: unknown terrain code 'Q'"):
        apply_overrides(base, MapOverrides(terrain={5: "Q"}))


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

EDITS = st.lists(st.tuples(st.sampled_from(["paint", "river", "road", "men", "add", "remove", "place"]),
                           st.integers(0, 10_000), st.integers(0, 5)), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_undoing_any_sequence_of_edits_gives_back_the_opened_document(folder, edits):
    doc = Document(folder)
    terrain_before = doc.map.terrain.copy()
    for kind, n, k in edits:
        m = doc.map
        h = n % m.count
        cmd = None
        if kind == "paint":
            cmd = tools.paint(m, tools.brush(m, h, k % 3), m.terrain_codes[k % len(m.terrain_codes)])
        elif kind == "river" and m.nbr[h, k] >= 0:
            cmd = tools.set_river(m, h, k, n % 3)
        elif kind == "road" and m.nbr[h, k] >= 0:
            cmd = tools.toggle_road(m, h, k)
        elif kind == "men":
            cmd = SetValue(("units", n % len(doc.doc["units"]), "men"), n + 1)
        elif kind == "add":
            cmd = InsertItem(("units",), n % len(doc.doc["units"]), doc.doc["units"][k])
        elif kind == "remove" and len(doc.doc["units"]) > 1:
            cmd = RemoveItem(("units",), n % len(doc.doc["units"]))
        elif kind == "place":
            lat, lon = m.latlon(h)
            cmd = tools.set_place(f"p{k}", {"name_en": "P", "name_zh": "地", "kind": "town", "lat": lat, "lon": lon})
        if cmd is not None:
            doc.apply(cmd)
    while doc.undo_last():
        pass
    assert doc.text == doc.opened_text and not doc.dirty
    assert doc.overrides == doc.saved_overrides and (doc.map.terrain == terrain_before).all()
