"""Where the scenario names a place by its key, so that renaming a place renames every reference
(in the scenario, its variants and the 1945 record, timeline.toml).

The fields are the ones the engine's cross-check reads as place keys (engine/scenario/checks.py);
tests/test_editor_rename.py renames every referenced key and asks the engine's checks whether
one was missed. A variant names places in its unit overrides, its added units and the values
of its ``set`` table (a dotted path to one of these fields).
"""
from __future__ import annotations

from typing import Any, Iterator

#: place-key fields of the scenario, as paths; ``*`` is any table key or list index
PLACE_FIELDS = (
    ("sides", "*", "supply_sources", "*"),
    ("sides", "*", "start_control", "*"),
    ("air", "sides", "*", "bases", "*"),
    ("victory", "airfield"),
    ("victory", "key_places", "*"),
    ("ai", "japan", "axes", "*", "objectives", "*"),
    ("ai", "japan", "withdraw_base"),
    ("units", "*", "start"),
    ("units", "*", "arrives_at"),
)
UNIT_PLACE_FIELDS = ("start", "arrives_at")


def _matches(path: tuple, pattern: tuple) -> bool:
    return len(path) == len(pattern) and all(p == "*" or p == str(x) for x, p in zip(path, pattern))


def is_place_field(path: tuple) -> bool:
    """Whether the value at ``path`` (in the scenario, or in a variant) is a place key."""
    if len(path) >= 2 and path[0] == "variants":
        rest = tuple(path[2:])
        if len(rest) == 3 and rest[0] == "units":
            return rest[2] in UNIT_PLACE_FIELDS
        if len(rest) == 3 and rest[0] == "add_units":
            return rest[2] in UNIT_PLACE_FIELDS
        if len(rest) >= 2 and rest[0] == "set":
            return is_place_field(tuple(str(rest[1]).split(".")) + tuple(rest[2:]))
        return False
    return any(_matches(path, p) for p in PLACE_FIELDS)


def _leaves(node: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
    if isinstance(node, dict):
        for k in list(node.keys()):
            yield from _leaves(node[k], (*path, str(k)))
    elif isinstance(node, list):
        for i, x in enumerate(node):
            yield from _leaves(x, (*path, i))
    else:
        yield path, node


def place_references(doc, key: str) -> list[tuple]:
    """Paths (into the tomlkit document) of every value that names the place ``key``."""
    return [p for p, v in _leaves(doc, ()) if isinstance(v, str) and str(v) == key and is_place_field(p)]


def record_references(record, key: str) -> list[tuple]:
    """Paths (into the tomlkit document of the 1945 record, timeline.toml) of the places it
    lists under ``key``; none when the scenario has no record."""
    places = record.get("places", []) if record is not None else []
    if not isinstance(places, list):
        return []
    return [("places", i, "key") for i, p in enumerate(places) if isinstance(p, dict) and p.get("key") == key]
