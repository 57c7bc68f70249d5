"""What the CSRF check and the security headers cost: `uv run python bench/web_security.py`.

Calls a trivial ASGI endpoint directly (no network, no server) bare, then wrapped in the two
middlewares exactly as `web.app` wraps the app, for a GET, a POST with the token in the header
(HTMX), a url-encoded form and a multipart form (the middleware reads and replays the body), and
prints microseconds per request and the added cost.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mlpivot.web.csrf import COOKIE_NAME, CsrfMiddleware, token_for
from mlpivot.web.security_headers import SecurityHeadersMiddleware

KEY = b"k" * 32
SESSION = "s" * 43
TOKEN = token_for(KEY, SESSION)
ROUNDS = 3000


async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    await Request(scope, receive).body()
    await PlainTextResponse("ok")(scope, receive, send)


async def refuse(request: Request, reason: str, status: int) -> Response:
    return PlainTextResponse(reason, status_code=status)


def wrapped() -> ASGIApp:
    guarded = CsrfMiddleware(endpoint, key=KEY, render_refusal=refuse, max_body_bytes=1 << 24)
    return SecurityHeadersMiddleware(guarded)


def request(method: str, content_type: str | None, body: bytes, header_token: bool) -> Scope:
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"origin", b"http://127.0.0.1:8000"),
        (b"sec-fetch-site", b"same-origin"),
        (b"cookie", f"{COOKIE_NAME}={SESSION}".encode()),
    ]
    if content_type:
        headers.append((b"content-type", content_type.encode()))
    if header_token:
        headers.append((b"x-csrf-token", TOKEN.encode()))
    return {
        "type": "http",
        "method": method,
        "scheme": "http",
        "path": "/profile",
        "raw_path": b"/profile",
        "query_string": b"",
        "headers": headers,
        "body": body,
    }


def multipart(fields: dict[str, str], file_bytes: int) -> tuple[str, bytes]:
    boundary = "benchboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    file_part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="cv"; filename="cv.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    )
    body = "".join(parts).encode() + file_part.encode() + b"x" * file_bytes
    body += f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


async def call(app: ASGIApp, scope: Scope) -> int:
    status = 0
    body = scope["body"]
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app({k: v for k, v in scope.items() if k != "body"}, receive, send)
    return status


async def per_request_us(app: ASGIApp, scope: Scope) -> float:
    assert await call(app, scope) == 200, "the benchmark request was refused"
    start = time.perf_counter()
    for _ in range(ROUNDS):
        await call(app, scope)
    return (time.perf_counter() - start) / ROUNDS * 1e6


async def main() -> None:
    form = f"version=3&hours_per_week=8&csrf_token={TOKEN}&" + "&".join(
        f"q{i}=answer{i}" for i in range(30)
    )
    mp_type, mp_body = multipart({"version": "3", "csrf_token": TOKEN}, 200_000)
    cases: list[tuple[str, Scope]] = [
        ("GET", request("GET", None, b"", False)),
        ("POST, token in header (HTMX)", request("POST", "text/plain", b"", True)),
        (
            "POST, url-encoded form, 30 fields",
            request("POST", "application/x-www-form-urlencoded", form.encode(), False),
        ),
        ("POST, multipart form, 200 kB file", request("POST", mp_type, mp_body, False)),
    ]
    bare: Callable[[Scope, Receive, Send], Awaitable[None]] = endpoint
    guarded = wrapped()
    print(f"{'request':<36} {'bare us':>9} {'guarded us':>11} {'added us':>9} {'ratio':>6}")
    for name, scope in cases:
        plain = await per_request_us(bare, scope)
        checked = await per_request_us(guarded, scope)
        print(
            f"{name:<36} {plain:>9.1f} {checked:>11.1f} {checked - plain:>9.1f} "
            f"{checked / plain:>6.2f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
