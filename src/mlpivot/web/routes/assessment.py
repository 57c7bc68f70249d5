"""Onboarding and results for the local user: the questionnaire, the fit, the gap."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from mlpivot.bootstrap import find_stored_profile
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.profile import Profile, profile_to_data
from mlpivot.engine.questionnaire import answers_from_profile, questionnaire
from mlpivot.engine.suggestions import what_you_bring
from mlpivot.errors import MlpivotError, StaleWriteError, UserError
from mlpivot.store.repositories import Documents, Profiles
from mlpivot.web.auth import UserDep
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.forms import choice_labels, choices_with_current, form_limits, read_profile_form
from mlpivot.web.templating import templates

router = APIRouter()


def _stored(services: ServicesDep, user: UserDep) -> tuple[Profile | None, int]:
    found = find_stored_profile(services, user.id)
    return (found.profile, found.version) if found else (None, 0)


def _form_page(
    request: Request,
    services: ServicesDep,
    stored: Profile | None,
    version: int,
    answers: dict[str, object],
    errors: dict[str, str],
    message: str | None,
    status: int = 200,
) -> HTMLResponse:
    prompts = questionnaire(services.catalog)
    choices = choices_with_current(prompts, stored)
    return templates.TemplateResponse(
        request,
        "profile.html",
        {
            "prompts": prompts,
            "choices": choices,
            "labels": choice_labels(services.catalog, choices),
            "limits": form_limits(prompts),
            "version": version,
            "answers": answers,
            "errors": errors,
            "error": message,
        },
        status_code=status,
    )


@router.get("/profile", response_class=HTMLResponse)
def profile_form(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    person, version = _stored(services, user)
    answers = answers_from_profile(person, services.catalog) if person else {}
    return _form_page(request, services, person, version, answers, {}, None)


@router.post("/profile", response_model=None)
async def save_profile(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    today: TodayDep,
    version: Annotated[int, Form()] = 0,
) -> Response:
    form = await request.form()
    catalog = services.catalog
    stored, _ = _stored(services, user)
    checked = read_profile_form(form, questionnaire(catalog), stored, catalog, today)
    if checked.profile is None:
        count = len(checked.errors)
        message = (
            f"Nothing was saved: {count} answer{'s need' if count > 1 else ' needs'} "
            "fixing (marked below). Everything you typed is still here."
        )
        if "form" in checked.errors:
            message += " " + checked.errors["form"]
        return _form_page(
            request, services, stored, version, checked.answers, checked.errors, message, 400
        )
    try:
        with services.owned(user.id) as (session, owner):
            Profiles(session, owner).save(
                profile_to_data(checked.profile), expected_version=version
            )
    except StaleWriteError as exc:
        current, current_version = _stored(services, user)
        answers = answers_from_profile(current, catalog) if current else {}
        return _form_page(request, services, current, current_version, answers, {}, str(exc), 409)
    return RedirectResponse("/fit", status_code=303)


@router.post("/profile/resume", response_model=None)
async def upload_resume(
    request: Request, services: ServicesDep, user: UserDep, today: TodayDep
) -> Response:
    """`mlpivot import resume` from the onboarding page: its skills become resume evidence."""
    # the document readers load with the first resume, not with the server
    from mlpivot.ingest.resume import parse_resume, resume_evidence, resume_to_data

    catalog = services.catalog
    limit = services.settings.max_upload_bytes
    resume = (await request.form()).get("resume")
    stored, version = _stored(services, user)
    answers = answers_from_profile(stored, catalog) if stored else {}
    if not isinstance(resume, UploadFile) or not resume.filename:
        message = "Choose a resume file to read. Nothing was changed."
        return _form_page(request, services, stored, version, answers, {}, message, 400)
    raw = await resume.read(limit + 1)
    try:
        if len(raw) > limit:
            raise UserError(f"the file is larger than {limit // (1024 * 1024)} MB")
        parsed = parse_resume(
            raw, resume.filename or "resume", catalog=catalog, today=today, max_bytes=limit
        )
    except MlpivotError as exc:
        message = f"Could not read {resume.filename or 'that file'}: {exc}. Nothing was changed."
        return _form_page(request, services, stored, version, answers, {}, message, 400)
    evidence = resume_evidence(parsed, catalog, observed_on=today)
    person = (stored or Profile()).with_resume(evidence, parsed.domains, parsed.experience_years)
    try:
        with services.owned(user.id) as (session, owner):
            Documents(session, owner).add(
                "resume", parsed.source, parsed.text, resume_to_data(parsed)
            )
            Profiles(session, owner).save(
                profile_to_data(person), expected_version=version if stored else None
            )
    except StaleWriteError as exc:
        return _form_page(request, services, stored, version, answers, {}, str(exc), 409)
    return RedirectResponse("/profile?resume=1", status_code=303)


@router.get("/fit", response_class=HTMLResponse, response_model=None)
def fit_page(request: Request, services: ServicesDep, user: UserDep) -> Response:
    person, _ = _stored(services, user)
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
def gap_page(request: Request, role_id: str, services: ServicesDep, user: UserDep) -> Response:
    person, _ = _stored(services, user)
    if person is None:
        return RedirectResponse("/profile", status_code=303)
    role = services.catalog.role(role_id)
    report = analyse_gap(person, role, services.catalog, services.market_signals.get(role.id))
    return templates.TemplateResponse(request, "gap.html", {"role": role, "report": report})
