"""The board renderer: terrain tiles, order overlays, place labels, counters, AI highlights.

It reads the session's state and never changes it.  Order of drawing:
terrain -> air missions -> reachable hexes / enemy zones of control / combat targets ->
place markers and names -> counters (stacks offset) -> selection outlines, hover path,
AI highlights.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pygame

from engine.api import combat_marks, supply_line, supply_reach

from . import fonts
from .counters import CounterArt
from .i18n import t as tr
from .labels import PlaceLabels
from .map_layer import MapLayer

YELLOW = (255, 222, 89)
ORANGE = (255, 150, 40)
RED = (220, 40, 30)
CYAN = (80, 220, 240)
MISSION_COLORS = {"support": (255, 200, 60), "interdict": (240, 80, 60), "cap": (90, 200, 255)}
MISSION_TAGS = {"support": "SUP", "interdict": "INT", "cap": "CAP"}
#: a small aeroplane seen from above, nose up, in units of the badge's height
PLANE = ((0.0, -0.5), (0.09, -0.3), (0.09, -0.08), (0.5, 0.1), (0.5, 0.2), (0.09, 0.1), (0.07, 0.34), (0.22, 0.46),
         (0.22, 0.52), (0.0, 0.46), (-0.22, 0.52), (-0.22, 0.46), (-0.07, 0.34), (-0.09, 0.1), (-0.5, 0.2),
         (-0.5, 0.1), (-0.09, -0.08), (-0.09, -0.3))


class Board:
    def __init__(self, game):
        self.game = game
        self.map = MapLayer(game)
        self.counters = CounterArt(game)
        self.labels = PlaceLabels(game, self.counters.side_rgb)
        g = game.map.grid
        self._corner_unit = g.layout.corner_offsets()
        self._overlay: pygame.Surface | None = None
        self.show_labels = True
        self.show_zoc = True
        self.show_supply = False
        self._zoc_cache = (None, None)
        self._supply_cache = (None, None)
        self._marks_cache = (None, {})

    # ---------------------------------------------------------------- geometry
    def hex_center(self, camera, h: int) -> tuple[float, float]:
        m = self.game.map
        return camera.world_to_screen(float(m.x_km[h]), float(m.y_km[h]))

    def hex_poly(self, camera, h: int, shrink: float = 1.0) -> list[tuple[float, float]]:
        cx, cy = self.hex_center(camera, h)
        k = camera.scale * shrink
        return [(cx + dx * k, cy + dy * k) for dx, dy in self._corner_unit]

    def hex_box(self, camera, h: int) -> pygame.Rect:
        """The screen rectangle around hex ``h``."""
        xs, ys = zip(*self.hex_poly(camera, h))
        return pygame.Rect(int(min(xs)), int(min(ys)), int(max(xs) - min(xs)) + 1, int(max(ys) - min(ys)) + 1)

    def hex_at(self, camera, pos) -> int:
        x, y = camera.screen_to_world(*pos)
        return int(self.game.map.grid.at_point(x, y))

    def stack_order(self, units, selected=None) -> list:
        """Units of one hex bottom-to-top: the selected unit, else the strongest, on top."""
        return sorted(units, key=lambda u: (u.id == selected, u.men))

    def counter_rects(self, camera, state, selected=None) -> dict[str, pygame.Rect]:
        """Screen rectangle of every active unit's counter (for hit-testing and tests)."""
        size = CounterArt.size_for(camera.hex_px)
        step = max(3, size // 8)
        by_hex: dict[int, list] = {}
        for u in state.units:
            if u.status == "active" and u.hex >= 0:
                by_hex.setdefault(u.hex, []).append(u)
        out = {}
        for h, us in by_hex.items():
            cx, cy = self.hex_center(camera, h)
            order = self.stack_order(us, selected)
            n = len(order)
            for i, u in enumerate(order):
                off = (i - (n - 1)) * step
                r = pygame.Rect(0, 0, size, size)
                r.center = (int(cx - off), int(cy + off))
                out[u.id] = r
        return out

    # ------------------------------------------------------------------- draw
    def draw(self, screen: pygame.Surface, camera, app) -> None:
        session = app.session
        state = session.state
        vx, vy, w, h = camera.view
        clip = screen.get_clip()
        screen.set_clip(pygame.Rect(vx, vy, w, h))
        max_new = 64 if app.first_frame else 3
        self.missing_tiles = self.map.draw(screen, camera, max_new=max_new)
        if self.map._overview is None:
            self.map.overview(camera.levels[0])
        self._draw_fills(screen, camera, app)
        if self.show_supply:
            self._draw_supply(screen, camera, app)
        rects = self.counter_rects(camera, state, session.selected)
        keep_clear = [*rects.values(), *(r for r, _ in self.mission_badges(camera, state))]
        self.labels.draw(screen, camera, state, app.settings["lang"], self.show_labels, keep_clear)
        self._draw_missions(screen, camera, st=state)  # under the counters: a badge never hides a unit
        self._draw_units(screen, camera, app, rects)
        self.labels.draw_backed(screen)
        self._draw_tops(screen, camera, app)
        screen.set_clip(clip)

    def _overlay_surface(self, camera) -> pygame.Surface:
        _, _, w, h = camera.view
        if self._overlay is None or self._overlay.get_size() != (w, h):
            self._overlay = pygame.Surface((w, h), pygame.SRCALPHA)
        self._overlay.fill((0, 0, 0, 0))
        return self._overlay

    def _local(self, camera, pts):
        vx, vy = camera.view[0], camera.view[1]
        return [(x - vx, y - vy) for x, y in pts]

    def _visible(self, camera, h: int, margin: float = 40) -> bool:
        x, y = self.hex_center(camera, h)
        vx, vy, w, hh = camera.view
        return vx - margin <= x <= vx + w + margin and vy - margin <= y <= vy + hh + margin

    def _draw_fills(self, screen, camera, app) -> None:
        s = app.session
        st = s.state
        need = bool(st.missions) or (s.selected and s.reach) or s.attackers or s.air_target is not None
        if not need:
            return
        ov = self._overlay_surface(camera)
        # air missions of both sides (radius of effect)
        for mis in st.missions:
            col = MISSION_COLORS.get(mis.get("kind"), (255, 255, 255))
            t = int(mis.get("target", -1))
            if t < 0 or not self._visible(camera, t, 400):
                continue
            rad_hex = 2 if mis.get("kind") == "interdict" else 1
            cx, cy = self.hex_center(camera, t)
            r = (rad_hex + 0.5) * camera.hex_px
            c = (cx - camera.view[0], cy - camera.view[1])
            pygame.draw.circle(ov, (*col, 28), c, r)
            pygame.draw.circle(ov, (*col, 150), c, r, 2)
        if s.selected and s.reach and st.phase == "move":
            side = st.unit(s.selected).side
            zkey = (s.rev, side)
            if self._zoc_cache[0] != zkey:
                self._zoc_cache = (zkey, s.enemy_zoc(side))
            zoc = self._zoc_cache[1]
            # dim the map, then cut the reachable hexes (and the unit's own) out of the shade
            ov.fill((10, 14, 20, 95))
            own = st.unit(s.selected).hex
            for hx in [own, *s.reach]:
                if not self._visible(camera, hx):
                    continue
                poly = self._local(camera, self.hex_poly(camera, hx, 1.0))
                pygame.draw.polygon(ov, (255, 255, 255, 0), poly)
                if camera.hex_px >= 18:
                    pygame.draw.polygon(ov, (255, 236, 140, 120), self._local(camera, self.hex_poly(camera, hx, 0.93)), 1)
            if self.show_zoc:
                for hx in np.nonzero(zoc)[0]:
                    hx = int(hx)
                    if not self._visible(camera, hx):
                        continue
                    poly = self._local(camera, self.hex_poly(camera, hx, 0.92))
                    pygame.draw.polygon(ov, (200, 30, 20, 55), poly)
                    if camera.hex_px >= 22:
                        # hatching: two diagonal strokes
                        cx, cy = self.hex_center(camera, hx)
                        cx -= camera.view[0]
                        cy -= camera.view[1]
                        d = camera.hex_px * 0.28
                        for o in (-d, 0, d):
                            pygame.draw.line(ov, (200, 30, 20, 120), (cx - d + o, cy + d), (cx + d + o, cy - d), 2)
        if st.phase == "combat" and s.attackers:
            nbrs = None
            for uid in s.attackers:
                u = st.unit(uid)
                nb = set(int(n) for n in self.game.map.nbr[u.hex] if n >= 0)
                nbrs = nb if nbrs is None else nbrs & nb
            for hx in sorted(nbrs or ()):
                if any(x.side != st.side for x in s.units_at(hx)):
                    poly = self._local(camera, self.hex_poly(camera, hx, 0.95))
                    pygame.draw.polygon(ov, (255, 60, 40, 70), poly)
        if s.air_target is not None and st.phase == "air":
            rad = 2 if s.air_kind == "interdict" else 1
            cx, cy = self.hex_center(camera, s.air_target)
            col = MISSION_COLORS.get(s.air_kind, CYAN)
            pygame.draw.circle(ov, (*col, 45), (cx - camera.view[0], cy - camera.view[1]), (rad + 0.5) * camera.hex_px)
        screen.blit(ov, camera.view[:2])

    def supply_side(self, app) -> str:
        """Whose supply the overlay shows: the selected unit's side, else the side to move."""
        s = app.session
        return s.state.unit(s.selected).side if s.selected else s.state.side

    def _draw_supply(self, screen, camera, app) -> None:
        """The supply and control overlay: the hexes one side's sources reach (tinted), every
        unit's status (green ring in supply, red cut off), who holds each place (a flag in its
        colour) and the selected unit's supply line."""
        s = app.session
        st = s.state
        side = self.supply_side(app)
        key = (s.rev, id(st), side)
        if self._supply_cache[0] != key:
            self._supply_cache = (key, np.nonzero(supply_reach(st, side))[0])
        reach = self._supply_cache[1]
        ov = self._overlay_surface(camera)
        tint = (*self.counters.side_rgb.get(side, (120, 200, 120)), 46)
        for hx in reach:
            hx = int(hx)
            if self._visible(camera, hx):
                pygame.draw.polygon(ov, tint, self._local(camera, self.hex_poly(camera, hx, 1.0)))
        for u in st.units:
            if u.status != "active" or u.hex < 0 or not self._visible(camera, u.hex):
                continue
            cx, cy = self.hex_center(camera, u.hex)
            col = (60, 200, 90, 230) if u.supplied else (230, 40, 30, 240)
            pygame.draw.circle(ov, col, (cx - camera.view[0], cy - camera.view[1]), camera.hex_px * 0.5, 3)
        for k, p in self.game.map.places.items():
            owner = st.control.get(k)
            if owner is None or not self._visible(camera, p.hex):
                continue
            cx, cy = self.hex_center(camera, p.hex)
            x, y = cx - camera.view[0] - camera.hex_px * 0.42, cy - camera.view[1] - camera.hex_px * 0.42
            pygame.draw.line(ov, (20, 20, 20, 255), (x, y), (x, y + 14), 2)
            pygame.draw.rect(ov, (*self.counters.side_rgb.get(owner, (200, 200, 200)), 255), (x + 1, y, 10, 7))
        if s.selected:
            line = supply_line(st, s.selected)
            if line is not None and len(line.hexes) >= 2:
                pts = self._local(camera, [self.hex_center(camera, h) for h in line.hexes])
                col = (60, 200, 90, 255) if line.supplied else (230, 40, 30, 255)
                pygame.draw.lines(ov, (20, 20, 20, 255), False, pts, 6)
                pygame.draw.lines(ov, col, False, pts, 3)
        screen.blit(ov, camera.view[:2])

    def _draw_units(self, screen, camera, app, rects: dict[str, pygame.Rect]) -> None:
        s = app.session
        st = s.state
        size = CounterArt.size_for(camera.hex_px)
        vx, vy, w, h = camera.view
        view = pygame.Rect(vx - size, vy - size, w + 2 * size, h + 2 * size)
        shadow = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.rect(shadow, (0, 0, 0, 90), shadow.get_rect(), border_radius=max(2, size // 10))
        # draw bottom-of-stack first: order by stack position (rects already encode it)
        order = []
        by_hex: dict[int, list] = {}
        for u in st.units:
            if u.status == "active" and u.hex >= 0:
                by_hex.setdefault(u.hex, []).append(u)
        for hx, us in by_hex.items():
            order.extend(self.stack_order(us, s.selected))
        defs = self.game.units
        idx = self.game.unit_index
        marks = self.marks(st, s.rev)
        rects = dict(rects)
        slides = app.anim.centres(lambda hx: self.hex_center(camera, hx)) if getattr(app, "anim", None) else {}
        for uid, (x, y) in slides.items():  # sliding counters: along the path, keeping their place in the stack
            fx, fy = self.hex_center(camera, st.unit(uid).hex)
            rects[uid] = rects[uid].move(round(x - fx), round(y - fy))
        order.sort(key=lambda u: u.id in slides)  # drawn over the others
        for u in order:
            r = rects[u.id]
            if not view.colliderect(r):
                continue
            spent = (u.side == st.side and ((st.phase == "move" and u.mp <= 0 and u.moved) or
                                            (st.phase == "combat" and u.attacked)))
            surf = self.counters.surface(u, defs[idx[u.id]], size, spent, marks.get(u.id))
            screen.blit(shadow, (r.x + 2, r.y + 2))
            screen.blit(surf, r.topleft)
        # selection outlines
        if s.selected and s.selected in rects:
            r = rects[s.selected].inflate(4, 4)
            pygame.draw.rect(screen, YELLOW, r, 3, border_radius=4)
        for uid in s.attackers:
            if uid in rects:
                pygame.draw.rect(screen, ORANGE, rects[uid].inflate(6, 6), 3, border_radius=4)
        self.rects = rects

    def marks(self, st, rev) -> dict[str, str]:
        """This turn's combat marks (routed / retreated), recomputed when the session changes."""
        key = (rev, id(st))
        if self._marks_cache[0] != key:
            self._marks_cache = (key, combat_marks(st))
        return self._marks_cache[1]

    def mission_badges(self, camera, st) -> list[tuple[pygame.Rect, dict]]:
        """Screen rectangle of each air mission's badge (side colour, plane, kind and sorties)
        at the upper right of its target hex; several missions over one hex stack downwards."""
        out, per_hex = [], {}
        h_px = max(16, min(24, int(camera.hex_px * 0.32)))
        for mis in st.missions:
            t = int(mis.get("target", -1))
            if t < 0:
                continue
            k = per_hex.get(t, 0)
            per_hex[t] = k + 1
            cx, cy = self.hex_center(camera, t)
            label = f"{MISSION_TAGS.get(mis.get('kind'), '?')} {int(mis.get('sorties', 0))}"
            w = h_px + fonts.font(max(10, h_px - 6), True).size(label)[0] + 8
            r = pygame.Rect(0, 0, w, h_px)
            r.bottomleft = (int(cx + camera.hex_px * 0.2), int(cy - camera.hex_px * 0.15 + k * (h_px + 2)))
            out.append((r, mis))
        return out

    def _draw_missions(self, screen, camera, st) -> None:
        vx, vy, w, h = camera.view
        view = pygame.Rect(vx, vy, w, h)
        for r, mis in self.mission_badges(camera, st):
            if not view.colliderect(r):
                continue
            side_col = self.counters.side_rgb.get(mis.get("side"), (200, 200, 200))
            kind_col = MISSION_COLORS.get(mis.get("kind"), (255, 255, 255))
            lum = 0.299 * side_col[0] + 0.587 * side_col[1] + 0.114 * side_col[2]
            fg = (20, 20, 20) if lum > 140 else (250, 250, 245)
            pygame.draw.rect(screen, side_col, r, border_radius=4)
            pygame.draw.rect(screen, kind_col, r, 2, border_radius=4)
            s = r.h * 0.8
            px, py = r.x + r.h / 2 + 1, r.centery
            pygame.draw.polygon(screen, fg, [(px + x * s, py + y * s) for x, y in PLANE])
            label = f"{MISSION_TAGS.get(mis.get('kind'), '?')} {int(mis.get('sorties', 0))}"
            t = fonts.text(label, max(10, r.h - 6), fg, True)
            screen.blit(t, (r.x + r.h + 2, r.centery - t.get_height() // 2))

    def _draw_tops(self, screen, camera, app) -> None:
        s = app.session
        st = s.state
        now = time.monotonic()
        # hover path for a possible move
        hv = app.hover_hex
        if st.phase == "move" and s.selected and hv is not None and hv in s.reach:
            u = st.unit(s.selected)
            pts = [self.hex_center(camera, u.hex)] + [self.hex_center(camera, x) for x in s.reach[hv]]
            if len(pts) >= 2:
                pygame.draw.lines(screen, (30, 30, 30), False, pts, 6)
                pygame.draw.lines(screen, YELLOW, False, pts, 3)
                pygame.draw.circle(screen, YELLOW, pts[-1], max(5, camera.hex_px * 0.12))
                label = fonts.halo_text(tr("board.path_hexes", n=len(pts) - 1), 13, (20, 20, 20), (255, 240, 170), True)
                screen.blit(label, (pts[-1][0] + 8, pts[-1][1] - 22))
        # combat target
        if st.phase == "combat" and s.target is not None:
            poly = self.hex_poly(camera, s.target, 1.0)
            pygame.draw.polygon(screen, RED, poly, 4)
            for uid in s.attackers:
                a = self.hex_center(camera, st.unit(uid).hex)
                b = self.hex_center(camera, s.target)
                self._arrow(screen, a, b, RED, camera)
        if st.phase == "air" and s.air_target is not None:
            poly = self.hex_poly(camera, s.air_target, 1.0)
            pygame.draw.polygon(screen, MISSION_COLORS.get(s.air_kind, CYAN), poly, 3)
        # hover outline
        if hv is not None and hv >= 0 and camera.hex_px >= 14:
            pygame.draw.polygon(screen, (255, 255, 255), self.hex_poly(camera, hv, 1.0), 1)
        # AI highlight
        hl = app.ai.highlight
        if hl is not None and now - hl.get("t0", 0) < max(1.2, app.ai_delay() * 2.5):
            age = now - hl["t0"]
            pulse = 0.5 + 0.5 * math.sin(age * 10)
            col = self.counters.side_rgb.get(hl.get("side"), (255, 255, 255))
            bright = tuple(min(255, int(c * 0.5 + 128)) for c in col)
            if hl["type"] == "move" and len(hl.get("path", [])) >= 2:
                pts = [self.hex_center(camera, x) for x in hl["path"]]
                pygame.draw.lines(screen, (20, 20, 20), False, pts, 7)
                pygame.draw.lines(screen, bright, False, pts, 4)
                self._arrow(screen, pts[-2], pts[-1], bright, camera, head_only=True)
                pygame.draw.polygon(screen, YELLOW, self.hex_poly(camera, hl["path"][-1]), 3)
            elif hl["type"] == "attack":
                b = self.hex_center(camera, hl["target"])
                for uid in hl.get("units", []):
                    u = st.unit(uid)
                    if u.hex >= 0:
                        self._arrow(screen, self.hex_center(camera, u.hex), b, RED, camera)
                pygame.draw.polygon(screen, RED, self.hex_poly(camera, hl["target"]), 3 + int(3 * pulse))
            elif hl["type"] == "air":
                b = self.hex_center(camera, hl["target"])
                rad = (2.5 if hl.get("kind") == "interdict" else 1.5) * camera.hex_px
                pygame.draw.circle(screen, MISSION_COLORS.get(hl.get("kind"), CYAN), b, rad * (0.8 + 0.2 * pulse), 3)

    def _arrow(self, screen, a, b, col, camera, head_only: bool = False) -> None:
        ax, ay = a
        bx, by = b
        dx, dy = bx - ax, by - ay
        d = math.hypot(dx, dy)
        if d < 1:
            return
        ux, uy = dx / d, dy / d
        tip = (bx - ux * camera.hex_px * 0.25, by - uy * camera.hex_px * 0.25)
        if not head_only:
            pygame.draw.line(screen, (20, 20, 20), a, tip, 6)
            pygame.draw.line(screen, col, a, tip, 3)
        hs = max(7.0, camera.hex_px * 0.16)
        left = (tip[0] - ux * hs - uy * hs * 0.6, tip[1] - uy * hs + ux * hs * 0.6)
        right = (tip[0] - ux * hs + uy * hs * 0.6, tip[1] - uy * hs - ux * hs * 0.6)
        pygame.draw.polygon(screen, col, [tip, left, right])
        pygame.draw.polygon(screen, (20, 20, 20), [tip, left, right], 1)
