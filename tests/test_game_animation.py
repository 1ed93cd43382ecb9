"""Counters slide along their paths after an order; Space or Esc skips the slide; drawing it never
changes the game."""
from __future__ import annotations

from tests.test_game_ui import click, key, make_app, movable_with_room, to_phase  # noqa: F401  (dummy video driver)

import pygame  # noqa: E402
import pytest  # noqa: E402

from engine.api import Attack, Game, apply  # noqa: E402
from game.animation import Animation, Motion, motions, positions  # noqa: E402
from tests.test_rules import _duel  # noqa: E402


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def _moved(game, tmp_path):
    """The player moves a unit at normal speed by clicking; returns the app, the unit and its path."""
    app = make_app(game, tmp_path)
    app.set_setting("ai_speed", "normal")
    to_phase(app, "move")
    u, free = movable_with_room(app)
    app.center_on_unit(u.id)
    app.step([])
    click(app, app.unit_screen_pos(u.id))
    far = max((h for h in free if app.camera.contains_screen(*app.hex_screen_pos(h))),
              key=lambda h: len(app.session.reach[h]))
    path = (u.hex, *app.session.reach[far])
    click(app, app.hex_screen_pos(far), frames=1)
    assert app.session.state.unit(u.id).hex == far  # the order is given at once: only the view lags
    return app, u.id, path


def _final_rect(app, uid):
    return app.board.counter_rects(app.camera, app.session.state, app.session.selected)[uid]


def test_a_moved_counter_slides_along_its_path(game, tmp_path):
    app, uid, path = _moved(game, tmp_path)
    assert app.anim.running
    start = app.hex_screen_pos(path[0])
    end = _final_rect(app, uid).center
    between = 0
    for _ in range(200):
        if not app.anim.running:
            break
        app.step([])
        c = app.board.rects[uid].center
        d_start, d_end = abs(c[0] - start[0]) + abs(c[1] - start[1]), abs(c[0] - end[0]) + abs(c[1] - end[1])
        between += d_start > app.camera.hex_px / 2 and d_end > app.camera.hex_px / 4
    assert between >= 2  # frames with the counter part way along, off both its old and its new hex
    assert not app.anim.running
    assert app.board.rects[uid] == _final_rect(app, uid)


def test_space_skips_the_slide_to_the_final_position(game, tmp_path):
    app, uid, _ = _moved(game, tmp_path)
    app.step([])
    assert app.anim.running and app.board.rects[uid] != _final_rect(app, uid)
    key(app, pygame.K_SPACE)
    assert not app.anim.running
    assert app.board.rects[uid] == _final_rect(app, uid)


def test_esc_skips_the_slide_and_keeps_the_selection(game, tmp_path):
    app, uid, _ = _moved(game, tmp_path)
    selected = app.session.selected
    key(app, pygame.K_ESCAPE)
    assert not app.anim.running
    assert app.board.rects[uid] == _final_rect(app, uid)
    assert app.session.selected == selected


def test_drawing_the_slide_leaves_the_state_unchanged(game, tmp_path):
    app, uid, _ = _moved(game, tmp_path)
    before = app.session.state.state_hash()
    for _ in range(5):
        app.step([])
        assert app.anim.running  # the frames drawn were of the slide
    assert app.session.state.state_hash() == before


def test_the_instant_speed_shows_no_slide(game, tmp_path):
    app = make_app(game, tmp_path)
    to_phase(app, "move")
    u, free = movable_with_room(app)
    app.session.select_unit(u.id)
    app.session.move_selected(free[0])
    app.step([])
    assert not app.anim.running


def test_the_computers_moves_slide(game, tmp_path):
    app = make_app(game, tmp_path)
    app.set_setting("ai_speed", "fast")
    app.command("end")  # China: air -> move
    app.command("end")  # move -> combat
    app.command("end")  # combat -> Japan plays turn 2
    japan = {u.id for u in app.session.state.units if u.side == "japan"}
    slid = set()
    for _ in range(3000):
        app.step([])
        slid |= {tr.motion.uid for tr in app.anim.tracks}
        if slid & japan:
            break
    assert slid & japan


def test_a_beaten_defender_falls_back_before_the_attacker_advances(game):
    for seed in range(60):
        st = game.new_initial_state(seed)
        jps, cn, h = _duel(game, st, n_attackers=3)
        before = positions(st)
        action = Attack(tuple(jps), h)
        apply(st, action)
        if st.log[-1]["outcome"] in ("routed", "retreated") and st.unit(cn).status == "active":
            break
    else:
        raise AssertionError("set-up failed: no seed below 60 drives the defender back")
    moved = {m.uid: m for m in motions(before, st, action)}
    assert moved[cn] == Motion(cn, (h, st.unit(cn).hex), 0)
    advancing = [m for m in moved.values() if m.uid in jps]
    assert [m.path for m in advancing] == [(before[advancing[0].uid], h)] and advancing[0].stage == 1


def test_an_advance_starts_when_the_retreat_ends():
    anim = Animation()
    anim.add([Motion("d", (1, 2, 3), 0), Motion("a", (0, 1), 1)], delay=0.4)
    retreat, advance = sorted(anim.tracks, key=lambda tr: tr.motion.stage)
    assert advance.start == pytest.approx(retreat.start + retreat.duration)
    centres = anim.centres(lambda h: (float(h * 10), 0.0))
    assert centres["a"] == (0.0, 0.0)  # still on its own hex while the defender falls back


def test_a_replayed_phase_joins_each_units_paths_into_one_slide():
    from game.animation import joined

    phase = [[Motion("a", (1, 2, 3))], [Motion("b", (7, 8)), Motion("c", (9, 10), stage=1)], [Motion("a", (3, 4))]]
    out = {m.uid: m for m in joined(phase)}
    assert out["a"].path == (1, 2, 3, 4)
    assert out["b"] == Motion("b", (7, 8), 0)
    assert out["c"].stage == 1  # the advance still follows every retreat
