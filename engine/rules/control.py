"""Place control: how a place changes hands without a unit entering it.

A unit that enters a place takes it (:func:`engine.rules.movement.change_control`).  At the
end of every turn, once supply has been traced, each place held by a side A is checked
against the other side B (parameters in the scenario's ``[control]`` table):

1. **Covered**: an active A unit within ``hold_radius`` hexes keeps the place for A.
2. **Taken back by presence**: otherwise an active B unit within ``take_radius`` hexes
   (1: B's zone of control covers the place) takes it for B - a town left empty under the
   enemy's guns opens its gates.
3. **Cut off** (``cut_off_reverts``): otherwise a place A took from the side that held it at
   the start reverts to that side when it lies outside A's supply reach and inside the
   start holder's - the occupier's line to it is gone, the start holder's county
   government, militia and supply reach it.  Only conquered places revert this way: a
   side's own towns are held by its administration whatever the depots of the campaign
   reach (the supply model traces only from those depots).

The victory airfield is left to the victory rule (taken only by entering it).  Every change
is logged like a change by movement, so the timeline report dates it.
"""
from __future__ import annotations

import numpy as np

from ..core.board import board
from ..core.sides import other
from .movement import change_control
from ..core.per_game import per_game


def home_side(game, key: str) -> str:
    """The side holding ``key`` at the start (a side's start_control, else the airfield's defender)."""
    for side, params in game.scenario.sides.items():
        if key in params.start_control:
            return side
    return other(game.scenario.victory.attacker)


@per_game
def _home_sides(game) -> dict[str, str]:
    """:func:`home_side` of every place."""
    return {k: home_side(game, k) for k in game.place_keys}


def _near(state, side: str, radius: int) -> np.ndarray:
    """Boolean array (read-only): hexes within ``radius`` hexes of an active unit of ``side``.

    Radius 1 is the side's zone of control as the board keeps it (a unit's hex and its
    neighbours are exactly the hexes one step from it); other radii are made from the disks
    around the side's hexes and kept on the board until one of the side's units moves."""
    sb = board(state).side_board(side)
    if radius == 1:
        return sb.zoc
    memo = board(state).memo
    key = ("near", side, radius)
    got = memo.get(key)
    if got is None or got[0] != sb.version:
        game = state.game
        out = np.zeros(game.n_hex, dtype=bool)
        grid = game.map.grid
        for h in sb.at:  # the hexes the side's active units stand on
            out[grid.within(h, radius)] = True
        out.flags.writeable = False
        got = memo[key] = (sb.version, out)
    return got[1]


def places_to_trace(state, verdicts: list | None = None) -> dict[str, list[int]]:
    """The place hexes whose supply reach :func:`update_control` will ask each side's trace
    about now (the cut-off rule's candidates), so that supply can answer them with its units'
    (``verdicts``: this position's :func:`verdicts`, when the caller has them)."""
    game = state.game
    asked: dict[str, list[int]] = {s: [] for s in game.scenario.sides}
    for key, enemy, taken in verdicts if verdicts is not None else _verdicts(state):
        if not taken:
            h = game.place_hex[key]
            asked[other(enemy)].append(h)
            asked[enemy].append(h)
    return asked


def update_control(state, supply_traces: dict, verdicts: list | None = None) -> list[tuple[str, str]]:
    """Apply the control rule to every place; return the (place, new holder) changes.

    ``supply_traces``: each side's :class:`engine.rules.supply.SupplyTrace` this turn (asked
    only about the places the cut-off rule weighs: :func:`places_to_trace`); ``verdicts``:
    this position's :func:`verdicts`, when the caller has them (nothing moved or changed hands
    since).
    """
    game = state.game
    changes = []
    for key, enemy, taken in verdicts if verdicts is not None else _verdicts(state):
        h = game.place_hex[key]
        if taken or (not supply_traces[other(enemy)].reaches(h) and supply_traces[enemy].reaches(h)):
            change_control(state, key, enemy)
            changes.append((key, enemy))
    return changes


def verdicts(state) -> list[tuple[str, str, bool]]:
    """(place, the side it may go to, whether that side's presence takes it) for every place
    that may change hands now, in place order; those not taken go if cut off."""
    return _verdicts(state)


def _verdicts(state) -> list[tuple[str, str, bool]]:
    game = state.game
    p = game.scenario.control
    sides = tuple(game.scenario.sides)
    hold = {s: _near_list(state, s, p.hold_radius) for s in sides}
    take = {other(s): _near_list(state, s, p.take_radius) for s in sides}  # keyed by the side it takes from
    homes = _home_sides(game)
    airfield, place_hex, held_by = game.scenario.victory.airfield, game.place_hex, state.control
    cut_off_reverts = p.cut_off_reverts
    out = []
    for key in game.place_keys:
        holder = held_by.get(key)
        if holder not in hold or key == airfield:
            continue
        h = place_hex[key]
        if hold[holder][h]:
            continue
        if take[holder][h]:
            out.append((key, other(holder), True))
        elif cut_off_reverts and homes[key] != holder:
            out.append((key, other(holder), False))
    return out


def _near_list(state, side: str, radius: int) -> list[bool]:
    """:func:`_near` as a Python list (radius 1: the side's live zone-of-control list)."""
    if radius == 1:
        return board(state).side_board(side).zoc_list
    return _near(state, side, radius).tolist()
