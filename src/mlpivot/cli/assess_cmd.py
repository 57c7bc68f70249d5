"""`mlpivot assess`: tell mlpivot who you are, by questionnaire or from a profile file."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console, print_json
from mlpivot.cli.profile_source import read_profile_file
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.engine.questionnaire import Prompt


def register(app: typer.Typer) -> None:
    app.command("assess")(assess)


def _ask(prompt: Prompt) -> Any:
    import questionary

    if prompt.kind == "choice":
        question = questionary.select(
            prompt.text,
            choices=list(prompt.choices),
            default=prompt.default or None,
            instruction=prompt.help,
        )
    elif prompt.kind == "multi":
        question = questionary.checkbox(prompt.text, choices=list(prompt.choices))
    elif prompt.kind == "number":
        question = questionary.text(
            prompt.text,
            default=prompt.default,
            validate=lambda v: _is_number(v) or "please type a number",
        )
    else:
        question = questionary.text(prompt.text, default=prompt.default)
    answer = question.ask()
    if answer is None:  # Ctrl+C inside questionary
        raise typer.Exit(130)
    return answer


def _is_number(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False


def assess(
    ctx: typer.Context,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="Read the answers from a YAML/JSON profile file instead "
            "of asking (see examples/profiles/).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the stored profile as JSON.")
    ] = False,
) -> None:
    """Answer about 25 questions (about 5 minutes), or load a profile file; then see your top roles.

    The profile is stored in your local database; `mlpivot fit` and `mlpivot gap` use it.
    """
    from mlpivot.engine.fit import rank_roles
    from mlpivot.engine.profile import profile_from_data, profile_to_data
    from mlpivot.engine.questionnaire import profile_data_from_answers, questionnaire
    from mlpivot.store.repositories import Profiles

    cli = state(ctx)
    catalog = cli.catalog
    if profile is not None:
        person = read_profile_file(profile, cli.services)
    else:
        if not sys.stdin.isatty():
            raise UserError("the questionnaire needs a terminal; use --profile FILE instead")
        console.print("A few questions about you; the answers stay on this machine.\n")
        answers = {p.id: _ask(p) for p in questionnaire(catalog)}
        person = profile_from_data(
            profile_data_from_answers(answers, catalog, date.today()),
            catalog,
            source="questionnaire",
        )
    with cli.services.local() as (session, user):
        stored = Profiles(session, user).save(profile_to_data(person), expected_version=None)
    if as_json:
        print_json({"version": stored.version, "profile": person})
        return
    console.print(f"Saved your profile (version {stored.version}).")
    fits = rank_roles(person, catalog, cli.services.market_signals)
    for rank, f in enumerate(fits[:3], 1):
        console.print(f"{rank}. [bold]{f.role_name}[/bold] ({f.score:.2f}): {f.explanation}")
    console.print("Next: `mlpivot fit` for all roles, `mlpivot gap --role ID` for one of them.")
