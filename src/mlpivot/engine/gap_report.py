"""The gap to one role, as a person reads it: ordered skills, grouped, with what to aim for."""

from __future__ import annotations

from dataclasses import dataclass, replace

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import Role
from mlpivot.engine.gap import GapItem, needed_levels, prioritise, skill_gaps, weeks_to_ready
from mlpivot.engine.profile import Profile, inferred_basis, inferred_floor, known_levels
from mlpivot.engine.suggestions import (
    ProjectSuggestion,
    SpecialismSuggestion,
    suggest_projects,
    suggest_specialisms,
)
from mlpivot.engine.weights import MarketSignal, WeightSource, weights_from


@dataclass(frozen=True)
class GapReport:
    role_id: str
    items: list[GapItem]
    order: list[str]
    by_category: dict[str, list[GapItem]]
    hours: float
    weeks_to_ready: float
    weights_source: str
    specialisms: list[SpecialismSuggestion]
    projects: list[ProjectSuggestion]
    summary: str
    inferred_basis: str = ""
    """why a level marked `have_inferred` is what it is, e.g. "inferred from 6 years as ..."."""


def analyse_gap(
    profile: Profile,
    role: Role,
    catalog: Catalog,
    market: MarketSignal | None = None,
    *,
    weights_source: WeightSource = "blend",
    mine: MarketSignal | None = None,
) -> GapReport:
    """`weights_source` picks the value of each skill; `mine` is the saved-postings demand."""
    weights = weights_from(role, weights_source, market, mine)
    needed = needed_levels(role, catalog, profile.target_seniority)
    gaps = skill_gaps(needed, known_levels(profile, catalog), catalog, set(weights.curated))
    floor = inferred_floor(profile, catalog)
    items = [
        replace(i, have_inferred=True) if i.skill_id in floor and i.have > 0 else i
        for i in prioritise(gaps, weights.blended, catalog)
    ]
    by_category: dict[str, list[GapItem]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item)
    hours = round(sum(i.hours for i in items), 1)
    weeks = weeks_to_ready(hours, profile.hours_per_week)
    if weights.market_source is None:
        source = (
            "curated only"
            if weights_source == "curated"
            else "curated only (no market data for this role)"
            if weights_source != "mine"
            else "curated only (none of your saved postings is for this role)"
        )
    elif weights_source in ("market", "mine"):
        source = f"{weights.market_source} only (n={weights.market_sample_size})"
    else:
        source = f"curated and {weights.market_source} (n={weights.market_sample_size})"
    few = 1 if profile.target_date is not None and weeks > 40 else 3
    summary = (
        f"{len(items)} skills to learn or deepen, {hours:.0f} hours, about {weeks:.0f} weeks at "
        f"{profile.hours_per_week:g} h/week; value from {source}."
    )
    return GapReport(
        role_id=role.id,
        items=items,
        order=[i.skill_id for i in items],
        by_category=by_category,
        hours=hours,
        weeks_to_ready=weeks,
        weights_source=source,
        specialisms=suggest_specialisms(profile, role, catalog, how_many=few),
        projects=suggest_projects(profile, role, catalog),
        summary=summary,
        inferred_basis=inferred_basis(profile, catalog)
        if any(i.have_inferred for i in items)
        else "",
    )
