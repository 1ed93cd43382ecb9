"""Non-battle attrition as the rule states it: the kept-table loop draws and books what the
unit-by-unit definition does."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules import air, attrition
from engine.rules.combat import take_losses

from .conftest import load_game

GAME = load_game()


def by_definition(state, side: str) -> None:
    """The rule unit by unit, in unit order (engine/rules/attrition.py's docstring)."""
    game = state.game
    sp, a, att = game.scenario.sides[side], game.scenario.air, game.scenario.attrition
    bite = air.interdiction_level(state, side)
    sorties = air.interdiction_at(state, side)
    for u in state.units:
        if u.side != side or u.status != "active":
            continue
        p = sp.sickness_per_turn * sp.sickness_terrain_mult[game.terrain_names[game.map.terrain[u.hex]]]
        if not u.supplied:
            p *= sp.sickness_out_of_supply_mult
        p *= 1.0 + a.interdiction_sickness * bite[u.hex]
        sick = int(state.rng.binomial(u.men, min(p, att.sickness_max)))
        u.men -= sick
        state.losses[side]["sick"] += sick
        if sorties[u.hex] > 0 and a.interdiction_kill > 0:
            strafed = a.interdiction_kill * sorties[u.hex] * state.rng.uniform(att.strafe_noise_low, att.strafe_noise_high)
            take_losses(state, u, int(min(u.men * att.strafe_max, strafed)))
        if u.men <= 0:
            u.men, u.status, u.hex = 0, "eliminated", -1


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), side=st.sampled_from(["japan", "china"]),
       strikes=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 300)), max_size=4),
       cut_off=st.sets(st.integers(0, 40)), weak=st.sets(st.integers(0, 40)))
def test_attrition_draws_and_books_what_the_unit_by_unit_rule_does(seed, side, strikes, cut_off, weak):
    state = GAME.new_initial_state(seed=seed)
    mine = state.active_units(side)
    enemy = "china" if side == "japan" else "japan"
    for k, sorties in strikes:  # interdiction over some of the side's units
        state.missions.append({"side": enemy, "kind": "interdict", "target": mine[k % len(mine)].hex,
                               "sorties": sorties})
    for k in cut_off:
        mine[k % len(mine)].supplied = False
    for k in weak:  # a few men left: strafing and sickness may wipe the unit out
        mine[k % len(mine)].men = 1 + k % 5
    twin = state.clone()
    attrition.apply_attrition(state, side)
    by_definition(twin, side)
    assert state.to_json() == twin.to_json()
