"""Cost fields (engine/core/game.py) agree with networkx's Dijkstra on the movement graph."""
from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import load_game

GAME = load_game()


def movement_graph() -> nx.DiGraph:
    """networkx graph of every hex side the game's cost fields use."""
    mg = GAME.move_graph
    src, dst, w = mg.src, mg.dst, mg.w
    g = nx.DiGraph()
    g.add_nodes_from(range(GAME.n_hex))
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
    return g


GRAPH = movement_graph()


def networkx_field(sources, blocked, limit=np.inf):
    g = GRAPH
    if blocked is not None:
        g = g.subgraph([h for h in range(GAME.n_hex) if not blocked[h] or h in sources])
    dist = nx.multi_source_dijkstra_path_length(g, set(sources), cutoff=None if np.isinf(limit) else limit)
    out = np.full(GAME.n_hex, np.inf)
    for h, d in dist.items():
        out[h] = d
    return out


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, GAME.n_hex - 1), min_size=1, max_size=3),
       st.integers(0, 2**32 - 1), st.floats(0.0, 0.6), st.sampled_from([np.inf, 12.0, 30.0]))
def test_a_blocked_cost_field_is_the_shortest_path_around_the_blocked_hexes(sources, seed, share, limit):
    blocked = np.random.default_rng(seed).random(GAME.n_hex) < share
    blocked[sources] = False
    got = GAME.cost_field(sources, blocked=blocked, limit=limit)
    assert np.allclose(got, networkx_field(sources, blocked, limit), equal_nan=False)


def test_an_unblocked_cost_field_is_the_plain_shortest_path():
    src = [GAME.place_hex["shaoyang"]]
    assert np.allclose(GAME.cost_field(src), networkx_field(src, None))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, GAME.n_hex - 1), min_size=2, max_size=30, unique=True), st.integers(0, 30))
def test_a_field_to_many_targets_is_the_same_whichever_way_it_is_made(targets, warm):
    # warm some one-target fields: with few missing the set is the minimum of one-target fields,
    # with more than FIELD_SET_NEW_SINGLES missing one many-source search
    for h in targets[:warm]:
        GAME.field_to([h])
    direct = GAME._reverse_field(sorted(set(targets)))
    assert np.array_equal(GAME.field_to(targets), direct)


def test_a_set_of_targets_is_one_search_when_many_are_new_and_single_fields_when_few_are(monkeypatch):
    from collections import OrderedDict

    from engine.core import game as G

    monkeypatch.setitem(GAME.__dict__, "_field_caches", (OrderedDict(), OrderedDict()))
    searched = []
    real = G.Game._reverse_field
    monkeypatch.setattr(G.Game, "_reverse_field", lambda self, t: searched.append(len(t)) or real(self, t))
    many = list(range(101, 3900, 190))  # 20 targets, none asked for before
    assert np.array_equal(GAME.field_to(many), real(GAME, many))
    assert searched == [len(many)]  # one many-source search
    searched.clear()
    few = many[:G.FIELD_SET_NEW_SINGLES]
    assert np.array_equal(GAME.field_to(few), real(GAME, few))
    assert searched == [1] * len(few)  # each target's own field, kept for the next set


def test_field_caches_stay_bounded(monkeypatch):
    from engine.core import game as G

    g = G.Game.from_scenario(GAME.scenario)
    monkeypatch.setattr(G, "FIELD_CACHE_SINGLE", 5)
    monkeypatch.setattr(G, "FIELD_CACHE_SETS", 3)
    for h in range(40):
        g.field_to([h])
        g.field_to([h, h + 100, h + 200])
    singles, sets = g._field_caches
    assert len(singles) == 5 and len(sets) == 3


def test_cached_fields_are_read_only():
    f = GAME.field_to(["shaoyang"])
    assert not f.flags.writeable
