"""Watching the computer: ``xuefeng play --side none`` (AI versus AI, live) and
``xuefeng play --replay DIR --run N`` (a run of a ``xuefeng sim`` batch, phase by phase).

Both are *modes* of the game window: :class:`App` asks its mode first for keys, lets it
decide whether the computer may play on (pause) and draws the mode's strip over the map.

* Watch: the :class:`game.ai_control.AIController` plays both sides with its usual playback;
  P pauses and resumes, ``[`` / ``]`` slow down / speed up, Space finishes the phase at once.
* Replay: the batch's ``orders/run_N.json`` (seed and orders) is re-applied with
  :func:`engine.api.replay_record`.  ``.`` / PageDown is the next phase (its moves slide as in
  the live game; Space or Esc skips the slide), ``,`` / PageUp the
  previous one (rebuilt from the nearest cached turn start: the displayed state is always a
  copy, never the cache), Shift for a whole turn, P plays the phases on by themselves at the
  chosen speed.  Reaching the end compares the final state's hash with the batch's.
"""
from __future__ import annotations

import time

import pygame

from . import fonts
from .i18n import t
SPEED_ORDER = ("slow", "normal", "fast", "instant")
SPEED_LABEL = {"slow": "Slow", "normal": "Normal", "fast": "Fast", "instant": "Instant"}  # English (speed.KEY)
REPLAY_PHASE_SECONDS = {"slow": 2.0, "normal": 1.0, "fast": 0.4, "instant": 0.0}  # per phase when playing on


def speed_label(speed: str) -> str:
    return t(f"speed.{speed}") if speed in SPEED_LABEL else "?"


def make_mode(app):
    """The mode the configuration asks for, or None for an ordinary game."""
    if getattr(app.config, "replay", None) is not None:
        return ReplayMode(app, app.config.replay)
    if app.config.side == "none":
        return WatchMode(app)
    return None


class _Mode:
    name = ""

    def __init__(self, app):
        self.app = app
        self.paused = False

    def set_speed(self, step: int) -> None:
        app = self.app
        cur = app.settings["ai_speed"]
        i = SPEED_ORDER.index(cur) if cur in SPEED_ORDER else 1
        i = max(0, min(len(SPEED_ORDER) - 1, i + step))
        app.set_setting("ai_speed", SPEED_ORDER[i])

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        self.app.session.touch()

    def handle(self, e) -> bool:
        """Keys the mode owns; returns True when the event was used."""
        if e.type != pygame.KEYDOWN or e.mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
            return False
        if e.key == pygame.K_p:
            self.toggle_pause()
            return True
        if e.key == pygame.K_LEFTBRACKET:
            self.set_speed(-1)
            return True
        if e.key == pygame.K_RIGHTBRACKET:
            self.set_speed(+1)
            return True
        return False

    @property
    def ai_may_play(self) -> bool:
        return not self.paused

    def update(self, dt: float) -> None:
        pass

    def status(self) -> str:
        return ""

    def keys_help(self) -> str:
        return ""

    def orders_html(self, namer, gold, grey) -> str:
        """The right column's orders box while watching or replaying."""
        from .texts import esc, phase_name
        from .ui_text import unbroken_groups

        st = self.app.session.state
        return (f"<font color='{gold}'><b>{esc(self.headline(namer.side(st.side), phase_name(st.phase)))}"
                f"</b></font><br><font color='{grey}'>{esc(unbroken_groups(self.keys_help()))}</font>")

    def headline(self, side: str, phase: str) -> str:
        return ""

    def draw(self, screen) -> None:
        """A strip at the top left of the map (clear of the AI banner and the toasts)."""
        vx, vy, w, h = self.app.camera.view
        title = fonts.text(t(self.name), 15, (240, 200, 110), True)
        status = fonts.text(self.status(), 15, (255, 255, 255), True)
        keys = fonts.text(self.keys_help(), 13, (200, 196, 186))
        width = max(title.get_width() + 14 + status.get_width(), keys.get_width()) + 24
        height = title.get_height() + keys.get_height() + 16
        rect = pygame.Rect(vx + 10, vy + 52, min(width, w - 20), height)  # below the AI banner
        bg = pygame.Surface(rect.size, pygame.SRCALPHA)
        bg.fill((18, 22, 28, 225))
        screen.blit(bg, rect.topleft)
        edge = (230, 120, 90) if self.paused else (230, 180, 80)
        pygame.draw.rect(screen, edge, rect, 2, border_radius=5)
        screen.blit(title, (rect.x + 12, rect.y + 6))
        screen.blit(status, (rect.x + 26 + title.get_width(), rect.y + 6))
        screen.blit(keys, (rect.x + 12, rect.y + 8 + title.get_height()))
        self.rect = rect


class WatchMode(_Mode):
    """The computer plays both sides in the window."""

    name = "watch.name"

    def status(self) -> str:
        st = self.app.session.state
        if st.over:
            return t("watch.over")
        state = t("watch.paused") if self.paused else t("watch.playing")
        return t("watch.status", state=state, speed=speed_label(self.app.settings["ai_speed"]))

    def keys_help(self) -> str:
        return t("watch.keys")

    def headline(self, side: str, phase: str) -> str:
        if self.paused:
            return t("watch.head_paused", side=side, phase=phase)
        return t("watch.head", side=side, phase=phase)


