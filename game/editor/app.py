"""The editor window: :class:`EditorApp` ties the document, the widgets and the map view.

It can run headless (SDL's dummy driver) and be driven frame by frame with
:meth:`EditorApp.step`, which is how the tests paint, drag, type and save.

Mouse on the map: the current tool acts with the left button (drag to paint a stroke, which
is one undo step; drag a counter or a place with Select to move it); the right or middle
button drags the map; the wheel zooms.  Keys: Ctrl+Z undo, Ctrl+Y (or Ctrl+Shift+Z) redo,
Ctrl+S save, Ctrl+O open, Delete deletes the selection, Escape cancels a drag, arrows pan,
+/- zoom.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import tools
from .commands import Compound, InsertItem, RemoveItem, RenameKey, SetValue, get_path
from .document import Document, EditorError
from .forms import FormField, fields_for, parse_field, table_entries, to_item, value_text
from .references import place_references, record_references
from .variants import VARIANT_NAME, changes, variant_data
from ..display import init_pygame

PLACE_KINDS = ("city", "town", "airfield", "pass", "peak", "village", "river_port")


class EditorApp:
    def __init__(self, folder: Path | str, variant: str | None = None, size=(1600, 900), headless: bool = False,
                 spawn=subprocess.Popen):
        self.pg = pg = init_pygame(headless)
        self.headless = headless
        self.spawn = spawn
        self.screen = pg.display.set_mode(size, pg.RESIZABLE)
        pg.display.set_caption("Xuefeng scenario editor")
        from .panels import Layout, Panels, make_manager
        from .view import MapView

        self.doc = Document(Path(folder))
        self.variant = None
        if variant is not None:
            if variant not in self.variant_names():
                raise EditorError(f"--variant {variant!r}: no such variant (expected one of: "
                                  f"{', '.join(self.variant_names()) or 'none'})")
            self.variant = variant
        self.tool = "select"
        self.terrain_code = "M"
        self.radius = 0
        self.river_level = 2
        self.mode = 0
        self.selected: tuple = ()
        self.status = f"Opened {self.doc.folder}"
        self.test_runs = 10
        self.test = None
        self.last_play: list[str] | None = None
        self.running = True
        self._data_key = None
        self._data = None
        self._stroke: list = []
        self._stroke_hexes: set[int] = set()
        self._painting = False
        self._drag = None  # ("unit"|"place", id, pos)
        self._pan_from = None
        self._confirm = None
        self._confirm_action = None
        self._save_as_win = None
        self._file_dialog = None
        self._problems_shown = None
        self._last_validate = 0.0
        self.hover_hex = -1
        self._lists_stale = False
        self._lists_time = 0.0
        self.frame_times: list[float] = []
        self.ui = make_manager(self.screen.get_size())
        self.Layout = Layout
        self.layout = Layout(*self.screen.get_size())
        self.view = MapView(self.doc, self.layout.map_rect)
        self.panels = Panels(self)
        self.panels.build(self.layout)
        self._update_tool_buttons()

    # --------------------------------------------------------------------- data
    @property
    def variant(self) -> str | None:
        """The variant being edited (None: the base scenario)."""
        return self._variant

    @variant.setter
    def variant(self, name: str | None) -> None:
        self._variant = name
        self.doc.focus_variant = name  # the problem list runs the game checks of this variant too

    def variant_names(self) -> list[str]:
        v = self.doc.doc.get("variants")
        return [str(k) for k in v] if v is not None else []

    def data(self) -> dict:
        """The scenario as the engine would read it (with the variant being edited applied)."""
        key = (self.doc.undo.top_id, len(self.doc.undo.undone), self.variant)
        if key != self._data_key:
            raw = self.doc.data()
            try:
                raw = variant_data(raw, self.variant)
            except Exception as exc:
                self.status = f"variant {self.variant}: {exc}"
            self._data, self._data_key = raw, key
        return self._data

    def units_for_map(self) -> list[dict]:
        m = self.doc.map
        out = []
        for u in self.data().get("units", []):
            if not isinstance(u, dict):
                continue
            u = dict(u)
            h = -1
            later = u.get("arrives") is not None
            key = u.get("arrives_at") if later else u.get("start")
            if isinstance(key, str) and key in m.places:
                h = m.places[key].hex
            elif not later and isinstance(u.get("start_latlon"), list) and len(u["start_latlon"]) == 2:
                try:
                    h = m.hex_at_latlon(float(u["start_latlon"][0]), float(u["start_latlon"][1]))
                except (TypeError, ValueError):
                    h = -1
            u["_hex"], u["_later"] = h, later
            out.append(u)
        return out

    def control(self) -> dict:
        out = {}
        for side in ("japan", "china"):
            for k in (self.data().get("sides", {}).get(side, {}) or {}).get("start_control", []) or []:
                out[k] = side
        return out

    def unit_index(self, uid: str) -> int:
        for i, u in enumerate(self.doc.doc.get("units", [])):
            if u.get("id") == uid:
                return i
        return -1

    def formation_index(self, fid: str) -> int:
        for i, f in enumerate(self.doc.doc.get("formations", [])):
            if f.get("id") == fid:
                return i
        return -1

    # ------------------------------------------------------------------- editing
    def apply(self, cmd, quiet: bool = False) -> bool:
        if cmd is None:
            return False
        try:
            self.doc.apply(cmd)
        except Exception as exc:  # a bad edit is refused and the document is untouched
            self.status = f"not applied: {exc}"
            return False
        self.after_edit(cmd)
        if not quiet:
            self.status = f"{cmd.label}"
        return True

    def after_edit(self, cmd, hexes=None) -> None:
        self._follow_variant_rename(cmd)
        if cmd.touches_map:
            self.view.refresh_map(hexes if hexes is not None else self._changed_hexes(cmd))
        else:
            self.view.refresh_scenario()
        self._data_key = None
        self._lists_stale = True
        self.panels.build_form()

    def flush(self) -> None:
        """Bring the lists and the problem list up to date now (they follow edits within 0.3 s)."""
        self._lists_stale = False
        self._lists_time = time.perf_counter()
        self.panels.refresh_lists()

    def _changed_hexes(self, cmd):
        return None

    def undo(self) -> None:
        cmd = self.doc.undo_last()
        if cmd:
            self.after_edit(cmd)
            self.status = f"undid: {cmd.label}"

    def redo(self) -> None:
        cmd = self.doc.redo_last()
        if cmd:
            self.after_edit(cmd)
            self.status = f"redid: {cmd.label}"

    def unit_field_path(self, uid: str, field: str) -> tuple:
        """Where an edit of a unit's field goes: the unit itself, or the variant's override of it."""
        if self.variant:
            return ("variants", self.variant, "units", uid, field)
        return ("units", self.unit_index(uid), field)

    def set_unit_fields(self, uid: str, values: dict, label: str) -> bool:
        cmds = []
        if self.variant:
            base = ("variants", self.variant, "units")
            if get_path(self.doc.doc, base, None) is None:
                cmds.append(SetValue(base, {}))
            if get_path(self.doc.doc, (*base, uid), None) is None:
                cmds.append(SetValue((*base, uid), {}))
        elif self.unit_index(uid) < 0:
            self.status = f"unit {uid} is added by the variant: edit it in the variant's add_units"
            return False
        for k, v in values.items():
            path = self.unit_field_path(uid, k)
            if v is None and get_path(self.doc.doc, path, None) is None:
                continue  # nothing to remove (in a variant: no override of that field)
            cmds.append(SetValue(path, v))
        return self.apply(Compound(cmds, label))

    def move_unit(self, uid: str, h: int) -> bool:
        if h < 0:
            return False
        u = next((x for x in self.units_for_map() if x.get("id") == uid), None)
        if u is None:
            return False
        if u.get("_later"):
            place = next((p.key for p in self.doc.map.places.values() if p.hex == h), None)
            if place is None:
                self.status = f"{uid} arrives later: drop it on a place (its arrives_at)"
                return False
            return self.set_unit_fields(uid, {"arrives_at": place}, f"{uid} arrives at {place}")
        lat, lon = self.doc.map.latlon(h)
        return self.set_unit_fields(uid, {"start": None, "start_latlon": [round(lat, 4), round(lon, 4)]},
                                    f"{uid} starts in hex {h}")

    def toggle_control(self, key: str) -> bool:
        sides = self.doc.doc.get("sides", {})
        if "japan" not in sides or "china" not in sides:
            return False
        jp = [str(k) for k in sides["japan"].get("start_control", [])]
        cn = [str(k) for k in sides["china"].get("start_control", [])]
        if key in jp:
            jp.remove(key)
            cn.append(key)
            who = "china"
        elif key in cn:
            cn.remove(key)
            who = "nobody"
        else:
            jp.append(key)
            who = "japan"
        return self.apply(Compound([SetValue(("sides", "japan", "start_control"), jp),
                                    SetValue(("sides", "china", "start_control"), cn)], f"{key} held by {who}"))

    def new_place(self, h: int, kind: str = "town") -> bool:
        n = 1
        while f"place_{n}" in self.doc.map.places:
            n += 1
        key = f"place_{n}"
        lat, lon = self.doc.map.latlon(h)
        ok = self.apply(tools.set_place(key, {"name_en": f"Place {n}", "name_zh": f"地点{n}", "kind": kind,
                                              "lat": round(lat, 4), "lon": round(lon, 4)}, f"add place {key}"))
        if ok:
            self.select(("place", key), center=False)
        return ok

    def move_place(self, key: str, h: int) -> bool:
        p = self.doc.map.places.get(key)
        if p is None or h < 0 or p.hex == h:
            return False
        lat, lon = self.doc.map.latlon(h)
        return self.apply(tools.set_place(key, {"name_en": p.name_en, "name_zh": p.name_zh, "kind": p.kind,
                                                "lat": round(lat, 4), "lon": round(lon, 4)}, f"move {key}"))

    def move_airfield(self, h: int) -> bool:
        key = str(self.doc.doc.get("victory", {}).get("airfield", ""))
        if key in self.doc.map.places:
            return self.move_place(key, h)
        self.status = f"victory.airfield {key!r} is not a place of the map: choose one in the victory table"
        return False

    def add_unit(self) -> bool:
        kind, ident = self.selected if self.selected else (None, None)
        units = self.doc.doc.get("units")
        if units is None or not len(units):
            return False
        if kind == "unit" and self.unit_index(ident) >= 0:
            tmpl = units[self.unit_index(ident)]
        else:
            tmpl = units[len(units) - 1]
        item = _copy_table(tmpl)
        fid = ident if kind == "formation" else str(tmpl.get("formation"))
        side = str(tmpl.get("side"))
        if kind == "formation" and self.formation_index(ident) >= 0:
            side = str(self.doc.doc["formations"][self.formation_index(ident)].get("side"))
        item["id"] = self._free_id("new_unit")
        item["name"] = "New unit"
        item["formation"] = fid
        item["side"] = side
        if self.apply(InsertItem(("units",), len(units), item, f"add unit {item['id']}")):
            self.select(("unit", str(item["id"])))
            return True
        return False

    def add_formation(self) -> bool:
        forms = self.doc.doc.get("formations")
        if forms is None or not len(forms):
            return False
        kind, ident = self.selected if self.selected else (None, None)
        i = self.formation_index(ident) if kind == "formation" else len(forms) - 1
        item = _copy_table(forms[i if i >= 0 else len(forms) - 1])
        if kind == "formation" and i >= 0:
            item["parent"] = str(forms[i]["id"])
        item["id"] = self._free_id("new_formation")
        item["name"] = "New formation"
        if self.apply(InsertItem(("formations",), len(forms), item, f"add formation {item['id']}")):
            self.select(("formation", str(item["id"])))
            return True
        return False

    def duplicate(self) -> bool:
        kind, ident = self.selected if self.selected else (None, None)
        if kind not in ("unit", "formation"):
            self.status = "select a unit or formation to duplicate"
            return False
        arr = "units" if kind == "unit" else "formations"
        i = self.unit_index(ident) if kind == "unit" else self.formation_index(ident)
        if i < 0:
            return False
        item = _copy_table(self.doc.doc[arr][i])
        item["id"] = self._free_id(f"{ident}_copy")
        if self.apply(InsertItem((arr,), i + 1, item, f"duplicate {ident}")):
            self.select((kind, str(item["id"])))
            return True
        return False

    def delete_selected(self) -> bool:
        kind, ident = self.selected if self.selected else (None, None)
        if kind == "unit" and self.unit_index(ident) >= 0:
            ok = self.apply(RemoveItem(("units",), self.unit_index(ident), f"delete unit {ident}"))
        elif kind == "formation" and self.formation_index(ident) >= 0:
            ok = self.apply(RemoveItem(("formations",), self.formation_index(ident), f"delete formation {ident}"))
        elif kind == "place" and ident in self.doc.map.places:
            ok = self.apply(tools.delete_place(ident))
        else:
            self.status = "select a unit, formation or place to delete"
            return False
        if ok:
            self.select(())
        return ok

    def add_variant(self) -> bool:
        """A new, empty variant (``[variants.variant_N]``), then edit it: its edits go to its overrides."""
        names = self.variant_names()
        n = 1
        while f"variant_{n}" in names:
            n += 1
        name = f"variant_{n}"
        cmds = [] if "variants" in self.doc.doc else [SetValue(("variants",), {})]
        cmds.append(SetValue(("variants", name), {"description": "What this variant changes, and why."}))
        if not self.apply(Compound(cmds, f"add variant {name}")):
            return False
        self.variant = name
        self._data_key = None
        self.panels.build(self.layout)
        self._update_tool_buttons()
        self.status = f"editing the new variant {name}: describe it in Rules and variants -> variants.{name}"
        return True

    def _free_id(self, stem: str) -> str:
        used = {str(u.get("id")) for u in self.doc.doc.get("units", [])} | \
               {str(f.get("id")) for f in self.doc.doc.get("formations", [])}
        n = 1
        while f"{stem}_{n}" in used:
            n += 1
        return f"{stem}_{n}"

    # ----------------------------------------------------------------- selection
    def select(self, target: tuple, center: bool = True) -> None:
        self.selected = tuple(target) if target else ()
        kind = self.selected[0] if self.selected else None
        if kind == "field":
            path = str(self.selected[1]).split(".")
            for t in sorted(table_entries(self.doc.doc), key=len, reverse=True):
                if list(map(str, t)) == path[:len(t)]:
                    self.selected = ("table", t)
                    break
        h = self.target_hex(self.selected)
        if center and h is not None and h >= 0:
            self.view.camera.center_on(float(self.doc.map.x_km[h]), float(self.doc.map.y_km[h]))
        self.panels.build_form()

    def select_problem(self, text: str) -> None:
        """Select what a problem is about and show the whole problem in the help box."""
        t = self.panels.problem_targets.get(text)
        if t:
            self.select(t)
        full = self.panels.problem_texts.get(text)
        if full:
            self.panels.help_box.set_text(f"<b>Problem</b>: {_esc(full)}")
            self.status = full

    def target_hex(self, target: tuple) -> int | None:
        if not target:
            return None
        kind, ident = target[0], target[1]
        if kind == "unit":
            u = next((x for x in self.units_for_map() if x.get("id") == ident), None)
            return u["_hex"] if u else None
        if kind == "place" and ident in self.doc.map.places:
            return self.doc.map.places[ident].hex
        if kind == "hex":
            return int(ident)
        return None

    def list_items(self) -> list[tuple[str, tuple]]:
        """The left list for the current mode: (text, target)."""
        if self.mode == 1:
            return [(f"{p.name_en} {p.name_zh} [{p.key}] {p.kind}", ("place", p.key))
                    for p in sorted(self.doc.map.places.values(), key=lambda p: p.key)]
        if self.mode == 2:
            out = [(".".join(map(str, t)), ("table", t)) for t in table_entries(self.doc.doc)]
            out += [(f"variant {v}: what it changes", ("changes", v)) for v in self.variant_names()]
            return out
        d = self.data()
        forms = [f for f in d.get("formations", []) if isinstance(f, dict)]
        units = [u for u in d.get("units", []) if isinstance(u, dict)]
        fids = {f.get("id") for f in forms}
        kids: dict = {}
        for f in forms:
            kids.setdefault(f.get("parent") if f.get("parent") in fids else None, []).append(f)
        by_form: dict = {}
        for u in units:
            by_form.setdefault(u.get("formation"), []).append(u)
        out: list = []

        def walk(f, depth):
            out.append((f"{'  ' * depth}{f.get('name')} [{f.get('id')}]", ("formation", f.get("id"))))
            for u in by_form.get(f.get("id"), []):
                out.append((f"{'  ' * (depth + 1)}- {u.get('name')} [{u.get('id')}]", ("unit", u.get("id"))))
            for k in kids.get(f.get("id"), []):
                walk(k, depth + 1)

        for side in ("japan", "china"):
            n = sum(1 for u in units if u.get("side") == side)
            out.append((f"== {side.upper()}: {n} units ==", ("side", side)))
            for f in kids.get(None, []):
                if f.get("side") == side:
                    walk(f, 1)
        orphans = [u for u in units if u.get("formation") not in fids]
        for u in orphans:
            out.append((f"  ! {u.get('name')} [{u.get('id')}] (no formation)", ("unit", u.get("id"))))
        return out

    def form_content(self) -> tuple[str, list[FormField], str | None]:
        """(title, fields, read-only html) of the form for the selection."""
        kind, ident = (self.selected + (None, None))[:2] if self.selected else (None, None)
        if kind == "unit":
            i = self.unit_index(ident)
            eff = next((u for u in self.data().get("units", []) if isinstance(u, dict) and u.get("id") == ident), None)
            if i < 0 or eff is None:
                return f"Unit {ident}", [], "Added by the variant: edit it in the variant's add_units."
            fields = fields_for(self.doc.doc, ("units", i))
            if self.variant:
                for f in fields:
                    v = eff.get(f.name)
                    f.text = "" if v is None else value_text(v)
                    f.path = self.unit_field_path(ident, f.name)
            where = f" (variant {self.variant})" if self.variant else ""
            return f"Unit {ident}{where}", fields, None
        if kind == "formation":
            i = self.formation_index(ident)
            return (f"Formation {ident}", fields_for(self.doc.doc, ("formations", i)), None) if i >= 0 else ("", [], "")
        if kind == "place" and ident in self.doc.map.places:
            p = self.doc.map.places[ident]
            fields = [FormField("key", ("place", ident, "key"), p.key, True, "the id used by the scenario", True)]
            for n in ("name_en", "name_zh", "kind"):
                fields.append(FormField(n, ("place", ident, n), getattr(p, n), True,
                                        "kind: " + ", ".join(PLACE_KINDS) if n == "kind" else "", True))
            for n in ("lat", "lon"):
                fields.append(FormField(n, ("place", ident, n), f"{getattr(p, n):.4f}", False, "", True))
            return f"Place {ident} (hex {p.hex})", fields, None
        if kind == "table":
            return ".".join(map(str, ident)), fields_for(self.doc.doc, tuple(ident)), None
        if kind == "changes":
            lines = changes(self.doc.data(), ident)
            html = "<br>".join(_esc(x) for x in lines[:200]) or "No changes from the base scenario."
            name = FormField("name", ("variant", ident, "name"), ident, True,
                             "the variant's name (xuefeng play/sim --variant NAME): Enter renames it", True)
            return f"Variant {ident}: changes from the base", [name], html
        if kind == "hex":
            return f"Hex {ident}", [], self.hex_html(int(ident))
        if kind == "side":
            return f"Side {ident}", fields_for(self.doc.doc, ("sides", ident)), None
        return "Nothing selected", [], ("Select a unit, formation, place, table or hex.<br>"
                                        "Tools act on the map with the left button; the right button pans.")

    def hex_html(self, h: int) -> str:
        m = self.doc.map
        if not 0 <= h < m.count:
            return "off the map"
        col, row = m.grid.col_row(h)
        names = ("E", "NE", "NW", "W", "SW", "SE")
        rivers = ", ".join(f"{names[d]} {'major' if m.river[h, d] == 2 else 'minor'}" for d in range(6) if m.river[h, d])
        roads = ", ".join(names[d] for d in range(6) if m.road[h, d])
        places = ", ".join(p.key for p in m.places.values() if p.hex == h)
        lat, lon = m.latlon(h)
        return (f"col {col}, row {row}; {lat:.4f} N {lon:.4f} E<br>terrain {m.terrain_names[m.terrain[h]]}, "
                f"{int(m.elevation_m[h])} m<br>rivers: {rivers or 'none'}<br>roads: {roads or 'none'}"
                f"<br>places: {places or 'none'}")

    def apply_form_field(self, field: FormField, text: str) -> bool:
        if text == field.text:
            return False  # Enter on an unchanged field is not an edit
        try:
            value = parse_field(field, text)
        except ValueError as exc:
            self.status = str(exc)
            return False
        if field.path[0] == "place":
            return self._apply_place_field(field.path[1], field.name, value)
        if field.path[0] == "variant":
            return self.rename_variant(field.path[1], value)
        if self.selected and self.selected[0] == "unit" and self.variant:
            return self.set_unit_fields(self.selected[1], {field.name: value}, f"{self.selected[1]}.{field.name}")
        old = get_path(self.doc.doc, field.path, None)
        if value is None and old is None:
            return False
        ok = self.apply(SetValue(field.path, None if value is None else to_item(value, old),
                                 label=".".join(map(str, field.path))))
        if ok and field.name == "id" and self.selected and self.selected[0] in ("unit", "formation"):
            self.select((self.selected[0], str(value)))
        return ok

    def _apply_place_field(self, key: str, name: str, value) -> bool:
        p = self.doc.map.places.get(key)
        if p is None:
            return False
        fields = {"name_en": p.name_en, "name_zh": p.name_zh, "kind": p.kind, "lat": p.lat, "lon": p.lon}
        if name == "key":
            return self.rename_place(key, value)
        if name in ("lat", "lon"):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                self.status = f"{name}: expected a number"
                return False
            trial = dict(fields, **{name: float(value)})
            if self.doc.map.hex_at_latlon(trial["lat"], trial["lon"]) < 0:
                self.status = f"{name}: ({trial['lat']}, {trial['lon']}) is off the map"
                return False
        elif not isinstance(value, str) or not value:
            self.status = f"{name}: expected text"
            return False
        fields[name] = float(value) if name in ("lat", "lon") else value
        return self.apply(tools.set_place(key, fields, f"place {key}.{name}"))

    def rename_place(self, key: str, new) -> bool:
        """Rename the place ``key`` and every reference to it in the scenario and its variants
        (start_control, supply sources, air bases, the victory airfield and key places, the AI's
        objectives, units' start and arrival places) and in the 1945 record (timeline.toml, its
        comments kept) as one undo step. Refused, with the reason, when the record cannot be read."""
        from engine.api import TIMELINE_FILE

        p = self.doc.map.places.get(key)
        if p is None:
            return False
        if not isinstance(new, str) or not new or new in self.doc.map.places:
            self.status = f"place key {new!r}: expected a new, unused key"
            return False
        try:
            recorded = record_references(self.doc.record(), key)
        except ValueError as exc:
            self.status = f"place key {key!r} not renamed: {exc}"
            return False
        fields = {"name_en": p.name_en, "name_zh": p.name_zh, "kind": p.kind, "lat": p.lat, "lon": p.lon}
        refs = place_references(self.doc.doc, key)
        cmds = [tools.delete_place(key), tools.set_place(new, fields)] + [SetValue(path, new) for path in refs]
        cmds += [SetValue(path, new, in_record=True) for path in recorded]
        also = f" and the 1945 record ({TIMELINE_FILE})" if recorded else ""
        ok = self.apply(Compound(cmds, f"rename place {key} -> {new} ({len(refs)} reference(s){also})"))
        if ok:
            self.select(("place", new))
        return ok

    def rename_variant(self, old: str, new) -> bool:
        """Rename variant ``old`` (its table keeps its place and comments in the file); one undo step."""
        if not isinstance(new, str) or not VARIANT_NAME.fullmatch(new) or new in self.variant_names():
            self.status = (f"variant name {new!r}: expected a new, unused name of lower-case letters, "
                           f"digits and _ (it is what --variant takes)")
            return False
        return self.apply(RenameKey(("variants", old), new, f"rename variant {old} -> {new}"))

    def _follow_variant_rename(self, cmd) -> None:
        """After a variant rename (done, undone or redone), edit and show it under its current name."""
        if not (isinstance(cmd, RenameKey) and cmd.path[:-1] == ("variants",)):
            return
        names = set(self.variant_names())
        old, new = cmd.path[-1], cmd.new
        now, gone = (new, old) if new in names else (old, new)
        if self.variant == gone:
            self.variant = now
        if self.selected == ("changes", gone):
            self.selected = ("changes", now)
        self.panels.build(self.layout)  # the variant menu lists the names

    # ------------------------------------------------------------------- files
    def save(self) -> None:
        try:
            res = self.doc.save()
        except (OSError, EditorError) as exc:
            self.status = f"not saved: {exc}"
            return
        if res.kind == "saved":
            self.status = f"saved {res.path}"
        else:
            self.status = f"DRAFT saved to {res.path.name} ({len(res.errors)} error(s)); scenario.toml unchanged"
        self.panels.refresh_lists()

    def save_as(self, new_id: str) -> None:
        try:
            res = self.doc.save_as(new_id.strip())
        except (OSError, EditorError) as exc:
            self.status = f"not saved: {exc}"
            return
        self.status = f"saved as {res.path}" if res.kind == "saved" else f"DRAFT saved as {res.path}"
        self.view.refresh_scenario()
        self.panels.refresh_lists()
        self.panels.build_form()

    def open_folder(self, folder: Path) -> None:
        folder = Path(folder)
        if folder.is_file():
            folder = folder.parent
        try:
            doc = Document(folder)
        except EditorError as exc:
            self.status = f"cannot open: {exc}"
            return
        from .view import MapView

        self.doc = doc
        self.variant = None
        self.selected = ()
        self._data_key = None
        self.view = MapView(self.doc, self.layout.map_rect)
        self.panels.build(self.layout)
        self.status = f"Opened {folder}"

    def ask(self, text: str, action) -> None:
        """Run ``action`` now, or after a confirmation when there are unsaved changes."""
        if not self.doc.dirty:
            action()
            return
        import pygame
        from pygame_gui.windows import UIConfirmationDialog

        from ..ui_text import undashed

        if self._confirm is not None:
            self._confirm.kill()
        w, h = self.screen.get_size()
        self._confirm = UIConfirmationDialog(pygame.Rect(w // 2 - 200, h // 2 - 100, 400, 200), text, self.ui,
                                             window_title="Unsaved changes", action_short_name="Discard")
        undashed(self._confirm.confirmation_text)
        self._confirm_action = action

    def ask_open(self) -> None:
        def pick():
            import pygame
            from pygame_gui.windows import UIFileDialog

            w, h = self.screen.get_size()
            self._file_dialog = UIFileDialog(pygame.Rect(w // 2 - 300, h // 2 - 220, 600, 440), self.ui,
                                             window_title="Open a scenario folder",
                                             initial_file_path=str(self.doc.folder.parent),
                                             allow_picking_directories=True, allow_existing_files_only=True)
        self.ask("Discard the unsaved changes and open another scenario?", pick)

    def ask_save_as(self) -> None:
        import pygame
        from pygame_gui.elements import UIButton, UITextEntryLine, UIWindow

        if self._save_as_win is not None:
            self._save_as_win[0].kill()
        w, h = self.screen.get_size()
        win = UIWindow(pygame.Rect(w // 2 - 200, h // 2 - 80, 400, 160), self.ui, window_display_title="Save as a new scenario id")
        entry = UITextEntryLine(pygame.Rect(10, 10, 360, 30), self.ui, container=win)
        entry.set_text(f"{self.doc.scenario_id}_variant")
        ok = UIButton(pygame.Rect(10, 50, 120, 30), "Save", self.ui, container=win)
        self._save_as_win = (win, entry, ok)

    def quit(self) -> None:
        def stop():
            self.running = False
        self.ask("Discard the unsaved changes and quit?", stop)

    # ------------------------------------------------------------- play and test
    def _scratch_copy(self) -> Path | None:
        try:
            return self.doc.write_copy(Path(tempfile.mkdtemp(prefix="xuefeng-edit-")) / self.doc.scenario_id)
        except (OSError, EditorError) as exc:
            self.status = f"cannot run: {exc}"
            return None

    def play(self) -> None:
        path = self._scratch_copy()
        if path is None:
            return
        cmd = [sys.executable, "-m", "game.cli", "play", str(path.parent)]
        if self.variant:
            cmd += ["--variant", self.variant]
        self.last_play = cmd
        try:
            self.spawn(cmd, cwd=str(Path(__file__).resolve().parents[2]))
        except OSError as exc:
            self.status = f"cannot start the game: {exc}"
            return
        self.status = "started the game on the edited scenario"

    def start_test(self) -> None:
        from .testrun import TestRun

        try:
            n = int(self.panels.runs_entry.get_text())
            if not 1 <= n <= 1000:
                raise ValueError
        except ValueError:
            self.status = "Test: runs must be a whole number 1..1000"
            return
        if self.test is not None and not self.test.finished:
            self.test.cancel()
        path = self._scratch_copy()
        if path is None:
            return
        self.test_runs = n
        self.test = TestRun(path.parent, runs=n, variant=self.variant, scratch=path.parent.parent).start()
        self.panels.progress.show()
        self.status = f"testing: {n} campaigns of the edited scenario and {n} of the historical one"

    # -------------------------------------------------------------------- events
    def set_tool(self, key: str) -> None:
        if key.startswith("terrain:"):
            self.tool, self.terrain_code = "terrain", key.split(":")[1]
        elif key.startswith("radius:"):
            self.radius = int(key.split(":")[1])
        elif key.startswith("river:"):
            self.tool, self.river_level = "river", int(key.split(":")[1])
        else:
            self.tool = key
        self._update_tool_buttons()

    def _update_tool_buttons(self) -> None:
        for key, b in self.panels.tool_buttons.items():
            on = (key == self.tool or (key == f"terrain:{self.terrain_code}" and self.tool == "terrain")
                  or key == f"radius:{self.radius}" or (key == f"river:{self.river_level}" and self.tool == "river"))
            b.select() if on else b.unselect()

    def handle_event(self, e) -> None:
        pg = self.pg
        import pygame_gui

        if e.type == pg.QUIT:
            self.quit()
            return
        if e.type == pg.VIDEORESIZE:
            self.resize(e.w, e.h)
            return
        if e.type == pg.WINDOWSIZECHANGED:
            if (e.x, e.y) != self.layout_size():
                self.resize(e.x, e.y)
            return
        consumed = self.ui.process_events(e)
        if e.type >= pg.USEREVENT or e.type in (pygame_gui.UI_BUTTON_PRESSED, pygame_gui.UI_TEXT_ENTRY_FINISHED,
                                                pygame_gui.UI_SELECTION_LIST_NEW_SELECTION,
                                                pygame_gui.UI_DROP_DOWN_MENU_CHANGED,
                                                pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED,
                                                pygame_gui.UI_FILE_DIALOG_PATH_PICKED, pygame_gui.UI_WINDOW_CLOSE):
            self._ui_event(e)
            return
        if e.type == pg.KEYDOWN:
            if self._focused_entry() and not (e.mod & pg.KMOD_CTRL):
                return
            self._key(e)
            return
        if consumed:
            return
        if e.type in (pg.MOUSEBUTTONDOWN, pg.MOUSEBUTTONUP, pg.MOUSEMOTION, pg.MOUSEWHEEL):
            self._mouse(e)

    def layout_size(self) -> tuple[int, int]:
        return self.layout.w, self.layout.h

    def _focused_entry(self) -> bool:
        from pygame_gui.elements import UITextEntryLine

        f = self.ui.get_focus_set()
        return bool(f) and any(isinstance(x, UITextEntryLine) for x in f)

    def _key(self, e) -> None:
        pg = self.pg
        ctrl = e.mod & pg.KMOD_CTRL
        if ctrl and e.key == pg.K_z:
            self.redo() if e.mod & pg.KMOD_SHIFT else self.undo()
        elif ctrl and e.key == pg.K_y:
            self.redo()
        elif ctrl and e.key == pg.K_s:
            self.save()
        elif ctrl and e.key == pg.K_o:
            self.ask_open()
        elif ctrl and e.key == pg.K_q:
            self.quit()
        elif ctrl:
            return
        elif e.key == pg.K_DELETE:
            self.delete_selected()
        elif e.key == pg.K_ESCAPE:
            self._drag = None
            self._end_stroke()
        elif e.key in (pg.K_LEFT, pg.K_RIGHT, pg.K_UP, pg.K_DOWN):
            dx = {pg.K_LEFT: -80, pg.K_RIGHT: 80}.get(e.key, 0)
            dy = {pg.K_UP: -80, pg.K_DOWN: 80}.get(e.key, 0)
            self.view.camera.pan(dx, dy)
        elif e.key in (pg.K_PLUS, pg.K_EQUALS, pg.K_KP_PLUS):
            self.view.camera.zoom_steps(1, animate=False)
        elif e.key in (pg.K_MINUS, pg.K_KP_MINUS):
            self.view.camera.zoom_steps(-1, animate=False)

    def _ui_event(self, e) -> None:
        import pygame_gui

        p = self.panels
        if e.type == pygame_gui.UI_BUTTON_PRESSED:
            el = e.ui_element
            for key, b in p.buttons.items():
                if el is b:
                    {"open": self.ask_open, "save": self.save, "save_as": self.ask_save_as, "undo": self.undo,
                     "redo": self.redo, "play": self.play, "test": self.start_test,
                     "add_variant": self.add_variant}[key]()
                    return
            for key, b in p.tool_buttons.items():
                if el is b:
                    self.set_tool(key)
                    return
            for key, b in p.list_buttons.items():
                if el is b:
                    {"add_formation": self.add_formation, "add_unit": self.add_unit, "duplicate": self.duplicate,
                     "delete": self.delete_selected}[key]()
                    return
            if self._save_as_win and el is self._save_as_win[2]:
                new_id = self._save_as_win[1].get_text()
                self._save_as_win[0].kill()
                self._save_as_win = None
                self.save_as(new_id)
            return
        if e.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            for f, entry in p.form_entries:
                if e.ui_element is entry:
                    self.apply_form_field(f, entry.get_text())
                    return
            if self._save_as_win and e.ui_element is self._save_as_win[1]:
                new_id = self._save_as_win[1].get_text()
                self._save_as_win[0].kill()
                self._save_as_win = None
                self.save_as(new_id)
            return
        if e.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION:
            if e.ui_element is p.item_list:
                t = p.list_targets.get(e.text)
                if t:
                    self.select(t)
            elif e.ui_element is p.problem_list:
                self.select_problem(e.text)
            return
        if e.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            if e.ui_element is p.mode_menu:
                from .panels import MODES

                self.mode = MODES.index(e.text) if e.text in MODES else 0
                p.refresh_lists()
            elif e.ui_element is p.variant_menu:
                self.variant = e.text if e.text in self.variant_names() else None
                self._data_key = None
                p.refresh_lists()
                p.build_form()
                self.status = f"editing variant {self.variant}" if self.variant else "editing the base scenario"
            return
        if e.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and e.ui_element is self._confirm:
            action, self._confirm, self._confirm_action = self._confirm_action, None, None
            if action:
                action()
            return
        if e.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and e.ui_element is self._file_dialog:
            self._file_dialog = None
            self.open_folder(Path(e.text))
            return
        if e.type == pygame_gui.UI_WINDOW_CLOSE:
            if e.ui_element is self._confirm:
                self._confirm = None
            if e.ui_element is self._file_dialog:
                self._file_dialog = None
            if self._save_as_win and e.ui_element is self._save_as_win[0]:
                self._save_as_win = None

    def _mouse(self, e) -> None:
        pg = self.pg
        v = self.view
        if e.type == pg.MOUSEWHEEL:
            mp = pg.mouse.get_pos()
            if v.rect.collidepoint(mp):
                v.camera.zoom_steps(1 if e.y > 0 else -1, mp, animate=False)
            return
        pos = getattr(e, "pos", None)
        if pos is None:
            return
        if e.type == pg.MOUSEMOTION:
            self.hover_hex = v.hex_at(pos)
            if self._pan_from is not None:
                v.camera.pan(self._pan_from[0] - pos[0], self._pan_from[1] - pos[1])
                self._pan_from = pos
            elif self._drag is not None:
                self._drag = (self._drag[0], self._drag[1], pos)
            elif self._painting:
                self._paint_at(pos)
            return
        if e.type == pg.MOUSEBUTTONDOWN:
            if not v.rect.collidepoint(pos):
                return
            if e.button in (2, 3):
                self._pan_from = pos
            elif e.button == 1:
                self._press(pos)
            return
        if e.type == pg.MOUSEBUTTONUP:
            if e.button in (2, 3):
                self._pan_from = None
            elif e.button == 1:
                if self._drag is not None:
                    what, ident, _ = self._drag
                    self._drag = None
                    h = v.hex_at(pos)
                    if what == "unit":
                        self.move_unit(ident, h)
                    elif what == "place":
                        self.move_place(ident, h)
                self._end_stroke()

    def _press(self, pos) -> None:
        v = self.view
        h = v.hex_at(pos)
        place = next((p.key for p in self.doc.map.places.values() if p.hex == h), None) if h >= 0 else None
        t = self.tool
        if t == "select":
            uid = v.unit_at(pos)
            if uid is not None:
                self.select(("unit", uid), center=False)
                self._drag = ("unit", uid, pos)
            elif place is not None:
                self.select(("place", place), center=False)
                self._drag = ("place", place, pos)
            elif h >= 0:
                self.select(("hex", h), center=False)
        elif t == "terrain":
            self._painting = True
            self._paint_at(pos)
        elif t == "fill" and h >= 0:
            self.apply(tools.paint(self.doc.map, tools.flood(self.doc.map, h), self.terrain_code))
        elif t in ("river", "road"):
            x, y = v.camera.screen_to_world(*pos)
            sh, d = tools.side_at(self.doc.map, x, y)
            if sh >= 0:
                cmd = tools.set_river(self.doc.map, sh, d, self.river_level) if t == "river" else \
                    tools.toggle_road(self.doc.map, sh, d)
                self.apply(cmd)
        elif t == "place" and h >= 0:
            if place is not None:
                self.select(("place", place), center=False)
            else:
                self.new_place(h)
        elif t == "airfield" and h >= 0:
            self.move_airfield(h)
        elif t == "control" and place is not None:
            self.toggle_control(place)

    def _paint_at(self, pos) -> None:
        h = self.view.hex_at(pos)
        if h < 0:
            return
        hexes = [x for x in tools.brush(self.doc.map, h, self.radius) if x not in self._stroke_hexes]
        if not hexes:
            return
        cmd = tools.paint(self.doc.map, hexes, self.terrain_code)
        self._stroke_hexes.update(hexes)
        if cmd is not None:
            self.doc.apply(cmd)
            self._stroke.append(cmd)
            self.view.refresh_map(hexes, vectors=False)  # terrain only: rivers, roads and places are unchanged

    def _end_stroke(self) -> None:
        """A brush stroke becomes one undo step."""
        self._painting = False
        if self._stroke:
            n = len(self._stroke)
            name = tools.terrain_name(self.doc.map, self.terrain_code)
            self.doc.undo.merge_last(n, f"paint {name} ({len(self._stroke_hexes)} hexes)")
            self._data_key = None
            self._lists_stale = True
            self.panels.build_form()
            self.status = f"painted {len(self._stroke_hexes)} hex(es) {name}"
        self._stroke = []
        self._stroke_hexes = set()

    def resize(self, w: int, h: int) -> None:
        pg = self.pg
        w, h = max(900, int(w)), max(560, int(h))
        self.screen = pg.display.set_mode((w, h), pg.RESIZABLE)
        self.ui.set_window_resolution((w, h))
        self.layout = self.Layout(w, h)
        self.view.resize(self.layout.map_rect)
        self.panels.build(self.layout)
        self._update_tool_buttons()

    # ----------------------------------------------------------------- frames
    def update(self, dt: float) -> None:
        if self._lists_stale and time.perf_counter() - self._lists_time > 0.3:
            self.flush()  # validation takes ~70 ms: not on every keystroke of a brush stroke
        self.ui.update(dt)
        self.view.camera.update(dt)
        if self.test is not None:
            p = self.panels
            p.progress.set_current_progress(100.0 * self.test.done / max(1, self.test.total))
            key = (self.test.done, self.test.error, self.test.finished)
            if key != getattr(self, "_test_key", None):
                from .testrun import comparison_html

                self._test_key = key
                p.test_box.set_text(comparison_html(self.test))
                if self.test.finished:
                    self.status = (f"Test failed: {self.test.error}" if self.test.error else
                                   f"Test done: {self.test.done} campaigns")

    def status_line(self) -> str:
        """The status bar: the hex under the pointer and its terrain, the tool, the last message."""
        m = self.doc.map
        hx = ""
        if 0 <= self.hover_hex < len(m.terrain):
            hx = f"hex {self.hover_hex} ({m.terrain_names[m.terrain[self.hover_hex]].replace('_', ' ')})  "
        tool = f"paint {tools.terrain_name(m, self.terrain_code)}" if self.tool == "terrain" else self.tool
        return f"{hx}{tool}  |  {self.status}"

    def draw(self) -> None:
        pg = self.pg
        scr = self.screen
        scr.fill((27, 31, 37))
        foot = []
        if self.tool == "terrain" and self.hover_hex >= 0:
            foot = tools.brush(self.doc.map, self.hover_hex, self.radius)
        alerts = [t[1] for t in self.panels.problem_targets.values() if t and t[0] == "hex"]
        self.view.draw(scr, self.units_for_map(), self.control(), self.selected, foot, self._drag,
                       busy=self._painting, alerts=alerts)
        title = f"{self.doc.scenario_id}{' (draft)' if self.doc.is_draft else ''}" \
                f"{' *unsaved*' if self.doc.dirty else ''}{' - variant ' + self.variant if self.variant else ''}"
        if self.panels.title.text != title:
            self.panels.title.set_text(title)
        self.ui.draw_ui(scr)
        from .. import fonts

        sr = self.layout.status_rect
        pg.draw.rect(scr, (20, 23, 28), sr)
        scr.blit(fonts.text(self.status_line()[:220], 13, (230, 226, 214)), (sr.x + 8, sr.y + 4))
        pg.display.flip()

    def step(self, events=None, dt: float = 1 / 60) -> None:
        t0 = time.perf_counter()
        if events is None:
            events = self.pg.event.get()
        for e in events:
            self.handle_event(e)
        self.update(dt)
        self.draw()
        self.frame_times.append(time.perf_counter() - t0)
        del self.frame_times[:-2000]

    def run(self) -> int:
        clock = self.pg.time.Clock()
        while self.running:
            dt = clock.tick(60) / 1000.0
            self.step(None, min(dt, 0.1))
        if self.test is not None:
            self.test.cancel()
        self.pg.quit()
        return 0


def _copy_table(item):
    import copy

    return copy.deepcopy(item)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
