"""Batch plots: the high-water map drawn over a base rendered beforehand, and the plotting process."""
from __future__ import annotations

import functools
import os
import sys
import threading

import numpy as np
import pytest
from PIL import Image

from engine.analysis import plots, sim
from engine.analysis.disk_cache import keep_entry
from engine.analysis import plot_process
from engine.analysis.plot_process import (ForkedDraw, PlotProcess, PlotProcessError, PlotSource, load_plot_source,
                                          plot_facts)

SCN = "west_hunan_1945"


@pytest.fixture(scope="module")
def rows():
    """Two campaigns' rows (random players: quick), with their Japanese end positions."""
    return [sim.run_one(SCN, None, i, sim.run_seed(2, i), players="random", with_turns=False)[0] for i in range(2)]


def _pixels(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGBA"))


def test_highwater_over_its_base_map_has_the_pixels_of_one_full_draw(rows, tmp_path):
    hw = plots.HighwaterMap(sim.get_game(SCN))
    hw.finish(rows, tmp_path / "over_base.png", "a title")
    hw.fig.savefig(tmp_path / "full.png", dpi=plots.DPI)  # every artist drawn again in one pass
    assert np.array_equal(_pixels(tmp_path / "over_base.png"), _pixels(tmp_path / "full.png"))


def _casualties_over_frames_and_in_one_savefig(rows, tmp_path, ticks=10):
    """The casualties PNG drawn over its frames drawn beforehand, and the same figure in one ``savefig``."""
    scn = sim.get_game(SCN).scenario
    figure = plots.CasualtiesFigure(scn, ticks=ticks, predraw=True)
    over = figure.finish(rows, tmp_path / "over_frames.png", "a title")
    plain = plots.plot_casualties(rows, tmp_path / "plain.png", scn, "a title")
    return figure, over, plain


def _casualties_in_their_bands(rows) -> list[dict]:
    """``rows`` with casualties of the historical campaign's size (random players make far fewer)."""
    return [dict(r, chinese_casualties=20_000 + 1_234 * i, japanese_battle_casualties=15_000 + 987 * i,
                 japanese_sick=25_000 + 321 * i) for i, r in enumerate(rows)]


@pytest.mark.parametrize("ticks", [2, 10, (9, 3)])
def test_casualties_drawn_over_their_frames_are_the_png_of_one_savefig(rows, tmp_path, ticks):
    figure, over, plain = _casualties_over_frames_and_in_one_savefig(_casualties_in_their_bands(rows), tmp_path, ticks)
    assert figure.over_frames  # the frames and legends drawn beforehand were kept
    assert over.read_bytes() == plain.read_bytes()


def test_a_median_packed_unlike_the_legends_stand_in_has_the_casualties_drawn_whole_with_the_same_png(rows, tmp_path):
    few_digits = [dict(r, chinese_casualties=500 + i) for i, r in enumerate(_casualties_in_their_bands(rows))]
    figure, over, plain = _casualties_over_frames_and_in_one_savefig(few_digits, tmp_path)
    assert [ax.get_xlim() for ax in figure.fig.axes] == figure._x_ranges
    assert not figure.over_frames
    assert over.read_bytes() == plain.read_bytes()


def test_casualties_past_the_scenarios_x_range_are_drawn_whole_with_the_same_png(rows, tmp_path):
    far = [dict(r, japanese_sick=10 * r["japanese_sick"] + 10**6) for r in rows]
    figure, over, plain = _casualties_over_frames_and_in_one_savefig(far, tmp_path)
    assert figure.fig.axes[2].get_xlim() != figure._x_ranges[2]
    assert not figure.over_frames
    assert over.read_bytes() == plain.read_bytes()


def test_casualties_without_runs_draw_their_frames_alone(tmp_path):
    figure, over, plain = _casualties_over_frames_and_in_one_savefig([], tmp_path)
    assert not figure.over_frames  # their legends have no median
    assert over.read_bytes() == plain.read_bytes()


@pytest.mark.parametrize("ticks", [1, 8, (3, 3)])
def test_outcomes_drawn_over_their_frames_are_the_png_of_one_savefig(rows, tmp_path, ticks):
    plain = plots.plot_outcomes(rows, tmp_path / "plain.png", "a title")
    over = plots.OutcomesFigure(ticks, predraw=True).finish(rows, tmp_path / "over_frames.png", "a title")
    assert over.read_bytes() == plain.read_bytes()


def test_an_unusual_outcome_gets_its_bar_and_the_png_of_one_savefig(rows, tmp_path):
    undecided = [dict(rows[0], winner=None), *rows[1:]]
    plain = plots.plot_outcomes(undecided, tmp_path / "plain.png", "a title")
    figure = plots.OutcomesFigure(8, predraw=True)
    over = figure.finish(undecided, tmp_path / "over_frames.png", "a title")
    assert [t.get_text() for t in figure.fig.axes[0].get_xticklabels()] == ["china", "japan", "undecided"]
    assert over.read_bytes() == plain.read_bytes()


@pytest.mark.parametrize("spare", [True, False], ids=["casualties forked", "casualties drawn there"])
@pytest.mark.parametrize("source", ["game", "loaded there", "given later"])
def test_plot_process_writes_the_same_files_as_make_plots(rows, tmp_path, source, spare, monkeypatch):
    monkeypatch.setattr(plot_process, "core_to_spare", lambda: spare)  # the plotting process is a fork of this one
    here = plots.make_plots(rows, tmp_path / "here", sim.get_game(SCN), {"variant": "historical", "players": "random"})
    if source == "given later":  # as a batch does: forked first, then handed the scenario's facts
        process = PlotProcess()
        process.give(load_plot_source(SCN, None))
    else:
        process = PlotProcess(sim.get_game(SCN) if source == "game" else functools.partial(load_plot_source, SCN, None))
    there = process.plot(rows, tmp_path / "there", {"variant": "historical", "players": "random"})
    assert [p.name for p in there] == [p.name for p in here]
    for a, b in zip(here, there):
        assert a.read_bytes() == b.read_bytes()


def test_handing_the_plotting_process_its_map_does_not_wait_for_its_imports(rows, tmp_path, monkeypatch):
    """The scenario's facts and map (~320 KiB: more than a pipe holds) are taken while the
    process still imports: here its import of the plots module is held until they are handed over."""
    held_r, held_w = os.pipe()
    batch = os.getpid()

    class HoldThePlotsImport:
        def find_spec(self, name, path=None, target=None):
            if name == "engine.analysis.plots" and os.getpid() != batch:
                os.read(held_r, 1)
            return None

    monkeypatch.delitem(sys.modules, "engine.analysis.plots")
    monkeypatch.setattr(sys, "meta_path", [HoldThePlotsImport(), *sys.meta_path])
    process = PlotProcess()
    monkeypatch.undo()  # this process imports as before; the fork keeps its held import
    giving = threading.Thread(target=process.give, args=(load_plot_source(SCN, None),), daemon=True)
    giving.start()
    giving.join(timeout=60)
    handed_over = not giving.is_alive()
    os.write(held_w, b"go")
    there = process.plot(rows, tmp_path, {"variant": "historical", "players": "random"})
    assert handed_over
    assert {p.name for p in there} == {"outcomes.png", "casualties.png", "map_highwater.png"}


def test_plot_process_raises_the_drawing_error_here(rows, tmp_path):
    (tmp_path / "a_file").write_text("in the way")
    with pytest.raises(OSError) as err:
        PlotProcess(sim.get_game(SCN)).plot(rows, tmp_path / "a_file" / "plots", None)
    assert "plotting process" in "".join(getattr(err.value, "__notes__", []))


def test_plot_process_that_died_is_an_error_not_missing_plots(rows, tmp_path):
    p = PlotProcess(sim.get_game(SCN))
    p._proc.kill()
    with pytest.raises(PlotProcessError, match="stopped"):
        p.plot(rows, tmp_path, None)
    assert not list(tmp_path.glob("*.png"))


def test_a_forked_draw_returns_what_the_fork_drew():
    assert ForkedDraw(lambda: lambda a, b: a * b).start(6, 7)() == 42


def test_a_forked_draw_raises_the_forks_error_here():
    wait = ForkedDraw(lambda: lambda x: 1 / x).start(0)
    with pytest.raises(ZeroDivisionError) as err:
        wait()
    assert "fork of the plotting process" in "".join(getattr(err.value, "__notes__", []))


def test_a_forked_draw_raises_the_error_of_its_preparation_here():
    wait = ForkedDraw(lambda: {}["no figure"]).start()
    with pytest.raises(KeyError):
        wait()


def test_a_fork_that_died_is_an_error_not_a_missing_plot():
    wait = ForkedDraw(lambda: lambda: os._exit(3)).start()
    with pytest.raises(PlotProcessError, match="stopped"):
        wait()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty base-map cache of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "xuefeng"


def _finished_equals_a_full_draw(hw, rows, tmp_path) -> bool:
    hw.finish(rows, tmp_path / "over_base.png", "a title")
    hw.fig.savefig(tmp_path / "full.png", dpi=plots.DPI)
    return np.array_equal(_pixels(tmp_path / "over_base.png"), _pixels(tmp_path / "full.png"))


def test_a_base_map_drawn_once_is_read_from_the_cache_with_the_same_pixels(rows, tmp_path, cache):
    first = plots.HighwaterMap(sim.get_game(SCN))
    again = plots.HighwaterMap(sim.get_game(SCN))
    assert not first.from_cache and again.from_cache
    assert _finished_equals_a_full_draw(again, rows, tmp_path)


def test_a_changed_base_map_is_drawn_again_not_read_from_the_cache(rows, tmp_path, cache):
    game = sim.get_game(SCN)
    plots.HighwaterMap(game)
    victory = game.scenario.victory
    moved = victory.model_copy(update={"start_line": [[lat, lon - 0.05] for lat, lon in victory.start_line]})
    other = PlotSource(game.scenario.model_copy(update={"victory": moved}), game.map)
    hw = plots.HighwaterMap(other)
    assert not hw.from_cache
    assert _finished_equals_a_full_draw(hw, rows, tmp_path)


def test_a_damaged_cache_file_is_drawn_again(rows, tmp_path, cache):
    plots.HighwaterMap(sim.get_game(SCN))
    (kept,) = cache.glob("highwater-*.npz")
    kept.write_bytes(b"not an array")
    hw = plots.HighwaterMap(sim.get_game(SCN))
    assert not hw.from_cache
    assert _finished_equals_a_full_draw(hw, rows, tmp_path)


def test_while_plotting_is_called_once_after_the_batchs_files_are_written(tmp_path):
    seen = []
    sim.run_batch(SCN, runs=1, seed=1, out_dir=tmp_path, jobs=1, players="random", with_turns=False, plots=True,
                  while_plotting=lambda: seen.append({p.name for p in tmp_path.iterdir()}))
    assert len(seen) == 1 and {"runs.csv", "summary.json"} <= seen[0]
    assert {"outcomes.png", "casualties.png", "map_highwater.png"} <= {p.name for p in tmp_path.iterdir()}


def test_a_base_map_read_from_the_cache_makes_no_terrain_image(rows, tmp_path, cache, monkeypatch):
    plots.HighwaterMap(sim.get_game(SCN))

    def refuse(*a, **k):
        raise AssertionError("the terrain image was made again")

    monkeypatch.setattr(plots, "_terrain_raster", refuse)
    hw = plots.HighwaterMap(sim.get_game(SCN))
    assert hw.from_cache
    assert _finished_equals_a_full_draw(hw, rows, tmp_path)  # the kept terrain image is in the figure


def test_a_cache_file_with_one_byte_changed_is_drawn_again(rows, tmp_path, cache):
    plots.HighwaterMap(sim.get_game(SCN))
    (kept,) = cache.glob("highwater-*.npz")
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0x01
    kept.write_bytes(bytes(data))
    hw = plots.HighwaterMap(sim.get_game(SCN))
    assert not hw.from_cache
    assert _finished_equals_a_full_draw(hw, rows, tmp_path)


def test_changed_terrain_colours_are_drawn_again_not_read_from_the_cache(rows, tmp_path, cache, monkeypatch):
    plots.HighwaterMap(sim.get_game(SCN))
    colours = plots.hex_colours
    monkeypatch.setattr(plots, "hex_colours", lambda m: 1.0 - colours(m))
    hw = plots.HighwaterMap(sim.get_game(SCN))
    assert not hw.from_cache
    assert _finished_equals_a_full_draw(hw, rows, tmp_path)


def test_the_facts_a_plotting_process_is_given_unpickle_without_the_scenarios_models(tmp_path):
    import pickle
    import subprocess
    import sys

    (tmp_path / "facts.pickle").write_bytes(pickle.dumps(plot_facts(sim.get_game(SCN))))
    code = ("import pickle, sys\npickle.loads(open(sys.argv[1], 'rb').read())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m.startswith('engine.scenario')))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "facts.pickle")], capture_output=True,
                          text=True, check=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.stdout.strip() == "[]"


def test_matplotlib_imported_after_skip_property_docs_builds_no_property_lists():
    import subprocess
    import sys

    code = ("from engine.analysis.plot_process import skip_property_docs\nskip_property_docs()\n"
            "import engine.analysis.plots, matplotlib.lines, matplotlib.axes\n"
            "print(matplotlib.lines.Line2D.set.__doc__.count('agg_filter'), matplotlib.axes.Axes.plot.__doc__.count('agg_filter'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # imported as usual, each docstring lists the properties, agg_filter first
    assert done.stdout.split() == ["0", "0"]


def test_only_the_newest_base_maps_are_kept(tmp_path, cache):
    pixels, terrain = np.zeros((2, 2, 4), np.uint8), np.zeros((1, 1, 4), np.uint8)
    for i in range(plots.BASE_CACHE_FILES + 2):
        keep_entry(cache / f"highwater-{i}.npz", plots.BASE_CACHE_FILES, pixels=pixels, terrain=terrain)
        os.utime(cache / f"highwater-{i}.npz", (1_000 + i, 1_000 + i))  # written in this order
    kept = sorted(p.name for p in cache.glob("highwater-*"))
    assert len(kept) == plots.BASE_CACHE_FILES and "highwater-0.npz" not in kept


def test_casualties_frames_drawn_once_are_read_from_the_cache_with_the_png_of_one_savefig(rows, tmp_path, cache):
    scn = sim.get_game(SCN).scenario
    first = plots.CasualtiesFigure(scn, ticks=10, predraw=True)
    again = plots.CasualtiesFigure(scn, ticks=10, predraw=True)
    assert not first.from_cache and again.from_cache
    rows = _casualties_in_their_bands(rows)
    over = again.finish(rows, tmp_path / "over_frames.png", "a title")
    assert again.over_frames  # the medians' labels placed where the cache says the frames' draw placed them
    assert over.read_bytes() == plots.plot_casualties(rows, tmp_path / "plain.png", scn, "a title").read_bytes()


def test_outcomes_frames_drawn_once_are_read_from_the_cache_with_the_png_of_one_savefig(rows, tmp_path, cache):
    first, again = plots.OutcomesFigure(8, predraw=True), plots.OutcomesFigure(8, predraw=True)
    assert not first.from_cache and again.from_cache
    over = again.finish(rows, tmp_path / "over_frames.png", "a title")
    assert over.read_bytes() == plots.plot_outcomes(rows, tmp_path / "plain.png", "a title").read_bytes()


def test_frames_of_another_scenario_are_drawn_again_not_read_from_the_cache(rows, tmp_path, cache):
    scn = sim.get_game(SCN).scenario
    plots.CasualtiesFigure(scn, predraw=True)
    history = scn.history.model_copy(update={"japanese_sick": scn.history.japanese_sick[:1]})
    assert not plots.CasualtiesFigure(scn.model_copy(update={"history": history}), predraw=True).from_cache


def test_a_damaged_frames_cache_file_is_drawn_again(rows, tmp_path, cache):
    scn = sim.get_game(SCN).scenario
    plots.CasualtiesFigure(scn, predraw=True)
    (kept,) = cache.glob("casualties-*.npz")
    kept.write_bytes(b"not an array")
    figure = plots.CasualtiesFigure(scn, predraw=True)
    assert not figure.from_cache
    rows = _casualties_in_their_bands(rows)
    over = figure.finish(rows, tmp_path / "over_frames.png", "a title")
    assert over.read_bytes() == plots.plot_casualties(rows, tmp_path / "plain.png", scn, "a title").read_bytes()


def test_frames_kept_without_the_medians_places_are_drawn_again(rows, tmp_path, cache):
    scn = sim.get_game(SCN).scenario
    plots.CasualtiesFigure(scn, predraw=True)
    (kept,) = cache.glob("casualties-*.npz")
    with np.load(kept) as entry:
        pixels = entry["pixels"]
    keep_entry(kept, plots.FRAMES_CACHE_FILES, pixels=pixels)  # the pixels alone, as before the places were kept
    figure = plots.CasualtiesFigure(scn, predraw=True)
    assert not figure.from_cache
    rows = _casualties_in_their_bands(rows)
    over = figure.finish(rows, tmp_path / "over_frames.png", "a title")
    assert figure.over_frames
    assert over.read_bytes() == plots.plot_casualties(rows, tmp_path / "plain.png", scn, "a title").read_bytes()


@pytest.mark.parametrize("load, spare", [(0.7, True), (2.4, True), (2.6, False), (4.8, False)])
def test_the_casualties_fork_is_made_while_the_load_leaves_a_core_idle(load, spare, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert plot_process.core_to_spare() is spare


def test_a_load_that_cannot_be_read_leaves_the_casualties_forked(monkeypatch):
    def unreadable():
        raise OSError("no load average here")

    monkeypatch.setattr(os, "getloadavg", unreadable)
    assert plot_process.core_to_spare()
