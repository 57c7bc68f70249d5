"""When to show the seeds' guidance on keeping going, read from the person's own data.

The guidance itself is data (the `advice` entries of the knowledge base); this module decides
which entry a person's record calls for and says why, in a sentence built from their figures:
weeks behind the plan (with a lighter plan offered), many things started and nothing finished,
tested levels above their own rating, rejections piling up, or practice that stopped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mlpivot.engine.limits import LIMITS
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.progress import LoggedWork, planned_hours_by

BEHIND_WEEKS_FOR_LIGHTER = 3.0
"""Weeks of planned hours missing before a lighter plan is offered."""
RECENT_WEEKS = 4
"""The weeks whose logged hours say what pace a person really keeps."""
SCATTER_DAYS, SCATTER_SKILLS = 14, 5
"""Hours on this many skills in this many days, none finished: spread too thin."""
ROLE_HOPS_DAYS, ROLE_HOPS = 30, 3
"""Plans for this many different roles within this many days: still choosing."""
UNDERRATED_SKILLS = 2
"""Skills whose quiz level is above the person's own rating before the gap is pointed out."""
REJECTIONS_DAYS, REJECTIONS = 60, 3
QUIET_DAYS = 10
"""Days without any practice, after some, before a word on staying motivated."""


@dataclass(frozen=True)
class LighterPlan:
    hours_per_week: float
    behind_weeks: float
    reason: str


@dataclass(frozen=True)
class Guidance:
    advice_id: str
    """an `advice` entry of the knowledge base"""
    reason: str
    """what in the person's own data brought it up"""


@dataclass(frozen=True)
class PracticeFacts:
    """What the rules read, gathered at the edge."""

    today: date
    plan: Plan | None = None
    logs: Sequence[LoggedWork] = ()
    practice_days: frozenset[date] = frozenset()
    self_levels: Mapping[str, int] | None = None
    """skill -> the person's own rating (self evidence)"""
    quiz_levels: Mapping[str, int] | None = None
    """skill -> the level the quiz measured"""
    rejections: Sequence[date] = ()
    """the dates applications were rejected"""
    planned_roles: Sequence[tuple[str, date]] = ()
    """(role id, the day a plan for it was saved)"""


def behind_weeks(plan: Plan, logs: Sequence[LoggedWork], today: date) -> float:
    """Planned hours not logged by `today`, in weeks of the plan's budget (0 when on plan)."""
    logged = sum(log.hours for log in logs)
    missing = planned_hours_by(plan, today) - logged
    return max(0.0, missing / plan.hours_per_week) if plan.hours_per_week else 0.0


def _recent_pace(logs: Sequence[LoggedWork], today: date) -> float:
    since = today - timedelta(weeks=RECENT_WEEKS)
    return sum(log.hours for log in logs if since <= log.on < today) / RECENT_WEEKS


def lighter_plan(plan: Plan, logs: Sequence[LoggedWork], today: date) -> LighterPlan | None:
    """A weekly budget the person can keep, when they are `BEHIND_WEEKS_FOR_LIGHTER` behind.

    The pace of the last weeks, but never less than half the old budget (a plan that only
    describes a stall helps nobody), rounded up to the half hour and below the old budget.
    """
    behind = behind_weeks(plan, logs, today)
    if behind < BEHIND_WEEKS_FOR_LIGHTER:
        return None
    pace = _recent_pace(logs, today)
    hours = math.ceil(max(pace, plan.hours_per_week / 2) * 2) / 2
    hours = max(LIMITS.hours_per_week.min, min(hours, plan.hours_per_week - 0.5))
    if hours >= plan.hours_per_week:
        return None
    reason = (
        f"You are about {behind:.0f} weeks behind your plan of {plan.hours_per_week:g} h a "
        f"week, and over the last {RECENT_WEEKS} weeks you logged {pace:.1f} h a week. A plan "
        f"at {hours:g} h a week finishes later but is one you can keep."
    )
    return LighterPlan(hours, round(behind, 1), reason)


def guidance(facts: PracticeFacts) -> list[Guidance]:
    """The advice the person's own data calls for now, most pressing first."""
    found: list[Guidance] = []
    today = facts.today
    if facts.plan is not None:
        lighter = lighter_plan(facts.plan, facts.logs, today)
        if lighter is not None:
            found.append(Guidance("time-and-burnout", lighter.reason))
    recent = [log for log in facts.logs if today - timedelta(days=SCATTER_DAYS) < log.on <= today]
    touched = {log.skill_id for log in recent if log.hours > 0}
    if len(touched) >= SCATTER_SKILLS and not any(log.done for log in recent):
        found.append(
            Guidance(
                "too-many-options",
                f"In the last {SCATTER_DAYS} days you put hours into {len(touched)} different "
                "skills and finished none of them.",
            )
        )
    roles = {
        role
        for role, on in facts.planned_roles
        if today - timedelta(days=ROLE_HOPS_DAYS) < on <= today
    }
    if len(roles) >= ROLE_HOPS:
        found.append(
            Guidance(
                "too-many-options",
                f"You saved plans for {len(roles)} different roles in the last "
                f"{ROLE_HOPS_DAYS} days.",
            )
        )
    if facts.self_levels and facts.quiz_levels:
        under = sorted(
            s
            for s, level in facts.quiz_levels.items()
            if s in facts.self_levels and level > facts.self_levels[s]
        )
        if len(under) >= UNDERRATED_SKILLS:
            found.append(
                Guidance(
                    "imposter-syndrome",
                    f"Your quiz answers put you above your own rating in {len(under)} skills "
                    f"({', '.join(under[:4])}{', …' if len(under) > 4 else ''}).",
                )
            )
    rejected = [d for d in facts.rejections if today - timedelta(days=REJECTIONS_DAYS) < d <= today]
    if len(rejected) >= REJECTIONS:
        found.append(
            Guidance(
                "handling-rejections",
                f"{len(rejected)} applications were turned down in the last {REJECTIONS_DAYS} "
                "days.",
            )
        )
    past = [d for d in facts.practice_days if d <= today]
    if past and (today - max(past)).days >= QUIET_DAYS:
        found.append(
            Guidance(
                "staying-motivated",
                f"Your last practice was {(today - max(past)).days} days ago "
                f"({max(past).isoformat()}).",
            )
        )
    unique: dict[str, Guidance] = {}
    for item in found:
        unique.setdefault(item.advice_id, item)
    return list(unique.values())
