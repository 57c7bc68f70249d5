"""Questions asked of the market figures: pay per role, pay change, skill demand, comparisons.

Pure: takes the loaded `MarketFigures` and returns values. Two rules hold everywhere: a cell
with fewer than `THIN_CELL_ROWS` rows never yields a number, and a role no source covers gets
``None`` from `market_weights` rather than some other role's figures.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from mlpivot.catalog.market import (
    THIN_CELL_ROWS,
    MarketFigures,
    PayCell,
    Percentiles,
    SkillDemand,
    SocLink,
    SourceInfo,
    WageEstimate,
)
from mlpivot.engine.market_terms import LEVELS as LEVELS
from mlpivot.engine.market_terms import REFERENCE_ROLE as REFERENCE_ROLE
from mlpivot.errors import UserError

MIN_WEIGHT_SAMPLE = 30
"""Fewer postings (or respondents) than this and the shares are too noisy to weight skills by."""
NOT_ENOUGH_DATA = "not enough data"

Status = Literal["ok", "not enough data", "no data"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PayFigure(_Value):
    """One pay figure with everything needed to judge it: source, year, sample, caveats."""

    role_id: str
    source_id: str
    source: str
    year: str
    scope: str
    sample_size: int | None
    sample_kind: str
    currency: str = "USD"
    percentiles: dict[str, int | None] | None = None
    amount: int | None = None
    status: Status
    caveats: tuple[str, ...] = ()

    @property
    def median(self) -> int | None:
        if self.status != "ok":
            return None
        if self.percentiles is not None:
            return self.percentiles.get("p50")
        return self.amount


class PayChange(_Value):
    source_id: str
    scope: str
    currency: str
    target_median: int
    reference_median: int
    change: int
    change_pct: float


class PayComparison(_Value):
    role_id: str
    reference_role_id: str
    target: tuple[PayFigure, ...]
    reference: tuple[PayFigure, ...]
    changes: tuple[PayChange, ...]


class MarketWeights(_Value):
    """Share (0..1) of the role's postings or respondents naming each skill, and whence."""

    role_id: str
    source: str
    year: int
    group: str
    sample_size: int
    sample_kind: str
    weights: dict[str, float]
    caveats: tuple[str, ...] = ()


class DemandView(_Value):
    role_id: str
    source_id: str
    source: str
    year: int
    group: str
    sample_size: int
    sample_kind: str
    shares: dict[str, float]
    usable_as_weights: bool
    caveats: tuple[str, ...] = ()


class OnetView(_Value):
    role_id: str
    code: str
    title: str
    hot: tuple[str, ...]
    in_demand: tuple[str, ...]
    skill_ids: tuple[str, ...]
    attribution: str


class RoleSummary(_Value):
    role_id: str
    pay: tuple[PayFigure, ...]
    aijobs_row_share: float | None
    us_employment: int | None
    us_employment_soc: str | None
    top_skills: tuple[tuple[str, float], ...]
    weights_source: str | None


# --- pay ---------------------------------------------------------------------------------------


def check_level(level: str | None) -> None:
    if level is not None and level not in LEVELS:
        raise UserError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")


def _scope(country: str | None, level: str | None, year: int | None) -> str:
    return " · ".join(
        [country or "all countries", level or "all levels", str(year) if year else "all years"]
    )


def _as_dict(p: Percentiles | None) -> dict[str, int | None] | None:
    return None if p is None else dict(p.model_dump())


def aijobs_cell(
    figures: MarketFigures, role_id: str, country: str | None, level: str | None, year: int | None
) -> PayCell | None:
    for cell in figures.aijobs.cells:
        if (cell.role_id, cell.country, cell.level, cell.year) == (role_id, country, level, year):
            return cell
    return None


