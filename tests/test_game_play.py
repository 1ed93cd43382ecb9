"""Issue 11, played through the real window (posted pygame events, SDL dummy driver):
air orders, select vs. order, the odds panel, dialogs, layout, overlays, victory levels."""
from __future__ import annotations

import pygame
import pytest

from game.hud import draw_tooltip
from game.panels import ODDS_FACTORS
from tests.test_game_ui import _contact_setup, click, click_button, error_messages, game, key, make_app  # noqa: F401


# ------------------------------------------------------------------------------- air
def _air_target(app):
    s = app.session
    cn = s.state.active_units("china")[0]
    app.center_on_unit(cn.id)
    app.step([])
    click(app, app.hex_screen_pos(cn.hex))
    assert s.air_target == cn.hex
    return cn.hex


def test_the_default_mission_flies_half_the_sorties_left(game, tmp_path):
    app = make_app(game, tmp_path)
    s = app.session
    left = s.state.sorties_left["china"]
    assert s.state.phase == "air" and left >= 4
    _air_target(app)
    assert s.air_sorties == (left + 1) // 2
    key(app, pygame.K_RETURN)
    assert s.state.sorties_left["china"] == left - (left + 1) // 2
    rest = s.state.sorties_left["china"]
    assert s.air_sorties == (rest + 1) // 2  # the next default is half of what is left, never more


def test_with_every_sortie_flown_enter_is_refused_and_changes_nothing(game, tmp_path):
    app = make_app(game, tmp_path)
    s = app.session
    _air_target(app)
    s.set_air_sorties(10_000)
    assert s.air_sorties == s.state.sorties_left["china"]
    key(app, pygame.K_RETURN)
    assert s.state.sorties_left["china"] == 0
    before = s.state.state_hash()
    key(app, pygame.K_RETURN)
    assert s.state.state_hash() == before
    assert "No sorties left" in error_messages(app)[-1]


def test_a_mission_is_logged_and_badged_on_the_map_for_both_sides(game, tmp_path):
    app = make_app(game, tmp_path)
    s = app.session
    target = _air_target(app)
    key(app, pygame.K_RETURN)
    st = s.state
    entry = st.log[-1]
    assert (entry["type"], entry["side"], entry["target"]) == ("air", "china", target)
    assert "close support" in app.panels._cache["log"]
    badges = app.board.mission_badges(app.camera, st)
    assert len(badges) == len(st.missions)
    assert {m["side"] for _, m in badges} == {m["side"] for m in st.missions}
    assert "japan" in {m["side"] for m in st.missions}  # the enemy's missions are shown too


# ------------------------------------------------------------------------ odds panel
def test_the_odds_panel_names_every_factor_and_explains_them_on_hover(game, tmp_path):
    app = make_app(game, tmp_path)
    cn, jp, target = _contact_setup(app)
    app.center_on_unit(jp.id)
    app.step([])
    click(app, app.unit_screen_pos(jp.id))
    app.step([])
    text = app.panels._cache["orders"]
    for _, label, _ in ODDS_FACTORS:
        assert label in text
    assert app.panels._orders_tip is not None and "terrain" in app.panels._orders_tip


# --------------------------------------------------------------------------- dialogs
def test_the_map_tooltip_never_covers_a_dialog(game, tmp_path):
    app = make_app(game, tmp_path)
    st = app.session.state
    u = st.active_units("china")[0]
    app.center_on_unit(u.id)
    app.set_hover(app.hex_screen_pos(u.hex))
    app.hover_since -= 5
    assert draw_tooltip(app.screen, app) is not None
    click_button(app, app.panels.buttons["settings"])
    assert app.settings_win is not None and app.settings_win.alive
    app.set_hover(app.hex_screen_pos(u.hex))
    app.hover_since -= 5
    assert draw_tooltip(app.screen, app) is None


# ----------------------------------------------------------------- select vs. order
def _friend_in_reach(app):
    """A selected unit of the side to move and a friendly unit standing in one of its lit hexes."""
    s = app.session
    st = s.state
    for u in sorted(st.active_units(st.side), key=lambda u: -u.men):
        if u.mp <= 0:
            continue
        s.select_unit(u.id)
        for f in st.active_units(st.side):
            if f.id != u.id and f.hex in s.reach and f.hex != u.hex:
                return u, f
    pytest.fail("no unit with a friend inside its reach")


