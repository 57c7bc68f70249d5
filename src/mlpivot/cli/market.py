"""`mlpivot market pay|skills|compare|rebuild`: pay and demand per role, with sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from mlpivot.cli.context import state
from mlpivot.cli.output import console, people_table, print_json, round_money
from mlpivot.engine.market_terms import LEVELS, REFERENCE_ROLE
from mlpivot.errors import UserError

if TYPE_CHECKING:
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
            cells = ["", f.status, ""]
        elif f.percentiles is None:
            cells = ["", f"{_round(f.amount, f.currency)} avg", ""]
        else:
            cells = [_round(f.percentiles.get(k), f.currency) for k in ("p25", "p50", "p75")]
        row_notes = _row_notes(figures, f)
        marker = ""
        if row_notes:
            notes.append(row_notes.replace("\n", "; "))
            marker = f" [{len(notes)}]"
        where = f.scope.split(" · ")[0]
        table.add_row(f"{f.source_id}{marker}", f.year, where, n, *cells)
    if notes:
        table.caption = " ".join(f"[{i}] {note}" for i, note in enumerate(notes, 1))
        table.caption_justify = "left"
    return table


def _print_source_notes(figures: MarketFigures, source_ids: list[str]) -> None:
    for source_id in dict.fromkeys(source_ids):
        info = figures.source(source_id)
        console.print(f"[bold]{info.name}[/bold] — {info.licence}. {info.attribution}.")
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
    console.print(_pay_table(figures, f"Pay — {role_id}", result.target))
    console.print(_pay_table(figures, f"Pay — {REFERENCE_ROLE} (for comparison)", result.reference))
    if areas:
        console.print(_pay_table(figures, f"BLS by US area — {us_area}", tuple(areas)))
    _print_changes(result.changes)
    _print_source_notes(figures, [f.source_id for f in (*result.target, *result.reference)])
    if plot is not None:
        console.print(f"Chart written to {plot}")


def _print_changes(changes: tuple[PayChange, ...]) -> None:
    table = people_table(
        f"Median pay against {REFERENCE_ROLE}, same source and place",
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
            c.source_id,
            c.scope.split(" · ")[0],
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


def _demand_table(view: DemandView, top: int) -> Table:
    use = "used as market weights" if view.usable_as_weights else "shown only"
    table = Table(
        title=f"{view.group} — {view.source}, {view.year}, n={view.sample_size} "
        f"{view.sample_kind} ({use})"
    )
    table.add_column("skill")
    table.add_column("share", justify="right")
    for skill, share in list(view.shares.items())[:top]:
        table.add_row(skill, f"{100 * share:.1f}%")
    return table


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
    if weights is None:
        console.print(
            f"[bold]No market data[/bold] for {role_id}: no posting or survey group covers it "
            f"with at least 30 postings, so its skill weights stay curated only."
        )
    else:
        console.print(
            f"Market weights for {role_id}: {weights.source} {weights.year}, {weights.group}, "
            f"n={weights.sample_size} {weights.sample_kind}."
        )
    for view in views:
        console.print(_demand_table(view, top))
        for caveat in view.caveats:
            console.print(f"  • {caveat}")
    for occ in onet:
        console.print(
            f"O*NET {occ.code} {occ.title}: hot technologies {len(occ.hot)}, in demand "
            f"{len(occ.in_demand)}: {', '.join(occ.in_demand) or '—'}. Mapped skills: "
            f"{', '.join(occ.skill_ids) or '—'}. {occ.attribution}"
        )
    if plot is not None:
        console.print(f"Chart written to {plot}")


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
    table = Table(title="Roles compared", show_lines=True)
    for col in ("role", "median pay (source, n)", "aijobs share", "US jobs (BLS)", "top skills"):
        table.add_column(col, overflow="fold")
    for s in summaries:
        pay_lines = [
            f"{_money(p.median, p.currency)} ({p.source_id} {p.year}, n={p.sample_size})"
            if p.status == "ok"
            else f"{p.status} ({p.source_id}, n={p.sample_size})"
            for p in s.pay
        ]
        skills_text = ", ".join(f"{k} {100 * v:.0f}%" for k, v in s.top_skills)
        table.add_row(
            s.role_id,
            "\n".join(pay_lines),
            "—" if s.aijobs_row_share is None else f"{100 * s.aijobs_row_share:.1f}% of reports",
            "no direct SOC code"
            if s.us_employment is None
            else f"{s.us_employment:,} (SOC {s.us_employment_soc}, 2025)",
            f"{skills_text}\n[{s.weights_source}]" if s.weights_source else "no market data",
        )
    console.print(table)
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
    console.print(f"Wrote figures to {out}")
