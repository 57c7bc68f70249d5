"""`mlpivot match RESUME POSTING` and `mlpivot classify FILE`: a resume against a job posting.

Both read files only and store nothing, so they are safe to run on anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from mlpivot.cli.context import state
from mlpivot.cli.output import bar, console, people_table, print_json

if TYPE_CHECKING:
    from mlpivot.ingest.classify import PostingClass
    from mlpivot.ingest.match import MatchReport


def register(app: typer.Typer) -> None:
    app.command("match")(match)
    app.command("classify")(classify)


def match(
    ctx: typer.Context,
    resume: Annotated[Path, typer.Argument(help="Your resume: PDF, DOCX, Markdown, text, JSON.")],
    posting: Annotated[
        Path, typer.Argument(help="The job posting: text, Markdown, HTML or JSON-LD (.json).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """How well a resume covers a job posting: skills shown, skills missing, what to change."""
    from mlpivot.ingest.match import match_resume
    from mlpivot.ingest.posting import parse_posting
    from mlpivot.ingest.resume import parse_resume

    catalog = state(ctx).catalog
    parsed_posting = parse_posting(posting, catalog)
    parsed_resume = parse_resume(resume, catalog=catalog)
    report = match_resume(parsed_resume, parsed_posting, catalog)
    if as_json:
        print_json(report)
        return
    _print_report(report)


def _print_report(report: MatchReport) -> None:
    from mlpivot.ingest.match import LISTED_CREDIT

    title = report.posting_title or "the posting"
    console.print(f"[bold]{title}[/bold]", markup=True)
    console.print(f"Required skills shown  {bar(report.required_coverage)}")
    if report.nice_coverage is not None:
        console.print(f"Nice to have shown     {bar(report.nice_coverage)}")
    console.print(
        f"[dim]A skill counts fully when a line under a job or a project shows it in use, "
        f"{'half' if LISTED_CREDIT == 0.5 else f'{LISTED_CREDIT:g}'} when your resume only "
        f"lists it. Required skills count twice as much as nice-to-have ones in the overall "
        f"match: {report.score:.0%} (--json gives the formula).[/dim]"
    )
    table = people_table(
        "What the posting asks for",
        [("skill", "left"), ("need", "left"), ("on your resume", "left"), ("resume line", "left")],
        wrap="resume line",
    )
    words = {"used": "in use", "listed": "listed only", None: "[red]missing[/red]"}
    every = (*report.shown, *report.missing)
    # Required first, then nice to have; within each, what the resume shows before what it lacks.
    for m in sorted(every, key=lambda m: (m.need != "required", m.where is None)):
        line = f"{m.resume_line_number}: {escape(m.resume_line)}" if m.resume_line else ""
        if m.resume_job:
            line += f" [dim](under {escape(m.resume_job)})[/dim]"
        need = "required" if m.need == "required" else "nice"
        table.add_row(escape(m.name).replace(" or ", "\nor "), need, words[m.where], line)
    console.print(table)
    if report.suggestions:
        console.print("[bold]Suggestions[/bold]")
        for s in report.suggestions:
            console.print(f"- {s}", markup=False)


def classify(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A job posting: text, Markdown, HTML or JSON-LD.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Which of the ML roles a job posting is for, how sure, and why."""
    from mlpivot.ingest.classify import classify_posting
    from mlpivot.ingest.posting import parse_posting

    catalog = state(ctx).catalog
    posting = parse_posting(file, catalog)
    found: PostingClass = classify_posting(posting.title, posting.text, catalog)
    if as_json:
        print_json({"title": posting.title, **found.__dict__})
        return
    name = catalog.roles[found.role_id].name if found.role_id else "none of our roles"
    console.print(
        f"[bold]{posting.title or file.name}[/bold] → {name} ({found.confidence:.0%} sure)"
    )
    for reason in found.reasons:
        console.print(f"- {reason}", markup=False)
    ranked = sorted(found.scores.items(), key=lambda kv: -kv[1])
    names = {r.id: r.name for r in catalog.roles.values()}
    console.print(
        "How close each role came: " + ", ".join(f"{names.get(r, r)} {s:.0%}" for r, s in ranked),
        markup=False,
    )
