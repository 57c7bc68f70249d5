"""The limits of what a person may enter, in one place.

The profile model checks them, the CLI states them in `--help`, the example profiles repeat
them in their header, and the web form reads them for its `min`/`max`/`maxlength`. A limit
changes here and everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from mlpivot.errors import UserError


@dataclass(frozen=True)
class Range:
    min: float
    max: float
    unit: str

    def check(self, value: float, where: str) -> float:
        if not self.min <= value <= self.max:
            bound = f"at least {self.min:g}" if value < self.min else f"at most {self.max:g}"
            raise UserError(
                f"{where} must be {bound} {self.unit} ({self.min:g} to {self.max:g}), not {value:g}"
            )
        return value

    def __str__(self) -> str:
        return f"{self.min:g}-{self.max:g} {self.unit}"


@dataclass(frozen=True)
class Limits:
    hours_per_week: Range = Range(1, 80, "hours a week")
    """below an hour a week a plan runs for decades; above 80 it is not a study budget"""
    years_experience: Range = Range(0, 60, "years")
    interest: Range = Range(0, 4, "(0 not at all, 1 a little, 2 somewhat, 3 a lot, 4 very much)")
    level: Range = Range(0, 3, "(0 none, 1 familiar, 2 working, 3 strong)")
    current_role_chars: int = 80
    name_chars: int = 100
    domains: int = 20
    target_years_ahead: int = 10
    """a target date further ahead than this is almost surely a typing mistake"""
    long_plan_years: float = 3
    """a plan longer than this is shown with a warning: few people keep one that long"""

    def check_country(self, code: str) -> str:
        wanted = code.strip().upper()
        if wanted not in country_codes():
            raise UserError(
                f"'{code}' is not an ISO 3166 two-letter country code (e.g. GB, US, DE, IN)"
            )
        return wanted

    def check_target_date(self, target: date, today: date) -> date:
        latest = today.replace(year=today.year + self.target_years_ahead)
        if target <= today:
            raise UserError(f"target_date {target.isoformat()} is not after today")
        if target > latest:
            raise UserError(
                f"target_date {target.isoformat()} is more than {self.target_years_ahead} "
                "years away"
            )
        return target

    def describe(self) -> str:
        """The limits in words, for --help and the example profiles."""
        return (
            f"hours_per_week {self.hours_per_week}; years_experience {self.years_experience}; "
            f"interests 0-4 {self.interest.unit}; skill levels 0-3 {self.level.unit}; "
            f"current_role up to {self.current_role_chars} characters; country an ISO 3166 "
            f"two-letter code; target_date after today and within {self.target_years_ahead} "
            "years."
        )


LIMITS = Limits()


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from pycountry (loaded on first use, not at start-up)."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)
