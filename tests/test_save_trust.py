"""Saves are untrusted input: a save names its scenario by id only, is bounded, and is
refused whole (naming file and field) unless it passes the consistency check."""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.api import load_game, save_game


def _write(tmp_path, d, name="s.json"):
    p = tmp_path / name
    p.write_text(json.dumps(d))
    return p


def _save_dict(game, seed=2):
    return game.new_initial_state(seed).to_dict()


@pytest.mark.parametrize("scenario", ["/etc/passwd", "../scenarios/west_hunan_1945", "/dev/zero",
                                      "west_hunan_1945/../west_hunan_1945"])
def test_a_save_never_opens_a_path_it_holds(game, tmp_path, scenario, monkeypatch):
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: (opened.append(str(p)), real_open(p, *a, **k))[1])
    d = _save_dict(game)
    d["scenario"] = scenario
    with pytest.raises(ValueError) as exc:
        load_game(_write(tmp_path, d))
    assert "s.json: scenario:" in str(exc.value) and "root:" not in str(exc.value)
    assert all(scenario not in p for p in opened)


def test_an_unknown_scenario_id_is_refused_by_name(game, tmp_path):
    d = _save_dict(game)
    d["scenario"] = "no_such_campaign"
    with pytest.raises(ValueError, match=r"s\.json: scenario: .*unknown scenario 'no_such_campaign'"):
        load_game(_write(tmp_path, d))


def test_json_nested_1000_deep_is_a_clear_error(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 1000 + "]" * 1000)
    with pytest.raises(ValueError, match=r"deep\.json: line 1, column \d+: nested more than"):
        load_game(p)


def test_invalid_utf8_names_the_file(tmp_path):
    p = tmp_path / "bad.json"
    p.write_bytes(b'{"format": "\xff\xfe"}')
    with pytest.raises(ValueError, match=r"bad\.json: not UTF-8"):
        load_game(p)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    p = tmp_path / "pipe.json"
    os.mkfifo(p)
    with pytest.raises(ValueError, match=r"pipe\.json: .*regular file"):
        load_game(p)


def test_a_huge_rng_increment_is_refused(game, tmp_path):
    d = _save_dict(game)
    d["rng"]["state"]["inc"] = 2**200
    with pytest.raises(ValueError, match=r"s\.json: rng"):
        load_game(_write(tmp_path, d))


@pytest.mark.parametrize("field, edit", [
    ("units[0].men", lambda d: d["units"][0].__setitem__("men", -5000)),
    ("units[0].men", lambda d: d["units"][0].__setitem__("men", True)),
    ("turn", lambda d: d.__setitem__("turn", 99)),
    ("turn", lambda d: d.__setitem__("turn", 10**18)),
    ("weather", lambda d: d.__setitem__("weather", "sandstorm")),
    ("losses.japan.sick", lambda d: d["losses"]["japan"].pop("sick")),
    ("sorties_left.china", lambda d: d["sorties_left"].pop("china")),
    ("control", lambda d: d["control"].__setitem__("atlantis", "china")),
    ("missions[0].sorties", lambda d: d["missions"].append({"side": "japan", "kind": "cap", "target": 3,
                                                           "sorties": -4})),
    ("airfield_status", lambda d: d.__setitem__("airfield_status", "captured")),
    ("units[0].side", lambda d: d["units"][0].__setitem__("side", "china")),
])
def test_a_senseless_save_is_refused_naming_file_and_field(game, tmp_path, field, edit):
    d = _save_dict(game)
    edit(d)
    with pytest.raises(ValueError) as exc:
        load_game(_write(tmp_path, d))
    assert any(line.startswith(f"{tmp_path / 's.json'}: {field}") for line in str(exc.value).splitlines()), \
        str(exc.value)


def test_a_sound_save_loads_to_the_same_state(game, tmp_path):
    state = game.new_initial_state(5)
    save_game(state, tmp_path / "ok.json")
    _, loaded = load_game(tmp_path / "ok.json", game)
    assert loaded.state_hash() == state.state_hash()


def test_a_failed_save_leaves_no_temporary_file_and_names_the_path(game, tmp_path):
    target = tmp_path / "dir_in_the_way"
    target.mkdir()
    (target / "x").write_text("")  # os.replace onto a non-empty folder fails
    with pytest.raises(OSError) as exc:
        save_game(game.new_initial_state(1), target)
    assert str(target) in str(exc.value)
    assert [p.name for p in tmp_path.iterdir()] == ["dir_in_the_way"]


def _depth(o) -> int:
    """Nesting depth of lists/tables, by the definition (the top-level container is 1)."""
    if isinstance(o, dict):
        return 1 + max((_depth(v) for v in o.values()), default=0)
    if isinstance(o, list):
        return 1 + max((_depth(v) for v in o), default=0)
    return 0


_nested = st.recursive(st.integers() | st.text(max_size=3),
                       lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=2), kids, max_size=3),
                       max_leaves=40)


@settings(max_examples=200, deadline=None)
@given(obj=_nested, limit=st.integers(1, 6))
def test_too_deep_finds_a_too_deep_nesting_exactly_when_there_is_one(obj, limit):
    from engine.userfiles import too_deep

    assert (too_deep(obj, limit) is None) == (_depth(obj) <= limit)


def test_too_deep_names_where_the_nesting_goes_too_deep():
    from engine.userfiles import too_deep

    assert too_deep({"a": [1, {"b": [[2]]}]}, limit=3) == "a[1].b"
