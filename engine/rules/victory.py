"""Victory: the Zhijiang airfield.

Japan wins by taking the airfield hex, or by neutralising it: keeping a unit within
``neutralise_radius_km`` of it for ``neutralise_turns`` consecutive turns, which would force
the Chinese to destroy it (the seeds' "get close enough that the Chinese must destroy it").
China wins if neither happens by the last turn.  The measures analysts need (closest
approach, deepest penetration west of the start line) are tracked every turn.
"""
from __future__ import annotations


def update_measures(state) -> None:
    game = state.game
    for u in state.units:
        if u.side == "japan" and u.status == "active":
            state.closest_km = min(state.closest_km, float(game.km_to_airfield[u.hex]))
            state.max_penetration_km = max(state.max_penetration_km, float(game.west_of_line_km[u.hex]))


def check_victory(state) -> None:
    """Update the airfield's status and end the game when it is decided."""
    game = state.game
    v = game.scenario.victory
    japanese = [u for u in state.units if u.side == "japan" and u.status == "active"]
    if any(u.hex == game.airfield_hex for u in japanese):
        state.airfield_status = "captured"
        state.control[v.airfield] = "japan"
        state.over, state.winner = True, "japan"
        state.log.append({"turn": state.turn, "type": "victory", "text": "The Japanese have taken the Zhijiang airfield."})
        return
    near = any(game.km_to_airfield[u.hex] <= v.neutralise_radius_km for u in japanese)
    state.airfield_threat = state.airfield_threat + 1 if near else 0
    if state.airfield_threat >= v.neutralise_turns and state.airfield_status == "operational":
        state.airfield_status = "neutralised"
        state.log.append({"turn": state.turn, "type": "airfield",
                          "text": "Japanese troops are within reach: the Zhijiang airfield is destroyed by its defenders."})
    if state.turn >= game.n_turns:
        state.over = True
        state.winner = "japan" if state.airfield_status != "operational" else "china"


def japanese_penetration_now(state) -> float:
    """Deepest current Japanese position west of the start line (km; <= 0 means none west of it)."""
    game = state.game
    xs = [float(game.west_of_line_km[u.hex]) for u in state.units if u.side == "japan" and u.status == "active"]
    return max(xs) if xs else 0.0
