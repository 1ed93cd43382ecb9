"""Watching and replaying in the window (issue 11 item 8), driven with posted pygame events:
``--side none`` (AI versus AI with pause and speed) and ``--replay DIR --run N`` (a sim
batch's run, phase by phase, forward and back, to the batch's final state)."""
from __future__ import annotations


import json

import pygame
import pytest

from engine.analysis import sim
from engine.analysis.orders import orders_path, read_orders
from engine.api import Game, replay
from game.app import App, Config
from game.cli import main as cli_main


@pytest.fixture(scope="module")
def game():
    return Game.load("west_hunan_1945")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    res = sim.run_batch("west_hunan_1945", runs=2, seed=5, out_dir=out, jobs=1, players="ai",
                        with_turns=False, plots=False, with_orders=True)
    return out, res


def key(app, k, mod=0, unicode=""):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=unicode, scancode=0))
    app.step()


def watch_app(game, tmp_path, speed="instant"):
    cfg = Config(side="none", seed=3, threaded_ai=False, ai_speed=speed, save_dir=tmp_path)
    return App(cfg, headless=True, game=game)


def replay_app(game, orders):
    return App(Config(side="none", threaded_ai=False, replay=orders), headless=True, game=game)


# ------------------------------------------------------------------------------ watch
def test_watch_mode_has_no_human_side_and_the_computer_plays_both(game, tmp_path):
    app = watch_app(game, tmp_path)
    assert app.session.human == set()
    assert app.ai.sides == {"japan", "china"}
    for _ in range(40):
        app.step()
        if app.session.state.turn >= 3:
            break
    assert app.session.state.turn >= 3
    st = app.session.state
    sides = {st.unit(r["unit"]).side for r in st.history if r.get("type") == "move"}
    assert sides == {"japan", "china"}


def test_p_pauses_the_watch_and_resumes_it(game, tmp_path):
    app = watch_app(game, tmp_path)
    app.step()
    key(app, pygame.K_p)
    assert app.mode.paused
    n = len(app.session.state.history)
    for _ in range(30):
        app.step()
    assert len(app.session.state.history) == n
    key(app, pygame.K_p)
    assert not app.mode.paused
    for _ in range(5):
        app.step()
    assert len(app.session.state.history) > n


def test_brackets_change_the_watch_speed(game, tmp_path):
    app = watch_app(game, tmp_path, speed="normal")
    key(app, pygame.K_RIGHTBRACKET)
    assert app.settings["ai_speed"] == "fast"
    key(app, pygame.K_LEFTBRACKET)
    key(app, pygame.K_LEFTBRACKET)
    key(app, pygame.K_LEFTBRACKET)  # already the slowest
    assert app.settings["ai_speed"] == "slow"


def test_a_slow_watch_plays_one_order_at_a_time(game, tmp_path):
    app = watch_app(game, tmp_path, speed="slow")
    for _ in range(3):
        app.step()
    n = len([r for r in app.session.state.history if r.get("type") != "chance"])
    app.step()  # the pause between orders (0.9 s) has not passed within a frame
    assert len([r for r in app.session.state.history if r.get("type") != "chance"]) == n
    assert app.ai.status == "playback"


# ----------------------------------------------------------------------------- batch
def test_the_batch_keeps_each_runs_seed_and_orders(batch):
    out, res = batch
    for row in res["rows"]:
        o = read_orders(out, row["run"])
        assert o.seed == row["seed"]
        assert all(r.get("type") != "chance" for r in o.history)
        assert "_orders" not in row


