"""``xuefeng edit --bench``: the editor's frame times, measured headless on a scratch copy.

Three workloads of real frames (events posted, handled, drawn): idle with a unit selected,
panning with the arrow keys, and a radius-1 terrain brush stroke across the map (each frame
paints, redraws the touched tiles and rebuilds the form).  Prints median and 95th percentile.
"""
from __future__ import annotations

import os
import shutil
import statistics
import tempfile
from pathlib import Path


def _stats(ts: list[float]) -> str:
    ts = sorted(ts)
    return f"median {statistics.median(ts) * 1000:.1f} ms, p95 {ts[int(0.95 * (len(ts) - 1))] * 1000:.1f} ms"


def run_bench(folder: Path, size=(1600, 900), frames: int = 120) -> dict:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    import pygame

    from .app import EditorApp

    tmp = Path(tempfile.mkdtemp(prefix="xuefeng-edit-bench-"))
    try:
        work = tmp / Path(folder).name
        shutil.copytree(folder, work)
        app = EditorApp(work, headless=True, size=size, spawn=lambda *a, **k: None)
        for _ in range(10):
            app.step([])
        uid = next(iter(app.view.unit_rects), None)
        if uid:
            app.select(("unit", uid))
        out = {}
        app.frame_times.clear()
        for _ in range(frames):
            app.step([])
        out["idle"] = list(app.frame_times)
        app.frame_times.clear()
        app.view.camera.zoom_steps(3, animate=False)
        for i in range(frames):
            k = (pygame.K_LEFT, pygame.K_UP, pygame.K_RIGHT, pygame.K_DOWN)[(i // 15) % 4]
            app.step([pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)])
        out["pan"] = list(app.frame_times)
        app.set_tool("terrain:H")
        app.set_tool("radius:1")
        r = app.view.rect
        app.frame_times.clear()
        y = r.centery
        app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(r.x + 20, y), button=1)])
        for i in range(frames):
            x = r.x + 20 + (r.w - 40) * i // frames
            app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(1, 0), buttons=(1, 0, 0))])
        app.step([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(r.right - 20, y), button=1)])
        out["paint"] = list(app.frame_times)
        pygame.quit()
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cli_bench(folder: Path, size) -> int:
    res = run_bench(folder, size)
    print(f"xuefeng edit --bench ({size[0]}x{size[1]}, {Path(folder).name}, headless):")
    for k, v in res.items():
        print(f"  {k:5s} {len(v)} frames: {_stats(v)}")
    return 0
