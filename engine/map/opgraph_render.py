"""Draw the operational graph over the map: ``xuefeng map --graph FILE`` (matplotlib, Agg).

Road links are solid, along the road's hexes; track links dashed and straight; each is
labelled with its clear-weather movement cost (rounded).  The chokepoints on the routes from the places Japan
holds at the start to the victory airfield are ringed and numbered by rank.  Place names
come from the base map (engine/map/render.py).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from .opgraph import Chokepoint, OperationalGraph
from .render import render_map_png

ROAD_LINK = "#7a0f6e"
TRACK_LINK = "#1d1d1d"
CHOKE = "#ff7a00"
NODE = "#ffffff"


def _halo(width: float):
    return [patheffects.withStroke(linewidth=width, foreground="white", alpha=0.9)]


def draw_opgraph(ax, og: OperationalGraph, chokepoints: tuple[Chokepoint, ...] = (), top: int = 6) -> list:
    """Draw ``og`` on ``ax`` (km coordinates); ring the first ``top`` chokepoints. Returns legend handles."""
    m, g = og.map, og.graph
    road, track, labels = [], [], []
    for a, b, e in sorted(g.edges(data=True), key=lambda t: (t[0], t[1])):
        h = np.asarray(e["hexes"])
        if e["road"]:  # along the road's hexes
            line = np.stack([m.x_km[h], m.y_km[h]], axis=1)
            road.append(line)
            mid = line[len(line) // 2] if len(line) > 2 else line.mean(axis=0)
        else:  # tracks wander over the hills: drawn straight, as a link
            line = np.array([[m.x_km[h[0]], m.y_km[h[0]]], [m.x_km[h[-1]], m.y_km[h[-1]]]])
            track.append(line)
            mid = line.mean(axis=0)
        labels.append((mid, e["cost"], e["road"]))
    ax.add_collection(LineCollection(road, colors=ROAD_LINK, linewidths=2.6, alpha=0.85, capstyle="round",
                                     joinstyle="round", zorder=6.2))
    ax.add_collection(LineCollection(track, colors=TRACK_LINK, linewidths=1.2, linestyles=(0, (4, 2.5)),
                                     alpha=0.75, zorder=6.1))
    for (x, y), cost, is_road in labels:
        ax.text(x, y, f"{cost:.0f}", ha="center", va="center", fontsize=5.5, zorder=6.5,
                color=ROAD_LINK if is_road else TRACK_LINK, fontweight="bold", path_effects=_halo(2.2))
    xs = [g.nodes[k]["x_km"] for k in og.keys]
    ys = [g.nodes[k]["y_km"] for k in og.keys]
    ax.scatter(xs, ys, s=46, facecolors=NODE, edgecolors=ROAD_LINK, linewidths=1.4, zorder=6.8)
    handles = [
        Line2D([], [], color=ROAD_LINK, lw=2.6, label="graph: road link"),
        Line2D([], [], color=TRACK_LINK, lw=1.2, ls=(0, (4, 2.5)), label="graph: track link"),
        Line2D([], [], ls="", marker="o", ms=6, mfc=NODE, mec=ROAD_LINK, mew=1.4, label="graph: place"),
        Line2D([], [], ls="", marker="o", ms=14, mfc="none", mec=CHOKE, mew=2.2, label="chokepoint, by rank\n"
               "(extra cost of the best\nroute if it is closed):"),
    ]
    for rank, c in enumerate(chokepoints[:top], start=1):
        n = g.nodes[c.key]
        ax.scatter([n["x_km"]], [n["y_km"]], s=520, facecolors="none", edgecolors=CHOKE, linewidths=2.8,
                   zorder=6.9)
        ax.text(n["x_km"] - 3.6, n["y_km"] - 3.6, str(rank), ha="right", va="bottom", fontsize=9,
                fontweight="bold", color=CHOKE, zorder=9, path_effects=_halo(2.8))
        detour = "cut off" if not np.isfinite(c.detour) else f"+{c.detour:g}"
        name = n["name_en"].split(" (")[0]
        handles.append(Line2D([], [], ls="", marker=f"${rank}$", ms=7, mfc=CHOKE, mec=CHOKE,
                              label=f"{name} ({detour})"))
    return handles


def render_opgraph_png(game, path: str | Path, width_px: int = 2400) -> Path:
    """The scenario's map with its operational graph and campaign chokepoints drawn over it."""
    from ..ai.planning import campaign_chokepoints

    og = game.opgraph
    title = (f"{game.scenario.meta.name}: operational graph (numbers: clear-weather movement cost; "
             f"tracks up to {og.track_max_cost:g})")
    return render_map_png(game.map, path, width_px=width_px, title=title,
                          overlay=lambda ax: draw_opgraph(ax, og, campaign_chokepoints(game)))


def cli_graph(args) -> int:
    """``xuefeng map --graph FILE [--scenario ID]``: the map with its operational graph."""
    import sys

    from ..core.game import Game
    from ..scenario.loader import ScenarioError

    scenario = getattr(args, "scenario", None) or "west_hunan_1945"
    try:
        game = Game.load(scenario)
    except ScenarioError as exc:
        print(f"xuefeng map --graph: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {render_opgraph_png(game, args.graph)}")
    print(opgraph_report(game))
    return 0


def opgraph_report(game) -> str:
    """The chokepoints and the axis routes as text (printed by ``xuefeng map --graph``)."""
    from ..ai.planning import axis_routes, campaign_chokepoints

    og = game.opgraph
    name = lambda k: og.graph.nodes[k]["name_en"].split(" (")[0]  # noqa: E731
    lines = [f"Operational graph: {og.graph.number_of_nodes()} places, "
             f"{sum(e['road'] for *_, e in og.graph.edges(data=True))} road links, "
             f"{sum(not e['road'] for *_, e in og.graph.edges(data=True))} track links.",
             f"Chokepoints from the places Japan holds at the start to {name(game.scenario.victory.airfield)} "
             "(extra movement cost of the best route if closed):"]
    for rank, c in enumerate(campaign_chokepoints(game), start=1):
        detour = "cut off" if c.detour == float("inf") else f"+{c.detour:g} MP"
        lines.append(f"  {rank}. {name(c.key)}: {detour}, on {c.share:.0%} of the routes")
    lines.append("Axis routes (clear weather):")
    for axis, r in axis_routes(game).items():
        if r is None:
            lines.append(f"  {axis}: no route")
            continue
        if len(r.places) == 1:
            lines.append(f"  {axis}: stays at {name(r.places[0])}")
            continue
        lines.append(f"  {axis}: {' > '.join(name(k) for k in r.places)} "
                     f"({r.cost:g} MP, {r.km:.0f} km, {r.road_km / r.km:.0%} by road)")
    return "\n".join(lines)
