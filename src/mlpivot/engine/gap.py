"""What a person lacks for a role, in skills and hours — and the one `weeks_to_ready`.

The needed set of a role is each of its skills at the level the role asks for (shifted by
target seniority), plus every prerequisite of those skills at least at "familiar". A skill's
hours are cumulative over levels: familiar is a third of the way to working, strong is working
plus `hours.strong`. Both the fit and the planner use these functions, so they always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import Role, Skill

CORE_WEIGHT = 0.8
"""Role skills at or above this curated weight are the core of the role."""

JUNIOR_LEVEL_CAP = 2
"""The most a junior target is asked for in any skill: working, not strong."""

SENIOR_CORE_LEVEL = 3
"""What a senior target is asked for in every core skill: strong."""

MID_LEVEL_CAP = 2
"""The most a mid-level target is asked for outside the core of the role: working."""

PREREQUISITE_LEVEL = 1
"""A prerequisite needs to be familiar before the skill that builds on it is started."""


def cumulative_hours(skill: Skill, level: int) -> float:
    """Hours from nothing to `level` (0 none, 1 familiar, 2 working, 3 strong)."""
    if level <= 0:
        return 0.0
    if level == 1:
        return skill.hours.working / 3
    if level == 2:
        return skill.hours.working
    return skill.hours.working + skill.hours.strong


def hours_between(skill: Skill, have: int, need: int) -> float:
    return max(0.0, cumulative_hours(skill, need) - cumulative_hours(skill, have))


def required_level(
    level: int, weight: float, seniority: str, core_weight: float = CORE_WEIGHT
) -> int:
    """The role's level for a skill, shifted by target seniority (the senior rule).

    A junior needs at most `JUNIOR_LEVEL_CAP`; at mid level the listed level holds only in the
    core of the role (curated weight at or above `core_weight`) and is capped at
    `MID_LEVEL_CAP` elsewhere; a senior needs `SENIOR_CORE_LEVEL` in all of that core, whatever
    level the role lists, and the listed level elsewhere.
    """
    core = weight >= core_weight
    if seniority == "junior":
        return min(level, JUNIOR_LEVEL_CAP)
    if seniority == "senior":
        return max(level, SENIOR_CORE_LEVEL) if core else level
    return level if core else min(level, MID_LEVEL_CAP)


def needed_levels(
    role: Role, catalog: Catalog, seniority: str = "mid", core_weight: float = CORE_WEIGHT
) -> dict[str, int]:
    """Skill id -> level needed for the role, prerequisites (transitively) included."""
    needed = {
        need.skill: required_level(need.level, need.weight, seniority, core_weight)
        for need in role.skills
    }
    for skill_id in catalog.graph.closure(list(needed)):
        needed.setdefault(skill_id, PREREQUISITE_LEVEL)
    return needed


@dataclass(frozen=True)
class SkillGap:
    skill_id: str
    have: int
    need: int
    hours: float
    listed: bool
    """True if the role names the skill; False if it is only a prerequisite of one it names."""


def skill_gaps(
    needed: Mapping[str, int], levels: Mapping[str, int], catalog: Catalog, listed: set[str]
) -> list[SkillGap]:
    """Every needed skill the person is below, in prerequisite order.

    A skill that is needed only as a prerequisite (not `listed`) is a gap only while something
    that builds on it is still a gap: the prerequisite of a skill the person already has at
    the needed level costs no hours.
    """
    order = catalog.graph.sort(needed)
    short = {s for s in order if levels.get(s, 0) < needed[s]}
    wanted: set[str] = set()
    for skill_id in reversed(order):  # dependents before their prerequisites
        if skill_id not in short:
            continue
        if skill_id in listed or any(
            skill_id in catalog.graph.ancestors.get(other, frozenset()) for other in wanted
        ):
            wanted.add(skill_id)
    gaps = []
    for skill_id in order:
        if skill_id in wanted:
            have, need = levels.get(skill_id, 0), needed[skill_id]
            hours = hours_between(catalog.skills[skill_id], have, need)
            gaps.append(SkillGap(skill_id, have, need, hours, skill_id in listed))
    return gaps


def missing_hours(gaps: list[SkillGap]) -> float:
    return sum(g.hours for g in gaps)


def weeks_to_ready(hours: float, hours_per_week: float) -> float:
    """Weeks of study to cover `hours` at `hours_per_week` — the only place this is computed."""
    if hours_per_week <= 0:
        raise ValueError("hours per week must be positive")
    return round(hours / hours_per_week, 1)


@dataclass(frozen=True)
class GapItem:
    skill_id: str
    name: str
    category: str
    have: int
    need: int
    hours: float
    importance: float
    """blended curated/market weight; a prerequisite carries the most its dependents carry"""
    value_per_hour: float
    listed: bool
    unlocks: tuple[str, ...]
    have_inferred: bool = False
    """True when `have` was not answered but inferred from years in the current role
    (`profile.inferred_floor`): shown as "(inferred)" wherever the level is shown"""


def prioritise(
    gaps: list[SkillGap], importance: Mapping[str, float], catalog: Catalog
) -> list[GapItem]:
    """Most value per hour first, but never a skill before the missing skills it builds on."""
    in_gap = {g.skill_id: g for g in gaps}
    dependents: dict[str, set[str]] = {g.skill_id: set() for g in gaps}
    for g in gaps:
        for ancestor in catalog.graph.ancestors.get(g.skill_id, frozenset()):
            if ancestor in dependents:
                dependents[ancestor].add(g.skill_id)
    worth = {
        sid: max([importance.get(sid, 0.0), *(importance.get(d, 0.0) for d in deps)])
        for sid, deps in dependents.items()
    }
    done: set[str] = set()
    ordered: list[GapItem] = []
    while len(ordered) < len(gaps):
        ready = [
            g
            for g in gaps
            if g.skill_id not in done
            and all(p in done or p not in in_gap for p in catalog.graph.prerequisites(g.skill_id))
        ]
        best = max(ready, key=lambda g: (worth[g.skill_id] / max(g.hours, 0.5), g.skill_id))
        skill = catalog.skills[best.skill_id]
        ordered.append(
            GapItem(
                best.skill_id,
                skill.name,
                str(skill.category),
                best.have,
                best.need,
                round(best.hours, 1),
                round(worth[best.skill_id], 3),
                round(worth[best.skill_id] / max(best.hours, 0.5), 4),
                best.listed,
                tuple(sorted(dependents[best.skill_id])),
            )
        )
        done.add(best.skill_id)
    return ordered
