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
    b = board(state)
    hexes = b.side_board(side).hexes  # the side's active units' hexes, in unit order
    sorties = air.interdiction_sorties_at(state, side, hexes)
    bite = air.levels_of(state, sorties)
    terrain_of = _terrain_list(game)
    rate_of = _sickness_rates(game)[side]
    unsupplied, by_interdiction, cap = sp.sickness_out_of_supply_mult, a.interdiction_sickness, att.sickness_max
    kill = a.interdiction_kill
    strafing = kill > 0
    low, high, most = att.strafe_noise_low, att.strafe_noise_high, att.strafe_max
    binomial, uniform = state.rng.binomial, state.rng.uniform
    book = state.losses[side]
    sick_total = 0
    # the side's active units in unit order: the board's kept list, which stays as it is when one
    # falls out on the way (the board makes a new one)
    for k, u in enumerate(b.units_of(side)):
        p = rate_of[terrain_of[u.hex]]
        if not u.supplied:
            p *= unsupplied
        if bite[k]:  # (no interdiction multiplies by exactly 1)
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
def _sickness_rates(game) -> dict[str, list[float]]:
    """Each side's ``sickness_per_turn * sickness_terrain_mult`` by terrain index."""
    return {side: [p.sickness_per_turn * p.sickness_terrain_mult[name] for name in game.terrain_names]
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