def _aijobs_figure(
    figures: MarketFigures, role_id: str, country: str | None, level: str | None, year: int | None
) -> PayFigure:
    info = figures.source("aijobs")
    cell = aijobs_cell(figures, role_id, country, level, year)
    n = cell.n if cell else 0
    caveats = list(info.caveats)
    if cell is not None and cell.median_usd_with_duplicates is not None:
        caveats.append(
            f"Counting identical rows every time: n={cell.n_with_duplicates}, "
            f"median ${cell.median_usd_with_duplicates:,}."
        )
    return PayFigure(
        role_id=role_id,
        source_id=info.id,
        source=info.name,
        year=str(year) if year else info.years,
        scope=_scope(country, level, year),
        sample_size=n,
        sample_kind="distinct self-reported salaries",
        percentiles=_as_dict(cell.pay_usd) if cell else None,
        status=_status(n),
        caveats=tuple(caveats),
    )


def _status(n: int) -> Status:
    if n == 0:
        return "no data"
    return "ok" if n >= THIN_CELL_ROWS else "not enough data"


def _posted_figure(
    figures: MarketFigures, role_id: str, country: str | None, level: str | None
) -> PayFigure | None:
    info = figures.source("data-jobs")
    want_senior = level == "senior"
    cells = [c for c in figures.data_jobs.pay if c.role_id == role_id and c.country == country]
    if not any(c.role_id == role_id for c in figures.data_jobs.pay):
        return None
    senior = [c for c in cells if c.senior is True]
    chosen = senior[0] if want_senior and senior else None
    if chosen is None:
        role_level = [c for c in cells if c.group.startswith("all ")]
        chosen = role_level[0] if role_level else None
    caveats = list(info.caveats)
    if level is not None and not (want_senior and senior):
        caveats.append("Postings carry no seniority level for this role; all levels are pooled.")
    n = chosen.n if chosen else 0
    return PayFigure(
        role_id=role_id,
        source_id=info.id,
        source=info.name,
        year=info.years,
        scope=f"{country or 'all countries'} · {chosen.group if chosen else 'no postings'}",
        sample_size=n,
        sample_kind="postings with a yearly salary",
        percentiles=_as_dict(chosen.pay_usd) if chosen else None,
        status=_status(n),
        caveats=tuple(caveats),
    )


def _bls_figures(figures: MarketFigures, role_id: str) -> list[PayFigure]:
    info = figures.source("bls-oews")
    out = []
    for link in figures.bls.links:
        if link.role_id != role_id:
            continue
        estimate = _national(figures, link.soc_code)
        if estimate is None:
            continue
        out.append(_bls_figure(info, link, estimate, _bls_caveats(figures, info, link)))
    return out


def _national(figures: MarketFigures, soc_code: str) -> WageEstimate | None:
    for e in figures.bls.estimates:
        if e.area_type == "national" and e.soc_code == soc_code:
            return e
    return None


def _bls_caveats(figures: MarketFigures, info: SourceInfo, link: SocLink) -> list[str]:
    """The source's caveats and the top-code note, led by a warning for a proxy occupation."""
    caveats = [*info.caveats, figures.bls.top_code_note]
    if link.fit == "proxy":
        caveats.insert(0, f"Proxy occupation: {link.note}.")
    return caveats


def _bls_figure(
    info: SourceInfo, link: SocLink, estimate: WageEstimate, caveats: list[str]
) -> PayFigure:
    wages = estimate.annual_usd
    return PayFigure(
        role_id=link.role_id,
        source_id=info.id,
        source=info.name,
        year=info.years,
        scope=f"US · SOC {estimate.soc_code} {estimate.occupation} · {estimate.area_name}",
        sample_size=estimate.employment,
        sample_kind="jobs (employment estimate)",
        percentiles=None if wages is None else dict(wages.model_dump()),
        status="ok" if wages is not None else "no data",
        caveats=tuple(caveats),
    )


def bls_area_figures(figures: MarketFigures, role_id: str, area: str) -> list[PayFigure]:
    """Pay by US state or metro (matched on the area's name, case-insensitive)."""
    info = figures.source("bls-oews")
    wanted = area.strip().lower()
    out = []
    for link in figures.bls.links:
        if link.role_id != role_id:
            continue
        for e in figures.bls.estimates:
            if (
                e.soc_code == link.soc_code
                and e.area_type != "national"
                and wanted in e.area_name.lower()
            ):
                out.append(_bls_figure(info, link, e, _bls_caveats(figures, info, link)))
    return out


