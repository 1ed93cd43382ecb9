"""Headless Monte-Carlo batches: many whole campaigns, AI versus AI.

    xuefeng sim --runs 1000 --seed 7 --jobs 0 --out out/sim

writes ``runs.csv`` (one row per campaign), ``turns.jsonl`` (one line per campaign per turn),
``summary.json`` (outcome counts, medians and 10th/90th percentiles, timing) and PNG plots.

Reproducibility: run *i*'s seed comes from ``numpy.random.SeedSequence(seed)``'s *i*-th child,
so it depends on neither the number of runs nor the number of workers, and results are
written in run order: the same ``--seed`` gives a byte-identical ``runs.csv`` whatever
``--jobs`` (or ``--scheduler``) is.  Wall-clock timing goes to ``summary.json`` only.

Parallelism: local worker processes (``concurrent.futures.ProcessPoolExecutor``) or, with
``--scheduler ADDRESS``, a Dask distributed cluster through its concurrent.futures executor.
Each worker builds the (immutable) :class:`engine.core.game.Game` once and reuses it for every
campaign it plays.  Ctrl-C cancels pending work and writes the campaigns finished so far.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import gc
import io
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

# ------------------------------------------------------------------------------- columns
REQUIRED_COLUMNS = (
    "run", "seed", "winner", "zhijiang_held", "japanese_closest_km_to_zhijiang",
    "japanese_max_penetration_km", "japanese_killed", "japanese_wounded", "japanese_captured",
    "japanese_sick", "chinese_killed", "chinese_wounded", "chinese_missing", "end_date",
)
EXTRA_COLUMNS = (
    "variant", "airfield_status", "japanese_final_penetration_km", "japanese_battle_casualties",
    "chinese_casualties", "chinese_sick", "turns", "highwater_km", "highwater_lat", "highwater_lon",
)
COLUMNS = REQUIRED_COLUMNS + EXTRA_COLUMNS
NON_NUMERIC = {"run", "seed", "winner", "zhijiang_held", "end_date", "variant", "airfield_status"}
NUMERIC_COLUMNS = tuple(c for c in COLUMNS if c not in NON_NUMERIC)

CHINESE_KIND = {"killed": "killed", "wounded": "wounded", "captured": "missing", "sick": "sick"}
JAPANESE_BATTLE_KINDS = ("killed", "wounded", "captured")
CHINESE_CASUALTY_KINDS = ("killed", "wounded", "missing")


# ------------------------------------------------------------------------------- seeds
def run_seed(batch_seed: int, run_index: int) -> int:
    """The seed of run ``run_index``: the SeedSequence child, independent of runs and jobs.

    Equal to ``SeedSequence(batch_seed).spawn(n)[run_index]`` for any n > run_index.
    """
    child = np.random.SeedSequence(int(batch_seed), spawn_key=(int(run_index),))
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))  # 63 bits


def run_seeds(batch_seed: int, runs: int) -> list[int]:
    """Seeds of runs 0..runs-1 (see :func:`run_seed`)."""
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
            for c in np.random.SeedSequence(int(batch_seed)).spawn(int(runs))]


def _side_seed(seed: int, side: str) -> int:
    k = 0 if side == "japan" else 1
    return int(np.random.SeedSequence([int(seed), k]).generate_state(1, dtype=np.uint32)[0])


# ----------------------------------------------------------------------------- players
def players_for(kind: str, run_seed: int) -> dict:
    """The two players of one run: the operational AIs (``"ai"``) or the random legal players.

    Each side's player gets its own seed derived from the run's seed.
    """
    from ..ai import make_player
    from ..ai.random_player import RandomPlayer

    if kind == "ai":
        return {s: make_player(s, _side_seed(run_seed, s)) for s in ("japan", "china")}
    if kind == "random":
        return {s: RandomPlayer(_side_seed(run_seed, s)) for s in ("japan", "china")}
    raise ValueError(f"players: expected 'ai' or 'random', got {kind!r}")


# ---------------------------------------------------------------------------- the game
_GAMES: dict = {}
_STORED_FIELDS: dict = {}  # (scenario, variant) -> the target hexes whose fields came from the field store


@contextlib.contextmanager
def collection_paused(freeze: bool = False):
    """No automatic garbage collection in the block (as it was after it).

    A batch's start-up (the engine's and scipy's imports, the scenario, the game's tables)
    allocates hundreds of thousands of objects that all stay alive: the collector, triggered
    every 700 allocations, traverses them again and again for nothing (about a tenth of the
    start-up's CPU).  Objects are still freed when their last reference goes; the campaigns
    run with the collector as it was.

    With ``freeze`` everything alive at the block's end goes out of the collector's sight
    (:func:`gc.freeze`): otherwise the first campaign's collections would traverse all of it
    once more (still uncollected when the block ends; ~30 ms of a one-run batch), and so would
    each forked worker's, dirtying the pages it shares with this process.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_on:
            gc.enable()


def get_game(scenario: str, variant: str | None = None, source=None):
    """The process-wide cached Game for (scenario, variant): built once per worker, with the
    one-target fields an earlier process kept for its map (:mod:`engine.analysis.field_store`).

    ``source`` (a :class:`~engine.analysis.plot_process.PlotSource` or Game of that scenario and
    variant, already read) saves reading the scenario and map again.
    """
    key = (str(scenario), variant or None)
    g = _GAMES.get(key)
    if g is None:
        from ..core.game import Game
        from .field_store import load_fields

        if source is None:
            g = Game.load(scenario, variant=variant or None)
        else:  # what Game.load builds from the same two files
            g = Game(source.scenario, source.map)
        _STORED_FIELDS[key] = load_fields(g)
        _GAMES[key] = g
    return g


def stored_fields(scenario: str, variant: str | None = None) -> int:
    """How many one-target fields this process's game of (scenario, variant) was given from the
    field store when it was built (0: none kept for this map and search code, or not built yet)."""
    return len(_STORED_FIELDS.get((str(scenario), variant or None), ()))


def keep_fields(scenario: str, variant: str | None = None) -> None:
    """Keep the one-target fields this process's game of (scenario, variant) made for the next
    process (:func:`engine.analysis.field_store.save_fields`), if it made any."""
    key = (str(scenario), variant or None)
    g = _GAMES.get(key)
    if g is not None:
        from .field_store import save_fields

        save_fields(g, _STORED_FIELDS.get(key, frozenset()))


def forget_game(scenario: str, variant: str | None = None) -> None:
    """Drop the cached Game for (scenario, variant), e.g. an edited scratch copy used once."""
    _GAMES.pop((str(scenario), variant or None), None)
    _STORED_FIELDS.pop((str(scenario), variant or None), None)


def _r1(x) -> float:
    return round(float(x), 1)


def _date_str(d) -> str:
    return d.isoformat() if hasattr(d, "isoformat") else str(d)


def _unit_records(state) -> list[dict]:
    game = state.game
    m = game.map
    defs = game.units
    out = []
    for u in state.units:
        if u.status != "active" or u.hex < 0:
            continue
        out.append({
            "id": u.id, "name": defs[game.unit_index[u.id]].name, "side": u.side,
            "lat": round(float(m.lat[u.hex]), 4), "lon": round(float(m.lon[u.hex]), 4),
            "men": int(u.men), "start_men": int(u.start_men),
        })
    return out


def _loss_record(state) -> dict:
    jp = {k: int(v) for k, v in state.losses["japan"].items()}
    cn = {CHINESE_KIND.get(k, k): int(v) for k, v in state.losses["china"].items()}
    return {"japan": jp, "china": cn}


class _Tracker:
    """Per-turn callback: Japanese high-water mark and changes of control (always), turn
    records (optional)."""

    def __init__(self, state, run_index: int, with_turns: bool):
        self.run = run_index
        self.with_turns = with_turns
        self.turns: list[dict] = []
        self.hw_km = -np.inf
        self.hw_hex = -1
        self._west = state.game.west_of_line_km
        self._control = dict(state.control)
        self.control_changes: dict[str, list[list[str]]] = {}  # place -> [[last day of the turn, new holder], ...]
        self._highwater(state)

    def _highwater(self, state) -> None:
        west = self._west
        for u in state.units:
            if u.side == "japan" and u.status == "active" and u.hex >= 0:
                w = west[u.hex]
                if w > self.hw_km:
                    self.hw_km, self.hw_hex = float(w), int(u.hex)

    def __call__(self, state) -> None:
        self._highwater(state)
        game = state.game
        # play_game calls us once the next turn has begun (or the game is over)
        done = state.turn if state.is_over else state.turn - 1
        last_day = game.date_of(done) + dt.timedelta(days=game.days_per_turn - 1)  # the turn's last day
        for k, side in state.control.items():
            if self._control.get(k) != side:
                self.control_changes.setdefault(k, []).append([_date_str(last_day), side])
        self._control = dict(state.control)
        if not self.with_turns:
            return
        self.turns.append({
            "run": self.run, "turn": int(done), "date": _date_str(last_day),
            "control": {k: state.control[k] for k in sorted(state.control)},
            "units": _unit_records(state),
            "losses": _loss_record(state),
        })


def row_from_result(res, run_index: int, seed: int, variant: str | None, highwater=None) -> dict:
    """One runs.csv row from an :class:`engine.api.Result` (floats rounded to 0.1)."""
    jp = res.losses.get("japan", {})
    cn = res.losses.get("china", {})
    g = lambda d, k: int(d.get(k, 0))  # noqa: E731
    row = {
        "run": int(run_index), "seed": int(seed), "winner": res.winner or "",
        "zhijiang_held": bool(res.zhijiang_held),
        "japanese_closest_km_to_zhijiang": _r1(res.closest_km),
        "japanese_max_penetration_km": _r1(res.max_penetration_km),
        "japanese_killed": g(jp, "killed"), "japanese_wounded": g(jp, "wounded"),
        "japanese_captured": g(jp, "captured"), "japanese_sick": g(jp, "sick"),
        "chinese_killed": g(cn, "killed"), "chinese_wounded": g(cn, "wounded"),
        "chinese_missing": g(cn, "captured"), "end_date": str(res.end_date),
        "variant": variant or "historical", "airfield_status": res.airfield_status,
        "japanese_final_penetration_km": _r1(res.final_penetration_km),
        "japanese_battle_casualties": sum(g(jp, k) for k in JAPANESE_BATTLE_KINDS),
        "chinese_casualties": g(cn, "killed") + g(cn, "wounded") + g(cn, "captured"),
        "chinese_sick": g(cn, "sick"), "turns": int(res.turns),
        "highwater_km": None, "highwater_lat": None, "highwater_lon": None,
        # not in COLUMNS: written as the last column, so the columns before it stay as they were
        "victory_level": res.level,
    }
    if highwater is not None:
        km, lat, lon = highwater
        row["highwater_km"], row["highwater_lat"], row["highwater_lon"] = _r1(km), round(lat, 4), round(lon, 4)
    return row


def run_one(scenario: str, variant: str | None, run_index: int, seed: int, players="ai",
            with_turns: bool = True, save_text: str | None = None,
            with_orders: bool = False) -> tuple[dict, list[dict]]:
    """Play one whole campaign headless; return (runs.csv row, per-turn records).

    ``players`` is "ai", "random" or a ready {side: player} dict.  With ``save_text`` (a
    saved game's JSON) the run is a continuation of that game from where it was saved, its
    chance stream seeded with ``seed`` (:func:`engine.core.play.branch`).  The row also carries
    private keys (``_seconds``, ``_japan_end``: Japanese end positions as [lat, lon]) that
    :func:`run_batch` strips before writing runs.csv; with ``with_orders`` also ``_orders``,
    the run's orders file (:mod:`engine.analysis.orders`).
    """
    from ..core.players import play_game

    t0 = time.perf_counter()
    game = get_game(scenario, variant)
    if save_text is None:
        state = game.new_initial_state(int(seed))
    else:
        from ..core.persistence import state_from_json
        from ..core.play import branch

        state = state_from_json(game, save_text)
        branch(state, int(seed))
    pl = players_for(players, seed) if isinstance(players, str) else players
    tracker = _Tracker(state, run_index, with_turns)
    res = play_game(state, pl, on_turn_end=tracker)
    m = game.map
    hw = None
    if tracker.hw_hex >= 0:
        hw = (tracker.hw_km, float(m.lat[tracker.hw_hex]), float(m.lon[tracker.hw_hex]))
    row = row_from_result(res, run_index, seed, variant, hw)
    row["_japan_end"] = [[round(float(m.lat[u.hex]), 4), round(float(m.lon[u.hex]), 4)]
                         for u in state.units if u.side == "japan" and u.status == "active" and u.hex >= 0]
    row["_control_changes"] = tracker.control_changes
    if with_orders:
        from .orders import orders_text

        row["_orders"] = orders_text(state, run_index)
    row["_seconds"] = time.perf_counter() - t0
    return row, tracker.turns


# ------------------------------------------------------------------------- worker side
class RunFailed(RuntimeError):
    """A campaign raised; the message names run, seed and variant and holds the traceback."""


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _worker_init(parent_pid: int | None = None) -> None:
    """Local workers ignore Ctrl-C and SIGTERM sent to the whole process group (the parent
    decides what to cancel, and kills them) and die with their parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
        except (OSError, AttributeError):  # pragma: no cover - an unusual libc
            pass
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent died before we could ask to follow it


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


class _SignalsDeferred:
    """Hold Ctrl-C and SIGTERM while the block runs.

    With ``reraise`` a signal that came meanwhile stops the batch right after the block
    (KeyboardInterrupt); without, it is ignored (the batch is already stopping).  Handlers are
    swapped rather than the signal mask, since any thread may receive the signal.
    """

    def __init__(self, reraise: bool = True):
        self.reraise = reraise
        self.caught = None

    def _hold(self, signum, frame) -> None:
        self.caught = signum

    def __enter__(self):
        self.on = _in_main_thread()
        if self.on:
            self.old = {s: signal.signal(s, self._hold) for s in _STOP_SIGNALS}
        return self

    def __exit__(self, exc_type, *exc):
        if self.on:
            for s, h in self.old.items():
                signal.signal(s, h)
            if self.reraise and self.caught is not None and exc_type is None:
                raise KeyboardInterrupt(f"signal {self.caught}")
        return False


def _sigterm_interrupts():
    """In the main thread, make SIGTERM stop a batch as Ctrl-C does; returns the old handler."""
    if not _in_main_thread():
        return None

    def stop(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    return signal.signal(signal.SIGTERM, stop)


#: the files one batch writes into its output folder (plots: engine/analysis/plots.py)
BATCH_FILES = ("runs.csv", "turns.jsonl", "summary.json", "outcomes.png", "casualties.png", "map_highwater.png")


def prepare_out_dir(out: Path) -> None:
    """Make ``out`` ready for a new batch: a writable folder without an older batch's files.

    Raises :class:`engine.userfiles.UserFileError` (naming the folder) when it cannot be used.
    """
    from ..userfiles import UserFileError

    if out.exists() and not out.is_dir():
        raise UserFileError(f"{out}: --out names a file (expected a folder for runs.csv, turns.jsonl, ...)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserFileError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserFileError(f"{out}: the output folder is not writable")
    for name in BATCH_FILES:  # an older batch's files must not sit beside this one's
        p = out / name
        if p.is_dir():
            raise UserFileError(f"{p}: a folder is in the way of a batch file")
        try:
            p.unlink(missing_ok=True)
        except OSError as exc:
            raise UserFileError(f"{p}: cannot remove the older batch's file ({exc.strerror or exc})") from None


def _turn_lines(turns: list[dict]) -> str:
    return "".join(json.dumps(t, separators=(",", ":"), ensure_ascii=False) + "\n" for t in turns)


def _task(scenario, variant, run_index, seed, players, with_turns, save_text=None, with_orders=False,
          compiled_paths=False):
    """What a worker runs: one campaign, turn records already serialised (cheap to send back).
    ``compiled_paths`` switches the worker to the compiled shortest-path kernels (for good)."""
    if compiled_paths:
        from ..map import shortest_paths

        if not shortest_paths.compiled():
            shortest_paths.use_compiled(True)  # raises, naming the reason, if numba is unusable
    try:
        row, turns = run_one(scenario, variant, run_index, seed, players, with_turns, save_text, with_orders)
    except Exception:  # name the run so it can be replayed: the remote traceback may be lost on the way back
        import traceback

        raise RunFailed(f"run {run_index} (seed {seed}, variant {variant or 'historical'}, players {players}) "
                        f"failed:\n{traceback.format_exc()}") from None
    return row, (_turn_lines(turns) if with_turns else "")


# ----------------------------------------------------------------------------- writing
def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)  # values are pre-rounded; repr is the shortest exact form
    return str(v)


def public_row(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def write_runs_csv(path: Path, rows: Iterable[dict]) -> None:
    """runs.csv: the required columns first, then the extras, in run order."""
    rows = sorted(rows, key=lambda r: r["run"])
    extra = sorted({k for r in rows for k in public_row(r)} - set(COLUMNS))
    cols = list(COLUMNS) + extra
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_fmt(r.get(c)) for c in cols])
    from ..atomic_file import write_atomic

    write_atomic(path, buf.getvalue(), durable=False)  # replaced whole, not fsynced: the seed makes it again


def read_runs_csv(path: Path) -> list[dict]:
    """Read runs.csv back with numbers as numbers and booleans as bool."""
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            row = {}
            for k, v in rec.items():
                if k in ("winner", "end_date", "variant", "airfield_status"):
                    row[k] = v
                elif k == "zhijiang_held":
                    row[k] = v == "true"
                elif v == "":
                    row[k] = None
                else:
                    try:
                        row[k] = int(v)
                    except ValueError:
                        try:
                            row[k] = float(v)
                        except ValueError:
                            row[k] = v
            out.append(row)
    return out


def describe(values) -> dict | None:
    """Median, 10th and 90th percentiles (and mean, min, max) of a numeric column."""
    a = np.asarray([v for v in values if v is not None], dtype=float)
    if a.size == 0:
        return None
    p10, med, p90 = np.percentile(a, [10, 50, 90])
    return {"median": round(float(med), 1), "p10": round(float(p10), 1), "p90": round(float(p90), 1),
            "mean": round(float(a.mean()), 1), "min": round(float(a.min()), 1), "max": round(float(a.max()), 1)}


def _counts(values) -> dict:
    out: dict = {}
    for v in values:
        key = str(v).lower() if isinstance(v, bool) else str(v)
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


def batch_facts(rows: list[dict], *, scenario, variant, runs_requested, seed, players, interrupted=False) -> dict:
    """What the batch was (the head of summary.json): all its plots read of the summary."""
    return {
        "scenario": str(scenario), "variant": variant or "historical",
        "runs": len(rows), "runs_requested": int(runs_requested), "interrupted": bool(interrupted),
        "seed": int(seed), "players": players if isinstance(players, str) else "custom",
    }


def summarise(rows: list[dict], *, scenario, variant, runs_requested, seed, players, seconds, jobs,
              interrupted=False) -> dict:
    """The summary.json content: :func:`batch_facts`, then the outcomes, statistics and timing."""
    rows = sorted(rows, key=lambda r: r["run"])
    n = len(rows)
    per_run = [r["_seconds"] for r in rows if "_seconds" in r]
    return {
        **batch_facts(rows, scenario=scenario, variant=variant, runs_requested=runs_requested, seed=seed,
                      players=players, interrupted=interrupted),
        "outcomes": {
            "winner": _counts(r["winner"] for r in rows),
            "airfield_status": _counts(r["airfield_status"] for r in rows),
            "zhijiang_held": _counts(r["zhijiang_held"] for r in rows),
            "victory_level": _counts(r["victory_level"] for r in rows if "victory_level" in r),
        },
        "stats": {c: describe(r.get(c) for r in rows) for c in NUMERIC_COLUMNS},
        "timing": {
            "seconds": round(seconds, 3), "jobs": jobs,
            "campaigns_per_s": round(n / seconds, 3) if seconds > 0 else None,
            "median_campaign_s": round(float(np.median(per_run)), 4) if per_run else None,
        },
    }


# ------------------------------------------------------------------------------ batch
class _Ordered:
    """Collects results as they come and streams turns.jsonl in run order."""

    def __init__(self, turns_file):
        self.rows: dict[int, dict] = {}
        self.lines: dict[int, str] = {}
        self.f = turns_file
        self.next = 0

    def add(self, row: dict, lines: str) -> None:
        i = row["run"]
        self.rows[i] = row
        if self.f is not None:
            self.lines[i] = lines
            while self.next in self.lines:
                self._write(self.lines.pop(self.next))
                self.next += 1

    def _write(self, text: str) -> None:
        try:
            self.f.write(text)
        except OSError as exc:  # disk full: name the file
            raise OSError(exc.errno, exc.strerror or str(exc), self.f.name) from None

    def flush_rest(self) -> None:
        """After an interruption: write the finished runs that are not contiguous, in order."""
        if self.f is not None:
            for i in sorted(self.lines):
                self._write(self.lines.pop(i))


def _make_progress(enabled: bool):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=False)


def run_batch(scenario: str = "west_hunan_1945", runs: int = 100, seed: int = 0, out_dir=None, jobs: int = 0,
              variant: str | None = None, players: str = "ai", with_turns: bool = True, plots: bool = True,
              scheduler: str | None = None, progress: bool = False, on_result: Callable | None = None,
              from_save: str | Path | None = None, with_orders: bool = False,
              compiled_paths: bool = False, while_plotting: Callable | None = None) -> dict:
    """Play ``runs`` campaigns and (if ``out_dir``) write runs.csv, turns.jsonl, summary.json, PNGs.

    With ``from_save`` every run continues that saved game (its scenario and variant) from
    where it was saved, each with its own seeded chance stream: "what happens from here".
    A save that cannot be read, or whose game is over, raises ValueError naming the file.
    With ``with_orders`` (and ``out_dir``) each run's seed and orders go to
    ``orders/run_N.json`` so ``xuefeng play --replay`` can rebuild it.

    With ``compiled_paths`` every worker searches paths with the numba kernels
    (:func:`engine.map.shortest_paths.use_compiled`: the same fields, less CPU, more memory);
    :class:`~engine.map.shortest_paths.CompiledPathsUnavailable` if numba is not installed.

    ``while_plotting()`` is called in this process once the runs are done, while the plotting
    process draws (e.g. to import what the command then prints with).

    Returns {"rows": rows in run order (with private ``_`` keys), "summary": dict,
    "interrupted": bool, "out_dir": Path | None}.  ``jobs=0`` means all cores; with
    ``scheduler`` the tasks go to that Dask cluster instead of local processes.
    """
    if compiled_paths:
        from ..map.shortest_paths import require_compiled

        require_compiled()  # before any work: a missing numba is said once, not by every worker
    save_text = None
    if from_save is not None:
        from ..core.persistence import load_game

        saved_game, saved = load_game(from_save)
        if saved.is_over:
            from ..userfiles import UserFileError

            raise UserFileError(f"{from_save}: the saved game is over (turn {saved.turn}): nothing to continue")
        scenario, variant = saved_game.scenario.meta.id, saved_game.scenario.variant
        _GAMES[(str(scenario), variant or None)] = saved_game
        save_text = saved.to_json()
    runs = int(runs)
    jobs = int(jobs) or (os.cpu_count() or 1)
    jobs = max(1, min(jobs, runs)) if runs > 0 else 1
    seeds = run_seeds(seed, runs)
    out = Path(out_dir) if out_dir is not None else None
    want_turns = with_turns and out is not None
    want_orders = with_orders and out is not None
    # Another process imports matplotlib and draws the base map while the scenario is read, the
    # game is built and the campaigns run.  It ignores the Ctrl-C and SIGTERM sent to the group
    # (the batch stops it) and dies with us.  It is forked first, and gets the scenario's facts
    # and map it plots (plain data: it never imports the scenario's models) once they are read
    # here; the rest of the engine's imports, scipy's and the game's tables come after.
    plotter = source = None
    try:
        with collection_paused(freeze=True):
            if out is not None and plots and runs > 0:
                from .plot_process import load_plot_source, start_plot_process

                plotter = start_plot_process(None, functools.partial(_worker_init, os.getpid()))
                source = _GAMES.get((str(scenario), variant or None)) or load_plot_source(scenario, variant or None)
                if plotter is not None:
                    plotter.give(source)
            # Build the game here first: errors surface once, and forked workers inherit it.
            if scheduler is None:
                get_game(scenario, variant, source)
        if out is not None:
            prepare_out_dir(out)
            from .orders import ORDERS_DIR

            for stale_orders in (out / ORDERS_DIR).glob("run_*.json"):  # they would replay the wrong runs
                stale_orders.unlink()
            if want_orders:
                (out / ORDERS_DIR).mkdir(exist_ok=True)
        return _run_and_write(scenario, variant, runs, seed, out, jobs, players, want_turns, want_orders, plots,
                              scheduler, progress, on_result, from_save, saved if from_save is not None else None,
                              save_text, seeds, plotter, compiled_paths, while_plotting)
    finally:
        if plotter is not None:
            plotter.close()


def _run_and_write(scenario, variant, runs, seed, out, jobs, players, want_turns, want_orders, plots, scheduler,
                   progress, on_result, from_save, saved, save_text, seeds, plotter, compiled_paths,
                   while_plotting=None) -> dict:
    """Play the runs (here or on workers), then write the batch's files (see :func:`run_batch`)."""
    turns_f = open(out / "turns.jsonl", "w", encoding="utf-8", newline="\n") if want_turns else None
    coll = _Ordered(turns_f)
    interrupted = False
    failure: Exception | None = None
    prog = _make_progress(progress)
    label = f"{Path(str(scenario)).name}{' / ' + variant if variant else ''}"
    t0 = time.perf_counter()
    task_id = None

    def start():  # called once work is submitted, so forked workers never inherit the bar's thread
        nonlocal task_id
        if prog is not None:
            prog.start()
            task_id = prog.add_task(label, total=runs)

    def done(row, lines):
        with _SignalsDeferred():  # a run is recorded whole (row, turn lines, orders) or not at all
            text = row.pop("_orders", None)
            if text is not None:
                from .orders import orders_path

                orders_path(out, row["run"]).write_text(text, encoding="utf-8")
            coll.add(row, lines)
        if prog is not None:
            prog.advance(task_id)
        if on_result is not None:
            on_result(row)

    old_term = _sigterm_interrupts()
    try:
        try:
            if scheduler is None and jobs == 1:
                from ..map.shortest_paths import compiled_while

                start()
                with compiled_while(compiled_paths):
                    for i, s in enumerate(seeds):
                        done(*_task(scenario, variant, i, s, players, want_turns, save_text, want_orders))
            else:
                _run_pool(scenario, variant, seeds, players, want_turns, jobs, scheduler, start, done, save_text,
                          want_orders, compiled_paths)
        except KeyboardInterrupt:
            interrupted = True
        except Exception as exc:
            failure = exc
            interrupted = True
    finally:
        # from here on a second Ctrl-C or SIGTERM waits: the folder is left consistent
        shield = _SignalsDeferred(reraise=False).__enter__()
        seconds = time.perf_counter() - t0
        if prog is not None:
            prog.stop()
        coll.flush_rest()
        if turns_f is not None:
            turns_f.close()
    try:
        return _finish(coll, out, scenario, variant, runs, seed, players, seconds, scheduler, jobs,
                       interrupted, failure, plots, from_save, saved, plotter, while_plotting)
    finally:
        shield.__exit__(None, None, None)
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)


