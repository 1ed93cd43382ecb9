"""Playing the game: the transition function, in the spirit of OpenSpiel.

    game = Game.load("west_hunan_1945")
    state = game.new_initial_state(seed=1)
    while not state.is_over:
        apply(state, choose(legal_actions(state)))
    result(state)

``apply`` validates first and mutates only when the order is legal, so an
:class:`IllegalAction` always leaves the state exactly as it was.  Every order applied is
appended to ``state.history`` (with the chance outcomes the engine drew), so a game can be
replayed from its seed and history.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..rules import air, combat, movement, supply, turn, victory
from ..rules.victory_levels import victory_level
from .actions import AIR_MISSIONS, Action, AirMission, Attack, EndPhase, Move, action_from_dict, action_to_dict
from .errors import IllegalAction
from .game import Game
from .memory import checked_memory
from .sides import other
from .state import GameState


def legal_actions(state: GameState) -> list[Action]:
    """Every order the side to move may give now.

    Moves are listed with their cheapest path; attacks as each single adjacent unit and as
    all adjacent units together (``apply`` accepts any subset); air missions as one small
    package and as all remaining sorties, over hexes next to the front (any hex and count
    may be applied).
    """
    if state.over:
        return []
    acts: list[Action] = [EndPhase()]
    if state.phase == "move":
        ctx = movement.move_context(state, state.side)
        for u in state.units:
            if u.side == state.side and u.status == "active" and u.mp > 0:
                reach = movement.reachable(state, u.id, ctx)
                for h in sorted(reach):
                    if movement.can_end_in(ctx, h):
                        acts.append(Move(u.id, movement.path_to(reach, h)))
    elif state.phase == "combat":
        nbr = state.game.map.nbr
        for t in combat.enemy_adjacent_targets(state, state.side):
            adj = [u for u in state.units if u.status == "active" and u.side == state.side
                   and not u.attacked and t in nbr[u.hex]]
            options = [(u.id,) for u in adj]
            if len(adj) > 1:
                options.append(tuple(u.id for u in adj))
            for ids in options:
                try:
                    combat.check_attack(state, ids, t)
                except IllegalAction:
                    continue
                acts.append(Attack(ids, t))
    elif state.phase == "air":
        left = state.sorties_left[state.side]
        if left > 0:
            targets = _air_targets(state)
            sizes = sorted({min(left, state.game.scenario.air.package_sorties), left})
            for kind in AIR_MISSIONS:
                for t in targets[kind]:
                    for s in sizes:
                        acts.append(AirMission(kind, t, s))
    return acts


def _air_targets(state) -> dict[str, list[int]]:
    """Hexes worth listing per mission kind: the front for support, enemy units for interdiction."""
    own = sorted({u.hex for u in state.active_units(state.side)})
    enemy = sorted({u.hex for u in state.active_units(other(state.side))})
    front = sorted(set(combat.enemy_adjacent_targets(state, state.side)) | {
        h for h in own if any(n in enemy for n in state.game.map.nbr[h])
    })
    return {"support": front, "interdict": enemy, "cap": own}


MAX_ORDER_ITEMS = 10_000  # longest path or attacker list an order may carry


def _whole(v, what: str) -> int:
    """``v`` as a Python int (numpy integers accepted); bools, floats and the rest refused."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise IllegalAction(f"{what}: {v!r:.60} is not a whole number")
    return int(v)


def _items(v, what: str) -> tuple:
    if not isinstance(v, (tuple, list)) or len(v) > MAX_ORDER_ITEMS:
        raise IllegalAction(f"{what}: expected a list (at most {MAX_ORDER_ITEMS} items), got {type(v).__name__}")
    return tuple(v)


def _unit_id(v, what: str) -> str:
    if not isinstance(v, str):
        raise IllegalAction(f"{what}: {v!r:.60} is not a unit id")
    return str(v)


