"""`mlpivot import resume FILE`: read a resume, store it, and add what it shows to the profile.

The file is read and checked completely before the database is opened, so a bad file (damaged,
encrypted, too large, a schema-violating JSON Resume) changes nothing already stored. Evidence
from the previous resume import is replaced, not added to: the latest resume is the one that
speaks for the person. `import posting` joins this group later; `import_app` is the group.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from mlpivot.catalog.vocabulary import LEVEL_NAMES
from mlpivot.cli.context import state
from mlpivot.cli.options import parse_date
from mlpivot.cli.output import console, err_console, print_json

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog
    from mlpivot.engine.profile import SkillEvidence
    from mlpivot.ingest.resume import Resume

import_app = typer.Typer(
    name="import",
    help="Bring outside documents in: a resume now, job postings and data sets as they arrive.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


@import_app.command("resume")
def import_resume(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="PDF, DOCX, Markdown, plain text, or JSON Resume (.json).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    today: Annotated[
        str | None,
        typer.Option(help="The date that ends current jobs, YYYY-MM-DD (default: today)."),
    ] = None,
) -> None:
    """Read your resume: jobs, skills with the line that shows each, years per skill, domains.

    The skills become evidence in your stored profile (level 1 when named, 2 when used in a
    job, 3 when used for 3 years or more); a profile is created if you have none yet.
    """
    from mlpivot.bootstrap import save_resume_to_profile
    from mlpivot.ingest.resume import parse_resume, resume_evidence, resume_to_data

    cli = state(ctx)
    day = _day(today)
    resume = parse_resume(file, catalog=cli.catalog, today=day)
    evidence = resume_evidence(resume, cli.catalog, observed_on=day)
    document_id, version = save_resume_to_profile(
        cli.services,
        evidence,
        resume.domains,
        resume.experience_years,
        (resume.source, resume.text, resume_to_data(resume)),
        observed_on=day,
    )
    if as_json:
        print_json(
            {
                "document": document_id,
                "profile_version": version,
                "resume": resume_to_data(resume),
                "evidence": evidence,
            }
        )
        return
    _print(resume, evidence, cli.catalog)
    console.print(
        f"Stored the resume and added {len(evidence)} skills to your profile "
        f"(version {version}). Next: `mlpivot fit`."
    )


def _day(raw: str | None) -> date:
    if raw is None:
        return date.today()
    return parse_date(raw, "--today")


def _print(resume: Resume, evidence: dict[str, SkillEvidence], catalog: Catalog) -> None:
    for warning in resume.warnings:
        err_console.print(f"Warning: {warning}", markup=False)
    jobs = Table(title=f"{len(resume.positions)} positions")
    for col in ("title", "employer", "from", "to", "years"):
        jobs.add_column(col)
    for p in resume.positions:
        jobs.add_row(
            p.title,
            p.employer,
            p.start.strftime("%Y-%m") if p.start else "?",
            p.end.strftime("%Y-%m") if p.end else "present",
            f"{p.months / 12:.1f}",
        )
    console.print(jobs)
    skills = Table(title=f"{len(evidence)} skills")
    for col in ("skill", "level", "years", "the line that shows it"):
        skills.add_column(col)
    for skill_id, item in sorted(evidence.items(), key=lambda kv: (-kv[1].level, kv[0])):
        years = resume.skill_years.get(skill_id)
        name = catalog.skills[skill_id].name if skill_id in catalog.skills else skill_id
        skills.add_row(name, LEVEL_NAMES[item.level], f"{years:.1f}" if years else "", item.detail)
    console.print(skills)
    if resume.domains:
        console.print("Domains: " + ", ".join(resume.domains))
        for domain, line in resume.domain_evidence.items():
            console.print(f"  {domain}: {line}", markup=False)
