"""The desktop game: ``xuefeng play``.

:func:`game.launch.cli_play` picks the mode (window, one headless screenshot, frame-time benchmark, or a
short headless AI-versus-AI campaign when there is no display).  :class:`App` is the game
window; it can be built headless (SDL's dummy video driver) and driven frame by frame with
:meth:`App.step` / :meth:`App.run_frames`, which is how the tests play it.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from .display import init_pygame

HEADLESS_DRIVERS = ("dummy", "offscreen")


@dataclass
class Config:
    scenario: str = "west_hunan_1945"
    side: str = "china"  # the human's side, "hotseat", or "none" (watch the computer play itself)
    variant: str | None = None
    load: str | None = None
    seed: int = 1
    size: tuple[int, int] = (1600, 900)
    lang: str = "both"  # names: en, zh or both
    ai_speed: str = "normal"
    save_dir: Path = field(default_factory=lambda: Path("saves"))
    threaded_ai: bool = True
    settings_path: Path | None = None
    replay: object | None = None  # a batch run to replay (engine.analysis.orders.RunOrders), see game/watch.py


def config_from_args(args) -> Config:
    raw = getattr(args, "size", None) or "1600x900"  # checked by the command line's parser
    w, h = (int(v) for v in str(raw).lower().split("x"))
    size = (w, h)
    cfg = Config(
        scenario=getattr(args, "scenario", None) or "west_hunan_1945",
        side=getattr(args, "side", None) or "china",
        variant=getattr(args, "variant", None),
        load=getattr(args, "load", None),
        seed=1 if getattr(args, "seed", None) is None else int(args.seed),  # 0 is a seed like any other
        size=size,
    )
    lang = getattr(args, "lang", None)
    if lang:
        cfg.lang = lang
    return cfg


class App:
    """The game window (or a headless stand-in for tests, screenshots and the benchmark)."""

    def __init__(self, config: Config | None = None, headless: bool = False, game=None, state=None):
        self.config = config or Config()
        self.headless = headless
        t_start = time.perf_counter()
        pygame = init_pygame(headless)
        self.pg = pygame
        flags = pygame.RESIZABLE
        self.screen = pygame.display.set_mode(self.config.size, flags)
        from .i18n import t

        pygame.display.set_caption(t("app.title"))  # again in the chosen language once settings are read
        pygame.key.set_repeat(0)

        from engine.api import Game
        from engine.api import load_game

        if game is None:
            if self.config.load:
                game, state = load_game(self.config.load)
            else:
                game = Game.load(self.config.scenario, variant=self.config.variant)
        if state is None:
            state = game.new_initial_state(seed=self.config.seed)
        self.game = game

        from .ai_control import AIController
        from .board import Board
        from .camera import Camera
        from .controller import Session
        from .input import MapInput
        from .panels import Panels, make_manager
        from .texts import Namer

        side = self.config.side
        human = {"japan", "china"} if side == "hotseat" else set() if side == "none" or self.config.replay else {side}
        self.session = Session(game, state, human)
        ai_sides = set() if self.config.replay else {"japan", "china"} - human
        self.ai = AIController(game, ai_sides, self.config.seed, self.config.threaded_ai)
        self.settings = {"lang": self.config.lang, "ai_speed": self.config.ai_speed, "grid": True,
                         "river_sides": True, "labels": True, "zoc": True, "supply": False}
        self._load_settings()
        from .i18n import set_lang

        set_lang(self.settings["lang"])
        self.namer = Namer(game, self.settings["lang"])
        self.session.namer = self.namer
        self.board = Board(game)
        self.ui = make_manager(self.screen.get_size())
        self.panels = Panels(self)
        self.camera = Camera(self.map_view(), self.board.map.world_w, self.board.map.world_h,
                             hex_width_km=game.map.grid.width)
        self._apply_settings()
        self._initial_view()
        self.input = MapInput(self)
        self.hover_hex: int | None = None
        self.hover_since = 0.0
        self.inspect_hex: int | None = None  # the hex last clicked (shown when no unit is selected)
        self.last_mouse = (self.camera.view[0] + self.camera.view[2] // 2, self.camera.view[1] + self.camera.view[3] // 2)
        self.help_open = False
        self.end_open = False
        self._end_shown = state.over
        self.settings_win = None
        self.file_dialog = None
        self._file_mode = None
        self.running = True
        self.first_frame = True
        self.frames = 0
        self.clock = pygame.time.Clock()
        self._panel_key = None
        from .watch import make_mode

        self.mode = make_mode(self)  # watch or replay (game/watch.py), None when playing
        from .animation import Animation

        self.anim = Animation()  # counters sliding after an order (a view of the state, never a change to it)
        self._anim_state = id(self.session.state)
        self._cam_seen = (self.camera.cx, self.camera.cy, self.camera.scale)
        self.tooltip_rect = None  # where the map tooltip was last drawn
        self._drawn_rev = -1
        self.confirm_dialog = None
        self._confirm_action = None
        self.saved_at = len(state.history)  # history length at the last save or load (unsaved progress)
        self.t_init = time.perf_counter() - t_start
        self.frame_times: list[float] = []

    # ------------------------------------------------------------------ layout
    def map_view(self) -> tuple[int, int, int, int]:
        from .panels import TOP

        W, H = self.screen.get_size()
        rw = self.panels.right_rect.w if hasattr(self, "panels") else 400
        return (0, TOP, W - rw, H - TOP)

    def _initial_view(self) -> None:
        """Start on your own forces (playing one side), else between the Japanese and the airfield."""
        game = self.game
        st = self.session.state
        m = game.map
        jp = [u.hex for u in st.units if u.status == "active" and u.side == "japan"]
        mine = [u.hex for u in st.units if u.status == "active" and u.side == self.config.side]
        a = game.airfield_hex
        import numpy as np

        if mine:  # one side played by you: open on your own forces
            cx, cy = float(np.median(m.x_km[mine])), float(np.median(m.y_km[mine]))
        elif jp:
            cx, cy = float(np.median(m.x_km[jp]) + m.x_km[a]) / 2, float(np.median(m.y_km[jp]) + m.y_km[a]) / 2
        else:
            cx, cy = float(m.x_km[a]), float(m.y_km[a])
        cam = self.camera
        target = 42.0 / m.grid.width  # hexes about 42 px wide: counters big enough to read
        i = min(range(len(cam.levels)), key=lambda k: abs(cam.levels[k] - target))
        i = max(1, min(i, len(cam.levels) - 1))
        cam.zoom_to(cam.levels[i], animate=False)
        cam.center_on(cx, cy)

    def resize(self, w: int, h: int) -> None:
        pg = self.pg
        w, h = max(800, int(w)), max(500, int(h))
        if self.screen.get_size() != (w, h):
            self.screen = pg.display.set_mode((w, h), pg.RESIZABLE)
        self.ui.set_window_resolution((w, h))
        self.panels.build((w, h))
        self._panel_key = None
        self.camera.set_view(self.map_view())
        self.board.labels._layout_cache.clear()
        self.board.map.invalidate()
        if self.settings_win is not None:
            self.settings_win.close()
            self.settings_win = None

    # ---------------------------------------------------------------- settings
    def _load_settings(self) -> None:
        p = self.config.settings_path
        if p and Path(p).exists():
            try:
                d = json.loads(Path(p).read_text(encoding="utf-8"))
                for k, v in d.items():
                    if k in self.settings and type(v) is type(self.settings[k]):
                        self.settings[k] = v
            except (OSError, ValueError):
                pass

    def _save_settings(self) -> None:
        p = self.config.settings_path
        if p:
            try:
                Path(p).parent.mkdir(parents=True, exist_ok=True)
                Path(p).write_text(json.dumps(self.settings, indent=1), encoding="utf-8")
            except OSError:
                pass

    def _apply_settings(self) -> None:
        from .i18n import lang, set_lang, t

        s = self.settings
        self.namer.lang = s["lang"]
        set_lang(s["lang"])
        self.pg.display.set_caption(t("app.title"))
        if self.ui.get_locale() != lang():
            self.ui.set_locale(lang())  # pygame_gui's own words (dialog buttons, file dialog tooltips)
        if hasattr(self, "panels") and self.panels.lang != lang():
            self.panels.build(self.screen.get_size())  # button labels in the new language
        self.board.show_labels = s["labels"]
        self.board.show_zoc = s["zoc"]
        self.board.show_supply = s["supply"]
        ml = self.board.map
        if ml.show_grid != s["grid"] or ml.show_river_sides != s["river_sides"]:
            ml.show_grid = s["grid"]
            ml.show_river_sides = s["river_sides"]
            ml.invalidate()
        self._panel_key = None

    def set_setting(self, key: str, value) -> None:
        if key in self.settings:
            self.settings[key] = value
            self._apply_settings()
            self._save_settings()

    def ai_delay(self) -> float:
        from .ai_control import SPEEDS

        return SPEEDS.get(self.settings["ai_speed"], 0.4)

    # --------------------------------------------------------------- commands
    def command(self, name: str) -> None:
        from .i18n import t

        s = self.session
        st = s.state
        if name == "end":
            if self.ai.busy or not s.is_human_turn():
                s.error(t("msg.not_your_turn") if not st.over else t("msg.game_over"))
                return
            s.end_phase()
        elif name == "undo":
            if self.ai.busy:
                return
            s.undo()
        elif name == "save":
            self.open_file_dialog("save")
        elif name == "load":
            self.open_file_dialog("load")
        elif name == "quicksave":
            self.save_to(self.config.save_dir / "quicksave.json")
        elif name == "quickload":
            path = self.config.save_dir / "quicksave.json"
            self.confirm_if_unsaved(t("dialog.quickload"), lambda: self.load_from(path))
        elif name == "settings":
            self.open_settings()
        elif name == "help":
            self.help_open = not self.help_open
        elif name == "result":
            self.end_open = not self.end_open
        elif name == "next":
            uid = s.next_unit()
            if uid:
                self.center_on_unit(uid, only_if_offscreen=True)
        elif name == "center":
            if s.selected:
                self.center_on_unit(s.selected)
        elif name == "fit":
            self.camera.zoom_to(self.camera.min_scale)
        elif name == "confirm":
            if st.phase == "combat" and s.target is not None:
                s.confirm_attack()
            elif st.phase == "air" and s.air_target is not None:
                s.fly_mission()
        elif name == "cancel":
            if self.help_open:
                self.help_open = False
            elif self.end_open:
                self.end_open = False
            elif self.anim.skip():  # Esc ends a running slide first
                s.touch()
            elif s.combat_card is not None:
                s.combat_card = None  # Esc skips the result card
                s.touch()
            else:
                s.cancel()
        elif name == "attack":
            s.confirm_attack()
        elif name == "fly":
            s.fly_mission()
        elif name == "skip":  # Space: the running slide and, while the computer plays, the rest of its phase
            if self.anim.skip():
                s.touch()
            if self.ai.busy:
                self.ai.skip()
        elif name.startswith("air_"):
            s.set_air_kind(name[4:])
        elif name == "sorties_up":
            s.set_air_sorties(s.air_sorties + 10)
        elif name == "sorties_down":
            s.set_air_sorties(s.air_sorties - 10)
        elif name == "toggle_grid":
            self.set_setting("grid", not self.settings["grid"])
        elif name == "toggle_rivers":
            self.set_setting("river_sides", not self.settings["river_sides"])
        elif name == "toggle_names":
            self.set_setting("labels", not self.settings["labels"])
        elif name == "toggle_zoc":
            self.set_setting("zoc", not self.settings["zoc"])
        elif name == "toggle_supply":
            self.set_setting("supply", not self.settings["supply"])
        elif name == "cycle_lang":
            order = ["en", "zh", "both"]
            self.set_setting("lang", order[(order.index(self.settings["lang"]) + 1) % 3])
        elif name == "quit":
            self.confirm_if_unsaved(t("dialog.quit"), self._quit)

    def _quit(self) -> None:
        self.running = False

    def unsaved(self) -> bool:
        """True when orders were given since the last save or load."""
        return len(self.session.state.history) != self.saved_at

    def confirm_if_unsaved(self, question: str, action) -> None:
        """Do ``action`` now when nothing would be lost, else after the player confirms."""
        if not self.unsaved():
            action()
            return
        from pygame_gui.windows import UIConfirmationDialog

        from .i18n import t
        from .ui_text import undashed

        if self.confirm_dialog is not None and self.confirm_dialog.alive():
            self.confirm_dialog.kill()
        W, H = self.screen.get_size()
        self.confirm_dialog = UIConfirmationDialog(self.pg.Rect((W - 360) // 2, (H - 200) // 2, 360, 200), question,
                                                   self.ui, window_title=t("dialog.confirm_title"),
                                                   action_short_name=t("dialog.yes"))
        undashed(self.confirm_dialog.confirmation_text)
        self._confirm_action = action

    def center_on_unit(self, uid: str, only_if_offscreen: bool = False) -> None:
        u = self.session.state.unit(uid)
        if u.hex < 0:
            return
        m = self.game.map
        x, y = float(m.x_km[u.hex]), float(m.y_km[u.hex])
        if only_if_offscreen:
            sx, sy = self.camera.world_to_screen(x, y)
            vx, vy, w, h = self.camera.view
            if vx + 60 < sx < vx + w - 60 and vy + 60 < sy < vy + h - 60:
                return
        self.camera.center_on(x, y)

    # ------------------------------------------------------------- save / load
    def open_file_dialog(self, mode: str) -> None:
        from pygame_gui.windows import UIFileDialog

        from .i18n import t

        if self.file_dialog is not None and self.file_dialog.alive():
            self.file_dialog.kill()
        W, H = self.screen.get_size()
        d = Path(self.config.save_dir)
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        st = self.session.state
        initial = d / (f"xuefeng-turn{st.turn:02d}-{st.side}-{st.phase}.json" if mode == "save" else "quicksave.json")
        rect = self.pg.Rect((W - 520) // 2, (H - 420) // 2, 520, 420)
        self.file_dialog = UIFileDialog(rect, self.ui, t("dialog.save_title" if mode == "save" else "dialog.load_title"),
                                        initial_file_path=str(initial), allow_existing_files_only=(mode == "load"),
                                        allowed_suffixes={".json"} if mode == "load" else None)
        # no deleting files from inside the game
        db = getattr(self.file_dialog, "delete_button", None)
        if db is not None:
            db.disable()
            db.hide()
            db.enable = lambda *a, **k: None
            db.show = lambda *a, **k: None
        self._file_mode = mode

    def save_to(self, path) -> bool:
        from engine.api import save_game

        from .i18n import t

        path = Path(path)
        try:
            save_game(self.session.state, path)
        except OSError as exc:
            self.session.error(t("msg.save_failed", path=path, reason=exc.strerror or exc))
            return False
        self.saved_at = len(self.session.state.history)
        self.session.notice(t("msg.saved", path=path))
        return True

    def load_from(self, path) -> bool:
        """Load a save; on any problem show the message and keep playing the current game."""
        from engine.api import load_game

        from .i18n import t
        from .texts import phase_name, side_name

        path = Path(path)
        s = self.session
        if self.ai.busy:
            self.ai.reset()
        try:
            game, state = load_game(path, self.game)
            if game is not self.game:
                self._switch_game(game)
        except ValueError as exc:
            s.error(t("msg.load_failed", reason=exc))
            return False
        s.replace_state(state)
        self.ai.reset()
        self.saved_at = len(state.history)
        self._end_shown = state.over
        s.notice(t("msg.loaded", path=path, turn=state.turn, side=side_name(state.side), phase=phase_name(state.phase)))
        return True

    def _switch_game(self, game) -> None:
        from .ai_control import AIController
        from .board import Board
        from .camera import Camera
        from .texts import Namer

        self.game = game
        self.session.game = game
        self.ai = AIController(game, self.ai.sides, self.config.seed, self.config.threaded_ai)
        self.board = Board(game)
        self.namer = Namer(game, self.settings["lang"])
        self.session.namer = self.namer
        self.camera = Camera(self.map_view(), self.board.map.world_w, self.board.map.world_h,
                             hex_width_km=game.map.grid.width)
        self._apply_settings()

    def open_settings(self) -> None:
        from .screens import SettingsWindow

        if self.settings_win is not None and self.settings_win.alive:
            self.settings_win.close()
            self.settings_win = None
            return
        self.settings_win = SettingsWindow(self)

    def modal_open(self) -> bool:
        """True while a dialog covers the map (help, end screen, settings, a file dialog)."""
        return bool(self.help_open or self.end_open or (self.file_dialog is not None and self.file_dialog.alive())
                    or (self.confirm_dialog is not None and self.confirm_dialog.alive())
                    or (self.settings_win is not None and self.settings_win.alive))

    # -------------------------------------------------------------- the map
    def set_hover(self, pos) -> None:
        self.last_mouse = pos
        if self.camera.contains_screen(*pos) and not self.panels.contains(pos):
            h = self.board.hex_at(self.camera, pos)
            h = h if h >= 0 else None
        else:
            h = None
        if h != self.hover_hex:
            self.hover_hex = h
            self.hover_since = time.monotonic()

    def click_map(self, pos) -> None:
        """A click on the map: a counter (even one offset in a stack) or a hex."""
        s = self.session
        self.hover_since = time.monotonic() + 1.0  # no tooltip over what the click just lit up
        rects = self.board.counter_rects(self.camera, s.state, s.selected)
        h = self.board.hex_at(self.camera, pos)
        # counters stand a little off-centre in stacks: prefer the counter under the pointer
        hit = [uid for uid, r in rects.items() if r.collidepoint(pos)]
        if hit:
            top = hit[-1]
            hx = s.state.unit(top).hex
            if s.state.phase == "move" and s.state.unit(top).side == s.state.side and s.is_human_turn():
                if s.selected == top:
                    s.click_hex(hx)  # cycle within the stack
                else:
                    s.select_unit(top)
                return
            h = hx
        if h >= 0:
            self.inspect_hex = h
            s.click_hex(h)

    def right_click_map(self, pos) -> None:
        """A right click: in the movement phase, move the selected unit to a lit hex (the way to stack
        onto your own units); anywhere else it cancels the selection."""
        s = self.session
        h = self.board.hex_at(self.camera, pos)
        if s.state.phase == "move" and s.selected is not None and h in s.reach and s.is_human_turn():
            s.move_selected(h)
        else:
            self.command("cancel")

    def hex_screen_pos(self, h: int) -> tuple[int, int]:
        x, y = self.board.hex_center(self.camera, h)
        return int(round(x)), int(round(y))

    def unit_screen_pos(self, uid: str) -> tuple[int, int]:
        """Where to click to pick this unit (the visible part of its counter)."""
        rects = self.board.counter_rects(self.camera, self.session.state, self.session.selected)
        r = rects[uid]
        # the top-left corner region is visible even when other counters are stacked above
        return r.x + max(2, r.w // 6), r.y + max(2, r.h // 6)

    # ---------------------------------------------------------------- frames
    def handle_event(self, e) -> None:
        pg = self.pg
        import pygame_gui

        if e.type == pg.QUIT:
            self.command("quit")
            return
        if e.type == pg.VIDEORESIZE:
            self.resize(e.w, e.h)
            return
        if e.type == pg.WINDOWSIZECHANGED:
            if (e.x, e.y) != self.screen.get_size():
                self.resize(e.x, e.y)
            return
        if e.type in (pg.MOUSEMOTION,):
            self.last_mouse = e.pos
        # modal screens first
        if self.help_open or self.end_open:
            if e.type == pg.KEYDOWN:
                if e.key in (pg.K_ESCAPE, pg.K_F1, pg.K_SLASH) and self.help_open:
                    self.help_open = False
                elif e.key in (pg.K_ESCAPE, pg.K_F2) and self.end_open:
                    self.end_open = False
                elif e.key == pg.K_q and e.mod & pg.KMOD_CTRL:
                    self.command("quit")
            elif e.type == pg.MOUSEBUTTONUP and e.button == 1 and self.help_open:
                self.help_open = False
            return
        if self.mode is not None and self.mode.handle(e):
            return
        consumed = self.ui.process_events(e)
        if e.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and e.ui_element is self.confirm_dialog:
            action, self._confirm_action = self._confirm_action, None
            if action is not None:
                action()
            return
        if e.type in (pygame_gui.UI_BUTTON_PRESSED, pygame_gui.UI_HORIZONTAL_SLIDER_MOVED,
                      pygame_gui.UI_DROP_DOWN_MENU_CHANGED, pygame_gui.UI_FILE_DIALOG_PATH_PICKED,
                      pygame_gui.UI_WINDOW_CLOSE):
            self._ui_event(e)
            return
        modal = (self.file_dialog is not None and self.file_dialog.alive()) or \
                (self.settings_win is not None and self.settings_win.alive) or \
                (self.confirm_dialog is not None and self.confirm_dialog.alive())
        if modal:
            if e.type == pg.KEYDOWN and e.key == pg.K_ESCAPE:
                if self.confirm_dialog is not None and self.confirm_dialog.alive():
                    self.confirm_dialog.kill()
                elif self.file_dialog is not None and self.file_dialog.alive():
                    self.file_dialog.kill()
                elif self.settings_win is not None:
                    self.settings_win.close()
            if e.type == pg.MOUSEMOTION:
                self.hover_hex = None
            return
        if consumed and e.type in (pg.MOUSEBUTTONDOWN, pg.MOUSEWHEEL, pg.KEYDOWN):
            return
        if e.type in (pg.MOUSEBUTTONDOWN, pg.MOUSEWHEEL) and self.panels.contains(getattr(e, "pos", self.last_mouse)):
            return
        self.input.handle(e)

    def _ui_event(self, e) -> None:
        import pygame_gui

        if self.settings_win is not None and self.settings_win.alive and self.settings_win.handle(e):
            return
        if e.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and e.ui_element is self.file_dialog:
            if self._file_mode == "save":
                self.save_to(e.text)
            else:
                self.load_from(e.text)
            return
        if e.type == pygame_gui.UI_WINDOW_CLOSE:
            return
        self.panels.handle(e)

    def update(self, dt: float) -> None:
        self.camera.update(dt)
        self.input.update(dt)
        cam = (self.camera.cx, self.camera.cy, self.camera.scale)
        if cam != self._cam_seen:  # the map moved under a still pointer: the tooltip waits for it to rest
            self._cam_seen = cam
            self.set_hover(self.last_mouse)
            self.hover_since = time.monotonic()
        st = self.session.state
        if self.mode is not None:
            self.mode.update(dt)
        skipping = self.ai.fast_forward
        if (not st.over or self.ai.busy) and (self.mode is None or self.mode.ai_may_play) \
                and (skipping or not self.anim.running):  # the computer's next order waits for the slide
            self.ai.update(self.session, self.ai_delay())
        self._animate(dt, skipping)
        st = self.session.state
        if st.over and not self._end_shown and not self.ai.busy:
            self._end_shown = True
            self.end_open = True
        key = (self.session.rev, self.inspect_hex, self.settings["lang"],
               self.ai.status, self.settings["ai_speed"], id(st))
        if key != self._panel_key:
            self._panel_key = key
            self.panels.refresh()
        self.ui.update(dt)

    def _animate(self, dt: float, skip: bool) -> None:
        """Start slides for the orders given since the last frame and advance the running ones;
        a new game state (load, undo, a step back in a replay) ends the running slides and shows
        only the motions the session was given with it (a replay step forward); a skipped AI
        phase shows no slide."""
        s = self.session
        if id(s.state) != self._anim_state:
            self._anim_state = id(s.state)
            self.anim.clear()
        delay = 0.0 if skip else self.ai_delay()
        for moved in s.moved:
            self.anim.add(moved, delay)
        s.moved.clear()
        self.anim.update(dt)

    def draw(self) -> None:
        from . import screens
        from .hud import (draw_ai_banner, draw_combat_card, draw_right_backdrop, draw_sorties_tip, draw_toasts,
                          draw_tooltip, draw_topbar)

        scr = self.screen
        scr.fill((27, 31, 37))
        self.board.draw(scr, self.camera, self)
        draw_right_backdrop(scr, self)
        draw_topbar(scr, self)
        self.ui.draw_ui(scr)
        draw_ai_banner(scr, self)
        if self.mode is not None:
            self.mode.draw(scr)
        draw_toasts(scr, self)
        draw_combat_card(scr, self)
        self.tooltip_rect = draw_tooltip(scr, self)
        draw_sorties_tip(scr, self)
        if self.help_open:
            screens.draw_help(scr)
        if self.end_open:
            screens.draw_end(scr, self)
        self.pg.display.flip()
        self.first_frame = False
        self._drawn_rev = self.session.rev

    def step(self, events=None, dt: float | None = None) -> None:
        """One frame: handle ``events`` (default: the pygame queue), update, draw."""
        t0 = time.perf_counter()
        if events is None:
            events = self.pg.event.get()
        for e in events:
            self.handle_event(e)
        self.update(1 / 60 if dt is None else dt)
        self.draw()
        self.frames += 1
        self.frame_times.append(time.perf_counter() - t0)
        del self.frame_times[:-2000]

    def run_frames(self, n: int, events=None) -> None:
        for i in range(n):
            self.step(events if i == 0 else None)

    def wait_ai(self, max_frames: int = 5000) -> None:
        """Pump frames until the computer has finished its phases (tests, screenshots)."""
        for _ in range(max_frames):
            if self.ai.status == "failed":
                raise RuntimeError(f"the computer player failed: {self.ai.failure}")
            if not self.ai.busy and not self.ai.wants_turn(self.session.state):
                return
            if self.ai.status == "thinking" and self.ai._thread is not None:
                self.ai._thread.join(0.05)
            self.ai.skip()
            self.step([])

    def needs_redraw(self, events) -> bool:
        """Whether the next frame can differ from the last one drawn: input, an animation, the
        computer playing, tiles still being made, a message or tooltip on its timer."""
        from .hud import TOOLTIP_DELAY

        now = time.monotonic()
        st = self.session.state
        playing_mode = self.mode is not None and not getattr(self.mode, "paused", False)
        return bool(events or self.first_frame or self.camera.animating or self.anim.running or self.ai.busy
                    or playing_mode
                    or (self.ai.wants_turn(st) and (self.mode is None or self.mode.ai_may_play))
                    or getattr(self.board, "missing_tiles", 0) or self.input.held
                    or self.session.rev != self._drawn_rev
                    or any(now - m.t < 7.5 for m in self.session.messages[-4:])
                    or (self.hover_hex is not None and 0 <= now - self.hover_since < TOOLTIP_DELAY + 0.1)
                    or (self.ai.highlight is not None and now - self.ai.highlight.get("t0", 0) < 3.0))

    def run(self) -> int:
        pg = self.pg
        idle_draw = 0.0
        while self.running:
            busy = self.needs_redraw([]) or pg.event.peek()
            dt = self.clock.tick(60 if busy else 15) / 1000.0
            t0 = time.perf_counter()
            events = pg.event.get()
            for e in events:
                self.handle_event(e)
            self.update(min(dt, 0.1))
            if self.needs_redraw(events) or t0 - idle_draw > 1.0:  # idle: one frame a second at most
                self.draw()
                idle_draw = t0
                self.frame_times.append(time.perf_counter() - t0)
                del self.frame_times[:-2000]
        pg.quit()
        return 0

    # --------------------------------------------------------------- autoplay
    def autoplay_to(self, turn: int, stop_side: str | None = None, stop_phase: str = "move") -> None:
        """Let the computer play both sides until ``turn`` (used by ``--screenshot --turn``)."""
        from engine.api import make_player

        players = {s: make_player(s, self.config.seed * 31 + i, self.game) for i, s in enumerate(("japan", "china"))}
        st = self.session.state
        stop_side = stop_side or (self.config.side if self.config.side in ("japan", "china") else "japan")
        guard = 0
        while not st.over and guard < 10000:
            guard += 1
            if st.turn >= turn and st.side == stop_side and st.phase == stop_phase:
                break
            players[st.side].play_phase(st)
        self.ai.reset()
        self.session.replace_state(st)
        self._end_shown = st.over
