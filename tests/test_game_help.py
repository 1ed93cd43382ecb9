"""The F1 help fits the smallest supported window and the default one."""
from __future__ import annotations

from tests.test_game_ui import make_app  # noqa: F401  (also sets the dummy video driver)

import pytest  # noqa: E402

from engine.api import Game  # noqa: E402
from game import screens  # noqa: E402


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


@pytest.mark.parametrize("size", [(1024, 640), (1600, 900)])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_help_shows_every_rule_with_the_combat_marks(game, tmp_path, lang, size):
    app = make_app(game, tmp_path, size=size)
    app.set_setting("lang", lang)
    drawn = " ".join(screens.draw_help(app.screen))
    words = " ".join(screens.help_paragraphs())
    assert drawn.replace(" ", "") == words.replace(" ", "")  # every rule, wrapped into the room there is
    assert screens.t("help.rule_mark1").replace(" ", "") in drawn.replace(" ", "")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_rule_split_mid_sentence_reads_as_one_paragraph(game, tmp_path, lang):
    app = make_app(game, tmp_path)
    app.set_setting("lang", lang)
    first, second = screens.t("help.rule2").strip(), screens.t("help.rule3").strip()
    joined = first + (" " if lang == "en" else "") + second
    assert joined in screens.help_paragraphs()
