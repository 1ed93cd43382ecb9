"""What the panels and the end screen say: the grade so far, an air phase with no sorties."""
from __future__ import annotations

from tests.test_game_ui import make_app  # noqa: F401  (also sets the dummy video driver)

import pytest  # noqa: E402

from engine.api import Game  # noqa: E402
from game import screens  # noqa: E402


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def test_the_grade_so_far_keeps_the_capital_of_chinese_or_japanese(game, tmp_path):
    app = make_app(game, tmp_path)
    app.set_setting("lang", "en")
    title, verdict, grade = screens.end_headline(app)
    assert not app.session.state.over and verdict is None
    name = screens.t_or(f"level.{grade.level}", grade.name)
    assert "so far: " + name[:1].lower() + name[1:] in title
    assert grade.level != "draw" and ("Chinese" in title or "Japanese" in title)  # a grade naming a side
    assert "chinese" not in title and "japanese" not in title


def test_an_air_phase_with_no_sorties_says_there_are_none_not_that_all_were_flown(game, tmp_path):
    from game.app import App, Config

    app = App(Config(side="china", seed=4, threaded_ai=False, ai_speed="instant", save_dir=tmp_path, lang="en"),
              headless=True, game=game)
    app.wait_ai()
    app.step([])
    st = app.session.state
    assert (st.side, st.phase, st.sorties_left["china"]) == ("china", "air", 0)  # seed 4: heavy rain on turn 1
    assert not [m for m in st.missions if m["side"] == "china"]
    html = app.panels.orders_html(True)
    assert screens.t("orders.air_none") in html and screens.t("orders.air_all_flown") not in html
    assert not app.panels.fly_btn.is_enabled and not app.panels.slider.is_enabled  # nothing to press


def test_an_air_phase_whose_sorties_were_all_flown_says_so(game, tmp_path):
    app = make_app(game, tmp_path)  # seed 3: China has sorties on turn 1
    s = app.session
    assert s.state.phase == "air" and s.state.sorties_left["china"] > 0
    s.air_target = next(u.hex for u in s.state.units if u.side == "japan" and u.status == "active" and u.hex >= 0)
    s.set_air_sorties(s.state.sorties_left["china"])
    assert s.fly_mission()
    assert s.state.sorties_left["china"] == 0
    assert app.panels.fly_btn.is_enabled
    app.step([])
    html = app.panels.orders_html(True)
    assert screens.t("orders.air_all_flown") in html and screens.t("orders.air_none") not in html
    assert not app.panels.fly_btn.is_enabled


def test_a_chinese_list_of_units_is_separated_by_the_enumeration_comma(game, tmp_path):
    from game.hud import combat_card_lines

    app = make_app(game, tmp_path)
    jp = [u.id for u in app.session.state.units if u.side == "japan"][:2]
    cn = [u.id for u in app.session.state.units if u.side == "china"][:2]
    rep = {"attacker": "japan", "attackers": jp, "defenders": cn, "target": -1, "outcome": "held", "ratio": 1.5}
    for lang, sep in (("zh", "、"), ("en", ", ")):
        app.set_setting("lang", lang)
        versus = combat_card_lines(app, rep)[1][0]
        assert app.namer.unit_short(jp[0]) + sep + app.namer.unit_short(jp[1]) in versus
        assert app.namer.unit_short(cn[0]) + sep + app.namer.unit_short(cn[1]) in versus
    app.set_setting("lang", "en")


def _hex_due_east_of_a_place_far_from_any(game, namer):
    """Test set-up: (place key, hex, columns east) with the hex on the place's row, more than three
    hexes from every place and nearest to that one."""
    m = game.map
    ncols = m.grid.ncols
    for key, p in m.places.items():
        for k in range(4, 9):
            h = p.hex + k
            if h // ncols != p.hex // ncols:
                break
            i = int(namer._nearest_idx[h])
            if namer._keys[i] == key and namer._nearest_km[h] > 3.2 * m.grid.width:
                return key, h, k
    raise AssertionError("set-up failed: no hex due east of a place and far from the others")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_hex_far_from_any_place_is_named_by_distance_and_direction_from_the_nearest(game, lang):
    from game import i18n
    from game.texts import Namer

    i18n.set_lang(lang)
    try:
        namer = Namer(game, lang)
        key, h, k = _hex_due_east_of_a_place_far_from_any(game, namer)
        km = round(k * game.map.grid.width)
        place = namer.place_short(key)
        expect = f"{km} km E of {place}" if lang == "en" else f"{place}以东{km}公里"
        assert namer.where(h) == expect
        assert namer.hex_label(h) == (f"hex {h}, {expect}" if lang == "en" else f"{expect}第{h}格")
    finally:
        i18n.set_lang("en")


def test_the_event_log_shows_repeated_identical_entries_once_with_a_count(game, tmp_path):
    app = make_app(game, tmp_path)
    app.set_setting("lang", "en")
    st = app.session.state
    mission = {"turn": 1, "type": "air", "side": "china", "kind": "interdict", "target": 2574, "sorties": 37}
    other = dict(mission, target=2905)
    st.log.extend([dict(mission), dict(mission), dict(mission), other, dict(mission)])
    html = app.panels.log_html()
    line = screens.t("log.air", turn=1, side=screens.t("side.china"), sorties=37,
                     kind=screens.t("air_kind.interdict"), where=app.namer.where(2574))
    assert html.count(line) == 2  # the newest alone, then the three earlier ones as one line
    assert html.count(line + " ×3") == 1 and "×2" not in html and "×4" not in html
