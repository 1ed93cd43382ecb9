"""Starting pygame for a window or for a headless stand-in (tests, screenshots, benchmarks)."""
from __future__ import annotations

import os


def init_pygame(headless: bool):
    """Initialise pygame's display and fonts; ``headless`` uses SDL's dummy drivers."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    pygame.display.init()
    pygame.font.init()
    return pygame
