"""``xuefeng edit [SCENARIO | PATH] [--variant V]``: open the editor on a scenario folder."""
from __future__ import annotations

import pygame

import sys
from pathlib import Path

from engine.api import SCENARIO_DIR, SCENARIO_ID


def scenario_folder(name_or_path: str) -> Path:
    """A scenario id (``west_hunan_1945``), a folder, or a scenario.toml file -> the folder."""
    p = Path(name_or_path)
    if SCENARIO_ID.match(name_or_path) and not p.exists():
        return SCENARIO_DIR / name_or_path
    return p.parent if p.is_file() else p


def cli_edit(args) -> int:
    from .document import EditorError

    folder = scenario_folder(args.scenario)
    if not folder.is_dir():
        print(f"xuefeng edit: {folder}: no such scenario folder", file=sys.stderr)
        return 2
    size = (1600, 900)
    try:
        w, h = (int(v) for v in str(getattr(args, "size", "1600x900")).lower().split("x"))
        size = (max(900, w), max(560, h))
    except ValueError:
        print(f"xuefeng edit: --size {args.size!r}: expected WIDTHxHEIGHT", file=sys.stderr)
        return 2
    if getattr(args, "bench", False):
        from .bench import cli_bench

        return cli_bench(folder, size)
    from ..launch import display_available
    from .app import EditorApp

    if not display_available():
        print("xuefeng edit: no display to open a window on (set DISPLAY, or use --bench headless)", file=sys.stderr)
        return 2
    try:
        app = EditorApp(folder, variant=args.variant, size=size)
    except EditorError as exc:
        print(f"xuefeng edit: {exc}", file=sys.stderr)
        return 2
    except pygame.error as exc:  # the window would not open
        print(f"xuefeng edit: cannot open a window ({exc})", file=sys.stderr)
        return 2
    return app.run()
