"""A random legal player: the baseline opponent and the engine's fuzzer.

It gives only orders the rules allow, chosen with its own seeded numpy Generator (never the
game's), so the same seeds give the same game.
"""
from __future__ import annotations

import numpy as np

from ..rules import combat, movement
from ..core.actions import AirMission, Attack, EndPhase, Move
from ..core.errors import IllegalAction
from ..core.play import apply


class RandomPlayer:
    """Plays one whole phase at a time with uniformly random legal orders."""

    def __init__(self, seed: int, move_prob: float = 0.7, attack_prob: float = 0.5):
        self.rng = np.random.default_rng(seed)
        self.move_prob = move_prob
        self.attack_prob = attack_prob

    def play_phase(self, state) -> None:
        """Give this phase's orders for the side to move, ending with EndPhase."""
        side, phase = state.side, state.phase
        if phase == "air":
            left = state.sorties_left[side]
            own = [u.hex for u in state.active_units(side)]
            if left > 0 and own:
                kind = ("support", "interdict", "cap")[int(self.rng.integers(3))]
                apply(state, AirMission(kind, int(own[int(self.rng.integers(len(own)))]), int(left)))
        elif phase == "move":
            for u in list(state.active_units(side)):
                if self.rng.random() > self.move_prob:
                    continue
                ctx = movement.move_context(state, side)
                reach = movement.reachable(state, u.id, ctx)
                options = [h for h in reach if movement.can_end_in(ctx, h)]
                if options:
                    dest = options[int(self.rng.integers(len(options)))]
                    apply(state, Move(u.id, movement.path_to(reach, dest)))
        elif phase == "combat":
            for t in combat.enemy_adjacent_targets(state, side):
                if self.rng.random() > self.attack_prob:
                    continue
                nbr = state.game.map.nbr[t]
                ids = tuple(u.id for u in state.active_units(side) if not u.attacked and u.hex in nbr)
                if not ids or not state.units_at(t):
                    continue
                try:
                    combat.check_attack(state, ids, t)
                except IllegalAction:
                    continue
                apply(state, Attack(ids, t))
        apply(state, EndPhase())
