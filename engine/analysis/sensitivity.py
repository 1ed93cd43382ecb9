"""Which calibrated parameters move which target: Morris elementary-effects screening (SALib).

    xuefeng sensitivity --trajectories 3 --runs 4 --seed 0 --out out/sensitivity

The parameters and their plausible ranges are scenario data (``scenarios/<id>/sensitivity.toml``).
SALib draws ``trajectories`` Morris trajectories (``trajectories * (k + 1)`` parameter points for
k parameters); each point plays ``runs`` campaigns AI versus AI with the same run seeds at every
point (common random numbers, so differences between points are the parameters', not the dice's),
and each target is measured on those runs.  For every target SALib's ``morris.analyze`` gives
mu* (mean absolute elementary effect over the whole range, in the target's units) and sigma
(interaction / non-linearity); parameters are ranked by mu*.

The cost is bounded by construction: points x runs campaigns (the defaults: 15 x 3 x 4 = 180 for
14 parameters, a few minutes on two cores).  Outputs: ``sensitivity.csv`` (one row per parameter and
target), ``sensitivity.json`` and the printed table.
"""
from __future__ import annotations

import concurrent.futures as cf
import csv
import json
import tomllib
import warnings
from pathlib import Path

from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SENSITIVITY_FILE = "sensitivity.toml"


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    path: str
    range: Annotated[list[float], Field(min_length=2, max_length=2)]

    @model_validator(mode="after")
    def _ordered(self):
        if not self.range[0] < self.range[1]:
            raise ValueError(f"range must be [low, high] with low < high (got {self.range})")
        return self


class Ranges(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    parameters: list[Parameter] = Field(min_length=2)


# target name -> (what it is, function of the run rows)
def _median(key):
    return lambda rows: float(np.median([float(key(r)) for r in rows]))


def _share(pred):
    return lambda rows: float(np.mean([1.0 if pred(r) else 0.0 for r in rows]))


TARGETS = {
    "V1 airfield held (share)": _share(lambda r: r["zhijiang_held"]),
    "V3 thrown back (share)": _share(lambda r: float(r["japanese_final_penetration_km"]) <= 30.0),
    "V4 Chinese casualties": _median(lambda r: r["chinese_casualties"]),
    "V5 Japanese battle casualties": _median(lambda r: r["japanese_battle_casualties"]),
    "V8 Japanese sick": _median(lambda r: r["japanese_sick"]),
    "max penetration km": _median(lambda r: r["japanese_max_penetration_km"]),
    "closest approach km": _median(lambda r: r["japanese_closest_km_to_zhijiang"]),
}


def load_ranges(scenario_path: Path) -> Ranges:
    """The parameter ranges beside ``scenario_path``; ValueError naming the file and field."""
    path = Path(scenario_path).parent / SENSITIVITY_FILE
    try:
        return Ranges.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the parameter ranges ({exc})") from None
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"{path}: {msgs}") from None


def _point(scenario: str, overrides: dict, seeds: list[int], compiled_paths: bool = False) -> list[dict]:
    """Play one campaign per seed with the parameters of one point; the run rows.  ``compiled_paths``
    switches this worker to the compiled shortest-path kernels (for good)."""
    from ..ai import make_player
    from ..core.game import Game
    from ..core.players import play_game
    from ..map import shortest_paths
    from .sim import row_from_result

    if compiled_paths and not shortest_paths.compiled():
        shortest_paths.use_compiled(True)  # raises, naming the reason, if numba is unusable
    game = Game.load(scenario, overrides=overrides)
    rows = []
    for i, s in enumerate(seeds):
        state = game.new_initial_state(s)
        res = play_game(state, {side: make_player(side, s) for side in ("japan", "china")})
        rows.append(row_from_result(res, i, s, None))
    return rows


