"""One consistency check of a game state against its scenario: every invariant the rules rely on.

:func:`state_problems` lists what is wrong as ``field: what was expected`` lines (empty when
the state is sound).  Saves are refused unless it passes (``engine.core.persistence``) and the
tests run it after every order of random games.  The invariants:

- units: the order of battle's ids, sides and starting strengths, in order; statuses and
  positions agree (active units on a map hex with men; pending units arrive later and
  reserves are the scenario's reserves, both off the map; eliminated units off the map with
  no men); 0 <= men <= start_men; finite, bounded mp, fatigue, fort, counters;
- the board: no hex holds units of both sides, none holds more than the stacking limit;
- men are conserved per side: sum of start_men = men present + killed + wounded + captured + sick;
- control names exactly the map's places, each held by a side;
- turn within the campaign, side and phase known, weather one of the scenario's;
- sorties and air missions well-formed and within the side's air effort;
- the airfield's status agrees with ``over`` and ``winner``; the measures are finite;
- the random generator's state is a valid PCG64 state; every value is a plain Python value
  (no numpy numbers), so the state can always be saved;
- log and history entries are well-formed (the front end and replays read them).
"""
from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError

from .actions import AIR_MISSIONS, action_from_dict
from .memory import checked_memory
from .sides import SIDES
from .state import LOSS_KINDS, PHASES

STATUSES = ("active", "pending", "reserve", "eliminated")
AIRFIELD_STATUSES = ("operational", "neutralised", "captured")
MAX_MEASURE_KM = 1e9  # the initial "no approach yet" values are +-1e9
HISTORY_TYPES = ("move", "attack", "air", "end_phase", "chance", "note", "memory")


def _is_int(v: Any) -> bool:
    return type(v) is int


def _is_num(v: Any) -> bool:
    """A finite int or float (numpy's float64 is a float; its int64 is not JSON-serialisable)."""
    return (type(v) is int or isinstance(v, float)) and math.isfinite(v)


def max_sorties(game, side: str) -> int:
    """The most sorties ``side`` can have in any one turn (best weather, every base held)."""
    air = game.scenario.air
    sa = air.sides.get(side)
    if sa is None:
        return 0
    best = max((w.sortie_mult for w in air.weather.values()), default=0.0)
    return int(round(sa.aircraft * sa.sorties_per_aircraft * best)) + 1


