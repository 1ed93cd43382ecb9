"""Where the units stand, as per-hex tables: derived from the state, never saved, kept current.

A state's :class:`Board` is built on first use from its units.  From then on every assignment
of a unit's ``hex``, ``status`` or ``side`` (:class:`engine.core.state.UnitState`) updates it
in place: the unit is lifted from its old hex and put on its new one, so the counts per hex,
the zones of control and the units per hex are patched for that one unit instead of being
recounted.  Each side's tables carry a ``version`` that changes with every such update, the
key of whatever is derived from them.  Nothing here is part of the game state: a loaded or
cloned state simply builds its board afresh.
"""
from __future__ import annotations

import bisect
import weakref

import numpy as np

from .per_game import per_game

#: id(unit) -> (weak reference to the board following it, its index there); checked on use
#: (engine.core.state's position fields look their unit up here)
SEATS: dict[int, tuple] = {}


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


class SideBoard:
    """One side's active units on the map, kept current unit move by unit move.

    The Python lists (``count_list``, ``occupied_list``, ``zoc_list``) and ``at`` are live:
    read them, never write them.  The numpy properties are read-only snapshots of the
    current position, made once per ``version`` from the units' hexes (a few dozen units:
    a ``bincount`` and one scatter of their neighbours), so they are exact by construction.
    """

    def __init__(self, n_hex: int, around: list[list[int]], closed: np.ndarray):
        self._n_hex = n_hex
        self._around = around  # each hex's neighbours on the map
        self._closed = closed  # each hex and its neighbours (:func:`_closed_around`)
        self.count_list = [0] * n_hex  # units of the side per hex
        self.zoc_count_list = [0] * n_hex  # units of the side exerting a zone of control over each hex
        self.occupied_list = [False] * n_hex
        self.zoc_list = [False] * n_hex
        self.at: dict[int, list[int]] = {}  # hex -> indices of the side's units in it, in unit order
        self._hex_of: dict[int, int] = {}  # unit index -> hex
        self.version = 0
        self.members = 0  # changes with every add or remove (not with a shift): the key of ``index``
        self._snap: dict = {}

    def add(self, i: int, h: int) -> None:
        self.version += 1
        self.members += 1
        self._hex_of[i] = h
        self._seat(i, h)
        self._enter(h)

    def remove(self, i: int, h: int) -> None:
        self.version += 1
        self.members += 1
        del self._hex_of[i]
        self._unseat(i, h)
        self._leave(h)

    def shift(self, i: int, old: int, new: int) -> None:
        """Move unit ``i`` from hex ``old`` to hex ``new``: exactly :meth:`remove` then
        :meth:`add` (the same tables, ``at`` keys in the same order), in one step and one version;
        the side's units stay the same, so ``members`` and :attr:`index` stay as they are."""
        self.version += 1
        self._hex_of[i] = new
        self._unseat(i, old)
        self._seat(i, new)
        self._leave(old)
        self._enter(new)

    def _seat(self, i: int, h: int) -> None:
        """Unit ``i`` into ``at[h]``, kept in unit order."""
        ix = self.at.get(h)
        if ix is None:
            self.at[h] = [i]
        else:
            bisect.insort(ix, i)

    def _unseat(self, i: int, h: int) -> None:
        """Unit ``i`` out of ``at[h]`` (the key goes with its last unit)."""
        ix = self.at[h]
        ix.remove(i)
        if not ix:
            del self.at[h]

    def _enter(self, h: int) -> None:
        """A unit more in ``h``: its count, and the zone of control over it and its neighbours."""
        count = self.count_list
        count[h] += 1
        self.occupied_list[h] = True
        zc, zl = self.zoc_count_list, self.zoc_list
        zc[h] += 1
        zl[h] = True
        for n in self._around[h]:
            zc[n] += 1
            zl[n] = True

    def _leave(self, h: int) -> None:
        """A unit fewer in ``h`` (as :meth:`_enter`, undone)."""
        count = self.count_list
        count[h] -= 1
        self.occupied_list[h] = count[h] > 0
        zc, zl = self.zoc_count_list, self.zoc_list
        zc[h] -= 1
        zl[h] = zc[h] > 0
        for n in self._around[h]:
            zc[n] -= 1
            zl[n] = zc[n] > 0

    def _snapshot(self, name: str, make) -> np.ndarray:
        got = self._snap.get(name)
        if got is None or got[0] != self.version:
            got = self._snap[name] = (self.version, _frozen(make()))
        return got[1]

    def _count(self) -> np.ndarray:
        return np.bincount(self.hexes, minlength=self._n_hex).astype(np.int16)

    def _zoc(self) -> np.ndarray:
        out = np.zeros(self._n_hex, dtype=bool)
        self.zoc_into(out)
        return out

    def zoc_into(self, out: np.ndarray) -> None:
        """Set ``out`` (a boolean array over the hexes) True over the side's zone of control:
        its units' hexes and their neighbours, as :attr:`zoc` shows it."""
        out[self._closed[self.hexes]] = True

    @property
    def index(self) -> list[int]:
        """Indices of the side's active units on the map, in unit order (kept per ``members``)."""
        got = self._snap.get("index")
        if got is None or got[0] != self.members:
            got = self._snap["index"] = (self.members, sorted(self._hex_of))
        return got[1]

    @property
    def hex_list(self) -> list[int]:
        """Hex of each of those units (in unit order)."""
        hex_of = self._hex_of
        return [hex_of[i] for i in self.index]

    @property
    def hexes(self) -> np.ndarray:
        """:attr:`hex_list` as a read-only array."""
        got = self._snap.get("hexes")
        if got is None or got[0] != self.version:
            hex_of = self._hex_of
            got = self._snap["hexes"] = (self.version, _frozen(np.array([hex_of[i] for i in self.index], dtype=np.intp)))
        return got[1]

    @property
    def count(self) -> np.ndarray:
        """Units of the side per hex."""
        return self._snapshot("count", self._count)

    @property
    def occupied(self) -> np.ndarray:
        """Hexes holding units of the side."""
        return self._snapshot("occupied", self._occupied)

    def _occupied(self) -> np.ndarray:
        out = np.zeros(self._n_hex, dtype=bool)
        out[self.hexes] = True
        return out

    @property
    def zoc(self) -> np.ndarray:
        """Hexes in the side's zone of control (its units' hexes and their neighbours)."""
        return self._snapshot("zoc", self._zoc)


