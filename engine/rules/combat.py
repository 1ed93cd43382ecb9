"""Combat: a Lanchester-style attrition model with retreat and rout.

One attack is a two-day engagement between the attacking units and the whole enemy stack
in the target hex.  Combat strengths are

    S = sum(men * unit quality * nation quality * supply * (1 - fatigue))
    attacker: S_a * river * air support multiplier   (river: ``river_attack_mult`` when every
              attacker attacks across a river side, else 1)
    defender: S_d * terrain defence * (1 + fort_bonus * fort) * air support multiplier
              (* air.airfield_defence when holding the airfield hex)

and with the force ratio R = S_a / S_d and lognormal noise e1, e2, e3 (sigma ``noise_sigma``):

    defender loss fraction = base_loss * R ** k * F_a * e1            (capped at ``max_loss``)
    attacker loss fraction = base_loss * R ** -k * terrain attacker_loss_mult * F_d * e2  (capped at ``max_loss``)

so each side's losses grow with the other's strength (Lanchester's aimed-fire law, k =
``ratio_exponent``) and with the other side's ``firepower`` F (the side's
``sides.<side>.firepower``: how deadly its fire is for the strength it brings - artillery,
ammunition - apart from the quality that wins ground).  If R * e3 reaches ``rout_ratio`` the defenders rout (``rout_hexes``
back, ``rout_captured_fraction`` of the survivors overrun); if it reaches
``retreat_ratio`` they fall back ``retreat_hexes``.  Defenders with nowhere to go lose a further
``no_retreat_capture`` of their survivors, overrun.  Overrun men are split by the side's
``overrun_captured_share`` into prisoners and dead (Japanese troops rarely surrendered).  Fatigue takes at most
``fatigue_max_effect`` of a unit's strength.  Every named number is in the scenario's ``[combat]``.
The strongest attacker advances into a vacated hex.  Losses to fire are split into killed,
wounded and captured by each side's ``casualty_split``.  All randomness comes from ``state.rng``.
"""
from __future__ import annotations

import math

import numpy as np

from . import air
from ..core.board import board
from ..core.errors import IllegalAction
from ..core.sides import other
from .movement import change_control, move_context
from ..core.per_game import per_game

def unit_strength(state, u) -> float:
    """A unit's combat strength before terrain, rivers, forts and air (the rule's S for one unit).

    The one strength formula: combat sums it over a stack, the AIs use it to weigh forces.
    """
    game = state.game
    scn = game.scenario
    c = scn.combat
    return _strength(u, game.unit_quality[u.id], scn.sides[u.side].quality, c.fatigue_max_effect, c.out_of_supply_mult)


def _strength(u, quality: float, side_quality: float, most: float, unsupplied: float) -> float:
    """:func:`unit_strength` of ``u`` from its quality, its side's quality and ``combat``'s
    ``fatigue_max_effect`` and ``out_of_supply_mult`` (read once by callers weighing many units)."""
    fatigue = u.fatigue
    s = u.men * quality * side_quality * (1.0 - (fatigue if fatigue < most else most))
    if not u.supplied:
        s *= unsupplied
    return s


def unit_strengths(state, units) -> list[float]:
    """:func:`unit_strength` of each of ``units``, in their order (the scenario's numbers read
    once: for callers weighing many units)."""
    game = state.game
    scn = game.scenario
    c = scn.combat
    quality, most, unsupplied = game.unit_quality, c.fatigue_max_effect, c.out_of_supply_mult
    side_quality = {s: p.quality for s, p in scn.sides.items()}
    return [_strength(u, quality[u.id], side_quality[u.side], most, unsupplied) for u in units]


def side_strength(state, units) -> float:
    """Total :func:`unit_strength` of ``units``, summed in their order."""
    total = 0.0
    for u in units:
        total += unit_strength(state, u)
    return total


def _firepower(game, side: str) -> float:
    return game.scenario.sides[side].firepower


