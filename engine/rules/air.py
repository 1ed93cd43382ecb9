"""Air power: weather, sortie availability and the effects of air missions.

Each turn the weather is drawn from the scenario's table.  A side's sorties for the turn are
``aircraft * sorties_per_aircraft * weather.sortie_mult``, times the share of its air bases
still usable; a side whose ``bases_need_objective`` is true (China: its on-map base is the
Zhijiang airfield) loses its on-map share while the victory objective is neutralised or
captured, and only its ``rear_share`` remains.  In its air phase a side commits sorties to missions:

- ``support``: close air support for combats at or next to the target hex; multiplies the
  supported side's combat strength by ``1 + min(air_support_max, sorties * air_support_per_sortie)``.
- ``interdict``: enemy units within ``interdict_radius`` hexes of the target lose movement
  points, suffer strafing losses and more sickness, and trace supply with a shorter range.
- ``cap``: combat air patrol; enemy missions within ``cap_radius`` hexes of the target lose
  the share ``cap / (cap + enemy sorties)`` of their effect.

Support helps combats within ``support_radius`` hexes of its target.  The radii are in the
scenario's ``[air]`` table.

A mission lasts until its side's next air phase, so support flown on your turn also helps
your units defend in the enemy's turn.
"""
from __future__ import annotations

from bisect import bisect_right

import numpy as np

from ..core.actions import AIR_MISSIONS
from ..core.errors import IllegalAction
from ..core.sides import other
from ..core.per_game import per_game

def draw_weather(state) -> str:
    """Draw this turn's weather from the state's generator.

    The draw is ``rng.choice(len(names), p=p / p.sum())`` done the way numpy's ``choice`` does
    it (one ``random()`` looked up in the normalised cumulative table, searched from the
    right), without ``choice``'s checks of the table (the scenario's are made on loading):
    the same number drawn, the same weather.
    """
    names, cdf = _weather_table(state.game)
    return names[bisect_right(cdf, state.rng.random())]  # = searchsorted(side="right")


@per_game
def _weather_table(game) -> tuple[list[str], list[float]]:
    """(weather names, normalised cumulative probabilities) of the scenario's weather table, as
    :func:`draw_weather` uses them."""
    table = game.scenario.air.weather
    names = list(table)
    p = np.array([table[n].probability for n in names])
    cdf = (p / p.sum()).cumsum()
    cdf /= cdf[-1]
    return names, cdf.tolist()


def base_share(state, side: str) -> float:
    """Fraction of a side's air effort still available given which bases it holds."""
    air = state.game.scenario.air.sides[side]
    bases = [b for b in air.bases if b in state.game.place_hex]
    if not bases:
        return 1.0
    held = sum(1 for b in bases if state.control.get(b) == side)
    share = held / len(bases)
    if air.bases_need_objective and state.airfield_status != "operational":
        share = 0.0
    rear = air.rear_share
    return rear + (1.0 - rear) * share


def sorties_for_turn(state, side: str) -> int:
    air = state.game.scenario.air
    sa = air.sides[side]
    mult = air.weather[state.weather].sortie_mult
    return int(round(sa.aircraft * sa.sorties_per_aircraft * mult * base_share(state, side)))


def check_mission(state, kind: str, target: int, sorties: int) -> None:
    """Raise :class:`IllegalAction` unless the mission may be flown now."""
    if state.phase != "air":
        raise IllegalAction(f"air missions are assigned in the air phase (now: {state.phase})")
    if kind not in AIR_MISSIONS:
        raise IllegalAction(f"unknown air mission {kind!r} (expected one of {', '.join(AIR_MISSIONS)})")
    if not (isinstance(target, (int, np.integer)) and 0 <= target < state.game.n_hex):
        raise IllegalAction(f"air target {target!r} is not a hex of the map")
    if not isinstance(sorties, (int, np.integer)) or sorties < 1:
        raise IllegalAction(f"sorties must be a positive whole number, got {sorties!r}")
    left = state.sorties_left[state.side]
    if sorties > left:
        raise IllegalAction(f"{state.side} has {left} sorties left this turn, asked for {sorties}", "air.sorties",
                            left=int(left), asked=int(sorties))


