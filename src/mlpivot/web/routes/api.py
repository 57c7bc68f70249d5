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
from pydantic import BaseModel, Field, ValidationError

from mlpivot.bootstrap import find_stored_profile
from mlpivot.engine.fit import RoleFit, rank_roles
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.progress import LoggedWork, ProgressReport, measure_progress
from mlpivot.store.accounts import Account
from mlpivot.store.cohorts import Cohorts, Feedback, FeedbackTarget, MemberRole, StoredFeedback
from mlpivot.store.repositories import Plans, Progress
from mlpivot.web.auth import UserDep, now_utc
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.routes.cohorts import learner_summary
from mlpivot.web.routes.planning import LOG_HOURS

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
        default="general", description='"general", "plan:PLAN_ID" or "answer:ANSWER_ID"'
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
    with services.owned(account.id) as (session, owner):
        stored = Plans(session, owner).current()
        rows = Progress(session, owner).all()
    if stored is None:
        raise _no("saved plan")
    try:
        plan = Plan.model_validate(stored.data)
    except ValidationError:
        raise _no("plan this version of mlpivot can read") from None
    return plan, [LoggedWork(r.skill_id, r.hours, r.done, r.logged_on.date()) for r in rows]


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
    """What a mentor sees of one learner: fit, gap, plan, progress, answers, feedback."""
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
        raise HTTPException(422, "target is general, plan:ID or answer:ID") from None
    with services.unit_of_work() as session:
        store = Cohorts(session)
        found = store.open(cohort_id, user, mentor_view=True)
        person = store.learner(found, learner_id)
        saved = Feedback(session, person).add(
            user, found, kind, target_id or None, body.score, body.comment, now_utc()
        )
    return _feedback([saved])[0]
