"""Modal screens: keyboard help, settings (pygame_gui window) and the end-of-campaign report."""
from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UIWindow

from . import fonts
from .texts import SIDE_EN, history_1945, losses_total

HELP = [
    ("Mouse", ""),
    ("Left click a unit", "select it (again: next unit in the stack)"),
    ("Left click a lit hex", "move the selected unit there"),
    ("Right click a lit hex", "move there, also onto your own units"),
    ("Right click elsewhere, Esc", "cancel selection (Esc first ends a sliding counter)"),
    ("Drag (any button)", "pan the map"),
    ("Wheel", "zoom about the pointer"),
    ("Keys", ""),
    ("Arrows / WASD", "pan"),
    ("+ / −, Home", "zoom in / out, whole map"),
    ("E", "end the phase"),
    ("Tab", "next unit that can act"),
    ("C", "centre on the selected unit"),
    ("Enter", "confirm attack / fly mission"),
    ("1 2 3, [ ]", "air mission kind, sorties −/+ 10"),
    ("Ctrl+Z", "undo the last move"),
    ("F5 / F9", "quick save / quick load"),
    ("Ctrl+S / Ctrl+O", "save as / load…"),
    ("Space", "end the sliding counters; finish the AI's phase at once"),
    ("G R N Z", "toggle hex grid, river sides, names, ZOC"),
    ("U", "supply and control overlay"),
    ("L", "names: English / 中文 / both"),
    ("F1 or ?", "this help"),
    ("F2", "campaign result"),
    ("F10", "settings"),
    ("Ctrl+Q", "quit"),
]

RULES = [
    "A turn is two days. Japan plays air, movement and combat; then China does.",
    "Entering an enemy zone of control ends a move; leaving one costs nothing extra,",
    "but a unit may not go straight from one enemy ZOC hex into another.",
    "Roads cost less and bridge rivers; rivers and mountains slow and shield.",
    "Units out of supply (red dot, 'U' when zoomed in) fight weaker and fall sick faster.",
    "A red stripe and 'R': routed in a battle this turn; amber and 'D': driven back (retreated).",
    "  The losses and the retreat are already applied: the mark tells you who was beaten where.",
    "Japan wins by taking the Zhijiang airfield, or by keeping troops close",
    "enough for long enough that it must be destroyed. Otherwise China wins.",
    "The result is graded (F2): decisive or marginal for either side, or a draw.",
]

