"""Batch plots (matplotlib, Agg): outcomes, casualties against history, Japanese high-water marks.

    make_plots(rows, out_dir, game=game)

writes ``outcomes.png``, ``casualties.png`` and ``map_highwater.png``.  ``rows`` are
:func:`engine.analysis.sim.run_one` rows (the private ``_japan_end`` key, when present, gives the
Japanese end positions).
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure  # no pyplot: no backend machinery, no global figure registry
from matplotlib.lines import Line2D
from matplotlib.offsetbox import TextArea
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator
from numpy.random import default_rng  # here, not when the runs come: importing it takes ~8 ms

from ..map.render import hex_colours
from .disk_cache import digest, entry_path, keep_entry, read_entry
from .png import write_png

DPI = 110
SIDE_COLOURS = {"china": "#2b6cb0", "japan": "#c53030", "": "#888888"}
STATUS_COLOURS = {"operational": "#2f855a", "neutralised": "#d69e2e", "captured": "#c53030"}
#: what savefig writes into a PNG's metadata
PNG_TEXT = {"Software": f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"}


def _save(fig, path: Path) -> Path:
    """Draw ``fig`` whole and write it (the pixels ``savefig`` gives it).

    Margins are set per figure (subplots_adjust): one drawing pass, where tight_layout and
    bbox_inches="tight" each lay every text out again (they took most of the plotting time).
    """
    FigureCanvasAgg(fig).draw()
    return _write_canvas(fig, path)


def _write_canvas(fig, path: Path) -> Path:
    """Write the pixels already drawn in ``fig``'s canvas as a PNG (engine/analysis/png.py)."""
    return write_png(path, np.asarray(fig.canvas.buffer_rgba()), fig.dpi, PNG_TEXT)


def _campaigns(n: int) -> str:
    return f"{n} campaign{'' if n == 1 else 's'}"


def _set_title(ax, title: str) -> None:
    """``ax``'s title, where matplotlib puts it when nothing is above the axes (no x ticks or label
    on top, as in every figure here): placed by hand, it is not placed again at each draw, which
    laid out every y tick label to do it (~4 ms an axes)."""
    ax.set_title(title, y=1.0)


def _empty_figure(size: tuple[float, float], nrows: int, ncols: int, ticks: int | tuple[int, int]) -> Figure:
    """A figure of ``nrows`` x ``ncols`` empty axes, each with its first ``ticks`` tick marks made
    (or (x, y): as many on its x and y axes)."""
    x_ticks, y_ticks = (ticks, ticks) if isinstance(ticks, int) else ticks
    fig = Figure(figsize=size, dpi=DPI)  # the PNG's dpi: a canvas drawn beforehand is the one written
    for ax in fig.subplots(nrows, ncols).ravel():
        if x_ticks:
            ax.xaxis.get_major_ticks(x_ticks)
        if y_ticks:
            ax.yaxis.get_major_ticks(y_ticks)
    return fig


class _Count(NamedTuple):
    """One outcomes bar chart: the rows' key, its name for a row without one, the bars always shown."""

    key: str
    missing: str
    usual: tuple[str, ...]
    colours: dict
    title: str


_OUTCOMES = (_Count("winner", "undecided", ("china", "japan"), SIDE_COLOURS, "Winner"),
             _Count("airfield_status", "?", ("operational", "neutralised", "captured"), STATUS_COLOURS,
                    "Zhijiang airfield at the end"))


def _bar_colours(colours: dict, keys) -> list[str]:
    return [colours.get(k, "#718096") for k in keys]


