"""The side panels and buttons (pygame_gui): unit / hex details, orders (attack preview,
air missions), victory status and the event log, plus the top bar's buttons.

Panels are rebuilt on window resize and refreshed only when the session's revision, the
hovered hex or the language changes (re-laying out HTML text is the costly part).
"""
from __future__ import annotations

import warnings

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIHorizontalSlider

from engine.api import supply_line

from . import fonts
from .i18n import SEP, lang, t, t_in
from .texts import (Namer, air_kind, date_range, esc, hex_description, log_entry, losses_total, mark_text, phase_name,
                    side_name, supply_line_text, word)
from .ui_text import UIManager, text_box

TOP = 46
RIGHT_W = 400
GOLD = "#e6b450"
RED = "#ff7a6a"
GREEN = "#8fd18a"
GREY = "#a8a293"
BLUE = "#8ab4ff"

_FONT_ELEMENTS = ["button", "label", "text_box", "text_entry_line", "selection_list", "drop_down_menu",
                  "window", "tool_tip", "file_dialog", "horizontal_slider", "panel"]


def make_theme() -> dict:
    reg = fonts.font_path(False)
    bold = fonts.font_path(True)
    font = {"name": "xuefeng", "size": "14"}
    if reg:
        font.update(regular_path=reg, bold_path=bold or reg)
    theme = {k: {"font": dict(font)} for k in _FONT_ELEMENTS}
    theme["defaults"] = {"colours": {
        "normal_bg": "#343c47", "hovered_bg": "#46515f", "disabled_bg": "#262b31", "selected_bg": "#5a4a24",
        "active_bg": "#6b5626", "dark_bg": "#1b1f25", "normal_text": "#e8e3d5", "hovered_text": "#ffffff",
        "selected_text": "#ffffff", "disabled_text": "#6c6a64", "normal_border": "#4b5563",
        "hovered_border": "#b89a5a", "selected_border": "#e6b450", "active_border": "#e6b450",
    }}
    theme["text_box"]["colours"] = {"dark_bg": "#1b1f25", "normal_border": "#39414c"}
    theme["text_box"]["misc"] = {"padding": "6,4", "border_width": "1", "shape": "rounded_rectangle",
                                 "shape_corner_radius": "4"}
    theme["button"]["misc"] = {"shape": "rounded_rectangle", "shape_corner_radius": "4", "border_width": "1"}
    theme["#primary"] = {"colours": {"normal_bg": "#7a5c1e", "hovered_bg": "#9a7426", "normal_border": "#e6b450"},
                         "font": dict(font, size="15", bold="1")}
    theme["#danger"] = {"colours": {"normal_bg": "#7a2a22", "hovered_bg": "#9a362b", "normal_border": "#ff7a6a"},
                        "font": dict(font, size="15", bold="1")}
    return theme


def make_manager(size) -> pygame_gui.UIManager:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mgr = UIManager(size, make_theme(), enable_live_theme_updates=False)
        if fonts.font_path():
            mgr.preload_fonts([{"name": "xuefeng", "point_size": 14, "style": "bold"},
                               {"name": "xuefeng", "point_size": 15, "style": "bold"}])
    return mgr


