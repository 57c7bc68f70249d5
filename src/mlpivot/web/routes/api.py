"""The JSON API under /api/v1/: what the pages show, for scripts and `mlpivot --server`.

Only mounted in accounts mode. A script authenticates with a personal API token
(`Authorization: Bearer mlp_...`, made on /account); a page of this site may call it with its
session cookie and CSRF header. The same dependencies and store queries as the pages decide who
may see what, so the API cannot show more than the pages do. The schema FastAPI generates is at
/api/v1/openapi.json (no docs page: it would load scripts from a CDN).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mlpivot.bootstrap import find_stored_profile, followed_plan, logged_work, readable_plan
from mlpivot.catalog.models import QuizQuestion
from mlpivot.engine.fit import RoleFit, rank_roles
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.progress import LoggedWork, ProgressReport, measure_progress
from mlpivot.engine.review import Rating
from mlpivot.store.accounts import Account
from mlpivot.store.cohorts import Cohorts, Feedback, FeedbackTarget, MemberRole, StoredFeedback
from mlpivot.store.repositories import Interviews, Progress, StoredAnswer
from mlpivot.web.auth import UserDep, now_utc
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.routes.cohorts import learner_summary
from mlpivot.web.routes.planning import LOG_HOURS
from mlpivot.web.routes.practice import (
    MAX_ANSWER_CHARS,
    MINUTES,
    answer_interview,
    check_quiz_answer,
    interview_loop,
    quiz_sitting,
    quiz_state,
    start_interview,
    store_quiz_review,
)

router = APIRouter(prefix="/api/v1", tags=["api"])


class Me(BaseModel):
    public_id: str
    name: str
    email: str | None
    role: str


class ProfileOut(BaseModel):
    public_id: str
    version: int
    data: dict[str, Any]


class FeedbackOut(BaseModel):
    public_id: str
    author: str
    cohort: str | None
    target_kind: str
    target_id: str | None
    score: int | None
    comment: str
    created_at: datetime


class FeedbackIn(BaseModel):
    target: str = Field(
        default="general",
        max_length=100,
        description='"general", "plan:PLAN_ID", "answer:QUIZ_ANSWER_ID" or '
        '"interview:INTERVIEW_ANSWER_ID"',
    )
    score: int | None = Field(default=None, ge=0, le=5)
    comment: str = Field(default="", max_length=5000)


class ProgressIn(BaseModel):
    skill: str = Field(max_length=60)
    hours: float = Field(ge=LOG_HOURS[0], le=LOG_HOURS[1])
    done: bool = False


class CohortOut(BaseModel):
    public_id: str
    name: str
    my_role: str | None = Field(description="learner, mentor, or null for an admin's view")


class MemberOut(BaseModel):
    public_id: str
    name: str
    role: str


class CohortDetail(CohortOut):
    members: list[MemberOut]


class QuizQuestionOut(BaseModel):
    id: str
    type: str
    question: str
    options: list[str] = Field(description="an mcq's choices, answered by letter A, B, ...")
    skills: list[str]


class QuizOut(BaseModel):
    due: int = Field(description="cards due now, asked first")
    new: int = Field(description="new questions left under today's limit")
    next_due: datetime | None = Field(description="when the next card not yet due falls due")
    questions: list[QuizQuestionOut] = Field(description="what to ask now, in order")


class QuizAnswerIn(BaseModel):
    question_id: str = Field(max_length=100)
    choice: str = Field(default="", max_length=1, description="an mcq's letter")
    answer: str = Field(default="", max_length=MAX_ANSWER_CHARS, description="a short answer")
    seconds: float = Field(default=0.0, ge=0, le=86400, description="how long it took")
    rating: int | None = Field(
        default=None, ge=1, le=4, description="1 again .. 4 easy; default: the proposed one"
    )


class QuizAnswerOut(BaseModel):
    question_id: str
    correct: bool
    proposed_rating: int
    rating: int
    right_option: str | None = Field(description="an mcq's right letter")
    score_5: float | None = Field(description="a short answer's grade")
    missed: list[str]
    due: datetime = Field(description="when the card comes back")


class InterviewIn(BaseModel):
    role_id: str = Field(max_length=60)
    minutes: int = Field(default=45, ge=MINUTES[0], le=MINUTES[1])


class InterviewQuestionOut(BaseModel):
    number: int
    question_id: str
    category: str
    minutes: float
    question: str


class InterviewAnswerIn(BaseModel):
    question_id: str = Field(max_length=100, description="the current question's id")
    answer: str = Field(max_length=MAX_ANSWER_CHARS)
    seconds: float = Field(default=0.0, ge=0, le=86400)
    stop: bool = Field(default=False, description="end the mock after this answer")


class InterviewAnswerOut(BaseModel):
    public_id: str
    question_id: str
    question: str
    answer: str
    answered_at: datetime
    seconds: float
    allotted_seconds: float
    score_5: float
    covered: list[str]
    missed: list[str]
    model_answer: str
    study_next: list[str]
    feedback: str
    mentor_feedback: list[FeedbackOut]


class InterviewOut(BaseModel):
    public_id: str
    role_id: str
    minutes: int
    started_at: datetime
    finished_at: datetime | None
    questions: int
    mean_score_5: float | None
    answers: list[InterviewAnswerOut]
    next_question: InterviewQuestionOut | None


def _json(value: Any) -> JSONResponse:
    return JSONResponse(jsonable_encoder(value))


def _feedback(items: list[StoredFeedback]) -> list[FeedbackOut]:
    return [
        FeedbackOut(
            public_id=f.public_id,
            author=f.author,
            cohort=f.cohort,
            target_kind=f.target_kind.value,
            target_id=f.target_id,
            score=f.score,
            comment=f.comment,
            created_at=f.created_at,
        )
        for f in items
    ]


def _no(what: str) -> HTTPException:
    return HTTPException(404, f"you have no {what} yet")


@router.get("/me", response_model=Me)
def me(user: UserDep) -> Me:
    return Me(public_id=user.public_id, name=user.name, email=user.email, role=user.role.value)


@router.get("/profile", response_model=ProfileOut)
def profile(services: ServicesDep, user: UserDep) -> ProfileOut:
    with services.owned(user.id) as (session, owner):
        from mlpivot.store.repositories import Profiles

        stored = Profiles(session, owner).get()
    if stored is None:
        raise _no("profile: answer the questionnaire on /profile")
    return ProfileOut(public_id=stored.public_id, version=stored.version, data=stored.data)


@router.get("/fit", response_model=list[RoleFit])
def fit(services: ServicesDep, user: UserDep) -> JSONResponse:
    found = find_stored_profile(services, user.id)
    if found is None:
        raise _no("profile: answer the questionnaire on /profile")
    return _json(rank_roles(found.profile, services.catalog, services.market_signals))


@router.get("/gap/{role_id}")
def gap(services: ServicesDep, user: UserDep, role_id: str) -> JSONResponse:
    found = find_stored_profile(services, user.id)
    if found is None:
        raise _no("profile: answer the questionnaire on /profile")
    role = services.catalog.role(role_id)
    market = services.market_signals.get(role.id)
    return _json(analyse_gap(found.profile, role, services.catalog, market))


def _plan_and_logs(services: ServicesDep, account: Account) -> tuple[Plan, list[LoggedWork]]:
    stored = followed_plan(services, owner_id=account.id)
    if stored is None:
        raise _no("saved plan")
    plan = readable_plan(stored)
    if plan is None:
        raise _no("plan this version of mlpivot can read")
    return plan, logged_work(services, account.id)


@router.get("/plan", response_model=Plan)
def plan(services: ServicesDep, user: UserDep) -> JSONResponse:
    found, _ = _plan_and_logs(services, user)
    return _json(found)


@router.get("/progress", response_model=ProgressReport)
def progress(services: ServicesDep, user: UserDep, today: TodayDep) -> JSONResponse:
    found, logs = _plan_and_logs(services, user)
    return _json(measure_progress(found, logs, today))


@router.post("/progress", response_model=ProgressReport, status_code=201)
def log_progress(
    services: ServicesDep, user: UserDep, today: TodayDep, body: ProgressIn
) -> JSONResponse:
    """`mlpivot progress log`: hours on a skill of the followed plan, and "done"."""
    found, _ = _plan_and_logs(services, user)
    studied = {b.ref_id for w in found.weeks for b in w.blocks if b.kind == "skill"}
    if body.skill not in studied:
        raise HTTPException(422, f"'{body.skill}' is not a skill your plan studies")
    with services.owned(user.id) as (session, owner):
        when = datetime.combine(today, time(12), tzinfo=UTC)
        Progress(session, owner).log(body.skill, body.hours, body.done, when)
    _, logs = _plan_and_logs(services, user)
    return JSONResponse(jsonable_encoder(measure_progress(found, logs, today)), status_code=201)


@router.get("/feedback", response_model=list[FeedbackOut])
def feedback(services: ServicesDep, user: UserDep) -> list[FeedbackOut]:
    with services.unit_of_work() as session:
        return _feedback(Feedback(session, user).all())


@router.get("/cohorts", response_model=list[CohortOut])
def cohorts(services: ServicesDep, user: UserDep) -> list[CohortOut]:
    with services.unit_of_work() as session:
        found = Cohorts(session).visible_to(user)
    return [
        CohortOut(public_id=c.public_id, name=c.name, my_role=role.value if role else None)
        for c, role in found
    ]


@router.get("/cohorts/{cohort_id}", response_model=CohortDetail)
def cohort(services: ServicesDep, user: UserDep, cohort_id: str) -> CohortDetail:
    """A cohort's members: its mentors, and its learners for its mentors and admins."""
    with services.unit_of_work() as session:
        store = Cohorts(session)
        found = store.open(cohort_id, user, mentor_view=False)
        members = store.members(found)
    mine = next((m.role for m in members if m.account.id == user.id), None)
    sees_learners = user.is_admin or mine is MemberRole.MENTOR
    shown = [m for m in members if sees_learners or m.role is MemberRole.MENTOR]
    return CohortDetail(
        public_id=found.public_id,
        name=found.name,
        my_role=mine.value if mine else None,
        members=[
            MemberOut(public_id=m.account.public_id, name=m.account.name, role=m.role.value)
            for m in shown
        ],
    )


