"""Modal screens: keyboard help, settings (pygame_gui window) and the end-of-campaign report."""
from __future__ import annotations


import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UIWindow

from . import fonts
from .i18n import lang, t, t_or
from .texts import history_1945, losses_total, side_name, victory_reasons, word

#: The F1 help: (keys, what they do) as catalogue keys; a key label the catalogue does not have
#: ("E", "Tab", "Ctrl+Z") is shown as it is; a row without a second part is a heading.
HELP = [
    ("help.mouse", ""),
    ("help.k.click_unit", "help.v.click_unit"),
    ("help.k.click_lit", "help.v.click_lit"),
    ("help.k.right_lit", "help.v.right_lit"),
    ("help.k.right_else", "help.v.right_else"),
    ("help.k.drag", "help.v.drag"),
    ("help.k.wheel", "help.v.wheel"),
    ("help.keys", ""),
    ("help.k.arrows", "help.v.arrows"),
    ("+ / −, Home", "help.v.zoom"),
    ("E", "help.v.end"),
    ("Tab", "help.v.tab"),
    ("C", "help.v.center"),
    ("Enter", "help.v.enter"),
    ("1 2 3, [ ]", "help.v.air"),
    ("Ctrl+Z", "help.v.undo"),
    ("F5 / F9", "help.v.quick"),
    ("Ctrl+S / Ctrl+O", "help.v.saveas"),
    ("help.k.space", "help.v.space"),
    ("G R N Z", "help.v.toggles"),
    ("U", "help.v.supply"),
    ("L", "help.v.lang"),
    ("help.k.help", "help.v.help"),
    ("F2", "help.v.result"),
    ("F10", "help.v.settings"),
    ("Ctrl+Q", "help.v.quit"),
]

RULES = ["help.rule1", "help.rule2", "help.rule3", "help.rule4", "help.rule5", "help.rule_mark1", "help.rule_mark2",
         "help.rule6", "help.rule7", "help.rule8"]


def help_rows() -> list[tuple[str, str]]:
    """The help's rows in the interface language."""
    return [(t_or(k, k), t(v) if v else "") for k, v in HELP]


#: how the grade reads for the player of each side
LEVEL_VERDICT = {
    ("japan", "japan_decisive"): "end.decisive", ("japan", "japan_marginal"): "end.marginal",
    ("china", "china_decisive"): "end.decisive", ("china", "china_marginal"): "end.marginal",
}
LEVEL_COLOUR = {"japan_decisive": (255, 120, 100), "japan_marginal": (245, 160, 120), "draw": (220, 210, 160),
                "china_marginal": (150, 200, 240), "china_decisive": (120, 180, 255)}


def _panel(screen, rect, alpha=235):
    s = pygame.Surface(rect.size, pygame.SRCALPHA)
    s.fill((22, 26, 32, alpha))
    screen.blit(s, rect.topleft)
    pygame.draw.rect(screen, (230, 180, 80), rect, 2, border_radius=6)


