"""Graded victory: how well the side that won did, from the objective airfield, the
attacker's line at the end and the losses.

The airfield decides the winner (:mod:`engine.rules.victory`); the level grades it with the
thresholds of the scenario's ``[victory_levels]`` table (in West Hunan the attacker is Japan):

* ``<attacker>_decisive``: the airfield taken;
* ``<attacker>_marginal``: the airfield neutralised (destroyed by its defenders);
* ``draw``: the airfield operational, but the attacker still ``draw_min_final_km`` or more
  west of its start line at the end;
* ``<defender>_decisive``: the airfield operational, the attacker back within
  ``china_decisive_max_final_km`` of its start line, and the defender's casualties (killed,
  wounded, missing) at most ``china_decisive_max_loss_ratio`` times the attacker's losses
  (battle casualties and sick);
* ``<defender>_marginal``: any other hold of the airfield.

A game still in progress is graded as if it ended now.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.sides import SIDES, other
from .victory import japanese_penetration_now

ADJECTIVE = {"japan": "Japanese", "china": "Chinese"}
LEVELS = (f"{SIDES[0]}_decisive", f"{SIDES[0]}_marginal", "draw", f"{SIDES[1]}_marginal", f"{SIDES[1]}_decisive")
LEVEL_NAMES = {"draw": "Draw", **{f"{s}_{grade}": f"{grade.title()} {ADJECTIVE[s]} victory"
                                  for s in SIDES for grade in ("decisive", "marginal")}}
CASUALTY_KINDS = ("killed", "wounded", "captured")  # captured = missing


@dataclass(frozen=True)
class VictoryLevel:
    """A graded outcome and the facts that decided it, in words; ``facts`` are the same reasons
    as (key, fields) for a front end that words them itself (another language)."""

    level: str
    name: str
    reasons: tuple[str, ...]
    facts: tuple[tuple[str, dict], ...] = ()


def loss_ratio(state) -> float:
    """The defender's casualties (killed, wounded, missing) per attacker loss (battle and sick)."""
    attacker = state.game.scenario.victory.attacker
    lost = state.losses[other(attacker)]
    cost = sum(int(lost.get(k, 0)) for k in CASUALTY_KINDS)
    inflicted = sum(int(v) for v in state.losses[attacker].values())
    return cost / inflicted if inflicted > 0 else (0.0 if cost == 0 else float("inf"))


def victory_level(state) -> VictoryLevel:
    """The graded outcome of ``state`` (as if it ended now when it is still in progress)."""
    game = state.game
    v, t = game.scenario.victory, game.scenario.victory_levels
    att, dfn = v.attacker, other(v.attacker)
    place = game.map.places[v.airfield].name_en
    where = {"place": v.airfield, "attacker": att, "defender": dfn}
    if state.airfield_status == "captured":
        return _level(f"{att}_decisive", (f"the {ADJECTIVE[att]} took {place}", "took", where))
    if state.airfield_status == "neutralised":
        return _level(f"{att}_marginal", (f"{place} was destroyed by its defenders with the {ADJECTIVE[att]} "
                                          f"at its gates, but never taken", "destroyed", where))
    final = max(0.0, japanese_penetration_now(state))
    ratio = loss_ratio(state)
    held = (f"{place} held", "held", where)
    line = f"the {ADJECTIVE[att]} ended {final:.0f} km west of their start line"
    losses = f"{dfn.title()} lost {ratio:.2f} men per {ADJECTIVE[att]} loss"
    on_line = dict(where, km=final)
    on_losses = dict(where, ratio=ratio)
    if final >= t.draw_min_final_km:
        return _level("draw", held, (f"{line} (a draw from {t.draw_min_final_km:.0f} km)", "line_draw",
                                     dict(on_line, limit=t.draw_min_final_km)))
    if final <= t.china_decisive_max_final_km and ratio <= t.china_decisive_max_loss_ratio:
        return _level(f"{dfn}_decisive", held,
                      (f"{line} (decisive up to {t.china_decisive_max_final_km:.0f} km)", "line_decisive",
                       dict(on_line, limit=t.china_decisive_max_final_km)),
                      (f"{losses} (decisive up to {t.china_decisive_max_loss_ratio:.2f})", "losses_decisive",
                       dict(on_losses, limit=t.china_decisive_max_loss_ratio)))
    why = []
    if final > t.china_decisive_max_final_km:
        why.append((f"{line} (decisive needs {t.china_decisive_max_final_km:.0f} km or less)", "line_needs",
                    dict(on_line, limit=t.china_decisive_max_final_km)))
    if ratio > t.china_decisive_max_loss_ratio:
        why.append((f"{losses} (decisive needs {t.china_decisive_max_loss_ratio:.2f} or less)", "losses_needs",
                    dict(on_losses, limit=t.china_decisive_max_loss_ratio)))
    return _level(f"{dfn}_marginal", held, *why)


def _level(level: str, *reasons: tuple[str, str, dict]) -> VictoryLevel:
    """``reasons``: (English text, key, fields) of each fact that decided the level."""
    return VictoryLevel(level, LEVEL_NAMES[level], tuple(text for text, _, _ in reasons),
                        tuple((key, fields) for _, key, fields in reasons))