def _survey_figure(figures: MarketFigures, role_id: str) -> PayFigure | None:
    info = figures.source("so-survey")
    for entry in figures.so_survey.roles:
        if entry.role_id == role_id:
            return PayFigure(
                role_id=role_id,
                source_id=info.id,
                source=info.name,
                year=info.years,
                scope=f"all countries · respondents answering {entry.dev_type!r}",
                sample_size=entry.respondents,
                sample_kind="survey respondents",
                percentiles=_as_dict(entry.pay_usd),
                status=_status(entry.respondents),
                caveats=info.caveats,
            )
    return None


def _quoted_figures(figures: MarketFigures, role_id: str) -> list[PayFigure]:
    out = []
    for q in figures.quoted:
        if q.role_id != role_id:
            continue
        info = figures.source(q.source)
        out.append(
            PayFigure(
                role_id=role_id,
                source_id=info.id,
                source=info.name,
                year=info.years,
                scope=f"{q.country} · {q.statistic} for {q.label!r} ({q.note})",
                sample_size=None,
                sample_kind="not stated",
                currency=q.currency,
                amount=q.amount,
                status="ok",
                caveats=info.caveats,
            )
        )
    return out


def pay_figures(
    figures: MarketFigures,
    role_id: str,
    *,
    country: str | None = None,
    level: str | None = None,
    year: int | None = None,
) -> tuple[PayFigure, ...]:
    """Every view of a role's pay for the scope asked for, one source per row, never merged."""
    check_level(level)
    country = country.upper() if country else None
    rows = [_aijobs_figure(figures, role_id, country, level, year)]
    posted = _posted_figure(figures, role_id, country, level)
    if posted is not None:
        rows.append(posted)
    if country in (None, "US"):
        rows.extend(_bls_figures(figures, role_id))
    if country is None:
        survey = _survey_figure(figures, role_id)
        if survey is not None:
            rows.append(survey)
    if country in (None, "GB"):
        rows.extend(_quoted_figures(figures, role_id))
    return tuple(rows)


def pay_comparison(
    figures: MarketFigures,
    role_id: str,
    *,
    country: str | None = None,
    level: str | None = None,
    year: int | None = None,
) -> PayComparison:
    """The role's pay beside software-engineer pay from the same source and scope."""
    target = pay_figures(figures, role_id, country=country, level=level, year=year)
    reference = pay_figures(figures, REFERENCE_ROLE, country=country, level=level, year=year)
    changes = []
    for t in target:
        for r in reference:
            if t.source_id != r.source_id or t.currency != r.currency:
                continue
            if t.source_id == "bls-oews" and t.scope == r.scope:
                continue  # a proxy SOC that *is* the software code says nothing about change
            if t.median is None or r.median is None:
                continue
            changes.append(
                PayChange(
                    source_id=t.source_id,
                    scope=t.scope,
                    currency=t.currency,
                    target_median=t.median,
                    reference_median=r.median,
                    change=t.median - r.median,
                    change_pct=round(100 * (t.median - r.median) / r.median, 1),
                )
            )
    return PayComparison(
        role_id=role_id,
        reference_role_id=REFERENCE_ROLE,
        target=target,
        reference=reference,
        changes=tuple(changes),
    )


# --- demand ------------------------------------------------------------------------------------


def _posting_view(figures: MarketFigures, d: SkillDemand) -> DemandView:
    info = figures.source("data-jobs")
    caveats = list(info.caveats)
    if d.basis == "title-pattern":
        caveats.append("Postings found by their title; they also count in their own class.")
    if d.sample_size < MIN_WEIGHT_SAMPLE:
        caveats.append(f"Fewer than {MIN_WEIGHT_SAMPLE} postings: too few to weight skills by.")
    return DemandView(
        role_id=d.role_id,
        source_id=info.id,
        source=info.name,
        year=2023,
        group=d.group,
        sample_size=d.sample_size,
        sample_kind="postings naming at least one tool",
        shares=_ranked(d.skill_shares),
        usable_as_weights=d.basis != "class" and d.sample_size >= MIN_WEIGHT_SAMPLE,
        caveats=tuple(caveats),
    )


