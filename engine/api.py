"""The engine's one public import path: everything a program, a test or the front end needs.

    from engine.api import Game, legal_actions, apply, result
    game = Game.load("west_hunan_1945")
    state = game.new_initial_state(seed=1)
    while not state.is_over:
        apply(state, choose(legal_actions(state)))
    result(state)

The operational graph of places and roads is ``game.opgraph`` (routes, chokepoints);
``supply_line(state, unit_id)`` traces a unit's supply line on it for reports.

``import engine.api`` is light: numpy and pydantic (scipy and networkx load where first
used), never pygame, matplotlib, rich or dask.  See docs/ARCHITECTURE.md for where each rule lives.
"""
from __future__ import annotations

from .ai import make_player
from .ai.planning import axis_route, axis_routes, campaign_chokepoints, chokepoints_now
from .ai.random_player import RandomPlayer
from .analysis.orders import RunOrders, read_orders
from .analysis.timeline import TIMELINE_FILE
from .core.actions import AIR_MISSIONS, Action, AirMission, Attack, EndPhase, Move, action_from_dict, action_to_dict
from .core.errors import IllegalAction
from .core.game import Game
from .core.persistence import load_game, save_game, state_from_dict, state_from_json
from .core.play import (Result, annotate, apply, attack_preview, branch, legal_actions, reachable_hexes, remember,
                        replay, replay_record, result, move_route, supply_reach, zones_of_control)
from .core.players import play_game
from .core.sides import SIDES, other
from .core.state import GameState
from .map.opgraph import Chokepoint, OperationalGraph, Route
from .rules.combat import combat_marks
from .rules.supply_line import SupplyLine, supply_line
from .map.hexgrid import Layout
from .rules.victory_levels import LEVEL_NAMES, LEVELS, VictoryLevel, victory_level
from .scenario.loader import ScenarioError
from .userfiles import UserFileError
from .map.shortest_paths import CompiledPathsUnavailable
from .core.filecheck import check_path

# Authoring: what the scenario editor (game/editor) needs to read, check and write scenarios.
from .atomic_file import write_atomic
from .map.build import dumps_map
from .map.hexmap import HexMap
from .map.overrides import OVERRIDES_FILE, MapOverrides, apply_overrides
from .paths import SCENARIO_DIR
from .scenario.checks import cross_check
from .scenario.errors import format_pydantic, type_at, unwrap_type
from .scenario.loader import load_scenario
from .scenario.schema import SCENARIO_ID, Scenario
from .scenario.variants import apply_variant

__all__ = [
    "Game", "GameState", "IllegalAction", "ScenarioError", "UserFileError", "CompiledPathsUnavailable", "check_path", "Move", "Attack", "AirMission", "EndPhase", "Action",
    "AIR_MISSIONS", "legal_actions", "apply", "annotate", "remember", "branch", "result", "Result", "replay", "reachable_hexes",
    "attack_preview", "zones_of_control", "move_route", "supply_reach", "Layout", "SIDES", "other", "action_to_dict", "action_from_dict", "save_game", "load_game",
    "state_from_dict", "state_from_json", "make_player", "RandomPlayer", "play_game",
    # the operational graph (game.opgraph): routes, chokepoints, supply lines
    "combat_marks",
    "OperationalGraph", "Route", "Chokepoint", "SupplyLine", "supply_line", "axis_route", "axis_routes",
    "campaign_chokepoints", "chokepoints_now",
    # graded victory and step-by-step replays
    "victory_level", "VictoryLevel", "LEVELS", "LEVEL_NAMES", "replay_record", "read_orders", "RunOrders",
    # authoring (the scenario editor)
    "Scenario", "load_scenario", "SCENARIO_DIR", "SCENARIO_ID", "cross_check", "apply_variant", "format_pydantic",
    "type_at", "unwrap_type", "HexMap", "dumps_map", "MapOverrides", "apply_overrides", "OVERRIDES_FILE",
    "write_atomic", "TIMELINE_FILE",
]
