"""Mock interviews in the store, on SQLite and PostgreSQL: answers kept as given, per owner."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from mlpivot.bootstrap import Services
from mlpivot.engine.interview import AnswerFeedback
from mlpivot.engine.review import DailyLimits
from mlpivot.errors import NotFoundError
from mlpivot.store.repositories import Interviews, PracticeSettings, create_user

START = datetime(2027, 3, 1, 18, tzinfo=UTC)
ANSWER = AnswerFeedback(
    question_id="q-one",
    category="ml-system-design",
    answer="Two stages: retrieval, then ranking.",
    seconds=420.0,
    allotted_seconds=600.0,
    score=0.5,
    score_5=2.5,
    covered=("retrieval then ranking",),
    missed=("latency budget",),
    model_answer="A multi-stage design ...",
    study_next=("recommender-systems",),
    feedback="Score 2.5 of 5.",
)


def test_an_interview_stopped_half_way_keeps_its_answers_in_order(services: Services) -> None:
    second = replace(ANSWER, question_id="q-two", score=0.1, score_5=0.5, study_next=())
    with services.local() as (session, user):
        mock = Interviews(session, user).start("ml-engineer", 45, START)
    with services.local() as (session, user):
        Interviews(session, user).record(mock, 1, "Design a feed.", ANSWER, START)
        Interviews(session, user).record(mock, 2, "Code it.", second, START + timedelta(minutes=9))
    with services.local() as (session, user):
        stored = Interviews(session, user).get(mock)
    assert stored.finished_at is None
    assert [a.feedback for a in stored.answers] == [ANSWER, second]
    assert [a.question for a in stored.answers] == ["Design a feed.", "Code it."]
    assert stored.answers[1].answered_at == START + timedelta(minutes=9)
    assert stored.mean_score_5 == pytest.approx(1.5)


def test_another_persons_interview_is_not_found(services: Services) -> None:
    with services.local() as (session, user):
        mock = Interviews(session, user).start("ml-engineer", 45, START)
    with services.unit_of_work() as session:
        other = create_user(session, "other")
        assert Interviews(session, other).all() == []
        with pytest.raises(NotFoundError, match="no mock interview"):
            Interviews(session, other).get(mock)


def test_daily_limits_are_kept_per_person_and_changed_in_place(services: Services) -> None:
    with services.local() as (session, user):
        assert PracticeSettings(session, user).limits() == DailyLimits()
        PracticeSettings(session, user).save(DailyLimits(new=3, reviews=30))
    with services.local() as (session, user):
        PracticeSettings(session, user).save(DailyLimits(new=5, reviews=30))
    with services.local() as (session, user):
        assert PracticeSettings(session, user).limits() == DailyLimits(new=5, reviews=30)
    with services.unit_of_work() as session:
        assert PracticeSettings(session, create_user(session, "b")).limits() == DailyLimits()
