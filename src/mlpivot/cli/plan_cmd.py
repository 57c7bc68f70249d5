"""`mlpivot plan` and `mlpivot progress`: a dated plan, and how it is going."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from mlpivot.cli.context import state
from mlpivot.cli.output import console, print_json
from mlpivot.cli.profile_source import load_profile
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.bootstrap import Services
    from mlpivot.engine.plan_model import Plan
    from mlpivot.engine.progress import LoggedWork

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
ProfileOpt = Annotated[
    Path | None,
    typer.Option("--profile", help="Use this profile file instead of your stored profile."),
]
TodayOpt = Annotated[
    str | None, typer.Option("--today", help="Pretend today is this date (YYYY-MM-DD).")
]

progress_app = typer.Typer(
    help="Log study hours and see how you stand against your plan.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
    app.add_typer(progress_app, name="progress")


def _date(text: str | None, option: str, default: date | None = None) -> date:
    if text is None:
        if default is None:
            raise UserError(f"{option} is needed")
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date like 2027-01-04") from None


def _logs(services: Services) -> list[LoggedWork]:
    from mlpivot.engine.progress import LoggedWork
    from mlpivot.store.repositories import Progress

    with services.local() as (session, user):
        rows = Progress(session, user).all()
    return [LoggedWork(r.skill_id, r.hours, r.done, r.logged_on.date()) for r in rows]


def plan(
    ctx: typer.Context,
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            help="Target role; give it twice for a two-role goal "
            "(e.g. --role data-scientist --role ml-engineer: the first one first).",
        ),
    ],
    hours_per_week: Annotated[
        float | None, typer.Option(help="Hours a week (default: your profile's).")
    ] = None,
    start: Annotated[str | None, typer.Option(help="First week (default: today).")] = None,
    until: Annotated[
        str | None,
        typer.Option(
            help="Finish by this date: if the hours do not cover the whole gap, the "
            "most valuable set that fits is chosen exactly."
        ),
    ] = None,
    unavailable: Annotated[
        list[str] | None,
        typer.Option("--unavailable", help="A date in a week with no study (holiday); repeat."),
    ] = None,
    pathway: Annotated[
        str | None, typer.Option(help="Follow this pathway, e.g. demando-route.")
    ] = None,
    replan: Annotated[
        bool,
        typer.Option(
            "--replan",
            help="Rebuild from today keeping what is done, and show "
            "what changed from the previous plan.",
        ),
    ] = False,
    profile: ProfileOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build a dated, prerequisite-ordered plan under your weekly hours, and store it."""
    from mlpivot.engine.plan import PlanRequest, build_plan
    from mlpivot.engine.plan_diff import compare_plans
    from mlpivot.engine.plan_model import Plan
    from mlpivot.engine.progress import done_hours, done_skills
    from mlpivot.store.repositories import Plans

    cli = state(ctx)
    services = cli.services
    person = load_profile(profile, services)
    catalog = cli.catalog
    role_ids = tuple(catalog.role(r).id for r in role)
    now = _date(today, "--today", date.today())
    begin = _date(start, "--start", now)
    with services.local() as (session, user):
        previous_row = Plans(session, user).current(role_ids[0])
    previous = Plan.model_validate(previous_row.data) if previous_row else None
    if replan and previous is None:
        raise UserError(f"there is no plan for {role_ids[0]} to re-plan: run it without --replan")
    off = {_date(d, "--unavailable") for d in unavailable or []}
    logs = _logs(services) if replan else []
    if replan and previous is not None:
        begin = _date(start, "--start", now)
        off |= {w.start for w in previous.weeks if not w.available and w.start >= begin}
        pathway = pathway or previous.pathway_id
    request = PlanRequest(
        role_ids=role_ids,
        start=begin,
        until=_date(until, "--until") if until else None,
        hours_per_week=hours_per_week,
        unavailable_weeks=frozenset(off),
        pathway_id=pathway,
        done_hours=done_hours(logs),
        done_skills=done_skills(logs),
    )
    new_plan = build_plan(person, catalog, request, services.market_signals)
    diff = compare_plans(previous, new_plan, done_skills(logs)) if replan and previous else None
    with services.local() as (session, user):
        stored = Plans(session, user).add(role_ids[0], new_plan.model_dump(mode="json"))
    if as_json:
        print_json({"version": stored.version, "plan": new_plan, "changes": diff})
        return
    _print_plan(new_plan, stored.version)
    if diff is not None:
        console.print(f"\n[bold]Changes from the previous plan[/bold]: {diff.summary}")
        for item in diff.moved[:10]:
            console.print(
                f"  moved {item.title}: {item.before} → {item.after} ({item.weeks:+d} weeks)"
            )
        for ref in diff.dropped:
            console.print(f"  dropped {ref}")


