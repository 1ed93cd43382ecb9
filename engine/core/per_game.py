"""``@per_game``: a table a rule makes from a Game's fixed data, made once and kept on the game."""
from __future__ import annotations

from functools import wraps


def per_game(make):
    """Decorate ``make(game)``: the first call makes the table and keeps it on the game (in its
    ``__dict__``, under the function's own name); later calls return that same object.

    Only for tables of what a Game never changes: its scenario and map are not edited in place
    (an edited scenario is a new Game).  Kept tables are shared by every state of the game, so
    callers must not change them."""
    key = f"_per_game:{make.__module__}.{make.__qualname__}"

    @wraps(make)
    def kept(game):
        got = game.__dict__.get(key)
        if got is None:
            got = game.__dict__[key] = make(game)
        return got

    return kept
