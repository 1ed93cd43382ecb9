"""``xuefeng bench``: measured speed of the engine and the AI, against the project's targets.

Figures (all measured on this machine, nothing assumed):
- median whole-campaign time, AI versus AI, no turn output (after one warm-up campaign), and how
  many fields the field store gave them (an empty store: the first campaigns search more)
- the rules alone: the same campaigns' recorded orders replayed (every order, end of phase and
  chance draw the rules make; no AI deciding), median time a campaign - what no AI speed-up
  can take off
- campaigns/s on one core (those sequential campaigns) and on all cores (a ``--batch`` run
  through :func:`engine.analysis.sim.run_batch` with one worker per core, wall time): writing
  runs.csv, then with turns.jsonl (the targets), then also each run's orders file as ``sim``
  does by default (a state hash and the orders' JSON a campaign)
- AI time per side-turn: time inside ``play_phase`` summed over a side's phases of one turn
- one campaign as a whole process: ``python -m game.cli sim --runs 1`` (files and plots included),
  in a cache of its own: first with none (base map drawn, fields searched), then the median of
  ``PROCESS_RUNS`` finding what the first kept (the figure against the target); Python keeps
  its bytecode as it does by default, whatever ``PYTHONDONTWRITEBYTECODE`` says
- with ``--compiled-paths`` the campaigns search paths with the numba kernels, as
  ``sim --compiled-paths`` does (the whole-process figure stays the default command's)
- peak RSS of this process and of the largest worker (``getrusage`` ru_maxrss)

``xuefeng bench --profile`` instead plays ``--runs`` campaigns under cProfile (after a warm-up)
and prints the functions that take the most time, by own time and by cumulative time.
"""
from __future__ import annotations

import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from ..paths import REPO_ROOT

TARGET_PER_CORE = 25.0  # campaigns/s on one core
TARGET_1000_ON_2 = 25.0  # s for a 1,000-run batch on 2 cores
TARGET_1000_ON_2_TURNS = 35.0  # the same, writing turns.jsonl
TARGET_PROCESS = 0.8  # s for one campaign as a whole process
TARGET_RSS = 200.0  # MiB per worker



class TimedPlayer:
    """Wraps a player and adds the time spent in ``play_phase`` to ``times[(side, turn)]``.

    ``current`` (shared by both sides' wrappers) holds the key being played, so that an
    :func:`apply_timer` can book the engine's share of that time to the same side-turn.
    """

    def __init__(self, inner, side: str, times: dict, current: list | None = None):
        self.inner = inner
        self.side = side
        self.times = times
        self.current = current if current is not None else [None]

    def play_phase(self, state) -> None:
        key = (self.side, state.turn)
        self.current[0] = key
        t0 = time.perf_counter()
        try:
            self.inner.play_phase(state)
        finally:
            self.times[key] = self.times.get(key, 0.0) + time.perf_counter() - t0
            self.current[0] = None


@contextlib.contextmanager
def apply_timer(current: list, times: dict):
    """Time every ``engine.api.apply`` call (the rules carrying out an order, end of turn included).

    The players import ``apply`` by name, so each loaded ``engine`` module's reference to it is
    swapped for a timing wrapper for the duration, and restored afterwards.
    """
    from .. import api

    real = api.apply

    def timed_apply(state, action):
        t0 = time.perf_counter()
        try:
            return real(state, action)
        finally:
            key = current[0]
            if key is not None:
                times[key] = times.get(key, 0.0) + time.perf_counter() - t0

    patched = [m for name, m in list(sys.modules.items())
               if (name == "engine" or name.startswith("engine.")) and getattr(m, "apply", None) is real]
    for m in patched:
        m.apply = timed_apply
    try:
        yield
    finally:
        for m in patched:
            m.apply = real


def time_campaigns(scenario: str, runs: int, seed: int = 0, players: str = "ai", variant=None,
                   on_done: Callable[[], None] | None = None) -> list[float]:
    """Seconds per whole campaign (turn output off), after one warm-up campaign (not counted);
    ``on_done()`` after each campaign, the warm-up included."""
    from .sim import run_one, run_seeds

    seeds = run_seeds(seed, runs + 1)
    run_one(scenario, variant, 0, seeds[0], players, with_turns=False)  # warm-up: load, caches
    if on_done is not None:
        on_done()
    out = []
    for i in range(1, runs + 1):
        t0 = time.perf_counter()
        run_one(scenario, variant, i, seeds[i], players, with_turns=False)
        out.append(time.perf_counter() - t0)
        if on_done is not None:
            on_done()
    return out