def _print_plan(plan: Plan, version: int) -> None:
    roles = " then ".join(plan.role_ids)
    console.print(
        f"[bold]Plan for {roles}[/bold] (version {version}), following {plan.pathway_name}: "
        f"{plan.total_hours:g} h at {plan.hours_per_week:g} h/week, "
        f"{plan.start.isoformat()} → {plan.finish.isoformat()}."
    )
    for note in plan.notes:
        console.print(f"[yellow]{note}[/yellow]")
    phases = Table(title="Phases")
    for col in ("phase", "from", "to", "study h", "at work h"):
        phases.add_column(col)
    for phase in plan.phases:
        phases.add_row(
            phase.name,
            str(phase.start),
            str(phase.end),
            f"{phase.study_hours:g}",
            f"{phase.work_hours:g}" if phase.in_current_job else "",
        )
    console.print(phases)
    if plan.projects:
        console.print(
            "[bold]Portfolio projects[/bold] (built from the study hours of their skills)"
        )
        for project in plan.projects:
            console.print(f"  • {project.name}: {project.hours:g} h, report {project.metric}")
    if plan.specialisms:
        console.print("[bold]Specialisms[/bold]: " + ", ".join(plan.specialisms))
    table = Table(title="Weeks")
    for col in ("week", "starts", "study", "milestone"):
        table.add_column(col)
    for week in plan.weeks:
        study = (
            "holiday"
            if not week.available
            else "; ".join(f"{b.title} {b.hours:.3g} h" for b in week.blocks)
        )
        table.add_row(str(week.index + 1), str(week.start), study, "; ".join(week.milestones))
    console.print(table)


@progress_app.callback()
def progress(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option(help="Which plan (default: the latest).")] = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How you stand: hours logged vs planned, skills done, and your weekly streak."""
    if ctx.invoked_subcommand is not None:
        return
    from mlpivot.engine.plan_model import Plan
    from mlpivot.engine.progress import measure_progress
    from mlpivot.store.repositories import Plans

    services = state(ctx).services
    with services.local() as (session, user):
        stored = Plans(session, user).current(state(ctx).catalog.role(role).id if role else None)
    if stored is None:
        raise UserError("you have no plan yet: run `mlpivot plan --role ROLE`")
    report = measure_progress(
        Plan.model_validate(stored.data), _logs(services), _date(today, "--today", date.today())
    )
    if as_json:
        print_json(report)
        return
    console.print(report.summary + ".")
    console.print(f"Done: {', '.join(report.done_skills) or 'nothing marked done yet'}.")
    console.print(f"Streak: {report.streak_weeks} week(s) in a row with study logged.")
    console.print(f"{report.percent_complete:.0%} of the planned hours logged.")


@progress_app.command("log")
def log(
    ctx: typer.Context,
    skill: Annotated[str, typer.Argument(help="The skill you studied, e.g. probability.")],
    hours: Annotated[float, typer.Option("--hours", help="Hours spent.", min=0.1, max=80)],
    done: Annotated[bool, typer.Option("--done", help="Mark the skill as finished.")] = False,
    on: Annotated[str | None, typer.Option("--on", help="When (default: today).")] = None,
) -> None:
    """Log hours on a skill (and --done when you have finished it)."""
    from mlpivot.store.repositories import Progress

    cli = state(ctx)
    catalog = cli.catalog
    key = " ".join(skill.casefold().split())
    skill_id = skill if skill in catalog.skills else catalog.alias_index.get(key)
    if skill_id is None:
        catalog.skill(skill)  # raises with suggestions
        return
    when = datetime.combine(_date(on, "--on", date.today()), time(12), tzinfo=UTC)
    with cli.services.local() as (session, user):
        Progress(session, user).log(skill_id, hours, done, when)
    name = catalog.skills[skill_id].name
    console.print(f"Logged {hours:g} h on {name}{' (done)' if done else ''}.")