def _finish(coll, out, scenario, variant, runs, seed, players, seconds, scheduler, jobs, interrupted, failure,
            plots, from_save, saved, plotter=None, while_plotting=None) -> dict:
    """Write runs.csv, summary.json and the plots of the runs recorded; report an interruption.

    The plotting process gets the rows first, with the batch's facts (its titles; the summary's
    statistics are made after, as it draws: np.percentile's first call imports numpy.ma, ~15 ms):
    it draws while this process writes the files.
    """
    rows = [coll.rows[i] for i in sorted(coll.rows)]
    drawing = out is not None and plots and rows and not interrupted
    if drawing and plotter is not None:
        plotter.send(rows, out, batch_facts(rows, scenario=scenario, variant=variant, runs_requested=runs,
                                            seed=seed, players=players, interrupted=interrupted))
    summary = summarise(rows, scenario=scenario, variant=variant, runs_requested=runs, seed=seed,
                        players=players, seconds=seconds, jobs=("dask:" + scheduler) if scheduler else jobs,
                        interrupted=interrupted)
    if from_save is not None:
        summary["from_save"] = {"path": str(from_save), "turn": saved.turn, "side": saved.side, "phase": saved.phase}
    if out is not None:
        from ..atomic_file import write_atomic

        write_runs_csv(out / "runs.csv", rows)
        write_atomic(out / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n", durable=False)
    if scheduler is None and jobs == 1:  # the campaigns were played here: their fields are in this game
        keep_fields(scenario, variant)
    if while_plotting is not None:
        while_plotting()
    if drawing:
        if plotter is not None:
            plotter.wait()
        else:
            from .plots import make_plots

            make_plots(rows, out, game=get_game(scenario, variant), summary=summary)
    if interrupted:
        why = "failed" if failure is not None else "interrupted"
        print(f"{why}: wrote {len(rows)} of {runs} runs" + (f" to {out}" if out else ""), file=sys.stderr)
    if failure is not None:
        raise failure
    return {"rows": rows, "summary": summary, "interrupted": interrupted, "out_dir": out}


def _run_pool(scenario, variant, seeds, players, want_turns, jobs, scheduler, start, done, save_text=None,
              want_orders=False, compiled_paths=False) -> None:
    import concurrent.futures as cf  # here: with its logging, ~10 ms a one-job batch never uses

    client = None
    if scheduler is not None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise SystemExit(f"--scheduler needs dask[distributed]: {exc}") from exc
        client = Client(scheduler)
        ex = client.get_executor()
    else:
        ex = cf.ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(os.getpid(),))
    futures = []
    try:
        futures = [ex.submit(_task, scenario, variant, i, s, players, want_turns, save_text, want_orders,
                             compiled_paths)
                   for i, s in enumerate(seeds)]
        start()
        for fut in cf.as_completed(futures):
            done(*fut.result())
    except BaseException:
        for f in futures:
            f.cancel()
        if client is not None:
            ex.shutdown(wait=False)
        else:
            ex.shutdown(wait=False, cancel_futures=True)
            for p in list((getattr(ex, "_processes", None) or {}).values()):
                p.kill()  # our own workers: do not wait for campaigns in flight
        raise
    else:
        ex.shutdown(wait=True)
    finally:
        if client is not None:
            client.close()


