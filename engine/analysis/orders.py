"""What a batch keeps to rebuild any of its runs: ``orders/run_N.json``.

Each file holds the run's scenario id and variant, its seed, its history without the
chance records (the orders, the AI's memory records, notes and branches:
:func:`engine.core.play.replay` redraws the chances from the seed) and the final state's
hash, so a replay can prove it reached the same game.  About 75 KB a campaign.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..userfiles import MAX_SAVE_BYTES, UserFileError, parse_json, read_text

FORMAT = "xuefeng-orders"
VERSION = 1
ORDERS_DIR = "orders"


def orders_path(batch_dir: str | Path, run: int) -> Path:
    return Path(batch_dir) / ORDERS_DIR / f"run_{int(run)}.json"


def orders_text(state, run: int) -> str:
    """The orders file of a finished run (compact JSON)."""
    scn = state.game.scenario
    doc = {
        "format": FORMAT, "version": VERSION, "run": int(run),
        "scenario": scn.meta.id, "variant": scn.variant, "seed": int(state.seed),
        "final_hash": state.state_hash(), "turns": int(state.turn),
        "history": [r for r in state.history if r.get("type") != "chance"],
    }
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class RunOrders:
    """A run of a batch as read back: enough for ``engine.api.replay(game, seed, history)``."""

    path: Path
    run: int
    scenario: str
    variant: str | None
    seed: int
    final_hash: str
    history: list[dict]


def read_orders(batch_dir: str | Path, run: int) -> RunOrders:
    """Read run ``run`` of the batch in ``batch_dir``; a ValueError names the file and field."""
    path = orders_path(batch_dir, run)
    if not path.exists():
        raise UserFileError(f"{path}: no orders for run {run} (was the batch run with --no-orders, "
                            f"or does it have fewer runs?)")
    src = str(path)
    d = parse_json(read_text(path, "orders file", MAX_SAVE_BYTES), src)
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise UserFileError(f"{src}: format: expected a Xuefeng orders object (format {FORMAT!r})")
    if d.get("version") != VERSION:
        raise UserFileError(f"{src}: version: expected {VERSION} (got {str(d.get('version'))[:20]!r})")
    checks = [("scenario", str), ("seed", int), ("final_hash", str), ("history", list), ("run", int)]
    for key, typ in checks:
        v = d.get(key)
        if not isinstance(v, typ) or isinstance(v, bool):
            raise UserFileError(f"{src}: {key}: expected {typ.__name__} (got {type(v).__name__})")
    if d["variant"] is not None and not isinstance(d["variant"], str):
        raise UserFileError(f"{src}: variant: expected a variant name or null")
    if d["run"] != int(run):
        raise UserFileError(f"{src}: run: the file is for run {d['run']}, expected {run}")
    for i, rec in enumerate(d["history"]):
        if not isinstance(rec, dict) or not isinstance(rec.get("type"), str):
            raise UserFileError(f"{src}: history[{i}]: expected a record with a 'type'")
    return RunOrders(path, d["run"], d["scenario"], d["variant"], d["seed"], d["final_hash"], d["history"])
