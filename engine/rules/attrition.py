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

def apply_attrition(state, side: str) -> None:
    game = state.game
    sp = game.scenario.sides[side]
    a = game.scenario.air
    att = game.scenario.attrition
    bite = air.interdiction_level(state, side)
    sorties = air.interdiction_at(state, side)
    kill = a.interdiction_kill
    for u in state.units:
        if u.side != side or u.status != "active":
            continue
        terrain = game.terrain_names[game.map.terrain[u.hex]]
        p = sp.sickness_per_turn * sp.sickness_terrain_mult[terrain]
        if not u.supplied:
            p *= sp.sickness_out_of_supply_mult
        p *= 1.0 + a.interdiction_sickness * bite[u.hex]
        sick = int(state.rng.binomial(u.men, min(p, att.sickness_max)))
        u.men -= sick
        state.losses[side]["sick"] += sick
        if sorties[u.hex] > 0 and kill > 0:
            strafed = kill * sorties[u.hex] * state.rng.uniform(att.strafe_noise_low, att.strafe_noise_high)
            take_losses(state, u, int(min(u.men * att.strafe_max, strafed)))
        if u.men <= 0:
            u.men, u.status, u.hex = 0, "eliminated", -1


def recover(state, side: str) -> None:
    """Units that held still dig in; units that did not fight rest."""
    c = state.game.scenario.combat
    for u in state.units:
        if u.side != side or u.status != "active":
            continue
        if not u.moved and not u.attacked:
            u.fort = min(c.fort_max, u.fort + c.fort_per_turn)
        if not u.attacked:
            u.fatigue = max(0.0, u.fatigue - c.fatigue_recovery)
