"""The field store (engine/analysis/field_store.py): one-target fields kept between processes."""
from __future__ import annotations

import os
import types

import numpy as np
import pytest

from engine.analysis import disk_cache, field_store
from engine.api import Game
from engine.map.shortest_paths import MoveGraph

from .conftest import load_game

TARGETS = [100, 1500, 2600]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def fresh_game() -> Game:
    """A game with empty field caches (the shared one's caches fill as other tests run)."""
    g = load_game()
    return Game(g.scenario, g.map)


def game_that_used(targets) -> Game:
    g = fresh_game()
    for h in targets:
        g.field_to([h])
    return g


def next_process_asking_for(target: int) -> tuple[Game, frozenset[int]]:
    """After a process kept the fields to TARGETS: a new game given them, which then asks for
    the field to ``target``; (that game, the hexes it was given)."""
    assert field_store.save_fields(game_that_used(TARGETS))
    g = fresh_game()
    loaded = field_store.load_fields(g)
    g.field_to([target])
    return g, loaded


def test_kept_fields_come_back_bit_for_bit_in_a_new_game():
    made = game_that_used(TARGETS)
    assert field_store.save_fields(made)
    g = fresh_game()
    assert field_store.load_fields(g) == frozenset(TARGETS)
    searches = []
    g.move_graph.field = lambda *a, **k: searches.append(a)  # none must happen
    for h in TARGETS:
        kept = g.field_to([h])
        assert g.field_to([h]) is kept and not kept.flags.writeable
        assert np.array_equal(kept, made.single_fields()[h])
    assert searches == []


def test_kept_fields_are_decoded_only_when_asked_for():
    g, _ = next_process_asking_for(TARGETS[0])
    assert list(g.single_fields()) == [TARGETS[0]] and set(g.stand_by()) == set(TARGETS[1:])


def test_kept_fields_not_used_stay_in_the_store():
    g, loaded = next_process_asking_for(7)
    assert field_store.save_fields(g, loaded)
    back = fresh_game()
    field_store.load_fields(back)
    assert list(back.stand_by()) == TARGETS + [7]  # the unused ones as least recently used


def test_nothing_is_written_when_every_field_used_came_from_the_store():
    g, loaded = next_process_asking_for(TARGETS[0])
    assert not field_store.save_fields(g, loaded)


def test_a_new_field_rewrites_the_store_with_it():
    g, loaded = next_process_asking_for(7)
    assert field_store.save_fields(g, loaded)
    assert field_store.load_fields(fresh_game()) == frozenset(TARGETS + [7])


def test_the_store_keeps_the_most_recently_used_fields(monkeypatch):
    monkeypatch.setattr(field_store, "STORE_FIELDS", 2)
    assert field_store.save_fields(game_that_used(TARGETS))
    assert field_store.load_fields(fresh_game()) == frozenset(TARGETS[-2:])


@pytest.mark.parametrize("damage", ["truncated", "garbage", "one byte flipped", "empty"])
def test_a_corrupt_store_is_not_used_and_is_rebuilt(damage):
    assert field_store.save_fields(game_that_used(TARGETS))
    path = field_store.store_path(fresh_game())
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = bytearray(b"not a numpy archive" * 100)
    elif damage == "one byte flipped":
        data[len(data) // 2] ^= 0x01  # inside the fields' bytes
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    g = fresh_game()
    assert field_store.load_fields(g) == frozenset() and g.single_fields() == {}
    g.field_to([TARGETS[0]])
    assert field_store.save_fields(g)  # rebuilt with what this process searched
    assert field_store.load_fields(fresh_game()) == frozenset(TARGETS[:1])


def test_a_store_renamed_to_another_key_is_not_used():
    g = game_that_used(TARGETS)
    assert field_store.save_fields(g)
    other = types.SimpleNamespace(move_graph=MoveGraph(g.map.nbr, np.array(g.enter_cost) * 2.0))
    field_store.store_path(g).rename(field_store.store_path(other))
    assert field_store.read_store(field_store.store_path(other), field_store.store_key(other), g.move_graph.n) is None


def test_a_file_of_another_shape_is_not_used():
    g = game_that_used(TARGETS)
    key = field_store.store_key(g)
    hexes = np.array([1], dtype=np.int64)
    steps = np.zeros((1, 10), dtype=np.uint16)  # not one value per hex
    path = field_store.store_path(g)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        np.savez(f, hexes=hexes, exact=np.array([True]), steps=steps, wide=np.zeros((0, 10)), key=np.array(key))
    assert field_store.load_fields(fresh_game()) == frozenset()


def test_a_changed_movement_graph_has_another_store():
    g = load_game()
    nbr, cost = g.map.nbr, np.array(g.enter_cost, dtype=float)
    changed = cost.copy()
    changed[0, np.flatnonzero(np.isfinite(changed[0]))[0]] += 1.0  # one hex side dearer
    same = types.SimpleNamespace(move_graph=MoveGraph(nbr, cost))
    other = types.SimpleNamespace(move_graph=MoveGraph(nbr, changed))
    assert field_store.store_key(same) == field_store.store_key(g)
    assert field_store.store_key(other) != field_store.store_key(g)


def test_only_the_newest_store_files_are_kept(monkeypatch):
    made = game_that_used(TARGETS)
    for i in range(field_store.STORE_FILES + 2):  # as many movement graphs (or code versions)
        monkeypatch.setattr(field_store, "store_key", lambda game, i=i: f"key{i}")
        assert field_store.save_fields(made)
        os.utime(field_store.store_path(made), (1_000 + i, 1_000 + i))  # written in this order
    kept = sorted(p.name for p in disk_cache.cache_dir().glob("fields-*.npz"))
    assert len(kept) == field_store.STORE_FILES and "fields-key0.npz" not in kept


def test_searched_fields_are_kept_in_sixteen_bits():
    made = game_that_used(TARGETS)
    assert field_store.save_fields(made)
    with np.load(field_store.store_path(made)) as z:
        assert z["exact"].all() and z["steps"].dtype == np.uint16 and z["wide"].shape[0] == 0


@pytest.mark.parametrize("odd", [1 / 3, np.inf, -0.0, 1024.0, 1e-300])
def test_a_field_sixteen_bits_cannot_give_back_is_kept_whole(odd):
    made = game_that_used(TARGETS)
    other = made.single_fields()[TARGETS[0]].copy()
    other[5] = odd
    made.keep_single_fields({7: other})
    assert field_store.save_fields(made)
    back = field_store.load_fields(g := fresh_game()) and {h: make() for h, make in g.stand_by().items()}
    assert back[7].tobytes() == other.tobytes()  # bit for bit, -0.0 included
    for h in TARGETS:
        assert back[h].tobytes() == made.single_fields()[h].tobytes()
    with np.load(field_store.store_path(made)) as z:
        assert z["exact"].tolist() == [True, True, True, False] and z["wide"].shape[0] == 1


def test_the_store_keeps_as_many_fields_as_a_game():
    from engine.core.game import FIELD_CACHE_SINGLE

    assert field_store.STORE_FIELDS == FIELD_CACHE_SINGLE


def test_saving_decodes_no_kept_field(monkeypatch):
    assert field_store.save_fields(game_that_used(TARGETS))
    g = fresh_game()
    loaded = field_store.load_fields(g)
    g.field_to([7])
    monkeypatch.setattr(field_store.KeptField, "__call__", lambda self: pytest.fail("a kept field was decoded"))
    assert not field_store.save_fields(fresh_game(), loaded)  # nothing used: nothing written
    assert field_store.save_fields(g, loaded)
