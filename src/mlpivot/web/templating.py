"""The Jinja2 environment shared by every page, with the CSRF helpers every form uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from mlpivot.catalog.models import LEVEL_NAMES
from mlpivot.web.csrf import FIELD_NAME, csrf_token

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@pass_context
def _csrf_token(context: Any) -> str:
    return csrf_token(context["request"])


@pass_context
def _csrf_field(context: Any) -> Markup:
    """The hidden input that goes inside every `<form method="post">` (see `web.csrf`)."""
    token = escape(csrf_token(context["request"]))
    return Markup(f'<input type="hidden" name="{FIELD_NAME}" value="{token}">')


@pass_context
def _signed_in(context: Any) -> Any:
    """Who is signed in, for the header (looked up once per request, shared with the route)."""
    from mlpivot.web.auth import find_account

    request = context["request"]
    services = getattr(request.app.state, "services", None)
    return find_account(request, services) if services is not None else None


@pass_context
def _accounts_mode(context: Any) -> bool:
    services = getattr(context["request"].app.state, "services", None)
    return services is not None and services.settings.auth.value == "accounts"


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals["level_names"] = LEVEL_NAMES
templates.env.globals["csrf_token"] = _csrf_token
templates.env.globals["csrf_field"] = _csrf_field
templates.env.globals["signed_in"] = _signed_in
templates.env.globals["accounts_mode"] = _accounts_mode
