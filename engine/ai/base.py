"""What the plan-driven players share: plan data from the scenario, memory from the state.

A player object holds nothing that decides play: at the start of every phase it reads its
plan (the scenario's ``[ai.<side>]`` table, typed in :mod:`engine.scenario.ai_params`) from
the state's game and its memory (:mod:`engine.core.memory`) from the state, and it writes
its memory back through :func:`engine.core.play.remember`.  So any player built for a side
plays on exactly from any state, whether the game was just begun, loaded or replayed.
"""
from __future__ import annotations

from pydantic import BaseModel

from ..core.play import remember
from .common import end_phase


class PlanAI:
    """Base class: subclasses set ``side`` and ``memory_model`` and write the three phases."""

    side: str
    memory_model: type[BaseModel]

    def __init__(self, seed: int = 0):
        self.seed = seed  # the plan is deterministic; kept so every player is made the same way
        self.p = None  # the plan table of the state being played (read every phase)
        self.mem = self.memory_model()
        self._read = self._read_as = None  # the state's memory dict ``mem`` was last read from or written to, and its content then

    def play_phase(self, state) -> None:
        """Give this side's orders for the current phase, then end it."""
        self.p = getattr(state.game.scenario.ai, self.side)
        self.recall(state)
        try:
            getattr(self, "_" + state.phase)(state)
        except BaseException:
            self._read = None  # ``mem`` may be changed and not remembered: read it afresh next time
            raise
        end_phase(state)

    def recall(self, state) -> None:
        """Read the memory from the state into ``mem`` (validated against ``memory_model``).

        Validating is a pure cache: skipped when the state holds the very dict ``mem`` was last
        read from or written to (:meth:`remember`), with the same content.  ``mem`` changes only
        in the phases' assessments, which then :meth:`remember` it, so it still equals the state's
        memory validated afresh; any other dict (another state, a load, an undo) is validated."""
        raw = state.ai[self.side]
        if raw is self._read and raw == self._read_as:
            return
        self.mem = self.memory_model.model_validate(raw)
        self._read, self._read_as = raw, self.mem.model_dump()

    def remember(self, state) -> None:
        """Keep the memory in the state (saved, hashed and replayed with it)."""
        dumped = self.mem.model_dump()
        remember(state, self.side, dumped)
        self._read, self._read_as = state.ai[self.side], dumped

    def _air(self, state) -> None:
        raise NotImplementedError

    def _move(self, state) -> None:
        raise NotImplementedError

    def _combat(self, state) -> None:
        raise NotImplementedError
