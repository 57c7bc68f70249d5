"""Cohorts in the browser: the admin's page, a cohort's members and invitations, a mentor's view
of one learner (fit, gap, plan, progress, answers) with the feedback form.

Only mounted in accounts mode. Who may open what is the store's `Cohorts.open` and
`Cohorts.learner`: a cohort someone may not open is "not found", like one that does not exist.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mlpivot.bootstrap import (
    Services,
    find_stored_profile,
    followed_plan,
    logged_work,
    readable_plan,
)
from mlpivot.engine.cohort import CohortOverview, LearnerState, overview_cohort
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.progress import measure_progress
from mlpivot.errors import UserError
from mlpivot.store.accounts import Account, AccountRole, Accounts, LinkKind, OneTimeLinks
from mlpivot.store.cohorts import (
    Cohorts,
    Feedback,
    FeedbackTarget,
    MemberRole,
    StoredCohort,
    StoredFeedback,
)
from mlpivot.store.repositories import Cards, Interviews
from mlpivot.web.auth import AdminDep, UserDep, now_utc
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.learner_states import learner_states_of
from mlpivot.web.templating import templates

router = APIRouter()

ANSWERS_SHOWN = 20


def _link(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, services: ServicesDep, user: AdminDep) -> HTMLResponse:
    with services.unit_of_work() as session:
        accounts = Accounts(session).all()
        cohorts = Cohorts(session).visible_to(user)
    return templates.TemplateResponse(
        request,
        "admin.html",
        {"accounts": accounts, "cohorts": [c for c, _ in cohorts], "link": None},
    )


@router.post("/admin/cohorts", response_model=None)
def create_cohort(
    services: ServicesDep, user: AdminDep, name: Annotated[str, Form()] = ""
) -> Response:
    with services.unit_of_work() as session:
        cohort = Cohorts(session).create(name, user)
    return RedirectResponse(f"/cohorts/{cohort.public_id}", status_code=303)


@router.post("/admin/accounts/{account_id}/reset", response_class=HTMLResponse)
def issue_reset_link(
    request: Request, services: ServicesDep, user: AdminDep, account_id: str
) -> HTMLResponse:
    """A single-use link that lets one person choose a new password; shown to the admin once."""
    lifetime = timedelta(hours=services.settings.reset_hours)
    with services.unit_of_work() as session:
        person = Accounts(session).by_public_id(account_id)
        token = OneTimeLinks(session).issue(
            LinkKind.RESET, created_by=user.id, now=now_utc(), lifetime=lifetime, user_id=person.id
        )
        accounts = Accounts(session).all()
        cohorts = Cohorts(session).visible_to(user)
    shown = {
        "for": person.name,
        "url": _link(request, f"/reset/{token}"),
        "hours": services.settings.reset_hours,
    }
    return templates.TemplateResponse(
        request,
        "admin.html",
        {"accounts": accounts, "cohorts": [c for c, _ in cohorts], "link": shown},
    )


@router.get("/cohorts", response_class=HTMLResponse)
def my_cohorts(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    with services.unit_of_work() as session:
        cohorts = Cohorts(session).visible_to(user)
    return templates.TemplateResponse(request, "cohorts.html", {"cohorts": cohorts})


def learner_state(services: Services, learner: Account, today: date) -> LearnerState:
    """A learner's progress on their followed plan and their gap for its role."""
    found = find_stored_profile(services, learner.id)
    plan = readable_plan(followed_plan(services, owner_id=learner.id))
    progress = measure_progress(plan, logged_work(services, learner.id), today) if plan else None
    gap = None
    if found is not None and plan is not None:
        role = services.catalog.role(plan.role_ids[0])
        market = services.market_signals.get(role.id)
        gap = analyse_gap(found.profile, role, services.catalog, market)
    return LearnerState(learner.public_id, learner.name, progress, gap)


def _overview(services: Services, learners: list[Account], today: date) -> CohortOverview:
    """Each learner's state derived once per change of their records (`learner_states`)."""
    states = learner_states_of(services).states(services, learners, today, learner_state)
    return overview_cohort(states)