def time_rules_alone(scenario: str, runs: int, seed: int = 0, players: str = "ai", variant=None,
                     on_done: Callable[[], None] | None = None) -> list[float]:
    """Seconds per campaign of the rules alone: each of :func:`time_campaigns`' campaigns (the
    same seeds) is played untimed, then replayed from its recorded orders and the AIs' memory
    records (:func:`engine.core.play.replay_record`) and only the replay is timed.  The replay
    must end in the state the game ended in (same hash), else RuntimeError."""
    from ..core.play import replay_record
    from ..core.players import play_game
    from .sim import get_game, players_for, run_seeds

    game = get_game(scenario, variant)
    out = []
    for s in run_seeds(seed, runs + 1)[1:]:
        played = game.new_initial_state(int(s))
        play_game(played, players_for(players, s))
        state = game.new_initial_state(int(s))
        t0 = time.perf_counter()
        for rec in played.history:
            replay_record(state, rec)
        out.append(time.perf_counter() - t0)
        if state.state_hash() != played.state_hash():
            raise RuntimeError(f"bench: replaying seed {s}'s orders did not give the game it played")
        if on_done is not None:
            on_done()
    return out


def time_side_turns(scenario: str, runs: int = 1, seed: int = 0, players: str = "ai", variant=None) -> dict:
    """Seconds per side-turn over ``runs`` campaigns, by side:

    {"total": {side: [...]}, "engine": {side: [...]}, "ai": {side: [...]}} where total is the
    time inside ``play_phase``, engine the part spent in ``engine.api.apply`` (the rules carrying
    out the orders, end-of-turn supply/attrition included) and ai = total - engine (deciding).
    """
    from .sim import players_for, run_one, run_seeds

    out: dict = {k: {"japan": [], "china": []} for k in ("total", "engine", "ai")}
    for i, s in enumerate(run_seeds(seed + 1, runs)):
        times: dict = {}
        engine_times: dict = {}
        current: list = [None]
        inner = players_for(players, s)
        wrapped = {side: TimedPlayer(p, side, times, current) for side, p in inner.items()}
        with apply_timer(current, engine_times):
            run_one(scenario, variant, i, s, wrapped, with_turns=False)
        for key, t in sorted(times.items()):
            e = engine_times.get(key, 0.0)
            out["total"][key[0]].append(t)
            out["engine"][key[0]].append(e)
            out["ai"][key[0]].append(max(0.0, t - e))
    return out


def time_batch(scenario: str, batch: int, jobs: int | None = None, seed: int = 0, players: str = "ai",
               variant=None, with_turns: bool = False, compiled_paths: bool = False, with_orders: bool = False) -> dict:
    """Wall time of a ``batch``-run batch on ``jobs`` local workers (default all cores), writing
    runs.csv and summary.json (and turns.jsonl when ``with_turns``, each run's orders file when
    ``with_orders``) to a temporary directory."""
    from .sim import run_batch

    jobs = jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="xuefeng-bench-") as tmp:
        t0 = time.perf_counter()
        run_batch(scenario, runs=batch, seed=seed, out_dir=tmp, jobs=jobs, variant=variant, players=players,
                  with_turns=with_turns, plots=False, compiled_paths=compiled_paths, with_orders=with_orders)
        wall = time.perf_counter() - t0
    return {"runs": batch, "jobs": jobs, "seconds": wall, "per_s": batch / wall if wall > 0 else float("inf"),
            "with_turns": with_turns, "with_orders": with_orders}


def time_process(scenario: str, players: str = "ai", cache_home: str | None = None) -> float:
    """Wall seconds of ``python -m game.cli sim --runs 1`` as a whole process: interpreter, load,
    play, runs.csv, turns.jsonl, summary.json and the three plots.  With ``cache_home`` the
    process keeps what it made for the next (drawn base map, searched fields) there
    (``XDG_CACHE_HOME``) instead of in the user's cache.  Python keeps its compiled bytecode as
    it does by default, even where ``PYTHONDONTWRITEBYTECODE`` is set (it is in some containers):
    without it every process compiles the project's modules again (~90 ms), which no user pays."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = str(cache_home)
    with tempfile.TemporaryDirectory(prefix="xuefeng-bench-") as tmp:
        cmd = [sys.executable, "-m", "game.cli", "sim", str(scenario), "--runs", "1",
               "--players", players, "--out", tmp]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        return time.perf_counter() - t0


#: whole processes timed with the caches the first one left (their median is the figure)
PROCESS_RUNS = 3


def time_processes(scenario: str, players: str = "ai", runs: int = PROCESS_RUNS) -> tuple[float, float]:
    """(the first, the median of the next ``runs``) wall seconds of :func:`time_process`, in a
    cache of their own: the first starts with none (it draws the base map, searches every field
    and keeps them), the others find what it kept, as a user's second run does."""
    with tempfile.TemporaryDirectory(prefix="xuefeng-bench-cache-") as home:
        cold = time_process(scenario, players, cache_home=home)
        warm = [time_process(scenario, players, cache_home=home) for _ in range(runs)]
    return cold, statistics.median(warm)


