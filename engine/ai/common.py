"""Building blocks shared by the operational AIs: cheap moves down cost-to-go fields, attack picking.

The AIs see what a player sees (the whole board, no hidden information, no peeking at the
other side's plans or at future random draws) and give only legal orders through
``engine.api.apply``.  To stay cheap enough for Monte-Carlo work they move units down
precomputed cost-to-go fields (``Game.field_to``) instead of searching per order.
"""
from __future__ import annotations

import numpy as np

from ..rules import combat, movement
from ..core.actions import Attack, EndPhase, Move
from ..core.errors import IllegalAction
from ..core.play import apply


def descend(state, u, field: np.ndarray, ctx: movement.MoveContext, stop_at: float = 0.0) -> tuple[int, ...]:
    """Walk ``u`` downhill on a cost-to-go ``field`` as far as its movement points allow.

    Each step goes to the legal neighbour with the lowest field value (the first of those within
    1e-9 of each other, in neighbour order);
    the walk stops on entering enemy ZOC, when no neighbour improves, or at ``stop_at``.
    Returns a path that :func:`engine.rules.movement.check_move` accepts, possibly empty.
    """
    nbr, cost = ctx.nbr, ctx.cost
    ezoc, eocc = ctx._ezoc, ctx._enemy_occ
    h = u.hex
    mp = u.mp
    path: list[int] = []
    value = field.item
    here = value(h)
    # no hex is entered twice: each step goes strictly downhill (by more than 1e-9)
    from_zoc = ezoc[h]  # the first step only: out of enemy ZOC, not straight into another
    while mp > 1e-9 and here > stop_at:
        best, best_val, best_cost = -1, here, 0.0
        budget = mp + 1e-9
        for n, c in zip(nbr[h], cost[h]):
            if n < 0 or c > budget or eocc[n] or (from_zoc and ezoc[n]):
                continue
            val = value(n)
            if val < best_val - 1e-9:
                best, best_val, best_cost = n, val, c
        if best < 0:
            break
        path.append(best)
        mp -= best_cost
        h, here = best, best_val
        if ezoc[h]:  # entering enemy ZOC ends the move
            break
        from_zoc = False
    # do not end on a hex where stacking forbids it: back off along the path
    while path and not movement.can_end_in(ctx, path[-1]):
        path.pop()
    return tuple(path)


def first_steps(u, ctx: movement.MoveContext) -> list[int]:
    """The hexes :func:`descend` may step to first from where ``u`` stands, whatever the field:
    on the map, affordable with its movement points, free of the enemy, and out of enemy ZOC
    when leaving it."""
    h = u.hex
    ezoc, eocc = ctx._ezoc, ctx._enemy_occ
    budget = u.mp + 1e-9
    from_zoc = ezoc[h]
    return [n for n, c in zip(ctx.nbr[h], ctx.cost[h])
            if not (n < 0 or c > budget or eocc[n] or (from_zoc and ezoc[n]))]


def try_move(state, u, path) -> bool:
    """Apply a move if it is legal; True when the unit moved."""
    if not path:
        return False
    try:
        apply(state, Move(u.id, tuple(path)))  # apply's checked_order makes numpy hexes plain ints
        return True
    except IllegalAction:
        return False


def attack_options(state, side: str) -> list[tuple[float, int, tuple[str, ...]]]:
    """(odds, target, attackers) for every enemy stack next to ``side``, all adjacent units joining,
    best odds first."""
    out = [(r, t, tuple(u.id for u in adj)) for r, t, adj in combat.odds_next_to(state, side)]
    out.sort(key=lambda x: -x[0])
    return out


def targets_by_odds(state, side: str) -> list[int]:
    """The enemy stacks next to ``side``'s units, best odds first (the order of :func:`attack_options`,
    without gathering the attackers' ids)."""
    weighed = combat.odds_next_to(state, side)
    weighed.sort(key=lambda x: -x[0])
    return [t for _, t, _ in weighed]


