"""Scenario schema: the typed tables of ``scenarios/<id>/scenario.toml`` (pydantic, strict).

Every model forbids unknown keys, so a typo is an error naming the field, never a silent
default.  Cross-references between tables are checked in :mod:`engine.scenario.checks`.
"""

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .ai_params import AIPlans

SIDE_NAMES = ("japan", "china")
AXIS_BASES = ("south", "centre", "north", "feint")
ROLES = ("hold", "garrison", "flank_north", "flank_south", "reserve", "airfield")
TOLERANCE = 1e-6
MAX_CAMPAIGN_DAYS = 3660  # ten years: turn numbers and dates stay small
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _check_color(v: str) -> str:
    """A colour written as #RRGGBB."""
    if not _HEX_COLOR.match(v):
        raise ValueError(f"colour {v!r} is not of the form #RRGGBB")
    return v


SCENARIO_ID = re.compile(r"^[a-z][a-z0-9_]*$")

Side = Literal["japan", "china"]


class _Model(BaseModel):
    # strict: TOML already gives the right Python types; "5" for an int is a typo, not data.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, allow_inf_nan=False)


# ------------------------------------------------------------------------------------ meta
class Meta(_Model):
    id: str
    name: str
    name_zh: str
    description: str
    start_date: dt.date
    end_date: dt.date
    days_per_turn: int = Field(2, ge=1, le=31)
    map: str = Field("map.json", pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\.json$")  # a file beside scenario.toml
    sources: dict[str, str]  # citation key -> full description
    notes: str = ""

    @model_validator(mode="after")
    def _dates(self) -> "Meta":
        if self.end_date <= self.start_date:
            raise ValueError(f"end_date {self.end_date} must be after start_date {self.start_date}")
        if (self.end_date - self.start_date).days > MAX_CAMPAIGN_DAYS:
            raise ValueError(f"the campaign lasts {(self.end_date - self.start_date).days} days "
                             f"(expected at most {MAX_CAMPAIGN_DAYS})")
        return self


# ----------------------------------------------------------------------------------- sides
class CasualtySplit(_Model):
    killed: float = Field(ge=0, le=1)
    wounded: float = Field(ge=0, le=1)
    captured: float = Field(ge=0, le=1)


class SideParams(_Model):
    name: str
    name_zh: str
    color: str
    supply_sources: list[str] = Field(min_length=1)
    supply_range: float = Field(gt=0, le=1000)  # movement points
    quality: float = Field(gt=0, le=100)  # nation-wide combat effectiveness multiplier (Dupuy-style)
    firepower: float = Field(gt=0, le=100)  # multiplies the loss fraction the side's fire inflicts in combat
    casualty_split: CasualtySplit
    rout_captured_fraction: float = Field(ge=0, le=1)
    overrun_captured_share: float = Field(ge=0, le=1)  # of men lost beyond the fire (rout, no retreat), the share captured; the rest killed
    sickness_per_turn: float = Field(ge=0, le=1)
    sickness_out_of_supply_mult: float = Field(ge=0, le=100)
    sickness_terrain_mult: dict[str, Annotated[float, Field(ge=0, le=100)]]
    start_control: list[str] = []

    _color = field_validator("color")(_check_color)


# --------------------------------------------------------------------------------- terrain
class Terrain(_Model):
    code: str = Field(min_length=1, max_length=1)
    move_cost: float = Field(gt=0, le=1000)
    defence: float = Field(gt=0, le=100)  # multiplier on defender strength
    attacker_loss_mult: float = Field(gt=0, le=100)
    color: str
    label_zh: str

    _color = field_validator("color")(_check_color)


class Movement(_Model):
    road_cost: float = Field(gt=0, le=1000)
    river_minor: float = Field(ge=0, le=1000)
    river_major: float = Field(ge=0, le=1000)
    zoc: bool
    stacking_max_units: int = Field(ge=1, le=20)
    arrival_search_hexes: int = Field(ge=1, le=10_000)  # nearest hexes searched for room when an arrival place is blocked
    mp: dict[str, Annotated[float, Field(gt=0, le=1000)]] = Field(min_length=1)  # unit kind -> movement points per turn


class Combat(_Model):
    base_loss: float = Field(gt=0, le=1)
    ratio_exponent: float = Field(ge=0, le=10)
    noise_sigma: float = Field(ge=0, le=5)
    retreat_ratio: float = Field(gt=0, le=1000)
    rout_ratio: float = Field(gt=0, le=1000)
    attacker_min_ratio: float = Field(ge=0, le=1000)
    fort_per_turn: int = Field(ge=0, le=100)
    fort_max: int = Field(ge=0, le=100)
    fort_bonus: float = Field(ge=0, le=10)
    out_of_supply_mult: float = Field(gt=0, le=10)
    river_attack_mult: float = Field(gt=0, le=10)
    air_support_per_sortie: float = Field(ge=0, le=10)
    air_support_max: float = Field(ge=0, le=100)
    fatigue_per_attack: float = Field(ge=0, le=1)
    fatigue_recovery: float = Field(ge=0, le=1)
    fatigue_max_effect: float = Field(ge=0, le=1)  # most of a unit's strength fatigue can take away
    max_loss: float = Field(gt=0, le=1)  # most of its men a side can lose in one engagement
    no_retreat_capture: float = Field(ge=0, le=1)  # share of survivors taken when a beaten stack has nowhere to go
    retreat_hexes: int = Field(ge=1, le=20)  # how far a defender falls back after a retreat result
    rout_hexes: int = Field(ge=1, le=20)  # ... and after a rout

    @model_validator(mode="after")
    def _ratios(self) -> "Combat":
        if self.rout_ratio < self.retreat_ratio:
            raise ValueError(f"rout_ratio {self.rout_ratio} must not be below retreat_ratio {self.retreat_ratio}")
        if self.rout_hexes < self.retreat_hexes:
            raise ValueError(f"rout_hexes {self.rout_hexes} must not be below retreat_hexes {self.retreat_hexes}")
        return self


class Attrition(_Model):
    sickness_max: float = Field(ge=0, le=1)  # most of a unit's men sickness can take in one turn
    strafe_max: float = Field(ge=0, le=1)  # most of a unit's men strafing can take in one turn
    # strafing losses are air.interdiction_kill * sorties * uniform(strafe_noise_low, strafe_noise_high)
    strafe_noise_low: float = Field(ge=0, le=100)
    strafe_noise_high: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _noise(self) -> "Attrition":
        if self.strafe_noise_high < self.strafe_noise_low:
            raise ValueError(f"strafe_noise_high {self.strafe_noise_high} must not be below "
                             f"strafe_noise_low {self.strafe_noise_low}")
        return self


class Supply(_Model):
    # 0..1: share of the supply range lost under saturating enemy interdiction
    interdiction_range_penalty: float = Field(ge=0, le=1)
    # whether supply lines may pass through enemy zones of control (false: only where friendly units stand)
    trace_through_enemy_zoc: bool = False


class Control(_Model):
    """How places change hands without a unit entering them (engine/rules/control.py)."""
    # hexes: an active unit of the holder this close keeps its place (1 = on it or next to it)
    hold_radius: int = Field(ge=0, le=1000)
    # hexes: an uncovered place goes to the other side when one of its active units is this close
    take_radius: int = Field(ge=0, le=1000)
    # a conquered, uncovered place outside its taker's supply reach and inside its start
    # holder's supply reach reverts to the start holder
    cut_off_reverts: bool


class OperationalGraphParams(_Model):
    """How the operational graph of places (engine/map/opgraph.py) is drawn from the map."""

    # a place pair no road links directly is joined by a track only if its cheapest
    # clear-weather hex path costs at most this many movement points
    track_max_cost: float = Field(gt=0, le=1000)


class AirSide(_Model):
    aircraft: int = Field(ge=0, le=100_000)
    sorties_per_aircraft: float = Field(ge=0, le=100)  # per turn
    bases: list[str] = []  # on-map air bases (place keys)
    # added: share of the effort flown from off-map rear bases, unaffected by losing on-map bases
    rear_share: float = Field(ge=0, le=1)
    # true: the on-map bases count only while the victory objective (victory.airfield) is operational
    bases_need_objective: bool


class WeatherType(_Model):
    probability: float = Field(ge=0, le=1)
    sortie_mult: float = Field(ge=0, le=100)
    move_mult: float = Field(gt=0, le=100)  # multiplies off-road movement costs
    label_zh: str = ""  # added


class Air(_Model):
    sides: dict[str, AirSide]
    weather: dict[str, WeatherType] = Field(min_length=1)
    interdiction_sickness: float = Field(ge=0, le=100)
    interdiction_mp_loss: float = Field(ge=0, le=1)
    support_defence_bonus: float = Field(ge=0, le=100)
    airfield_defence: float = Field(gt=0, le=100)
    # added (used by the rules): sorties at which interdiction reaches full effect
    interdiction_saturation: float = Field(gt=0, le=1e6)
    # added (used by the rules): men killed/wounded by strafing per effective interdiction sortie
    interdiction_kill: float = Field(ge=0, le=1e6)
    interdict_radius: int = Field(ge=0, le=50)  # hexes around the target that an interdiction mission covers
    support_radius: int = Field(ge=0, le=50)  # hexes around the target where close support helps a combat
    cap_radius: int = Field(ge=0, le=50)  # hexes around the target where a combat air patrol blunts enemy missions
    package_sorties: int = Field(ge=1, le=100_000)  # the smaller sortie package legal_actions offers (any count may be flown)


class Victory(_Model):
    attacker: Side  # the side that must take or neutralise the objective; the other side wins by holding it
    airfield: str  # the objective: place key of the airfield
    neutralise_radius_km: float = Field(ge=0, le=10_000)
    neutralise_turns: int = Field(ge=1, le=1000)
    start_line: list[list[float]] = Field(min_length=2)  # [[lat, lon], ...] north to south
    key_places: list[str] = []
    description: str = ""  # added: the victory conditions in words

    @field_validator("start_line")
    @classmethod
    def _line(cls, v: list[list[float]]) -> list[list[float]]:
        for i, p in enumerate(v):
            if len(p) != 2:
                raise ValueError(f"point {i} has {len(p)} numbers (expected [lat, lon])")
            if not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180):
                raise ValueError(f"point {i} {p} is not a valid [lat, lon]")
        lats = [p[0] for p in v]
        if any(b >= a for a, b in zip(lats, lats[1:])):
            raise ValueError("points must run north to south (latitude strictly decreasing)")
        return v


