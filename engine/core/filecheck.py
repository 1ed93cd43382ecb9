"""``xuefeng check``: every problem of a scenario, a map or a save, one ``file: field: expectation`` line each.

:func:`check_path` is the one entry point (the command line, CI and the editor's live
validation call it): a scenario folder or its ``scenario.toml`` is loaded with every
variant and built into a game (so positions and the map are checked too), a ``map.json``
is loaded as a map, any other ``.json`` file as a save (schema and consistency check).
Nothing is raised for bad input: problems are returned.
"""
from __future__ import annotations

from pathlib import Path

from ..map.hexmap import HexMap
from ..scenario.loader import load_scenario
from ..userfiles import MAX_SAVE_BYTES, UserFileError, parse_json, read_text
from .game import Game
from .persistence import load_game


def _lines(exc: Exception) -> list[str]:
    return [ln for ln in str(exc).splitlines() if ln.strip()] or [repr(exc)]


def check_scenario(path: str | Path) -> list[str]:
    """Problems of a scenario (folder or scenario.toml): the base scenario and each variant."""
    path = Path(path)
    toml = path / "scenario.toml" if path.is_dir() else path
    try:
        scn = load_scenario(toml)
    except ValueError as exc:
        return _lines(exc)
    problems: list[str] = []
    for variant in [None, *scn.variants]:
        try:
            Game.from_scenario(scn if variant is None else load_scenario(toml, variant=variant))
        except ValueError as exc:
            problems += [ln for ln in _lines(exc) if ln not in problems]
    return problems


def check_map(path: str | Path) -> list[str]:
    """Problems of a map.json."""
    try:
        HexMap.load(path)
    except ValueError as exc:
        return _lines(exc)
    return []


def check_save(path: str | Path) -> list[str]:
    """Problems of a save: readable, of a known scenario, valid and consistent."""
    try:
        load_game(path)
    except ValueError as exc:
        return _lines(exc)
    return []


def check_path(path: str | Path) -> list[str]:
    """Every problem of the file or folder at ``path`` (empty when it is sound)."""
    path = Path(path)
    if path.is_dir() or path.suffix == ".toml":
        return check_scenario(path)
    if not path.exists():
        return [f"{path}: no such file or folder (expected a scenario folder, a scenario.toml or a save)"]
    if path.suffix != ".json":
        return [f"{path}: unknown kind of file (expected a scenario folder, a .toml scenario or a .json save)"]
    try:
        d = parse_json(read_text(path, "file", MAX_SAVE_BYTES), str(path))
    except UserFileError as exc:
        return _lines(exc)
    if isinstance(d, dict) and "format" not in d and "ncols" in d:
        return check_map(path)
    return check_save(path)
