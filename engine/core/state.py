"""Game state as plain data, with a lossless JSON round trip and a stable hash."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .board import SEATS, board
from .errors import IllegalAction
from .memory import fresh_memory
from .sides import SIDES, other

PHASES = ("air", "move", "combat")
LOSS_KINDS = ("killed", "wounded", "captured", "sick")
SAVE_FORMAT = "xuefeng-save"
SAVE_VERSION = 3  # 2: the computer players' memory (``ai``) is part of the state; 3: UnitState.retreats (read by nothing) dropped


@dataclass
class UnitState:
    """The changing part of one unit (static facts live in :class:`engine.core.game.UnitDef`)."""

    id: str
    side: str
    hex: int  # -1 when not on the map
    men: int
    start_men: int
    status: str  # "active", "pending" (not yet arrived), "reserve", "eliminated"
    mp: float = 0.0  # movement points left this phase
    moved: bool = False
    attacked: bool = False
    fort: int = 0
    fatigue: float = 0.0
    supplied: bool = True
    turns_unsupplied: int = 0

    @property
    def active(self) -> bool:
        return self.status == "active"


#: :class:`UnitState`'s field names, in order (the keys ``asdict`` gives)
_UNIT_FIELDS = tuple(f.name for f in fields(UnitState))


class _Position:
    """A field of :class:`UnitState` that places the unit on the map (``hex``, ``status``, ``side``).

    Assigning it lifts the unit off its state's board and puts it back where it now is
    (:mod:`engine.core.board`).  The descriptor defines ``__set__`` only, so reading the field
    is a plain instance-dictionary read and the other fields are written at full speed.
    """

    def __init__(self, name: str):
        self.name = name

    def __set__(self, unit, value) -> None:
        seat = SEATS.get(id(unit))
        if seat is not None:
            b, i = seat[0](), seat[1]
            if b is not None and i < len(b.units) and b.units[i] is unit:  # the seat is this unit's
                b.reseat(i, unit, self.name, value)
                return
        unit.__dict__[self.name] = value


for _name in ("hex", "status", "side"):
    setattr(UnitState, _name, _Position(_name))


def _zero_losses() -> dict[str, dict[str, int]]:
    return {s: {k: 0 for k in LOSS_KINDS} for s in SIDES}


@dataclass
class GameState:
    """Everything that changes during a game. Create with ``Game.new_initial_state``."""

    game: Any  # the engine.core.game.Game (not imported here: that module builds states)
    seed: int
    rng: np.random.Generator
    turn: int = 1
    side: str = "japan"  # side to move
    phase: str = "air"
    units: list[UnitState] = field(default_factory=list)
    control: dict[str, str] = field(default_factory=dict)
    losses: dict[str, dict[str, int]] = field(default_factory=_zero_losses)
    weather: str = "clear"
    sorties_left: dict[str, int] = field(default_factory=lambda: {s: 0 for s in SIDES})
    missions: list[dict] = field(default_factory=list)  # air missions flown this turn
    airfield_threat: int = 0  # consecutive turns with Japanese units inside the neutralise radius
    airfield_status: str = "operational"  # "operational", "neutralised", "captured"
    over: bool = False
    winner: str | None = None
    closest_km: float = 1e9  # Japanese closest approach to the airfield so far
    max_penetration_km: float = -1e9  # deepest Japanese penetration west of the start line
    ai: dict[str, dict] = field(default_factory=fresh_memory)  # per side: the AI's memory (engine.core.memory)
    log: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)

    # ------------------------------------------------------------------ construction
    @classmethod
    def initial(cls, game, seed: int) -> "GameState":
        """Units at their start positions and control as the scenario sets it; the first turn
        is begun by :meth:`engine.core.game.Game.new_initial_state`."""
        st = cls(game=game, seed=int(seed), rng=np.random.default_rng(int(seed)))
        for u in game.units:
            if u.reserve:
                status, hx = "reserve", -1
            elif u.arrives_turn > 1:
                status, hx = "pending", -1
            else:
                status, hx = "active", (u.start_hex if u.start_hex >= 0 else u.arrives_hex)
            st.units.append(UnitState(id=u.id, side=u.side, hex=int(hx), men=u.men, start_men=u.men, status=status))
        scn = game.scenario
        # places in no side's start_control start with the side defending the objective
        st.control = {k: other(scn.victory.attacker) for k in game.place_keys}
        for side in SIDES:
            for k in scn.sides[side].start_control:
                if k in st.control:
                    st.control[k] = side
        return st

    # ------------------------------------------------------------------------ queries
    @property
    def is_over(self) -> bool:
        return self.over

    @property
    def date(self):
        return self.game.date_of(self.turn)

    def unit(self, unit_id: str) -> UnitState:
        return self.units[self.game.unit_index[unit_id]]

    def own_active_unit(self, unit_id: str) -> UnitState:
        """The unit ``unit_id`` if the side to move may give it orders; else :class:`IllegalAction`."""
        i = self.game.unit_index.get(unit_id)
        if i is None:
            raise IllegalAction(f"no unit {unit_id!r}")
        u = self.units[i]
        if u.side != self.side:
            raise IllegalAction(f"{unit_id} belongs to {u.side}, it is {self.side}'s turn")
        if u.status != "active":
            raise IllegalAction(f"{unit_id} is not on the map ({u.status})")
        return u

    def active_units(self, side: str | None = None) -> list[UnitState]:
        if side is None:
            return [u for u in self.units if u.status == "active"]
        return list(board(self).units_of(side))

    def men_present(self, side: str) -> int:
        return sum(u.men for u in self.units if u.side == side and u.status in ("active", "pending", "reserve"))

    def occupancy(self) -> tuple[np.ndarray, np.ndarray]:
        """(owner, count) read-only arrays over hexes: owner -1 empty, 0 japan, 1 china."""
        return board(self).occupancy(self)

    def units_at(self, hex_id: int) -> list[UnitState]:
        """Active units in ``hex_id``, in unit order."""
        idx = board(self).units_at(hex_id)
        if not idx:
            return []
        units = self.units
        return [units[i] for i in idx]

    # -------------------------------------------------------------------- persistence
    def to_dict(self) -> dict:
        """JSON-ready dict holding the whole state, the RNG state included."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("game", "rng", "units")}
        # a unit's fields are plain scalars: asdict's recursive copy buys nothing
        d["units"] = [{k: getattr(u, k) for k in _UNIT_FIELDS} for u in self.units]
        d["rng"] = self.rng.bit_generator.state
        d["format"] = SAVE_FORMAT
        d["version"] = SAVE_VERSION
        d["scenario"] = self.game.scenario.meta.id
        d["variant"] = self.game.scenario.variant
        return d

    def to_json(self) -> str:
        # check_circular off: a state is a tree of plain values (the same text, ~12% sooner)
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), check_circular=False)

    def state_hash(self) -> str:
        """SHA-256 of the canonical JSON: equal hashes mean equal states."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_plain(cls, game, d: dict) -> "GameState":
        """Build a state from :meth:`to_dict` output that has already been validated.

        Loading untrusted data goes through :func:`engine.core.persistence.state_from_dict`,
        which checks it first and then calls this.
        """
        d = dict(d)
        rng = np.random.default_rng()
        rng.bit_generator.state = d.pop("rng")
        units = [UnitState(**u) for u in d.pop("units")]
        for k in ("format", "version", "scenario", "variant"):
            d.pop(k, None)
        return cls(game=game, rng=rng, units=units, **d)

    def clone(self) -> "GameState":
        """An independent copy (for undo and look-ahead; not used in the turn loop)."""
        return GameState.from_plain(self.game, json.loads(self.to_json()))
