"""Counters sliding along their paths: a view-only overlay of from -> to positions.

After an order (the player's or the computer's) the session records which units changed hex
and by which hexes (:func:`motions`): a move along the path the order gave, a retreat or an
advance after combat straight from the old hex to the new one (the engine reports only where a
beaten unit ends up); stepping a replay forward a phase slides all of that phase's orders at
once (:func:`joined`).  :class:`Animation` turns those into timed tracks and tells the renderer,
frame by frame, where to draw each moving counter.  It never touches the game state: the units
are already where the rules put them, and skipping (Space, Esc) just ends the overlay.

Hex centres come from the board (the game's camera and the engine's layout); the time per hex
follows the AI playback speed setting, and the instant speed shows no animation.
"""
from __future__ import annotations

from dataclasses import dataclass

#: seconds per hex and the longest slide, as multiples of the AI playback delay (game.ai_control.SPEEDS),
#: with floors so that even the fast speed shows a slide (about five frames a hex)
PER_HEX = 0.3
LONGEST = 2.5
MIN_PER_HEX = 0.08
MIN_LONGEST = 0.4


@dataclass(frozen=True)
class Motion:
    """One unit's change of hex: ``path`` from the old hex to the new; ``stage`` orders motions of
    one order (0: moves and retreats, 1: the attacker advancing into the hex the defenders left)."""

    uid: str
    path: tuple[int, ...]
    stage: int = 0


def positions(state) -> dict[str, int]:
    """Hex of every unit on the map (taken before an order, compared after it)."""
    return {u.id: u.hex for u in state.units if u.status == "active" and u.hex >= 0}


def motions(before: dict[str, int], state, action) -> list[Motion]:
    """The units ``action`` moved, comparing ``before`` with ``state`` after it was applied."""
    from engine.api import Attack, Move

    out = []
    for uid, h0 in before.items():
        u = state.unit(uid)
        if u.status != "active" or u.hex == h0:
            continue
        path: tuple[int, ...] = (h0, u.hex)
        stage = 0
        if isinstance(action, Move) and uid == action.unit and u.hex in action.path:
            path = (h0, *action.path[:action.path.index(u.hex) + 1])
        elif isinstance(action, Attack) and uid in action.units:
            stage = 1  # the advance follows the retreat
        out.append(Motion(uid, path, stage))
    return out


def joined(orders: list[list[Motion]]) -> list[Motion]:
    """Several orders' motions as one slide (a replayed phase): each unit's paths joined in
    order into one, its stage the latest it had (attackers advance after every retreat)."""
    paths: dict[str, tuple[int, ...]] = {}
    stages: dict[str, int] = {}
    for moved in orders:
        for m in moved:
            old = paths.get(m.uid)
            paths[m.uid] = m.path if old is None else old + m.path[1:]
            stages[m.uid] = max(stages.get(m.uid, 0), m.stage)
    return [Motion(uid, path, stages[uid]) for uid, path in paths.items()]


@dataclass
class Track:
    motion: Motion
    start: float  # seconds after the animation's clock started
    duration: float

    def fraction(self, t: float) -> float:
        if t <= self.start:
            return 0.0
        return min(1.0, (t - self.start) / self.duration) if self.duration > 0 else 1.0


class Animation:
    """The running slides.  ``update(dt)`` advances its own clock; ``skip()`` ends them all."""

    def __init__(self):
        self.tracks: list[Track] = []
        self.t = 0.0

    @property
    def running(self) -> bool:
        return any(self.t < tr.start + tr.duration for tr in self.tracks)

    def add(self, moved: list[Motion], delay: float) -> None:
        """Start sliding ``moved`` (one order's motions) at the speed of the AI ``delay`` (s);
        none at the instant speed."""
        if delay <= 0 or not moved:
            return
        if not self.running:
            self.tracks, self.t = [], 0.0
        by_uid = {tr.motion.uid: tr for tr in self.tracks}
        stage_end = self.t
        for stage in sorted({m.stage for m in moved}):
            ends = []
            for m in (m for m in moved if m.stage == stage):
                old = by_uid.pop(m.uid, None)  # a unit ordered on before its slide ended: the new one wins
                if old is not None:
                    self.tracks.remove(old)
                d = min(max(MIN_LONGEST, LONGEST * delay), max(MIN_PER_HEX, PER_HEX * delay) * (len(m.path) - 1))
                tr = Track(m, stage_end, d)
                self.tracks.append(tr)
                ends.append(stage_end + d)
            stage_end = max(ends)

    def update(self, dt: float) -> None:
        if self.tracks:
            self.t += dt
            if not self.running:
                self.tracks = []

    def skip(self) -> bool:
        """End every slide now (the counters stand where the state has them); True if one ran."""
        ran = self.running
        self.tracks = []
        return ran

    def clear(self) -> None:
        self.skip()

    def centres(self, hex_centre) -> dict[str, tuple[float, float]]:
        """Screen centre of each sliding unit's hex position now; ``hex_centre(h)`` -> (x, y)."""
        out = {}
        for tr in self.tracks:
            f = tr.fraction(self.t)
            if f >= 1.0:
                continue
            path = tr.motion.path
            x = f * (len(path) - 1)
            i = min(int(x), len(path) - 2)
            k = x - i
            (ax, ay), (bx, by) = hex_centre(path[i]), hex_centre(path[i + 1])
            out[tr.motion.uid] = (ax + (bx - ax) * k, ay + (by - ay) * k)
        return out
