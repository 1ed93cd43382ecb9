"""No display: play a short AI-versus-AI campaign in the terminal instead of a window.

Prints one line per turn (date, weather, battles, Japanese closest approach to the
Zhijiang airfield and depth west of their start line, losses, airfield status) and the
result compared with 1945.  It plays 6 turns, and carries on to the end of the campaign
when the computer players are fast enough to finish within the time budget.
"""
from __future__ import annotations

import sys
import time

MIN_TURNS = 6
BUDGET_S = 20.0


def run_headless_campaign(cfg, turns: int | None = None, budget_s: float = BUDGET_S, out=None) -> int:
    out = out or sys.stdout

    def say(s=""):
        print(s, file=out, flush=True)

    t0 = time.perf_counter()
    from engine.api import Game, load_game, make_player, result

    from .texts import SIDE_EN, Namer, date_range, history_1945, log_entry, losses_total

    try:
        if cfg.load:
            game, state = load_game(cfg.load)
        else:
            game = Game.load(cfg.scenario, variant=cfg.variant)
            state = game.new_initial_state(seed=cfg.seed)
    except ValueError as exc:  # a bad scenario or save is reported before anything else is said
        print(f"xuefeng play: {exc}", file=sys.stderr)
        return 2
    say("No display found: running a short headless simulated campaign instead")
    say("(run `xuefeng play` on a desktop for the game; `xuefeng play --screenshot out.png` renders one frame)")
    namer = Namer(game, "en")
    scn = game.scenario
    title = getattr(scn.meta, "name", scn.meta.id)
    say(f"{title}: {game.start_date} to {game.end_date}, {game.n_turns} turns of {game.days_per_turn} days; "
        f"seed {cfg.seed}{', variant ' + cfg.variant if cfg.variant else ''}")
    players = {s: make_player(s, cfg.seed * 101 + i + 7, game) for i, s in enumerate(("japan", "china"))}
    say(f"Players: Japan {type(players['japan']).__name__}, China {type(players['china']).__name__}")
    say("")
    say(f"{'turn':>4}  {'dates':<20}{'weather':<10}{'fights':>6}  {'closest':>8}  {'depth':>6}  "
        f"{'Japan lost (sick)':>18}  {'China lost':>10}  airfield")
    limit = turns if turns is not None else MIN_TURNS
    full = turns is None
    n_log = len(state.log)
    t_turns = time.perf_counter()
    while not state.over:
        turn = state.turn
        while state.turn == turn and not state.over:
            players[state.side].play_phase(state)
        new = state.log[n_log:]
        n_log = len(state.log)
        fights = sum(1 for e in new if e.get("type") == "combat")
        r = result(state)
        lj = losses_total(state.losses["japan"])
        lc = losses_total(state.losses["china"])
        say(f"{turn:>4}  {date_range(game, turn):<20}{state.weather:<10}{fights:>6}  {r.closest_km:>6.0f}km  "
            f"{max(0.0, r.final_penetration_km):>4.0f}km  {lj:>9,} ({state.losses['japan']['sick']:>6,})  "
            f"{lc:>10,}  {state.airfield_status}")
        shown = 0
        for e in new:  # the turn's headlines: airfield events, the players' announcements, the biggest rout
            if e.get("type") in ("airfield", "victory", "note") and shown < 3:
                say(f"        · {log_entry(namer, e)[0]}")
                shown += 1
        routs = [e for e in new if e.get("type") == "combat" and e.get("outcome") in ("routed", "taken")]
        if routs and shown < 3:
            big = max(routs, key=lambda e: losses_total(e.get("defender_losses", {})))
            more = f" (and {len(routs) - 1} more)" if len(routs) > 1 else ""
            say(f"        · {log_entry(namer, big)[0]}{more}")
        if state.over:
            break
        done = state.turn - 1
        if done >= limit:
            elapsed = time.perf_counter() - t_turns
            per_turn = elapsed / max(1, done)
            remaining = game.n_turns - done
            if not full or time.perf_counter() - t0 + per_turn * remaining > budget_s:
                say(f"... stopping after {done} turns ({time.perf_counter() - t0:.1f} s); "
                    f"`xuefeng sim` plays whole campaigns in batches.")
                break
            if done == limit:
                say(f"... fast enough ({per_turn * 1000:.0f} ms per turn): playing on to the end")
    r = result(state)
    lj = losses_total(r.losses["japan"])
    lc = losses_total(r.losses["china"])
    say("")
    if state.over:
        say(f"Result: {SIDE_EN.get(r.winner, 'no winner')} wins on {r.end_date} (turn {r.turns}).")
    else:
        say(f"Position after turn {state.turn - 1} ({r.end_date}): campaign not finished.")
    h = history_1945(game)
    say(f"  Zhijiang airfield: {'held' if r.zhijiang_held else 'lost'} ({r.airfield_status}); 1945: {h['airfield']}.")
    say(f"  Japanese closest approach {r.closest_km:.0f} km; deepest {r.max_penetration_km:.0f} km west of the start "
        f"line, {r.final_penetration_km:.0f} km now (1945: {h['final_position']}).")
    say(f"  Chinese casualties {lc:,} (1945: {h['chinese_casualties']}).")
    say(f"  Japanese battle casualties {lj:,} (1945: {h['japanese_battle_casualties']}); "
        f"sick {r.losses['japan']['sick']:,} (1945: {h['japanese_sick']}).")
    say(f"({time.perf_counter() - t0:.1f} s)")
    return 0
