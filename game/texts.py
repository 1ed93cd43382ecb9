"""Words for the screen: names in English / Chinese, log entries, hex and unit descriptions.

Pure functions of the game and state (no pygame), shared by the panels, the headless
campaign and the tests.
"""
from __future__ import annotations

import datetime as dt
import html
import math

import numpy as np

from .i18n import has, lang, t, t_in, t_or

# English words for code that needs them in English (files, the command line); the screen
# goes through the catalogue: side_name(), phase_label(), air_kind(), outcome_label().
PHASES = {k: t_in("en", f"phase.{k}") for k in ("air", "move", "combat")}
PHASES_ZH = {k: t_in("zh", f"phase.{k}") for k in ("air", "move", "combat")}
SIDE_EN = {k: t_in("en", f"side.{k}") for k in ("japan", "china")}
SIDE_ZH = {k: t_in("zh", f"side.{k}") for k in ("japan", "china")}
AIR_KIND = {k: t_in("en", f"air_kind.{k}") for k in ("support", "interdict", "cap")}
OUTCOME = {k: t_in("en", f"outcome.{k}") for k in ("held", "retreated", "routed", "taken")}
#: a unit's combat mark this turn (engine.api.combat_marks), in English; the screen uses mark_text()
COMPASS = ("e", "ne", "n", "nw", "w", "sw", "s", "se")  # by 45-degree sectors anticlockwise from east
MARK_TEXT = {k: t_in("en", f"mark.{k}") for k in ("routed", "retreated")}


def mark_text(mark: str) -> str:
    """How the tooltip and unit panel say a unit's combat mark this turn."""
    return t(f"mark.{mark}")


def side_name(side) -> str:
    """'Japan' / '日军' (``—`` for nobody)."""
    return t_or(f"side.{side}", str(side)) if side else t("side.none")


def phase_label(phase: str) -> str:
    """'Movement' / '移动' (the short name of a phase)."""
    return t_or(f"phase.{phase}", str(phase))


def phase_name(phase: str) -> str:
    """'movement phase' / '移动阶段'."""
    return t_or(f"phase_name.{phase}", str(phase))


def air_kind(kind: str) -> str:
    return t_or(f"air_kind.{kind}", str(kind))


def outcome_label(outcome: str) -> str:
    return t_or(f"outcome.{outcome}", str(outcome))


def word(group: str, value: str) -> str:
    """A word from scenario or engine data (terrain, place kind, weather, status...) in the
    interface language; a value the catalogue does not know is shown as it is."""
    return t_or(f"{group}.{value}", str(value).replace("_", " "))


