"""The turn sequence.

A turn is ``days_per_turn`` days.  It opens with the weather and the air effort of both
sides, then each side in turn (Japan first) plays an air phase, a movement phase and a
combat phase.  The turn ends with supply, place control (places left or cut off change hands), non-battle attrition, rest and digging-in,
reinforcements, and the victory check.
"""
from __future__ import annotations

from . import air, attrition, control, supply, victory
from ..core.board import board
from ..core.sides import SIDES
from .movement import can_end_in, move_context
from ..core.per_game import per_game

PHASE_ORDER = ("air", "move", "combat")


def begin_turn(state) -> None:
    """Weather, air effort, arrivals, and the first phase of the first side."""
    state.weather = air.draw_weather(state)
    state.history.append({"type": "chance", "turn": state.turn, "weather": state.weather})
    for s in SIDES:
        state.sorties_left[s] = air.sorties_for_turn(state, s)
    _arrivals(state)
    for u in state.units:
        if u.moved is not False:  # skip writes that change nothing
            u.moved = False
        if u.attacked is not False:
            u.attacked = False
    state.side = SIDES[0]
    begin_phase(state, "air")


def begin_phase(state, phase: str) -> None:
    state.phase = phase
    if phase == "air":
        # a side's missions last until its next air phase
        state.missions = [m for m in state.missions if m["side"] != state.side]
    elif phase == "move":
        game = state.game
        loss = game.scenario.air.interdiction_mp_loss
        full, units = _full_mp(game), state.units
        sb = board(state).side_board(state.side)  # the side's active units, in unit order
        bite = air.interdiction_levels(state, state.side, sb.hexes)
        for i, b in zip(list(sb.index), bite):
            units[i].mp = full[i] * (1.0 - loss * b)


@per_game
def _full_mp(game) -> list[float]:
    """Each unit's movement allowance, by unit index."""
    return [d.mp for d in game.units]  # game.units[i].index == i


@per_game
def _units_of(game) -> dict[str, list[int]]:
    """Indices of each side's units, in unit order (a unit never changes side)."""
    return {s: [d.index for d in game.units if d.side == s] for s in SIDES}


def end_phase(state) -> None:
    """Advance to the next phase, side or turn."""
    i = PHASE_ORDER.index(state.phase)
    if state.phase == "move":
        units = state.units
        for k in _units_of(state.game)[state.side]:
            units[k].mp = 0.0
    if i + 1 < len(PHASE_ORDER):
        begin_phase(state, PHASE_ORDER[i + 1])
        return
    j = SIDES.index(state.side)
    if j + 1 < len(SIDES):
        state.side = SIDES[j + 1]
        begin_phase(state, "air")
        return
    end_turn(state)


def end_turn(state) -> None:
    verdicts = control.verdicts(state)  # supply changes no position and no holder: they stand
    asked = control.places_to_trace(state, verdicts)
    traces = {s: supply.update_supply(state, s, asked[s]) for s in SIDES}
    control.update_control(state, traces, verdicts)
    for s in SIDES:
        attrition.apply_attrition(state, s)
        attrition.recover(state, s)
    victory.update_measures(state)
    victory.check_victory(state)
    if state.over:
        state.phase = "combat"
        return
    state.turn += 1
    begin_turn(state)


def _arrivals(state) -> None:
    """Place units whose arrival turn has come at their arrival hex, or the nearest free hex
    among ``movement.arrival_search_hexes``; with none free the unit waits a turn."""
    game = state.game
    for d in game.units:
        u = state.units[d.index]
        if u.status != "pending" or d.arrives_turn > state.turn:
            continue
        ctx = move_context(state, u.side)
        target = d.arrives_hex
        if ctx.enemy_occupied[target] or not can_end_in(ctx, target):
            dist = game.map.grid.distances_from(target)
            free = [h for h in dist.argsort(kind="stable")[:game.scenario.movement.arrival_search_hexes]
                    if not ctx.enemy_occupied[h] and can_end_in(ctx, int(h))]
            if not free:
                continue  # delayed until there is room
            target = int(free[0])
        u.hex, u.status = int(target), "active"
        state.log.append({"turn": state.turn, "type": "arrival", "unit": u.id, "hex": int(target),
                          "text": f"{d.name} arrives at {game.hex_place.get(target, f'hex {target}')}."})
