"""Computer players. ``make_player(side, seed)`` gives the plan-driven operational AI."""
from __future__ import annotations

from .china import ChinaAI
from .japan import JapanAI
from .random_player import RandomPlayer


def make_player(side: str, seed: int = 0, game=None):
    """The operational AI for ``side``; plan data come from the scenario's ``[ai.<side>]`` table
    (read from ``game`` now, or from the state at the first phase it plays)."""
    params = dict((game.scenario.ai or {}).get(side, {})) if game is not None else None
    if side == "japan":
        return JapanAI(seed, params)
    if side == "china":
        return ChinaAI(seed, params)
    raise ValueError(f"unknown side {side!r} (expected 'japan' or 'china')")


__all__ = ["make_player", "JapanAI", "ChinaAI", "RandomPlayer"]
