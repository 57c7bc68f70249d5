"""Refuse a request body larger than mlpivot accepts, before any route reads it.

A route that takes an upload reads the whole multipart form first (Starlette spools it to
disk), so without a bound in front a 50 MB or endless upload costs time and disk before the
route's own size check can say no. This middleware answers 413 at once when the declared
`Content-Length` is too large; a body sent without one (chunked) is read up to the bound and
refused past it, else handed on unchanged. Safe methods are not limited (they carry no body).
"""

from __future__ import annotations

from typing import Final

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mlpivot.web.csrf import SAFE_METHODS, Render, read_body_up_to, replay_body, wants_json

CHUNK_LIMIT_NOTE: Final = "more than mlpivot accepts"


class BodySizeLimit:
    """413 for bodies over `max_body_bytes`, decided before the app sees the request."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, render_refusal: Render) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.render_refusal = render_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_body_bytes:
                await self._refuse(request, send, receive)
                return
            await self.app(scope, receive, send)
            return
        body = await read_body_up_to(receive, self.max_body_bytes)
        if body is None:
            await self._refuse(request, send, receive)
            return
        await self.app(scope, replay_body(body, receive), send)

    async def _refuse(self, request: Request, send: Send, receive: Receive) -> None:
        megabytes = self.max_body_bytes / (1024 * 1024)
        reason = f"the upload is larger than {megabytes:.0f} MB, {CHUNK_LIMIT_NOTE}"
        response: Response
        if wants_json(request):
            detail = f"mlpivot refused this request: {reason}. Nothing was changed."
            response = JSONResponse({"error": "too-large", "detail": detail}, status_code=413)
        else:
            response = await self.render_refusal(request, reason, 413)
        response.headers["Connection"] = "close"  # do not wait for the rest of the upload
        await response(request.scope, receive, send)