@router.get("/cohorts/{cohort_id}/learners/{learner_id}")
def learner(
    services: ServicesDep, user: UserDep, today: TodayDep, cohort_id: str, learner_id: str
) -> JSONResponse:
    """What a mentor sees of one learner: fit, gap, plan, progress, quiz and mock-interview
    answers (with the feedback on each), and all feedback."""
    with services.unit_of_work() as session:
        store = Cohorts(session)
        found = store.open(cohort_id, user, mentor_view=True)
        person = store.learner(found, learner_id)
    summary = learner_summary(services, person, today)
    gap_report = summary["gap"]
    return _json(
        {
            "learner": {"public_id": person.public_id, "name": person.name},
            "fit": summary["fits"],
            "gap": None
            if gap_report is None
            else {
                "role_id": gap_report.role_id,
                "summary": gap_report.summary,
                "skills": [i.skill_id for i in gap_report.items],
            },
            "plan_id": summary["plan_id"],
            "plan": summary["plan"],
            "progress": summary["progress"],
            "answers": [{"public_id": i, **jsonable_encoder(a)} for i, a in summary["answers"]],
            "interview_answers": [
                {
                    "interview_id": mock.public_id,
                    "role_id": mock.role_id,
                    **_answer(a, summary["interview_feedback"].get(a.public_id, [])).model_dump(
                        mode="json"
                    ),
                }
                for mock, a in summary["interview_answers"]
            ],
            "feedback": _feedback(summary["feedback"]),
        }
    )