# ------------------------------------------------------------------------ history and validation
class Figure(_Model):
    """One figure reported for 1945."""

    value: int = Field(ge=0)
    label: str = Field(min_length=1)  # how plots and the end screen name it, e.g. "21,040 (EN)"
    source: str  # citation keys of meta.sources joined by '+'


class Range(_Model):
    """A range of men (low <= high) and where it comes from."""

    low: int = Field(ge=0)
    high: int = Field(ge=0)
    source: str  # citation keys of meta.sources joined by '+'

    @model_validator(mode="after")
    def _order(self) -> "Range":
        if self.high < self.low:
            raise ValueError(f"high {self.high} must not be below low {self.low}")
        return self


class History(_Model):
    """What happened in 1945, shown beside the simulated outcome (end screen, campaign report, plots)."""

    source: str  # citation keys for the outcome texts below
    airfield: str  # the objective's fate
    closest_approach: str
    deepest_penetration: str
    final_position: str
    ended: str
    chinese_casualties: list[Figure] = Field(min_length=1)  # killed + wounded + missing
    japanese_battle_casualties: list[Figure] = Field(min_length=1)  # killed + wounded + captured
    japanese_battle_casualties_range: Range  # the disputed range the end screen quotes
    japanese_sick: list[Figure] = Field(min_length=1)
    japanese_sick_range: Range
    # the graded outcome of 1945 (engine/rules/victory_levels.py LEVELS), beside the game's on the end screen
    level: Literal["japan_decisive", "japan_marginal", "draw", "china_marginal", "china_decisive"]
    # the five texts above in Chinese, for the end screen in Chinese (optional: English is shown without them)
    airfield_zh: str = ""
    closest_approach_zh: str = ""
    deepest_penetration_zh: str = ""
    final_position_zh: str = ""
    ended_zh: str = ""


