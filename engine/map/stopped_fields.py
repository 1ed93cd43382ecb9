"""Answering a search that stops at a node from an earlier one that went as far.

A search from sources ``S`` with blocked nodes ``B`` that stops once node ``t`` is settled
(:meth:`engine.map.shortest_paths.MoveGraph.field` with ``until``) gives every node whose least
cost is at most ``t``'s its cost, and inf to the rest.  Such searches come in runs: the
computer player traces a detour from one objective to each of its units in turn, each time
blocking the same enemy zones of control but for the unit's own hex.

An earlier field ``G`` (blocked set ``K``, exact wherever at most ``reach``, inf elsewhere)
answers a new query (blocked ``B``, stop at ``t``, ``t`` not blocked, not a source) when

* ``m``, the least ``G[u] + w(u, t)`` over the edges into ``t``, is at most ``reach``; and
* no node where ``K`` and ``B`` differ (but ``t``) can change a cost up to ``m``: one blocked
  now but not in ``G`` costs more than ``m`` in ``G``; one open now but blocked in ``G`` has no
  edge from a node of ``G`` reaching it for ``m`` or less.

Then, settling nodes in order of cost, both searches agree on every node up to ``m`` (by
induction: a node's cost comes from a cheaper in-neighbour, equal in both, and the differing
nodes stay beyond ``m``), ``t``'s cost is ``m`` (the same float sum a search adds), and the
answer is ``G`` cut at ``m`` with ``t`` at ``m``: bit for bit the fresh search's field.  A
field searched afresh is kept for the next ones as ``G`` with ``t`` blocked: every cost up to
``t``'s is the same without ``t`` (a path through ``t`` costs more than ``t``).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

STOPPED_KEYS = 16  # (sources, direction) pairs whose last stopped field is kept (each about 35 KiB):
# over 20 campaigns the last field answered 278 of the 586 detour searches, the three before it 25 more


class StoppedFields:
    """The last stopped field per (sources, direction), and the queries it answers."""

    def __init__(self, forward_matrix, reverse_matrix):
        self._graphs = {False: forward_matrix, True: reverse_matrix}
        # edges into each node of the searched graph, padded to (n, k) (pad: node n, cost inf):
        # made for a direction when a query first needs them (detours search forward only)
        self._into: dict[bool, tuple[np.ndarray, np.ndarray]] = {}
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, sources: tuple[int, ...], reverse: bool, blocked: np.ndarray, until: int) -> np.ndarray | None:
        """The field stopped at ``until`` with ``blocked``, from a kept one, or None."""
        if blocked[until] or until in sources:
            return None
        with self._lock:
            got = self._kept.get((sources, reverse))
        if got is None:
            return None
        kept, reach, kept_blocked = got  # (kept has a last, inf, entry for the pad node)
        into = self._into.get(reverse)
        if into is None:
            into = self._into[reverse] = edges_into(self._graphs[reverse])
        src, w = into
        m = float((kept[src[until]] + w[until]).min())
        if not m <= reach:
            return None
        changed = kept_blocked ^ blocked
        changed[until] = False
        differ = changed.nonzero()[0]
        now_blocked = blocked[differ]
        if (kept[differ[now_blocked]] <= m).any():
            return None  # a hex blocked now may lie on a way costing m or less
        opened = differ[~now_blocked]
        if len(opened) and (kept[src[opened]] + w[opened]).min() <= m:
            return None  # a hex open now may be reached for m or less
        out = np.where(kept[:-1] <= m, kept[:-1], np.inf)
        out[until] = m
        return out

    def keep(self, sources: tuple[int, ...], reverse: bool, blocked: np.ndarray, until: int,
             field: np.ndarray) -> None:
        """Keep ``field``, searched afresh and stopped at ``until``, for the next queries."""
        reach = float(field[until])
        if not np.isfinite(reach) or until in sources:
            return
        kept = np.append(field, np.inf)
        kept[until] = np.inf
        kept_blocked = blocked.copy()
        kept_blocked[until] = True
        kept.flags.writeable = kept_blocked.flags.writeable = False
        key = (sources, reverse)
        with self._lock:
            self._kept[key] = (kept, reach, kept_blocked)
            self._kept.move_to_end(key)
            while len(self._kept) > STOPPED_KEYS:
                self._kept.popitem(last=False)


def edges_into(mat) -> tuple[np.ndarray, np.ndarray]:
    """(n, k) arrays of the tails and costs of the edges into each node of CSR ``mat`` (pad:
    tail n, cost inf); each node's tails in ascending order (as ``mat`` stores them: read from
    its transpose, which scipy makes in compiled code, instead of sorting the edges by head)."""
    n = mat.shape[0]
    into = mat.tocsc()  # column x: the edges u -> x, tails ascending, in mat's data order
    counts = np.diff(into.indptr)
    heads = np.repeat(np.arange(n, dtype=np.int64), counts)
    slot = np.arange(len(heads)) - into.indptr[heads]
    src = np.full((n, max(int(counts.max(initial=0)), 1)), n, dtype=np.int64)
    w = np.full(src.shape, np.inf)
    src[heads, slot] = into.indices
    w[heads, slot] = into.data
    return src, w