def state_problems(state) -> list[str]:
    """Every way ``state`` breaks the engine's invariants, as ``field: expectation`` lines."""
    errs: list[str] = []
    game = state.game
    n_hex = game.n_hex
    add = errs.append

    # ----------------------------------------------------------------- clock and phase
    if not _is_int(state.seed) or not 0 <= state.seed < 2**64:
        add(f"seed: {state.seed!r} (expected a whole number 0 .. 2**64-1)")
    turn_ok = _is_int(state.turn) and 1 <= state.turn <= game.n_turns
    if not turn_ok:
        add(f"turn: {state.turn!r} (expected 1 .. {game.n_turns}, the campaign's turns)")
    turn = state.turn if turn_ok else game.n_turns
    if state.side not in SIDES:
        add(f"side: {state.side!r} (expected one of {', '.join(SIDES)})")
    if state.phase not in PHASES:
        add(f"phase: {state.phase!r} (expected one of {', '.join(PHASES)})")
    if state.weather not in game.scenario.air.weather:
        add(f"weather: {state.weather!r} (expected one of the scenario's: {', '.join(game.scenario.air.weather)})")

    # ----------------------------------------------------------------------- units
    defs = game.units
    if len(state.units) != len(defs) or any(u.id != d.id for u, d in zip(state.units, defs)):
        add("units: unit ids differ from the scenario's order of battle (expected its units, in order)")
    stack_max = game.scenario.movement.stacking_max_units
    fort_max = game.scenario.combat.fort_max
    occupants: dict[int, list] = {}
    for i, (u, d) in enumerate(zip(state.units, defs)):
        p = f"units[{i}]"
        if u.side != d.side:
            add(f"{p}.side: {u.side!r} (expected {d.side!r}, as in the order of battle)")
        if not _is_int(u.start_men) or u.start_men != d.men:
            add(f"{p}.start_men: {u.start_men!r} (expected {d.men}, the order of battle's strength)")
        if not _is_int(u.men) or not 0 <= u.men <= d.men:
            add(f"{p}.men: {u.men!r} (expected a whole number 0 .. {d.men})")
        if not _is_int(u.hex) or not -1 <= u.hex < n_hex:
            add(f"{p}.hex: {u.hex!r} (expected -1 or a hex id 0 .. {n_hex - 1})")
            continue
        if u.status not in STATUSES:
            add(f"{p}.status: {u.status!r} (expected one of {', '.join(STATUSES)})")
        elif u.status == "active":
            if u.hex < 0:
                add(f"{p}.hex: an active unit must be on the map (expected 0 .. {n_hex - 1})")
            else:
                occupants.setdefault(u.hex, []).append(u)
            if _is_int(u.men) and u.men <= 0:
                add(f"{p}.men: an active unit has men (expected > 0; eliminated units have status 'eliminated')")
            if d.arrives_turn > turn:
                add(f"{p}.status: active before its arrival on turn {d.arrives_turn} (expected 'pending')")
            if d.reserve:
                add(f"{p}.status: a scenario reserve is active (expected 'reserve')")
        else:
            if u.hex != -1:
                add(f"{p}.hex: {u.hex} for a unit that is {u.status} (expected -1, off the map)")
            if u.status == "eliminated" and u.men != 0:
                add(f"{p}.men: {u.men!r} for an eliminated unit (expected 0)")
            if u.status == "pending" and (d.arrives_turn < 1 or d.arrives_hex < 0 or d.reserve):
                add(f"{p}.status: pending, but the scenario gives it no arrival (expected 'active')")
            if u.status == "reserve" and not d.reserve:
                add(f"{p}.status: reserve, but it is not a reserve in the scenario (expected 'active')")
            if u.status in ("pending", "reserve") and u.men != d.men:
                add(f"{p}.men: {u.men!r} for a unit that has not yet been in play (expected {d.men})")
        if not _is_num(u.mp) or not 0 <= u.mp <= d.mp + 1e-6:
            add(f"{p}.mp: {u.mp!r} (expected a number 0 .. {d.mp}, the unit's movement points)")
        if not _is_num(u.fatigue) or not 0 <= u.fatigue <= 1:
            add(f"{p}.fatigue: {u.fatigue!r} (expected a number 0 .. 1)")
        if not _is_int(u.fort) or not 0 <= u.fort <= fort_max:
            add(f"{p}.fort: {u.fort!r} (expected a whole number 0 .. {fort_max}, combat.fort_max)")
        if not _is_int(u.turns_unsupplied) or not 0 <= u.turns_unsupplied <= turn:
            add(f"{p}.turns_unsupplied: {u.turns_unsupplied!r} (expected a whole number 0 .. {turn}, the turn)")
        for flag in ("moved", "attacked", "supplied"):
            if type(getattr(u, flag)) is not bool:
                add(f"{p}.{flag}: {getattr(u, flag)!r} (expected true or false)")
    for h, us in sorted(occupants.items()):
        sides = {u.side for u in us}
        if len(sides) > 1:
            add(f"units: hex {h} holds units of both sides ({', '.join(u.id for u in us)}; expected one side per hex)")
        if len(us) > stack_max:
            add(f"units: hex {h} holds {len(us)} units (expected at most {stack_max}, movement.stacking_max_units)")

    # ---------------------------------------------------------------------- losses
    losses_ok = isinstance(state.losses, dict) and set(state.losses) == set(SIDES)
    if not losses_ok:
        add(f"losses: expected the tables {' and '.join(SIDES)}")
    else:
        for s in SIDES:
            book = state.losses[s]
            if not isinstance(book, dict) or set(book) != set(LOSS_KINDS):
                add(f"losses.{s}: expected exactly {', '.join(LOSS_KINDS)}")
                losses_ok = False
                continue
            for k in LOSS_KINDS:
                if not _is_int(book[k]) or book[k] < 0:
                    add(f"losses.{s}.{k}: {book[k]!r} (expected a whole number >= 0)")
                    losses_ok = False
    if losses_ok and not errs:
        for s in SIDES:
            start = sum(u.start_men for u in state.units if u.side == s)
            present = sum(u.men for u in state.units if u.side == s)
            lost = sum(state.losses[s].values())
            if start != present + lost:
                add(f"losses.{s}: men not conserved: start {start} != present {present} + losses {lost} "
                    f"(expected equal)")

    # --------------------------------------------------------------------- control
    if not isinstance(state.control, dict) or set(state.control) != set(game.place_keys):
        unknown = sorted(set(state.control) - set(game.place_keys)) if isinstance(state.control, dict) else []
        missing = sorted(set(game.place_keys) - set(state.control)) if isinstance(state.control, dict) else []
        what = (f"unknown {unknown[:3]}" if unknown else "") + (" " if unknown and missing else "") + \
               (f"missing {missing[:3]}" if missing else "")
        add(f"control: {what or 'not a table'} (expected exactly the map's place keys)")
    else:
        for k, v in state.control.items():
            if v not in SIDES:
                add(f"control.{k}: {v!r} (expected one of {', '.join(SIDES)})")

    # ------------------------------------------------------------------------- air
    if not isinstance(state.sorties_left, dict) or set(state.sorties_left) != set(SIDES):
        add(f"sorties_left: expected exactly {' and '.join(SIDES)}")
    else:
        for s in SIDES:
            v, top = state.sorties_left[s], max_sorties(game, s)
            if not _is_int(v) or not 0 <= v <= top:
                add(f"sorties_left.{s}: {v!r} (expected a whole number 0 .. {top})")
    if not isinstance(state.missions, list):
        add("missions: expected a list")
    else:
        for i, m in enumerate(state.missions):
            p = f"missions[{i}]"
            if not isinstance(m, dict) or set(m) != {"side", "kind", "target", "sorties"}:
                add(f"{p}: expected a table with side, kind, target, sorties")
                continue
            if m["side"] not in SIDES:
                add(f"{p}.side: {m['side']!r} (expected one of {', '.join(SIDES)})")
                continue
            if m["kind"] not in AIR_MISSIONS:
                add(f"{p}.kind: {m['kind']!r} (expected one of {', '.join(AIR_MISSIONS)})")
            if not _is_int(m["target"]) or not 0 <= m["target"] < n_hex:
                add(f"{p}.target: {m['target']!r} (expected a hex id 0 .. {n_hex - 1})")
            top = max_sorties(game, m["side"])
            if not _is_int(m["sorties"]) or not 1 <= m["sorties"] <= top:
                add(f"{p}.sorties: {m['sorties']!r} (expected a whole number 1 .. {top})")

    # --------------------------------------------------------------------- victory
    if state.airfield_status not in AIRFIELD_STATUSES:
        add(f"airfield_status: {state.airfield_status!r} (expected one of {', '.join(AIRFIELD_STATUSES)})")
    if not _is_int(state.airfield_threat) or not 0 <= state.airfield_threat <= turn:
        add(f"airfield_threat: {state.airfield_threat!r} (expected a whole number 0 .. {turn}, the turn)")
    if type(state.over) is not bool:
        add(f"over: {state.over!r} (expected true or false)")
    elif state.over:
        if state.winner not in SIDES:
            add(f"winner: {state.winner!r} for a finished game (expected japan or china)")
        elif (state.winner == "japan") != (state.airfield_status != "operational"):
            add(f"winner: {state.winner!r} with the airfield {state.airfield_status} (expected japan exactly "
                f"when the airfield is not operational)")
        if state.airfield_status == "operational" and turn_ok and state.turn < game.n_turns:
            add(f"over: the game ended on turn {state.turn} with the airfield operational "
                f"(expected the last turn, {game.n_turns})")
    else:
        if state.winner is not None:
            add(f"winner: {state.winner!r} while the game goes on (expected null)")
        if state.airfield_status == "captured":
            add("airfield_status: captured while the game goes on (expected the game to be over)")
    for name in ("closest_km", "max_penetration_km"):
        v = getattr(state, name)
        if not _is_num(v) or not -MAX_MEASURE_KM <= v <= MAX_MEASURE_KM:
            add(f"{name}: {v!r} (expected a finite number of km, at most {MAX_MEASURE_KM:g} in size)")
    if _is_num(state.closest_km) and state.closest_km < 0:
        add(f"closest_km: {state.closest_km!r} (expected >= 0)")

    # ------------------------------------------------------------------ AI memory
    if not isinstance(state.ai, dict) or set(state.ai) != set(SIDES):
        add(f"ai: expected the tables {' and '.join(SIDES)}")
    else:
        for s in SIDES:
            errs.extend(f"ai.{s}{p}" for p in memory_problems(s, state.ai[s], turn))

    # ---------------------------------------------------------------- random state
    errs.extend(rng_problems(state.rng.bit_generator.state))

    # ------------------------------------------------------------ log and history
    unit_ids = set(game.unit_index)
    if not isinstance(state.log, list):
        add("log: expected a list")
    else:
        for i, e in enumerate(state.log):
            problem = _log_problem(e, turn, unit_ids, n_hex)
            if problem:
                add(f"log[{i}]{problem}")
                break
    if not isinstance(state.history, list):
        add("history: expected a list")
    else:
        for i, e in enumerate(state.history):
            problem = _history_problem(e, turn)
            if problem:
                add(f"history[{i}]{problem}")
                break
    return errs


