"""Graded victory: how well the side that won did, from the airfield, the Japanese line at the
end and the losses.

The airfield decides the winner (:mod:`engine.rules.victory`); the level grades it with the
thresholds of the scenario's ``[victory_levels]`` table:

* ``japan_decisive``: the airfield taken;
* ``japan_marginal``: the airfield neutralised (destroyed by its defenders);
* ``draw``: the airfield operational, but the Japanese still ``draw_min_final_km`` or more west
  of their start line at the end;
* ``china_decisive``: the airfield operational, the Japanese back within
  ``china_decisive_max_final_km`` of their start line, and Chinese casualties at most
  ``china_decisive_max_loss_ratio`` times the Japanese (battle casualties and sick);
* ``china_marginal``: any other Chinese hold of the airfield.

A game still in progress is graded as if it ended now.
"""
from __future__ import annotations

from dataclasses import dataclass

from .victory import japanese_penetration_now

LEVELS = ("japan_decisive", "japan_marginal", "draw", "china_marginal", "china_decisive")
LEVEL_NAMES = {
    "japan_decisive": "Decisive Japanese victory",
    "japan_marginal": "Marginal Japanese victory",
    "draw": "Draw",
    "china_marginal": "Marginal Chinese victory",
    "china_decisive": "Decisive Chinese victory",
}
CHINESE_CASUALTY_KINDS = ("killed", "wounded", "captured")  # captured = missing for China
JAPANESE_LOSS_KINDS = ("killed", "wounded", "captured", "sick")


@dataclass(frozen=True)
class VictoryLevel:
    """A graded outcome and the facts that decided it, in words."""

    level: str
    name: str
    reasons: tuple[str, ...]


def loss_ratio(state) -> float:
    """Chinese casualties (killed, wounded, missing) per Japanese loss (battle and sick)."""
    cn = sum(int(state.losses["china"].get(k, 0)) for k in CHINESE_CASUALTY_KINDS)
    jp = sum(int(state.losses["japan"].get(k, 0)) for k in JAPANESE_LOSS_KINDS)
    return cn / jp if jp > 0 else (0.0 if cn == 0 else float("inf"))


def victory_level(state) -> VictoryLevel:
    """The graded outcome of ``state`` (as if it ended now when it is still in progress)."""
    t = state.game.scenario.victory_levels
    if state.airfield_status == "captured":
        return _level("japan_decisive", "the Japanese took the Zhijiang airfield")
    if state.airfield_status == "neutralised":
        return _level("japan_marginal", "the Zhijiang airfield was destroyed by its defenders with the "
                                        "Japanese at its gates, but never taken")
    final = max(0.0, japanese_penetration_now(state))
    ratio = loss_ratio(state)
    held = "the Zhijiang airfield held"
    line = f"the Japanese ended {final:.0f} km west of their start line"
    losses = f"China lost {ratio:.2f} men per Japanese loss"
    if final >= t.draw_min_final_km:
        return _level("draw", held, f"{line} (a draw from {t.draw_min_final_km:.0f} km)")
    if final <= t.china_decisive_max_final_km and ratio <= t.china_decisive_max_loss_ratio:
        return _level("china_decisive", held, f"{line} (decisive up to {t.china_decisive_max_final_km:.0f} km)",
                      f"{losses} (decisive up to {t.china_decisive_max_loss_ratio:.2f})")
    why = []
    if final > t.china_decisive_max_final_km:
        why.append(f"{line} (decisive needs {t.china_decisive_max_final_km:.0f} km or less)")
    if ratio > t.china_decisive_max_loss_ratio:
        why.append(f"{losses} (decisive needs {t.china_decisive_max_loss_ratio:.2f} or less)")
    return _level("china_marginal", held, *why)


def _level(level: str, *reasons: str) -> VictoryLevel:
    return VictoryLevel(level, LEVEL_NAMES[level], tuple(reasons))
