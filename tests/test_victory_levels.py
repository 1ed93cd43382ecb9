"""Graded victory: each level from crafted states, thresholds from scenario data, and the
China that sat still from turn 6 (issue 11 item 7)."""
from __future__ import annotations

import numpy as np
import pytest

from engine.api import EndPhase, Game, LEVELS, apply, make_player, result, victory_level
from engine.scenario.loader import ScenarioError, load_scenario
from engine.scenario.schema import VictoryLevels


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def japanese_at(state, km: float):
    """Put every active Japanese unit on the land hex nearest ``km`` west of the start line."""
    west = state.game.west_of_line_km
    h = int(np.argmin(np.abs(west - km)))
    for u in state.units:
        if u.side == "japan" and u.status == "active":
            u.hex = h
    return float(west[h])


def with_losses(state, china: int, japan_battle: int, japan_sick: int = 0):
    state.losses["china"].update(killed=china, wounded=0, captured=0)
    state.losses["japan"].update(killed=japan_battle, wounded=0, captured=0, sick=japan_sick)
    return state


def test_the_airfield_taken_is_a_decisive_japanese_victory(game):
    st = game.new_initial_state(1)
    st.airfield_status = "captured"
    assert victory_level(st).level == "japan_decisive"


def test_the_airfield_neutralised_is_a_marginal_japanese_victory(game):
    st = game.new_initial_state(1)
    st.airfield_status = "neutralised"
    assert victory_level(st).level == "japan_marginal"


def test_japanese_back_at_their_start_line_at_a_fair_price_is_a_decisive_chinese_victory(game):
    st = with_losses(game.new_initial_state(1), china=20_000, japan_battle=25_000, japan_sick=20_000)
    assert japanese_at(st, 0.0) <= 3
    assert victory_level(st).level == "china_decisive"


def test_a_chinese_hold_bought_too_dearly_is_only_marginal(game):
    st = with_losses(game.new_initial_state(1), china=60_000, japan_battle=20_000, japan_sick=10_000)
    japanese_at(st, 0.0)
    lv = victory_level(st)
    assert lv.level == "china_marginal"
    assert any("per Japanese loss" in r for r in lv.reasons)


def test_japanese_still_well_west_of_their_line_make_the_chinese_victory_marginal(game):
    st = with_losses(game.new_initial_state(1), china=10_000, japan_battle=20_000)
    km = japanese_at(st, 30.0)
    assert 15 < km < 50
    assert victory_level(st).level == "china_marginal"


def test_japanese_88_km_past_their_start_line_at_the_end_is_a_draw(game):
    st = with_losses(game.new_initial_state(1), china=5_000, japan_battle=20_000)
    km = japanese_at(st, 88.0)
    assert km > 80
    lv = victory_level(st)
    assert lv.level == "draw"
    assert f"ended {km:.0f} km west of their start line" in " ".join(lv.reasons)


def test_every_level_is_reachable_and_named(game):
    seen = set()
    for status, km, losses in [("captured", 0, (1, 1)), ("neutralised", 0, (1, 1)), ("operational", 88, (1, 1)),
                               ("operational", 30, (1, 1)), ("operational", 0, (1, 10))]:
        st = with_losses(game.new_initial_state(1), losses[0], losses[1])
        st.airfield_status = status
        japanese_at(st, km)
        seen.add(victory_level(st).level)
    assert seen == set(LEVELS)


def test_the_result_carries_the_level(game):
    st = game.new_initial_state(1)
    japanese_at(st, 88.0)
    assert result(st).level == victory_level(st).level == "draw"


def test_the_thresholds_are_the_scenarios(game):
    g = Game.load("west_hunan_1945")
    st = with_losses(g.new_initial_state(1), china=5_000, japan_battle=20_000)
    japanese_at(st, 88.0)
    t = g.scenario.victory_levels
    g.scenario.victory_levels = VictoryLevels(china_decisive_max_final_km=t.china_decisive_max_final_km,
                                              china_decisive_max_loss_ratio=t.china_decisive_max_loss_ratio,
                                              draw_min_final_km=100.0)
    assert victory_level(st).level == "china_marginal"


def test_a_draw_threshold_below_the_decisive_one_is_refused(tmp_path):
    from pathlib import Path

    src = Path("scenarios/west_hunan_1945")
    text = (src / "scenario.toml").read_text(encoding="utf-8")
    bad = text.replace("draw_min_final_km = 50.0", "draw_min_final_km = 5.0")
    assert bad != text
    (tmp_path / "scenario.toml").write_text(bad, encoding="utf-8")
    (tmp_path / "map.json").symlink_to((src / "map.json").resolve())
    with pytest.raises(ScenarioError, match="victory_levels"):
        load_scenario(tmp_path / "scenario.toml")


def test_a_china_that_does_nothing_from_turn_6_is_not_decisively_victorious(game):
    """The issue's case: China idle from turn 6 to the end while Japan advances."""
    st = game.new_initial_state(7)
    players = {s: make_player(s, 11 + i, game) for i, s in enumerate(("japan", "china"))}
    while not st.is_over:
        if st.side == "china" and st.turn >= 6:
            apply(st, EndPhase())
        else:
            players[st.side].play_phase(st)
    r = result(st)
    assert r.level != "china_decisive"
    assert r.level in ("draw", "japan_marginal", "japan_decisive")


def test_1945_graded_by_the_scenarios_thresholds_is_the_historical_level(game):
    """The history table's figures (Japanese back at their line, the casualty ranges' low ends:
    the dearest reading for China) give the level the history table names."""
    h = game.scenario.history
    st = with_losses(game.new_initial_state(1), china=max(f.value for f in h.chinese_casualties),
                     japan_battle=h.japanese_battle_casualties_range.low, japan_sick=h.japanese_sick_range.low)
    japanese_at(st, 0.0)
    assert victory_level(st).level == h.level == "china_decisive"