def _cohort_page(
    request: Request,
    services: Services,
    user: Account,
    cohort_id: str,
    today: date,
    invite: dict[str, Any] | None = None,
) -> HTMLResponse:
    with services.unit_of_work() as session:
        cohorts = Cohorts(session)
        cohort = cohorts.open(cohort_id, user, mentor_view=False)
        members = cohorts.members(cohort)
        mine = next((m.role for m in members if m.account.id == user.id), None)
    mentor_view = user.is_admin or mine is MemberRole.MENTOR
    learners = [m.account for m in members if m.role is MemberRole.LEARNER]
    overview = _overview(services, learners, today) if mentor_view else None
    return templates.TemplateResponse(
        request,
        "cohort.html",
        {
            "cohort": cohort,
            "learners": learners,
            "overview": overview,
            "role_names": {k: v.name for k, v in services.catalog.roles.items()},
            "mentors": [m.account for m in members if m.role is MemberRole.MENTOR],
            "mentor_view": mentor_view,
            "is_admin": user.is_admin,
            "invite": invite,
            "roles": [r.value for r in MemberRole],
        },
    )


@router.get("/cohorts/{cohort_id}", response_class=HTMLResponse)
def cohort_page(
    request: Request, services: ServicesDep, user: UserDep, today: TodayDep, cohort_id: str
) -> HTMLResponse:
    return _cohort_page(request, services, user, cohort_id, today)


