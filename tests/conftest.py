"""Shared fixtures: the historical game is loaded once per test session (it is immutable)."""
from __future__ import annotations

import functools
import os
import tempfile

# Every UI test runs headless (posted events, SDL's dummy drivers): set before pygame is imported.
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# drawn base maps (engine/analysis/plots.py) are kept in a cache of the test session's own, not the user's
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="xuefeng-test-cache-")

import pytest  # noqa: E402

from engine.api import Game  # noqa: E402


@functools.lru_cache(maxsize=None)
def load_game(variant: str | None = None) -> Game:
    return Game.load("west_hunan_1945", variant=variant)


@pytest.fixture(scope="session")
def game() -> Game:
    return load_game()


@pytest.fixture
def state(game):
    return game.new_initial_state(seed=7)


def clear_board(state, keep=()):
    """Take every unit but ``keep`` off the map (test set-up only)."""
    for u in state.units:
        if u.id not in keep:
            u.status, u.hex = "reserve", -1


def put(state, unit_id, hex_id, **fields):
    """Place a unit on a hex, active, with optional field overrides (test set-up only)."""
    u = state.unit(unit_id)
    u.status, u.hex = "active", int(hex_id)
    for k, v in fields.items():
        setattr(u, k, v)
    return u


def first_unit(game, side):
    return next(u.id for u in game.units if u.side == side)


def units_of(game, side, n):
    return [u.id for u in game.units if u.side == side][:n]


def inland_hex(game, terrain: str, avoid_rivers=True, avoid_roads=True, margin=1):
    """A hex of the given terrain whose neighbours are all on the map (and of the same terrain),
    with every hex within ``margin`` steps on the map."""
    m = game.map
    code = game.terrain_names.index(terrain)
    for h in range(game.n_hex):
        nb = m.nbr[h]
        if (nb < 0).any() or m.terrain[h] != code or (m.terrain[nb] != code).any():
            continue
        if margin > 1 and int((m.grid.distances_from(h) <= margin).sum()) != 1 + 3 * margin * (margin + 1):
            continue
        if avoid_rivers and (m.river[h] > 0).any():
            continue
        if avoid_roads and m.road[h].any():
            continue
        return h
    raise LookupError(f"no inland {terrain} hex")
