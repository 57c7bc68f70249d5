"""`mlpivot fit`, `mlpivot gap --role`, `mlpivot reach`: which role, how far, what first."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from mlpivot.cli.context import state
from mlpivot.cli.output import console, err_console, print_json
from mlpivot.cli.profile_source import load_profile
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.engine.market import PayOutlook

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
ProfileOpt = Annotated[
    Path | None,
    typer.Option("--profile", help="Use this profile file instead of your stored profile."),
]


def register(app: typer.Typer) -> None:
    app.command("fit")(fit)
    app.command("gap")(gap)
    app.command("reach")(reach)


def fit(
    ctx: typer.Context,
    profile: ProfileOpt = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also chart your coverage by skill category, top three roles (.png/.svg).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank the ML roles by fit, with what you already bring and every number explained."""
    from mlpivot.engine.fit import category_coverage, rank_roles
    from mlpivot.engine.market import pay_outlook
    from mlpivot.engine.suggestions import what_you_bring

    cli = state(ctx)
    person = load_profile(profile, cli.services)
    catalog = cli.catalog
    market = cli.services.market_signals
    fits = rank_roles(person, catalog, market)
    if plot is not None:
        from mlpivot.reports.fit_chart import plot_category_coverage

        plot_category_coverage(
            {
                f.role_name: category_coverage(person, catalog.roles[f.role_id], catalog)
                for f in fits[:3]
            },
            plot,
        )
        err_console.print(f"Drew the coverage chart in {plot}.")
    strengths = what_you_bring(person, catalog)
    figures = cli.services.market_figures
    pay = {
        f.role_id: pay_outlook(figures, f.role_id, person.country, person.current_salary_usd)
        for f in fits
    }
    if as_json:
        print_json({"what_you_bring": strengths, "fits": fits, "pay": pay})
        return
    if strengths:
        lines = [f"[bold]{s.title}[/bold]: " + "; ".join(s.evidence) for s in strengths]
        console.print(Panel("\n".join(lines), title="What you already bring to ML work"))
    table = Table(title="Roles by fit")
    columns = (
        "#",
        "role",
        "score",
        "skills (curated | market)",
        "interest",
        "route",
        "weeks",
        "median pay",
        "change",
    )
    for col in columns:
        table.add_column(col, justify="right" if col not in ("role",) else "left")
    for rank, f in enumerate(fits, 1):
        market_cov = f"{f.coverage_market:.0%}" if f.coverage_market is not None else "no data"
        table.add_row(
            str(rank),
            f.role_name,
            f"{f.score:.2f}",
            f"{f.coverage_curated:.0%} | {market_cov}",
            f"{f.parts['interest_alignment']:.0%}",
            f"{f.parts['experience_and_route']:.0%}",
            f"{f.weeks_to_ready:.0f}",
            *_pay_cells(pay[f.role_id]),
        )
    console.print(table)
    console.print(
        "[dim]Pay: aijobs.net salary survey (CC0) and other sources in `mlpivot market pay`; "
        "self-reported, US-heavy; 'no data' where fewer than 10 people answered.[/dim]"
    )
    for f in fits[:3]:
        console.print(f"[bold]{f.role_name}[/bold]: {f.explanation}")
        console.print(f"  [dim]Route: {'; '.join(f.notes)}[/dim]")
    if fits and fits[0].separation:
        console.print(f"\n[bold]Why not a tie[/bold]: {fits[0].separation}")


def gap(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--role", help="The role to measure against.")],
    profile: ProfileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What you lack for one role: skills by value per hour, grouped; specialisms; projects."""
    from mlpivot.engine.gap_report import analyse_gap

    cli = state(ctx)
    person = load_profile(profile, cli.services)
    target = cli.catalog.role(role)
    report = analyse_gap(person, target, cli.catalog, cli.services.market_signals.get(target.id))
    if as_json:
        print_json(report)
        return
    console.print(f"[bold]Gap to {target.name}[/bold]: {report.summary}")
    for category, items in report.by_category.items():
        table = Table(title=category)
        for col in ("order", "skill", "you", "needed", "hours", "value/hour", "why"):
            table.add_column(col)
        for item in items:
            why = "needed" if item.listed else "prerequisite of " + ", ".join(item.unlocks[:2])
            table.add_row(
                str(report.order.index(item.skill_id) + 1),
                item.name,
                str(item.have),
                str(item.need),
                f"{item.hours:g}",
                f"{item.value_per_hour:.3f}",
                why,
            )
        console.print(table)
    console.print(
        "[bold]Specialisms to consider[/bold] (two or three in depth; one if you must be quick)"
    )
    for spec in report.specialisms:
        console.print(f"  • {spec.name}: {'; '.join(spec.reasons) or 'a good fit for the role'}")
    console.print("[bold]Projects that would show it[/bold]")
    for proj in report.projects:
        console.print(
            f"  • {proj.name} ({proj.hours:g} h, {proj.difficulty}): {'; '.join(proj.reasons)}"
        )


def reach(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        typer.Option("--by", help="A date (YYYY-MM-DD): which roles can I reach by then?"),
    ] = None,
    hours: Annotated[
        float | None, typer.Option("--hours", help="A number of hours to spend, with --role.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="The role for --hours.")] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Count from this date instead of today.")
    ] = None,
    profile: ProfileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Which roles you can reach by a date, or the most valuable use of a number of hours."""
    from mlpivot.engine.best_hours import best_use_of_hours
    from mlpivot.engine.fit import rank_roles
    from mlpivot.engine.reach import reachable_by

    cli = state(ctx)
    person = load_profile(profile, cli.services)
    start = _parse_date(today, "--today") if today else date.today()
    if by is not None:
        deadline = _parse_date(by, "--by")
        if deadline <= start:
            raise UserError(f"--by {by} is not after {start.isoformat()}")
        fits = rank_roles(person, cli.catalog, cli.services.market_signals)
        result = reachable_by(fits, start, deadline)
        if as_json:
            print_json(result)
            return
        console.print(
            f"{result.weeks_available:.0f} weeks until {deadline.isoformat()} at "
            f"{person.hours_per_week:g} h/week:"
        )
        for entry in result.roles:
            mark = "[green]reachable[/green]" if entry.reachable else "[red]not yet[/red]"
            console.print(f"  {mark} {entry.role_name}: about {entry.weeks_to_ready:.0f} weeks")
        return
    if hours is None or role is None:
        raise UserError("say either --by DATE, or --hours H together with --role ROLE")
    target = cli.catalog.role(role)
    choice = best_use_of_hours(
        person, target, cli.catalog, hours, cli.services.market_signals.get(target.id)
    )
    if as_json:
        print_json(choice)
        return
    console.print(
        f"The most valuable {hours:g} hours for {target.name} ({choice.status}, value "
        f"{choice.value:.2f} of {choice.total_value:.2f} possible; greedy would get "
        f"{choice.greedy_value:.2f}):"
    )
    for item in choice.items:
        console.print(f"  • {item.name}: {item.hours:g} h")
    console.print(f"Total {choice.hours:g} h.")


def _pay_cells(outlook: PayOutlook | None) -> tuple[str, str]:
    if outlook is None or outlook.median_usd is None:
        return ("no data", "")
    change = outlook.change_from_software_engineer_pct
    versus = f"{change:+.0f}% vs SWE" if change is not None else ""
    if outlook.change_from_current_usd is not None:
        versus += f"{'; ' if versus else ''}{outlook.change_from_current_usd:+,} $ vs you"
    return (f"${outlook.median_usd:,} ({outlook.scope}, n={outlook.sample_size})", versus)


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date like 2027-09-01") from None
