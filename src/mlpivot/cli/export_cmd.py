"""`mlpivot export plan`: the stored plan as a calendar, a document or data."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mlpivot.cli.context import CliState, state
from mlpivot.cli.output import err_console
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.engine.plan_model import Plan


class ExportFormat(StrEnum):
    ics = "ics"
    md = "md"
    html = "html"
    pdf = "pdf"
    json = "json"


SUFFIXES = {".ics": "ics", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
SUFFIXES |= {".pdf": "pdf", ".json": "json"}

export_app = typer.Typer(help="Export your data: the plan as a calendar or a report.")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


def _stored_plan(cli: CliState, role: str | None) -> Plan:
    from pydantic import ValidationError

    from mlpivot.bootstrap import followed_plan
    from mlpivot.engine.plan_model import Plan

    stored = followed_plan(cli.services, role)
    if stored is None:
        raise UserError(f"you have no plan yet: run `mlpivot plan --role {role or 'ROLE'} --save`")
    try:
        return Plan.model_validate(stored.data)
    except ValidationError:
        raise UserError(
            f"your stored plan for {stored.role_id} was made by an older mlpivot and cannot be "
            f"read: run `mlpivot plan --role {stored.role_id} --save` again"
        ) from None


def _context(cli: CliState, plan: Plan) -> dict[str, Any]:
    """Role names and, when a profile is stored, one line on fit and gap per target role."""
    from mlpivot.engine.fit import rank_roles

    catalog = cli.catalog
    names = {r: catalog.roles[r].name for r in plan.role_ids if r in catalog.roles}
    from mlpivot.bootstrap import find_stored_profile

    found = find_stored_profile(cli.services)
    if found is None:
        return {"role_names": names}
    profile = found.profile
    fits = {f.role_id: f for f in rank_roles(profile, catalog, cli.services.market_signals)}
    summary = []
    for role_id in plan.role_ids:
        fit = fits.get(role_id)
        if fit is None:
            continue
        gap = ", ".join(m.name for m in fit.missing[:8])
        more = f" and {len(fit.missing) - 8} more" if len(fit.missing) > 8 else ""
        summary.append(fit.explanation)
        if gap:
            summary.append(f"Still to learn for {fit.role_name}: {gap}{more}.")
    return {"role_names": names, "summary": summary}


def _choose_format(fmt: ExportFormat | None, out: Path | None) -> ExportFormat:
    if fmt is not None:
        return fmt
    if out is not None and out.suffix.lower() in SUFFIXES:
        return ExportFormat(SUFFIXES[out.suffix.lower()])
    return ExportFormat.md


@export_app.command("plan")
def export_plan(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="ics (calendar), md, html, pdf or json. Default: from --out's suffix, else md.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file (required for pdf); else stdout."),
    ] = None,
    role: Annotated[
        str | None, typer.Option(help="The plan for this role, when you have several.")
    ] = None,
) -> None:
    """Export your current plan: a calendar of study sessions, a printable report, or data."""
    from mlpivot.reports.plan_export import (
        plan_to_html,
        plan_to_ics,
        plan_to_json,
        plan_to_markdown,
        plan_to_pdf,
    )

    cli = state(ctx)
    chosen = _choose_format(fmt, out)
    if chosen is ExportFormat.pdf and out is None:
        raise UserError("a PDF cannot go to the terminal: add --out FILE.pdf")
    plan = _stored_plan(cli, role)
    data: bytes | str
    if chosen is ExportFormat.ics:
        data = plan_to_ics(plan)
    elif chosen is ExportFormat.json:
        data = plan_to_json(plan)
    else:
        context = _context(cli, plan)
        if chosen is ExportFormat.md:
            data = plan_to_markdown(plan, context)
        elif chosen is ExportFormat.html:
            data = plan_to_html(plan, context)
        else:
            data = plan_to_pdf(plan, context)
    if out is None:
        sys.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data)
        return
    if isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data, encoding="utf-8")
    err_console.print(f"Wrote your {chosen.value} plan to {out}", markup=False, soft_wrap=True)


@export_app.command("anki")
def export_anki(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The .apkg file to write.")],
    role: Annotated[str | None, typer.Option(help="Only questions for this role.")] = None,
    skill: Annotated[
        list[str] | None, typer.Option("--skill", help="Only questions on this skill (repeatable).")
    ] = None,
) -> None:
    """The question bank as an Anki deck; exporting again updates the notes in Anki."""
    from mlpivot.reports.anki import write_apkg

    catalog = state(ctx).catalog
    role_id = catalog.role(role).id if role else None
    wanted = {
        catalog.skill(catalog.alias_index.get(" ".join(s.casefold().split()), s)).id
        for s in skill or []
    }
    chosen = sorted(
        (
            q
            for q in catalog.question_bank.values()
            if q.type in ("mcq", "short")
            and (role_id is None or role_id in q.roles)
            and (not wanted or wanted.intersection(q.skills))
        ),
        key=lambda q: q.id,
    )
    if not chosen:
        raise UserError("no question matches --role and --skill")
    name = "::".join(["mlpivot", *([role_id] if role_id else []), *sorted(wanted)])
    count = write_apkg(chosen, name, out)
    err_console.print(f"Wrote {count} cards to {out} (deck {name})", markup=False, soft_wrap=True)
