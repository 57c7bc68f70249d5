"""The Jinja2 environment shared by every page, with the CSRF helpers every form uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from mlpivot.catalog.models import LEVEL_NAMES
from mlpivot.catalog.vocabulary import CATEGORY_NAMES
from mlpivot.engine.wording import hours_said
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


def money(amount: float | None, currency: str = "USD") -> str:
    """Pay rounded the way people say it: 117863 USD -> $118k; a missing figure is a dash."""
    if amount is None:
        return "—"
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}.get(currency, currency + " ")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount) / 1000:,.0f}k"


def count(n: int | None) -> str:
    """A sample size as people read it: 2,372; unknown when a source does not state it."""
    return "not stated" if n is None else f"{n:,}"


def hours(value: float) -> str:
    """Study hours as people say them: 6.7 -> "7 h", 0.4 -> "under 1 h"."""
    return "under 1 h" if 0 < value < 0.5 else f"{value:.0f} h"


def bar_class(share: float) -> str:
    """The CSS width class of a 0..1 share, in steps of 5% (the CSP forbids style attributes)."""
    return f"w-{round(min(1.0, max(0.0, share)) * 20) * 5}"


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters["money"] = money
templates.env.filters["count"] = count
templates.env.filters["bar_class"] = bar_class
templates.env.globals["level_names"] = LEVEL_NAMES
templates.env.globals["category_names"] = {str(k.value): v for k, v in CATEGORY_NAMES.items()}
templates.env.filters["hours"] = hours
templates.env.filters["study_time"] = hours_said
templates.env.globals["csrf_token"] = _csrf_token
templates.env.globals["csrf_field"] = _csrf_field
templates.env.globals["signed_in"] = _signed_in
templates.env.globals["accounts_mode"] = _accounts_mode
