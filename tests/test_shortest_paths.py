"""Least-cost searches (engine/map/shortest_paths.py): the compiled kernels give scipy's fields bit for bit."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.map import shortest_paths as sp
from engine.map.shortest_paths import MoveGraph

from .conftest import load_game

GAME = load_game()
MAP = GAME.move_graph
LIMITS = st.one_of(st.sampled_from([np.inf, 0.0, 0.5, 8.0, 20.0, 24.0, 45.5]), st.floats(0.0, 80.0))


def both_ways(graph: MoveGraph, sources, blocked, limit, reverse):
    """(compiled field, scipy field) of the same search; the process's mode is put back."""
    was = sp.compiled()
    try:
        sp.use_compiled(True)
        fast = graph.field(sources, blocked=blocked, limit=limit, reverse=reverse)
        sp.use_compiled(False)
        ref = graph.field(sources, blocked=blocked, limit=limit, reverse=reverse)
    finally:
        sp.use_compiled(was)
    return fast, ref


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, GAME.n_hex - 1), min_size=1, max_size=4), st.integers(0, 2**32 - 1),
       st.one_of(st.none(), st.floats(0.0, 0.7)), LIMITS, st.booleans())
def test_compiled_fields_on_the_map_equal_scipys(sources, seed, share, limit, reverse):
    blocked = None if share is None else np.random.default_rng(seed).random(GAME.n_hex) < share
    fast, ref = both_ways(MAP, sources, blocked, limit, reverse)
    assert fast.dtype == ref.dtype == np.float64
    assert np.array_equal(fast, ref)


@st.composite
def small_graphs(draw):
    """(nbr, cost) of a random directed graph: up to 4 distinct out-neighbours a node, costs in 64ths."""
    n = draw(st.integers(1, 25))
    width = draw(st.integers(1, 4))
    nbr = np.full((n, width), -1, dtype=np.int64)
    cost = np.full((n, width), np.inf)
    for u in range(n):
        targets = draw(st.lists(st.integers(0, n - 1), max_size=width, unique=True))
        for j, v in enumerate(targets):
            nbr[u, j] = v
            cost[u, j] = draw(st.one_of(st.integers(1, 640).map(lambda c: c / 64), st.just(np.inf)))
    return nbr, cost


@settings(max_examples=150, deadline=None)
@given(small_graphs(), st.data(), LIMITS, st.booleans())
def test_compiled_fields_on_small_random_graphs_equal_scipys(graph, data, limit, reverse):
    nbr, cost = graph
    n = len(nbr)
    sources = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3))
    blocked = data.draw(st.one_of(st.none(), st.lists(st.booleans(), min_size=n, max_size=n).map(np.array)))
    fast, ref = both_ways(MoveGraph(nbr, cost), sources, blocked, limit, reverse)
    assert np.array_equal(fast, ref)


def test_a_source_costs_nothing_even_when_blocked():
    h = GAME.place_hex["shaoyang"]
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    blocked[h] = True
    fast, ref = both_ways(MAP, [h], blocked, np.inf, False)
    assert fast[h] == ref[h] == 0.0


def test_a_graph_whose_costs_are_not_in_64ths_is_searched_by_scipy_with_the_kernels_on():
    nbr = np.array([[1], [2], [-1]])
    g = MoveGraph(nbr, np.array([[0.1], [0.2], [np.inf]]))
    assert g._scale is None
    fast, ref = both_ways(g, [0], None, np.inf, False)
    assert np.array_equal(fast, ref) and np.array_equal(ref, [0.0, 0.1, 0.1 + 0.2])


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, GAME.n_hex - 1), min_size=1, max_size=3),
       st.integers(0, 2**32 - 1), st.floats(0.0, 0.6), st.sampled_from([0.5, 8.0, 20.0, 24.0, 45.5]))
def test_scipys_range_limited_field_is_the_same_searched_near_its_sources_as_over_the_whole_map(sources, seed,
                                                                                                 share, limit):
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    blocked = np.random.default_rng(seed).random(GAME.n_hex) < share
    blocked[sources] = False
    open_ = ~blocked[MAP.dst]  # the whole map without the edges into blocked hexes
    whole = dijkstra(csr_matrix((MAP.w[open_], (MAP.src[open_], MAP.dst[open_])), shape=(MAP.n, MAP.n)),
                     directed=True, indices=np.asarray(sources, dtype=np.int32), min_only=True, limit=limit)
    src = np.asarray(sources, dtype=np.int32)
    assert np.array_equal(MAP._scipy_limited_field(src, blocked, limit, False), whole)
    assert np.array_equal(MAP._scipy_limited_field(src, blocked, limit, False), whole)  # the graph is put back


def test_asking_for_the_kernels_without_numba_raises_and_keeps_scipy(monkeypatch):
    monkeypatch.setattr(sp, "_compiled", False)
    monkeypatch.setattr(sp, "_compiled_kernel", None)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    with pytest.raises(sp.CompiledPathsUnavailable, match="numba"):
        sp.use_compiled(True)
    assert not sp.compiled()


