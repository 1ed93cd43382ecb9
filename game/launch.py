"""``xuefeng play``: pick the mode (a window, one headless screenshot, the frame-time
benchmark, or a headless campaign when there is no display) and start it."""
from __future__ import annotations

import pygame

import os
import sys
from pathlib import Path

from .app import HEADLESS_DRIVERS, App, config_from_args


def display_available() -> bool:
    drv = os.environ.get("SDL_VIDEODRIVER", "")
    if drv in HEADLESS_DRIVERS:
        return False
    if drv:
        return True
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


def _replay_game(args, cfg):
    """For ``--replay DIR --run N``: the run's orders and its game, or an exit code."""
    from engine.api import Game, read_orders

    if getattr(args, "run", None) is None:
        print("xuefeng play: --replay DIR needs --run N (the run of the batch to replay)", file=sys.stderr)
        return None, 2
    if args.run < 0:
        print(f"xuefeng play: --run {args.run}: expected a run number (0 or more)", file=sys.stderr)
        return None, 2
    try:
        orders = read_orders(args.replay, args.run)
        game = Game.load_by_id(orders.scenario, variant=orders.variant)
    except ValueError as exc:
        print(f"xuefeng play: {exc}", file=sys.stderr)
        return None, 2
    cfg.replay = orders
    return game, 0


def cli_play(args) -> int:
    cfg = config_from_args(args)
    game = None
    if getattr(args, "replay", None):
        game, rc = _replay_game(args, cfg)
        if game is None:
            return rc
        if not display_available():
            print("xuefeng play: --replay needs a display", file=sys.stderr)
            return 2
    elif getattr(args, "run", None) is not None:
        print("xuefeng play: --run N is for --replay DIR", file=sys.stderr)
        return 2
    if getattr(args, "bench", False):
        from .bench import run_bench

        run_bench(cfg)
        return 0
    if getattr(args, "screenshot", None):
        from .shots import screenshot

        return screenshot(cfg, args.screenshot, getattr(args, "turn", None))
    if not display_available():
        from .headless import run_headless_campaign

        return run_headless_campaign(cfg)
    cfg.settings_path = Path.home() / ".config" / "xuefeng" / "settings.json"
    try:
        app = App(cfg, game=game)
    except ValueError as exc:  # a bad save or scenario: the engine's message names the file and field
        print(f"xuefeng play: {exc}", file=sys.stderr)
        return 2
    except pygame.error as exc:  # the display would not open
        from .headless import run_headless_campaign

        print(f"Cannot open a window ({exc}).")
        return run_headless_campaign(cfg)
    return app.run()
