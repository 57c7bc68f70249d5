"""`mlpivot import posting FILE`: read a job posting, classify it, and store it.

The posting is parsed and classified before the database is opened, so a bad file changes
nothing stored. The lead wires it in with `register_posting(import_app)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console, print_json


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
        f"(confidence {found.confidence:.2f}); {len(posting.required)} required and "
        f"{len(posting.nice_to_have)} nice-to-have skills."
    )
