"""Non-battle attrition: sickness, and the recovery of fatigue and fortification.

Sickness was most of the Japanese loss in 1945.  Each turn every unit loses a binomial draw
of its men with probability

    sickness_per_turn * sickness_terrain_mult[terrain] * (sickness_out_of_supply_mult if cut off)
                      * (1 + air.interdiction_sickness * interdiction level)

capped at ``attrition.sickness_max``, booked as ``sick``.  Enemy interdiction also strafes:
``air.interdiction_kill`` men per effective sortie times a uniform draw in
``attrition.strafe_noise_low .. strafe_noise_high``, at most ``attrition.strafe_max`` of the
unit, booked as battle losses.
"""
from __future__ import annotations

from . import air
from .combat import take_losses
from ..core.board import board
from ..core.per_game import per_game


def apply_attrition(state, side: str) -> None:
    game = state.game
    sp = game.scenario.sides[side]
    a = game.scenario.air
    att = game.scenario.attrition
    units = state.units
    sb = board(state).side_board(side)
    order = list(sb.index)  # the side's active units, in unit order (one may fall out on the way)
    hexes = sb.hexes
    sorties = air.interdiction_sorties_at(state, side, hexes)
    bite = air.levels_of(state, sorties)
    terrain_of = _terrain_list(game)
    per_turn, terrain_mult = sp.sickness_per_turn, _sickness_mults(game)[side]
    unsupplied, by_interdiction, cap = sp.sickness_out_of_supply_mult, a.interdiction_sickness, att.sickness_max
    kill = a.interdiction_kill
    strafing = kill > 0
    low, high, most = att.strafe_noise_low, att.strafe_noise_high, att.strafe_max
    binomial, uniform = state.rng.binomial, state.rng.uniform
    book = state.losses[side]
    sick_total = 0
    for k, i in enumerate(order):
        u = units[i]
        p = per_turn * terrain_mult[terrain_of[u.hex]]
        if not u.supplied:
            p *= unsupplied
        p *= 1.0 + by_interdiction * bite[k]
        sick = int(binomial(u.men, min(p, cap)))
        u.men -= sick
        sick_total += sick
        if strafing and sorties[k] > 0:
            strafed = kill * sorties[k] * uniform(low, high)
            take_losses(state, u, int(min(u.men * most, strafed)))
        if u.men <= 0:
            u.men, u.status, u.hex = 0, "eliminated", -1
    book["sick"] += sick_total


@per_game
def _sickness_mults(game) -> dict[str, list[float]]:
    """Each side's ``sickness_terrain_mult`` by terrain index."""
    return {side: [p.sickness_terrain_mult[name] for name in game.terrain_names]
            for side, p in game.scenario.sides.items()}


@per_game
def _terrain_list(game) -> list[int]:
    """The map's terrain index of every hex as a Python list."""
    return game.map.terrain.tolist()


def recover(state, side: str) -> None:
    """Units that held still dig in; units that did not fight rest."""
    c = state.game.scenario.combat
    fort_max, dig, rest = c.fort_max, c.fort_per_turn, c.fatigue_recovery
    for u in state.active_units(side):
        if not u.attacked:
            if not u.moved:
                u.fort = min(fort_max, u.fort + dig)
            u.fatigue = max(0.0, u.fatigue - rest)
