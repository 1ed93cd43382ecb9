"""Saves: validated JSON (never pickle), written atomically."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from .game import Game
from .memory import ChinaMemory, JapanMemory
from .state import SAVE_VERSION, GameState

Side = Literal["japan", "china"]


class _UnitModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    side: Side
    hex: int
    men: int
    start_men: int
    status: Literal["active", "pending", "reserve", "eliminated"]
    mp: float
    moved: bool
    attacked: bool
    fort: int
    fatigue: float
    supplied: bool
    turns_unsupplied: int
    retreats: int


class _AIMemoryModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    japan: JapanMemory
    china: ChinaMemory


class _SaveModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["xuefeng-save"]
    version: Literal[2]
    scenario: str
    variant: str | None
    seed: int
    rng: dict[str, Any]
    turn: int
    side: Side
    phase: Literal["air", "move", "combat"]
    units: list[_UnitModel]
    control: dict[str, Side]
    losses: dict[Side, dict[Literal["killed", "wounded", "captured", "sick"], int]]
    weather: str
    sorties_left: dict[Side, int]
    missions: list[dict[str, Any]]
    airfield_threat: int
    airfield_status: Literal["operational", "neutralised", "captured"]
    over: bool
    winner: Side | None
    closest_km: float
    max_penetration_km: float
    ai: _AIMemoryModel
    log: list[dict[str, Any]]
    history: list[dict[str, Any]]


def _format_errors(source: str, exc: ValidationError) -> str:
    lines = []
    for e in exc.errors():
        path = ".".join(str(p) for p in e["loc"]) or "<top>"
        lines.append(f"{source}: {path}: {e['msg']}")
    return "\n".join(lines)


def state_from_dict(game, d: dict, source: str = "<save>"):
    """Validate ``d`` against the save schema and the game, then build the state."""
    if isinstance(d, dict) and "version" in d and d["version"] != SAVE_VERSION:
        raise ValueError(f"{source}: version: save format {d['version']!r} is not supported "
                         f"(expected {SAVE_VERSION}; this save was written by another version of Xuefeng)")
    try:
        m = _SaveModel.model_validate(d)
    except ValidationError as exc:
        raise ValueError(_format_errors(source, exc)) from None
    if m.scenario != game.scenario.meta.id or m.variant != game.scenario.variant:
        raise ValueError(
            f"{source}: scenario: save is for {m.scenario!r} variant {m.variant!r}, "
            f"expected {game.scenario.meta.id!r} variant {game.scenario.variant!r}"
        )
    if [u.id for u in m.units] != [u.id for u in game.units]:
        raise ValueError(f"{source}: units: unit ids differ from the scenario's order of battle")
    for i, u in enumerate(m.units):
        if u.status == "active" and not 0 <= u.hex < game.n_hex:
            raise ValueError(f"{source}: units.{i}.hex: {u.hex} is off the map (expected 0..{game.n_hex - 1})")
    probe = np.random.default_rng()
    try:
        probe.bit_generator.state = m.rng
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"{source}: rng: not a valid numpy bit-generator state ({exc})") from None
    return GameState.from_plain(game, m.model_dump())


def state_from_json(game, text: str, source: str = "<save>"):
    """Parse and validate a state saved as JSON text (see :func:`state_from_dict`)."""
    try:
        d = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    return state_from_dict(game, d, source)


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old or the new file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def save_game(state, path: str | Path) -> None:
    """Save a game as JSON, atomically."""
    write_atomic(path, json.dumps(state.to_dict(), sort_keys=True, indent=1))


def load_game(path: str | Path, game=None):
    """Load a save: returns (game, state). Raises ValueError naming the file and field.

    ``game`` is reused when the save is for its scenario and variant (no reload).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read save ({exc.strerror})") from None
    try:
        d = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    if not isinstance(d, dict) or "scenario" not in d:
        raise ValueError(f"{path}: scenario: missing (expected a Xuefeng save object)")
    if game is not None and d["scenario"] == game.scenario.meta.id and d.get("variant") == game.scenario.variant:
        return game, state_from_dict(game, d, str(path))
    try:
        game = Game.load(str(d["scenario"]), variant=d.get("variant"))
    except Exception as exc:  # scenario errors already name their file
        raise ValueError(f"{path}: scenario: cannot load {d['scenario']!r}: {exc}") from None
    return game, state_from_dict(game, d, str(path))
