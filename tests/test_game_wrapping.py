"""Text boxes wrap Chinese between characters with no dash, and English at its spaces
(pygame_gui splits a run longer than a line with dashes unless told not to: game/ui_text.py)."""
from __future__ import annotations

import re
import shutil

import pygame
import pytest
from pygame_gui.core.text import TextLineChunkFTFont
from pygame_gui.elements import UITextBox

from engine.api import Game
from engine.paths import SCENARIO_DIR
from game import i18n
from tests import test_game_ui as ui

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
LONG_ZH = "日军第116师团沿资水西岸向洞口推进时遭到中国第74军第51师的顽强阻击伤亡惨重被迫停止前进等待增援"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_lang("en")


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def make_app(game, tmp_path, lang, size=(1600, 900)):
    return ui.make_app(game, tmp_path, side="japan", lang=lang, size=size)


def rows(box: UITextBox) -> list[str]:
    """The box's text as pygame_gui laid it out, one string a row."""
    return ["".join(c.text for c in row.items if isinstance(c, TextLineChunkFTFont))
            for row in box.text_box_layout.layout_rows]


def wrapped_rows(box: UITextBox) -> list[tuple[str, str]]:
    """(row, next row) for each row that the layout wrapped (ended without a line break)."""
    out = []
    layout = box.text_box_layout.layout_rows
    for row, nxt in zip(layout, layout[1:]):
        if not any(type(c).__name__ == "LineBreakLayoutRect" for c in row.items):
            out.append((rows(box)[row.row_index], rows(box)[nxt.row_index]))
    return out


@pytest.mark.parametrize("size", [(1600, 900), (1024, 640)])
def test_the_chinese_orders_panel_wraps_between_characters_without_dashes(game, tmp_path, size):
    app = make_app(game, tmp_path, "zh", size)
    ui.key(app, pygame.K_e)  # Japan's move phase: a long Chinese help sentence
    assert app.session.state.phase == "move"
    box = app.panels.orders_box
    assert "-" not in app.panels._cache["orders"]
    assert not any("-" in r for r in rows(box))
    breaks = wrapped_rows(box)
    assert any(CJK.search(a[-1:]) and CJK.search(b[:1]) for a, b in breaks), breaks  # broken between characters


def test_a_long_chinese_sentence_fills_its_lines_with_no_dash(game, tmp_path):
    app = make_app(game, tmp_path, "zh")
    app.panels.orders_box.set_text(LONG_ZH)
    app.step()
    got = rows(app.panels.orders_box)
    assert len(got) >= 2 and "".join(got) == LONG_ZH  # every character kept, none added


def test_english_still_wraps_at_spaces(game, tmp_path):
    app = make_app(game, tmp_path, "en")
    ui.key(app, pygame.K_e)
    breaks = wrapped_rows(app.panels.orders_box)
    assert breaks
    assert all(a.endswith(" ") and not a.endswith("- ") for a, _ in breaks), breaks


def test_a_chinese_tooltip_wraps_without_dashes(game, tmp_path):
    app = make_app(game, tmp_path, "zh")
    tip = app.ui.create_tool_tip(LONG_ZH, (300, 300), (0, 12), app.panels.orders_box, None, wrap_width=200)
    got = rows(tip.text_block)
    assert len(got) >= 3 and "".join(got) == LONG_ZH
    assert tip.rect.h == tip.text_block.rect.h  # the tooltip took the re-laid-out size
    tip.kill()


def test_every_text_box_of_the_game_wraps_without_dashes(game, tmp_path):
    app = make_app(game, tmp_path, "zh")
    ui.key(app, pygame.K_e)
    app.session.end_phase()  # unsaved progress, so quitting asks
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.step()
    app.step()
    assert app.confirm_dialog is not None and app.confirm_dialog.alive()
    boxes = [e for e in app.ui.get_sprite_group().sprites() if isinstance(e, UITextBox)]
    assert app.confirm_dialog.confirmation_text in boxes and app.panels.orders_box in boxes
    assert [b for b in boxes if b.allow_split_dashes] == []


def test_every_text_box_of_the_editor_wraps_without_dashes(tmp_path):
    from game.editor.app import EditorApp
    from game.editor.tools import toggle_road

    folder = tmp_path / "west_hunan_1945"
    shutil.copytree(SCENARIO_DIR / "west_hunan_1945", folder)
    ed = EditorApp(folder, headless=True, size=(1400, 850), spawn=lambda cmd, **kw: None)
    ed.step([])
    ed.apply(toggle_road(ed.doc.map, ed.doc.map.places["zhijiang"].hex, 0))
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    ed.step()
    ed.step()
    assert ed._confirm is not None
    boxes = [e for e in ed.ui.get_sprite_group().sprites() if isinstance(e, UITextBox)]
    assert ed._confirm.confirmation_text in boxes and ed.panels.help_box in boxes
    assert [b for b in boxes if b.allow_split_dashes] == []


