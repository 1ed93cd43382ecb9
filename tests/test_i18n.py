"""The interface's string catalogue (game/catalogue.py): complete in both languages, drawable
with the shipped font, and switched by the language setting through the real UI."""
from __future__ import annotations

import ast
import re
import string

import pygame
import pytest

from game import i18n
from game.catalogue import CATALOGUE
from game.fonts import BOLD, REGULAR

CJK = re.compile(r"[\u3400-\u9fff]")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_lang("en")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages_with_the_same_fields(key):
    en, zh = CATALOGUE[key]
    assert en.strip() and zh.strip(), f"{key}: an empty text"
    assert fields(en) == fields(zh), f"{key}: fields {fields(en)} in English but {fields(zh)} in Chinese"


def test_the_chinese_texts_are_chinese():
    """Every Chinese text that says something in words has Chinese characters (none left in English)."""
    wordy = [k for k, (en, zh) in CATALOGUE.items() if re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}|<[^>]*>", "", en))]
    untranslated = [k for k in wordy if not CJK.search(CATALOGUE[k][1])]
    assert not untranslated, untranslated


@pytest.mark.parametrize("path", [REGULAR, BOLD], ids=["regular", "bold"])
def test_every_catalogue_character_has_a_glyph_in_the_ui_font(path):
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(path)).getBestCmap()
    texts = [text for pair in CATALOGUE.values() for text in pair] + list(i18n.PYGAME_GUI_ZH)
    chars = {c for text in texts for c in text if not c.isspace()}
    missing = sorted(c for c in chars if ord(c) not in cmap)
    assert not missing, f"{path.name} lacks {''.join(missing)}: run assets/fonts/make_subset.py"


def test_t_fills_the_fields_in_the_chosen_language():
    i18n.set_lang("zh")
    assert i18n.t("topbar.turn", turn=3, n=32) == "第3/32回合"
    i18n.set_lang("both")  # names in both scripts, the interface in English
    assert i18n.t("topbar.turn", turn=3, n=32) == "Turn 3/32"
    assert i18n.t_both("phase.move", "both") == "Movement 移动"


def test_an_unknown_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        i18n.t("no.such.key")


# ----------------------------------------------------------------- through the UI
def _app(tmp_path, side="japan"):
    from engine.api import Game
    from game.app import App, Config

    cfg = Config(side=side, seed=3, threaded_ai=False, ai_speed="instant", save_dir=tmp_path, lang="en")
    app = App(cfg, headless=True, game=Game.load("west_hunan_1945"))
    app.wait_ai()
    app.step([])
    return app


def _press(app, key, mod=0):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
    app.step()
    app.step()


def test_switching_to_chinese_with_the_language_key_shows_a_chinese_hud(tmp_path):
    from game.hud import _topbar_items

    app = _app(tmp_path)
    assert app.panels.buttons["end"].text == "End phase (E)"
    _press(app, pygame.K_l)  # en -> zh
    assert app.settings["lang"] == "zh"
    bar = " ".join(item[1] for item in _topbar_items(app, 0))
    assert "第1/" in bar and "日军 · 空中" in bar and "剩余架次" in bar
    assert app.panels.buttons["end"].text == "结束阶段 (E)"
    assert app.panels.fly_btn.text == "出击 (Enter)"
    assert app.ui.get_locale() == "zh"  # pygame_gui's dialog buttons too
    assert "空中阶段" in app.panels._cache["orders"]
    assert "战况记录" in app.panels._cache["log"]
    _press(app, pygame.K_e)  # end the air phase: the notice is Chinese too
    assert any("空中阶段结束" in m.text for m in app.session.messages)
    _press(app, pygame.K_l)  # zh -> both: English interface again
    assert app.panels.buttons["end"].text == "End phase (E)"


def test_a_refusal_in_chinese_is_chinese(tmp_path):
    app = _app(tmp_path)
    app.set_setting("lang", "zh")
    _press(app, pygame.K_e)
    _press(app, pygame.K_e)  # Japan's combat phase
    st = app.session.state
    assert st.phase == "combat" and st.side == "japan"
    jp = {u.hex for u in st.active_units("japan")}
    far = next(u for u in st.active_units("china") if not jp & {int(n) for n in app.game.map.nbr[u.hex]})
    app.session.click_hex(far.hex)
    errors = [m.text for m in app.session.messages if m.level == "error"]
    assert errors[-1] == "命令被拒绝：没有仍可进攻的本方部队与此格相邻。"


def test_the_help_and_end_screens_draw_in_chinese(tmp_path):
    from game import screens

    app = _app(tmp_path)
    app.set_setting("lang", "zh")
    rows = screens.help_rows()
    assert all(CJK.search(v) for _, v in rows if v)
    screens.draw_help(app.screen)
    screens.draw_end(app.screen, app)  # draws without a missing key or field
    assert "等级" in screens.grades_text(app.game.scenario.victory_levels)


