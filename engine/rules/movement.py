"""Movement: costs, zones of control, stacking, reachable hexes and path checks.

Rules (numbers from the scenario's ``[movement]`` and ``[terrain]`` tables):
- Entering a hex costs the terrain's ``move_cost`` plus ``river_minor``/``river_major`` when
  the side crossed carries a river; a side with a road costs ``road_cost`` whatever the
  terrain or river (the road bridges it).  Weather multiplies off-road costs.
- A unit may not enter a hex holding enemy units.
- Zones of control: every active unit controls the six hexes around it.  Entering an enemy
  ZOC hex ends the move; a unit that starts in enemy ZOC may leave it but not step directly
  into another enemy-ZOC hex.
- Stacking: at most ``stacking_max_units`` friendly units may end a move in a hex.
"""
from __future__ import annotations

import heapq
import math

import numpy as np

from ..core.board import board
from ..core.errors import IllegalAction
from ..core.sides import other


def _cost_lists(state) -> tuple[list, list]:
    """Per-hex neighbour and entry-cost lists for the current weather (cached on the game).

    The neighbour lists are the game's own (:attr:`~engine.core.game.Game.nbr_lists`, one set for
    every weather) and the cost lists are made once per movement factor, not per weather (clear
    and cloud share theirs): each set is ~24,000 Python objects, ~1.5 ms to make."""
    game = state.game
    cache = game.__dict__.setdefault("_move_cost_cache", {})
    key = state.weather
    got = cache.get(key)
    if got is None:
        mult = game.scenario.air.weather[state.weather].move_mult
        got = cache.get(("mult", mult))
        if got is None:
            cost = np.where(game.is_road, game.enter_cost, game.offroad_cost * mult)
            got = cache[("mult", mult)] = (game.nbr_lists, cost.tolist())
        cache[key] = got
    return got


def zoc_mask(state, side: str) -> np.ndarray:
    """Boolean array (read-only): hexes in the zone of control of ``side``'s active units."""
    return board(state).side(state, side).zoc


def zones_of_control(state, side: str) -> np.ndarray:
    """Boolean array: hexes where ``side``'s zone of control binds movers (none when the scenario
    turns zones of control off)."""
    if not state.game.scenario.movement.zoc:
        return np.zeros(state.game.n_hex, dtype=bool)
    return zoc_mask(state, side)


def route(state, unit_id: str, dest: int) -> tuple[int, ...]:
    """The cheapest path (this turn's weather) from a unit's hex to ``dest``, ignoring its movement
    points, zones of control, stacking and the enemy; () when ``dest`` cannot be reached at all.

    Giving this path as a :class:`Move` makes :func:`check_move` say why the move is refused.
    """
    start = state.unit(unit_id).hex
    nbr, cost = _cost_lists(state)
    best = {start: (0.0, -1)}
    todo = [(0.0, start)]
    while todo:
        c, h = heapq.heappop(todo)
        if h == dest:
            break
        if c > best[h][0]:
            continue
        for d, n in enumerate(nbr[h]):
            step = cost[h][d]
            if n < 0 or not math.isfinite(step):
                continue
            if c + step < best.get(n, (math.inf,))[0]:
                best[n] = (c + step, h)
                heapq.heappush(todo, (c + step, n))
    if dest == start or dest not in best:
        return ()
    path = [dest]
    while best[path[-1]][1] != start:
        path.append(best[path[-1]][1])
    return tuple(reversed(path))


def move_context(state, side: str) -> "MoveContext":
    """The :class:`MoveContext` for ``side`` (one per state, side and weather; it reads the live board)."""
    memo = board(state).memo
    key = ("move", side, state.weather)
    got = memo.get(key)
    if got is None:
        got = memo[key] = MoveContext(state, side)
    return got


class MoveContext:
    """What movement needs from the state for one side: per-hex tables as Python lists.

    The friendly counts, enemy occupation and enemy zones of control are the board's live
    tables (:mod:`engine.core.board`), so they always show the current position; read them,
    never write them.
    """

    def __init__(self, state, side: str):
        self.side = side
        b = board(state)
        mine, theirs = b.side(state, side), b.side(state, other(side))
        game = state.game
        self.enemy_occupied = self._enemy_occ = theirs.occupied_list
        self.friendly_count = mine.count_list
        self.stack_max = game.scenario.movement.stacking_max_units
        self.nbr, self.cost = _cost_lists(state)
        if game.scenario.movement.zoc:
            self.enemy_zoc = self._ezoc = theirs.zoc_list
        else:
            self.enemy_zoc = self._ezoc = [False] * game.n_hex


