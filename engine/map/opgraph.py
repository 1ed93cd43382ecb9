"""The operational graph: the map's places joined by the roads and tracks that link them.

Where the hex grid answers "how far can this unit go this turn", the operational graph
answers the commander's questions: which towns lie on the way from Shaoyang to Zhijiang,
which of them every road west must pass (the chokepoints), and along which towns a unit's
supply comes up.  It is a networkx ``Graph`` built once per :class:`~engine.core.game.Game`
(``game.opgraph``) from the map and the clear-weather movement costs:

- **nodes** are the map's places (key, names, kind, hex, position in km);
- **road edges** join two places that a road links directly: the road hex sides are walked
  from each place and stop at the next place reached, so road junctions that are no place
  still join the towns on either side;
- **track edges** join two places that no road links directly when the cheapest hex path
  between them costs at most ``operational_graph.track_max_cost`` and passes no other place
  (no third place lies on a route as cheap, within ``DIRECT_TOLERANCE``).

Each edge carries ``cost`` (clear-weather movement points; for tracks, the mean of the two
directions, which differ by the terrain entered), ``km`` (along its hexes), ``road`` (bool),
``route`` (the named road it follows, or ``None``) and ``hexes`` (the hex path from the edge's
alphabetically first place to the other).  Inner loops (movement, supply) stay on the numpy
arrays and scipy; this graph serves planning and reports, and is built (networkx imported)
on first use.  Whether two places are connected is answered without it (see
:meth:`OperationalGraph.connected`), since loading a game checks that for every axis.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .hexmap import HexMap

#: Relative slack under which a path through a third place counts as "as cheap" (rounding).
DIRECT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Route:
    """A way between places on the operational graph."""

    places: tuple[str, ...]  # place keys from start to end
    cost: float  # clear-weather movement points
    km: float
    road_km: float  # of which along roads
    hexes: tuple[int, ...]  # hex path from the first place's hex to the last's (both included)


@dataclass(frozen=True)
class Chokepoint:
    """A place on the routes from some places to a target, and what closing it would cost."""

    key: str
    share: float  # share of the sources whose cheapest route to the target passes here (0..1)
    detour: float  # extra movement cost of the best route from the sources if this place is closed (inf: cut off)
    articulation: bool  # removing it splits the graph (networkx articulation point)


class OperationalGraph:
    """The places-and-links graph of one map, with the hex paths behind each link.

    ``graph`` is the networkx graph (see the module docstring for its attributes);
    ``place_cost[i, h]`` is the cheapest clear-weather cost from place ``keys[i]`` to hex ``h``.
    """

    def __init__(self, hexmap: HexMap, enter_cost: np.ndarray, is_road: np.ndarray, track_max_cost: float):
        m = hexmap
        self.map = m
        self.keys: tuple[str, ...] = tuple(sorted(m.places))
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.hexes = np.array([m.places[k].hex for k in self.keys], dtype=np.int32)
        self.track_max_cost = float(track_max_cost)
        self._enter_cost = enter_cost
        self._is_road = is_road

    @cached_property
    def _moves(self):
        """The clear-weather movement graph: a sparse matrix of entering costs, hex -> neighbour."""
        from .csgraph import sparse  # here: ``import engine.api`` loads no scipy

        csr_matrix = sparse().csr_matrix
        n, nbr, cost = self.map.count, self.map.nbr, self._enter_cost
        hs, ds = np.nonzero(np.isfinite(cost))
        return csr_matrix((cost[hs, ds], (hs, nbr[hs, ds])), shape=(n, n))

    @cached_property
    def _from_places(self) -> tuple[np.ndarray, np.ndarray]:
        """Cheapest costs from each place to every hex, and the predecessors along those paths."""
        from .csgraph import dijkstra

        return dijkstra(self._moves, directed=True, indices=self.hexes, return_predecessors=True)

    @property
    def place_cost(self) -> np.ndarray:
        return self._from_places[0]

    @property
    def _pred(self) -> np.ndarray:
        return self._from_places[1]

    @cached_property
    def _between_places(self) -> np.ndarray:
        """Cheapest cost from place ``keys[i]`` to place ``keys[j]``, exact wherever
        :meth:`_track_pairs` reads it (inf elsewhere, where it may be dearer than that).

        Loading a game needs only this (:meth:`connected`): searched within twice the track
        limit, half the work of :attr:`place_cost` (~10 ms a game).  Exact where read: a pair
        is a candidate when its two directions average at most ``track_max_cost`` T, so each
        costs at most 2T; a third place k on a route as cheap has i -> k and k -> j averaging no
        more than that route's T(1 + DIRECT_TOLERANCE), so each direction costs at most twice
        that (floats round monotonically); a search cut at that cost finds every such cost
        exactly, and what it leaves inf is dearer, as it would compare anyway.
        """
        if "_from_places" in self.__dict__:
            return self.place_cost[:, self.hexes]
        from .csgraph import dijkstra

        limit = np.nextafter(2.0 * (self.track_max_cost * (1.0 + DIRECT_TOLERANCE)), np.inf)
        return dijkstra(self._moves, directed=True, indices=self.hexes, limit=limit)[:, self.hexes]

    @cached_property
    def graph(self):
        """The networkx graph of places and links (see the module docstring), built on first use."""
        import networkx as nx

        m = self.map
        g = nx.Graph(track_max_cost=self.track_max_cost)
        for k in self.keys:
            p = m.places[k]
            g.add_node(k, name_en=p.name_en, name_zh=p.name_zh, kind=p.kind, hex=p.hex,
                       x_km=float(m.x_km[p.hex]), y_km=float(m.y_km[p.hex]))
        for a, b, path in self._road_links(self._is_road):
            g.add_edge(a, b, cost=self.path_cost(path), km=self._path_km(path), road=True,
                       route=self._route_name(path), hexes=path)
        for i, j, cost in self._track_pairs(lambda a, b: g.has_edge(a, b)):
            a, b = self.keys[i], self.keys[j]
            path = self.hex_path(a, int(self.hexes[j]))
            g.add_edge(a, b, cost=cost, km=self._path_km(path), road=False, route=None, hexes=path)
        return g

    # ------------------------------------------------------------------------ building
    def _road_links(self, is_road: np.ndarray):
        """(a, b, hex path a->b) for every pair of places a road links without passing another place."""
        import networkx as nx

        m = self.map
        hs, ds = np.nonzero(is_road)
        roads = nx.Graph()
        roads.add_edges_from((int(h), int(m.nbr[h, d])) for h, d in zip(hs, ds))
        place_at = {int(h): k for k, h in zip(self.keys, self.hexes)}
        links = {}
        for a, h in zip(self.keys, self.hexes):
            h = int(h)
            if h not in roads:
                continue

            def step(u, v, _d, source=h):  # other places end a link: never walk on through them
                return None if u != source and u in place_at else 1.0

            _, paths = nx.single_source_dijkstra(roads, h, weight=step)
            for target, path in paths.items():
                b = place_at.get(target)
                if b is not None and b != a:
                    lo, hi = sorted((a, b))
                    path = tuple(path) if lo == a else tuple(reversed(path))
                    best = links.get((lo, hi))
                    if best is None or (len(path), path) < (len(best), best):
                        links[(lo, hi)] = path
        return [(a, b, links[(a, b)]) for a, b in sorted(links)]

    def _track_pairs(self, road_linked):
        """(i, j, symmetric cost) for places ``keys[i] < keys[j]`` joined directly by a cheap track
        and not ``road_linked(a, b)``."""
        c = self._between_places
        sym = (c + c.T) / 2.0
        k = len(self.keys)
        out = []
        for i in range(k):
            for j in range(i + 1, k):
                if not sym[i, j] <= self.track_max_cost or road_linked(self.keys[i], self.keys[j]):
                    continue
                via = sym[i, :] + sym[:, j]
                via[[i, j]] = np.inf
                if via.min() <= sym[i, j] * (1.0 + DIRECT_TOLERANCE):
                    continue  # a third place lies on a route as cheap: not a direct link
                out.append((i, j, float(sym[i, j])))
        return out

    @cached_property
    def _component(self) -> np.ndarray:
        """The connected part of the graph each place (``keys`` order) belongs to, without building it.

        Exact: a road link joins places whose hexes a road path joins with no place between, so a
        chain of road links joins two places exactly when their hexes lie in one part of the road
        network (``roads``, below); a track left out for a road link joins places the roads join
        already, so the tracks can be taken as if there were no roads (``tracks``).
        """
        from .csgraph import connected_components, sparse

        coo_matrix = sparse().coo_matrix

        m, k = self.map, len(self.keys)
        hs, ds = np.nonzero(self._is_road)
        n = m.count
        road_net = coo_matrix((np.ones(len(hs)), (hs, m.nbr[hs, ds])), shape=(n, n))
        _, road_part = connected_components(road_net, directed=False)
        on_road = np.zeros(n, dtype=bool)
        on_road[hs] = on_road[m.nbr[hs, ds]] = True
        roads = [(i, k + road_part[h]) for i, h in enumerate(self.hexes) if on_road[h]]  # place - road part
        tracks = [(i, j) for i, j, _ in self._track_pairs(lambda a, b: False)]
        edges = np.array(roads + tracks, dtype=np.int64).reshape(-1, 2)
        size = k + n
        links = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(size, size))
        _, part = connected_components(links, directed=False)
        return part[:k]

    def path_cost(self, path) -> float:
        """Clear-weather movement cost of walking the hex ``path`` in its order."""
        m, cost = self.map, 0.0
        for u, v in zip(path, path[1:]):
            d = int(np.nonzero(m.nbr[u] == v)[0][0])
            cost += float(self._enter_cost[u, d])
        return cost

    def _path_km(self, path) -> float:
        m = self.map
        p = np.asarray(path)
        return float(np.hypot(np.diff(m.x_km[p]), np.diff(m.y_km[p])).sum())

    def _route_name(self, path) -> str | None:
        """The first named road (map order) that runs through every hex of ``path``."""
        cells = set(path)
        for key, r in self.map.roads.items():
            if cells <= set(r["hexes"]):
                return key
        return None

    # ------------------------------------------------------------------------- queries
    def hex_path(self, place: str, hex_id: int) -> tuple[int, ...]:
        """Cheapest clear-weather hex path from ``place`` to ``hex_id`` (both ends included)."""
        i = self.index[place]
        if not np.isfinite(self.place_cost[i, hex_id]):
            raise ValueError(f"hex {hex_id} cannot be reached from {place}")
        out = [int(hex_id)]
        while out[-1] != self.hexes[i]:
            out.append(int(self._pred[i, out[-1]]))
        return tuple(reversed(out))

    def edge_hexes(self, a: str, b: str) -> tuple[int, ...]:
        """The hex path of the link a-b, oriented from ``a`` to ``b``."""
        path = self.graph.edges[a, b]["hexes"]
        return path if a < b else tuple(reversed(path))

    def connected(self, a: str, b: str) -> bool:
        """Whether links join places ``a`` and ``b`` (as ``networkx.has_path`` on :attr:`graph`)."""
        return bool(self._component[self.index[a]] == self._component[self.index[b]])

    def route(self, a: str, b: str, avoid=()) -> Route | None:
        """Cheapest route between places ``a`` and ``b`` (None when none), never through ``avoid``."""
        import networkx as nx

        g = self.graph
        if avoid:
            g = nx.restricted_view(g, [k for k in avoid if k not in (a, b)], [])
        try:
            places = nx.shortest_path(g, a, b, weight="cost")
        except nx.NetworkXNoPath:
            return None
        return self._route(places)

    def _route(self, places) -> Route:
        g = self.graph
        edges = [g.edges[u, v] for u, v in zip(places, places[1:])]
        hexes = [int(self.graph.nodes[places[0]]["hex"])]
        for u, v in zip(places, places[1:]):
            hexes.extend(self.edge_hexes(u, v)[1:])
        return Route(places=tuple(places), cost=sum(e["cost"] for e in edges), km=sum(e["km"] for e in edges),
                     road_km=sum(e["km"] for e in edges if e["road"]), hexes=tuple(hexes))

    def chokepoints(self, sources, target: str) -> tuple[Chokepoint, ...]:
        """Places (not sources, not the target) on the cheapest routes from ``sources`` to
        ``target`` whose closing would lengthen the best route from the sources.

        Ranked by that extra cost (cut-offs first), then by the share of the sources whose
        cheapest route passes the place.
        """
        import networkx as nx

        g = self.graph
        sources = sorted(set(sources) - {target})
        lengths = nx.single_source_dijkstra_path_length(g, target, weight="cost")
        reach = [s for s in sources if s in lengths]
        if not reach:
            return ()
        best = min(lengths[s] for s in reach)
        on_route: dict[str, int] = {}
        for s in reach:
            for k in nx.shortest_path(g, s, target, weight="cost")[1:-1]:
                if k not in sources:
                    on_route[k] = on_route.get(k, 0) + 1
        cut = set(nx.articulation_points(g))
        out = []
        for k, n in on_route.items():
            closed = nx.restricted_view(g, [k], [])
            d = nx.single_source_dijkstra_path_length(closed, target, weight="cost")
            after = min((d[s] for s in reach if s in d), default=math.inf)
            if after > best * (1.0 + DIRECT_TOLERANCE):
                out.append(Chokepoint(key=k, share=n / len(reach), detour=after - best, articulation=k in cut))
        out.sort(key=lambda c: (-c.detour, -c.share, c.key))
        return tuple(out)

    def nearest_place(self, hex_id: int, among=None) -> str | None:
        """The place (of ``among``, default all) from which ``hex_id`` is cheapest to reach; ties by key."""
        keys = self.keys if among is None else sorted(among)
        cost = self.place_cost[[self.index[k] for k in keys], hex_id] if keys else np.array([])
        if not len(cost) or not np.isfinite(cost.min()):
            return None
        return keys[int(np.argmin(cost))]
