"""Least movement costs over the hex graph (one directed edge per hex side).

Two implementations that give the same fields bit for bit:

* scipy's C Dijkstra (:mod:`scipy.sparse.csgraph`): the reference and the default;
* a compiled (numba) Dijkstra with Dial's bucket queue over the fixed (n_hex, 6) neighbour
  arrays and integer costs (each edge cost times the least power of two up to 64 making it
  whole; a graph with other costs is searched by scipy), taking the blocked hexes, the cost
  limit and a node to stop at directly (no matrix copied, no sub-graph built).  numba's first
  use in a process costs about 0.35 s of CPU (1.5 s once per install, to compile) and about
  120 MiB of RSS (numba and LLVM; 50 MiB proportional set size with two workers) for about 20%
  fewer instructions a campaign once scipy's caches are warm (valgrind: 304 M against 379 M): more than the project's 200 MiB a worker
  allows, so it is an option (numba is the ``fast`` extra), switched on with :func:`use_compiled`
  by ``--compiled-paths`` (sim, validate, sensitivity, bench), never by default.

Why the same: every label-setting search sets each hex to the least, over the paths to it, of
the path's left-to-right float sum (float addition is monotone), whatever order it settles
hexes in; and edge costs are multiples of 1/64 (``Game._exact_sums``), so those sums are exact
and equal the kernel's integer sums scaled back.  A hex beyond ``limit`` is inf in both.  Only
the predecessor recorded between equally cheap paths could differ, so
:meth:`MoveGraph.cheapest_path` always asks scipy.

scipy and numba are imported inside functions: ``import engine.api`` loads neither.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from contextlib import contextmanager
from functools import cached_property

import numpy as np

from .open_paths import OpenTree
from .stopped_fields import StoppedFields

LIMITED_GRAPHS = 32  # scipy: cut-down graphs for range-limited fields (supply), one per (sources, limit)
DIRTY_RELAXED = 160  # scipy: the most nodes under blocked ones searched alone (more: the whole cut graph)
LIMITED_FIELDS = 512  # scipy: range-limited fields kept (about 10 KiB each: only the cut-down graph's hexes)
UNTIL_FIRST_LIMIT = 32.0  # scipy: the first cost limit of a search that may stop at a node (then doubled) ...
UNTIL_FIRST_PER_HOP = 3.0  # ... or, given the fewest edges to it (hops), (3 hops + 6) times the least edge cost
UNTIL_FIRST_SLACK = 6.0

_compiled = False
_NO_LIMIT = 1 << 62  # the kernel's "no limit": above any path's integer cost


class CompiledPathsUnavailable(RuntimeError):
    """The compiled shortest-path kernels were asked for but numba cannot import or compile them."""


def require_compiled() -> None:
    """Raise :class:`CompiledPathsUnavailable` unless numba can be imported (without importing it)."""
    import importlib.util

    if importlib.util.find_spec("numba") is None:
        raise CompiledPathsUnavailable("compiled shortest paths need numba: pip install 'xuefeng[fast]' "
                                       "(or 'numba>=0.60')")


def use_compiled(on: bool = True) -> None:
    """Search with the compiled kernels (``on``) or with scipy, process-wide.

    Switching on imports numba and compiles (or loads from numba's cache) the kernel now, so a
    failure shows here: :class:`CompiledPathsUnavailable` with the reason; nothing falls back.
    """
    global _compiled
    if on:
        _kernel()
    _compiled = bool(on)


def compiled() -> bool:
    """Whether searches use the compiled kernels (see :func:`use_compiled`)."""
    return _compiled


@contextmanager
def compiled_while(on: bool):
    """Search with the compiled kernels inside the block when ``on`` (else as before); the mode
    before is back after it."""
    was = _compiled
    if on and not was:
        use_compiled(True)
    try:
        yield
    finally:
        use_compiled(was)


def _dial_kernel(nbr, cost, sources, blocked, limit, until, buckets, unit):  # pragma: no cover - runs compiled
    """Least cost from any of ``sources`` to every node along edges ``u -> nbr[u, j]`` (-1 = no
    edge) of integer ``cost[u, j]``, never entering a ``blocked`` node (a source is 0 anyway);
    returned times ``unit``, inf where unreachable or above ``limit`` (an integer), or, once node
    ``until`` (-1: none) is settled, above its cost.

    Dial's bucket queue: ``buckets`` (more than the dearest edge) circular lists of the nodes
    waiting at each cost, scanned in increasing cost.  A node is queued again each time its cost
    drops (the stale entry is skipped), so there are never more entries than edges + sources."""
    n, k = nbr.shape
    big = np.int64(1) << 62
    dist = np.full(n, big)
    out = np.full(n, np.inf)
    head = np.full(buckets, -1, np.int32)
    cap = n * k + sources.shape[0]
    nxt = np.empty(cap, np.int32)
    node = np.empty(cap, np.int32)
    m = 0
    for s in sources:
        if dist[s] > 0:
            dist[s] = 0
            node[m] = s
            nxt[m] = head[0]
            head[0] = m
            m += 1
    waiting = m
    cur = 0
    stop = big
    while waiting > 0:
        b = cur % buckets
        e = head[b]
        if e < 0:
            if cur >= stop:
                break  # every node costing as much as ``until`` is settled
            cur += 1
            continue
        head[b] = nxt[e]
        waiting -= 1
        u = node[e]
        if dist[u] != cur:
            continue  # stale: u was queued again at a lower cost
        out[u] = cur * unit
        if u == until:
            stop = cur
        for j in range(k):
            v = nbr[u, j]
            if v < 0 or blocked[v]:
                continue
            nd = cur + cost[u, j]
            if nd <= limit and nd < dist[v]:
                dist[v] = nd
                bb = nd % buckets
                node[m] = v
                nxt[m] = head[bb]
                head[bb] = m
                m += 1
                waiting += 1
    return out


_lock = threading.Lock()
_compiled_kernel = None


def _kernel():
    """The compiled :func:`_dial_kernel` (numba, cached on disk by numba: next to this file,
    or in the user's cache directory when that is read-only)."""
    global _compiled_kernel
    with _lock:
        if _compiled_kernel is None:
            try:
                import numba
            except Exception as exc:
                raise CompiledPathsUnavailable(f"compiled shortest paths need numba (pip install 'numba>=0.60'): "
                                               f"{type(exc).__name__}: {exc}") from exc
            try:
                kernel = numba.njit(cache=True, nogil=True)(_dial_kernel)
                # compile (or load) now the one signature MoveGraph.field uses
                kernel(np.empty((0, 6), np.int32), np.empty((0, 6), np.int64), np.empty(0, np.int32),
                       np.empty(0, np.bool_), _NO_LIMIT, -1, 1, 1.0)
            except Exception as exc:
                raise CompiledPathsUnavailable(f"numba could not compile the shortest-path kernel: "
                                               f"{type(exc).__name__}: {exc}") from exc
            _compiled_kernel = kernel
        return _compiled_kernel


def _padded_edges(src, dst, w, n):
    """(n, width) arrays of each node's out-edges (targets, -1 pad; costs, 0 pad) from an edge list."""
    order = np.argsort(src, kind="stable")
    counts = np.bincount(src, minlength=n)
    width = max(int(counts.max(initial=0)), 1)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    slot = np.arange(len(src)) - first[src[order]]
    nbr = np.full((n, width), -1, dtype=np.int32)
    cost = np.zeros((n, width), dtype=w.dtype)
    nbr[src[order], slot] = dst[order]
    cost[src[order], slot] = w[order]
    return nbr, cost


class MoveGraph:
    """A directed movement graph given as ``nbr[h, d]`` (neighbour across side d, -1 none) and
    ``cost[h, d]`` (cost of that move, inf = no edge), with least-cost searches over it, forward
    (from sources) or reverse (to targets).  Immutable; the searches' caches are bounded."""

    def __init__(self, nbr: np.ndarray, cost: np.ndarray, hops=None):
        """``hops(a, b)``, when given: at most the number of edges on any path between nodes ``a``
        and ``b`` (the hex distance); it only sizes the searches that stop at a node."""
        self.n = int(nbr.shape[0])
        self._hops = hops
        hs, ds = np.nonzero(np.isfinite(cost) & (nbr >= 0))
        #: the edge list, in (hex, side) order
        self.src = hs.astype(np.int32)
        self.dst = nbr[hs, ds].astype(np.int32)
        self.w = cost[hs, ds].astype(np.float64)
        self._no_blocks = np.zeros(self.n, dtype=bool)  # never written (writable: see field)

    # ------------------------------------------------------------------ searches
    def field(self, sources, blocked: np.ndarray | None = None, limit: float = np.inf,
              reverse: bool = False, until: int | None = None) -> np.ndarray:
        """Least cost from any of ``sources`` to every node (``reverse``: from every node to the
        nearest of them); inf = unreachable or dearer than ``limit``.  ``blocked`` nodes cannot be
        entered (``reverse``: left towards the targets); a source costs 0 even when blocked.

        With ``until`` (a node) the search may stop once that node is settled: nodes dearer than
        it are inf too (the field is exact wherever it is at most ``until``'s cost).
        """
        limit = float(limit)
        if _compiled and self._scale is not None:
            # writable C arrays of these dtypes: the one signature compiled (a read-only array would be another)
            sources = np.array(sources, dtype=np.int32, ndmin=1)
            nbr, cost = self._reverse_arrays if reverse else self._forward_arrays
            mask = self._no_blocks if blocked is None else np.require(blocked, dtype=bool, requirements=("C", "W"))
            top = limit * self._scale  # exact: the scale is a power of two
            ilimit = int(top) if top < _NO_LIMIT else _NO_LIMIT
            stop_at = -1 if until is None else int(until)
            return _compiled_kernel(nbr, cost, sources, mask, ilimit, stop_at, self._buckets, 1.0 / self._scale)
        return self._scipy_field(np.atleast_1d(np.asarray(sources, dtype=np.int32)), blocked, limit, reverse, until)

    def within(self, sources, blocked: np.ndarray, limit: float, targets, limits) -> np.ndarray:
        """Whether the least cost from ``sources`` to each of ``targets``, ``blocked`` nodes not
        entered, is at most its entry of ``limits`` (each at most ``limit``, finite): the same
        booleans as ``field(sources, blocked, limit)[targets] <= limits``.  With scipy they come
        from a kept field with the same blocked nodes in range, else from the open graph when
        it settles them (:mod:`engine.map.open_paths`), else from a search (kept)."""
        targets = np.asarray(targets, dtype=np.intp)
        limits = np.asarray(limits, dtype=np.float64)
        limit = float(limit)
        if not math.isfinite(limit) or (len(limits) and limits.max() > limit):
            raise ValueError(f"within: every limit must be at most the search's finite limit {limit}")
        if _compiled and self._scale is not None:
            return self.field(sources, blocked=blocked, limit=limit)[targets] <= limits
        key = (tuple(map(int, sources)), limit, False)
        nodes, local_sources, sub, local_index, tree = self._limited_graph(*key)
        local = local_index[targets]  # -1: outside the cut-down graph, dearer than limit even unblocked
        local_blocked = blocked[nodes]
        blocked_nodes = np.flatnonzero(local_blocked)
        fkey = key + (blocked_nodes.tobytes(),)
        near = self._limited_fields.get(fkey)
        if near is None:
            got = tree.settle(blocked_nodes, local, limits)
            if got is not None:
                return got
            near = self._limited_search(fkey, tree, sub, local_sources, local_blocked)
        else:
            self._limited_fields.move_to_end(fkey)
        got = near[local] <= limits
        got[local < 0] = False
        return got

    def cheapest_path(self, a: int, b: int) -> tuple[int, ...]:
        """Nodes after ``a`` up to ``b`` along a cheapest path (() if a == b or none), as scipy
        breaks ties."""
        from .csgraph import dijkstra

        if a == b:
            return ()
        _, pred = dijkstra(self.forward_matrix, directed=True, indices=int(a), return_predecessors=True)
        if pred[b] < 0:
            return ()
        out = [int(b)]
        while pred[out[-1]] != a:
            out.append(int(pred[out[-1]]))
        return tuple(reversed(out))

    # ------------------------------------------------------------ compiled arrays
    @cached_property
    def _scale(self) -> int | None:
        """The least power of two up to 64 making every edge cost a (non-negative) integer; None
        when there is none: such a graph is searched by scipy even with the kernels on."""
        for scale in (1, 2, 4, 8, 16, 32, 64):
            w = self.w * scale
            if np.all(w == np.round(w)) and np.all(w >= 0) and w.max(initial=0) < 2 ** 31:
                return scale
        return None

    @cached_property
    def _buckets(self) -> int:
        return int(self.w.max(initial=0) * self._scale) + 1

    @cached_property
    def _forward_arrays(self):
        return _padded_edges(self.src, self.dst, (self.w * self._scale).astype(np.int64), self.n)

    @cached_property
    def _reverse_arrays(self):
        return _padded_edges(self.dst, self.src, (self.w * self._scale).astype(np.int64), self.n)

    # ------------------------------------------------------------------- scipy
    @cached_property
    def forward_matrix(self):
        from .csgraph import sparse

        return sparse().csr_matrix((self.w, (self.src, self.dst)), shape=(self.n, self.n))

    @cached_property
    def reverse_matrix(self):
        from .csgraph import sparse

        return sparse().csr_matrix((self.w, (self.dst, self.src)), shape=(self.n, self.n))

    def _scipy_field(self, sources, blocked, limit, reverse, until=None):
        from .csgraph import dijkstra

        if math.isfinite(limit) and blocked is not None:
            out = self._scipy_limited_field(sources, blocked, limit, reverse)
        elif blocked is None:
            mat = self.reverse_matrix if reverse else self.forward_matrix
            if until is None:
                return dijkstra(mat, directed=True, indices=sources, min_only=True, limit=limit)
            out = self._scipy_search_until(mat, sources, limit, until, self._first_reach(sources, until))
        else:
            stopped = until is not None and limit == np.inf  # a detour: maybe answered by one searched before
            if stopped:
                blocked = np.asarray(blocked, dtype=bool)
                got = self._stopped_fields.answer(tuple(sources.tolist()), reverse, blocked, int(until))
                if got is not None:
                    return got
            with self._blockable(reverse).blocking(blocked) as mat:
                if until is None:
                    return dijkstra(mat, directed=True, indices=sources, min_only=True, limit=limit)
                out = self._scipy_search_until(mat, sources, limit, until, self._first_reach(sources, until))
            out[out > out[until]] = np.inf
            if stopped:
                self._stopped_fields.keep(tuple(sources.tolist()), reverse, blocked, int(until), out)
            return out
        if until is not None:
            out[out > out[until]] = np.inf
        return out

    def _scipy_search_until(self, mat, sources, limit, until, reach):
        """scipy cannot stop at a node: search within a cost limit doubled from ``reach`` until
        ``until`` is inside it (or ``limit`` is reached), so only a little more than the nodes up
        to ``until``'s cost is searched.  Exact up to that cost, whatever ``reach`` (> 0)."""
        from .csgraph import dijkstra

        while True:
            if reach >= limit or reach > self._longest_path:
                reach = limit
            out = dijkstra(mat, directed=True, indices=sources, min_only=True, limit=reach)
            if reach == limit or np.isfinite(out[until]):
                return out
            reach *= 2

    def _first_reach(self, sources, until: int) -> float:
        """The first cost limit of a search stopping at ``until``: a guess of its cost, since any
        positive limit gives the same field (:meth:`_scipy_search_until`); too low costs a second
        search, too high a search of more nodes than needed.  Without ``hops``
        ``UNTIL_FIRST_LIMIT``; with them (3 hops + 6) times the least edge cost, hops counted
        from the nearest source: the detour fields' costs are about 2.8 times their hex distance
        (median), and this guess took 70-74 ms of CPU instead of 104 ms for the 617 such
        searches of 20 no_air campaigns (seeds 100-119), in 649 scipy calls instead of 691."""
        least = self._least_edge
        if self._hops is None or not least > 0:
            return UNTIL_FIRST_LIMIT
        hops = min(self._hops(s, int(until)) for s in sources.tolist())
        return least * (UNTIL_FIRST_PER_HOP * hops + UNTIL_FIRST_SLACK)

    @cached_property
    def _least_edge(self) -> float:
        return float(self.w.min(initial=np.inf))

    @cached_property
    def _longest_path(self) -> float:
        """More than any path's cost (every node once along the dearest edges)."""
        return float(self.n * self.w.max(initial=0.0))

    def _scipy_limited_field(self, sources, blocked, limit, reverse):
        """The search run on the nodes within ``limit`` of the sources on the open graph
        (:meth:`_limited_graph`): blocking only removes edges, so every path of cost at most
        ``limit`` lies inside them and the field is the same.  Such fields are kept
        (``LIMITED_FIELDS``, least recently used first out) per sources, limit and the blocked
        nodes among those: the same blockade recurs (supply far from the front)."""
        key = (tuple(sources.tolist()), limit, reverse)
        nodes, local_sources, sub, _, tree = self._limited_graph(*key)
        local_blocked = blocked[nodes]
        key += (np.flatnonzero(local_blocked).tobytes(),)
        near = self._limited_fields.get(key)
        if near is None:
            near = self._limited_search(key, tree, sub, local_sources, local_blocked)
        else:
            self._limited_fields.move_to_end(key)
        out = np.full(self.n, np.inf)
        out[nodes] = near
        return out

    def _limited_search(self, key, tree: OpenTree, sub: "_Blockable", local_sources, local_blocked) -> np.ndarray:
        """The field of the cut-down graph (``tree``'s; ``sub``, blockable) with ``local_blocked``:
        searched only under the blocked nodes (:meth:`OpenTree.field`) when they hold at most
        ``DIRTY_RELAXED`` nodes, else the whole cut graph by scipy (the same floats); kept under ``key``."""
        near = tree.field(local_blocked, most=DIRTY_RELAXED)
        if near is None:
            from .csgraph import dijkstra

            with sub.blocking(local_blocked) as mat:
                near = dijkstra(mat, directed=True, indices=local_sources, min_only=True, limit=tree.limit)
        near.flags.writeable = False
        kept = self._limited_fields
        kept[key] = near
        while len(kept) > LIMITED_FIELDS:
            kept.popitem(last=False)
        return near

    #: derived search caches, left out when the graph is pickled (a blockable graph holds a lock)
    #: and rebuilt on demand after
    _SEARCH_CACHES = ("_limited_fields", "_limited_graphs", "_blockable_graphs", "_stopped_fields")

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in self._SEARCH_CACHES}

    @cached_property
    def _limited_fields(self) -> OrderedDict:
        return OrderedDict()

    @cached_property
    def _limited_graphs(self) -> OrderedDict:
        return OrderedDict()

    @cached_property
    def _blockable_graphs(self) -> dict:
        return {}

    @cached_property
    def _stopped_fields(self) -> StoppedFields:
        """Fields of searches stopped at a node, kept to answer the next such searches
        (:mod:`engine.map.stopped_fields`: exact, or no answer and a search)."""
        return StoppedFields(self.forward_matrix, self.reverse_matrix)

    def _blockable(self, reverse: bool) -> "_Blockable":
        """The whole graph (``reverse``: reversed) as a :class:`_Blockable` of its own, made once."""
        got = self._blockable_graphs.get(reverse)
        if got is None:
            whole = self.reverse_matrix if reverse else self.forward_matrix
            got = self._blockable_graphs[reverse] = _Blockable(whole.copy())
        return got

    def _limited_graph(self, sources: tuple[int, ...], limit: float, reverse: bool):
        """The graph cut down to the nodes within ``limit`` of ``sources`` on the open graph:
        (those nodes, the sources' places among them, the cut graph as a :class:`_Blockable`,
        each node's place among them (-1: none), the cut graph's :class:`OpenTree`).  Kept per
        (sources, limit, reverse), bounded."""
        from .csgraph import dijkstra

        cache = self._limited_graphs
        key = (sources, limit, reverse)
        got = cache.get(key)
        if got is not None:
            cache.move_to_end(key)
            return got
        full = self.reverse_matrix if reverse else self.forward_matrix
        reach = dijkstra(full, directed=True, indices=np.asarray(sources, dtype=np.int32), min_only=True, limit=limit)
        nodes = np.flatnonzero(np.isfinite(reach))
        local = np.full(self.n, -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        local_sources = local[list(sources)].astype(np.int32)
        cut = _sorted(full[nodes][:, nodes])
        got = (nodes, local_sources, _Blockable(cut.copy()), local, OpenTree(cut, local_sources, limit))
        cache[key] = got
        while len(cache) > LIMITED_GRAPHS:
            cache.popitem(last=False)
        return got


class _Blockable:
    """A CSR graph of its own whose edges into chosen nodes can be made infinitely dear for one
    search (:meth:`blocking`), instead of copying the weights and building a matrix per search.

    The weights are borrowed under a lock and exactly those changed are put back after the
    search, so the matrix handed to scipy holds, bit for bit, the weights a fresh copy with
    those edges at inf would, and is the open graph again between searches."""

    def __init__(self, mat):
        self.mat = mat  # its own: the callers hand over a matrix nothing else holds
        self.weights = self.mat.data.copy()
        self.into = _edges_into(self.mat)
        self.lock = threading.Lock()

    def blocking(self, blocked: np.ndarray) -> "_Blocking":
        """``with graph.blocking(mask) as mat``: ``mat`` is the graph with every edge into a
        ``blocked`` node at inf until the block ends."""
        pos = self.into[blocked].ravel()
        return _Blocking(self, pos[pos >= 0])


class _Blocking:
    """The context of :meth:`_Blockable.blocking` (a class, not a generator: it runs per search)."""

    __slots__ = ("graph", "pos")

    def __init__(self, graph: _Blockable, pos: np.ndarray):
        self.graph, self.pos = graph, pos

    def __enter__(self):
        g = self.graph
        g.lock.acquire()
        g.mat.data[self.pos] = np.inf
        return g.mat

    def __exit__(self, *exc) -> None:
        g = self.graph
        g.mat.data[self.pos] = g.weights[self.pos]
        g.lock.release()


def _sorted(mat):
    """``mat`` as CSR with each row's columns in order."""
    mat = mat.tocsr()
    mat.sort_indices()
    return mat


def _edges_into(mat) -> np.ndarray:
    """(n, in-degree) positions in a CSR matrix's data of the edges entering each node (-1 pad),
    each node's in ``mat``'s data order (read from the transpose of a matrix holding each edge's
    position, which scipy makes in compiled code, instead of sorting the edges by head)."""
    from .csgraph import sparse

    n = mat.shape[0]
    pos = sparse().csr_matrix((np.arange(len(mat.indices), dtype=np.int64), mat.indices, mat.indptr),
                              shape=mat.shape).tocsc()
    counts = np.diff(pos.indptr)
    heads = np.repeat(np.arange(n, dtype=np.int64), counts)
    slot = np.arange(len(heads)) - pos.indptr[heads]
    out = np.full((n, max(int(counts.max(initial=0)), 1)), -1, dtype=np.int64)
    out[heads, slot] = pos.data
    return out
