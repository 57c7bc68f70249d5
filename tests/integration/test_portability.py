"""export data -> import data is the identity on SQLite and PostgreSQL; bad files change nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mlpivot.bootstrap import Services
from mlpivot.engine.interview import AnswerFeedback
from mlpivot.engine.review import DailyLimits, Rating, new_card, review_card
from mlpivot.errors import UserError
from mlpivot.store.accounts import AccountRole, Accounts, ApiTokens, account_of
from mlpivot.store.cohorts import Cohorts, Feedback, FeedbackTarget
from mlpivot.store.portability import (
    delete_user_data,
    export_user,
    parse_export,
    replace_user_data,
)
from mlpivot.store.repositories import (
    Cards,
    Documents,
    Evidence,
    Interviews,
    Plans,
    PracticeSettings,
    Profiles,
    Progress,
    create_user,
)
from mlpivot.store.tables import ApiTokenRow

DAY1 = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)
FEEDBACK = AnswerFeedback(
    question_id="regularisation-why",
    category="ml-theory",
    answer="It keeps weights small — «naïve» 李",
    seconds=95.5,
    allotted_seconds=180,
    score=0.4,
    score_5=2.0,
    covered=("penalises large weights",),
    missed=("trades bias for variance",),
    model_answer="Regularisation adds a penalty ...",
    study_next=("bias-variance-tradeoff",),
    feedback="Score 2.0 of 5.",
)


def fill(services: Services) -> dict[str, object]:
    with services.local() as (session, user):
        Profiles(session, user).save({"name": "Zoë 李", "hours_per_week": 8}, None)
        Plans(session, user).add("ml-engineer", {"weeks": [1, 2]})
        Plans(session, user).add("ml-engineer", {"weeks": [3]})
        Progress(session, user).log("probability", 2.5, True, datetime(2027, 1, 3, tzinfo=UTC))
        Documents(session, user).add("resume", "cv.pdf", "Python, SQL", {"skills": ["python"]})
        Evidence(session, user).add(
            "python", 2, "resume", "Built Flask services", datetime(2027, 1, 2, 12, tzinfo=UTC)
        )
        cards = Cards(session, user)
        card, review = review_card(
            new_card("bias-variance-tradeoff", DAY1), Rating.GOOD, DAY1, correct=True, seconds=41.5
        )
        cards.save(card)
        cards.log(review)
        mine = new_card("mine-what-is-a-tensor", DAY1)
        cards.add_own(mine, {"id": mine.question_id, "question": "What is a tensor?"})
        PracticeSettings(session, user).save(DailyLimits(new=4, reviews=40))
        mock = Interviews(session, user).start("ml-engineer", 45, DAY1)
        Interviews(session, user).record(mock, 1, "Why regularise?", FEEDBACK, DAY1)
        Interviews(session, user).finish(mock, DAY1)
        exported = export_user(session, user)
    assert exported["evidence"], "the round trip must move evidence, not an empty list"
    return exported


def test_export_then_import_gives_back_exactly_the_same_data(services: Services) -> None:
    exported = fill(services)
    with services.local() as (session, user):
        delete_user_data(session, user)
        assert export_user(session, user)["plans"] == []
    with services.local() as (session, user):
        replace_user_data(session, user, parse_export(json.loads(json.dumps(exported)), "f"))
    with services.local() as (session, user):
        assert export_user(session, user) == exported
        cards = Cards(session, user)
        assert cards.all()["bias-variance-tradeoff"].reviews == 1
        assert [r.seconds for r in cards.reviews()] == [41.5]
        assert cards.own_questions() == [
            {"id": "mine-what-is-a-tensor", "question": "What is a tensor?"}
        ]
        assert PracticeSettings(session, user).limits() == DailyLimits(new=4, reviews=40)
        (mock,) = Interviews(session, user).all()
        assert [a.feedback for a in mock.answers] == [FEEDBACK]
    assert len(exported["cards"]) == 2  # type: ignore[arg-type]
    assert len(exported["reviews"]) == 1  # type: ignore[arg-type]
    assert len(exported["interviews"][0]["answers"]) == 1  # type: ignore[index]


def test_deleting_the_account_removes_cards_and_reviews(services: Services) -> None:
    fill(services)
    with services.local() as (session, user):
        delete_user_data(session, user)
    with services.local() as (session, user):
        assert Cards(session, user).all() == {}
        assert Cards(session, user).reviews() == []
        assert Interviews(session, user).all() == []
        assert PracticeSettings(session, user).limits() == DailyLimits()


def test_an_export_without_cards_from_before_the_quiz_still_imports(services: Services) -> None:
    exported = fill(services)
    before_quiz = {"cards", "reviews", "interviews", "practice_settings"}
    older = {k: v for k, v in exported.items() if k not in before_quiz}
    with services.local() as (session, user):
        replace_user_data(session, user, parse_export(json.loads(json.dumps(older)), "old"))
    with services.local() as (session, user):
        assert Cards(session, user).all() == {}
        assert len(export_user(session, user)["plans"]) == 2


def test_an_export_with_two_cards_for_one_question_is_refused(services: Services) -> None:
    exported = json.loads(json.dumps(fill(services)))
    exported["cards"].append(dict(exported["cards"][0], public_id="other"))
    with pytest.raises(UserError, match=r"cards\.2: a second card for question"):
        parse_export(exported, "f")


def test_another_users_data_is_neither_exported_nor_touched(services: Services) -> None:
    fill(services)
    with services.unit_of_work() as session:
        other = create_user(session, "other")
        assert export_user(session, other)["plans"] == []
        delete_user_data(session, other)
    with services.local() as (session, user):
        assert len(export_user(session, user)["plans"]) == 2


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "something"}, "not an mlpivot export"),
        ({"format": "mlpivot-export", "version": 99}, "version 99 is not supported"),
        (
            {
                "format": "mlpivot-export",
                "version": 1,
                "profile": None,
                "plans": [{"x": 1}],
                "progress": [],
                "documents": [],
                "evidence": [],
            },
            "plans.0",
        ),
    ],
)
def test_a_bad_export_is_refused_naming_the_problem(document: object, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_export(document, "mine.json")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["python", "sql", "docker"]),
            st.floats(0.1, 20, allow_nan=False),
            st.booleans(),
        ),
        max_size=6,
    ),
    st.text(max_size=40),
)
def test_round_trip_holds_for_any_progress_and_profile_text(
    local_services: Services, logs: list[tuple[str, float, bool]], name: str
) -> None:
    with local_services.local() as (session, user):
        delete_user_data(session, user)
        Profiles(session, user).save({"name": name}, None)
        for skill, hours, done in logs:
            Progress(session, user).log(skill, hours, done, datetime(2027, 2, 1, tzinfo=UTC))
        exported = export_user(session, user)
    with local_services.local() as (session, user):
        replace_user_data(session, user, parse_export(json.loads(json.dumps(exported)), "f"))
    with local_services.local() as (session, user):
        assert export_user(session, user) == exported


def test_mentor_feedback_interview_answers_and_tokens_go_out_come_back_and_are_deleted(
    services: Services,
) -> None:
    """export -> delete-account -> import on a cohort instance: the feedback a mentor left on
    an interview answer comes back linked to that mentor and cohort; the API tokens are listed
    (never their secret or hash), removed by delete-account and not brought back by import."""
    exported = fill(services)
    with services.unit_of_work() as session:
        mentor = Accounts(session).create(
            "Max Mentor", "max@example.org", "a long password x", AccountRole.MENTOR
        )
        cohort = Cohorts(session).create("Spring", mentor)
    with services.local() as (session, user):
        me = account_of(user)
        (mock,) = Interviews(session, user).all()
        answer_id = mock.answers[0].public_id
        Feedback(session, me).add(
            mentor, cohort, FeedbackTarget.INTERVIEW, answer_id, 3, "Name the trade-off.", DAY1
        )
        _, secret = ApiTokens(session, me).issue("laptop")
        exported = export_user(session, user)
        token_hash = session.scalar(select(ApiTokenRow.token_hash))
    (note,) = exported["feedback"]  # type: ignore[misc]
    assert note["author"] == mentor.public_id and note["author_name"] == "Max Mentor"
    assert note["cohort_name"] == "Spring" and note["target_id"] == answer_id
    assert [t["name"] for t in exported["api_tokens"]] == ["laptop"]  # type: ignore[attr-defined]
    text = json.dumps(exported)
    assert secret not in text and str(token_hash) not in text and "token_hash" not in text

    with services.local() as (session, user):
        delete_user_data(session, user)
    with services.local() as (session, user):
        emptied = export_user(session, user)
        assert emptied["feedback"] == [] and emptied["api_tokens"] == []
        assert emptied["interviews"] == []
        assert ApiTokens(session, account_of(user)).all() == []

    with services.local() as (session, user):
        replace_user_data(session, user, parse_export(json.loads(text), "mine.json"))
    with services.local() as (session, user):
        back = export_user(session, user)
        (seen,) = Feedback(session, account_of(user)).all()
    assert back["api_tokens"] == []  # a token cannot be restored: make a new one
    assert {**back, "api_tokens": exported["api_tokens"]} == exported
    assert (seen.author, seen.cohort, seen.score) == ("Max Mentor", "Spring", 3)


def test_feedback_from_an_instance_whose_mentor_is_not_here_imports_unattributed(
    services: Services,
) -> None:
    exported = fill(services)
    exported["feedback"] = [
        {
            "public_id": "01a22029-f109-7361-abb2-cfc594de07e6",
            "created_at": DAY1.isoformat(),
            "author": "01a22029-ee14-76bb-942e-1965b9956dc1",
            "author_name": "Someone Elsewhere",
            "cohort": None,
            "cohort_name": None,
            "target_kind": "general",
            "target_id": None,
            "score": 5,
            "comment": "Well done.",
        }
    ]
    with services.local() as (session, user):
        replace_user_data(session, user, parse_export(exported, "theirs.json"))
    with services.local() as (session, user):
        (seen,) = Feedback(session, account_of(user)).all()
    assert (seen.author, seen.score, seen.comment) == ("a former mentor", 5, "Well done.")
