"""Hex-grid mathematics (pointy-top hexes, axial/cube coordinates after Red Blob Games).

The map is a rectangle of ``ncols`` x ``nrows`` hexes stored in "odd-r" offset layout
(odd rows shifted half a hex to the east).  A hex is identified everywhere in the engine
by its integer id ``row * ncols + col``.  Row 0 is the northern edge; rows increase to
the south, columns to the east.  Axial ``r`` equals the row; ``q = col - (row - (row & 1)) // 2``.

Directions are indexed 0..5 in axial order E, NE, NW, W, SW, SE; the opposite of
direction ``d`` is ``(d + 3) % 6``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

SQRT3 = math.sqrt(3.0)

#: Axial (dq, dr) for the six directions E, NE, NW, W, SW, SE (r grows southward).
AXIAL_DIRECTIONS: tuple[tuple[int, int], ...] = ((1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1))
DIRECTION_NAMES = ("E", "NE", "NW", "W", "SW", "SE")


def opposite(direction: int) -> int:
    """The direction pointing back across the same hex side."""
    return (direction + 3) % 6


def offset_to_axial(col: int, row: int) -> tuple[int, int]:
    """Odd-r offset (col, row) -> axial (q, r)."""
    return col - (row - (row & 1)) // 2, row


def axial_to_offset(q: int, r: int) -> tuple[int, int]:
    """Axial (q, r) -> odd-r offset (col, row)."""
    return q + (r - (r & 1)) // 2, r


def axial_distance(q1: int, r1: int, q2: int, r2: int) -> int:
    """Number of hex steps between two axial coordinates."""
    dq, dr = q1 - q2, r1 - r2
    return (abs(dq) + abs(dr) + abs(dq + dr)) // 2


def cube_round(qf: float, rf: float) -> tuple[int, int]:
    """Round fractional axial coordinates to the containing hex."""
    sf = -qf - rf
    q, r, s = round(qf), round(rf), round(sf)
    dq, dr, ds = abs(q - qf), abs(r - rf), abs(s - sf)
    if dq > dr and dq > ds:
        q = -r - s
    elif dr > ds:
        r = -q - s
    return int(q), int(r)


@dataclass(frozen=True)
class HexGrid:
    """A rectangular odd-r grid of pointy-top hexes of circumradius ``size`` (km).

    Pixel/km space: x grows east, y grows south; hex (col=0,row=0) is centred at
    (``size*sqrt3/2``, ``size``) so the whole map lies in positive coordinates.
    """

    ncols: int
    nrows: int
    size: float  # centre-to-corner distance, km

    @property
    def count(self) -> int:
        return self.ncols * self.nrows

    @property
    def width(self) -> float:
        """Flat-to-flat width of one hex (km): the distance between neighbour centres."""
        return SQRT3 * self.size

    def hex_id(self, col: int, row: int) -> int:
        return row * self.ncols + col

    def col_row(self, hex_id: int) -> tuple[int, int]:
        return hex_id % self.ncols, hex_id // self.ncols

    def contains(self, col: int, row: int) -> bool:
        return 0 <= col < self.ncols and 0 <= row < self.nrows

    def axial(self, hex_id: int) -> tuple[int, int]:
        col, row = self.col_row(hex_id)
        return offset_to_axial(col, row)

    def from_axial(self, q: int, r: int) -> int:
        """Hex id of axial (q, r), or -1 when it lies off the map."""
        col, row = axial_to_offset(q, r)
        return self.hex_id(col, row) if self.contains(col, row) else -1

    def center(self, hex_id: int) -> tuple[float, float]:
        """Centre of a hex in km (x east, y south)."""
        q, r = self.axial(hex_id)
        return self.size * SQRT3 * (q + r / 2.0) + self.size * SQRT3 / 2.0, self.size * 1.5 * r + self.size

    def at_point(self, x: float, y: float) -> int:
        """Hex id containing the point (x, y) km, or -1 when off the map."""
        x -= self.size * SQRT3 / 2.0
        y -= self.size
        qf = (SQRT3 / 3.0 * x - y / 3.0) / self.size
        rf = (2.0 / 3.0 * y) / self.size
        q, r = cube_round(qf, rf)
        return self.from_axial(q, r)

    @cached_property
    def _axial_lists(self) -> tuple[list[int], list[int]]:
        """Axial q and r of every hex, precomputed once for fast distances."""
        qs, rs = [], []
        for h in range(self.count):
            q, r = self.axial(h)
            qs.append(q)
            rs.append(r)
        return qs, rs

    def distance(self, a: int, b: int) -> int:
        """Hex steps between two hex ids."""
        qs, rs = self._axial_lists
        dq, dr = qs[a] - qs[b], rs[a] - rs[b]
        return (abs(dq) + abs(dr) + abs(dq + dr)) // 2

    def neighbour(self, hex_id: int, direction: int) -> int:
        """Neighbour across side ``direction`` or -1 when off the map."""
        q, r = self.axial(hex_id)
        dq, dr = AXIAL_DIRECTIONS[direction]
        return self.from_axial(q + dq, r + dr)

    def neighbour_table(self) -> np.ndarray:
        """(count, 6) int32 array of neighbour ids, -1 off-map. Precompute once."""
        table = np.full((self.count, 6), -1, dtype=np.int32)
        for h in range(self.count):
            for d in range(6):
                table[h, d] = self.neighbour(h, d)
        return table

    def centers(self) -> tuple[np.ndarray, np.ndarray]:
        """Arrays (x_km, y_km) of every hex centre, indexed by hex id."""
        ids = np.arange(self.count)
        cols, rows = ids % self.ncols, ids // self.ncols
        q = cols - (rows - (rows & 1)) // 2
        x = self.size * SQRT3 * (q + rows / 2.0) + self.size * SQRT3 / 2.0
        y = self.size * 1.5 * rows + self.size
        return x.astype(np.float64), y.astype(np.float64)

    @lru_cache(maxsize=2048)
    def distances_from(self, hex_id: int) -> np.ndarray:
        """Hex-step distance from ``hex_id`` to every hex (vectorised, cached, read-only)."""
        ids = np.arange(self.count)
        cols, rows = ids % self.ncols, ids // self.ncols
        q = cols - (rows - (rows & 1)) // 2
        q0, r0 = self.axial(hex_id)
        dq, dr = q - q0, rows - r0
        out = ((np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2).astype(np.int32)
        out.flags.writeable = False
        return out

    def corners(self, hex_id: int) -> list[tuple[float, float]]:
        """The six corner points (km) of a pointy-top hex, starting at the top."""
        cx, cy = self.center(hex_id)
        pts = []
        for i in range(6):
            ang = math.radians(60 * i - 90)
            pts.append((cx + self.size * math.cos(ang), cy + self.size * math.sin(ang)))
        return pts


EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection at the map's central latitude, in km from the NW corner.

    Over a 2.5 x 3.7 degree box the scale error of this projection stays well under 1%,
    which the map tests check against great-circle distances.
    """

    lat0: float  # standard parallel (deg)
    lon_min: float  # western edge (deg)
    lat_max: float  # northern edge (deg)

    def to_km(self, lat, lon):
        """(lat, lon) degrees -> (x east, y south) km; works on scalars and arrays."""
        k = math.pi / 180.0 * EARTH_RADIUS_KM
        x = (np.asarray(lon) - self.lon_min) * k * math.cos(math.radians(self.lat0))
        y = (self.lat_max - np.asarray(lat)) * k
        if np.ndim(x) == 0:
            return float(x), float(y)
        return x, y

    def to_latlon(self, x, y):
        """(x, y) km -> (lat, lon) degrees; inverse of :meth:`to_km`."""
        k = math.pi / 180.0 * EARTH_RADIUS_KM
        lon = self.lon_min + np.asarray(x) / (k * math.cos(math.radians(self.lat0)))
        lat = self.lat_max - np.asarray(y) / k
        if np.ndim(lat) == 0:
            return float(lat), float(lon)
        return lat, lon


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
