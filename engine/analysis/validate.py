"""The historical validation targets V1-V8 (../shared/history/README.md).

    xuefeng validate --runs 200 --seed 0 --json out/validate.json

plays the historical scenario and the variants ``no_air`` and ``no_airlift`` (``--runs``
campaigns each, AI versus AI, through :func:`engine.analysis.sim.run_batch`) and checks:

V1  Zhijiang airfield still Chinese at the end            share of runs >= airfield_held_share
V2  Chinese victory                                        share of runs >= defender_wins_share
V3  by the end no Japanese unit > thrown_back_km west of its start  share >= thrown_back_share
V4  Chinese casualties (killed + wounded + missing)        median in chinese_casualties
V5  Japanese battle casualties (killed + wounded + capt.)  median in japanese_battle_casualties
V6  no_air vs historical: deeper Japanese penetration AND fewer Japanese battle casualties,
    each paired-bootstrap 95% CI of the difference of medians excluding 0 (in that direction)
V7  no_airlift vs historical: Japanese closest approach to Zhijiang nearer, CI excluding 0
V8  Japanese non-battle (sick) losses                       median in japanese_sick

Every variant is played on the same run seeds, so V6 and V7 compare the campaigns seed by
seed: the bootstrap resamples seeds (pairs), and each comparison reports effect sizes - the
median of the per-seed differences, Cohen's d_z (mean / sd of the per-seed differences)
and the share of seeds that moved in the expected direction.

The numbers of V1-V5 and V8 are the scenario's ``[validation]`` table.  The target computations are
pure functions of run rows and that table (:func:`evaluate`), tested apart from the campaigns.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

VARIANTS = (None, "no_air", "no_airlift")
N_BOOT = 2000


@dataclass
class TargetResult:
    id: str
    target: str
    band: str
    simulated: str
    passed: bool
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


# ----------------------------------------------------------------------- pure helpers
def share(rows: list[dict], pred) -> tuple[int, int, float]:
    """(count satisfying ``pred``, total, share)."""
    n = len(rows)
    k = sum(1 for r in rows if pred(r))
    return k, n, (k / n if n else 0.0)


def chinese_casualties(r: dict) -> int:
    return int(r["chinese_killed"]) + int(r["chinese_wounded"]) + int(r["chinese_missing"])


def japanese_battle_casualties(r: dict) -> int:
    return int(r["japanese_killed"]) + int(r["japanese_wounded"]) + int(r["japanese_captured"])


def median_p10_p90(values) -> tuple[float, float, float]:
    a = np.asarray(list(values), dtype=float)
    if a.size == 0:
        return (float("nan"),) * 3
    p10, med, p90 = np.percentile(a, [10, 50, 90])
    return float(med), float(p10), float(p90)


def bootstrap_median_diff(a, b, n_boot: int = N_BOOT, seed: int = 0, alpha: float = 0.05):
    """Median(a) - median(b) and its percentile bootstrap (1 - alpha) CI.

    a and b are resampled independently with replacement ``n_boot`` times with a seeded
    numpy Generator, so the same inputs and seed give the same interval.
    Returns (diff, lo, hi); NaNs when either sample is empty.
    """
    a = np.asarray(list(a), dtype=float)
    b = np.asarray(list(b), dtype=float)
    if a.size == 0 or b.size == 0:
        nan = float("nan")
        return nan, nan, nan
    rng = np.random.default_rng(seed)
    ma = np.median(a[rng.integers(0, a.size, size=(n_boot, a.size))], axis=1)
    mb = np.median(b[rng.integers(0, b.size, size=(n_boot, b.size))], axis=1)
    d = ma - mb
    lo, hi = np.percentile(d, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(np.median(a) - np.median(b)), float(lo), float(hi)


def paired(a_rows: list[dict], b_rows: list[dict], key) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``key(row)`` for the runs both batches played with the same seed, in seed order."""
    b_by_seed = {r["seed"]: r for r in b_rows}
    common = [r for r in a_rows if r["seed"] in b_by_seed]
    a = np.asarray([key(r) for r in common], dtype=float)
    b = np.asarray([key(b_by_seed[r["seed"]]) for r in common], dtype=float)
    return a, b


