"""The computer players' memory, kept in the game state (``GameState.ai``).

Everything an AI remembers from one phase to the next lives here, so a saved game is the
whole game: it is saved, loaded, hashed and replayed with the rest of the state, and an AI
built afresh for a loaded state plays on exactly as the one that saved it would have.

An AI changes its memory only through :func:`engine.core.play.remember`, which checks it
against these models and records it in the history (so a replay rebuilds it too).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class JapanMemory(BaseModel):
    """The 20th Army command's running assessment (engine/ai/japan.py)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    posture: Literal["advance", "withdraw"] = "advance"
    stall: int = 0  # turns since the advance last gained ground
    best_progress: float | None = None  # least cost-to-go to the airfield reached so far (None: not yet measured)
    assessed_turn: int = 0  # the last turn the command assessed its situation
    score: float = 0.0  # the culmination score of that assessment


class ChinaMemory(BaseModel):
    """The Chinese command's reading of the Japanese advance (engine/ai/china.py)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    pursuit: bool = False  # the counter-offensive has been ordered
    penetration_seen: list[float] = []  # Japanese penetration (km) at each assessment
    assessed_turn: int = 0


MEMORY_MODELS: dict[str, type[BaseModel]] = {"japan": JapanMemory, "china": ChinaMemory}


def fresh_memory() -> dict[str, dict]:
    """Both sides' memory at the start of a game, as plain JSON-ready dicts."""
    return {side: model().model_dump() for side, model in MEMORY_MODELS.items()}


def checked_memory(side: str, memory: dict) -> dict:
    """``memory`` validated for ``side`` (pydantic ValidationError if it does not fit)."""
    return MEMORY_MODELS[side].model_validate(memory).model_dump()

