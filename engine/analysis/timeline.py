"""The timeline report: when the record's places fell and were retaken, simulated against 1945.

For each place of ``scenarios/<id>/timeline.toml`` (the record's fall and retake dates, or
"held") it reads the changes of control of every simulated campaign (the private
``_control_changes`` of :func:`engine.analysis.sim.run_one` rows) and gives the share of
runs in which the place fell, the share retaken, the p10 / median / p90 dates of both, and
the share still Japanese at the end - as a table and a Gantt-like PNG.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

TIMELINE_FILE = "timeline.toml"
Span = Annotated[list[dt.date], Field(min_length=2, max_length=2)]


class RecordPlace(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    key: str
    fell: Span | None = None  # [first, last] day of the record
    retaken: Span | None = None
    held: bool = False

    @model_validator(mode="after")
    def _consistent(self):
        if self.held == (self.fell is not None):
            raise ValueError("give either fell = [first, last] or held = true")
        if self.retaken is not None and self.fell is None:
            raise ValueError("retaken needs fell")
        return self


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    places: list[RecordPlace]


def load_record(game) -> Record:
    """The record's timeline beside the game's scenario.toml; ValueError naming file and field."""
    path = Path(game.scenario.source_path).parent / TIMELINE_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        rec = Record.model_validate(raw)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the record's timeline ({exc})") from None
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"{path}: {msgs}") from None
    for i, p in enumerate(rec.places):
        if p.key not in game.place_hex:
            raise ValueError(f"{path}: places.{i}.key: unknown place {p.key!r}")
    return rec


def _quantile_dates(dates: list[dt.date]) -> tuple[dt.date, dt.date, dt.date] | None:
    if not dates:
        return None
    ords = np.asarray([d.toordinal() for d in dates], dtype=float)
    return tuple(dt.date.fromordinal(int(round(q))) for q in np.percentile(ords, [10, 50, 90]))


def place_timeline(rows: list[dict], record: Record, names: dict[str, str] | None = None) -> list[dict]:
    """Per record place: fall / retake shares and p10-median-p90 dates over the runs.

    ``names`` (place key -> display name) labels the table and chart; keys are used without it.
    """
    out = []
    n = len(rows)
    for p in record.places:
        fell, retaken, japanese_at_end = [], [], 0
        for r in rows:
            changes = (r.get("_control_changes") or {}).get(p.key, [])
            first_fall = next((i for i, (_, side) in enumerate(changes) if side == "japan"), None)
            if first_fall is None:
                continue
            fell.append(dt.date.fromisoformat(changes[first_fall][0]))
            back = next((d for d, side in changes[first_fall + 1:] if side == "china"), None)
            if back is not None:
                retaken.append(dt.date.fromisoformat(back))
            if changes[-1][1] == "japan":
                japanese_at_end += 1
        out.append({
            "key": p.key, "name": (names or {}).get(p.key, p.key), "runs": n,
            "record_fell": p.fell, "record_retaken": p.retaken, "record_held": p.held,
            "fell_share": len(fell) / n if n else float("nan"),
            "retaken_share": len(retaken) / n if n else float("nan"),
            "japanese_at_end_share": japanese_at_end / n if n else float("nan"),
            "fell_dates": _quantile_dates(fell), "retaken_dates": _quantile_dates(retaken),
        })
    return out


def _d(d) -> str:
    return d.strftime("%d %b") if d is not None else "–"


def _span(pair) -> str:
    if pair is None:
        return "–"
    a, b = pair
    return _d(a) if a == b else f"{_d(a)}–{_d(b)}"


def _sim(q) -> str:
    return "–" if q is None else f"{_d(q[1])} ({_d(q[0])}–{_d(q[2])})"


def table_rows(timeline: list[dict]) -> list[list[str]]:
    """[place, record, fell %, fall median (p10-p90), retaken %, retake median (p10-p90), Japanese at end %]."""
    rows = []
    for t in timeline:
        record = "held" if t["record_held"] else f"fell {_span(t['record_fell'])}" + (
            f", retaken {_span(t['record_retaken'])}" if t["record_retaken"] else "")
        rows.append([t.get("name", t["key"]), record, f"{100 * t['fell_share']:.0f}%", _sim(t["fell_dates"]),
                     f"{100 * t['retaken_share']:.0f}%", _sim(t["retaken_dates"]),
                     f"{100 * t['japanese_at_end_share']:.0f}%"])
    return rows


HEADERS = ["place", "record (1945)", "fell", "fell: median (p10–p90)", "retaken", "retaken: median (p10–p90)",
           "Japanese at end"]


def print_table(timeline: list[dict], console=None, title: str = "Timeline against the record") -> None:
    from rich.table import Table

    from .console import wide_console

    con = console or wide_console()
    t = Table(title=title)
    for h in HEADERS:
        t.add_column(h)
    for r in table_rows(timeline):
        t.add_row(*r)
    con.print(t)


def to_json(timeline: list[dict]) -> list[dict]:
    def iso(x):
        if x is None:
            return None
        return [d.isoformat() for d in x]

    return [{**t, "record_fell": iso(t["record_fell"]), "record_retaken": iso(t["record_retaken"]),
             "fell_dates": iso(t["fell_dates"]), "retaken_dates": iso(t["retaken_dates"])} for t in timeline]


def plot_png(timeline: list[dict], path: str | Path, start: dt.date, end: dt.date, title: str = "") -> None:
    """Gantt-like chart: per place, the record (fall to retake, hatched band for the record's
    date spans) above the simulated p10-p90 spans and medians of the fall and the retake."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    n = len(timeline)
    fig, ax = plt.subplots(figsize=(11, 0.9 * n + 1.6))
    for i, t in enumerate(timeline):
        y = n - 1 - i
        # record: Japanese hold from the fall to the retake (or to the end)
        if t["record_held"]:
            ax.text(mdates.date2num(start) + 0.5, y + 0.22, "held in 1945", fontsize=8, va="center", color="#2b5d34")
        else:
            f0, f1 = t["record_fell"]
            r0 = t["record_retaken"][0] if t["record_retaken"] else end
            ax.barh(y + 0.22, mdates.date2num(r0) - mdates.date2num(f1), left=mdates.date2num(f1), height=0.25,
                    color="#b03a2e", alpha=0.85, label="1945: in Japanese hands" if i == 0 else None)
            for span in (t["record_fell"], t["record_retaken"]):
                if span is not None:
                    ax.barh(y + 0.22, max(1, (span[1] - span[0]).days + 1), left=mdates.date2num(span[0]),
                            height=0.25, color="none", edgecolor="black", hatch="///")
        # simulated
        fq, rq = t["fell_dates"], t["retaken_dates"]
        if fq is not None:
            # the median campaign holds the place to the median retake, or to the end if most keep it
            hold_to = rq[1] if rq is not None and t["retaken_share"] >= 0.5 * t["fell_share"] else end
            ax.barh(y - 0.18, mdates.date2num(hold_to) - mdates.date2num(fq[1]), left=mdates.date2num(fq[1]),
                    height=0.25, color="#e59866", alpha=0.9)
            ax.plot([mdates.date2num(fq[0]), mdates.date2num(fq[2])], [y - 0.18] * 2, color="#7b241c", lw=2.5)
            ax.plot(mdates.date2num(fq[1]), y - 0.18, "v", color="#7b241c")
        if rq is not None:
            ax.plot([mdates.date2num(rq[0]), mdates.date2num(rq[2])], [y - 0.18] * 2, color="#1e8449", lw=2.5)
            ax.plot(mdates.date2num(rq[1]), y - 0.18, "^", color="#1e8449")
        ax.text(mdates.date2num(end) + 1, y - 0.18,
                f"fell {100 * t['fell_share']:.0f}%, retaken {100 * t['retaken_share']:.0f}%, "
                f"Japanese at end {100 * t['japanese_at_end_share']:.0f}%", fontsize=8, va="center")
    ax.set_ylim(-0.7, n - 0.4)
    ax.set_yticks(range(n))
    ax.set_yticklabels([t.get("name", t["key"]) for t in reversed(timeline)])
    ax.set_xlim(mdates.date2num(start), mdates.date2num(end) + 28)
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=0))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.axvline(mdates.date2num(end), color="grey", lw=0.8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or "Places changing hands: 1945 (upper bar) against the simulation (lower: median "
                          "holding, p10–p90 of fall ▼ and retake ▲)", fontsize=9)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
