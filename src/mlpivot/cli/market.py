"""`mlpivot market pay|skills|compare|rebuild`: pay and demand per role, with sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import bar, console, people_table, print_json, round_money
from mlpivot.engine.market_terms import LEVELS, REFERENCE_ROLE
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from rich.table import Table

    from mlpivot.catalog.market import MarketFigures
    from mlpivot.engine.market import DemandView, PayChange, PayFigure

app = typer.Typer(
    help=(
        "Pay and demand per role from public data (aijobs.net, BLS, O*NET, 2023 postings, "
        "Stack Overflow survey). Every figure comes with its source, year and sample size."
    ),
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
RoleOpt = Annotated[
    str,
    typer.Option(
        "--role", help=f"A target role id or name (`mlpivot roles`), or {REFERENCE_ROLE}."
    ),
]
PlotOpt = Annotated[
    Path | None, typer.Option("--plot", help="Also draw a chart to FILE.png or FILE.svg.")
]
CountryOpt = Annotated[
    str | None, typer.Option("--country", help="ISO country code of residence, e.g. GB or US.")
]
LevelOpt = Annotated[str | None, typer.Option("--level", help=f"One of: {', '.join(LEVELS)}.")]


def _role(ctx: typer.Context, role_id: str) -> str:
    """A target role or the reference role, by id, name or alias (the catalog decides)."""
    catalog = state(ctx).catalog
    found = catalog.alias_role(role_id)
    if found is None or (catalog.roles[found].kind != "target" and found != REFERENCE_ROLE):
        known = [r.id for r in catalog.target_roles] + [REFERENCE_ROLE]
        raise UserError(f"unknown role {role_id!r}; use one of: {', '.join(known)}")
    return found


def _figures(ctx: typer.Context) -> MarketFigures:
    return state(ctx).services.market_figures


def _money(value: int | None, currency: str) -> str:
    if value is None:
        return "—"
    symbol = {"USD": "$", "GBP": "£"}.get(currency, currency + " ")
    return f"{symbol}{value:,}"


def _round(value: int | None, currency: str) -> str:
    if value is None:
        return "—"
    return round_money(value, {"USD": "$", "GBP": "£"}.get(currency, currency + " "))


def _row_notes(figures: MarketFigures, f: PayFigure) -> str:
    """Caveats that belong to this row; a source's general caveats are printed once below."""
    general = set(figures.source(f.source_id).caveats)
    notes = [c for c in f.caveats if c not in general and c != figures.bls.top_code_note]
    if f.status == "not enough data":
        notes.insert(0, f"fewer than 10 rows: no figure shown (n={f.sample_size})")
    if f.status == "no data":
        notes.insert(0, "no rows for this scope")
    return "\n".join(notes)


def _pay_table(figures: MarketFigures, title: str, rows: tuple[PayFigure, ...]) -> Table:
    """Pay at 80 columns: source, place, n and the middle of the range; the tails (p10, p90)
    stay in --json. Each row's own caveats follow the table as numbered notes."""
    table = people_table(
        title,
        [
            ("source", "left"),
            ("year", "left"),
            ("where", "left"),
            ("n", "right"),
            ("p25", "right"),
            ("median", "right"),
            ("p75", "right"),
        ],
    )
    notes: list[str] = []
    for f in rows:
        n = "?" if f.sample_size is None else f"{f.sample_size:,}"
        if f.status != "ok":
            cells = ["", "too few rows" if f.status == "not enough data" else "no rows", ""]
        elif f.percentiles is None:
            cells = ["", f"{_round(f.amount, f.currency)} avg", ""]
        else:
            cells = [_round(f.percentiles.get(k), f.currency) for k in ("p25", "p50", "p75")]
        row_notes = _row_notes(figures, f)
        marker = ""
        if row_notes:
            notes.append(row_notes.replace("\n", "; "))
            marker = f" [{len(notes)}]"
        info = figures.source(f.source_id)
        table.add_row(f"{info.label}{marker}", _years(f.year), _place(f.scope), n, *cells)
    if notes:
        table.caption = " ".join(f"[{i}] {note}" for i, note in enumerate(notes, 1))
        table.caption_justify = "left"
    return table


def _years(year: str) -> str:
    """A span of years as people write it in a narrow column: 2020-2025 -> 2020-25."""
    first, sep, last = year.partition("-")
    if sep and len(first) == len(last) == 4 and first[:2] == last[:2]:
        return f"{first}-{last[2:]}"
    return year


def _place(scope: str) -> str:
    where = scope.split(" · ")[0]
    return "world" if where == "all countries" else where


def _print_source_notes(figures: MarketFigures, source_ids: list[str]) -> None:
    for source_id in dict.fromkeys(source_ids):
        info = figures.source(source_id)
        console.print(
            f"[bold]{info.label}[/bold]: {info.name} — {info.licence}. {info.attribution}."
        )
        for caveat in info.caveats:
            console.print(f"  • {caveat}")
        if source_id == "bls-oews":
            console.print(f"  • {figures.bls.top_code_note}")


