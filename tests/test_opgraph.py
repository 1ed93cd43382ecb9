"""The operational graph of places and roads: its facts, its queries, supply lines and the drawing."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.api import (Game, ScenarioError, axis_route, axis_routes, campaign_chokepoints, chokepoints_now,
                        supply_line)
from engine.map.opgraph import OperationalGraph
from tests.conftest import clear_board, put

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def og(game):
    return game.opgraph


def neighbours(game, a: int, b: int) -> bool:
    return b in set(int(n) for n in game.map.nbr[a])


# ------------------------------------------------------------------------------ graph facts
def test_every_place_on_the_map_is_a_node_with_its_hex(game, og):
    assert set(og.graph.nodes) == set(game.map.places)
    assert all(og.graph.nodes[k]["hex"] == p.hex for k, p in game.map.places.items())


def test_every_link_has_a_positive_cost_and_length_and_runs_hex_by_hex_between_its_places(game, og):
    for a, b, e in og.graph.edges(data=True):
        assert e["cost"] > 0 and e["km"] > 0
        path = og.edge_hexes(a, b)
        assert path[0] == game.place_hex[a] and path[-1] == game.place_hex[b]
        assert all(neighbours(game, u, v) for u, v in zip(path, path[1:]))


def test_road_links_run_only_along_road_hex_sides(game, og):
    roads = [(a, b) for a, b, e in og.graph.edges(data=True) if e["road"]]
    assert roads
    for a, b in roads:
        path = og.edge_hexes(a, b)
        for u, v in zip(path, path[1:]):
            d = list(game.map.nbr[u]).index(v)
            assert game.is_road[u, d]


def test_track_links_join_only_places_no_road_links_and_stay_within_the_track_cost(game, og):
    limit = game.scenario.operational_graph.track_max_cost
    tracks = [e for _, _, e in og.graph.edges(data=True) if not e["road"]]
    assert tracks
    assert all(e["cost"] <= limit and e["route"] is None for e in tracks)


def test_the_shao_yu_highway_links_its_towns_in_order(og):
    towns = ["shaoyang", "longhui_taohuaping", "dongkou", "jiangkou", "anjiang", "huaihua_yushuwan"]
    for a, b in zip(towns, towns[1:]):
        e = og.graph.edges[a, b]
        assert e["road"] and e["route"] == "shao_yu"


def test_shaoyang_and_zhijiang_are_connected(og):
    assert og.connected("shaoyang", "zhijiang")


def test_the_route_from_shaoyang_to_zhijiang_follows_the_shao_yu_highway_by_road(og):
    """History (shared/history): the centre came west along the Shao-Yu highway through
    Longhui, Dongkou and Anjiang, then on to Zhijiang."""
    r = og.route("shaoyang", "zhijiang")
    named = ["longhui_taohuaping", "dongkou", "anjiang", "huaihua_yushuwan"]
    assert [p for p in r.places if p in named] == named
    assert r.road_km == pytest.approx(r.km)
    assert r.cost == pytest.approx(sum(og.graph.edges[a, b]["cost"] for a, b in zip(r.places, r.places[1:])))


def test_a_route_never_passes_an_avoided_place(og):
    direct = og.route("shaoyang", "zhijiang")
    around = og.route("shaoyang", "zhijiang", avoid=["anjiang"])
    assert "anjiang" in direct.places and "anjiang" not in around.places
    assert around.cost > direct.cost


def test_a_place_cut_off_by_the_avoided_places_has_no_route(og):
    links = list(og.graph.neighbors("zhijiang_airfield"))
    assert og.route("shaoyang", "zhijiang_airfield", avoid=links) is None


def test_the_graph_is_the_same_when_built_again(game, og):
    again = OperationalGraph(game.map, game.enter_cost, game.is_road, game.scenario.operational_graph.track_max_cost)
    assert list(again.graph.nodes(data=True)) == list(og.graph.nodes(data=True))
    assert list(again.graph.edges(data=True)) == list(og.graph.edges(data=True))


def _digest(og) -> list:
    return [[a, b, round(e["cost"], 9), round(e["km"], 9), e["road"], list(e["hexes"])]
            for a, b, e in og.graph.edges(data=True)]


def test_the_graph_is_the_same_in_another_process(og):
    code = ("import json; from engine.api import Game; g = Game.load().opgraph; print(json.dumps("
            "[[a, b, round(e['cost'], 9), round(e['km'], 9), e['road'], list(e['hexes'])] "
            "for a, b, e in g.graph.edges(data=True)]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == _digest(og)


# ------------------------------------------------------------------------------ chokepoints
def test_closing_a_chokepoint_lengthens_the_best_route_by_its_detour(game, og):
    sources = game.scenario.sides["japan"].start_control
    target = game.scenario.victory.airfield
    chokes = campaign_chokepoints(game)
    assert chokes

    def best(avoid=()):
        routes = [og.route(s, target, avoid=avoid) for s in sources]
        return min((r.cost for r in routes if r is not None), default=math.inf)

    base = best()
    for c in chokes:
        assert c.key not in sources and c.key != target
        assert c.detour > 0
        assert best([c.key]) == pytest.approx(base + c.detour)


def test_chokepoints_are_ranked_by_their_detour(game):
    detours = [c.detour for c in campaign_chokepoints(game)]
    assert detours == sorted(detours, reverse=True)


def test_the_shao_yu_road_west_of_the_xuefeng_crossing_is_a_chokepoint(game):
    assert "anjiang" in [c.key for c in campaign_chokepoints(game)]


def test_a_place_japan_has_taken_is_no_longer_a_chokepoint_in_its_way(game, state):
    before = [c.key for c in chokepoints_now(state)]
    assert "dongkou" in before
    state.control["dongkou"] = "japan"
    after = chokepoints_now(state)
    assert "dongkou" not in [c.key for c in after]
    assert all(state.control.get(c.key) != "japan" for c in after)


# ------------------------------------------------------------------------------ axes
def test_every_axis_route_passes_its_objectives_in_order(game):
    routes = axis_routes(game)
    assert set(routes) == set(game.axis_objectives())
    for axis, objectives in game.axis_objectives().items():
        places = list(routes[axis].places)
        at = [places.index(k) for k in objectives]
        assert at == sorted(at), axis


def test_the_centre_axis_sets_out_from_shaoyang(game):
    assert axis_route(game, "centre").places[0] == "shaoyang"


def test_an_axis_whose_objectives_no_road_or_track_joins_is_a_scenario_error(game):
    scn = game.scenario.model_copy(deep=True)
    scn.operational_graph.track_max_cost = 0.5  # no track at all: places off the roads are cut off
    axes = scn.ai.japan.axes
    axes["north"] = axes["north"].model_copy(update={"objectives": ["xinhua", "xuefeng_subaoding"]})
    with pytest.raises(ScenarioError) as err:
        Game(scn, game.map)
    msg = str(err.value)
    assert "scenario.toml" in msg and "ai.japan.axes.north.objectives[0..1]" in msg
    assert "'xuefeng_subaoding'" in msg and "track_max_cost" in msg


# ------------------------------------------------------------------------------ supply lines
def test_a_unit_on_its_supply_source_has_a_line_of_one_place(game, state):
    cn = next(u for u in state.units if u.side == "china" and u.status == "active")
    put(state, cn.id, game.place_hex["hongjiang"])
    line = supply_line(state, cn.id)
    assert line.source == "hongjiang" and line.places == ("hongjiang",) and line.cost == 0


def test_a_supply_line_runs_hex_by_hex_from_a_held_source_to_the_unit(game, state):
    cn = next(u for u in state.units if u.side == "china" and u.status == "active")
    put(state, cn.id, game.place_hex["dongkou"])
    line = supply_line(state, cn.id)
    assert line.source in game.scenario.sides["china"].supply_sources
    assert line.hexes[0] == game.place_hex[line.source] and line.hexes[-1] == game.place_hex["dongkou"]
    assert all(neighbours(game, a, b) for a, b in zip(line.hexes, line.hexes[1:]))
    assert line.places[-1] == "dongkou"


def test_a_supply_line_passes_no_place_the_enemy_holds(game, state):
    cn = next(u for u in state.units if u.side == "china" and u.status == "active")
    put(state, cn.id, game.place_hex["dongkou"])
    assert "anjiang" in supply_line(state, cn.id).places
    state.control["anjiang"] = "japan"
    assert "anjiang" not in supply_line(state, cn.id).places


def test_a_unit_whose_side_holds_no_supply_source_has_no_line(game, state):
    cn = next(u for u in state.units if u.side == "china" and u.status == "active")
    for k in game.scenario.sides["china"].supply_sources:
        state.control[k] = "japan"
    assert supply_line(state, cn.id) is None


def test_a_unit_off_the_map_has_no_supply_line(game, state):
    uid = next(u.id for u in state.units if u.side == "china")
    clear_board(state)
    assert supply_line(state, uid) is None


@settings(max_examples=40, deadline=None)
@given(hex_id=st.integers(min_value=0, max_value=3952), side=st.sampled_from(["japan", "china"]))
def test_no_supply_line_is_cheaper_than_the_cheapest_hex_path_from_the_sources(game, hex_id, side):
    state = game.new_initial_state(seed=3)
    uid = next(u.id for u in state.units if u.side == side)
    put(state, uid, hex_id)
    line = supply_line(state, uid)
    sources = [game.place_hex[k] for k in game.scenario.sides[side].supply_sources if state.control.get(k) == side]
    floor = float(game.cost_field(sources)[hex_id])
    if not math.isfinite(floor):
        assert line is None
        return
    assert line is not None and line.hexes[-1] == hex_id
    assert line.cost >= floor - 1e-9


# ------------------------------------------------------------------------------ hex paths
def test_the_cheapest_hex_path_costs_what_the_cost_field_says(game):
    a, b = game.place_hex["shaoyang"], game.place_hex["zhijiang"]
    path = game.cheapest_path(a, b)
    steps = list(zip((a,) + path, path))
    cost = sum(game.enter_cost[u, list(game.map.nbr[u]).index(v)] for u, v in steps)
    assert path[-1] == b and cost == pytest.approx(game.cost_field([a])[b])
    assert game.cheapest_path(a, a) == ()


# ------------------------------------------------------------------------------ drawing, imports
def test_xuefeng_map_graph_writes_a_png_and_reports_the_chokepoints_and_axis_routes(tmp_path, capsys):
    from game.cli import main

    out = tmp_path / "graph.png"
    assert main(["map", "--graph", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = capsys.readouterr().out
    assert "Anjiang: +" in text
    assert "centre: Shaoyang > Longhui > Dongkou" in text


def test_xuefeng_map_without_an_output_is_refused(capsys):
    from game.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["map"])
    assert exc.value.code == 2
    assert "--graph" in capsys.readouterr().err


def test_routes_and_supply_lines_load_no_plotting_library():
    code = ("import sys; from engine.api import Game, supply_line, campaign_chokepoints; g = Game.load(); "
            "s = g.new_initial_state(1); supply_line(s, s.units[0].id); campaign_chokepoints(g); "
            "print(sorted(m for m in ('matplotlib', 'pygame', 'rich', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------------------ words for the screen
def test_the_supply_line_reads_as_places_then_the_last_hexes(game, state):
    from game.texts import Namer, supply_line_text

    cn = next(u for u in state.units if u.side == "china" and u.status == "active")
    put(state, cn.id, game.place_hex["dongkou"])
    line = supply_line(state, cn.id)
    namer = Namer(game, lang="en")
    assert supply_line_text(line, namer) == " › ".join(namer.place_short(k) for k in line.places) + \
        f" ({line.km:.0f} km)"
    off_place = next(int(n) for n in game.map.nbr[game.place_hex["dongkou"]] if n >= 0 and n not in game.hex_place)
    put(state, cn.id, off_place)
    assert supply_line_text(supply_line(state, cn.id), namer).endswith(" + 1 hex (" +
                                                                      f"{supply_line(state, cn.id).km:.0f} km)")
    assert supply_line_text(None, namer).startswith("no line")


@settings(max_examples=8, deadline=None)
@given(track_max_cost=st.sampled_from([0.0, 1.0, 2.5, 4.0, 8.0, 1e9]))
def test_connected_answers_as_a_path_on_the_built_graph_does(game, track_max_cost):
    import networkx as nx

    og = OperationalGraph(game.map, game.enter_cost, game.is_road, track_max_cost)
    parts = {frozenset(c) for c in nx.connected_components(og.graph)}
    for a in og.keys:
        for b in og.keys:
            assert og.connected(a, b) == any(a in c and b in c for c in parts), (a, b)


@settings(max_examples=8, deadline=None)
@given(track_max_cost=st.sampled_from([0.0, 1.0, 4.0, 8.0, 12.5, 24.0, 37.0, 1e9]))
def test_the_tracks_from_the_search_cut_at_twice_the_limit_are_those_of_the_whole_search(game, track_max_cost):
    cut = OperationalGraph(game.map, game.enter_cost, game.is_road, track_max_cost)
    whole = OperationalGraph(game.map, game.enter_cost, game.is_road, track_max_cost)
    assert whole.place_cost.shape == (len(whole.keys), game.n_hex)  # searched whole first
    assert "_from_places" not in cut.__dict__
    assert cut._track_pairs(lambda a, b: False) == whole._track_pairs(lambda a, b: False)
    assert list(cut._component) == list(whole._component)
    assert "_from_places" not in cut.__dict__  # loading a game searches only as far as that


def test_loading_a_game_imports_no_networkx():
    code = ("import sys; from engine.api import Game; Game.load('west_hunan_1945'); "
            "print('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