class OutcomesFigure:
    """Bars of the winners and of the airfield's status at the end, in two steps as
    :class:`CasualtiesFigure`: the usual bars (height 0 until the runs come), titles and bar names
    first (with ``predraw``: rendered then, or read from the cache), the runs' heights and counts over them.  A batch
    with an unusual outcome (e.g. undecided) adds its bar and draws the whole figure again."""

    def __init__(self, ticks: int | tuple[int, int] = 0, predraw: bool = False):
        self.fig = _empty_figure((10, 4.2), 1, 2, ticks)
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.1, top=0.84, wspace=0.25)
        self._bars = []
        for ax, c in zip(self.fig.axes, _OUTCOMES):
            self._bars.append(ax.bar(c.usual, [0] * len(c.usual), color=_bar_colours(c.colours, c.usual)))
            _set_title(ax, c.title)
            ax.set_ylabel("runs")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # runs are whole
        self._predrawn = predraw
        self.from_cache = predraw and _draw_frames_or_recall(self.fig, "outcomes", [_OUTCOMES])

    def finish(self, rows: list[dict], path: Path, title: str = "") -> Path:
        """Give the bars their heights (adding unusual ones), count them; write ``path``."""
        unusual = [_count_bars(ax, c, bars, rows) for ax, c, bars in zip(self.fig.axes, _OUTCOMES, self._bars)]
        self.fig.suptitle(f"Outcomes over {_campaigns(len(rows))}{' — ' + title if title else ''}")
        # more bars move the bar names drawn beforehand
        return _write_over_frames(self.fig, path, self._predrawn, frames_hold=not any(unusual))


def _count_bars(ax, c: _Count, usual_bars, rows: list[dict]) -> bool:
    """Set the usual bars' heights to the rows' counts, add a bar per unusual outcome (True if
    any), write each bar's count and share over it."""
    counts = {k: 0 for k in c.usual}
    for r in rows:
        k = r.get(c.key) or c.missing
        counts[k] = counts.get(k, 0) + 1
    bars = list(usual_bars)
    for b, k in zip(bars, c.usual):
        b.set_height(counts[k])
    extra = [k for k in counts if k not in c.usual]
    if extra:
        bars += ax.bar(extra, [counts[k] for k in extra], color=_bar_colours(c.colours, extra))
    n = len(rows)
    for b, v in zip(bars, counts.values()):
        ax.annotate(f"{v} ({100 * v / max(n, 1):.0f}%)", (b.get_x() + b.get_width() / 2, v),
                    ha="center", va="bottom", fontsize=10)
    ax.set_ylim(0, max([*counts.values(), 1]) * 1.18)
    ax.grid(axis="y", alpha=0.3)
    return bool(extra)


def plot_outcomes(rows: list[dict], path: Path, title: str = "") -> Path:
    """The outcomes figure of ``rows`` (see :class:`OutcomesFigure`)."""
    return OutcomesFigure().finish(rows, path, title)


def _x_range(values: np.ndarray, band, marks) -> tuple[float, float]:
    """A histogram's x limits: from 0 (or the lowest run) to past the highest run, band end and mark."""
    lo = min([0.0] + ([values.min()] if values.size else []))
    hi = max([m for m, _ in marks] + ([band[1]] if band else []) + ([values.max()] if values.size else []))
    return lo, hi * 1.08 + 1


def _hist_frame(ax, title: str, x_range: tuple[float, float]) -> None:
    """What a histogram's axes show whatever the runs are (given its x range)."""
    ax.set_xlim(*x_range)
    _set_title(ax, title)
    ax.set_ylabel("runs")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # runs are whole
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))


_BAND_STYLE = {"color": "#68d391", "alpha": 0.25}
_MARK_LINES = ["--", ":", "-.", (0, (5, 2, 1, 2)), (0, (1, 1))]
_MARK_COLOURS = ["#1a202c", "#6b46c1", "#2c7a7b", "#975a16", "#b83280"]


def _mark_style(i: int) -> dict:
    return {"color": _MARK_COLOURS[i % len(_MARK_COLOURS)], "lw": 1.4, "ls": _MARK_LINES[i % len(_MARK_LINES)]}


def _bar_style(colour: str) -> dict:
    return {"facecolor": colour, "alpha": 0.85, "edgecolor": "white", "linewidth": 0.5}


def _band_and_marks(ax, panel) -> None:
    """The panel's [validation] band and [history] marks (made before the runs come, drawn with them)."""
    ax.axvspan(*panel.band, **_BAND_STYLE)
    for i, (x, _) in enumerate(panel.marks):
        ax.axvline(x, **_mark_style(i))


#: the runs' median line: under the marks, which are made first (:func:`_band_and_marks`)
_MEDIAN_STYLE = {"color": "black", "lw": 1.5, "ls": "-", "zorder": 1.99}