@app.command("pay")
def pay(
    ctx: typer.Context,
    role: RoleOpt,
    country: CountryOpt = None,
    level: LevelOpt = None,
    year: Annotated[int | None, typer.Option("--year", help="Pay year (aijobs only).")] = None,
    us_area: Annotated[
        str | None, typer.Option("--us-area", help="A US state or metro name (BLS), e.g. Texas.")
    ] = None,
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """What a role pays, beside software-engineer pay from the same source."""
    from mlpivot.engine.market import bls_area_figures, check_level, pay_comparison

    figures = _figures(ctx)
    role_id = _role(ctx, role)
    check_level(level)
    result = pay_comparison(figures, role_id, country=country, level=level, year=year)
    areas = bls_area_figures(figures, role_id, us_area) if us_area else []
    if us_area and not areas:
        raise UserError(f"no BLS area matches {us_area!r} for {role_id}; try a state name")
    if plot is not None:
        from mlpivot.reports.market_charts import plot_pay

        _check_plot(plot)
        plot_pay([*result.target, *result.reference], plot, f"Pay: {role_id} vs {REFERENCE_ROLE}")
    if as_json:
        print_json({"comparison": result, "us_areas": areas})
        return
    names = _names(ctx)
    console.print(_pay_table(figures, f"Pay: {names[role_id]}", result.target))
    console.print(
        _pay_table(figures, f"Pay: {names[REFERENCE_ROLE]} (for comparison)", result.reference)
    )
    if areas:
        console.print(_pay_table(figures, f"BLS by US area — {us_area}", tuple(areas)))
    _print_changes(figures, result.changes, names[REFERENCE_ROLE])
    _print_source_notes(figures, [f.source_id for f in (*result.target, *result.reference)])
    if plot is not None:
        console.print(f"Chart written to {plot}", soft_wrap=True)


def _weights_label(figures: MarketFigures, role_id: str) -> str:
    """Where a role's top skills come from, short: "data_jobs 2023, n=571"."""
    from mlpivot.engine.market import market_weights

    weights = market_weights(figures, role_id)
    if weights is None:
        return ""
    label = next((i.label for i in figures.sources if i.name == weights.source), weights.source)
    return f"{label} {weights.year}, n={weights.sample_size:,}"


def _names(ctx: typer.Context) -> dict[str, str]:
    return {r.id: r.name for r in state(ctx).catalog.roles.values()}


def _print_changes(figures: MarketFigures, changes: tuple[PayChange, ...], reference: str) -> None:
    table = people_table(
        f"Median pay against {reference}, same source and place",
        [
            ("source", "left"),
            ("where", "left"),
            ("role", "right"),
            ("SWE", "right"),
            ("change", "right"),
        ],
    )
    for c in changes:
        table.add_row(
            figures.source(c.source_id).label,
            _place(c.scope),
            _round(c.target_median, c.currency),
            _round(c.reference_median, c.currency),
            f"{c.change_pct:+.0f}%",
        )
    if changes:
        console.print(table)
    else:
        console.print("No source has enough data for both roles in this scope to compare.")


def _check_plot(path: Path) -> None:
    if path.suffix.lower() not in (".png", ".svg"):
        raise UserError(f"--plot takes a .png or .svg file name, not {path.name!r}")


def _group(group: str, names: dict[str, str]) -> str:
    """A demand group as people read it: role ids in the figures' labels become role names."""
    for role_id, name in names.items():
        group = group.replace(role_id, name)
    return group


def _print_demand(
    view: DemandView, top: int, names: dict[str, str], skills: dict[str, str]
) -> None:
    """One view at 80 columns: its heading as a wrapped line, then skill names with bars."""
    use = "used to weigh the gap" if view.usable_as_weights else "shown only"
    console.print(
        f"[bold]{_group(view.group, names)}[/bold] — {view.source}, {view.year}: "
        f"n={view.sample_size:,} {view.sample_kind} ({use})"
    )
    table = people_table("", [("skill", "left"), ("share", "left")])
    for skill_id, share in list(view.shares.items())[:top]:
        table.add_row(skills.get(skill_id, skill_id), bar(share, width=10))
    console.print(table)


@app.command("skills")
def skills(
    ctx: typer.Context,
    role: RoleOpt,
    top: Annotated[int, typer.Option("--top", help="Skills per view.")] = 15,
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Which skills postings (and survey respondents) for a role name, as shares."""
    from mlpivot.engine.market import market_weights, onet_views, skill_demand

    figures = _figures(ctx)
    role_id = _role(ctx, role)
    views = skill_demand(figures, role_id)
    weights = market_weights(figures, role_id)
    onet = onet_views(figures, role_id)
    if plot is not None:
        _check_plot(plot)
        if weights is None:
            raise UserError(f"no market data to chart for {role_id}")
        from mlpivot.reports.market_charts import plot_demand

        chosen = next(v for v in views if v.usable_as_weights)
        plot_demand(chosen, plot, top=top)
    if as_json:
        print_json({"market_weights": weights, "views": views, "onet": onet})
        return
    names = _names(ctx)
    catalog = state(ctx).catalog
    skill_names = {k: v.name for k, v in catalog.skills.items()}
    if weights is None:
        console.print(
            f"[bold]No market data[/bold] for {names[role_id]}: no posting or survey group "
            "covers it with at least 30 postings, so its skill weights stay curated only."
        )
    else:
        console.print(
            f"Market weights for {names[role_id]}: {weights.source} {weights.year}, "
            f"{_group(weights.group, names)}, n={weights.sample_size:,} {weights.sample_kind}."
        )
    for view in views:
        _print_demand(view, top, names, skill_names)
        for caveat in dict.fromkeys(view.caveats):
            console.print(f"  • {caveat}")
    for occ in onet:
        mapped = ", ".join(skill_names.get(s, s) for s in occ.skill_ids) or "—"
        console.print(
            f"O*NET {occ.code} {occ.title}: hot technologies {len(occ.hot)}, in demand "
            f"{len(occ.in_demand)}: {', '.join(occ.in_demand) or '—'}. Mapped skills: "
            f"{mapped}. {occ.attribution}"
        )
    if plot is not None:
        console.print(f"Chart written to {plot}", soft_wrap=True)


@app.command("compare")
def compare(
    ctx: typer.Context,
    roles: Annotated[list[str], typer.Argument(help="Role ids to compare.")],
    country: CountryOpt = None,
    level: LevelOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Roles side by side: pay, share of salary reports, US jobs, top skills."""
    from mlpivot.engine.market import check_level, compare_roles

    figures = _figures(ctx)
    check_level(level)
    summaries = compare_roles(figures, [_role(ctx, r) for r in roles], country=country, level=level)
    if as_json:
        print_json(list(summaries))
        return
    # At 80 columns: pay in one table (a row per role and source, with n), then demand in
    # another, top skills by name in the one column that wraps
    names = _names(ctx)
    skill_names = {k: v.name for k, v in state(ctx).catalog.skills.items()}
    where = country.upper() if country else "all countries"
    pay_table = people_table(
        f"Median pay, {where}",
        [
            ("role", "left"),
            ("source", "left"),
            ("year", "left"),
            ("n", "right"),
            ("median", "right"),
        ],
    )
    for s in summaries:
        for i, p in enumerate(s.pay):
            median = _round(p.median, p.currency) if p.status == "ok" else "too few rows"
            pay_table.add_row(
                names[s.role_id] if i == 0 else "",
                figures.source(p.source_id).label,
                _years(p.year),
                "?" if p.sample_size is None else f"{p.sample_size:,}",
                median,
            )
    console.print(pay_table)
    demand = people_table(
        "Demand",
        [
            ("role", "left"),
            ("aijobs share", "right"),
            ("US jobs", "right"),
            ("top skills in postings", "left"),
        ],
        wrap="top skills in postings",
    )
    for s in summaries:
        skills_text = ", ".join(f"{skill_names.get(k, k)} {100 * v:.0f}%" for k, v in s.top_skills)
        demand.add_row(
            names[s.role_id],
            "—" if s.aijobs_row_share is None else f"{100 * s.aijobs_row_share:.1f}%",
            "—" if s.us_employment is None else f"{s.us_employment:,}",
            f"{skills_text} ({_weights_label(figures, s.role_id)})"
            if s.weights_source
            else "no market data",
        )
    console.print(demand)
    console.print(
        "[dim]aijobs share: of all salary reports in the aijobs.net index; US jobs: BLS "
        "employment for the role's own occupation code (— when it has none).[/dim]"
    )
    _print_source_notes(figures, ["aijobs", "data-jobs", "bls-oews"])


@app.command("rebuild")
def rebuild(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Where to write the figures; the ones mlpivot ships are in "
            "src/mlpivot/figures of a checkout.",
        ),
    ],
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="The raw data folder (default: the shared_data setting, MLPIVOT_SHARED_DATA, "
            "else ../shared/data).",
        ),
    ] = None,
) -> None:
    """Recompute the figures from the raw public data (byte-identical on the same data)."""
    from mlpivot.ingest.market import write_market_files

    folder = data_dir or state(ctx).services.settings.raw_data_dir()
    if not folder.is_dir():
        raise UserError(f"no data folder at {folder}; pass --data-dir")
    report = write_market_files(folder, out)
    for note in report.notes:
        console.print(note)
    for what, names in report.unmapped.items():
        console.print(f"unmapped {what}: {len(names)} (see the figure files)")
    console.print(f"Wrote figures to {out}", soft_wrap=True)
