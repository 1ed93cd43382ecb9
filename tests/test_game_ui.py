"""The real game UI driven headless with posted pygame events (SDL dummy driver)."""
from __future__ import annotations


import io

import pygame
import pytest

from engine.api import Game
from game.app import App, Config
from game.i18n import t


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def make_app(game, tmp_path, side="china", **kw):
    cfg = Config(side=side, seed=3, threaded_ai=False, ai_speed="instant", save_dir=tmp_path, **kw)
    app = App(cfg, headless=True, game=game)
    app.wait_ai()
    app.step([])
    return app


def post(*events):
    for e in events:
        pygame.event.post(e)


def click(app, pos, button=1, frames=2):
    pos = (int(pos[0]), int(pos[1]))
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
         pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
         pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    for _ in range(frames):
        app.step()


def key(app, k, mod=0, unicode=""):
    post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0),
         pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=unicode, scancode=0))
    app.step()
    app.step()  # events the UI posted in reply (button presses) are read on the next frame


def click_button(app, button):
    click(app, button.rect.center)


def error_messages(app):
    return [m.text for m in app.session.messages if m.level == "error"]


def to_phase(app, phase):
    for _ in range(6):
        if app.session.state.phase == phase and app.session.is_human_turn():
            return
        click_button(app, app.panels.buttons["end"])
        app.wait_ai()
    assert app.session.state.phase == phase


def movable_with_room(app):
    """A unit of the side to move with a reachable hex free of counters, both on screen."""
    s = app.session
    st = s.state
    for u in sorted(st.active_units(st.side), key=lambda u: -u.men):
        if u.mp <= 0:
            continue
        s.select_unit(u.id)
        reach = dict(s.reach)
        s.deselect()
        occupied = {x.hex for x in st.units if x.status == "active"}
        free = [h for h in reach if h not in occupied and all(n not in occupied for n in app.game.map.nbr[h] if n >= 0)]
        if free:
            return u, free
    raise AssertionError("set-up failed: no movable unit with a free reachable hex at the start")


def test_start_state_on_screen(game, tmp_path):
    app = make_app(game, tmp_path)
    st = app.session.state
    # the computer (Japan) has played its first player-turn; it is now China's
    assert st.side == "china" and st.turn == 1
    assert any(r.get("side") == "japan" for r in st.history if r.get("type") == "end_phase")
    assert app.panels.buttons["end"].is_enabled
    assert app.board.rects  # counters were drawn


def test_select_and_move_by_clicking(game, tmp_path):
    app = make_app(game, tmp_path)
    to_phase(app, "move")
    u, free = movable_with_room(app)
    origin = u.hex
    app.center_on_unit(u.id)
    app.step([])
    click(app, app.unit_screen_pos(u.id))
    s = app.session
    assert s.selected == u.id and s.reach
    dest = next(h for h in free if app.camera.contains_screen(*app.hex_screen_pos(h)))
    n_hist = len(s.state.history)
    click(app, app.hex_screen_pos(dest))
    assert s.state.unit(u.id).hex == dest
    assert len(s.state.history) == n_hist + 1
    # the screen agrees: the counter is now drawn on the destination hex
    r = app.board.counter_rects(app.camera, s.state, s.selected)[u.id]
    hx, hy = app.hex_screen_pos(dest)
    assert abs(r.centerx - hx) <= r.w and abs(r.centery - hy) <= r.h
    assert app.board.hex_at(app.camera, r.center) in (dest, *app.game.map.nbr[dest])
    # undo with Ctrl+Z puts it back
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert s.state.unit(u.id).hex == origin


def test_undo_restores_exact_state(game, tmp_path):
    app = make_app(game, tmp_path)
    to_phase(app, "move")
    u, free = movable_with_room(app)
    before = app.session.state.state_hash()
    app.session.select_unit(u.id)
    app.session.move_selected(free[0])
    assert app.session.state.state_hash() != before
    app.step([])
    assert app.panels.buttons["undo"].is_enabled
    click_button(app, app.panels.buttons["undo"])
    assert app.session.state.state_hash() == before


def test_bad_move_shows_error_and_changes_nothing(game, tmp_path):
    app = make_app(game, tmp_path)
    to_phase(app, "move")
    s = app.session
    u, _ = movable_with_room(app)
    app.center_on_unit(u.id)
    app.step([])
    click(app, app.unit_screen_pos(u.id))
    assert s.selected == u.id
    # a hex on screen well out of reach
    cam = app.camera
    vx, vy, w, h = cam.view
    far = None
    for sx in range(vx + 10, vx + w - 10, 23):
        for sy in (vy + 15, vy + h - 15):
            hx = app.board.hex_at(cam, (sx, sy))
            if hx >= 0 and hx not in s.reach and not s.units_at(hx) and \
                    app.game.map.grid.distance(hx, u.hex) > 6:
                far = (sx, sy)
                break
        if far:
            break
    assert far is not None
    before = s.state.state_hash()
    n_err = len(error_messages(app))
    click(app, far)
    assert s.state.state_hash() == before
    errs = error_messages(app)
    assert len(errs) == n_err + 1 and errs[-1].startswith("Order refused")


