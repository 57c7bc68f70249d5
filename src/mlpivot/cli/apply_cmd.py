"""`mlpivot apply add|move|list|show|export`: the application tracker.

The stage rules, reminders and response rates are the engine's (`engine.applications`); this
module reads dates from the options (default today), asks the engine, and stores the result.
Heavy modules are imported inside the commands so `mlpivot --help` stays quick.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.options import parse_date
from mlpivot.cli.output import console, print_json

if TYPE_CHECKING:
    from mlpivot.engine.applications import ResponseRates

apply_app = typer.Typer(
    name="apply",
    help=(
        "Track your applications: `apply add`, `apply move ID STAGE`, `apply list` (with "
        "reminders and the mock interviews to do before a booked one), `apply show ID`, "
        "`apply export --format ics`."
    ),
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
OnOpt = Annotated[
    str | None, typer.Option("--on", help="The date of the change, YYYY-MM-DD (default: today).")
]
TodayOpt = Annotated[
    str | None, typer.Option("--today", help="Count reminders from this date (default: today).")
]
StaleOpt = Annotated[
    int, typer.Option("--stale-days", min=1, help="Remind after this many days without change.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(apply_app, name="apply")


def _date(raw: str | None, option: str) -> date:
    return date.today() if raw is None else parse_date(raw, option)


@apply_app.command("add")
def add(
    ctx: typer.Context,
    posting: Annotated[
        str | None, typer.Option(help="A saved posting's id (see `posting list`).")
    ] = None,
    company: Annotated[
        str | None, typer.Option(help="The company, when no posting is saved.")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The job title, when no posting is saved.")
    ] = None,
    role: Annotated[
        str | None, typer.Option(help="The role it is for (default: the posting's).")
    ] = None,
    stage: Annotated[
        str, typer.Option(help="Where it starts: saved or applied (or later).")
    ] = "applied",
    on: OnOpt = None,
    resume_version: Annotated[
        str | None, typer.Option("--resume-version", help="Which resume you sent, e.g. v3-ml.")
    ] = None,
    note: Annotated[str, typer.Option(help="A note to keep with it.")] = "",
    contact: Annotated[
        list[str] | None, typer.Option(help="A contact (name, email); repeat for more.")
    ] = None,
    interview_on: Annotated[
        str | None, typer.Option("--interview-on", help="A booked interview date, YYYY-MM-DD.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Start tracking an application, for a saved posting or a company and title."""
    from mlpivot.engine.applications import parse_stage
    from mlpivot.errors import UserError
    from mlpivot.store.job_search import Applications, SavedPostings

    cli = state(ctx)
    first = parse_stage(stage)
    if first in ("rejected", "withdrawn"):
        raise UserError(f"an application cannot start at '{first}'; add it, then move it")
    day = _date(on, "--on")
    interview = _date(interview_on, "--interview-on") if interview_on else None
    role_id = cli.catalog.role(role).id if role else None
    with cli.services.local() as (session, user):
        if posting:
            saved = SavedPostings(session, user).get(posting)
            company = company or saved.company or ""
            title = title or saved.title
            role_id = role_id or saved.role_id
        elif not (company or title):
            raise UserError("say which job: --posting ID, or --company and --title")
        stored = Applications(session, user).add(
            company=company or "",
            title=title or "",
            stage=first,
            on=day,
            posting_id=posting,
            role_id=role_id,
            resume_version=resume_version,
            notes=f"{day.isoformat()}: {note}" if note else "",
            contacts=list(contact or []),
            interview_on=interview,
        )
    if as_json:
        print_json(stored)
        return
    console.print(
        f"Tracking {stored.facts().label} at '{first}' as {stored.public_id}.", highlight=False
    )


