"""Reading files a user hands us (saves, scenario.toml, map.json): bounded and named.

Every reader here refuses what is not a regular file (a FIFO, ``/dev/zero``, a folder),
files larger than a limit, text that is not UTF-8 and data nested deeper than a limit, and
each refusal is a :class:`UserFileError` (a ``ValueError``) whose message starts with the
file's name.  Nothing here takes a path from inside a data file.
"""
from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

MAX_SAVE_BYTES = 64 * 1024 * 1024  # a whole campaign's history is a few MB
MAX_SCENARIO_BYTES = 4 * 1024 * 1024
MAX_MAP_BYTES = 64 * 1024 * 1024
#: deepest nesting of lists/tables any of our formats needs (a save's log entries are ~5)
MAX_DEPTH = 32


class UserFileError(ValueError):
    """A file a user gave us cannot be used; the message names the file (and field)."""


class _NotANumber(ValueError):
    pass


def _position(text: str, index: int) -> str:
    """``line L, column C`` of ``text[index]`` (1-based)."""
    index = max(0, index)
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def read_text(path: str | Path, what: str, max_bytes: int) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes`` bytes."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UserFileError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise UserFileError(f"{path}: cannot read {what} (expected a regular file, it is {kind})")
        if st.st_size > max_bytes:
            raise UserFileError(f"{path}: {what} is {st.st_size} bytes (expected at most {max_bytes})")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise UserFileError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise UserFileError(f"{path}: {what} is larger than {max_bytes} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserFileError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None


def _nests_within(obj: Any, limit: int) -> bool:
    """Whether no list/table in ``obj`` lies more than ``limit`` deep (containers only are walked)."""
    if not isinstance(obj, (dict, list)):
        return True
    level, depth = [obj], 1  # the containers ``depth`` deep
    while level:
        if depth > limit:
            return False
        inner = []
        for o in level:
            values = o.values() if isinstance(o, dict) else o
            # the types of a container's values, gathered in C: a map's rows of numbers hold none
            if any(issubclass(t, (dict, list)) for t in set(map(type, values))):
                inner.extend(v for v in values if isinstance(v, (dict, list)))
        level, depth = inner, depth + 1
    return True


def too_deep(obj: Any, limit: int = MAX_DEPTH) -> str | None:
    """The path (``units[3].x``) of the first list/table nested more than ``limit`` deep, or None."""
    if _nests_within(obj, limit):  # the usual case, without naming every element on the way
        return None
    stack = [(obj, 1, "")]
    while stack:
        o, d, path = stack.pop()
        if isinstance(o, (dict, list)):
            if d > limit:
                return path or "(top level)"
            items = o.items() if isinstance(o, dict) else enumerate(o)
            stack.extend((v, d + 1, f"{path}[{k}]" if isinstance(o, list) else (f"{path}.{k}" if path else str(k)))
                         for k, v in items)
    return None


def _check_depth(source: str, obj: Any, limit: int) -> None:
    where = too_deep(obj, limit)
    if where is not None:
        raise UserFileError(f"{source}: {where}: nested more than {limit} deep (expected at most {limit})")


def _deep_position(text: str, limit: int) -> str:
    """``line L, column C`` where brackets first nest deeper than ``limit`` (strings skipped roughly)."""
    d, line, col, quote = 0, 1, 0, None
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        elif quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            d += 1
            if d > limit:
                return f"line {line}, column {col}"
        elif ch in "]}":
            d -= 1
    return "(top level)"


def parse_json(text: str, source: str, limit: int = MAX_DEPTH) -> Any:
    """Parse JSON text; errors name ``source``, the line and the column.

    NaN and Infinity (which JSON does not have) are refused.
    """
    def no_constant(name):
        raise _NotANumber(name)

    try:
        obj = json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise UserFileError(f"{source}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from None
    except _NotANumber as exc:
        raise UserFileError(f"{source}: {_position(text, text.find(str(exc)))}: not valid JSON: {exc} is not a "
                            f"JSON number (expected a finite number)") from None
    except RecursionError:
        raise UserFileError(f"{source}: {_deep_position(text, limit)}: nested more than {limit} deep "
                            f"(expected at most {limit})") from None
    _check_depth(source, obj, limit)
    return obj


def parse_toml(text: str, source: str, limit: int = MAX_DEPTH) -> dict:
    """Parse TOML text; errors name ``source``, the line and the column."""
    try:
        obj = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            raise UserFileError(f"{source}: line {m.group(1)}, column {m.group(2)}: TOML syntax error: "
                                f"{msg[: m.start()].strip()}") from None
        where = _position(text, len(text)) if "end of document" in msg else "(top level)"
        raise UserFileError(f"{source}: {where}: TOML syntax error: {msg}") from None
    except RecursionError:
        raise UserFileError(f"{source}: {_deep_position(text, limit)}: nested more than {limit} deep "
                            f"(expected at most {limit})") from None
    _check_depth(source, obj, limit)
    return obj


def read_json(path: str | Path, what: str, max_bytes: int, source: str | None = None) -> Any:
    """Read and parse a JSON file (bounded size and nesting)."""
    return parse_json(read_text(path, what, max_bytes), source or str(path))