def attack_if(state, side: str, min_ratio: float, targets: set[int] | None = None) -> int:
    """Make every attack whose odds reach ``min_ratio`` (best odds first, then the lowest target
    hex, as :func:`attack_options` orders them); returns how many.

    The odds on every target are weighed once; after each attack only the targets it can have
    changed (:func:`_touched`) are weighed again, which gives the odds weighing all would."""
    odds = {t: (r, adj) for r, t, adj in combat.odds_next_to(state, side)}
    made = 0
    while True:
        ok = [t for t, (r, _) in odds.items() if r >= min_ratio and (targets is None or t in targets)]
        if not ok:
            return made
        t = min(ok, key=lambda t: (-odds[t][0], t))
        attackers = odds[t][1]
        fighters = [*attackers, *state.units_at(t)]
        stood = {u.hex for u in fighters}
        try:
            apply(state, Attack(tuple(u.id for u in attackers), t))
            made += 1
        except IllegalAction:
            return made
        touched = _touched(state, stood | {u.hex for u in fighters if u.status == "active"})
        for h in touched:
            odds.pop(h, None)
        held = movement.move_context(state, side).enemy_occupied
        touched = [h for h in touched if held[h]]  # a target is an enemy stack
        if touched:
            odds.update((t, (r, adj)) for r, t, adj in combat.odds_next_to(state, side, touched))


class KeptOdds:
    """The odds :func:`engine.rules.combat.odds_next_to` gives ``side`` on enemy stacks, weighed once
    per target and kept through ``side``'s movement phase.

    The odds on a target read only the side's units next to it (who, their strength, the river
    sides they attack across), the enemy units in it, the hex and the turn's air missions (see
    :func:`_touched`).  In ``side``'s movement phase the enemy does not move, no attack is made,
    no air mission is flown and moving changes no unit's strength; so a move changes only the
    odds on the targets on or next to where the mover stood and where it stands: call
    :meth:`moved` after each move, and every kept odds is the odds weighed afresh.
    """

    def __init__(self, state, side: str):
        self.state, self.side = state, side
        self._odds: dict[int, float | None] = {}  # hex -> odds on its stack (None: no stack or no attacker)

    def odds_on(self, hexes) -> list[float]:
        """The odds on the enemy stacks among ``hexes`` that ``side`` has units next to, in ``hexes`` order."""
        kept = self._odds
        missing = [h for h in hexes if h not in kept]
        if missing:
            weighed = {t: r for r, t, _ in combat.odds_next_to(self.state, self.side, missing)}
            for h in missing:
                kept[h] = weighed.get(h)
        return [r for r in (kept[h] for h in hexes) if r is not None]

    def moved(self, start: int, end: int) -> None:
        """A unit of ``side`` moved from hex ``start`` to hex ``end``: weigh their targets afresh."""
        kept = self._odds
        if not kept:
            return
        nbr = self.state.game.nbr_lists
        for t in [t for t in kept if t == start or t == end or t in nbr[start] or t in nbr[end]]:
            del kept[t]


def _touched(state, hexes: set[int]) -> set[int]:
    """``hexes`` (where an attack's units stood before it and stand after it) and their neighbours:
    the only targets whose odds the attack can have changed.

    The odds on a target read only (a) the side's units next to it that have not attacked (who
    they are, their strength, the river sides they attack across), (b) the enemy units in it
    (strength, fortification), (c) the hex itself and (d) the turn's air missions, which no
    attack changes.  An attack changes only its attackers (losses, fatigue, ``attacked``, the
    lead's advance into the target) and its defenders (losses, fortification, retreat); so a
    target's odds can change only if one of those units stood or stands on it or next to it.
    """
    nbr = state.game.nbr_lists
    out = set()
    for h in hexes:
        if h >= 0:
            out.add(h)
            out.update(n for n in nbr[h] if n >= 0)
    return out


def end_phase(state) -> None:
    apply(state, EndPhase())