def memory_problems(side: str, memory: Any, turn: int) -> list[str]:
    """Problems with one side's AI memory (``.field: expectation``; see engine.core.memory)."""
    try:
        mem = checked_memory(side, memory)
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        return [f".{'.'.join(str(x) for x in e['loc'])}: {e['msg']}"]
    if mem != memory:
        return [": expected the memory exactly as its model keeps it"]
    out = []
    for k, v in mem.items():
        values = v if isinstance(v, list) else [v]
        if any(isinstance(x, float) and not (math.isfinite(x) and abs(x) <= MAX_MEASURE_KM) for x in values):
            out.append(f".{k}: {v!r} (expected finite numbers, at most {MAX_MEASURE_KM:g} in size)")
        if isinstance(v, int) and not isinstance(v, bool) and not 0 <= v <= turn:
            out.append(f".{k}: {v!r} (expected a whole number 0 .. {turn}, the turn)")
        if isinstance(v, list) and len(v) > turn + 1:
            out.append(f".{k}: {len(v)} entries (expected at most one per turn, {turn + 1})")
    return out


def rng_problems(rng_state: Any) -> list[str]:
    """Problems with a numpy PCG64 bit-generator state (as saved)."""
    ok = (isinstance(rng_state, dict) and set(rng_state) == {"bit_generator", "state", "has_uint32", "uinteger"}
          and rng_state["bit_generator"] == "PCG64" and isinstance(rng_state["state"], dict)
          and set(rng_state["state"]) == {"state", "inc"}
          and all(_is_int(rng_state["state"][k]) and 0 <= rng_state["state"][k] < 2**128 for k in ("state", "inc"))
          and rng_state["has_uint32"] in (0, 1) and _is_int(rng_state["has_uint32"])
          and _is_int(rng_state["uinteger"]) and 0 <= rng_state["uinteger"] < 2**32)
    if not ok:
        return ["rng: expected a PCG64 state {bit_generator: 'PCG64', state: {state, inc: 0 .. 2**128-1}, "
                "has_uint32: 0 or 1, uinteger: 0 .. 2**32-1}"]
    if rng_state["state"]["inc"] % 2 == 0:
        return ["rng.state.inc: an even increment (expected odd, as PCG64 keeps it)"]
    return []


