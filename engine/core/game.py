"""The static side of a game: scenario, map and every table that never changes in play.

A :class:`Game` is built once per scenario (and variant) and shared by all the states and
runs that use it; nothing in it is mutated during play.  Costs, neighbours, the movement
matrices, distance fields and the operational graph are precomputed here so the turn loop
never rebuilds them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from collections import OrderedDict
from functools import cached_property
from pathlib import Path

import numpy as np

from ..map.hexmap import HexMap
from ..map.opgraph import OperationalGraph
from ..map.shortest_paths import MoveGraph
from ..rules.turn import begin_turn
from ..scenario.loader import Scenario, ScenarioError, load_scenario, scenario_map, scenario_path_for_id
from .sides import SIDES, other  # noqa: F401  (re-exported for callers of engine.core.game)
from .state import GameState


#: Bounds of the cost-to-go field caches (one field is n_hex float64: 31 KiB for the 67 x 59 map).
FIELD_CACHE_SINGLE = 1024
FIELD_CACHE_SETS = 256
FIELD_SET_NEW_SINGLES = 12  # single-target fields a target set may add to the cache (see Game.field_to)


@dataclass(frozen=True)
class UnitDef:
    """What does not change about a unit during play."""

    index: int
    id: str
    name: str
    name_zh: str
    side: str
    formation: str
    size: str
    kind: str
    men: int
    quality: float
    mp: float
    start_hex: int  # -1 when the unit arrives later
    arrives_turn: int  # 0 = on map at start
    arrives_hex: int
    reserve: bool
    axis: str | None
    role: str | None
    commander: str


class Game:
    """Scenario + map + precomputed tables. Create states with :meth:`new_initial_state`."""

    def __init__(self, scenario: Scenario, hexmap: HexMap):
        self.scenario = scenario
        self.map = hexmap
        s = scenario
        m = hexmap
        self.n_hex = m.grid.count
        self.start_date: dt.date = s.meta.start_date
        self.end_date: dt.date = s.meta.end_date
        self.days_per_turn = s.meta.days_per_turn
        # the last turn may be cut short by the end date (6 April - 7 June is 63 days)
        self.n_turns = -(-((self.end_date - self.start_date).days + 1) // self.days_per_turn)

        # Terrain tables indexed by the map's terrain code index.
        self._check_terrain_legend()
        by_code = {t.code: (name, t) for name, t in s.terrain.items()}
        self.terrain_names = tuple(by_code[c][0] for c in m.terrain_codes)
        self.terrain_move = np.array([by_code[c][1].move_cost for c in m.terrain_codes], dtype=np.float64)
        self.terrain_defence = np.array([by_code[c][1].defence for c in m.terrain_codes], dtype=np.float64)
        self.terrain_att_loss = np.array([by_code[c][1].attacker_loss_mult for c in m.terrain_codes])
        self.hex_defence = self.terrain_defence[m.terrain]
        self.hex_att_loss = self.terrain_att_loss[m.terrain]

        # Cost of crossing side d of hex h into its neighbour (inf off map).
        nbr = m.nbr
        valid = nbr >= 0
        dest_terrain_cost = np.where(valid, self.terrain_move[m.terrain[np.where(valid, nbr, 0)]], np.inf)
        river_cost = np.select([m.river == 1, m.river == 2], [s.movement.river_minor, s.movement.river_major], 0.0)
        self.is_road = m.road & valid
        self.offroad_cost = np.where(valid, dest_terrain_cost + river_cost, np.inf)
        self.enter_cost = np.where(self.is_road, s.movement.road_cost, self.offroad_cost)

        # Places.
        self.place_hex: dict[str, int] = {k: p.hex for k, p in m.places.items()}
        self.hex_place: dict[int, str] = {}
        for k, p in m.places.items():
            self.hex_place.setdefault(p.hex, k)
        self.place_keys = tuple(sorted(m.places))
        self.airfield_hex = self.place_hex[s.victory.airfield]

        self.units = tuple(self._unit_def(i, u) for i, u in enumerate(s.units))
        self.unit_index = {u.id: u.index for u in self.units}
        self.formations = {f.id: f for f in s.formations}

        self._start_line = np.array([m.projection.to_km(lat, lon) for lat, lon in s.victory.start_line])
        self._check_axes_connected()
        self._check_positions()

    # ----------------------------------------------------------------------------- setup
    @classmethod
    def load(cls, scenario: str | Path = "west_hunan_1945", variant: str | None = None,
             overrides: dict | None = None) -> "Game":
        """Load a scenario by name or path (and optional variant and parameter overrides) with its map."""
        return cls.from_scenario(load_scenario(scenario, variant=variant, overrides=overrides))

    @classmethod
    def load_by_id(cls, scenario_id: str, variant: str | None = None) -> "Game":
        """Load a scenario found by its id in the scenario folder (for ids read from data files)."""
        return cls.from_scenario(load_scenario(scenario_path_for_id(scenario_id), variant=variant))

    @classmethod
    def from_scenario(cls, scn: Scenario) -> "Game":
        """The game of a loaded scenario, with the map file beside its scenario.toml."""
        return cls(scn, scenario_map(scn))

    def _check_terrain_legend(self) -> None:
        """Every terrain of the map's legend has its rules in the scenario's [terrain] table."""
        s, m = self.scenario, self.map
        by_code = {t.code: name for name, t in s.terrain.items()}
        errs = []
        for code, name in zip(m.terrain_codes, m.terrain_names):
            if by_code.get(code) != name:
                have = f"code {code!r} is terrain.{by_code[code]}" if code in by_code else f"no terrain has code {code!r}"
                errs.append(f"{s.source_path}: terrain: the map {m.source} (terrain_codes) has {code!r} = {name!r}, "
                            f"but {have} (expected terrain.{name} with code = {code!r})")
        if errs:
            raise ScenarioError("\n".join(errs), errors=errs, path=s.source_path)

    def _unit_def(self, index: int, u) -> UnitDef:
        def locate(key, latlon):
            if key:
                return self.place_hex[key]
            if latlon:
                return self.map.hex_at_latlon(*latlon)
            return -1

        arrives_turn = 0
        arrives_hex = -1
        if u.arrives:
            arrives_turn = self.turn_of(u.arrives)
            arrives_hex = locate(u.arrives_at, None)
        start_hex = locate(u.start, u.start_latlon) if not u.arrives else -1
        return UnitDef(
            index=index, id=u.id, name=u.name, name_zh=u.name_zh, side=u.side, formation=u.formation,
            size=u.size, kind=u.kind, men=u.men, quality=u.quality, mp=self.scenario.movement.mp[u.kind],
            start_hex=start_hex, arrives_turn=arrives_turn, arrives_hex=arrives_hex, reserve=u.reserve,
            axis=u.axis, role=u.role, commander=u.commander,
        )

    def new_initial_state(self, seed: int = 0):
        """A fresh game at turn 1 with its own seeded numpy Generator."""
        state = GameState.initial(self, seed)
        begin_turn(state)
        return state

    # ------------------------------------------------------------------------------ time
    def turn_of(self, date: dt.date) -> int:
        """Turn number (1-based) during which ``date`` falls."""
        return (date - self.start_date).days // self.days_per_turn + 1

    def date_of(self, turn: int) -> dt.date:
        """First day of ``turn``."""
        return self.start_date + dt.timedelta(days=(turn - 1) * self.days_per_turn)

    # ------------------------------------------------------------------------- geometry
    def km_west_of_start_line(self, hex_id: int) -> float:
        """How far (km) a hex lies west of the Japanese start line at its latitude (<0 = east)."""
        x, y = self.map.x_km[hex_id], self.map.y_km[hex_id]
        line = self._start_line
        ys, xs = line[:, 1], line[:, 0]
        order = np.argsort(ys)
        x_line = float(np.interp(y, ys[order], xs[order]))
        return x_line - float(x)

    @cached_property
    def west_of_line_km(self) -> np.ndarray:
        """km west of the start line for every hex (vectorised :meth:`km_west_of_start_line`)."""
        line = self._start_line
        order = np.argsort(line[:, 1])
        x_line = np.interp(self.map.y_km, line[order, 1], line[order, 0])
        return x_line - self.map.x_km

    @cached_property
    def nbr_lists(self) -> list[list[int]]:
        """The map's neighbour table as Python lists (fast per-hex reads in pure-Python loops)."""
        return self.map.nbr.tolist()

    @cached_property
    def river_lists(self) -> list[list[int]]:
        """The map's river-side table as Python lists."""
        return self.map.river.tolist()

    @cached_property
    def unit_quality(self) -> dict[str, float]:
        """Unit id -> its quality (a factor of its combat strength)."""
        return {d.id: d.quality for d in self.units}

    @cached_property
    def km_to_airfield(self) -> np.ndarray:
        """Straight-line km from every hex centre to the airfield hex."""
        m = self.map
        a = self.airfield_hex
        return np.hypot(m.x_km - m.x_km[a], m.y_km - m.y_km[a])

    # --------------------------------------------------------------------------- graphs
    @cached_property
    def opgraph(self) -> OperationalGraph:
        """The operational graph of places, roads and tracks (engine/map/opgraph.py), built once."""
        return OperationalGraph(self.map, self.enter_cost, self.is_road,
                                self.scenario.operational_graph.track_max_cost)

    def axis_objectives(self) -> dict[str, list[str]]:
        """The objectives (place keys, in order) of each Japanese axis of ``[ai.japan.axes]``."""
        return {name: list(ax.objectives) for name, ax in self.scenario.ai.japan.axes.items()}

    def _check_axes_connected(self) -> None:
        """Every axis's consecutive objectives must be joined on the operational graph."""
        errs = []
        for name, objs in self.axis_objectives().items():
            for j, (a, b) in enumerate(zip(objs, objs[1:])):
                if not self.opgraph.connected(a, b):
                    errs.append(f"ai.japan.axes.{name}.objectives[{j}..{j + 1}]: no road or track joins {a!r} "
                                f"to {b!r} on the operational graph (expected consecutive objectives to be "
                                f"connected; tracks reach operational_graph.track_max_cost = "
                                f"{self.opgraph.track_max_cost:g} movement points)")
        self._refuse(errs)

    def _check_positions(self) -> None:
        """Start and arrival hexes on the map, no hex of both sides and legal stacking at the start."""
        errs = []
        at_start: dict[int, list[UnitDef]] = {}
        for d in self.units:
            p = f"units[{d.index}]"
            u = self.scenario.units[d.index]
            if d.arrives_turn == 0 and not 0 <= d.start_hex < self.n_hex:
                field = "start_latlon" if u.start_latlon is not None else "start"
                errs.append(f"{p}.{field}: off the map (expected a position on the {self.n_hex}-hex map) "
                            f"[unit {d.id!r}]")
                continue
            if d.arrives_turn and not 0 <= d.arrives_hex < self.n_hex:
                errs.append(f"{p}.arrives_at: off the map [unit {d.id!r}]")
                continue
            if not d.reserve and d.arrives_turn <= 1:
                at_start.setdefault(d.start_hex if d.arrives_turn == 0 else d.arrives_hex, []).append(d)
        stack_max = self.scenario.movement.stacking_max_units
        for h, ds in sorted(at_start.items()):
            if len({d.side for d in ds}) > 1:
                errs.append(f"units[{ds[-1].index}]: starts in hex {h} with units of the other side "
                            f"({', '.join(d.id for d in ds)}; expected one side per hex)")
            if len(ds) > stack_max:
                errs.append(f"units[{ds[-1].index}]: {len(ds)} units start in hex {h} "
                            f"({', '.join(d.id for d in ds)}; expected at most movement.stacking_max_units = "
                            f"{stack_max})")
        for d in self.units:
            if d.arrives_turn and 0 <= d.arrives_hex < self.n_hex:
                held = {e.side for e in at_start.get(d.arrives_hex, [])}
                if held and d.side not in held:
                    errs.append(f"units[{d.index}].arrives_at: hex {d.arrives_hex} holds enemy units at the start "
                                f"(expected a hex free of the enemy) [unit {d.id!r}]")
        self._refuse(errs)

    def _refuse(self, errs: list[str]) -> None:
        """Raise a ScenarioError listing ``errs``, each naming the scenario file (and variant)."""
        if not errs:
            return
        where = self.scenario.source_path or self.scenario.meta.id
        if self.scenario.variant:
            where = f"{where} (variant {self.scenario.variant!r})"
        raise ScenarioError("\n".join(f"{where}: {e}" for e in errs), errors=errs, path=self.scenario.source_path)

    def cheapest_path(self, a: int, b: int) -> tuple[int, ...]:
        """Hexes after ``a`` up to ``b`` along the cheapest clear-weather path (() if a == b or none)."""
        return self.move_graph.cheapest_path(int(a), int(b))

    @cached_property
    def move_graph(self) -> MoveGraph:
        """The hex movement graph (one edge per hex side) and its least-cost searches."""
        return MoveGraph(self.map.nbr, self.enter_cost, hops=self.map.grid.distance)

    def cost_field(self, sources, blocked: np.ndarray | None = None, limit: float = np.inf,
                   until: int | None = None) -> np.ndarray:
        """Least movement cost from any of ``sources`` to every hex (inf = unreachable or dearer
        than ``limit``).  ``blocked`` hexes cannot be entered (their cost stays inf unless they
        are sources).  With ``until`` (a hex) hexes dearer than it are inf too: the search stops
        there, and the field is exact wherever it is at most ``until``'s cost (all a walk
        downhill from ``until`` looks at).  See :mod:`engine.map.shortest_paths`."""
        return self.move_graph.field(sources, blocked=blocked, limit=limit, until=until)

    @cached_property
    def field_to_airfield(self) -> np.ndarray:
        """Movement cost from each hex to the airfield (for AI and analysis; read-only): the
        one-target field :meth:`field_to` keeps (so a field store's, not a search, when kept)."""
        return self.field_to([self.airfield_hex])

    def _reverse_field(self, targets) -> np.ndarray:
        return self.move_graph.field(targets, reverse=True)

    @cached_property
    def _exact_sums(self) -> bool:
        """Whether every edge cost is a multiple of 1/64, so path costs add up exactly in floats
        and a many-target field equals the element-wise minimum of the one-target fields."""
        w = self.move_graph.w
        return bool(np.all(np.isfinite(w)) and np.all(w * 64 == np.round(w * 64)) and w.max() < 2 ** 20)

    def field_to(self, place_keys_or_hexes) -> np.ndarray:
        """Movement cost from every hex *to* the nearest target (read-only; cached, bounded).

        Two least-recently-used caches, kept across the campaigns a process plays: one field per
        single target hex (``FIELD_CACHE_SINGLE``) and one per target set (``FIELD_CACHE_SETS``).
        A set is the element-wise minimum of its single-target fields (exact, see
        :attr:`_exact_sums`), the missing ones made and kept when there are at most
        ``FIELD_SET_NEW_SINGLES``: the same targets come back turn after turn and campaign after
        campaign, so keeping them costs fewer searches than one many-source Dijkstra per set
        (measured: 10.6 instead of 19.6 searches a campaign over the first 20 campaigns of a
        process); a set with more missing is one many-source Dijkstra.
        """
        caches = self.__dict__.get("_field_caches")
        if caches is None:
            caches = self.__dict__["_field_caches"] = (OrderedDict(), OrderedDict())
        singles, sets = caches
        if type(place_keys_or_hexes) is list and len(place_keys_or_hexes) == 1:  # the usual ask: one kept field
            p = place_keys_or_hexes[0]
            h = self.place_hex[p] if isinstance(p, str) else int(p)
            got = singles.get(h)
            if got is not None:
                singles.move_to_end(h)
                return got
        hexes = tuple(sorted({self.place_hex[p] if isinstance(p, str) else int(p) for p in place_keys_or_hexes}))
        if len(hexes) == 1:
            return self._cached(singles, hexes[0], FIELD_CACHE_SINGLE, lambda: self._one_field(hexes[0]))
        got = sets.get(hexes)
        if got is not None:
            sets.move_to_end(hexes)
            return got
        stand_by = self.__dict__.get("_stand_by_fields", {})
        missing = [h for h in hexes if h not in singles and h not in stand_by]
        if self._exact_sums and len(missing) <= FIELD_SET_NEW_SINGLES:
            out = None
            for h in hexes:
                f = self._cached(singles, h, FIELD_CACHE_SINGLE, lambda h=h: self._one_field(h))
                out = f.copy() if out is None else np.minimum(out, f, out=out)
        else:
            out = self._reverse_field(list(hexes))
        return self._cached(sets, hexes, FIELD_CACHE_SETS, lambda: out)

    def single_fields(self) -> dict[int, np.ndarray]:
        """The one-target fields :meth:`field_to` keeps (target hex -> field), least recently used first."""
        caches = self.__dict__.get("_field_caches")
        return dict(caches[0]) if caches is not None else {}

    def keep_single_fields(self, fields: dict[int, np.ndarray]) -> None:
        """Keep ``fields`` (target hex -> field) as if :meth:`field_to` had made them.  The caller
        vouches that each is bit for bit the field it would make (:meth:`stand_by_fields` takes
        them only when first asked for, as engine/analysis/field_store.py gives them)."""
        caches = self.__dict__.get("_field_caches")
        if caches is None:
            caches = self.__dict__["_field_caches"] = (OrderedDict(), OrderedDict())
        for h, f in fields.items():
            self._cached(caches[0], int(h), FIELD_CACHE_SINGLE, lambda f=f: f)

    def stand_by_fields(self, makers: dict[int, Callable[[], np.ndarray]]) -> None:
        """Take the one-target field to a hex of ``makers`` from its maker (called once, when
        :meth:`field_to` first needs it) instead of searching it.  The caller vouches that each
        makes bit for bit the field a search would (engine/analysis/field_store.py: those an
        earlier process kept for the same movement graph, decoded only when asked for)."""
        self.__dict__["_stand_by_fields"] = dict(makers)

    def stand_by(self) -> dict[int, Callable[[], np.ndarray]]:
        """The makers of :meth:`stand_by_fields` not called yet (target hex -> maker)."""
        return dict(self.__dict__.get("_stand_by_fields", {}))

    def _one_field(self, h: int) -> np.ndarray:
        make = self.__dict__.get("_stand_by_fields", {}).pop(h, None)
        return make() if make is not None else self._reverse_field([h])

    @staticmethod
    def _cached(cache: OrderedDict, key, bound: int, make) -> np.ndarray:
        got = cache.get(key)
        if got is not None:
            cache.move_to_end(key)
            return got
        got = make()
        got.flags.writeable = False
        cache[key] = got
        while len(cache) > bound:
            cache.popitem(last=False)
        return got
