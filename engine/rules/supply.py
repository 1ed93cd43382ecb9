"""Supply: traced over the movement graph from a side's depots.

A unit is in supply when a path of total movement cost at most the side's
``supply_range`` leads from one of its supply sources (a place in ``supply_sources`` that
the side controls) to the unit without entering enemy-held hexes or enemy zones of control
(hexes with friendly units keep the line open).  Enemy air interdiction around a unit
shortens the range it can draw on by up to ``supply.interdiction_range_penalty``.
Units out of supply fight at ``combat.out_of_supply_mult`` and fall sick faster.
"""
from __future__ import annotations

import numpy as np

from . import air
from ..core.board import board
from ..core.sides import other


def supply_field(state, side: str) -> np.ndarray:
    """Movement cost from ``side``'s controlled supply sources to every hex (inf = cut off)."""
    game = state.game
    sources = [game.place_hex[k] for k in game.scenario.sides[side].supply_sources
               if k in game.place_hex and state.control.get(k) == side]
    if not sources:
        return np.full(game.n_hex, np.inf)
    blocked = _blocked(state, side)
    blocked[sources] = False
    rng = game.scenario.sides[side].supply_range
    return game.cost_field(sources, blocked=blocked, limit=rng)


def _blocked(state, side: str) -> np.ndarray:
    """A new array of the hexes a supply line of ``side`` may not enter: those holding enemy
    units and (unless ``supply.trace_through_enemy_zoc``) the enemy's zone of control where no
    unit of ``side`` stands.  A hex holding units of both sides (never in play) counts as
    China's, as the board's occupancy (Japan's hexes written first) counts it."""
    b = board(state)
    mine, theirs = b.side_board(side), b.side_board(other(side))
    china_wins = side == "japan"  # such a hex is the enemy's for Japan, Japan's own for China
    if state.game.scenario.supply.trace_through_enemy_zoc:
        return theirs.occupied.copy() if china_wins else theirs.occupied & ~mine.occupied
    blocked = theirs.zoc & ~mine.occupied  # (the enemy's zone of control holds its own hexes)
    if china_wins:
        blocked |= theirs.occupied
    return blocked


def update_supply(state, side: str) -> np.ndarray:
    """Set ``supplied`` on every active unit of ``side``; return the side's :func:`supply_field`."""
    field = supply_field(state, side)
    penalty = state.game.scenario.supply.interdiction_range_penalty
    rng = state.game.scenario.sides[side].supply_range
    sb = board(state).side_board(side)
    hexes = sb.hexes  # the side's active units' hexes, in unit order
    limit = rng * (1.0 - penalty * air.interdiction_level_at(state, side, hexes))
    in_supply = (field[hexes] <= limit).tolist()
    units = state.units
    for i, now in zip(list(sb.index), in_supply):
        u = units[i]
        was = u.supplied
        if was is not now:  # skip writes that change nothing
            u.supplied = now
        if not now or not (type(u.turns_unsupplied) is int and u.turns_unsupplied == 0):
            u.turns_unsupplied = 0 if now else u.turns_unsupplied + 1
        if u.supplied != was:  # a report for the players; nothing reads it back
            state.log.append({"turn": state.turn, "type": "supply", "side": side, "unit": u.id, "hex": int(u.hex),
                              "supplied": u.supplied})
    return field


def supply_reach(state, side: str) -> np.ndarray:
    """Boolean array: hexes within ``side``'s supply range of its sources (before interdiction)."""
    return supply_field(state, side) <= state.game.scenario.sides[side].supply_range
