"""The one-target cost fields a process made, kept on disk for the next process.

A fresh process's first campaign spends about 0.1 s of CPU searching the least-cost fields to
the target hexes its AIs ask for (:meth:`engine.core.game.Game.field_to`: ~150 searches, the
same targets campaign after campaign); later campaigns find them in the game's cache.
:func:`load_fields` puts the fields an earlier process kept into a new game's cache;
:func:`save_fields` keeps the ones a process used (the most recently used ``STORE_FIELDS``).

The file (``$XDG_CACHE_HOME/xuefeng/fields-<key>.npz``, numpy arrays only: no pickle) is named
after :func:`store_key`, a digest of the movement graph (every edge and its cost: the map, the
terrain costs, the scenario) and of the code that searches it (engine/map), so a changed map,
rule or search never reads another's fields; the key is inside too (a file renamed is not read).  A
damaged file is seen by the zip format's CRC-32 of each array, which :func:`numpy.load`
checks as it reads (a SHA-256 took ~30 ms, a third of what the store saves): a file that fails
it, or is not what this module writes (truncated, another format, wrong shape), is not used,
and the fields are searched again and the file rewritten.

A field is kept as whole 64ths of a move in 16 bits (``steps``: its costs times 64) when that
gives back every cost bit for bit (checked on writing, field by field: today's edge costs are
multiples of 1/64 and full-map costs stay under 1024), else as it is (``wide``: float64); so the
store keeps every field a process holds (``FIELD_CACHE_SINGLE``: ~470 distinct ones over 200
campaigns) in the bytes 256 float64 fields took, never a cost that is not exactly the one searched.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..core.game import FIELD_CACHE_SINGLE
from .disk_cache import digest, entry_path, keep_entry, read_entry

#: the format of the file (and of what it means): a new one never reads an older one
STORE_VERSION = 2
#: fields kept per movement graph (as many as a game keeps: 7.7 KiB each in 16 bits on the
#: 67 x 59 map, about 8 MB)
STORE_FIELDS = FIELD_CACHE_SINGLE
#: a field's costs are kept as ``round(cost * STEPS)`` in 16 bits when that is exact
STEPS = 64
#: store files kept (one per movement graph and code version, up to ~8 MB each; the least
#: recently written go first)
STORE_FILES = 4


def store_key(game) -> str:
    """A digest of everything a one-target field follows from: the movement graph's edges and
    costs, the search code (every module of engine/map, this one) and :data:`STORE_VERSION`."""
    from .. import map as map_package

    g = game.move_graph
    code = [p.read_bytes() for p in sorted(Path(map_package.__file__).parent.glob("*.py"))]
    return digest(("xuefeng-fields", STORE_VERSION, g.n), *code, Path(__file__).read_bytes(), g.src, g.dst, g.w)


def store_path(game) -> Path:
    """Where the fields of ``game``'s movement graph are kept."""
    return entry_path("fields", store_key(game))


def read_store(path: Path, key: str, n: int) -> dict[int, Callable[[], np.ndarray]] | None:
    """The fields kept at ``path`` (target hex -> a maker of its field, least recently used
    first: a field is decoded only when asked for, most never are), or None when there are none
    or the file is not exactly what :func:`save_fields` wrote for ``key``."""
    got = read_entry(path, ("hexes", "exact", "steps", "wide", "key"))
    if got is None:
        return None  # not kept, or not a file this module wrote whole: searched again, then rewritten
    hexes, exact, steps, wide, kept_for = got["hexes"], got["exact"], got["steps"], got["wide"], got["key"]
    if kept_for.shape != () or str(kept_for) != key:
        return None
    m = len(hexes)
    if not (hexes.dtype == np.int64 and hexes.ndim == 1 and len(set(hexes.tolist())) == m
            and (m == 0 or 0 <= hexes.min() <= hexes.max() < n)
            and exact.dtype == np.bool_ and exact.shape == (m,)
            and steps.dtype == np.uint16 and steps.shape == (int(exact.sum()), n)
            and wide.dtype == np.float64 and wide.shape == (m - len(steps), n)):
        return None
    rows = iter(steps), iter(wide)
    return {h: KeptField(next(rows[0] if e else rows[1]), e) for h, e in zip(hexes.tolist(), exact.tolist())}


class KeptField:
    """A field as the store keeps it (``row``: 16-bit steps when ``exact``, else float64 costs);
    calling it gives the field's costs (decoded from steps: a power of two, exact)."""

    __slots__ = ("row", "exact")

    def __init__(self, row: np.ndarray, exact: bool):
        self.row, self.exact = row, exact

    def __call__(self) -> np.ndarray:
        if not self.exact:
            return np.array(self.row)
        costs = self.row.astype(np.float64)
        costs *= 1.0 / STEPS
        return costs


def as_steps(fields: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``fields`` (one per row, float64) as 16-bit counts of 1/:data:`STEPS`, and which rows
    those give back bit for bit (only those rows' counts mean anything)."""
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = fields * STEPS
        fits = np.isfinite(scaled) & (scaled >= 0) & (scaled <= np.iinfo(np.uint16).max)
        steps = np.where(fits, scaled, 0).astype(np.uint16)
    back = steps.astype(np.float64)
    back *= 1.0 / STEPS
    exact = np.all(fits & (back.view(np.uint64) == fields.view(np.uint64)), axis=1)
    return steps, exact


def load_fields(game) -> frozenset[int]:
    """Give ``game`` the fields kept for its movement graph, to take when it first needs each
    instead of searching it; their target hexes."""
    key = store_key(game)
    kept = read_store(entry_path("fields", key), key, game.move_graph.n)
    if not kept:
        return frozenset()
    game.stand_by_fields(kept)
    return frozenset(kept)


def save_fields(game, loaded: frozenset[int] = frozenset()) -> bool:
    """Keep the most recently used :data:`STORE_FIELDS` of ``game``'s one-target fields (those
    kept and not used first, as they were written: not decoded again), when any it used is not
    among the ``loaded`` ones (:func:`load_fields`); whether it wrote."""
    used = game.single_fields()
    if not used or set(used) <= loaded:
        return False
    made = np.stack(list(used.values())).astype(np.float64, copy=False)
    steps, exact = as_steps(made)
    rows = [(h, k.row, k.exact) for h, k in game.stand_by().items() if isinstance(k, KeptField)]
    rows += [(h, steps[i] if exact[i] else made[i], bool(exact[i])) for i, h in enumerate(used)]
    rows = rows[-STORE_FIELDS:]
    n = game.move_graph.n

    def stacked(exact: bool, dtype) -> np.ndarray:
        got = [row for _, row, e in rows if e is exact]
        return np.stack(got).astype(dtype, copy=False) if got else np.zeros((0, n), dtype=dtype)

    key = store_key(game)
    return keep_entry(entry_path("fields", key), STORE_FILES,
                      hexes=np.array([h for h, _, _ in rows], dtype=np.int64),
                      exact=np.array([e for _, _, e in rows], dtype=bool),
                      steps=stacked(True, np.uint16), wide=stacked(False, np.float64), key=np.array(key))
