"""Place markers and names (English and/or Chinese), decluttered per zoom level.

Markers sit at the centre of the place's hex (where the rules count it) and are filled
with the colour of the side that controls the place now, so the front line reads at a
glance.  Which names are shown depends only on the zoom level and the language (a label
that would overlap one of higher priority - airfield, then cities, key places, towns, peaks -
is left out at that zoom), so it is computed once per level and reused while panning.
Where each shown name goes is decided every frame: the first of its slots around the place
(right, below, left, above, the corners, then the same further out) that stays inside the map
view and clear of the counters and of the names already placed; when none is, the name goes
in the slot least covered by counters on a paper backing drawn over them.
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
        self.drawn: list = []  # the names of the last frame: (place, surface, screen rect, backed)
        self.backed: list = []

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

    @staticmethod
    def slots(w: int, h: int, r_mark: int, hex_px: float) -> list[tuple[int, int]]:
        """Offsets (px from the hex centre to the label's top left) of the places a ``w`` x ``h``
        label may go: right, below, left, above, the four corners, then all of them further out."""
        out = []
        for far in (0.0, 0.55 * hex_px):
            r = int(r_mark + 2 + far)
            below, above = int(hex_px * 0.42 + far), -int(hex_px * 0.42 + far) - h
            out += [(r, -h // 2), (-w // 2, below), (-w - r, -h // 2), (-w // 2, above),
                    (r, below - h // 2), (r, above + h // 2), (-w - r, below - h // 2), (-w - r, above + h // 2)]
        return out

    def layout(self, scale: float, hex_px: float, lang: str) -> list:
        """[(place, label surface, slots)] for the names shown at ``scale``: slots are offsets in px
        from the hex centre at ``scale``, the one chosen among the labels alone first."""
        key = (round(scale, 6), lang)
        if key in self._layout_cache:
            return self._layout_cache[key]
        m = self.game.map
        detailed = hex_px >= 60
        max_pri = 1 if hex_px < 14 else 2 if hex_px < 22 else 4
        placed: list[pygame.Rect] = [self.marker_rect(p, m.x_km[p.hex] * scale, m.y_km[p.hex] * scale, hex_px)
                                     for _, p in self.places]  # no name over a place's marker
        out = []
        for pri, p in self.places:
            if pri > max_pri and p.kind != "airfield":
                continue
            surf = self._label_surface(p, lang, detailed)
            cx, cy = m.x_km[p.hex] * scale, m.y_km[p.hex] * scale
            r_mark = max(self.marker_radius(p, hex_px), int(min(64, max(15, hex_px * 0.72)) / 2) + 2)
            slots = self.slots(surf.get_width(), surf.get_height(), r_mark, hex_px)
            first = slots[:4] if hex_px < 60 else [slots[1], slots[3], slots[0], slots[2]]
            w, h = surf.get_size()

            def clear(sl, cx=cx, cy=cy, w=w, h=h):
                return pygame.Rect(int(cx + sl[0]), int(cy + sl[1]), w, h).inflate(4, 2).collidelist(placed) < 0

            if p.kind == "airfield":  # the objective's name is never left out: any clear slot, else the first
                chosen = next((sl for sl in (*first, *slots) if clear(sl)), first[0])
            else:
                chosen = next((sl for sl in first if clear(sl)), None)
                if chosen is None:
                    continue
            placed.append(pygame.Rect(int(cx + chosen[0]), int(cy + chosen[1]), w, h))
            out.append((p, surf, [chosen] + [sl for sl in slots if sl != chosen]))
        self._layout_cache[key] = out
        return out

    def place(self, camera, counters: list[pygame.Rect], lang: str) -> list[tuple[object, pygame.Surface, pygame.Rect, bool]]:
        """Where each shown name goes this frame: [(place, surface, screen rect, backed)]; ``backed``
        when no slot is clear of ``counters`` (the name is then drawn over them on a backing)."""
        scale = camera.levels[camera.level_index()]
        k = camera.scale / scale
        m = self.game.map
        vx, vy, w, h = camera.view
        view = pygame.Rect(vx, vy, w, h)
        near = view.inflate(120, 60)
        hex_px = camera.hex_px
        placed: list[pygame.Rect] = []
        for _, p in self.places:
            sx, sy = camera.world_to_screen(m.x_km[p.hex], m.y_km[p.hex])
            if near.collidepoint(sx, sy):
                placed.append(self.marker_rect(p, sx, sy, hex_px))
        counters = [c for c in counters if near.colliderect(c)]
        out = []
        for p, surf, slots in self.layout(scale, scale * self.game.map.grid.width, lang):
            sx, sy = camera.world_to_screen(m.x_km[p.hex], m.y_km[p.hex])
            if not near.collidepoint(sx, sy):
                continue
            sw, sh = surf.get_size()
            rects = [pygame.Rect(int(sx + dx * k), int(sy + dy * k), sw, sh) for dx, dy in slots]
            inside = [r for r in rects if view.contains(r)] or rects
            best, clear_somewhere = None, False
            for r in inside:  # the first slot clear of counters and of the names placed so far
                if r.collidelist(counters) < 0:
                    clear_somewhere = True
                    if r.inflate(4, 2).collidelist(placed) < 0:
                        best = r
                        break
            if best is None and clear_somewhere:
                if p.kind != "airfield":
                    continue  # clear of counters only where another name already is: leave it out
                best = next(r for r in inside if r.collidelist(counters) < 0)  # the objective's name stays
            backed = best is None
            if backed:
                best = min(inside[:8], key=lambda r: sum(_overlap(r, c) for c in counters))
            placed.append(best)
            out.append((p, surf, best, backed))
        return out

    def marker_rect(self, p, sx: float, sy: float, hex_px: float) -> pygame.Rect:
        """The screen square a place's marker covers (with the airfield's larger ring)."""
        r = self.marker_radius(p, hex_px) + (3 if p.kind == "airfield" else 1)
        return pygame.Rect(int(sx) - r, int(sy) - r, 2 * r + 1, 2 * r + 1)

    @staticmethod
    def marker_radius(p, hex_px: float) -> int:
        base = 3 if hex_px < 16 else 4 if hex_px < 40 else 6
        if p.kind in ("city", "airfield"):
            base += 1
        return base

    def draw(self, target: pygame.Surface, camera, state, lang: str, show_names: bool = True,
             counters: list[pygame.Rect] | None = None) -> None:
        """Place markers, then the names (kept clear of ``counters``, screen rects, where they can be)."""
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
        if show_names:
            self.draw_names(target, camera, lang, counters or [])
        else:
            self.drawn, self.backed = [], []

    def draw_names(self, target: pygame.Surface, camera, lang: str, counters: list[pygame.Rect]) -> None:
        """The names clear of the counters; those that found no clear slot are kept in ``self.backed``
        for :meth:`draw_backed` to draw over the counters."""
        self.drawn = self.place(camera, counters, lang)
        self.backed = [(surf, r) for _, surf, r, backed in self.drawn if backed]
        for _, surf, r, backed in self.drawn:
            if not backed:
                target.blit(surf, r.topleft)

    def draw_backed(self, target: pygame.Surface) -> None:
        """Names with no slot clear of the counters, on a paper backing (drawn after the counters)."""
        for surf, r in getattr(self, "backed", ()):
            plate = pygame.Surface(r.inflate(4, 2).size, pygame.SRCALPHA)
            plate.fill((250, 247, 236, 215))
            target.blit(plate, r.inflate(4, 2).topleft)
            pygame.draw.rect(target, INK, r.inflate(4, 2), 1)
            target.blit(surf, r.topleft)

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


def _overlap(a: pygame.Rect, b: pygame.Rect) -> int:
    c = a.clip(b)
    return c.w * c.h