@apply_app.command("move")
def move(
    ctx: typer.Context,
    application: Annotated[str, typer.Argument(help="The application's id.")],
    stage: Annotated[
        str,
        typer.Argument(
            help="saved, applied, screen, technical, onsite, offer, rejected or withdrawn."
        ),
    ],
    on: OnOpt = None,
    note: Annotated[str, typer.Option(help="What happened.")] = "",
    contact: Annotated[str | None, typer.Option(help="A contact met at this stage.")] = None,
    interview_on: Annotated[
        str | None, typer.Option("--interview-on", help="The next interview's date, YYYY-MM-DD.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Move an application to its next stage, dated; the tracker refuses moves backwards."""
    from mlpivot.engine.applications import check_move, parse_stage
    from mlpivot.store.job_search import Applications

    cli = state(ctx)
    new = parse_stage(stage)
    day = _date(on, "--on")
    interview = _date(interview_on, "--interview-on") if interview_on else None
    with cli.services.local() as (session, user):
        apps = Applications(session, user)
        current = apps.get(application)
        check_move(current.facts().history, new, day)
        stored = apps.move(
            application,
            new,
            day,
            current.version,
            note=note,
            interview_on=interview,
            contact=contact,
        )
    if as_json:
        print_json(stored)
        return
    console.print(
        f"{stored.facts().label}: '{current.stage}' -> '{new}' on {day.isoformat()}.",
        highlight=False,
    )


@apply_app.command("list")
def list_applications(
    ctx: typer.Context,
    today: TodayOpt = None,
    stale_days: StaleOpt = 14,
    as_json: JsonOpt = False,
) -> None:
    """Your applications by stage, with reminders and, after rejections, advice and your rates."""

    from mlpivot.engine.applications import reminders, response_rates
    from mlpivot.store.job_search import Applications

    cli = state(ctx)
    day = _date(today, "--today")
    with cli.services.local() as (session, user):
        stored = Applications(session, user).all()
    facts = [a.facts() for a in stored]
    due = reminders(facts, day, stale_days=stale_days)
    from mlpivot.bootstrap import interview_practice

    practice = interview_practice(cli.services, facts, day)
    rates = response_rates(facts)
    advice = cli.catalog.advice.get("handling-rejections") if rates.advise_on_rejection else None
    if as_json:
        print_json(
            {
                "applications": stored,
                "reminders": due,
                "response": {
                    "applied": rates.applied,
                    "responded": rates.responded,
                    "rejected": rates.rejected,
                    "by_resume_version": [
                        {**r.__dict__, "rate": r.rate} for r in rates.by_resume_version
                    ],
                    "by_role": [{**r.__dict__, "rate": r.rate} for r in rates.by_role],
                },
                "advice": advice,
                "practice": [{**p.__dict__, "command": p.command} for p in practice],
            }
        )
        return
    if not stored:
        console.print("No applications yet. Add one with `mlpivot apply add --posting ID`.")
        return
    # A list, not a table: each id stays whole on its line, to be copied into `apply move ID`
    console.print(f"[bold]{len(stored)} applications[/bold]")
    for app, fact in zip(stored, facts, strict=True):
        since = f" since {fact.last_change.isoformat()}" if fact.last_change else ""
        resume = f"; resume {app.resume_version}" if app.resume_version else ""
        interview = f"; interview {app.interview_on.isoformat()}" if app.interview_on else ""
        console.print(f"• {fact.label}: {app.stage}{since}{resume}{interview}", markup=False)
        console.print(f"    id {app.public_id}", markup=False, soft_wrap=True)
    for reminder in due:
        console.print(f"Reminder: {reminder.text}", highlight=False, markup=False)
    for mock in practice:
        if not mock.done and mock.on <= day + timedelta(days=7):
            console.print(
                f"Mock interview {mock.on.isoformat()} for {mock.label} ({mock.stage}): "
                f"`{mock.command}`",
                highlight=False,
                markup=False,
            )
    if advice is not None:
        _print_advice(advice.title, advice.description, list(advice.actions), rates)


def _print_advice(title: str, description: str, actions: list[str], rates: ResponseRates) -> None:
    console.print(f"\n[bold]{title}[/bold]: {description}")
    for action in actions:
        console.print(f"  • {action}", markup=False)
    console.print(
        f"Your numbers: {rates.responded} of {rates.applied} applications sent got a response "
        f"(a screen or further); {rates.rejected} rejections."
    )
    for label, group in (("resume", rates.by_resume_version), ("role", rates.by_role)):
        parts = [f"{r.key} {r.responded}/{r.applied} ({r.rate:.0%})" for r in group]
        console.print(f"  By {label}: " + "; ".join(parts), markup=False)


@apply_app.command("show")
def show(
    ctx: typer.Context,
    application: Annotated[str, typer.Argument(help="The application's id.")],
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One application: its stage history with dates, notes, contacts and resume version, and
    the mock interviews to do before a booked interview."""
    from mlpivot.engine.applications import allowed_moves, parse_stage
    from mlpivot.store.job_search import Applications

    cli = state(ctx)
    with cli.services.local() as (session, user):
        stored = Applications(session, user).get(application)
    if as_json:
        print_json(stored)
        return
    fact = stored.facts()
    console.print(f"[bold]{fact.label}[/bold] ({stored.public_id})", highlight=False)
    moves = ", ".join(allowed_moves(parse_stage(stored.stage))) or "nothing (closed)"
    console.print(f"Stage: {stored.stage}; can move to: {moves}")
    for event in stored.history:
        console.print(f"  {event.on.isoformat()}  {event.stage}  {event.note}", markup=False)
    if stored.role_id:
        console.print(f"Role: {stored.role_id}")
    if stored.resume_version:
        console.print(f"Resume sent: {stored.resume_version}", markup=False)
    if stored.interview_on:
        console.print(f"Interview: {stored.interview_on.isoformat()}")
        from mlpivot.bootstrap import interview_practice

        for mock in interview_practice(cli.services, [fact], _date(today, "--today")):
            mark = "done" if mock.done else f"`{mock.command}`"
            console.print(f"  practise {mock.on.isoformat()}: {mark}", markup=False)
    if stored.contacts:
        console.print("Contacts: " + "; ".join(stored.contacts), markup=False)
    if stored.notes:
        console.print("Notes:\n" + stored.notes, markup=False)


@apply_app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The file to write (.ics).")],
    format_: Annotated[str, typer.Option("--format", help="Only ics for now.")] = "ics",
    today: TodayOpt = None,
    stale_days: StaleOpt = 14,
) -> None:
    """Booked interviews and follow-up reminders as iCalendar events for your calendar."""
    from mlpivot.engine.applications import reminders
    from mlpivot.reports.applications_ics import applications_to_ics
    from mlpivot.store.job_search import Applications

    if format_ != "ics":
        raise typer.BadParameter(f"'{format_}' is not supported; use ics", param_hint="--format")
    cli = state(ctx)
    day = _date(today, "--today")
    with cli.services.local() as (session, user):
        facts = [a.facts() for a in Applications(session, user).all()]
    due = reminders(facts, day, stale_days=stale_days)
    from mlpivot.bootstrap import interview_practice

    practice = interview_practice(cli.services, facts, day)
    out.write_bytes(applications_to_ics(facts, due, day, practice))
    console.print(f"Wrote the interviews and reminders to {out}.", highlight=False, soft_wrap=True)
