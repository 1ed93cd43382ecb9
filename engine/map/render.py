"""Render a HexMap to PNG with matplotlib (Agg): ``xuefeng map --png out.png``.

Hexes are tinted by terrain and shaded by a per-hex hillshade; rivers, roads, places,
a km scale bar, a lat/lon graticule and a legend are drawn on top.  Chinese names are
added when a CJK font is available (in ``assets/fonts`` or known to matplotlib).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure  # no pyplot: Figure.savefig draws with Agg by itself
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..paths import ASSETS_DIR, SCENARIO_DIR
from .hexmap import HexMap


#: Base colours per terrain index (plain, hills, mountain, high mountain).
TERRAIN_RGB = np.array([
    (0.80, 0.88, 0.66),
    (0.88, 0.83, 0.59),
    (0.76, 0.62, 0.42),
    (0.60, 0.49, 0.40),
])
RIVER_COLOUR = "#2a6fc9"
ROAD_COLOUR = "#8b1e1e"
#: Range names drawn in the relief where they fall on the map: (text, lat, lon, angle deg).
FEATURE_LABELS = (("XUEFENG SHAN  雪峰山", 27.75, 110.965, 57.0),)
SIDE_COLOURS = {"japan": "#e8d44d", "china": "#5b8bd6"}
CJK_HINTS = ("CJK", "Han Sans", "Han Serif", "WenQuanYi", "Droid Sans Fallback", "AR PL", "SimHei", "SimSun")
PROJECT_FONTS = ASSETS_DIR / "fonts"


class CjkFont:
    """A CJK-capable font file (regular and optional bold) with a glyph coverage check."""

    def __init__(self, regular: Path, bold: Path | None = None):
        from matplotlib.ft2font import FT2Font

        self.regular = FontProperties(fname=str(regular))
        self.bold = FontProperties(fname=str(bold)) if bold else self.regular
        self._face = FT2Font(str(regular))

    def covers(self, text: str) -> bool:
        return all(self._face.get_char_index(ord(ch)) for ch in text if not ch.isspace())


def cjk_font() -> CjkFont | None:
    """The project's CJK subset font (assets/fonts/XuefengSans-*), else a system CJK font, else None."""
    regular = PROJECT_FONTS / "XuefengSans-Regular.otf"
    if regular.exists():
        bold = PROJECT_FONTS / "XuefengSans-Bold.otf"
        return CjkFont(regular, bold if bold.exists() else None)
    for entry in sorted(fontManager.ttflist, key=lambda e: (e.name, e.fname)):
        if any(h in entry.name for h in CJK_HINTS):
            return CjkFont(Path(entry.fname))
    return None


def hillshade(m: HexMap, azimuth_deg: float = 315.0, altitude_deg: float = 45.0, z_factor: float = 4.0) -> np.ndarray:
    """Lambertian shade (0..1) per hex from the elevation gradient across its neighbours."""
    z = m.elevation_m.astype(np.float64)
    nb = np.where(m.nbr >= 0, m.nbr, np.arange(m.count)[:, None])
    dx = m.x_km[nb] - m.x_km[:, None]
    dy = m.y_km[nb] - m.y_km[:, None]
    dz = (z[nb] - z[:, None]) / 1000.0 * z_factor  # km, exaggerated
    # Least-squares plane through the neighbour differences: dz = gx*dx + gy*dy.
    sxx, syy, sxy = (dx * dx).sum(1), (dy * dy).sum(1), (dx * dy).sum(1)
    sxz, syz = (dx * dz).sum(1), (dy * dz).sum(1)
    det = np.where(sxx * syy - sxy ** 2 == 0, 1.0, sxx * syy - sxy ** 2)
    gx, gy = (syy * sxz - sxy * syz) / det, (sxx * syz - sxy * sxz) / det
    # Light from azimuth (clockwise from north), y grows south.
    az, alt = math.radians(azimuth_deg), math.radians(altitude_deg)
    lx, ly, lz = math.sin(az) * math.cos(alt), -math.cos(az) * math.cos(alt), math.sin(alt)
    nx, ny, nz = -gx, -gy, np.ones_like(gx)
    return np.clip((nx * lx + ny * ly + nz * lz) / np.sqrt(nx * nx + ny * ny + 1.0), 0.0, 1.0)


