"""Place markers and names (English and/or Chinese), decluttered per zoom level.

Markers sit at the centre of the place's hex (where the rules count it) and are filled
with the colour of the side that controls the place now, so the front line reads at a
glance.  Names are placed below-right of the marker; a label that would overlap one of
higher priority (airfield, then cities, key places, towns, peaks) is left out at that zoom.
The choice of labels depends only on the zoom level and the language, so it is computed
once per level and reused while panning.
"""
from __future__ import annotations

import re

import pygame

from . import fonts

KIND_PRIORITY = {"airfield": 0, "city": 1, "town": 3, "peak": 4}
INK = (28, 26, 22)


def short_name(s: str) -> str:
    """'Shaoyang (Baoqing)' -> 'Shaoyang'; 'Subaoding, main peak of ...' -> 'Subaoding'."""
    s = s.split(",")[0]
    s = re.sub(r"\s*[(（].*?[)）]", "", s)
    return s.strip()


class PlaceLabels:
    def __init__(self, game, side_rgb: dict):
        self.game = game
        self.side_rgb = side_rgb
        m = game.map
        key_places = set(getattr(getattr(game.scenario, "victory", None), "key_places", []) or [])
        self.places = []
        for p in m.places.values():
            pri = KIND_PRIORITY.get(p.kind, 3)
            if p.key in key_places and pri > 2:
                pri = 2
            self.places.append((pri, p))
        self.places.sort(key=lambda t: (t[0], t[1].key))
        self._layout_cache: dict = {}

    def label_lines(self, p, lang: str, detailed: bool) -> list[tuple[str, int, bool]]:
        """(text, font size, bold) lines for a place."""
        en = p.name_en if detailed else short_name(p.name_en)
        zh = p.name_zh if detailed else short_name(p.name_zh)
        big = p.kind in ("city", "airfield")
        size = 14 if big else 12
        if lang == "zh":
            return [(zh or en, size + 1, big)]
        if lang == "en":
            return [(en, size, big)]
        return [(en, size, big), (zh, size - 1, False)] if zh else [(en, size, big)]

    def _label_surface(self, p, lang: str, detailed: bool) -> pygame.Surface:
        lines = [fonts.halo_text(t, s, INK, (250, 247, 236), b, 1) for t, s, b in self.label_lines(p, lang, detailed)]
        w = max(s.get_width() for s in lines)
        h = sum(s.get_height() - 3 for s in lines) + 3
        out = pygame.Surface((w, h), pygame.SRCALPHA)
        y = 0
        for s in lines:
            out.blit(s, (0, y))
            y += s.get_height() - 3
        return out

    def layout(self, scale: float, hex_px: float, lang: str) -> list:
        """[(place, label surface, dx, dy)] with offsets in px from the hex centre at ``scale``."""
        key = (round(scale, 6), lang)
        if key in self._layout_cache:
            return self._layout_cache[key]
        m = self.game.map
        detailed = hex_px >= 60
        max_pri = 1 if hex_px < 14 else 2 if hex_px < 22 else 4
        placed: list[pygame.Rect] = []
        out = []
        for pri, p in self.places:
            if pri > max_pri and p.kind != "airfield":
                continue
            surf = self._label_surface(p, lang, detailed)
            cx, cy = m.x_km[p.hex] * scale, m.y_km[p.hex] * scale
            r_mark = max(self.marker_radius(p, hex_px), int(min(64, max(15, hex_px * 0.72)) / 2) + 2)
            candidates = [
                (r_mark + 2, -surf.get_height() // 2),  # right
                (-surf.get_width() // 2, int(hex_px * 0.42)),  # below the counter
                (-surf.get_width() - r_mark - 2, -surf.get_height() // 2),  # left
                (-surf.get_width() // 2, -int(hex_px * 0.42) - surf.get_height()),  # above
            ]
            if hex_px >= 60:
                candidates = [candidates[1], candidates[3], candidates[0], candidates[2]]
            for dx, dy in candidates:
                r = pygame.Rect(int(cx + dx), int(cy + dy), surf.get_width(), surf.get_height())
                if r.inflate(4, 2).collidelist(placed) < 0:
                    placed.append(r)
                    out.append((p, surf, dx, dy))
                    break
        self._layout_cache[key] = out
        return out

    @staticmethod
    def marker_radius(p, hex_px: float) -> int:
        base = 3 if hex_px < 16 else 4 if hex_px < 40 else 6
        if p.kind in ("city", "airfield"):
            base += 1
        return base

    def draw(self, target: pygame.Surface, camera, state, lang: str, show_names: bool = True) -> None:
        hex_px = camera.hex_px
        scale = camera.levels[camera.level_index()]
        k = camera.scale / scale
        m = self.game.map
        vx, vy, w, h = camera.view
        view = pygame.Rect(vx - 60, vy - 30, w + 120, h + 60)
        control = state.control
        # markers
        for pri, p in self.places:
            sx, sy = camera.world_to_screen(m.x_km[p.hex], m.y_km[p.hex])
            if not view.collidepoint(sx, sy):
                continue
            owner = control.get(p.key)
            fill = self.side_rgb.get(owner, (240, 240, 230))
            r = self.marker_radius(p, hex_px)
            if p.kind == "airfield":
                self._draw_airfield(target, sx, sy, r + 3, fill, getattr(state, "airfield_status", "operational"))
            elif p.kind == "city":
                rect = pygame.Rect(0, 0, 2 * r + 1, 2 * r + 1)
                rect.center = (int(sx), int(sy))
                pygame.draw.rect(target, fill, rect)
                pygame.draw.rect(target, INK, rect, 2)
            elif p.kind == "peak":
                pts = [(sx, sy - r - 1), (sx + r + 1, sy + r), (sx - r - 1, sy + r)]
                pygame.draw.polygon(target, (120, 90, 60), pts)
                pygame.draw.polygon(target, INK, pts, 1)
            else:
                pygame.draw.circle(target, fill, (sx, sy), r)
                pygame.draw.circle(target, INK, (sx, sy), r, 2 if r >= 4 else 1)
        if not show_names:
            return
        for p, surf, dx, dy in self.layout(scale, scale * self.game.map.grid.width, lang):
            sx, sy = camera.world_to_screen(m.x_km[p.hex], m.y_km[p.hex])
            if not view.collidepoint(sx, sy):
                continue
            target.blit(surf, (int(sx + dx * k), int(sy + dy * k)))

    @staticmethod
    def _draw_airfield(target, sx, sy, r, fill, status) -> None:
        ring = (200, 30, 30) if status != "operational" else INK
        pygame.draw.circle(target, fill, (sx, sy), r)
        pygame.draw.circle(target, ring, (sx, sy), r, 2)
        # a stylised aeroplane: fuselage and wings
        pygame.draw.line(target, INK, (sx, sy - r + 3), (sx, sy + r - 3), 2)
        pygame.draw.line(target, INK, (sx - r + 3, sy - 1), (sx + r - 3, sy - 1), 2)
        pygame.draw.line(target, INK, (sx - r // 2, sy + r - 4), (sx + r // 2, sy + r - 4), 2)
        if status == "captured":
            pygame.draw.line(target, (200, 30, 30), (sx - r, sy - r), (sx + r, sy + r), 3)
            pygame.draw.line(target, (200, 30, 30), (sx - r, sy + r), (sx + r, sy - r), 3)
