"""Pour a prerequisite-ordered list of study tasks into dated weeks under a weekly hours budget.

Filling is sequential: a task starts only when the one before it in the list is finished, so
when the list is in prerequisite order no task can start before its prerequisites are complete
(it may start in the same week, right after the last of them). A large task spans weeks.

Weeks run Monday to Sunday. Week 0 is the week that contains `start` and gets the full weekly
hours (a plan made on a Wednesday still counts that week); each later week starts on a Monday.
A week is unavailable when any date in `unavailable_weeks` falls inside it, so a person may
mark a holiday by any day of it; such a week gets nothing and still appears in the result, so
the calendar shows the break. A single day off (`days_off`) only takes that day's seventh of
the week's hours; seven days off in one week empty it. Work already done (`done`, hours per
task) is never scheduled again: a task with done hours at or above its hours is complete, a
partly done one is scheduled for what is left.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mlpivot.engine.optimize import PlanInputError

_EPSILON = 1e-9
"""Hours below this count as nothing, so float sums never leave a 1e-15-hour block behind."""


@dataclass(frozen=True)
class Task:
    """Something to study: usually one skill's remaining hours, or a project step."""

    id: str
    hours: float
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """Hours spent on one task in one week; `completes` marks the block that finishes it."""

    task_id: str
    hours: float
    completes: bool


@dataclass(frozen=True)
class Week:
    start: date
    """a Monday"""
    hours_available: float
    """the weekly budget, or 0 in an unavailable week"""
    blocks: tuple[Block, ...]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def available(self) -> bool:
        return self.hours_available > 0

    @property
    def hours_used(self) -> float:
        return math.fsum(b.hours for b in self.blocks)


@dataclass(frozen=True)
class Schedule:
    weeks: tuple[Week, ...]
    finish: date
    """the Sunday of the last week with work in it; `start` itself when nothing is left to do"""


def schedule_weeks(
    tasks: Sequence[Task],
    hours_per_week: float,
    start: date,
    unavailable_weeks: frozenset[date] = frozenset(),
    done: Mapping[str, float] | None = None,
    days_off: frozenset[date] = frozenset(),
) -> Schedule:
    """Blocks of study per week, in the order given, never more than `hours_per_week` a week."""
    if not (math.isfinite(hours_per_week) and hours_per_week > 0):
        raise PlanInputError(f"hours per week must be a number above 0, not {hours_per_week}")
    done = done or {}
    _check_order(tasks)
    blocked = {_monday(d) for d in unavailable_weeks}
    remaining = [(t.id, _left(t, done)) for t in tasks]
    queue = [(task_id, left) for task_id, left in reversed(remaining) if left is not None]
    weeks: list[Week] = []
    monday = _monday(start)
    while queue:
        if monday in blocked:
            weeks.append(Week(monday, 0.0, ()))
            monday += timedelta(days=7)
            continue
        budget = week_budget(monday, hours_per_week, days_off)
        if budget <= _EPSILON:
            weeks.append(Week(monday, 0.0, ()))
            monday += timedelta(days=7)
            continue
        room = budget
        blocks: list[Block] = []
        while queue and (room > _EPSILON or queue[-1][1] == 0):
            task_id, left = queue.pop()
            spent = min(left, room)
            finished = left - spent <= _EPSILON
            if finished:
                spent = left
            else:
                queue.append((task_id, left - spent))
            blocks.append(Block(task_id, spent, finished))
            room -= spent
        weeks.append(Week(monday, budget, tuple(blocks)))
        monday += timedelta(days=7)
    finish = weeks[-1].end if weeks else start
    return Schedule(tuple(weeks), finish)


def week_budget(monday: date, hours_per_week: float, days_off: frozenset[date]) -> float:
    """The week's hours less a seventh for each day off that falls in it."""
    off = sum(1 for n in range(7) if monday + timedelta(days=n) in days_off)
    return hours_per_week * (7 - off) / 7


def _left(task: Task, done: Mapping[str, float]) -> float | None:
    """Hours still to schedule, or None when the task is complete.

    A zero-hour task (a milestone) that nobody has marked done is kept, as a zero-hour block.
    """
    spent = max(0.0, done.get(task.id, 0.0))
    if task.hours == 0:
        return None if task.id in done else 0.0
    left = task.hours - spent
    return left if left > _EPSILON else None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _check_order(tasks: Sequence[Task]) -> None:
    """Refuse a list where a task comes before one of its prerequisites, or appears twice."""
    listed = {t.id for t in tasks}
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise PlanInputError(f"task {task.id!r} is listed twice; each task may appear once")
        if not (math.isfinite(task.hours) and task.hours >= 0):
            raise PlanInputError(f"task {task.id!r}: hours must be a number >= 0, not {task.hours}")
        late = sorted(p for p in task.prerequisites if p in listed and p not in seen)
        if late:
            raise PlanInputError(
                f"task {task.id!r} comes before its prerequisite(s) {', '.join(late)}; "
                "put the tasks in prerequisite order"
            )
        seen.add(task.id)
