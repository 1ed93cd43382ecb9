"""Scenario data: pydantic schema, TOML loader, cross-reference checks and variants.

A scenario lives in ``scenarios/<id>/scenario.toml`` next to its ``map.json``.  Loading goes

    read TOML  ->  apply the variant to the raw dict  ->  validate the schema
               ->  cross-reference checks (ids, formations, place keys, sums, dates)

and every problem is reported as a :class:`ScenarioError` whose message names the file, the
dotted field path (with list indices, e.g. ``units[12].start``) and what was expected; all
problems found are listed, one per line.

Variants (``[variants.NAME]``) are edits of the raw TOML data, so a variant's result is
checked by exactly the same schema as the base scenario:

    description  = "..."
    set          = { "air.sides.china.aircraft" = 0, ... }   # dotted paths, list indices as numbers
    units        = { cn_n6_14d = { arrives = 1945-05-24 } }   # override fields of a unit by id
    remove_units = ["jp_64d"]
    add_units    = [ { id = "...", ... } ]                     # full unit tables

They are applied in the order set, remove_units, units, add_units.  Overriding ``start`` of a
unit clears its ``start_latlon`` and vice versa (a unit has exactly one start position).

Place keys are checked against the ``places`` of the scenario's map file (``meta.map``);
when that file does not exist the place-key check alone is skipped.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union

from ..paths import REPO_ROOT, SCENARIO_DIR
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator


SIDE_NAMES = ("japan", "china")
REQUIRED_TERRAIN_CODES = ("P", "H", "M", "X")
AXIS_BASES = ("south", "centre", "north", "feint")
ROLES = ("hold", "flank_north", "flank_south", "reserve", "airfield")
TOLERANCE = 1e-6
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _check_color(v: str) -> str:
    """A colour written as #RRGGBB."""
    if not _HEX_COLOR.match(v):
        raise ValueError(f"colour {v!r} is not of the form #RRGGBB")
    return v


_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")

Side = Literal["japan", "china"]


class ScenarioError(Exception):
    """A scenario file that cannot be used.  ``errors`` holds one line per problem."""

    def __init__(self, message: str, errors: list[str] | None = None, path: Path | None = None):
        super().__init__(message)
        self.errors = errors if errors is not None else [message]
        self.path = path


def _fail(where: str, lines: list[str], path: Path | None = None) -> "typing.NoReturn":
    """Raise a ScenarioError listing every problem, one per line, each naming the file."""
    raise ScenarioError("\n".join(f"{where}: {ln}" for ln in lines), errors=lines, path=path)


class _Model(BaseModel):
    # strict: TOML already gives the right Python types; "5" for an int is a typo, not data.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)


# ------------------------------------------------------------------------------------ meta
class Meta(_Model):
    id: str
    name: str
    name_zh: str
    description: str
    start_date: dt.date
    end_date: dt.date
    days_per_turn: int = Field(2, ge=1)
    map: str = "map.json"
    sources: dict[str, str]  # citation key -> full description
    notes: str = ""

    @model_validator(mode="after")
    def _dates(self) -> "Meta":
        if self.end_date <= self.start_date:
            raise ValueError(f"end_date {self.end_date} must be after start_date {self.start_date}")
        return self


# ----------------------------------------------------------------------------------- sides
class CasualtySplit(_Model):
    killed: float = Field(ge=0, le=1)
    wounded: float = Field(ge=0, le=1)
    captured: float = Field(ge=0, le=1)


class SideParams(_Model):
    name: str
    name_zh: str
    color: str
    supply_sources: list[str] = Field(min_length=1)
    supply_range: float = Field(gt=0)  # movement points
    quality: float = Field(gt=0)  # nation-wide combat effectiveness multiplier (Dupuy-style)
    casualty_split: CasualtySplit
    rout_captured_fraction: float = Field(ge=0, le=1)
    sickness_per_turn: float = Field(ge=0, le=1)
    sickness_out_of_supply_mult: float = Field(ge=0)
    sickness_terrain_mult: dict[str, float]
    start_control: list[str] = []

    _color = field_validator("color")(_check_color)


# --------------------------------------------------------------------------------- terrain
class Terrain(_Model):
    code: str = Field(min_length=1, max_length=1)
    move_cost: float = Field(gt=0)
    defence: float = Field(gt=0)  # multiplier on defender strength
    attacker_loss_mult: float = Field(gt=0)
    color: str
    label_zh: str

    _color = field_validator("color")(_check_color)