def _all_ints(items: tuple) -> bool:
    """Whether every item is a plain ``int`` (a loop: cheaper than ``all`` over a generator)."""
    for h in items:
        if type(h) is not int:
            return False
    return True


def _all_strs(items: tuple) -> bool:
    """Whether every item is a plain ``str``."""
    for u in items:
        if type(u) is not str:
            return False
    return True


def _plain(action) -> bool:
    """Whether ``action`` is already what :func:`checked_order` would rebuild it as: an order of
    exactly its class holding only plain ``str``/``int`` values and tuples (the usual case)."""
    kind = type(action)
    if kind is Move:
        path = action.path
        return type(action.unit) is str and type(path) is tuple and len(path) <= MAX_ORDER_ITEMS and _all_ints(path)
    if kind is Attack:
        units = action.units
        return (type(units) is tuple and len(units) <= MAX_ORDER_ITEMS and _all_strs(units)
                and type(action.target) is int)
    if kind is AirMission:
        return type(action.kind) is str and type(action.target) is int and type(action.sorties) is int
    return False


def checked_order(action) -> Action:
    """``action`` validated whole and rebuilt from plain Python values (numpy numbers
    normalised), so whatever is applied keeps the state JSON-serialisable.  Anything
    malformed is an :class:`IllegalAction`."""
    if _plain(action):
        return action  # immutable and already plain, so it can be kept as it is
    if isinstance(action, EndPhase):
        return action
    if isinstance(action, Move):
        path = _items(action.path, "path")
        if not _all_ints(path):
            path = tuple(_whole(h, f"path step {i}") for i, h in enumerate(path))
        return Move(_unit_id(action.unit, "unit"), path)
    if isinstance(action, Attack):
        units = _items(action.units, "units")
        if not _all_strs(units):
            units = tuple(_unit_id(u, f"units[{i}]") for i, u in enumerate(units))
        return Attack(units, _whole(action.target, "target"))
    if isinstance(action, AirMission):
        if not isinstance(action.kind, str):
            raise IllegalAction(f"kind: {action.kind!r:.60} is not an air mission kind")
        return AirMission(str(action.kind), _whole(action.target, "target"), _whole(action.sorties, "sorties"))
    raise IllegalAction(f"not an order: {action!r:.80}")


def apply(state: GameState, action: Action) -> GameState:
    """Carry out ``action`` for the side to move; raise :class:`IllegalAction` (state untouched)."""
    if state.over:
        raise IllegalAction("the game is over")
    action = checked_order(action)
    if isinstance(action, EndPhase):
        state.history.append(action_to_dict(action) | {"side": state.side, "phase": state.phase})
        turn.end_phase(state)
        victory.update_measures(state)
        return state
    if isinstance(action, Move):
        cost = movement.check_move(state, action.unit, action.path)
        state.history.append(action_to_dict(action))
        movement.do_move(state, action.unit, action.path, cost)
        return state
    if isinstance(action, Attack):
        attackers, defenders, weighed = combat.checked_attack(state, tuple(action.units), action.target)
        report = combat.resolve(state, attackers, defenders, int(action.target), weighed)
        state.history.append(action_to_dict(action) | {"chance": report["draws"]})
        state.log.append(report)
        return state
    if isinstance(action, AirMission):
        air.check_mission(state, action.kind, action.target, action.sorties)
        state.history.append(action_to_dict(action))
        air.fly_mission(state, action.kind, int(action.target), int(action.sorties))
        return state
    raise IllegalAction(f"not an order: {action!r}")


def annotate(state: GameState, text: str) -> None:
    """Record a player's announcement (e.g. an AI's change of plan) in the log and history.

    Notes change nothing in play; they are kept in the history so a replay reproduces the log.
    """
    note = {"type": "note", "turn": state.turn, "side": state.side, "text": str(text)}
    state.log.append(note)
    state.history.append(note)