@router.post(
    "/cohorts/{cohort_id}/learners/{learner_id}/feedback",
    response_model=FeedbackOut,
    status_code=201,
)
def leave_feedback(
    services: ServicesDep, user: UserDep, cohort_id: str, learner_id: str, body: FeedbackIn
) -> FeedbackOut:
    kind_name, _, target_id = body.target.partition(":")
    try:
        kind = FeedbackTarget(kind_name)
    except ValueError:
        raise HTTPException(422, "target is general, plan:ID, answer:ID or interview:ID") from None
    with services.unit_of_work() as session:
        store = Cohorts(session)
        found = store.open(cohort_id, user, mentor_view=True)
        person = store.learner(found, learner_id)
        saved = Feedback(session, person).add(
            user, found, kind, target_id or None, body.score, body.comment, now_utc()
        )
    return _feedback([saved])[0]


def _quiz_question(question: QuizQuestion) -> QuizQuestionOut:
    return QuizQuestionOut(
        id=question.id,
        type=question.type,
        question=question.question,
        options=[o.text for o in question.options],
        skills=list(question.skills),
    )


@router.get("/quiz", response_model=QuizOut)
def quiz(services: ServicesDep, user: UserDep) -> QuizOut:
    """The quiz as `mlpivot quiz` and /quiz run it: due cards first, then new ones."""
    questions, sitting, _, _ = quiz_sitting(services, user, now_utc())
    return QuizOut(
        due=len(sitting.due),
        new=len(sitting.new),
        next_due=sitting.later[0][1] if sitting.later else None,
        questions=[_quiz_question(questions[q]) for q in sitting.questions],
    )


