"""Map tools on the engine's hex geometry: brush footprints, flood fill, the side under the
pointer, and the map edits (as :class:`MapEdit` commands) each tool makes."""
from __future__ import annotations

import math

from .commands import MapEdit

TOOLS = ("select", "terrain", "fill", "river", "road", "place", "airfield", "control")
BRUSH_RADII = (0, 1, 2)


def brush(hexmap, center: int, radius: int) -> list[int]:
    """Hexes within ``radius`` steps of ``center`` (on the map), centre first."""
    if center < 0:
        return []
    seen = [center]
    frontier = [center]
    known = {center}
    for _ in range(radius):
        nxt = []
        for h in frontier:
            for o in hexmap.nbr[h]:
                o = int(o)
                if o >= 0 and o not in known:
                    known.add(o)
                    nxt.append(o)
        seen += nxt
        frontier = nxt
    return seen


def flood(hexmap, start: int, limit: int = 100000) -> list[int]:
    """The connected region of hexes with the terrain of ``start``."""
    if start < 0:
        return []
    t = hexmap.terrain[start]
    out, stack, known = [], [start], {start}
    while stack and len(out) < limit:
        h = stack.pop()
        out.append(h)
        for o in hexmap.nbr[h]:
            o = int(o)
            if o >= 0 and o not in known and hexmap.terrain[o] == t:
                known.add(o)
                stack.append(o)
    return out


def side_at(hexmap, x_km: float, y_km: float) -> tuple[int, int]:
    """(hex, direction) of the hex side nearest the point (x, y) km, or (-1, -1) off the map."""
    h = hexmap.grid.at_point(x_km, y_km)
    if h < 0:
        return -1, -1
    ang = math.degrees(math.atan2(-(y_km - hexmap.y_km[h]), x_km - hexmap.x_km[h])) % 360
    d = int(((ang + 30) % 360) // 60)  # 0 E, 1 NE, 2 NW, 3 W, 4 SW, 5 SE (y grows south)
    if hexmap.nbr[h, d] < 0:
        return -1, -1
    return h, d


def paint(hexmap, hexes: list[int], code: str) -> MapEdit | None:
    """Set the terrain of ``hexes`` to ``code``; None when nothing would change."""
    codes = hexmap.terrain_codes
    if code not in codes:
        raise ValueError(f"terrain code {code!r} (expected one of {', '.join(codes)})")
    want = codes.index(code)
    todo = [h for h in hexes if h >= 0 and hexmap.terrain[h] != want]
    if not todo:
        return None

    def mutate(ov):
        for h in todo:
            ov.terrain[int(h)] = code
    return MapEdit(mutate, f"paint {len(todo)} hex(es) {terrain_name(hexmap, code)}")


def terrain_name(hexmap, code: str) -> str:
    """'mountain' for 'M' (the map's own names of its terrain codes)."""
    codes = hexmap.terrain_codes
    return hexmap.terrain_names[codes.index(code)].replace("_", " ") if code in codes else code


def _canonical(hexmap, h: int, d: int) -> tuple[int, int]:
    o = int(hexmap.nbr[h, d])
    return (h, d) if h < o else (o, (d + 3) % 6)


def set_river(hexmap, h: int, d: int, level: int) -> MapEdit | None:
    if h < 0 or int(hexmap.river[h, d]) == level:
        return None
    key = _canonical(hexmap, h, d)

    def mutate(ov):
        ov.rivers[key] = int(level)
    return MapEdit(mutate, ("clear river" if level == 0 else "minor river" if level == 1 else "major river"))


def toggle_road(hexmap, h: int, d: int) -> MapEdit | None:
    if h < 0:
        return None
    key = _canonical(hexmap, h, d)
    on = not bool(hexmap.road[h, d])

    def mutate(ov):
        ov.roads[key] = on
    return MapEdit(mutate, "road" if on else "remove road")


def set_place(key: str, fields: dict, label: str = "place") -> MapEdit:
    """Add or replace the place ``key`` (name_en, name_zh, kind, lat, lon)."""
    fields = {f: fields[f] for f in ("name_en", "name_zh", "kind", "lat", "lon")}

    def mutate(ov):
        if key in ov.remove_places:
            ov.remove_places.remove(key)
        ov.places[key] = dict(fields)
    return MapEdit(mutate, label)


def delete_place(key: str) -> MapEdit:
    def mutate(ov):
        ov.places.pop(key, None)
        if key not in ov.remove_places:
            ov.remove_places.append(key)
    return MapEdit(mutate, f"delete place {key}")
