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

import numpy as np

from ..core.actions import AirMission
from ..core.memory import ChinaMemory
from ..core.play import annotate, apply
from ..rules import movement, victory
from ..rules.combat import unit_strength
from .base import PlanAI
from .common import attack_if, attack_options, descend, try_move


class ChinaAI(PlanAI):
    side = "china"
    memory_model = ChinaMemory

    @property
    def pursuit(self) -> bool:
        return self.mem.pursuit

    # ------------------------------------------------------------------ judgement
    def assess(self, state) -> None:
        mem, p = self.mem, self.p
        if mem.assessed_turn == state.turn:
            return
        mem.assessed_turn = state.turn
        mem.penetration_seen.append(float(victory.japanese_penetration_now(state)))
        seen = mem.penetration_seen
        step = p.fallback_step_km
        falling_back = (len(seen) >= 3 and seen[-1] < seen[-2] - step and seen[-2] < seen[-3] - step
                        and seen[-1] < max(seen) - p.fallback_depth_km)
        jp = sum(unit_strength(state, u) for u in state.active_units("japan")
                 if state.game.west_of_line_km[u.hex] > 0)
        cn = sum(unit_strength(state, u) for u in state.active_units("china")
                 if state.game.west_of_line_km[u.hex] > -p.front_reach_km)
        outmatched = jp > 0 and cn / jp >= p.pursue_ratio and max(seen) > p.pursue_min_penetration_km
        if not mem.pursuit and (falling_back or outmatched):
            mem.pursuit = True
            annotate(state, "Chinese command orders the counter-offensive: pursue and destroy.")
        self.remember(state)

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
        fronts = [t for _, t, _ in attack_options(state, "china")][: self.p.support_targets]
        if fronts and support_pool > 0:
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
        game = state.game
        jp = state.active_units("japan")
        if not jp:
            return
        jp_hexes = sorted({u.hex for u in jp})
        to_japanese = game.field_to(jp_hexes)
        jp_closest_km = min(float(game.km_to_airfield[h]) for h in jp_hexes)
        jp_strength = {h: 0.0 for h in jp_hexes}
        for u in jp:
            jp_strength[u.hex] += unit_strength(state, u)
        grid = game.map.grid
        # moving changes no unit's strength: weigh each Chinese unit once for the whole phase
        power = {c.id: unit_strength(state, c) for c in state.active_units("china")}
        jp_near_hex = np.zeros(game.n_hex, dtype=bool)
        for h in jp_hexes:
            jp_near_hex |= grid.distances_from(h) <= 1
        uncovered = [game.place_hex[k] for k in game.place_keys
                     if state.control.get(k) == "japan" and not jp_near_hex[game.place_hex[k]]]
        for u in sorted(state.active_units("china"), key=lambda u: to_japanese[u.hex]):
            if u.mp <= 0:
                continue
            d = game.units[game.unit_index[u.id]]
            role = d.role or "hold"
            ctx = movement.move_context(state, "china")
            if ctx.enemy_zoc[u.hex]:
                continue  # in contact: stand and fight
            if role == "airfield" and not self.pursuit:
                if jp_closest_km <= self.p.airfield_alert_km:
                    # the airfield's reserve goes out to meet the spearhead threatening it
                    spearhead = min(jp_hexes, key=lambda h: game.field_to_airfield[h])
                    try_move(state, u, descend(state, u, game.field_to([spearhead]), ctx))
                elif grid.distance(u.hex, game.airfield_hex) > self.p.airfield_radius:
                    try_move(state, u, descend(state, u, game.field_to_airfield, ctx))
                continue
            if role == "garrison":
                if d.start_hex >= 0 and u.hex != d.start_hex:
                    try_move(state, u, descend(state, u, game.field_to([d.start_hex]), ctx))
                continue
            if (self.pursuit or role != "hold") and self._retake(state, u, uncovered, jp_hexes, ctx):
                continue
            if self.pursuit:
                # press on, but close with a stack only with enough strength gathered around it
                target = min(jp_hexes, key=grid.distances_from(u.hex).__getitem__)
                near = grid.distances_from(target)
                gathered = sum(power[c.id] for c in state.active_units("china")
                               if near[c.hex] <= self.p.concentrate_radius)
                stop = 0.0 if gathered >= self.p.pursuit_concentrate_ratio * jp_strength[target] else self.p.wait_off_mp
                try_move(state, u, descend(state, u, to_japanese, ctx, stop_at=stop))
                continue
            if role == "hold":
                watch = grid.distances_from(u.hex)
                near = [h for h in jp_hexes if watch[h] <= self.p.hold_watch_radius]
                lead_field = min((float(game.field_to_airfield[h]) for h in near), default=np.inf)
                if game.field_to_airfield[u.hex] > lead_field + self.p.hold_slack:
                    try_move(state, u, descend(state, u, game.field_to_airfield, ctx, stop_at=max(0.0, lead_field - self.p.hold_lead_mp)))
                continue
            # flank and reserve units: make for the spearhead within reach, concentrate, then strike
            dist = grid.distances_from(u.hex)
            reach = [h for h in jp_hexes if dist[h] <= self.p.strike_radius]
            if reach:
                target = min(reach, key=lambda h: (game.field_to_airfield[h], h))
                field = game.field_to([target])
            else:
                target, field = min(jp_hexes, key=dist.__getitem__), to_japanese
            near = grid.distances_from(target)
            gathered = sum(power[c.id] for c in state.active_units("china")
                           if near[c.hex] <= self.p.concentrate_radius)
            if gathered >= self.p.concentrate_ratio * jp_strength[target]:
                try_move(state, u, descend(state, u, field, ctx))
            else:
                try_move(state, u, descend(state, u, field, ctx, stop_at=self.p.wait_off_mp))

    def _retake(self, state, u, uncovered: list[int], jp_hexes: list[int], ctx) -> bool:
        """Make for the nearest uncovered Japanese-held place within ``retake_radius`` hexes, if it
        is nearer than every Japanese unit (in pursuit, whatever the distance to the enemy); True
        when that is the unit's order this phase."""
        if not uncovered:
            return False
        dist = state.game.map.grid.distances_from(u.hex)
        place = min(uncovered, key=lambda h: (dist[h], h))
        if dist[place] > self.p.retake_radius or (not self.pursuit and dist[place] >= min(dist[h] for h in jp_hexes)):
            return False
        try_move(state, u, descend(state, u, state.game.field_to([place]), ctx))
        return True