def strengths(state, attackers, target: int) -> tuple[float, float, dict]:
    """(attack strength, defence strength, breakdown) for attacking ``target``."""
    defenders = state.units_at(target)
    game = state.game
    nbr, river = game.nbr_lists, game.river_lists
    across = all(river[u.hex][nbr[u.hex].index(target)] != 0 for u in attackers)
    picture = air.air_picture(state)
    att, dfn, terrain, fort, river_mult, air_a, air_d, base = _weigh(
        _numbers(game), side_strength(state, attackers), side_strength(state, defenders), across,
        max(u.fort for u in defenders), _hex_defence_list(game)[target],
        air.support_sorties_in(picture, attackers[0].side, target),
        air.support_sorties_in(picture, defenders[0].side, target), target == game.airfield_hex)
    return att, dfn, {
        "terrain": terrain, "fort": fort, "river": river_mult, "air_attacker": air_a, "air_defender": air_d,
        "airfield": base,
    }


def _numbers(game) -> tuple:
    """The scenario's numbers :func:`_weigh` reads, read once for a whole weighing."""
    scn = game.scenario
    c, a = scn.combat, scn.air
    return (c.fort_bonus, c.river_attack_mult, c, air.support_bonus(a, False), air.support_bonus(a, True),
            a.airfield_defence)


def _weigh(numbers: tuple, s_a: float, s_d: float, across: bool, fort: int, terrain: float,
           sorties_a: float, sorties_d: float, at_airfield: bool) -> tuple:
    """The combat strengths rule: (attack strength, defence strength, terrain, fort, river,
    air attacker, air defender, airfield multipliers) of stacks of summed unit strengths ``s_a``
    and ``s_d`` (``across``: every attacker attacks across a river side; ``fort``: the
    defenders' best fortification; ``terrain``: the target's defence; ``sorties_*``: each side's
    close support over the target; ``numbers``: :func:`_numbers`)."""
    fort_bonus, river_attack_mult, c, bonus_a, bonus_d, airfield_defence = numbers
    fort_mult = 1.0 + fort_bonus * fort
    river = river_attack_mult if across else 1.0
    air_a = air.support_multiplier_of(sorties_a, c, bonus_a)
    air_d = air.support_multiplier_of(sorties_d, c, bonus_d)
    base = airfield_defence if at_airfield else 1.0
    return s_a * river * air_a, s_d * terrain * fort_mult * air_d * base, terrain, fort_mult, river, air_a, air_d, base


def odds_next_to(state, side: str, targets=None) -> list[tuple[float, int, list]]:
    """(odds, target, attackers) for every enemy stack next to ``side``'s units, all the adjacent
    units that have not attacked joining in (the odds :func:`strengths` gives, target order).
    ``targets``: only these hexes (those of them that hold such a stack).

    The scenario's numbers, the air picture and each unit's strength are read once per call."""
    units = state.units
    b = board(state)
    mine, theirs = b.side_board(side), b.side_board(other(side))
    at = mine.at
    if targets is None:
        zoc = mine.zoc_list  # every enemy stack next to a unit of the side is in its zone of control
        targets = sorted(t for t in theirs.at if zoc[t])
    else:
        held = theirs.occupied_list
        targets = sorted(t for t in set(targets) if held[t])
    if not targets:
        return []
    game = state.game
    numbers, side_quality, most, unsupplied = _odds_numbers(game)
    quality = game.unit_quality
    airfield, defence = game.airfield_hex, _hex_defence_list(game)
    nbr, river = game.nbr_lists, game.river_lists
    picture = air.air_picture(state)
    mine_air, their_air = air.support_by_hex(picture, side), air.support_by_hex(picture, other(side))
    their_at = theirs.at
    power: dict[int, float] = {}  # unit index -> unit_strength, computed once for all targets
    out = []
    for t in targets:
        a_ix = [i for n in nbr[t] for i in at.get(n, ()) if not units[i].attacked]  # (no unit stands on -1)
        if not a_ix:
            continue
        a_ix.sort()
        d_ix = their_at[t] if t not in at else b.units_at(t)  # (a hex holds one side's units)
        attackers = [units[i] for i in a_ix]
        s_a = 0.0
        across = True  # every attacker attacks across a river side
        for i, u in zip(a_ix, attackers):
            s = power.get(i)
            if s is None:
                s = power[i] = _strength(u, quality[u.id], side_quality[u.side], most, unsupplied)
            s_a += s
            if across and river[u.hex][nbr[u.hex].index(t)] == 0:
                across = False
        s_d, fort = 0.0, None
        for i in d_ix:
            u = units[i]
            s = power.get(i)
            if s is None:
                s = power[i] = _strength(u, quality[u.id], side_quality[u.side], most, unsupplied)
            s_d += s
            if fort is None or u.fort > fort:
                fort = u.fort
        att, dfn = _weigh(numbers, s_a, s_d, across, fort, defence[t],
                          air.sorties_at(mine_air, t),
                          air.sorties_at(their_air if units[d_ix[0]].side != side else mine_air, t), t == airfield)[:2]
        out.append((att / max(dfn, 1e-9), t, attackers))
    return out


