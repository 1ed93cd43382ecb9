"""The editor driven by posted pygame events (headless): paint, place a unit, edit a field,
undo, redo, save, reopen; then the saved scenario loads and plays a campaign."""
from __future__ import annotations

import os
import shutil
import time

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from engine.analysis.sim import run_one  # noqa: E402
from engine.api import Game  # noqa: E402
from engine.paths import SCENARIO_DIR  # noqa: E402
from game.editor import tools  # noqa: E402
from game.editor.app import EditorApp  # noqa: E402
from game.editor.document import Document  # noqa: E402

SRC = SCENARIO_DIR / "west_hunan_1945"


@pytest.fixture
def app(tmp_path):
    folder = tmp_path / "west_hunan_1945"
    shutil.copytree(SRC, folder)
    spawned = []
    a = EditorApp(folder, headless=True, size=(1400, 850), spawn=lambda cmd, **kw: spawned.append(cmd))
    a.spawned = spawned
    a.step([])
    yield a
    if a.test is not None:
        a.test.cancel()
        a.test.join(60)


def post(*events):
    for e in events:
        pygame.event.post(e)


def frames(app, n=4):
    # events the UI posts in reply are read on the next frame: click -> button -> list selection -> menu change
    for _ in range(n):
        app.step()


def click(app, pos, button=1):
    pos = (int(pos[0]), int(pos[1]))
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
         pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
         pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    frames(app)


def drag(app, a, b, steps=6):
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=a, rel=(0, 0), buttons=(0, 0, 0)),
         pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=a, button=1))
    frames(app, 1)
    for i in range(1, steps + 1):
        p = (a[0] + (b[0] - a[0]) * i // steps, a[1] + (b[1] - a[1]) * i // steps)
        post(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(1, 1), buttons=(1, 0, 0)))
        frames(app, 1)
    post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=b, button=1))
    frames(app)


def key(app, k, mod=0, text=""):
    post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=text, scancode=0),
         pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=text, scancode=0))
    frames(app)


def type_into(app, entry, text):
    click(app, entry.rect.center)
    key(app, pygame.K_a, pygame.KMOD_CTRL)
    post(pygame.event.Event(pygame.TEXTINPUT, text=text))
    frames(app, 1)
    key(app, pygame.K_RETURN)


def screen_of_hex(app, h):
    x, y = app.view.hex_center(h)
    return int(round(x)), int(round(y))


def alone(app):
    """A unit that starts alone in its hex (its counter is not under another)."""
    units = app.units_for_map()
    hexes = [u["_hex"] for u in units]
    return next(u["id"] for u in units if u["_hex"] >= 0 and hexes.count(u["_hex"]) == 1)


def form_entry(app, name):
    return next(e for f, e in app.panels.form_entries if f.name == name)


def test_paint_place_edit_undo_redo_save_reopen_and_play(app):
    m = app.doc.map
    a = m.places["xupu"].hex if "xupu" in m.places else m.places["zhijiang"].hex
    b = int(m.nbr[int(m.nbr[a, 0]), 0])  # two hexes east
    # paint: the High mountain tool, a stroke from a to b
    click(app, app.panels.tool_buttons["terrain:X"].rect.center)
    assert app.tool == "terrain"
    drag(app, screen_of_hex(app, a), screen_of_hex(app, b))
    assert app.doc.map.terrain_code(a) == "X" and app.doc.map.terrain_code(b) == "X"
    assert len(app.doc.undo.done) == 1  # one stroke, one undo step
    # place a unit: Select tool, drag the counter of jp_116d_109 to hex b
    click(app, app.panels.tool_buttons["select"].rect.center)
    uid = alone(app)
    start = app.view.unit_rects[uid].center
    drag(app, start, screen_of_hex(app, b))
    unit = next(u for u in app.doc.data()["units"] if u["id"] == uid)
    assert "start" not in unit and app.doc.map.hex_at_latlon(*unit["start_latlon"]) == b
    # edit a field: the unit is selected; type 5555 into men and press Enter
    assert app.selected == ("unit", uid)
    men_before = unit["men"]
    type_into(app, form_entry(app, "men"), "5555")
    assert next(u for u in app.doc.data()["units"] if u["id"] == uid)["men"] == 5555
    # undo and redo with the keyboard
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert next(u for u in app.doc.data()["units"] if u["id"] == uid)["men"] == men_before
    key(app, pygame.K_y, pygame.KMOD_CTRL)
    assert next(u for u in app.doc.data()["units"] if u["id"] == uid)["men"] == 5555
    assert app.doc.dirty
    # save with Ctrl+S; reopen
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert not app.doc.dirty and "saved" in app.status
    again = Document(app.doc.folder)
    u2 = next(u for u in again.data()["units"] if u["id"] == uid)
    assert u2["men"] == 5555 and again.map.terrain_code(a) == "X"
    # the engine loads it and plays a whole campaign
    game = Game.load(app.doc.folder)
    assert game.map.terrain_code(b) == "X"
    assert next(d for d in game.units if d.id == uid).start_hex == b
    row, _ = run_one(str(app.doc.folder), None, 0, 1, "ai", with_turns=False)
    assert row["turns"] > 0 and row["winner"] in ("japan", "china", "")