def _on_map(u) -> bool:
    return u.status == "active" and u.hex >= 0


class Board:
    """The derived position tables of one state's units, updated as the units change."""

    def __init__(self, state):
        self.units = state.units  # held so the list's id cannot be reused while this board lives
        game = state.game
        self._n_hex = game.n_hex
        self._around = _around(game)
        self._closed = _closed_around(game)
        self._sides: dict[str, SideBoard] = {}
        self._occupancy = None
        self.memo: dict = {}  # other derived things keyed by (name, ...) and the versions they read
        for i, u in enumerate(self.units):
            if _on_map(u):
                self.side_board(u.side).add(i, u.hex)
        self._seat_units()

    def _seat_units(self) -> None:
        """Make every assignment to a unit's position reach this board."""
        me = weakref.ref(self)
        keys = []
        for i, u in enumerate(self.units):
            keys.append(id(u))
            SEATS[id(u)] = (me, i)
        weakref.finalize(self, _unseat, keys)

    def __setstate__(self, d: dict) -> None:
        # an unpickled board follows its (unpickled) units as the original did
        self.__dict__.update(d)
        self._seat_units()

    def side_board(self, side: str) -> SideBoard:
        got = self._sides.get(side)
        if got is None:
            got = self._sides[side] = SideBoard(self._n_hex, self._around, self._closed)
        return got

    def side(self, state, side: str) -> SideBoard:
        return self.side_board(side)

    def reseat(self, i: int, u, field: str, value) -> None:
        """Set position field ``field`` of unit ``i`` (``u``) to ``value``, moving it on the board."""
        d = u.__dict__
        if field == "hex" and d["status"] == "active":  # a move on the map (the usual case)
            old = d["hex"]
            if old >= 0 and value >= 0:
                self.side_board(d["side"]).shift(i, old, value)
            elif old >= 0:
                self.side_board(d["side"]).remove(i, old)
            elif value >= 0:
                self.side_board(d["side"]).add(i, value)
            d["hex"] = value
            return
        if d["status"] == "active" and d["hex"] >= 0:
            self.side_board(d["side"]).remove(i, d["hex"])
        d[field] = value
        if d["status"] == "active" and d["hex"] >= 0:
            self.side_board(d["side"]).add(i, d["hex"])

    def units_of(self, side: str) -> list:
        """``side``'s active units on the map, in unit order: a kept list, read it, never change it.

        Kept per ``members`` of the side's table, which every unit joining or leaving it (a
        change of status or side, or of hex to or from off the map) moves on, and ``units`` is
        the state's own list (a new list gets a new board): exact."""
        sb = self.side_board(side)
        key = ("units", side)
        got = self.memo.get(key)
        if got is None or got[0] != sb.members:
            units = self.units
            got = self.memo[key] = (sb.members, [units[i] for i in sb.index])
        return got[1]

    def units_at(self, hex_id: int) -> list[int] | None:
        """Indices of the active units in ``hex_id``, both sides, in unit order (None: none)."""
        got = None
        for sb in self._sides.values():
            ix = sb.at.get(hex_id)
            if ix:
                got = ix if got is None else sorted(got + ix)
        return got

    def occupancy(self, state) -> tuple[np.ndarray, np.ndarray]:
        jp, cn = self.side_board("japan"), self.side_board("china")
        key = (jp.version, cn.version)
        if self._occupancy is None or self._occupancy[0] != key:
            jh, ch = jp.hexes, cn.hexes
            owner = np.full(self._n_hex, -1, dtype=np.int8)
            owner[jh] = 0
            owner[ch] = 1
            count = np.bincount(np.concatenate((jh, ch)), minlength=self._n_hex).astype(np.int16)
            self._occupancy = (key, (_frozen(owner), _frozen(count)))
        return self._occupancy[1]