def remember(state: GameState, side: str, memory: dict) -> None:
    """Store ``side``'s computer-player memory in the state (checked against
    :mod:`engine.core.memory`) and record it in the history, so saves, hashes and replays
    carry it.  Changes nothing else in play."""
    mem = checked_memory(side, memory)
    if mem == state.ai.get(side):
        return
    state.ai[side] = mem
    state.history.append({"type": "memory", "side": side, "memory": mem})


def branch(state: GameState, seed: int) -> None:
    """Give ``state`` a new chance stream seeded with ``seed``: the same position, another
    future (for many continuations of one saved game).  Recorded in the history, so a
    replay takes the same branch."""
    state.rng = np.random.default_rng(int(seed))
    state.history.append({"type": "branch", "turn": state.turn, "seed": int(seed)})


@dataclass(frozen=True)
class Result:
    """How a finished (or current) game stands, in the terms analysts use."""

    winner: str | None
    zhijiang_held: bool
    airfield_status: str
    closest_km: float
    max_penetration_km: float
    final_penetration_km: float
    losses: dict
    end_date: str
    turns: int
    level: str  # the graded outcome (engine.rules.victory_levels.LEVELS)


def result(state: GameState) -> Result:
    return Result(
        winner=state.winner,
        zhijiang_held=state.airfield_status != "captured" and state.control.get(
            state.game.scenario.victory.airfield) == "china",
        airfield_status=state.airfield_status,
        closest_km=round(state.closest_km, 1),
        max_penetration_km=round(max(0.0, state.max_penetration_km), 1),
        final_penetration_km=round(max(0.0, victory.japanese_penetration_now(state)), 1),
        losses={s: dict(v) for s, v in state.losses.items()},
        end_date=min(state.game.end_date,
                     state.game.date_of(state.turn) + dt.timedelta(days=state.game.days_per_turn - 1)).isoformat(),
        turns=state.turn,
        level=victory_level(state).level,
    )


def replay(game: Game, seed: int, history: list[dict]) -> GameState:
    """Rebuild a game from its seed and the orders in its history (chance records are skipped)."""
    state = game.new_initial_state(seed)
    for rec in history:
        replay_record(state, rec)
    return state


def replay_record(state: GameState, rec: dict) -> None:
    """Re-apply one record of a history to ``state`` (what :func:`replay` does for each):
    orders are applied, notes, memory and branches restored, chance records skipped."""
    kind = rec.get("type")
    if kind == "chance":
        return
    if kind == "note":
        state.log.append(dict(rec))
        state.history.append(dict(rec))
        return
    if kind == "memory":
        remember(state, rec["side"], rec["memory"])
        return
    if kind == "branch":
        branch(state, rec["seed"])
        return
    apply(state, action_from_dict({k: v for k, v in rec.items() if k not in ("side", "phase", "chance")}))


def reachable_hexes(state: GameState, unit_id: str) -> dict[int, tuple[int, ...]]:
    """Hexes a unit may move to now, each with its cheapest path (for the UI and AI)."""
    u = state.unit(unit_id)
    ctx = movement.move_context(state, u.side)
    reach = movement.reachable(state, unit_id, ctx)
    return {h: movement.path_to(reach, h) for h in reach if movement.can_end_in(ctx, h)}


def zones_of_control(state: GameState, side: str):
    """Boolean array over hexes: where ``side``'s zone of control stops an enemy mover."""
    return movement.zones_of_control(state, side)


def supply_reach(state: GameState, side: str):
    """Boolean array over hexes: where ``side``'s supply sources reach (before air interdiction)."""
    return supply.supply_reach(state, side)


def move_route(state: GameState, unit_id: str, dest: int) -> tuple[int, ...]:
    """The cheapest path to ``dest`` ignoring movement points, zones of control and the enemy;
    apply it as a Move to learn why a move there is refused ((): no path at all)."""
    return movement.route(state, unit_id, int(dest))


def attack_preview(state: GameState, unit_ids, target: int) -> dict:
    """Odds, expected losses and retreat chances of an attack (no random draw)."""
    return combat.preview(state, tuple(unit_ids), target)

