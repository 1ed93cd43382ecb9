"""Supply status as the rule states it: update_supply sets what the unit-by-unit definition does."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.rules import air, supply

from .conftest import load_game

GAME = load_game()


def by_definition(state, side: str) -> None:
    """Each active unit of ``side``, in unit order, against its interdiction-shortened range."""
    field = supply.supply_field(state, side)
    penalty = GAME.scenario.supply.interdiction_range_penalty
    bite = air.interdiction_level(state, side)
    reach = GAME.scenario.sides[side].supply_range
    for u in state.units:
        if u.side == side and u.status == "active":
            was = u.supplied
            u.supplied = bool(field[u.hex] <= reach * (1.0 - penalty * bite[u.hex]))
            u.turns_unsupplied = 0 if u.supplied else u.turns_unsupplied + 1
            if u.supplied != was:
                state.log.append({"turn": state.turn, "type": "supply", "side": side, "unit": u.id,
                                  "hex": int(u.hex), "supplied": u.supplied})


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 1000), side=st.sampled_from(["japan", "china"]),
       strikes=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 400)), max_size=5),
       moved=st.lists(st.tuples(st.integers(0, 40), st.integers(0, GAME.n_hex - 1)), max_size=6),
       lost=st.sets(st.sampled_from(sorted(set(GAME.scenario.sides["japan"].supply_sources)
                                           | set(GAME.scenario.sides["china"].supply_sources)))))
def test_supply_is_set_as_the_unit_by_unit_rule_sets_it(seed, side, strikes, moved, lost):
    state = GAME.new_initial_state(seed=seed)
    mine = state.active_units(side)
    enemy = "china" if side == "japan" else "japan"
    for k, h in moved:  # some units far forward or behind (no check of the hex: the rule reads any)
        mine[k % len(mine)].hex = h
    for k, sorties in strikes:
        state.missions.append({"side": enemy, "kind": "interdict", "target": mine[k % len(mine)].hex,
                               "sorties": sorties})
    for key in lost:
        if key in state.control:
            state.control[key] = enemy
    twin = state.clone()
    supply.update_supply(state, side)
    by_definition(twin, side)
    assert state.to_json() == twin.to_json()


def blocked_by_definition(state, side: str):
    """The hexes a supply line may not enter, from the board's occupancy (who holds each hex)."""
    owner, _ = state.occupancy()
    me = 0 if side == "japan" else 1
    blocked = owner == 1 - me
    if not GAME.scenario.supply.trace_through_enemy_zoc:
        enemy = "china" if side == "japan" else "japan"
        zoc = np.zeros(GAME.n_hex, dtype=bool)
        for u in state.active_units(enemy):
            zoc[u.hex] = True
            zoc[[n for n in GAME.map.nbr[u.hex] if n >= 0]] = True
        blocked |= zoc & (owner != me)
    return blocked


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 1000), side=st.sampled_from(["japan", "china"]),
       moved=st.lists(st.tuples(st.booleans(), st.integers(0, 40), st.integers(0, GAME.n_hex - 1)), max_size=8),
       mixed=st.lists(st.tuples(st.booleans(), st.integers(0, 40), st.integers(0, 40)), max_size=3))
def test_the_hexes_a_supply_line_may_not_enter_are_the_enemys_hexes_and_free_zone(seed, side, moved, mixed):
    state = GAME.new_initial_state(seed=seed)
    for japanese, k, h in moved:  # any hex
        units = state.active_units("japan" if japanese else "china")
        units[k % len(units)].hex = h
    for japanese, k, j in mixed:  # onto a hex the other side holds (never in play)
        units, others = state.active_units("japan"), state.active_units("china")
        if not japanese:
            units, others = others, units
        units[k % len(units)].hex = others[j % len(others)].hex
    assert np.array_equal(supply._blocked(state, side), blocked_by_definition(state, side))
