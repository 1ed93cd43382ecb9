"""The problem list: the checks the engine runs at load, plus the live map rules.

Errors are exactly what ``engine.scenario.loader.load_scenario`` would report (schema, then
cross-references, for the base scenario and for every variant), checked against the map as
edited, plus start positions off the map.  Warnings are the live setup rules the loader
does not refuse: more units starting in a hex than ``movement.stacking_max_units``, and
units of both sides starting in one hex.  Each problem names what it is about (a unit, a
formation, a place, a hex or a field) so clicking it can select that.
"""
from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass

from pydantic import ValidationError

from engine.scenario.checks import _cross_check
from engine.scenario.errors import ScenarioError, _format_pydantic
from engine.scenario.schema import Scenario
from engine.scenario.variants import _apply_variant

FILE = "scenario.toml"


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    text: str  # "scenario.toml: field: expectation"
    target: tuple = ()  # ("unit", id) | ("formation", id) | ("place", key) | ("hex", id) | ("field", path)


def _target(line: str, raw: dict) -> tuple:
    m = re.match(r"(units|formations)\[(\d+)\]", line)
    if m:
        items = raw.get(m.group(1)) or []
        i = int(m.group(2))
        if 0 <= i < len(items) and isinstance(items[i], dict) and isinstance(items[i].get("id"), str):
            return (m.group(1)[:-1], items[i]["id"])
    m = re.search(r"unknown place key '([^']+)'", line)
    if m:
        return ("place", m.group(1))
    m = re.search(r"place '([^']+)'", line)
    if m:
        return ("place", m.group(1))
    m = re.match(r"([A-Za-z_][\w.\[\]]*):", line)
    return ("field", m.group(1)) if m else ()


def _check_raw(raw: dict, place_keys: set[str]) -> tuple[list[str], Scenario | None]:
    try:
        scn = Scenario.model_validate(raw)
    except ValidationError as exc:
        return _format_pydantic(exc, raw=raw), None
    return _cross_check(scn, place_keys), scn


def start_hexes(scn: Scenario, hexmap) -> dict[str, int]:
    """Start hex of every unit on the map at the start (not arriving later), by unit id."""
    out = {}
    for u in scn.units:
        if u.arrives is not None:
            continue
        if u.start is not None and u.start in hexmap.places:
            out[u.id] = hexmap.places[u.start].hex
        elif u.start_latlon is not None:
            out[u.id] = hexmap.hex_at_latlon(*u.start_latlon)
    return out


def live_rules(scn: Scenario, hexmap) -> list[Problem]:
    probs = []
    by_hex: dict[int, list] = {}
    hexes = start_hexes(scn, hexmap)
    for i, u in enumerate(scn.units):
        h = hexes.get(u.id)
        if h is None:
            continue
        if h < 0:
            probs.append(Problem("error", f"{FILE}: units[{i}].start_latlon: {u.start_latlon} is off the map "
                                          f"(expected a point inside it) [unit {u.id!r}]", ("unit", u.id)))
            continue
        by_hex.setdefault(h, []).append(u)
    cap = scn.movement.stacking_max_units
    for h, us in sorted(by_hex.items()):
        sides = {u.side for u in us}
        names = ", ".join(u.id for u in us)
        if len(sides) > 1:
            probs.append(Problem("warning", f"hex {h}: units of both sides start here ({names}); "
                                            f"expected each hex to hold one side", ("hex", h)))
        for s in sides:
            n = sum(1 for u in us if u.side == s)
            if n > cap:
                probs.append(Problem("warning", f"hex {h}: {n} {s} units start here (stacking limit "
                                                f"movement.stacking_max_units = {cap})", ("hex", h)))
    return probs


def validate(text: str, hexmap) -> list[Problem]:
    """Every problem of the scenario ``text`` against the (edited) map ``hexmap``."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [Problem("error", f"{FILE}: TOML syntax error: {exc}")]
    place_keys = set(hexmap.places)
    lines, scn = _check_raw(raw, place_keys)
    probs = [Problem("error", f"{FILE}: {ln}", _target(ln, raw)) for ln in lines]
    variants = raw.get("variants")
    if isinstance(variants, dict):
        for name in variants:
            vraw = copy.deepcopy(raw)
            try:
                _apply_variant(vraw, name, FILE)
            except ScenarioError as exc:
                probs += [Problem("error", f"{FILE} (variant {name!r}): {ln}", ("variant", name)) for ln in exc.errors]
                continue
            vlines, _ = _check_raw(vraw, place_keys)
            probs += [Problem("error", f"{FILE} (variant {name!r}): {ln}", _target(ln, vraw)) for ln in vlines
                      if f"{FILE}: {ln}" not in {p.text for p in probs}]
    if scn is not None and not lines:
        probs += live_rules(scn, hexmap)
    return probs
