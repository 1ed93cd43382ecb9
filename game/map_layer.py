"""The static map layer: shaded relief, terrain tint, hex grid, rivers and roads.

Everything here depends only on ``game.map`` (and the scenario's terrain colours), so it is
drawn once per zoom level and tile and cached:

* at start-up a base raster (``BASE_PPK`` px per km) holds a smoothed elevation surface
  (nearest-hex elevations blurred over about half a hex) and its hillshade (light from
  the north-west);
* a tile (``TILE`` px square) at zoom level ``scale`` is made in numpy: each pixel takes
  its hex's terrain colour (crisp hexes, so the rules' terrain is visible) times the
  smooth hillshade, with hex outlines where neighbouring pixels fall in different hexes;
  rivers (smooth polylines, major ones thicker) and roads (the road hex sides the rules
  use) are drawn over it with pygame.

Tiles are made on demand, a few per frame, with the whole-map overview scaled up standing
in for tiles not made yet, so panning never stalls.
"""
from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pygame
from scipy.ndimage import gaussian_filter

TILE = 512
BASE_PPK = 2.0  # base raster resolution, px per km
BACKGROUND = (34, 40, 48)
RIVER_BLUE = (52, 104, 170)
RIVER_SIDE_BLUE = (70, 140, 220)
ROAD_RED = (122, 74, 44)
ROAD_CASING = (246, 236, 210)

DEFAULT_TERRAIN_RGB = {
    "plain": (196, 208, 150),
    "hills": (186, 184, 128),
    "mountain": (160, 142, 104),
    "high_mountain": (150, 136, 122),
}
# hypsometric ramp (metres -> colour), blended with the terrain colour
ELEV_RAMP = [
    (0, (152, 186, 122)),
    (250, (186, 202, 140)),
    (500, (214, 204, 150)),
    (800, (198, 170, 124)),
    (1200, (168, 140, 108)),
    (1800, (196, 190, 184)),
]


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))


