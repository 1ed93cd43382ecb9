"""End to end: whole campaigns through the public API."""
from __future__ import annotations

from engine.ai import make_player
from engine.ai.random_player import RandomPlayer
from engine.core.players import play_game


def test_a_whole_campaign_plays_to_its_end_with_random_players(game):
    state = game.new_initial_state(seed=2)
    res = play_game(state, {"japan": RandomPlayer(1), "china": RandomPlayer(2)})
    assert state.is_over
    assert res.winner in ("japan", "china")
    assert res.end_date <= game.end_date.isoformat()


def test_a_whole_campaign_plays_to_its_end_with_the_ai_on_both_sides(game):
    state = game.new_initial_state(seed=3)
    res = play_game(state, {"japan": make_player("japan", 3), "china": make_player("china", 4)})
    assert state.is_over and res.winner in ("japan", "china")
    assert res.losses["japan"]["sick"] > 0


def test_the_ai_gives_only_legal_orders_and_replays_exactly(game):
    from engine.api import replay

    state = game.new_initial_state(seed=4)
    play_game(state, {"japan": make_player("japan", 5), "china": make_player("china", 6)})
    assert replay(game, 4, state.history).state_hash() == state.state_hash()