def _log_problem(e: Any, turn: int, unit_ids: set, n_hex: int) -> str:
    if not isinstance(e, dict) or not isinstance(e.get("type"), str):
        return ": expected a table with a type"
    t = e.get("turn")
    if not _is_int(t) or not 1 <= t <= turn:
        return f".turn: {t!r} (expected 1 .. {turn})"
    if "text" in e and not isinstance(e["text"], str):
        return ".text: expected a string"
    if e["type"] == "combat":
        for k in ("attackers", "defenders"):
            v = e.get(k)
            if not isinstance(v, list) or not v or not all(isinstance(x, str) and x in unit_ids for x in v):
                return f".{k}: expected a non-empty list of unit ids"
        if not _is_num(e.get("ratio")):
            return ".ratio: expected a finite number"
        if not _is_int(e.get("target")) or not 0 <= e["target"] < n_hex:
            return f".target: expected a hex id 0 .. {n_hex - 1}"
        for k in ("attacker_losses", "defender_losses"):
            v = e.get(k)
            if not isinstance(v, dict) or not all(_is_int(x) and x >= 0 for x in v.values()):
                return f".{k}: expected a table of whole numbers >= 0"
    return ""


def _history_problem(e: Any, turn: int) -> str:
    if not isinstance(e, dict) or e.get("type") not in HISTORY_TYPES:
        return f": expected a table whose type is one of {', '.join(HISTORY_TYPES)}"
    t = e["type"]
    if t == "memory":
        if e.get("side") not in SIDES:
            return f".side: expected one of {', '.join(SIDES)}"
        problems = memory_problems(e["side"], e.get("memory"), turn)
        return f".memory{problems[0]}" if problems else ""
    if t in ("chance", "note"):
        if not _is_int(e.get("turn")) or not 1 <= e["turn"] <= turn:
            return f".turn: {e.get('turn')!r} (expected 1 .. {turn})"
        return ""
    try:
        action_from_dict({k: v for k, v in e.items() if k not in ("side", "phase", "chance")})
    except ValueError as exc:
        return f": {exc}"
    return ""


def check_state(state, source: str = "<state>") -> None:
    """Raise ``ValueError`` listing every problem as ``source: field: expectation``."""
    errs = state_problems(state)
    if errs:
        raise ValueError("\n".join(f"{source}: {e}" for e in errs))