def test_end_phase_button_advances_phase(game, tmp_path):
    app = make_app(game, tmp_path)
    st = app.session.state
    assert st.phase == "air" and st.side == "china"
    click_button(app, app.panels.buttons["end"])
    assert app.session.state.phase == "move"
    key(app, pygame.K_e)
    assert app.session.state.phase == "combat"
    n_log = len(app.session.state.log)
    key(app, pygame.K_e)  # China's combat ends -> end of turn -> Japan (computer) plays turn 2
    app.wait_ai()
    st = app.session.state
    assert st.turn == 2 and st.side == "china" and st.phase == "air"
    assert len(st.log) >= n_log


def _contact_setup(app):
    """Test set-up: a strong Chinese stack next to a lone Japanese unit, China's combat phase."""
    s = app.session
    st = s.state
    m = app.game.map
    jp = next(u for u in st.active_units("japan"))
    occupied = {u.hex for u in st.units if u.status == "active"}
    # a clear hex with a clear neighbour, on plain terrain away from everyone
    plain = app.game.terrain_names.index("plain")
    for h in range(app.game.n_hex):
        nb = [int(n) for n in m.nbr[h]]
        if m.terrain[h] != plain or -1 in nb or h in occupied or any(n in occupied for n in nb):
            continue
        t = nb[0]
        if m.river[h, 0] or any(x in occupied for x in m.nbr[t] if x >= 0):
            continue
        break
    jp.hex = t
    jp.fort = 0
    cn = [u for u in st.active_units("china")][:2]
    for u in cn:
        u.hex = h
        u.attacked = False
        u.fatigue = 0.0
    st.side, st.phase = "china", "combat"
    s.replace_state(st)
    return cn, jp, t


def test_attack_with_preview_and_confirm(game, tmp_path):
    app = make_app(game, tmp_path)
    cn, jp, target = _contact_setup(app)
    s = app.session
    app.center_on_unit(jp.id)
    app.step([])
    # click the enemy hex: adjacent units become the attackers and the odds are shown
    click(app, app.unit_screen_pos(jp.id))
    assert s.target == target and set(s.attackers) == {u.id for u in cn}
    assert s.preview is not None and s.preview["ratio"] > 0
    app.step([])
    assert "Odds" in app.panels._cache["orders"]
    assert app.panels.attack_btn.is_enabled
    n_log = len(s.state.log)
    key(app, pygame.K_RETURN)
    st = s.state
    assert len(st.log) == n_log + 1 and st.log[-1]["type"] == "combat"
    assert all(st.unit(u.id).attacked for u in cn)
    assert "attack" in app.panels._cache["log"]


def test_refused_attack_shows_engine_message(game, tmp_path):
    app = make_app(game, tmp_path)
    cn, jp, target = _contact_setup(app)
    s = app.session
    st = s.state
    for u in cn:
        u.attacked = True  # already attacked this turn: the engine must refuse
    app.center_on_unit(jp.id)
    app.step([])
    s.attackers = [cn[0].id]
    s.target = target
    before = st.state_hash()
    key(app, pygame.K_RETURN)
    assert s.state.state_hash() == before
    assert "already attacked" in error_messages(app)[-1]


def test_air_mission_with_slider(game, tmp_path):
    app = make_app(game, tmp_path)
    s = app.session
    st = s.state
    assert st.phase == "air"
    left = st.sorties_left["china"]
    assert left >= 2, "set-up: the seeded start should give China sorties this turn"
    cn = st.active_units("china")[0]
    app.center_on_unit(cn.id)
    app.step([])
    click(app, app.hex_screen_pos(cn.hex))
    assert s.air_target == cn.hex
    key(app, pygame.K_2)
    assert s.air_kind == "interdict"
    key(app, pygame.K_3)
    assert s.air_kind == "cap"
    key(app, pygame.K_RIGHTBRACKET)
    n = s.air_sorties
    click_button(app, app.panels.fly_btn)
    assert s.state.sorties_left["china"] == left - n
    assert s.state.missions[-1]["kind"] == "cap"