# --------------------------------------------------------------------------------- CLI
def batch_report(s: dict, out: Path, interrupted: bool) -> list[tuple[str, str | None]]:
    """What ``xuefeng sim`` prints once a batch is done, from its summary: (line, rich style or None)."""
    t = s["timing"]
    lines: list[tuple[str, str | None]] = []
    fs = s.get("from_save")
    if fs:
        lines.append((f"continuations of {fs['path']} from turn {fs['turn']} ({fs['side']} {fs['phase']})", None))
    lines.append((f"{s['runs']} campaigns ({s['scenario']}, {s['variant']}, players {s['players']}) "
                  f"in {t['seconds']:.1f} s ({t['campaigns_per_s'] or 0:.2f}/s) -> {out}", None))
    lines.append(("winner: " + ", ".join(f"{k} {v}" for k, v in s["outcomes"]["winner"].items()), None))
    lines.append(("airfield: " + ", ".join(f"{k} {v}" for k, v in s["outcomes"]["airfield_status"].items()), None))
    if s["outcomes"].get("victory_level"):
        lines.append(("level: " + ", ".join(f"{k} {v}" for k, v in s["outcomes"]["victory_level"].items()), None))
    if interrupted:
        lines.append((f"interrupted after {s['runs']} of {s['runs_requested']} runs", "yellow"))
    return lines


def cli_sim(args) -> int:
    out = Path(args.out)
    from_save = getattr(args, "from_save", None)
    if from_save is not None and args.variant is not None:
        print("xuefeng sim: --variant cannot be used with --from-save (the save fixes scenario and variant)",
              file=sys.stderr)
        return 2
    from .console import line_console

    console = functools.cache(line_console)  # made (rich imported, on a terminal) while the plots are drawn
    # a bad scenario, variant, save or output folder raises UserFileError / ScenarioError naming
    # it: game.cli prints it and exits with status 2
    res = run_batch(args.scenario, runs=args.runs, seed=args.seed, out_dir=out, jobs=args.jobs,
                    variant=args.variant, players=args.players, with_turns=not args.no_turns,
                    plots=not args.no_plots, scheduler=args.scheduler, progress=sys.stderr.isatty(),
                    from_save=from_save, with_orders=not getattr(args, "no_orders", False),
                    compiled_paths=getattr(args, "compiled_paths", False), while_plotting=console)
    con = console()
    for text, style in batch_report(res["summary"], out, res["interrupted"]):
        con.print(text, style=style, markup=False, emoji=False)  # names and paths print as given
    if res["interrupted"]:
        return 130
    return 0