class Validation(_Model):
    """The numbers of ``xuefeng validate``'s targets V1-V5 and V8; V6 and V7 compare variants by
    bootstrap confidence intervals and have no band to set."""

    source: str  # citation keys of the targets
    airfield_held_share: float = Field(ge=0, le=1)  # V1: share of runs ending with the objective held
    defender_wins_share: float = Field(ge=0, le=1)  # V2: share of runs won by the defender
    thrown_back_km: float = Field(ge=0)  # V3: no attacking unit further than this west of the start line ...
    thrown_back_share: float = Field(ge=0, le=1)  # ... in at least this share of runs
    chinese_casualties: Range  # V4: band of the median Chinese killed + wounded + missing
    japanese_battle_casualties: Range  # V5: band of the median Japanese killed + wounded + captured
    japanese_sick: Range  # V8: band of the median Japanese non-battle (sick) losses


# ------------------------------------------------------------------------------ order of battle
class Formation(_Model):
    id: str
    name: str
    name_zh: str
    side: Side
    # "theatre" and "brigade" are additions to the contract's levels
    level: Literal["theatre", "army", "front_army", "army_group", "corps", "division", "brigade", "air"]
    commander: str
    commander_zh: str = ""
    parent: str | None = None
    source: str
    note: str = ""


class Unit(_Model):
    id: str
    name: str
    name_zh: str
    side: Side
    formation: str
    size: Literal["division", "brigade", "regiment", "group"]
    kind: str  # key of movement.mp
    men: int = Field(gt=0, le=10**7)
    quality: float = Field(gt=0, le=100)
    start: str | None = None
    start_latlon: list[float] | None = Field(None, min_length=2, max_length=2)
    arrives: dt.date | None = None
    arrives_at: str | None = None
    reserve: bool = False
    axis: str | None = None  # Japanese: key of [ai.japan.axes], named south*, centre*, north* or feint*
    role: Literal["hold", "garrison", "flank_north", "flank_south", "reserve", "airfield"] | None = None
    commander: str = ""
    source: str
    note: str = ""

    @model_validator(mode="after")
    def _position(self) -> "Unit":
        if self.start_latlon is not None:
            lat, lon = self.start_latlon
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"start_latlon {self.start_latlon} is not a valid [lat, lon]")
        if self.start is not None and self.start_latlon is not None:
            raise ValueError("give either start or start_latlon, not both")
        if self.arrives is None:
            if self.start is None and self.start_latlon is None:
                raise ValueError("needs a start position: start (place key) or start_latlon ([lat, lon]), "
                                 "or arrives + arrives_at")
            if self.arrives_at is not None:
                raise ValueError("arrives_at is given without arrives (the arrival date)")
        elif self.arrives_at is None:
            raise ValueError("arrives is given without arrives_at (the place key where the unit enters)")
        if self.axis is not None and not self.axis.startswith(AXIS_BASES):
            raise ValueError(f"axis {self.axis!r} must be south, centre, north or feint (or start with one)")
        return self