def test_undo_of_every_edit_gives_back_the_opened_bytes(app):
    original = (app.doc.folder / "scenario.toml").read_bytes()
    click(app, app.panels.tool_buttons["control"].rect.center)
    click(app, screen_of_hex(app, app.doc.map.places["zhijiang"].hex))
    assert "zhijiang" in app.doc.data()["sides"]["japan"]["start_control"]
    click(app, app.panels.list_buttons["add_formation"].rect.center)
    click(app, app.panels.list_buttons["add_unit"].rect.center)
    for _ in range(3):
        key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert not app.doc.dirty
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert (app.doc.folder / "scenario.toml").read_bytes() == original


def test_play_writes_a_loadable_copy_and_starts_the_game_on_it(app):
    click(app, app.panels.buttons["play"].rect.center)
    assert app.spawned and app.spawned[0][2:4] == ["game.cli", "play"]
    Game.load(app.spawned[0][4])


def test_an_invalid_edit_is_saved_as_a_draft_and_listed_as_a_problem(app):
    click(app, app.panels.tool_buttons["select"].rect.center)
    uid = alone(app)
    click(app, app.view.unit_rects[uid].center)
    type_into(app, form_entry(app, "men"), "-3")
    time.sleep(0.35)  # the problem list follows edits within 0.3 s
    frames(app, 1)
    i = app.unit_index(uid)
    problem = next(t for t in app.panels.problem_targets if f"units[{i}].men" in t)
    assert app.panels.problem_targets[problem] == ("unit", uid)
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert "DRAFT" in app.status and (app.doc.folder / "scenario.draft.toml").exists()
    Game.load(app.doc.folder)  # scenario.toml is still the valid one


def pick(app, selection_list, text_part):
    """Click the visible item of a pygame_gui selection list whose text contains ``text_part``."""
    for item in selection_list.item_list:
        if text_part in item["text"] and item.get("button_element") is not None:
            click(app, item["button_element"].rect.center)
            return item["text"]
    raise AssertionError(f"no visible item with {text_part!r}")


def test_clicking_a_problem_selects_the_unit_concerned(app):
    uid = alone(app)
    i = app.unit_index(uid)
    click(app, app.panels.tool_buttons["select"].rect.center)
    click(app, app.view.unit_rects[uid].center)
    type_into(app, form_entry(app, "quality"), "0")
    click(app, app.panels.tool_buttons["select"].rect.center)
    app.select(())
    time.sleep(0.35)
    frames(app, 1)
    pick(app, app.panels.problem_list, f"units[{i}].quality")
    assert app.selected == ("unit", uid)


def test_a_unit_dragged_in_a_variant_changes_only_the_variant(app):
    click(app, app.panels.variant_menu.rect.center)
    pick(app, app.panels.variant_menu.current_state.options_selection_list, "no_air")
    assert app.variant == "no_air"
    click(app, app.panels.tool_buttons["select"].rect.center)
    uid = alone(app)
    base_unit = next(u for u in app.doc.data()["units"] if u["id"] == uid)
    target = int(app.doc.map.nbr[app.units_for_map()[[u["id"] for u in app.units_for_map()].index(uid)]["_hex"], 3])
    drag(app, app.view.unit_rects[uid].center, screen_of_hex(app, target))
    data = app.doc.data()
    assert next(u for u in data["units"] if u["id"] == uid) == base_unit
    assert "start_latlon" in data["variants"]["no_air"]["units"][uid]
    app.select(("changes", "no_air"))
    html = app.form_content()[2]
    assert f"units.{uid}.start_latlon" in html and "air.sides.china.aircraft" in html
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    game = Game.load(app.doc.folder, variant="no_air")
    assert next(d for d in game.units if d.id == uid).start_hex == target
    base = Game.load(app.doc.folder)
    assert next(d for d in base.units if d.id == uid).start_hex != target


