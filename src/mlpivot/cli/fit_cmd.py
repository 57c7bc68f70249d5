"""`mlpivot fit`, `mlpivot gap --role`, `mlpivot reach`: which role, how far, what first."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.catalog.vocabulary import CATEGORY_NAMES, LEVEL_NAMES, Category
from mlpivot.cli.context import state
from mlpivot.cli.options import WeightsOpt, check_weights, parse_date
from mlpivot.cli.output import bar, console, err_console, people_table, print_json, round_money
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
    if cli.server is not None:
        from mlpivot.cli.remote import refuse_remote, show_remote_fit

        if profile is not None or plot is not None:
            refuse_remote("`mlpivot fit` with --profile or --plot")
        show_remote_fit(cli.server, as_json)
        return
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
        console.print(
            "[bold]What you already bring to ML work[/bold] "
            "[dim](levels are your own ratings unless a source is named)[/dim]"
        )
        for s in strengths:
            console.print(f"  • {s.title}: " + "; ".join(s.evidence), markup=False)
    table = people_table(
        "Roles by fit",
        [
            ("role", "left"),
            ("fit", "left"),
            ("coverage", "right"),
            ("weeks", "right"),
            ("pay", "right"),
            ("vs SWE", "right"),
        ],
    )
    for rank, f in enumerate(fits, 1):
        outlook = pay[f.role_id]
        table.add_row(
            f"{rank}. {f.role_name}",
            bar(f.score, width=5),
            f"{f.coverage:.0%}",
            f"{f.weeks_to_ready:.0f}",
            *_pay_cells(outlook),
        )
    console.print(table)
    console.print(
        "[dim]fit: skills, interests and route together; coverage: the share of what the "
        "role asks for that you have (curated weights blended with how often postings name "
        "each skill); weeks: study at your hours a week; pay: median where you live, "
        "or (world) where too few answered there.[/dim]"
    )
    for f in fits[:3]:
        console.print(f"\n[bold]{f.role_name}[/bold]: {f.explanation}")
        console.print(f"  Route: {'; '.join(f.notes)}.", markup=False)
        line = _pay_sentence(f.role_name, pay[f.role_id], person.country)
        if line:
            console.print(f"  Pay: {line}", markup=False)
    if fits and fits[0].separation:
        console.print(f"\n[bold]Why not a tie[/bold]: {fits[0].separation}")


def gap(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--role", help="The role to measure against.")],
    weights: WeightsOpt = None,
    profile: ProfileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What you lack for one role: skills by value per hour, grouped; specialisms; projects."""
    from mlpivot.bootstrap import saved_demand
    from mlpivot.engine.gap_report import analyse_gap

    cli = state(ctx)
    check_weights(weights)
    if cli.server is not None:
        from mlpivot.cli.remote import refuse_remote, show_remote_gap

        if profile is not None or weights is not None:
            refuse_remote("`mlpivot gap` with --profile or --weights")
        show_remote_gap(cli.server, role, as_json)
        return
    person = load_profile(profile, cli.services)
    target = cli.catalog.role(role)
    mine = saved_demand(cli.services, target.id, person) if weights == "mine" else None
    report = analyse_gap(
        person,
        target,
        cli.catalog,
        cli.services.market_signals.get(target.id),
        weights_source=weights or "blend",  # type: ignore[arg-type]
        mine=mine,
    )
    if as_json:
        print_json(report)
        return
    console.print(f"[bold]Gap to {target.name}[/bold]: {report.summary}")
    for category, items in report.by_category.items():
        table = people_table(
            CATEGORY_NAMES.get(Category(category), category),
            [
                ("#", "right"),
                ("skill", "left"),
                ("you → needed", "left"),
                ("hours", "right"),
                ("why", "left"),
            ],
            wrap="why",
        )
        for item in items:
            unlocks = [cli.catalog.skills[u].name for u in item.unlocks[:2]]
            why = "the role asks for it" if item.listed else "comes before " + ", ".join(unlocks)
            table.add_row(
                str(report.order.index(item.skill_id) + 1),
                item.name,
                f"{LEVEL_NAMES[item.have]} → {LEVEL_NAMES[item.need]}"
                + ("\n(you: inferred)" if item.have_inferred else ""),
                f"{item.hours:.0f} h",
                why,
            )
        console.print(table)
    console.print(
        "[dim]#: the order to learn in (most value for the hours first, never before what a "
        "skill builds on); hours: from your level to the level needed.[/dim]"
    )
    if report.inferred_basis:
        console.print(
            f"[dim](you: inferred): your level {report.inferred_basis}; a level in your profile "
            "file or a resume (`mlpivot import resume`) replaces it.[/dim]"
        )
    if report.specialisms:
        console.print(
            "[bold]Specialisms to consider[/bold] (two or three in depth; one if you must be quick)"
        )
    for spec in report.specialisms:
        console.print(f"  • {spec.name}: {'; '.join(spec.reasons)}")
    console.print("[bold]Projects that would show it[/bold]")
    for proj in report.projects:
        console.print(
            f"  • {proj.name} ({proj.hours:.0f} h, {proj.difficulty}): {'; '.join(proj.reasons)}"
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
    start = parse_date(today, "--today") if today else date.today()
    if by is not None:
        deadline = parse_date(by, "--by")
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
    share = choice.value / choice.total_value if choice.total_value else 1.0
    console.print(
        f"The most valuable {hours:g} hours for {target.name}: they cover {share:.0%} of the "
        "value of the whole gap (the best possible choice, worked out exactly):"
    )
    for item in choice.items:
        console.print(f"  • {item.name}: {item.hours:.0f} h")
    console.print(f"Total {choice.hours:.0f} h.")


def _pay_cells(outlook: PayOutlook | None) -> tuple[str, str]:
    if outlook is None or outlook.median_usd is None:
        return ("no data", "")
    where = "" if outlook.country else " (world)"
    change = outlook.change_from_software_engineer_pct
    return (
        f"{round_money(outlook.median_usd)}{where}",
        f"{change:+.0f}%" if change is not None else "",
    )


def _pay_sentence(role_name: str, outlook: PayOutlook | None, country: str) -> str:
    """Pay in words, like with like: the same source and country on both sides, n shown, and
    the person's own salary only against a median from their own country."""
    if outlook is None or outlook.median_usd is None:
        return ""
    where = f"in {outlook.country}" if outlook.country else "across all countries"
    text = (
        f"median {round_money(outlook.median_usd)} {where} "
        f"({outlook.source}, n={outlook.sample_size})"
    )
    change = outlook.change_from_software_engineer_pct
    if change is not None:
        text += (
            f"; {change:+.0f}% against software engineers in the same source "
            f"(n={outlook.software_engineer_sample_size})"
        )
    if outlook.change_from_current_usd is not None:
        text += f"; {round_money(outlook.change_from_current_usd)} against your salary"
        if outlook.change_from_current_usd > 0:
            text = text.replace(
                f"; {round_money(outlook.change_from_current_usd)}",
                "; +" + round_money(outlook.change_from_current_usd),
            )
    elif outlook.country is None:
        text += f"; too few answers from {country} to set against your own pay"
    return text + "."
