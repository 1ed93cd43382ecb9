"""``xuefeng play --bench``: frame times at 1600x900 and the time to the first frame.

Runs headless (SDL dummy driver).  Measures

* start -> first frame: from process start (Linux: /proc) and from entering the game code;
* the whole map with every unit on screen (zoomed out), the pointer sweeping over the map
  so hover outlines and the unit panel change: median and p95 frame time;
* a unit selected (reachable hexes and enemy ZOC overlays drawn);
* counters sliding after moves at the normal playback speed (the move animation), at working zoom;
* panning while zoomed in, where terrain tiles are made on the fly.
"""
from __future__ import annotations

import os
import statistics
import time


def _process_age() -> float | None:
    """Seconds since this process started (Linux), else None."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _stats(ts: list[float]) -> tuple[float, float, float]:
    ts = sorted(ts)
    med = statistics.median(ts)
    p95 = ts[min(len(ts) - 1, int(round(0.95 * (len(ts) - 1))))]
    return med * 1000, p95 * 1000, ts[-1] * 1000


def _slides(app, units: int = 8) -> list[float]:
    """Frame times while counters slide: up to ``units`` of the side to move each move as far as
    they can at the normal playback speed, the camera on them, one frame after another until the
    slide ends."""
    s = app.session
    if s.state.phase == "air":
        s.end_phase()
    if s.state.phase != "move" or not s.is_human_turn():
        return []
    app.settings["ai_speed"] = "normal"  # not saved: the player's settings file is left alone
    cam = app.camera
    cam.zoom_to(cam.levels[min(len(cam.levels) - 1, 4)], animate=False)
    times = []
    for u in [u for u in s.state.units if u.status == "active" and u.side == s.state.side][:units]:
        s.select_unit(u.id)
        if not s.reach:
            continue
        s.move_selected(max(s.reach, key=lambda h: len(s.reach[h])))
        app.center_on_unit(u.id)
        app.step([])  # the slide starts
        while app.anim.running:
            t = time.perf_counter()
            app.step([])
            times.append(time.perf_counter() - t)
    s.deselect()
    app.settings["ai_speed"] = "instant"
    return times


def run_bench(cfg, frames: int = 240, out=print) -> dict:
    age0 = _process_age()
    t0 = time.perf_counter()
    from .app import App

    cfg.size = (1600, 900)
    cfg.threaded_ai = False
    cfg.ai_speed = "instant"
    app = App(cfg, headless=True)
    pg = app.pg
    app.camera.fit()
    app.step([])
    t_first = time.perf_counter() - t0
    age_first = (age0 + t_first) if age0 is not None else None
    app.wait_ai()

    vx, vy, w, h = app.camera.view

    def sweep(n, select=None):
        times = []
        for i in range(n):
            x = vx + 20 + (i * 37) % (w - 40)
            y = vy + 20 + (i * 23) % (h - 40)
            ev = [pg.event.Event(pg.MOUSEMOTION, pos=(x, y), rel=(1, 1), buttons=(0, 0, 0))]
            t = time.perf_counter()
            app.step(ev)
            times.append(time.perf_counter() - t)
        return times

    # all units on the whole map
    st = app.session.state
    n_units = sum(1 for u in st.units if u.status == "active")
    rects = app.board.counter_rects(app.camera, st)
    on_screen = sum(1 for r in rects.values() if app.camera.contains_screen(*r.center))
    sweep(20)
    whole = sweep(frames)
    # a unit selected: reachable hexes + ZOC overlay
    side_units = [u for u in st.units if u.status == "active" and u.side == st.side]
    sel = []
    if side_units:
        app.session.select_unit(side_units[0].id)
        sel = sweep(frames // 2)
        app.session.deselect()
    slide = _slides(app)
    # zoomed in, panning (tiles made on the fly)
    cam = app.camera
    cam.zoom_to(cam.levels[min(len(cam.levels) - 1, 6)], animate=False)
    pan = []
    for i in range(frames):
        t = time.perf_counter()
        cam.pan(9, 3 if (i // 60) % 2 == 0 else -3)
        app.step([])
        pan.append(time.perf_counter() - t)
    m1, p1, x1 = _stats(whole)
    res = {"first_frame_s": t_first, "first_frame_since_process_start_s": age_first,
           "whole_map_median_ms": m1, "whole_map_p95_ms": p1, "whole_map_max_ms": x1,
           "units_on_screen": on_screen, "units_active": n_units}
    out(f"xuefeng play --bench  ({app.screen.get_width()}x{app.screen.get_height()}, SDL video driver "
        f"{pg.display.get_driver()}, headless)")
    if age_first is not None:
        out(f"  first frame: {t_first:.2f} s after entering the game code, {age_first:.2f} s after process start")
    else:
        out(f"  first frame: {t_first:.2f} s after entering the game code")
    out(f"  whole map, {on_screen}/{n_units} units on screen, pointer sweeping ({len(whole)} frames): "
        f"median {m1:.1f} ms, p95 {p1:.1f} ms, max {x1:.1f} ms")
    if sel:
        m2, p2, x2 = _stats(sel)
        res.update(selected_median_ms=m2, selected_p95_ms=p2)
        out(f"  whole map, a unit selected (reach + ZOC overlays, {len(sel)} frames): "
            f"median {m2:.1f} ms, p95 {p2:.1f} ms, max {x2:.1f} ms")
    if slide:
        m4, p4, x4 = _stats(slide)
        res.update(slide_median_ms=m4, slide_p95_ms=p4)
        out(f"  counters sliding after moves, normal speed, {app.camera.hex_px:.0f} px hexes ({len(slide)} frames): "
            f"median {m4:.1f} ms, p95 {p4:.1f} ms, max {x4:.1f} ms")
    m3, p3, x3 = _stats(pan)
    res.update(pan_median_ms=m3, pan_p95_ms=p3)
    out(f"  zoomed in ({cam.hex_px:.0f} px hexes) and panning, tiles made on the fly ({len(pan)} frames): "
        f"median {m3:.1f} ms, p95 {p3:.1f} ms, max {x3:.1f} ms; {app.board.map.tiles_made} tiles made")
    ok = p1 <= 16.0 and t_first <= 1.5
    out(f"  targets: p95 <= 16 ms, first frame <= 1.5 s: {'met' if ok else 'NOT met'}")
    res["ok"] = ok
    pg.quit()
    return res