class Movement(_Model):
    road_cost: float = Field(gt=0)
    river_minor: float = Field(ge=0)
    river_major: float = Field(ge=0)
    zoc: bool
    stacking_max_units: int = Field(ge=1)
    mp: dict[str, float] = Field(min_length=1)  # unit kind -> movement points per turn


class Combat(_Model):
    base_loss: float = Field(gt=0, le=1)
    ratio_exponent: float = Field(ge=0)
    noise_sigma: float = Field(ge=0)
    retreat_ratio: float = Field(gt=0)
    rout_ratio: float = Field(gt=0)
    attacker_min_ratio: float = Field(ge=0)
    fort_per_turn: int = Field(ge=0)
    fort_max: int = Field(ge=0)
    fort_bonus: float = Field(ge=0)
    out_of_supply_mult: float = Field(gt=0)
    river_attack_mult: float = Field(gt=0)
    air_support_per_sortie: float = Field(ge=0)
    air_support_max: float = Field(ge=0)
    fatigue_per_attack: float = Field(ge=0, le=1)
    fatigue_recovery: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ratios(self) -> "Combat":
        if self.rout_ratio < self.retreat_ratio:
            raise ValueError(f"rout_ratio {self.rout_ratio} must not be below retreat_ratio {self.retreat_ratio}")
        return self


class Supply(_Model):
    # 0..1: share of the supply range lost under saturating enemy interdiction
    interdiction_range_penalty: float = Field(ge=0, le=1)
    # whether supply lines may pass through enemy zones of control (false: only where friendly units stand)
    trace_through_enemy_zoc: bool = False


class AirSide(_Model):
    aircraft: int = Field(ge=0)
    sorties_per_aircraft: float = Field(ge=0)  # per turn
    bases: list[str] = []  # on-map air bases (place keys)
    # added: share of the effort flown from off-map rear bases, unaffected by losing on-map bases
    rear_share: float = Field(0.0, ge=0, le=1)
    rear_bases: list[str] = []  # added: names (free text) of off-map rear bases, for documentation


class WeatherType(_Model):
    probability: float = Field(ge=0, le=1)
    sortie_mult: float = Field(ge=0)
    move_mult: float = Field(gt=0)  # multiplies off-road movement costs
    label_zh: str = ""  # added


class Air(_Model):
    sides: dict[str, AirSide]
    weather: dict[str, WeatherType] = Field(min_length=1)
    interdiction_sickness: float = Field(ge=0)
    interdiction_mp_loss: float = Field(ge=0, le=1)
    support_defence_bonus: float = Field(ge=0)
    airfield_defence: float = Field(gt=0)
    # added (used by the rules): sorties at which interdiction reaches full effect
    interdiction_saturation: float = Field(100.0, gt=0)
    # added (used by the rules): men killed/wounded by strafing per effective interdiction sortie
    interdiction_kill: float = Field(0.0, ge=0)


class Victory(_Model):
    airfield: str
    neutralise_radius_km: float = Field(ge=0)
    neutralise_turns: int = Field(ge=1)
    start_line: list[list[float]] = Field(min_length=2)  # [[lat, lon], ...] north to south
    key_places: list[str] = []
    description: str = ""  # added: the victory conditions in words

    @field_validator("start_line")
    @classmethod
    def _line(cls, v: list[list[float]]) -> list[list[float]]:
        for i, p in enumerate(v):
            if len(p) != 2:
                raise ValueError(f"point {i} has {len(p)} numbers (expected [lat, lon])")
            if not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180):
                raise ValueError(f"point {i} {p} is not a valid [lat, lon]")
        lats = [p[0] for p in v]
        if any(b >= a for a, b in zip(lats, lats[1:])):
            raise ValueError("points must run north to south (latitude strictly decreasing)")
        return v


# ------------------------------------------------------------------------------ order of battle
class Formation(_Model):
    id: str
    name: str
    name_zh: str
    side: Side
    # "theatre" and "brigade" are additions to the contract's levels
    level: Literal["theatre", "army", "front_army", "army_group", "corps", "division", "brigade", "air"]
    commander: str
    commander_zh: str = ""
    parent: str | None = None
    source: str
    note: str = ""


