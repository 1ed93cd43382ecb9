"""The ``xuefeng`` command: play, map, sim, validate, bench, build-map, schema, edit.

Each subcommand's work lives in its own module; this file only parses arguments.
With no subcommand it plays the game (falling back to a short headless campaign when
there is no display).
"""
from __future__ import annotations

import argparse
import os
import sys

DEFAULT_SCENARIO = "west_hunan_1945"


MAX_RUNS = 1_000_000
MAX_JOBS = 256
MAX_SEED = 2**63 - 1


def _int_in(lo: int, hi: int):
    """An argparse type: a whole number lo .. hi (a clear usage error otherwise)."""
    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r:.40} is not a whole number") from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{v} is out of range (expected {lo} .. {hi})")
        return v
    parse.__name__ = "whole number"
    return parse


def _name(text: str) -> str:
    """An argparse type: a non-empty name (a variant, a scenario id or path)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a name, got an empty string")
    return text


def _window_size(text: str) -> str:
    """An argparse type: a window size WIDTHxHEIGHT within what a screen can show."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r:.40}: expected WIDTHxHEIGHT, e.g. 1600x900") from None
    if not (800 <= w <= 7680 and 500 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"{w}x{h} is out of range (expected 800..7680 x 500..4320)")
    return f"{w}x{h}"


RUNS, JOBS, SEED = _int_in(1, MAX_RUNS), _int_in(0, MAX_JOBS), _int_in(0, MAX_SEED)