def test_log_lines_of_arrivals_and_the_airfield_read_in_chinese():
    from engine.api import Game
    from game.texts import Namer, log_entry

    game = Game.load("west_hunan_1945")
    namer = Namer(game, "zh")
    i18n.set_lang("zh")
    uid = game.units[0].id
    airfield = game.map.places[game.scenario.victory.airfield]
    text, kind = log_entry(namer, {"turn": 10, "type": "arrival", "unit": uid, "hex": game.airfield_hex})
    assert kind == "arrival" and text == f"第10回合\u00a0{namer.unit_short(uid)}抵达{airfield.name_zh}。"
    text, _ = log_entry(namer, {"turn": 12, "type": "airfield", "text": "English from the engine"})
    assert airfield.name_zh in text and not re.search(r"[A-Za-z]{3}", text)


#: game modules that write to the console (the command line stays English), not to the window
CONSOLE_MODULES = {"cli.py", "launch.py", "headless.py", "bench.py", "progress.py", "shots.py", "catalogue.py"}
#: calls that put text in the window
DRAWING_CALLS = {"notice", "error", "text", "halo_text", "UIButton", "UILabel", "set_text", "UIWindow",
                 "UIConfirmationDialog", "UIFileDialog", "set_tooltip", "set_caption"}


def _literal_parts(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for v in node.values:
            if isinstance(v, ast.Constant):
                yield v.value
    elif isinstance(node, ast.BinOp):
        yield from _literal_parts(node.left)
        yield from _literal_parts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literal_parts(node.body)
        yield from _literal_parts(node.orelse)


def test_no_english_sentence_is_drawn_in_the_window_without_the_catalogue():
    """Text handed to the window's drawing calls in game/ comes from t(): a literal with English
    words in it (not an identifier like 'error' or '#primary') would stay English in Chinese."""
    from pathlib import Path

    import game

    found = []
    for path in sorted(Path(game.__file__).parent.glob("*.py")):
        if path.name in CONSOLE_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in DRAWING_CALLS:
                continue
            for arg in list(node.args) + [k.value for k in node.keywords]:
                for s in _literal_parts(arg):
                    words = re.sub(r"<[^>]*>|\{[^}]*\}", "", s)
                    if re.search(r"[A-Za-z]{3}", words) and not re.fullmatch(r"[#\w]+", words.strip()):
                        found.append(f"{path.name}:{node.lineno}: {s!r}")
    assert not found, found


def test_a_refused_move_is_worded_in_chinese_with_the_units_name(tmp_path):
    """The engine names the refusal (IllegalAction.reason and its fields); the window words it."""
    from engine.api import IllegalAction, Move, apply, move_route, reachable_hexes

    app = _app(tmp_path)
    app.set_setting("lang", "zh")
    _press(app, pygame.K_e)  # Japan's movement phase
    s = app.session
    st = s.state
    u = max((u for u in st.active_units("japan") if u.mp > 0), key=lambda u: u.men)
    reach = reachable_hexes(st, u.id)
    far = next(h for h in range(app.game.n_hex) if h not in reach and h != u.hex and move_route(st, u.id, h)
               and app.game.map.grid.distance(u.hex, h) == 8)
    path = move_route(st, u.id, far)
    with pytest.raises(IllegalAction) as refused:
        apply(st.clone(), Move(u.id, path))
    assert refused.value.reason in ("move.mp", "move.zoc_stop", "move.zoc_to_zoc", "move.stacking")
    before = st.state_hash()
    s.select_unit(u.id)
    assert not s.try_move_anyway(far)
    text = [m.text for m in s.messages if m.level == "error"][-1]
    assert text.startswith("命令被拒绝：") and not re.search(r"[A-Za-z]{3}", text), text
    assert s.state.state_hash() == before


@pytest.mark.parametrize("status", ["operational", "neutralised", "captured"])
def test_the_end_screens_reasons_are_the_engines_in_english_and_chinese_in_chinese(status):
    from engine.api import Game, make_player, victory_level
    from game.texts import Namer, victory_reasons

    game = Game.load("west_hunan_1945")
    st = game.new_initial_state(4)
    players = {s: make_player(s, 4, game) for s in ("japan", "china")}
    for _ in range(30):  # some turns, so losses and the line are not zero
        players[st.side].play_phase(st)
    st.airfield_status = status
    grade = victory_level(st)
    i18n.set_lang("en")
    assert victory_reasons(Namer(game, "en"), grade) == list(grade.reasons)
    i18n.set_lang("zh")
    zh = victory_reasons(Namer(game, "zh"), grade)
    assert len(zh) == len(grade.reasons) and all(CJK.search(r) and not re.search(r"[A-Za-z]{3}", r) for r in zh), zh
