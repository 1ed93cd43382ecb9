"""Undoable edits as command objects, and the undo stack behind Ctrl+Z / Ctrl+Y.

Every change the editor makes to a document goes through :meth:`UndoStack.push`; nothing
else mutates it.  Two kinds cover every edit:

* :class:`SetValue`, :class:`InsertItem`, :class:`RemoveItem` edit the tomlkit document at a
  path (``("units", 3, "men")``); undo puts back the very item that was there, so an
  edit-and-undo gives back byte-identical text (:class:`SetValue` also edits the 1945 record,
  timeline.toml, when a place key it names is renamed);
* :class:`MapEdit` changes the map overrides (terrain, rivers, roads, places) and undoes by
  restoring a snapshot of them (they are small).

:class:`Compound` groups several into one step (a brush stroke, a duplicate).  The stack
remembers which command was on top when the document was saved: the unsaved flag is
"the top is not that command".
"""
from __future__ import annotations

import copy
import itertools
from typing import Any, Callable

MISSING = object()
_ids = itertools.count(1)


def _container(doc, path: tuple):
    node = doc
    for p in path[:-1]:
        node = node[p]
    return node, path[-1]


def get_path(doc, path: tuple, default: Any = MISSING) -> Any:
    node = doc
    try:
        for p in path:
            node = node[p]
    except (KeyError, IndexError, TypeError):
        return default
    return node


class Command:
    label = "edit"

    def do(self, document) -> None:
        raise NotImplementedError

    def undo(self, document) -> None:
        raise NotImplementedError

    @property
    def touches_map(self) -> bool:
        return False


class SetValue(Command):
    """Set (or, with ``value=None``, remove) the value at ``path`` of the TOML document, or with
    ``in_record`` of the 1945 record (timeline.toml, :meth:`Document.record`)."""

    def __init__(self, path: tuple, value: Any, label: str | None = None, in_record: bool = False):
        self.path = tuple(path)
        self.value = value
        self.old: Any = MISSING
        self.label = label or f"set {'.'.join(map(str, self.path))}"
        self.in_record = in_record

    def _doc(self, document):
        return document.record() if self.in_record else document.doc

    def do(self, document) -> None:
        parent, key = _container(self._doc(document), self.path)
        self.old = copy.deepcopy(parent[key]) if _has(parent, key) else MISSING
        if self.value is None:
            if _has(parent, key):
                del parent[key]
        else:
            parent[key] = copy.deepcopy(self.value)

    def undo(self, document) -> None:
        parent, key = _container(self._doc(document), self.path)
        if self.old is MISSING:
            if _has(parent, key):
                del parent[key]
        else:
            parent[key] = copy.deepcopy(self.old)


def _has(parent, key) -> bool:
    if isinstance(key, int):
        return 0 <= key < len(parent)
    return key in parent


class InsertItem(Command):
    """Insert a table into the array of tables at ``path`` (e.g. ``("units",)``) at ``index``."""

    def __init__(self, path: tuple, index: int, item: Any, label: str = "add"):
        self.path, self.index, self.item, self.label = tuple(path), index, item, label

    def do(self, document) -> None:
        get_path(document.doc, self.path).insert(self.index, copy.deepcopy(self.item))

    def undo(self, document) -> None:
        del get_path(document.doc, self.path)[self.index]


class RemoveItem(Command):
    """Remove item ``index`` of the array at ``path``."""

    def __init__(self, path: tuple, index: int, label: str = "delete"):
        self.path, self.index, self.label = tuple(path), index, label
        self.item: Any = None

    def do(self, document) -> None:
        arr = get_path(document.doc, self.path)
        self.item = copy.deepcopy(arr[self.index])
        del arr[self.index]

    def undo(self, document) -> None:
        get_path(document.doc, self.path).insert(self.index, copy.deepcopy(self.item))


class RenameKey(Command):
    """Rename the key ``path[-1]`` of the table at ``path[:-1]`` to ``new`` where it stands, with
    its comments and layout (a variant: ``[variants.a]`` and ``[variants.a.units.x]`` become
    ``[variants.b]`` and ``[variants.b.units.x]``). Undo renames it back, giving the same text."""

    def __init__(self, path: tuple, new: str, label: str | None = None):
        self.path, self.new = tuple(path), new
        self.label = label or f"rename {'.'.join(map(str, self.path))} -> {new}"

    def do(self, document) -> None:
        _rename(document.doc, self.path[:-1], self.path[-1], self.new)

    def undo(self, document) -> None:
        if self.new in get_path(document.doc, self.path[:-1], {}):  # (a refused rename changed nothing)
            _rename(document.doc, self.path[:-1], self.new, self.path[-1])