def hex_colours(m: HexMap) -> np.ndarray:
    """RGB per hex: terrain colour, darkened slightly with elevation, times the hillshade."""
    base = TERRAIN_RGB[m.terrain]
    elev = np.clip(m.elevation_m / 1800.0, 0, 1)[:, None]
    shade = hillshade(m)[:, None]
    flat = math.sin(math.radians(45.0))  # shade of level ground
    light = 1.0 + 0.9 * (shade - flat)
    return np.clip(base * (1.0 - 0.18 * elev) * light, 0, 1)


def _hex_polygons(m: HexMap) -> np.ndarray:
    return m.grid.layout.corners(m.x_km, m.y_km)


def _side_segments(m: HexMap, mask: np.ndarray) -> np.ndarray:
    """Hex-edge segments (k, 2, 2) for the sides where ``mask`` (N, 6) is set, each side once."""
    h, d = np.nonzero(mask & ((m.nbr > np.arange(m.count)[:, None]) | (m.nbr < 0)))
    return m.grid.layout.side_segments(m.x_km[h], m.y_km[h], d).reshape(-1, 2, 2)


def _road_segments(m: HexMap) -> np.ndarray:
    h, d = np.nonzero(m.road & (m.nbr > np.arange(m.count)[:, None]))
    n = m.nbr[h, d]
    return np.stack([np.stack([m.x_km[h], m.y_km[h]], 1), np.stack([m.x_km[n], m.y_km[n]], 1)], axis=1)


def _halo(width: float = 2.5):
    return [patheffects.withStroke(linewidth=width, foreground="white", alpha=0.85)]


def _draw_graticule(ax, m: HexMap, xmax: float, ymax: float) -> None:
    proj = m.projection
    lat_min, lon_max = proj.to_latlon(xmax, ymax)
    lons = np.arange(math.ceil(proj.lon_min * 2) / 2, lon_max + 1e-9, 0.5)
    lats = np.arange(math.ceil(lat_min * 2) / 2, proj.lat_max + 1e-9, 0.5)
    xs = [proj.to_km(proj.lat0, lo)[0] for lo in lons]
    ys = [proj.to_km(la, proj.lon_min)[1] for la in lats]
    for x in xs:
        ax.axvline(x, color="k", lw=0.4, alpha=0.25, zorder=2)
    for y in ys:
        ax.axhline(y, color="k", lw=0.4, alpha=0.25, zorder=2)
    ax.set_xticks(xs, [f"{lo:.1f}°E" for lo in lons])
    ax.set_yticks(ys, [f"{la:.1f}°N" for la in lats])
    ax.tick_params(labelsize=8, top=True, labeltop=True, right=True)