class Panels:
    def __init__(self, app):
        self.app = app
        self.mgr: pygame_gui.UIManager = app.ui
        self.elements: list = []
        self._cache: dict[str, str] = {}
        self.build(app.screen.get_size())

    # ---------------------------------------------------------------- layout
    def build(self, size) -> None:
        for e in self.elements:
            e.kill()
        self.elements = []
        self._cache = {}
        self.lang = lang()  # the interface language the buttons were labelled in
        W, H = size
        mgr = self.mgr
        rw = min(RIGHT_W, max(300, W // 4))
        self.right_rect = pygame.Rect(W - rw, TOP, rw, H - TOP)
        x0 = W - rw + 6
        iw = rw - 12

        def add(e):
            self.elements.append(e)
            return e

        # top bar buttons (right aligned)
        bx = W - 8
        self.buttons = {}
        wide = W >= 1400
        for key, label, w, oid in [("help", t("button.help") if wide else t("button.help_short"), 78 if wide else 34, None),
                                   ("settings", t("button.settings"), 86 if wide else 78, None),
                                   ("load", t("button.load"), 60 if wide else 50, None),
                                   ("save", t("button.save"), 60 if wide else 50, None),
                                   ("undo", t("button.undo"), 64 if wide else 54, None),
                                   ("end", t("button.end") if wide else t("button.end_short"), 132 if wide else 84,
                                    "#primary")]:
            w = max(w, fonts.font(15 if oid else 14, bool(oid)).size(label)[0] + 18)  # never cut a label
            bx -= w
            self.buttons[key] = add(UIButton(pygame.Rect(bx, 7, w, TOP - 14), label, mgr, object_id=oid))
            bx -= 6
        self.topbar_right = bx
        self.buttons["help"].set_tooltip = None

        y = TOP + 6
        unit_h = int(min(215, max(150, (H - TOP) * 0.25)))
        self.unit_box = add(text_box("", pygame.Rect(x0, y, iw, unit_h), mgr))
        y += unit_h + 6
        orders_h = 232 if H >= 860 else 204 if H >= 760 else 168
        self.orders_box = add(text_box("", pygame.Rect(x0, y, iw, orders_h), mgr))
        self._orders_sizes = ((iw, orders_h), (iw, orders_h + 68))
        self._orders_tall = False
        self._orders_tip = None
        y += orders_h + 4
        # combat buttons
        half = (iw - 6) // 2
        self.attack_btn = add(UIButton(pygame.Rect(x0, y, half, 30), t("button.attack"), mgr, object_id="#danger"))
        self.cancel_btn = add(UIButton(pygame.Rect(x0 + half + 6, y, half, 30), t("button.cancel"), mgr))
        # air buttons share the row
        third = (iw - 12) // 3
        self.air_btns = {}
        for i, k in enumerate(("support", "interdict", "cap")):
            self.air_btns[k] = add(UIButton(pygame.Rect(x0 + i * (third + 6), y, third, 30),
                                            t(f"button.air.{k}"), mgr))
        y += 34
        self.slider = add(UIHorizontalSlider(pygame.Rect(x0, y, iw - 120, 28), 20, (1, 100), mgr))
        self.fly_btn = add(UIButton(pygame.Rect(x0 + iw - 114, y, 114, 28), t("button.fly"), mgr, object_id="#primary"))
        y += 34
        vic_h = 86
        self.victory_box = add(text_box("", pygame.Rect(x0, y, iw, vic_h), mgr))
        y += vic_h + 6
        self.log_box = add(text_box("", pygame.Rect(x0, y, iw, max(60, H - y - 6)), mgr))
        self._slider_max = 100

    # ------------------------------------------------------------- refresh
    def _set(self, box, key: str, html_text: str) -> None:
        if self._cache.get(key) != html_text:
            self._cache[key] = html_text
            box.set_text(html_text)

    def refresh(self) -> None:
        app = self.app
        s = app.session
        st = s.state
        namer: Namer = app.namer
        human_turn = s.is_human_turn() and not app.ai.busy
        phase = st.phase
        # buttons
        show_combat = human_turn and phase == "combat"
        show_air = human_turn and phase == "air"
        for b in (self.attack_btn, self.cancel_btn):
            b.show() if show_combat else b.hide()
        for k, b in self.air_btns.items():
            b.show() if show_air else b.hide()
            if show_air:
                b.select() if s.air_kind == k else b.unselect()
        if show_air:
            self.slider.show()
            self.fly_btn.show()
            left = max(1, st.sorties_left.get(st.side, 0))
            if left != self._slider_max:
                self._slider_max = left
                self.slider.value_range = (1, left)
                self.slider.set_current_value(max(1, min(s.air_sorties, left)), warn=False)
            want = max(1, min(s.air_sorties, left))
            if int(self.slider.get_current_value()) != want:
                self.slider.set_current_value(want, warn=False)
            for el in (self.slider, self.fly_btn):  # nothing to fly: nothing to press
                el.enable() if st.sorties_left.get(st.side, 0) > 0 else el.disable()
        else:
            self.slider.hide()
            self.fly_btn.hide()
        if show_combat and s.preview is not None and s.preview.get("allowed", True):
            self.attack_btn.enable()
        else:
            self.attack_btn.disable()
        if human_turn:
            self.buttons["end"].enable()
        else:
            self.buttons["end"].disable()
        if s.undo_stack and human_turn:
            self.buttons["undo"].enable()
        else:
            self.buttons["undo"].disable()

        tall = not (show_combat or show_air)
        if tall != self._orders_tall:
            self._orders_tall = tall
            self.orders_box.set_dimensions(self._orders_sizes[1 if tall else 0])
            self._cache.pop("orders", None)
        self._set(self.unit_box, "unit", self.unit_html())
        self._set(self.orders_box, "orders", self.orders_html(human_turn))
        tip = odds_explanation() if show_combat and s.preview is not None else None
        if tip != self._orders_tip:
            self._orders_tip = tip
            self.orders_box.set_tooltip(tip, wrap_width=360)
        self._set(self.victory_box, "victory", self.victory_html())
        self._set(self.log_box, "log", self.log_html())

    # ------------------------------------------------------------------ html
    def unit_html(self) -> str:
        app = self.app
        s = app.session
        st = s.state
        namer: Namer = app.namer
        game = app.game
        uid = s.selected
        out = []
        if uid is not None:
            u = st.unit(uid)
            d = game.units[game.unit_index[uid]]
            col = "#e0c48a" if u.side == "japan" else "#9fc0ea"
            first = d.name_zh if namer.lang == "zh" and d.name_zh else d.name  # the names setting
            out.append(f"<font color='{col}' size=4><b>{esc(first)}</b></font>")
            if d.name_zh and namer.lang == "both":
                out.append(f"  <font color='{col}' size=4>{esc(d.name_zh)}</font>")
            out.append(f"<br><font color='{GREY}'>" + esc(t("unit.line", side=side_name(u.side), size=word("unit_size", d.size),
                                                             kind=word("unit_kind", d.kind), quality=d.quality))
                       + "</font>")
            chain = namer.formation_chain(d.formation)
            if chain:
                pick = (lambda f: f.name) if namer.lang == "both" else (lambda f: namer.pick(f.name, getattr(f, "name_zh", "")))
                names = " › ".join(esc(pick(f)) for f in chain[:2])
                out.append(f"<br>{names}")
            cmd = d.commander or (getattr(chain[0], "commander", "") if chain else "")
            if cmd:
                czh = getattr(chain[0], "commander_zh", "") if chain and not d.commander else ""
                out.append(f"<br>{esc(t('unit.commander'))}<b>{esc(cmd)}</b>{(' ' + esc(czh)) if czh else ''}")
            pct = 100.0 * u.men / max(1, u.start_men)
            mcol = GREEN if pct >= 75 else GOLD if pct >= 45 else RED
            out.append(f"<br>{esc(t('unit.men'))}<font color='{mcol}'><b>{u.men:,}</b></font> / {u.start_men:,} ({pct:.0f}%)")
            if u.status != "active":
                out.append(f"<br><font color='{RED}'>{esc(word('unit_status', u.status))}</font>")
            else:
                sup = (f"<font color='{GREEN}'>{esc(t('unit.in_supply'))}</font>" if u.supplied else
                       f"<font color='{RED}'><b>{esc(t('unit.out_of_supply'))}</b> "
                       f"{esc(t('unit.turns', n=u.turns_unsupplied))}</font>")
                fcol = GREEN if u.fatigue < 0.2 else GOLD if u.fatigue < 0.5 else RED
                out.append(f"<br>{esc(t('unit.supply'))}{sup}{SEP}{esc(t('unit.fatigue'))} "
                           f"<font color='{fcol}'>{u.fatigue * 100:.0f}%</font>")
                mark = app.board.marks(st, s.rev).get(uid)
                if mark:
                    out.append(f"<br><font color='{RED if mark == 'routed' else GOLD}'><b>{esc(mark_text(mark))}</b></font>")
                out.append(f"<br><font color='{GREY}'>{esc(t('unit.supply_line'))}"
                           f"{esc(supply_line_text(supply_line(st, uid), namer))}</font>")
                out.append("<br>" + esc(t("unit.fort_mp", fort=u.fort, mp=u.mp, mp_max=d.mp))
                           + (esc(t("unit.moved")) if u.moved else "")
                           + (f"{SEP}<b>{esc(t('unit.attacked'))}</b>" if u.attacked else ""))
                loc = namer.where(u.hex)
                at = "" if loc == t("where.hex", hex=u.hex) else f"{esc(loc)}{SEP}"  # the hex line names the hex itself
                out.append(f"<br><font color='{GREY}'>{at}"
                           f"{esc(SEP.join(hex_description(game, st, namer, u.hex)[:1]))}</font>")
                stack = [x for x in s.units_at(u.hex) if x.id != uid]
                if stack:
                    out.append("<br>" + esc(t("unit.stack")) + t("list.sep").join(esc(namer.unit_short(x.id)) + f" ({x.men / 1000:.1f}k)" for x in stack))
            return "".join(out)
        h = app.inspect_hex
        if h is None or h < 0:
            return (f"<font color='{GOLD}'><b>{esc(t('unit.none'))}</b></font><br>"
                    f"<font color='{GREY}'>{esc(t('unit.none_help'))}</font>")
        lines = hex_description(game, st, namer, h)
        out.append(f"<font color='{GOLD}'><b>{esc(lines[0])}</b></font>")
        for ln in lines[1:]:
            out.append(f"<br>{esc(ln)}")
        for u in s.units_at(h):
            col = "#e0c48a" if u.side == "japan" else "#9fc0ea"
            out.append(f"<br><font color='{col}'>{esc(namer.unit(u.id))}</font> {esc(t('unit.men_count', men=u.men))}"
                       f"{'' if u.supplied else ' <font color=' + repr(RED) + '>' + esc(t('unit.unsupplied')) + '</font>'}")
        return "".join(out)

    def orders_html(self, human_turn: bool) -> str:
        app = self.app
        s = app.session
        st = s.state
        namer = app.namer
        if st.over:
            return f"<font color='{GOLD}'><b>{esc(t('orders.over'))}</b></font><br>{esc(t('orders.over_help'))}"
        if getattr(app, "mode", None) is not None:  # watching or replaying (game/watch.py)
            return app.mode.orders_html(namer, GOLD, GREY)
        if app.ai.busy or not s.is_human_turn():
            spd = app.settings["ai_speed"]
            return (f"<font color='{GOLD}'><b>{esc(t('orders.ai', side=namer.side(st.side), phase=phase_name(st.phase)))}"
                    f"</b></font><br><font color='{GREY}'>{esc(t('orders.ai_help', speed=word('speed', spd)))}</font>")
        if st.phase == "move":
            n_can = sum(1 for u in st.units if u.status == "active" and u.side == st.side and u.mp > 0 and not u.moved)
            txt = (f"<font color='{GOLD}'><b>{esc(t('orders.move_title'))}</b></font>{t('orders.title_sep')}{esc(t('orders.move_help'))}<br>"
                   f"<font color='{GREY}'>{esc(t('orders.zoc_help'))}</font><br>"
                   f"{esc(t('orders.move_left', n=n_can))}")
            if s.selected and s.reach:
                txt += f"<br><font color='{GREEN}'>{esc(t('orders.reachable', n=len(s.reach)))}</font>"
            return txt
        if st.phase == "combat":
            if not s.attackers:
                return f"<font color='{GOLD}'><b>{esc(t('orders.combat_title'))}</b></font>{t('orders.title_sep')}{esc(t('orders.combat_help'))}"
            from .counters import designation

            if s.preview is None:
                names = t("list.sep").join(esc(namer.unit_short(a)) for a in s.attackers)
                return f"<b>{esc(t('orders.attackers'))}</b> {names}<br>{esc(t('orders.pick_target'))}"
            p = s.preview
            ok = p.get("allowed", True)
            rcol = GREEN if p["ratio"] >= 2 else GOLD if p["ratio"] >= 1 else RED
            short = t("list.sep").join(esc(designation(app.game.units[app.game.unit_index[a]].name)) for a in s.attackers)
            you_line, defender_line = odds_side_lines(p)

            below = "" if ok else f" <font color='{RED}'><b>{esc(t('orders.below_min'))}</b></font>"
            return (f"{esc(t('orders.odds'))} <font color='{rcol}' size=4><b>{p['ratio']:.2f} : 1</b></font>{below}"
                    f" <font color='{GREY}'>{esc(t('orders.hover'))}</font><br>"
                    f"<font color='{BLUE}'>{esc(t('orders.you'))}</font> {you_line}<br>"
                    f"<font color='{RED}'>{esc(t('orders.defender'))}</font> {defender_line}<br>"
                    + t("orders.losses", mine=p["attacker_loss"], theirs=p["defender_loss"],
                        retreat=p["p_retreat"] * 100, rout=p["p_rout"] * 100) + "<br>"
                    f"<font color='{GREY}'>{esc(t('orders.attacking', n=len(s.attackers), names=short, where=namer.where(s.target)))}</font>")
        if st.phase == "air":
            left = st.sorties_left.get(st.side, 0)
            tgt = (f"{esc(namer.where(s.air_target))}" if s.air_target is not None else
                   f"<font color='{GREY}'>{esc(t('orders.air_click'))}</font>")
            mine = [m for m in st.missions if m.get("side") == st.side]
            flown = "; ".join(esc(t("orders.air_mission", n=m["sorties"], kind=air_kind(m["kind"]),
                                    where=namer.where(m["target"]))) for m in mine[-3:])
            flown_line = f"<br>{esc(t('orders.air_flown', missions=''))}{flown}" if flown else ""
            title = f"<font color='{GOLD}'><b>{esc(t('orders.air_title'))}</b></font>{t('orders.title_sep')}"
            if left <= 0:  # all flown, or none to fly (weather, bases): say which
                done = t("orders.air_all_flown") if mine else t("orders.air_none")
                return f"{title}{esc(done)}<br>{esc(t('orders.air_end'))}{flown_line}"
            return (f"{title}{t('orders.air_left', left=left)}<br>"
                    f"<b>{s.air_sorties}</b> × <b>{esc(air_kind(s.air_kind))}</b> {tgt}<br>"
                    f"<font color='{GREY}'>{esc(t('orders.air_help.' + s.air_kind))}</font>{flown_line}")
        return ""

    def victory_html(self) -> str:
        app = self.app
        st = app.session.state
        game = app.game
        try:
            from engine.api import result

            r = result(st)
            closest = r.closest_km
            pen = r.final_penetration_km
        except Exception:  # pragma: no cover - result() needs a complete state
            closest, pen = st.closest_km, 0.0
        status = st.airfield_status
        scol = GREEN if status == "operational" else RED
        v = game.scenario.victory
        threat = t("victory.threat", n=st.airfield_threat, of=v.neutralise_turns) if st.airfield_threat else ""
        lj = losses_total(st.losses["japan"])
        lc = losses_total(st.losses["china"])
        closest_txt = t("unit.km", km=closest) if closest < 1e6 else "—"
        rule = t("victory.rule", km=v.neutralise_radius_km, turns=v.neutralise_turns)
        sick = {side: f"<font color='{GREY}'>{esc(t('victory.sick', n=st.losses[side].get('sick', 0)))}</font>"
                for side in ("japan", "china")}
        return (f"<b>{esc(t('victory.airfield'))}</b> <font color='{scol}'><b>{esc(word('airfield', status))}</b></font>"
                f"{esc(threat)}<font color='{GREY}'>{SEP}{esc(rule)}</font><br>"
                + t("victory.closest", closest=esc(closest_txt), pen=pen) + "<br>"
                + t("victory.losses", lj=lj, lc=lc, sick_j=sick["japan"], sick_c=sick["china"]))

    def log_html(self) -> str:
        app = self.app
        st = app.session.state
        namer = app.namer
        rows, last, repeats = [], None, 1
        for e in reversed(st.log[-80:]):
            text, kind = log_entry(namer, e)
            col = {"combat": "#e8e3d5", "arrival": BLUE, "victory": RED, "airfield": RED, "control": GOLD,
                   "supply": GREEN if e.get("supplied") else RED}.get(kind, GREY)
            if kind == "combat" and e.get("outcome") in ("routed", "taken"):
                col = GOLD
            if (text, col) == last:  # e.g. three interdiction missions flown at one hex: one line, "×3"
                repeats += 1
                rows[-1] = f"<font color='{col}'>{esc(text)}{esc(t('log.repeat', n=repeats))}</font>"
                continue
            last, repeats = (text, col), 1
            rows.append(f"<font color='{col}'>{esc(text)}</font>")
        head = (f"<font color='{GOLD}'><b>{esc(t('log.head'))}</b></font> "
                f"<font color='{GREY}'>{esc(t('log.newest'))}</font><br>")
        return head + ("<br>".join(rows) if rows else f"<font color='{GREY}'>{esc(t('log.empty'))}</font>")

    # ----------------------------------------------------------------- events
    def handle(self, event) -> bool:
        """React to a pygame_gui event; True when it was ours."""
        app = self.app
        s = app.session
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            el = event.ui_element
            for key, b in self.buttons.items():
                if el is b:
                    app.command(key)
                    return True
            if el is self.attack_btn:
                app.command("attack")
                return True
            if el is self.cancel_btn:
                app.command("cancel")
                return True
            if el is self.fly_btn:
                app.command("fly")
                return True
            for k, b in self.air_btns.items():
                if el is b:
                    s.set_air_kind(k)
                    return True
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.slider:
            s.set_air_sorties(int(event.value))
            return True
        return False

    def contains(self, pos) -> bool:
        return self.right_rect.collidepoint(pos) or pos[1] < TOP


#: The factors of an attack preview: key, short label, what it means (English; the screen
#: shows them in the interface language, catalogue keys ``odds.KEY`` and ``odds.KEY.why``).
ODDS_KEYS = ("air_attacker", "terrain", "fort", "river", "air_defender", "airfield")
ODDS_FACTORS = tuple((k, t_in("en", f"odds.{k}"), t_in("en", f"odds.{k}.why")) for k in ODDS_KEYS)


def odds_modifiers(preview: dict) -> list[tuple[str, float, str]]:
    """(label, multiplier, explanation) of every factor of an attack preview, in the rule's order."""
    return [(t(f"odds.{key}"), float(preview.get(key, 1.0)), t(f"odds.{key}.why")) for key in ODDS_KEYS]


ATTACKER_FACTORS = ("river", "air_attacker")  # the combat rule multiplies the attacker by these
DEFENDER_FACTORS = ("terrain", "fort", "air_defender", "airfield")


def odds_side_lines(preview: dict) -> tuple[str, str]:
    """Your strength and the defender's as 'base × factor value ...', each factor on the side it multiplies."""
    mods = {key: (label, value) for (label, value, _), (key, _, _) in zip(odds_modifiers(preview), ODDS_FACTORS)}

    def side_line(keys, total):
        raw = total
        for k in keys:
            raw /= max(mods[k][1], 1e-9)
        return f"{raw:,.0f}" + "".join(f" × {mods[k][0]} <b>{mods[k][1]:.2f}</b>" for k in keys)

    return side_line(ATTACKER_FACTORS, preview["attack"]), side_line(DEFENDER_FACTORS, preview["defence"])


def odds_explanation() -> str:
    """The hover text of the odds panel: how the odds are made and what each factor means."""
    lines = [t("odds.explain_head")]
    lines += [f"<b>{esc(t(f'odds.{k}'))}</b>: {esc(t(f'odds.{k}.why'))}" for k in ODDS_KEYS]
    lines.append(esc(t("odds.explain_foot")))
    return "<br>".join(lines)


__all__ = ["Panels", "make_manager", "TOP", "RIGHT_W", "date_range"]
