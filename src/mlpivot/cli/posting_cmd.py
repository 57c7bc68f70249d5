"""`mlpivot import posting FILE`: read a job posting, classify it, and store it.

The posting is parsed and classified before the database is opened, so a bad file changes
nothing stored. The lead wires it in with `register_posting(import_app)`. `posting save` keeps a
posting as the person's own demand signal (saved postings), with its stated salary range.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.cli.context import CliState, state
from mlpivot.cli.output import console, print_json

if TYPE_CHECKING:
    from mlpivot.store.job_search import StoredPosting


def register_posting(import_app: typer.Typer) -> None:
    import_app.command("posting")(import_posting)


def import_posting(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A job posting: text, Markdown, HTML or JSON-LD (.json).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Store a job posting with its skills (required / nice to have) and its role."""
    from mlpivot.ingest.classify import classify_posting
    from mlpivot.ingest.posting import parse_posting
    from mlpivot.store.repositories import Documents

    cli = state(ctx)
    posting = parse_posting(file, cli.catalog)
    found = classify_posting(posting.title, posting.text, cli.catalog)
    parsed = {**posting.summary(), "role": found.__dict__}
    with cli.services.local() as (session, user):
        document_id = Documents(session, user).add("posting", file.name, posting.text, parsed)
    if as_json:
        print_json({"id": document_id, **parsed})
        return
    role = cli.catalog.roles[found.role_id].name if found.role_id else "none of our roles"
    console.print(
        f"Stored [bold]{posting.title or file.name}[/bold]"
        f"{' at ' + posting.company if posting.company else ''}: {role} "
        f"({found.confidence:.0%} sure); {len(posting.required)} required and "
        f"{len(posting.nice_to_have)} nice-to-have skills."
    )


posting_app = typer.Typer(
    name="posting",
    help="The postings you care about, saved as your own demand: `posting save FILE|-`, `list`.",
    no_args_is_help=True,
)


def register_posting_group(app: typer.Typer) -> None:
    app.add_typer(posting_app, name="posting")


