"""The FastAPI app factory: server-rendered pages with HTMX, no build step, nothing from a CDN.

The browser is the one guard of single-user mode, so every response carries the security headers
(`web.security_headers`) and every unsafe request passes the CSRF check (`web.csrf`); both are
ASGI middleware wrapped around the whole app here, so a new route or page is covered without a
line of its own. Read `web.csrf` before adding a form, an HTMX call or a `fetch`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from mlpivot import __version__
from mlpivot.bootstrap import Services, build_services, is_loopback
from mlpivot.config import AuthMode
from mlpivot.errors import AuthError, MlpivotError, NotFoundError, UserError
from mlpivot.web.auth import SignInRequired
from mlpivot.web.body_limit import BodySizeLimit
from mlpivot.web.csrf import CsrfMiddleware, wants_json
from mlpivot.web.routes import (
    accounts,
    api,
    applications,
    assessment,
    cohorts,
    feedback,
    market,
    matching,
    pages,
    planning,
    practice,
)
from mlpivot.web.secret import signing_key
from mlpivot.web.security_headers import SecurityHeadersMiddleware
from mlpivot.web.templating import templates

HTTP_MESSAGES = {
    404: "There is no such page here. The links at the top lead to every part of mlpivot.",
    405: "This page cannot be used that way; follow a link or a button to reach it.",
}
STATIC_DIR = Path(__file__).resolve().parent / "static"
FORM_OVERHEAD_BYTES = 1024 * 1024
"""what a form may carry beyond its largest upload (the other fields, multipart boundaries)"""


class LocalHostOnly(BaseHTTPMiddleware):
    """In single-user mode, refuse requests whose Host is not this machine (DNS rebinding)."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        host = request.headers.get("host", "")
        if not is_loopback(host):
            return PlainTextResponse(
                "This mlpivot runs in single-user mode and only answers to localhost.",
                status_code=403,
            )
        return await call_next(request)


async def render_refusal(request: Request, reason: str, status: int) -> Response:
    return templates.TemplateResponse(
        request, "refused.html", {"reason": reason}, status_code=status
    )


def create_app(services: Services | None = None) -> FastAPI:
    services = services or build_services()
    settings = services.settings
    # No Swagger UI page: it loads its scripts from a CDN and runs inline script, which the
    # Content-Security-Policy forbids and an offline app cannot do; the schema stays, beside the
    # JSON API in accounts mode.
    accounts_mode = settings.auth is AuthMode.ACCOUNTS
    app = FastAPI(
        title="mlpivot",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json" if accounts_mode else "/openapi.json",
    )
    app.state.services = services
    # Added innermost first: the headers wrap everything, the Host check runs before the CSRF one,
    # and the body size bound last (its refusal page needs the CSRF token the check provides).
    app.add_middleware(
        BodySizeLimit,
        max_body_bytes=settings.max_upload_bytes + FORM_OVERHEAD_BYTES,
        render_refusal=render_refusal,
    )
    app.add_middleware(
        CsrfMiddleware,
        key=signing_key(settings),
        render_refusal=render_refusal,
        max_body_bytes=settings.max_upload_bytes + FORM_OVERHEAD_BYTES,
    )
    if settings.auth is AuthMode.SINGLE_USER:
        app.add_middleware(LocalHostOnly)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(assessment.router)
    app.include_router(planning.router)
    app.include_router(market.router)
    app.include_router(matching.router)
    app.include_router(practice.router)
    app.include_router(applications.router)
    app.include_router(feedback.router)
    if accounts_mode:
        app.include_router(accounts.router)
        app.include_router(cohorts.router)
        app.include_router(api.router)

    @app.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        catalog = services.catalog
        return JSONResponse({"status": "ok", "version": __version__, "skills": len(catalog.skills)})

    @app.exception_handler(MlpivotError)
    async def plain_error(request: Request, exc: MlpivotError) -> Response:
        if isinstance(exc, SignInRequired):
            if wants_json(request):
                return JSONResponse(
                    {"detail": "sign in first: send Authorization: Bearer with an API token"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return accounts.login_redirect(request)
        status = (
            404
            if isinstance(exc, NotFoundError)
            else 403
            if isinstance(exc, AuthError)
            else 400
            if isinstance(exc, UserError)
            else 500
        )
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc)}, status_code=status
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return templates.TemplateResponse(
            request, "error.html", {"message": message}, status_code=exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        fields = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
        message = (
            "The form that was sent was incomplete or not right"
            + (f" ({', '.join(fields)})" if fields else "")
            + ", so nothing was changed. Go back, reload the page and try again."
        )
        return templates.TemplateResponse(
            request, "error.html", {"message": message}, status_code=422
        )

    return app