# ------------------------------------------------------------- the line-breaking rule
CLOSING = set("）」』】》〉，。、：；！？”’")
OPENING = set("（「『【《〈“‘")


def broken_rule(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (line, next line) pairs where a closing mark starts a line or an opening one ends it."""
    return [(a, b) for a, b in pairs if b.lstrip()[:1] in CLOSING or a.rstrip()[-1:] in OPENING]


def test_the_game_wrap_keeps_every_character_and_the_line_breaking_rule():
    from game.catalogue import CATALOGUE
    from game.screens import wrap_px

    texts = [zh for _, zh in CATALOGUE.values() if any(c in CLOSING | OPENING for c in zh) and len(zh) > 12]
    assert len(texts) > 20
    checked = 0
    for zh in texts:
        for width in range(60, 400, 23):
            lines = wrap_px(zh, 14, width)
            assert "".join(lines).replace(" ", "") == zh.replace(" ", "")
            assert broken_rule(list(zip(lines, lines[1:]))) == [], (zh, width)
            checked += len(lines) > 1
    assert checked > 200  # most of them wrapped at some width


def test_a_text_box_never_starts_a_line_with_a_closing_mark(game, tmp_path):
    """Wherever the line fills up, the closing marks stay with the characters before them and
    the opening ones with those after them (the orders box at 1024 x 640, in Chinese)."""
    app = make_app(game, tmp_path, "zh", size=(1024, 640))
    box = app.panels.orders_box
    for lead in range(24):  # the marks fall at every place of a line
        text = "军" * lead + "控制区（进入即停止移动）。" + LONG_ZH[:20] + "「第116师团」，" + LONG_ZH
        box.set_text(text)
        got = rows(box)
        assert len(got) >= 3 and "".join(got) == text
        assert broken_rule(wrapped_rows(box)) == [], lead


def test_english_wrapping_in_a_text_box_is_pygame_guis_own(game, tmp_path):
    app = make_app(game, tmp_path, "en", size=(1024, 640))
    box = app.panels.orders_box
    text = "Click your units next to the enemy to pick attackers (click again to drop), then the enemy hex."
    box.set_text(text)
    got = rows(box)
    assert len(got) >= 2 and "".join(got) == text
    assert all(a.endswith(" ") for a, _ in wrapped_rows(box))


def test_a_chinese_log_line_keeps_its_turn_with_its_text(game, tmp_path):
    """No row of the event log is only "第4回合" (the turn and the text are joined by a no-break space)."""
    app = make_app(game, tmp_path, "zh", size=(1024, 640))
    while app.session.state.turn < 4:  # three turns of the computer's orders fill the log
        app.session.end_phase()
        app.wait_ai()
    app.step([])
    got = rows(app.panels.log_box)
    assert sum(1 for r in got if "回合" in r) >= 3
    assert [r for r in got if re.fullmatch(r"\s*第\d+回合\s*", r)] == []


def test_a_chinese_place_name_is_not_split_at_the_space_before_its_bracketed_alternative(game, tmp_path):
    """'隆回 (桃花坪)' may wrap between characters like any Chinese, but never at its space, which
    would start a line with '(' (orders box, 1024 x 640, the name at every place of a line)."""
    from game.texts import Namer

    app = make_app(game, tmp_path, "zh", size=(1024, 640))
    box = app.panels.orders_box
    name = Namer(game, "zh").place("longhui_taohuaping")
    assert name.startswith("隆回") and name.endswith("(桃花坪)")
    wrapped_at_name = 0
    for lead in range(30):
        box.set_text("军" * lead + name + "。" + LONG_ZH)
        got = rows(box)
        assert not any(r.startswith("(桃花坪") for r in got), (lead, got)
        wrapped_at_name += not any(name in r for r in got)
    assert wrapped_at_name >= 3  # the name did fall across a line end


def test_a_line_never_ends_with_the_separator_between_its_parts(game, tmp_path):
    """'伤亡：进攻方 1,234 · 防守方 5,678' wraps before its '·' when it must, so a wrapped line
    starts with '· 防守方' rather than ending with a dangling '·' (1024 x 640, every place)."""
    app = make_app(game, tmp_path, "zh", size=(1024, 640))
    box = app.panels.orders_box
    line = i18n.t("card.losses", att=1234, dfn=5678)
    starts_with_separator = 0
    for lead in range(30):
        box.set_text("军" * lead + line + "。" + LONG_ZH)
        got = [r.rstrip(" \u00a0") for r in rows(box)]
        assert not any(r.endswith("\u00b7") for r in got), (lead, got)
        starts_with_separator += any(r.lstrip().startswith("\u00b7") for r in got[1:])
    assert starts_with_separator >= 1  # the separator did fall at a line end
