"""The end screen's headline while the campaign goes on."""
from __future__ import annotations

from tests.test_game_ui import make_app  # noqa: F401  (also sets the dummy video driver)

import pytest  # noqa: E402

from engine.api import Game  # noqa: E402
from game import screens  # noqa: E402


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def test_the_grade_so_far_keeps_the_capital_of_chinese_or_japanese(game, tmp_path):
    app = make_app(game, tmp_path)
    app.set_setting("lang", "en")
    title, verdict, grade = screens.end_headline(app)
    assert not app.session.state.over and verdict is None
    name = screens.t_or(f"level.{grade.level}", grade.name)
    assert "so far: " + name[:1].lower() + name[1:] in title
    assert grade.level != "draw" and ("Chinese" in title or "Japanese" in title)  # a grade naming a side
    assert "chinese" not in title and "japanese" not in title