@router.get("/cohorts/{cohort_id}/export.csv", response_model=None)
def export_cohort(
    services: ServicesDep, user: UserDep, today: TodayDep, cohort_id: str
) -> Response:
    """The cohort's dashboard as CSV, one learner a row, for a spreadsheet."""
    with services.unit_of_work() as session:
        cohorts = Cohorts(session)
        cohort = cohorts.open(cohort_id, user, mentor_view=True)
        learners = [m.account for m in cohorts.members(cohort) if m.role is MemberRole.LEARNER]
    overview = _overview(services, learners, today)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "learner",
            "standing",
            "role",
            "hours_logged",
            "hours_planned_by_today",
            "ahead_by_hours",
            "missing_skills",
        ]
    )
    for row in overview.rows:
        writer.writerow(
            [
                _csv_cell(row.name),
                row.standing.value,
                row.role_id or "",
                row.hours_logged,
                row.hours_planned,
                row.ahead_by_hours,
                row.missing_skills,
            ]
        )
    name = f"mlpivot-cohort-{today.isoformat()}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _csv_cell(text: str) -> str:
    """A name a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.post("/cohorts/{cohort_id}/invites", response_class=HTMLResponse)
def invite(
    request: Request,
    services: ServicesDep,
    user: AdminDep,
    today: TodayDep,
    cohort_id: str,
    role: Annotated[str, Form()] = "learner",
) -> HTMLResponse:
    """A single-use invitation link into the cohort, as a learner or a mentor."""
    if role not in {r.value for r in MemberRole}:
        raise UserError(f"an invitation is for a learner or a mentor, not '{role[:20]}'")
    lifetime = timedelta(days=services.settings.invite_days)
    with services.unit_of_work() as session:
        cohort = Cohorts(session).open(cohort_id, user, mentor_view=True)
        token = OneTimeLinks(session).issue(
            LinkKind.INVITE,
            created_by=user.id,
            now=now_utc(),
            lifetime=lifetime,
            cohort_id=cohort.id,
            role=AccountRole(role),
        )
    shown = {"url": _link(request, f"/invite/{token}"), "role": role, "days": lifetime.days}
    return _cohort_page(request, services, user, cohort_id, today, shown)


@dataclass(frozen=True)
class LearnerView:
    cohort: StoredCohort
    learner: Account


def _open_learner(
    services: Services, user: Account, cohort_id: str, learner_id: str
) -> LearnerView:
    with services.unit_of_work() as session:
        cohorts = Cohorts(session)
        cohort = cohorts.open(cohort_id, user, mentor_view=True)
        return LearnerView(cohort, cohorts.learner(cohort, learner_id))


def learner_summary(services: Services, learner: Account, today: date) -> dict[str, Any]:
    """What a mentor sees of a learner: the same engine calls as the learner's own pages, and
    their latest quiz and mock-interview answers (newest first) with the feedback on them."""
    catalog = services.catalog
    found = find_stored_profile(services, learner.id)
    fits = rank_roles(found.profile, catalog, services.market_signals)[:3] if found else []
    stored_plan = followed_plan(services, owner_id=learner.id)
    plan = readable_plan(stored_plan)
    with services.owned(learner.id) as (session, owner):
        answers = Cards(session, owner).answered(ANSWERS_SHOWN)
        mocks = Interviews(session, owner).all()
        feedback = Feedback(session, learner).all()
    interview_answers = [(mock, answer) for mock in reversed(mocks) for answer in mock.answers][
        :ANSWERS_SHOWN
    ]
    on_answers: dict[str, list[StoredFeedback]] = {}
    for item in feedback:
        if item.target_kind is FeedbackTarget.INTERVIEW and item.target_id:
            on_answers.setdefault(item.target_id, []).append(item)
    gap = None
    progress = None
    if plan is not None:
        # The same gap and progress as the dashboard's, derived once per change of the
        # learner's records (`learner_states`) rather than on every view.
        state = learner_states_of(services).states(services, [learner], today, learner_state)[0]
        gap, progress = state.gap, state.progress
    elif found is not None and fits:
        role = catalog.role(fits[0].role_id)
        gap = analyse_gap(found.profile, role, catalog, services.market_signals.get(role.id))
    return {
        "fits": fits,
        "gap": gap,
        "plan": plan,
        "plan_id": stored_plan.public_id if stored_plan else None,
        "progress": progress,
        "answers": answers,
        "interview_answers": interview_answers,
        "interview_feedback": on_answers,
        "feedback": feedback,
        "names": {k: v.name for k, v in catalog.skills.items()},
        "role_names": {k: v.name for k, v in catalog.roles.items()},
    }


def _learner_page(
    request: Request,
    services: Services,
    view: LearnerView,
    today: date,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "learner.html",
        {
            "cohort": view.cohort,
            "learner": view.learner,
            "targets": [t.value for t in FeedbackTarget],
            "error": error,
            **learner_summary(services, view.learner, today),
        },
        status_code=status,
    )


@router.get("/cohorts/{cohort_id}/learners/{learner_id}", response_class=HTMLResponse)
def learner_page(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    today: TodayDep,
    cohort_id: str,
    learner_id: str,
) -> HTMLResponse:
    view = _open_learner(services, user, cohort_id, learner_id)
    return _learner_page(request, services, view, today)


@router.post("/cohorts/{cohort_id}/learners/{learner_id}/feedback", response_model=None)
def leave_feedback(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    today: TodayDep,
    cohort_id: str,
    learner_id: str,
    target: Annotated[str, Form()] = "general",
    comment: Annotated[str, Form()] = "",
    score: Annotated[str, Form()] = "",
) -> Response:
    """A mentor's comment and 0-5 score on the learner's plan, one of their answers, or their
    work in general. `target` is "general", "plan:ID" or "answer:ID"."""
    view = _open_learner(services, user, cohort_id, learner_id)
    kind_name, _, target_id = target.partition(":")
    try:
        kind = FeedbackTarget(kind_name)
        value = int(score) if score.strip() else None
    except ValueError:
        return _learner_page(
            request, services, view, today, "Pick what the feedback is about, and a score 0-5.", 400
        )
    try:
        with services.unit_of_work() as session:
            Feedback(session, view.learner).add(
                user, view.cohort, kind, target_id or None, value, comment, now_utc()
            )
    except UserError as exc:
        return _learner_page(request, services, view, today, f"Nothing was saved: {exc}.", 400)
    return RedirectResponse(
        f"/cohorts/{view.cohort.public_id}/learners/{view.learner.public_id}#feedback", 303
    )
