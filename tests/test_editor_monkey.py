"""Monkey test: thousands of random events (clicks, drags, keys, text, wheel, resizes) never
crash the editor and never leave an invalid scenario.toml on disk."""
from __future__ import annotations

import os
import random
import shutil
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from engine.paths import SCENARIO_DIR  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from game.editor.app import EditorApp  # noqa: E402

KEYS = [pygame.K_z, pygame.K_y, pygame.K_s, pygame.K_DELETE, pygame.K_ESCAPE, pygame.K_LEFT, pygame.K_RIGHT,
        pygame.K_UP, pygame.K_DOWN, pygame.K_PLUS, pygame.K_MINUS, pygame.K_RETURN, pygame.K_BACKSPACE,
        pygame.K_TAB, pygame.K_a, pygame.K_1]
TEXTS = ["0", "-1", "5000", "abc", "1945-05-01", "[1, 2]", "{ a = 1 }", "", "true", "zhijiang", "x" * 40]


def random_events(rng: random.Random, w: int, h: int, n: int):
    """``n`` random input events, in frames of 1..8 events."""
    out = []
    count = 0
    while count < n:
        frame = []
        for _ in range(rng.randint(1, 8)):
            r = rng.random()
            pos = (rng.randrange(w), rng.randrange(h))
            if r < 0.35:
                b = rng.choice((1, 1, 1, 3))
                frame += [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
                          pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=b),
                          pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=b)]
            elif r < 0.5:  # a drag
                end = (min(w - 1, max(0, pos[0] + rng.randint(-200, 200))), min(h - 1, max(0, pos[1] + rng.randint(-200, 200))))
                frame += [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
                          pygame.event.Event(pygame.MOUSEMOTION, pos=end, rel=(1, 1), buttons=(1, 0, 0)),
                          pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1)]
            elif r < 0.65:
                frame.append(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0, 0, 0)))
            elif r < 0.82:
                k = rng.choice(KEYS)
                mod = rng.choice((0, 0, pygame.KMOD_CTRL, pygame.KMOD_CTRL | pygame.KMOD_SHIFT))
                frame += [pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0),
                          pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode="", scancode=0)]
            elif r < 0.92:
                frame.append(pygame.event.Event(pygame.TEXTINPUT, text=rng.choice(TEXTS)))
            elif r < 0.97:
                frame.append(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice((-1, 1)), flipped=False))
            else:
                frame.append(pygame.event.Event(pygame.VIDEORESIZE, w=rng.randint(800, 1700), h=rng.randint(500, 1000),
                                                size=(0, 0)))
        count += len(frame)
        out.append(frame)
    return out


def check_saved(folder, app):
    """Whatever was saved, every scenario.toml the editor wrote loads (Save as may have made more)."""
    for f in {folder, app.doc.folder} | {p.parent for p in folder.parent.glob("*/scenario.toml")}:
        if (f / "scenario.toml").exists():
            load_scenario(f)


def test_two_thousand_random_events_never_crash_or_leave_an_invalid_scenario(tmp_path):
    folder = tmp_path / "west_hunan_1945"
    shutil.copytree(SCENARIO_DIR / "west_hunan_1945", folder)
    started = []
    app = EditorApp(folder, headless=True, size=(1300, 800), spawn=lambda cmd, **kw: started.append(cmd))
    rng = random.Random(20260524)
    n_events = 0
    saves = 0
    t0 = time.perf_counter()
    try:
        for frame in random_events(rng, 1300, 800, 2000):
            w, h = app.screen.get_size()
            for e in frame:
                if hasattr(e, "pos") and e.type != pygame.MOUSEWHEEL:
                    e.pos = (min(e.pos[0], w - 1), min(e.pos[1], h - 1))
                pygame.event.post(e)
            app.step()
            n_events += len(frame)
            if app.test is not None:  # the Test button's campaigns run in the background; not the point here
                app.test.cancel()
            if rng.random() < 0.01:
                app.save()
                saves += 1
                check_saved(folder, app)
    finally:
        if app.test is not None:
            app.test.cancel()
            app.test.join(60)
    assert n_events >= 2000 and saves > 0
    check_saved(folder, app)
    assert app.doc.undo.done or app.doc.undo.undone, "the monkey made no edit at all"
    print(f"{n_events} events in {time.perf_counter() - t0:.1f} s; {len(app.doc.undo.done)} edits kept")