def paired_bootstrap_median_diff(a, b, n_boot: int = N_BOOT, seed: int = 0, alpha: float = 0.05):
    """Median(a) - median(b) for paired samples and its paired percentile bootstrap CI.

    The pairs (a[i], b[i]) - one seed played in two variants - are resampled together, so
    the seed-to-seed spread common to both variants does not widen the interval.
    Returns (diff, lo, hi); NaNs when there are no pairs.
    """
    a = np.asarray(list(a), dtype=float)
    b = np.asarray(list(b), dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length ({a.size} and {b.size})")
    if a.size == 0:
        nan = float("nan")
        return nan, nan, nan
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, a.size, size=(n_boot, a.size))
    d = np.median(a[idx], axis=1) - np.median(b[idx], axis=1)
    lo, hi = np.percentile(d, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(np.median(a) - np.median(b)), float(lo), float(hi)


def paired_effect(a, b, expected_sign: int) -> dict:
    """Effect sizes of a paired comparison: median per-seed difference, Cohen's d_z, and the
    share of seeds whose difference has ``expected_sign``."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if d.size == 0:
        return {"median_paired_diff": float("nan"), "d_z": float("nan"), "share_expected": float("nan"), "pairs": 0}
    sd = float(np.std(d, ddof=1)) if d.size > 1 else 0.0
    dz = float(np.mean(d) / sd) if sd > 0 else float("nan")
    return {"median_paired_diff": float(np.median(d)), "d_z": dz,
            "share_expected": float(np.mean(np.sign(d) == expected_sign)), "pairs": int(d.size)}


def _fmt_share(k: int, n: int) -> str:
    return f"{100 * k / n:.0f}% ({k}/{n})" if n else "no runs"


def _fmt_med(med, p10, p90, unit="") -> str:
    if np.isnan(med):
        return "no runs"
    return f"median {med:,.0f}{unit} (p10–p90 {p10:,.0f}–{p90:,.0f})"


def _share_target(tid, text, band, rows, pred, threshold) -> TargetResult:
    k, n, s = share(rows, pred)
    return TargetResult(tid, text, band, _fmt_share(k, n), bool(n and s >= threshold),
                        {"count": k, "runs": n, "share": round(s, 4), "threshold": threshold})


def _median_target(tid, text, band, values, lo, hi) -> TargetResult:
    med, p10, p90 = median_p10_p90(values)
    ok = bool(not np.isnan(med) and lo <= med <= hi)
    return TargetResult(tid, text, band, _fmt_med(med, p10, p90), ok,
                        {"median": med, "p10": p10, "p90": p90, "low": lo, "high": hi})


def _diff_text(name, d, lo, hi, unit, eff: dict | None = None) -> str:
    if np.isnan(d):
        return f"{name}: no runs"
    text = f"{name} {d:+,.1f}{unit} (95% CI {lo:+,.1f} to {hi:+,.1f})"
    if eff is not None and eff["pairs"]:
        dz = "n/a" if np.isnan(eff["d_z"]) else f"{eff['d_z']:+.2f}"
        text += f", d_z {dz}, {100 * eff['share_expected']:.0f}% of seeds"
    return text


def evaluate(hist: list[dict], no_air: list[dict] | None, no_airlift: list[dict] | None,
             seed: int = 0, n_boot: int = N_BOOT, missing: dict | None = None, *, targets) -> list[TargetResult]:
    """V1-V8 from run rows (dicts with the runs.csv columns) and ``targets``, the scenario's
    ``[validation]`` table.

    ``no_air`` / ``no_airlift`` may be None when the variant could not be run; ``missing``
    then maps the variant name to the reason, and its target fails saying so.
    """
    missing = missing or {}
    t = targets
    km = t.thrown_back_km
    v4, v5 = t.chinese_casualties, t.japanese_battle_casualties
    res = [
        _share_target("V1", "Zhijiang airfield still Chinese at the end", f"≥ {t.airfield_held_share:.0%} of runs",
                      hist, lambda r: bool(r["zhijiang_held"]), t.airfield_held_share),
        _share_target("V2", "Chinese victory under the scenario's victory conditions",
                      f"≥ {t.defender_wins_share:.0%} of runs",
                      hist, lambda r: r["winner"] == "china", t.defender_wins_share),
        _share_target("V3", f"Japanese thrown back: at the end no Japanese unit > {km:.0f} km west of "
                      "its start line", f"≥ {t.thrown_back_share:.0%} of runs",
                      hist, lambda r: float(r["japanese_final_penetration_km"]) <= km, t.thrown_back_share),
        _median_target("V4", "Chinese casualties (killed, wounded, missing)", f"median {v4.low:,} – {v4.high:,}",
                       [chinese_casualties(r) for r in hist], v4.low, v4.high),
        _median_target("V5", "Japanese battle casualties (killed, wounded, captured)",
                       f"median {v5.low:,} – {v5.high:,}",
                       [japanese_battle_casualties(r) for r in hist], v5.low, v5.high),
    ]

    v6_text = "Without Allied air support (no_air): deeper penetration and fewer Japanese casualties"
    v6_band = "paired (same seeds) bootstrap 95% CIs of the median differences exclude 0 (penetration > 0, casualties < 0)"
    if no_air is None:
        res.append(TargetResult("V6", v6_text, v6_band, f"not run: {missing.get('no_air', 'variant unavailable')}",
                                False))
    else:
        pa, pb = paired(no_air, hist, lambda r: r["japanese_max_penetration_km"])
        ca, cb = paired(no_air, hist, japanese_battle_casualties)
        dp = paired_bootstrap_median_diff(pa, pb, n_boot, seed)
        dc = paired_bootstrap_median_diff(ca, cb, n_boot, seed + 1)
        ep, ec = paired_effect(pa, pb, +1), paired_effect(ca, cb, -1)
        ok_p = bool(dp[1] > 0)
        ok_c = bool(dc[2] < 0)
        res.append(TargetResult(
            "V6", v6_text, v6_band,
            _diff_text("penetration", *dp, " km", ep) + "; " + _diff_text("Japanese battle casualties", *dc, "", ec),
            ok_p and ok_c,
            {"penetration_diff": dp, "casualty_diff": dc, "deeper": ok_p, "fewer_casualties": ok_c,
             "penetration_effect": ep, "casualty_effect": ec, "runs": [len(no_air), len(hist)]}))

    v7_text = "Without the New 6th Corps airlift (no_airlift): Japanese closest approach to Zhijiang nearer"
    v7_band = "paired (same seeds) bootstrap 95% CI of the median difference excludes 0 (< 0)"
    if no_airlift is None:
        res.append(TargetResult("V7", v7_text, v7_band,
                                f"not run: {missing.get('no_airlift', 'variant unavailable')}", False))
    else:
        ka, kb = paired(no_airlift, hist, lambda r: r["japanese_closest_km_to_zhijiang"])
        dk = paired_bootstrap_median_diff(ka, kb, n_boot, seed + 2)
        ek = paired_effect(ka, kb, -1)
        res.append(TargetResult("V7", v7_text, v7_band, _diff_text("closest approach", *dk, " km", ek),
                                bool(dk[2] < 0), {"closest_diff": dk, "closest_effect": ek,
                                                  "runs": [len(no_airlift), len(hist)]}))
    v8 = t.japanese_sick
    res.append(_median_target("V8", "Japanese non-battle (sick) losses", f"median {v8.low:,} – {v8.high:,}",
                              [int(r["japanese_sick"]) for r in hist], v8.low, v8.high))
    return res


# ----------------------------------------------------------------------------- running
def rows_for(scenario: str, variant: str | None, runs: int, seed: int, jobs: int,
             players: str = "ai", progress: bool = False, compiled_paths: bool = False) -> list[dict]:
    """Run rows for one variant through the shared batch runner (no files, no plots)."""
    from .sim import run_batch

    out = run_batch(scenario, runs=runs, seed=seed, out_dir=None, jobs=jobs, variant=variant,
                    players=players, with_turns=False, plots=False, progress=progress,
                    compiled_paths=compiled_paths)
    if out["interrupted"]:
        raise KeyboardInterrupt
    return out["rows"]


def validate(scenario: str = "west_hunan_1945", runs: int = 200, seed: int = 0, jobs: int = 0,
             players: str = "ai", progress: bool = False, compiled_paths: bool = False) -> list[TargetResult]:
    """Run the three batches and evaluate V1-V8 against the scenario's ``[validation]`` table."""
    from ..scenario.loader import load_scenario

    targets = load_scenario(scenario).validation
    batches, missing = run_batches(scenario, runs, seed, jobs, players, progress, compiled_paths)
    return evaluate(batches[None], batches["no_air"], batches["no_airlift"], seed=seed, missing=missing,
                    targets=targets)


def run_batches(scenario: str, runs: int, seed: int, jobs: int, players: str = "ai",
                progress: bool = False, compiled_paths: bool = False) -> tuple[dict, dict]:
    """({variant: rows or None}, {variant: why it could not be run}) for the validation variants.
    The historical batch runs first and its failure (a missing numba with ``compiled_paths``)
    is raised."""
    batches: dict = {}
    missing: dict = {}
    for v in VARIANTS:
        try:
            batches[v] = rows_for(scenario, v, runs, seed, jobs, players, progress, compiled_paths)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # a missing variant must not hide the other targets
            if v is None:
                raise
            batches[v] = None
            missing[v] = f"{type(exc).__name__}: {exc}"
    return batches, missing


def _clean(x):
    """JSON-safe: tuples to lists, numpy scalars to Python, NaN/inf to None."""
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (np.floating, float)):
        return float(x) if np.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    return x


