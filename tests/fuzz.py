"""Fuzzing the loaders with mutants of real saves and scenarios.

Each mutant must end in exactly one of two ways:
- refused with a ``ValueError`` whose every line names the file and a field (or a line and
  column), or
- accepted as a state that passes :func:`engine.core.consistency.state_problems`, and that
  plays on (a few phases of random legal play) without an exception, staying consistent.
Anything else is a crash (any other exception) or a silently inconsistent state.

    python -m tests.fuzz --saves 5000 --scenarios 3000      # the large run (minutes)

tests/test_fuzz.py runs a few dozen mutants through the same functions in CI.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
import tomllib
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from engine.ai.random_player import RandomPlayer
from engine.core.consistency import state_problems
from engine.core.game import Game
from engine.core.persistence import load_game
from engine.map.hexmap import HexMap
from engine.paths import SCENARIO_DIR
from engine.scenario.loader import load_scenario

SCENARIO = SCENARIO_DIR / "west_hunan_1945"
PLAY_PHASES = 3

NASTY = [float("nan"), float("inf"), float("-inf"), 0, -1, -5000, 10**18, 2**200, 0.0, -0.5, 1e308, "", "x",
         "sandstorm", True, False, None, [], {}, [1, 2], {"a": 1}, "/etc/passwd", 99, 1.5, 3]


@dataclass
class Tally:
    """Counts of outcomes, with the first few examples of each failure kind."""

    mutants: int = 0
    accepted: int = 0
    refused: int = 0
    crashes: list = field(default_factory=list)
    inconsistent: list = field(default_factory=list)
    unnamed: list = field(default_factory=list)

    def ok(self) -> bool:
        return not (self.crashes or self.inconsistent or self.unnamed)

    def line(self, what: str) -> str:
        return (f"{what}: {self.mutants} mutants, {self.accepted} accepted and consistent, {self.refused} refused; "
                f"{len(self.crashes)} crashes, {len(self.inconsistent)} silently inconsistent, "
                f"{len(self.unnamed)} refusals not naming file and field")


_FIELD = re.compile(r"^(?:line \d+, column \d+|not UTF-8 text \(byte \d+|\(top level\)|variant '[^']*'|'[^']*'|"
                    r"[A-Za-z_][\w-]*(?:\.[\w-]+|\.'[^']*'|\[\d+(?:\.\.\d+)?\])*)(?::|$| \()")


def names_file_and_field(msg: str, file_names: tuple[str, ...]) -> bool:
    """Every line of ``msg`` starts with one of the files, then a field path (or line/column)."""
    lines = [ln for ln in msg.splitlines() if ln.strip()]
    if not lines:
        return False
    for ln in lines:
        hit = next((f for f in file_names if f in ln.split(": ", 1)[0]), None)
        if hit is None:
            return False
        rest = ln.split(": ", 1)[1] if ": " in ln else ""
        rest = re.sub(r"^\(variant '[^']*'\): ", "", rest)
        if not rest or not _FIELD.match(rest):
            return False
    return True


# ------------------------------------------------------------------------ mutations
def _paths(obj, prefix=()):
    """Every (path, value) inside nested dicts/lists."""
    yield prefix, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _nasty(rng: random.Random, old):
    r = rng.random()
    if r < 0.5:
        return copy.deepcopy(rng.choice(NASTY))
    if isinstance(old, bool):
        return not old
    if isinstance(old, int):
        return old + rng.choice([-1, 1, -old - 1, 10**6, -10**6])
    if isinstance(old, float):
        return old * rng.choice([-1, 0, 10, 1e6])
    if isinstance(old, str):
        return old[: rng.randrange(len(old) + 1)] + rng.choice(["", "x", "_1"])
    return copy.deepcopy(rng.choice(NASTY))


def mutate_data(d, rng: random.Random, n_edits: int = 1):
    """A copy of ``d`` with ``n_edits`` random edits: set a value, delete a key, duplicate or
    drop a list item, or swap two values of the same key."""
    d = copy.deepcopy(d)
    for _ in range(n_edits):
        paths = [(p, v) for p, v in _paths(d) if p]
        path, old = rng.choice(paths)
        parent = d
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        op = rng.random()
        if op < 0.6:
            parent[key] = _nasty(rng, old)
        elif op < 0.75:
            del parent[key]
        elif op < 0.85 and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(old))
        elif op < 0.95:  # the same field of another item / another field's value
            same = [v for p, v in paths if p and p[-1] == key and p != path]
            parent[key] = copy.deepcopy(rng.choice(same)) if same else _nasty(rng, old)
        else:
            deep = []
            for _ in range(rng.choice([40, 600])):
                deep = [deep]
            parent[key] = deep
    return d


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Truncate, flip a byte, insert invalid UTF-8, or nest deeply, at the byte level."""
    op = rng.random()
    if op < 0.3:
        return data[: rng.randrange(len(data))]
    if op < 0.6:
        i = rng.randrange(len(data))
        return data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
    if op < 0.8:
        i = rng.randrange(len(data))
        return data[:i] + b"\xff\xfe\xc3" + data[i:]
    i = rng.randrange(len(data))
    return data[:i] + b"[" * 1000 + data[i:]


# --------------------------------------------------------------------------- saves
def base_saves(game, n: int = 4) -> list[dict]:
    """Real saves: random games stopped after different numbers of phases."""
    out = []
    for k in range(n):
        state = game.new_initial_state(100 + k)
        players = {"japan": RandomPlayer(k), "china": RandomPlayer(k + 50)}
        for _ in range(k * 9 + 1):
            if state.is_over:
                break
            players[state.side].play_phase(state)
        out.append(state.to_dict())
    return out


