"""The "Test" button: N headless AI-vs-AI campaigns of the edited scenario in a background
thread (``engine.analysis.sim.run_one``, the same campaigns as ``xuefeng sim``), and the same
N of the historical scenario beside them, summarised for the outcome panel."""
from __future__ import annotations

import shutil
import statistics
import threading
from pathlib import Path

from engine.analysis.sim import forget_game, run_one, run_seeds

HISTORICAL = "west_hunan_1945"


class TestRun:
    def __init__(self, scenario: Path | str, runs: int = 10, seed: int = 0, variant: str | None = None,
                 baseline: Path | str | None = HISTORICAL, scratch: Path | None = None):
        self.scenario, self.variant, self.runs, self.seed = str(scenario), variant, int(runs), int(seed)
        self.baseline = str(baseline) if baseline else None
        self.rows: list[dict] = []
        self.base_rows: list[dict] = []
        self.error: str | None = None
        self.cancelled = False
        self.scratch = scratch  # a folder of the edited scenario's copy, removed when the run ends
        self._thread = threading.Thread(target=self._work, name="xuefeng-test", daemon=True)

    @property
    def total(self) -> int:
        return self.runs * (2 if self.baseline else 1)

    @property
    def done(self) -> int:
        return len(self.rows) + len(self.base_rows)

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive() and (self.error is not None or self.done == self.total or self.cancelled)

    def start(self) -> "TestRun":
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.cancelled = True

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _work(self) -> None:
        try:
            for target, rows, variant in ((self.scenario, self.rows, self.variant), (self.baseline, self.base_rows, None)):
                if target is None:
                    continue
                for i, s in enumerate(run_seeds(self.seed, self.runs)):
                    if self.cancelled:
                        return
                    row, _ = run_one(target, variant, i, s, "ai", with_turns=False)
                    rows.append(row)
        except Exception as exc:  # shown in the panel: the run stops, nothing is made up
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            forget_game(self.scenario, self.variant)  # the edited copy's game is not needed again
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)


def summary(rows: list[dict]) -> dict:
    """Outcome distribution of finished campaigns."""
    if not rows:
        return {}
    n = len(rows)

    def med(col):
        vals = [float(r[col]) for r in rows if r.get(col) is not None]
        return statistics.median(vals) if vals else float("nan")

    winners: dict[str, int] = {}
    for r in rows:
        winners[r["winner"] or "draw"] = winners.get(r["winner"] or "draw", 0) + 1
    return {
        "airfield held": f"{sum(1 for r in rows if r['zhijiang_held'])}/{n}",
        "winner": ", ".join(f"{k} {v}" for k, v in sorted(winners.items())),
        "JP killed": f"{med('japanese_killed'):.0f}",
        "JP wounded": f"{med('japanese_wounded'):.0f}",
        "JP captured": f"{med('japanese_captured'):.0f}",
        "JP sick": f"{med('japanese_sick'):.0f}",
        "CN killed": f"{med('chinese_killed'):.0f}",
        "CN wounded": f"{med('chinese_wounded'):.0f}",
        "CN missing": f"{med('chinese_missing'):.0f}",
        "penetration km": f"{med('japanese_max_penetration_km'):.1f}",
        "closest approach km": f"{med('japanese_closest_km_to_zhijiang'):.1f}",
    }


def comparison_html(run: TestRun) -> str:
    """The outcome panel's text (pygame_gui HTML): edited | historical; losses are medians."""
    a, b = summary(run.rows), summary(run.base_rows)
    head = f"<b>Test: {run.done}/{run.total} campaigns</b> (losses: medians)"
    if run.error:
        head += f"<br><font color='#ff7a6a'>failed: {run.error}</font>"
    lines = [head, f"<b>edited ({len(run.rows)})</b> | <b>historical ({len(run.base_rows)})</b>"]
    for k in list(a or b):
        lines.append(f"{k}: <b>{a.get(k, '-')}</b> | {b.get(k, '-')}")
    return "<br>".join(lines)
