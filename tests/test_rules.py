"""The rules of play, one behaviour per test."""
from __future__ import annotations

import numpy as np
import pytest

from engine.rules import air, attrition, movement, supply
from engine.core.actions import AirMission, Attack, EndPhase, Move
from engine.api import (IllegalAction, apply, attack_preview, combat_marks, legal_actions, reachable_hexes, result, move_route,
                        zones_of_control)
from tests.conftest import clear_board, inland_hex, put, units_of


def to_phase(state, side, phase):
    while not (state.side == side and state.phase == phase):
        apply(state, EndPhase())


# ----------------------------------------------------------------------------- movement
def test_road_is_cheaper_than_the_terrain_it_crosses(game):
    hs, ds = np.nonzero(game.is_road)
    assert len(hs) > 0
    assert np.all(game.enter_cost[hs, ds] <= game.offroad_cost[hs, ds])
    assert np.any(game.enter_cost[hs, ds] < game.offroad_cost[hs, ds])


def test_mountains_cost_more_to_enter_than_plains(game):
    cost = dict(zip(game.terrain_names, game.terrain_move))
    assert cost["plain"] < cost["hills"] < cost["mountain"] <= cost["high_mountain"]


def test_crossing_a_major_river_off_road_costs_the_river_penalty(game):
    m = game.map
    hs, ds = np.nonzero((m.river == 2) & ~game.is_road)
    h, d = hs[0], ds[0]
    dest = m.nbr[h, d]
    expected = game.terrain_move[m.terrain[dest]] + game.scenario.movement.river_major
    assert game.enter_cost[h, d] == pytest.approx(expected)


def test_entering_enemy_zone_of_control_ends_the_move(game, state):
    jp, cn = units_of(game, "japan", 1)[0], units_of(game, "china", 1)[0]
    clear_board(state, keep=(jp, cn))
    h = inland_hex(game, "plain")
    put(state, cn, h)
    start = game.map.grid.neighbour(game.map.grid.neighbour(game.map.grid.neighbour(h, 0), 0), 0)
    put(state, jp, start)
    to_phase(state, "japan", "move")
    reach = movement.reachable(state, jp)
    zoc = movement.zoc_mask(state, "china")
    assert any(zoc[x] for x in reach)
    assert all(not zoc[prev] for x, (_, prev) in reach.items() if prev != start)


def test_a_unit_cannot_move_from_one_enemy_zoc_hex_to_another(game, state):
    jp, cn = units_of(game, "japan", 1)[0], units_of(game, "china", 1)[0]
    clear_board(state, keep=(jp, cn))
    h = inland_hex(game, "plain")
    grid = game.map.grid
    put(state, cn, h)
    start = grid.neighbour(h, 0)  # east of the Chinese unit, in its ZOC
    put(state, jp, start)
    to_phase(state, "japan", "move")
    also_zoc = grid.neighbour(h, 1)  # NE of the Chinese unit: adjacent to start and in ZOC
    assert also_zoc in [int(n) for n in game.map.nbr[start]]
    with pytest.raises(IllegalAction, match="zone of control"):
        apply(state, Move(jp, (also_zoc,)))


def test_a_unit_cannot_enter_an_enemy_held_hex(game, state):
    jp, cn = units_of(game, "japan", 1)[0], units_of(game, "china", 1)[0]
    clear_board(state, keep=(jp, cn))
    h = inland_hex(game, "plain")
    put(state, cn, h)
    put(state, jp, game.map.grid.neighbour(h, 0))
    to_phase(state, "japan", "move")
    with pytest.raises(IllegalAction, match="held by the enemy"):
        apply(state, Move(jp, (h,)))


def test_stacking_limit_refuses_one_unit_too_many(game, state):
    limit = game.scenario.movement.stacking_max_units
    ids = units_of(game, "japan", limit + 1)
    clear_board(state, keep=ids)
    h = inland_hex(game, "plain")
    for uid in ids[:limit]:
        put(state, uid, h)
    put(state, ids[limit], game.map.grid.neighbour(h, 3))
    to_phase(state, "japan", "move")
    with pytest.raises(IllegalAction, match="stacking"):
        apply(state, Move(ids[limit], (h,)))


def test_moving_further_than_the_movement_points_is_refused(game, state):
    jp = units_of(game, "japan", 1)[0]
    clear_board(state, keep=(jp,))
    h = inland_hex(game, "mountain")
    put(state, jp, h)
    to_phase(state, "japan", "move")
    back_and_forth = [game.map.grid.neighbour(h, 3), h] * 10
    with pytest.raises(IllegalAction, match="movement points"):
        apply(state, Move(jp, tuple(back_and_forth)))