@per_game
def _around(game) -> list[list[int]]:
    """Each hex's neighbours on the map, as Python lists (read, never changed: a hex with six
    neighbours on the map shares its list with ``game.nbr_lists``)."""
    all_on_map = (game.map.nbr >= 0).all(axis=1).tolist()
    return [row if full else [n for n in row if n >= 0] for row, full in zip(game.nbr_lists, all_on_map)]


@per_game
def _closed_around(game) -> np.ndarray:
    """(hexes, 7) array: each hex, then its six neighbours with the hex itself standing in for
    those off the map (so indexing with a row gives the hex and its neighbours on the map)."""
    nbr = game.map.nbr
    own = np.arange(len(nbr))[:, None]
    got = np.concatenate([own, np.where(nbr >= 0, nbr, own)], axis=1).astype(np.intp)
    got.flags.writeable = False
    return got


def board(state) -> Board:
    """The state's board (built on first use, and afresh when ``state.units`` is replaced)."""
    b = state.__dict__.get("_board")
    if b is None or b.units is not state.units:
        b = Board(state)
        state.__dict__["_board"] = b
    return b


def _unseat(keys: list[int]) -> None:
    """Forget the seats of a board that is gone (those taken since by a newer board stay)."""
    for k in keys:
        seat = SEATS.get(k)
        if seat is not None and seat[0]() is None:
            del SEATS[k]