def _rename(doc, parent_path: tuple, old: str, new: str) -> None:
    import tomllib

    from tomlkit.items import AoT, Table

    parent = get_path(doc, parent_path)
    if old not in parent or new in parent:
        raise ValueError(f"{'.'.join((*parent_path, old))}: cannot rename to {new!r} "
                         f"({'it does not exist' if old not in parent else new + ' is taken'})")
    before = tomllib.loads(doc.as_string())
    container = parent.value if isinstance(parent, Table) else parent
    item = container[old]
    container._replace(old, new, item)  # tomlkit keeps the item's place in the file...
    order = [str(k) for k, _ in container.body if k is not None]
    for k in order[order.index(new) + 1:]:  # ...and the keys' order (a dict's) follows it again
        dict.__setitem__(container, k, dict.pop(container, k))

    old_head, new_head = ".".join((*parent_path, old)), ".".join((*parent_path, new))

    def rehead(it):  # the [headers] of the table and of its sub-tables carry its name
        if isinstance(it, Table):
            name = it.display_name
            if name is not None and (name == old_head or name.startswith(old_head + ".")):
                it.display_name = new_head + name[len(old_head):]
            for _, sub in it.value.body:
                rehead(sub)
        elif isinstance(it, AoT):
            for t in it.body:
                rehead(t)

    rehead(item)
    after = tomllib.loads(doc.as_string())
    expect = node = before
    for p in parent_path:
        node = node[p]
    node[new] = node.pop(old)
    if after != expect:
        raise ValueError(f"{old_head}: the file's layout could not be renamed faithfully; rename it in a text editor")


class MapEdit(Command):
    """Change the map overrides with ``mutate(overrides)``; undo restores the snapshot."""

    def __init__(self, mutate: Callable, label: str = "map edit"):
        self.mutate, self.label = mutate, label
        self.before = self.after = None

    @property
    def touches_map(self) -> bool:
        return True

    def do(self, document) -> None:
        if self.after is None:
            self.before = copy.deepcopy(document.overrides)
            self.mutate(document.overrides)
            self.after = copy.deepcopy(document.overrides)
        else:
            document.overrides = copy.deepcopy(self.after)

    def undo(self, document) -> None:
        document.overrides = copy.deepcopy(self.before)


class Compound(Command):
    def __init__(self, commands: list[Command], label: str = "edits"):
        self.commands, self.label = list(commands), label

    @property
    def touches_map(self) -> bool:
        return any(c.touches_map for c in self.commands)

    def do(self, document) -> None:
        for c in self.commands:
            c.do(document)

    def undo(self, document) -> None:
        for c in reversed(self.commands):
            c.undo(document)


class UndoStack:
    """Done and undone commands; ``dirty`` when the top is not what was saved."""

    def __init__(self, document, on_change: Callable[[Command], None] | None = None):
        self.document = document
        self.done: list[tuple[int, Command]] = []
        self.undone: list[tuple[int, Command]] = []
        self.saved_id = 0
        self.on_change = on_change

    @property
    def top_id(self) -> int:
        return self.done[-1][0] if self.done else 0

    @property
    def dirty(self) -> bool:
        return self.top_id != self.saved_id

    def mark_saved(self) -> None:
        self.saved_id = self.top_id

    def push(self, cmd: Command) -> Command:
        """Do ``cmd`` and record it (a failing command leaves the document and the stack as they were)."""
        try:
            cmd.do(self.document)
        except Exception:
            cmd.undo(self.document)  # a failing undo here raises too, chained to the first error
            raise
        self.done.append((next(_ids), cmd))
        self.undone.clear()
        self._changed(cmd)
        return cmd

    def merge_last(self, n: int, label: str) -> None:
        """Make the last ``n`` commands (already done) one undo step (a brush stroke)."""
        if n <= 1 or n > len(self.done):
            return
        parts = [c for _, c in self.done[-n:]]
        del self.done[-n:]
        self.done.append((next(_ids), Compound(parts, label)))

    def undo(self) -> Command | None:
        if not self.done:
            return None
        i, cmd = self.done.pop()
        cmd.undo(self.document)
        self.undone.append((i, cmd))
        self._changed(cmd)
        return cmd

    def redo(self) -> Command | None:
        if not self.undone:
            return None
        i, cmd = self.undone.pop()
        cmd.do(self.document)
        self.done.append((i, cmd))
        self._changed(cmd)
        return cmd

    def _changed(self, cmd: Command) -> None:
        if self.on_change:
            self.on_change(cmd)
