"""Streaks, the weekly summary and guidance drawn from the person's own record (dates passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mlpivot.catalog import load_catalog
from mlpivot.engine.encouragement import (
    BEHIND_WEEKS_FOR_LIGHTER,
    PracticeFacts,
    behind_weeks,
    guidance,
    lighter_plan,
)
from mlpivot.engine.plan import PlanRequest, build_plan
from mlpivot.engine.profile import profile_from_data
from mlpivot.engine.progress import LoggedWork
from mlpivot.engine.review import Rating, Review, new_card, review_card
from mlpivot.engine.summary import (
    InterviewDay,
    day_streaks,
    replay_cards,
    study_days,
    weekly_summary,
)

CATALOG = load_catalog()
START = date(2027, 3, 1)  # a Monday
PLAN = build_plan(
    profile_from_data({"hours_per_week": 8, "skills": {"python": 3}}, CATALOG),
    CATALOG,
    PlanRequest(("ml-engineer",), START),
)
SKILLS_OF = {"q1": ("logistic-regression",), "q2": ("logistic-regression", "probability")}


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def answered(qid: str, day: date, correct: bool) -> Review:
    return Review(qid, Rating.GOOD if correct else Rating.AGAIN, at(day), correct, 20.0)


def test_a_streak_counts_back_from_today_or_yesterday_and_keeps_its_longest_run() -> None:
    days = {START + timedelta(days=n) for n in (0, 1, 2, 3, 6, 7)}
    assert day_streaks(days, START + timedelta(days=7)) == (2, 4)
    assert day_streaks(days, START + timedelta(days=8)) == (2, 4)  # today not yet practised
    assert day_streaks(days, START + timedelta(days=9)) == (0, 4)
    assert day_streaks(set(), START) == (0, 0)


def test_every_kind_of_practice_makes_a_study_day() -> None:
    days = study_days(
        [LoggedWork("sql", 1, False, START), LoggedWork("sql", 0, False, START + timedelta(1))],
        [answered("q1", START + timedelta(days=2), True)],
        [InterviewDay(START + timedelta(days=3), 3.0)],
    )
    assert days == {START, START + timedelta(days=2), START + timedelta(days=3)}


def test_replaying_the_log_gives_back_the_cards_the_quiz_kept() -> None:
    card, logs = new_card("q1", at(START)), []
    for n, rating in enumerate((Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY)):
        when = at(START + timedelta(days=2 * n))
        card, review = review_card(card, rating, when, correct=rating > 1, seconds=9)
        logs.append(review)
    replayed, kept = replay_cards(logs, at(START + timedelta(days=30)))
    assert replayed["q1"] == card and kept == logs
    earlier, kept = replay_cards(logs, at(START + timedelta(days=3)))
    assert earlier["q1"].reviews == 2 and len(kept) == 2


def test_the_weekly_summary_adds_up_the_week_and_says_what_is_next() -> None:
    today = START + timedelta(days=9)  # Wednesday of the second week
    logs = [
        LoggedWork("probability", 3, False, START + timedelta(days=2)),
        LoggedWork("probability", 2, True, START + timedelta(days=7)),
        LoggedWork("calculus", 1.5, False, START + timedelta(days=8)),
    ]
    reviews = [answered("q1", START + timedelta(days=1), False)]
    reviews += [
        answered(q, START + timedelta(days=d), True) for d in (7, 8, 9) for q in ("q1", "q2")
    ]
    mocks = [InterviewDay(START + timedelta(days=8), 2.5), InterviewDay(START, 4.0)]
    week = weekly_summary(today, logs, reviews, mocks, SKILLS_OF, PLAN)
    assert (week.week_start, week.week_end) == (START + timedelta(7), START + timedelta(13))
    assert week.hours_logged == 3.5 and week.skills_done == ("probability",)
    assert week.hours_planned == PLAN.weeks[1].hours
    assert (week.reviews, week.reviews_correct, week.new_cards) == (6, 6, 1)
    assert (week.interviews, week.interview_mean_5) == (1, 2.5)
    gained = {c.skill_id: c for c in week.mastery}
    assert gained["logistic-regression"].level_after > gained["logistic-regression"].level_before
    assert gained["logistic-regression"].answers == 7
    assert (week.streak_days, week.longest_streak_days) == (3, 3)
    assert week.next_up and all(" h" in line for line in week.next_up)


@given(st.integers(0, 6), st.lists(st.booleans(), min_size=1, max_size=12))
def test_one_more_right_answer_never_takes_mastery_gained_away(
    offset: int, marks: list[bool]
) -> None:
    today = START + timedelta(days=7 + offset)
    reviews = [answered("q1", START + timedelta(days=7), m) for m in marks]
    reviews = [
        Review(r.question_id, r.rating, r.answered_at + timedelta(minutes=i), r.correct, 5)
        for i, r in enumerate(reviews)
    ]
    before = {
        c.skill_id: c for c in weekly_summary(today, [], reviews, [], SKILLS_OF, None).mastery
    }
    more = [*reviews, Review("q1", Rating.GOOD, at(today, 20), True, 5)]
    after = {c.skill_id: c for c in weekly_summary(today, [], more, [], SKILLS_OF, None).mastery}
    for skill, change in before.items():
        assert after[skill].level_after >= change.level_after
        assert after[skill].score_after >= change.score_after - 1e-12


def test_three_weeks_behind_offers_a_lighter_plan_with_the_reason() -> None:
    logs = [LoggedWork("probability", 8, False, START + timedelta(days=3))]
    two_behind = START + timedelta(weeks=3)
    assert behind_weeks(PLAN, logs, two_behind) < BEHIND_WEEKS_FOR_LIGHTER
    assert lighter_plan(PLAN, logs, two_behind) is None
    four_behind = START + timedelta(weeks=5)
    offer = lighter_plan(PLAN, logs, four_behind)
    assert offer is not None
    assert 1 <= offer.hours_per_week < PLAN.hours_per_week
    assert offer.behind_weeks >= BEHIND_WEEKS_FOR_LIGHTER
    assert "weeks behind your plan of 8 h a week" in offer.reason
    (first, *_) = guidance(PracticeFacts(four_behind, plan=PLAN, logs=logs))
    assert first.advice_id == "time-and-burnout" and first.reason == offer.reason


def test_a_person_on_plan_gets_no_guidance() -> None:
    logs = [LoggedWork("probability", 8, True, START + timedelta(days=7 * w)) for w in range(4)]
    facts = PracticeFacts(
        START + timedelta(weeks=4),
        plan=PLAN,
        logs=logs,
        practice_days=frozenset({START + timedelta(weeks=4)}),
        self_levels={"sql": 2, "docker": 1},
        quiz_levels={"sql": 2, "docker": 1},
    )
    assert guidance(facts) == []


def test_scattered_hours_underrating_rejections_and_silence_each_bring_their_advice() -> None:
    today = START + timedelta(days=20)
    scattered = [
        LoggedWork(s, 1, False, today - timedelta(days=2))
        for s in ("sql", "docker", "pytorch", "statistics", "probability")
    ]
    facts = PracticeFacts(
        today,
        logs=scattered,
        practice_days=frozenset({today - timedelta(days=12)}),
        self_levels={"sql": 1, "docker": 0, "python": 3},
        quiz_levels={"sql": 2, "docker": 2, "python": 2},
        rejections=[today - timedelta(days=d) for d in (1, 10, 30)],
        planned_roles=[],
    )
    found = {g.advice_id: g.reason for g in guidance(facts)}
    assert set(found) == {
        "too-many-options",
        "imposter-syndrome",
        "handling-rejections",
        "staying-motivated",
    }
    assert "5 different skills" in found["too-many-options"]
    assert "docker, sql" in found["imposter-syndrome"]
    assert found["handling-rejections"].startswith("3 applications")
    assert "12 days ago" in found["staying-motivated"]
    for advice_id in found:
        assert advice_id in CATALOG.advice  # the words come from the knowledge base
    hopping = PracticeFacts(
        today,
        planned_roles=[("ml-engineer", today), ("data-scientist", today), ("ai-engineer", today)],
    )
    assert [g.advice_id for g in guidance(hopping)] == ["too-many-options"]


def test_study_time_is_said_in_minutes_or_half_hours_never_as_a_long_decimal() -> None:
    from mlpivot.engine.wording import hours_said

    assert hours_said(2 / 3) == "40 min"
    assert hours_said(1.33333) == "1.5 h"
    assert hours_said(6.66667) == "6.5 h"
    assert hours_said(8) == "8 h"