def _hist(ax, v: np.ndarray, panel) -> None:
    """The runs' histogram and median, in axes framed by :func:`_hist_frame`, over the band and
    marks (:func:`_band_and_marks`; the legend is :func:`_legend`'s)."""
    lo, hi = ax.get_xlim()
    if v.size:
        # Axes.hist's bars, but only the bins with runs in them: an empty bin draws nothing, and
        # its artist cost as much as a full one (a short batch leaves most of the 39 bins empty)
        counts, edges = np.histogram(v, bins=np.linspace(lo, hi, 40))
        full = counts > 0
        width = np.diff(edges)[full]
        ax.bar(edges[:-1][full] + width / 2, counts[full].astype(float), width, **_bar_style(panel.colour))
        ax.axvline(np.median(v), **_MEDIAN_STYLE)
    ax.grid(alpha=0.25)


#: the runs' entry in a casualties legend: after the band's, before the marks'
MEDIAN_ENTRY = 1


def _median_label(median: float) -> str:
    return f"simulated (median {median:,.0f})"


def _legend(ax, panel, median: float | None):
    """The panel's legend, right of its axes: the band, the runs' median (None: no runs), the marks.

    Its keys are stand-ins styled as the artists they stand for, so a legend can be drawn before
    the runs come (:class:`CasualtiesFigure`) with the pixels of one drawn after them.
    """
    handles = [Rectangle((0, 0), 1, 1, **_BAND_STYLE)]
    labels = [f"historical band {panel.band[0]:,}–{panel.band[1]:,}"]
    if median is not None:
        handles.append(Rectangle((0, 0), 1, 1, **_bar_style(panel.colour)))
        labels.append(_median_label(median))
    for i, (_, label) in enumerate(panel.marks):
        handles.append(Line2D([], [], **_mark_style(i)))
        labels.append(label)
    return ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), framealpha=0.9)


def _median_area(legend) -> TextArea:
    """The box of ``legend`` that holds its median's label (the legend's packing places it)."""
    text = legend.texts[MEDIAN_ENTRY]
    return next(a for a in legend.findobj(TextArea) if a.get_children() == [text])


def _median_box(legend, renderer) -> tuple:
    """Where the legend's packing places its median's label: that label's box (its size and
    baseline; the rest of the legend is the scenario's)."""
    return tuple(_median_area(legend).get_bbox(renderer).bounds)


def _marks(figures) -> list[tuple[int, str]]:
    return [(f.value, f.label) for f in figures]


class _Panel(NamedTuple):
    """One casualties histogram: the rows' key, the [validation] band, the [history] marks, title, colour."""

    key: str
    band: tuple[int, int]
    marks: list[tuple[int, str]]
    title: str
    colour: str


def _casualty_panels(scenario) -> list[_Panel]:
    h, v = scenario.history, scenario.validation
    return [_Panel(key, (getattr(v, key).low, getattr(v, key).high), _marks(getattr(h, key)), title, colour)
            for key, title, colour in (
                ("chinese_casualties", "Chinese casualties (killed + wounded + missing) — V4", SIDE_COLOURS["china"]),
                ("japanese_battle_casualties", "Japanese battle casualties (killed + wounded + captured) — V5",
                 SIDE_COLOURS["japan"]),
                ("japanese_sick", "Japanese sick (non-battle, reported apart) — V8", "#dd6b20"))]