def _ranked(shares: dict[str, float]) -> dict[str, float]:
    return dict(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))


def skill_demand(figures: MarketFigures, role_id: str) -> tuple[DemandView, ...]:
    """Every demand view of a role: postings (role, senior variants, title matches), survey."""
    views = [
        _posting_view(figures, d)
        for d in sorted(
            figures.data_jobs.demand,
            key=lambda d: ({"role": 0, "class": 1}.get(d.basis, 2), d.group),
        )
        if d.role_id == role_id
    ]
    info = figures.source("so-survey")
    for entry in figures.so_survey.roles:
        if entry.role_id == role_id:
            views.append(
                DemandView(
                    role_id=role_id,
                    source_id=info.id,
                    source=info.name,
                    year=figures.so_survey.year,
                    group=entry.dev_type,
                    sample_size=entry.respondents,
                    sample_kind="survey respondents (tools used, not asked for)",
                    shares=_ranked(entry.skill_shares),
                    usable_as_weights=entry.respondents >= MIN_WEIGHT_SAMPLE,
                    caveats=info.caveats,
                )
            )
    return tuple(views)


def onet_views(figures: MarketFigures, role_id: str) -> tuple[OnetView, ...]:
    attribution = figures.source("onet").attribution
    return tuple(
        OnetView(
            role_id=role_id,
            code=occ.code,
            title=occ.title,
            hot=tuple(t.name for t in occ.technologies if t.hot),
            in_demand=tuple(t.name for t in occ.technologies if t.in_demand),
            skill_ids=tuple(
                sorted(
                    {t.skill_id for t in occ.technologies if t.skill_id and (t.hot or t.in_demand)}
                )
            ),
            attribution=attribution,
        )
        for occ in figures.onet.occupations
        if role_id in occ.role_ids
    )


def market_weights(figures: MarketFigures, role_id: str) -> MarketWeights | None:
    """The first usable view (postings before survey); None when no source covers the role."""
    for view in skill_demand(figures, role_id):
        if view.usable_as_weights:
            return MarketWeights(
                role_id=role_id,
                source=view.source,
                year=view.year,
                group=view.group,
                sample_size=view.sample_size,
                sample_kind=view.sample_kind,
                weights=view.shares,
                caveats=view.caveats,
            )
    return None


# --- comparison --------------------------------------------------------------------------------


def compare_roles(
    figures: MarketFigures,
    role_ids: list[str],
    *,
    country: str | None = None,
    level: str | None = None,
    top: int = 8,
) -> tuple[RoleSummary, ...]:
    """Side by side, with software-engineer always added as the point of comparison."""
    ordered = list(dict.fromkeys([*role_ids, REFERENCE_ROLE]))
    out = []
    for role_id in ordered:
        pay = pay_figures(figures, role_id, country=country, level=level)
        weights = market_weights(figures, role_id)
        share = next(
            (r.share for r in figures.aijobs.role_rows if r.role_id == role_id and r.year is None),
            None,
        )
        direct = [
            link for link in figures.bls.links if link.role_id == role_id and link.fit == "direct"
        ]
        national = _national(figures, direct[0].soc_code) if direct else None
        out.append(
            RoleSummary(
                role_id=role_id,
                pay=tuple(p for p in pay if p.source_id in ("aijobs", "data-jobs")),
                aijobs_row_share=share,
                us_employment=national.employment if national else None,
                us_employment_soc=national.soc_code if national else None,
                top_skills=tuple(list(weights.weights.items())[:top]) if weights else (),
                weights_source=(
                    f"{weights.source} ({weights.group}, n={weights.sample_size})"
                    if weights
                    else None
                ),
            )
        )
    return tuple(out)


