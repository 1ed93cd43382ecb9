"""The editor's widgets (pygame_gui): toolbar, tool palette, the left list (order of battle,
places or rules tables), the problem list, the form on the right, the test panel.

Everything is rebuilt by :meth:`Panels.build` for the window size (on start and on resize);
:class:`Layout` is the one place that says where things go.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame
from pygame_gui.elements import (UIButton, UIDropDownMenu, UILabel, UIProgressBar, UIScrollingContainer,
                                 UISelectionList, UITextEntryLine)

from .. import fonts
from ..ui_text import UIManager, text_box

TOP_H = 40
TOOL_H = 34
LEFT_W = 320
RIGHT_W = 380
STATUS_H = 24

FILE_BUTTONS = (("open", "Open"), ("save", "Save"), ("save_as", "Save as"), ("undo", "Undo"), ("redo", "Redo"),
                ("play", "Play"), ("test", "Test"))
TOOL_BUTTONS = (("select", "Select"), ("terrain:P", "Plain"), ("terrain:H", "Hills"), ("terrain:M", "Mount."),
                ("terrain:X", "High m."), ("radius:0", "1 hex"), ("radius:1", "r1"), ("radius:2", "r2"),
                ("fill", "Fill"), ("river:1", "Minor riv."), ("river:2", "Major riv."), ("river:0", "No river"),
                ("road", "Road"), ("place", "Place"), ("airfield", "Airfield"), ("control", "Control"))
MODES = ("Order of battle", "Places", "Rules and variants")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_manager(size):
    """The game's theme (game.panels) with the editor's lists aligned left (a tree needs it)."""
    import warnings

    from ..panels import make_theme

    theme = make_theme()
    theme["selection_list.@selection_list_item"] = {
        "misc": {"text_horiz_alignment": "left", "text_horiz_alignment_padding": "6"},
        "font": dict(theme["selection_list"]["font"], size="13")}
    theme["label"]["misc"] = {"text_horiz_alignment": "left"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mgr = UIManager(size, theme, enable_live_theme_updates=False)
        from .. import fonts

        if fonts.font_path():
            mgr.preload_fonts([{"name": "xuefeng", "point_size": s, "style": "bold"} for s in (13, 14, 15)])
        return mgr


@dataclass
class Layout:
    w: int
    h: int

    @property
    def map_rect(self) -> pygame.Rect:
        y = TOP_H + TOOL_H
        return pygame.Rect(LEFT_W, y, max(50, self.w - LEFT_W - RIGHT_W), max(50, self.h - y - STATUS_H))

    @property
    def status_rect(self) -> pygame.Rect:
        return pygame.Rect(0, self.h - STATUS_H, self.w, STATUS_H)


class Panels:
    def __init__(self, app):
        self.app = app
        self.elements: list = []
        self.buttons: dict = {}
        self.tool_buttons: dict = {}
        self.form_entries: list = []  # (FormField, UITextEntryLine)
        self.form_actions: dict = {}
        self.list_targets: dict[str, tuple] = {}
        self.problem_targets: dict[str, tuple] = {}
        self.problem_texts: dict[str, str] = {}

    def _add(self, el):
        self.elements.append(el)
        return el

    def kill(self) -> None:
        for el in self.elements:
            el.kill()
        self.elements = []
        self.form_entries = []
        self.form_actions = {}

    # --------------------------------------------------------------------- build
    def build(self, layout: Layout) -> None:
        self.kill()
        app, mgr = self.app, self.app.ui
        self.layout = layout
        x = 6
        self.buttons = {}
        for key, label in FILE_BUTTONS:
            w = 72
            self.buttons[key] = self._add(UIButton(pygame.Rect(x, 5, w, TOP_H - 10), label, mgr,
                                                   object_id="#primary" if key == "test" else None))
            x += w + 4
        self.runs_entry = self._add(UITextEntryLine(pygame.Rect(x, 6, 46, TOP_H - 12), mgr))
        self.runs_entry.set_text(str(app.test_runs))
        x += 52
        options = ["(base scenario)"] + app.variant_names()
        start = app.variant if app.variant in options else options[0]
        self.variant_menu = self._add(UIDropDownMenu(options, start, pygame.Rect(x, 5, 230, TOP_H - 10), mgr))
        x += 234
        self.buttons["add_variant"] = self._add(UIButton(pygame.Rect(x, 5, 90, TOP_H - 10), "+ Variant", mgr))
        x += 96
        self.title = self._add(UILabel(pygame.Rect(x, 5, max(50, layout.w - x - 6), TOP_H - 10), "", mgr))
        x = 6
        self.tool_buttons = {}
        avail = layout.w - 12
        bw = max(40, min(78, avail // len(TOOL_BUTTONS) - 3))
        for key, label in TOOL_BUTTONS:
            self.tool_buttons[key] = self._add(UIButton(pygame.Rect(x, TOP_H, bw, TOOL_H - 4), label, mgr))
            x += bw + 3
        # left column
        top = TOP_H + TOOL_H
        self.mode_menu = self._add(UIDropDownMenu(list(MODES), MODES[app.mode], pygame.Rect(4, top, LEFT_W - 8, 30), mgr))
        list_h = int((layout.h - top - STATUS_H) * 0.62) - 70
        self.item_list = self._add(UISelectionList(pygame.Rect(4, top + 34, LEFT_W - 8, max(60, list_h)), [], mgr))
        y = top + 38 + max(60, list_h)
        self.list_buttons = {}
        bx = 4
        labels = (("add_formation", "+ Formation"), ("add_unit", "+ Unit"), ("duplicate", "Duplicate"),
                  ("delete", "Delete"))
        need = [fonts.font(14).size(label)[0] + 14 for _, label in labels]  # each label whole
        spare = max(0, (LEFT_W - 8 - 2 * (len(labels) - 1)) - sum(need)) // len(labels)
        for (key, label), w in zip(labels, need):
            self.list_buttons[key] = self._add(UIButton(pygame.Rect(bx, y, w + spare, 28), label, mgr))
            bx += w + spare + 2
        y += 32
        self.problem_label = self._add(UILabel(pygame.Rect(4, y, LEFT_W - 8, 22), "Problems", mgr))
        y += 24
        self.problem_list = self._add(UISelectionList(
            pygame.Rect(4, y, LEFT_W - 8, max(40, layout.h - y - STATUS_H - 4)), [], mgr))
        # right column
        rx = layout.w - RIGHT_W + 4
        self.form_title = self._add(UILabel(pygame.Rect(rx, top, RIGHT_W - 8, 26), "", mgr))
        self.form_rect = pygame.Rect(rx, top + 28, RIGHT_W - 8, int((layout.h - top - STATUS_H) * 0.47))
        self.form = None
        self._form_key = None
        y = self.form_rect.bottom + 4
        self.help_box = self._add(text_box("Select a unit, formation, place, table or hex. "
                                            "Type a value and press Enter to apply it.",
                                            pygame.Rect(rx, y, RIGHT_W - 8, 130), mgr))
        y += 134
        self.progress = self._add(UIProgressBar(pygame.Rect(rx, y, RIGHT_W - 8, 20), mgr))
        if getattr(self.app, "test", None) is None:
            self.progress.hide()  # shown while a test runs (no "0.0/100.0" when idle)
        y += 24
        self.test_box = self._add(text_box("Test: plays N AI-vs-AI campaigns of the edited scenario "
                                            "beside the historical one.",
                                            pygame.Rect(rx, y, RIGHT_W - 8, max(40, layout.h - y - STATUS_H - 4)), mgr))
        self.refresh_lists()
        self.build_form()

    # ---------------------------------------------------------------------- lists
    def refresh_lists(self) -> None:
        app = self.app
        items = app.list_items()
        self.list_targets = {text: target for text, target in items}
        self.item_list.set_item_list([t for t, _ in items])
        probs = app.doc.problems()
        self.problem_targets = {}
        self.problem_texts = {}
        texts = []
        for i, p in enumerate(probs):
            t = f"{i + 1}. {'ERROR' if p.severity == 'error' else 'warn'}: {p.text.removeprefix('scenario.toml: ')}"
            self.problem_targets[t] = p.target
            self.problem_texts[t] = p.text
            texts.append(t)
        self.problem_list.set_item_list(texts or ["No problems: the scenario loads."])
        n_err = sum(1 for p in probs if p.severity == "error")
        self.problem_label.set_text(f"Problems: {n_err} error(s), {len(probs) - n_err} warning(s)")
        self._problem_key = app.doc.undo.top_id

    # ----------------------------------------------------------------------- form
    def build_form(self, force: bool = False) -> None:
        app, mgr = self.app, self.app.ui
        key = (app.selected, app.doc.undo.top_id, len(app.doc.undo.undone), app.variant, id(app.doc))
        if not force and self.form is not None and key == self._form_key:
            return
        self._form_key = key
        if self.form is not None:
            self.form.kill()
            if self.form in self.elements:
                self.elements.remove(self.form)
        for _, el in self.form_entries:
            el.kill()
        self.form_entries = []
        self.form_actions = {}
        title, fields, readonly = app.form_content()
        self.form_title.set_text(title)
        r = self.form_rect
        self.form = self._add(UIScrollingContainer(r, mgr, allow_scroll_x=False))
        y = 0
        iw = r.w - 24
        if readonly is not None and not fields:
            self.help_box.set_text("Tools act on the map with the left button; the right button drags the map; "
                                   "the wheel zooms. Ctrl+Z undo, Ctrl+Y redo, Ctrl+S save.")
            text_box(readonly, pygame.Rect(0, 0, iw, max(r.h - 4, 60)), mgr, container=self.form)
            self.form.set_scrollable_area_dimensions((iw, r.h - 4))
            return
        for f in fields:
            label = f.name + (" *" if f.required else "") + (" ?" if f.help else "")
            if len(label) > 17:  # a long name gets its own row
                UILabel(pygame.Rect(0, y, iw, 22), label, mgr, container=self.form)
                y += 22
                e = UITextEntryLine(pygame.Rect(24, y, iw - 24, 26), mgr, container=self.form)
            else:
                UILabel(pygame.Rect(0, y, 136, 26), label, mgr, container=self.form)
                e = UITextEntryLine(pygame.Rect(138, y, iw - 138, 26), mgr, container=self.form)
            e.set_text(f.text)
            self.form_entries.append((f, e))
            y += 28
        if readonly is not None:  # fields above a read-only text (a variant: its name, then its changes)
            text_box(readonly, pygame.Rect(0, y + 4, iw, max(r.h - 8 - y, 60)), mgr, container=self.form)
            y += max(r.h - 8 - y, 60) + 4
        self.form.set_scrollable_area_dimensions((iw, max(y, 10)))
        helps = [f"<b>{f.name}</b>: {_esc(f.help)}" for f in fields if f.help]
        self.help_box.set_text("<br>".join(helps) if helps else
                               "Type a value and press Enter to apply it (TOML syntax for numbers, dates, "
                               "lists and tables; text as it is). * = required; ? = has a comment in the file.")
