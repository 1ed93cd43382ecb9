"""The Chinese command (He Yingqin): hold the centre in the mountains, concentrate on the
flanks, strike flanks and rear when the odds are good, protect Zhijiang, pursue a beaten enemy.

Each unit acts by its scenario ``role``:

- ``hold``: stand and dig in; only when bypassed (a Japanese unit within ``hold_watch_radius``
  hexes stands ``hold_slack`` movement points nearer Zhijiang than the unit) fall back down
  the road toward the airfield to get across his path again.  A push on another sector does
  not move a garrison.
- ``garrison``: hold its start place, bypassed or besieged, for the whole campaign: stand and
  dig in there, and go back to it when pushed out.
- ``flank_north`` / ``flank_south`` / ``reserve``: close on the Japanese stack nearest Zhijiang
  among those within ``strike_radius`` hexes (the spearhead of their sector; with none that
  close, the nearest stack), but step into contact only where the Chinese strength gathered around the target reaches
  ``concentrate_ratio`` times the target's; otherwise wait two hexes off.
- ``airfield``: stay within ``airfield_radius`` hexes of the airfield while the Japanese are
  within ``airfield_alert_km`` of it.

The whole force turns to pursuit once it sees the Japanese falling back (their deepest
penetration shrinking two turns running, or their strength near the front below
``pursue_ratio`` of the Chinese).  Counter-attacks go in wherever the odds reach
``counter_ratio`` (``pursuit_ratio`` in pursuit).  Flank and reserve units first take back
any place the Japanese hold but have left uncovered (no Japanese unit on it or next to it)
within ``retake_radius`` hexes and nearer than the nearest Japanese unit; in pursuit every
unit but the garrisons does so, however near the enemy (the 44th
Division retook an emptied Xinning, ZH).  Air: ``air_support_share`` of the sorties
support the fights next to Chinese units, the rest interdict the leading Japanese units.
Plan numbers come from the scenario's ``[ai.china]`` table.
"""
from __future__ import annotations

from itertools import compress

import numpy as np

from ..core.actions import AirMission
from ..core.memory import ChinaMemory
from ..core.play import annotate, apply
from ..rules import movement, victory
from ..rules.combat import unit_strengths
from .base import PlanAI
from .common import attack_if, descend, targets_by_odds, try_move


