"""The problem list: the checks the engine runs when it loads a scenario and builds a game.

Errors are what ``engine.scenario.loader.load_scenario`` reports (schema, then
cross-references, for the base scenario and every variant) and what ``engine.core.game.Game``
refuses when it is built (terrain legend, AI axes on the operational graph, start and arrival
positions on the map, stacking, one side per hex), all against the map as edited.  Each
problem names what it is about (a unit, a formation, a place, a hex or a field) so clicking
it can select that.  (When ``xuefeng check`` has a function of its own, this should call it.)
"""
from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from engine.api import apply_variant, cross_check, format_pydantic, Scenario, ScenarioError

FILE = "scenario.toml"


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    text: str  # "scenario.toml: field: expectation"
    target: tuple = ()  # ("unit", id) | ("formation", id) | ("place", key) | ("hex", id) | ("field", path)


def _target(line: str, raw: dict) -> tuple:
    m = re.search(r"starts? in hex (\d+)|hex (\d+) holds enemy", line)
    if m:
        return ("hex", int(m.group(1) or m.group(2)))
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
        return format_pydantic(exc, raw=raw), None
    return cross_check(scn, place_keys), scn


def game_checks(scn: Scenario, hexmap) -> list[str]:
    """The checks the engine makes when it builds a game of a loaded scenario (terrain legend,
    AI axes joined on the operational graph, start and arrival positions, stacking, one side
    per hex): build it and report its ScenarioError lines."""
    from engine.api import Game

    scn._source_path = Path(FILE)
    try:
        Game(scn, hexmap)
    except ScenarioError as exc:
        return [e.removeprefix(f"{FILE}: ") for e in exc.errors]
    return []


def validate(text: str, hexmap, game_variants: set[str] | None = None) -> list[Problem]:
    """Every problem of the scenario ``text`` against the (edited) map ``hexmap``.

    The engine's game checks (~80 ms a game) run for the base scenario and for the variants
    in ``game_variants`` (all when None); the loader's checks always run for every variant."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [Problem("error", f"{FILE}: TOML syntax error: {exc}")]
    place_keys = set(hexmap.places)
    lines, scn = _check_raw(raw, place_keys)
    if scn is not None and not lines:
        lines = game_checks(scn, hexmap)
    probs = [Problem("error", f"{FILE}: {ln}", _target(ln, raw)) for ln in lines]
    variants = raw.get("variants")
    if isinstance(variants, dict):
        for name in variants:
            vraw = copy.deepcopy(raw)
            try:
                apply_variant(vraw, name, FILE)
            except ScenarioError as exc:
                probs += [Problem("error", f"{FILE} (variant {name!r}): {ln}", ("variant", name)) for ln in exc.errors]
                continue
            vlines, vscn = _check_raw(vraw, place_keys)
            if vscn is not None and not vlines and (game_variants is None or name in game_variants):
                vlines = game_checks(vscn, hexmap)
            probs += [Problem("error", f"{FILE} (variant {name!r}): {ln}", _target(ln, vraw)) for ln in vlines
                      if f"{FILE}: {ln}" not in {p.text for p in probs}]
    return probs
