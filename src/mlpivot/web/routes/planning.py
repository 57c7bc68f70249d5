"""The plan in the browser: build one for a role, look at it week by week with its timeline."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mlpivot.engine.plan import PlanRequest, build_plan
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.profile import profile_from_data
from mlpivot.reports.timeline import plan_timeline
from mlpivot.store.repositories import Plans, Profiles, StoredPlan
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.templating import templates

router = APIRouter()

CHARTS_KEPT = 64
_charts: OrderedDict[tuple[str, int, str], str] = OrderedDict()
_charts_lock = threading.Lock()


def svg_data_url(svg: bytes) -> str:
    """The chart as an image URL: matplotlib styles its SVG inline, which the page's CSP forbids
    inside the page but not inside an image, where no script can run either."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def plan_chart(stored: StoredPlan, plan: Plan) -> str:
    """The plan's timeline as an image URL, drawn once per stored plan version, then kept.

    A stored version never changes, and drawing it takes matplotlib a second or more, which
    made `/plan` the one slow page. The key also holds a digest of the data, so a version
    replaced by an import (same id, other data) is drawn afresh.
    """
    digest = hashlib.sha256(json.dumps(stored.data, sort_keys=True).encode()).hexdigest()
    key = (stored.public_id, stored.version, digest)
    with _charts_lock:
        if key in _charts:
            _charts.move_to_end(key)
            return _charts[key]
    chart = svg_data_url(plan_timeline(plan, "svg"))
    with _charts_lock:
        _charts[key] = chart
        while len(_charts) > CHARTS_KEPT:
            _charts.popitem(last=False)
    return chart


@router.post("/plan", response_model=None)
def make_plan(services: ServicesDep, today: TodayDep, role: Annotated[str, Form()]) -> Response:
    catalog = services.catalog
    role_id = catalog.role(role).id
    with services.local() as (session, user):
        stored = Profiles(session, user).get()
    if stored is None:
        return RedirectResponse("/profile", status_code=303)
    person = profile_from_data(stored.data, catalog, "stored profile")
    plan = build_plan(person, catalog, PlanRequest((role_id,), today), services.market_signals)
    with services.local() as (session, user):
        Plans(session, user).add(role_id, plan.model_dump(mode="json"))
    return RedirectResponse("/plan", status_code=303)


@router.get("/plan", response_class=HTMLResponse, response_model=None)
def show_plan(request: Request, services: ServicesDep) -> Response:
    with services.local() as (session, user):
        stored = Plans(session, user).current()
    if stored is None:
        return RedirectResponse("/fit", status_code=303)
    plan = Plan.model_validate(stored.data)
    return templates.TemplateResponse(
        request,
        "plan.html",
        {
            "plan": plan,
            "version": stored.version,
            "roles": [services.catalog.role(r).name for r in plan.role_ids],
            "timeline": plan_chart(stored, plan),
        },
    )