class CasualtiesFigure:
    """The casualty histograms with the scenario's 1945 figures ([history]) and V4/V5/V8 bands
    ([validation]), in two steps as :class:`HighwaterMap`: the axes' frames first, the runs after.

    The frames (titles, x limits, labels) follow from the scenario alone while no run lies
    below 0 or past its panel's band and marks, the usual case.  ``predraw`` renders then, before
    the runs, what lies outside the data's reach (:func:`_draw_frames`): the backgrounds, the
    titles, the x tick labels and the x label (most of the figure's text), and the legends but
    their medians' labels (the legends took most of the drawing after the runs): each legend is
    made with a stand-in median, the band's middle, whose label is packed as the runs' median's
    will be while both have as many digits.  Frames drawn once are kept in the disk cache
    (:func:`_draw_frames_or_recall`): the next process copies their pixels, and the places of the
    medians' labels, instead of drawing them (~110 ms).  :meth:`finish` draws everything else over them;
    pixels are those of one ``savefig`` of the finished figure (tests/test_plots.py).  When a run
    moves an x range or a legend's packing, :meth:`finish` draws the whole figure again instead.

    ``ticks``: each axis's first ``ticks`` tick marks (or (x, y): as many on x and y axes) are made
    beforehand (a tick is a dozen artists: ~1 ms each); a draw makes the ticks it lacks and leaves
    spare ones out.
    """

    def __init__(self, scenario, ticks: int | tuple[int, int] = 0, predraw: bool = False):
        self.fig = _empty_figure((12.5, 10.5), 3, 1, ticks)
        self.fig.subplots_adjust(left=0.06, right=0.76, bottom=0.06, top=0.93, hspace=0.35)
        self.panels = _casualty_panels(scenario)
        self._x_ranges = [_x_range(np.empty(0), p.band, p.marks) for p in self.panels]
        for ax, panel, x_range in zip(self.fig.axes, self.panels, self._x_ranges):
            _hist_frame(ax, panel.title, x_range)
        self.fig.axes[2].set_xlabel("men")
        self._predrawn = predraw
        self.over_frames = False  # whether finish drew over the frames drawn beforehand (else whole)
        self._legends = self._median_boxes = []
        self.from_cache = False
        if predraw:
            stand_ins = [sum(p.band) / 2 for p in self.panels]
            self._legends = [_legend(ax, p, m) for ax, p, m in zip(self.fig.axes, self.panels, stand_ins)]
            medians = [legend.texts[MEDIAN_ENTRY] for legend in self._legends]
            # the medians' labels are drawn after the runs where the frames' draw placed them
            # (the legends' packing): kept with the frames, read back on a hit
            self.from_cache = _draw_frames_or_recall(self.fig, "casualties", [self.panels, self._x_ranges, stand_ins],
                                                     held_back=medians,
                                                     placed=[_median_area(legend) for legend in self._legends])
            renderer = self.fig.canvas.get_renderer()
            self._median_boxes = [_median_box(legend, renderer) for legend in self._legends]
        for ax, panel in zip(self.fig.axes, self.panels):  # after the frames' draw, which they are not in
            _band_and_marks(ax, panel)

    def finish(self, rows: list[dict], path: Path, title: str = "") -> Path:
        """Draw the runs' histograms (and legends, grids, title); write ``path``."""
        legends_hold = self._predrawn
        for i, (ax, panel) in enumerate(zip(self.fig.axes, self.panels)):
            v = np.asarray([x for r in rows if (x := r.get(panel.key)) is not None], dtype=float)
            ax.set_xlim(*_x_range(v, panel.band, panel.marks))
            _hist(ax, v, panel)
            median = float(np.median(v)) if v.size else None
            if self._predrawn and median is not None:  # the legend drawn beforehand: its median told
                self._legends[i].texts[MEDIAN_ENTRY].set_text(_median_label(median))
                legends_hold &= _median_box(self._legends[i], self.fig.canvas.get_renderer()) == self._median_boxes[i]
            else:  # (no runs: a legend without a median) replaces the one drawn beforehand
                _legend(ax, panel, median)
                legends_hold = False
        self.fig.suptitle(f"Casualties over {_campaigns(len(rows))}{' — ' + title if title else ''}")
        # a run that moved an x range or a legend's packing makes the frames drawn beforehand wrong
        x_ranges_hold = [ax.get_xlim() for ax in self.fig.axes] == self._x_ranges
        self.over_frames = self._predrawn and x_ranges_hold and legends_hold
        # the medians' labels stand where their legends drew the stand-ins' (hidden then): drawn
        # alone, last (nothing else reaches the legends, right of the axes), they need no packing
        return _write_over_frames(self.fig, path, self._predrawn, frames_hold=self.over_frames, drawn=self._legends,
                                  last=[legend.texts[MEDIAN_ENTRY] for legend in self._legends])


#: rendered frames kept per figure kind (the newest)
FRAMES_CACHE_FILES = 4


