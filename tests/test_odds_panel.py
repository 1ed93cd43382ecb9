"""The odds panel puts each combat factor on the side the combat rule multiplies."""
from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from game.panels import ATTACKER_FACTORS, DEFENDER_FACTORS, ODDS_FACTORS, odds_side_lines  # noqa: E402


def _preview(**factors):
    f = {"terrain": 1.0, "fort": 1.0, "river": 1.0, "air_attacker": 1.0, "air_defender": 1.0, "airfield": 1.0}
    f.update(factors)
    return {"attack": 6000 * f["river"] * f["air_attacker"],
            "defence": 12000 * f["terrain"] * f["fort"] * f["air_defender"] * f["airfield"], **f}


def test_attacking_across_a_river_weakens_your_line_not_the_defenders():
    you, defender = odds_side_lines(_preview(river=0.75, terrain=1.3))
    assert you.startswith("6,000") and "river <b>0.75</b>" in you
    assert defender.startswith("12,000") and "terrain <b>1.30</b>" in defender
    assert "river" not in defender


def test_every_factor_of_the_rule_is_shown_on_exactly_one_side():
    keys = [k for k, _, _ in ODDS_FACTORS]
    assert sorted(ATTACKER_FACTORS + DEFENDER_FACTORS) == sorted(keys)


def test_the_attack_button_is_greyed_when_the_odds_are_below_the_minimum(tmp_path):
    from engine.api import Game
    from tests.test_game_ui import _contact_setup, click, make_app

    app = make_app(Game.load("west_hunan_1945"), tmp_path)
    cn, jp, target = _contact_setup(app)
    for u in cn:
        app.session.state.unit(u.id).men = 50  # far too weak to attack
    app.center_on_unit(jp.id)
    app.step([])
    click(app, app.unit_screen_pos(jp.id))
    assert app.session.preview is not None and not app.session.preview["allowed"]
    app.step([])
    assert "below the minimum" in app.panels._cache["orders"]
    assert not app.panels.attack_btn.is_enabled
