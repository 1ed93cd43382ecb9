"""Words for the screen: names in English / Chinese, log entries, hex and unit descriptions.

Pure functions of the game and state (no pygame), shared by the panels, the headless
campaign and the tests.
"""
from __future__ import annotations

import datetime as dt
import html

import numpy as np

PHASES = {"air": "Air", "move": "Movement", "combat": "Combat"}
PHASES_ZH = {"air": "空中", "move": "机动", "combat": "战斗"}
SIDE_EN = {"japan": "Japan", "china": "China"}
SIDE_ZH = {"japan": "日军", "china": "国军"}
AIR_KIND = {"support": "close support", "interdict": "interdiction", "cap": "air patrol (CAP)"}
#: a unit's combat mark this turn (engine.api.combat_marks), as the tooltip and unit panel say it
MARK_TEXT = {"routed": "routed in a battle this turn (R)", "retreated": "driven back in a battle this turn (D)"}
OUTCOME = {"held": "held", "retreated": "defender retreated", "routed": "defender routed", "taken": "hex taken"}


def history_1945(game) -> dict[str, str]:
    """What happened in 1945, in words for the end screen and the campaign report (the
    scenario's ``[history]`` table)."""
    h = game.scenario.history
    battle, sick = h.japanese_battle_casualties_range, h.japanese_sick_range
    return {
        "airfield": h.airfield,
        "closest_approach": h.closest_approach,
        "deepest_penetration": h.deepest_penetration,
        "final_position": h.final_position,
        "ended": h.ended,
        "chinese_casualties": " / ".join(f.label for f in h.chinese_casualties),
        "japanese_battle_casualties": f"disputed {battle.low:,}–{battle.high:,}",
        "japanese_sick": f"~{sick.low // 1000}–{sick.high // 1000 + 1}k",
    }


def esc(s) -> str:
    return html.escape(str(s), quote=False)


class Namer:
    """Names of places, units, formations and hexes in the chosen language."""

    def __init__(self, game, lang: str = "both"):
        self.game = game
        self.lang = lang
        m = game.map
        self._near: dict[int, tuple[str, int]] = {}
        # nearest named place (within 3 hexes) of every hex, for "near Wugang"
        if m.places:
            keys = list(m.places)
            px = np.array([m.x_km[m.places[k].hex] for k in keys])
            py = np.array([m.y_km[m.places[k].hex] for k in keys])
            d = np.hypot(m.x_km[:, None] - px[None, :], m.y_km[:, None] - py[None, :])
            self._nearest_idx = d.argmin(axis=1)
            self._nearest_km = d.min(axis=1)
            self._keys = keys
        else:
            self._nearest_idx = None

    def pick(self, en: str, zh: str) -> str:
        if self.lang == "zh":
            return zh or en
        if self.lang == "both" and zh:
            return f"{en} {zh}"
        return en

    def place(self, key: str) -> str:
        p = self.game.map.places.get(key)
        if p is None:
            return key
        return self.pick(p.name_en, p.name_zh)

    def place_short(self, key: str) -> str:
        """A place's name without its bracketed alternative ("Huaihua" for "Huaihua (Yushuwan)")."""
        p = self.game.map.places.get(key)
        if p is None:
            return key
        return self.pick(p.name_en.split(" (")[0], p.name_zh.split(" ")[0])

    def unit(self, uid: str) -> str:
        d = self.game.units[self.game.unit_index[uid]]
        return self.pick(d.name, d.name_zh)

    def unit_short(self, uid: str) -> str:
        d = self.game.units[self.game.unit_index[uid]]
        if self.lang == "zh" and d.name_zh:
            return d.name_zh
        return d.name.replace("Division", "Div.").replace("Brigade", "Bde").replace("Regiment", "Rgt")

    def side(self, side: str) -> str:
        return self.pick(SIDE_EN.get(side, side), SIDE_ZH.get(side, ""))

    def where(self, h: int) -> str:
        """'at Wugang', 'near Wugang' or 'hex 1234'."""
        if h is None or h < 0:
            return "off map"
        key = self.game.hex_place.get(int(h))
        if key is not None:
            return f"at {self.place(key)}"
        if self._nearest_idx is not None and self._nearest_km[h] <= 3.2 * self.game.map.grid.width:
            return f"near {self.place(self._keys[int(self._nearest_idx[h])])}"
        return f"hex {h}"

    def formation_chain(self, fid: str) -> list:
        out, seen = [], set()
        f = self.game.formations.get(fid)
        while f is not None and f.id not in seen:
            seen.add(f.id)
            out.append(f)
            f = self.game.formations.get(getattr(f, "parent", None)) if getattr(f, "parent", None) else None
        return out