@per_game
def _odds_numbers(game) -> tuple:
    """(:func:`_numbers`, each side's quality, ``fatigue_max_effect``, ``out_of_supply_mult``):
    the scenario's numbers :func:`odds_next_to` reads."""
    scn = game.scenario
    return (_numbers(game), {s: p.quality for s, p in scn.sides.items()}, scn.combat.fatigue_max_effect,
            scn.combat.out_of_supply_mult)


@per_game
def _hex_defence_list(game) -> list[float]:
    """The terrain defence multiplier of every hex as a Python list."""
    return game.hex_defence.tolist()


def check_attack(state, unit_ids, target: int):
    """Validate an attack; return (attackers, defenders). Raises :class:`IllegalAction`."""
    attackers, defenders, _ = checked_attack(state, unit_ids, target)
    return attackers, defenders


def checked_attack(state, unit_ids, target: int):
    """:func:`check_attack`, also returning the :func:`strengths` it weighed (for :func:`resolve`)."""
    if state.phase != "combat":
        raise IllegalAction(f"attacks are made in the combat phase (now: {state.phase})")
    if not unit_ids:
        raise IllegalAction("an attack needs at least one unit")
    if len(set(unit_ids)) != len(unit_ids):
        raise IllegalAction("a unit is listed twice in the attack")
    game = state.game
    if not (isinstance(target, (int, np.integer)) and 0 <= target < game.n_hex):
        raise IllegalAction(f"target {target!r} is not a hex of the map")
    defenders = state.units_at(target)
    if not defenders or defenders[0].side == state.side:
        raise IllegalAction(f"hex {target} holds no enemy units", "combat.no_enemy", hex=int(target))
    attackers = []
    nbrs = set(game.nbr_lists[target])
    for uid in unit_ids:
        u = state.own_active_unit(uid)
        if u.attacked:
            raise IllegalAction(f"{uid} has already attacked this turn", "combat.already_attacked", unit=uid)
        if u.hex not in nbrs:
            raise IllegalAction(f"{uid} is not adjacent to hex {target}", "combat.not_adjacent", unit=uid, hex=int(target))
        attackers.append(u)
    weighed = strengths(state, attackers, target)
    att, dfn, _ = weighed
    ratio = att / max(dfn, 1e-9)
    if ratio < game.scenario.combat.attacker_min_ratio:
        raise IllegalAction(
            f"odds {ratio:.2f}:1 are below the minimum {game.scenario.combat.attacker_min_ratio:.2f}:1 for an attack",
            "combat.min_odds", ratio=float(ratio), min=float(game.scenario.combat.attacker_min_ratio))
    return attackers, defenders, weighed


def preview(state, unit_ids, target: int) -> dict:
    """Odds and expected losses of an attack, without drawing any random number."""
    game = state.game
    c = game.scenario.combat
    attackers = [state.unit(u) for u in unit_ids]
    defenders = state.units_at(target)
    att, dfn, parts = strengths(state, attackers, target)
    r = att / max(dfn, 1e-9)
    k = c.ratio_exponent
    mean_noise = math.exp(c.noise_sigma ** 2 / 2)
    fire_a, fire_d = _firepower(game, attackers[0].side), _firepower(game, defenders[0].side)
    fd = min(c.max_loss, c.base_loss * r ** k * fire_a * mean_noise)
    fa = min(c.max_loss, c.base_loss * r ** -k * float(game.hex_att_loss[target]) * fire_d * mean_noise)
    sigma = c.noise_sigma
    p_retreat = 0.5 * math.erfc(math.log(c.retreat_ratio / r) / (sigma * math.sqrt(2))) if r > 0 else 0.0
    p_rout = 0.5 * math.erfc(math.log(c.rout_ratio / r) / (sigma * math.sqrt(2))) if r > 0 else 0.0
    return {
        "ratio": r,
        "attack": att,
        "defence": dfn,
        "allowed": r >= c.attacker_min_ratio,
        "attacker_loss": int(fa * sum(u.men for u in attackers)),
        "defender_loss": int(fd * sum(u.men for u in defenders)),
        "p_retreat": p_retreat,
        "p_rout": p_rout,
        **parts,
    }