class PayOutlook(_Value):
    """One line of pay for a role in the fit: the first source with enough data, and the change."""

    role_id: str
    median_usd: int | None
    source: str
    scope: str
    sample_size: int | None
    change_from_current_usd: int | None
    """only when the figure is for the person's own country: never a salary against another
    country's median"""
    change_from_software_engineer_pct: float | None
    country: str | None = None
    """the country the figure is for; None = all countries"""
    software_engineer_sample_size: int | None = None
    """n behind the software-engineer median of the same source and scope"""


def pay_outlook(
    figures: MarketFigures,
    role_id: str,
    country: str,
    current_salary_usd: float | None = None,
) -> PayOutlook | None:
    """The role's median pay where the person lives (else worldwide), and what it would change.

    The change is against the person's own salary when they gave one, and always against
    software-engineer pay from the same source and scope; None where a cell is too thin.
    """
    for scope_country in (country, None):
        comparison = pay_comparison(figures, role_id, country=scope_country)
        usable = [f for f in comparison.target if f.median is not None and f.currency == "USD"]
        if not usable:
            continue
        best = usable[0]
        change = next(
            (c.change_pct for c in comparison.changes if c.source_id == best.source_id), None
        )
        median = best.median
        reference_n = next(
            (
                f.sample_size
                for f in comparison.reference
                if f.source_id == best.source_id and f.scope == best.scope
            ),
            None,
        )
        same_place = scope_country is not None
        return PayOutlook(
            role_id=role_id,
            median_usd=median,
            source=best.source,
            scope=best.scope,
            sample_size=best.sample_size,
            change_from_current_usd=(
                int(median - current_salary_usd)
                if median is not None and current_salary_usd is not None and same_place
                else None
            ),
            change_from_software_engineer_pct=change if reference_n is not None else None,
            country=scope_country,
            software_engineer_sample_size=reference_n,
        )
    return None


# --- a posting's stated salary -----------------------------------------------------------------

POSTING_LEVELS: dict[str, str] = {
    "junior": "entry",
    "mid": "mid",
    "senior": "senior",
    "lead": "senior",
}
"""a posting's seniority → the market figures' level (a lead is paid as a senior in the data)"""

Verdict = Literal["above", "below", "around"]


class StatedSalaryCheck(_Value):
    """A posting's stated range beside the market, compared only like with like.

    `verdict` is set only when the figure is for the posting's own country (and its level where
    the data hold enough rows at that level); otherwise `figure` may still be shown, with `note`
    saying why it is not a comparison.
    """

    verdict: Verdict | None
    figure: PayFigure | None
    note: str


def stated_salary_check(
    figures: MarketFigures,
    role_id: str | None,
    *,
    country: str | None,
    seniority: str | None,
    low: float | None,
    high: float | None,
    currency: str | None,
) -> StatedSalaryCheck:
    """Where a posting's stated salary sits against the median for its role, country and level."""
    if low is None or high is None:
        return StatedSalaryCheck(verdict=None, figure=None, note="no salary stated")
    if role_id is None:
        return StatedSalaryCheck(
            verdict=None, figure=None, note="not one of our roles, so no market figure"
        )
    if country is None:
        return StatedSalaryCheck(
            verdict=None,
            figure=None,
            note="the posting names no country, and pay differs too much between countries",
        )
    level = POSTING_LEVELS.get(seniority or "")
    scopes = [(country, level), (country, None)] if level else [(country, None)]
    for where, at in scopes:
        for figure in pay_figures(figures, role_id, country=where, level=at):
            median = figure.median
            if median is None or figure.currency != currency:
                continue
            verdict: Verdict = "above" if low > median else "below" if high < median else "around"
            if level and at is None:
                note = f"too few {level}-level figures in {country}, so all levels"
            elif level:
                note = f"same country and {level} level"
            else:
                note = "same country; the posting states no level, so all levels"
            return StatedSalaryCheck(verdict=verdict, figure=figure, note=note)
    return StatedSalaryCheck(
        verdict=None,
        figure=None,
        note=f"no market figure for this role in {country} in {currency}, so not compared",
    )
