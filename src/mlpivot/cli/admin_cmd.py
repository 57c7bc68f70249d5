"""`mlpivot admin create` (the first admin of accounts mode) and `mlpivot feedback`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console, print_json
from mlpivot.errors import UserError

admin_app = typer.Typer(help="Accounts mode: the first admin, made on the server's database.")


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
    app.command("feedback")(feedback)


@admin_app.command("create")
def create_admin(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="The admin's email, used to sign in.")],
    name: Annotated[str, typer.Option(help="The name shown on pages.")] = "Admin",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the password from the first line of standard input."
        ),
    ] = False,
) -> None:
    """Make an admin account in the configured database (DATABASE_URL). An admin then creates
    cohorts and invites learners and mentors from the web app in accounts mode."""
    from mlpivot.store.accounts import AccountRole, Accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise UserError("no password was given")
    with state(ctx).services.unit_of_work() as session:
        account = Accounts(session).create(name, email, password, AccountRole.ADMIN)
    console.print(
        f"Made the admin account {account.email}. Start the server with MLPIVOT_AUTH=accounts "
        "and MLPIVOT_SECRET_KEY set, then sign in at /login."
    )


def feedback(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What your mentors said about your plan and answers: comments and 0-5 scores."""
    from mlpivot.cli.remote import remote_get
    from mlpivot.store.accounts import account_of
    from mlpivot.store.cohorts import Feedback

    cli = state(ctx)
    if cli.server is not None:
        items = remote_get(cli.server, "/api/v1/feedback")
        if as_json:
            print_json(items)
            return
        rows = [
            (i["author"], i.get("score"), i["target_kind"], i["comment"], i["created_at"][:10])
            for i in items
        ]
    else:
        with cli.services.local() as (session, user):
            found = Feedback(session, account_of(user)).all()
        if as_json:
            print_json(found)
            return
        rows = [
            (f.author, f.score, f.target_kind.value, f.comment, f.created_at.date().isoformat())
            for f in found
        ]
    if not rows:
        console.print("No feedback yet. In a cohort, your mentors' comments and scores show here.")
        return
    for author, score, kind, comment, when in rows:
        scored = f" {score}/5" if score is not None else ""
        console.print(f"{when}  {author} on your {kind}{scored}", markup=False)
        if comment:
            console.print(f"  {comment}", markup=False)