def history_1945(game) -> dict[str, str]:
    """What happened in 1945, in words for the end screen and the campaign report (the
    scenario's ``[history]`` table)."""
    h = game.scenario.history
    battle, sick = h.japanese_battle_casualties_range, h.japanese_sick_range
    zh = lang() == "zh"

    def text(key: str) -> str:
        return (getattr(h, f"{key}_zh", "") if zh else "") or getattr(h, key)

    out = {key: text(key) for key in ("airfield", "closest_approach", "deepest_penetration", "final_position", "ended")}
    out["chinese_casualties"] = " / ".join(f.label for f in h.chinese_casualties)
    out["japanese_battle_casualties"] = t("history.disputed", low=battle.low, high=battle.high)
    out["japanese_sick"] = t("history.sick_range", low=sick.low // 1000, high=sick.high // 1000 + 1)
    return out


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
        # the bracketed alternative stays on the name's line: pygame_gui would break at the space
        return self.pick(p.name_en, p.name_zh.replace(" ", "\u00a0"))

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
        return self.pick(t_in("en", f"side.{side}") if side in SIDE_EN else side, SIDE_ZH.get(side, ""))

    def where(self, h: int) -> str:
        """'at Wugang', 'near Wugang' or 'hex 1234'."""
        if h is None or h < 0:
            return t("where.off_map")
        key = self.game.hex_place.get(int(h))
        if key is not None:
            return t("where.at", place=self.place(key))
        if self._nearest_idx is not None and self._nearest_km[h] <= 3.2 * self.game.map.grid.width:
            return t("where.near", place=self.place(self._keys[int(self._nearest_idx[h])]))
        return self._from_nearest(h, "where.from") or t("where.hex", hex=h)

    def hex_label(self, h: int) -> str:
        """A hex as a noun: 'Wugang', 'hex 1234 near Wugang' or 'hex 1234'."""
        if h is None or h < 0:
            return t("where.off_map")
        key = self.game.hex_place.get(int(h))
        if key is not None:
            return self.place(key)
        if self._nearest_idx is not None and self._nearest_km[h] <= 3.2 * self.game.map.grid.width:
            return t("hex_label.near", hex=h, place=self.place(self._keys[int(self._nearest_idx[h])]))
        return self._from_nearest(h, "hex_label.from") or t("where.hex", hex=h)

    def _from_nearest(self, h: int, key: str) -> str | None:
        """Hex ``h`` as the distance and compass direction from its nearest named place
        ('25 km SE of Longhui'), with the catalogue's wording ``key``; None on a map without places."""
        if self._nearest_idx is None:
            return None
        m = self.game.map
        place = self._keys[int(self._nearest_idx[h])]
        ph = m.places[place].hex
        east, north = m.x_km[h] - m.x_km[ph], m.y_km[ph] - m.y_km[h]  # y runs south
        sector = int(round(math.degrees(math.atan2(north, east)) / 45.0)) % 8
        return t(key, hex=h, km=round(float(self._nearest_km[h])), dir=t(f"compass.{COMPASS[sector]}"),
                 place=self.place_short(place))

    def refusal(self, exc) -> str | None:
        """An engine refusal (IllegalAction with a ``reason``) in words of the interface language,
        units and hexes by name; None when the catalogue does not word this refusal."""
        reason = getattr(exc, "reason", None)
        if not reason or not has(f"refusal.{reason}"):
            return None
        fields = dict(getattr(exc, "fields", {}))
        for k, v in fields.items():
            if k == "unit" and v in self.game.unit_index:
                fields[k] = self.unit_short(v)
            elif k.endswith("hex"):
                fields[k] = self.hex_label(int(v))
        return t(f"refusal.{reason}", **fields)

    def formation_chain(self, fid: str) -> list:
        out, seen = [], set()
        f = self.game.formations.get(fid)
        while f is not None and f.id not in seen:
            seen.add(f.id)
            out.append(f)
            f = self.game.formations.get(getattr(f, "parent", None)) if getattr(f, "parent", None) else None
        return out


def victory_reasons(namer: Namer, grade) -> list[str]:
    """Why the campaign is graded as it is (engine.api.victory_level), in the interface language:
    each fact worded from the catalogue (reason.KEY), else the engine's English."""
    if len(grade.facts) != len(grade.reasons):
        return list(grade.reasons)
    out = []
    for text, (key, fields) in zip(grade.reasons, grade.facts):
        if not has(f"reason.{key}"):
            out.append(text)
            continue
        f = dict(fields)
        f["place"] = namer.place(f["place"]) if "place" in f else ""
        f["attacker_adj"] = t_or(f"side_adj.{f.get('attacker')}", str(f.get("attacker")))
        f["attacker"] = side_name(f.get("attacker"))
        f["defender"] = side_name(f.get("defender"))
        out.append(t(f"reason.{key}", **f))
    return out


def date_range(game, turn: int) -> str:
    d0 = game.date_of(turn)
    d1 = d0 + dt.timedelta(days=game.days_per_turn - 1)
    if lang() == "zh":
        if d0 == d1:
            return f"{d0.year}年{d0.month}月{d0.day}日"
        if d0.month == d1.month:
            return f"{d0.year}年{d0.month}月{d0.day}–{d1.day}日"
        return f"{d0.year}年{d0.month}月{d0.day}日–{d1.month}月{d1.day}日"
    if d0 == d1:
        return d0.strftime("%-d %b %Y")
    if d0.month == d1.month:
        return f"{d0.day}–{d1.day} {d1.strftime('%b %Y')}"
    return f"{d0.strftime('%-d %b')} – {d1.strftime('%-d %b %Y')}"


def losses_total(book: dict, battle_only: bool = True) -> int:
    return sum(v for k, v in book.items() if not (battle_only and k == "sick"))


def log_entry(namer: Namer, e: dict) -> tuple[str, str]:
    """(plain text, kind) for one ``state.log`` entry."""
    kind = e.get("type", "")
    turn = e.get("turn", "?")
    if kind == "combat":
        att = e.get("attackers", [])
        dfn = e.get("defenders", [])
        an = namer.unit_short(att[0]) + (f" +{len(att) - 1}" if len(att) > 1 else "") if att else "?"
        dn = namer.unit_short(dfn[0]) + (f" +{len(dfn) - 1}" if len(dfn) > 1 else "") if dfn else "?"
        return (t("log.combat", turn=turn, side=side_name(e.get("attacker", "?")), where=namer.where(e.get("target", -1)),
                  att=an, dfn=dn, ratio=e.get("ratio", 0), outcome=outcome_label(e.get("outcome", "?")),
                  la=losses_total(e.get("attacker_losses", {})), ld=losses_total(e.get("defender_losses", {}))),
                "combat")
    if kind == "air":
        return (t("log.air", turn=turn, side=side_name(e.get("side", "?")), sorties=e.get("sorties", "?"),
                  kind=air_kind(e.get("kind")), where=namer.where(e.get("target", -1))), "air")
    if kind == "supply":
        name = namer.unit_short(e["unit"]) if e.get("unit") in namer.game.unit_index else "?"
        key = "log.supply_back" if e.get("supplied") else "log.supply_cut"
        return t(key, turn=turn, unit=name, where=namer.where(e.get("hex", -1))), "supply"
    if kind == "control":
        return t("log.control", turn=turn, place=namer.place(e.get("place", "?")), side=side_name(e.get("side", "?"))), "control"
    if kind == "arrival" and e.get("unit") in namer.game.unit_index and "hex" in e:
        return t("log.arrival", turn=turn, unit=namer.unit_short(e["unit"]), where=namer.where(e["hex"])), kind
    v = namer.game.scenario.victory
    if kind == "victory":
        return t("log.victory", turn=turn, place=namer.place(v.airfield), side=side_name(v.attacker)), kind
    if kind == "airfield":
        return t("log.airfield", turn=turn, place=namer.place(v.airfield)), kind
    text = e.get("text")
    if text:  # free text from the engine or the AI (notes; arrivals in older saves): English
        return t("log.text", turn=turn, text=text), kind or "info"
    return t("log.text", turn=turn, text=", ".join(f"{k}={v}" for k, v in e.items() if k not in ("turn",))), kind or "info"


def hex_description(game, state, namer: Namer, h: int) -> list[str]:
    """Lines describing a hex (terrain, height, river, road, place, control)."""
    m = game.map
    names = game.terrain_names if hasattr(game, "terrain_names") else m.terrain_names
    tname = word("terrain", names[m.terrain[h]])
    lines = [t("hex.head", hex=h, col=h % m.grid.ncols, row=h // m.grid.ncols, terrain=tname,
               elev=int(m.elevation_m[h]), relief=int(m.relief_m[h]))]
    try:
        lines.append(t("hex.defence", defence=float(game.hex_defence[h]), cost=float(game.terrain_move[m.terrain[h]])))
    except (AttributeError, IndexError):
        pass
    rivers = [("major" if m.river[h, d] == 2 else "minor") for d in range(6) if m.river[h, d]]
    if rivers:
        lines.append(t("hex.river", n=len(rivers), kinds=t("list.sep").join(t(f"hex.river.{r}") for r in sorted(set(rivers)))))
    if m.road[h].any():
        lines.append(t("hex.road"))
    key = game.hex_place.get(h)
    if key:
        p = m.places[key]
        lines.append(t("hex.place", place=namer.place(key), kind=word("place_kind", p.kind),
                       owner=side_name(state.control.get(key))))
    return lines


def supply_line_text(line, namer: Namer) -> str:
    """A unit's supply line (``engine.api.supply_line``) in a few words:
    "Hongjiang › Anjiang › Dongkou + 3 hexes (110 km)"."""
    if line is None:
        return t("supply.no_line")
    anchor = namer.game.place_hex[line.places[-1]]
    leg = len(line.hexes) - 1 - max(i for i, h in enumerate(line.hexes) if h == anchor)
    text = " › ".join(namer.place_short(k) for k in line.places)
    if leg:
        text = t("supply.leg" if leg > 1 else "supply.leg_one", text=text, n=leg)
    return t("supply.line", text=text, km=line.km)