def test_the_victory_level_is_the_last_column_of_runs_csv(batch):
    out, res = batch
    header = (out / "runs.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:len(sim.COLUMNS)] == list(sim.COLUMNS)
    assert header[-1] == "victory_level"
    rows = sim.read_runs_csv(out / "runs.csv")
    assert [r["victory_level"] for r in rows] == [r["victory_level"] for r in res["rows"]]


def test_a_batch_without_orders_removes_stale_ones(batch, tmp_path):
    out, _ = batch
    other = tmp_path / "b"
    sim.run_batch("west_hunan_1945", runs=1, seed=5, out_dir=other, jobs=1, players="random",
                  with_turns=False, plots=False, with_orders=True)
    assert orders_path(other, 0).exists()
    sim.run_batch("west_hunan_1945", runs=1, seed=5, out_dir=other, jobs=1, players="random",
                  with_turns=False, plots=False, with_orders=False)
    assert not orders_path(other, 0).exists()


# ---------------------------------------------------------------------------- replay
def test_replay_steps_forward_and_back_by_phase(game, batch):
    out, _ = batch
    o = read_orders(out, 1)
    app = replay_app(game, o)
    app.step()
    assert app.mode.index == 0 and app.session.state.turn == 1
    start_hash = app.session.state.state_hash()
    for _ in range(8):
        key(app, pygame.K_PERIOD)
    assert app.mode.index == 8
    expect = replay(game, o.seed, o.history[:app.mode.bounds[8]])
    assert app.session.state.state_hash() == expect.state_hash()
    assert (app.session.state.turn, app.session.state.side) == (expect.turn, expect.side)
    key(app, pygame.K_COMMA)
    assert app.mode.index == 7
    assert app.session.state.state_hash() == replay(game, o.seed, o.history[:app.mode.bounds[7]]).state_hash()
    key(app, pygame.K_PAGEDOWN, mod=pygame.KMOD_SHIFT)  # a whole turn
    assert app.mode.index == 13
    for _ in range(20):
        key(app, pygame.K_COMMA)
    assert app.mode.index == 0
    assert app.session.state.state_hash() == start_hash


def test_replay_reaches_the_batchs_final_state(game, batch):
    out, res = batch
    o = read_orders(out, 0)
    app = replay_app(game, o)
    key(app, pygame.K_END)
    st = app.session.state
    assert st.over
    assert st.state_hash() == o.final_hash
    assert app.mode.hash_ok is True
    assert st.turn == res["rows"][0]["turns"]
    assert app.end_open  # the end report opens at the last phase


def test_stepping_back_never_changes_the_cached_states(game, batch):
    out, _ = batch
    o = read_orders(out, 1)
    app = replay_app(game, o)
    key(app, pygame.K_END)
    final = app.session.state.state_hash()
    key(app, pygame.K_HOME, mod=pygame.KMOD_SHIFT)
    key(app, pygame.K_END)
    assert app.session.state.state_hash() == final == o.final_hash


def test_p_plays_the_replay_on_by_itself(game, batch):
    out, _ = batch
    app = replay_app(game, read_orders(out, 1))
    app.set_setting("ai_speed", "instant")
    assert app.mode.paused  # a replay waits for the viewer
    key(app, pygame.K_p)
    for _ in range(4):
        app.step()
    assert app.mode.index >= 4
    assert app.ai.status == "idle" and not app.ai.sides  # nobody thinks: the orders are the batch's


def test_a_tampered_orders_file_is_refused_naming_file_and_field(batch, tmp_path):
    out, _ = batch
    bad = tmp_path / "bad"
    (bad / "orders").mkdir(parents=True)
    d = json.loads(orders_path(out, 0).read_text(encoding="utf-8"))
    d["seed"] = "7"
    orders_path(bad, 0).write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ValueError, match=r"run_0\.json: seed"):
        read_orders(bad, 0)


def test_the_command_line_refuses_a_missing_run_without_a_traceback(batch, capsys):
    out, _ = batch
    assert cli_main(["play", "--replay", str(out)]) == 2
    assert "--run N" in capsys.readouterr().err
    assert cli_main(["play", "--replay", str(out), "--run", "9"]) == 2
    assert "run_9.json" in capsys.readouterr().err


def test_orders_the_rules_refuse_stop_the_replay_with_a_message_naming_the_order(game, batch, tmp_path):
    out, _ = batch
    d = json.loads(orders_path(out, 0).read_text(encoding="utf-8"))
    i = next(i for i, r in enumerate(d["history"]) if r.get("type") == "attack")
    d["history"][i]["target"] = game.airfield_hex  # no Japanese there on the first attack
    bad = tmp_path / "changed"
    (bad / "orders").mkdir(parents=True)
    orders_path(bad, 0).write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"run_0\.json: history\[{i}\].*refused"):
        replay_app(game, read_orders(bad, 0))


# ------------------------------------------------------------------ replay slides
def _moved_between(a, b) -> dict[str, tuple[int, int]]:
    """Units on the map in both states whose hex differs: uid -> (old hex, new hex)."""
    return {u.id: (u.hex, b.unit(u.id).hex) for u in a.units
            if u.status == "active" and u.hex >= 0 and b.unit(u.id).status == "active"
            and b.unit(u.id).hex not in (u.hex, -1)}