def _to_own_move_phase(app):
    s = app.session
    while not (s.state.phase == "move" and s.is_human_turn()):
        click_button(app, app.panels.buttons["end"])
        app.wait_ai()


def test_clicking_a_friendly_unit_in_a_lit_hex_selects_it_and_moves_nothing(game, tmp_path):
    app = make_app(game, tmp_path)
    _to_own_move_phase(app)
    u, friend = _friend_in_reach(app)
    app.center_on_unit(friend.id)
    app.step([])
    before = app.session.state.state_hash()
    click(app, app.unit_screen_pos(friend.id))
    assert app.session.selected in {x.id for x in app.session.units_at(friend.hex)}
    assert app.session.state.state_hash() == before


def test_right_clicking_a_lit_hex_moves_the_selected_unit_onto_friends(game, tmp_path):
    app = make_app(game, tmp_path)
    _to_own_move_phase(app)
    u, friend = _friend_in_reach(app)
    app.center_on_unit(friend.id)
    app.step([])
    click(app, app.hex_screen_pos(friend.hex), button=3)
    assert app.session.state.unit(u.id).hex == friend.hex


# ---------------------------------------------------------------------------- layout
def _visible_panel_rects(app):
    p = app.panels
    return [e.rect for e in p.elements if e.visible and e not in p.buttons.values()]


@pytest.mark.parametrize("size", [(1024, 640), (1280, 720), (1600, 900)])
def test_the_layout_has_no_overlaps_down_to_1024_by_640(game, tmp_path, size):
    app = make_app(game, tmp_path)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    app.run_frames(2)
    screen = app.screen.get_rect()
    buttons = [b.rect for b in app.panels.buttons.values()]
    assert app.topbar_extent <= min(b.left for b in buttons)  # the status line stops before the buttons
    for i, a in enumerate(buttons):
        assert screen.contains(a) and not any(a.colliderect(b) for b in buttons[i + 1:])
    boxes = _visible_panel_rects(app)
    for i, a in enumerate(boxes):
        assert screen.contains(a), a
        assert not any(a.colliderect(b) for b in boxes[i + 1:]), a
    assert not any(app.panels.right_rect.colliderect(b) for b in [pygame.Rect(app.camera.view)])


def test_no_map_tooltip_right_after_a_click(game, tmp_path):
    app = make_app(game, tmp_path)
    u = app.session.state.active_units("china")[0]
    app.center_on_unit(u.id)
    app.step([])
    click(app, app.unit_screen_pos(u.id))
    assert draw_tooltip(app.screen, app) is None


# ------------------------------------------------------------------- supply overlay
def test_u_toggles_the_supply_overlay_showing_the_engines_supply_reach(game, tmp_path):
    from engine.api import supply_reach

    app = make_app(game, tmp_path)
    assert not app.board.show_supply
    key(app, pygame.K_u)
    assert app.settings["supply"] and app.board.show_supply
    st = app.session.state
    shown = app.board._supply_cache[1]
    assert shown.tolist() == supply_reach(st, st.side).nonzero()[0].tolist()
    key(app, pygame.K_u)
    assert not app.board.show_supply


def test_supply_and_control_changes_read_as_sentences_in_the_log(game, tmp_path):
    from game.texts import log_entry

    app = make_app(game, tmp_path)
    uid = app.session.state.active_units("china")[0].id
    text, kind = log_entry(app.namer, {"turn": 3, "type": "supply", "unit": uid, "hex": 5, "supplied": False})
    assert "cut off from supply" in text and uid not in text and kind == "supply"
    place = next(iter(app.game.map.places))
    text, kind = log_entry(app.namer, {"turn": 3, "type": "control", "place": place, "side": "japan", "from": "china"})
    assert "taken by Japan" in text and kind == "control"


# ---------------------------------------------------------------- confirmations etc.
def _give_a_move(app):
    s = app.session
    while not (s.state.phase == "move" and s.is_human_turn()):
        click_button(app, app.panels.buttons["end"])
        app.wait_ai()
    for u in s.state.active_units(s.state.side):
        s.select_unit(u.id)
        if s.reach:
            assert s.move_selected(next(iter(s.reach)))
            return
    pytest.fail("nothing could move")


