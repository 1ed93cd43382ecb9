"""Planning information for the AIs from the operational graph (engine/map/opgraph.py).

Read-only helpers an AI (or a report) can call: the route each Japanese axis follows
through its objectives, and the chokepoints on the way from the places Japan holds at
the start to the objective of the campaign.  They describe the board; they decide nothing.
"""
from __future__ import annotations

from ..map.opgraph import Chokepoint, Route


def axis_start_place(game, axis: str) -> str | None:
    """The place the axis sets out from: nearest to the start (or arrival) hex of its first unit."""
    for u in game.units:
        if u.axis == axis:
            h = u.start_hex if u.start_hex >= 0 else u.arrives_hex
            if h >= 0:
                return game.opgraph.nearest_place(h)
    return None


def axis_route(game, axis: str, avoid=()) -> Route | None:
    """Cheapest route from the axis's start place through each of its objectives in turn
    (None when a leg has no route, e.g. with ``avoid`` closing every way)."""
    objectives = game.axis_objectives()[axis]
    start = axis_start_place(game, axis)
    stops = ([start] if start and start != objectives[0] else []) + objectives
    og = game.opgraph
    legs = []
    for a, b in zip(stops, stops[1:]):
        r = og.route(a, b, avoid=avoid)
        if r is None:
            return None
        legs.append(r)
    if not legs:
        return og.route(stops[0], stops[0])
    places = legs[0].places + tuple(p for r in legs[1:] for p in r.places[1:])
    hexes = legs[0].hexes + tuple(h for r in legs[1:] for h in r.hexes[1:])
    return Route(places=places, cost=sum(r.cost for r in legs), km=sum(r.km for r in legs),
                 road_km=sum(r.road_km for r in legs), hexes=hexes)


def axis_routes(game) -> dict[str, Route | None]:
    """:func:`axis_route` of every axis of ``[ai.japan.axes]``."""
    return {axis: axis_route(game, axis) for axis in game.axis_objectives()}


def campaign_chokepoints(game) -> tuple[Chokepoint, ...]:
    """Chokepoints on the routes from the places Japan holds at the start to the victory airfield."""
    return game.opgraph.chokepoints(game.scenario.sides["japan"].start_control, game.scenario.victory.airfield)


def chokepoints_now(state) -> tuple[Chokepoint, ...]:
    """Chokepoints on the routes from the places Japan holds now to the victory airfield:
    the places whose holding most lengthens Japan's best way there (for a defender's plan)."""
    game = state.game
    held = [k for k in game.opgraph.keys if state.control.get(k) == "japan"]
    return game.opgraph.chokepoints(held, game.scenario.victory.airfield)
