"""Signing in and out, accepting an invitation, resetting a password, personal API tokens.

Only mounted in accounts mode. A failed sign-in is counted per account and per client address
(`login_failures_per_account`, `login_failures_per_address` within `login_window_minutes`); past
either limit, sign-in is refused with 429 until the window has moved on, even with the right
password, so guessing costs the guesser time and the owner nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mlpivot.errors import MlpivotError
from mlpivot.store.accounts import (
    AccountRole,
    Accounts,
    ApiTokens,
    LinkKind,
    LoginThrottle,
    OneTimeLinks,
    WebSessions,
)
from mlpivot.store.cohorts import Cohorts, MemberRole
from mlpivot.web.auth import (
    OptionalUserDep,
    UserDep,
    end_session,
    now_utc,
    start_session,
)
from mlpivot.web.deps import ServicesDep
from mlpivot.web.templating import templates

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site: `next=https://evil.example` must not become a redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(
    request: Request,
    error: str | None = None,
    email: str = "",
    next_path: str = "/",
    status: int = 200,
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "login.html",
        {"error": error, "email": email, "next": next_path},
        status_code=status,
    )


@router.get("/login", response_class=HTMLResponse, response_model=None)
def login_form(request: Request, user: OptionalUserDep, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next_path=_safe_next(next))


@router.post("/login", response_model=None)
def log_in(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    settings = services.settings
    target = _safe_next(next)
    now = now_utc()
    window = timedelta(minutes=settings.login_window_minutes)
    account_key = "account:" + email.strip().lower()[:320]
    address_key = "address:" + (request.client.host if request.client else "unknown")
    # The attempt is counted as a failure before the password is checked (and taken back if it
    # was right): parallel guesses cannot all slip under the limit, and the slow argon2 check
    # runs outside any write transaction, where SQLite would make every other sign-in wait.
    with services.unit_of_work() as session:
        throttle = LoginThrottle(session)
        throttle.forget_before(now - window)
        over = throttle.failures(account_key, now - window) >= settings.login_failures_per_account
        over = over or (
            throttle.failures(address_key, now - window) >= settings.login_failures_per_address
        )
        pending = [] if over else throttle.record([account_key, address_key], now)
    account = None
    if not over:
        with services.unit_of_work() as session:
            account = Accounts(session).authenticate(email, password)
        if account is not None:
            with services.unit_of_work() as session:
                LoginThrottle(session).forget(pending)
                LoginThrottle(session).clear(account_key)
    if over:
        minutes = settings.login_window_minutes
        message = (
            f"Too many failed sign-ins for this account or from this address: wait {minutes} "
            "minutes and try again, or ask your admin for a password reset link."
        )
        return _login_page(request, message, email, target, 429)
    if account is None:
        return _login_page(request, "That email and password do not match.", email, target, 400)
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, services, account)
    return response


@router.post("/logout", response_model=None)
def log_out(request: Request, services: ServicesDep) -> Response:
    response = RedirectResponse("/", status_code=303)
    end_session(request, response, services)
    return response


def _invite_page(
    request: Request,
    token: str,
    cohort: str,
    role: str,
    user: OptionalUserDep,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "invite.html",
        {
            "token": token,
            "cohort": cohort,
            "role": role,
            "user": user,
            "error": error,
            "typed": typed or {},
        },
        status_code=status,
    )


@router.get("/invite/{token}", response_class=HTMLResponse)
def invite_form(
    request: Request, token: str, services: ServicesDep, user: OptionalUserDep
) -> HTMLResponse:
    with services.unit_of_work() as session:
        link = OneTimeLinks(session).valid(LinkKind.INVITE, token, now_utc())
        cohort = Cohorts(session).name_of(link.cohort_id or 0)
    return _invite_page(request, token, cohort, (link.role or AccountRole.LEARNER).value, user)


@router.post("/invite/{token}", response_model=None)
def accept_invite(
    request: Request,
    token: str,
    services: ServicesDep,
    user: OptionalUserDep,
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """Join the cohort: as the signed-in account, or as a new account made from the form."""
    now = now_utc()
    try:
        with services.unit_of_work() as session:
            link = OneTimeLinks(session).use(LinkKind.INVITE, token, now)
            role = MemberRole((link.role or AccountRole.LEARNER).value)
            account = user
            if account is None:
                global_role = (
                    AccountRole.MENTOR if role is MemberRole.MENTOR else AccountRole.LEARNER
                )
                account = Accounts(session).create(name, email, password, global_role)
            Cohorts(session).join(link.cohort_id or 0, account, role)
    except MlpivotError as exc:
        with services.unit_of_work() as session:
            found = OneTimeLinks(session).valid(LinkKind.INVITE, token, now)
            cohort = Cohorts(session).name_of(found.cohort_id or 0)
        typed = {"name": name, "email": email}
        message = f"{str(exc)[:1].upper()}{str(exc)[1:]}. Nothing was saved."
        return _invite_page(
            request,
            token,
            cohort,
            (found.role or AccountRole.LEARNER).value,
            user,
            message,
            typed,
            400,
        )
    response = RedirectResponse("/cohorts" if role is MemberRole.MENTOR else "/profile", 303)
    if user is None:
        start_session(request, response, services, account)
    return response


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_form(request: Request, token: str, services: ServicesDep) -> HTMLResponse:
    with services.unit_of_work() as session:
        OneTimeLinks(session).valid(LinkKind.RESET, token, now_utc())
    return templates.TemplateResponse(request, "reset.html", {"token": token, "error": None})


@router.post("/reset/{token}", response_model=None)
def reset_password(
    request: Request,
    token: str,
    services: ServicesDep,
    password: Annotated[str, Form()] = "",
) -> Response:
    """A new password from an admin's link; every session of that account ends."""
    try:
        with services.unit_of_work() as session:
            link = OneTimeLinks(session).use(LinkKind.RESET, token, now_utc())
            user_id = link.user_id or 0
            Accounts(session).set_password(user_id, password)
            WebSessions(session).end_all(user_id)
            account = Accounts(session).get(user_id)
    except MlpivotError as exc:
        return templates.TemplateResponse(
            request, "reset.html", {"token": token, "error": str(exc)}, status_code=400
        )
    response = RedirectResponse("/", status_code=303)
    start_session(request, response, services, account)
    return response


def _account_page(
    request: Request, services: ServicesDep, user: UserDep, new_token: str | None = None
) -> HTMLResponse:
    with services.unit_of_work() as session:
        tokens = ApiTokens(session, user).all()
    return templates.TemplateResponse(
        request, "account.html", {"user": user, "tokens": tokens, "new_token": new_token}
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    return _account_page(request, services, user)


@router.post("/account/tokens", response_class=HTMLResponse)
def issue_token(
    request: Request, services: ServicesDep, user: UserDep, name: Annotated[str, Form()] = ""
) -> HTMLResponse:
    """A new API token, shown this once (only its digest is kept)."""
    with services.unit_of_work() as session:
        _, token = ApiTokens(session, user).issue(name)
    return _account_page(request, services, user, token)


@router.post("/account/tokens/{token_id}/revoke", response_model=None)
def revoke_token(services: ServicesDep, user: UserDep, token_id: str) -> Response:
    with services.unit_of_work() as session:
        ApiTokens(session, user).revoke(token_id, now_utc())
    return RedirectResponse("/account", status_code=303)


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?next=" + quote(target, safe="/"), status_code=303)
