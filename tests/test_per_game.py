"""``@per_game``: a table made once per Game, kept on that game and on no other."""
from __future__ import annotations

from engine.core.per_game import per_game


class _Game:  # anything with a __dict__ stands for a Game here
    pass


def test_a_per_game_table_is_made_once_and_the_same_object_is_returned_after():
    made = []

    @per_game
    def table(game):
        made.append(game)
        return [len(made)]

    g = _Game()
    first = table(g)
    assert table(g) is first and made == [g]


def test_each_game_gets_its_own_table():
    @per_game
    def table(game):
        return object()

    a, b = _Game(), _Game()
    assert table(a) is not table(b)


def test_two_tables_of_one_game_are_kept_apart():
    @per_game
    def one(game):
        return "one"

    @per_game
    def two(game):
        return "two"

    g = _Game()
    assert (one(g), two(g), one(g)) == ("one", "two", "one")