def test_save_load_round_trip(game, tmp_path):
    app = make_app(game, tmp_path)
    to_phase(app, "move")
    s = app.session
    saved = s.state.state_hash()
    key(app, pygame.K_F5)
    assert (tmp_path / "quicksave.json").exists()
    u, free = movable_with_room(app)
    s.select_unit(u.id)
    s.move_selected(free[0])
    assert s.state.state_hash() != saved
    key(app, pygame.K_F9)  # a move since the save: the game asks first
    assert s.state.state_hash() != saved and app.confirm_dialog.alive()
    click_button(app, app.confirm_dialog.confirm_button)
    app.run_frames(2)  # the dialog answers on the frames after the press
    assert s.state.state_hash() == saved
    # a broken save: the error is shown and play goes on unchanged
    bad = tmp_path / "quicksave.json"
    bad.write_text('{"format": "xuefeng-save", "version": 1, "scenario": "west_hunan_1945"', encoding="utf-8")
    key(app, pygame.K_F9)
    assert s.state.state_hash() == saved
    assert "Load failed" in error_messages(app)[-1] and "not valid JSON" in error_messages(app)[-1]
    bad.write_text('{"format": "xuefeng-save", "version": 1, "scenario": "west_hunan_1945", "variant": null}',
                   encoding="utf-8")
    assert not app.load_from(bad)
    assert s.state.state_hash() == saved


def test_help_settings_and_language(game, tmp_path):
    app = make_app(game, tmp_path)
    key(app, pygame.K_F1)
    assert app.help_open
    key(app, pygame.K_ESCAPE)
    assert not app.help_open
    key(app, pygame.K_F10)
    assert app.settings_win is not None and app.settings_win.alive
    key(app, pygame.K_ESCAPE)
    assert not app.settings_win.alive
    lang = app.namer.lang
    key(app, pygame.K_l)
    assert app.namer.lang != lang
    app.set_setting("lang", "zh")
    app.step([])
    assert "芷江" in app.panels._cache["victory"] or app.namer.place("zhijiang") == "芷江"


def test_resize_and_zoom(game, tmp_path):
    app = make_app(game, tmp_path)
    post(pygame.event.Event(pygame.VIDEORESIZE, w=1200, h=760, size=(1200, 760)))
    app.step()
    assert app.screen.get_size() == (1200, 760)
    assert app.camera.view[2] + app.panels.right_rect.w == 1200
    s0 = app.camera.target_scale
    post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
    app.run_frames(20)
    assert app.camera.scale > s0
    key(app, pygame.K_HOME)
    app.run_frames(30)
    assert app.camera.scale == pytest.approx(app.camera.min_scale)


def test_ai_playback_is_threaded_and_followable(game, tmp_path):
    cfg = Config(side="china", seed=5, threaded_ai=True, ai_speed="fast", save_dir=tmp_path)
    app = App(cfg, headless=True, game=game)
    seen = set()
    for _ in range(4000):
        app.step([])
        if app.ai.highlight:
            seen.add(app.ai.highlight["type"])
        if not app.ai.busy and not app.ai.wants_turn(app.session.state):
            break
        if app.ai.status == "thinking" and app.ai._thread is not None:
            app.ai._thread.join(0.01)
    st = app.session.state
    assert st.side == "china"
    assert "end_phase" in seen and ("move" in seen or "attack" in seen)
    assert any(m.level == "ai" for m in app.session.messages)


def test_screenshot_and_headless_campaign(game, tmp_path):
    from game.headless import run_headless_campaign
    from game.shots import screenshot

    out = tmp_path / "shot.png"
    assert screenshot(Config(seed=2), str(out), turn=3) == 0
    img = pygame.image.load(str(out))
    assert img.get_size() == (1600, 900)
    buf = io.StringIO()
    assert run_headless_campaign(Config(seed=2), turns=2, out=buf) == 0
    text = buf.getvalue()
    assert text.startswith("No display found: running a short headless simulated campaign instead")
    assert "Zhijiang airfield" in text


def test_unit_panel_shows_the_supply_line(game, tmp_path):
    from engine.api import supply_line

    app = make_app(game, tmp_path)
    s = app.session
    u = next(x for x in s.state.active_units("china"))
    s.select_unit(u.id)
    source = supply_line(s.state, u.id).source
    html = app.panels.unit_html()
    assert "Supply line:" in html and app.namer.place_short(source) in html


def test_the_orders_panel_gives_the_human_the_turn_as_soon_as_the_computers_last_order_is_played(game, tmp_path):
    cfg = Config(side="china", seed=5, threaded_ai=False, ai_speed="normal", save_dir=tmp_path)
    app = App(cfg, headless=True, game=game)
    for _ in range(20000):
        app.step([])
        if app.session.state.side == "china":
            break
    st = app.session.state
    assert st.side == "china" and app.ai.highlight["type"] == "end_phase"  # the frame Japan's last order played
    assert not app.ai.busy
    orders = app.panels._cache["orders"]
    assert "(computer)" not in orders and t("orders.air_title") in orders
    assert app.panels.buttons["end"].is_enabled