class Unit(_Model):
    id: str
    name: str
    name_zh: str
    side: Side
    formation: str
    size: Literal["division", "brigade", "regiment", "group"]
    kind: str  # key of movement.mp
    men: int = Field(gt=0)
    quality: float = Field(gt=0)
    start: str | None = None
    start_latlon: list[float] | None = Field(None, min_length=2, max_length=2)
    arrives: dt.date | None = None
    arrives_at: str | None = None
    reserve: bool = False
    axis: str | None = None  # Japanese: key of [ai.japan.axes], named south*, centre*, north* or feint*
    role: Literal["hold", "flank_north", "flank_south", "reserve", "airfield"] | None = None
    commander: str = ""
    source: str
    note: str = ""

    @model_validator(mode="after")
    def _position(self) -> "Unit":
        if self.start_latlon is not None:
            lat, lon = self.start_latlon
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"start_latlon {self.start_latlon} is not a valid [lat, lon]")
        if self.start is not None and self.start_latlon is not None:
            raise ValueError("give either start or start_latlon, not both")
        if self.arrives is None:
            if self.start is None and self.start_latlon is None:
                raise ValueError("needs a start position: start (place key) or start_latlon ([lat, lon]), "
                                 "or arrives + arrives_at")
            if self.arrives_at is not None:
                raise ValueError("arrives_at is given without arrives (the arrival date)")
        elif self.arrives_at is None:
            raise ValueError("arrives is given without arrives_at (the place key where the unit enters)")
        if self.axis is not None and not self.axis.startswith(AXIS_BASES):
            raise ValueError(f"axis {self.axis!r} must be south, centre, north or feint (or start with one)")
        return self


class Variant(_Model):
    description: str
    set: dict[str, Any] = {}
    units: dict[str, dict[str, Any]] = {}
    remove_units: list[str] = []
    add_units: list[dict[str, Any]] = []


class Scenario(_Model):
    meta: Meta
    sides: dict[str, SideParams]
    terrain: dict[str, Terrain]
    movement: Movement
    combat: Combat
    supply: Supply
    air: Air
    victory: Victory
    formations: list[Formation] = Field(min_length=1)
    units: list[Unit] = Field(min_length=1)
    ai: dict[str, Any] = {}
    variants: dict[str, Variant] = {}

    _source_path: Path | None = PrivateAttr(default=None)
    _variant: str | None = PrivateAttr(default=None)

    @property
    def source_path(self) -> Path | None:
        """The scenario.toml this was loaded from."""
        return self._source_path

    @property
    def variant(self) -> str | None:
        """Name of the applied variant, or None for the base scenario."""
        return self._variant

    def variants_available(self) -> list[str]:
        return list(self.variants)

    def unit_by_id(self, unit_id: str) -> Unit:
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)

    def formation_by_id(self, formation_id: str) -> Formation:
        for f in self.formations:
            if f.id == formation_id:
                return f
        raise KeyError(formation_id)

    def units_of(self, side: str, include_reserve: bool = True) -> list[Unit]:
        return [u for u in self.units if u.side == side and (include_reserve or not u.reserve)]

    def side_men(self, side: str, include_reserve: bool = True) -> int:
        """Men of ``side`` in the order of battle (optionally without uncommitted reserves)."""
        return sum(u.men for u in self.units_of(side, include_reserve))

    def formation_chain(self, formation_id: str) -> list[Formation]:
        """The formation and its parents, innermost first."""
        out, seen = [], set()
        fid: str | None = formation_id
        while fid is not None and fid not in seen:
            seen.add(fid)
            f = self.formation_by_id(fid)
            out.append(f)
            fid = f.parent
        return out


# ================================================================================== loading
def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def resolve_path(name_or_path: str | Path) -> Path:
    """A scenario name (``west_hunan_1945``) or a path to a directory or TOML file."""
    p = Path(name_or_path)
    if isinstance(name_or_path, str) and _IDENT.match(name_or_path) and not p.exists():
        return SCENARIO_DIR / name_or_path / "scenario.toml"
    if p.is_dir():
        return p / "scenario.toml"
    return p


