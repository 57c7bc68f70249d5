"""`mlpivot resume check` and `mlpivot resume tailor`: a resume made ready for one posting.

Both read files only and store nothing. `check` reports what screening systems and ML hiring
managers trip on; `tailor` writes a copy whose own lines are reordered for the posting (never
new words, never a new skill), with the changes marked unless `--clean`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console, print_json
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog
    from mlpivot.ingest.match import MatchReport
    from mlpivot.ingest.resume import Resume

resume_app = typer.Typer(
    help="Check a resume the way screening systems read it, and tailor it to a posting.",
    no_args_is_help=True,
)

ResumeArg = Annotated[
    Path, typer.Argument(help="Your resume: PDF, DOCX, Markdown, text or JSON Resume.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
MARK = {"problem": "[red]✗[/red]", "warning": "[yellow]![/yellow]", "good": "[green]✓[/green]"}


def register(app: typer.Typer) -> None:
    app.add_typer(resume_app, name="resume")


def _read(
    catalog: Catalog, resume: Path, posting: Path | None
) -> tuple[bytes, Resume, MatchReport | None]:
    from mlpivot.ingest.match import match_resume
    from mlpivot.ingest.posting import parse_posting
    from mlpivot.ingest.resume import parse_resume

    parsed = parse_resume(resume, catalog=catalog)
    data = resume.read_bytes()
    report = None
    if posting is not None:
        report = match_resume(parsed, parse_posting(posting, catalog), catalog)
    return data, parsed, report


@resume_app.command("check")
def check(
    ctx: typer.Context,
    resume: ResumeArg,
    posting: Annotated[
        Path | None,
        typer.Option("--posting", help="Also check against this posting's must-haves."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """What a screening system and an ML hiring manager would trip on, and how to fix it.

    Checks the file (type, size, text that is only an image, two columns, tables, text boxes,
    contact details only in the page header), the headings and dates, the evidence (results
    with a number, production work) and, with --posting, the posting's required skills.

    Example: `mlpivot resume check cv.pdf --posting job.html`
    """
    from mlpivot.ingest.resume_check import check_resume
    from mlpivot.ingest.resume_layout import layout_facts

    data, parsed, report = _read(state(ctx).catalog, resume, posting)
    findings = check_resume(layout_facts(data, resume.name), parsed, report)
    if as_json:
        print_json({"file": resume.name, "findings": [asdict(f) for f in findings]})
        return
    problems = sum(f.severity == "problem" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    console.print(f"[bold]{resume.name}[/bold]: {problems} problems, {warnings} warnings")
    for f in findings:
        console.print(f"{MARK[f.severity]} {f.message}", soft_wrap=False)
        if f.fix:
            console.print(f"    [dim]→ {f.fix}[/dim]")


@resume_app.command("tailor")
def tailor(
    ctx: typer.Context,
    resume: ResumeArg,
    posting: Annotated[Path, typer.Option("--posting", help="The posting to tailor for.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md, html, pdf or json (JSON Resume).")
    ] = "md",
    clean: Annotated[
        bool, typer.Option("--clean", help="No change marks or suggestions: the copy to send.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Reorder your resume's own lines for a posting: its skills' bullets first.

    Nothing is written for you and no skill is added: bullets naming the posting's required
    skills move to the top of each job, its skills lead your skills list, and what only you can
    write (a result with a number, a skill you only list) comes as suggestions.

    Example: `mlpivot resume tailor cv.pdf --posting job.html --format pdf --out cv-acme.pdf`
    """
    from mlpivot.ingest.tailor import json_resume, marked_lines, tailor_resume
    from mlpivot.reports.tailored_resume import FORMATS, ResumeLine, render

    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"'{fmt}' is not one of {', '.join(FORMATS)}", param_hint="--format"
        )
    _, parsed, report = _read(state(ctx).catalog, resume, posting)
    if report is None:  # pragma: no cover - posting is required
        raise UserError("a posting is needed to tailor for")
    tailored = tailor_resume(parsed, report)
    title = f"{resume.stem} for {report.posting_title or posting.stem}"
    if fmt == "json":
        document = json_resume(tailored, parsed, marked=not clean)
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    else:
        lines = [
            ResumeLine(text, bullet, mark, raw)
            for raw, text, bullet, mark in marked_lines(tailored)
        ]
        out.write_bytes(render(lines, tailored.suggestions, fmt, title, marked=not clean))
    if as_json:
        print_json({"out": out, "changes": tailored.changes, "suggestions": tailored.suggestions})
        return
    console.print(
        f"Wrote {out}: {len(tailored.changes)} lines moved or reordered"
        + ("" if clean else " (marked)")
        + f", {len(tailored.suggestions)} suggestions.",
        soft_wrap=True,
    )
    for s in tailored.suggestions:
        console.print(f"  • {s}", markup=False)