def test_a_route_beyond_reach_is_refused_for_want_of_movement_points(game, state):
    jp = units_of(game, "japan", 1)[0]
    clear_board(state, keep=(jp,))
    h = inland_hex(game, "mountain")
    put(state, jp, h)
    to_phase(state, "japan", "move")
    far = min((x for x in range(game.n_hex) if game.map.grid.distance(h, x) == 8),
              key=lambda x: game.map.grid.distance(h, x))
    path = move_route(state, jp, far)
    assert path and path[-1] == far and far not in reachable_hexes(state, jp)
    with pytest.raises(IllegalAction, match="movement points"):
        apply(state, Move(jp, path))


def test_zones_of_control_cover_each_unit_and_its_six_neighbours(game, state):
    cn = units_of(game, "china", 1)[0]
    clear_board(state, keep=(cn,))
    h = inland_hex(game, "plain")
    put(state, cn, h)
    expected = {h, *(int(n) for n in game.map.nbr[h])}
    assert set(np.nonzero(zones_of_control(state, "china"))[0].tolist()) == expected
    assert not zones_of_control(state, "japan").any()


def test_a_unit_cut_off_from_supply_is_logged_once(game, state):
    jp = units_of(game, "japan", 1)[0]
    clear_board(state, keep=(jp,))
    far = int(np.argmax(game.map.x_km))  # the eastern edge, far beyond Japan's supply range of its sources
    put(state, jp, far, supplied=True)
    for k in game.scenario.sides["japan"].supply_sources:
        state.control[k] = "china"  # no source left: nothing can supply it
    supply.update_supply(state, "japan")
    supply.update_supply(state, "japan")
    cut = [e for e in state.log if e.get("type") == "supply" and e["unit"] == jp]
    assert [e["supplied"] for e in cut] == [False]


def test_a_place_changing_hands_is_logged(game, state):
    jp = units_of(game, "japan", 1)[0]
    clear_board(state, keep=(jp,))
    key, place = next((k, p) for k, p in sorted(game.map.places.items()) if (game.map.nbr[p.hex] >= 0).all())
    state.control[key] = "china"
    to_phase(state, "japan", "move")
    put(state, jp, int(game.map.nbr[place.hex][0]), mp=20.0)
    apply(state, Move(jp, (place.hex,)))
    entry = [e for e in state.log if e.get("type") == "control"][-1]
    assert (entry["place"], entry["side"], entry["from"]) == (key, "japan", "china")


def test_an_illegal_order_leaves_the_state_untouched(state):
    before = state.state_hash()
    with pytest.raises(IllegalAction):
        apply(state, Move("no_such_unit", (1,)))
    with pytest.raises(IllegalAction):
        apply(state, Attack(("no_such_unit",), 5))
    with pytest.raises(IllegalAction):
        apply(state, AirMission("support", 10, 10**9))
    assert state.state_hash() == before


