"""Forms generated from the pydantic models: one text field per model field (or per key of a
free table such as ``movement.mp`` or ``ai.japan``), each with the comment the TOML file
carries beside it as its help text.

A field's text is its value as written in TOML (``1945-04-06``, ``["a", "b"]``,
``{ killed = 0.36, ... }``), except strings, which are shown bare.  Reading a field back
uses the TOML parser (so a typo is an error naming the field, never a guess); an empty field
removes the key (the problem list then says if it was required).
"""
from __future__ import annotations

import tomllib
import typing
from dataclasses import dataclass
from typing import Any, Literal

import tomlkit
from pydantic import BaseModel
from tomlkit.items import AoT, InlineTable, String, Table

from engine.api import type_at, unwrap_type

from .commands import get_path

NEWLINE_MARK = " ¶ "


@dataclass
class FormField:
    name: str
    path: tuple
    text: str
    is_str: bool
    help: str
    required: bool


def declared_type(path: tuple) -> Any:
    """The declared (unwrapped) type at a document path, or None when the schema does not say."""
    return type_at(tuple(path))


def _is_str_type(tp: Any) -> bool:
    tp = unwrap_type(tp)
    if tp is str:
        return True
    if typing.get_origin(tp) is Literal:
        return all(isinstance(a, str) for a in typing.get_args(tp))
    return False


def value_text(item: Any) -> str:
    if isinstance(item, str):
        return str(item).replace("\n", NEWLINE_MARK)
    if hasattr(item, "as_string"):
        return item.as_string().strip()
    return tomlkit.item(item).as_string().strip()


def comment_of(table: Any, key: str) -> str:
    try:
        c = table.item(key).trivia.comment
    except (KeyError, AttributeError):  # no such key, or a value without trivia (e.g. inside an array)
        return ""
    return c.lstrip("#").strip() if c else ""


def fields_for(doc, path: tuple) -> list[FormField]:
    """The form of the table at ``path`` (its model's fields first, then any other keys)."""
    table = get_path(doc, path, None)
    if table is None:
        return []
    model = declared_type(path)
    names: list[str] = []
    required: set[str] = set()
    if isinstance(model, type) and issubclass(model, BaseModel):
        for n, f in model.model_fields.items():
            names.append(n)
            if f.is_required():
                required.add(n)
    for k in table:
        if k not in names:
            names.append(str(k))
    out = []
    for n in names:
        item = table.get(n) if hasattr(table, "get") else None
        if isinstance(item, (AoT,)) or (isinstance(item, Table) and not isinstance(item, InlineTable)):
            continue  # sub-tables get their own entry
        tp = declared_type((*path, n))
        is_str = _is_str_type(tp) if tp is not None else isinstance(item, str)
        out.append(FormField(n, (*path, n), "" if item is None else value_text(item), is_str,
                             comment_of(table, n), n in required))
    return out


def parse_field(field: FormField, text: str) -> Any:
    """The value typed into ``field`` (None: remove the key); ValueError naming the field."""
    if text.strip() == "":
        return None
    if field.is_str:
        return text.replace(NEWLINE_MARK, "\n")
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{'.'.join(map(str, field.path))}: cannot read {text!r} as a TOML value ({exc})") from None


def to_item(value: Any, old: Any) -> Any:
    """A tomlkit item for ``value`` shaped like the one it replaces (inline tables stay inline,
    multi-line strings stay multi-line)."""
    if isinstance(value, dict) and not isinstance(old, Table):
        t = tomlkit.inline_table()
        t.update(value)
        return t
    if isinstance(value, str) and isinstance(old, String) and old.type.value.startswith('"""'):
        return tomlkit.string(value, multiline=True)
    return value


def table_entries(doc) -> list[tuple]:
    """Paths of every table of the rules (everything but formations and units), in file order."""
    out: list[tuple] = []

    def walk(node, path):
        for k in node:
            item = node.get(k)
            if isinstance(item, Table) and not isinstance(item, InlineTable):
                out.append((*path, k))
                walk(item, (*path, k))

    for k in doc:
        if k in ("formations", "units"):
            continue
        item = doc.get(k)
        if isinstance(item, Table):
            out.append((k,))
            walk(item, (k,))
    return out
