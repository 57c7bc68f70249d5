"""Where a person stands against their plan: done, behind or ahead, and their streak."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mlpivot.engine.plan_model import Plan


@dataclass(frozen=True)
class LoggedWork:
    skill_id: str
    hours: float
    done: bool
    on: date


@dataclass(frozen=True)
class ProgressReport:
    role_ids: list[str]
    """the plan measured against: the followed one"""
    today: date
    hours_logged: float
    hours_planned_by_today: float
    ahead_by_hours: float
    """positive: ahead of plan; negative: behind"""
    done_skills: list[str]
    planned_done_by_today: list[str]
    streak_weeks: int
    """consecutive weeks, up to this one, with any work logged"""
    percent_complete: float
    summary: str


def done_hours(logs: Sequence[LoggedWork]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for log in logs:
        totals[log.skill_id] = totals.get(log.skill_id, 0.0) + log.hours
    return totals


def done_skills(logs: Sequence[LoggedWork]) -> frozenset[str]:
    return frozenset(log.skill_id for log in logs if log.done)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def streak(logs: Sequence[LoggedWork], today: date) -> int:
    """Weeks in a row with logged hours, counting back from this week (or last week, if this
    week has nothing yet — a streak is not broken on a Monday morning)."""
    weeks = {_monday(log.on) for log in logs if log.hours > 0}
    week = _monday(today)
    if week not in weeks:
        week -= timedelta(days=7)
    count = 0
    while week in weeks:
        count += 1
        week -= timedelta(days=7)
    return count


def planned_hours_by(plan: Plan, today: date) -> float:
    """Hours the plan expected before `today`.

    Each week's hours are spread over its days from the plan's start (a plan made on a
    Wednesday spreads week 1 over Wednesday to Sunday), and only whole days already past count:
    nobody is behind on the day they start.
    """
    planned = 0.0
    for week in plan.weeks:
        first = max(week.start, plan.start)
        if today <= first or first > week.end:
            continue
        days = (week.end - first).days + 1
        elapsed = min(days, (today - first).days)
        planned += week.hours * elapsed / days
    return planned


def measure_progress(plan: Plan, logs: Sequence[LoggedWork], today: date) -> ProgressReport:
    """Where the person stands. Every hour logged counts, also before the plan started: work
    done while trying plans out is work done (and the planner already left it out)."""
    logged = sum(log.hours for log in logs)
    planned = planned_hours_by(plan, today)
    planned_done = [
        b.ref_id
        for week in plan.weeks
        if week.end < today
        for b in week.blocks
        if b.completes and b.kind != "project"
    ]
    finished = sorted(done_skills(logs))
    total = plan.total_hours or 1.0
    ahead = logged - planned
    state = "ahead of" if ahead > 0.5 else "behind" if ahead < -0.5 else "on"
    summary = (
        f"{logged:.0f} h logged against {planned:.0f} h planned by {today.isoformat()} "
        f"(plan started {plan.start.isoformat()}): {abs(ahead):.0f} h {state} plan"
        if state != "on"
        else f"{logged:.0f} h logged, right on plan"
    )
    return ProgressReport(
        role_ids=list(plan.role_ids),
        today=today,
        hours_logged=round(logged, 1),
        hours_planned_by_today=round(planned, 1),
        ahead_by_hours=round(ahead, 1),
        done_skills=finished,
        planned_done_by_today=planned_done,
        streak_weeks=streak(logs, today),
        percent_complete=round(min(1.0, logged / total), 3),
        summary=summary,
    )
