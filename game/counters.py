"""Unit counters: NATO-style infantry symbols on side-coloured counters.

A counter shows, top to bottom: the size marker (XX division, X brigade, III regiment),
the NATO infantry box (a rectangle with a cross), and the unit's short designation and
strength in thousands of men.  Level of detail: below 26 px the counter keeps the box and
its strength; below 18 px only the box.  Small badges tell a wargamer what matters this turn: a red
"U" when the unit is out of supply, a fatigue bar down the right edge, fortification
pips at the top right, a diagonal stripe with an "R" (routed, red) or "D" (driven back, amber)
badge for a unit beaten in a battle this turn (``engine.api.combat_marks``), and a grey wash
once the unit has spent its movement (movement phase) or attacked (combat phase).  Counters are cached surfaces keyed by everything drawn.
"""
from __future__ import annotations

import re

import pygame

from . import fonts

SIZE_MARKS = {
    "division": "XX", "brigade": "X", "regiment": "III", "battalion": "II", "group": "III+",
    "corps": "XXX", "army": "XXXX",
}
DEFAULT_SIDE_RGB = {"japan": (176, 141, 87), "china": (91, 115, 147)}
#: combat marks (engine.api.combat_marks): badge letter, stripe and badge colour, letter colour
#: (a routed unit is white and red, so it reads on red and blue counters alike and apart from the red
#: out-of-supply dot)
MARKS = {"routed": ("R", (250, 250, 245), (210, 20, 20)), "retreated": ("D", (240, 160, 30), (30, 24, 10))}


def parse_color(c, default):
    if isinstance(c, str) and re.match(r"^#[0-9A-Fa-f]{6}$", c):
        return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
    return default


def _lum(rgb) -> float:
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b


def _mix(a, b, t):
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))


def designation(name: str) -> str:
    """Short counter label from a unit name: '116th Division' -> '116', 'New 22nd Division' -> 'N22'."""
    m = re.search(r"(\d+)", name)
    if not m:
        words = [w for w in re.split(r"\W+", name) if w]
        return "".join(w[0] for w in words[:3]).upper()
    num = m.group(1)
    sub = re.search(r"\((?:[^)]*?)(\d+)", name[m.end():])
    if sub:
        num = f"{num}/{sub.group(1)}"
    pre = name[: m.start()].lower()
    if "new" in pre:
        return "N" + num
    if "provisional" in pre or "prov" in pre:
        return "P" + num
    return num


def strength_text(men: int) -> str:
    k = men / 1000.0
    if k >= 9.95:
        return f"{k:.0f}"
    return f"{k:.1f}"