def _loc_str(loc: tuple | list) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _unwrap(tp: Any) -> Any:
    """Strip Optional / Annotated from a type annotation."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _type_at(loc: tuple | list, root: Any = None) -> Any:
    """The declared type at a location (used to list expected fields), or None if unknown."""
    tp: Any = root or Scenario
    for part in loc:
        tp = _unwrap(tp)
        if _is_model(tp):
            if not isinstance(part, str) or part not in tp.model_fields:
                return None
            tp = tp.model_fields[part].annotation
        else:
            origin = typing.get_origin(tp)
            args = typing.get_args(tp)
            if origin is dict and args:
                tp = args[1]
            elif origin is list and args:
                tp = args[0]
            else:
                return None
    return _unwrap(tp)


def _type_name(tp: Any) -> str:
    if tp is None:
        return ""
    if isinstance(tp, type):
        return {"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
                "date": "a date (YYYY-MM-DD)"}.get(tp.__name__, tp.__name__)
    return str(tp).replace("typing.", "")


def _describe_expected(tp: Any) -> str:
    if _is_model(tp):
        return "one of: " + ", ".join(tp.model_fields)
    return ""


def _whose(raw: Any, loc: tuple) -> str:
    """The suffix ` [unit 'x']` when ``loc`` points into an item of [[units]] or [[formations]] with an id."""
    if isinstance(raw, dict) and len(loc) >= 2 and loc[0] in ("units", "formations") and isinstance(loc[1], int):
        items = raw.get(loc[0])
        if isinstance(items, list) and 0 <= loc[1] < len(items) and isinstance(items[loc[1]], dict):
            uid = items[loc[1]].get("id")
            if isinstance(uid, str):
                return f" [{loc[0][:-1]} {uid!r}]"
    return ""


def _format_pydantic(exc: ValidationError, prefix: tuple = (), root: Any = None, raw: Any = None) -> list[str]:
    lines = []
    for e in exc.errors(include_url=False):
        loc = tuple(prefix) + tuple(e["loc"])
        who = _whose(raw, loc)
        kind = e["type"]
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if kind == "extra_forbidden":
            parent = _type_at(loc[len(prefix):-1], root)
            exp = _describe_expected(parent)
            lines.append(f"{_loc_str(loc)}: unknown field {loc[-1]!r}" + (f" (expected {exp})" if exp else "") + who)
        elif kind == "missing":
            tp = _type_at(loc[len(prefix):], root)
            exp = f"a table with fields {', '.join(tp.model_fields)}" if _is_model(tp) else _type_name(tp)
            lines.append(f"{_loc_str(loc)}: missing required field" + (f" (expected {exp})" if exp else "") + who)
        elif kind in ("value_error", "assertion_error"):
            lines.append(f"{_loc_str(loc)}: {msg}{who}")
        else:
            got = e.get("input")
            got_s = repr(got)
            if len(got_s) > 60:
                got_s = got_s[:57] + "..."
            if msg.startswith("Input should be "):
                lines.append(f"{_loc_str(loc)}: expected {msg[len('Input should be '):]} (got {got_s}){who}")
            else:
                lines.append(f"{_loc_str(loc)}: {msg} (got {got_s}){who}")
    return lines


_MAP_PLACES_CACHE: dict[tuple, set[str] | None] = {}


def _map_place_keys(map_path: Path) -> set[str] | None:
    """Place keys listed in a map.json, or None when the file does not exist."""
    try:
        st = map_path.stat()
    except OSError:
        return None
    key = (str(map_path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _MAP_PLACES_CACHE:
        d = json.loads(map_path.read_text(encoding="utf-8"))
        places = d.get("places", [])
        if isinstance(places, dict):
            keys = set(places)
        else:
            keys = {p if isinstance(p, str) else p.get("key") for p in places}
        keys.discard(None)
        _MAP_PLACES_CACHE.clear()
        _MAP_PLACES_CACHE[key] = keys
    return _MAP_PLACES_CACHE[key]


# ----------------------------------------------------------------------------------- variants
def _path_parts(dotted: str) -> list[str | int]:
    parts: list[str | int] = []
    for p in dotted.split("."):
        if p == "":
            raise KeyError(dotted)
        parts.append(int(p) if p.isdigit() else p)
    return parts


def _set_dotted(raw: dict, dotted: str, value: Any) -> None:
    """Set ``raw[a][b]...`` for ``a.b...``; the path must exist or name a schema field."""
    parts = _path_parts(dotted)
    node: Any = raw
    tp: Any = Scenario
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        tp = _unwrap(tp)
        where = ".".join(str(p) for p in parts[: i + 1])
        if isinstance(node, list):
            if not isinstance(part, int) or not 0 <= part < len(node):
                raise KeyError(f"{where!r}: no such list index (the list has {len(node)} items)")
            args = typing.get_args(tp)
            tp = args[0] if args else Any
        elif isinstance(node, dict):
            if isinstance(part, int):
                part = str(part)
            known = part in node
            if _is_model(tp):
                if part not in tp.model_fields:
                    raise KeyError(f"{where!r}: unknown field (expected one of: {', '.join(tp.model_fields)})")
                tp = tp.model_fields[part].annotation
            elif not known:
                raise KeyError(f"{where!r}: not found (expected one of: {', '.join(map(str, node))})")
            else:
                args = typing.get_args(tp)
                tp = args[1] if typing.get_origin(tp) is dict and args else Any
            if not last and not known:
                node[part] = {}
        else:
            raise KeyError(f"{where!r}: cannot descend into a {type(node).__name__}")
        if last:
            node[part] = copy.deepcopy(value)
        else:
            node = node[part]


def _apply_variant(raw: dict, name: str, file: str) -> None:
    """Apply ``raw['variants'][name]`` to ``raw`` in place; raise ScenarioError on bad edits."""
    variants = raw.get("variants") or {}
    if not isinstance(variants, dict) or name not in variants:
        avail = ", ".join(variants) if isinstance(variants, dict) and variants else "(none)"
        raise ScenarioError(f"{file}: variant {name!r}: unknown variant (expected one of: {avail})")
    try:
        var = Variant.model_validate(variants[name])
    except ValidationError as exc:
        _fail(file, _format_pydantic(exc, prefix=("variants", name), root=Variant))
    errs: list[str] = []
    where = f"variants.{name}"
    for dotted, value in var.set.items():
        try:
            _set_dotted(raw, dotted, value)
        except KeyError as exc:
            errs.append(f"{where}.set: unknown path {exc.args[0]}")
    units = raw.get("units")
    if not isinstance(units, list):
        units = []
    ids = [u.get("id") if isinstance(u, dict) else None for u in units]
    for i, uid in enumerate(var.remove_units):
        if uid not in ids:
            errs.append(f"{where}.remove_units[{i}]: unknown unit id {uid!r} (expected the id of a unit in [[units]])")
    units[:] = [u for u, uid in zip(units, ids) if uid not in set(var.remove_units)]
    by_id = {u.get("id"): u for u in units if isinstance(u, dict)}
    unit_fields = Unit.model_fields
    for uid, fields in var.units.items():
        if uid not in by_id:
            errs.append(f"{where}.units.{uid}: unknown unit id {uid!r} (expected the id of a unit in [[units]])")
            continue
        for fld, value in fields.items():
            if fld not in unit_fields or fld == "id":
                errs.append(f"{where}.units.{uid}.{fld}: unknown unit field {fld!r} "
                            f"(expected one of: {', '.join(f for f in unit_fields if f != 'id')})")
                continue
            target = by_id[uid]
            if fld == "start":
                target.pop("start_latlon", None)
            elif fld == "start_latlon":
                target.pop("start", None)
            target[fld] = copy.deepcopy(value)
    for add in var.add_units:
        units.append(copy.deepcopy(add))
    if "units" in raw:
        raw["units"] = units
    if errs:
        _fail(f"{file}: variant {name!r}", errs)


# ------------------------------------------------------------------------------ cross-checks
def _cross_check(s: Scenario, place_keys: set[str] | None) -> list[str]:
    errs: list[str] = []
    start, end = s.meta.start_date, s.meta.end_date

    def place(path: str, key: str | None, what: str = "") -> None:
        if key is None or place_keys is None:
            return
        if key not in place_keys:
            errs.append(f"{path}: unknown place key {key!r} "
                        f"(expected one of the keys in west_hunan_places / map places){what}")

    def cites(path: str, source: str) -> None:
        for k in (x.strip() for x in source.split("+")):
            if k not in s.meta.sources:
                errs.append(f"{path}: unknown source key {k!r} (expected keys of meta.sources joined "
                            f"by '+': {', '.join(s.meta.sources)})")

    # sides
    if set(s.sides) != set(SIDE_NAMES):
        errs.append(f"sides: expected exactly the tables sides.japan and sides.china (got {', '.join(s.sides) or 'none'})")
    terrain_names = set(s.terrain)
    for side, sp in s.sides.items():
        split = sp.casualty_split
        total = split.killed + split.wounded + split.captured
        if abs(total - 1.0) > TOLERANCE:
            errs.append(f"sides.{side}.casualty_split: killed + wounded + captured = {total:.6g} (expected 1)")
        for i, k in enumerate(sp.supply_sources):
            place(f"sides.{side}.supply_sources[{i}]", k)
        for i, k in enumerate(sp.start_control):
            place(f"sides.{side}.start_control[{i}]", k)
        for t in sp.sickness_terrain_mult:
            if t not in terrain_names:
                errs.append(f"sides.{side}.sickness_terrain_mult.{t}: unknown terrain "
                            f"(expected one of: {', '.join(s.terrain)})")
    controls = [set(sp.start_control) for sp in s.sides.values()]
    both = set.intersection(*controls) if len(controls) > 1 else set()
    for k in sorted(both):
        errs.append(f"sides: place {k!r} is in the start_control of both sides (expected at most one)")

    # terrain
    codes = [t.code for t in s.terrain.values()]
    for c in REQUIRED_TERRAIN_CODES:
        if c not in codes:
            errs.append(f"terrain: no terrain has code {c!r} (expected codes {', '.join(REQUIRED_TERRAIN_CODES)})")
    dup = {c for c in codes if codes.count(c) > 1}
    for c in sorted(dup):
        errs.append(f"terrain: code {c!r} is used by more than one terrain (expected unique codes)")

    # air
    total_p = sum(w.probability for w in s.air.weather.values())
    if abs(total_p - 1.0) > TOLERANCE:
        errs.append(f"air.weather: probabilities sum to {total_p:.6g} (expected 1)")
    for side, a in s.air.sides.items():
        if side not in SIDE_NAMES:
            errs.append(f"air.sides.{side}: unknown side (expected japan or china)")
        for i, k in enumerate(a.bases):
            place(f"air.sides.{side}.bases[{i}]", k)

    # victory
    place("victory.airfield", s.victory.airfield)
    for i, k in enumerate(s.victory.key_places):
        place(f"victory.key_places[{i}]", k)

    # formations
    fids: dict[str, int] = {}
    for i, f in enumerate(s.formations):
        if f.id in fids:
            errs.append(f"formations[{i}].id: duplicate id {f.id!r} (also formations[{fids[f.id]}])")
        fids.setdefault(f.id, i)
        cites(f"formations[{i}].source", f.source)
    for i, f in enumerate(s.formations):
        if f.parent is not None:
            if f.parent not in fids:
                errs.append(f"formations[{i}].parent: unknown formation {f.parent!r} (expected the id of a formation)")
            elif s.formations[fids[f.parent]].side != f.side:
                errs.append(f"formations[{i}].parent: {f.parent!r} belongs to the other side")
    for i, f in enumerate(s.formations):  # cycles
        seen, fid = set(), f.id
        while fid in fids and fid not in seen:
            seen.add(fid)
            fid = s.formations[fids[fid]].parent
        if fid in seen:
            errs.append(f"formations[{i}].parent: the parent chain of {f.id!r} loops")

    # axes (AI plan data)
    axes = {}
    ai_j = s.ai.get("japan") if isinstance(s.ai, dict) else None
    if isinstance(ai_j, dict) and isinstance(ai_j.get("axes"), dict):
        axes = ai_j["axes"]
        for name, ax in axes.items():
            if not str(name).startswith(AXIS_BASES):
                errs.append(f"ai.japan.axes.{name}: axis names must start with south, centre, north or feint")
            objs = ax.get("objectives") if isinstance(ax, dict) else None
            if not isinstance(objs, list) or not objs or not all(isinstance(o, str) for o in objs):
                errs.append(f"ai.japan.axes.{name}.objectives: expected a non-empty list of place keys")
                continue
            for j, k in enumerate(objs):
                place(f"ai.japan.axes.{name}.objectives[{j}]", k)

    # units
    japan_control = set(s.sides["japan"].start_control) if "japan" in s.sides else set()
    uids: dict[str, int] = {}
    for i, u in enumerate(s.units):
        p = f"units[{i}]"
        if u.id in uids:
            errs.append(f"{p}.id: duplicate id {u.id!r} (also units[{uids[u.id]}])")
        elif u.id in fids:
            errs.append(f"{p}.id: {u.id!r} is also the id of formations[{fids[u.id]}] "
                        f"(expected ids unique across units and formations)")
        uids.setdefault(u.id, i)
        if u.formation not in fids:
            errs.append(f"{p}.formation: unknown formation {u.formation!r} "
                        f"(expected the id of a formation in [[formations]]) [unit {u.id!r}]")
        elif s.formations[fids[u.formation]].side != u.side:
            errs.append(f"{p}.formation: {u.formation!r} belongs to the other side (unit {u.id!r} is {u.side})")
        if u.kind not in s.movement.mp:
            errs.append(f"{p}.kind: unknown unit kind {u.kind!r} (expected a key of movement.mp: "
                        f"{', '.join(s.movement.mp)})")
        place(f"{p}.start", u.start, f" [unit {u.id!r}]")
        if u.start is not None and u.side in s.sides and place_keys is not None and u.start in place_keys:
            holder = "japan" if u.start in japan_control else "china"
            if holder != u.side:
                errs.append(f"{p}.start: {u.start!r} is held by {holder} at the start (expected a place of "
                            f"{u.side}; see sides.japan.start_control) [unit {u.id!r}]")
        place(f"{p}.arrives_at", u.arrives_at, f" [unit {u.id!r}]")
        if u.arrives is not None and not (start <= u.arrives <= end):
            errs.append(f"{p}.arrives: {u.arrives} is outside the campaign (expected {start} .. {end})")
        if u.axis is not None:
            if u.side != "japan":
                errs.append(f"{p}.axis: only Japanese units follow an axis (unit {u.id!r} is {u.side}; use role)")
            elif axes and u.axis not in axes:
                errs.append(f"{p}.axis: unknown axis {u.axis!r} (expected a key of ai.japan.axes: {', '.join(axes)})")
        if u.role is not None and u.side != "china":
            errs.append(f"{p}.role: only Chinese units have a role (unit {u.id!r} is {u.side}; use axis)")
        cites(f"{p}.source", u.source)

    # variants
    for name in s.variants:
        if not _IDENT.match(name):
            errs.append(f"variants.{name}: invalid variant name (expected lower-case letters, digits and _)")
    return errs


def load_scenario(name_or_path: str | Path = "west_hunan_1945", variant: str | None = None) -> Scenario:
    """Load, apply ``variant``, validate and cross-check a scenario; raise :class:`ScenarioError`."""
    path = resolve_path(name_or_path)
    file = _display(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{file}: cannot read scenario file ({exc.strerror or exc})", path=path) from None
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{file}: not UTF-8 text ({exc})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            text = msg[: m.start()].strip()
            line = f"{file}: line {m.group(1)}, column {m.group(2)}: TOML syntax error: {text}"
        else:
            line = f"{file}: TOML syntax error: {msg}"
        raise ScenarioError(line, path=path) from None

    for reserved in ("source_path", "variant"):
        if reserved in raw:
            raise ScenarioError(f"{file}: {reserved}: set by the loader, not allowed in the file", path=path)

    if variant is not None:
        raw = copy.deepcopy(raw)
        _apply_variant(raw, variant, file)
    where = file if variant is None else f"{file} (variant {variant!r})"

    try:
        scn = Scenario.model_validate(raw)
    except ValidationError as exc:
        _fail(where, _format_pydantic(exc, raw=raw), path)

    map_path = path.parent / scn.meta.map
    try:
        place_keys = _map_place_keys(map_path)
    except (ValueError, AttributeError) as exc:
        raise ScenarioError(f"{file}: meta.map: {_display(map_path)} is not a readable map ({exc})",
                            path=path) from None
    errs = _cross_check(scn, place_keys)
    if errs:
        _fail(where, errs, path)
    scn._source_path = path
    scn._variant = variant
    return scn


__all__ = [
    "Air", "AirSide", "CasualtySplit", "Combat", "Formation", "Meta", "Movement", "Scenario", "ScenarioError",
    "SideParams", "Supply", "Terrain", "Unit", "Variant", "Victory", "WeatherType", "load_scenario",
    "resolve_path",
]
