"""The application tracker as a board: one column per stage, a card per application.

Every move is a plain form post with the card's version, so the board works without JavaScript;
`static/applications.js` only lets a card be dragged to a column and then submits that same form
with the button for the column, so both paths meet the same rules (`engine.applications`) and
the same compare-and-set (`store.job_search`). A refused move answers with the board and the
reason: 400 for a move the rules forbid (with the stages it could go to), 409 when the card was
moved elsewhere since the page was opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mlpivot.bootstrap import Services
from mlpivot.engine.applications import (
    CLOSED,
    PIPELINE,
    STAGES,
    ApplicationFacts,
    PracticeSession,
    Reminder,
    allowed_moves,
    check_move,
    parse_stage,
    practice_before_interview,
    reminders,
    response_rates,
)
from mlpivot.errors import StaleWriteError, UserError
from mlpivot.store.job_search import Applications, StoredApplication
from mlpivot.store.repositories import Interviews
from mlpivot.store.tables import User
from mlpivot.web.auth import current_user
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.templating import templates

router = APIRouter()

MAX_TEXT = 200
"""the longest company or job title the form keeps (the CLI has no bound; a page needs one)"""


def _person(request: Request, services: Services) -> AbstractContextManager[tuple[Session, User]]:
    """Whose applications these are: the one place this module decides it (the local user, or
    the signed-in account; nobody signed in is sent to sign in)."""
    return services.owned(current_user(request, services).id)


@dataclass(frozen=True)
class Card:
    stored: StoredApplication
    facts: ApplicationFacts
    moves: tuple[str, ...]
    reminders: list[Reminder]
    mocks: list[PracticeSession]


@contextmanager
def _applications(request: Request, services: Services) -> Iterator[Applications]:
    with _person(request, services) as (session, user):
        yield Applications(session, user)


def _cards(request: Request, services: Services, today: date) -> list[Card]:
    with _person(request, services) as (session, user):
        stored = Applications(session, user).all()
        done = [(i.role_id, i.started_at.date()) for i in Interviews(session, user).all()]
    cards = []
    for app in stored:
        facts = app.facts()
        cards.append(
            Card(
                app,
                facts,
                allowed_moves(facts.stage),
                reminders([facts], today),
                [m for m in practice_before_interview(facts, today, done) if not m.done],
            )
        )
    return cards


def _board(
    request: Request,
    services: Services,
    today: date,
    *,
    error: str | None = None,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    cards = _cards(request, services, today)
    columns = [(stage, [c for c in cards if c.facts.stage == stage]) for stage in STAGES]
    rates = response_rates([c.facts for c in cards])
    advice = (
        services.catalog.advice.get("handling-rejections") if rates.advise_on_rejection else None
    )
    return templates.TemplateResponse(
        request,
        "applications.html",
        {
            "columns": columns,
            "closed": CLOSED,
            "starts": PIPELINE[:2],
            "roles": services.catalog.target_roles,
            "today": today,
            "error": error,
            "typed": typed or {},
            "max_text": MAX_TEXT,
            "rates": rates,
            "advice": advice,
        },
        status_code=status,
    )


@router.get("/applications", response_class=HTMLResponse)
def board(request: Request, services: ServicesDep, today: TodayDep) -> HTMLResponse:
    return _board(request, services, today)


def _day(raw: str, today: date, field: str) -> date:
    text = raw.strip()
    if not text:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{field} must be a date like 2027-03-01, not '{text[:40]}'") from None


@router.post("/applications", response_model=None)
def add_application(
    request: Request,
    services: ServicesDep,
    today: TodayDep,
    company: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    stage: Annotated[str, Form()] = "applied",
    on: Annotated[str, Form()] = "",
) -> Response:
    typed = {"company": company, "title": title, "role": role, "stage": stage, "on": on}
    company, title = company.strip(), title.strip()
    try:
        first = parse_stage(stage)
        if first not in PIPELINE[:2]:
            raise UserError(f"a new application starts at 'saved' or 'applied', not '{first}'")
        if not (company or title):
            raise UserError("say which job: a company, a title or both")
        if len(company) > MAX_TEXT or len(title) > MAX_TEXT:
            raise UserError(f"a company or title is at most {MAX_TEXT} characters")
        role_id = services.catalog.role(role).id if role else None
        day = _day(on, today, "the date")
    except UserError as exc:
        return _board(
            request, services, today, error=f"{exc}. Nothing was added.", status=400, typed=typed
        )
    with _applications(request, services) as apps:
        apps.add(company=company, title=title, stage=first, on=day, role_id=role_id)
    return RedirectResponse("/applications", status_code=303)


@router.post("/applications/{application_id}/move", response_model=None)
def move_application(
    request: Request,
    services: ServicesDep,
    today: TodayDep,
    application_id: str,
    stage: Annotated[str, Form()],
    expected_version: Annotated[int, Form()],
    on: Annotated[str, Form()] = "",
    interview_on: Annotated[str, Form()] = "",
) -> Response:
    """One stage change, as `apply move`: the rules first, then the compare-and-set."""
    refusal: tuple[str, int] | None = None
    with _applications(request, services) as apps:
        current = apps.get(application_id)  # an unknown id: the app's 404 page
        label = current.facts().label
        try:
            new = parse_stage(stage)
            day = _day(on, today, "the date of the move")
            interview = _day(interview_on, today, "the interview date") if interview_on else None
            if expected_version != current.version:
                raise StaleWriteError("moved since the page was read")
            check_move(current.facts().history, new, day)
            apps.move(application_id, new, day, expected_version, interview_on=interview)
        except UserError as exc:
            refusal = (f"{label}: {exc}. Nothing was changed.", 400)
        except StaleWriteError:
            refusal = (
                f"{label} was moved since this page was opened (it is now at "
                f"'{current.stage}'), so this move was not made. Here is the board as it is "
                "now; repeat the move if you still want it.",
                409,
            )
    if refusal is not None:  # the board is read afresh, after this transaction ended
        return _board(request, services, today, error=refusal[0], status=refusal[1])
    return RedirectResponse(f"/applications#card-{application_id}", status_code=303)
