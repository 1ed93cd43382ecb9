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
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .disk_cache import digest, entry_path, keep_entry, read_entry

#: the format of the file (and of what it means): a new one never reads an older one
STORE_VERSION = 1
#: fields kept per movement graph (31 KiB each on the 67 x 59 map: about 8 MB)
STORE_FIELDS = 256
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


def read_store(path: Path, key: str, n: int) -> dict[int, np.ndarray] | None:
    """The fields kept at ``path`` (target hex -> field, least recently used first), or None when
    there are none or the file is not exactly what :func:`save_fields` wrote for ``key``."""
    got = read_entry(path, ("hexes", "fields", "key"))
    if got is None:
        return None  # not kept, or not a file this module wrote whole: searched again, then rewritten
    hexes, fields, kept_for = got["hexes"], got["fields"], got["key"]
    if kept_for.shape != () or str(kept_for) != key:
        return None
    if not (hexes.dtype == np.int64 and hexes.ndim == 1 and fields.dtype == np.float64
            and fields.shape == (len(hexes), n) and len(np.unique(hexes)) == len(hexes)
            and (len(hexes) == 0 or 0 <= hexes.min() <= hexes.max() < n)):
        return None
    return {int(h): f for h, f in zip(hexes.tolist(), fields)}


def load_fields(game) -> frozenset[int]:
    """Put the fields kept for ``game``'s movement graph into its cache; the target hexes put."""
    key = store_key(game)
    kept = read_store(entry_path("fields", key), key, game.move_graph.n)
    if not kept:
        return frozenset()
    game.keep_single_fields(kept)
    return frozenset(kept)


def save_fields(game, loaded: frozenset[int] = frozenset()) -> bool:
    """Keep the most recently used :data:`STORE_FIELDS` of ``game``'s one-target fields, when
    any of them is not among the ``loaded`` ones (:func:`load_fields`); whether it wrote."""
    fields = game.single_fields()
    hexes = list(fields)[-STORE_FIELDS:]
    if not hexes or set(hexes) <= loaded:
        return False
    key = store_key(game)
    f = np.stack([fields[x] for x in hexes]).astype(np.float64, copy=False)
    return keep_entry(entry_path("fields", key), STORE_FILES,
                      hexes=np.asarray(hexes, dtype=np.int64), fields=f, key=np.array(key))