class ChinaAI(PlanAI):
    side = "china"
    memory_model = ChinaMemory

    @property
    def pursuit(self) -> bool:
        return self.mem.pursuit

    # ------------------------------------------------------------------ judgement
    def assess(self, state) -> None:
        mem = self.mem
        if mem.assessed_turn == state.turn:
            return
        mem.assessed_turn = state.turn
        mem.penetration_seen.append(float(victory.japanese_penetration_now(state)))
        if not mem.pursuit and (self._falling_back(mem.penetration_seen) or self._outmatched(state)):
            mem.pursuit = True
            annotate(state, "Chinese command orders the counter-offensive: pursue and destroy.")
        self.remember(state)

    def _falling_back(self, seen: list[float]) -> bool:
        """The Japanese penetration shrank two turns running and stands well short of its deepest."""
        p = self.p
        step = p.fallback_step_km
        return (len(seen) >= 3 and seen[-1] < seen[-2] - step and seen[-2] < seen[-3] - step
                and seen[-1] < max(seen) - p.fallback_depth_km)

    def _outmatched(self, state) -> bool:
        """The Chinese strength near the front is ``pursue_ratio`` times the Japanese strength west
        of the start line, after a deep enough penetration (weighed only while not in pursuit)."""
        p = self.p
        if not max(self.mem.penetration_seen) > p.pursue_min_penetration_km:
            return False
        west = state.game.west_of_line_km
        jp = sum(unit_strengths(state, [u for u in state.active_units("japan") if west[u.hex] > 0]))
        reach = -p.front_reach_km
        cn = sum(unit_strengths(state, [u for u in state.active_units("china") if west[u.hex] > reach]))
        return jp > 0 and cn / jp >= p.pursue_ratio

    # --------------------------------------------------------------------- phases
    def _combat(self, state) -> None:
        attack_if(state, "china", self.p.pursuit_ratio if self.pursuit else self.p.counter_ratio)

    def _air(self, state) -> None:
        self.assess(state)
        left = state.sorties_left["china"]
        jp = state.active_units("japan")
        if left <= 0 or not jp:
            return
        game = state.game
        support_pool = int(left * self.p.air_support_share)
        fronts = targets_by_odds(state, "china")[: self.p.support_targets] if support_pool > 0 else []
        if fronts:
            each = max(1, support_pool // len(fronts))
            for t in fronts:
                n = min(each, state.sorties_left["china"])
                if n > 0:
                    apply(state, AirMission("support", t, n))
        lead = sorted(jp, key=lambda u: game.field_to_airfield[u.hex])[: self.p.interdict_targets]
        rest = state.sorties_left["china"]
        if rest > 0 and lead:
            each = max(1, rest // len(lead))
            for u in lead:
                n = min(each, state.sorties_left["china"])
                if n > 0:
                    apply(state, AirMission("interdict", u.hex, n))

    def _move(self, state) -> None:
        self.assess(state)
        front = _Front.read(state)
        if front is None:
            return
        ctx = movement.move_context(state, "china")  # one live context for the phase: it follows the board
        units = front.units
        nearness = front.to_japanese[front.hexes].tolist()  # cost-to-go to the Japanese, in unit order
        for k in sorted(range(len(units)), key=nearness.__getitem__):
            u = units[k]
            if u.mp > 0 and not ctx.enemy_zoc[u.hex]:  # in contact: stand and fight
                self._order(state, u, front, ctx)
            front.hexes[k] = u.hex

    def _order(self, state, u, front: "_Front", ctx) -> None:
        """Give unit ``u`` its order for this movement phase (by its role; see the module docstring)."""
        game, p = state.game, self.p
        grid = game.map.grid
        d = game.units[game.unit_index[u.id]]
        role = d.role or "hold"
        if role == "airfield" and not self.pursuit:
            if front.closest_km <= p.airfield_alert_km:
                # the airfield's reserve goes out to meet the spearhead threatening it
                try_move(state, u, descend(state, u, game.field_to([front.spearhead()]), ctx))
            elif grid.distance(u.hex, game.airfield_hex) > p.airfield_radius:
                try_move(state, u, descend(state, u, game.field_to_airfield, ctx))
            return
        if role == "garrison":
            if d.start_hex >= 0 and u.hex != d.start_hex:
                try_move(state, u, descend(state, u, game.field_to([d.start_hex]), ctx))
            return
        dist = grid.distances_from(u.hex)
        apart = dist[front.jp_at].tolist()  # hexes from u to each Japanese stack, in jp_hexes order
        if (self.pursuit or role != "hold") and self._retake(state, u, front, dist, apart, ctx):
            return
        jp_hexes = front.jp_hexes
        if self.pursuit:
            # press on, but close with a stack only with enough strength gathered around it
            target = jp_hexes[apart.index(min(apart))]
            enough = front.gathered(target, p.concentrate_radius) >= p.pursuit_concentrate_ratio * front.jp_strength[target]
            try_move(state, u, descend(state, u, front.to_japanese, ctx, stop_at=0.0 if enough else p.wait_off_mp))
            return
        if role == "hold":
            watch = p.hold_watch_radius
            lead_field = min((front.jp_lead[i] for i, n in enumerate(apart) if n <= watch), default=np.inf)
            if game.field_to_airfield.item(u.hex) > lead_field + p.hold_slack:
                try_move(state, u, descend(state, u, game.field_to_airfield, ctx, stop_at=max(0.0, lead_field - p.hold_lead_mp)))
            return
        # flank and reserve units: make for the spearhead within reach, concentrate, then strike
        strike = p.strike_radius
        reach = [i for i, n in enumerate(apart) if n <= strike]
        if reach:
            target = jp_hexes[min(reach, key=lambda i: (front.jp_lead[i], jp_hexes[i]))]
            field = game.field_to([target])
        else:
            target, field = jp_hexes[apart.index(min(apart))], front.to_japanese
        if front.gathered(target, p.concentrate_radius) >= p.concentrate_ratio * front.jp_strength[target]:
            try_move(state, u, descend(state, u, field, ctx))
        else:
            try_move(state, u, descend(state, u, field, ctx, stop_at=p.wait_off_mp))

    def _retake(self, state, u, front: "_Front", dist, apart: list[int], ctx) -> bool:
        """Make for the nearest uncovered Japanese-held place within ``retake_radius`` hexes, if it
        is nearer than every Japanese unit (in pursuit, whatever the distance to the enemy); True
        when that is the unit's order this phase.  ``dist``: hexes from ``u`` to every hex;
        ``apart``: to each Japanese stack."""
        uncovered = front.uncovered
        if not uncovered:
            return False
        steps = dist[front.uncovered_at].tolist()
        far, place = min(zip(steps, uncovered))
        if far > self.p.retake_radius or (not self.pursuit and far >= min(apart)):
            return False
        try_move(state, u, descend(state, u, state.game.field_to([place]), ctx))
        return True


class _Front:
    """What the Chinese command reads off the board at the start of its movement phase.

    The Japanese do not move in the Chinese movement phase, so their stacks, strengths and the
    field toward them hold for the whole phase; moving changes no unit's strength, so each
    Chinese unit is weighed once.  ``hexes`` (the Chinese units' hexes) is kept current by
    :meth:`ChinaAI._move` after each unit's order, so :meth:`gathered` always weighs the
    position as it stands.  Built afresh every phase; nothing here outlives it.
    """

    def __init__(self, state, jp):
        game = state.game
        self.grid = game.map.grid
        self.jp_hexes = sorted({u.hex for u in jp})
        self.jp_at = np.asarray(self.jp_hexes, dtype=np.intp)
        self.to_japanese = game.field_to(self.jp_hexes)
        self.closest_km = float(game.km_to_airfield[self.jp_at].min())
        self.jp_strength = {h: 0.0 for h in self.jp_hexes}
        for u, s in zip(jp, unit_strengths(state, jp)):
            self.jp_strength[u.hex] += s
        self.jp_lead = game.field_to_airfield[self.jp_at].tolist()  # cost-to-go to the airfield
        self.units = state.active_units("china")
        self.power = unit_strengths(state, self.units)
        self.hexes = np.array([c.hex for c in self.units], dtype=np.intp)
        # places Japan holds with no Japanese unit on them or next to them
        covered = set(self.jp_hexes)
        nbr = game.nbr_lists
        for h in self.jp_hexes:
            covered.update(nbr[h])
        self.uncovered = [game.place_hex[k] for k in game.place_keys
                          if state.control.get(k) == "japan" and game.place_hex[k] not in covered]
        self.uncovered_at = np.asarray(self.uncovered, dtype=np.intp)

    @classmethod
    def read(cls, state) -> "_Front | None":
        """The front as it stands, or None when no Japanese unit is on the map."""
        jp = state.active_units("japan")
        return cls(state, jp) if jp else None

    def spearhead(self) -> int:
        """The Japanese stack with the least cost-to-go to the airfield (the first such in hex order)."""
        return self.jp_hexes[self.jp_lead.index(min(self.jp_lead))]

    def gathered(self, target: int, radius: int) -> float:
        """Total strength of the Chinese units within ``radius`` hexes of ``target`` (in unit order)."""
        return sum(compress(self.power, (self.grid.distances_from(target)[self.hexes] <= radius).tolist()))
