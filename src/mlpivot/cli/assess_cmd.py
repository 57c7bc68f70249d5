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
from mlpivot.engine.limits import LIMITS
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.engine.questionnaire import Prompt


def register(app: typer.Typer) -> None:
    app.command("assess", help=f"{assess.__doc__}\n\nLimits: {LIMITS.describe()}")(assess)


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
    elif prompt.kind in ("number", "text"):
        question = questionary.text(
            prompt.text,
            default=prompt.default,
            validate=lambda v: _answer_problem(prompt.id, v) or True,
        )
    answer = question.ask()
    if answer is None:  # Ctrl+C inside questionary
        raise typer.Exit(130)
    return answer


def _answer_problem(prompt_id: str, text: str) -> str | None:
    """What is wrong with one typed answer, checked against the one set of limits as the
    person goes, so a bad answer is fixed on the spot and no answer is lost."""
    try:
        if prompt_id == "hours_per_week":
            LIMITS.hours_per_week.check(float(text), "hours a week")
        elif prompt_id == "years_experience":
            LIMITS.years_experience.check(float(text), "years")
        elif prompt_id == "country":
            LIMITS.check_country(text)
    except ValueError:
        return "please type a number"
    except UserError as exc:
        return str(exc)
    return None


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
        bool,
        typer.Option(
            "--json",
            help="Print the profile as JSON (with no --profile and no terminal: the stored one).",
        ),
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
        person = read_profile_file(profile, cli.services, today=date.today())
    else:
        if not sys.stdin.isatty():
            if as_json:
                from mlpivot.bootstrap import NO_PROFILE, find_stored_profile

                found = find_stored_profile(cli.services)
                if found is None:
                    raise UserError(NO_PROFILE)
                print_json({"version": found.version, "profile": found.profile})
                return
            raise UserError("the questionnaire needs a terminal; use --profile FILE instead")
        console.print("A few questions about you; the answers stay on this machine.\n")
        answers = {p.id: _ask(p) for p in questionnaire(catalog)}
        person = profile_from_data(
            profile_data_from_answers(answers, catalog, date.today()),
            catalog,
            source="questionnaire",
            today=date.today(),
        )
    with cli.services.local() as (session, user):
        stored = Profiles(session, user).save(profile_to_data(person), expected_version=None)
    if as_json:
        print_json({"version": stored.version, "profile": person})
        return
    console.print(f"Saved your profile (version {stored.version}).")
    fits = rank_roles(person, catalog, cli.services.market_signals)
    for rank, f in enumerate(fits[:3], 1):
        console.print(f"{rank}. [bold]{f.role_name}[/bold] (fit {f.score:.0%}): {f.explanation}")
    console.print("Next: `mlpivot fit` for all roles, `mlpivot gap --role ID` for one of them.")