COMPILED_PATHS_HELP = ("search paths with numba-compiled kernels (pip install 'xuefeng[fast]'): the same results, "
                       "about 20%% fewer instructions a campaign, about 120 MiB more memory per worker")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xuefeng", description="Xuefeng: the Battle of West Hunan, 1945")
    sub = p.add_subparsers(dest="command")

    play = sub.add_parser("play", help="play the campaign in a window (default)")
    play.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, type=_name)
    play.add_argument("--side", choices=["japan", "china", "hotseat", "none"], default="china",
                      help="the human's side; none: watch the computer play both sides")
    play.add_argument("--replay", metavar="DIR", default=None, type=_name,
                      help="replay a run of the xuefeng sim batch in DIR (with --run N), phase by phase")
    play.add_argument("--run", type=_int_in(0, MAX_RUNS), default=None, help="with --replay: the run to replay")
    play.add_argument("--variant", default=None, type=_name)
    play.add_argument("--load", metavar="SAVE", default=None, type=_name)
    play.add_argument("--seed", type=SEED, default=1)
    play.add_argument("--screenshot", metavar="FILE", default=None, help="render one frame headless and exit")
    play.add_argument("--turn", type=_int_in(1, 10_000), default=None, help="with --screenshot: AI plays up to this turn first")
    play.add_argument("--size", default="1600x900", type=_window_size, help="window size WxH")
    play.add_argument("--bench", action="store_true", help="measure frame times and exit")
    play.add_argument("--lang", choices=["en", "zh", "both"], default=None,
                      help="interface and names: English, Chinese, or names in both (interface English)")

    mp = sub.add_parser("map", help="render the hex map to a PNG")
    mp.add_argument("--png", metavar="FILE", help="the hex map")
    mp.add_argument("--graph", metavar="FILE", help="the map with the operational graph of places, roads, "
                    "tracks and chokepoints drawn over it")
    mp.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, type=_name,
                    help="scenario id or folder (as for play, sim and edit)")
    mp.add_argument("--scenario", dest="scenario_opt", default=None, type=_name, help=argparse.SUPPRESS)

    bm = sub.add_parser("build-map", help="rebuild scenarios/<id>/map.json from ../shared/reference")
    bm.add_argument("--reference", default=None)
    bm.add_argument("--out", default=None)

    sim = sub.add_parser("sim", help="headless AI-versus-AI Monte-Carlo batch")
    sim.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, type=_name)
    sim.add_argument("--runs", type=RUNS, default=100)
    sim.add_argument("--seed", type=SEED, default=0)
    sim.add_argument("--out", default="out/sim", type=_name)
    sim.add_argument("--jobs", type=JOBS, default=0, help="worker processes (0 = all cores)")
    sim.add_argument("--variant", default=None, type=_name)
    sim.add_argument("--players", default="ai", choices=["ai", "random"], help="who plays both sides")
    sim.add_argument("--no-turns", action="store_true", help="skip turns.jsonl (faster)")
    sim.add_argument("--no-orders", action="store_true",
                     help="skip orders/run_N.json (each run's seed and orders, for xuefeng play --replay)")
    sim.add_argument("--no-plots", action="store_true")
    sim.add_argument("--scheduler", default=None, metavar="ADDRESS", help="run on a Dask distributed cluster")
    sim.add_argument("--compiled-paths", action="store_true", help=COMPILED_PATHS_HELP)
    sim.add_argument("--from-save", default=None, metavar="SAVE", type=_name,
                     help="play the runs as continuations of this saved game (its scenario and variant)")

    val = sub.add_parser("validate", help="check the model against the historical outcome (V1-V8) and the record's timeline")
    val.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, type=_name)
    val.add_argument("--runs", type=RUNS, default=200)
    val.add_argument("--seed", type=SEED, default=0)
    val.add_argument("--jobs", type=JOBS, default=0)
    val.add_argument("--compiled-paths", action="store_true", help=COMPILED_PATHS_HELP)
    val.add_argument("--json", default=None, metavar="FILE", help="also write the table as JSON here")
    val.add_argument("--timeline", default=None, metavar="PNG",
                     help="also draw the places' fall and retake dates against the record (Gantt-like chart)")

    sen = sub.add_parser("sensitivity", help="Morris screening: which calibrated parameters move which target")
    sen.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO)
    sen.add_argument("--trajectories", type=int, default=3, help="Morris trajectories (points = trajectories x (k+1))")
    sen.add_argument("--runs", type=int, default=4, help="campaigns per parameter point (same seeds at every point)")
    sen.add_argument("--levels", type=int, default=4, help="Morris grid levels")
    sen.add_argument("--seed", type=int, default=0)
    sen.add_argument("--jobs", type=int, default=2)
    sen.add_argument("--out", default="out/sensitivity")
    sen.add_argument("--no-png", action="store_true", help="skip sensitivity.png")
    sen.add_argument("--compiled-paths", action="store_true", help=COMPILED_PATHS_HELP)

    bench = sub.add_parser("bench", help="measure engine and AI speed")
    bench.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, type=_name)
    bench.add_argument("--runs", type=_int_in(1, 100_000), default=20)
    bench.add_argument("--batch", type=_int_in(1, 100_000), default=200, help="runs in the all-cores batch measurement")
    bench.add_argument("--profile", action="store_true",
                       help="profile --runs campaigns (cProfile) and print the top functions instead")
    bench.add_argument("--rss-curve", type=_int_in(1, 100_000), default=None, metavar="N",
                       help="play N campaigns in one process and print its memory (RSS) as it goes")
    bench.add_argument("--compiled-paths", action="store_true", help=COMPILED_PATHS_HELP)
    chk = sub.add_parser("check", help="check scenarios, maps and saves: every problem with file, field and "
                                      "expectation; exit 0 when all are clean")
    chk.add_argument("paths", nargs="+", metavar="PATH", type=_name,
                     help="a scenario folder, a scenario.toml, a map.json or a save")

    sch = sub.add_parser("schema", help="print a JSON Schema of scenario.toml (for TOML editors)")
    sch.add_argument("--out", default=None, metavar="FILE", help="write it here instead of printing it")

    ed = sub.add_parser("edit", help="the scenario editor")
    ed.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help="scenario id or folder")
    ed.add_argument("--variant", default=None, help="edit this variant's overrides")
    ed.add_argument("--size", default="1600x900", type=_window_size, help="window size WxH")
    ed.add_argument("--bench", action="store_true", help="measure the editor's frame times (headless) and exit")
    return p