def take_losses(state, unit, men_lost: int, overrun: int = 0) -> dict:
    """Remove men from a unit and book them as killed / wounded / captured.

    ``men_lost`` split by the side's ``casualty_split``; ``overrun`` (men lost beyond the fire:
    a rout's stragglers, a stack with nowhere to go) split by its ``overrun_captured_share``
    into prisoners and the rest killed."""
    tally = {"killed": 0, "wounded": 0, "captured": 0}
    _take_losses(state, unit, men_lost, overrun, tally)
    return tally


def _take_losses(state, unit, men_lost: int, overrun: int, tally: dict) -> None:
    """:func:`take_losses`, the men booked added to ``tally`` (killed / wounded / captured)."""
    params = state.game.scenario.sides[unit.side]
    split = params.casualty_split
    men = unit.men
    men_lost = min(men_lost, men)
    killed = int(round(men_lost * split.killed))
    captured = int(round(men_lost * split.captured))
    wounded = men_lost - killed - captured
    overrun = min(overrun, men - men_lost)
    taken = int(round(overrun * params.overrun_captured_share))
    captured += taken
    killed += overrun - taken
    unit.men = men = men - (men_lost + overrun)
    book = state.losses[unit.side]
    book["killed"] += killed
    book["wounded"] += wounded
    book["captured"] += captured
    tally["killed"] += killed
    tally["wounded"] += wounded
    tally["captured"] += captured
    if men <= 0:
        unit.men = 0
        unit.status = "eliminated"
        unit.hex = -1


def _retreat_hex(unit, steps: int, ctx, azoc: list, home, nbr: list) -> int:
    """Where a defeated unit falls back to, or -1 when it cannot (``ctx``: its side's
    :func:`move_context`; ``azoc``: the attacker's zone of control, live; ``home``: the field to
    its side's supply sources; ``nbr``: the map's neighbour lists)."""
    h = unit.hex
    friendly, enemy, most = ctx.friendly_count, ctx.enemy_occupied, ctx.stack_max
    for _ in range(steps):
        best, best_key = -1, None
        for n in nbr[h]:
            if n < 0 or enemy[n] or not (friendly[n] < most):
                continue
            key = (bool(azoc[n]), float(home[n]))
            if best_key is None or key < best_key:
                best, best_key = n, key
        if best < 0:
            return -1 if h == unit.hex else h
        h = best
    return h


