"""The plan in the browser: build one for a role, look at it week by week with its timeline."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mlpivot.bootstrap import find_stored_profile, followed_plan, logged_work, readable_plan
from mlpivot.engine.plan import PlanRequest, build_plan
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.progress import measure_progress
from mlpivot.errors import NotFoundError
from mlpivot.reports.plan_export import (
    plan_to_html,
    plan_to_ics,
    plan_to_json,
    plan_to_markdown,
    plan_to_pdf,
)
from mlpivot.reports.timeline import plan_timeline
from mlpivot.store.accounts import Account
from mlpivot.store.repositories import Plans, Progress, StoredPlan
from mlpivot.web.auth import UserDep
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.templating import templates

router = APIRouter()
logger = logging.getLogger(__name__)

CHARTS_KEPT = 64
_charts: OrderedDict[tuple[str, int, str], str] = OrderedDict()
_charts_lock = threading.Lock()


def svg_data_url(svg: bytes) -> str:
    """The chart as an image URL: matplotlib styles its SVG inline, which the page's CSP forbids
    inside the page but not inside an image, where no script can run either."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def plan_chart(stored: StoredPlan, plan: Plan) -> str | None:
    """The plan's timeline as an image URL, drawn once per stored plan version, then kept;
    None when it cannot be drawn, and the page shows the week-by-week table without it.

    A stored version never changes, and drawing it takes matplotlib a second or more, which
    made `/plan` the one slow page. The key also holds a digest of the data, so a version
    replaced by an import (same id, other data) is drawn afresh. Here it is kept in this
    process; `plan_timeline` keeps the drawing in the cache folder, which the workers of one
    machine share and a restart keeps.
    """
    digest = hashlib.sha256(json.dumps(stored.data, sort_keys=True).encode()).hexdigest()
    key = (stored.public_id, stored.version, digest)
    with _charts_lock:
        if key in _charts:
            _charts.move_to_end(key)
            return _charts[key]
    try:
        chart = svg_data_url(plan_timeline(plan, "svg"))
    except Exception:  # a chart is an extra: the plan itself must still be shown
        logger.exception("the timeline of plan %s could not be drawn", stored.public_id)
        return None
    with _charts_lock:
        _charts[key] = chart
        while len(_charts) > CHARTS_KEPT:
            _charts.popitem(last=False)
    return chart


@router.post("/plan", response_model=None)
async def make_plan(
    request: Request, services: ServicesDep, user: UserDep, today: TodayDep
) -> Response:
    """Make a plan for a role and follow it; never silently in place of the one followed.

    With no followed plan, the button on the gap page saves and follows the new one (the CLI's
    `plan --save`). With one, the new plan is only tried: the page sets it beside the followed
    one and follows it only when the person says so (`replace`); the old plan stays listed on
    the plan page and can be followed again.
    """
    form = await request.form()
    catalog = services.catalog
    role_id = catalog.role(str(form.get("role", ""))).id
    found = find_stored_profile(services, user.id)
    if found is None:
        return RedirectResponse("/profile", status_code=303)
    plan = build_plan(
        found.profile, catalog, PlanRequest((role_id,), today), services.market_signals
    )
    followed = _current_plan(services, user)
    if followed is not None and form.get("replace") != "1":
        current, stored = followed
        return templates.TemplateResponse(
            request,
            "plan_confirm.html",
            {
                "new": plan,
                "new_role": catalog.role(role_id),
                "current": current,
                "current_roles": [catalog.role(r).name for r in current.role_ids],
                "current_since": stored.created_at.date(),
            },
        )
    with services.owned(user.id) as (session, owner):
        Plans(session, owner).add(role_id, plan.model_dump(mode="json"))
    return RedirectResponse("/plan", status_code=303)


@router.post("/plan/adopt", response_model=None)
async def adopt_plan(request: Request, services: ServicesDep, user: UserDep) -> Response:
    """Follow another saved plan (`mlpivot plan adopt ID`) from the list on the plan page."""
    plan_id = str((await request.form()).get("plan_id", ""))[:64]
    with services.owned(user.id) as (session, owner):
        Plans(session, owner).adopt(plan_id)  # an unknown id: a 404 page, nothing changed
    return RedirectResponse("/plan", status_code=303)


LOG_HOURS = (0.1, 80.0)
"""hours one log entry may carry: the bounds of `mlpivot progress log --hours`"""