def reachable(state, unit_id: str, ctx: MoveContext | None = None) -> dict[int, tuple[float, int]]:
    """Hexes the unit can reach with its movement points left: {hex: (cost, previous hex)}.

    Includes hexes where it could not end its move for stacking; use :func:`can_end_in`.
    """
    u = state.unit(unit_id)
    if u.status != "active" or u.mp <= 0:
        return {}
    ctx = ctx or move_context(state, u.side)
    nbr, cost, eocc, ezoc = ctx.nbr, ctx.cost, ctx._enemy_occ, ctx._ezoc
    start = u.hex
    budget = u.mp + 1e-9
    best = {start: (0.0, -1)}
    heap = [(0.0, start)]
    while heap:
        c, h = heapq.heappop(heap)
        if c > best[h][0]:
            continue
        if h != start and ezoc[h]:
            continue  # entering enemy ZOC ended the move
        from_zoc = h == start and ezoc[h]
        nb, cs = nbr[h], cost[h]
        for d in range(6):
            n = nb[d]
            if n < 0 or eocc[n]:
                continue
            if from_zoc and ezoc[n]:
                continue
            nc = c + cs[d]
            if nc <= budget and (n not in best or nc < best[n][0]):
                best[n] = (nc, h)
                heapq.heappush(heap, (nc, n))
    del best[start]
    return best


def can_end_in(ctx: MoveContext, hex_id: int) -> bool:
    """Whether one more friendly unit may end its move in ``hex_id``."""
    return ctx.friendly_count[hex_id] < ctx.stack_max


def path_to(reach: dict[int, tuple[float, int]], dest: int) -> tuple[int, ...]:
    """The cheapest path (excluding the start) to ``dest`` from a :func:`reachable` result."""
    path = []
    h = dest
    while h in reach:
        path.append(h)
        h = reach[h][1]
    return tuple(reversed(path))


def check_move(state, unit_id: str, path: tuple[int, ...], ctx: MoveContext | None = None) -> float:
    """Validate a move and return its cost; raise :class:`IllegalAction` saying why not."""
    if state.phase != "move":
        raise IllegalAction(f"units move only in the movement phase (now: {state.phase})")
    u = state.own_active_unit(unit_id)
    if not path:
        raise IllegalAction("empty path")
    ctx = ctx or move_context(state, u.side)
    n_hex = state.game.n_hex
    nbr, cost, ezoc, eocc = ctx.nbr, ctx.cost, ctx.enemy_zoc, ctx.enemy_occupied
    total = 0.0
    h = u.hex
    for i, n in enumerate(path):
        if not ((type(n) is int or isinstance(n, (int, np.integer))) and 0 <= n < n_hex):
            raise IllegalAction(f"path step {i}: {n!r} is not a hex of the map")
        if i > 0 and ezoc[h]:
            raise IllegalAction(f"path step {i}: the move must stop on entering an enemy zone of control",
                                "move.zoc_stop", hex=int(h))
        try:
            d = nbr[h].index(n)
        except ValueError:
            raise IllegalAction(f"path step {i}: hex {n} is not adjacent to hex {h}", "move.not_adjacent",
                                hex=int(n), from_hex=int(h)) from None
        if eocc[n]:
            raise IllegalAction(f"path step {i}: hex {n} is held by the enemy", "move.enemy_hex", hex=int(n))
        if i == 0 and ezoc[h] and ezoc[n]:
            raise IllegalAction("a unit may not move directly from one enemy zone of control to another",
                                "move.zoc_to_zoc")
        total += cost[h][d]
        h = n
    if total > u.mp + 1e-9:
        raise IllegalAction(f"{unit_id} needs {total:.1f} movement points, has {u.mp:.1f}", "move.mp",
                            unit=unit_id, need=float(total), have=float(u.mp))
    if not can_end_in(ctx, path[-1]):
        raise IllegalAction(f"stacking: hex {path[-1]} already holds {ctx.stack_max} friendly units", "move.stacking",
                            hex=int(path[-1]), max=int(ctx.stack_max))
    return total


def do_move(state, unit_id: str, path: tuple[int, ...], cost: float) -> None:
    """Carry out a checked move: position, movement points, lost fortification, place control."""
    u = state.unit(unit_id)
    u.hex = int(path[-1])
    u.mp = max(0.0, u.mp - cost)
    u.moved = True
    u.fort = 0
    places, side = state.game.hex_place, u.side
    for h in path:
        key = places.get(h)  # a numpy integer finds the same key as its int
        if key is not None:
            change_control(state, key, side)


def change_control(state, key: str, side: str) -> None:
    """``side`` now holds place ``key``; a change of hands is logged for the players."""
    if state.control.get(key) != side:
        state.log.append({"turn": state.turn, "type": "control", "place": key, "side": side,
                          "from": state.control.get(key)})
    state.control[key] = side
