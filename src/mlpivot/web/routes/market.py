"""Pay and demand per role in the browser: `mlpivot market pay` and `market skills` as a page.

Like with like, always: the role's pay sits beside software-engineer pay from the same source
and the same place, each with its n; a person's own salary is set against a median only when
that median is for the country they live in.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mlpivot.bootstrap import find_stored_profile
from mlpivot.catalog import Catalog
from mlpivot.catalog.market import MarketFigures
from mlpivot.engine.limits import country_codes
from mlpivot.engine.market import (
    REFERENCE_ROLE,
    DemandView,
    PayChange,
    PayFigure,
    market_weights,
    onet_views,
    pay_comparison,
    skill_demand,
)
from mlpivot.engine.profile import Profile
from mlpivot.errors import NotFoundError
from mlpivot.web.deps import ServicesDep
from mlpivot.web.templating import money, templates

router = APIRouter()

TOP_SKILLS = 15
"""skills shown per demand view; `mlpivot market skills --json` has them all"""


@dataclass(frozen=True)
class PayRow:
    """One source's figure for the role, beside software-engineer pay of the same scope."""

    figure: PayFigure
    where: str
    reference: PayFigure | None
    change: PayChange | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class SalaryCheck:
    """The person's salary against the role's median, or why it is not compared."""

    compared: bool
    text: str


def _where(figure: PayFigure) -> str:
    return figure.scope.split(" · ")[0]


def _row_notes(figures: MarketFigures, figure: PayFigure) -> tuple[str, ...]:
    general = set(figures.source(figure.source_id).caveats)
    return tuple(c for c in figure.caveats if c not in general and c != figures.bls.top_code_note)


def pay_rows(figures: MarketFigures, role_id: str, country: str | None) -> list[PayRow]:
    comparison = pay_comparison(figures, role_id, country=country)
    # BLS gives a role without its own occupation code a proxy one; when the proxy *is* the
    # software code, the two rows are the same figure and say nothing about a change
    rows = []
    for figure in comparison.target:
        same = [
            r
            for r in comparison.reference
            if r.source_id == figure.source_id and _where(r) == _where(figure)
        ]
        reference = next((r for r in same if r.scope == figure.scope), same[0] if same else None)
        change = next(
            (
                c
                for c in comparison.changes
                if c.source_id == figure.source_id and c.scope == figure.scope
            ),
            None,
        )
        if figure.role_id == REFERENCE_ROLE:
            reference, change = None, None  # the point of comparison, not compared with itself
        rows.append(PayRow(figure, _where(figure), reference, change, _row_notes(figures, figure)))
    return rows


def salary_check(person: Profile | None, country: str | None, rows: list[PayRow]) -> SalaryCheck:
    """Never a salary against another country's median: compared only for the home country."""
    if person is None or person.current_salary_usd is None:
        return SalaryCheck(False, "")
    salary = round(person.current_salary_usd)
    if country != person.country:
        shown = f"for {country}" if country else "for all countries pooled"
        return SalaryCheck(
            False,
            f"Your salary ({money(salary)}) is not compared here: these figures are {shown}, and "
            f"you live in {person.country}. Choose {person.country} to compare like with like.",
        )
    usable = [r for r in rows if r.figure.median is not None and r.figure.currency == "USD"]
    if not usable:
        return SalaryCheck(
            False,
            f"No source has enough {person.country} figures in US dollars to set your salary "
            "against.",
        )
    best = usable[0].figure
    median = best.median or 0
    gap = median - salary
    direction = "above" if gap >= 0 else "below"
    return SalaryCheck(
        True,
        f"Your salary, {money(salary)}, against the median for this role in {person.country}: "
        f"the median is {money(abs(gap))} {direction} it ({best.source}, n={best.sample_size}).",
    )


def group_words(catalog: Catalog, group: str) -> str:
    """A demand group as people read it: role ids in the figures' labels become role names."""
    for role in catalog.roles.values():
        group = group.replace(role.id, role.name)
    return group


def skill_names(catalog: Catalog, view: DemandView) -> list[tuple[str, float]]:
    return [
        (catalog.skills[sid].name if sid in catalog.skills else sid, share)
        for sid, share in list(view.shares.items())[:TOP_SKILLS]
    ]


@router.get("/market", response_class=HTMLResponse)
def market_index(request: Request, services: ServicesDep) -> HTMLResponse:
    catalog = services.catalog
    roles = [*catalog.target_roles, catalog.role(REFERENCE_ROLE)]
    return templates.TemplateResponse(request, "market_index.html", {"roles": roles})


@router.get("/market/{role_id}", response_class=HTMLResponse)
def market_page(
    request: Request, role_id: str, services: ServicesDep, country: str | None = None
) -> HTMLResponse:
    catalog = services.catalog
    role = catalog.role(role_id)
    if role.kind != "target" and role.id != REFERENCE_ROLE:
        raise NotFoundError(f"there are no market figures for {role.name}")
    found = find_stored_profile(services)
    person = found.profile if found else None
    typed = (country if country is not None else (person.country if person else "")).strip()
    chosen: str | None = typed.upper() or None
    error = None
    if chosen is not None and (len(chosen) != 2 or chosen not in country_codes()):
        error = (
            f"'{typed[:12]}' is not a country code: type two letters such as GB, US or DE, "
            "or leave it empty for all countries. Showing all countries."
        )
        chosen = None
    figures = services.market_figures
    rows = pay_rows(figures, role.id, chosen)
    views = skill_demand(figures, role.id)
    weights = market_weights(figures, role.id)
    sources = {r.figure.source_id: figures.source(r.figure.source_id) for r in rows}
    return templates.TemplateResponse(
        request,
        "market.html",
        {
            "role": role,
            "reference": catalog.role(REFERENCE_ROLE),
            "country": chosen,
            "typed": typed,
            "error": error,
            "rows": rows,
            "salary": salary_check(person, chosen, rows),
            "views": [(v, group_words(catalog, v.group), skill_names(catalog, v)) for v in views],
            "weights_group": group_words(catalog, weights.group) if weights else "",
            "weights": weights,
            "onet": onet_views(figures, role.id),
            "sources": sources,
            "top_code_note": figures.bls.top_code_note,
        },
        status_code=400 if error else 200,
    )
