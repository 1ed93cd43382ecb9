"""Orders a player can give: small immutable values, serialisable to plain dicts."""
from __future__ import annotations

from dataclasses import dataclass

AIR_MISSIONS = ("support", "interdict", "cap")


@dataclass(frozen=True)
class Move:
    """Move ``unit`` along ``path`` (hex ids, not including the start hex; last is the destination)."""

    unit: str
    path: tuple[int, ...]

    @property
    def to(self) -> int:
        return self.path[-1]


@dataclass(frozen=True)
class Attack:
    """Attack the enemy stack in ``target`` with the adjacent friendly ``units``."""

    units: tuple[str, ...]
    target: int


@dataclass(frozen=True)
class AirMission:
    """Commit ``sorties`` of this turn's air effort to a mission centred on hex ``target``.

    kinds: ``support`` (close support of combats in/against that hex),
    ``interdict`` (movement, supply and health of enemy units near the hex),
    ``cap`` (combat air patrol: cancels enemy air missions over that hex).
    """

    kind: str
    target: int
    sorties: int


@dataclass(frozen=True)
class EndPhase:
    """Finish the current phase of the side to move."""


Action = Move | Attack | AirMission | EndPhase


def action_to_dict(action: Action) -> dict:
    """Plain JSON-ready form of an action (for history, saves and replays)."""
    if isinstance(action, Move):
        return {"type": "move", "unit": action.unit, "path": list(action.path)}
    if isinstance(action, Attack):
        return {"type": "attack", "units": list(action.units), "target": action.target}
    if isinstance(action, AirMission):
        return {"type": "air", "kind": action.kind, "target": action.target, "sorties": action.sorties}
    if isinstance(action, EndPhase):
        return {"type": "end_phase"}
    raise TypeError(f"not an action: {action!r}")


def action_from_dict(d: dict) -> Action:
    """Inverse of :func:`action_to_dict`; raises ValueError on malformed input."""
    try:
        kind = d["type"]
        if kind == "move":
            return Move(str(d["unit"]), tuple(int(h) for h in d["path"]))
        if kind == "attack":
            return Attack(tuple(str(u) for u in d["units"]), int(d["target"]))
        if kind == "air":
            return AirMission(str(d["kind"]), int(d["target"]), int(d["sorties"]))
        if kind == "end_phase":
            return EndPhase()
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed action {d!r}: {exc}") from exc
    raise ValueError(f"unknown action type {kind!r} (expected move, attack, air or end_phase)")