def _draw_scale_bar(ax, x0: float, y0: float, km: int = 50) -> None:
    for i in range(km // 10):
        ax.add_patch(Rectangle((x0 + 10 * i, y0), 10, 1.6, facecolor="k" if i % 2 == 0 else "w",
                                   edgecolor="k", lw=0.6, zorder=8))
    for k in range(0, km + 1, 10 if km <= 50 else 25):
        ax.text(x0 + k, y0 - 1.2, str(k), ha="center", va="bottom", fontsize=7, zorder=8, path_effects=_halo())
    ax.text(x0 + km + 2, y0 + 0.8, "km", ha="left", va="center", fontsize=7, zorder=8, path_effects=_halo())


def _unit_field(u: Any, name: str, default=None):
    return u.get(name, default) if isinstance(u, dict) else getattr(u, name, default)


def _draw_units(ax, m: HexMap, units: Iterable[Any]) -> None:
    """Counters for units: objects or dicts with ``hex``, ``side`` and optional ``label``."""
    stacks: dict[int, int] = {}
    s = m.grid.size * 0.55
    for u in units:
        h = int(_unit_field(u, "hex", -1))
        if h < 0:
            continue
        k = stacks[h] = stacks.get(h, -1) + 1
        x, y = m.x_km[h] + 0.6 * k, m.y_km[h] - 0.6 * k
        side = str(_unit_field(u, "side", ""))
        ax.add_patch(Rectangle((x - s, y - s * 0.7), 2 * s, 1.4 * s, facecolor=SIDE_COLOURS.get(side, "#ccc"),
                                   edgecolor="k", lw=0.6, zorder=9))
        label = _unit_field(u, "label") or _unit_field(u, "id") or ""
        if label:
            ax.text(x, y, str(label)[:6], ha="center", va="center", fontsize=4.5, zorder=10)


def _place_style(kind: str) -> dict[str, Any]:
    if kind == "airfield":
        return dict(marker="P", ms=9, mfc="#1b5e20", mec="w", mew=0.8)
    if kind == "peak":
        return dict(marker="^", ms=6, mfc="k", mec="w", mew=0.6)
    if kind == "city":
        return dict(marker="o", ms=5.5, mfc="k", mec="w", mew=0.7)
    return dict(marker="o", ms=4, mfc="#333", mec="w", mew=0.7)


def _draw_places(ax, m: HexMap, cjk: CjkFont | None, km_per_pt: float, xmax: float, ymax: float) -> None:
    """Place markers (at their hex centre, where roads meet them) and labels, put greedily
    (cities first) where they overlap least."""
    order = sorted(m.places.values(), key=lambda p: ({"city": 0, "airfield": 1, "town": 2}.get(p.kind, 3), p.key))
    pts = {p.key: (float(m.x_km[p.hex]), float(m.y_km[p.hex])) for p in order}  # drawn at their hex centre
    r_dot = 3.0 * km_per_pt
    boxes = [(x - r_dot, y - r_dot, x + r_dot, y + r_dot) for x, y in pts.values()]
    for p in order:
        x, y = pts[p.key]
        ax.plot(x, y, ls="", zorder=7, **_place_style(p.kind))
    for p in order:
        x, y = pts[p.key]
        fs = 7.5 if p.kind == "city" else 6.5
        name = p.name_en.split(",")[0]
        zh = p.name_zh.split(" ")[0] if cjk is not None and p.name_zh else ""
        if zh and cjk.covers(zh):  # a subset font may lack a rare character: then English only
            name = f"{name} {zh}"
        w = sum(1.0 if ord(ch) > 0x2E80 else 0.56 for ch in name) * fs * km_per_pt
        h = 1.25 * fs * km_per_pt
        gap = 4.5 * km_per_pt
        cands = [("left", "center", x + gap, y), ("right", "center", x - gap, y),
                 ("center", "bottom", x, y - gap), ("center", "top", x, y + gap),
                 ("left", "bottom", x + gap * 0.7, y - gap * 0.7), ("left", "top", x + gap * 0.7, y + gap * 0.7),
                 ("right", "bottom", x - gap * 0.7, y - gap * 0.7), ("right", "top", x - gap * 0.7, y + gap * 0.7)]

        def box(c):
            ha, va, tx, ty = c
            x0 = tx if ha == "left" else tx - w if ha == "right" else tx - w / 2
            y0 = ty - h / 2 if va == "center" else ty - h if va == "bottom" else ty
            return x0, y0, x0 + w, y0 + h

        def overlap(b):
            outside = (max(0.0, -b[0]) + max(0.0, b[2] - xmax) + max(0.0, -b[1]) + max(0.0, b[3] - ymax)) * 100
            return outside + sum(max(0.0, min(b[2], o[2]) - max(b[0], o[0])) * max(0.0, min(b[3], o[3]) - max(b[1], o[1]))
                       for o in boxes)

        best = min(cands, key=lambda c: (overlap(box(c)), cands.index(c)))
        boxes.append(box(best))
        ha, va, tx, ty = best
        bold = p.kind == "city"
        font = (cjk.bold if bold else cjk.regular).copy() if cjk is not None else FontProperties(
            weight="bold" if bold else "normal")
        font.set_size(fs)
        ax.text(tx, ty, name, ha=ha, va=va, zorder=8, path_effects=_halo(), fontproperties=font)


def _draw_river_names(ax, m: HexMap, cjk: CjkFont | None, xmax: float, ymax: float) -> None:
    """Italic names of the named rivers along their longest on-map part, away from the places."""
    towns = np.array([(m.x_km[p.hex], m.y_km[p.hex]) for p in m.places.values()]).reshape(-1, 2)
    margin = 8.0
    for r in m.river_lines:
        if not r.get("name_en") or not r.get("lines"):
            continue
        best = None
        for line in r["lines"]:
            a = np.asarray(line, dtype=float)
            mid = (a[:-1] + a[1:]) / 2
            inside = ((mid[:, 0] > margin) & (mid[:, 0] < xmax - margin) & (mid[:, 1] > margin)
                      & (mid[:, 1] < ymax - margin))
            for i in np.nonzero(inside)[0]:
                clear = np.hypot(*(towns - mid[i]).T).min() if len(towns) else 1e9
                seg = float(np.hypot(*(a[i + 1] - a[i])))
                score = min(clear, 12.0) + min(seg, 6.0)  # away from towns, on a straight-ish stretch
                if best is None or score > best[0]:
                    best = (score, a[i], a[i + 1])
        if best is None:
            continue
        _, (x0, y0), (x1, y1) = best
        ang = -math.degrees(math.atan2(y1 - y0, x1 - x0))  # the y axis points south
        ang = (ang + 90) % 180 - 90
        name = r["name_en"].split("(")[0].replace(" River", "").strip()
        zh = r.get("name_zh", "").split(" ")[0]
        font = FontProperties(style="italic", size=7.5)
        if cjk is not None and zh and cjk.covers(zh):
            name, font = f"{name} {zh}", cjk.regular.copy()
            font.set_size(7.5)
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, name, rotation=ang, rotation_mode="anchor", ha="center",
                va="bottom", color="#174a8c", fontproperties=font, zorder=6, path_effects=_halo(2.0))


