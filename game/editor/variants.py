"""Variants in the editor: the scenario data a variant gives, and what it changes from the base."""
from __future__ import annotations

import copy
import re
from typing import Any

from engine.api import apply_variant, ScenarioError


def variant_data(raw: dict, name: str | None) -> dict:
    """``raw`` with variant ``name`` applied (the base when None); raises ScenarioError."""
    if not name:
        return raw
    out = copy.deepcopy(raw)
    apply_variant(out, name, "scenario.toml")
    return out


def _flat(node: Any, prefix: str, out: dict) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flat(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(node, list) and node and all(isinstance(x, dict) and "id" in x for x in node):
        for x in node:
            _flat(x, f"{prefix}.{x['id']}", out)
    else:
        out[prefix] = node


def changes(raw: dict, name: str) -> list[str]:
    """One line per value the variant changes: ``path: base -> variant`` (units by id)."""
    try:
        var = variant_data(raw, name)
    except ScenarioError as exc:
        return [f"the variant cannot be applied: {e}" for e in exc.errors]
    a, b = {}, {}
    base = {k: v for k, v in raw.items() if k != "variants"}
    _flat(base, "", a)
    _flat({k: v for k, v in var.items() if k != "variants"}, "", b)
    lines = []
    for k in sorted(set(a) | set(b)):
        if a.get(k, "<none>") != b.get(k, "<none>"):
            lines.append(f"{k}: {a.get(k, '<none>')!s} -> {b.get(k, '<none>')!s}")
    return lines


#: a variant's name: what ``--variant`` takes
VARIANT_NAME = re.compile(r"[a-z][a-z0-9_]*")
