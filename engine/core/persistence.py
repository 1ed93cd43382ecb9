"""Saves: validated JSON (never pickle), written atomically."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..atomic_file import write_atomic
from ..scenario.errors import _loc_str
from ..userfiles import MAX_SAVE_BYTES, UserFileError, parse_json, read_text
from .consistency import rng_problems, state_problems
from .game import Game
from .memory import ChinaMemory, JapanMemory
from .state import SAVE_VERSION, GameState

Side = Literal["japan", "china"]
_BIG = 2**31 - 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class _UnitModel(_Strict):
    id: str = Field(max_length=200)
    side: Side
    hex: int = Field(ge=-1, le=_BIG)
    men: int = Field(ge=0, le=10**8)
    start_men: int = Field(ge=1, le=10**8)
    status: Literal["active", "pending", "reserve", "eliminated"]
    mp: float = Field(ge=0, le=1e6)
    moved: bool
    attacked: bool
    fort: int = Field(ge=0, le=1000)
    fatigue: float = Field(ge=0, le=1)
    supplied: bool
    turns_unsupplied: int = Field(ge=0, le=_BIG)


class _AIMemoryModel(_Strict):
    japan: JapanMemory
    china: ChinaMemory


class _LossesModel(_Strict):
    killed: int = Field(ge=0, le=10**9)
    wounded: int = Field(ge=0, le=10**9)
    captured: int = Field(ge=0, le=10**9)
    sick: int = Field(ge=0, le=10**9)


class _SidesLosses(_Strict):
    japan: _LossesModel
    china: _LossesModel


class _SidesInt(_Strict):
    japan: int = Field(ge=0, le=10**6)
    china: int = Field(ge=0, le=10**6)


class _MissionModel(_Strict):
    side: Side
    kind: Literal["support", "interdict", "cap"]
    target: int = Field(ge=0, le=_BIG)
    sorties: int = Field(ge=1, le=10**6)


class _SaveModel(_Strict):
    format: Literal["xuefeng-save"]
    version: Literal[3]
    scenario: str = Field(max_length=64)
    variant: str | None = Field(max_length=64)
    seed: int = Field(ge=0, lt=2**64)
    rng: dict[str, Any]
    turn: int = Field(ge=1, le=100_000)
    side: Side
    phase: Literal["air", "move", "combat"]
    units: list[_UnitModel] = Field(max_length=10_000)
    control: dict[str, Side]
    losses: _SidesLosses
    weather: str = Field(max_length=200)
    sorties_left: _SidesInt
    missions: list[_MissionModel] = Field(max_length=10_000)
    airfield_threat: int = Field(ge=0, le=_BIG)
    airfield_status: Literal["operational", "neutralised", "captured"]
    over: bool
    winner: Side | None
    closest_km: float = Field(ge=-1e9, le=1e9)
    max_penetration_km: float = Field(ge=-1e9, le=1e9)
    ai: _AIMemoryModel
    log: list[dict[str, Any]]
    history: list[dict[str, Any]]


def _key(k):
    """A key of the save as it may be shown: odd or long keys quoted and cut short."""
    if isinstance(k, str) and not re.fullmatch(r"[A-Za-z_][\w-]{0,63}", k):
        return repr(k[:20] + ("..." if len(k) > 20 else ""))
    return k


def _format_errors(source: str, exc: ValidationError) -> str:
    lines = []
    for e in exc.errors(include_url=False):
        got = repr(e.get("input"))
        got = got if len(got) <= 40 else got[:37] + "..."
        what = e["msg"][len("Input should be "):] if e["msg"].startswith("Input should be ") else e["msg"]
        exp = f"expected {what}" if e["type"] != "missing" else "missing (expected it to be given)"
        lines.append(f"{source}: {_loc_str(tuple(_key(k) for k in e['loc']))}: {exp}" + ("" if e["type"] == "missing" else f" (got {got})"))
    return "\n".join(lines)


def state_from_dict(game, d: dict, source: str = "<save>"):
    """Validate ``d`` against the save schema, the game and every invariant, then build the state.

    A save that fails any check is refused whole (``ValueError`` listing ``source: field:
    expectation`` lines); nothing is half-loaded.
    """
    if not isinstance(d, dict):
        raise UserFileError(f"{source}: (top level): expected a Xuefeng save object")
    if "version" in d and d["version"] != SAVE_VERSION:
        raise UserFileError(f"{source}: version: save format {str(d['version'])[:20]!r} is not supported "
                         f"(expected {SAVE_VERSION}; this save was written by another version of Xuefeng)")
    try:
        m = _SaveModel.model_validate(d)
    except ValidationError as exc:
        raise UserFileError(_format_errors(source, exc)) from None
    if m.scenario != game.scenario.meta.id or m.variant != game.scenario.variant:
        raise UserFileError(
            f"{source}: scenario: save is for {m.scenario!r} variant {m.variant!r}, "
            f"expected {game.scenario.meta.id!r} variant {game.scenario.variant!r}"
        )
    plain = m.model_dump()
    errs = rng_problems(plain["rng"])
    if errs:
        raise UserFileError("\n".join(f"{source}: {e}" for e in errs))
    state = GameState.from_plain(game, plain)
    errs = state_problems(state)
    if errs:
        raise UserFileError("\n".join(f"{source}: {e}" for e in errs))
    return state


def state_from_json(game, text: str, source: str = "<save>"):
    """Parse and validate a state saved as JSON text (see :func:`state_from_dict`)."""
    return state_from_dict(game, parse_json(text, source), source)


def save_game(state, path: str | Path) -> None:
    """Save a game as JSON, atomically."""
    write_atomic(path, json.dumps(state.to_dict(), sort_keys=True, indent=1))


def load_game(path: str | Path, game=None):
    """Load a save: returns (game, state). Raises ValueError naming the file and field.

    The save names its scenario by id; the scenario is found in the scenario folder (a path
    held in a save is never opened).  ``game`` is reused when the save is for its scenario
    and variant (no reload).
    """
    path = Path(path)
    source = str(path)
    d = parse_json(read_text(path, "save", MAX_SAVE_BYTES), source)
    if not isinstance(d, dict) or d.get("format") != "xuefeng-save":
        raise UserFileError(f"{source}: format: expected a Xuefeng save object (format 'xuefeng-save')")
    sid, variant = d.get("scenario"), d.get("variant")
    if not isinstance(sid, str):
        raise UserFileError(f"{source}: scenario: expected a scenario id (got {str(sid)[:40]!r})")
    if variant is not None and not isinstance(variant, str):
        raise UserFileError(f"{source}: variant: expected a variant name or null (got {str(variant)[:40]!r})")
    if game is not None and sid == game.scenario.meta.id and variant == game.scenario.variant:
        return game, state_from_dict(game, d, source)
    try:
        game = Game.load_by_id(sid, variant=variant)
    except ValueError as exc:  # scenario errors name their own file
        raise UserFileError(f"{source}: scenario: cannot load {sid[:64]!r}: {exc}") from None
    return game, state_from_dict(game, d, source)