def _draw_frames_or_recall(fig, kind: str, drawn: list, held_back=(), placed=()) -> bool:
    """:func:`_draw_frames`, or the pixels it rendered copied from the cache when these very frames
    (:func:`_pixels_key` of ``drawn``, what they follow from besides this module) were drawn before;
    drawn ones are kept there for the next process.  Whether they came from the cache.

    ``placed``: text boxes (TextArea) whose draw in the frames places them (a legend's packing)
    and which are drawn later: their offsets are kept with the pixels and set again on a hit, so
    nothing is packed then (that took ~30 ms for the casualties' three legends)."""
    canvas = FigureCanvasAgg(fig)
    w, h = (int(round(v)) for v in fig.bbox.size)
    path = entry_path(kind, _pixels_key(fig, [kind, *drawn]))
    kept = read_entry(path, ("pixels", "offsets"))
    if (kept is not None and kept["pixels"].dtype == np.uint8 and kept["pixels"].shape == (h, w, 4)
            and kept["offsets"].dtype == np.float64 and kept["offsets"].shape == (len(placed), 2)):
        np.asarray(canvas.get_renderer().buffer_rgba())[...] = kept["pixels"]
        for area, xy in zip(placed, kept["offsets"].tolist()):
            area.set_offset(tuple(xy))
        return True
    _draw_frames(fig, held_back)
    offsets = np.array([area.offset_transform.get_matrix()[:2, 2] for area in placed], dtype=np.float64).reshape(-1, 2)
    keep_entry(path, FRAMES_CACHE_FILES, pixels=np.asarray(canvas.buffer_rgba()), offsets=offsets)
    return False


def _frames(fig) -> list:
    """The frames :func:`_draw_frames` renders (with the x tick labels): backgrounds, titles, x labels."""
    return [fig.patch, *(a for ax in fig.axes for a in (ax.patch, ax.title, ax.xaxis.label))]


def _draw_frames(fig, held_back=()) -> None:
    """Render the frames of ``fig``'s axes alone (and what else is in the axes but ``held_back``)
    into its canvas, before the runs come.

    Hidden meanwhile: the y axes (their ticks follow the runs), the spines and the x tick marks
    (bars reach them: drawn after the bars).  The frames lie outside the axes, where no run's
    artist reaches: drawing them first gives the pixels of drawing them in z-order.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    hidden = [a for ax in fig.axes for a in (ax.yaxis, *ax.spines.values())]
    with _hidden([*hidden, *held_back]), _x_tick_params(fig.axes, bottom=False):
        fig.canvas.draw()


def _draw_over_frames(fig, drawn=(), last=()) -> None:
    """Draw everything but the frames and ``drawn`` over them (:func:`_draw_frames`), then ``last``
    (parts of ``drawn`` left out beforehand); the canvas is not cleared."""
    renderer = fig.canvas.get_renderer()
    with _hidden([*_frames(fig), *drawn]), _x_tick_params(fig.axes, labelbottom=False):
        fig.draw(renderer)
    for a in last:
        a.draw(renderer)


def _write_over_frames(fig, path: Path, predrawn: bool, frames_hold: bool, drawn=(), last=()) -> Path:
    """Write ``fig`` at ``path``: drawn whole, or, when its frames (and ``drawn``, but ``last``)
    were drawn beforehand (:func:`_draw_frames`) and still hold, everything else drawn over them."""
    if not predrawn:
        return _save(fig, path)
    if frames_hold:
        _draw_over_frames(fig, drawn, last)
    else:
        fig.canvas.draw()
    return _write_canvas(fig, path)


@contextmanager
def _hidden(artists):
    """``artists`` made invisible meanwhile (then as they were)."""
    was = [a.get_visible() for a in artists]
    for a in artists:
        a.set_visible(False)
    try:
        yield
    finally:
        for a, visible in zip(artists, was):
            a.set_visible(visible)


@contextmanager
def _x_tick_params(axes, **off):
    """The x axes' tick parameters ``off`` (e.g. ``bottom=False``) meanwhile, then True again."""
    for ax in axes:
        ax.xaxis.set_tick_params(**off)
    try:
        yield
    finally:
        for ax in axes:
            ax.xaxis.set_tick_params(**{k: True for k in off})


def plot_casualties(rows: list[dict], path: Path, scenario, title: str = "") -> Path:
    """The casualties figure of ``rows`` (see :class:`CasualtiesFigure`)."""
    return CasualtiesFigure(scenario).finish(rows, path, title)


#: the terrain image's resolution
TERRAIN_PX_PER_KM = 3.0


