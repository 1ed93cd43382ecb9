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

That search need not cover the whole cut-down graph (:meth:`OpenTree.field`): a node not under
a blocked node keeps its open cost exactly (as above), so only the nodes under blocked nodes
(the dirty ones, a few dozen of a thousand in play) are searched, each entered at first from
the clean nodes next to it at their open cost plus the edge.  A cheapest path to a dirty node
leaves the clean nodes for the last time at some node ``u`` and then runs through dirty nodes
only, and the search's own sum along it, by the same monotonicity, is least when it reaches
``u`` at ``u``'s least cost: so the dirty nodes get, bit for bit, the floats a search of the
whole blocked graph gives them.
"""
from __future__ import annotations

import numpy as np

from .stopped_fields import edges_into


class OpenTree:
    """The open graph's least costs and shortest-path tree of one cut-down graph, its sources
    and its cost limit; immutable once made."""

    def __init__(self, mat, sources: np.ndarray, limit: float):
        """``mat``: the open graph (CSR, nothing blocked); ``sources``: its source nodes."""
        from .csgraph import dijkstra

        n = mat.shape[0]
        self.n = n
        self.limit = float(limit)
        cost, pred, _ = dijkstra(mat, directed=True, indices=np.asarray(sources, dtype=np.int32), min_only=True,
                                 limit=self.limit, return_predecessors=True)
        cost.flags.writeable = False
        #: least cost from the sources with nothing blocked (inf beyond the limit)
        self.cost = cost
        #: the open costs with an inf after them, read at node -1 (a target outside the graph)
        self._cost_or_inf = np.append(cost, np.inf)
        self.first, self.after = _preorder_runs(pred)
        # each node's run of pre-order positions as a blocked node marks it; a source's is empty (at
        # the pad position n): a source costs 0 even when blocked, so nothing below it is dirty
        is_source = np.zeros(n, dtype=bool)
        is_source[np.asarray(sources, dtype=np.intp)] = True
        self._block_first = np.where(is_source, n, self.first)
        self._block_after = np.where(is_source, n, self.after)
        self._tails, self._costs = edges_into(mat)  # (n, k): the edges u -> x into each node x
        self._last_depth: tuple[bytes, np.ndarray] | None = None

    def settle(self, blocked_nodes: np.ndarray, targets: np.ndarray, limits: np.ndarray) -> np.ndarray | None:
        """Whether each of ``targets`` (-1: a node outside the graph, dearer than the limit)
        costs at most its entry of ``limits`` when the nodes ``blocked_nodes`` cannot be entered
        (a source costs 0 anyway); None when the open graph does not settle them all."""
        within = self._cost_or_inf[targets] <= limits
        if not within.any():
            return within  # every one is beyond its limit even with nothing blocked
        return None if self._depth(blocked_nodes)[self.first[targets[within]]].any() else within

    def _depth(self, blocked_nodes: np.ndarray) -> np.ndarray:
        """Per pre-order position: how many of ``blocked_nodes`` (sources left out) it lies at or
        below (> 0: dirty).  The last answer is kept: a question :meth:`settle` leaves open goes
        on to :meth:`field` with the same blocked nodes."""
        key = blocked_nodes.tobytes()
        last = self._last_depth
        if last is not None and last[0] == key:
            return last[1]
        depth = np.bincount(self._block_first[blocked_nodes], minlength=self.n + 1)
        depth -= np.bincount(self._block_after[blocked_nodes], minlength=self.n + 1)
        np.cumsum(depth, out=depth)
        self._last_depth = (key, depth)
        return depth

    def field(self, blocked: np.ndarray, most: int | None = None) -> np.ndarray | None:
        """The least costs from the sources when the ``blocked`` nodes (a mask; a source costs 0
        anyway) cannot be entered, inf beyond the limit: bit for bit the search of the blocked
        graph, searching only the dirty nodes (see the module docstring); None when there are
        more than ``most`` of them (the rounds grow with them: a whole search is cheaper)."""
        dirty = self._depth(np.flatnonzero(blocked))[self.first] > 0
        nodes = np.flatnonzero(dirty & ~blocked & np.isfinite(self.cost))  # reached: none else can be
        if most is not None and len(nodes) > most:
            return None
        out = self.cost.copy()
        out[dirty] = np.inf  # now the clean nodes' least costs, and inf
        if len(nodes):
            out[nodes] = self._dirty_costs(nodes, out)
        return out

    def _dirty_costs(self, nodes: np.ndarray, clean: np.ndarray) -> np.ndarray:
        """The least costs of the dirty ``nodes`` given every other node's (``clean``: inf where
        dirty or blocked): each node's cheapest way in from a clean node, then relaxed along the
        edges between dirty nodes until nothing changes (Bellman-Ford: as many rounds as the
        longest chain of dirty nodes on a cheapest path within the limit, a handful; each ends on
        the same float sums a search makes).  inf beyond the limit: a cost above it is dropped
        as soon as it is found, since every way on from there costs at least as much (edge costs
        are not negative), so no cost within the limit comes from it and it starts no rounds."""
        limit = self.limit
        tails, costs = self._tails[nodes], self._costs[nodes]  # the edges into each (pad: node n, inf)
        first = (np.append(clean, np.inf)[tails] + costs).min(axis=1)
        first[first > limit] = np.inf
        local = np.full(self.n + 1, len(nodes))
        local[nodes] = np.arange(len(nodes))
        inner = local[tails]  # the edges from a dirty node: its place among them (else the pad)
        least = np.append(first, np.inf)  # (the pad: inf)
        now = least[:-1]
        while True:
            step = least[inner]
            step += costs
            better = np.minimum(first, step.min(axis=1))
            better[better > limit] = np.inf
            if not (better < now).any():
                break
            now[:] = better
        return now


def _preorder_runs(pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a shortest-path forest (scipy's predecessors, < 0 at roots and unreached nodes):
    each node's pre-order position ``first`` and the position ``after`` just past the nodes
    below it (so those are ``first <= position < after``): the pre-order listed once, then
    ``after`` is ``first`` plus the size of the node's subtree, summed up the tree in reverse
    pre-order (a child comes after its parent)."""
    n = len(pred)
    parents = pred.tolist()
    children: list[list[int]] = [[] for _ in range(n)]
    roots = []
    for v, p in enumerate(parents):
        (roots if p < 0 else children[p]).append(v)
    order = []
    stack = roots[::-1]
    while stack:
        v = stack.pop()
        order.append(v)
        stack += children[v][::-1]
    size = [1] * n
    for v in reversed(order):
        p = parents[v]
        if p >= 0:
            size[p] += size[v]
    first = np.empty(n, dtype=np.intp)
    first[order] = np.arange(n, dtype=np.intp)
    return first, first + np.array(size, dtype=np.intp)
