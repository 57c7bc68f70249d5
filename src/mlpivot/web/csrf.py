"""Cross-site request forgery: no other web page can change a person's data through their browser.

Single-user mode has no login, so any page the person visits while `mlpivot serve` runs could
otherwise post a form to it. One ASGI middleware, `CsrfMiddleware`, guards every request whose
method is not safe (anything but GET, HEAD, OPTIONS, TRACE), for every route that exists now or
is added later, in every auth mode. A refused request answers 403 with a page (JSON for API and
JSON clients) that says why, and never reaches a route, so it changes nothing.

Two checks, both needed:

1. **Where it comes from.** A browser says where a request comes from (`Origin`,
   `Sec-Fetch-Site`). Anything but this very origin is refused outright, token or not. Note that
   another port on 127.0.0.1 is *same-site* to a browser (cookies do not isolate ports), so
   "same-site" is refused too: only "same-origin" passes.
2. **A token only our own pages know.** The browser holds a random session id in an HttpOnly,
   SameSite=Lax cookie; the token is an HMAC of that id under the app's key (`web.secret`), so
   a page that can set cookies on localhost still cannot mint a valid token, and a page that
   cannot read ours cannot learn it. Every unsafe request must carry it, in the `X-CSRF-Token`
   header or in a `csrf_token` form field (url-encoded or multipart).

How a new page stays protected (nothing to do per route):

- A form: put `{{ csrf_field() }}` inside every `<form method="post">`. A test reads every
  template and fails on a post form without it.
- HTMX (`hx-post`, `hx-put`, `hx-delete`…): nothing; `base.html` sets the header once for the
  page with `hx-headers` on `<body>`, which every element inherits.
- Your own `fetch()` in a static JS file: send `X-CSRF-Token` with the value of
  `<meta name="csrf-token">` from the page head.
- A new route of any method: nothing; the middleware sees it, and the route-table test in
  tests/integration/test_web_security.py calls it cross-origin and without a token and fails
  if it is not refused.

Bearer-token API calls (accounts mode's JSON API under `/api/v1/`) carry no cookie and cannot be
forged by a browser (a page cannot add an `Authorization` header cross-origin without a CORS
preflight, and the app allows none), so they are exempt from the token, not from the origin
check. The middleware records the exemption: `bearer_only(request)` is then True, and the API's
auth dependency must then authenticate by the bearer token alone and ignore any cookie. At login
and logout, call `rotate_csrf_session(request, response)` so that a token seen before is
worthless after.

Why our own ~200 lines and not a library: starlette-csrf (double-submit cookie) accepts the token
only in a header, so plain HTML forms would need JavaScript, its cookie must be readable by script
(not HttpOnly), and it has no Origin check; fastapi-csrf-protect is called from each route, which
is exactly what a new route forgets. Signing is one HMAC-SHA256 from the standard library, so
itsdangerous would add a dependency for no gain.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final
from urllib.parse import unquote_plus

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
COOKIE_NAME: Final = "mlpivot_csrf"
HEADER_NAME: Final = "X-CSRF-Token"
FIELD_NAME: Final = "csrf_token"
API_PREFIX: Final = "/api/v1/"
STATE_TOKEN: Final = "csrf_token"
STATE_BEARER_ONLY: Final = "csrf_bearer_only"
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)

Render = Callable[[Request, str, int], Awaitable[Response]]
"""Makes the HTML page for a refusal: (request, what happened, status)."""


def token_for(key: bytes, session_id: str) -> str:
    """The token for a session id: an HMAC under the app key, so only the app can make one."""
    mac = hmac.new(key, b"mlpivot-csrf:" + session_id.encode("ascii"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")


def csrf_token(request: Request) -> str:
    """This request's token, for a page to embed (the middleware has put it there)."""
    token: str = request.state.csrf_token
    return token


def bearer_only(request: Request) -> bool:
    """True when the request passed without a CSRF token because it carries a bearer token.

    The auth dependency of the JSON API must then accept only that bearer token as proof of who
    is calling, never a cookie that the browser may have attached on its own.
    """
    return bool(getattr(request.state, STATE_BEARER_ONLY, False))


def rotate_csrf_session(request: Request, response: Response) -> None:
    """Give the browser a new session id (at login and logout): old tokens stop working."""
    secure = request.url.scheme == "https"
    _set_cookie(MutableHeaders(raw=response.raw_headers), secrets.token_urlsafe(32), secure)