def _terrain_raster(m, x0: float, x1: float, y0: float, y1: float, px_per_km: float = TERRAIN_PX_PER_KM) -> np.ndarray:
    """The terrain as one RGBA image, 8 bits a channel (hex colours faded to 75% on white;
    transparent off the map).

    One image instead of thousands of hex polygons: drawing the polygons was most of the plot's
    time.  Colours are looked up per hex id (-1, off the map, picks the transparent first row).
    """
    w, h = int((x1 - x0) * px_per_km), int((y1 - y0) * px_per_km)
    xs = x0 + (np.arange(w) + 0.5) / px_per_km
    ys = y0 + (np.arange(h) + 0.5) / px_per_km
    ids = m.grid.hex_ids_at(xs[None, :], ys[:, None])
    lut = np.zeros((m.count + 1, 4), dtype=np.uint8)
    lut[1:, :3] = (0.75 * hex_colours(m) + 0.25) * 255  # truncated, as matplotlib turns float images to bytes
    lut[1:, 3] = 255
    return lut[ids + 1]


def _map_extent(m) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the km the map's hexes cover."""
    polys = m.grid.layout.corners(m.x_km, m.y_km)
    return float(polys[..., 0].min()), float(polys[..., 0].max()), float(polys[..., 1].min()), float(polys[..., 1].max())


def _terrain_inputs(m) -> list:
    """What :func:`_terrain_raster` makes the terrain image from (the hexes' colours, the grid and
    its geometry code), for :func:`_pixels_key`: the image itself is made only when the base is drawn."""
    from ..map import hexgrid

    return [hex_colours(m), repr(m.grid), Path(hexgrid.__file__).read_bytes()]


def _show_terrain(ax, terrain: np.ndarray, extent: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = extent
    ax.imshow(terrain, extent=(x0, x1, y1, y0), interpolation="nearest", zorder=0)  # below all else


def _base_map(ax, game) -> list:
    """The hex map in km (x east, y south, as the game draws it): rivers, places, start line;
    the terrain image under them is added by :meth:`HighwaterMap._draw_base`.

    Returns what it drew (coordinates, names) and what the terrain follows from, for :func:`_pixels_key`.
    """
    m = game.map
    x0, x1, y0, y1 = _map_extent(m)
    drawn: list = [*_terrain_inputs(m), (x0, x1, y0, y1)]
    lines = {True: [], False: []}  # major rivers, minor rivers: one artist each
    for r in getattr(m, "river_lines", None) or []:
        for line in r.get("lines", []):
            a = np.asarray(line, dtype=float)
            if a.ndim == 2 and len(a) > 1:
                lines[bool(r.get("major"))].append(a)
    for major, segs in lines.items():
        drawn += [major, *segs]
        if segs:
            ax.add_collection(LineCollection(segs, colors="#2a6fc9", linewidths=1.4 if major else 0.6, alpha=0.8,
                                             capstyle="projecting", joinstyle="round", zorder=1), autolim=False)
    places = [p for _, p in sorted(m.places.items()) if p.kind not in ("peak", "airfield")]
    if places:
        px, py = m.projection.to_km(np.array([p.lat for p in places]), np.array([p.lon for p in places]))
        ax.plot(px, py, "o", ms=3, color="#2d3748", ls="none", zorder=3)
        drawn += [px, py, [p.name_en for p in places]]
        for p, x, y in zip(places, px, py):
            ax.annotate(p.name_en, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=6.5,
                        color="#1a202c", zorder=3)
    line = np.asarray(game.scenario.victory.start_line, dtype=float)
    if line.size:
        lx, ly = m.projection.to_km(line[:, 0], line[:, 1])
        ax.plot(lx, ly, color="#c53030", lw=1.6, ls="--", label="Japanese start line", zorder=2)
        drawn += [lx, ly]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)  # north up
    ax.set_aspect("equal")
    ax.set_xlabel("km east")
    ax.set_ylabel("km south")
    return drawn


#: drawn base maps kept (the newest; one is about 8 MB with its terrain image)
BASE_CACHE_FILES = 4


def _pixels_key(fig, drawn: list) -> str:
    """A digest of everything a drawing's pixels follow from: what was drawn (e.g. the base map's
    terrain image, coordinates, names), this module's source (styles, sizes), matplotlib, FreeType
    and rcParams, the figure's size."""
    import matplotlib
    from matplotlib import ft2font

    rc = matplotlib.rcParams
    return digest(Path(__file__).read_bytes(), matplotlib.__version__, ft2font.__freetype_version__,
                  # not the backend (this module draws with Agg): reading it imports pyplot (~20 ms)
                  repr(sorted((k, repr(rc[k])) for k in rc if k != "backend")),
                  (tuple(fig.get_size_inches()), fig.dpi), *drawn)