class ReplayMode(_Mode):
    """A run of a sim batch, rebuilt from its seed and orders, phase by phase."""

    name = "replay.name"
    KEYFRAME_EVERY = 6  # phases between cached states (one turn)

    def __init__(self, app, orders):
        super().__init__(app)
        self.orders = orders
        self.paused = True  # a replay waits for the viewer
        hist = orders.history
        # boundaries: history positions where a phase begins (after each end of phase)
        self.bounds = [0] + [i + 1 for i, r in enumerate(hist) if r.get("type") == "end_phase"]
        if self.bounds[-1] != len(hist):
            self.bounds.append(len(hist))
        self.index = 0
        self._keyframes: dict[int, object] = {0: app.game.new_initial_state(orders.seed)}
        self._check_all()
        self.hash_ok: bool | None = None
        self._next_time = 0.0
        self.show(0)

    def _check_all(self) -> None:
        """Replay the whole run once (caching each turn's start); a refused order means the
        batch was played under other rules: a ValueError naming the file, phase and order."""
        from engine.api import IllegalAction, replay_record

        st = self._keyframes[0].clone()
        hist = self.orders.history
        for j in range(self.last):
            for i in range(self.bounds[j], self.bounds[j + 1]):
                try:
                    replay_record(st, hist[i])
                except (IllegalAction, KeyError, TypeError, ValueError) as exc:
                    raise ValueError(f"{self.orders.path}: history[{i}] (phase {j + 1}, turn {st.turn}): the order "
                                     f"is refused ({exc}); the batch was played under other rules or another "
                                     f"version of the scenario: run it again") from None
            if (j + 1) % self.KEYFRAME_EVERY == 0:
                self._keyframes[j + 1] = st.clone()

    @property
    def ai_may_play(self) -> bool:
        return False  # nobody plays: the orders are the batch's

    @property
    def last(self) -> int:
        return len(self.bounds) - 1

    def state_at(self, k: int):
        """A fresh copy of the game at phase boundary ``k`` (the cache is never handed out)."""
        from engine.api import replay_record

        k = max(0, min(self.last, k))
        base = max(i for i in self._keyframes if i <= k)
        st = self._keyframes[base].clone()
        for j in range(base, k):
            for rec in self.orders.history[self.bounds[j]:self.bounds[j + 1]]:
                replay_record(st, rec)
        return st

    def next_phase(self):
        """A fresh copy of the game after the phase shown now, and that phase's orders' motions
        joined into one slide (game.animation.joined)."""
        from engine.api import action_from_dict, replay_record

        from .animation import joined, motions, positions

        st = self.state_at(self.index)
        orders = []
        for rec in self.orders.history[self.bounds[self.index]:self.bounds[self.index + 1]]:
            before = positions(st)
            replay_record(st, rec)
            if rec.get("type") in ("move", "attack"):
                orders.append(motions(before, st, action_from_dict(rec)))
        return st, joined(orders)

    def show(self, k: int, state=None, moved=None) -> None:
        """Show phase boundary ``k`` (``state``: its fresh copy when the caller built it; ``moved``:
        the motions leading to it, slid by the view)."""
        app = self.app
        k = max(0, min(self.last, k))
        st = self.state_at(k) if state is None else state
        self.index = k
        app.session.replace_state(st, moved)
        app.ai.reset()
        app._end_shown = k < self.last  # the end report opens by itself when the last phase is reached
        if k < self.last:
            app.end_open = False
        if k == self.last:
            self.hash_ok = st.state_hash() == self.orders.final_hash
            if self.hash_ok:
                app.session.notice(t("replay.complete", run=self.orders.run))
            else:
                app.session.error(t("replay.mismatch", run=self.orders.run, a=st.state_hash()[:12],
                                    b=self.orders.final_hash[:12]))

    def step(self, n: int) -> None:
        """``n`` phases on (back when negative); one phase forward slides its moves, retreats and
        advances (Space or Esc skips the slide), a longer jump or a step back shows the state at once."""
        if n == 1 and self.index < self.last:
            st, moved = self.next_phase()
            self.show(self.index + 1, st, moved)
        else:
            self.show(self.index + n)

    def handle(self, e) -> bool:
        if super().handle(e):
            return True
        if e.type != pygame.KEYDOWN:
            return False
        turn = self.KEYFRAME_EVERY if e.mod & pygame.KMOD_SHIFT else 1
        if e.key in (pygame.K_PERIOD, pygame.K_PAGEDOWN):
            self.step(turn)
            return True
        if e.key in (pygame.K_COMMA, pygame.K_PAGEUP):
            self.step(-turn)
            return True
        if e.key == pygame.K_END:
            self.show(self.last)
            return True
        if e.key == pygame.K_HOME and e.mod & pygame.KMOD_SHIFT:
            self.show(0)
            return True
        return False

    def toggle_pause(self) -> None:
        super().toggle_pause()
        self._next_time = time.monotonic()

    def update(self, dt: float) -> None:
        if self.paused:
            return
        if self.index >= self.last:
            self.paused = True
            self.app.session.touch()
            return
        now = time.monotonic()
        if now >= self._next_time and not self.app.anim.running:  # the next phase waits for the slide
            self.step(1)
            self._next_time = now + REPLAY_PHASE_SECONDS.get(self.app.settings["ai_speed"], 1.0)

    def status(self) -> str:
        st = self.app.session.state
        o = self.orders
        where = t("replay.where", run=o.run, i=self.index, n=self.last, turn=st.turn)
        state = t("watch.paused") if self.paused else t("replay.playing", speed=speed_label(self.app.settings["ai_speed"]))
        check = {True: t("replay.matches"), False: t("replay.differs"), None: ""}[self.hash_ok]
        return f"{where} · {state}{check}"

    def keys_help(self) -> str:
        return t("replay.keys")

    def headline(self, side: str, phase: str) -> str:
        return t("replay.head", run=self.orders.run, side=side, phase=phase, i=self.index, n=self.last)