def test_importing_the_module_loads_neither_scipy_sparse_nor_numba():
    code = ("import sys, engine.map.shortest_paths; "
            "print(sorted(m for m in sys.modules if m.startswith(('scipy.sparse', 'numba'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@settings(max_examples=80, deadline=None)
@given(st.integers(0, GAME.n_hex - 1), st.integers(0, GAME.n_hex - 1), st.integers(0, 2**32 - 1),
       st.one_of(st.none(), st.floats(0.0, 0.5)), LIMITS, st.booleans())
def test_a_field_searched_until_a_hex_is_the_whole_field_up_to_that_hexs_cost(source, until, seed, share, limit,
                                                                              reverse):
    blocked = None if share is None else np.random.default_rng(seed).random(GAME.n_hex) < share
    was = sp.compiled()
    try:
        for on in (True, False):
            sp.use_compiled(on)
            whole = MAP.field([source], blocked=blocked, limit=limit, reverse=reverse)
            got = MAP.field([source], blocked=blocked, limit=limit, reverse=reverse, until=until)
            assert np.array_equal(got, np.where(whole <= whole[until], whole, np.inf))
    finally:
        sp.use_compiled(was)


@pytest.mark.parametrize("asked", [False, True])
def test_a_batch_searches_with_the_kernels_only_when_asked(asked):
    from engine.analysis.sim import run_batch

    was = sp.compiled()
    seen = []
    run_batch("west_hunan_1945", runs=1, jobs=1, with_turns=False, plots=False, compiled_paths=asked,
              on_result=lambda row: seen.append(sp.compiled()))
    assert seen == [asked]
    assert sp.compiled() == was  # the process's mode is put back


def test_compiled_paths_without_numba_is_a_clear_command_line_error(monkeypatch, capsys):
    import importlib.util

    from game.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "numba" else real(name, *a))
    assert main(["sim", "--runs", "1", "--no-plots", "--compiled-paths", "--out", "/nonexistent/never-made"]) == 2
    err = capsys.readouterr().err
    assert "xuefeng sim:" in err and "numba" in err and "Traceback" not in err


def test_a_graph_that_has_searched_within_a_range_pickles_and_searches_the_same_after():
    import pickle

    graph = MoveGraph(GAME.map.nbr, GAME.enter_cost)
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    blocked[::7] = True
    src = np.array([100], dtype=np.int32)
    before = graph._scipy_limited_field(src, blocked, 20.0, False)
    copy = pickle.loads(pickle.dumps(graph))
    assert np.array_equal(copy._scipy_limited_field(src, blocked, 20.0, False), before)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, GAME.n_hex - 1), min_size=1, max_size=3), st.integers(0, 2**32 - 1),
       st.floats(0.0, 0.6), st.booleans())
def test_scipys_blocked_field_over_the_whole_map_is_the_map_without_the_edges_into_blocked_hexes(sources, seed,
                                                                                                 share, reverse):
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    blocked = np.random.default_rng(seed).random(GAME.n_hex) < share
    blocked[sources] = False
    tail, head = (MAP.dst, MAP.src) if reverse else (MAP.src, MAP.dst)
    open_ = ~blocked[head]
    whole = dijkstra(csr_matrix((MAP.w[open_], (tail[open_], head[open_])), shape=(MAP.n, MAP.n)), directed=True,
                     indices=np.asarray(sources, dtype=np.int32), min_only=True)
    src = np.asarray(sources, dtype=np.int32)
    assert np.array_equal(MAP._scipy_field(src, blocked, np.inf, reverse), whole)
    unblocked = dijkstra(MAP.reverse_matrix if reverse else MAP.forward_matrix, directed=True, indices=src,
                         min_only=True)
    assert np.array_equal(MAP._scipy_field(src, None, np.inf, reverse), unblocked)
    assert np.array_equal(MAP._scipy_field(src, np.zeros(MAP.n, dtype=bool), np.inf, reverse), unblocked)  # put back


@settings(max_examples=40, deadline=None)
@given(st.integers(0, GAME.n_hex - 1), st.integers(0, GAME.n_hex - 1), st.integers(0, 2**32 - 1),
       st.floats(0.0, 0.5), st.one_of(st.floats(0.01, 200.0), st.sampled_from([0.5, 1.0, 6.0, 32.0])))
def test_a_search_stopping_at_a_hex_gives_the_same_field_whatever_cost_limit_it_starts_from(source, until, seed,
                                                                                              share, first):
    blocked = np.random.default_rng(seed).random(GAME.n_hex) < share
    src = np.array([source], dtype=np.int32)
    with MAP._blockable(False).blocking(blocked) as mat:
        got = MAP._scipy_search_until(mat, src, np.inf, until, first)
    whole = MAP.field(src, blocked=blocked)
    upto = whole[until]
    assert np.array_equal(np.where(got <= upto, got, np.inf), np.where(whole <= upto, whole, np.inf))


def test_the_first_cost_limit_of_a_search_stopping_at_a_hex_grows_with_its_hex_distance():
    a = GAME.place_hex["shaoyang"]
    near, far = (MAP._first_reach(np.array([a]), h) for h in (a, GAME.airfield_hex))
    assert near == sp.UNTIL_FIRST_SLACK * MAP._least_edge
    assert far == MAP._least_edge * (sp.UNTIL_FIRST_PER_HOP * GAME.map.grid.distance(a, GAME.airfield_hex)
                                     + sp.UNTIL_FIRST_SLACK)
    assert MoveGraph(GAME.map.nbr, GAME.enter_cost)._first_reach(np.array([a]), GAME.airfield_hex) == sp.UNTIL_FIRST_LIMIT


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_a_blockable_graph_knows_the_position_of_every_edge_into_each_node(n, density, seed):
    from scipy.sparse import random as sparse_random

    from engine.map.shortest_paths import _edges_into

    mat = sparse_random(n, n, density=density, format="csr", random_state=seed)
    into = _edges_into(mat)
    for x in range(n):
        assert into[x][into[x] >= 0].tolist() == np.flatnonzero(mat.indices == x).tolist()
