"""Monkey test: thousands of random clicks, drags, wheel turns, keys and resizes on the real
UI (headless). Nothing may crash and the game state must stay valid throughout."""
from __future__ import annotations


import numpy as np
import pygame
import pytest

from engine.api import Game, state_from_dict
from game.app import App, Config

KEYS = [pygame.K_e, pygame.K_TAB, pygame.K_c, pygame.K_HOME, pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_SPACE,
        pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET, pygame.K_g, pygame.K_r,
        pygame.K_n, pygame.K_z, pygame.K_l, pygame.K_F1, pygame.K_F2, pygame.K_F10, pygame.K_F5, pygame.K_F9,
        pygame.K_PLUS, pygame.K_MINUS, pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN, pygame.K_w,
        pygame.K_a, pygame.K_s, pygame.K_d, pygame.K_SLASH, pygame.K_x, pygame.K_q]
CTRL_KEYS = [pygame.K_z]  # (Ctrl+S / Ctrl+O open file dialogs; Ctrl+Q quits: not for monkeys)


def check_state(app):
    st = app.session.state
    game = app.game
    h = st.state_hash()
    again = state_from_dict(game, st.to_dict())
    assert again.state_hash() == h
    for u in st.units:
        assert u.men >= 0
        if u.status == "active":
            assert 0 <= u.hex < game.n_hex
    assert st.phase in ("air", "move", "combat") and st.side in ("japan", "china")
    assert 1 <= st.turn <= game.n_turns


def random_events(rng, app, n):
    W, H = app.screen.get_size()
    out = []
    for _ in range(n):
        r = rng.random()
        pos = (int(rng.integers(0, W)), int(rng.integers(0, H)))
        if r < 0.40:
            b = 1 if rng.random() < 0.8 else 3
            out += [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
                    pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=b),
                    pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=b)]
        elif r < 0.55:
            out.append(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(3, 3), buttons=(0, 0, 0)))
        elif r < 0.63:  # drag
            end = (pos[0] + int(rng.integers(-300, 300)), pos[1] + int(rng.integers(-300, 300)))
            out += [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
                    pygame.event.Event(pygame.MOUSEMOTION, pos=((pos[0] + end[0]) // 2, (pos[1] + end[1]) // 2),
                                       rel=(1, 1), buttons=(1, 0, 0)),
                    pygame.event.Event(pygame.MOUSEMOTION, pos=end, rel=(1, 1), buttons=(1, 0, 0)),
                    pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1)]
        elif r < 0.72:
            out.append(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=int(rng.choice([-2, -1, 1, 2])), flipped=False))
        elif r < 0.97:
            k = int(rng.choice(KEYS))
            out += [pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0),
                    pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode="", scancode=0)]
            if rng.random() < 0.05:
                k = int(rng.choice(CTRL_KEYS))
                out.append(pygame.event.Event(pygame.KEYDOWN, key=k, mod=pygame.KMOD_CTRL, unicode="", scancode=0))
        else:
            w, h = int(rng.integers(800, 1700)), int(rng.integers(500, 1000))
            out.append(pygame.event.Event(pygame.VIDEORESIZE, w=w, h=h, size=(w, h)))
    return out


@pytest.mark.parametrize("side,seed,n", [("hotseat", 11, 1600), ("china", 12, 700)])
def test_monkey(tmp_path, side, seed, n):
    game = Game.load("west_hunan_1945")
    cfg = Config(side=side, seed=seed, threaded_ai=(side != "hotseat"), ai_speed="instant", save_dir=tmp_path)
    app = App(cfg, headless=True, game=game)
    rng = np.random.default_rng(seed)
    events = random_events(rng, app, n)
    sent = 0
    i = 0
    while i < len(events):
        k = int(rng.integers(1, 7))
        for e in events[i:i + k]:
            pygame.event.post(e)
        i += k
        sent += k
        app.step()
        if app.ai.status == "thinking" and app.ai._thread is not None:
            app.ai._thread.join(0.2)
        if i % 120 < k:
            check_state(app)
        assert app.running
    app.run_frames(5)
    check_state(app)
    assert sent >= n
    assert app.frames > 100
