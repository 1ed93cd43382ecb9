"""The batch plots drawn by a process of their own, started when the batch starts.

Importing matplotlib and drawing the map under the high-water marks take about as long as
the campaigns of a short batch (``xuefeng sim --runs 1``).  :class:`PlotProcess` forks a
process that does both while the campaigns are played; :meth:`PlotProcess.plot` then hands it
the rows and waits for the three PNGs, the same files :func:`engine.analysis.plots.make_plots`
writes in this process.  The casualties figure, the slowest, is drawn meanwhile by a fork of the
plotting process (:class:`ForkedDraw`): the batch's own process waits idle by then, so its
core draws it (when the machine's load leaves a core to spare, :func:`core_to_spare`; else the
plotting process draws it after the other two).  Both processes render their figures' frames (titles, bar names, x tick labels)
while they wait, and draw only the rest once the rows come.  An error there is raised here with its traceback, and the process
never outlives the batch.  Where processes cannot be forked, :func:`start_plot_process`
returns None and the caller draws the plots itself.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import threading
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

from ..map import hexmap  # noqa: F401 - before the fork: the map handed over unpickles without imports there


#: tick marks per (x, y) axis the casualties fork makes while it waits: its x axes use 8 or 9, its
#: y axes 3 for a batch of one run (more, up to ~10, for longer batches: made after the rows, which
#: matters little beside their campaigns; made before, they would cost a short batch ~20 ms)
CASUALTIES_TICKS = (9, 3)
#: and the plotting process for the outcomes figure (two or three bars; 3 run counts for one run)
OUTCOMES_TICKS = (3, 3)


class PlotProcessError(RuntimeError):
    """The plotting process stopped without writing the plots (e.g. killed)."""


class PlotSource(NamedTuple):
    """What the plots read of a game: its scenario and map (a Game has both)."""

    scenario: object
    map: object


def load_plot_source(scenario, variant: str | None) -> PlotSource:
    """The scenario (and variant) and its map, as ``Game.load`` reads them, without building the game."""
    from ..scenario.loader import load_scenario, scenario_map  # not the game's modules: they come after the fork

    scn = load_scenario(scenario, variant=variant)
    return PlotSource(scn, scenario_map(scn))


#: the scenario's casualty figures the casualties plot reads ([history] marks, [validation] bands)
CASUALTY_FIGURES = ("chinese_casualties", "japanese_battle_casualties", "japanese_sick")


def plot_facts(source) -> PlotSource:
    """What the plots read of ``source``'s scenario (a Game or :class:`PlotSource`), as plain data
    (the start line, the airfield, the casualty marks and bands), with its map.

    A plotting process forked before the scenario is read gets this: unpickling it imports none
    of the scenario's (pydantic) models, which would cost that process ~0.15 s of CPU.
    """
    scn, ns = source.scenario, SimpleNamespace
    h, v = scn.history, scn.validation
    plain = ns(victory=ns(start_line=[list(p) for p in scn.victory.start_line], airfield=scn.victory.airfield),
               history=ns(**{k: [ns(value=f.value, label=f.label) for f in getattr(h, k)] for k in CASUALTY_FIGURES}),
               validation=ns(**{k: ns(low=getattr(v, k).low, high=getattr(v, k).high) for k in CASUALTY_FIGURES}))
    return PlotSource(plain, source.map)


def _no_property_list(artist) -> str:
    """What :func:`matplotlib.artist.kwdoc` returns in the plotting process (see :func:`skip_property_docs`)."""
    return "Properties: not listed in xuefeng's plotting process (see matplotlib.artist.kwdoc)."


def skip_property_docs() -> None:
    """Have matplotlib, imported next in this process, not build its artists' property docs.

    Every Artist subclass matplotlib defines builds, as it is defined, a docstring listing its
    settable properties (:func:`matplotlib.artist.kwdoc`, also behind the ``%(Name:kwdoc)s``
    substitutions): it reads every setter's docstring, ~0.1 s of the ~0.4 s CPU of importing
    matplotlib.  The plotting process never shows a docstring, so there kwdoc, a public function
    looked up when it is called, returns a one-line note instead; nothing else changes (the
    ``set()`` signatures are built as before).  Only this forked process is affected.
    """
    import matplotlib.artist

    matplotlib.artist.kwdoc = _no_property_list


def _answer_error(conn, exc: BaseException) -> None:
    """Send ``exc`` and its traceback down ``conn`` (the receiver raises it)."""
    tb = traceback.format_exc()
    try:
        conn.send(("error", exc, tb))
    except Exception:  # e.g. an exception that cannot be pickled: its traceback says it all
        conn.send(("error", None, tb))


def _raise_answer(answer, where: str):
    """The result in ``answer`` (from :func:`_answer_error` or ``("ok", result)``), or its error raised."""
    if answer[0] == "ok":
        return answer[1]
    _, exc, tb = answer
    if exc is None:
        raise PlotProcessError(f"drawing the plots failed ({where}):\n{tb}")
    exc.add_note(f"({where})\n{tb}")
    raise exc


class ForkedDraw:
    """A fork of this process that first calls ``make_draw()`` (the work that needs no
    arguments, done while it waits for them), then waits for arguments, calls the function
    ``make_draw`` returned with them and sends back what it returned (or raised).  It ends after
    one call, or when this process closes the pipe.

    ``os.fork``, not multiprocessing: the plotting process is a daemon, which multiprocessing
    forbids to have children.  ``close_in_child`` are connections the fork must not hold open
    (so that this process's death is still seen as an end of file by its other peers).
    """

    def __init__(self, make_draw, close_in_child=()):
        self._conn, child = mp.Pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the fork: answer once, then leave without running any exit handler
            status = 0
            try:
                self._conn.close()
                for c in close_in_child:
                    c.close()
                draw = make_draw()
                args = child.recv()
                child.send(("ok", draw(*args)))
            except EOFError:  # the plotting process went away: nothing to draw
                status = 1
            except BaseException as exc:
                status = 1
                try:
                    _answer_error(child, exc)
                except BaseException:
                    pass
            finally:
                os._exit(status)
        child.close()

    def start(self, *args):
        """Have the fork call its function with ``args``; returns a function that waits for the
        result (raising what the fork raised, or :class:`PlotProcessError` if it died)."""
        try:
            self._conn.send(args)
        except OSError:
            pass  # it already stopped: its answer (an error) or its death is read below

        def result():
            try:
                answer = self._conn.recv()
            except (EOFError, ConnectionError):
                raise PlotProcessError("the fork drawing a plot stopped without an answer") from None
            finally:
                self.close()
            return _raise_answer(answer, "in a fork of the plotting process")

        return result

    def close(self) -> None:
        """Close the pipe (an unused fork then ends) and reap the fork."""
        if self._pid is None:
            return
        self._conn.close()
        os.waitpid(self._pid, 0)
        self._pid = None


class _PipeThread(threading.Thread):
    """A daemon thread doing one thing with a pipe (:meth:`_work`) while this process goes on;
    :meth:`wait` joins it and returns what the work returned, or raises what it raised, in the
    waiting thread."""

    def __init__(self, name: str):
        super().__init__(name=name, daemon=True)
        self._got = self._error = None

    def _work(self):
        raise NotImplementedError

    def run(self) -> None:
        try:
            self._got = self._work()
        except BaseException as exc:  # raised by wait(), in the process's own thread
            self._error = exc

    def wait(self):
        """What the work returned (or the error it raised)."""
        self.join()
        if self._error is not None:
            raise self._error
        return self._got


class _Receiving(_PipeThread):
    """Receives the first thing sent down ``conn`` while this process goes on (importing
    matplotlib): the sender is not held up.  A pipe holds 64 KiB and the scenario's map is
    ~320 KiB, so a send the receiver does not read at once waits; the batch's process would
    wait so for the plotting process's imports (~0.2 s) before building its game."""

    def __init__(self, conn):
        super().__init__("xuefeng-plots-source")
        self._conn = conn
        self.start()

    def _work(self):
        return self._conn.recv()


class DrawnHere:
    """What :class:`ForkedDraw` does, in this process: ``make_draw()`` now, its function when
    the function :meth:`start` returns is called (then, in the caller's thread)."""

    def __init__(self, make_draw):
        self._draw = make_draw()

    def start(self, *args):
        """A function that draws with ``args`` and returns what the drawing returned."""
        return lambda: self._draw(*args)

    def close(self) -> None:
        """Nothing to end (as :meth:`ForkedDraw.close`)."""


def core_to_spare() -> bool:
    """Whether the machine's load leaves about a core idle for a third process, the casualties
    fork, beside the batch's own process and the plotting process: its load average over the last
    minute is below the number of cores plus a half (True where it cannot be read).

    Measured on the 2-core development machine (``sim --runs 1``, interleaved pairs, 40 in all):
    at load averages of 3-5 (other processes running) the fork cost ~0.05 s CPU (its copy-on-write
    faults, its own set-up) and the batch 0.03-0.1 s wall.  With a core idle it draws the slowest
    figure beside the other two once the rows come: estimated ~75 ms less wall (the casualties'
    finish is ~45% of the drawing left then).  Back-to-back one-run batches alone keep the load
    average below ~2 on two cores.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:
        return True
    return load < (os.cpu_count() or 1) + 0.5


class _BatchReceiver(_PipeThread):
    """Waits for the batch (rows, folder, summary) while the plotting process draws the base
    map, and hands it to the casualties fork the moment it comes: the slowest figure then starts
    at once, not after the base map.  (Waiting on a pipe holds no lock: the drawing goes on.)
    :meth:`wait` returns the batch and the function that waits for its casualties figure."""

    def __init__(self, conn, casualties: ForkedDraw | DrawnHere):
        super().__init__("xuefeng-plots-batch")
        self._conn, self._casualties = conn, casualties

    def _work(self):
        from .plots import CASUALTIES_FILE, batch_title

        rows, out_dir, summary = batch = self._conn.recv()
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)  # the fork writes into it
        return batch, self._casualties.start(rows, out / CASUALTIES_FILE, batch_title(summary))


def _serve(conn, source, init) -> None:
    """The plotting process: import matplotlib, get the game's map and scenario (``source``, or
    a function that loads them, or None: the first thing sent down ``conn``, taken by a
    :class:`_Receiving` thread meanwhile), fork the casualties figure's drawer (with a core to
    spare, :func:`core_to_spare`; else it is drawn here, last), draw the base
    map (meanwhile the batch, when it comes, goes to the casualties fork at once), then plot
    the rest.

    It never collects garbage (nor does its fork): it lives for one batch's plots, and the
    collector would mostly traverse matplotlib's modules again and again while they import
    (see :func:`engine.analysis.sim.collection_paused`); its memory goes back at its end.
    """
    gc.disable()
    init()
    casualties = None
    try:
        given = _Receiving(conn) if source is None else None
        skip_property_docs()
        from .plots import CasualtiesFigure, HighwaterMap, OutcomesFigure, make_plots

        game = given.wait() if given is not None else source() if callable(source) else source

        def casualties_drawer():  # in the fork (or here): its frames drawn first, and ticks made
            return CasualtiesFigure(game.scenario, ticks=CASUALTIES_TICKS, predraw=True).finish

        if core_to_spare():
            casualties = ForkedDraw(casualties_drawer, close_in_child=(conn,))
        else:  # drawn after the other two: a third process would only slow the batch
            casualties = DrawnHere(casualties_drawer)
        batch = _BatchReceiver(conn, casualties)
        batch.start()  # after the fork: a fork never copies a thread
        highwater = HighwaterMap(game)
        outcomes = OutcomesFigure(ticks=OUTCOMES_TICKS, predraw=True)
        (rows, out_dir, summary), casualties_drawn = batch.wait()
        conn.send(("ok", make_plots(rows, out_dir, game, summary, highwater=highwater,
                                    casualties_drawn=casualties_drawn, outcomes=outcomes)))
    except BaseException as exc:  # sent to the batch, which raises it
        _answer_error(conn, exc)
    finally:
        if casualties is not None:
            casualties.close()
        conn.close()


class PlotProcess:
    """A forked process that gets matplotlib and the base map ready, then draws one batch's plots."""

    def __init__(self, game=None, init=lambda: None):
        """Fork the process for the plots of ``game`` (a Game or PlotSource, or a function that
        loads one there, or None: handed over by :meth:`give` while the process imports
        matplotlib); it first calls ``init`` (e.g. signal set-up)."""
        ctx = mp.get_context("fork")  # the child inherits its arguments: nothing is pickled
        self._conn, child = ctx.Pipe()
        self._out_dir = None
        self._proc = ctx.Process(target=_serve, args=(child, game, init),
                                 name="xuefeng-plots", daemon=True)
        self._proc.start()
        child.close()  # so a dead child is an EOF here, not a hang

    def give(self, source) -> None:
        """Hand a process started without a game the scenario and map to plot (a Game or
        :class:`PlotSource`), as :func:`plot_facts`."""
        try:
            self._conn.send(plot_facts(source))
        except OSError:
            pass  # it already stopped: its answer (an error) or its death is read by wait()

    def plot(self, rows: list[dict], out_dir, summary: dict | None) -> list[Path]:
        """Have the process write the PNGs of ``rows`` into ``out_dir``; their paths.

        Raises what the drawing raised (its traceback attached as a note), or
        :class:`PlotProcessError` when the process died without an answer.
        """
        self.send(rows, out_dir, summary)
        return self.wait()

    def send(self, rows: list[dict], out_dir, summary: dict | None) -> None:
        """Hand the process the batch to draw (:meth:`wait` then waits for the PNGs)."""
        self._out_dir = out_dir
        try:
            self._conn.send((rows, Path(out_dir), summary))
        except OSError:
            pass  # it already stopped: its answer (an error) or its death is read by wait()

    def wait(self) -> list[Path]:
        """The paths of the PNGs of the batch :meth:`send` handed over (errors: see :meth:`plot`)."""
        try:
            answer = self._conn.recv()
        except (EOFError, ConnectionError):  # it died
            self._proc.join()
            raise PlotProcessError(f"the plotting process stopped (exit code {self._proc.exitcode}) "
                                   f"before writing the plots to {self._out_dir}") from None
        finally:
            self._proc.join(timeout=10)  # it ends once it has answered
            self.close()
        return _raise_answer(answer, "in the plotting process")

    def close(self) -> None:
        """Stop the process if it still runs (no plots wanted, or the batch failed) and reap it."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._conn.close()


def start_plot_process(game=None, init=lambda: None) -> PlotProcess | None:
    """A started :class:`PlotProcess` (``game`` as there), or None where processes cannot be forked."""
    if "fork" not in mp.get_all_start_methods():
        return None
    return PlotProcess(game, init)