def run(scenario: str = "west_hunan_1945", trajectories: int = 3, runs: int = 4, seed: int = 0, jobs: int = 2,
        levels: int = 4, progress=None, compiled_paths: bool = False) -> dict:
    """Morris screening; returns {"parameters", "targets", "results": {target: {param: {mu_star, sigma, rank}}},
    "points", "runs"}."""
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    from ..map.shortest_paths import compiled_while
    from ..scenario.loader import load_scenario
    from .sim import run_seeds

    scn = load_scenario(scenario)
    ranges = load_ranges(scn.source_path)
    for p in ranges.parameters:  # every path must name a scenario value inside its range
        load_scenario(scenario, overrides={p.path: p.range[0]})
    problem = {"num_vars": len(ranges.parameters), "names": [p.path for p in ranges.parameters],
               "bounds": [list(p.range) for p in ranges.parameters]}
    X = morris_sample.sample(problem, N=int(trajectories), num_levels=int(levels), seed=int(seed))
    seeds = run_seeds(seed, runs)
    points = [{name: float(v) for name, v in zip(problem["names"], x)} for x in X]
    Y = np.zeros((len(points), len(TARGETS)))

    def record(i, rows, done):
        Y[i] = [f(rows) for f in TARGETS.values()]
        if progress is not None:
            progress(done, len(points))

    if compiled_paths:
        from ..map.shortest_paths import require_compiled

        require_compiled()
    if int(jobs) <= 1:  # in this process
        with compiled_while(compiled_paths):
            for i, pt in enumerate(points):
                record(i, _point(scenario, pt, seeds), i + 1)
    else:
        with cf.ProcessPoolExecutor(max_workers=int(jobs)) as ex:
            futs = {ex.submit(_point, scenario, pt, seeds, compiled_paths): i for i, pt in enumerate(points)}
            for done, fut in enumerate(cf.as_completed(futs), 1):
                record(futs[fut], fut.result(), done)
    results = {}
    for j, target in enumerate(TARGETS):
        with warnings.catch_warnings():
            if int(trajectories) < 2:  # sigma is a standard deviation over trajectories: none from one
                warnings.simplefilter("ignore", RuntimeWarning)
            a = morris_analyze.analyze(problem, X, Y[:, j], num_levels=int(levels), seed=int(seed))
        order = np.argsort(-np.asarray(a["mu_star"]))
        # parameters that moved the target nothing at all share no rank (ties at zero)
        rank = {problem["names"][k]: (r + 1 if a["mu_star"][k] > 0 else None) for r, k in enumerate(order)}
        results[target] = {name: {"mu_star": float(a["mu_star"][k]), "sigma": _sigma(a["sigma"][k], trajectories),
                                  "rank": rank[name]} for k, name in enumerate(problem["names"])}
    return {"scenario": str(scenario), "parameters": problem["names"], "bounds": problem["bounds"],
            "targets": list(TARGETS), "results": results, "points": len(points), "runs": int(runs),
            "trajectories": int(trajectories), "levels": int(levels), "seed": int(seed)}


def _sigma(value, trajectories: int) -> float | None:
    """Morris sigma, or None when one trajectory leaves it undefined (so the JSON stays JSON,
    without NaN, and the CSV cell is empty)."""
    return float(value) if int(trajectories) >= 2 else None


def _fmt(x: float) -> str:
    return f"{x:.2f}" if abs(x) < 10 else f"{x:,.0f}"


def print_table(res: dict, console=None) -> None:
    from rich.table import Table

    from .console import wide_console

    con = console or wide_console()
    t = Table(title=f"Morris screening: mu* (rank) per target — {res['points']} points x {res['runs']} runs, "
                    f"{res['trajectories']} trajectories, seed {res['seed']}")
    t.add_column("parameter [range]")
    for target in res["targets"]:
        t.add_column(target, justify="right")
    for name, (lo, hi) in zip(res["parameters"], res["bounds"]):
        cells = []
        for target in res["targets"]:
            r = res["results"][target][name]
            cells.append(f"{_fmt(r['mu_star'])} ({r['rank'] or '–'})")
        t.add_row(f"{name} [{lo:g}, {hi:g}]", *cells)
    con.print(t)


def write_outputs(res: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "sensitivity.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    with open(out / "sensitivity.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["parameter", "low", "high", "target", "mu_star", "sigma", "rank"])
        for name, (lo, hi) in zip(res["parameters"], res["bounds"]):
            for target in res["targets"]:
                r = res["results"][target][name]
                w.writerow([name, lo, hi, target, round(r["mu_star"], 4),
                            "" if r["sigma"] is None else round(r["sigma"], 4), r["rank"]])


def cli_sensitivity(args) -> int:
    import sys

    from ..scenario.loader import ScenarioError

    for name in ("trajectories", "runs"):
        if getattr(args, name) < 1:
            print(f"xuefeng sensitivity: --{name} must be at least 1", file=sys.stderr)
            return 2
    try:
        res = run(args.scenario, trajectories=args.trajectories, runs=args.runs, seed=args.seed,
                  jobs=args.jobs or 2, levels=args.levels, compiled_paths=getattr(args, "compiled_paths", False),
                  progress=lambda d, n: print(f"\r{d}/{n} points", end="", file=sys.stderr, flush=True))
    except (ValueError, ScenarioError) as exc:
        print(f"\nxuefeng sensitivity: {exc}", file=sys.stderr)
        return 2
    print(file=sys.stderr)
    out = Path(args.out)
    write_outputs(res, out)
    print_table(res)
    written = "sensitivity.csv and sensitivity.json"
    if not getattr(args, "no_png", False):
        from .sensitivity_plot import plot

        plot(res, out / "sensitivity.png")
        written = "sensitivity.csv, sensitivity.json and sensitivity.png"
    print(f"written to {out}/{written}")
    return 0
