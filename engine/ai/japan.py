"""The Japanese 20th Army: advance on the Zhijiang airfield along the planned axes, and know
when to stop.

Plan data come from the scenario (``[ai.japan]``): the objectives of each axis in order
(place keys), and the weights and threshold of the culmination judgement.  Nothing here
looks at the date.  Each turn the army command assesses its own situation from the board:

    score = w_losses   * battle losses (killed, wounded, captured) / the committed force's men
          + w_supply   * share of the committed force's men out of supply
          + w_stall    * turns since the advance last gained ground (capped) / stall_turns
          + w_pressure * max(0, Chinese / Japanese strength around the committed units - 1)

Sickness does not count in the losses term: it acts through the strength it removes (the
pressure term), so the score answers to the fighting rather than to the calendar.  When
``score`` reaches ``threshold`` the offensive has culminated: the army breaks off and
falls back on its start positions, fighting only to clear its way (a unit with no step home
on the plain way goes round the Chinese units and their zones of control where it can).  Until then each axis
pushes its units down the cost-to-go field to its first objective not yet in Japanese
hands, converging on any Chinese stack that blocks the way, and attacks wherever the odds
reach ``attack_ratio``.  An axis marked ``detour`` makes for its objective by a way that
keeps off Chinese units and their zones of control where one exists (else through a gap
between their units), going round the strongpoints between (the southern column from Xinning went past the besieged Wugang to
Wuyang, ZH); attacks go in wherever the odds reach ``attack_ratio`` - lowered by up to ``stall_aggression`` the longer the advance has
been held up (costly assaults that bring the culmination nearer).
"""
from __future__ import annotations

from math import isfinite

import numpy as np

from ..core.actions import AirMission
from ..core.memory import JapanMemory
from ..core.play import annotate, apply
from ..core.board import board
from ..core.sides import other
from ..rules import combat, movement
from ..rules.combat import unit_strengths
from .base import PlanAI
from .common import KeptOdds, attack_if, descend, first_steps, targets_by_odds, try_move
from ..core.per_game import per_game