def current_rss_mib() -> float | None:
    """Resident set size of this process now (MiB), or None where /proc is not available."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def rss_curve(scenario: str, runs: int, every: int = 100, seed: int = 0, players: str = "ai",
              variant=None) -> list[tuple[int, float | None, float]]:
    """Play ``runs`` campaigns in this process as one batch worker does, and return
    (campaigns played, current RSS MiB, peak RSS MiB) after the first and every ``every``-th."""
    from .sim import run_one, run_seeds

    out = []
    for i, s in enumerate(run_seeds(seed, runs)):
        run_one(scenario, variant, i, s, players, with_turns=False)
        if i == 0 or (i + 1) % every == 0 or i + 1 == runs:
            out.append((i + 1, current_rss_mib(), peak_rss_mib()["self"]))
    return out


def profile_campaigns(scenario: str, runs: int, seed: int = 0, players: str = "ai", variant=None,
                      top: int = 30) -> str:
    """cProfile of ``runs`` whole campaigns (after one unprofiled warm-up): the ``top`` functions
    by own time, then by cumulative time, as pstats prints them."""
    import cProfile
    import io
    import pstats

    from .sim import run_one, run_seeds

    seeds = run_seeds(seed, runs + 1)
    run_one(scenario, variant, 0, seeds[0], players, with_turns=False)  # warm-up: load, caches
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for i in range(1, runs + 1):
        run_one(scenario, variant, i, seeds[i], players, with_turns=False)
    prof.disable()
    wall = time.perf_counter() - t0
    buf = io.StringIO()
    buf.write(f"{runs} campaigns under cProfile in {wall:.2f} s ({1000 * wall / max(runs, 1):.0f} ms each, "
              "profiler overhead included)\n")
    st = pstats.Stats(prof, stream=buf).strip_dirs()
    st.sort_stats("tottime").print_stats(top)
    st.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def peak_rss_mib() -> dict:
    """Peak resident set size (MiB) of this process and of the largest finished child."""
    k = 1024.0 if sys.platform != "darwin" else 1024.0 * 1024.0  # ru_maxrss: KiB on Linux, bytes on macOS
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / k,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / k}


def measure(scenario: str = "west_hunan_1945", runs: int = 20, batch: int = 200, players: str = "ai",
            jobs: int | None = None, with_process: bool = True, step: Callable[[str, int, int], None] | None = None,
            compiled_paths: bool = False) -> dict:
    """Every bench figure as a dict (see the module doc).  ``step(what, done, total)`` is told
    what is being measured and how far the whole bench has come (a progress display)."""
    ncpu = os.cpu_count() or 1
    jobs = jobs or ncpu
    total = 2 * runs + 1 + 4 + (1 if with_process else 0)
    done = [0]

    def tell(what: str, advance: int = 0) -> None:
        done[0] += advance
        if step is not None:
            step(what, done[0], total)

    tell(f"{runs} + 1 campaigns, one core")
    camp = time_campaigns(scenario, runs, players=players, on_done=lambda: tell(f"{runs} + 1 campaigns, one core", 1))
    from .sim import stored_fields

    stored = stored_fields(scenario)  # a store kept by an earlier process spares the first campaigns' searches
    tell(f"the rules alone: {runs} campaigns replayed")
    rules = time_rules_alone(scenario, runs, players=players,
                             on_done=lambda: tell(f"the rules alone: {runs} campaigns replayed", 1))
    tell("side-turn times, 1 campaign")
    side = time_side_turns(scenario, 1, players=players)
    rss_self = peak_rss_mib()["self"]  # this process has played campaigns sequentially: one worker's load
    tell(f"batch of {batch} runs, {jobs} workers", 1)
    b = time_batch(scenario, batch, jobs, players=players, compiled_paths=compiled_paths)
    tell(f"batch of {batch} runs writing turns.jsonl", 1)
    bt = time_batch(scenario, batch, jobs, players=players, with_turns=True, compiled_paths=compiled_paths)
    tell(f"batch of {batch} runs as sim writes by default (turns.jsonl, orders)", 1)
    bo = time_batch(scenario, batch, jobs, players=players, with_turns=True, with_orders=True,
                    compiled_paths=compiled_paths)
    rss_children = peak_rss_mib()["children"]  # the batch's workers, reaped
    if with_process:
        tell("one campaign as a whole process", 1)
    proc_cold, proc = time_processes(scenario, players) if with_process else (None, None)
    tell("done", 1)
    med = statistics.median(camp) if camp else float("nan")
    per_core = len(camp) / sum(camp) if camp and sum(camp) > 0 else float("nan")
    # a 1,000-run batch on 2 cores, from the measured all-cores throughput scaled per core
    # (linear scaling per worker assumed; with exactly 2 workers this is the measured rate)
    est_1000_on_2 = 1000.0 / (b["per_s"] / b["jobs"] * 2)
    est_1000_on_2_turns = 1000.0 / (bt["per_s"] / bt["jobs"] * 2)
    est_1000_on_2_default = 1000.0 / (bo["per_s"] / bo["jobs"] * 2)

    def ms(kind, f=statistics.median):
        return {sd: (f(v) * 1000 if v else float("nan")) for sd, v in side[kind].items()}

    all_side = side["total"]["japan"] + side["total"]["china"]
    return {
        "scenario": str(scenario), "players": players, "cpu_count": ncpu,
        "paths": "compiled (numba)" if compiled_paths else "scipy",
        "campaign_ms_median": med * 1000, "campaigns": len(camp), "stored_fields": stored,
        "per_core_per_s": per_core,
        "rules_ms_median": statistics.median(rules) * 1000 if rules else float("nan"),
        "batch": b, "all_cores_per_s": b["per_s"],
        "est_1000_on_2_s": est_1000_on_2, "est_from": f"{b['runs']} runs on {b['jobs']} workers",
        "batch_turns": bt, "est_1000_on_2_turns_s": est_1000_on_2_turns,
        "batch_default": bo, "est_1000_on_2_default_s": est_1000_on_2_default,
        "ai_ms_per_side_turn": ms("total"),  # inside play_phase: deciding + the engine applying the orders
        "ai_ms_per_side_turn_mean": ms("total", statistics.fmean),
        "ai_ms_per_side_turn_max": max(all_side) * 1000 if all_side else float("nan"),
        "ai_decide_ms_per_side_turn": ms("ai"),
        "engine_apply_ms_per_side_turn": ms("engine"),
        "process_s": proc, "process_cold_s": proc_cold, "process_runs": PROCESS_RUNS,
        "rss_self_mib": rss_self, "rss_worker_mib": rss_children,
    }


def print_report(m: dict, console=None) -> dict:
    """Print the figures with PASS/MISS beside each target; return {target: bool}."""
    from rich.table import Table

    from .console import wide_console

    con = console or wide_console()
    verdict = {
        "per_core": m["per_core_per_s"] >= TARGET_PER_CORE,
        "batch_1000_on_2": m["est_1000_on_2_s"] <= TARGET_1000_ON_2,
        "batch_1000_on_2_turns": m["est_1000_on_2_turns_s"] <= TARGET_1000_ON_2_TURNS,
        "rss": max(m["rss_self_mib"], m["rss_worker_mib"]) <= TARGET_RSS,
    }
    if m["process_s"] is not None:
        verdict["process"] = m["process_s"] <= TARGET_PROCESS

    def pm(ok):
        return "[green]PASS[/]" if ok else "[red]MISS[/]"

    t = Table(title=f"xuefeng bench — {m['scenario']}, players {m['players']}, {m['cpu_count']} CPUs, "
                    f"paths searched by {m.get('paths', 'scipy')}")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_column("target")
    t.add_column("", justify="center")
    t.add_row("whole campaign, median (no turn output)", f"{m['campaign_ms_median']:.0f} ms",
              f"over {m['campaigns']} campaigns after 1 warm-up", "")
    if m.get("stored_fields") is not None:
        t.add_row("  fields they took from the field store", f"{m['stored_fields']}",
                  "kept by an earlier process (0: they search more)", "")
    if m.get("rules_ms_median") is not None:
        t.add_row("  of which the rules alone (their orders replayed)", f"{m['rules_ms_median']:.0f} ms",
                  f"no AI deciding; ≤ {1000 / TARGET_PER_CORE:.0f} ms a campaign is the one-core target", "")
    t.add_row("campaigns/s, one core", f"{m['per_core_per_s']:.2f}", f"≥ {TARGET_PER_CORE:g}", pm(verdict["per_core"]))
    b = m["batch"]
    t.add_row(f"campaigns/s, all cores ({b['jobs']} workers)", f"{m['all_cores_per_s']:.2f}",
              f"{b['runs']} runs in {b['seconds']:.1f} s wall", "")
    t.add_row("1,000-run batch on 2 cores (extrapolated)", f"{m['est_1000_on_2_s']:.0f} s",
              f"≤ {TARGET_1000_ON_2:g} s; estimated from {m['est_from']}", pm(verdict["batch_1000_on_2"]))
    bt = m["batch_turns"]
    t.add_row("  the same, writing turns.jsonl", f"{m['est_1000_on_2_turns_s']:.0f} s",
              f"≤ {TARGET_1000_ON_2_TURNS:g} s; {bt['runs']} runs in {bt['seconds']:.1f} s wall",
              pm(verdict["batch_1000_on_2_turns"]))
    if m.get("batch_default") is not None:
        bo = m["batch_default"]
        t.add_row("  the same, also writing orders/ (sim's default)", f"{m['est_1000_on_2_default_s']:.0f} s",
                  f"no target; {bo['runs']} runs in {bo['seconds']:.1f} s wall", "")
    ai = m["ai_ms_per_side_turn"]
    t.add_row("AI per side-turn, median (japan / china)", f"{ai['japan']:.1f} / {ai['china']:.1f} ms",
              f"inside play_phase; max {m['ai_ms_per_side_turn_max']:.0f} ms", "")
    d, e = m["ai_decide_ms_per_side_turn"], m["engine_apply_ms_per_side_turn"]
    t.add_row("  of which deciding / engine applying orders", f"{d['japan']:.1f}+{e['japan']:.1f} / "
              f"{d['china']:.1f}+{e['china']:.1f} ms", "japan / china; apply() includes end of turn", "")
    if m["process_s"] is not None:
        t.add_row("one campaign as a whole process", f"{m['process_s']:.2f} s",
                  f"≤ {TARGET_PROCESS:g} s (sim --runs 1: interpreter, load, play, files, plots; "
                  f"median of {m.get('process_runs', 1)}; bytecode kept)", pm(verdict["process"]))
        if m.get("process_cold_s") is not None:
            t.add_row("  the same with empty caches (a first run)", f"{m['process_cold_s']:.2f} s",
                      "base map drawn, fields searched, both kept in the cache", "")
    t.add_row("peak RSS: this process / largest worker", f"{m['rss_self_mib']:.0f} / {m['rss_worker_mib']:.0f} MiB",
              f"≤ {TARGET_RSS:g} MiB per worker", pm(verdict["rss"]))
    con.print(t)
    return verdict


def cli_bench(args, step: Callable[[str, int, int], None] | None = None) -> int:
    """``xuefeng bench``; ``step`` (see :func:`measure`) shows the progress of the full bench.

    With ``--compiled-paths`` every campaign measured (in this process and in the batch workers)
    searches paths with the compiled kernels (:func:`engine.map.shortest_paths.use_compiled`,
    switched on before any timing), as ``sim --compiled-paths`` does; else with scipy."""
    compiled_paths = bool(getattr(args, "compiled_paths", False))
    if compiled_paths:
        from ..map.shortest_paths import use_compiled

        use_compiled(True)
    players = getattr(args, "players", "ai")
    if getattr(args, "profile", False):
        print(profile_campaigns(args.scenario, args.runs, players=players))
        return 0
    if getattr(args, "rss_curve", None):
        n = args.rss_curve
        every = max(1, n // 20)
        print(f"RSS of one process playing {n} campaigns in a row, as a batch worker does (MiB)")
        print(f"{'campaigns':>10} {'current':>9} {'peak':>8}")
        for k, cur, peak in rss_curve(args.scenario, n, every=every, players=players):
            print(f"{k:>10} {cur if cur is not None else float('nan'):>9.0f} {peak:>8.0f}")
        return 0
    m = measure(args.scenario, runs=args.runs, batch=args.batch, players=players, step=step,
                compiled_paths=compiled_paths)
    m["players"] = players
    print_report(m)
    return 0
