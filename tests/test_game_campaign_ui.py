"""A whole campaign played as Japan through the window (posted pygame events, SDL dummy driver):
every Japanese turn flies a mission, moves units towards the airfield and attacks where the
odds allow, all by clicks and keys; the computer plays China at Instant speed; the campaign
ends on the end screen with a graded result."""
from __future__ import annotations

import pygame

from engine.api import LEVEL_NAMES
from game import screens
from tests.test_game_ui import click, game, key, make_app  # noqa: F401

MOVES_PER_TURN = 2
ATTACKS_PER_TURN = 2


def _on_screen(app, h) -> bool:
    x, y = app.hex_screen_pos(h)
    vx, vy, w, hh = app.camera.view
    return vx + 20 < x < vx + w - 20 and vy + 20 < y < vy + hh - 20


def _fly(app) -> bool:
    """Air phase: click the Chinese unit nearest the Japanese front, Enter flies the default."""
    st = app.session.state
    if st.sorties_left.get("japan", 0) <= 0:
        return False
    jp = [u.hex for u in st.active_units("japan")]
    m = app.game.map
    target = min(st.active_units("china"),
                 key=lambda c: min((m.x_km[c.hex] - m.x_km[h]) ** 2 + (m.y_km[c.hex] - m.y_km[h]) ** 2 for h in jp))
    app.center_on_unit(target.id)
    app.step([])
    click(app, app.hex_screen_pos(target.hex))
    assert app.session.air_target == target.hex
    n = len(st.missions)
    key(app, pygame.K_RETURN)
    return len(app.session.state.missions) == n + 1


def _move_some(app) -> int:
    """Movement phase: the strongest units that can move each go (click the counter, click a free
    lit hex) to the reachable hex nearest the airfield."""
    s = app.session
    m = app.game.map
    a = app.game.airfield_hex

    def to_airfield(h):
        return (m.x_km[h] - m.x_km[a]) ** 2 + (m.y_km[h] - m.y_km[a]) ** 2

    moved = 0
    for u in sorted(s.state.active_units("japan"), key=lambda u: -u.men):
        if moved >= MOVES_PER_TURN:
            break
        if u.mp <= 0 or u.moved:
            continue
        app.center_on_unit(u.id)
        app.step([])
        click(app, app.unit_screen_pos(u.id))
        if s.selected != u.id or not s.reach:
            continue
        occupied = {x.hex for x in s.state.units if x.status == "active"}
        free = [h for h in s.reach if h not in occupied and _on_screen(app, h) and to_airfield(h) < to_airfield(u.hex)]
        if not free:
            key(app, pygame.K_ESCAPE)
            continue
        dest = min(free, key=to_airfield)
        click(app, app.hex_screen_pos(dest))
        assert s.state.unit(u.id).hex == dest
        moved += 1
    return moved


def _attack(app) -> int:
    """Combat phase: click each Chinese hex next to Japanese units (every adjacent unit joins);
    Enter attacks when the odds are allowed, Esc drops it otherwise."""
    s = app.session
    attacks = 0
    for _ in range(ATTACKS_PER_TURN):
        st = s.state
        ready = {u.hex for u in st.active_units("japan") if not u.attacked}
        targets = [c.hex for c in st.active_units("china")
                   if ready & {int(n) for n in app.game.map.nbr[c.hex] if n >= 0}]
        tried = False
        for h in dict.fromkeys(targets):
            app.camera.center_on(float(app.game.map.x_km[h]), float(app.game.map.y_km[h]))
            app.step([])
            click(app, app.hex_screen_pos(h))
            if s.preview is not None and s.preview.get("allowed", True) and s.preview["ratio"] >= 1.0:
                n = len(st.log)
                key(app, pygame.K_RETURN)
                assert any(e.get("type") == "combat" for e in s.state.log[n:])
                attacks += 1
                tried = True
                break
            key(app, pygame.K_ESCAPE)
        if not tried:
            break
    return attacks


def test_a_whole_campaign_played_as_japan_through_the_window_ends_on_a_graded_result(game, tmp_path):
    app = make_app(game, tmp_path, side="japan", size=(1024, 640))
    s = app.session
    flown = moved = attacks = ui_orders = 0
    for _ in range(400):
        app.wait_ai()
        st = s.state
        if st.over:
            break
        assert st.side == "japan" and s.is_human_turn()
        n_hist = len(st.history)
        if st.phase == "air":
            flown += _fly(app)
        elif st.phase == "move":
            moved += _move_some(app)
        elif st.phase == "combat":
            attacks += _attack(app)
        ui_orders += sum(1 for r in s.state.history[n_hist:] if r.get("type") in ("move", "attack", "air"))
        ended = sum(1 for r in s.state.history if r.get("type") == "end_phase" and r.get("side") == "japan")
        key(app, pygame.K_e)
        assert sum(1 for r in s.state.history if r.get("type") == "end_phase" and r.get("side") == "japan") == ended + 1
    st = s.state
    assert st.over, "the campaign did not end"
    assert moved >= 10 and flown >= 5 and attacks >= 1
    assert ui_orders == moved + flown + attacks  # every Japanese order came from a click or a key
    app.step([])
    assert app.end_open  # the end screen opened by itself
    title, verdict, grade = screens.end_headline(app)
    assert title == LEVEL_NAMES[grade.level] and grade.reasons
    assert verdict in ("Decisive victory!", "Marginal victory", "Draw", "Defeat")
    assert (verdict == "Defeat") == grade.level.startswith("china")
