"""The salary range a posting states: currencies, k, ranges, periods, and what is not pay."""

from __future__ import annotations

import pytest

from mlpivot.ingest.salary import parse_salary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pay: $150,000 - $190,000 a year", (150000, 190000, "USD", "year", "US")),
        ("£70k–£90k plus bonus", (70000, 90000, "GBP", "year", "GB")),
        ("USD 120000 to 150000 per year", (120000, 150000, "USD", "year", "US")),
        ("Salary 95,000-120,000 CAD", (95000, 120000, "CAD", "year", "CA")),
        ("Compensation: 140k-170k USD", (140000, 170000, "USD", "year", "US")),
        ("from €60k", (60000, 60000, "EUR", "year", None)),
        ("$45 - $60 per hour", (45, 60, "USD", "hour", "US")),
    ],
)
def test_stated_ranges_are_read_with_currency_and_period(
    text: str, expected: tuple[float, float, str, str, str | None]
) -> None:
    found = parse_salary(text)
    assert found is not None
    assert (found.low, found.high, found.currency, found.period, found.country) == expected


@pytest.mark.parametrize(
    "text",
    ["401k match, team of 12", "Founded in 2015 with $5 million; 3-5 years of Python", ""],
)
def test_numbers_that_are_not_a_salary_are_not_read_as_one(text: str) -> None:
    assert parse_salary(text) is None
