"""Combat marks on the counters: a unit beaten in a battle this turn carries a stripe and a badge."""
from __future__ import annotations

from tests.test_game_ui import _contact_setup, make_app  # noqa: F401  (also sets the dummy video driver)

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from engine.api import Game  # noqa: E402
from game.counters import MARKS  # noqa: E402
from game.hud import tooltip_lines  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def _mark_pixels(app, uid, mark) -> int:
    """Pixels of ``uid``'s counter on screen in the mark's stripe colour."""
    r = app.board.rects[uid]
    px = pygame.surfarray.array3d(app.screen.subsurface(r)).reshape(-1, 3).astype(int)
    col = np.array(MARKS[mark][1])
    return int((np.abs(px - col).sum(axis=1) < 60).sum())


def _beaten_here(app, mark):
    """Test set-up: the log records that the lone Japanese unit lost a battle this turn with ``mark``."""
    cn, jp, target = _contact_setup(app)
    st = app.session.state
    app.center_on_unit(jp.id)
    app.step([])
    before = _mark_pixels(app, jp.id, mark)
    st.log.append({"turn": st.turn, "type": "combat", "attacker": "china", "target": target,
                   "attackers": [u.id for u in cn], "defenders": [jp.id], "ratio": 3.0, "outcome": mark})
    app.session.touch()
    return jp, before


def test_a_routed_unit_is_drawn_with_the_routed_stripe(game, tmp_path):
    app = make_app(game, tmp_path)
    jp, before = _beaten_here(app, "routed")
    app.step([])
    assert _mark_pixels(app, jp.id, "routed") > before + 20


def test_a_unit_driven_back_is_drawn_with_the_amber_stripe(game, tmp_path):
    app = make_app(game, tmp_path)
    jp, before = _beaten_here(app, "retreated")
    app.step([])
    assert _mark_pixels(app, jp.id, "retreated") > before + 20


def test_the_tooltip_says_the_unit_was_routed(game, tmp_path):
    app = make_app(game, tmp_path)
    jp, _ = _beaten_here(app, "routed")
    assert any("routed in a battle this turn" in text for text, _, _ in tooltip_lines(app, jp.hex))


def test_the_unit_panel_says_the_unit_was_routed(game, tmp_path):
    app = make_app(game, tmp_path)
    jp, _ = _beaten_here(app, "routed")
    app.session.select_unit(jp.id)
    app.step([])
    assert "routed in a battle this turn" in app.panels.unit_html()