def _draw_feature_labels(ax, m: HexMap, cjk: CjkFont | None, xmax: float, ymax: float) -> None:
    for text, lat, lon, angle in FEATURE_LABELS:
        x, y = m.projection.to_km(lat, lon)
        if not (0 <= x <= xmax and 0 <= y <= ymax):
            continue
        if cjk is None or not cjk.covers(text):
            text = text.split("  ")[0]
        font = cjk.bold.copy() if cjk is not None else FontProperties(weight="bold")
        font.set_size(9)
        ax.text(x, y, text, rotation=angle, ha="center", va="center", color="#4a3520", alpha=0.8,
                fontproperties=font, zorder=6, path_effects=_halo(2.0))


def render_map_png(hexmap: HexMap, path: str | Path, width_px: int = 2000, title: str | None = None,
                   units: Iterable[Any] | None = None,
                   overlay: Callable[[Any], list[Any]] | None = None) -> Path:
    """Draw ``hexmap`` (and optional unit counters) to a PNG ``width_px`` wide; returns the path.

    ``overlay(ax)`` draws more on the map's axes (km coordinates) and returns legend handles.
    """
    m = hexmap
    path = Path(path)
    polys = _hex_polygons(m)
    xmax, ymax = float(polys[..., 0].max()), float(polys[..., 1].max())
    legend_w = 0.16
    dpi = 150
    fig_w = width_px / dpi
    ax_w = 1.0 - legend_w - 0.06
    fig_h = fig_w * ax_w * ymax / xmax / 0.88
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi)
    ax = fig.add_axes((0.04, 0.05, ax_w, 0.88))
    ax.set_facecolor("#eeeeee")

    ax.add_collection(PolyCollection(polys, facecolors=hex_colours(m), edgecolors=(0, 0, 0, 0.10),
                                     linewidths=0.25, zorder=1))
    _draw_graticule(ax, m, xmax, ymax)

    river_sides = _side_segments(m, m.river > 0)
    levels = m.river[np.nonzero((m.river > 0) & ((m.nbr > np.arange(m.count)[:, None]) | (m.nbr < 0)))]
    ax.add_collection(LineCollection(river_sides, colors=np.where(levels[:, None] == 2, [[0.16, 0.44, 0.79, 0.55]],
                                                                   [[0.16, 0.44, 0.79, 0.30]]),
                                     linewidths=np.where(levels == 2, 1.1, 0.6), zorder=3))
    for r in m.river_lines:
        major = bool(r.get("major"))
        for line in r["lines"]:
            a = np.asarray(line)
            ax.plot(a[:, 0], a[:, 1], color=RIVER_COLOUR, lw=1.8 if major else 0.8, alpha=0.95 if major else 0.8,
                    solid_capstyle="round", zorder=4)

    ax.add_collection(LineCollection(_road_segments(m), colors=ROAD_COLOUR, linewidths=1.7, alpha=0.9,
                                     capstyle="round", zorder=5))

    cjk = cjk_font()
    _draw_river_names(ax, m, cjk, xmax, ymax)
    _draw_feature_labels(ax, m, cjk, xmax, ymax)
    km_per_pt = xmax / (fig_w * ax_w * 72.0)
    _draw_places(ax, m, cjk, km_per_pt, xmax, ymax)

    if units:
        _draw_units(ax, m, units)
    extra_handles = overlay(ax) if overlay is not None else []
    _draw_scale_bar(ax, 8.0, ymax - 9.0)
    ax.set_xlim(0, xmax)
    ax.set_ylim(ymax, 0)
    ax.set_aspect("equal")
    ax.set_title(title or m.meta.get("title", "Hex map"), fontsize=13, pad=22)

    handles = [Patch(facecolor=TERRAIN_RGB[i], edgecolor="k", lw=0.4, label=n.replace("_", " "))
               for i, n in enumerate(m.terrain_names)]
    handles += [
        Line2D([], [], color=RIVER_COLOUR, lw=1.8, label="major river"),
        Line2D([], [], color=RIVER_COLOUR, lw=0.8, label="minor river"),
        Line2D([], [], color=RIVER_COLOUR, lw=1.1, alpha=0.55, label="river hex side"),
        Line2D([], [], color=ROAD_COLOUR, lw=1.7, label="road (1945)"),
        Line2D([], [], ls="", marker="o", ms=5.5, mfc="k", mec="w", label="city"),
        Line2D([], [], ls="", marker="o", ms=4, mfc="#333", mec="w", label="town"),
        Line2D([], [], ls="", marker="P", ms=9, mfc="#1b5e20", mec="w", label="airfield"),
        Line2D([], [], ls="", marker="^", ms=6, mfc="k", mec="w", label="peak"),
    ] + list(extra_handles)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0 - legend_w + 0.005, 0.93), fontsize=8,
               frameon=True, title="Legend", title_fontsize=9)
    t = m.meta.get("terrain_thresholds_m")
    note = (f"Hex {m.grid.width:.1f} km across, {m.grid.ncols}x{m.grid.nrows} hexes.\n"
            "Elevation: 2' DEM (Marble/SRTM,\ncalibrated to ITU-R P.1511).\nRivers: GSHHG WDBII.\n"
            "Places: GeoNames.\nRoads: 1945, from memory.")
    if t:
        note += f"\nHigh mountain: mean >= {t.get('x_elev')} m."
    fig.text(1.0 - legend_w + 0.008, 0.08, note, fontsize=6.5, va="bottom", ha="left", color="#333")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path


def scenario_map_path(scenario: str) -> Path:
    """map.json of a scenario given by id, directory or file path."""
    p = Path(scenario)
    if p.suffix == ".json":
        return p
    if p.is_dir():
        return p / "map.json"
    return SCENARIO_DIR / scenario / "map.json"


def cli_map(args) -> int:
    """``xuefeng map --png PATH [--scenario ID]``: render a scenario's map."""
    scenario = getattr(args, "scenario", None) or "west_hunan_1945"
    out = render_map_png(HexMap.load(scenario_map_path(scenario)), args.png,
                         width_px=getattr(args, "width", None) or 2000)
    print(f"wrote {out}")
    return 0