class VictoryLevels(_Model):
    """Thresholds that grade the outcome (engine/rules/victory_levels.py); the airfield still
    decides who wins.  Every number is commented in scenario.toml with what it stands for."""

    china_decisive_max_final_km: float = Field(ge=0, le=10_000)
    china_decisive_max_loss_ratio: float = Field(gt=0, le=1000)
    draw_min_final_km: float = Field(ge=0, le=10_000)

    @model_validator(mode="after")
    def _ordered(self):
        if self.draw_min_final_km < self.china_decisive_max_final_km:
            raise ValueError(f"draw_min_final_km ({self.draw_min_final_km}) must be at least "
                             f"china_decisive_max_final_km ({self.china_decisive_max_final_km})")
        return self


class Variant(_Model):
    description: str
    set: dict[str, Any] = {}
    units: dict[str, dict[str, Any]] = {}
    remove_units: list[str] = []
    add_units: list[dict[str, Any]] = []


class Scenario(_Model):
    meta: Meta
    sides: dict[str, SideParams]
    terrain: dict[str, Terrain]
    movement: Movement
    combat: Combat
    supply: Supply
    control: Control
    operational_graph: OperationalGraphParams
    attrition: Attrition
    air: Air
    victory: Victory
    victory_levels: VictoryLevels
    history: History
    validation: Validation
    formations: list[Formation] = Field(min_length=1)
    units: list[Unit] = Field(min_length=1)
    ai: AIPlans
    variants: dict[str, Variant] = {}

    _source_path: Path | None = PrivateAttr(default=None)
    _variant: str | None = PrivateAttr(default=None)

    @property
    def source_path(self) -> Path | None:
        """The scenario.toml this was loaded from."""
        return self._source_path

    @property
    def variant(self) -> str | None:
        """Name of the applied variant, or None for the base scenario."""
        return self._variant

    def variants_available(self) -> list[str]:
        return list(self.variants)

    def unit_by_id(self, unit_id: str) -> Unit:
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)

    def formation_by_id(self, formation_id: str) -> Formation:
        for f in self.formations:
            if f.id == formation_id:
                return f
        raise KeyError(formation_id)

    def units_of(self, side: str, include_reserve: bool = True) -> list[Unit]:
        return [u for u in self.units if u.side == side and (include_reserve or not u.reserve)]

    def side_men(self, side: str, include_reserve: bool = True) -> int:
        """Men of ``side`` in the order of battle (optionally without uncommitted reserves)."""
        return sum(u.men for u in self.units_of(side, include_reserve))

    def formation_chain(self, formation_id: str) -> list[Formation]:
        """The formation and its parents, innermost first."""
        out, seen = [], set()
        fid: str | None = formation_id
        while fid is not None and fid not in seen:
            seen.add(fid)
            f = self.formation_by_id(fid)
            out.append(f)
            fid = f.parent
        return out
