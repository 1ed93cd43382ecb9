"""Orders are validated whole: anything malformed is an IllegalAction with the state untouched,
and numpy numbers are normalised so the state always stays JSON-serialisable."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.api import AirMission, Attack, EndPhase, IllegalAction, Move, apply, legal_actions
from engine.core.consistency import state_problems
from engine.core.play import checked_order

junk = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**70), 2**70), st.text(max_size=8), st.binary(max_size=4),
    st.lists(st.integers(-5, 5), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.integers(-(2**31), 2**31).map(np.int64), st.floats(0, 10).map(np.float64),
)
unitish = st.one_of(junk, st.sampled_from(["jp_116d", "cn_74a_51d", ""]))
orders = st.one_of(
    st.builds(Move, unitish, st.one_of(junk, st.lists(junk, max_size=4), st.tuples(junk))),
    st.builds(Attack, st.one_of(junk, st.lists(unitish, max_size=3)), junk),
    st.builds(AirMission, st.one_of(junk, st.sampled_from(["support", "cap", "interdict"])), junk, junk),
    junk, st.just(object()),
)


@pytest.mark.parametrize("phase", ["air", "move", "combat"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=orders)
def test_a_malformed_order_is_refused_with_the_state_untouched(game, phase, order):
    state = game.new_initial_state(4)
    while state.phase != phase:
        apply(state, EndPhase())
    before = state.state_hash()
    try:
        apply(state, order)
    except IllegalAction:
        assert state.state_hash() == before
        return
    assert state_problems(state) == []  # accepted: then it was a well-formed legal order
    json.dumps(state.to_dict())


def test_numpy_integers_in_a_legal_order_are_normalised(game):
    state = game.new_initial_state(4)
    apply(state, EndPhase())  # to the movement phase
    move = next(a for a in legal_actions(state) if isinstance(a, Move))
    apply(state, Move(move.unit, tuple(np.int64(h) for h in move.path)))
    assert state.state_hash()  # serialisable
    assert all(type(h) is int for h in state.history[-1]["path"])
    assert type(state.unit(move.unit).hex) is int


def test_numpy_integers_in_attacks_and_air_missions_are_normalised():
    attack = checked_order(Attack(("jp_116d",), np.int64(7)))
    mission = checked_order(AirMission("cap", np.int64(7), np.int64(2)))
    assert attack == Attack(("jp_116d",), 7) and type(attack.target) is int
    assert mission == AirMission("cap", 7, 2) and type(mission.target) is int and type(mission.sorties) is int


def test_a_bool_is_not_a_number_of_sorties(game):
    state = game.new_initial_state(4)
    hx = state.active_units("japan")[0].hex
    with pytest.raises(IllegalAction, match="sorties"):
        apply(state, AirMission("support", hx, True))
