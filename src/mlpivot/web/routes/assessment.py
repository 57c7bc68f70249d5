"""Onboarding and results for the local user: the questionnaire, the fit, the gap."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mlpivot.bootstrap import find_stored_profile
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.profile import Profile, profile_from_data, profile_to_data
from mlpivot.engine.questionnaire import (
    answers_from_profile,
    profile_data_from_answers,
    questionnaire,
)
from mlpivot.engine.suggestions import what_you_bring
from mlpivot.errors import StaleWriteError
from mlpivot.store.repositories import Profiles
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.templating import templates

router = APIRouter()


def _stored(services: ServicesDep) -> tuple[Profile | None, int]:
    found = find_stored_profile(services)
    return (found.profile, found.version) if found else (None, 0)


@router.get("/profile", response_class=HTMLResponse)
def profile_form(request: Request, services: ServicesDep) -> HTMLResponse:
    person, version = _stored(services)
    return templates.TemplateResponse(
        request,
        "profile.html",
        {
            "prompts": questionnaire(services.catalog),
            "version": version,
            "answers": answers_from_profile(person, services.catalog) if person else {},
            "error": None,
        },
    )


@router.post("/profile", response_model=None)
async def save_profile(
    request: Request,
    services: ServicesDep,
    today: TodayDep,
    version: Annotated[int, Form()] = 0,
) -> Response:
    form = await request.form()
    catalog = services.catalog
    prompts = questionnaire(catalog)
    answers: dict[str, object] = {}
    for prompt in prompts:
        if prompt.kind == "multi":
            answers[prompt.id] = [str(v) for v in form.getlist(prompt.id)]
        else:
            answers[prompt.id] = str(form.get(prompt.id, prompt.default))
    person = profile_from_data(
        profile_data_from_answers(answers, catalog, today), catalog, "the form"
    )
    try:
        with services.local() as (session, user):
            Profiles(session, user).save(profile_to_data(person), expected_version=version)
    except StaleWriteError as exc:
        current, current_version = _stored(services)
        return templates.TemplateResponse(
            request,
            "profile.html",
            {
                "prompts": prompts,
                "version": current_version,
                "answers": answers_from_profile(current, catalog) if current else {},
                "error": str(exc),
            },
            status_code=409,
        )
    return RedirectResponse("/fit", status_code=303)


@router.get("/fit", response_class=HTMLResponse, response_model=None)
def fit_page(request: Request, services: ServicesDep) -> Response:
    person, _ = _stored(services)
    if person is None:
        return RedirectResponse("/profile", status_code=303)
    catalog = services.catalog
    return templates.TemplateResponse(
        request,
        "fit.html",
        {
            "fits": rank_roles(person, catalog, services.market_signals),
            "strengths": what_you_bring(person, catalog),
        },
    )


@router.get("/gap/{role_id}", response_class=HTMLResponse, response_model=None)
def gap_page(request: Request, role_id: str, services: ServicesDep) -> Response:
    person, _ = _stored(services)
    if person is None:
        return RedirectResponse("/profile", status_code=303)
    role = services.catalog.role(role_id)
    report = analyse_gap(person, role, services.catalog, services.market_signals.get(role.id))
    return templates.TemplateResponse(request, "gap.html", {"role": role, "report": report})
