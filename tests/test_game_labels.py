"""Place names are kept clear of the counters and inside the map view."""
from __future__ import annotations

from tests.test_game_ui import make_app  # noqa: F401  (also sets the dummy video driver)

import pytest  # noqa: E402

from engine.api import Game  # noqa: E402


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


def _stacks_on(app, hexes, n: int, side: str) -> None:
    """Test set-up: ``n`` units of ``side`` stand on each of ``hexes``."""
    st = app.session.state
    spare = [u for u in st.units if u.side == side and u.status == "active" and u.hex not in hexes]
    for i, h in enumerate(hexes):
        for u in spare[i * n:(i + 1) * n]:
            u.hex = h
    app.session.touch()


def _look_at(app, place: str, dx_px: float = 0.0) -> None:
    m = app.game.map
    h = app.game.place_hex[place]
    app.camera.center_on(float(m.x_km[h]) - dx_px / app.camera.scale, float(m.y_km[h]))  # the place dx_px right of centre


def _labels(app) -> dict:
    return {p.key: (r, backed) for p, _, r, backed in app.board.labels.drawn}


def test_names_next_to_a_stack_on_a_town_are_clear_of_its_counters(game, tmp_path):
    app = make_app(game, tmp_path)
    _look_at(app, "shaoyang")
    app.step([])
    # stacks on Shaoyang, on Xinshao and on the hex where Shaoyang's name stood
    under_name = app.board.hex_at(app.camera, _labels(app)["shaoyang"][0].center)
    _stacks_on(app, {app.game.place_hex["shaoyang"], app.game.place_hex["xinshao"], under_name}, 3, "japan")
    app.step([])
    counters = list(app.board.counter_rects(app.camera, app.session.state).values())
    drawn = _labels(app)
    assert {"shaoyang", "xinshao"} <= set(drawn)
    for key, (r, backed) in drawn.items():
        assert r.collidelist(counters) < 0, f"the name of {key} is under a counter"
        assert not backed


def test_a_name_at_the_east_edge_of_the_view_is_not_cut_off(game, tmp_path):
    app = make_app(game, tmp_path)
    vx, vy, w, h = app.camera.view
    _look_at(app, "shaoyang", dx_px=w / 2 - 12)  # the town 12 px inside the right edge of the map
    app.step([])
    x, _ = app.hex_screen_pos(app.game.place_hex["shaoyang"])
    assert vx + w - 20 < x < vx + w
    r, _ = _labels(app)["shaoyang"]
    assert r.right <= vx + w


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_the_airfields_name_is_shown_on_the_whole_map(game, tmp_path, lang):
    """The objective's name is never left out, however crowded its corner (zoomed right out, the
    places round Zhijiang used to crowd it off the map)."""
    app = make_app(game, tmp_path)
    app.set_setting("lang", lang)
    app.camera.zoom_to(app.camera.min_scale, animate=False)
    app.step([])
    key = game.scenario.victory.airfield
    assert key in _labels(app)
    r, _ = _labels(app)[key]
    m = game.map
    ax, ay = app.camera.world_to_screen(m.x_km[game.place_hex[key]], m.y_km[game.place_hex[key]])
    assert abs(r.centerx - ax) < r.w and abs(r.centery - ay) < 3 * r.h  # beside its marker


def test_the_editors_whole_map_names_the_airfield(tmp_path):
    import shutil

    from engine.paths import SCENARIO_DIR
    from game.editor.app import EditorApp

    folder = tmp_path / "west_hunan_1945"
    shutil.copytree(SCENARIO_DIR / "west_hunan_1945", folder)
    ed = EditorApp(folder, headless=True, size=(1600, 900), spawn=lambda cmd, **kw: None)
    ed.step([])
    assert "zhijiang_airfield" in {p.key for p, _, _, _ in ed.view.labels.drawn}