def date_range(game, turn: int) -> str:
    d0 = game.date_of(turn)
    d1 = d0 + dt.timedelta(days=game.days_per_turn - 1)
    if d0 == d1:
        return d0.strftime("%-d %b %Y")
    if d0.month == d1.month:
        return f"{d0.day}–{d1.day} {d1.strftime('%b %Y')}"
    return f"{d0.strftime('%-d %b')} – {d1.strftime('%-d %b %Y')}"


def losses_total(book: dict, battle_only: bool = True) -> int:
    return sum(v for k, v in book.items() if not (battle_only and k == "sick"))


def log_entry(namer: Namer, e: dict) -> tuple[str, str]:
    """(plain text, kind) for one ``state.log`` entry."""
    t = e.get("type", "")
    turn = e.get("turn", "?")
    if t == "combat":
        att = e.get("attackers", [])
        dfn = e.get("defenders", [])
        an = namer.unit_short(att[0]) + (f" +{len(att) - 1}" if len(att) > 1 else "") if att else "?"
        dn = namer.unit_short(dfn[0]) + (f" +{len(dfn) - 1}" if len(dfn) > 1 else "") if dfn else "?"
        la = losses_total(e.get("attacker_losses", {}))
        ld = losses_total(e.get("defender_losses", {}))
        side = SIDE_EN.get(e.get("attacker", ""), "?")
        out = OUTCOME.get(e.get("outcome", ""), e.get("outcome", "?"))
        return (f"T{turn} {side} attack {namer.where(e.get('target', -1))}: {an} vs {dn}, "
                f"{e.get('ratio', 0):.2f}:1, {out}; losses {la:,} / {ld:,}", "combat")
    if t == "air":
        side = SIDE_EN.get(e.get("side", ""), "?")
        return (f"T{turn} {side} air: {e.get('sorties', '?')} sorties, {AIR_KIND.get(e.get('kind'), e.get('kind'))} "
                f"{namer.where(e.get('target', -1))}", "air")
    if t == "supply":
        name = namer.unit_short(e["unit"]) if e.get("unit") in namer.game.unit_index else "?"
        state = "back in supply" if e.get("supplied") else "cut off from supply"
        return f"T{turn} {name} {state} ({namer.where(e.get('hex', -1))})", "supply"
    if t == "control":
        taker = SIDE_EN.get(e.get("side", ""), "?")
        return f"T{turn} {namer.place(e.get('place', '?'))} taken by {taker}", "control"
    text = e.get("text")
    if text:
        return f"T{turn} {text}", t or "info"
    return f"T{turn} " + ", ".join(f"{k}={v}" for k, v in e.items() if k not in ("turn",)), t or "info"


def hex_description(game, state, namer: Namer, h: int) -> list[str]:
    """Lines describing a hex (terrain, height, river, road, place, control)."""
    m = game.map
    tname = game.terrain_names[m.terrain[h]] if hasattr(game, "terrain_names") else m.terrain_names[m.terrain[h]]
    lines = [f"Hex {h} ({h % m.grid.ncols},{h // m.grid.ncols}) · {tname.replace('_', ' ')} · "
             f"{int(m.elevation_m[h])} m (relief {int(m.relief_m[h])} m)"]
    try:
        lines.append(f"Defence ×{float(game.hex_defence[h]):.2f} · entry cost {float(game.terrain_move[m.terrain[h]]):.1f} MP")
    except (AttributeError, IndexError):
        pass
    rivers = [("major" if m.river[h, d] == 2 else "minor") for d in range(6) if m.river[h, d]]
    if rivers:
        lines.append(f"River on {len(rivers)} side(s) ({', '.join(sorted(set(rivers)))})")
    if m.road[h].any():
        lines.append("Road")
    key = game.hex_place.get(h)
    if key:
        p = m.places[key]
        owner = state.control.get(key)
        lines.append(f"{namer.place(key)} ({p.kind}) · held by {SIDE_EN.get(owner, '—')}")
    return lines


def supply_line_text(line, namer: Namer) -> str:
    """A unit's supply line (``engine.api.supply_line``) in a few words:
    "Hongjiang › Anjiang › Dongkou + 3 hexes (110 km)"."""
    if line is None:
        return "no line from a supply source its side holds"
    anchor = namer.game.place_hex[line.places[-1]]
    leg = len(line.hexes) - 1 - max(i for i, h in enumerate(line.hexes) if h == anchor)
    text = " › ".join(namer.place_short(k) for k in line.places)
    if leg:
        text += f" + {leg} hex{'es' if leg > 1 else ''}"
    return f"{text} ({line.km:.0f} km)"
