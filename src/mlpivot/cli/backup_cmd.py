"""`backup` and `restore`: the whole embedded database, copied and put back safely."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console, print_json


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def backup(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The new file to write (it must not exist yet).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Copy the whole database (every learner's data) to one file, safely while in use.

    The copy is a consistent snapshot made with SQLite's online backup API and checked before it
    gets its name. For PostgreSQL, the command says how to use `pg_dump` instead.

    Example: `mlpivot backup ~/mlpivot-2026-11-27.sqlite`
    """
    from mlpivot.store.backup import backup as take_backup

    summary = take_backup(state(ctx).services.engine, out)
    if as_json:
        print_json(summary)
        return
    console.print(
        f"Backed up {summary.total_rows:,} rows in {len(summary.rows)} tables to {out} "
        f"({_size(summary.size_bytes)}). Restore it with `mlpivot restore {out}`.",
        soft_wrap=True,  # a path is never broken across lines: it must copy whole
    )


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `mlpivot backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace the database without asking.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Replace the whole database with a backup; the current one is kept beside it first.

    The backup is checked before anything changes (an intact SQLite file with an mlpivot schema
    this version knows); a backup from an older mlpivot is brought up to date.
    """
    from mlpivot.store.backup import inspect_backup
    from mlpivot.store.backup import restore as put_back
    from mlpivot.store.database import ensure_schema, known_revisions

    services = state(ctx).services
    revisions = known_revisions()
    inspect_backup(file, revisions)
    if not yes and not typer.confirm(
        "This replaces the whole mlpivot database with the backup (a safety copy is kept). Go on?"
    ):
        raise typer.Exit(1)
    summary = put_back(services.engine, file, revisions, datetime.now(UTC))
    ensure_schema(services.engine)
    if as_json:
        print_json(summary)
        return
    kept = (
        f" The database as it was is kept in {summary.safety_copy}." if summary.safety_copy else ""
    )
    console.print(
        f"Restored {summary.total_rows:,} rows in {len(summary.rows)} tables from {file}.{kept}",
        soft_wrap=True,
    )
