"""Cross-reference checks of a schema-valid scenario: ids, formations, place keys, sums, dates."""
from __future__ import annotations

from .schema import AXIS_BASES, SIDE_NAMES, TOLERANCE, SCENARIO_ID, Scenario

def cross_check(s: Scenario, place_keys: set[str] | None) -> list[str]:
    errs: list[str] = []
    start, end = s.meta.start_date, s.meta.end_date

    def place(path: str, key: str | None, what: str = "") -> None:
        if key is None or place_keys is None:
            return
        if key not in place_keys:
            errs.append(f"{path}: unknown place key {key!r} "
                        f"(expected one of the keys in west_hunan_places / map places){what}")

    def cites(path: str, source: str) -> None:
        for k in (x.strip() for x in source.split("+")):
            if k not in s.meta.sources:
                errs.append(f"{path}: unknown source key {k!r} (expected keys of meta.sources joined "
                            f"by '+': {', '.join(s.meta.sources)})")

    # sides
    if set(s.sides) != set(SIDE_NAMES):
        errs.append(f"sides: expected exactly the tables sides.japan and sides.china (got {', '.join(s.sides) or 'none'})")
    terrain_names = set(s.terrain)
    for side, sp in s.sides.items():
        split = sp.casualty_split
        total = split.killed + split.wounded + split.captured
        if abs(total - 1.0) > TOLERANCE:
            errs.append(f"sides.{side}.casualty_split: killed + wounded + captured = {total:.6g} (expected 1)")
        for i, k in enumerate(sp.supply_sources):
            place(f"sides.{side}.supply_sources[{i}]", k)
        for i, k in enumerate(sp.start_control):
            place(f"sides.{side}.start_control[{i}]", k)
        for t in sp.sickness_terrain_mult:
            if t not in terrain_names:
                errs.append(f"sides.{side}.sickness_terrain_mult.{t}: unknown terrain "
                            f"(expected one of: {', '.join(s.terrain)})")
        for t in s.terrain:
            if t not in sp.sickness_terrain_mult:
                errs.append(f"sides.{side}.sickness_terrain_mult.{t}: missing (every terrain needs a multiplier)")
    controls = [set(sp.start_control) for sp in s.sides.values()]
    both = set.intersection(*controls) if len(controls) > 1 else set()
    for k in sorted(both):
        errs.append(f"sides: place {k!r} is in the start_control of both sides (expected at most one)")

    # terrain
    codes = [t.code for t in s.terrain.values()]
    dup = {c for c in codes if codes.count(c) > 1}
    for c in sorted(dup):
        errs.append(f"terrain: code {c!r} is used by more than one terrain (expected unique codes)")

    # air
    total_p = sum(w.probability for w in s.air.weather.values())
    if abs(total_p - 1.0) > TOLERANCE:
        errs.append(f"air.weather: probabilities sum to {total_p:.6g} (expected 1)")
    missing_air = [side for side in SIDE_NAMES if side not in s.air.sides]
    if missing_air:
        errs.append(f"air.sides: missing {', '.join(f'air.sides.{m}' for m in missing_air)} "
                    f"(expected a table for each side: aircraft, sorties per aircraft, bases)")
    for side, a in s.air.sides.items():
        if side not in SIDE_NAMES:
            errs.append(f"air.sides.{side}: unknown side (expected japan or china)")
        for i, k in enumerate(a.bases):
            place(f"air.sides.{side}.bases[{i}]", k)

    # victory
    place("victory.airfield", s.victory.airfield)
    for i, k in enumerate(s.victory.key_places):
        place(f"victory.key_places[{i}]", k)

    # history and validation: every figure cites meta.sources
    h = s.history
    cites("history.source", h.source)
    for name in ("chinese_casualties", "japanese_battle_casualties", "japanese_sick"):
        for i, f in enumerate(getattr(h, name)):
            cites(f"history.{name}[{i}].source", f.source)
    cites("history.japanese_battle_casualties_range.source", h.japanese_battle_casualties_range.source)
    cites("history.japanese_sick_range.source", h.japanese_sick_range.source)
    cites("validation.source", s.validation.source)
    cites("validation.chinese_casualties.source", s.validation.chinese_casualties.source)
    cites("validation.japanese_battle_casualties.source", s.validation.japanese_battle_casualties.source)
    cites("validation.japanese_sick.source", s.validation.japanese_sick.source)

    # formations
    fids: dict[str, int] = {}
    for i, f in enumerate(s.formations):
        if f.id in fids:
            errs.append(f"formations[{i}].id: duplicate id {f.id!r} (also formations[{fids[f.id]}])")
        fids.setdefault(f.id, i)
        cites(f"formations[{i}].source", f.source)
    for i, f in enumerate(s.formations):
        if f.parent is not None:
            if f.parent not in fids:
                errs.append(f"formations[{i}].parent: unknown formation {f.parent!r} (expected the id of a formation)")
            elif s.formations[fids[f.parent]].side != f.side:
                errs.append(f"formations[{i}].parent: {f.parent!r} belongs to the other side")
    for i, f in enumerate(s.formations):  # cycles
        seen, fid = set(), f.id
        while fid in fids and fid not in seen:
            seen.add(fid)
            fid = s.formations[fids[fid]].parent
        if fid in seen:
            errs.append(f"formations[{i}].parent: the parent chain of {f.id!r} loops")

    # axes (AI plan data)
    axes = s.ai.japan.axes
    for name, ax in axes.items():
        if not str(name).startswith(AXIS_BASES):
            errs.append(f"ai.japan.axes.{name}: axis names must start with south, centre, north or feint")
        for j, k in enumerate(ax.objectives):
            place(f"ai.japan.axes.{name}.objectives[{j}]", k)
    place("ai.japan.withdraw_base", s.ai.japan.withdraw_base)

    # units
    holders = {k: side for side, sp in s.sides.items() for k in sp.start_control}
    defender = next(x for x in SIDE_NAMES if x != s.victory.attacker)  # holds every place not listed
    uids: dict[str, int] = {}
    for i, u in enumerate(s.units):
        p = f"units[{i}]"
        if u.id in uids:
            errs.append(f"{p}.id: duplicate id {u.id!r} (also units[{uids[u.id]}])")
        elif u.id in fids:
            errs.append(f"{p}.id: {u.id!r} is also the id of formations[{fids[u.id]}] "
                        f"(expected ids unique across units and formations)")
        uids.setdefault(u.id, i)
        if u.formation not in fids:
            errs.append(f"{p}.formation: unknown formation {u.formation!r} "
                        f"(expected the id of a formation in [[formations]]) [unit {u.id!r}]")
        elif s.formations[fids[u.formation]].side != u.side:
            errs.append(f"{p}.formation: {u.formation!r} belongs to the other side (unit {u.id!r} is {u.side})")
        if u.kind not in s.movement.mp:
            errs.append(f"{p}.kind: unknown unit kind {u.kind!r} (expected a key of movement.mp: "
                        f"{', '.join(s.movement.mp)})")
        place(f"{p}.start", u.start, f" [unit {u.id!r}]")
        if u.start is not None and u.side in s.sides and place_keys is not None and u.start in place_keys:
            holder = holders.get(u.start, defender)
            if holder != u.side:
                errs.append(f"{p}.start: {u.start!r} is held by {holder} at the start (expected a place of "
                            f"{u.side}; see sides.*.start_control) [unit {u.id!r}]")
        place(f"{p}.arrives_at", u.arrives_at, f" [unit {u.id!r}]")
        if u.arrives is not None and not (start <= u.arrives <= end):
            errs.append(f"{p}.arrives: {u.arrives} is outside the campaign (expected {start} .. {end})")
        if u.axis is not None:
            if u.side != "japan":
                errs.append(f"{p}.axis: only Japanese units follow an axis (unit {u.id!r} is {u.side}; use role)")
            elif axes and u.axis not in axes:
                errs.append(f"{p}.axis: unknown axis {u.axis!r} (expected a key of ai.japan.axes: {', '.join(axes)})")
        if u.role is not None and u.side != "china":
            errs.append(f"{p}.role: only Chinese units have a role (unit {u.id!r} is {u.side}; use axis)")
        cites(f"{p}.source", u.source)

    # both sides in play
    for side in SIDE_NAMES:
        if side in s.sides and not any(u.side == side for u in s.units):
            errs.append(f"units: no unit of {side} (expected at least one unit on each side)")

    # variants
    for name in s.variants:
        if not SCENARIO_ID.match(name):
            errs.append(f"variants.{name}: invalid variant name (expected lower-case letters, digits and _)")
    return errs
