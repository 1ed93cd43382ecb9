"""Range-limited questions answered from the open graph (engine/map/open_paths.py): an answer is
what the blocked search says, or there is no answer and a search."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.map.shortest_paths import MoveGraph

from .conftest import load_game

GAME = load_game()
DEPOTS = [GAME.place_hex[k] for k in GAME.scenario.sides["china"].supply_sources]


def fresh_graph() -> MoveGraph:
    return MoveGraph(GAME.map.nbr, GAME.enter_cost, hops=GAME.map.grid.distance)


def searched(graph: MoveGraph, sources, blocked, limit, targets, limits) -> np.ndarray:
    """The answer read off a search of the whole map without the edges into blocked hexes."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    open_ = ~blocked[graph.dst] | np.isin(graph.dst, sources)  # (a source costs 0 even when blocked)
    field = dijkstra(csr_matrix((graph.w[open_], (graph.src[open_], graph.dst[open_])), shape=(graph.n, graph.n)),
                     directed=True, indices=np.asarray(sources, dtype=np.int32), min_only=True, limit=limit)
    return field[np.asarray(targets)] <= np.asarray(limits)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.4), st.sampled_from([8.0, 20.0, 24.0]),
       st.lists(st.tuples(st.integers(0, GAME.n_hex - 1), st.floats(0.0, 1.0)), min_size=1, max_size=30))
def test_every_answer_is_the_blocked_searchs(seed, share, limit, asked):
    graph = fresh_graph()
    rng = np.random.default_rng(seed)
    for _ in range(3):  # a run of questions, as the turns ask them
        blocked = rng.random(GAME.n_hex) < share * rng.random()
        blocked[DEPOTS] = False
        targets = [h for h, _ in asked]
        limits = [limit * f for _, f in asked]
        got = graph.within(DEPOTS, blocked, limit, targets, limits)
        assert np.array_equal(got, searched(graph, DEPOTS, blocked, limit, targets, limits))


def near_and_far():
    """A hex some steps from the first depot, and a far hex (each within the range unblocked)."""
    dist = GAME.map.grid.distances_from(DEPOTS[0])
    return int(np.flatnonzero(dist == 3)[0]), int(np.flatnonzero(dist == 12)[0])


def count_searches(graph: MoveGraph) -> list:
    searches = []
    search = graph._limited_search
    graph._limited_search = lambda *a: searches.append(1) or search(*a)
    return searches


def test_a_blockade_off_the_open_paths_is_answered_without_a_search():
    graph = fresh_graph()
    near, _ = near_and_far()
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    blocked[int(np.argmax(GAME.map.grid.distances_from(DEPOTS[0])))] = True  # far off, beyond the range
    searches = count_searches(graph)
    assert graph.within(DEPOTS, blocked, 24.0, [near], [24.0]).tolist() == [True]
    assert searches == []


def test_a_hex_ringed_by_blocked_hexes_makes_a_search_and_is_out_of_reach():
    graph = fresh_graph()
    nodes, _, _, _, tree = graph._limited_graph(tuple(DEPOTS), 24.0, False)
    far = int(nodes[np.flatnonzero((tree.cost > 12.0) & (tree.cost <= 24.0))[0]])  # well inside the range
    ring = [int(n) for n in GAME.map.nbr[far] if n >= 0]
    assert far not in DEPOTS and not set(ring) & set(DEPOTS)
    assert graph.within(DEPOTS, np.zeros(GAME.n_hex, dtype=bool), 24.0, [far], [24.0]).tolist() == [True]
    blocked = np.zeros(GAME.n_hex, dtype=bool)
    blocked[ring] = True  # its open path enters one of them
    searches = count_searches(graph)
    assert graph.within(DEPOTS, blocked, 24.0, [far], [24.0]).tolist() == [False]
    assert searches == [1]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.5), st.sampled_from([0.5, 8.0, 20.0, 24.0]),
       st.booleans())
def test_a_blocked_field_searched_under_the_blocked_hexes_only_is_the_whole_search_bit_for_bit(seed, share, limit,
                                                                                                block_a_depot):
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    graph = fresh_graph()
    nodes, _, _, _, tree = graph._limited_graph(tuple(DEPOTS), limit, False)
    blocked = np.random.default_rng(seed).random(GAME.n_hex) < share
    blocked[DEPOTS[1:]] = False
    blocked[DEPOTS[0]] = block_a_depot  # a source costs 0 even when blocked
    open_ = ~blocked[graph.dst] | np.isin(graph.dst, DEPOTS)
    whole = dijkstra(csr_matrix((graph.w[open_], (graph.src[open_], graph.dst[open_])), shape=(graph.n, graph.n)),
                     directed=True, indices=np.asarray(DEPOTS, dtype=np.int32), min_only=True, limit=limit)
    assert np.all(np.isinf(np.delete(whole, nodes)))  # nothing beyond the cut-down graph
    assert np.array_equal(tree.field(blocked[nodes]), whole[nodes])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)), max_size=60))
def test_the_nodes_below_a_node_hold_its_run_of_preorder_positions(draws):
    from engine.map.open_paths import _preorder_runs

    n = len(draws)  # node i's parent is an earlier node, or none (a root, or unreached: scipy's -9999)
    pred = np.array([min(int(p * i), i - 1) if i and attach < 0.85 else -9999 for i, (attach, p) in enumerate(draws)],
                    dtype=np.int32)
    first, after = _preorder_runs(pred)
    assert sorted(first.tolist()) == list(range(n))
    for v in range(n):
        below = set()
        for u in range(n):
            w = u
            while w >= 0 and w != v:
                w = pred[w]
            if w == v:
                below.add(u)
        assert below == {u for u in range(n) if first[v] <= first[u] < after[v]}
