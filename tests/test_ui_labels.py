"""Small readability fixes of issue 11: the top bar's sortie readout is explained on hover; the
editor's list buttons show their whole labels, its progress bar only while a test runs, and its
status bar names terrains instead of their one-letter codes."""
from __future__ import annotations

import os
import shutil

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from engine.paths import SCENARIO_DIR  # noqa: E402
from game import fonts  # noqa: E402
from game.i18n import t  # noqa: E402
from tests.test_game_ui import game, make_app  # noqa: E402,F401


def test_pointing_at_the_sortie_readout_explains_it(game, tmp_path):
    from game.hud import draw_sorties_tip

    app = make_app(game, tmp_path)
    r = app.sorties_rect

    def point(pos):
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0, 0, 0)))
        app.step()

    vx, vy, w, h = app.camera.view
    point((vx + w // 2, vy + h // 2))
    assert draw_sorties_tip(app.screen, app) is None
    point(r.center)
    tip = draw_sorties_tip(app.screen, app)
    assert tip is not None and tip.top >= r.bottom  # under the readout, not over it
    assert "J Japan" in t("topbar.sorties_tip")


@pytest.fixture
def editor(tmp_path):
    from game.editor.app import EditorApp

    folder = tmp_path / "west_hunan_1945"
    shutil.copytree(SCENARIO_DIR / "west_hunan_1945", folder)
    app = EditorApp(folder, headless=True, size=(1400, 850), spawn=lambda cmd, **kw: None)
    app.step([])
    return app


def test_the_editors_list_buttons_show_their_whole_labels(editor):
    for b in editor.panels.list_buttons.values():
        assert b.rect.w >= fonts.font(14).size(b.text)[0] + 8, b.text


def test_the_editors_progress_bar_waits_for_a_test(editor):
    assert editor.test is None and not editor.panels.progress.visible


def test_the_editors_status_bar_names_terrains(editor):
    m = editor.doc.map
    editor.tool, editor.terrain_code = "terrain", "H"
    editor.hover_hex = 0
    line = editor.status_line()
    assert "paint hills" in line and f"({m.terrain_names[m.terrain[0]].replace('_', ' ')})" in line
