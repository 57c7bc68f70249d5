"""The catalog pages: home, roles, one role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mlpivot.engine.gap import cumulative_hours
from mlpivot.web.deps import CatalogDep
from mlpivot.web.templating import templates

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, catalog: CatalogDep) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "home.html",
        {"roles": catalog.target_roles, "skill_count": len(catalog.skills)},
    )


@router.get("/roles", response_class=HTMLResponse)
def roles(request: Request, catalog: CatalogDep) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "roles.html", {"roles": list(catalog.roles.values())}
    )


@router.get("/roles/{role_id}", response_class=HTMLResponse)
def role_detail(request: Request, role_id: str, catalog: CatalogDep) -> HTMLResponse:
    role = catalog.role(role_id)
    needs = sorted(role.skills, key=lambda n: -n.weight)
    skills = {n.skill: catalog.skill(n.skill) for n in needs}
    # hours to the level the role asks for, as the gap counts them (not always to working)
    hours = {n.skill: round(cumulative_hours(skills[n.skill], n.level)) for n in needs}
    fragment = request.headers.get("hx-request") == "true"
    return templates.TemplateResponse(
        request,
        "role_skills.html" if fragment else "role.html",
        {"role": role, "needs": needs, "skills": skills, "hours": hours},
    )