def results_json(results: list[TargetResult], **meta) -> dict:
    return _clean({**meta, "passed": all(r.passed for r in results), "targets": [r.to_dict() for r in results]})


def print_table(results: list[TargetResult], console=None, title: str = "Validation against 1945") -> None:
    from rich.table import Table

    from .console import wide_console

    con = console or wide_console()
    t = Table(title=title, show_lines=True)
    t.add_column("#", style="bold")
    t.add_column("target")
    t.add_column("historical band")
    t.add_column("simulated")
    t.add_column("result", justify="center")
    for r in results:
        t.add_row(r.id, r.target, r.band, r.simulated, "[green]PASS[/]" if r.passed else "[red]FAIL[/]")
    con.print(t)
    n_ok = sum(r.passed for r in results)
    con.print(f"{n_ok}/{len(results)} targets met")


def cli_validate(args) -> int:
    import sys

    from .console import wide_console

    con = wide_console()
    from . import timeline as tl
    from .sim import get_game

    players = getattr(args, "players", "ai")
    game = get_game(args.scenario)
    try:
        record = tl.load_record(game)
    except ValueError as exc:
        print(f"xuefeng validate: {exc}", file=sys.stderr)
        return 2
    batches, missing = run_batches(args.scenario, args.runs, args.seed, args.jobs, players, sys.stderr.isatty(),
                                   getattr(args, "compiled_paths", False))
    results = evaluate(batches[None], batches["no_air"], batches["no_airlift"], seed=args.seed, missing=missing,
                       targets=game.scenario.validation)
    print_table(results, con, title=f"Validation against 1945 — {args.runs} runs per variant, seed {args.seed}, "
                                   f"players {players}")
    places = tl.place_timeline(batches[None], record, {k: p.name_en for k, p in game.map.places.items()})
    tl.print_table(places, con, title=f"Places changing hands: 1945 against {args.runs} campaigns (seed {args.seed})")
    png = getattr(args, "timeline", None)
    if png:
        Path(png).parent.mkdir(parents=True, exist_ok=True)
        tl.plot_png(places, png, game.start_date, game.end_date)
        con.print(f"timeline chart written to {png}")
    if getattr(args, "json", None):
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = results_json(results, scenario=str(args.scenario), runs=args.runs, seed=args.seed,
                           players=players, timeline=tl.to_json(places))
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
        con.print(f"JSON written to {path}")
    return 0 if all(r.passed for r in results) else 1
