"""The headers that tell the browser to run only our own code and never show us inside a frame.

Every response gets them, pages, fragments, errors, refusals and static files alike, because
one ASGI middleware adds them as the response starts. The policy allows scripts and styles from
this app's own `/static/` only: no inline `<script>`, no `style="…"` attribute, no `<style>`
element, no `eval` (HTMX is configured for that in `base.html`). A page that needs a style puts
a class in `static/mlpivot.css`; a page that needs behaviour adds a static JS file. A chart is
shown as an `<img>` (a data: URL or a route), because matplotlib's SVG styles itself inline.
"""

from __future__ import annotations

from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: Final[dict[str, str]] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",  # another local port cannot embed our data
}


_ENCODED: Final = [
    (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
]
_NAMES: Final = frozenset(name for name, _ in _ENCODED)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":  # ours replace any a route set
                kept = [h for h in message.get("headers", ()) if h[0].lower() not in _NAMES]
                message["headers"] = [*kept, *_ENCODED]
            await send(message)

        await self.app(scope, receive, send_with_headers)
