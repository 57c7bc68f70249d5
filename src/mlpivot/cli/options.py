"""What several commands' options share: how a date option is read."""

from __future__ import annotations

from datetime import date

from mlpivot.errors import UserError


def parse_date(text: str, option: str) -> date:
    """An ISO date from a command-line option; a bad one is a user error (exit 1) naming the
    option, the same in every command."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date like 2027-09-01") from None
