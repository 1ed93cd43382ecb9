"""Where the units stand, as arrays: derived from the state, never saved, rebuilt only when needed.

Assigning a unit's ``hex``, ``status`` or ``side`` (:class:`engine.core.state.UnitState`) calls
:func:`touched`, which gives that side a new, never reused, position version.  A state's
:class:`Board` caches per side what its active units occupy (count per hex, zone of control,
units per hex) against that side's version, so the hundreds of queries of a phase share one
computation, and a move of one side's unit leaves the other side's arrays alone.  Nothing
here is part of the game state: a loaded or cloned state simply builds its board afresh.
"""
from __future__ import annotations

import itertools

import numpy as np

_counter = itertools.count(1)
#: Position version per side; bumped by every assignment of a unit's hex, status or side.
VERSIONS: dict = {}


def touched(side) -> None:
    """Record that a unit of ``side`` moved, arrived, left or changed side."""
    VERSIONS[side] = next(_counter)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


class SideBoard:
    """One side's active units on the map at one position version (read-only arrays).

    Built from the side's previous board when there is one: the count and zone-of-control
    arrays are then patched for the few units that moved instead of being recounted.
    """

    def __init__(self, state, side: str, prev: "SideBoard | None" = None):
        units = state.units
        self._game = state.game
        self.index = [i for i, u in enumerate(units) if u.status == "active" and u.side == side and u.hex >= 0]
        self.hex_list = [units[i].hex for i in self.index]
        self._prev = prev
        if prev is not None:
            prev._prev = None  # keep one generation only
        self._cache: dict = {}

    def _moves(self) -> tuple[list[int], list[int]] | None:
        """(hexes left, hexes entered) since the previous board, or None when there is none."""
        prev = self._prev
        if prev is None:
            return None
        if prev.index == self.index:
            pairs = [(a, b) for a, b in zip(prev.hex_list, self.hex_list) if a != b]
            return [a for a, _ in pairs], [b for _, b in pairs]
        old = dict(zip(prev.index, prev.hex_list))
        new = dict(zip(self.index, self.hex_list))
        left = [h for i, h in old.items() if new.get(i) != h]
        entered = [h for i, h in new.items() if old.get(i) != h]
        return left, entered

    def _patched(self, name: str, full, around: bool):
        """``name`` built in full, or patched from the previous board's copy of it."""
        prev = self._prev
        base = prev._cache.get(name) if prev is not None else None
        if base is None:
            return full()
        left, entered = self._moves()
        out = base.copy()
        if around:  # the hex itself and its six neighbours
            nbr = self._game.map.nbr
            left = np.concatenate([np.asarray(left, dtype=np.intp), nbr[left].ravel()]) if left else ()
            entered = np.concatenate([np.asarray(entered, dtype=np.intp), nbr[entered].ravel()]) if entered else ()
            left = [h for h in left if h >= 0] if len(left) else left
            entered = [h for h in entered if h >= 0] if len(entered) else entered
        for h in left:
            out[h] -= 1
        for h in entered:
            out[h] += 1
        return out

    @property
    def hexes(self) -> np.ndarray:
        """Hex of each active unit of the side (in unit order)."""
        got = self._cache.get("hexes")
        if got is None:
            got = self._cache["hexes"] = _frozen(np.asarray(self.hex_list, dtype=np.intp))
        return got

    @property
    def count(self) -> np.ndarray:
        """Units of the side per hex."""
        got = self._cache.get("count")
        if got is None:
            n = self._game.n_hex

            def full():
                return np.bincount(self.hexes, minlength=n).astype(np.int16)

            got = self._cache["count"] = _frozen(self._patched("count", full, around=False))
        return got

    @property
    def zoc_count(self) -> np.ndarray:
        """Per hex: how many of the side's units exert a zone of control over it."""
        got = self._cache.get("zoc_count")
        if got is None:
            n = self._game.n_hex

            def full():
                nb = self._game.map.nbr[self.hexes].ravel()
                return np.bincount(np.concatenate([self.hexes, nb[nb >= 0]]), minlength=n).astype(np.int16)

            got = self._cache["zoc_count"] = _frozen(self._patched("zoc_count", full, around=True))
        return got

    @property
    def zoc(self) -> np.ndarray:
        """Hexes in the side's zone of control (its units' hexes and their neighbours)."""
        got = self._cache.get("zoc")
        if got is None:
            got = self._cache["zoc"] = _frozen(self.zoc_count > 0)
        return got

    @property
    def occupied(self) -> np.ndarray:
        got = self._cache.get("occupied")
        if got is None:
            got = self._cache["occupied"] = _frozen(self.count > 0)
        return got

    @property
    def at(self) -> dict[int, list[int]]:
        """Hex -> indices of the side's units in it (in unit order)."""
        got = self._cache.get("at")
        if got is None:
            got = {}
            for i, h in zip(self.index, self.hex_list):
                got.setdefault(h, []).append(i)
            self._cache["at"] = got
        return got

    @property
    def occupied_list(self) -> list[bool]:
        """``count > 0`` as a Python list (fast per-hex reads in pure-Python loops)."""
        got = self._cache.get("occupied_list")
        if got is None:
            got = self._cache["occupied_list"] = self.occupied.tolist()
        return got

    @property
    def zoc_list(self) -> list[bool]:
        got = self._cache.get("zoc_list")
        if got is None:
            got = self._cache["zoc_list"] = self.zoc.tolist()
        return got


class Board:
    """The derived position arrays of one state, each rebuilt only when its side's version moved."""

    def __init__(self, units: list):
        self.units = units  # held so the list's id cannot be reused while this board lives
        self._sides: dict = {}
        self._occupancy = None
        self._at = None
        self.memo: dict = {}  # other derived things keyed by (name, ...) and the versions they read

    def side(self, state, side: str) -> SideBoard:
        v = VERSIONS.get(side, 0)
        got = self._sides.get(side)
        if got is None or got[0] != v:
            got = (v, SideBoard(state, side, got[1] if got is not None else None))
            self._sides[side] = got
        return got[1]

    def at(self, state) -> dict[int, list[int]]:
        """Hex -> indices of the active units in it, both sides, in unit order."""
        jp, cn = self.side(state, "japan"), self.side(state, "china")
        got = self._at
        if got is None or got[0] is not jp or got[1] is not cn:
            at = {h: list(ix) for h, ix in jp.at.items()}
            for h, ix in cn.at.items():
                at[h] = sorted(at[h] + ix) if h in at else list(ix)
            got = self._at = (jp, cn, at)
        return got[2]

    def occupancy(self, state) -> tuple[np.ndarray, np.ndarray]:
        jp, cn = self.side(state, "japan"), self.side(state, "china")
        key = (jp, cn)
        if self._occupancy is None or self._occupancy[0] != key:
            owner = np.full(state.game.n_hex, -1, dtype=np.int8)
            owner[jp.occupied] = 0
            owner[cn.occupied] = 1
            count = jp.count + cn.count
            self._occupancy = (key, (_frozen(owner), _frozen(count)))
        return self._occupancy[1]


def board(state) -> Board:
    """The state's board (built on first use, and afresh when ``state.units`` is replaced)."""
    b = state.__dict__.get("_board")
    if b is None or b.units is not state.units:
        b = Board(state.units)
        state.__dict__["_board"] = b
    return b
