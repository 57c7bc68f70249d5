"""The most valuable use of a fixed number of hours for one role, solved exactly.

Each missing skill is an item worth its importance for the role (a prerequisite-only skill is
worth nothing by itself, so it is chosen only when it unlocks something worth its hours), costing
its missing hours; the exact precedence-constrained knapsack picks the set, and the greedy
value-per-hour baseline is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import Role
from mlpivot.engine.gap import needed_levels, skill_gaps
from mlpivot.engine.optimize import LearningItem, select_exact, select_greedy
from mlpivot.engine.profile import Profile, known_levels
from mlpivot.engine.weights import MarketSignal, skill_weights


@dataclass(frozen=True)
class ChosenSkill:
    skill_id: str
    name: str
    hours: float
    value: float


@dataclass(frozen=True)
class HoursChoice:
    role_id: str
    budget_hours: float
    items: list[ChosenSkill]
    hours: float
    value: float
    total_value: float
    greedy_value: float
    status: str
    mip_gap: float


def best_use_of_hours(
    profile: Profile,
    role: Role,
    catalog: Catalog,
    budget_hours: float,
    market: MarketSignal | None = None,
) -> HoursChoice:
    weights = skill_weights(role, market)
    needed = needed_levels(role, catalog, profile.target_seniority)
    gaps = skill_gaps(needed, known_levels(profile, catalog), catalog, set(weights.curated))
    in_gap = {g.skill_id for g in gaps}
    items = [
        LearningItem(
            id=g.skill_id,
            hours=round(g.hours, 2),
            value=weights.blended.get(g.skill_id, 0.0),
            prerequisites=tuple(p for p in catalog.graph.prerequisites(g.skill_id) if p in in_gap),
        )
        for g in gaps
    ]
    exact = select_exact(items, budget_hours)
    greedy = select_greedy(items, budget_hours)
    by_id = {i.id: i for i in items}
    chosen = [
        ChosenSkill(sid, catalog.skills[sid].name, by_id[sid].hours, by_id[sid].value)
        for sid in exact.chosen
    ]
    return HoursChoice(
        role_id=role.id,
        budget_hours=budget_hours,
        items=chosen,
        hours=round(exact.hours, 1),
        value=round(exact.value, 3),
        total_value=round(sum(i.value for i in items), 3),
        greedy_value=round(greedy.value, 3),
        status=exact.status,
        mip_gap=exact.mip_gap,
    )
