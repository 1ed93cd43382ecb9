"""The map tooltip follows the map under the pointer and keeps out of the way of a combat target."""
from __future__ import annotations

from tests.test_game_ui import _contact_setup, make_app  # noqa: F401  (also sets the dummy video driver)

import pygame  # noqa: E402
import pytest  # noqa: E402

from engine.api import Game  # noqa: E402


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def _point_at(app, pos, rest: bool = True) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.step()
    if rest:
        app.hover_since -= 5  # the pointer has rested past the tooltip's delay
        app.step([])


def test_after_a_keyboard_pan_the_tooltip_waits_and_names_the_hex_now_under_the_pointer(game, tmp_path):
    app = make_app(game, tmp_path)
    vx, vy, w, h = app.camera.view
    pos = (vx + w // 2, vy + h // 2)
    _point_at(app, pos)
    assert app.tooltip_rect is not None
    before = app.hover_hex
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode="", scancode=0))
    for _ in range(20):
        app.step()
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_RIGHT, mod=0, unicode="", scancode=0))
    app.step()
    now_under = app.board.hex_at(app.camera, pos)
    assert now_under != before
    assert app.hover_hex == now_under
    assert app.tooltip_rect is None  # hidden until the pointer has rested over the new hex


def test_the_tooltip_keeps_off_the_hex_under_attack(game, tmp_path):
    app = make_app(game, tmp_path)
    cn, jp, target = _contact_setup(app)
    app.center_on_unit(jp.id)
    app.step([])
    app.session.click_hex(target)
    assert app.session.target == target
    _point_at(app, app.hex_screen_pos(target))
    tip = app.tooltip_rect
    assert tip is not None
    rects = app.board.counter_rects(app.camera, app.session.state, app.session.selected)
    assert not tip.colliderect(rects[jp.id])
    assert not tip.colliderect(app.board.hex_box(app.camera, target))
