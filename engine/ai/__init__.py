"""Computer players. ``make_player(side, seed)`` gives the plan-driven operational AI.

The players take their plan from the scenario and their memory from the state at every
phase (engine/ai/base.py), so one player serves any game of its side.
"""
from __future__ import annotations

from .china import ChinaAI
from .japan import JapanAI
from .random_player import RandomPlayer


def make_player(side: str, seed: int = 0, game=None):
    """The operational AI for ``side`` (``game`` is accepted for older callers and not needed:
    the plan is read from the state's game every phase)."""
    if side == "japan":
        return JapanAI(seed)
    if side == "china":
        return ChinaAI(seed)
    raise ValueError(f"unknown side {side!r} (expected 'japan' or 'china')")


__all__ = ["make_player", "JapanAI", "ChinaAI", "RandomPlayer"]