class MapLayer:
    """Cached terrain tiles for every zoom level of one game's map."""

    def __init__(self, game, max_tiles: int = 160):
        self.game = game
        m = game.map
        self.grid = m.grid
        g = m.grid
        self.hex_width = g.width
        self.world_w, self.world_h = g.world_size
        self.max_tiles = max_tiles
        self._tiles: OrderedDict = OrderedDict()
        self.show_grid = True
        self.show_river_sides = True
        self._hex_colors = self._make_hex_colors()
        self._corner_unit = g.layout.corner_offsets()
        self._make_base()
        self._prepare_vectors()
        self._overview: pygame.Surface | None = None
        self._overview_scale = 0.0
        self.tiles_made = 0

    # ------------------------------------------------------------------- colours
    def _terrain_rgb(self) -> list[tuple[int, int, int]]:
        names = self.game.map.terrain_names
        out = []
        terrain = getattr(self.game.scenario, "terrain", {}) or {}
        for n in names:
            t = terrain.get(n) if isinstance(terrain, dict) else None
            col = getattr(t, "color", None) if t is not None else None
            out.append(hex_rgb(col) if isinstance(col, str) and col.startswith("#") else DEFAULT_TERRAIN_RGB.get(n, (180, 180, 160)))
        return out

    def _make_hex_colors(self) -> np.ndarray:
        m = self.game.map
        trgb = np.array(self._terrain_rgb(), dtype=np.float32)
        elev = m.elevation_m.astype(np.float32)
        xs = np.array([e for e, _ in ELEV_RAMP], dtype=np.float32)
        ramp = np.stack([np.interp(elev, xs, [c[i] for _, c in ELEV_RAMP]) for i in range(3)], axis=1)
        col = 0.68 * trgb[m.terrain] + 0.32 * ramp
        col = col * 0.74 + 255 * 0.26  # a pale map makes the counters stand out
        return np.clip(col, 0, 255).astype(np.float32)

    # ---------------------------------------------------------------- base raster
    def _make_base(self) -> None:
        """Smoothed elevation and its hillshade on a coarse raster, kept as two surfaces:
        ``_shade_dark`` (multiply, <= 1) and ``_shade_light`` (add, the sunlit slopes)."""
        m = self.game.map
        w = int(math.ceil(self.world_w * BASE_PPK))
        h = int(math.ceil(self.world_h * BASE_PPK))
        g = self.grid
        xs = (np.arange(w) + 0.5) / BASE_PPK
        ys = (np.arange(h) + 0.5) / BASE_PPK
        # off-map pixels take the nearest on-map elevation: clamp into the map's core box
        xs = np.clip(xs, g.width, self.world_w - g.width)
        ys = np.clip(ys, g.size * 1.2, self.world_h - g.size * 1.2)
        X, Y = np.meshgrid(xs, ys)
        hid = g.hex_ids_at(X, Y)
        hid = np.where(hid >= 0, hid, 0)
        elev = m.elevation_m.astype(np.float32)[hid]
        sigma = 0.42 * self.hex_width * BASE_PPK
        elev = gaussian_filter(elev, sigma=sigma, mode="nearest")
        self.elev = elev
        px_m = 1000.0 / BASE_PPK
        dzdy, dzdx = np.gradient(elev, px_m)
        ex = 4.0  # vertical exaggeration: the relief is gentle at this scale
        nx_, ny_ = -dzdx * ex, -dzdy * ex
        norm = np.sqrt(nx_ ** 2 + ny_ ** 2 + 1.0)
        alt = math.radians(45.0)
        lx = ly = -math.cos(alt) / math.sqrt(2.0)
        lz = math.sin(alt)
        shade = (nx_ * lx + ny_ * ly + lz) / norm
        mult = np.clip(shade / lz, 0.6, 1.2)
        self.shade = mult.astype(np.float32)
        self.base_w, self.base_h = w, h
        dark = (np.minimum(mult, 1.0) * 255).astype(np.uint8)
        light = (np.maximum(mult - 1.0, 0.0) * 230).astype(np.uint8)
        self._shade_dark = pygame.image.frombuffer(np.repeat(dark[..., None], 3, axis=2).tobytes(), (w, h), "RGB")
        self._shade_light = pygame.image.frombuffer(np.repeat(light[..., None], 3, axis=2).tobytes(), (w, h), "RGB")

    # -------------------------------------------------------------------- vectors
    def _prepare_vectors(self) -> None:
        m = self.game.map
        self.rivers = []  # (major, ndarray Nx2 km, bbox)
        for r in getattr(m, "river_lines", []) or []:
            major = bool(r.get("major", False))
            for line in r.get("lines", []):
                pts = np.asarray(line, dtype=np.float64)
                if len(pts) < 2:
                    continue
                self.rivers.append((major, pts, (pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max())))
        self.rivers.sort(key=lambda t: t[0])  # minor first, major on top
        road_segs = []
        river_sides = []
        n = m.nbr
        for h, d in zip(*np.nonzero(m.road)):
            o = int(n[h, d])
            if o > h:
                road_segs.append((m.x_km[h], m.y_km[h], m.x_km[o], m.y_km[o]))
        for h, d in zip(*np.nonzero(m.river)):
            o = int(n[h, d])
            if o > h:
                (ax, ay), (bx, by) = self.grid.layout.side_segments(m.x_km[h], m.y_km[h], d).tolist()
                river_sides.append((int(m.river[h, d]), ax, ay, bx, by))
        self.road_segs = np.array(road_segs, dtype=np.float64).reshape(-1, 4)
        self.river_sides = np.array(river_sides, dtype=np.float64).reshape(-1, 5)
        road_hex = np.nonzero(m.road.any(axis=1))[0]
        self.road_nodes = np.stack([m.x_km[road_hex], m.y_km[road_hex]], axis=1) if len(road_hex) else np.zeros((0, 2))

    # ---------------------------------------------------------------------- tiles
    def invalidate(self) -> None:
        self._tiles.clear()
        self._overview = None

    def refresh(self, game, hexes=None, vectors: bool = True) -> None:
        """Take up an edited map (the scenario editor): new terrain colours and (``vectors``)
        rivers and roads; only the cached tiles that show one of ``hexes`` are redrawn (all when None)."""
        self.game = game
        self._hex_colors = self._make_hex_colors()
        if vectors:
            self._prepare_vectors()
        if hexes is None:
            self.invalidate()
            return
        m = game.map
        hs = np.asarray(list(hexes), dtype=np.int64)
        if not len(hs):
            return
        pad = self.grid.size * 1.3
        x0, x1 = m.x_km[hs].min() - pad, m.x_km[hs].max() + pad
        y0, y1 = m.y_km[hs].min() - pad, m.y_km[hs].max() + pad
        for key in [k for k in self._tiles if k[1] * TILE / k[0] <= x1 and (k[1] + 1) * TILE / k[0] >= x0
                    and k[2] * TILE / k[0] <= y1 and (k[2] + 1) * TILE / k[0] >= y0]:
            del self._tiles[key]
        self._overview = None

    def tile(self, scale: float, tx: int, ty: int) -> pygame.Surface:
        key = (round(scale, 6), tx, ty, self.show_grid, self.show_river_sides)
        surf = self._tiles.get(key)
        if surf is not None:
            self._tiles.move_to_end(key)
            return surf
        surf = self._make_tile(scale, tx, ty)
        self._tiles[key] = surf
        self.tiles_made += 1
        while len(self._tiles) > self.max_tiles:
            self._tiles.popitem(last=False)
        return surf

    def has_tile(self, scale: float, tx: int, ty: int) -> bool:
        return (round(scale, 6), tx, ty, self.show_grid, self.show_river_sides) in self._tiles

    def _make_tile(self, scale: float, tx: int, ty: int) -> pygame.Surface:
        T = TILE
        ox, oy = tx * T, ty * T
        surf = pygame.Surface((T, T))
        surf.fill(BACKGROUND)
        m = self.game.map
        x0, y0 = ox / scale, oy / scale
        x1, y1 = (ox + T) / scale, (oy + T) / scale
        pad = self.grid.size * 1.2
        sel = np.nonzero((m.x_km >= x0 - pad) & (m.x_km <= x1 + pad) & (m.y_km >= y0 - pad) & (m.y_km <= y1 + pad))[0]
        if len(sel):
            cx = m.x_km[sel] * scale - ox
            cy = m.y_km[sel] * scale - oy
            corners = self._corner_unit * scale
            px = cx[:, None] + corners[None, :, 0]
            py = cy[:, None] + corners[None, :, 1]
            cols = self._hex_colors[sel].astype(np.int32)
            poly = pygame.draw.polygon
            for i in range(len(sel)):
                pts = list(zip(px[i].tolist(), py[i].tolist()))
                c = cols[i].tolist()
                poly(surf, c, pts)
                poly(surf, c, pts, 1)  # covers the seams between neighbours
            # hillshade: multiply the dark part, add the sunlit part (both smooth, scaled up)
            sx0, sy0 = x0 * BASE_PPK, y0 * BASE_PPK
            k = scale / BASE_PPK
            ix0, iy0 = int(math.floor(sx0)), int(math.floor(sy0))
            ix1 = min(self.base_w, int(math.ceil(x1 * BASE_PPK)) + 1)
            iy1 = min(self.base_h, int(math.ceil(y1 * BASE_PPK)) + 1)
            if ix1 > ix0 and iy1 > iy0 and ix0 < self.base_w and iy0 < self.base_h:
                r = pygame.Rect(ix0, iy0, ix1 - ix0, iy1 - iy0)
                dw, dh = max(1, int(round(r.w * k))), max(1, int(round(r.h * k)))
                dx, dy = int(round((ix0 - sx0) * k)), int(round((iy0 - sy0) * k))
                dark = pygame.transform.smoothscale(self._shade_dark.subsurface(r), (dw, dh))
                light = pygame.transform.smoothscale(self._shade_light.subsurface(r), (dw, dh))
                surf.blit(dark, (dx, dy), special_flags=pygame.BLEND_RGB_MULT)
                surf.blit(light, (dx, dy), special_flags=pygame.BLEND_RGB_ADD)
            hex_px = self.hex_width * scale
            if self.show_grid and hex_px >= 9:
                layer = pygame.Surface((T, T), pygame.SRCALPHA)
                a = 46 if hex_px >= 24 else 30
                lines = pygame.draw.lines
                for i in range(len(sel)):
                    lines(layer, (30, 26, 20, a), True, list(zip(px[i].tolist(), py[i].tolist())), 1)
                surf.blit(layer, (0, 0))
        if pygame.display.get_surface() is not None:
            surf = surf.convert()
        self._draw_vectors(surf, scale, ox, oy)
        return surf

    def _draw_vectors(self, surf: pygame.Surface, scale: float, ox: float, oy: float) -> None:
        T = TILE
        x0, y0 = ox / scale, oy / scale
        x1, y1 = (ox + T) / scale, (oy + T) / scale
        pad = 2.0
        hex_px = self.hex_width * scale

        def tp(x, y):
            return (x * scale - ox, y * scale - oy)

        # river hex sides (what the rules see), faint, only when zoomed in enough
        if self.show_river_sides and hex_px >= 36 and len(self.river_sides):
            rs = self.river_sides
            sel = (np.maximum(rs[:, 1], rs[:, 3]) >= x0 - pad) & (np.minimum(rs[:, 1], rs[:, 3]) <= x1 + pad) & \
                  (np.maximum(rs[:, 2], rs[:, 4]) >= y0 - pad) & (np.minimum(rs[:, 2], rs[:, 4]) <= y1 + pad)
            layer = pygame.Surface((T, T), pygame.SRCALPHA)
            for lvl, ax, ay, bx, by in rs[sel]:
                w = 3 if lvl >= 2 else 2
                pygame.draw.line(layer, (*RIVER_SIDE_BLUE, 95 if lvl >= 2 else 70), tp(ax, ay), tp(bx, by), w)
            surf.blit(layer, (0, 0))

        # rivers: smooth polylines
        for major, pts, (bx0, by0, bx1, by1) in self.rivers:
            if bx1 < x0 - pad or bx0 > x1 + pad or by1 < y0 - pad or by0 > y1 + pad:
                continue
            p = np.empty_like(pts)
            p[:, 0] = pts[:, 0] * scale - ox
            p[:, 1] = pts[:, 1] * scale - oy
            pl = [tuple(q) for q in p.tolist()]
            width = int(round(min(7.0, max(2.0, 0.42 * scale)))) if major else int(round(min(3.5, max(1.0, 0.2 * scale))))
            if width <= 1:
                pygame.draw.aalines(surf, RIVER_BLUE, False, pl)
            else:
                pygame.draw.lines(surf, RIVER_BLUE, False, pl, width)
                if width >= 3:
                    r = width / 2.0
                    for q in pl[1:-1]:
                        pygame.draw.circle(surf, RIVER_BLUE, q, r)
                else:
                    pygame.draw.aalines(surf, RIVER_BLUE, False, pl)

        # roads: the road hex sides of the rules, centre to centre
        if len(self.road_segs):
            rs = self.road_segs
            sel = (np.maximum(rs[:, 0], rs[:, 2]) >= x0 - pad) & (np.minimum(rs[:, 0], rs[:, 2]) <= x1 + pad) & \
                  (np.maximum(rs[:, 1], rs[:, 3]) >= y0 - pad) & (np.minimum(rs[:, 1], rs[:, 3]) <= y1 + pad)
            segs = rs[sel]
            if len(segs):
                w = int(round(min(5.0, max(2.0, 0.3 * scale))))
                nodes = self.road_nodes
                nsel = (nodes[:, 0] >= x0 - pad) & (nodes[:, 0] <= x1 + pad) & (nodes[:, 1] >= y0 - pad) & (nodes[:, 1] <= y1 + pad)
                if hex_px >= 20:
                    for ax, ay, bx, by in segs:
                        pygame.draw.line(surf, ROAD_CASING, tp(ax, ay), tp(bx, by), w + 2)
                    for x, y in nodes[nsel]:
                        pygame.draw.circle(surf, ROAD_CASING, tp(x, y), (w + 2) / 2)
                for ax, ay, bx, by in segs:
                    pygame.draw.line(surf, ROAD_RED, tp(ax, ay), tp(bx, by), w)
                if w >= 3:
                    for x, y in nodes[nsel]:
                        pygame.draw.circle(surf, ROAD_RED, tp(x, y), w / 2)

    # ---------------------------------------------------------------------- drawing
    def tiles_for(self, camera, scale: float) -> list[tuple[int, int, int, int]]:
        """(tx, ty, screen x, screen y) of the tiles covering the viewport at ``scale``."""
        vx, vy, w, h = camera.view
        ox = vx + w / 2 - camera.cx * scale
        oy = vy + h / 2 - camera.cy * scale
        ox_i, oy_i = int(math.floor(ox)), int(math.floor(oy))
        ntx = int(math.ceil(self.world_w * scale / TILE))
        nty = int(math.ceil(self.world_h * scale / TILE))
        tx0 = max(0, int((vx - ox_i) // TILE))
        ty0 = max(0, int((vy - oy_i) // TILE))
        tx1 = min(ntx - 1, int((vx + w - ox_i) // TILE))
        ty1 = min(nty - 1, int((vy + h - oy_i) // TILE))
        out = []
        for ty in range(ty0, ty1 + 1):
            for tx in range(tx0, tx1 + 1):
                out.append((tx, ty, ox_i + tx * TILE, oy_i + ty * TILE))
        return out

    def overview(self, scale: float) -> pygame.Surface:
        """The whole map at ``scale`` (the coarsest zoom level) as one surface."""
        if self._overview is None or abs(self._overview_scale - scale) > 1e-9:
            w = int(math.ceil(self.world_w * scale))
            h = int(math.ceil(self.world_h * scale))
            surf = pygame.Surface((w, h))
            surf.fill(BACKGROUND)
            for ty in range(int(math.ceil(h / TILE))):
                for tx in range(int(math.ceil(w / TILE))):
                    surf.blit(self.tile(scale, tx, ty), (tx * TILE, ty * TILE))
            self._overview, self._overview_scale = surf, scale
        return self._overview

    def draw(self, target: pygame.Surface, camera, max_new: int = 3) -> int:
        """Draw the terrain for ``camera`` onto ``target``; returns tiles still missing."""
        vx, vy, w, h = camera.view
        clip = target.get_clip()
        target.set_clip(pygame.Rect(vx, vy, w, h))
        target.fill(BACKGROUND, (vx, vy, w, h))
        level = camera.levels[camera.level_index()]
        missing = 0
        if abs(level - camera.scale) < 1e-9:
            missing = self._blit_level(target, camera, level, max_new)
        else:
            # animating between levels: draw the nearest level and scale the frame
            ratio = level / camera.scale
            bw, bh = max(1, int(w * ratio)), max(1, int(h * ratio))
            buf = pygame.Surface((bw, bh))
            buf.fill(BACKGROUND)

            class _Cam:  # the same view centre at the level's scale
                view = (0, 0, bw, bh)
                cx, cy = camera.cx, camera.cy

            missing = self._blit_level(buf, _Cam, level, max_new)
            target.blit(pygame.transform.scale(buf, (w, h)), (vx, vy))
        target.set_clip(clip)
        return missing

    def _blit_level(self, target, camera, scale: float, max_new: int) -> int:
        missing = 0
        made = 0
        base = camera.levels[0] if hasattr(camera, "levels") else None
        for tx, ty, sx, sy in self.tiles_for(camera, scale):
            if self.has_tile(scale, tx, ty) or made < max_new:
                if not self.has_tile(scale, tx, ty):
                    made += 1
                target.blit(self.tile(scale, tx, ty), (sx, sy))
            else:
                missing += 1
                self._blit_fallback(target, scale, tx, ty, sx, sy, base)
        return missing

    def _blit_fallback(self, target, scale, tx, ty, sx, sy, base) -> None:
        if base is None or self._overview is None:
            return
        ov = self._overview
        k = self._overview_scale / scale
        rx, ry = tx * TILE * k, ty * TILE * k
        rw = rh = TILE * k
        r = pygame.Rect(int(rx), int(ry), max(1, int(math.ceil(rw))), max(1, int(math.ceil(rh)))).clip(ov.get_rect())
        if r.w <= 0 or r.h <= 0:
            return
        sub = ov.subsurface(r)
        tw = int(round(r.w / k))
        th = int(round(r.h / k))
        target.blit(pygame.transform.scale(sub, (max(1, tw), max(1, th))), (sx + int((r.x - rx) / k), sy + int((r.y - ry) / k)))
