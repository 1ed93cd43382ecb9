"""The player's session: selection, orders, undo, and messages.

Everything the human does goes through :class:`Session`, which talks to the engine only
through ``engine.api``: it asks for reachable hexes and attack previews, gives orders with
``apply`` and reports every :class:`IllegalAction` as an error message, leaving the state
untouched.  ``rev`` is bumped on every change so the renderer and panels know when to
redraw cached things.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from engine.api import (
    AIR_MISSIONS, AirMission, Attack, EndPhase, IllegalAction, Move, apply, attack_preview, other, reachable_hexes,
    move_route, zones_of_control,
)

from .animation import motions, positions
from .i18n import t
from .texts import air_kind, outcome_label, phase_name, side_name


@dataclass
class Message:
    text: str
    level: str  # "error", "info", "ai"
    t: float


class Session:
    def __init__(self, game, state, human_sides: set[str]):
        self.game = game
        self.state = state
        self.human = set(human_sides)
        self.rev = 0
        self.messages: list[Message] = []
        self.undo_stack: list[tuple[object, str]] = []
        self._clear_selection()
        self.combat_card: tuple[dict, float] | None = None  # the last combat's report and when it came
        self.namer = None  # the window's Namer (player-facing names in messages); set by the App
        self.air_kind = "support"
        self._air_choice: tuple[tuple, int] | None = None  # ((turn, side), count) the player set
        self.last_order: str = ""
        self.moved: list[list] = []  # each order's units that changed hex (game.animation.Motion), for the view

    # ------------------------------------------------------------------ helpers
    def _clear_selection(self) -> None:
        self.selected: str | None = None
        self.reach: dict[int, tuple[int, ...]] = {}
        self.attackers: list[str] = []
        self.target: int | None = None
        self.preview: dict | None = None
        self.air_target: int | None = None

    def touch(self) -> None:
        self.rev += 1

    def notice(self, text: str, level: str = "info") -> None:
        self.messages.append(Message(text, level, time.monotonic()))
        del self.messages[:-50]
        self.touch()

    def error(self, text: str) -> None:
        self.notice(text, "error")

    def plain(self, text: str) -> str:
        """``text`` with the engine's unit ids replaced by the units' names."""
        if self.namer is None:
            return text
        index = self.game.unit_index
        return re.sub(r"[A-Za-z0-9_]+", lambda m: self.namer.unit_short(m.group(0)) if m.group(0) in index
                      else m.group(0), text)

    def reason(self, exc) -> str:
        """Why the engine refused an order, in the interface language when the catalogue words
        that refusal, else the engine's English with unit ids replaced by names."""
        worded = self.namer.refusal(exc) if self.namer is not None else None
        return worded if worded is not None else self.plain(str(exc))

    def is_human_turn(self) -> bool:
        return not self.state.over and self.state.side in self.human

    def unit_def(self, uid: str):
        return self.game.units[self.game.unit_index[uid]]

    def unit_name(self, uid: str, lang: str = "en") -> str:
        d = self.unit_def(uid)
        if lang == "zh" and d.name_zh:
            return d.name_zh
        return d.name

    def units_at(self, h: int) -> list:
        return [u for u in self.state.units if u.status == "active" and u.hex == h]

    def enemy_zoc(self, side: str) -> np.ndarray:
        """Hexes where the enemies' zone of control stops ``side``'s movers (the engine's rule)."""
        return zones_of_control(self.state, other(side))

    def can_attack_from(self, u) -> bool:
        if u.side != self.state.side or u.status != "active" or u.attacked:
            return False
        nbr = self.game.map.nbr[u.hex]
        return any(n >= 0 and any(e.side != u.side for e in self.units_at(int(n))) for n in nbr)

    # ---------------------------------------------------------------- orders
    def order(self, action, label: str = "") -> bool:
        """Give an order; on refusal show the engine's reason and change nothing."""
        if not self.is_human_turn():
            self.error(t("msg.not_your_turn2") if not self.state.over else t("msg.game_over"))
            return False
        snapshot = self.state.clone() if isinstance(action, Move) else None
        before = positions(self.state)
        try:
            apply(self.state, action)
        except IllegalAction as exc:
            self.error(t("msg.refused", reason=self.reason(exc)))
            return False
        self.record_motions(before, action)
        if snapshot is not None:
            self.undo_stack.append((snapshot, label or "move"))
            del self.undo_stack[:-30]
        else:
            self.undo_stack.clear()
        self.last_order = label
        self.touch()
        return True

    def record_motions(self, before: dict[str, int], action) -> None:
        """Note the units ``action`` moved (``before``: their hexes before it) for the animation."""
        if isinstance(action, (Move, Attack)):
            moved = motions(before, self.state, action)
            if moved:
                self.moved.append(moved)
                del self.moved[:-50]

    def end_phase(self) -> bool:
        phase, side = self.state.phase, self.state.side
        ok = self.order(EndPhase(), "end phase")
        if ok:
            self._clear_selection()
            self.notice(t("msg.phase_ended", side=side_name(side), phase=phase_name(phase)))
        return ok

    def undo(self) -> bool:
        if not self.undo_stack:
            self.error(t("msg.nothing_to_undo"))
            return False
        snap, label = self.undo_stack.pop()
        self.state = snap
        self.moved.clear()
        self._clear_selection()
        self.notice(t("msg.undone", label=label))
        return True

    def replace_state(self, state, moved: list | None = None) -> None:
        """Show another state (a load, the computer's result, a replay step); ``moved``: the
        motions that lead to it (game.animation.Motion), slid by the view, else none."""
        self.state = state
        self.moved = [list(moved)] if moved else []
        self.undo_stack.clear()
        self._clear_selection()
        self.touch()

    # ----------------------------------------------------------- selection
    def select_unit(self, uid: str | None) -> None:
        self.selected = uid
        self.reach = {}
        if uid is not None:
            u = self.state.unit(uid)
            if self.is_human_turn() and self.state.phase == "move" and u.side == self.state.side and u.status == "active":
                try:
                    self.reach = reachable_hexes(self.state, uid)
                except IllegalAction:
                    self.reach = {}
        self.touch()

    def deselect(self) -> None:
        self._clear_selection()
        self.touch()

    def click_hex(self, h: int) -> None:
        """A left click on hex ``h`` of the map, interpreted for the current phase."""
        st = self.state
        if h < 0:
            return
        here = self.units_at(h)
        mine = [u for u in here if u.side == st.side]
        if not self.is_human_turn():
            # inspect only
            if here:
                ids = [u.id for u in here]
                nxt = ids[(ids.index(self.selected) + 1) % len(ids)] if self.selected in ids else ids[0]
                self.select_unit(nxt)
            else:
                self.deselect()
            return
        if st.phase == "move":
            self._click_move(h, here, mine)
        elif st.phase == "combat":
            self._click_combat(h, here, mine)
        elif st.phase == "air":
            self._click_air(h, here)

    def _click_move(self, h, here, mine) -> None:
        """Your own units: select (again: the next in the stack); a lit hex: move there."""
        if mine:
            ids = [u.id for u in mine]
            movable = [u.id for u in mine if u.mp > 0] or ids
            if self.selected in ids:
                i = ids.index(self.selected)
                nxt = ids[(i + 1) % len(ids)]
            else:
                nxt = movable[0]
            self.select_unit(nxt)
            return
        if self.selected is not None and h in self.reach:
            self.move_selected(h)
            return
        if here:  # enemy: inspect
            if self.selected is not None and self.state.unit(self.selected).side == self.state.side:
                self.try_move_anyway(h)
                return
            self.select_unit(here[0].id)
            return
        if self.selected is not None and self.state.unit(self.selected).side == self.state.side:
            self.try_move_anyway(h)
        else:
            self.deselect()

    def move_selected(self, h: int) -> bool:
        uid = self.selected
        path = self.reach.get(h)
        if uid is None or path is None:
            return False
        ok = self.order(Move(uid, tuple(int(x) for x in path)), self._move_label(uid, h))
        if ok:
            u = self.state.unit(uid)
            self.select_unit(uid if u.mp > 0 else None)
            if u.mp <= 0:
                self.selected = uid
                self.reach = {}
        return ok

    def try_move_anyway(self, h: int) -> bool:
        """A click outside the reachable area: give the order along the cheapest path so the
        engine says why it cannot be done (too far, zone of control, enemy in the way...)."""
        uid = self.selected
        u = self.state.unit(uid)
        path = move_route(self.state, uid, h)
        if not path:
            self.error(t("msg.refused", reason=t("msg.no_route", a=self._where(u.hex), b=self._where(h))))
            return False
        return self.order(Move(uid, path), self._move_label(uid, h))

    def _where(self, h: int) -> str:
        return self.namer.where(h) if self.namer else t("where.hex", hex=h)

    def _name(self, uid: str) -> str:
        return self.namer.unit_short(uid) if self.namer else self.unit_def(uid).name

    def _move_label(self, uid: str, h: int) -> str:
        return t("msg.move_label", unit=self._name(uid), where=self._where(h))

    # ---------------------------------------------------------------- combat
    def _click_combat(self, h, here, mine) -> None:
        st = self.state
        enemy = [u for u in here if u.side != st.side]
        if mine:
            eligible = [u.id for u in mine if self.can_attack_from(u)]
            if not eligible:
                self.select_unit(mine[0].id)
                if all(u.attacked for u in mine):
                    self.notice(t("msg.already_attacked"))
                else:
                    self.notice(t("msg.no_enemy_adjacent"))
                return
            if all(uid in self.attackers for uid in eligible):
                self.attackers = [a for a in self.attackers if a not in eligible]
            else:
                self.attackers += [uid for uid in eligible if uid not in self.attackers]
            self.selected = eligible[0]
            self.reach = {}
            self._update_preview()
            return
        if enemy:
            nbrs = set(int(n) for n in self.game.map.nbr[h])
            if not self.attackers:
                self.attackers = [u.id for u in st.units if u.status == "active" and u.side == st.side
                                  and not u.attacked and u.hex in nbrs]
                if not self.attackers:
                    self.select_unit(enemy[0].id)
                    self.error(t("msg.refused", reason=t("msg.none_adjacent")))
                    return
            self.target = h
            self._update_preview()
            return
        self.attackers = []
        self.target = None
        self.preview = None
        self.deselect()

    def _update_preview(self) -> None:
        self.preview = None
        if self.target is not None and self.attackers:
            nbrs = set(int(n) for n in self.game.map.nbr[self.target])
            if all(self.state.unit(a).hex in nbrs for a in self.attackers) and self.units_at(self.target):
                try:
                    self.preview = attack_preview(self.state, list(self.attackers), self.target)
                except (IllegalAction, KeyError, ValueError, IndexError) as exc:
                    self.preview = None
                    self.error(t("msg.no_preview", reason=self.reason(exc)))
        self.touch()

    def confirm_attack(self) -> bool:
        if self.target is None or not self.attackers:
            self.error(t("msg.pick_attack"))
            return False
        names = t("list.sep").join(self._name(a) for a in self.attackers)
        ok = self.order(Attack(tuple(self.attackers), int(self.target)),
                        t("msg.attack_label", where=self._where(self.target), names=names))
        if ok:
            rep = self.state.log[-1] if self.state.log else {}
            self.attackers, self.target, self.preview = [], None, None
            self.selected = None
            if rep.get("type") == "combat":
                self.combat_card = (rep, time.monotonic())
                self.notice(t("msg.attack_result", outcome=outcome_label(rep.get("outcome", "?")), ratio=rep.get("ratio", 0)))
        return ok

    def cancel(self) -> None:
        self._clear_selection()
        self.touch()

    # ------------------------------------------------------------------- air
    def _click_air(self, h, here) -> None:
        self.air_target = h
        if here:
            self.selected = here[0].id
        self.touch()

    def set_air_kind(self, kind: str) -> None:
        if kind in AIR_MISSIONS:
            self.air_kind = kind
            self.touch()

    @property
    def air_sorties(self) -> int:
        """Sorties the next mission flies: the player's choice this air phase, else half of what is
        left (rounded up); never more than is left."""
        left = self.state.sorties_left.get(self.state.side, 0)
        key = (self.state.turn, self.state.side)
        if self._air_choice is not None and self._air_choice[0] == key:
            return max(1, min(self._air_choice[1], left))
        return default_sorties(left)

    def set_air_sorties(self, n: int) -> None:
        left = self.state.sorties_left.get(self.state.side, 0)
        self._air_choice = ((self.state.turn, self.state.side), int(max(1, min(max(1, left), n))))
        self.touch()

    def fly_mission(self) -> bool:
        if self.air_target is None:
            self.error(t("msg.pick_air_target"))
            return False
        if self.state.sorties_left.get(self.state.side, 0) <= 0:
            self.error(t("msg.no_sorties"))
            return False
        n = int(self.air_sorties)
        where = self._where(self.air_target)
        ok = self.order(AirMission(self.air_kind, int(self.air_target), n),
                        t("msg.air_label", kind=air_kind(self.air_kind), where=where))
        if ok:
            self.notice(t("msg.flown", n=n, kind=air_kind(self.air_kind), where=where))
            self._air_choice = None  # the next mission defaults to half of what is left
        return ok

    def ai_event(self, hl: dict) -> None:
        """Describe an order the computer just gave (shown as a toast while it plays)."""
        kind = hl.get("type")
        side = side_name(hl.get("side", ""))
        if kind == "move":
            text = t("msg.ai_move", side=side, unit=self._name(hl["unit"]), n=len(hl["path"]) - 1)
        elif kind == "attack":
            rep = hl.get("report") or {}
            if rep.get("type") == "combat":
                self.combat_card = (rep, time.monotonic())
            n = len(hl.get("units", []))
            lead = self._name(hl["units"][0]) if hl.get("units") else "?"
            text = t("msg.ai_attack", side=side, where=self._where(hl["target"]), lead=lead + (f" +{n - 1}" if n > 1 else ""),
                     outcome=outcome_label(rep.get("outcome", "?")), ratio=rep.get("ratio", 0))
        elif kind == "air":
            text = t("msg.ai_air", side=side, n=hl["sorties"], kind=air_kind(hl["kind"]), where=self._where(hl["target"]))
        elif kind == "end_phase":
            text = t("msg.ai_end", side=side, phase=phase_name(hl.get("phase")))
        else:
            return
        self.notice(text, "ai")

    # ---------------------------------------------------------------- cycling
    def next_unit(self) -> str | None:
        """Select the next unit of the side to move that can still act in this phase."""
        st = self.state
        if st.phase == "move":
            cands = [u for u in st.units if u.status == "active" and u.side == st.side and u.mp > 0 and not u.moved]
            if not cands:
                cands = [u for u in st.units if u.status == "active" and u.side == st.side and u.mp > 0]
        elif st.phase == "combat":
            cands = [u for u in st.units if self.can_attack_from(u)]
        else:
            cands = [u for u in st.units if u.status == "active" and u.side == st.side]
        if not cands:
            self.notice(t("msg.no_unit_left"))
            return None
        ids = [u.id for u in cands]
        nxt = ids[(ids.index(self.selected) + 1) % len(ids)] if self.selected in ids else ids[0]
        if st.phase == "combat":
            self.attackers, self.target, self.preview = [], None, None
        self.select_unit(nxt)
        return nxt


def default_sorties(left: int) -> int:
    """The sortie count offered for a new mission: half of those left, rounded up (at least 1)."""
    return max(1, (int(left) + 1) // 2)