def test_ctrl_q_with_unsaved_moves_asks_and_escape_keeps_playing(game, tmp_path):
    app = make_app(game, tmp_path)
    _give_a_move(app)
    key(app, pygame.K_q, mod=pygame.KMOD_CTRL)
    assert app.running and app.confirm_dialog.alive()
    key(app, pygame.K_ESCAPE)
    assert app.running and not app.confirm_dialog.alive()
    key(app, pygame.K_q, mod=pygame.KMOD_CTRL)
    click_button(app, app.confirm_dialog.confirm_button)
    app.run_frames(2)  # the dialog answers on the frames after the press
    assert not app.running


def test_ctrl_q_right_after_a_save_quits_at_once(game, tmp_path):
    app = make_app(game, tmp_path)
    _give_a_move(app)
    key(app, pygame.K_F5)
    key(app, pygame.K_q, mod=pygame.KMOD_CTRL)
    assert not app.running


def test_f9_without_a_move_since_the_save_loads_at_once(game, tmp_path):
    app = make_app(game, tmp_path)
    key(app, pygame.K_F5)
    saved = app.session.state.state_hash()
    key(app, pygame.K_F9)
    assert app.confirm_dialog is None and app.session.state.state_hash() == saved


@pytest.mark.parametrize("side", ["china", "japan"])
def test_the_camera_opens_on_the_players_own_forces(game, tmp_path, side):
    import numpy as np

    app = make_app(game, tmp_path, side=side)
    m = app.game.map
    mine = [u.hex for u in app.session.state.active_units(side)]
    theirs = [u.hex for u in app.session.state.active_units("china" if side == "japan" else "japan")]
    cam = np.array([app.camera.cx, app.camera.cy])

    def dist(hexes):
        return float(np.hypot(np.median(m.x_km[hexes]) - cam[0], np.median(m.y_km[hexes]) - cam[1]))

    assert dist(mine) < dist(theirs)


def test_an_idle_window_needs_no_redraw(game, tmp_path):
    app = make_app(game, tmp_path)
    app.session.messages.clear()
    app.ai.highlight = None
    app.hover_hex = None
    for _ in range(3):
        app.step([])
    assert not app.needs_redraw([])
    key(app, pygame.K_g)  # a change (grid off) asks for a frame
    app.session.touch()
    assert app.needs_redraw([])


# ------------------------------------------------------------------------- counters
def _pixels(surf):
    return pygame.image.tobytes(surf, "RGBA")


def test_counters_show_strength_from_mid_zoom_and_only_the_box_when_tiny(game, tmp_path):
    app = make_app(game, tmp_path)
    art = app.board.counters
    u = app.session.state.active_units("china")[0]
    d = app.game.units[app.game.unit_index[u.id]]
    weak = type(u)(**{**u.__dict__, "men": 2100})
    strong = type(u)(**{**u.__dict__, "men": 8700})
    assert _pixels(art.surface(weak, d, 20)) != _pixels(art.surface(strong, d, 20))  # mid zoom: strength drawn
    assert _pixels(art.surface(weak, d, 16)) == _pixels(art.surface(strong, d, 16))  # tiny: the box alone


# ---------------------------------------------------------------------- combat card
def test_an_attack_shows_a_result_card_that_escape_skips(game, tmp_path):
    from game.hud import combat_card_lines, draw_combat_card

    app = make_app(game, tmp_path)
    cn, jp, target = _contact_setup(app)
    app.center_on_unit(jp.id)
    app.step([])
    click(app, app.unit_screen_pos(jp.id))
    key(app, pygame.K_RETURN)
    rep = app.session.state.log[-1]
    assert app.session.combat_card[0] is rep
    assert draw_combat_card(app.screen, app) is not None
    lines = " ".join(t for t, _, _ in combat_card_lines(app, rep))
    assert f"{rep['ratio']:.2f} : 1" in lines and "Losses" in lines
    key(app, pygame.K_ESCAPE)
    assert app.session.combat_card is None and draw_combat_card(app.screen, app) is None
