"""The FastAPI app factory: server-rendered pages with HTMX, no build step, nothing from a CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from mlpivot import __version__
from mlpivot.bootstrap import Services, build_services, is_loopback
from mlpivot.config import AuthMode
from mlpivot.errors import MlpivotError, NotFoundError, UserError
from mlpivot.web.routes import assessment, pages, planning
from mlpivot.web.templating import templates

STATIC_DIR = Path(__file__).resolve().parent / "static"


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


def create_app(services: Services | None = None) -> FastAPI:
    services = services or build_services()
    app = FastAPI(title="mlpivot", version=__version__, docs_url="/api/docs", redoc_url=None)
    app.state.services = services
    if services.settings.auth is AuthMode.SINGLE_USER:
        app.add_middleware(LocalHostOnly)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(assessment.router)
    app.include_router(planning.router)

    @app.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        catalog = services.catalog
        return JSONResponse({"status": "ok", "version": __version__, "skills": len(catalog.skills)})

    @app.exception_handler(MlpivotError)
    async def plain_error(request: Request, exc: MlpivotError) -> HTMLResponse:
        status = (
            404 if isinstance(exc, NotFoundError) else 400 if isinstance(exc, UserError) else 500
        )
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc)}, status_code=status
        )

    return app
