"""The map camera: km <-> screen pixels, smooth zoom about a point, panning, clamping.

World coordinates are the map's km (x east, y south).  ``scale`` is pixels per km.
Zoom moves between discrete levels (``min_scale * STEP**k``) so the terrain tiles can be
cached per level; between levels the view animates smoothly and the frame is drawn from
the nearest level's tiles, scaled.
"""
from __future__ import annotations

import math

STEP = 1.25


class Camera:
    def __init__(self, view: tuple[int, int, int, int], world_w: float, world_h: float,
                 max_hex_px: float = 170.0, hex_width_km: float = 5.5):
        self.world_w = float(world_w)
        self.world_h = float(world_h)
        self.hex_width_km = hex_width_km
        self.max_hex_px = max_hex_px
        self.view = view  # x, y, w, h of the map viewport on screen
        self.cx = self.world_w / 2
        self.cy = self.world_h / 2
        self.levels: list[float] = []
        self.scale = 1.0
        self.target_scale = 1.0
        self._anchor: tuple[float, float, float, float] | None = None  # screen x, y, world x, y
        self.set_view(view, refit=True)

    # ----------------------------------------------------------------------- levels
    def _make_levels(self) -> None:
        _, _, w, h = self.view
        fit = min(w / self.world_w, h / self.world_h) * 0.98
        top = self.max_hex_px / self.hex_width_km
        n = max(1, int(math.ceil(math.log(max(top / fit, 1.0001)) / math.log(STEP))) + 1)
        self.levels = [fit * STEP ** k for k in range(n)]

    @property
    def min_scale(self) -> float:
        return self.levels[0]

    @property
    def max_scale(self) -> float:
        return self.levels[-1]

    def level_index(self, scale: float | None = None) -> int:
        """Index of the level nearest (in log terms) to ``scale``."""
        s = self.scale if scale is None else scale
        return min(range(len(self.levels)), key=lambda i: abs(math.log(self.levels[i] / s)))

    def set_view(self, view: tuple[int, int, int, int], refit: bool = False) -> None:
        """Change the viewport (window resize); keeps the centre and the zoom level index."""
        old_index = self.level_index() if self.levels else 0
        self.view = tuple(int(v) for v in view)
        self._make_levels()
        i = 0 if refit else min(old_index, len(self.levels) - 1)
        self.scale = self.target_scale = self.levels[i]
        self._anchor = None
        self.clamp()

    # ------------------------------------------------------------------- transforms
    def world_to_screen(self, x: float, y: float) -> tuple[float, float]:
        vx, vy, w, h = self.view
        return vx + w / 2 + (x - self.cx) * self.scale, vy + h / 2 + (y - self.cy) * self.scale

    def screen_to_world(self, sx: float, sy: float) -> tuple[float, float]:
        vx, vy, w, h = self.view
        return self.cx + (sx - vx - w / 2) / self.scale, self.cy + (sy - vy - h / 2) / self.scale

    def visible_world(self, margin_px: float = 0) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) km of the viewport (plus a margin)."""
        vx, vy, w, h = self.view
        x0, y0 = self.screen_to_world(vx - margin_px, vy - margin_px)
        x1, y1 = self.screen_to_world(vx + w + margin_px, vy + h + margin_px)
        return x0, y0, x1, y1

    def contains_screen(self, sx: float, sy: float) -> bool:
        vx, vy, w, h = self.view
        return vx <= sx < vx + w and vy <= sy < vy + h

    @property
    def hex_px(self) -> float:
        """Width of one hex on screen (px)."""
        return self.hex_width_km * self.scale

    # ----------------------------------------------------------------------- motion
    def pan(self, dx_px: float, dy_px: float) -> None:
        """Move the view by a screen offset (drag the map by -dx, -dy)."""
        self.cx += dx_px / self.scale
        self.cy += dy_px / self.scale
        if self._anchor is not None:
            sx, sy, _, _ = self._anchor
            self._anchor = (sx, sy, *self.screen_to_world(sx, sy))
        self.clamp()

    def center_on(self, x: float, y: float) -> None:
        self.cx, self.cy = x, y
        self._anchor = None
        self.clamp()

    def zoom_steps(self, steps: int, screen_pos: tuple[float, float] | None = None, animate: bool = True) -> None:
        """Zoom ``steps`` levels in (+) or out (-) keeping ``screen_pos`` fixed."""
        i = self.level_index(self.target_scale)
        j = max(0, min(len(self.levels) - 1, i + steps))
        self.zoom_to(self.levels[j], screen_pos, animate)

    def zoom_to(self, scale: float, screen_pos: tuple[float, float] | None = None, animate: bool = True) -> None:
        vx, vy, w, h = self.view
        if screen_pos is None or not self.contains_screen(*screen_pos):
            screen_pos = (vx + w / 2, vy + h / 2)
        wx, wy = self.screen_to_world(*screen_pos)
        self._anchor = (screen_pos[0], screen_pos[1], wx, wy)
        self.target_scale = max(self.min_scale, min(self.max_scale, scale))
        if not animate:
            self._set_scale(self.target_scale)

    def fit(self) -> None:
        self.scale = self.target_scale = self.levels[0]
        self._anchor = None
        self.cx, self.cy = self.world_w / 2, self.world_h / 2
        self.clamp()

    def _set_scale(self, s: float) -> None:
        self.scale = s
        if self._anchor is not None:
            sx, sy, wx, wy = self._anchor
            vx, vy, w, h = self.view
            self.cx = wx - (sx - vx - w / 2) / s
            self.cy = wy - (sy - vy - h / 2) / s
        self.clamp()

    @property
    def animating(self) -> bool:
        return abs(self.scale - self.target_scale) > 1e-9

    def update(self, dt: float) -> None:
        """Advance the zoom animation (about 0.15 s per level)."""
        if not self.animating:
            self._anchor = None
            return
        k = 1.0 - math.exp(-dt * 18.0)
        ls = math.log(self.scale) + (math.log(self.target_scale) - math.log(self.scale)) * k
        s = math.exp(ls)
        if abs(math.log(self.target_scale / s)) < 0.004:
            s = self.target_scale
        self._set_scale(s)

    def clamp(self) -> None:
        """Keep the map filling the view (or centred when it is smaller than the view)."""
        _, _, w, h = self.view
        half_w, half_h = w / 2 / self.scale, h / 2 / self.scale
        pad = 0.02 * max(self.world_w, self.world_h)
        if 2 * half_w >= self.world_w + 2 * pad:
            self.cx = self.world_w / 2
        else:
            self.cx = min(max(self.cx, half_w - pad), self.world_w + pad - half_w)
        if 2 * half_h >= self.world_h + 2 * pad:
            self.cy = self.world_h / 2
        else:
            self.cy = min(max(self.cy, half_h - pad), self.world_h + pad - half_h)
