"""The editor's map view: the game's own terrain tiles (:class:`game.map_layer.MapLayer`),
place markers and names (:class:`game.labels.PlaceLabels`) and counters
(:class:`game.counters.CounterArt`) drawn from the scenario being edited, plus the editor's
overlays (selection, brush footprint, start-hex markers for units that arrive later)."""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pygame

from .. import fonts
from ..camera import Camera
from ..counters import CounterArt
from ..labels import PlaceLabels
from ..map_layer import MapLayer

SELECT = (255, 222, 89)
BRUSH = (80, 220, 240)
WARN = (255, 120, 60)


class MapView:
    def __init__(self, document, rect: pygame.Rect):
        self.doc = document
        self.rect = pygame.Rect(rect)
        self._game = SimpleNamespace(map=document.map, scenario=document.scenario_view())
        self.layer = MapLayer(self._game)
        g = document.map.grid
        self.camera = Camera(tuple(self.rect), self.layer.world_w, self.layer.world_h, hex_width_km=g.width)
        self.counters = CounterArt(self._game)
        self.labels = PlaceLabels(self._game, self.counters.side_rgb)
        self.first_frame = True
        self.unit_rects: dict[str, pygame.Rect] = {}
        self._corner = np.array([(math.cos(math.radians(60 * i - 90)), math.sin(math.radians(60 * i - 90)))
                                 for i in range(6)]) * g.size

    # ----------------------------------------------------------------- data changes
    def refresh_map(self, hexes=None, vectors: bool = True) -> None:
        """After a map edit (or undo): new terrain tiles for ``hexes``, new place labels
        (a map edit leaves the scenario as it was, so its parsed view is kept)."""
        self._game = SimpleNamespace(map=self.doc.map, scenario=self._game.scenario)
        self.layer.refresh(self._game, hexes, vectors)
        if vectors:
            self.labels = PlaceLabels(self._game, self.counters.side_rgb)

    def refresh_scenario(self) -> None:
        self._game.scenario = self.doc.scenario_view()
        self.counters = CounterArt(self._game)
        self.labels = PlaceLabels(self._game, self.counters.side_rgb)

    def resize(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.camera.set_view(tuple(self.rect))

    # ----------------------------------------------------------------- geometry
    def hex_at(self, pos) -> int:
        if not self.rect.collidepoint(pos):
            return -1
        return int(self.doc.map.grid.at_point(*self.camera.screen_to_world(*pos)))

    def hex_center(self, h: int) -> tuple[float, float]:
        m = self.doc.map
        return self.camera.world_to_screen(float(m.x_km[h]), float(m.y_km[h]))

    def hex_poly(self, h: int) -> list[tuple[float, float]]:
        cx, cy = self.hex_center(h)
        k = self.camera.scale
        return [(cx + dx * k, cy + dy * k) for dx, dy in self._corner]

    def unit_at(self, pos) -> str | None:
        for uid, r in reversed(list(self.unit_rects.items())):
            if r.collidepoint(pos):
                return uid
        return None

    # --------------------------------------------------------------------- drawing
    def draw(self, screen: pygame.Surface, units: list[dict], control: dict, selected: tuple,
             footprint: list[int], drag: tuple | None, lang: str = "both", busy: bool = False, alerts=()) -> None:
        cam = self.camera
        clip = screen.get_clip()
        screen.set_clip(self.rect)
        self.layer.draw(screen, cam, max_new=64 if self.first_frame else 4)
        if self.layer._overview is None and not busy:  # not mid-stroke: it redraws the whole map
            self.layer.overview(cam.levels[0])
        self.first_frame = False
        state = SimpleNamespace(control=control, airfield_status="operational")
        self.labels.draw(screen, cam, state, lang, True)
        self._draw_units(screen, units, selected)
        for h in alerts:  # hexes the problem list warns about (stacking, both sides)
            if 0 <= h < self.doc.map.count:
                pygame.draw.polygon(screen, WARN, self.hex_poly(h), 2)
        for h in footprint:
            pygame.draw.polygon(screen, BRUSH, self.hex_poly(h), 2)
        kind, key = selected if selected else (None, None)
        if kind == "hex" and isinstance(key, int) and key >= 0:
            pygame.draw.polygon(screen, WARN, self.hex_poly(key), 3)
        if kind == "place" and key in self.doc.map.places:
            pygame.draw.polygon(screen, SELECT, self.hex_poly(self.doc.map.places[key].hex), 3)
        if drag is not None:
            what, ident, pos = drag
            h = self.hex_at(pos)
            if h >= 0:
                pygame.draw.polygon(screen, SELECT, self.hex_poly(h), 3)
            label = fonts.text(f"{ident} -> hex {h}", 14, (255, 255, 255), True)
            screen.blit(label, (pos[0] + 14, pos[1] + 10))
        screen.set_clip(clip)

    def _draw_units(self, screen, units: list[dict], selected: tuple) -> None:
        cam = self.camera
        size = CounterArt.size_for(cam.hex_px)
        step = max(3, size // 8)
        by_hex: dict[int, list[dict]] = {}
        for u in units:
            if u.get("_hex", -1) >= 0:
                by_hex.setdefault(u["_hex"], []).append(u)
        self.unit_rects = {}
        sel_id = selected[1] if selected and selected[0] == "unit" else None
        for h, us in by_hex.items():
            cx, cy = self.hex_center(h)
            if not self.rect.inflate(size * 2, size * 2).collidepoint(cx, cy):
                continue
            us = sorted(us, key=lambda u: (u.get("id") == sel_id, u.get("men", 0) if isinstance(u.get("men"), int) else 0))
            n = len(us)
            for i, u in enumerate(us):
                off = (i - (n - 1)) * step
                r = pygame.Rect(0, 0, size, size)
                r.center = (int(cx - off), int(cy + off))
                men = u.get("men") if isinstance(u.get("men"), int) else 0
                unit = SimpleNamespace(id=str(u.get("id")), side=u.get("side"), men=max(0, men), fatigue=0.0,
                                       supplied=True, fort=0)
                udef = SimpleNamespace(name=str(u.get("name", u.get("id"))))
                surf = self.counters.surface(unit, udef, size, spent=bool(u.get("_later")))
                screen.blit(surf, r)
                if u.get("id") == sel_id:
                    pygame.draw.rect(screen, SELECT, r.inflate(4, 4), 3)
                self.unit_rects[str(u.get("id"))] = r