def _plays_on(state, seed: int) -> list[str]:
    """Play a few phases of random legal play; the consistency problems after each."""
    players = {"japan": RandomPlayer(seed), "china": RandomPlayer(seed + 1)}
    for _ in range(PLAY_PHASES):
        if state.is_over:
            break
        players[state.side].play_phase(state)
        errs = state_problems(state)
        if errs:
            return errs
    json.dumps(state.to_dict())
    return []


def fuzz_one_save(game, base: dict, seed: int, folder: Path, tally: Tally) -> None:
    rng = random.Random(seed)
    path = folder / f"save_{seed}.json"
    if rng.random() < 0.15:
        path.write_bytes(mutate_bytes(json.dumps(base).encode(), rng))
    else:
        try:
            body = json.dumps(mutate_data(base, rng, rng.choice([1, 1, 1, 2, 3])), allow_nan=True)
        except RecursionError:  # nested deeper than the writer goes: the byte-level mutants cover it
            return
        path.write_text(body)
    _judge(tally, seed, (path.name,), lambda: _load_and_play_save(path, game, seed))


def _load_and_play_save(path, game, seed):
    _, state = load_game(path, game)
    return state, seed


# ----------------------------------------------------------------------- scenarios
def fuzz_one_scenario(raw: dict, text: bytes, hexmap: HexMap, seed: int, folder: Path, tally: Tally) -> None:
    rng = random.Random(seed)
    d = folder / f"scn_{seed}"
    d.mkdir()
    map_mutant = rng.random() < 0.1
    if map_mutant:
        m = json.loads((SCENARIO / "map.json").read_text(encoding="utf-8"))
        (d / "map.json").write_text(json.dumps(mutate_data(m, rng, 1), allow_nan=True))
    else:
        (d / "map.json").symlink_to(SCENARIO / "map.json")
    if map_mutant:
        (d / "scenario.toml").write_bytes(text)
    elif rng.random() < 0.15:
        (d / "scenario.toml").write_bytes(mutate_bytes(text, rng))
    else:
        mutant = mutate_data(raw, rng, rng.choice([1, 1, 1, 2, 3]))
        try:
            body = tomlkit.dumps(mutant)
        except (Exception, RecursionError):  # a value TOML cannot hold (None, deep nesting): skip this one
            shutil.rmtree(d)
            return
        (d / "scenario.toml").write_text(body, encoding="utf-8")

    def load():
        variant = rng.choice([None, None, None, *raw.get("variants", {})])
        scn = load_scenario(d / "scenario.toml", variant=variant)
        game = Game.from_scenario(scn) if map_mutant else Game(scn, hexmap)
        return game.new_initial_state(seed), seed

    _judge(tally, seed, ("scenario.toml", "map.json"), load)
    shutil.rmtree(d)


# --------------------------------------------------------------------------- judge
def _judge(tally: Tally, seed: int, file_names, load) -> None:
    tally.mutants += 1
    try:
        try:
            state, s = load()
        except ValueError as exc:
            tally.refused += 1
            if not names_file_and_field(str(exc), file_names):
                tally.unnamed.append((seed, str(exc)[:300]))
            return
        errs = state_problems(state)
        if errs:
            tally.inconsistent.append((seed, errs[:3]))
            return
        errs = _plays_on(state, s)
        if errs:
            tally.inconsistent.append((seed, ["after play"] + errs[:3]))
            return
        tally.accepted += 1
    except RecursionError:
        tally.crashes.append((seed, "RecursionError"))
    except Exception:
        tally.crashes.append((seed, traceback.format_exc(limit=-3)))


def run(n_saves: int, n_scenarios: int, seed0: int = 0, verbose: bool = True) -> tuple[Tally, Tally]:
    game = Game.load("west_hunan_1945")
    saves = base_saves(game)
    text = (SCENARIO / "scenario.toml").read_bytes()
    raw = tomllib.loads(text.decode("utf-8"))
    hexmap = HexMap.load(SCENARIO / "map.json")
    ts, tc = Tally(), Tally()
    with tempfile.TemporaryDirectory(prefix="xuefeng_fuzz_") as tmp:
        folder = Path(tmp)
        t0 = time.time()
        i = 0
        while ts.mutants < n_saves:
            fuzz_one_save(game, saves[i % len(saves)], seed0 + i, folder, ts)
            (folder / f"save_{seed0 + i}.json").unlink(missing_ok=True)
            i += 1
            if verbose and i % 500 == 0:
                print(f"  saves {i + 1}/{n_saves} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
        t0 = time.time()
        i = 0
        while tc.mutants < n_scenarios:
            fuzz_one_scenario(raw, text, hexmap, seed0 + i, folder, tc)
            i += 1
            if verbose and i % 250 == 0:
                print(f"  scenarios {tc.mutants}/{n_scenarios} ({time.time() - t0:.0f} s)", file=sys.stderr,
                      flush=True)
    return ts, tc


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    p.add_argument("--saves", type=int, default=5000)
    p.add_argument("--scenarios", type=int, default=3000)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    t0 = time.time()
    ts, tc = run(a.saves, a.scenarios, a.seed)
    for name, t in (("saves", ts), ("scenarios", tc)):
        print(t.line(name))
        for kind in ("crashes", "inconsistent", "unnamed"):
            for seed, what in getattr(t, kind)[:5]:
                print(f"  {kind} seed {seed}: {what}")
    print(f"{time.time() - t0:.0f} s")
    return 0 if ts.ok() and tc.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
