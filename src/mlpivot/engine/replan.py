"""Re-planning: the request that rebuilds a followed plan from today, keeping what is done.

The CLI and the web both re-plan, so the rules live here: the new plan starts today (or a
given day), follows the same pathway unless told otherwise, keeps the breaks still ahead, and
never schedules again what the person has logged or marked done; the skills keep the values
the plan was ordered by (`weights_source`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from mlpivot.engine.plan import PlanRequest
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.progress import LoggedWork, done_hours, done_skills
from mlpivot.engine.weights import MarketSignal


def replan_request(
    previous: Plan,
    logs: Sequence[LoggedWork],
    today: date,
    *,
    start: date | None = None,
    unavailable: Iterable[date] = (),
    pathway_id: str | None = None,
    hours_per_week: float | None = None,
    until: date | None = None,
    mine: Mapping[str, MarketSignal] | None = None,
) -> PlanRequest:
    begin = start or today
    days_off = {day for day in previous.unavailable_days if day >= begin} | set(unavailable)
    # plans saved before days off were kept: their empty weeks stay empty
    empty = {w.start for w in previous.weeks if not w.available and w.start >= begin}
    if previous.unavailable_days:
        empty = set()
    return PlanRequest(
        role_ids=previous.role_ids,
        start=begin,
        until=until,
        hours_per_week=hours_per_week,
        unavailable_weeks=frozenset(empty),
        unavailable_days=frozenset(days_off),
        pathway_id=pathway_id or previous.pathway_id,
        done_hours=done_hours(logs),
        done_skills=done_skills(logs),
        weights_source=previous.weights_source,
        mine=mine,
    )