@posting_app.command("save")
def save_posting(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(help="A posting file (text, Markdown, HTML, JSON-LD) or - for stdin.")
    ],
    country: Annotated[
        str | None,
        typer.Option(help="The posting's country (ISO code) when its currency does not say."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Save a posting: parsed, classified to a role, kept with its stated salary range."""
    import sys

    from mlpivot.ingest.classify import classify_posting
    from mlpivot.ingest.posting import parse_posting
    from mlpivot.ingest.salary import parse_salary
    from mlpivot.store.job_search import SavedPostings

    cli = state(ctx)
    if source == "-":
        posting = parse_posting(sys.stdin.read(), cli.catalog, name="the posting on stdin")
    else:
        posting = parse_posting(Path(source), cli.catalog)
    found = classify_posting(posting.title, posting.text, cli.catalog)
    salary = parse_salary(posting.text)
    where = (country or "").strip().upper() or (salary.country if salary else None)
    if where is not None and (len(where) != 2 or not where.isalpha()):
        raise typer.BadParameter(
            f"'{country}' is not a two-letter country code", param_hint="--country"
        )
    skill_ids = sorted({option for s in posting.skills for option in s.options})
    parsed = {**posting.summary(), "role": found.__dict__}
    with cli.services.local() as (session, user):
        stored = SavedPostings(session, user).add(
            posting.text,
            parsed,
            title=posting.title,
            company=posting.company,
            location=posting.location,
            country=where,
            role_id=found.role_id,
            role_confidence=found.confidence,
            skill_ids=skill_ids,
            salary_min=salary.low if salary and salary.period == "year" else None,
            salary_max=salary.high if salary and salary.period == "year" else None,
            salary_currency=salary.currency if salary and salary.period == "year" else None,
        )
    if as_json:
        print_json(stored)
        return
    role = cli.catalog.roles[found.role_id].name if found.role_id else "none of our roles"
    pay = (
        f"; salary {stored.salary_currency} {stored.salary_min:,.0f}-{stored.salary_max:,.0f}"
        if stored.salary_min is not None and stored.salary_max is not None
        else (f"; salary stated per {salary.period}, not kept" if salary else "; no salary stated")
    )
    console.print(
        f"Saved [bold]{posting.title or 'the posting'}[/bold]"
        f"{' at ' + posting.company if posting.company else ''} as {stored.public_id}: {role}, "
        f"{len(skill_ids)} skills{pay}. See `mlpivot posting list`.",
        highlight=False,
    )


@posting_app.command("list")
def list_postings(
    ctx: typer.Context,
    role: Annotated[
        str | None,
        typer.Option(
            help="Count skills over the postings for this role (default: the most saved)."
        ),
    ] = None,
    top: Annotated[int, typer.Option(help="How many skills to show.")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Your saved postings, how often each skill appears in them beside the market, and pay."""
    from collections import Counter

    from rich.table import Table

    from mlpivot.engine.demand import SavedPostingSkills, demand_beside_market, personal_demand
    from mlpivot.store.job_search import SavedPostings

    cli = state(ctx)
    with cli.services.local() as (session, user):
        postings = SavedPostings(session, user).all()
    if role is not None:
        role = cli.catalog.role(role).id
    elif postings:
        counted = Counter(p.role_id for p in postings if p.role_id)
        role = min(counted, key=lambda r: (-counted[r], r)) if counted else None
    demand = personal_demand(
        [
            SavedPostingSkills(
                p.role_id, frozenset(p.skill_ids), tuple(frozenset(c) for c in p.choices)
            )
            for p in postings
        ],
        role,
    )
    market = cli.services.market_signals.get(role) if role else None
    lines = demand_beside_market(demand, market.weights if market else None, top)
    pay = [_salary_against_market(cli, p) for p in postings]
    if as_json:
        print_json(
            {
                "postings": [
                    {**p.__dict__, "pay": note} for p, note in zip(postings, pay, strict=True)
                ],
                "demand": {
                    "role_id": role,
                    "sample_size": demand.sample_size,
                    "market_source": market.source if market else None,
                    "skills": lines,
                },
            }
        )
        return
    if not postings:
        console.print("No saved postings yet. Save one with `mlpivot posting save FILE`.")
        return
    # A list, not a table: an id stays whole on its line to be copied (`apply add --posting`),
    # which 36 characters beside a title, a company and a role would not allow at 80 columns.
    console.print(f"[bold]{len(postings)} saved postings[/bold]")
    names = {r.id: r.name for r in cli.catalog.roles.values()}
    for p, note in zip(postings, pay, strict=True):
        at = f" at {p.company}" if p.company else ""
        role_name = names.get(p.role_id or "", "none of the ML roles")
        console.print(f"• {p.title or 'untitled'}{at} ({role_name}): {note}", markup=False)
        console.print(f"    id {p.public_id}", markup=False, soft_wrap=True)
    role_name = cli.catalog.roles[role].name if role else "any role"
    demand_table = Table(
        title=f"In the {demand.sample_size} postings you saved for {role_name}"
        + (f" · market: {market.source} (n={market.sample_size})" if market else "")
    )
    for col in ("skill", "yours", "your share", "market share"):
        demand_table.add_column(col)
    for line in lines:
        demand_table.add_row(
            cli.catalog.skills[line.skill_id].name
            if line.skill_id in cli.catalog.skills
            else line.skill_id,
            f"{line.yours} of {line.sample_size}",
            f"{line.your_share:.0%}",
            "no data" if line.market_share is None else f"{line.market_share:.0%}",
        )
    console.print(demand_table)


def _salary_against_market(cli: CliState, posting: StoredPosting) -> str:
    """The posting's stated range beside the market median for its role, country and level."""
    from mlpivot.engine.market import stated_salary_check

    check = stated_salary_check(
        cli.services.market_figures,
        posting.role_id,
        country=posting.country,
        seniority=posting.seniority,
        low=posting.salary_min,
        high=posting.salary_max,
        currency=posting.salary_currency,
    )
    if posting.salary_min is None or posting.salary_max is None:
        return check.note
    stated = f"{posting.salary_currency} {posting.salary_min:,.0f}-{posting.salary_max:,.0f}"
    if check.figure is None or check.figure.median is None or check.verdict is None:
        return f"{stated}; {check.note}"
    figure = check.figure
    kind = "median" if figure.percentiles else "figure"
    n = f", n={figure.sample_size:,}" if figure.sample_size else ""
    market = f"{kind} {figure.currency} {figure.median:,} ({figure.source}, {figure.scope}{n})"
    return f"{stated}: {check.verdict} the {market}; {check.note}"