def _set_cookie(headers: MutableHeaders, session_id: str, secure: bool) -> None:
    cookie = f"{COOKIE_NAME}={session_id}; Path=/; HttpOnly; SameSite=Lax"
    headers.append("set-cookie", cookie + ("; Secure" if secure else ""))


def wants_json(request: Request) -> bool:
    """An API or JSON client gets JSON; a browser (which accepts HTML) gets a page."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _cross_origin(request: Request) -> str | None:
    """Why the browser says this request comes from elsewhere, or None if it does not."""
    origin = request.headers.get("origin")
    if origin == "null":
        return "it was sent by a page that hides where it comes from (Origin: null)"
    if origin is not None:
        own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
        if origin.lower() != own:
            return f"it was sent by a page from {origin}, not from this app at {own}"
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return f"your browser reports it was sent by another site (Sec-Fetch-Site: {fetch_site})"
    return None


class CsrfMiddleware:
    """Refuse unsafe requests that come from elsewhere or lack this browser's token."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        key: bytes,
        render_refusal: Render,
        max_body_bytes: int,
    ) -> None:
        self.app = app
        self.key = key
        self.render_refusal = render_refusal
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session_id = request.cookies.get(COOKIE_NAME, "")
        new_session = _SESSION_ID.fullmatch(session_id) is None
        if new_session:
            session_id = secrets.token_urlsafe(32)
        token = token_for(self.key, session_id)
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        state[STATE_TOKEN] = token

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and new_session:
                secure = scope["scheme"] == "https"
                _set_cookie(MutableHeaders(scope=message), session_id, secure)
            await send(message)

        if request.method not in SAFE_METHODS:
            refusal = _cross_origin(request)
            status = 403
            if refusal is None and self._bearer_exempt(request):
                state[STATE_BEARER_ONLY] = True
            elif refusal is None:
                receive, refusal, status = await self._check_token(
                    scope, receive, token, new_session
                )
            if refusal is not None:
                response = await self._refuse(Request(scope, receive), refusal, status)
                await response(scope, receive, send_with_cookie)
                return
        await self.app(scope, receive, send_with_cookie)

    @staticmethod
    def _bearer_exempt(request: Request) -> bool:
        authorization = request.headers.get("authorization", "")
        return request.url.path.startswith(API_PREFIX) and authorization.lower().startswith(
            "bearer "
        )

    async def _check_token(
        self, scope: Scope, receive: Receive, expected: str, new_session: bool
    ) -> tuple[Receive, str | None, int]:
        """The request's token checked against ours; the body, if read, is replayed after."""
        headers = Request(scope).headers
        submitted = headers.get(HEADER_NAME)
        if submitted is None:
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                body = await read_body_up_to(receive, self.max_body_bytes)
                if body is None:
                    return (
                        receive,
                        (
                            f"the form was larger than {self.max_body_bytes} bytes, "
                            "more than mlpivot accepts"
                        ),
                        413,
                    )
                receive = replay_body(body, receive)
                submitted = await _form_token(scope, body, content_type)
        if submitted is None:
            return receive, "it did not carry this app's security token", 403
        if new_session:
            return (
                receive,
                (
                    "your browser sent no session cookie with it (the page may come from another "
                    "browser or profile, or cookies are blocked for this address)"
                ),
                403,
            )
        if not hmac.compare_digest(submitted.encode("utf-8"), expected.encode("ascii")):
            return (
                receive,
                (
                    "its security token does not belong to this browser's session (the page may "
                    "be out of date: mlpivot's data folder or key changed since it was opened)"
                ),
                403,
            )
        return receive, None, 200

    async def _refuse(self, request: Request, reason: str, status: int) -> Response:
        if wants_json(request):
            detail = f"mlpivot refused this request: {reason}. Nothing was changed."
            return JSONResponse({"error": "refused", "detail": detail}, status_code=status)
        return await self.render_refusal(request, reason, status)


async def read_body_up_to(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit` bytes (the rest is not read)."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A receive channel that hands the buffered body to the app, then the real channel."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _form_token(scope: Scope, body: bytes, content_type: str) -> str | None:
    if content_type == "application/x-www-form-urlencoded":
        prefix = FIELD_NAME.encode("ascii") + b"="
        for pair in body.split(b"&"):  # only our field: parsing them all costs 10x more
            if pair.startswith(prefix):
                return unquote_plus(pair[len(prefix) :].decode("latin-1"))
        return None
    form = await Request(scope, replay_body(body, _no_more)).form()
    try:
        value = form.get(FIELD_NAME)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


async def _no_more() -> Message:
    return {"type": "http.disconnect"}
