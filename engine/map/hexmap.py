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
from .hexgrid import HexGrid, Projection

MAX_SIDE = 2000  # most columns or rows of a map
MAX_HEXES = 1_000_000
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


def _decode_sides(rows: np.ndarray, bits: int) -> np.ndarray:
    """Unpack per-hex integers holding ``bits`` bits per direction into an (N, 6) array."""
    shifts = np.arange(6, dtype=np.int64) * bits
    return (rows.reshape(-1, 1) >> shifts) & ((1 << bits) - 1)


class HexMap:
    """The hex map of one scenario; see the module docstring for the arrays."""

    def __init__(self, d: dict[str, Any], source: str | Path = "<dict>"):
        self.source = str(source)
        self.meta: dict[str, Any] = d.get("meta", {})
        if not isinstance(self.meta, dict):
            self._fail("meta", "expected a table")
        ncols, nrows = self._int(d, "ncols"), self._int(d, "nrows")
        if ncols * nrows > MAX_HEXES:
            self._fail("ncols", f"{ncols} x {nrows} hexes (expected at most {MAX_HEXES} in all)")
        width = self._number(self._get(d, "hex_width_km"), "hex_width_km", 0.01, 1000.0)
        self.grid = HexGrid(ncols=ncols, nrows=nrows, size=width / np.sqrt(3.0))
        proj = self.meta.get("projection") or self._fail("meta.projection", "missing")
        if not isinstance(proj, dict) or not {"lat0", "lon_min", "lat_max"} <= set(proj):
            self._fail("meta.projection", "needs lat0, lon_min, lat_max")
        self.projection = Projection(self._number(proj["lat0"], "meta.projection.lat0", -89.0, 89.0),
                                     self._number(proj["lon_min"], "meta.projection.lon_min", -180.0, 180.0),
                                     self._number(proj["lat_max"], "meta.projection.lat_max", -90.0, 90.0))
        n = self.grid.count

        # The map's legend: one-letter code -> terrain name, in index order.  ``terrain`` holds
        # indices into terrain_codes / terrain_names; the scenario's [terrain] table must give
        # each of them its rules (checked by engine.core.game.Game).
        legend = self._get(d, "terrain_codes")
        if (not isinstance(legend, dict) or not legend
                or any(not isinstance(c, str) or len(c) != 1 or not c.isascii() for c in legend)
                or any(not isinstance(v, str) or not v for v in legend.values())):
            self._fail("terrain_codes", f"expected a table of one-letter codes to terrain names, got {legend!r}")
        if len(set(legend.values())) != len(legend):
            self._fail("terrain_codes", f"two codes share a terrain name ({legend})")
        self.terrain_codes: tuple[str, ...] = tuple(legend)
        self.terrain_names: tuple[str, ...] = tuple(legend.values())

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

        self.elevation_m = self._int_grid(d, "elevation_m", nrows, ncols, -500, 9000).astype(np.int16)
        self.relief_m = self._int_grid(d, "relief_m", nrows, ncols, 0, 9000).astype(np.int16)
        self.river = _decode_sides(self._int_grid(d, "river", nrows, ncols, 0, 4**6 - 1), 2).astype(np.uint8)
        self.road = _decode_sides(self._int_grid(d, "road", nrows, ncols, 0, 2**6 - 1), 1).astype(bool)
        if (self.river == 3).any():
            self._fail("river", "side level 3 is not defined (0 none, 1 minor, 2 major)")

        self.nbr = self.grid.neighbour_table()
        self.x_km, self.y_km = self.grid.centers()
        self.lat, self.lon = self.projection.to_latlon(self.x_km, self.y_km)
        off = self.nbr < 0
        if (self.river[off] != 0).any() or self.road[off].any():
            self._fail("river/road", "a river or road side points off the map")

        self.places: dict[str, Place] = {}
        places = self._get(d, "places")
        if not isinstance(places, list):
            self._fail("places", "expected a list of places")
        for i, p in enumerate(places):
            if not isinstance(p, dict) or not {"key", "name_en", "name_zh", "kind", "lat", "lon", "hex"} <= set(p):
                self._fail(f"places[{i}]", "needs key, name_en, name_zh, kind, lat, lon, hex")
            for k in ("key", "name_en", "name_zh", "kind"):
                if not isinstance(p[k], str) or not p[k] or len(p[k]) > 200:
                    self._fail(f"places[{i}].{k}", "expected a non-empty string")
            hx = p["hex"]
            if type(hx) is not int or not 0 <= hx < n:
                self._fail(f"places[{i}].hex", f"{hx!r:.40} is not a hex id of this {n}-hex map")
            if p["key"] in self.places:
                self._fail(f"places[{i}].key", f"duplicate key {p['key']!r}")
            self.places[p["key"]] = Place(p["key"], p["name_en"], p["name_zh"], p["kind"],
                                          self._number(p["lat"], f"places[{i}].lat", -90.0, 90.0),
                                          self._number(p["lon"], f"places[{i}].lon", -180.0, 180.0), hx)

        rivers = d.get("rivers", [])
        if not isinstance(rivers, list) or not all(isinstance(r, dict) for r in rivers):
            self._fail("rivers", "expected a list of tables")
        self.river_lines: list[dict[str, Any]] = list(rivers)
        self.roads: dict[str, dict[str, Any]] = {}
        roads = d.get("roads", [])
        if not isinstance(roads, list):
            self._fail("roads", "expected a list of tables")
        for i, r in enumerate(roads):
            if not isinstance(r, dict) or not isinstance(r.get("key"), str) or not isinstance(r.get("hexes"), list):
                self._fail(f"roads[{i}]", "needs key (a string) and hexes (a list of hex ids)")
            if not all(type(h) is int and 0 <= h < n for h in r["hexes"]):
                self._fail(f"roads[{i}].hexes", f"expected hex ids 0 .. {n - 1}")
            self.roads[r["key"]] = {**r, "hexes": list(r["hexes"])}

    # ------------------------------------------------------------------ validation helpers
    def _fail(self, key: str, why: str):
        raise ValueError(f"{self.source}: map key '{key}': {why}")

    def _get(self, d: dict, key: str):
        if key not in d:
            self._fail(key, "missing")
        return d[key]

    def _int(self, d: dict, key: str) -> int:
        v = self._get(d, key)
        if type(v) is not int or not 0 < v <= MAX_SIDE:
            self._fail(key, f"must be a whole number 1 .. {MAX_SIDE}, got {v!r:.40}")
        return v

    def _number(self, v, key: str, lo: float, hi: float) -> float:
        if type(v) not in (int, float) or not lo <= v <= hi:  # NaN fails the comparison too
            self._fail(key, f"expected a number {lo:g} .. {hi:g}, got {v!r:.40}")
        return float(v)

    def _rows(self, d: dict, key: str, nrows: int) -> list:
        rows = self._get(d, key)
        if not isinstance(rows, list) or len(rows) != nrows:
            got = len(rows) if isinstance(rows, list) else type(rows).__name__
            self._fail(key, f"expected {nrows} rows, got {got}")
        return rows

    def _int_grid(self, d: dict, key: str, nrows: int, ncols: int, lo: int, hi: int) -> np.ndarray:
        rows = self._rows(d, key, nrows)
        if any(not isinstance(r, list) or len(r) != ncols or not all(type(v) is int for v in r) for r in rows):
            self._fail(key, f"every row must be a list of {ncols} whole numbers")
        a = np.array([v if lo <= v <= hi else hi + 1 for r in rows for v in r], dtype=np.int64)
        if (a > hi).any():
            self._fail(key, f"values must be whole numbers {lo} .. {hi}")
        return a

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
