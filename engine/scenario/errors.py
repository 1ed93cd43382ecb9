"""Scenario errors: one line per problem, naming the file, the dotted field path and what
was expected (``units[12].start: unknown place key 'x' (expected ...)``)."""
from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from .schema import Scenario

class ScenarioError(ValueError):
    """A scenario file that cannot be used.  ``errors`` holds one line per problem.

    A ``ValueError``, so callers that refuse bad user input catch it with the other loaders' errors."""

    def __init__(self, message: str, errors: list[str] | None = None, path: Path | None = None):
        super().__init__(message)
        self.errors = errors if errors is not None else [message]
        self.path = path


def _fail(where: str, lines: list[str], path: Path | None = None) -> "typing.NoReturn":
    """Raise a ScenarioError listing every problem, one per line, each naming the file."""
    raise ScenarioError("\n".join(f"{where}: {ln}" for ln in lines), errors=lines, path=path)


def _loc_str(loc: tuple | list) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def unwrap_type(tp: Any) -> Any:
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


def type_at(loc: tuple | list, root: Any = None) -> Any:
    """The declared type at a location (used to list expected fields), or None if unknown."""
    tp: Any = root or Scenario
    for part in loc:
        tp = unwrap_type(tp)
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
    return unwrap_type(tp)


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


def format_pydantic(exc: ValidationError, prefix: tuple = (), root: Any = None, raw: Any = None) -> list[str]:
    lines = []
    for e in exc.errors(include_url=False):
        loc = tuple(prefix) + tuple(e["loc"])
        who = _whose(raw, loc)
        kind = e["type"]
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if kind == "extra_forbidden":
            parent = type_at(loc[len(prefix):-1], root)
            exp = _describe_expected(parent)
            lines.append(f"{_loc_str(loc)}: unknown field {loc[-1]!r}" + (f" (expected {exp})" if exp else "") + who)
        elif kind == "missing":
            tp = type_at(loc[len(prefix):], root)
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
