"""Computer players in the UI: think in a worker thread, then play the orders back slowly.

The AI plays its phase on a *clone* of the state in a background thread, so the window
stays responsive.  When it is done, the orders it gave (the new ``state.history`` records)
are re-applied one by one to the displayed state with a short pause and a highlight each,
so the player can follow every move and attack.  Chance outcomes come from the state's own
generator, so replaying gives exactly the AI's result; the hashes are compared at the end
and, should they ever differ, the AI's state is adopted.

The players are the engine's operational AIs (``engine.api.make_player``).  Should one fail
while thinking, the window says so and the computer stops playing (nothing is substituted).
"""
from __future__ import annotations

import threading
import time
import traceback

from engine.api import IllegalAction, action_from_dict, annotate, apply, make_player, remember

from .animation import positions

SPEEDS = {"slow": 0.9, "normal": 0.4, "fast": 0.12, "instant": 0.0}


class AIController:
    def __init__(self, game, ai_sides, seed: int = 1, threaded: bool = True):
        self.game = game
        self.sides = set(ai_sides)
        self.seed = seed
        self.players = self._make_players()
        self.threaded = threaded
        self.status = "idle"  # idle, thinking, playback, failed (an AI raised: it plays no more)
        self.failure = ""
        self._thread: threading.Thread | None = None
        self._result = None
        self._error: str | None = None
        self.queue: list[dict] = []
        self.target_state = None
        self.next_time = 0.0
        self.highlight: dict | None = None  # what the last AI order did, for the renderer
        self.highlight_until = 0.0
        self.fast_forward = False

    # ------------------------------------------------------------------- control
    def wants_turn(self, state) -> bool:
        return not state.over and state.side in self.sides

    @property
    def busy(self) -> bool:
        return self.status != "idle"

    def _make_players(self) -> dict:
        return {s: make_player(s, self.seed * 101 + i + 7, self.game) for i, s in enumerate(("japan", "china"))
                if s in self.sides}

    def reset(self) -> None:
        """Forget any phase in progress and rebuild the players (after load / new game): the
        players' memory lives in the state, so they play on from the loaded position."""
        self.players = self._make_players()
        self.status = "idle"
        self.queue = []
        self.target_state = None
        self.next_time = 0.0
        self.highlight = None
        self._result = None
        self._thread = None

    def skip(self) -> None:
        """Play the rest of the AI's phase at once."""
        self.fast_forward = True

    def _think(self, clone, player) -> None:
        try:
            player.play_phase(clone)
            self._result = clone
        except Exception:  # the AI must never take the UI down
            self._error = traceback.format_exc(limit=3)
            self._result = clone

    def update(self, session, delay: float, now: float | None = None) -> bool:
        """Advance the AI; returns True when the displayed state changed."""
        now = time.monotonic() if now is None else now
        state = session.state
        if self.status == "idle":
            if not self.wants_turn(state):
                return False
            player = self.players[state.side]
            clone = state.clone()
            self._n0 = len(state.history)
            self._side, self._phase, self._turn = state.side, state.phase, state.turn
            self._result = None
            self._error = None
            self.status = "thinking"
            self.fast_forward = False
            if self.threaded:
                self._thread = threading.Thread(target=self._think, args=(clone, player), daemon=True)
                self._thread.start()
            else:
                self._think(clone, player)
        if self.status == "thinking":
            if self._thread is not None and self._thread.is_alive():
                return False
            self._thread = None
            result = self._result
            if self._error:
                self.status = "failed"
                self.failure = self._error.strip().splitlines()[-1]
                from .i18n import t
                from .texts import side_name

                session.error(t("msg.ai_failed", side=side_name(self._side), reason=self.failure))
                return True
            else:
                self.queue = [r for r in result.history[self._n0:] if r.get("type") != "chance"]
                self.target_state = result
            self.status = "playback"
            self.next_time = max(self.next_time, now)  # the pause after the previous phase's last order
        if self.status == "playback":
            changed = False
            instant = self.fast_forward or delay <= 0
            while self.queue and (instant or now >= self.next_time):
                rec = self.queue.pop(0)
                changed |= self._play(session, rec, now)
                self.next_time = now + (0.0 if instant else self._pause(rec, delay))
                if not instant:
                    break
            if not self.queue:  # the last order is on the board: done, with no stale "computer is playing"
                if self.target_state is not None and session.state.state_hash() != self.target_state.state_hash():
                    session.replace_state(self.target_state)
                    from .i18n import t

                    session.notice(t("msg.ai_adopted"), "ai")
                    changed = True
                self.status = "idle"
                self.target_state = None
                self.fast_forward = False
            return changed
        return False

    @staticmethod
    def _pause(rec: dict, delay: float) -> float:
        t = rec.get("type")
        if t == "attack":
            return delay * 2.2
        if t == "end_phase":
            return delay * 1.5
        if t == "air":
            return delay * 1.2
        return delay

    def _play(self, session, rec: dict, now: float) -> bool:
        state = session.state
        if rec.get("type") == "note":  # an announcement (api.annotate): log it as the replay would
            annotate(state, rec.get("text", ""))
            self.highlight = {"type": "note", "side": rec.get("side"), "t0": now}
            from .texts import side_name

            session.notice(f"{side_name(rec.get('side', ''))}: {rec.get('text', '')}", "ai")
            return True
        if rec.get("type") == "memory":  # the AI's memory, kept in the state (engine.core.memory)
            remember(state, rec["side"], rec["memory"])
            return False
        action = action_from_dict({k: v for k, v in rec.items() if k not in ("side", "phase", "chance")})
        before = {}
        if rec.get("type") == "move":
            u = state.unit(rec["unit"])
            before = {"from": u.hex}
        side, phase = state.side, state.phase
        n_log = len(state.log)
        hexes = positions(state)
        try:
            apply(state, action)
        except IllegalAction as exc:
            from .i18n import t

            session.error(t("msg.ai_refused_replay", reason=exc))
            if self.target_state is not None:
                session.replace_state(self.target_state)
            self.queue = []
            return True
        session.undo_stack.clear()
        session.record_motions(hexes, action)
        t = rec.get("type")
        hl = {"type": t, "side": side, "t0": now}
        if t == "move":
            hl.update(unit=rec["unit"], path=[before["from"], *rec["path"]])
        elif t == "attack":
            hl.update(units=list(rec["units"]), target=int(rec["target"]),
                      report=state.log[-1] if len(state.log) > n_log else None)
        elif t == "air":
            hl.update(kind=rec["kind"], target=int(rec["target"]), sorties=int(rec["sorties"]))
        elif t == "end_phase":
            hl.update(phase=phase)
        self.highlight = hl
        session.ai_event(hl)
        session.touch()
        return True