def test_the_test_button_plays_campaigns_beside_the_historical_ones(app):
    type_into(app, app.panels.runs_entry, "1")
    click(app, app.panels.buttons["test"].rect.center)
    assert app.test is not None
    app.test.join(300)
    frames(app, 1)
    assert app.test.finished and app.test.error is None
    assert not app.test.scratch.exists()  # the scratch copy of the edited scenario is cleaned up
    assert len(app.test.rows) == 1 and len(app.test.base_rows) == 1
    text = app.panels.test_box.html_text
    assert "airfield held" in text and "Test: 2/2 campaigns" in text


def test_a_new_variant_is_added_and_its_edits_load_as_that_variant(app):
    click(app, app.panels.buttons["add_variant"].rect.center)
    assert app.variant == "variant_1"
    uid = alone(app)
    i = app.unit_index(uid)
    app.select(("unit", uid))
    frames(app)
    type_into(app, form_entry(app, "men"), "7777")
    assert app.doc.data()["units"][i]["men"] != 7777
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert "saved" in app.status and "DRAFT" not in app.status
    assert next(d for d in Game.load(app.doc.folder, variant="variant_1").units if d.id == uid).men == 7777


def test_quitting_with_unsaved_changes_asks_first(app):
    app.apply(tools.toggle_road(app.doc.map, app.doc.map.places["zhijiang"].hex, 0))
    assert app.doc.dirty
    post(pygame.event.Event(pygame.QUIT))
    frames(app)
    assert app.running and app._confirm is not None
    click(app, app._confirm.confirm_button.rect.center)
    assert not app.running


def test_units_of_both_sides_in_one_start_hex_are_an_error_shown_live_and_never_saved(app):
    valid = (app.doc.folder / "scenario.toml").read_bytes()
    click(app, app.panels.tool_buttons["select"].rect.center)
    units = app.units_for_map()
    cn = next(u for u in units if u["side"] == "china" and u["_hex"] >= 0
              and [x["_hex"] for x in units].count(u["_hex"]) == 1)
    jp_hex = next(u["_hex"] for u in units if u["side"] == "japan" and u["_hex"] >= 0)
    drag(app, app.view.unit_rects[cn["id"]].center, screen_of_hex(app, jp_hex))
    time.sleep(0.35)
    frames(app, 1)
    err = [t for t in app.panels.problem_targets if "units of the other side" in t]
    assert err and app.panels.problem_targets[err[0]] == ("hex", jp_hex)
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert "DRAFT" in app.status and (app.doc.folder / "scenario.toml").read_bytes() == valid


def test_places_are_added_renamed_moved_and_deleted_on_the_map(app):
    m = app.doc.map
    h = int(m.nbr[int(m.nbr[m.places["zhijiang_airfield"].hex, 1]), 1])
    assert not any(p.hex == h for p in m.places.values())
    click(app, app.panels.tool_buttons["place"].rect.center)
    click(app, screen_of_hex(app, h))
    new = app.selected[1]
    assert app.selected[0] == "place" and app.doc.map.places[new].hex == h
    type_into(app, form_entry(app, "key"), "second_airfield")
    type_into(app, form_entry(app, "kind"), "airfield")
    p = app.doc.map.places["second_airfield"]
    assert new not in app.doc.map.places and p.kind == "airfield" and p.hex == h
    click(app, app.panels.tool_buttons["select"].rect.center)
    to = int(app.doc.map.nbr[h, 0])
    drag(app, screen_of_hex(app, h), screen_of_hex(app, to))
    assert app.doc.map.places["second_airfield"].hex == to
    key(app, pygame.K_DELETE)
    assert "second_airfield" not in app.doc.map.places
    for _ in range(5):
        key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert set(app.doc.map.places) == set(m.places) and not app.doc.dirty
