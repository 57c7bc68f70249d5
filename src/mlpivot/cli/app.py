"""The `mlpivot` command: a Typer app with one module per command group."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mlpivot import __version__
from mlpivot.cli import (
    account_cmd,
    admin_cmd,
    apply_cmd,
    assess_cmd,
    backup_cmd,
    catalog_cmd,
    export_cmd,
    extract_cmd,
    fit_cmd,
    import_cmd,
    interview_cmd,
    market,
    match_cmd,
    plan_cmd,
    quiz_cmd,
    resume_cmd,
    roles_cmd,
    serve_cmd,
    skills_cmd,
    summary_cmd,
)
from mlpivot.cli.context import state
from mlpivot.cli.output import err_console
from mlpivot.cli.posting_cmd import register_posting, register_posting_group
from mlpivot.errors import CatalogError, MlpivotError


class FriendlyGroup(TyperGroup):
    """Turns our errors into one plain sentence and exit code 1 (a traceback only with --debug)."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except MlpivotError as exc:
            if state(ctx).debug:
                raise
            if isinstance(exc, CatalogError):
                err_console.print(f"Error: {exc}", markup=False)
            else:
                err_console.print(f"Error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except OSError as exc:
            if state(ctx).debug:
                raise
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            err_console.print(f"Error: {exc.strerror or exc}{where}", markup=False)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=FriendlyGroup,
    name="mlpivot",
    help=(
        "Plan your move from software engineering into machine learning.\n\n"
        "The usual path: `mlpivot assess` (a 5-minute questionnaire, or `--profile FILE`; "
        "`mlpivot import resume CV.pdf` adds evidence), then `mlpivot fit` to see which role fits "
        "and why, `mlpivot gap --role ml-engineer` for what to learn, `mlpivot plan --role "
        "ml-engineer` to try a dated plan (`--save` to follow it), and "
        "`mlpivot progress log SKILL --hours 2` as you go. "
        "`mlpivot roles` and `mlpivot skill show pytorch` explore the knowledge base.\n\n"
        "Every command that prints data takes --json. Your data stays on this machine (SQLite "
        "in your user data folder; set DATABASE_URL for PostgreSQL)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlpivot {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    knowledge: Annotated[
        Path | None,
        typer.Option(
            "--knowledge",
            envvar="MLPIVOT_KNOWLEDGE_DIR",
            help="A folder of YAML that adds to or overrides the built-in knowledge base.",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks on errors (for bug reports).")
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            envvar="MLPIVOT_SERVER",
            help="A remote mlpivot (accounts mode) to talk to, with the API token in "
            "MLPIVOT_TOKEN; only `feedback` can yet.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    cli = state(ctx)
    cli.knowledge_dir = knowledge
    cli.debug = debug
    if server is not None:
        from mlpivot.cli.remote import check_remote_command

        check_remote_command(server, ctx.invoked_subcommand)
        cli.server = server


# Registered in the order a person meets them; --help lists them so.
assess_cmd.register(app)
fit_cmd.register(app)
plan_cmd.register(app)
quiz_cmd.register(app)
interview_cmd.register(app)
summary_cmd.register(app)
import_cmd.register(app)
register_posting(import_cmd.import_app)
register_posting_group(app)
apply_cmd.register(app)
match_cmd.register(app)
resume_cmd.register(app)
extract_cmd.register(app)
app.add_typer(market.app, name="market")
export_cmd.register(app)
account_cmd.register(app, export_cmd.export_app, import_cmd.import_app)
backup_cmd.register(app)
roles_cmd.register(app)
skills_cmd.register(app)
app.add_typer(catalog_cmd.app, name="catalog")
serve_cmd.register(app)
admin_cmd.register(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