class CounterArt:
    """Draws and caches counters for one game."""

    def __init__(self, game):
        self.game = game
        sides = getattr(game.scenario, "sides", {}) or {}
        self.side_rgb = {}
        for s in ("japan", "china"):
            sp = sides.get(s) if isinstance(sides, dict) else None
            self.side_rgb[s] = parse_color(getattr(sp, "color", None), DEFAULT_SIDE_RGB[s])
        self._cache: dict = {}

    def colors(self, side: str):
        base = self.side_rgb.get(side, (150, 150, 150))
        dark = _mix(base, (0, 0, 0), 0.55)
        light = _mix(base, (255, 255, 255), 0.55)
        ink = (20, 20, 20) if _lum(base) > 140 else (248, 248, 240)
        return base, dark, light, ink

    @staticmethod
    def size_for(hex_px: float) -> int:
        return int(max(15, min(64, hex_px * 0.72)))

    def surface(self, unit, udef, size: int, spent: bool = False, mark: str | None = None) -> pygame.Surface:
        """The counter of ``unit`` at ``size`` px; ``mark`` is its combat mark this turn, if any."""
        fat = int(min(1.0, unit.fatigue) * 5 + 0.5)
        key = (unit.id, size, unit.men // 100, bool(unit.supplied), fat, int(unit.fort), bool(spent), mark)
        s = self._cache.get(key)
        if s is None:
            if len(self._cache) > 3000:
                self._cache.clear()
            s = self._draw(unit, udef, size, spent, fat, mark if mark in MARKS else None)
            self._cache[key] = s
        return s

    def _draw(self, unit, udef, S: int, spent: bool, fat: int, beaten: str | None = None) -> pygame.Surface:
        base, dark, light, ink = self.colors(unit.side)
        surf = pygame.Surface((S, S), pygame.SRCALPHA)
        rect = pygame.Rect(0, 0, S, S)
        # a little bevel: lighter top-left, darker bottom-right
        pygame.draw.rect(surf, base, rect, border_radius=max(2, S // 10))
        pygame.draw.rect(surf, dark, rect, width=1, border_radius=max(2, S // 10))
        if S >= 24:
            pygame.draw.line(surf, _mix(base, (255, 255, 255), 0.35), (2, 1), (S - 3, 1))
        small = S < 26
        tiny = S < 18  # below this a counter is a coloured chip with the NATO box only
        # NATO infantry box (at small sizes it shrinks to the top half so the strength fits below)
        bw = int(S * (0.66 if tiny else 0.56 if small else 0.6))
        bh = int(S * (0.42 if tiny else 0.3 if small else 0.34))
        bx = (S - bw) // 2
        by = (S - bh) // 2 if tiny else max(2, int(S * 0.1)) if small else int(S * 0.27)
        box = pygame.Rect(bx, by, bw, bh)
        pygame.draw.rect(surf, light, box)
        lw = 1 if S < 36 else 2
        pygame.draw.rect(surf, ink if _lum(light) < 140 else (25, 25, 25), box, width=lw)
        xcol = (25, 25, 25)
        pygame.draw.line(surf, xcol, box.topleft, (box.right - 1, box.bottom - 1), lw)
        pygame.draw.line(surf, xcol, (box.left, box.bottom - 1), (box.right - 1, box.top), lw)
        if beaten:  # under the words, so the strength stays readable
            self._draw_stripe(surf, beaten)
        if small and not tiny:  # mid zoom: the strength, as large as the chip allows
            st = fonts.text(strength_text(unit.men), max(9, int(S * 0.46)), ink, True)
            surf.blit(st, ((S - st.get_width()) // 2, box.bottom + max(0, (S - box.bottom - st.get_height()) // 2)))
        if not small:
            mark = SIZE_MARKS.get(getattr(udef, "size", ""), "")
            if mark:
                t = fonts.text(mark, max(7, int(S * 0.2)), ink, True)
                surf.blit(t, ((S - t.get_width()) // 2, max(0, by - t.get_height() + int(S * 0.04))))
            fs = max(8, int(S * 0.27))
            st = fonts.text(strength_text(unit.men), fs, ink, True)
            y = box.bottom + max(0, (S - box.bottom - st.get_height()) // 2) - 1
            if S >= 38:
                d = fonts.text(designation(getattr(udef, "name", unit.id)), max(7, int(S * 0.21)), ink, False)
                surf.blit(d, (max(2, int(S * 0.08)), y + (st.get_height() - d.get_height()) // 2 + 1))
                surf.blit(st, (S - st.get_width() - max(3, int(S * 0.1)), y))
            else:
                surf.blit(st, ((S - st.get_width()) // 2, y))
        # fortification pips (top right)
        if unit.fort > 0 and S >= 22:
            r = max(2, S // 18)
            for i in range(min(int(unit.fort), 4)):
                cx = S - 3 - r - i * (2 * r + 1)
                pygame.draw.rect(surf, (70, 50, 30), (cx - r, 3, 2 * r, 2 * r))
        # fatigue bar (right edge)
        if fat > 0:
            h = int((S - 6) * fat / 5)
            col = (230, 200, 40) if fat <= 2 else (230, 120, 30) if fat <= 3 else (210, 40, 30)
            pygame.draw.rect(surf, (30, 30, 30), (S - 5, 3, 3, S - 6))
            pygame.draw.rect(surf, col, (S - 5, S - 3 - h, 3, h))
        # out of supply badge (top left)
        if not unit.supplied:
            r = max(4, S // 7)
            pygame.draw.circle(surf, (200, 30, 30), (r + 1, r + 1), r)
            pygame.draw.circle(surf, (255, 255, 255), (r + 1, r + 1), r, 1)
            if r >= 6:
                t = fonts.text("U", int(r * 1.5), (255, 255, 255), True)
                surf.blit(t, (r + 1 - t.get_width() // 2, r + 1 - t.get_height() // 2))
        if beaten and S >= 22:
            self._draw_badge(surf, beaten, 0 if unit.supplied else 2 * max(4, S // 7) + 1)
        if spent:
            wash = pygame.Surface((S, S), pygame.SRCALPHA)
            pygame.draw.rect(wash, (60, 60, 60, 110), wash.get_rect(), border_radius=max(2, S // 10))
            surf.blit(wash, (0, 0))
        return surf

    @staticmethod
    def _draw_stripe(surf: pygame.Surface, mark: str) -> None:
        """A combat mark's diagonal stripe across the counter."""
        _, band_col, ink = MARKS[mark]
        S = surf.get_width()
        band = pygame.Surface((S, S), pygame.SRCALPHA)
        a, b = (int(S * 0.1), int(S * 0.9)), (int(S * 0.9), int(S * 0.1))
        wide = max(3, S // 6)
        pygame.draw.line(band, (20, 20, 20, 170), a, b, wide + 2)
        pygame.draw.line(band, (*band_col, 200), a, b, wide)
        if mark == "routed":
            pygame.draw.line(band, (*ink, 230), a, b, max(1, wide // 3))
        surf.blit(band, (0, 0))

    @staticmethod
    def _draw_badge(surf: pygame.Surface, mark: str, x: int) -> None:
        """A combat mark's lettered badge at the top left (``x`` right of the out-of-supply dot)."""
        letter, band_col, ink = MARKS[mark]
        r = max(6, surf.get_width() // 6)
        c = (x + r + 1, r + 1)
        pygame.draw.circle(surf, band_col, c, r)
        pygame.draw.circle(surf, (20, 20, 20), c, r, 1)
        t = fonts.text(letter, max(9, int(r * 1.6)), ink, True)
        surf.blit(t, (c[0] - t.get_width() // 2, c[1] - t.get_height() // 2 + 1))

    def clear(self) -> None:
        self._cache.clear()
