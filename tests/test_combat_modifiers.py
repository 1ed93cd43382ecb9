"""Every modifier of the combat model helps the side it should: one table, so a sign error
cannot hide.  "Helps the attacker" means better odds for the same attack; "helps the
defender" worse odds (or, for losses, heavier attacker losses)."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest

from engine.api import EndPhase, apply, attack_preview
from tests.conftest import clear_board, inland_hex, put, units_of

ATTACKER, DEFENDER = "attacker", "defender"


def duel(game, terrain="plain", seed=7):
    """One Japanese unit attacking one Chinese unit on an open hex of ``terrain``, combat phase."""
    state = game.new_initial_state(seed)
    jp, cn = units_of(game, "japan", 1)[0], units_of(game, "china", 1)[0]
    clear_board(state, keep=(jp, cn))
    h = inland_hex(game, terrain)
    put(state, cn, h, fort=0)
    put(state, jp, game.map.grid.neighbour(h, 0))
    while not (state.side == "japan" and state.phase == "combat"):
        apply(state, EndPhase())
    return state, [jp], cn, h


def odds(state, jps, h) -> float:
    return attack_preview(state, jps, h)["ratio"]


@contextlib.contextmanager
def scenario_value(model, field, value):
    """Set a scenario number for the duration of one comparison (the game is shared)."""
    old = getattr(model, field)
    setattr(model, field, value)
    try:
        yield
    finally:
        setattr(model, field, old)


# ------------------------------------------------------------------ one row per modifier
def river_between(game):
    """Attacking across a river side, against the same attack from a dry side."""
    m = game.map
    for h in range(game.n_hex):
        nb = m.nbr[h]
        if (nb < 0).any() or not (m.river[h] > 0).any() or (m.river[h] > 0).all():
            continue
        wet, dry = int(np.argmax(m.river[h] > 0)), int(np.argmin(m.river[h] > 0))
        state, jps, cn, _ = duel(game)
        put(state, cn, h, fort=0)
        # the river lies on the defender's side d; the attacker stands across it (its side (d+3)%6)
        put(state, jps[0], int(nb[dry]))
        before = odds(state, jps, h)
        put(state, jps[0], int(nb[wet]))
        assert game.map.river[nb[wet], (wet + 3) % 6] > 0  # the same river side, seen from the attacker
        return before, odds(state, jps, h)
    raise LookupError("no hex with both a river side and a dry side")


def defensive_terrain(game):
    state, jps, _, h = duel(game, "plain")
    before = odds(state, jps, h)
    state, jps, _, h = duel(game, "mountain")
    return before, odds(state, jps, h)


def fortification(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    state.unit(cn).fort = game.scenario.combat.fort_max
    return before, odds(state, jps, h)


def defender_out_of_supply(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    state.unit(cn).supplied = False
    return before, odds(state, jps, h)


def attacker_out_of_supply(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    state.unit(jps[0]).supplied = False
    return before, odds(state, jps, h)


def attacker_fatigue(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    state.unit(jps[0]).fatigue = 0.5
    return before, odds(state, jps, h)


def defender_fatigue(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    state.unit(cn).fatigue = 0.5
    return before, odds(state, jps, h)


def air_support_for_the_attacker(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    state.missions.append({"side": "japan", "kind": "support", "target": int(h), "sorties": 40})
    return before, odds(state, jps, h)


def air_support_for_the_defender(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    state.missions.append({"side": "china", "kind": "support", "target": int(h), "sorties": 40})
    return before, odds(state, jps, h)


def airfield_defences(game):
    state, jps, cn, _ = duel(game)
    h = game.airfield_hex
    put(state, cn, h, fort=0)
    put(state, jps[0], int(next(n for n in game.map.nbr[h] if n >= 0)))
    with scenario_value(game.scenario.air, "airfield_defence", 1.0):
        before = odds(state, jps, h)
    return before, odds(state, jps, h)


def attacker_nation_quality(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    side = game.scenario.sides["japan"]
    with scenario_value(side, "quality", side.quality * 1.2):
        return before, odds(state, jps, h)


def defender_nation_quality(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    side = game.scenario.sides["china"]
    with scenario_value(side, "quality", side.quality * 1.2):
        return before, odds(state, jps, h)


def more_attackers(game):
    state, jps, cn, h = duel(game)
    before = odds(state, jps, h)
    second = units_of(game, "japan", 2)[1]
    put(state, second, game.map.grid.neighbour(h, 3))
    return before, odds(state, [*jps, second], h)


def rough_ground_costs_the_attacker_more(game):
    """Terrain's attacker-loss multiplier: measured on the attacker's expected losses, inverted
    so that "lower is better for the attacker" reads like the odds."""
    state, jps, _, h = duel(game, "plain")
    before = attack_preview(state, jps, h)
    state, jps, _, h = duel(game, "mountain")
    after = attack_preview(state, jps, h)
    per_odds = lambda p: p["attacker_loss"] * p["ratio"] ** game.scenario.combat.ratio_exponent  # noqa: E731
    return 1.0 / per_odds(before), 1.0 / per_odds(after)


def attacker_firepower(game):
    """A side's firepower: measured on the defender's expected losses (heavier helps the attacker)."""
    state, jps, cn, h = duel(game)
    before = attack_preview(state, jps, h)["defender_loss"]
    side = game.scenario.sides["japan"]
    with scenario_value(side, "firepower", side.firepower * 1.5):
        return before, attack_preview(state, jps, h)["defender_loss"]


def defender_firepower(game):
    """Measured on the attacker's expected losses, inverted so that lower reads like worse odds."""
    state, jps, cn, h = duel(game)
    before = attack_preview(state, jps, h)["attacker_loss"]
    side = game.scenario.sides["china"]
    with scenario_value(side, "firepower", side.firepower * 1.5):
        return 1.0 / before, 1.0 / attack_preview(state, jps, h)["attacker_loss"]


MODIFIERS = [
    (river_between, DEFENDER),
    (defensive_terrain, DEFENDER),
    (fortification, DEFENDER),
    (defender_out_of_supply, ATTACKER),
    (attacker_out_of_supply, DEFENDER),
    (attacker_fatigue, DEFENDER),
    (defender_fatigue, ATTACKER),
    (air_support_for_the_attacker, ATTACKER),
    (air_support_for_the_defender, DEFENDER),
    (airfield_defences, DEFENDER),
    (attacker_nation_quality, ATTACKER),
    (defender_nation_quality, DEFENDER),
    (more_attackers, ATTACKER),
    (rough_ground_costs_the_attacker_more, DEFENDER),
    (attacker_firepower, ATTACKER),
    (defender_firepower, DEFENDER),
]


@pytest.mark.parametrize("modifier,helps", MODIFIERS, ids=[m.__name__ for m, _ in MODIFIERS])
def test_each_combat_modifier_helps_the_side_it_should(game, modifier, helps):
    before, after = modifier(game)
    if helps == ATTACKER:
        assert after > before
    else:
        assert after < before


def test_a_river_between_attacker_and_defender_weakens_the_attack_by_the_river_multiplier(game):
    before, after = river_between(game)
    assert after == pytest.approx(before * game.scenario.combat.river_attack_mult)
