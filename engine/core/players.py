"""Running whole games with one player object per side."""
from __future__ import annotations

from .play import result


def play_game(state, players: dict, on_turn_end=None):
    """Play ``state`` to its end; ``players`` maps side -> object with ``play_phase(state)``.

    ``on_turn_end(state)`` is called after every completed turn (for turn-by-turn output).
    """
    last_turn = state.turn
    while not state.is_over:
        players[state.side].play_phase(state)
        if on_turn_end is not None and (state.turn != last_turn or state.is_over):
            on_turn_end(state)
            last_turn = state.turn
    return result(state)