def _read_base(path: Path, shape: tuple, terrain_shape: tuple) -> tuple[np.ndarray, np.ndarray] | None:
    """The kept (pixels, terrain image) at ``path`` when they are what this figure needs, else
    None (not kept, damaged, or not 8-bit RGBA images of the figure's and the terrain's sizes:
    drawn again)."""
    got = read_entry(path, ("pixels", "terrain"))
    if got is None:
        return None
    pixels, terrain = got["pixels"], got["terrain"]
    if not (pixels.dtype == terrain.dtype == np.uint8 and pixels.shape == shape and terrain.shape == terrain_shape):
        return None
    return pixels, terrain


class HighwaterMap:
    """The high-water map, in two steps: the base map first, the runs' marks on top.

    ``HighwaterMap(game)`` builds the figure and renders everything that does not depend on
    the runs (terrain, rivers, places, start line, axes and ticks) into the canvas, so it can
    be done while the campaigns are still being played (engine/analysis/plot_process.py);
    :meth:`finish` draws only the runs' artists over it, in the z-order one full draw would
    use, and writes the PNG.  The pixels are those of one ``savefig`` of the finished figure
    (tests/test_plots.py checks it).  Without a game (plain lon/lat axes that scale to the data)
    nothing can be drawn before the runs: :meth:`finish` draws it all.
    """

    def __init__(self, game=None):
        self.game = game
        self.fig = Figure(figsize=(10, 8.1) if game is not None else (10, 10), dpi=DPI)  # the map is 4:3
        self.ax = self.fig.subplots()
        self.fig.subplots_adjust(left=0.08, right=0.96, bottom=0.08, top=0.94)
        self._base: set | None = None
        self.from_cache = False
        if game is not None:
            self._draw_base(_base_map(self.ax, game))
            self._base = set(self.ax.get_children())
        else:
            self.ax.set_xlabel("longitude °E")
            self.ax.set_ylabel("latitude °N")

    def _draw_base(self, drawn: list) -> None:
        """Add the terrain image and render the base into the canvas, or copy both from the base
        cache when this very base (:func:`_pixels_key`) was drawn before; drawn ones are kept there
        for the next process (making the terrain image took ~60 ms: a hit makes none)."""
        canvas = FigureCanvasAgg(self.fig)
        w, h = (int(round(v)) for v in self.fig.bbox.size)
        m = self.game.map
        extent = _map_extent(m)
        terrain_shape = (int((extent[3] - extent[2]) * TERRAIN_PX_PER_KM), int((extent[1] - extent[0]) * TERRAIN_PX_PER_KM), 4)
        path = entry_path("highwater", _pixels_key(self.fig, drawn))
        kept = _read_base(path, (h, w, 4), terrain_shape)
        if kept is None:
            terrain = _terrain_raster(m, *extent)
            _show_terrain(self.ax, terrain, extent)
            canvas.draw()
            keep_entry(path, BASE_CACHE_FILES, pixels=np.asarray(canvas.buffer_rgba()), terrain=terrain)
            return
        pixels, terrain = kept
        _show_terrain(self.ax, terrain, extent)  # in the figure (a full draw shows it), not drawn now
        self.ax.apply_aspect()  # what the draw would have done to the axes' box (equal aspect)
        np.asarray(canvas.get_renderer().buffer_rgba())[...] = pixels
        self.from_cache = True

    def _to_xy(self, lat, lon):
        if self.game is not None:
            return self.game.map.projection.to_km(lat, lon)
        return np.asarray(lon), np.asarray(lat)

    def finish(self, rows: list[dict], path: Path, title: str = "") -> Path:
        """Draw the runs' end positions and high-water marks (and the airfield, legend, title); write ``path``."""
        ax, to_xy, game = self.ax, self._to_xy, self.game
        ends = [p for r in rows for p in (r.get("_japan_end") or [])]
        if ends:
            e = np.asarray(ends, dtype=float)
            x, y = to_xy(e[:, 0], e[:, 1])
            # jitter so stacked end positions over many runs show their weight
            span = float(np.ptp(np.concatenate([np.atleast_1d(x), np.atleast_1d(y)]))) or 1.0
            j = default_rng(0).normal(0, span * 0.004, (len(e), 2))
            ax.scatter(x + j[:, 0], y + j[:, 1], s=7, color="#744210", alpha=0.3, linewidths=0,
                       label="Japanese units at the end (all runs)", zorder=4)
        hw = [(r["highwater_lat"], r["highwater_lon"]) for r in rows
              if r.get("highwater_lat") is not None and r.get("highwater_lon") is not None]
        if hw:
            pts, counts = np.unique(np.asarray(hw, dtype=float), axis=0, return_counts=True)
            x, y = to_xy(pts[:, 0], pts[:, 1])
            ax.scatter(x, y, s=30 + 220 * np.sqrt(counts / counts.max()), marker="X", color="#c53030", alpha=0.8,
                       edgecolors="white", linewidths=0.8, zorder=5,
                       label=f"Japanese high-water mark ({len(hw)} runs; size = runs)")
            halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
            xs, ys = np.atleast_1d(x), np.atleast_1d(y)
            for k in np.argsort(-counts)[:4]:  # the most frequent marks only, to stay legible
                if counts[k] > 1:
                    ax.annotate(f"{int(counts[k])}×", (xs[k], ys[k]), xytext=(8, -10), textcoords="offset points",
                                fontsize=8, color="#742a2a", weight="bold", zorder=7, path_effects=halo)
        if game is not None:
            p = game.map.places.get(game.scenario.victory.airfield)
            if p is not None:
                x, y = to_xy(p.lat, p.lon)
                ax.plot(x, y, marker="*", ms=22, color="#2b6cb0", mec="white", mew=1.2, zorder=6, ls="none",
                        label=p.name_en if "airfield" in p.name_en.lower() else f"{p.name_en} airfield")
        ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
        _set_title(ax, f"Japanese high-water marks and end positions, {_campaigns(len(rows))}"
                       f"{' — ' + title if title else ''}")
        if self._base is None:
            return _save(self.fig, path)
        return self._save_over_base(path)

    def _save_over_base(self, path: Path) -> Path:
        """Draw the artists added since the base draw onto the canvas (as Axes.draw orders them:
        by z-order, stable) and write it as ``savefig`` would."""
        renderer = self.fig.canvas.get_renderer()
        added = [a for a in self.ax.get_children() if a not in self._base or a is self.ax.title]
        for a in sorted(added, key=lambda a: a.get_zorder()):
            if a.get_visible():
                a.draw(renderer)
        return _write_canvas(self.fig, path)


