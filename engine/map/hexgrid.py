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
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

SQRT3 = math.sqrt(3.0)
DISTANCE_ROWS_CACHED = 2048  # distance rows (16 KiB each for the 67 x 59 map) kept by HexGrid.distances_from
DISKS_CACHED = 8192  # hex sets within a radius kept by HexGrid.within (a few hundred bytes each)

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


def cube_round(qf, rf):
    """Round fractional axial coordinates to the containing hex (scalars or numpy arrays).

    Rounds each cube coordinate half-to-even and then fixes the one with the largest
    rounding error so that q + r + s = 0.
    """
    qf, rf = np.asarray(qf, dtype=np.float64), np.asarray(rf, dtype=np.float64)
    sf = -qf - rf
    q, r, s = np.rint(qf), np.rint(rf), np.rint(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q).astype(np.int64)
    r = np.where(fix_r, -q - s, r).astype(np.int64)
    if q.ndim == 0:
        return int(q), int(r)
    return q, r


#: Unit vectors (x east, y south) from a hex centre to its six corners, starting at the top, clockwise.
CORNER_UNITS: np.ndarray = np.array([(math.cos(math.radians(60 * i - 90)), math.sin(math.radians(60 * i - 90)))
                                     for i in range(6)])
CORNER_UNITS.flags.writeable = False
#: The corner pair (indices into :data:`CORNER_UNITS`) bounding the side in each direction E, NE, NW, W, SW, SE.
SIDE_CORNERS: tuple[tuple[int, int], ...] = ((1, 2), (0, 1), (5, 0), (4, 5), (3, 4), (2, 3))