class JapanAI(PlanAI):
    side = "japan"
    memory_model = JapanMemory

    @property
    def posture(self) -> str:
        return self.mem.posture

    @property
    def stall(self) -> int:
        return self.mem.stall

    # ------------------------------------------------------------------ judgement
    def assess(self, state) -> None:
        """Update the army's posture from what it can see (once per turn)."""
        mem, p = self.mem, self.p
        if mem.assessed_turn == state.turn:
            return
        mem.assessed_turn = state.turn
        game = state.game
        units = state.units
        main = [u for u in map(units.__getitem__, _main_force(game)) if u.status in ("active", "eliminated")]
        start = sum(u.start_men for u in main) or 1
        present = [u for u in main if u.status == "active"]
        men = sum(u.men for u in present)
        lost = state.losses["japan"]
        losses = (lost["killed"] + lost["wounded"] + lost["captured"]) / start  # battle only: sickness acts through the strength it removes
        unsupplied = sum(u.men for u in present if not u.supplied) / max(men, 1)
        at = [u.hex for u in present]
        progress = min(map(game.field_to_airfield.item, at), default=np.inf)
        best = np.inf if mem.best_progress is None else mem.best_progress
        if progress < best - p.progress_step:
            mem.best_progress, mem.stall = float(progress), 0
        else:
            mem.stall += 1
        r = p.pressure_radius
        grid = game.map.grid
        near = np.zeros(game.n_hex, dtype=bool)
        if present:
            near[np.concatenate([grid.within(h, r) for h in set(at)])] = True
        china = [c for c in state.active_units("china") if near[c.hex]]
        strength = unit_strengths(state, china + present)  # (the scenario's numbers read once)
        around = sum(strength[:len(china)])
        own = sum(strength[len(china):]) or 1.0
        pressure = max(0.0, around / own - 1.0)
        mem.score = float(p.w_losses * losses + p.w_supply * unsupplied
                          + p.w_stall * min(mem.stall, p.stall_turns) / p.stall_turns
                          + p.w_pressure * pressure)
        if mem.posture == "advance" and mem.score >= p.threshold:
            mem.posture = "withdraw"
            annotate(state, f"20th Army breaks off the offensive (culmination score {mem.score:.2f}: "
                            f"losses {losses:.0%}, out of supply {unsupplied:.0%}, "
                            f"stalled {mem.stall} turns, pressure {pressure:.2f}).")
        self.remember(state)

    def _objective_field(self, state, axis: str, ctx, origin: int):
        """Cost-to-go field to the axis's first objective not in Japanese hands, and its key."""
        game = state.game
        plan = self.p.axes.get(axis)
        objectives = plan.objectives if plan is not None else [game.scenario.victory.airfield]
        key = next((k for k in objectives if k in game.place_hex and state.control.get(k) != "japan"),
                   objectives[-1])
        if plan is not None and plan.detour:
            return self._detour_field(state, game.place_hex[key], ctx, origin), key
        return game.field_to([key]), key

    def _detour_field(self, state, target: int, ctx, origin: int | None = None, zoc: bool = True):
        """Movement cost between hex ``target`` and every hex by ways off Chinese units and (with
        ``zoc``) their zones of control, except around the target itself and at hex ``origin`` (a
        unit leaving it); traced outward from the target: a steering field, exact where costs are
        symmetric.  With ``origin`` hexes dearer than it are left inf (the search stops there):
        the unit only ever looks downhill from it (a detour asked again is answered from the one
        searched before: :mod:`engine.map.stopped_fields`)."""
        return state.game.cost_field([target], blocked=self._detour_blocked(state, target, ctx, origin, zoc),
                                     until=origin)

    def _detour_blocked(self, state, target: int, ctx, origin: int | None = None, zoc: bool = True) -> np.ndarray:
        """The hexes a detour field (:meth:`_detour_field`, same arguments) may not enter."""
        enemy = other(ctx.side)
        blocked = (movement.zones_of_control(state, enemy).copy() if zoc
                   else board(state).side_board(enemy).occupied.copy())
        blocked[target] = False
        ring = state.game.map.nbr[target]
        blocked[ring[ring >= 0]] = False
        if origin is not None:
            blocked[origin] = False
        return blocked

    # --------------------------------------------------------------------- phases
    def _air(self, state) -> None:
        left = state.sorties_left["japan"]
        if left <= 0:
            return
        targets = targets_by_odds(state, "japan") if self.posture == "advance" else []
        if targets:
            apply(state, AirMission("support", targets[0], left))
        else:
            own = [u.hex for u in state.active_units("japan")]
            if own:
                apply(state, AirMission("cap", own[0], left))

    def _move(self, state) -> None:
        self.assess(state)
        game = state.game
        ctx = movement.move_context(state, "japan")  # one live context for the phase: it follows the board
        # the Chinese do not move in the Japanese movement phase: where they stand (the board's
        # read-only array, in unit order) holds for the phase
        b = board(state)
        china = b.side_board("china")
        china_at = china.hexes
        to_airfield = game.field_to_airfield.item
        units = sorted(state.active_units("japan"), key=lambda u: to_airfield(u.hex))
        near_odds = KeptOdds(state, "japan")
        if self.posture == "advance":
            # the odds on every Chinese stack next to the army, weighed in one pass: a unit next to one
            # asks for them (_good_attack_from), and the kept odds stay exact as units move
            army = b.side_board("japan").zoc_list  # the army's hexes and their neighbours
            near_odds.odds_on([h for h in china.at if army[h]])
        for u in units:
            if u.mp <= 0:
                continue
            start = u.hex
            self._order(state, u, ctx, china_at, near_odds)
            if u.hex != start:
                near_odds.moved(start, u.hex)

    def _order(self, state, u, ctx, china_at: np.ndarray, near_odds: "KeptOdds") -> None:
        """Give unit ``u`` its order for this movement phase (see the module docstring)."""
        game = state.game
        d = game.units[game.unit_index[u.id]]
        if self.posture == "withdraw":
            target = d.start_hex if d.start_hex >= 0 else game.place_hex[self.p.withdraw_base]
            home = game.field_to([target])
            if home.item(u.hex) <= 0 or try_move(state, u, descend(state, u, home, ctx)):
                return
            # no step home on the plain way: fall back round the Chinese where a way exists.  A blocked
            # hex stays inf in the detour field and descend steps only downhill, so with every first
            # step blocked the walk is empty: no field to trace
            blocked = self._detour_blocked(state, target, ctx, u.hex)
            if any(not blocked[n] for n in first_steps(u, ctx)):
                way = game.cost_field([target], blocked=blocked, until=u.hex)
                if isfinite(way.item(u.hex)):
                    try_move(state, u, descend(state, u, way, ctx))
            return
        if ctx.enemy_zoc[u.hex] and self._good_attack_from(state, u, ctx, near_odds):
            return  # stay engaged and attack
        field, key = self._objective_field(state, d.axis or "centre", ctx, u.hex)
        if not isfinite(field.item(u.hex)):  # no way round their zones of control: through a gap
            field = self._detour_field(state, game.place_hex[key], ctx, u.hex, zoc=False)
        if not isfinite(field.item(u.hex)):  # no way round at all: the plain way
            field = game.field_to([key])
        blocker = self._blocker_ahead(state, u, field, china_at)
        if blocker is not None:
            field = self._assault_field(state, blocker, ctx)
        try_move(state, u, descend(state, u, field, ctx))

    def _blocker_ahead(self, state, u, field, china_at: np.ndarray) -> int | None:
        """The nearest Chinese stack within ``block_radius`` hexes that stands between ``u`` and its
        objective (the first such unit's, in unit order; ``china_at``: the Chinese units' hexes in
        unit order)."""
        radius = self.p.block_radius
        dist = state.game.map.grid.distances_from(u.hex)[china_at]
        close = (dist <= radius).nonzero()[0]  # in unit order
        if not len(close):
            return None
        best, best_d, here = None, radius + 1, field.item(u.hex)
        for h, d in zip(china_at[close].tolist(), dist[close].tolist()):
            if d < best_d and field.item(h) < here:
                best, best_d = h, d
        return best

    def _assault_field(self, state, target: int, ctx):
        """Cost-to-go to the free hexes around ``target``: converge to attack it from several sides."""
        around = [n for n in state.game.nbr_lists[target] if n >= 0 and not ctx.enemy_occupied[n]]
        return state.game.field_to(around or [target])

    def _good_attack_from(self, state, u, ctx, near_odds: "KeptOdds | None" = None) -> bool:
        """Whether an attack on a stack next to ``u`` (all adjacent units joining) has the odds wanted
        (``ctx``: the Japanese move context; ``near_odds``: the movement phase's kept odds, else
        weighed afresh)."""
        held = ctx.enemy_occupied
        around = [n for n in state.game.nbr_lists[u.hex] if n >= 0 and held[n]]  # the stacks next to u: only they have odds
        odds = near_odds or KeptOdds(state, "japan")
        wanted = self.attack_ratio()
        return any(r >= wanted for r in odds.odds_on(around))

    def attack_ratio(self) -> float:
        """Odds accepted for an attack: lower the longer the advance has been held up."""
        p = self.p
        if self.posture != "advance":
            return p.withdraw_attack_ratio
        frac = min(self.stall, p.stall_turns) / p.stall_turns
        return p.attack_ratio - p.stall_aggression * frac

    def _combat(self, state) -> None:
        attack_if(state, "japan", self.attack_ratio())


@per_game
def _main_force(game) -> tuple[int, ...]:
    """Indices of the Japanese units not on a feint axis (``axis`` starting "feint"), in unit order."""
    return tuple(d.index for d in game.units if d.side == "japan" and not (d.axis or "").startswith("feint"))

