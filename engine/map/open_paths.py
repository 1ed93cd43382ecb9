"""Answering "is each of these nodes within its cost limit of the sources?" for a range-limited
search with blocked nodes, without the search, when the open graph settles every node asked.

The open graph (nothing blocked) is searched once per cut-down graph: its least costs ``open``
and its shortest-path tree (from scipy's predecessors).  Then, with any blocked nodes:

* blocking only takes paths away, so a node's least cost is at least ``open`` there: a node
  with ``open`` above its limit is beyond it;
* a node whose tree path from its source enters no blocked node keeps that path, so its least
  cost is at most the path's cost, which is ``open`` there (the search's own left-to-right sum
  along it): it is exactly ``open``, within its limit or not.

A search sets each node to the least, over the open paths to it, of the path's left-to-right
float sum (float addition is monotone), so both hold for the floats the search would give.
Whether a tree path enters a blocked node is read from the tree's pre-order: the nodes below
a node (itself included) hold one run of pre-order positions, so the nodes under some blocked
node are those whose position lies in one of the blocked nodes' runs (counted with a running
sum over the positions).  Nodes left unsettled need the search.
"""
from __future__ import annotations

import numpy as np


class OpenTree:
    """The open graph's least costs and shortest-path tree of one cut-down graph, its sources
    and its cost limit; immutable once made."""

    def __init__(self, mat, sources: np.ndarray, limit: float):
        """``mat``: the open graph (CSR, nothing blocked); ``sources``: its source nodes."""
        from scipy.sparse.csgraph import dijkstra

        n = mat.shape[0]
        self.n = n
        self.is_source = np.zeros(n, dtype=bool)
        self.is_source[np.asarray(sources, dtype=np.intp)] = True
        cost, pred, _ = dijkstra(mat, directed=True, indices=np.asarray(sources, dtype=np.int32), min_only=True,
                                 limit=float(limit), return_predecessors=True)
        #: least cost from the sources with nothing blocked (inf beyond the limit)
        self.cost = cost
        self.first, self.after = _preorder_runs(pred)

    def settle(self, blocked_nodes: np.ndarray, targets: np.ndarray, limits: np.ndarray) -> np.ndarray | None:
        """Whether each of ``targets`` costs at most its entry of ``limits`` when the nodes
        ``blocked_nodes`` (no source among them) cannot be entered; None when the open graph
        does not settle them all."""
        cost = self.cost[targets]
        within = cost <= limits
        if not within.any():
            return within  # every one is beyond its limit even with nothing blocked
        runs = np.bincount(self.first[blocked_nodes], minlength=self.n + 1)
        runs -= np.bincount(self.after[blocked_nodes], minlength=self.n + 1)
        under_blocked = np.cumsum(runs)[self.first[targets[within]]] > 0
        return None if under_blocked.any() else within


def _preorder_runs(pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a shortest-path forest (scipy's predecessors, < 0 at roots and unreached nodes):
    each node's pre-order position ``first`` and the position ``after`` just past the nodes
    below it (so those are ``first <= position < after``)."""
    n = len(pred)
    children: list[list[int]] = [[] for _ in range(n)]
    roots = []
    for v, p in enumerate(pred.tolist()):
        (roots if p < 0 else children[p]).append(v)
    first = np.empty(n, dtype=np.intp)
    after = np.empty(n, dtype=np.intp)
    pos = 0
    for root in roots:
        stack = [(root, False)]
        while stack:
            v, done = stack.pop()
            if done:
                after[v] = pos
                continue
            first[v] = pos
            pos += 1
            stack.append((v, True))
            stack.extend((c, False) for c in reversed(children[v]))
    return first, after