def _to_first_phase_with_moves(app):
    """Step (at the instant speed: no slides) to the last boundary before a phase whose orders move units."""
    speed = app.settings["ai_speed"]
    app.set_setting("ai_speed", "instant")
    mode = app.mode
    while mode.index < mode.last:
        if _moved_between(mode.state_at(mode.index), mode.state_at(mode.index + 1)):
            break
        key(app, pygame.K_PERIOD)
    app.set_setting("ai_speed", speed)
    assert not app.anim.running


def _final_rect(app, uid):
    return app.board.counter_rects(app.camera, app.session.state, app.session.selected)[uid]


def test_a_replay_step_forward_slides_every_unit_the_phase_moved(game, batch):
    out, _ = batch
    app = replay_app(game, read_orders(out, 1))
    _to_first_phase_with_moves(app)
    before = app.session.state.clone()
    key(app, pygame.K_PERIOD)
    after = app.session.state
    moved = _moved_between(before, after)
    assert moved and app.anim.running
    tracks = {tr.motion.uid: tr.motion.path for tr in app.anim.tracks}
    assert set(tracks) == set(moved)
    assert all((p[0], p[-1]) == moved[uid] for uid, p in tracks.items())
    assert after.state_hash() == replay(game, app.mode.orders.seed,
                                        app.mode.orders.history[:app.mode.bounds[app.mode.index]]).state_hash()


def test_a_replayed_counter_is_drawn_between_its_hexes_then_at_its_new_one(game, batch):
    out, _ = batch
    app = replay_app(game, read_orders(out, 1))
    _to_first_phase_with_moves(app)
    mode = app.mode
    uid, (h0, h1) = max(_moved_between(mode.state_at(mode.index), mode.state_at(mode.index + 1)).items(),
                        key=lambda kv: kv[0])
    app.center_on_unit(uid)
    app.step([])
    key(app, pygame.K_PERIOD)
    final = _final_rect(app, uid)
    assert app.board.rects[uid] != final  # drawn on its way
    for _ in range(300):
        if not app.anim.running:
            break
        app.step([])
    assert not app.anim.running
    app.step([])
    assert app.board.rects[uid] == final


@pytest.mark.parametrize("skip_key", [pygame.K_SPACE, pygame.K_ESCAPE])
def test_space_or_esc_skips_a_replay_slide(game, batch, skip_key):
    out, _ = batch
    app = replay_app(game, read_orders(out, 1))
    _to_first_phase_with_moves(app)
    key(app, pygame.K_PERIOD)
    index = app.mode.index
    assert app.anim.running
    key(app, skip_key)
    assert not app.anim.running
    assert app.mode.index == index  # skipping the slide does not step the replay


def test_stepping_a_replay_back_or_a_turn_on_shows_no_slide(game, batch):
    out, _ = batch
    app = replay_app(game, read_orders(out, 1))
    _to_first_phase_with_moves(app)
    key(app, pygame.K_PERIOD)
    assert app.anim.running
    key(app, pygame.K_COMMA)
    assert not app.anim.running
    key(app, pygame.K_PERIOD, mod=pygame.KMOD_SHIFT)
    assert not app.anim.running


def test_a_playing_replay_waits_for_the_slide_before_the_next_phase(game, batch):
    out, _ = batch
    app = replay_app(game, read_orders(out, 1))
    _to_first_phase_with_moves(app)
    key(app, pygame.K_PERIOD)
    index = app.mode.index
    app.mode.toggle_pause()  # play on
    app.step([], dt=0.0)  # no time passes: the slide is still running
    assert app.anim.running and app.mode.index == index
    for _ in range(300):
        if not app.anim.running:
            break
        app.step([])
    app.step([])
    assert app.mode.index == index + 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_replay_keys_wrap_between_keys_never_inside_one(game, batch, lang):
    """At 1024 x 640 the keys in the orders box break between 'P play / pause' and the next, never
    between a key and what it does."""
    from game import i18n
    from tests.test_game_wrapping import rows

    out, _ = batch
    app = App(Config(side="none", threaded_ai=False, replay=read_orders(out, 1), size=(1024, 640), lang=lang),
              headless=True, game=game)
    try:
        app.step()
        got = [r.replace("\u00a0", " ").strip() for r in rows(app.panels.orders_box)]
        groups = [g.strip() for g in i18n.t("replay.keys").split("    ")]
        assert len(got) >= 3  # the box wraps
        assert all(any(g in r for r in got) for g in groups), (groups, got)
    finally:
        i18n.set_lang("en")