def fly_mission(state, kind: str, target: int, sorties: int) -> None:
    state.sorties_left[state.side] -= sorties
    state.missions.append({"side": state.side, "kind": kind, "target": int(target), "sorties": int(sorties)})
    state.log.append({"turn": state.turn, "type": "air", "side": state.side, "kind": kind, "target": int(target),
                      "sorties": int(sorties)})


def _effective(state, mission: dict, caps: list | None = None) -> float:
    """Sorties of a mission after enemy combat air patrols over its target (``caps``: the
    state's :func:`_caps`, when the caller has them)."""
    s = float(mission["sorties"])
    radius = state.game.scenario.air.cap_radius
    distance = state.game.map.grid.distance
    side, target = mission["side"], mission["target"]
    cap = sum(n for by, at, n in (caps if caps is not None else _caps(state))
              if by != side and distance(at, target) <= radius)
    return s * s / (s + cap) if cap else s


def _caps(state) -> list[tuple[str, int, int]]:
    """(side, target, sorties) of the combat air patrols flown, in the order flown."""
    return [(m["side"], m["target"], m["sorties"]) for m in state.missions if m["kind"] == "cap"]


def air_picture(state) -> dict:
    """Per side and mission kind, the effective sorties over each hex a mission covers (support
    within ``support_radius`` of its target, interdiction within ``interdict_radius``), added up
    mission by mission in the order flown: ``{(side, kind): {hex: sorties}}``, hexes no mission
    covers left out (0 sorties).  Read, never change.  Derived, never saved: cached on the state
    against the missions it was made from (:func:`_picture_memo`)."""
    return _picture_memo(state)[1]


def _picture_memo(state) -> tuple:
    """(copy of the missions, picture, the (target, effective sorties) of each picture group,
    the effective sorties worked out per (side, target, sorties), the patrols and patrol
    radius they were worked out under) for the state's current missions (compared with the
    copy, so a mission changed in place is seen at once).

    When the missions change, a (side, kind) group whose list of (target, effective sorties)
    is unchanged keeps its sums (they are a function of that list alone); the others are
    summed afresh (:func:`_summed`)."""
    memo = state.__dict__.get("_air_picture")
    if memo is not None and memo[0] == state.missions:
        return memo
    game = state.game
    a = game.scenario.air
    radius = {"support": a.support_radius, "interdict": a.interdict_radius}
    lists: dict = {}
    caps = _caps(state)
    # a mission's effective sorties depend on its side, target and sorties and on the patrols
    # flown and their radius: kept from the last picture while those are the same
    under = (caps, a.cap_radius)
    effective = memo[3] if memo is not None and memo[4] == under else {}
    for m in state.missions:
        if m["kind"] in radius:
            key = (m["side"], m["target"], m["sorties"])
            eff = effective.get(key)
            if eff is None:
                eff = effective[key] = _effective(state, m, caps)
            lists.setdefault((m["side"], m["kind"]), []).append((m["target"], eff))
    old_picture, old_lists = (memo[1], memo[2]) if memo is not None else ({}, {})
    picture = {group: old_picture[group] if old_lists.get(group) == items else _summed(game, items, radius[group[1]])
               for group, items in lists.items()}
    memo = state.__dict__["_air_picture"] = ([dict(m) for m in state.missions], picture, lists, effective, under)
    return memo


