"""Fonts: the shipped CJK-capable subset of Noto Sans CJK SC, with cached text rendering.

``assets/fonts/XuefengSans-{Regular,Bold}.otf`` are made by ``assets/fonts/make_subset.py``;
when they are missing (a stripped install) pygame's default font is used, which lacks
Chinese glyphs but keeps the game playable.
"""
from __future__ import annotations

from functools import lru_cache

import pygame

from engine.paths import ASSETS_DIR

FONT_DIR = ASSETS_DIR / "fonts"
REGULAR = FONT_DIR / "XuefengSans-Regular.otf"
BOLD = FONT_DIR / "XuefengSans-Bold.otf"
FAMILY = "xuefeng"


def font_path(bold: bool = False) -> str | None:
    p = BOLD if bold else REGULAR
    if p.exists():
        return str(p)
    if REGULAR.exists():
        return str(REGULAR)
    return None


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """A pygame Font of the game face at ``size`` px."""
    if not pygame.font.get_init():
        pygame.font.init()
    return pygame.font.Font(font_path(bold), max(6, int(size)))


@lru_cache(maxsize=4096)
def text(s: str, size: int, color: tuple = (20, 20, 20), bold: bool = False) -> pygame.Surface:
    """Rendered, antialiased text (cached)."""
    return font(size, bold).render(s, True, color)


@lru_cache(maxsize=2048)
def halo_text(s: str, size: int, color: tuple = (20, 20, 20), halo: tuple = (250, 248, 240),
              bold: bool = False, radius: int = 1) -> pygame.Surface:
    """Text with a light outline so it stays readable over the relief (map labels)."""
    core = text(s, size, color, bold)
    ring = font(size, bold).render(s, True, halo)
    w, h = core.get_width() + 2 * radius, core.get_height() + 2 * radius
    out = pygame.Surface((w, h), pygame.SRCALPHA)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            if dx or dy:
                out.blit(ring, (radius + dx, radius + dy))
    out.blit(core, (radius, radius))
    return out


def clear_caches() -> None:
    font.cache_clear()
    text.cache_clear()
    halo_text.cache_clear()
