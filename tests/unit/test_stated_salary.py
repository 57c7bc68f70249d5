"""A posting's stated salary is compared only like with like: same country, currency and level."""

from __future__ import annotations

import pytest

from mlpivot.catalog.market import MarketFigures, load_market
from mlpivot.engine.market import POSTING_LEVELS, stated_salary_check


@pytest.fixture(scope="module")
def figures() -> MarketFigures:
    return load_market()


def check(figures: MarketFigures, **overrides: object):  # type: ignore[no-untyped-def]
    posting: dict[str, object] = {
        "country": "US",
        "seniority": "senior",
        "low": 150_000.0,
        "high": 190_000.0,
        "currency": "USD",
    }
    posting.update(overrides)
    return stated_salary_check(figures, "ml-engineer", **posting)  # type: ignore[arg-type]


def test_a_us_senior_posting_is_compared_with_us_senior_pay(figures: MarketFigures) -> None:
    found = check(figures)
    assert found.figure is not None and found.figure.median is not None
    assert found.figure.scope.startswith("US") and "senior" in found.figure.scope
    median = found.figure.median
    assert check(figures, low=median + 1, high=median + 50_000).verdict == "above"
    assert check(figures, low=median - 50_000, high=median - 1).verdict == "below"
    assert check(figures, low=median - 1, high=median + 1).verdict == "around"


def test_the_level_changes_the_figure_it_is_compared_with(figures: MarketFigures) -> None:
    senior = check(figures, seniority="senior").figure
    junior = check(figures, seniority="junior").figure
    assert senior is not None and junior is not None
    assert senior.scope != junior.scope
    assert junior.median is not None and senior.median is not None
    assert junior.median < senior.median


def test_no_country_or_another_currency_is_never_compared(figures: MarketFigures) -> None:
    nowhere = check(figures, country=None)
    assert nowhere.verdict is None and "no country" in nowhere.note
    pounds_in_us = check(figures, currency="GBP")
    assert pounds_in_us.verdict is None and "not compared" in pounds_in_us.note


def test_every_verdict_is_for_the_postings_own_country(figures: MarketFigures) -> None:
    countries = sorted({c.country for c in figures.aijobs.cells if c.country})
    compared = 0
    for country in countries:
        for seniority in (None, *POSTING_LEVELS):
            found = check(figures, country=country, seniority=seniority)
            if found.verdict is not None:
                compared += 1
                assert found.figure is not None
                assert found.figure.scope.startswith(country), (country, found.figure.scope)
    assert compared > 0


def test_a_thin_level_falls_back_to_all_levels_and_says_so(figures: MarketFigures) -> None:
    thin = next(
        (c.country, level)
        for c in figures.aijobs.cells
        for level in ("entry", "mid", "senior")
        if c.role_id == "ml-engineer"
        and c.country
        and c.level is None
        and c.year is None
        and c.pay_usd is not None
        and c.n >= 10
        and not any(
            d.role_id == "ml-engineer"
            and d.country == c.country
            and d.level == level
            and d.year is None
            and d.n >= 10
            for d in figures.aijobs.cells
        )
    )
    country, level = thin
    seniority = {v: k for k, v in POSTING_LEVELS.items()}[level]
    found = check(figures, country=country, seniority=seniority)
    assert found.verdict is not None and found.figure is not None
    assert "all levels" in found.figure.scope and "all levels" in found.note


def test_without_a_salary_or_a_role_there_is_nothing_to_compare(figures: MarketFigures) -> None:
    assert check(figures, low=None, high=None).note == "no salary stated"
    no_role = stated_salary_check(
        figures, None, country="US", seniority=None, low=1.0, high=2.0, currency="USD"
    )
    assert no_role.verdict is None and "not one of our roles" in no_role.note