#: how the grade reads for the player of each side
LEVEL_VERDICT = {
    ("japan", "japan_decisive"): "Decisive victory!", ("japan", "japan_marginal"): "Marginal victory",
    ("china", "china_decisive"): "Decisive victory!", ("china", "china_marginal"): "Marginal victory",
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


def draw_help(screen) -> None:
    rect = _modal(screen, 860, 700, dim_alpha=120)
    t = fonts.text("Xuefeng — controls  雪峰山 · 湘西会战", 22, (240, 200, 110), True)
    screen.blit(t, (rect.x + 20, rect.y + 14))
    y = rect.y + 56
    x = rect.x + 24
    col2 = x + 190
    for k, v in HELP:
        if not v:
            screen.blit(fonts.text(k, 15, (240, 200, 110), True), (x, y))
            y += 22
            continue
        screen.blit(fonts.text(k, 14, (255, 255, 255), True), (x, y))
        screen.blit(fonts.text(v, 14, (215, 210, 198)), (col2, y))
        y += 19
    ry = y + 8
    for line in RULES:
        if ry > rect.bottom - 30:
            break
        screen.blit(fonts.text(line, 13, (180, 190, 205)), (x, ry))
        ry += 18
    foot = fonts.text("Press F1, ? or Esc to close", 13, (170, 165, 150))
    screen.blit(foot, (rect.right - foot.get_width() - 16, rect.bottom - 24))


def draw_end(screen, app) -> None:
    """The end-of-campaign report: the graded result and why, compared with 1945."""
    from engine.api import LEVEL_NAMES, result, victory_level

    st = app.session.state
    r = result(st)
    grade = victory_level(st)
    rect = _modal(screen, 920, 590, dim_alpha=140, panel_alpha=245)
    if st.over:
        title = grade.name
    else:
        title = f"Campaign in progress — turn {st.turn} of {app.game.n_turns} (so far: {grade.name.lower()})"
    gold = (240, 200, 110)
    white = (240, 238, 230)
    grey = (175, 170, 160)
    screen.blit(fonts.text(title, 26, LEVEL_COLOUR.get(grade.level, gold) if st.over else gold, True),
                (rect.x + 24, rect.y + 16))
    human = app.config.side
    if st.over and human in ("japan", "china"):
        verdict = LEVEL_VERDICT.get((human, grade.level), "Draw" if grade.level == "draw" else "Defeat")
        good = (human, grade.level) in LEVEL_VERDICT
        v = fonts.text(verdict, 22, (140, 220, 140) if good else (220, 210, 160) if grade.level == "draw"
                       else (255, 120, 100), True)
        screen.blit(v, (rect.right - v.get_width() - 24, rect.y + 20))
    why = "Why: " + "; ".join(grade.reasons) + "."
    y = rect.y + 56
    for line in _wrap(why, 118):
        screen.blit(fonts.text(line, 14, white), (rect.x + 24, y))
        y += 19
    lj = losses_total(r.losses.get("japan", {}))
    lc = losses_total(r.losses.get("china", {}))
    sj = r.losses.get("japan", {}).get("sick", 0)
    h = history_1945(app.game)
    rows = [
        ("", "This game", "1945"),
        ("Result", grade.name, LEVEL_NAMES[app.game.scenario.history.level]),
        ("Zhijiang airfield", f"{'held' if r.zhijiang_held else 'lost'} ({r.airfield_status})", h["airfield"]),
        ("Japanese closest approach", f"{r.closest_km:.0f} km", h["closest_approach"]),
        ("Japanese deepest penetration", f"{r.max_penetration_km:.0f} km west of start line", h["deepest_penetration"]),
        ("Japanese at the end", f"{r.final_penetration_km:.0f} km west of start line", h["final_position"]),
        ("Chinese casualties", f"{lc:,}", h["chinese_casualties"]),
        ("Japanese battle casualties", f"{lj:,}", h["japanese_battle_casualties"]),
        ("Japanese sick", f"{sj:,}", h["japanese_sick"]),
        ("Ended", f"{r.end_date} (turn {r.turns})", h["ended"]),
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
    notes = [
        "1945: the Japanese 20th Army (about 80,000 men) attacked from Shaoyang on three axes on 13 April.",
        "The Chinese held the Xuefeng passes, flew the New 6th Corps into Zhijiang, and counter-attacked",
        "from 3 May; on 9 May the offensive was called off and by 7 June the Japanese were back where they began.",
        "Japanese losses are disputed: 11,000 admitted at first; Chinese claims reach 36,358 killed or wounded;",
        "24,640–27,372 more fell sick. China lost about 21,000 (7,817 killed).",
    ]
    y += 10
    for n in notes:
        screen.blit(fonts.text(n, 13, grey), (c1, y))
        y += 19
    y += 8
    for line in _wrap(grades_text(app.game.scenario.victory_levels), 130):
        screen.blit(fonts.text(line, 13, (200, 196, 186)), (c1, y))
        y += 18
    foot = fonts.text("Esc / F2: back to the map    Ctrl+Q: quit", 13, (170, 165, 150))
    screen.blit(foot, (rect.right - foot.get_width() - 16, rect.bottom - 26))


def grades_text(t) -> str:
    """The grading rules in words, with the scenario's thresholds ([victory_levels])."""
    return (f"Grades: Japan wins decisively by taking the airfield, marginally by forcing its destruction. "
            f"Otherwise a draw if the Japanese end {t.draw_min_final_km:.0f} km or more west of their start line; "
            f"a decisive Chinese victory if they end within {t.china_decisive_max_final_km:.0f} km of it and China "
            f"lost at most {t.china_decisive_max_loss_ratio:.2f} men per Japanese loss (battle and sick); "
            f"else a marginal Chinese victory.")


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


LANGS = {"English": "en", "中文": "zh", "English + 中文": "both"}
SPEEDS = {"Slow": "slow", "Normal": "normal", "Fast": "fast", "Instant": "instant"}
ONOFF = {"On": True, "Off": False}


class SettingsWindow:
    """A small pygame_gui window: names language, AI speed, map toggles."""

    def __init__(self, app):
        self.app = app
        W, H = app.screen.get_size()
        w, h = 420, 368
        self.window = UIWindow(pygame.Rect((W - w) // 2, (H - h) // 2, w, h), app.ui, "Settings",
                               object_id="#settings", resizable=False)
        s = app.settings
        rows = [
            ("Names", "lang", LANGS),
            ("AI speed", "ai_speed", SPEEDS),
            ("Hex grid", "grid", ONOFF),
            ("River hex sides", "river_sides", ONOFF),
            ("Place names", "labels", ONOFF),
            ("Enemy ZOC shading", "zoc", ONOFF),
            ("Supply overlay (U)", "supply", ONOFF),
        ]
        self.menus = {}
        y = 10
        for label, key, options in rows:
            UILabel(pygame.Rect(10, y, 150, 30), label, app.ui, container=self.window)
            cur = next((k for k, v in options.items() if v == s[key]), list(options)[0])
            dd = UIDropDownMenu(list(options), cur, pygame.Rect(170, y, 210, 30), app.ui, container=self.window)
            self.menus[dd] = (key, options)
            y += 38
        self.close_btn = UIButton(pygame.Rect(270, y + 4, 110, 30), "Close", app.ui, container=self.window)

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