EXPORTS: dict[str, tuple[str, str]] = {
    "ics": ("text/calendar", "ics"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "json": ("application/json", "json"),
}


def _current_plan(services: ServicesDep, user: Account) -> tuple[Plan, StoredPlan] | None:
    stored = followed_plan(services, owner_id=user.id)
    plan = readable_plan(stored)
    return None if stored is None or plan is None else (plan, stored)


def _saved_plans(services: ServicesDep, user: Account) -> list[dict[str, Any]]:
    """Every saved plan, newest first, as the list on the plan page shows it."""
    with services.owned(user.id) as (session, owner):
        saved = Plans(session, owner).history()
    rows = []
    for stored in reversed(saved):
        data = stored.data
        role = services.catalog.roles.get(stored.role_id)
        rows.append(
            {
                "id": stored.public_id,
                "role": role.name if role else stored.role_id,
                "followed": stored.is_current,
                "made": stored.created_at.date(),
                "hours_per_week": data.get("hours_per_week"),
                "finish": data.get("finish"),
            }
        )
    return rows


def _plan_skills(plan: Plan) -> dict[str, str]:
    """The skills the plan studies, id -> the name a person reads, in plan order."""
    found: dict[str, str] = {}
    for week in plan.weeks:
        for block in week.blocks:
            if block.kind == "skill":
                found.setdefault(block.ref_id, block.title)
    return found


def _plan_page(
    request: Request,
    services: ServicesDep,
    user: Account,
    today: date,
    plan: Plan,
    stored: StoredPlan,
    error: str | None = None,
    typed: dict[str, Any] | None = None,
    status: int = 200,
    template: str = "plan.html",
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        template,
        {
            "plan": plan,
            "version": stored.version,
            "roles": [services.catalog.role(r).name for r in plan.role_ids],
            "timeline": plan_chart(stored, plan),
            "progress": measure_progress(plan, logged_work(services, user.id), today),
            "skills": _plan_skills(plan),
            "names": {k: v.name for k, v in services.catalog.skills.items()},
            "log_hours": LOG_HOURS,
            "exports": list(EXPORTS),
            "error": error,
            "typed": typed or {},
            "saved": _saved_plans(services, user),
        },
        status_code=status,
    )


@router.get("/plan", response_class=HTMLResponse, response_model=None)
def show_plan(request: Request, services: ServicesDep, user: UserDep, today: TodayDep) -> Response:
    found = _current_plan(services, user)
    if found is None:
        return RedirectResponse("/fit", status_code=303)
    return _plan_page(request, services, user, today, *found)


@router.get("/plan/log", response_class=HTMLResponse, response_model=None)
def log_form(request: Request, services: ServicesDep, user: UserDep, today: TodayDep) -> Response:
    found = _current_plan(services, user)
    if found is None:
        return RedirectResponse("/fit", status_code=303)
    return _plan_page(request, services, user, today, *found, template="plan_log.html")


@router.post("/plan/progress", response_model=None)
async def log_progress(
    request: Request, services: ServicesDep, user: UserDep, today: TodayDep
) -> Response:
    """Hours on a skill of the plan, and "done" when it is finished: `progress log` in a form."""
    found = _current_plan(services, user)
    if found is None:
        return RedirectResponse("/fit", status_code=303)
    plan, stored = found
    form = await request.form()
    skill = str(form.get("skill", ""))
    raw_hours = str(form.get("hours", "")).strip()
    done = form.get("done") is not None
    typed = {"skill": skill, "hours": raw_hours, "done": done}
    low, high = LOG_HOURS
    try:
        hours = float(raw_hours)
    except ValueError:
        hours = math.nan
    error = None
    if skill not in _plan_skills(plan):
        error = "Pick a skill from your plan's list."
    elif not raw_hours:
        error = f"Hours is required: enter a number from {low:g} to {high:g}."
    elif not math.isfinite(hours) or not low <= hours <= high:
        error = f"Hours must be a number from {low:g} to {high:g}, not '{raw_hours[:40]}'."
    if error:
        return _plan_page(
            request, services, user, today, plan, stored, error, typed, 400, "plan_log.html"
        )
    when = datetime.combine(today, time(12), tzinfo=UTC)
    with services.owned(user.id) as (session, owner):
        Progress(session, owner).log(skill, hours, done, when)
    return RedirectResponse("/plan#progress", status_code=303)


@router.get("/plan/export/{export_format}", response_model=None)
def export_plan(services: ServicesDep, user: UserDep, export_format: str) -> Response:
    """The plan as `mlpivot export plan --format` writes it, downloaded."""
    if export_format not in EXPORTS:
        raise NotFoundError(
            f"there is no '{export_format[:20]}' export; the plan exports as " + ", ".join(EXPORTS)
        )
    found = _current_plan(services, user)
    if found is None:
        return RedirectResponse("/fit", status_code=303)
    plan, _ = found
    context = {"role_names": {r: services.catalog.role(r).name for r in plan.role_ids}}
    body: bytes | str
    if export_format == "ics":
        body = plan_to_ics(plan)
    elif export_format == "md":
        body = plan_to_markdown(plan, context)
    elif export_format == "html":
        body = plan_to_html(plan, context)
    elif export_format == "pdf":
        body = plan_to_pdf(plan, context)
    else:
        body = plan_to_json(plan)
    media, suffix = EXPORTS[export_format]
    name = f"mlpivot-plan-{plan.start.isoformat()}.{suffix}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