def _summed(game, items: list, radius: int) -> dict[int, float]:
    """``{hex: sorties}`` of missions ``items`` ((target, effective sorties), in the order flown)
    over the hexes within ``radius`` of their targets.  Each hex's sorties are added in the
    order flown starting from 0.0: the same float additions as adding every mission to an array
    of zeros over the whole map, without touching the hexes no mission covers."""
    within = game.map.grid.within
    out: dict[int, float] = {}
    get = out.get
    for target, sorties in items:
        for h in within(target, radius).tolist():
            out[h] = get(h, 0.0) + sorties
    return out


def support_sorties(state, side: str, hex_id: int, picture: dict | None = None) -> float:
    """Effective close-support sorties ``side`` has over ``hex_id`` (``picture``: this state's
    :func:`air_picture`, when the caller already has it)."""
    return support_sorties_in(picture if picture is not None else air_picture(state), side, hex_id)


def support_sorties_in(picture: dict, side: str, hex_id: int) -> float:
    """:func:`support_sorties` read from an :func:`air_picture`."""
    return sorties_at(support_by_hex(picture, side), hex_id)


def support_by_hex(picture: dict, side: str) -> dict[int, float] | None:
    """``side``'s close-support sorties by hex in an :func:`air_picture` (``{hex: sorties}``, hexes
    without support left out; None: none flown)."""
    return picture.get((side, "support"))


def sorties_at(support: dict[int, float] | None, hex_id: int) -> float:
    """The sorties in ``hex_id`` of a :func:`support_by_hex`."""
    return support.get(hex_id, 0.0) if support is not None else 0.0


def support_bonus(air_params, defending: bool) -> float:
    """The factor on close support's effect: 1, plus ``air.support_defence_bonus`` in defence."""
    return 1.0 + (air_params.support_defence_bonus if defending else 0.0)


def support_multiplier_of(sorties: float, combat_params, bonus: float) -> float:
    """The combat multiplier from close support of ``sorties`` effective sorties (``combat_params``:
    the scenario's ``[combat]``; ``bonus``: :func:`support_bonus`, which adds
    ``air.support_defence_bonus`` in defence)."""
    return 1.0 + min(combat_params.air_support_max, sorties * combat_params.air_support_per_sortie * bonus)


def interdiction_at(state, victim_side: str) -> np.ndarray:
    """Effective interdiction sorties flown against ``victim_side``, as a new array over the map."""
    out = np.zeros(state.game.n_hex)
    got = _interdiction_by_hex(state, victim_side)
    if got:
        out[list(got)] = list(got.values())
    return out


def interdiction_sorties_at(state, victim_side: str, hexes: np.ndarray) -> list[float]:
    """:func:`interdiction_at` at ``hexes`` (an array of hex ids), as a list of Python floats."""
    got = _interdiction_by_hex(state, victim_side)
    if got is None:
        return [0.0] * len(hexes)
    return [got.get(h, 0.0) for h in hexes.tolist()]


def _interdiction_by_hex(state, victim_side: str) -> dict[int, float] | None:
    """The air picture's interdiction sorties against ``victim_side`` (None: none flown)."""
    return air_picture(state).get((other(victim_side), "interdict"))


def levels_of(state, sorties: list[float]) -> list[float]:
    """0..1 for each of ``sorties`` (effective interdiction sorties): how hard interdiction bites,
    saturating at ``interdiction_saturation`` sorties.  The one formula of the interdiction level."""
    if not any(sorties):
        return [0.0] * len(sorties)
    full = state.game.scenario.air.interdiction_saturation
    return [v if v < 1.0 else 1.0 for v in [x / full for x in sorties]]


def interdiction_levels(state, victim_side: str, hexes: np.ndarray) -> list[float]:
    """The interdiction level (:func:`levels_of`) against ``victim_side`` at ``hexes``."""
    return levels_of(state, interdiction_sorties_at(state, victim_side, hexes))


def interdiction_level(state, victim_side: str) -> np.ndarray:
    """:func:`interdiction_levels` at every hex, as an array."""
    return np.array(levels_of(state, interdiction_at(state, victim_side).tolist()), dtype=float)