@router.post("/quiz/answers", response_model=QuizAnswerOut, status_code=201)
def answer_quiz(services: ServicesDep, user: UserDep, body: QuizAnswerIn) -> QuizAnswerOut:
    """Grade an answer and store the review (with `rating`, or the rating the answer earns)."""
    now = now_utc()
    questions, _, _ = quiz_state(services, user)
    question = questions.get(body.question_id)
    if question is None:
        raise HTTPException(404, f"there is no question '{body.question_id}' in your quiz")
    checked = check_quiz_answer(question, body.choice.upper(), body.answer, body.seconds)
    rating = Rating(body.rating) if body.rating is not None else checked.proposed
    card = store_quiz_review(
        services,
        user,
        question.id,
        rating,
        correct=checked.correct,
        seconds=body.seconds,
        now=now,
    )
    grade = checked.shown.get("grade")
    return QuizAnswerOut(
        question_id=question.id,
        correct=checked.correct,
        proposed_rating=int(checked.proposed),
        rating=int(rating),
        right_option=checked.shown.get("right_letter"),
        score_5=grade.score_5 if grade else None,
        missed=list(grade.missed) if grade else [],
        due=card.due,
    )


def _interview(services: ServicesDep, user: Account, public_id: str) -> InterviewOut:
    mock, loop = interview_loop(services, user, public_id)
    with services.unit_of_work() as session:
        notes = Feedback(session, user).on_interviews()
    answered = len(mock.answers)
    current = (
        loop.items[answered] if answered < len(loop.items) and mock.finished_at is None else None
    )
    return InterviewOut(
        public_id=mock.public_id,
        role_id=mock.role_id,
        minutes=mock.minutes,
        started_at=mock.started_at,
        finished_at=mock.finished_at,
        questions=len(loop.items),
        mean_score_5=mock.mean_score_5,
        answers=[_answer(a, notes.get(a.public_id, [])) for a in mock.answers],
        next_question=None
        if current is None
        else InterviewQuestionOut(
            number=answered + 1,
            question_id=current.question_id,
            category=current.category,
            minutes=current.minutes,
            question=services.catalog.question_bank[current.question_id].question,
        ),
    )


def _answer(answer: StoredAnswer, notes: list[StoredFeedback]) -> InterviewAnswerOut:
    found = answer.feedback
    return InterviewAnswerOut(
        public_id=answer.public_id,
        question_id=found.question_id,
        question=answer.question,
        answer=found.answer,
        answered_at=answer.answered_at,
        seconds=found.seconds,
        allotted_seconds=found.allotted_seconds,
        score_5=found.score_5,
        covered=list(found.covered),
        missed=list(found.missed),
        model_answer=found.model_answer,
        study_next=list(found.study_next),
        feedback=found.feedback,
        mentor_feedback=_feedback(notes),
    )


@router.get("/interviews", response_model=list[InterviewOut])
def interviews(services: ServicesDep, user: UserDep) -> list[InterviewOut]:
    """Your mock interviews, oldest first, each with its answers and their feedback."""
    with services.owned(user.id) as (session, owner):
        found = [m.public_id for m in Interviews(session, owner).all()]
    return [_interview(services, user, public_id) for public_id in found]


@router.post("/interviews", response_model=InterviewOut, status_code=201)
def start_mock(services: ServicesDep, user: UserDep, body: InterviewIn) -> InterviewOut:
    """A new mock interview; `next_question` is its first question."""
    public_id = start_interview(services, user, body.role_id, body.minutes)
    return _interview(services, user, public_id)


@router.get("/interviews/{interview_id}", response_model=InterviewOut)
def mock_interview(services: ServicesDep, user: UserDep, interview_id: str) -> InterviewOut:
    return _interview(services, user, interview_id)


@router.post(
    "/interviews/{interview_id}/answers", response_model=InterviewAnswerOut, status_code=201
)
def answer_mock(
    services: ServicesDep, user: UserDep, interview_id: str, body: InterviewAnswerIn
) -> InterviewAnswerOut:
    """Answer the mock's current question: graded at once and kept (409 if it is not the
    current question: answered already, or the mock is over)."""
    found = answer_interview(
        services,
        user,
        interview_id,
        body.question_id,
        body.answer,
        body.seconds,
        stop=body.stop,
        now=now_utc(),
    )
    if found is None:
        raise HTTPException(409, "that is not this mock interview's current question")
    mock, _ = interview_loop(services, user, interview_id)
    return _answer(mock.answers[-1], [])
