"""Your data, all of it: `export data`, `import data`, `delete-account`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console
from mlpivot.errors import UserError
from mlpivot.limits import MAX_DATA_FILE_BYTES, check_size, load_json


def register(app: typer.Typer) -> None:
    app.command("delete-account")(delete_account)


def register_export_data(export_app: typer.Typer) -> None:
    export_app.command("data")(export_data)


def register_import_data(import_app: typer.Typer) -> None:
    import_app.command("data")(import_data)


def export_data(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The JSON file to write.")],
) -> None:
    """Everything mlpivot stores about you, as one JSON file you keep."""
    from mlpivot.store.portability import export_user

    with state(ctx).services.local() as (session, user):
        document = export_user(session, user)
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    counts = ", ".join(f"{len(document[k])} {k}" for k in ("plans", "progress", "documents"))
    console.print(
        f"Wrote your data to {out} (profile: {'yes' if document['profile'] else 'no'}, {counts}).",
        soft_wrap=True,
    )


def import_data(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `mlpivot export data`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace your current data without asking.")
    ] = False,
) -> None:
    """Replace your data with an export (the whole file is checked before anything changes)."""
    from mlpivot.store.portability import parse_export, replace_user_data

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    check_size(str(file), file.stat().st_size, MAX_DATA_FILE_BYTES, "a data export")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{file}: not a JSON export ({exc})") from None
    raw = load_json(text, str(file))
    export = parse_export(raw, str(file))
    if not yes and not typer.confirm("This replaces all your current mlpivot data. Go on?"):
        raise typer.Exit(1)
    with state(ctx).services.local() as (session, user):
        replace_user_data(session, user, export)
    console.print(f"Imported {file}.", soft_wrap=True)


def delete_account(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete everything mlpivot stores about you: profile, plans, progress, documents,
    quiz and mock-interview answers, the feedback mentors left you, and your API tokens."""
    from mlpivot.store.portability import delete_user_data

    if not yes and not typer.confirm("Delete all your mlpivot data for good?"):
        raise typer.Exit(1)
    with state(ctx).services.local() as (session, user):
        delete_user_data(session, user)
    console.print("Deleted all your data.")
