"""Loading a scenario: read the TOML, apply a variant, validate the schema, cross-check.

A scenario lives in ``scenarios/<id>/scenario.toml`` next to its ``map.json``.  Loading goes

    read TOML  ->  apply the variant to the raw dict  ->  validate the schema
               ->  cross-reference checks (ids, formations, place keys, sums, dates)

and every problem is reported as a :class:`ScenarioError` whose message names the file, the
dotted field path (with list indices, e.g. ``units[12].start``) and what was expected; all
problems found are listed, one per line.

Variants (``[variants.NAME]``) are edits of the raw TOML data, applied before the schema so a
variant's result is checked exactly like the base scenario (see :mod:`engine.scenario.variants`).

Place keys are checked against the ``places`` of the scenario's map file (``meta.map``);
when that file does not exist the place-key check alone is skipped.
"""
from __future__ import annotations

import copy
from pathlib import Path

from pydantic import ValidationError

from ..map.hexmap import HexMap
from ..paths import REPO_ROOT, SCENARIO_DIR
from ..userfiles import MAX_MAP_BYTES, MAX_SCENARIO_BYTES, UserFileError, parse_toml, read_json, read_text
from .checks import cross_check
from .errors import ScenarioError, _fail, format_pydantic
from .schema import SCENARIO_ID, Scenario
from .variants import apply_variant, _set_dotted

def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def resolve_path(name_or_path: str | Path) -> Path:
    """A scenario id (``west_hunan_1945``, looked up in the scenario folder) or a path the user
    gave: a scenario folder or its TOML file.  Never call this with a name read from a data
    file: use :func:`scenario_path_for_id`."""
    p = Path(name_or_path)
    if isinstance(name_or_path, str) and SCENARIO_ID.match(name_or_path) and not p.exists():
        return scenario_path_for_id(name_or_path)
    if p.is_dir():
        return p / "scenario.toml"
    return p


def scenario_path_for_id(scenario_id: str) -> Path:
    """The scenario.toml of the scenario ``scenario_id`` in the scenario folder (ids only, never paths)."""
    if not isinstance(scenario_id, str) or not SCENARIO_ID.match(scenario_id) or len(scenario_id) > 64:
        raise ScenarioError(f"scenario: {str(scenario_id)[:40]!r} is not a scenario id "
                            f"(expected lower-case letters, digits and _)")
    path = SCENARIO_DIR / scenario_id / "scenario.toml"
    if not path.is_file():
        known = sorted(p.name for p in SCENARIO_DIR.iterdir() if (p / "scenario.toml").is_file())
        raise ScenarioError(f"scenario: unknown scenario {scenario_id!r} (expected one of: {', '.join(known)})")
    return path


_MAP_PLACES_CACHE: dict[tuple, set[str] | None] = {}


def _map_place_keys(map_path: Path) -> set[str] | None:
    """Place keys listed in a map.json, or None when the file does not exist."""
    try:
        st = map_path.stat()
    except OSError:
        return None
    key = (str(map_path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _MAP_PLACES_CACHE:
        d = read_json(map_path, "map", MAX_MAP_BYTES, _display(map_path))
        places = d.get("places", []) if isinstance(d, dict) else None
        if isinstance(places, dict):
            keys = set(places)
        elif isinstance(places, list):
            keys = {p.get("key") if isinstance(p, dict) else None for p in places}
        else:
            raise ValueError("places: expected a list of places")
        keys = {k for k in keys if isinstance(k, str)}
        _MAP_PLACES_CACHE.clear()
        _MAP_PLACES_CACHE[key] = keys
    return _MAP_PLACES_CACHE[key]


def load_scenario(name_or_path: str | Path = "west_hunan_1945", variant: str | None = None,
                  overrides: dict | None = None) -> Scenario:
    """Load, apply ``variant``, validate and cross-check a scenario; raise :class:`ScenarioError`.

    ``overrides`` ({dotted path: value}, like a variant's ``set``) are applied after the
    variant, for analyses that vary parameters (``xuefeng sensitivity``)."""
    path = resolve_path(name_or_path)
    file = _display(path)
    if path.suffix != ".toml":
        raise ScenarioError(f"{file}: not a scenario (expected a scenario id, a scenario folder or a .toml file)",
                            path=path)
    try:
        raw = parse_toml(read_text(path, "scenario file", MAX_SCENARIO_BYTES), file)
    except UserFileError as exc:
        raise ScenarioError(str(exc), path=path) from None

    for reserved in ("source_path", "variant"):
        if reserved in raw:
            raise ScenarioError(f"{file}: {reserved}: set by the loader, not allowed in the file", path=path)

    if variant is not None:
        raw = copy.deepcopy(raw)
        apply_variant(raw, variant, file)
    if overrides:
        raw = copy.deepcopy(raw)
        for dotted, value in overrides.items():
            try:
                _set_dotted(raw, dotted, value)
            except KeyError as exc:
                raise ScenarioError(f"{file}: override {dotted}: {exc.args[0]}", path=path) from None
    where = file if variant is None else f"{file} (variant {variant!r})"
    if overrides:
        where += f" (overrides {', '.join(overrides)})"

    try:
        scn = Scenario.model_validate(raw)
    except ValidationError as exc:
        _fail(where, format_pydantic(exc, raw=raw), path)

    map_path = path.parent / scn.meta.map
    try:
        place_keys = _map_place_keys(map_path)
    except UserFileError as exc:
        raise ScenarioError(f"{file}: meta.map: {exc}", path=path) from None
    except ValueError as exc:
        raise ScenarioError(f"{file}: meta.map: {_display(map_path)} is not a readable map ({exc})",
                            path=path) from None
    errs = cross_check(scn, place_keys)
    if errs:
        _fail(where, errs, path)
    scn._source_path = path
    scn._variant = variant
    return scn


__all__ = ["ScenarioError", "load_scenario", "resolve_path", "scenario_path_for_id", "SCENARIO_DIR", "REPO_ROOT"]


def scenario_map(scn: Scenario) -> HexMap:
    """The map of a loaded scenario: the file its ``meta.map`` names beside its scenario.toml."""
    map_path = Path(scn.source_path).parent / scn.meta.map
    try:
        return HexMap.load(map_path)
    except ValueError as exc:
        raise ScenarioError(f"{scn.source_path}: meta.map: {exc}", path=scn.source_path) from None
