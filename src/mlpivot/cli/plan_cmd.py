"""`mlpivot plan` and `mlpivot progress`: a dated plan, and how it is going."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.options import WeightsOpt, check_weights, parse_date
from mlpivot.cli.output import console, people_table, print_json, to_jsonable
from mlpivot.cli.profile_source import load_profile
from mlpivot.engine.limits import LIMITS
from mlpivot.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from mlpivot.bootstrap import Services
    from mlpivot.catalog import Catalog
    from mlpivot.engine.demand import PersonalDemand
    from mlpivot.engine.plan_model import Plan
    from mlpivot.engine.profile import Profile
    from mlpivot.engine.progress import LoggedWork
    from mlpivot.store.repositories import StoredPlan

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


plan_app = typer.Typer(
    help="Try a dated plan (a dry run), save the one you will follow, list and switch plans.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
    app.add_typer(progress_app, name="progress")


def _date(text: str | None, option: str, default: date | None = None) -> date:
    if text is None:
        if default is None:
            raise UserError(f"{option} is needed")
        return default
    return parse_date(text, option)


def _days(texts: list[str]) -> set[date]:
    """Dates given to --unavailable: one day (2027-04-14) or a span (2027-04-12..2027-04-18)."""
    days: set[date] = set()
    for text in texts:
        first, _, last = text.partition("..")
        begin = _date(first, "--unavailable")
        end = _date(last, "--unavailable") if last else begin
        if end < begin:
            raise UserError(f"--unavailable {text!r}: the span ends before it starts")
        days |= {begin + timedelta(days=n) for n in range((end - begin).days + 1)}
    return days


def _logs(services: Services) -> list[LoggedWork]:
    from mlpivot.engine.progress import LoggedWork
    from mlpivot.store.repositories import Progress

    with services.local() as (session, user):
        rows = Progress(session, user).all()
    return [LoggedWork(r.skill_id, r.hours, r.done, r.logged_on.date()) for r in rows]


def _mine(
    services: Services, role_ids: tuple[str, ...], weights: str | None, person: Profile
) -> dict[str, PersonalDemand] | None:
    """The saved-postings demand of each target role, when the plan is ordered by it."""
    from mlpivot.bootstrap import saved_demand

    if weights != "mine":
        return None
    return {role_id: saved_demand(services, role_id, person) for role_id in role_ids}


def _read_plan(stored: StoredPlan) -> Plan:
    from pydantic import ValidationError

    from mlpivot.engine.plan_model import Plan

    try:
        return Plan.model_validate(stored.data)
    except ValidationError:
        raise UserError(
            f"your saved plan for {stored.role_id} was made by an older mlpivot and cannot be "
            f"read: run `mlpivot plan --role {stored.role_id} --save` again"
        ) from None


@plan_app.callback()
def plan(
    ctx: typer.Context,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            help="Target role; give it twice for a two-role goal "
            "(e.g. --role data-scientist --role ml-engineer: the first one first).",
        ),
    ] = None,
    hours_per_week: Annotated[
        float | None,
        typer.Option(
            help=f"Hours a week, {LIMITS.hours_per_week.min:g} to "
            f"{LIMITS.hours_per_week.max:g} (default: your profile's)."
        ),
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
        typer.Option(
            "--unavailable",
            help="A day with no study (2027-04-14) or a span (2027-04-12..2027-04-18); "
            "each day off takes a seventh of that week's hours. Repeat.",
        ),
    ] = None,
    pathway: Annotated[
        str | None, typer.Option(help="Follow this pathway, e.g. demando-route.")
    ] = None,
    replan: Annotated[
        bool,
        typer.Option(
            "--replan",
            help="Rebuild your followed plan from today keeping what is done, and show "
            "what changed.",
        ),
    ] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Save this plan and follow it (progress and exports use it). "
            "Without --save a plan is only a try.",
        ),
    ] = False,
    weights: WeightsOpt = None,
    profile: ProfileOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Try a dated, prerequisite-ordered plan under your weekly hours; --save to follow it.

    `--weights mine` orders the skills by how often the postings you saved ask for them (as
    `gap --weights mine` does); a re-plan keeps the order's source and recounts your postings.

    `plan list` shows your saved plans and `plan adopt ID` switches the one you follow.
    """
    cli = state(ctx)
    if cli.server is not None:
        from mlpivot.cli.remote import refuse_remote, show_remote_plan

        if ctx.invoked_subcommand is not None:
            refuse_remote(f"`mlpivot plan {ctx.invoked_subcommand}`")
        if (
            role
            or replan
            or save
            or any(
                v is not None
                for v in (hours_per_week, start, until, pathway, weights, profile, today)
            )
            or unavailable
        ):
            refuse_remote("`mlpivot plan` with options other than --json (trying a plan)")
        show_remote_plan(cli.server, cli.catalog, as_json)
        return
    if ctx.invoked_subcommand is not None:
        return
    services = cli.services
    from mlpivot.bootstrap import followed_plan
    from mlpivot.engine.plan import PlanRequest, build_plan
    from mlpivot.engine.plan_diff import compare_plans
    from mlpivot.engine.replan import replan_request

    catalog = cli.catalog
    if not role and not replan:
        raise UserError("say which role to plan for: `mlpivot plan --role ml-engineer`")
    check_weights(weights)
    if hours_per_week is not None:
        LIMITS.hours_per_week.check(hours_per_week, "--hours-per-week")
    person = load_profile(profile, services)
    now = _date(today, "--today", date.today())
    off = _days(unavailable or [])
    if replan:
        previous_row = followed_plan(services, catalog.role(role[0]).id if role else None)
        if previous_row is None:
            wanted = catalog.role(role[0]).id if role else "you"
            raise UserError(
                f"there is no saved plan for {wanted} to re-plan: run it with --save first"
            )
        previous = _read_plan(previous_row)
        if weights is not None and weights != previous.weights_source:
            raise UserError(
                f"the followed plan is ordered by {previous.weights_source} weights; a re-plan "
                "keeps that order. Make a new plan with --weights instead of --replan"
            )
        logs = _logs(services)
        request = replan_request(
            previous,
            logs,
            now,
            start=_date(start, "--start") if start else None,
            unavailable=off,
            pathway_id=pathway,
            hours_per_week=hours_per_week,
            until=_date(until, "--until") if until else None,
            mine=_mine(services, previous.role_ids, previous.weights_source, person),
        )
        new_plan = build_plan(person, catalog, request, services.market_signals)
        diff = compare_plans(previous, new_plan, request.done_skills)
    else:
        role_ids = tuple(catalog.role(r).id for r in role or [])
        request = PlanRequest(
            role_ids=role_ids,
            start=_date(start, "--start", now),
            until=_date(until, "--until") if until else None,
            hours_per_week=hours_per_week,
            unavailable_days=frozenset(off),
            pathway_id=pathway,
            weights_source=weights or "blend",  # type: ignore[arg-type]
            mine=_mine(services, role_ids, weights, person),
        )
        new_plan = build_plan(person, catalog, request, services.market_signals)
        diff = None
    stored: StoredPlan | None = None
    if save:
        from mlpivot.store.repositories import Plans

        with services.local() as (session, user):
            stored = Plans(session, user).add(
                new_plan.role_ids[0], new_plan.model_dump(mode="json")
            )
    if as_json:
        print_json(
            {
                "saved": stored is not None,
                "id": stored.public_id if stored else None,
                "version": stored.version if stored else None,
                "plan": new_plan,
                "changes": diff,
            }
        )
        return
    print_plan(new_plan, catalog, stored.version if stored else None)
    if diff is not None:
        console.print(f"\n[bold]Changes from the previous plan[/bold]: {diff.summary}")
        for item in diff.moved[:10]:
            console.print(
                f"  moved {item.title}: {item.before} → {item.after} ({item.weeks:+d} weeks)"
            )
        for ref in diff.dropped:
            console.print(f"  dropped {ref}")
    if stored is None:
        console.print(
            "\n[yellow]Not saved: this is a try. Add --save to follow this plan "
            "(your progress is measured against the plan you follow).[/yellow]"
        )
    else:
        console.print(f"\nSaved and followed (id {stored.public_id}).")