def _modal(screen, w: int, h: int, dim_alpha: int, panel_alpha: int = 235) -> pygame.Rect:
    """Dim the screen and draw a centred panel of at most ``w`` x ``h``; returns its rect."""
    W, H = screen.get_size()
    dim = pygame.Surface((W, H), pygame.SRCALPHA)
    dim.fill((0, 0, 0, dim_alpha))
    screen.blit(dim, (0, 0))
    w, h = min(w, W - 40), min(h, H - 40)
    rect = pygame.Rect((W - w) // 2, (H - h) // 2, w, h)
    _panel(screen, rect, panel_alpha)
    return rect


SENTENCE_ENDS = tuple(".!?。！？")


def help_paragraphs() -> list[str]:
    """The rules under the keys as paragraphs: a line goes on from the one before when it starts
    with a space or a small letter or the one before stops mid-sentence (a comma, no full stop).
    Chinese lines join without a space."""
    out: list[str] = []
    for key in RULES:
        line = t(key)
        if out and (line[:1].isspace() or line[:1].islower() or not out[-1].endswith(SENTENCE_ENDS)):
            rest = line.strip()
            out[-1] += rest if not rest.isascii() or not out[-1].isascii() else " " + rest
        else:
            out.append(line.strip())
    return out


def draw_help(screen) -> list[str]:
    """The keys and, below them or (in a short window) beside them, the rules; returns the rule
    lines drawn (all of them unless the window is too small even for two columns)."""
    rows = help_rows()
    keys_h = sum(19 if v else 22 for _, v in rows)
    rules = [t(k) for k in RULES]
    W, H = screen.get_size()
    side = 56 + keys_h + 8 + 18 * len(rules) + 30 > min(700, H - 40)  # no room below: the rules go beside
    rect = _modal(screen, 1000 if side else 860, 700, dim_alpha=120)
    title = fonts.text(t("help.title"), 22, (240, 200, 110), True)
    screen.blit(title, (rect.x + 20, rect.y + 14))
    y = rect.y + 56
    x = rect.x + 24
    col2 = x + 190
    right = col2
    for k, v in rows:
        if not v:
            screen.blit(fonts.text(k, 15, (240, 200, 110), True), (x, y))
            y += 22
            continue
        screen.blit(fonts.text(k, 14, (255, 255, 255), True), (x, y))
        val = fonts.text(v, 14, (215, 210, 198))
        screen.blit(val, (col2, y))
        right = max(right, col2 + val.get_width())
        y += 19
    if side:
        rx, ry = right + 28, rect.y + 60
        lines = [ln for para in help_paragraphs() for ln in wrap_px(para, 13, rect.right - 20 - rx) + [""]][:-1]
    else:
        rx, ry, lines = x, y + 8, rules
    drawn = []
    for line in lines:
        if ry > rect.bottom - 30:
            break
        screen.blit(fonts.text(line, 13, (180, 190, 205)), (rx, ry))
        drawn.append(line)
        ry += 18 if line else 8
    foot = fonts.text(t("help.close"), 13, (170, 165, 150))
    screen.blit(foot, (rect.right - foot.get_width() - 16, rect.bottom - 24))
    return drawn


def end_headline(app) -> tuple[str, str | None, object]:
    """The end screen's title (the grade, or 'in progress'), the verdict for the human's side
    (None when nobody or both play, or the campaign goes on) and the engine's grade."""
    from engine.api import victory_level

    st = app.session.state
    grade = victory_level(st)
    grade_name = t_or(f"level.{grade.level}", grade.name)
    if st.over:
        title = grade_name
    else:
        title = t("end.in_progress", turn=st.turn, n=app.game.n_turns,
                  grade=grade_name[:1].lower() + grade_name[1:] if lang() == "en" else grade_name)  # names keep their capital
    human = app.config.side
    verdict = None
    if st.over and human in ("japan", "china"):
        verdict = t(LEVEL_VERDICT.get((human, grade.level), "end.draw" if grade.level == "draw" else "end.defeat"))
    return title, verdict, grade


def draw_end(screen, app) -> None:
    """The end-of-campaign report: the graded result and why, compared with 1945."""
    from engine.api import result

    st = app.session.state
    r = result(st)
    title, verdict, grade = end_headline(app)
    grade_name = t_or(f"level.{grade.level}", grade.name)
    rect = _modal(screen, 920, 590, dim_alpha=140, panel_alpha=245)
    gold = (240, 200, 110)
    white = (240, 238, 230)
    grey = (175, 170, 160)
    screen.blit(fonts.text(title, 26, LEVEL_COLOUR.get(grade.level, gold) if st.over else gold, True),
                (rect.x + 24, rect.y + 16))
    if verdict is not None:
        good = (app.config.side, grade.level) in LEVEL_VERDICT
        v = fonts.text(verdict, 22, (140, 220, 140) if good else (220, 210, 160) if grade.level == "draw"
                       else (255, 120, 100), True)
        screen.blit(v, (rect.right - v.get_width() - 24, rect.y + 20))
    why = t("end.why", reasons=t("end.why_sep").join(victory_reasons(app.namer, grade)))
    y = rect.y + 56
    for line in wrap_px(why, 14, rect.w - 48):
        screen.blit(fonts.text(line, 14, white), (rect.x + 24, y))
        y += 19
    lj = losses_total(r.losses.get("japan", {}))
    lc = losses_total(r.losses.get("china", {}))
    sj = r.losses.get("japan", {}).get("sick", 0)
    h = history_1945(app.game)
    west = "end.west_of_start"
    rows = [
        ("", t("end.col_game"), t("end.col_1945")),
        (t("end.row.result"), grade_name, t(f"level.{app.game.scenario.history.level}")),
        (t("end.row.airfield"), t("end.airfield", held=t("end.held" if r.zhijiang_held else "end.lost"),
                                  status=word("airfield", r.airfield_status)), h["airfield"]),
        (t("end.row.closest"), t("unit.km", km=r.closest_km), h["closest_approach"]),
        (t("end.row.deepest"), t(west, km=r.max_penetration_km), h["deepest_penetration"]),
        (t("end.row.final"), t(west, km=r.final_penetration_km), h["final_position"]),
        (t("end.row.china_losses"), f"{lc:,}", h["chinese_casualties"]),
        (t("end.row.japan_losses"), f"{lj:,}", h["japanese_battle_casualties"]),
        (t("end.row.japan_sick"), f"{sj:,}", h["japanese_sick"]),
        (t("end.row.ended"), t("end.ended", date=r.end_date, turn=r.turns), h["ended"]),
    ]
    y += 8
    c1, c2, c3 = rect.x + 24, rect.x + 290, rect.x + 560
    for i, (a, b, c) in enumerate(rows):
        f = 15
        bold = i == 0
        col = gold if i == 0 else white
        screen.blit(fonts.text(a, f, gold if i else grey, True), (c1, y))
        screen.blit(fonts.text(b, f, col, bold), (c2, y))
        screen.blit(fonts.text(c, f, grey if i else gold, bold), (c3, y))
        y += 30 if i == 0 else 26
    notes = [t(f"end.note{i}") for i in range(1, 6)]
    y += 10
    for n in notes:
        screen.blit(fonts.text(n, 13, grey), (c1, y))
        y += 19
    y += 8
    for line in wrap_px(grades_text(app.game.scenario.victory_levels), 13, rect.w - 48):
        screen.blit(fonts.text(line, 13, (200, 196, 186)), (c1, y))
        y += 18
    foot = fonts.text(t("end.foot"), 13, (170, 165, 150))
    screen.blit(foot, (rect.right - foot.get_width() - 16, rect.bottom - 26))


def grades_text(levels) -> str:
    """The grading rules in words, with the scenario's thresholds ([victory_levels])."""
    return t("end.grades", draw_km=levels.draw_min_final_km, decisive_km=levels.china_decisive_max_final_km,
             ratio=levels.china_decisive_max_loss_ratio)


def wrap_px(text: str, size: int, width: int, bold: bool = False) -> list[str]:
    """``text`` in lines at most ``width`` px wide in the UI font, broken where the line-breaking
    rule allows (game.ui_text.wrap_px: English between words, Chinese between characters)."""
    from .ui_text import wrap_px as wrap

    font = fonts.font(size, bold)
    return wrap(text, width, lambda s: font.size(s)[0])


LANGS = {"English": "en", "中文": "zh", "English + 中文": "both"}  # each in its own script


def speed_options() -> dict[str, str]:
    return {t(f"speed.{k}"): k for k in ("slow", "normal", "fast", "instant")}


def onoff_options() -> dict[str, bool]:
    return {t("settings.on"): True, t("settings.off"): False}


class SettingsWindow:
    """A small pygame_gui window: names language, AI speed, map toggles."""

    def __init__(self, app):
        self.app = app
        W, H = app.screen.get_size()
        w, h = 420, 368
        self.window = UIWindow(pygame.Rect((W - w) // 2, (H - h) // 2, w, h), app.ui, t("settings.title"),
                               object_id="#settings", resizable=False)
        s = app.settings
        onoff = onoff_options()
        rows = [("lang", LANGS), ("ai_speed", speed_options()), ("grid", onoff), ("river_sides", onoff),
                ("labels", onoff), ("zoc", onoff), ("supply", onoff)]
        self.menus = {}
        y = 10
        for key, options in rows:
            UILabel(pygame.Rect(10, y, 150, 30), t(f"settings.{key}"), app.ui, container=self.window)
            cur = next((k for k, v in options.items() if v == s[key]), list(options)[0])
            dd = UIDropDownMenu(list(options), cur, pygame.Rect(170, y, 210, 30), app.ui, container=self.window)
            self.menus[dd] = (key, options)
            y += 38
        self.close_btn = UIButton(pygame.Rect(270, y + 4, 110, 30), t("button.close"), app.ui, container=self.window)

    @property
    def alive(self) -> bool:
        return self.window.alive()

    def handle(self, event) -> bool:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element in self.menus:
            key, options = self.menus[event.ui_element]
            self.app.set_setting(key, options[event.text])
            return True
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.close_btn:
            self.window.kill()
            return True
        return False

    def close(self) -> None:
        self.window.kill()
