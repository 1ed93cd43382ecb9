"""Searches stopped at a node answered from an earlier one (engine/map/stopped_fields.py): an
answer is the field a fresh search gives, or there is no answer and a search."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.map.shortest_paths import MoveGraph

from .conftest import load_game

GAME = load_game()


def fresh(graph: MoveGraph, source: int, blocked, until: int, reverse: bool) -> np.ndarray:
    """The stopped field searched afresh (no kept field asked)."""
    src = np.array([source], dtype=np.int32)
    with graph._blockable(reverse).blocking(blocked) as mat:
        out = graph._scipy_search_until(mat, src, np.inf, until, graph._first_reach(src, until))
    out[out > out[until]] = np.inf
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(0, GAME.n_hex - 1), st.integers(0, 2**32 - 1), st.floats(0.0, 0.3), st.booleans())
def test_a_run_of_stopped_searches_gives_the_fields_fresh_searches_give(source, seed, share, reverse):
    graph = MoveGraph(GAME.map.nbr, GAME.enter_cost, hops=GAME.map.grid.distance)  # caches of its own
    rng = np.random.default_rng(seed)
    zone = rng.random(GAME.n_hex) < share  # the enemy's zones of control, the same for the whole run
    zone[source] = False
    near = np.flatnonzero(GAME.map.grid.distances_from(source) <= 12)
    for until in rng.choice(near, size=8).tolist():  # one unit after another, each leaving its hex
        blocked = zone.copy()
        blocked[until] = False
        got = graph.field([source], blocked=blocked, until=until, reverse=reverse)
        assert np.array_equal(got, fresh(graph, source, blocked, until, reverse))


def test_a_unit_nearer_than_one_searched_for_is_answered_without_a_search():
    graph = MoveGraph(GAME.map.nbr, GAME.enter_cost, hops=GAME.map.grid.distance)
    source = GAME.place_hex["zhijiang"]
    dist = GAME.map.grid.distances_from(source)
    far, near = int(np.flatnonzero(dist == 10)[0]), int(np.flatnonzero(dist == 3)[0])
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    graph.field([source], blocked=blocked, until=far)
    searches = []
    search = graph._scipy_search_until
    graph._scipy_search_until = lambda *a: searches.append(1) or search(*a)
    got = graph.field([source], blocked=blocked, until=near)
    assert searches == []
    assert np.array_equal(got, fresh(graph, source, blocked, near, False))


def test_a_hex_blocked_now_on_the_way_makes_a_new_search():
    graph = MoveGraph(GAME.map.nbr, GAME.enter_cost, hops=GAME.map.grid.distance)
    source = GAME.place_hex["zhijiang"]
    dist = GAME.map.grid.distances_from(source)
    far = int(np.flatnonzero(dist == 10)[0])
    graph.field([source], blocked=np.zeros(GAME.n_hex, dtype=bool), until=far)
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    blocked[GAME.map.nbr[source][GAME.map.nbr[source] >= 0]] = True  # every way out but through a blocked hex
    searches = []
    search = graph._scipy_search_until
    graph._scipy_search_until = lambda *a: searches.append(1) or search(*a)
    got = graph.field([source], blocked=blocked, until=int(np.flatnonzero(dist == 3)[0]))
    assert searches == [1]
    assert np.array_equal(got, fresh(graph, source, blocked, int(np.flatnonzero(dist == 3)[0]), False))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_the_edges_into_a_node_are_every_edge_the_matrix_holds_towards_it(n, density, seed):
    from scipy.sparse import random as sparse_random

    from engine.map.stopped_fields import edges_into

    mat = sparse_random(n, n, density=density, format="csr", random_state=seed)
    tails, costs = edges_into(mat)
    coo = mat.tocoo()
    for x in range(n):
        want = sorted((int(u), float(w)) for u, v, w in zip(coo.row, coo.col, coo.data) if v == x)
        got = [(int(u), float(w)) for u, w in zip(tails[x], costs[x]) if u != n]
        assert got == want
        assert all(np.isinf(costs[x][tails[x] == n]))
