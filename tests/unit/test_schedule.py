"""Pouring study tasks into dated weeks: examples a reader can check by hand."""

from __future__ import annotations

from datetime import date

import pytest

from mlpivot.engine.gap import weeks_to_ready
from mlpivot.engine.optimize import PlanInputError
from mlpivot.engine.schedule import Block, Task, schedule_weeks

MONDAY = date(2027, 1, 4)


def test_a_large_task_spans_weeks_and_the_next_starts_right_after_it() -> None:
    tasks = [Task("python", 10), Task("numpy", 5, ("python",))]
    plan = schedule_weeks(tasks, 8, MONDAY)
    assert [w.start for w in plan.weeks] == [date(2027, 1, 4), date(2027, 1, 11)]
    assert plan.weeks[0].blocks == (Block("python", 8, False),)
    assert plan.weeks[1].blocks == (Block("python", 2, True), Block("numpy", 5, True))
    assert plan.finish == date(2027, 1, 17)


def test_week_zero_is_the_week_containing_the_start_date() -> None:
    plan = schedule_weeks([Task("sql", 3)], 5, date(2027, 1, 6))
    assert plan.weeks[0].start == MONDAY
    assert plan.finish == date(2027, 1, 10)


def test_a_holiday_week_gets_nothing_whichever_day_marks_it() -> None:
    plan = schedule_weeks(
        [Task("statistics", 12)], 5, MONDAY, unavailable_weeks=frozenset({date(2027, 1, 14)})
    )
    assert [w.hours_used for w in plan.weeks] == [5, 0, 5, 2]
    assert not plan.weeks[1].available
    assert plan.finish == date(2027, 1, 31)


def test_done_work_is_not_scheduled_again() -> None:
    tasks = [Task("python", 10), Task("pandas", 6, ("python",)), Task("milestone", 0)]
    plan = schedule_weeks(tasks, 8, MONDAY, done={"python": 10, "pandas": 2, "milestone": 0})
    assert [b for w in plan.weeks for b in w.blocks] == [Block("pandas", 4, True)]


def test_nothing_left_finishes_on_the_start_date() -> None:
    plan = schedule_weeks([Task("git", 4)], 8, MONDAY, done={"git": 4})
    assert plan.weeks == ()
    assert plan.finish == MONDAY


def test_a_zero_hour_milestone_gets_a_block_even_in_a_full_week() -> None:
    plan = schedule_weeks([Task("python", 8), Task("quiz", 0, ("python",))], 8, MONDAY)
    assert plan.weeks[0].blocks[-1] == Block("quiz", 0, True)
    assert len(plan.weeks) == 1


def test_finish_agrees_with_weeks_to_ready_within_a_week() -> None:
    tasks = [Task(f"s{k}", 7.5 + k) for k in range(9)]
    total = sum(t.hours for t in tasks)
    plan = schedule_weeks(tasks, 6, MONDAY)
    weeks_taken = ((plan.finish - MONDAY).days + 1) / 7
    assert abs(weeks_taken - weeks_to_ready(total, 6)) <= 1


def test_tasks_out_of_prerequisite_order_are_refused() -> None:
    with pytest.raises(PlanInputError, match="prerequisite order"):
        schedule_weeks([Task("numpy", 5, ("python",)), Task("python", 5)], 8, MONDAY)


def test_a_weekly_budget_of_zero_is_refused() -> None:
    with pytest.raises(PlanInputError, match="hours per week"):
        schedule_weeks([Task("python", 5)], 0, MONDAY)


def test_a_day_off_takes_a_seventh_of_that_weeks_hours_and_no_other_weeks() -> None:
    """Seven hours a week, the first Wednesday off: six hours that week, seven the next. A day
    off on the Monday after (2027-01-11) belongs to the next week alone."""
    wednesday, next_monday = date(2027, 1, 6), date(2027, 1, 11)
    plan = schedule_weeks([Task("sql", 14)], 7, MONDAY, days_off=frozenset({wednesday}))
    assert [w.hours_available for w in plan.weeks] == pytest.approx([6, 7, 7])
    assert [w.hours_used for w in plan.weeks] == pytest.approx([6, 7, 1])
    later = schedule_weeks([Task("sql", 14)], 7, MONDAY, days_off=frozenset({next_monday}))
    assert [w.hours_available for w in later.weeks] == pytest.approx([7, 6, 7])
    assert [w.hours_used for w in later.weeks] == pytest.approx([7, 6, 1])


def test_seven_days_off_empty_a_week_and_the_work_goes_on_after_it() -> None:
    whole_second_week = frozenset(date(2027, 1, 11 + n) for n in range(7))
    plan = schedule_weeks([Task("statistics", 10)], 5, MONDAY, days_off=whole_second_week)
    assert [w.hours_used for w in plan.weeks] == [5, 0, 5]
    assert not plan.weeks[1].available
    assert plan.weeks[1].start == date(2027, 1, 11)
    assert plan.finish == date(2027, 1, 24)