@dataclass(frozen=True)
class Layout:
    """Pointy-top hex layout (Red Blob Games): axial (q, r) <-> plane coordinates.

    ``size`` is the centre-to-corner distance and ``origin`` the centre of axial hex (0, 0),
    in the plane's units (km for the map, pixels for a screen).  x grows east, y south.
    Every method takes scalars or numpy arrays (vectorised over many hexes at once).
    """

    size: float
    origin: tuple[float, float] = (0.0, 0.0)

    def to_pixel(self, q, r):
        """Centre of axial hex (q, r)."""
        x = self.size * SQRT3 * (q + r / 2.0) + self.origin[0]
        y = self.size * 1.5 * r + self.origin[1]
        return x, y

    def fractional(self, x, y):
        """Fractional axial (qf, rf) of the point (x, y)."""
        x = x - self.origin[0]
        y = y - self.origin[1]
        return (SQRT3 / 3.0 * x - y / 3.0) / self.size, (2.0 / 3.0 * y) / self.size

    def from_pixel(self, x, y):
        """Axial (q, r) of the hex containing the point (x, y), by cube rounding."""
        return cube_round(*self.fractional(x, y))

    def corner_offsets(self) -> np.ndarray:
        """(6, 2) offsets from a hex centre to its corners, starting at the top, clockwise."""
        return CORNER_UNITS * self.size

    def corners(self, x, y) -> np.ndarray:
        """Corners of the hexes centred at (x, y): shape (..., 6, 2)."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        off = self.corner_offsets()
        return np.stack([x[..., None] + off[:, 0], y[..., None] + off[:, 1]], axis=-1)

    def side_segments(self, x, y, direction) -> np.ndarray:
        """End points of the side in ``direction`` of the hexes centred at (x, y): shape (..., 2, 2)."""
        ends = np.asarray(SIDE_CORNERS)[np.asarray(direction)]
        off = self.corner_offsets()[ends]  # (..., 2, 2)
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        return np.stack([x[..., None] + off[..., 0], y[..., None] + off[..., 1]], axis=-1)


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

    @cached_property
    def layout(self) -> Layout:
        """The grid's :class:`Layout` in km: hex (col 0, row 0) is centred at (width / 2, size)."""
        return Layout(self.size, (self.size * SQRT3 / 2.0, self.size))

    @property
    def world_size(self) -> tuple[float, float]:
        """(width, height) km of the rectangle that holds every hex of the map."""
        return self.ncols * self.width + self.width / 2, self.size * 1.5 * (self.nrows - 1) + 2 * self.size

    def center(self, hex_id: int) -> tuple[float, float]:
        """Centre of a hex in km (x east, y south)."""
        return self.layout.to_pixel(*self.axial(hex_id))

    def hex_ids_at(self, x, y) -> np.ndarray:
        """Hex id containing each point (x, y) km, -1 off the map (vectorised)."""
        q, r = self.layout.from_pixel(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        q, r = np.asarray(q), np.asarray(r)
        col = q + (r - (r & 1)) // 2
        ok = (col >= 0) & (col < self.ncols) & (r >= 0) & (r < self.nrows)
        return np.where(ok, r * self.ncols + col, -1)

    def at_point(self, x: float, y: float) -> int:
        """Hex id containing the point (x, y) km, or -1 when off the map."""
        return self.from_axial(*self.layout.from_pixel(x, y))

    @cached_property
    def _axial_lists(self) -> tuple[list[int], list[int]]:
        """Axial q and r of every hex, precomputed once for fast distances (Python ints, from
        :attr:`_axial_arrays`: the same numbers as :meth:`axial`, made in one go)."""
        q, r = self._axial_arrays
        return q.tolist(), r.tolist()

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
        """(count, 6) int32 array of neighbour ids, -1 off the map (vectorised; precompute once)."""
        ids = np.arange(self.count, dtype=np.int64)
        cols, rows = ids % self.ncols, ids // self.ncols
        q = cols - (rows - (rows & 1)) // 2
        d = np.asarray(AXIAL_DIRECTIONS, dtype=np.int64)
        q2 = q[:, None] + d[None, :, 0]
        r2 = rows[:, None] + d[None, :, 1]
        c2 = q2 + (r2 - (r2 & 1)) // 2
        ok = (c2 >= 0) & (c2 < self.ncols) & (r2 >= 0) & (r2 < self.nrows)
        return np.where(ok, r2 * self.ncols + c2, -1).astype(np.int32)

    def centers(self) -> tuple[np.ndarray, np.ndarray]:
        """Arrays (x_km, y_km) of every hex centre, indexed by hex id."""
        ids = np.arange(self.count)
        cols, rows = ids % self.ncols, ids // self.ncols
        q = cols - (rows - (rows & 1)) // 2
        x, y = self.layout.to_pixel(q, rows)
        return x.astype(np.float64), y.astype(np.float64)

    @cached_property
    def _axial_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Axial q and r of every hex as int32 arrays (for :meth:`distances_from`)."""
        ids = np.arange(self.count)
        cols, r = ids % self.ncols, ids // self.ncols
        q = cols - (r - (r & 1)) // 2
        return q.astype(np.int32), r.astype(np.int32)

    @cached_property
    def _distance_rows(self) -> OrderedDict:
        return OrderedDict()

    def distances_from(self, hex_id: int) -> np.ndarray:
        """Hex-step distance from ``hex_id`` to every hex (vectorised, read-only; the last
        ``DISTANCE_ROWS_CACHED`` rows asked for are kept)."""
        rows = self._distance_rows
        got = rows.get(hex_id)
        if got is not None:
            rows.move_to_end(hex_id)
            return got
        q, r = self._axial_arrays
        q0, r0 = self.axial(hex_id)
        dq, dr = q - q0, r - r0
        out = np.abs(dq)
        out += np.abs(dr)
        dq += dr
        out += np.abs(dq)
        out //= 2
        out.flags.writeable = False
        rows[hex_id] = out
        while len(rows) > DISTANCE_ROWS_CACHED:
            rows.popitem(last=False)
        return out

    @cached_property
    def _disks(self) -> OrderedDict:
        return OrderedDict()

    def within(self, hex_id: int, radius: int) -> np.ndarray:
        """Ids of the hexes at most ``radius`` steps from ``hex_id``, ascending (read-only; the
        last ``DISKS_CACHED`` asked for are kept)."""
        key = (hex_id, radius)
        disks = self._disks
        got = disks.get(key)
        if got is not None:
            disks.move_to_end(key)
            return got
        got = np.flatnonzero(self.distances_from(hex_id) <= radius)
        got.flags.writeable = False
        disks[key] = got
        while len(disks) > DISKS_CACHED:
            disks.popitem(last=False)
        return got

    def corners(self, hex_id: int) -> list[tuple[float, float]]:
        """The six corner points (km) of a pointy-top hex, starting at the top, clockwise."""
        return [tuple(p) for p in self.layout.corners(*self.center(hex_id)).tolist()]


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
