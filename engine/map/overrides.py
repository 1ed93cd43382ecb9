"""Map overrides: hand edits of a built map that survive ``xuefeng build-map``.

The map (``scenarios/<id>/map.json``) is derived data, rebuilt from the reference
elevation, rivers and places.  An author's edits of it live beside it in
``scenarios/<id>/map_overrides.toml`` and are applied *after* every build (by
``engine.map.build`` when it writes a map.json that has an overrides file beside it, and by
the scenario editor when it saves), so a rebuild never loses them:

    # hex ids are row * ncols + col (docs/ARCHITECTURE.md, "Map conventions")
    terrain = { "1882" = "M" }                    # hex id -> terrain code (P, H, M, X)
    rivers = [ { hex = 1882, dir = 0, level = 2 } ]  # river across side dir (0 E .. 5 SE): 0 none, 1 minor, 2 major
    roads = [ { hex = 1882, dir = 3, road = true } ]  # a road across side dir, or none (false)
    remove_places = ["old_key"]
    [places.new_key]                               # added or replaced place; its hex follows lat/lon
    name_en = "New airfield"
    name_zh = "新机场"
    kind = "airfield"
    lat = 27.30
    lon = 110.10

A side is one edge between two hexes: setting it on one hex sets the neighbour's opposite
side too.  Applying the same overrides twice gives the same map (every entry sets a value).
Bad entries raise ``ValueError`` naming the file and the entry.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .hexgrid import HexGrid, Projection, opposite

OVERRIDES_FILE = "map_overrides.toml"
PLACE_FIELDS = ("name_en", "name_zh", "kind", "lat", "lon")


@dataclass
class MapOverrides:
    """The edits: terrain by hex, river level and road flag by (hex, dir), places."""

    terrain: dict[int, str] = field(default_factory=dict)
    rivers: dict[tuple[int, int], int] = field(default_factory=dict)
    roads: dict[tuple[int, int], bool] = field(default_factory=dict)
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    remove_places: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.terrain or self.rivers or self.roads or self.places or self.remove_places)

    # ----------------------------------------------------------------- (de)serialising
    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str = OVERRIDES_FILE) -> "MapOverrides":
        def bad(where: str, why: str):
            raise ValueError(f"{source}: {where}: {why}")

        known = {"terrain", "rivers", "roads", "places", "remove_places"}
        for k in d:
            if k not in known:
                bad(k, f"unknown key (expected one of: {', '.join(sorted(known))})")
        ov = cls()
        for k, code in (d.get("terrain") or {}).items():
            if not str(k).isdigit():
                bad(f"terrain.{k}", "expected a hex id (a whole number)")
            if not isinstance(code, str) or len(code) != 1:
                bad(f"terrain.{k}", f"expected a one-letter terrain code, got {code!r}")
            ov.terrain[int(k)] = code
        for name, levels, kind in (("rivers", (0, 1, 2), "level"), ("roads", (True, False), "road")):
            for i, e in enumerate(d.get(name) or []):
                if not isinstance(e, dict) or set(e) != {"hex", "dir", kind}:
                    bad(f"{name}[{i}]", f"expected a table with hex, dir and {kind}")
                if not isinstance(e["hex"], int) or not isinstance(e["dir"], int) or not 0 <= e["dir"] < 6:
                    bad(f"{name}[{i}]", "hex must be a hex id and dir a direction 0..5")
                if e[kind] not in levels or isinstance(e[kind], bool) != (kind == "road"):
                    bad(f"{name}[{i}].{kind}", f"expected one of {levels}")
                getattr(ov, name)[(e["hex"], e["dir"])] = e[kind]
        for key, p in (d.get("places") or {}).items():
            if not isinstance(p, dict) or set(p) != set(PLACE_FIELDS):
                bad(f"places.{key}", f"expected a table with exactly {', '.join(PLACE_FIELDS)}")
            if not all(isinstance(p[f], (int, float)) and not isinstance(p[f], bool) for f in ("lat", "lon")):
                bad(f"places.{key}", "lat and lon must be numbers")
            ov.places[str(key)] = dict(p)
        rp = d.get("remove_places") or []
        if not isinstance(rp, list) or not all(isinstance(k, str) for k in rp):
            bad("remove_places", "expected a list of place keys")
        ov.remove_places = list(rp)
        return ov

    @classmethod
    def load(cls, path: str | Path) -> "MapOverrides":
        """The overrides in ``path``; an empty set when the file does not exist."""
        path = Path(path)
        if not path.exists():
            return cls()
        try:
            d = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: TOML syntax error: {exc}") from None
        return cls.from_dict(d, str(path))

    def dumps(self) -> str:
        """The overrides as TOML text (sorted, so the same edits give the same file)."""
        import json

        def s(v):  # TOML basic strings and JSON strings agree for what place names hold
            return json.dumps(v, ensure_ascii=False)

        out = ["# Map edits applied after `xuefeng build-map` (see engine/map/overrides.py).",
               "# Written by `xuefeng edit`; hex ids are row * ncols + col."]
        out.append("terrain = { " + ", ".join(f'"{h}" = "{c}"' for h, c in sorted(self.terrain.items())) + " }")
        out.append("rivers = [\n" + "".join(f"  {{ hex = {h}, dir = {d}, level = {v} }},\n"
                                            for (h, d), v in sorted(self.rivers.items())) + "]")
        out.append("roads = [\n" + "".join(f"  {{ hex = {h}, dir = {d}, road = {'true' if v else 'false'} }},\n"
                                           for (h, d), v in sorted(self.roads.items())) + "]")
        out.append("remove_places = [" + ", ".join(s(k) for k in self.remove_places) + "]")
        for key, p in sorted(self.places.items()):
            out.append(f"\n[places.{key}]")
            for f in PLACE_FIELDS:
                out.append(f"{f} = {s(p[f]) if isinstance(p[f], str) else repr(float(p[f]))}")
        return "\n".join(out) + "\n"


def _grid_of(d: dict[str, Any]) -> tuple[HexGrid, Projection]:
    grid = HexGrid(ncols=int(d["ncols"]), nrows=int(d["nrows"]), size=float(d["hex_width_km"]) / 3 ** 0.5)
    p = d["meta"]["projection"]
    return grid, Projection(float(p["lat0"]), float(p["lon_min"]), float(p["lat_max"]))


def _set_packed(rows: list[list[int]], ncols: int, h: int, d: int, bits: int, value: int) -> None:
    r, c = divmod(h, ncols)
    mask = ((1 << bits) - 1) << (bits * d)
    rows[r][c] = (rows[r][c] & ~mask) | (int(value) << (bits * d))


def apply_overrides(d: dict[str, Any], ov: MapOverrides, source: str = OVERRIDES_FILE) -> dict[str, Any]:
    """Apply ``ov`` to a parsed map.json dict in place (and return it)."""
    grid, proj = _grid_of(d)
    ncols, n = grid.ncols, grid.count
    nbr = grid.neighbour_table()

    def check_hex(where: str, h: int) -> None:
        if not 0 <= h < n:
            raise ValueError(f"{source}: {where}: {h} is not a hex id of this {n}-hex map")

    rows = [list(r) for r in d["terrain"]]
    legend = d.get("terrain_codes") or {}
    for h, code in ov.terrain.items():
        check_hex(f"terrain.{h}", h)
        if code not in legend:
            raise ValueError(f"{source}: terrain.{h}: unknown terrain code {code!r} "
                             f"(expected one of the map's terrain_codes: {', '.join(legend)})")
        r, c = divmod(h, ncols)
        rows[r][c] = code
    d["terrain"] = ["".join(r) for r in rows]
    for name, bits, key in (("rivers", 2, "river"), ("roads", 1, "road")):
        for (h, dr), v in getattr(ov, name).items():
            check_hex(f"{name} hex", h)
            o = int(nbr[h, dr])
            if o < 0:
                raise ValueError(f"{source}: {name}: side {dr} of hex {h} is the map edge")
            _set_packed(d[key], ncols, h, dr, bits, int(v))
            _set_packed(d[key], ncols, o, opposite(dr), bits, int(v))
    def located(key: str, p: dict[str, Any]) -> dict[str, Any]:
        h = grid.at_point(*proj.to_km(float(p["lat"]), float(p["lon"])))
        if h < 0:
            raise ValueError(f"{source}: places.{key}: ({p['lat']}, {p['lon']}) is off the map")
        return {"key": key, "name_en": p["name_en"], "name_zh": p["name_zh"], "kind": p["kind"],
                "lat": float(p["lat"]), "lon": float(p["lon"]), "hex": int(h)}

    removed = set(ov.remove_places)
    base_keys = {p["key"] for p in d["places"]}
    places = [located(p["key"], ov.places[p["key"]]) if p["key"] in ov.places else p
              for p in d["places"] if p["key"] not in removed]
    places += [located(k, p) for k, p in ov.places.items() if k not in base_keys and k not in removed]
    d["places"] = places
    return d
