"""Victory: an objective airfield (``victory.airfield``) and the side that attacks it
(``victory.attacker``; in West Hunan, Japan and the Zhijiang airfield).

The attacker wins by taking the airfield hex, or by neutralising it: keeping a unit within
``neutralise_radius_km`` of it for ``neutralise_turns`` consecutive turns, which would force
the defenders to destroy it (the seeds' "get close enough that the Chinese must destroy it").
The other side wins if neither happens by the last turn.  The measures analysts need (the
attacker's closest approach, deepest penetration west of the start line) are tracked every turn.
"""
from __future__ import annotations

from ..core.board import board
from ..core.sides import other
from ..core.per_game import per_game


def update_measures(state) -> None:
    game = state.game
    attacker = game.scenario.victory.attacker
    b = board(state)
    sb = b.side_board(attacker)
    if b.memo.get("measures") == (sb.version, state.closest_km, state.max_penetration_km):
        return  # no attacker unit moved since the measures were last taken: they stand
    at = sb.at  # the hexes the attacker's active units stand on
    if at:  # the least and the greatest of the same floats: the same numbers however taken
        km, west = _lists(game)
        state.closest_km = min(state.closest_km, min([km[h] for h in at]))
        state.max_penetration_km = max(state.max_penetration_km, max([west[h] for h in at]))
    b.memo["measures"] = (sb.version, state.closest_km, state.max_penetration_km)


@per_game
def _lists(game) -> tuple[list[float], list[float]]:
    """``km_to_airfield`` and ``west_of_line_km`` as Python lists."""
    return game.km_to_airfield.tolist(), game.west_of_line_km.tolist()


def check_victory(state) -> None:
    """Update the airfield's status and end the game when it is decided."""
    game = state.game
    v = game.scenario.victory
    place = game.map.places[v.airfield].name_en
    at = board(state).side_board(v.attacker).at  # the hexes the attacker's active units stand on
    if game.airfield_hex in at:
        state.airfield_status = "captured"
        state.control[v.airfield] = v.attacker
        state.over, state.winner = True, v.attacker
        state.log.append({"turn": state.turn, "type": "victory",
                          "text": f"{place} has fallen to {game.scenario.sides[v.attacker].name}."})
        return
    km = _lists(game)[0]
    near = any(km[h] <= v.neutralise_radius_km for h in at)
    state.airfield_threat = state.airfield_threat + 1 if near else 0
    if state.airfield_threat >= v.neutralise_turns and state.airfield_status == "operational":
        state.airfield_status = "neutralised"
        state.log.append({"turn": state.turn, "type": "airfield",
                          "text": f"Enemy troops are within reach: {place} is destroyed by its defenders."})
    if state.turn >= game.n_turns:
        state.over = True
        state.winner = v.attacker if state.airfield_status != "operational" else other(v.attacker)


def japanese_penetration_now(state) -> float:
    """Deepest current attacker position west of the start line (km; <= 0 means none west of it)."""
    game = state.game
    attacker = game.scenario.victory.attacker
    xs = [float(game.west_of_line_km[u.hex]) for u in state.units if u.side == attacker and u.status == "active"]
    return max(xs) if xs else 0.0
