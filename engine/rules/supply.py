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


class SupplyTrace:
    """``side``'s supply lines as they stand when it is made: its controlled supply sources and
    the hexes a line may not enter (later moves or changes of control do not alter it), and
    questions about the movement cost from those sources, answered by
    :meth:`engine.map.shortest_paths.MoveGraph.within` (often without a search)."""

    def __init__(self, state, side: str):
        game = state.game
        self.game, self.side = game, side
        self.range = game.scenario.sides[side].supply_range
        self.sources = [game.place_hex[k] for k in game.scenario.sides[side].supply_sources
                        if k in game.place_hex and state.control.get(k) == side]
        self.blocked = _blocked(state, side)
        self.blocked[self.sources] = False
        self._reaches: dict[int, bool] = {}  # hex -> within the range, for hexes already asked about

    def field(self) -> np.ndarray:
        """Movement cost from the sources to every hex (inf = cut off or beyond the range)."""
        if not self.sources:
            return np.full(self.game.n_hex, np.inf)
        return self.game.cost_field(self.sources, blocked=self.blocked, limit=self.range)

    def within(self, hexes, limits) -> np.ndarray:
        """Whether each of ``hexes`` costs at most its entry of ``limits`` (each at most the
        range): ``field()[hexes] <= limits``."""
        if not self.sources:
            return np.zeros(len(hexes), dtype=bool)
        return self.game.move_graph.within(self.sources, self.blocked, self.range, hexes, limits)

    def reaches(self, hex_id: int) -> bool:
        """Whether ``hex_id`` lies within the side's supply range (before interdiction)."""
        got = self._reaches.get(hex_id)
        if got is None:
            got = self._reaches[hex_id] = bool(self.within([hex_id], [self.range])[0])
        return got

    def within_and_reaches(self, hexes: list[int], limits: list[float], places: list[int]) -> list[bool]:
        """:meth:`within` for ``hexes``, as a list, with :meth:`reaches` for each of ``places``
        answered in the same question and kept."""
        got = self.within(hexes + places, limits + [self.range] * len(places)).tolist()
        if places:
            self._reaches.update(zip(places, got[len(hexes):]))
            del got[len(hexes):]
        return got


def supply_field(state, side: str) -> np.ndarray:
    """Movement cost from ``side``'s controlled supply sources to every hex (inf = cut off)."""
    return SupplyTrace(state, side).field()


def _blocked(state, side: str) -> np.ndarray:
    """A new array of the hexes a supply line of ``side`` may not enter: those holding enemy
    units and (unless ``supply.trace_through_enemy_zoc``) the enemy's zone of control where no
    unit of ``side`` stands.  A hex holding units of both sides (never in play) counts as
    China's, as the board's occupancy (Japan's hexes written first) counts it.

    Written straight from the units' hexes: the enemy's zone (or its hexes), then ``side``'s
    hexes cleared, then for Japan the enemy's hexes again."""
    b = board(state)
    mine, theirs = b.side_board(side), b.side_board(other(side))
    china_wins = side == "japan"  # such a hex is the enemy's for Japan, Japan's own for China
    blocked = np.zeros(state.game.n_hex, dtype=bool)
    if state.game.scenario.supply.trace_through_enemy_zoc:
        blocked[theirs.hexes] = True
    else:
        theirs.zoc_into(blocked)  # (the enemy's zone of control holds its own hexes)
    blocked[mine.hexes] = False
    if china_wins:
        blocked[theirs.hexes] = True
    return blocked


def update_supply(state, side: str, places=()) -> SupplyTrace:
    """Set ``supplied`` on every active unit of ``side``; return the side's :class:`SupplyTrace`,
    already asked whether it reaches ``places`` (hexes: those the control rule will ask about)."""
    trace = SupplyTrace(state, side)
    penalty = state.game.scenario.supply.interdiction_range_penalty
    b = board(state)
    sb = b.side_board(side)
    reach = trace.range
    # each unit's range, shortened by the interdiction over it (the same float operations as on arrays)
    limits = [reach * (1.0 - penalty * level) for level in air.interdiction_levels(state, side, sb.hexes)]
    in_supply = trace.within_and_reaches(sb.hex_list, limits, list(places))  # in unit order
    for u, now in zip(b.units_of(side), in_supply):
        was = u.supplied
        if was is not now:  # skip writes that change nothing
            u.supplied = now
        if not now or not (type(u.turns_unsupplied) is int and u.turns_unsupplied == 0):
            u.turns_unsupplied = 0 if now else u.turns_unsupplied + 1
        if u.supplied != was:  # a report for the players; nothing reads it back
            state.log.append({"turn": state.turn, "type": "supply", "side": side, "unit": u.id, "hex": int(u.hex),
                              "supplied": u.supplied})
    return trace


def supply_reach(state, side: str) -> np.ndarray:
    """Boolean array: hexes within ``side``'s supply range of its sources (before interdiction)."""
    return supply_field(state, side) <= state.game.scenario.sides[side].supply_range
