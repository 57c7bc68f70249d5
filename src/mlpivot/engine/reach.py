"""Which roles a person can be ready for by a date, at their hours per week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mlpivot.engine.fit import RoleFit


@dataclass(frozen=True)
class ReachableRole:
    role_id: str
    role_name: str
    weeks_to_ready: float
    reachable: bool


@dataclass(frozen=True)
class Reach:
    start: date
    deadline: date
    weeks_available: float
    roles: list[ReachableRole]


def reachable_by(fits: list[RoleFit], start: date, deadline: date) -> Reach:
    """Every role with whether its weeks to ready fit before the deadline, soonest first."""
    weeks = (deadline - start).days / 7
    roles = [
        ReachableRole(f.role_id, f.role_name, f.weeks_to_ready, f.weeks_to_ready <= weeks)
        for f in sorted(fits, key=lambda f: (f.weeks_to_ready, f.role_id))
    ]
    return Reach(start, deadline, round(weeks, 1), roles)
