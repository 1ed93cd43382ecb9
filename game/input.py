"""Mouse and keyboard on the map: clicks, drags, wheel zoom, held-key panning, hotkeys.

Events that pygame_gui has consumed never get here.  A press becomes a click only when
the pointer moved less than ``DRAG_PX`` before release; otherwise it was a drag (pan).
"""
from __future__ import annotations

import pygame

DRAG_PX = 6
PAN_SPEED = 900.0  # px per second with a key held

KEY_COMMANDS = {
    pygame.K_e: "end",
    pygame.K_TAB: "next",
    pygame.K_c: "center",
    pygame.K_HOME: "fit",
    pygame.K_F1: "help",
    pygame.K_F2: "result",
    pygame.K_F10: "settings",
    pygame.K_F5: "quicksave",
    pygame.K_F9: "quickload",
    pygame.K_RETURN: "confirm",
    pygame.K_KP_ENTER: "confirm",
    pygame.K_ESCAPE: "cancel",
    pygame.K_SPACE: "skip",
    pygame.K_1: "air_support",
    pygame.K_2: "air_interdict",
    pygame.K_3: "air_cap",
    pygame.K_LEFTBRACKET: "sorties_down",
    pygame.K_RIGHTBRACKET: "sorties_up",
    pygame.K_g: "toggle_grid",
    pygame.K_r: "toggle_rivers",
    pygame.K_n: "toggle_names",
    pygame.K_z: "toggle_zoc",
    pygame.K_u: "toggle_supply",
    pygame.K_l: "cycle_lang",
}
CTRL_COMMANDS = {
    pygame.K_z: "undo",
    pygame.K_s: "save",
    pygame.K_o: "load",
    pygame.K_l: "load",
    pygame.K_q: "quit",
}
PAN_KEYS = {
    pygame.K_LEFT: (-1, 0), pygame.K_a: (-1, 0),
    pygame.K_RIGHT: (1, 0), pygame.K_d: (1, 0),
    pygame.K_UP: (0, -1), pygame.K_w: (0, -1),
    pygame.K_DOWN: (0, 1), pygame.K_s: (0, 1),
}


class MapInput:
    def __init__(self, app):
        self.app = app
        self.press_pos: tuple[int, int] | None = None
        self.press_button = 0
        self.dragging = False
        self.last_pos: tuple[int, int] | None = None
        self.held: set[int] = set()

    def handle(self, event) -> None:
        app = self.app
        cam = app.camera
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3):
            if cam.contains_screen(*event.pos):
                self.press_pos = event.pos
                self.press_button = event.button
                self.last_pos = event.pos
                self.dragging = False
        elif event.type == pygame.MOUSEMOTION:
            app.set_hover(event.pos)
            if self.press_pos is not None:
                if not self.dragging:
                    dx = event.pos[0] - self.press_pos[0]
                    dy = event.pos[1] - self.press_pos[1]
                    if dx * dx + dy * dy >= DRAG_PX * DRAG_PX:
                        self.dragging = True
                if self.dragging and self.last_pos is not None:
                    cam.pan(self.last_pos[0] - event.pos[0], self.last_pos[1] - event.pos[1])
                self.last_pos = event.pos
        elif event.type == pygame.MOUSEBUTTONUP and event.button in (1, 2, 3):
            if self.press_pos is not None and event.button == self.press_button and not self.dragging:
                if cam.contains_screen(*event.pos):
                    if event.button == 1:
                        app.click_map(event.pos)
                    elif event.button == 3:
                        app.right_click_map(event.pos)
            self.press_pos = None
            self.dragging = False
            self.last_pos = None
        elif event.type == pygame.MOUSEWHEEL:
            pos = pygame.mouse.get_pos() if pygame.mouse.get_focused() else None
            if pos is None or not cam.contains_screen(*pos):
                pos = app.last_mouse
            if event.y:
                cam.zoom_steps(1 if event.y > 0 else -1, pos)
        elif event.type == pygame.KEYDOWN:
            self.key_down(event)
        elif event.type == pygame.KEYUP:
            self.held.discard(event.key)
        elif event.type == pygame.WINDOWFOCUSLOST:
            self.held.clear()
            self.press_pos = None

    def key_down(self, event) -> None:
        app = self.app
        ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if ctrl:
            cmd = CTRL_COMMANDS.get(event.key)
            if cmd:
                app.command(cmd)
            return
        if event.key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            app.camera.zoom_steps(1, app.last_mouse)
            return
        if event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            app.camera.zoom_steps(-1, app.last_mouse)
            return
        if event.key == pygame.K_SLASH or getattr(event, "unicode", "") == "?":
            app.command("help")
            return
        if event.key in PAN_KEYS:
            self.held.add(event.key)
            return
        cmd = KEY_COMMANDS.get(event.key)
        if cmd:
            app.command(cmd)

    def update(self, dt: float) -> None:
        """Pan while arrow / WASD keys are held."""
        if not self.held:
            return
        dx = sum(PAN_KEYS[k][0] for k in self.held if k in PAN_KEYS)
        dy = sum(PAN_KEYS[k][1] for k in self.held if k in PAN_KEYS)
        if dx or dy:
            self.app.camera.pan(dx * PAN_SPEED * dt, dy * PAN_SPEED * dt)
