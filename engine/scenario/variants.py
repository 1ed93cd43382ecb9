"""Variants: named edits of a scenario's raw TOML data, checked by the same schema as the base.

    [variants.NAME]
    description  = "..."
    set          = { "air.sides.china.aircraft" = 0, ... }   # dotted paths, list indices as numbers
    units        = { cn_n6_14d = { arrives = 1945-05-24 } }   # override fields of a unit by id
    remove_units = ["jp_64d"]
    add_units    = [ { id = "...", ... } ]                     # full unit tables

They are applied in the order set, remove_units, units, add_units.  Overriding ``start`` of a
unit clears its ``start_latlon`` and vice versa (a unit has exactly one start position).
"""
from __future__ import annotations

import copy
import typing
from typing import Any

from pydantic import ValidationError

from .errors import ScenarioError, _fail, format_pydantic, _is_model, unwrap_type
from .schema import Scenario, Unit, Variant

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
        tp = unwrap_type(tp)
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


def apply_variant(raw: dict, name: str, file: str) -> None:
    """Apply ``raw['variants'][name]`` to ``raw`` in place; raise ScenarioError on bad edits."""
    variants = raw.get("variants") or {}
    if not isinstance(variants, dict) or name not in variants:
        avail = ", ".join(variants) if isinstance(variants, dict) and variants else "(none)"
        raise ScenarioError(f"{file}: variant {name!r}: unknown variant (expected one of: {avail})")
    try:
        var = Variant.model_validate(variants[name])
    except ValidationError as exc:
        _fail(file, format_pydantic(exc, prefix=("variants", name), root=Variant))
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
    ids = [u.get("id") if isinstance(u, dict) and isinstance(u.get("id"), str) else None for u in units]
    for i, uid in enumerate(var.remove_units):
        if uid not in ids:
            errs.append(f"{where}.remove_units[{i}]: unknown unit id {uid!r} (expected the id of a unit in [[units]])")
    units[:] = [u for u, uid in zip(units, ids) if uid not in set(var.remove_units)]
    by_id = {u.get("id"): u for u in units if isinstance(u, dict) and isinstance(u.get("id"), str)}
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
