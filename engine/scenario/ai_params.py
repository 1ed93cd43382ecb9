"""The computer players' plan data: the ``[ai.japan]`` and ``[ai.china]`` tables, typed.

Every field is required (no code defaults that could disagree with the data) and unknown
keys are refused, so a typo is an error naming the file and field.  What each number
stands for is said next to it in the scenario file; how it is used, in engine/ai/.
"""

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Axis(_Model):
    objectives: list[str] = Field(min_length=1)  # place keys, taken in order
    detour: bool  # make for the objective round Chinese units and their zones of control where a way exists


class JapanAI(_Model):
    """The 20th Army command (engine/ai/japan.py)."""

    attack_ratio: float = Field(gt=0, le=1e6)
    withdraw_attack_ratio: float = Field(gt=0, le=1e6)
    block_radius: int = Field(ge=0, le=1000)
    stall_aggression: float = Field(ge=0, le=1e6)
    w_losses: float = Field(ge=0, le=1e6)
    w_supply: float = Field(ge=0, le=1e6)
    w_stall: float = Field(ge=0, le=1e6)
    w_pressure: float = Field(ge=0, le=1e6)
    stall_turns: int = Field(ge=1, le=1000)
    pressure_radius: int = Field(ge=0, le=1000)
    threshold: float = Field(gt=0, le=1e6)
    progress_step: float = Field(ge=0, le=1e6)
    withdraw_base: str
    axes: dict[str, Axis] = Field(min_length=1)


class ChinaAI(_Model):
    """The Chinese command (engine/ai/china.py)."""

    counter_ratio: float = Field(gt=0, le=1e6)
    pursuit_ratio: float = Field(gt=0, le=1e6)
    concentrate_ratio: float = Field(ge=0, le=1e6)
    concentrate_radius: int = Field(ge=0, le=1000)
    hold_slack: float = Field(ge=-1e6, le=1e6)
    hold_watch_radius: int = Field(ge=0, le=1000)
    retake_radius: int = Field(ge=0, le=1000)
    strike_radius: int = Field(ge=0, le=1000)
    hold_lead_mp: float = Field(ge=0, le=1e6)
    wait_off_mp: float = Field(ge=0, le=1e6)
    airfield_radius: int = Field(ge=0, le=1000)
    airfield_alert_km: float = Field(ge=0, le=1e6)
    pursuit_concentrate_ratio: float = Field(ge=0, le=1e6)
    pursue_ratio: float = Field(gt=0, le=1e6)
    pursue_min_penetration_km: float = Field(ge=-1e6, le=1e6)
    fallback_step_km: float = Field(ge=0, le=1e6)
    fallback_depth_km: float = Field(ge=0, le=1e6)
    front_reach_km: float = Field(ge=0, le=1e6)
    air_support_share: float = Field(ge=0, le=1)
    interdict_targets: int = Field(ge=0, le=1000)
    support_targets: int = Field(ge=0, le=1000)


class AIPlans(_Model):
    japan: JapanAI
    china: ChinaAI
