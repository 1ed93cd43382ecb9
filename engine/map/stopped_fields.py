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

STOPPED_KEYS = 16  # (sources, direction) pairs whose stopped fields are kept ...
STOPPED_PER_KEY = 4  # ... and the last fields kept for each (each about 35 KiB)


class StoppedFields:
    """The last few stopped fields per (sources, direction), and the queries they answer."""

    def __init__(self, forward_matrix, reverse_matrix):
        # edges into each node of the searched graph: column x of its matrix
        self._into = {False: forward_matrix.tocsc(), True: reverse_matrix.tocsc()}
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, sources: tuple[int, ...], reverse: bool, blocked: np.ndarray, until: int) -> np.ndarray | None:
        """The field stopped at ``until`` with ``blocked``, from a kept one, or None."""
        if blocked[until] or until in sources:
            return None
        with self._lock:
            fields = list(self._kept.get((sources, reverse), ()))
        into = self._into[reverse]
        for kept, reach, kept_blocked in reversed(fields):
            m = _least_in(into, kept, until)
            if not m <= reach or not self._same_up_to(into, kept, kept_blocked, blocked, until, m):
                continue
            out = np.where(kept <= m, kept, np.inf)
            out[until] = m
            return out
        return None

    def keep(self, sources: tuple[int, ...], reverse: bool, blocked: np.ndarray, until: int,
             field: np.ndarray) -> None:
        """Keep ``field``, searched afresh and stopped at ``until``, for the next queries."""
        reach = float(field[until])
        if not np.isfinite(reach) or until in sources:
            return
        kept = field.copy()
        kept[until] = np.inf
        kept_blocked = blocked.copy()
        kept_blocked[until] = True
        kept.flags.writeable = kept_blocked.flags.writeable = False
        key = (sources, reverse)
        with self._lock:
            fields = self._kept.setdefault(key, [])
            self._kept.move_to_end(key)
            fields.append((kept, reach, kept_blocked))
            del fields[:-STOPPED_PER_KEY]
            while len(self._kept) > STOPPED_KEYS:
                self._kept.popitem(last=False)

    @staticmethod
    def _same_up_to(into, kept, kept_blocked, blocked, until, m) -> bool:
        for x in np.flatnonzero(kept_blocked ^ blocked).tolist():
            if x == until:
                continue
            if blocked[x]:
                if kept[x] <= m:
                    return False
            elif _least_in(into, kept, x) <= m:
                return False
        return True


def _least_in(into, field: np.ndarray, x: int) -> float:
    """The least ``field[u] + w(u, x)`` over the edges into ``x`` (inf: none)."""
    lo, hi = into.indptr[x], into.indptr[x + 1]
    if lo == hi:
        return np.inf
    return float((field[into.indices[lo:hi]] + into.data[lo:hi]).min())
