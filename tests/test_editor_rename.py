"""Renaming in the editor: a place's key (every reference follows, in the scenario, its variants
and the 1945 record, or the rename is refused with the reason) and a variant (in place, comments
kept, undoable)."""
from __future__ import annotations

import json
import shutil
import tomllib

import pytest

from engine.api import Game
from game.editor.commands import SetValue
from game.editor.references import place_references
from tests.test_editor_app import SRC, frames, form_entry, type_into


@pytest.fixture
def app(tmp_path):
    from game.editor.app import EditorApp

    folder = tmp_path / "west_hunan_1945"
    shutil.copytree(SRC, folder)
    a = EditorApp(folder, headless=True, size=(1400, 850), spawn=lambda cmd, **kw: None)
    a.step([])
    return a


def _unknown_place_errors(app) -> list[str]:
    return [p.text for p in app.doc.problems() if "unknown place key" in p.text]


def _record_keys() -> set[str]:
    return {p["key"] for p in tomllib.loads((SRC / "timeline.toml").read_text(encoding="utf-8"))["places"]}


def test_renaming_a_place_key_renames_every_reference_in_the_scenario_and_its_variants(app):
    refs = place_references(app.doc.doc, "shaodong")
    assert any(p[0] == "variants" for p in refs) and any(p[0] == "units" for p in refs)
    app.select(("place", "shaodong"))
    frames(app)
    type_into(app, form_entry(app, "key"), "shaodong_town")
    assert "shaodong" not in app.doc.map.places and "shaodong_town" in app.doc.map.places
    assert place_references(app.doc.doc, "shaodong") == []
    assert place_references(app.doc.doc, "shaodong_town") == refs
    assert _unknown_place_errors(app) == [] and app.doc.dirty
    app.undo()
    assert app.doc.text == app.doc.opened_text and "shaodong" in app.doc.map.places and not app.doc.dirty


def test_after_any_place_rename_the_engines_checks_find_no_unknown_key(app):
    recorded = _record_keys()
    keys = sorted(k for k in app.doc.map.places if k in recorded or place_references(app.doc.doc, k))
    assert len(keys) >= 10 and recorded <= set(keys)
    for k in keys:
        assert app.rename_place(k, f"{k}_x"), app.status
    assert _unknown_place_errors(app) == []
    assert [p.text for p in app.doc.problems() if p.severity == "error"] == []


def test_a_renamed_place_is_saved_and_the_scenario_loads_and_plays_with_it(app):
    assert app.rename_place("shaoyang", "baoqing")
    app.save()
    assert app.status.startswith("saved"), app.status
    game = Game.load(app.doc.folder / "scenario.toml")
    assert "baoqing" in game.place_hex and "shaoyang" not in game.place_hex
    keys = {p["key"] for p in json.loads((app.doc.folder / "map.json").read_text(encoding="utf-8"))["places"]}
    assert "baoqing" in keys


def _record_text(app) -> str:
    return (app.doc.folder / "timeline.toml").read_text(encoding="utf-8")


def test_renaming_a_place_the_1945_record_names_renames_it_there_too_keeping_its_comments(app):
    before = _record_text(app)
    assert app.rename_place("xinning", "xinning_city"), app.status
    assert "1945 record (timeline.toml)" in app.status  # the feedback says the record followed
    app.save()
    assert app.status.startswith("saved"), app.status
    after = _record_text(app)
    assert after == before.replace('key = "xinning"', 'key = "xinning_city"')  # every comment and line kept
    game = Game.load(app.doc.folder / "scenario.toml")
    from engine.analysis.timeline import load_record

    assert "xinning_city" in {p.key for p in load_record(game).places}  # the validate report reads it


def test_undoing_a_recorded_place_rename_gives_the_record_back(app):
    before = _record_text(app)
    assert app.rename_place("wugang", "wugang_town")
    app.undo()
    assert app.doc.text == app.doc.opened_text and "wugang" in app.doc.map.places and not app.doc.dirty
    assert not app.doc.record_changed()
    app.redo()
    app.undo()
    app.save()
    assert _record_text(app) == before


def test_play_and_test_copies_carry_the_renamed_record(app, tmp_path):
    assert app.rename_place("wuyang", "wuyang_town")
    app.doc.write_copy(tmp_path / "copy")
    text = (tmp_path / "copy" / "timeline.toml").read_text(encoding="utf-8")
    assert 'key = "wuyang_town"' in text and 'key = "wuyang"' not in text
    assert 'key = "wuyang"' in _record_text(app)  # nothing written over the folder before a save


def test_a_recorded_place_renamed_in_a_draft_leaves_the_record_untouched_beside_it(app):
    before = _record_text(app)
    assert app.rename_place("hongjiang", "hongjiang_town")
    app.doc.apply(SetValue(("units", 0, "men"), -5))  # an error: the save goes to a draft
    app.save()
    assert (app.doc.folder / "scenario.draft.toml").exists()
    assert _record_text(app) == before
    assert 'key = "hongjiang_town"' in (app.doc.folder / "timeline.draft.toml").read_text(encoding="utf-8")


def test_an_unreadable_record_refuses_the_rename_naming_the_file(app):
    (app.doc.folder / "timeline.toml").write_text("[[places]\nkey = ", encoding="utf-8")
    assert not app.rename_place("shaodong", "shaodong_town")
    assert "timeline.toml" in app.status and not app.doc.dirty


def test_a_place_key_already_in_use_is_refused(app):
    assert not app.rename_place("shaodong", "shaoyang")
    assert "unused" in app.status and not app.doc.dirty


def test_a_variant_is_renamed_in_place_with_its_comments_and_undo_gives_the_text_back(app):
    app.select(("changes", "no_feints"))
    frames(app)
    type_into(app, form_entry(app, "name"), "feints_off")
    text = app.doc.text
    assert "[variants.feints_off]" in text and "[variants.feints_off.units.jp_68d_2]" in text
    assert "no_feints" not in text
    assert "start_latlon = [27.17, 111.52]    # on the Shaoyang plain south-east of the city" in text
    assert text.index("[variants.no_airlift]") < text.index("[variants.feints_off]") < text.index(
        "[variants.reserves_released]")  # where it was
    assert app.variant_names() == ["no_air", "no_airlift", "feints_off", "reserves_released"]
    assert app.doc.dirty and app.selected == ("changes", "feints_off")
    app.undo()
    assert app.doc.text == app.doc.opened_text and not app.doc.dirty
    assert app.selected == ("changes", "no_feints")
    app.redo()
    app.save()
    assert Game.load(app.doc.folder / "scenario.toml", variant="feints_off").scenario is not None


def test_renaming_the_variant_being_edited_keeps_editing_it(app):
    app.variant = "no_airlift"
    assert app.rename_variant("no_airlift", "overland")
    assert app.variant == "overland" and "overland" in app.panels.variant_menu.options_list.__repr__()
    app.undo()
    assert app.variant == "no_airlift"


@pytest.mark.parametrize("bad", ["no_air", "No Feints", "", "1st"])
def test_a_bad_or_taken_variant_name_is_refused_and_changes_nothing(app, bad):
    assert not app.rename_variant("no_feints", bad)
    assert "variant name" in app.status and app.doc.text == app.doc.opened_text and not app.doc.dirty