def test_every_listed_move_is_accepted(game, state):
    to_phase(state, "japan", "move")
    moves = [a for a in legal_actions(state) if isinstance(a, Move)]
    assert moves
    for mv in moves[:: max(1, len(moves) // 25)]:
        trial = state.clone()
        apply(trial, mv)
        assert trial.unit(mv.unit).hex == mv.to


# ------------------------------------------------------------------------------- combat
def _duel(game, state, terrain="plain", n_attackers=1):
    jps = units_of(game, "japan", n_attackers)
    cn = units_of(game, "china", 1)[0]
    clear_board(state, keep=(*jps, cn))
    h = inland_hex(game, terrain)
    put(state, cn, h, fort=0)
    for i, jp in enumerate(jps):
        put(state, jp, game.map.grid.neighbour(h, i))
    to_phase(state, "japan", "combat")
    return jps, cn, h


def test_more_attackers_give_better_odds(game, state):
    jps, _, h = _duel(game, state, n_attackers=2)
    one = attack_preview(state, jps[:1], h)["ratio"]
    two = attack_preview(state, jps, h)["ratio"]
    assert two > one


def test_mountains_make_the_defender_harder_to_attack(game, state):
    jps, _, h = _duel(game, state, "plain")
    plain = attack_preview(state, jps, h)["ratio"]
    st2 = game.new_initial_state(7)
    jps, _, h2 = _duel(game, st2, "mountain")
    mountain = attack_preview(st2, jps, h2)["ratio"]
    assert mountain < plain


def test_fortification_makes_the_defender_harder_to_attack(game, state):
    jps, cn, h = _duel(game, state)
    open_ratio = attack_preview(state, jps, h)["ratio"]
    state.unit(cn).fort = game.scenario.combat.fort_max
    assert attack_preview(state, jps, h)["ratio"] < open_ratio


def test_cut_supply_lowers_combat_strength(game, state):
    jps, cn, h = _duel(game, state)
    supplied = attack_preview(state, jps, h)["ratio"]
    state.unit(cn).supplied = False
    assert attack_preview(state, jps, h)["ratio"] > supplied


def test_air_support_improves_the_attackers_odds(game, state):
    jps, cn, h = _duel(game, state)
    without = attack_preview(state, jps, h)["ratio"]
    state.missions.append({"side": "japan", "kind": "support", "target": int(h), "sorties": 60})
    assert attack_preview(state, jps, h)["ratio"] > without


def test_combat_books_losses_as_killed_wounded_and_captured(game, state):
    jps, cn, h = _duel(game, state, n_attackers=3)
    men_before = sum(u.men for u in state.units)
    apply(state, Attack(tuple(jps), h))  # three divisions against one: odds above the minimum
    lost = sum(sum(v for k, v in state.losses[s].items() if k != "sick") for s in ("japan", "china"))
    assert lost > 0
    assert men_before - sum(u.men for u in state.units) == lost


def test_stronger_attacks_inflict_heavier_losses_on_average(game):
    def mean_defender_loss(n):
        out = []
        for seed in range(30):
            st = game.new_initial_state(seed)
            jps, cn, h = _duel(game, st, n_attackers=n)
            before = st.unit(cn).men
            try:
                apply(st, Attack(tuple(jps), h))
            except IllegalAction:
                continue
            out.append(before - st.unit(cn).men)
        return np.mean(out)

    assert mean_defender_loss(3) > mean_defender_loss(1)


def _beaten(game, outcome):
    """A game (first seed that gives it) in which three Japanese divisions beat a Chinese one with ``outcome``."""
    for seed in range(60):
        st = game.new_initial_state(seed)
        jps, cn, h = _duel(game, st, n_attackers=3)
        apply(st, Attack(tuple(jps), h))
        if st.log[-1]["outcome"] == outcome and st.unit(cn).status == "active":
            return st, cn
    raise AssertionError(f"set-up failed: no seed below 60 gives the outcome {outcome!r}")


def test_a_routed_defender_is_marked_routed(game):
    st, cn = _beaten(game, "routed")
    assert combat_marks(st) == {cn: "routed"}


def test_a_defender_that_fell_back_is_marked_retreated(game):
    st, cn = _beaten(game, "retreated")
    assert combat_marks(st) == {cn: "retreated"}


def test_combat_marks_last_until_the_turn_ends(game):
    st, cn = _beaten(game, "routed")
    turn = st.turn
    while st.turn == turn:
        apply(st, EndPhase())
    assert combat_marks(st) == {}


def test_attacks_below_the_minimum_odds_are_refused(game, state):
    jps, cn, h = _duel(game, state)
    state.unit(cn).men = 10**6
    before = state.state_hash()
    with pytest.raises(IllegalAction, match="odds"):
        apply(state, Attack(tuple(jps), h))
    assert state.state_hash() == before


# ------------------------------------------------------------------------------- supply
def test_a_surrounded_unit_is_out_of_supply(game, state):
    jp = units_of(game, "japan", 1)[0]
    ring = units_of(game, "china", 6)
    clear_board(state, keep=(jp, *ring))
    h = inland_hex(game, "plain", margin=2)
    put(state, jp, h)
    for d, cn in enumerate(ring):
        put(state, cn, game.map.grid.neighbour(game.map.grid.neighbour(h, d), d))
    supply.update_supply(state, "japan")
    assert not state.unit(jp).supplied


def test_units_near_their_depot_are_in_supply(game, state):
    supply.update_supply(state, "japan")
    shaoyang = game.place_hex["shaoyang"]
    near = [u for u in state.active_units("japan") if game.map.grid.distance(u.hex, shaoyang) <= 2]
    assert near and all(u.supplied for u in near)


def test_units_out_of_supply_fall_sick_faster(game):
    def sick(supplied):
        total = 0
        for seed in range(20):
            st = game.new_initial_state(seed)
            jp = units_of(game, "japan", 1)[0]
            clear_board(st, keep=(jp,))
            put(st, jp, inland_hex(game, "hills"), supplied=supplied, men=10000)
            before = st.losses["japan"]["sick"]
            attrition.apply_attrition(st, "japan")
            total += st.losses["japan"]["sick"] - before
        return total

    assert sick(False) > sick(True)


# ---------------------------------------------------------------------------------- air
def test_bad_weather_grounds_aircraft(game, state):
    table = game.scenario.air.weather
    worst = min(table, key=lambda w: table[w].sortie_mult)
    best = max(table, key=lambda w: table[w].sortie_mult)
    state.weather = worst
    low = air.sorties_for_turn(state, "china")
    state.weather = best
    assert air.sorties_for_turn(state, "china") > low


def test_losing_the_airfield_cuts_chinese_air_effort(state):
    full = air.sorties_for_turn(state, "china")
    state.airfield_status = "neutralised"
    assert air.sorties_for_turn(state, "china") < full


def test_interdiction_costs_movement_points(game, state):
    jp = units_of(game, "japan", 1)[0]
    clear_board(state, keep=(jp,))
    h = inland_hex(game, "plain")
    put(state, jp, h)
    state.missions.append({"side": "china", "kind": "interdict", "target": int(h), "sorties": 500})
    to_phase(state, "japan", "move")
    assert state.unit(jp).mp < game.units[game.unit_index[jp]].mp


# ------------------------------------------------------------------------------ victory
def test_taking_the_airfield_wins_for_japan(game, state):
    jp = units_of(game, "japan", 1)[0]
    put(state, jp, game.airfield_hex)
    for u in state.units:
        if u.side == "china" and u.hex == game.airfield_hex:
            u.status, u.hex = "reserve", -1
    to_phase(state, "china", "combat")
    apply(state, EndPhase())
    assert state.is_over and state.winner == "japan"
    assert not result(state).zhijiang_held


def test_reachable_hexes_give_paths_the_rules_accept(game, state):
    to_phase(state, "japan", "move")
    uid = state.active_units("japan")[0].id
    for h, path in list(reachable_hexes(state, uid).items())[:10]:
        assert path[-1] == h
        movement.check_move(state, uid, path)


def test_the_airfield_perimeter_strengthens_its_defenders(game, state):
    jps = units_of(game, "japan", 2)
    cn = units_of(game, "china", 1)[0]
    clear_board(state, keep=(*jps, cn))
    put(state, cn, game.airfield_hex, fort=0)
    for i, jp in enumerate(jps):
        put(state, jp, game.map.grid.neighbour(game.airfield_hex, i))
    to_phase(state, "japan", "combat")
    assert attack_preview(state, jps, game.airfield_hex)["airfield"] == game.scenario.air.airfield_defence > 1.0



# ------------------------------------------------------------------------ overrun losses
@pytest.mark.parametrize("side", ["japan", "china"])
def test_men_overrun_are_captured_by_the_sides_share_and_the_rest_killed(game, state, side):
    from engine.rules.combat import take_losses

    u = state.unit(units_of(game, side, 1)[0])
    men, share = u.men, game.scenario.sides[side].overrun_captured_share
    book = take_losses(state, u, 0, overrun=1000)
    assert book["captured"] == round(1000 * share)
    assert book["killed"] == 1000 - round(1000 * share)
    assert book["wounded"] == 0 and u.men == men - 1000


def test_japanese_overrun_men_mostly_fall_rather_than_surrender(game):
    # 1945: 180-247 Japanese captured in the whole campaign (EN/ZH)
    assert game.scenario.sides["japan"].overrun_captured_share < 0.5 <= game.scenario.sides["china"].overrun_captured_share


def test_interdiction_takes_movement_points_in_proportion_to_its_bite(game, state):
    to_phase(state, "china", "air")
    jp = state.active_units("japan")
    target = jp[0].hex
    apply(state, AirMission("interdict", target, state.sorties_left["china"]))
    to_phase(state, "japan", "move")
    bite = air.interdiction_level(state, "japan")
    loss = game.scenario.air.interdiction_mp_loss
    hit = [u for u in jp if bite[u.hex] > 0]
    assert hit and any(bite[u.hex] == 0 for u in jp)
    for u in jp:
        full = game.units[game.unit_index[u.id]].mp
        assert u.mp == pytest.approx(full * (1.0 - loss * bite[u.hex]))
        assert (u.mp < full) == (bite[u.hex] > 0)


def test_closest_approach_and_deepest_penetration_are_the_extremes_the_attacker_has_reached(game, state):
    from engine.rules import victory
    jp = units_of(game, "japan", 3)
    clear_board(state, keep=jp)
    state.closest_km, state.max_penetration_km = 1e9, -1e9
    order = np.argsort(game.km_to_airfield)
    near, middle, far = int(order[400]), int(order[800]), int(order[1600])
    for uid, h in zip(jp, (far, middle, far)):
        put(state, uid, h)
    victory.update_measures(state)
    assert state.closest_km == game.km_to_airfield[middle]
    assert state.max_penetration_km == max(game.west_of_line_km[h] for h in (far, middle))
    put(state, jp[2], near)
    victory.update_measures(state)
    assert state.closest_km == game.km_to_airfield[near]
    put(state, jp[2], far)  # falling back does not undo the approach
    victory.update_measures(state)
    assert state.closest_km == game.km_to_airfield[near]
    assert state.max_penetration_km == max(game.west_of_line_km[h] for h in (far, middle, near))