def plot_highwater(rows: list[dict], path: Path, game=None, title: str = "") -> Path:
    """The Japanese high-water marks and end positions over the map (see :class:`HighwaterMap`)."""
    return HighwaterMap(game).finish(rows, path, title)


CASUALTIES_FILE = "casualties.png"


def batch_title(summary: dict | None) -> str:
    """The figures' title: the batch's variant and players (from its summary.json)."""
    return f"{summary.get('variant', '')}, players {summary.get('players', '')}" if summary else ""


def make_plots(rows: list[dict], out_dir, game, summary: dict | None = None,
               highwater: HighwaterMap | None = None, casualties_drawn=None,
               outcomes: OutcomesFigure | None = None) -> list[Path]:
    """Write the three PNGs into ``out_dir``; return their paths.

    ``highwater`` is a :class:`HighwaterMap` of ``game`` made beforehand (its base map already
    drawn); without it one is made here; so is ``outcomes`` (an :class:`OutcomesFigure`).  ``casualties_drawn``, when given, waits for the
    casualties figure (the slowest of the three) drawn elsewhere into ``out_dir`` /
    :data:`CASUALTIES_FILE` with :func:`batch_title` (another process,
    engine/analysis/plot_process.py) and returns its path; without it the figure is drawn here.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    title = batch_title(summary)
    if casualties_drawn is None:
        def casualties_drawn():
            return plot_casualties(rows, out / CASUALTIES_FILE, game.scenario, title)
    outcomes_png = (outcomes or OutcomesFigure()).finish(rows, out / "outcomes.png", title)
    highwater_map = (highwater or HighwaterMap(game)).finish(rows, out / "map_highwater.png", title)
    return [outcomes_png, casualties_drawn(), highwater_map]
