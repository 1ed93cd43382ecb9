"""Supply lines for reports: the way a unit's supply comes up, traced on the operational graph.

The supply *rule* (engine/rules/supply.py) decides on the hex grid whether a unit is in
supply.  This module explains it to a reader.  The line runs from the side's supply sources
it holds, by the cheapest route on the operational graph that passes no place the enemy
holds, to the place the unit hangs on - the one not held by the enemy from which the unit's
hex is cheapest to reach - then over the hexes to the unit.  Costs are clear-weather
movement points; the last leg follows the cheapest hex path and does not look at enemy units.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.sides import other


@dataclass(frozen=True)
class SupplyLine:
    """How supply reaches one unit."""

    unit: str
    side: str
    source: str  # the supply source (place key) the line starts from
    places: tuple[str, ...]  # places passed, from the source to the place the last leg leaves
    hexes: tuple[int, ...]  # the whole line, source hex to the unit's hex
    cost: float  # clear-weather movement cost of walking the line from the source to the unit
    km: float
    supplied: bool  # the unit's supply status from the last supply phase (the rule's verdict)


def supply_line(state, unit_id: str) -> SupplyLine | None:
    """The supply line of ``unit_id`` (None when the unit is off the map or no line exists)."""
    game = state.game
    u = state.unit(unit_id)
    if u.hex < 0:
        return None
    og = game.opgraph
    enemy = other(u.side)
    sources = [k for k in game.scenario.sides[u.side].supply_sources
               if k in og.index and state.control.get(k) == u.side]
    if not sources:
        return None
    held = [k for k in og.keys if state.control.get(k) == enemy]
    import networkx as nx  # here: reports only, and loading a game needs no networkx

    g = nx.restricted_view(og.graph, held, [])
    dist, paths = nx.multi_source_dijkstra(g, sources, weight="cost")
    leg = {k: float(og.place_cost[og.index[k], u.hex]) for k in dist}
    best = min(dist, key=lambda k: (leg[k], dist[k], k))
    if not math.isfinite(leg[best]):
        return None
    places = tuple(paths[best])
    hexes = [int(og.hexes[og.index[places[0]]])]
    for a, b in zip(places, places[1:]):
        hexes.extend(og.edge_hexes(a, b)[1:])
    hexes.extend(og.hex_path(best, u.hex)[1:])
    m = game.map
    h = np.asarray(hexes)
    km = float(np.hypot(np.diff(m.x_km[h]), np.diff(m.y_km[h])).sum())
    return SupplyLine(unit=unit_id, side=u.side, source=places[0], places=places, hexes=tuple(hexes),
                      cost=og.path_cost(hexes), km=km, supplied=bool(u.supplied))
