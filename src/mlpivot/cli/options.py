"""What several commands' options share: how a date option and --weights are read."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

import typer

from mlpivot.errors import UserError

WEIGHT_SOURCES: Final = ("mine", "market", "curated")

WeightsOpt = Annotated[
    str | None,
    typer.Option(
        "--weights",
        help=(
            "Value skills by: mine (the postings you saved), market (public postings), "
            "curated (our list); default a blend of curated and market."
        ),
    ),
]


def check_weights(weights: str | None) -> None:
    """A usage error (exit 2) for a --weights value that is not one of the sources."""
    if weights not in (None, *WEIGHT_SOURCES):
        raise typer.BadParameter(
            f"'{weights}' is not one of {', '.join(WEIGHT_SOURCES)}", param_hint="--weights"
        )


def parse_date(text: str, option: str) -> date:
    """An ISO date from a command-line option; a bad one is a user error (exit 1) naming the
    option, the same in every command."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date like 2027-09-01") from None