def _one_blas_thread() -> None:
    """numpy's and scipy's OpenBLAS start one thread, not one per core (unless the user set
    ``OPENBLAS_NUM_THREADS``): xuefeng does no large linear algebra and runs in parallel by
    processes (batch workers, the plotting process), where BLAS threads would only oversubscribe
    the cores; starting them took ~60 ms, half of numpy's import.  Before any import of numpy."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _skip_the_last_collection_at_exit() -> None:
    """At exit, leave out the interpreter's last garbage collection.

    It traverses every object still alive (after a batch: the game's tables, caches and the
    imported libraries), about 0.1 s of a one-run ``xuefeng sim``; the memory goes back to the
    system with the process anyway.  :func:`gc.freeze` only moves the survivors out of the
    collector's sight: objects are still freed when their last reference goes, exit handlers
    still run, files are closed by their owners (atomic writes, ``with`` blocks).
    """
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however often main() runs in one process
    atexit.register(gc.freeze)


#: commands whose process may end without tearing the interpreter down (:func:`_end_process_now`):
#: they write their files whole and closed (atomic writes, ``with`` blocks) and leave no thread
FAST_EXIT_COMMANDS = frozenset({"sim"})


def _end_process_now(status: int) -> None:
    """End this process with ``status`` once its output is out, without the interpreter's teardown.

    Tearing down frees every object still alive one by one (after a one-run ``xuefeng sim``:
    numpy's, scipy's and pydantic's modules, the game's tables; ~30 ms) only for the memory to
    go back to the system with the process anyway.  The exit handlers still run first (they
    reap child processes, see :func:`_skip_the_last_collection_at_exit`); when the standard
    streams cannot be flushed (a closed pipe) or another thread still runs, this returns and
    the interpreter ends as usual (and reports what it reports).
    """
    import atexit
    import threading

    if threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """Run the command; a user's mistake is a clear message and exit status 2, never a traceback.

    Called without ``argv`` (the ``xuefeng`` command itself: this process's command line) a
    command of :data:`FAST_EXIT_COMMANDS` ends the process here once its output is out."""
    _one_blas_thread()
    _skip_the_last_collection_at_exit()
    cmd = "play"
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        cmd = args.command or "play"
        status = _run(parser, args, argv)
        if argv is None and cmd in FAST_EXIT_COMMANDS:
            _end_process_now(status)
        return status
    except Exception as exc:
        # engine.api only now: a subcommand imports no more of the engine than it needs before
        # its own start-up (sim forks its plotting process before the engine's heavy imports)
        from engine.api import CompiledPathsUnavailable, ScenarioError, UserFileError

        if isinstance(exc, (UserFileError, ScenarioError, CompiledPathsUnavailable)):
            print(f"xuefeng {cmd}: {exc}", file=sys.stderr)
            return 2
        if not isinstance(exc, OSError) or exc.filename is None:
            raise
        print(f"xuefeng {cmd}: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"xuefeng {cmd}: interrupted", file=sys.stderr)
        return 130


def _check(paths: list[str]) -> int:
    """``xuefeng check``: every problem of each path; 0 when all are clean, 1 otherwise."""
    from engine.api import check_path

    bad = 0
    for p in paths:
        problems = check_path(p)
        bad += bool(problems)
        print("\n".join(problems) if problems else f"{p}: ok")
    return 1 if bad else 0


def _run(parser, args, argv) -> int:
    cmd = args.command or "play"
    if args.command is None:
        args = _parser().parse_args(["play", *(argv or [])])
    if cmd == "play":
        from .launch import cli_play

        return cli_play(args) or 0
    if cmd == "map":
        if args.scenario_opt is not None:  # the older spelling, kept so scripts keep working
            if args.scenario not in (DEFAULT_SCENARIO, args.scenario_opt):
                parser.error("map: give the scenario once (positionally)")
            args.scenario = args.scenario_opt
        if not (args.png or args.graph):
            parser.error("map: give --png FILE and/or --graph FILE")
        rc = 0
        if args.png:
            from engine.map.render import cli_map

            rc = cli_map(args) or 0
        if args.graph and rc == 0:
            from engine.map.opgraph_render import cli_graph

            rc = cli_graph(args) or 0
        return rc
    if cmd == "build-map":
        from engine.map.build import main as build_main

        extra = []
        if args.reference:
            extra += ["--reference", args.reference]
        if args.out:
            extra += ["--out", args.out]
        return build_main(extra) or 0
    if cmd == "sim":
        from engine.analysis.sim import cli_sim

        return cli_sim(args) or 0
    if cmd == "check":
        return _check(args.paths)
    if cmd == "validate":
        from engine.analysis.validate import cli_validate

        return cli_validate(args) or 0
    if cmd == "sensitivity":
        from engine.analysis.sensitivity import cli_sensitivity

        return cli_sensitivity(args) or 0
    if cmd == "schema":
        from engine.scenario.jsonschema import cli_schema

        return cli_schema(args) or 0
    if cmd == "edit":
        from .editor.launch import cli_edit

        return cli_edit(args) or 0
    if cmd == "bench":
        from engine.analysis.bench import cli_bench

        from .progress import step_progress

        with step_progress() as step:
            return cli_bench(args, step=step) or 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