def resolve(state, attackers, defenders, target: int, weighed=None) -> dict:
    """Fight one engagement, apply losses and movement, and return a report (``weighed``: the
    :func:`strengths` of this attack when the caller has just weighed it)."""
    game = state.game
    c = game.scenario.combat
    att, dfn, parts = weighed if weighed is not None else strengths(state, attackers, target)
    r = att / max(dfn, 1e-9)
    k = c.ratio_exponent
    e1, e2, e3 = np.exp(state.rng.normal(0.0, c.noise_sigma, size=3)).tolist()  # Python floats: the same
    # doubles, and the same products and roundings as numpy scalars give, without their overhead
    side_a, side_d = attackers[0].side, defenders[0].side
    fd = min(c.max_loss, c.base_loss * r ** k * _firepower(game, side_a) * e1)
    fa = min(c.max_loss, c.base_loss * r ** -k * float(game.hex_att_loss[target]) * _firepower(game, side_d) * e2)
    report = {"turn": state.turn, "type": "combat", "attacker": side_a, "target": int(target),
              "attackers": [u.id for u in attackers], "defenders": [u.id for u in defenders],
              "ratio": round(r, 3), "draws": [round(float(x), 6) for x in (e1, e2, e3)]}
    loss_a = {"killed": 0, "wounded": 0, "captured": 0}
    loss_d = {"killed": 0, "wounded": 0, "captured": 0}
    tired = c.fatigue_per_attack
    for u in attackers:
        _take_losses(state, u, int(round(u.men * fa)), 0, loss_a)
        u.attacked = True
        u.fatigue = min(1.0, u.fatigue + tired)
        u.fort = 0
    outcome = "held"
    eff = r * e3
    routed = eff >= c.rout_ratio
    steps = c.rout_hexes if routed else c.retreat_hexes if eff >= c.retreat_ratio else 0
    if steps:  # what a retreat reads: the boards' tables are live, the field fixed
        ctx, azoc = move_context(state, side_d), board(state).side_board(side_a).zoc_list
        home, nbr = game.field_to(game.scenario.sides[side_d].supply_sources), game.nbr_lists
        captured = game.scenario.sides[side_d].rout_captured_fraction
    for u in defenders:
        lost = int(round(u.men * fd))
        extra = 0
        if steps:
            to = _retreat_hex(u, steps, ctx, azoc, home, nbr)
            if routed:
                extra = int((u.men - lost) * captured)
            if to < 0:
                extra += int((u.men - lost) * c.no_retreat_capture)
            _take_losses(state, u, lost, extra, loss_d)
            if u.status == "active":
                if to >= 0:
                    u.hex = to
                u.fort = 0
        else:
            _take_losses(state, u, lost, 0, loss_d)
    if steps:
        outcome = "routed" if routed else "retreated"
    if not state.units_at(target):
        survivors = [u for u in attackers if u.status == "active"]
        if survivors:
            lead = max(survivors, key=lambda u: u.men)
            lead.hex = int(target)
            key = game.hex_place.get(int(target))
            if key is not None:
                change_control(state, key, side_a)
            outcome = outcome if outcome != "held" else "taken"
    report.update(outcome=outcome, attacker_losses=loss_a, defender_losses=loss_d)
    return report


def enemy_adjacent_targets(state, side: str) -> list[int]:
    """Hexes holding units of the enemy of ``side`` next to a unit of ``side`` that has not attacked."""
    units = state.units
    b = board(state)
    mine = b.side_board(side)
    at, zoc = mine.at, mine.zoc_list
    nbr = state.game.nbr_lists
    return sorted(t for t in b.side_board(other(side)).at
                  if zoc[t] and any(not units[i].attacked for n in nbr[t] if n >= 0 for i in at.get(n, ())))


def attackers_next_to(state, side: str, target: int) -> list:
    """``side``'s active units next to ``target`` that have not attacked this turn, in unit order."""
    units = state.units
    at = board(state).side(state, side).at
    idx = [i for n in state.game.nbr_lists[target] if n >= 0 for i in at.get(n, ()) if not units[i].attacked]
    idx.sort()
    return [units[i] for i in idx]


def combat_marks(state) -> dict[str, str]:
    """Units that lost a battle this turn and how: ``{unit id: "routed" | "retreated"}``.

    Read from this turn's combat reports in ``state.log`` (a rout outranks a retreat); the rules
    apply a defeat's losses and retreat at once, so this is a record for the players, not a
    lasting unit status.  Units no longer on the map are left out.
    """
    rank = {"retreated": 1, "routed": 2}
    marks: dict[str, str] = {}
    for e in state.log:
        if e.get("type") != "combat" or e.get("turn") != state.turn or e.get("outcome") not in rank:
            continue
        for uid in e.get("defenders", ()):
            if rank[e["outcome"]] > rank.get(marks.get(uid, ""), 0):
                marks[uid] = e["outcome"]
    return {uid: m for uid, m in marks.items() if state.unit(uid).status == "active"}


__all__ = ["check_attack", "checked_attack", "combat_marks", "resolve", "preview", "strengths", "odds_next_to", "enemy_adjacent_targets", "attackers_next_to",
           "take_losses", "other"]
