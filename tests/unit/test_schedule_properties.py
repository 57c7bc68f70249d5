"""Invariants of the schedule and the selection on random graphs and budgets (hypothesis)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mlpivot.engine.optimize import LearningItem, prerequisite_order, select_exact, select_greedy
from mlpivot.engine.schedule import Schedule, Task, schedule_weeks

START = date(2027, 1, 6)


@st.composite
def graphs(draw: st.DrawFn, max_size: int = 12) -> list[Task]:
    """Tasks in prerequisite order, each with earlier tasks (and sometimes outside ids) needed."""
    n = draw(st.integers(0, max_size))
    tasks: list[Task] = []
    for k in range(n):
        before = draw(st.lists(st.integers(0, max(k - 1, 0)), max_size=3)) if k else []
        outside = draw(st.lists(st.sampled_from(["known-a", "known-b"]), max_size=1))
        hours = draw(st.one_of(st.just(0.0), st.floats(0.25, 60, allow_nan=False)))
        prerequisites = tuple(sorted({f"t{p}" for p in before})) + tuple(outside)
        tasks.append(Task(f"t{k}", hours, prerequisites))
    return tasks


@st.composite
def situations(draw: st.DrawFn) -> tuple[list[Task], float, frozenset[date], dict[str, float]]:
    tasks = draw(graphs())
    per_week = draw(st.floats(0.5, 40, allow_nan=False))
    holidays = draw(
        st.frozensets(st.integers(0, 30).map(lambda d: START + timedelta(days=7 * d // 2)))
    )
    done = draw(
        st.dictionaries(
            st.sampled_from([t.id for t in tasks]) if tasks else st.nothing(),
            st.floats(0, 80, allow_nan=False),
        )
    )
    return tasks, per_week, holidays, done


def positions(plan: Schedule) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Each task's first and last (week, block) position."""
    found: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
    for w, week in enumerate(plan.weeks):
        for b, block in enumerate(week.blocks):
            first = found.get(block.task_id, ((w, b), (w, b)))[0]
            found[block.task_id] = (first, (w, b))
    return found


@given(situations())
def test_no_task_starts_before_its_prerequisites_are_complete(situation) -> None:  # type: ignore[no-untyped-def]
    tasks, per_week, holidays, done = situation
    plan = schedule_weeks(tasks, per_week, START, holidays, done)
    where = positions(plan)
    for task in tasks:
        if task.id not in where:
            continue
        for p in task.prerequisites:
            if p in where:
                assert where[p][1] < where[task.id][0]


@given(situations())
def test_weeks_respect_the_budget_and_holidays(situation) -> None:  # type: ignore[no-untyped-def]
    tasks, per_week, holidays, done = situation
    plan = schedule_weeks(tasks, per_week, START, holidays, done)
    holiday_mondays = {d - timedelta(days=d.weekday()) for d in holidays}
    for previous, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        assert week.start - previous.start == timedelta(days=7)
    for week in plan.weeks:
        assert week.start.weekday() == 0
        assert week.hours_used <= per_week + 1e-9
        if week.start in holiday_mondays:
            assert week.blocks == ()
    if plan.weeks:
        assert plan.weeks[-1].blocks
        assert plan.finish == plan.weeks[-1].end


@given(situations())
def test_every_remaining_hour_is_scheduled_and_done_work_never_again(situation) -> None:  # type: ignore[no-untyped-def]
    tasks, per_week, holidays, done = situation
    plan = schedule_weeks(tasks, per_week, START, holidays, done)
    scheduled: dict[str, float] = {}
    completed: list[str] = []
    for week in plan.weeks:
        for block in week.blocks:
            scheduled[block.task_id] = scheduled.get(block.task_id, 0.0) + block.hours
            if block.completes:
                completed.append(block.task_id)
    for task in tasks:
        left = max(0.0, task.hours - max(0.0, done.get(task.id, 0.0)))
        assert math.isclose(scheduled.get(task.id, 0.0), left, abs_tol=1e-6)
        finished_before = task.id in done and (task.hours == 0 or left <= 1e-9)
        assert (task.id in scheduled) == (not finished_before)
    assert len(completed) == len(set(completed)) == len(scheduled)


@given(situations(), st.integers(0, 10))
def test_replanning_after_progress_never_undoes_it(situation, weeks_later) -> None:  # type: ignore[no-untyped-def]
    """Marking the first weeks as done and re-planning schedules exactly what was left."""
    tasks, per_week, holidays, done = situation
    plan = schedule_weeks(tasks, per_week, START, holidays, done)
    progress = dict(done)
    for week in plan.weeks[:weeks_later]:
        for block in week.blocks:
            progress[block.task_id] = max(0.0, progress.get(block.task_id, 0.0)) + block.hours
    later = schedule_weeks(
        tasks, per_week, START + timedelta(days=7 * weeks_later), holidays, progress
    )
    before = sum(w.hours_used for w in plan.weeks[weeks_later:])
    assert math.isclose(sum(w.hours_used for w in later.weeks), before, abs_tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(graphs(max_size=14), st.floats(0, 300, allow_nan=False), st.data())
def test_the_exact_selection_is_closed_within_budget_and_at_least_greedy(
    tasks, budget, data
) -> None:  # type: ignore[no-untyped-def]
    items = [
        LearningItem(t.id, t.hours, data.draw(st.floats(0, 3, allow_nan=False)), t.prerequisites)
        for t in tasks
    ]
    exact = select_exact(items, budget)
    greedy = select_greedy(items, budget)
    assert exact.value >= greedy.value - 1e-6
    assert exact.hours <= budget + 1e-6
    chosen = set(exact.chosen)
    by_id = {i.id: i for i in items}
    for item_id in exact.chosen:
        assert all(p in chosen or p not in by_id for p in by_id[item_id].prerequisites)
    order = prerequisite_order(items)
    assert list(exact.chosen) == [i for i in order if i in chosen]
    plan = schedule_weeks(
        [Task(i, by_id[i].hours, by_id[i].prerequisites) for i in exact.chosen], 10, START
    )
    assert math.isclose(sum(w.hours_used for w in plan.weeks), exact.hours, abs_tol=1e-6)
