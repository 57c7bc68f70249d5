"""Who is calling: the signed-in account (accounts mode) or the local user (single-user mode).

Every route that touches a person's data takes `UserDep` (or `AdminDep`) and reads and writes
through `services.owned(user.id)`: the queries are scoped to that account by the store, so a
route cannot forget it. How a request proves who it is:

- a browser page: the `mlpivot_session` cookie (HttpOnly, SameSite=Lax, Secure behind TLS) whose
  digest names a row of `web_sessions`; the id is new at every sign-in, so a session id planted
  before sign-in (fixation) is worth nothing after it;
- the JSON API under /api/v1/: `Authorization: Bearer mlp_...`, a personal API token. When the
  CSRF middleware let an unsafe call through for its bearer token (`bearer_only`), that token is
  the only proof accepted: a cookie the browser attached on its own is ignored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Final

from fastapi import Depends, Request, Response

from mlpivot.bootstrap import Services
from mlpivot.config import AuthMode
from mlpivot.errors import AuthError
from mlpivot.store.accounts import Account, WebSessions, account_of, api_token_account
from mlpivot.web.csrf import API_PREFIX, bearer_only, rotate_csrf_session
from mlpivot.web.deps import ServicesDep

SESSION_COOKIE: Final = "mlpivot_session"
_STATE_ACCOUNT: Final = "account"


class SignInRequired(AuthError):
    """Nobody is signed in: a page sends the browser to /login, the API answers 401."""


class Forbidden(AuthError):
    """Signed in, but this is not theirs to do (answered 403)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def find_account(request: Request, services: Services) -> Account | None:
    """The caller, looked up once per request; None when nobody is signed in."""
    if _STATE_ACCOUNT in request.scope.get("state", {}):
        cached: Account | None = request.scope["state"][_STATE_ACCOUNT]
        return cached
    account: Account | None
    if services.settings.auth is AuthMode.SINGLE_USER:
        with services.local() as (_, user):
            account = account_of(user)
    else:
        token = _bearer(request) if request.url.path.startswith(API_PREFIX) else None
        if token is not None or bearer_only(request):
            with services.unit_of_work() as session:
                account = api_token_account(session, token or "", now_utc())
        else:
            cookie = request.cookies.get(SESSION_COOKIE)
            account = None
            if cookie:
                with services.unit_of_work() as session:
                    account = WebSessions(session).account(cookie, now_utc())
    request.scope.setdefault("state", {})[_STATE_ACCOUNT] = account
    return account


def optional_user(request: Request, services: ServicesDep) -> Account | None:
    return find_account(request, services)


def current_user(request: Request, services: ServicesDep) -> Account:
    account = find_account(request, services)
    if account is None:
        raise SignInRequired("sign in to see this page")
    return account


def current_admin(user: Annotated[Account, Depends(current_user)]) -> Account:
    if not user.is_admin:
        raise Forbidden("only an admin can do this")
    return user


UserDep = Annotated[Account, Depends(current_user)]
OptionalUserDep = Annotated[Account | None, Depends(optional_user)]
AdminDep = Annotated[Account, Depends(current_admin)]


def start_session(
    request: Request, response: Response, services: Services, account: Account
) -> None:
    """Sign in: a new session id (never the one the browser came with) and a new CSRF token."""
    old = request.cookies.get(SESSION_COOKIE)
    lifetime = timedelta(hours=services.settings.session_hours)
    with services.unit_of_work() as session:
        sessions = WebSessions(session)
        if old:
            sessions.end(old)
        token = sessions.start(account.id, now_utc(), lifetime)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    rotate_csrf_session(request, response)


def end_session(request: Request, response: Response, services: Services) -> None:
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        with services.unit_of_work() as session:
            WebSessions(session).end(old)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    rotate_csrf_session(request, response)
