"""A person's week at a glance: hours, reviews, mock interviews, mastery gained, streak, next.

Mastery at the start of the week is rebuilt by replaying the review log up to then (the
scheduler runs without fuzzing, so a replay gives back the same cards), which is why a week's
gain can be told from the log alone. Dates are whole UTC days; `today` is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from mlpivot.engine.mastery import Mastery, skill_mastery
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.progress import LoggedWork, streak
from mlpivot.engine.review import Card, Review, new_card, review_card
from mlpivot.engine.wording import hours_said


@dataclass(frozen=True)
class MasteryChange:
    skill_id: str
    level_before: int
    level_after: int
    score_before: float
    score_after: float
    answers: int


@dataclass(frozen=True)
class WeeklySummary:
    week_start: date
    week_end: date
    hours_logged: float
    hours_planned: float
    """the followed plan's hours for this week (0 without a plan)"""
    skills_done: tuple[str, ...]
    reviews: int
    reviews_correct: int
    new_cards: int
    interviews: int
    interview_mean_5: float | None
    mastery: tuple[MasteryChange, ...]
    """skills answered this week, biggest gain first"""
    streak_days: int
    longest_streak_days: int
    streak_weeks: int
    next_up: tuple[str, ...]
    """the followed plan's blocks for the coming week"""


@dataclass(frozen=True)
class InterviewDay:
    on: date
    score_5: float


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def study_days(
    logs: Iterable[LoggedWork], reviews: Iterable[Review], interviews: Iterable[InterviewDay]
) -> set[date]:
    """Days with any practice: hours logged, a quiz answer or a mock interview answer."""
    days = {log.on for log in logs if log.hours > 0}
    days |= {r.answered_at.astimezone(UTC).date() for r in reviews}
    days |= {i.on for i in interviews}
    return days


def day_streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive practice days. The current run counts back from
    today, or from yesterday when today has nothing yet: a streak is not lost before bedtime."""
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for day in sorted(d for d in days if d <= today):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    return current, longest


def replay_cards(
    reviews: Iterable[Review], until: datetime
) -> tuple[dict[str, Card], list[Review]]:
    """The cards as they stood at `until`, rebuilt from the answers given before it."""
    cards: dict[str, Card] = {}
    kept: list[Review] = []
    for review in sorted(reviews, key=lambda r: r.answered_at):
        if review.answered_at > until:
            break
        start = cards.get(review.question_id) or new_card(review.question_id, review.answered_at)
        cards[review.question_id], _ = review_card(
            start,
            review.rating,
            review.answered_at,
            correct=review.correct,
            seconds=review.seconds,
        )
        kept.append(review)
    return cards, kept


def mastery_between(
    reviews: Sequence[Review],
    skills_of: Mapping[str, Sequence[str]],
    start: datetime,
    end: datetime,
) -> list[MasteryChange]:
    """How each skill answered in [start, end) moved, biggest gain first."""
    touched = {
        s for r in reviews if start <= r.answered_at < end for s in skills_of.get(r.question_id, ())
    }
    before_cards, before_logs = replay_cards(reviews, start)
    after_cards, after_logs = replay_cards(reviews, end)
    before = skill_mastery(before_cards, before_logs, skills_of, start)
    after = skill_mastery(after_cards, after_logs, skills_of, end)
    changes = []
    for skill in sorted(touched):
        if skill not in after:
            continue
        was: Mastery | None = before.get(skill)
        now = after[skill]
        changes.append(
            MasteryChange(
                skill,
                was.level if was else 0,
                now.level,
                round(was.score if was else 0.0, 4),
                round(now.score, 4),
                now.answers,
            )
        )
    changes.sort(
        key=lambda c: (
            -(c.level_after - c.level_before),
            -(c.score_after - c.score_before),
            c.skill_id,
        )
    )
    return changes


def weekly_summary(
    today: date,
    logs: Sequence[LoggedWork],
    reviews: Sequence[Review],
    interviews: Sequence[InterviewDay],
    skills_of: Mapping[str, Sequence[str]],
    plan: Plan | None,
) -> WeeklySummary:
    """The week (Monday to Sunday) that holds `today`, up to the end of `today`."""
    start_day = monday(today)
    start = datetime.combine(start_day, time(), tzinfo=UTC)
    end = datetime.combine(today + timedelta(days=1), time(), tzinfo=UTC)
    in_week = [log for log in logs if start_day <= log.on <= today]
    answered = [r for r in reviews if start <= r.answered_at < end]
    earlier = {r.question_id for r in reviews if r.answered_at < start}
    firsts = {r.question_id for r in answered} - earlier
    mocks = [i for i in interviews if start_day <= i.on <= today]
    current, longest = day_streaks(study_days(logs, reviews, interviews), today)
    planned = 0.0
    next_up: tuple[str, ...] = ()
    if plan is not None:
        planned = sum(w.hours for w in plan.weeks if w.start <= today <= w.end)
        coming = [w for w in plan.weeks if w.start > today and w.blocks]
        if coming:
            next_up = tuple(f"{b.title}: {hours_said(b.hours)}" for b in coming[0].blocks)
    return WeeklySummary(
        week_start=start_day,
        week_end=start_day + timedelta(days=6),
        hours_logged=round(sum(log.hours for log in in_week), 2),
        hours_planned=round(planned, 2),
        skills_done=tuple(sorted({log.skill_id for log in in_week if log.done})),
        reviews=len(answered),
        reviews_correct=sum(r.correct for r in answered),
        new_cards=len(firsts),
        interviews=len(mocks),
        interview_mean_5=round(sum(i.score_5 for i in mocks) / len(mocks), 2) if mocks else None,
        mastery=tuple(mastery_between(reviews, skills_of, start, end)),
        streak_days=current,
        longest_streak_days=longest,
        streak_weeks=streak(logs, today),
        next_up=next_up,
    )
