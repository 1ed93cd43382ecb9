"""Patching a range-limited field after a few nodes' blocking changed (engine/map/field_patch.py):
a patch is the field a fresh search gives, or no patch at all."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from engine.map.field_patch import PATCH_MAX_CHANGED, Patcher
from engine.map.shortest_paths import MoveGraph

from .conftest import load_game

GAME = load_game()


def search(mat, sources, blocked, limit):
    """The field of a fresh scipy search, never entering a blocked node (a source costs 0)."""
    w = mat.data.copy()
    into_blocked = blocked[mat.indices] & ~np.isin(mat.indices, sources)
    w[into_blocked] = np.inf
    open_ = csr_matrix((w, mat.indices, mat.indptr), shape=mat.shape)
    return dijkstra(open_, directed=True, indices=np.asarray(sources, dtype=np.int32), min_only=True, limit=limit)


def patcher_of(mat) -> Patcher:
    return Patcher(mat.indptr, mat.indices, mat.data)


def source_mask(n, sources):
    mask = np.zeros(n, dtype=bool)
    mask[sources] = True
    return mask


def chain(n: int):
    """0 -> 1 -> ... -> n-1, each step costing 1."""
    return csr_matrix((np.ones(n - 1), (np.arange(n - 1), np.arange(1, n))), shape=(n, n))


@st.composite
def small_graphs(draw):
    """A random directed graph (CSR): up to 4 out-edges a node, costs positive multiples of 1/64."""
    n = draw(st.integers(2, 25))
    src, dst, w = [], [], []
    for u in range(n):
        for v in draw(st.lists(st.integers(0, n - 1), max_size=4, unique=True)):
            if v != u:
                src.append(u)
                dst.append(v)
                w.append(draw(st.integers(1, 640)) / 64)
    mat = csr_matrix((np.array(w, dtype=float), (np.array(src, dtype=int), np.array(dst, dtype=int))), shape=(n, n))
    mat.sort_indices()
    return mat


@settings(max_examples=300, deadline=None)
@given(small_graphs(), st.data(), st.sampled_from([0.5, 2.0, 5.0, 9.75, 40.0]))
def test_a_patched_field_is_the_field_a_fresh_search_gives(mat, data, limit):
    n = mat.shape[0]
    sources = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
    old_blocked = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    flips = data.draw(st.lists(st.integers(0, n - 1), max_size=PATCH_MAX_CHANGED, unique=True))
    blocked = old_blocked.copy()
    blocked[flips] ^= True
    old = search(mat, sources, old_blocked, limit)
    got = patcher_of(mat).patch(old, old_blocked, blocked, source_mask(n, sources), limit)
    if got is not None:
        assert np.array_equal(got, search(mat, sources, blocked, limit))


def test_blocking_a_node_out_of_reach_patches_the_field_unchanged():
    mat = chain(5)
    old_blocked = np.zeros(5, dtype=bool)
    blocked = old_blocked.copy()
    blocked[4] = True
    old = search(mat, [0], old_blocked, 2.0)
    got = patcher_of(mat).patch(old, old_blocked, blocked, source_mask(5, [0]), 2.0)
    assert np.array_equal(got, old)


def test_blocking_the_last_node_of_a_path_patches_only_its_cost():
    mat = chain(4)
    old_blocked = np.zeros(4, dtype=bool)
    blocked = old_blocked.copy()
    blocked[3] = True
    got = patcher_of(mat).patch(search(mat, [0], old_blocked, 10.0), old_blocked, blocked, source_mask(4, [0]), 10.0)
    assert got.tolist() == [0.0, 1.0, 2.0, np.inf]


def test_opening_a_dead_end_patches_its_cost_from_its_neighbour():
    mat = chain(4)
    old_blocked = np.array([False, False, False, True])
    blocked = np.zeros(4, dtype=bool)
    got = patcher_of(mat).patch(search(mat, [0], old_blocked, 10.0), old_blocked, blocked, source_mask(4, [0]), 10.0)
    assert got.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_blocking_a_node_on_the_only_cheapest_path_is_not_patched():
    mat = chain(4)
    old_blocked = np.zeros(4, dtype=bool)
    blocked = old_blocked.copy()
    blocked[1] = True
    assert patcher_of(mat).patch(search(mat, [0], old_blocked, 10.0), old_blocked, blocked,
                                 source_mask(4, [0]), 10.0) is None


def test_more_changed_nodes_than_the_bound_are_not_patched():
    n = PATCH_MAX_CHANGED + 3
    mat = chain(n)
    old_blocked = np.zeros(n, dtype=bool)
    blocked = old_blocked.copy()
    blocked[2:] = True  # all beyond reach: a patch would hold, but there are too many
    assert patcher_of(mat).patch(search(mat, [0], old_blocked, 0.5), old_blocked, blocked,
                                 source_mask(n, [0]), 0.5) is None


def test_an_unlimited_field_is_never_patched():
    mat = chain(3)
    blocked = np.zeros(3, dtype=bool)
    assert patcher_of(mat).patch(search(mat, [0], blocked, np.inf), blocked, blocked,
                                 source_mask(3, [0]), np.inf) is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, GAME.n_hex - 1), min_size=1, max_size=3, unique=True), st.integers(0, 2**32 - 1),
       st.sampled_from([8.0, 20.0, 24.0]), st.booleans())
def test_a_range_limited_field_on_the_map_equals_a_fresh_search_turn_after_turn(sources, seed, limit, reverse):
    graph = MoveGraph(GAME.map.nbr, GAME.enter_cost)  # its own caches: every field is patched or searched here
    rng = np.random.default_rng(seed)
    blocked = rng.random(GAME.n_hex) < 0.05
    src = np.asarray(sources, dtype=np.int32)
    mat = graph.reverse_matrix if reverse else graph.forward_matrix
    for _ in range(8):  # a blockade that shifts a few hexes a turn, near the sources
        near = np.flatnonzero(np.isfinite(search(mat, sources, np.zeros(GAME.n_hex, dtype=bool), limit)))
        blocked[rng.choice(near, size=rng.integers(0, 6))] ^= True
        assert np.array_equal(graph._scipy_limited_field(src, blocked, limit, reverse),
                              search(mat, sources, blocked, limit))


def test_blocking_the_dearest_hex_in_range_on_the_map_is_patched_not_searched():
    graph = MoveGraph(GAME.map.nbr, GAME.enter_cost)
    h = GAME.place_hex["shaoyang"]
    src = np.array([h], dtype=np.int32)
    open_field = graph._scipy_limited_field(src, np.zeros(GAME.n_hex, dtype=bool), 20.0, False)
    patches = []
    patcher = graph._limited_graph((h,), 20.0, False).patcher
    patch = patcher.patch
    patcher.patch = lambda *a: patches.append(patch(*a)) or patches[-1]
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    blocked[np.argmax(np.where(np.isfinite(open_field), open_field, -1))] = True  # nothing lies beyond it
    got = graph._scipy_limited_field(src, blocked, 20.0, False)
    assert len(patches) == 1 and patches[0] is not None
    assert np.array_equal(got, np.where(blocked, np.inf, open_field))