@plan_app.command("list")
def list_plans(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your saved plans, oldest first; the followed one is marked."""
    from mlpivot.store.repositories import Plans

    cli = state(ctx)
    with cli.services.local() as (session, user):
        saved = Plans(session, user).history()
    if as_json:
        print_json(
            {
                "plans": [
                    {
                        "id": p.public_id,
                        "role_id": p.role_id,
                        "version": p.version,
                        "followed": p.is_current,
                        "created_at": p.created_at,
                        "plan": p.data,
                    }
                    for p in saved
                ]
            }
        )
        return
    if not saved:
        console.print("No saved plans yet: `mlpivot plan --role ROLE --save` saves one.")
        return
    # A list, not a table: an id must stay on one line to be copied, and 36 characters of
    # id beside the rest would not fit 80 columns.
    console.print("[bold]Saved plans[/bold]")
    for p in saved:
        data = p.data
        names = " then ".join(
            cli.catalog.roles[r].name if r in cli.catalog.roles else r
            for r in data.get("role_ids", [p.role_id])
        )
        console.print(
            f"{'▶' if p.is_current else ' '} {names}: {data.get('hours_per_week', 0):g} h/week, "
            f"{data.get('start', '?')} → {data.get('finish', '?')}",
            markup=False,
        )
        console.print(f"    id {p.public_id}", markup=False, soft_wrap=True)
    console.print("▶ the plan you follow; `mlpivot plan adopt ID` follows another.")


@plan_app.command("adopt")
def adopt_plan(
    ctx: typer.Context,
    plan_id: Annotated[str, typer.Argument(help="The id from `mlpivot plan list`.")],
) -> None:
    """Follow another saved plan: progress and exports use it from now on."""
    from mlpivot.store.repositories import Plans

    cli = state(ctx)
    try:
        with cli.services.local() as (session, user):
            adopted = Plans(session, user).adopt(plan_id)
    except NotFoundError as exc:
        raise UserError(str(exc)) from None
    name = cli.catalog.roles[adopted.role_id].name if adopted.role_id in cli.catalog.roles else ""
    console.print(f"You now follow the plan for {name or adopted.role_id} ({plan_id}).")


def print_plan(plan: Plan, catalog: Catalog, version: int | None) -> None:
    roles = " then ".join(catalog.roles[r].name for r in plan.role_ids if r in catalog.roles)
    saved = f" (version {version})" if version else ""
    console.print(
        f"[bold]Plan for {roles}[/bold]{saved}, following {plan.pathway_name}: "
        f"{plan.total_hours:.0f} h at {plan.hours_per_week:g} h/week, "
        f"{plan.start.isoformat()} → {plan.finish.isoformat()}."
    )
    for note in plan.notes:
        console.print(f"[yellow]{note}[/yellow]")
    phases = people_table(
        "Phases",
        [
            ("phase", "left"),
            ("from", "left"),
            ("to", "left"),
            ("study", "right"),
            ("at work", "right"),
        ],
        wrap="phase",
    )
    for phase in plan.phases:
        phases.add_row(
            phase.name,
            str(phase.start),
            str(phase.end),
            f"{phase.study_hours:.0f} h",
            f"{phase.work_hours:.0f} h" if phase.in_current_job else "",
        )
    console.print(phases)
    if plan.projects:
        console.print(
            "[bold]Portfolio projects[/bold] (built from the study hours of their skills)"
        )
        for project in plan.projects:
            console.print(f"  • {project.name}: {project.hours:.0f} h, report {project.metric}")
    if plan.specialisms:
        console.print("[bold]Specialisms[/bold]: " + ", ".join(plan.specialisms))
    table = people_table(
        "Weeks",
        [("week", "right"), ("starts", "left"), ("study, then what to show", "left")],
        wrap="study, then what to show",
    )
    from mlpivot.engine.wording import hours_said

    for week in plan.weeks:
        study = (
            "holiday"
            if not week.available
            else "; ".join(f"{b.title} {hours_said(b.hours)}" for b in week.blocks)
        )
        shown = "".join(f"\n→ {m}" for m in week.milestones)
        table.add_row(str(week.index + 1), str(week.start), study + shown)
    console.print(table)


@progress_app.callback()
def progress(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option(help="Which plan (default: the latest).")] = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How you stand: hours logged vs planned, skills done, and your weekly streak."""
    server = state(ctx).server
    if server is not None:
        from mlpivot.cli.remote import refuse_remote, show_remote_progress

        if ctx.invoked_subcommand is not None:
            refuse_remote(f"`mlpivot progress {ctx.invoked_subcommand}`")
        if role is not None or today is not None:
            refuse_remote("`mlpivot progress` with --role or --today")
        show_remote_progress(server, as_json)
        return
    if ctx.invoked_subcommand is not None:
        return
    from mlpivot.engine.progress import measure_progress
    from mlpivot.store.repositories import Plans

    services = state(ctx).services
    with services.local() as (session, user):
        stored = Plans(session, user).current(state(ctx).catalog.role(role).id if role else None)
    if stored is None:
        raise UserError(
            "you follow no plan yet: try one with `mlpivot plan --role ROLE`, then add --save"
        )
    from mlpivot.bootstrap import all_interview_practice

    day = _date(today, "--today", date.today())
    report = measure_progress(_read_plan(stored), _logs(services), day)
    practice = [p for p in all_interview_practice(services, day) if not p.done]
    if as_json:
        print_json({**to_jsonable(report), "interview_practice": practice})
        return
    console.print(report.summary + ".")
    console.print(f"Done: {', '.join(report.done_skills) or 'nothing marked done yet'}.")
    console.print(f"Streak: {report.streak_weeks} week(s) in a row with study logged.")
    console.print(f"{report.percent_complete:.0%} of the planned hours logged.")
    if practice:
        console.print("[bold]Before your interviews[/bold] (from `mlpivot apply`):")
        for mock in practice:
            console.print(
                f"  {mock.on.isoformat()}  {mock.label} ({mock.stage}): `{mock.command}`",
                markup=False,
            )


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
    skill_id = catalog.skill(skill).id
    when = datetime.combine(_date(on, "--on", date.today()), time(12), tzinfo=UTC)
    with cli.services.local() as (session, user):
        Progress(session, user).log(skill_id, hours, done, when)
    name = catalog.skills[skill_id].name
    console.print(f"Logged {hours:g} h on {name}{' (done)' if done else ''}.")
