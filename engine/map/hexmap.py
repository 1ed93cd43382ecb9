"""HexMap: the derived map (``scenarios/<id>/map.json``) as numpy arrays plus place lookup.

The arrays follow the "Map conventions" of docs/ARCHITECTURE.md and are indexed by hex id
(``row * ncols + col``).  Per-side arrays have shape (N, 6) in direction order E, NE, NW,
W, SW, SE.  ``HexMap.load`` validates the file and raises ``ValueError`` naming the file
and the offending key when it is malformed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..userfiles import MAX_MAP_BYTES, read_json
from .hexgrid import AXIAL_DIRECTIONS, HexGrid, Projection

#: Terrain classes in index order; ``HexMap.terrain`` holds indices into this tuple.
TERRAIN_NAMES: tuple[str, ...] = ("plain", "hills", "mountain", "high_mountain")
#: One-letter codes used in map.json, in the same order.
TERRAIN_CODES: tuple[str, ...] = ("P", "H", "M", "X")


@dataclass(frozen=True)
class Place:
    """A named place from the reference gazetteer, located on the map."""

    key: str
    name_en: str
    name_zh: str
    kind: str
    lat: float
    lon: float
    hex: int


def neighbour_table(grid: HexGrid) -> np.ndarray:
    """(count, 6) int32 neighbour ids, -1 off the map; vectorised HexGrid.neighbour_table."""
    ids = np.arange(grid.count, dtype=np.int64)
    cols, rows = ids % grid.ncols, ids // grid.ncols
    q = cols - (rows - (rows & 1)) // 2
    d = np.asarray(AXIAL_DIRECTIONS, dtype=np.int64)
    q2 = q[:, None] + d[None, :, 0]
    r2 = rows[:, None] + d[None, :, 1]
    c2 = q2 + (r2 - (r2 & 1)) // 2
    ok = (c2 >= 0) & (c2 < grid.ncols) & (r2 >= 0) & (r2 < grid.nrows)
    return np.where(ok, r2 * grid.ncols + c2, -1).astype(np.int32)


def _decode_sides(rows: np.ndarray, bits: int) -> np.ndarray:
    """Unpack per-hex integers holding ``bits`` bits per direction into an (N, 6) array."""
    shifts = np.arange(6, dtype=np.int64) * bits
    return (rows.reshape(-1, 1) >> shifts) & ((1 << bits) - 1)


class HexMap:
    """The hex map of one scenario; see the module docstring for the arrays."""

    terrain_names: tuple[str, ...] = TERRAIN_NAMES
    terrain_codes: tuple[str, ...] = TERRAIN_CODES

    def __init__(self, d: dict[str, Any], source: str | Path = "<dict>"):
        self.source = str(source)
        self.meta: dict[str, Any] = d.get("meta", {})
        ncols, nrows = self._int(d, "ncols"), self._int(d, "nrows")
        width = float(self._get(d, "hex_width_km"))
        self.grid = HexGrid(ncols=ncols, nrows=nrows, size=width / np.sqrt(3.0))
        proj = self.meta.get("projection") or self._fail("meta.projection", "missing")
        try:
            self.projection = Projection(float(proj["lat0"]), float(proj["lon_min"]), float(proj["lat_max"]))
        except (KeyError, TypeError, ValueError) as exc:
            self._fail("meta.projection", f"needs lat0, lon_min, lat_max ({exc})")
        n = self.grid.count

        terrain_rows = self._rows(d, "terrain", nrows)
        if any(not isinstance(r, str) or len(r) != ncols for r in terrain_rows):
            self._fail("terrain", f"every row must be a string of {ncols} codes")
        raw = np.frombuffer("".join(terrain_rows).encode("ascii", "replace"), dtype=np.uint8)
        lut = np.full(256, 255, dtype=np.uint8)
        for i, c in enumerate(self.terrain_codes):
            lut[ord(c)] = i
        self.terrain = lut[raw]
        if (self.terrain == 255).any():
            bad = sorted({chr(c) for c in raw[self.terrain == 255]})
            self._fail("terrain", f"unknown terrain code(s) {bad}; expected one of {list(self.terrain_codes)}")

        self.elevation_m = self._int_grid(d, "elevation_m", nrows, ncols).astype(np.int16)
        self.relief_m = self._int_grid(d, "relief_m", nrows, ncols).astype(np.int16)
        self.river = _decode_sides(self._int_grid(d, "river", nrows, ncols), 2).astype(np.uint8)
        self.road = _decode_sides(self._int_grid(d, "road", nrows, ncols), 1).astype(bool)
        if (self.river == 3).any():
            self._fail("river", "side level 3 is not defined (0 none, 1 minor, 2 major)")

        self.nbr = neighbour_table(self.grid)
        self.x_km, self.y_km = self.grid.centers()
        self.lat, self.lon = self.projection.to_latlon(self.x_km, self.y_km)
        off = self.nbr < 0
        if (self.river[off] != 0).any() or self.road[off].any():
            self._fail("river/road", "a river or road side points off the map")

        self.places: dict[str, Place] = {}
        for i, p in enumerate(self._get(d, "places")):
            try:
                place = Place(str(p["key"]), str(p["name_en"]), str(p["name_zh"]), str(p["kind"]),
                              float(p["lat"]), float(p["lon"]), int(p["hex"]))
            except (KeyError, TypeError, ValueError) as exc:
                self._fail(f"places[{i}]", f"needs key, name_en, name_zh, kind, lat, lon, hex ({exc!r})")
            if not 0 <= place.hex < n:
                self._fail(f"places[{i}].hex", f"{place.hex} is not a hex id of this {n}-hex map")
            self.places[place.key] = place

        self.river_lines: list[dict[str, Any]] = list(d.get("rivers", []))
        self.roads: dict[str, dict[str, Any]] = {}
        for i, r in enumerate(d.get("roads", [])):
            if "key" not in r or "hexes" not in r:
                self._fail(f"roads[{i}]", "needs key and hexes")
            self.roads[r["key"]] = {**r, "hexes": [int(h) for h in r["hexes"]]}

    # ------------------------------------------------------------------ validation helpers
    def _fail(self, key: str, why: str):
        raise ValueError(f"{self.source}: map key '{key}': {why}")

    def _get(self, d: dict, key: str):
        if key not in d:
            self._fail(key, "missing")
        return d[key]

    def _int(self, d: dict, key: str) -> int:
        v = self._get(d, key)
        if not isinstance(v, int) or v <= 0:
            self._fail(key, f"must be a positive integer, got {v!r}")
        return v

    def _rows(self, d: dict, key: str, nrows: int) -> list:
        rows = self._get(d, key)
        if not isinstance(rows, list) or len(rows) != nrows:
            got = len(rows) if isinstance(rows, list) else type(rows).__name__
            self._fail(key, f"expected {nrows} rows, got {got}")
        return rows

    def _int_grid(self, d: dict, key: str, nrows: int, ncols: int) -> np.ndarray:
        rows = self._rows(d, key, nrows)
        if any(not isinstance(r, list) or len(r) != ncols for r in rows):
            self._fail(key, f"every row must be a list of {ncols} integers")
        try:
            return np.array(rows, dtype=np.int64).ravel()
        except (TypeError, ValueError) as exc:
            self._fail(key, f"rows must hold integers ({exc})")

    # ---------------------------------------------------------------------------- loading
    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str | Path = "<dict>") -> "HexMap":
        """Build from an already parsed map.json dict; ``source`` names it in errors."""
        if not isinstance(d, dict):
            raise ValueError(f"{source}: map file must hold a JSON object")
        return cls(d, source)

    @classmethod
    def load(cls, path: str | Path) -> "HexMap":
        """Load and validate ``map.json``."""
        path = Path(path)
        return cls.from_dict(read_json(path, "map", MAX_MAP_BYTES), source=path)

    # ---------------------------------------------------------------------------- queries
    @property
    def count(self) -> int:
        return self.grid.count

    def hex_at_latlon(self, lat: float, lon: float) -> int:
        """Hex id containing (lat, lon), or -1 off the map."""
        return self.grid.at_point(*self.projection.to_km(lat, lon))

    def latlon(self, hex_id: int) -> tuple[float, float]:
        """(lat, lon) of a hex centre."""
        return float(self.lat[hex_id]), float(self.lon[hex_id])

    def km_between(self, a: int, b: int) -> float:
        """Straight-line distance between two hex centres in projected km."""
        return float(np.hypot(self.x_km[a] - self.x_km[b], self.y_km[a] - self.y_km[b]))

    def terrain_code(self, hex_id: int) -> str:
        return self.terrain_codes[self.terrain[hex_id]]

    def __repr__(self) -> str:
        return f"HexMap({self.source!r}, {self.grid.ncols}x{self.grid.nrows}, {len(self.places)} places)"
