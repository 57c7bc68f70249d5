"""The committed market figures against the raw public data they come from.

Recomputes figures straight from the raw rows (standard library only, independent of the
builder's code path) and checks the product's figures agree; and that a rebuild reproduces
the committed files byte for byte.
"""

from __future__ import annotations

import csv
import os
import re
import statistics
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mlpivot.catalog.market import FIGURES_DIR, THIN_CELL_ROWS, MarketFigures, load_market
from mlpivot.engine.market import aijobs_cell, market_weights, pay_figures
from mlpivot.ingest.market import build_market_files

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("MLPIVOT_SHARED_DATA", REPO.parent / "shared" / "data"))

RAW_SOURCES = (
    "aijobs-salaries",
    "bls-oews-2025",
    "data-jobs-2023-salaried",
    "onet-29.2",
    "so-survey-2024-data-roles",
)


@pytest.fixture(autouse=True, scope="module")
def _raw_data(require_shared_data: Callable[..., Path]) -> None:
    require_shared_data(*RAW_SOURCES)


@pytest.fixture(scope="module")
def figures() -> MarketFigures:
    return load_market()


@pytest.fixture(scope="module")
def aijobs_rows() -> list[dict[str, str]]:
    with (SHARED_DATA / "aijobs-salaries" / "salaries.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _distinct(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for r in rows:
        key = tuple(r.values())
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def test_rebuild_reproduces_the_committed_figures_byte_for_byte() -> None:
    files, _ = build_market_files(SHARED_DATA, FIGURES_DIR)
    for name, text in files.items():
        committed = (FIGURES_DIR / name).read_text(encoding="utf-8")
        assert text == committed, f"{name} differs from a fresh rebuild; rerun the rebuild"


def test_committed_figures_are_small() -> None:
    total = sum(p.stat().st_size for p in FIGURES_DIR.iterdir())
    assert total < 4_000_000


def test_mle_us_median_matches_an_independent_recomputation(
    figures: MarketFigures, aijobs_rows: list[dict[str, str]]
) -> None:
    picked = [
        float(r["salary_in_usd"])
        for r in _distinct(aijobs_rows)
        if r["job_title"] == "Machine Learning Engineer" and r["employee_residence"] == "US"
    ]
    product = pay_figures(figures, "ml-engineer", country="US")[0]
    # The role pools every title listed for it in title_roles.yaml; recompute that pool here.
    titles = yaml.safe_load((FIGURES_DIR / "title_roles.yaml").read_text())["aijobs"]
    role_values = [
        float(r["salary_in_usd"])
        for r in _distinct(aijobs_rows)
        if r["job_title"] in titles["ml-engineer"] and r["employee_residence"] == "US"
    ]
    assert product.sample_size == len(role_values)
    assert product.median == round(statistics.median(role_values))
    # The exact title is most of the role, so the two medians sit close together.
    assert len(picked) > 0.75 * len(role_values)
    assert abs(statistics.median(picked) - statistics.median(role_values)) < 10_000


def test_duplicate_policy_counts_identical_rows_once(
    figures: MarketFigures, aijobs_rows: list[dict[str, str]]
) -> None:
    assert figures.aijobs.rows_total == len(aijobs_rows) == 74_301
    assert figures.aijobs.rows_distinct == len(_distinct(aijobs_rows))
    cell = aijobs_cell(figures, "data-scientist", "US", None, None)
    assert cell is not None
    titles = yaml.safe_load((FIGURES_DIR / "title_roles.yaml").read_text())["aijobs"]
    every = [
        float(r["salary_in_usd"])
        for r in aijobs_rows
        if r["job_title"] in titles["data-scientist"] and r["employee_residence"] == "US"
    ]
    assert cell.n_with_duplicates == len(every) > cell.n
    assert cell.median_usd_with_duplicates == round(statistics.median(every))


def test_thin_cells_carry_no_number(figures: MarketFigures) -> None:
    thin = [c for c in figures.aijobs.cells if c.n < THIN_CELL_ROWS]
    assert thin, "the real data has thin cells"
    assert all(c.pay_usd is None for c in thin)
    assert all(c.pay_usd is not None for c in figures.aijobs.cells if c.n >= THIN_CELL_ROWS)
    assert all(c.pay_usd is None for c in figures.data_jobs.pay if c.n < THIN_CELL_ROWS)


def test_pay_is_in_usd_per_year(figures: MarketFigures, aijobs_rows: list[dict[str, str]]) -> None:
    gb = [
        r
        for r in _distinct(aijobs_rows)
        if r["job_title"] == "Data Scientist" and r["employee_residence"] == "GB"
    ]
    assert any(r["salary_currency"] == "GBP" for r in gb), "raw GB rows are in pounds"
    cell = aijobs_cell(figures, "data-scientist", "GB", None, None)
    assert cell is not None and cell.pay_usd is not None
    assert 20_000 < cell.pay_usd.p50 < 400_000
    row = pay_figures(figures, "data-scientist", country="GB")[0]
    assert row.currency == "USD"


def test_posted_pay_uses_yearly_postings_only(figures: MarketFigures) -> None:
    path = SHARED_DATA / "data-jobs-2023-salaried" / "data_jobs_salary_all.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    values = [
        float(r["salary_year_avg"])
        for r in rows
        if r["job_title_short"] == "Machine Learning Engineer"
        and r["salary_rate"] == "year"
        and r["job_country"] == "United States"
    ]
    cell = next(
        c
        for c in figures.data_jobs.pay
        if c.group == "Machine Learning Engineer" and c.country == "US"
    )
    assert cell.n == len(values)
    assert cell.pay_usd is not None and cell.pay_usd.p50 == round(statistics.median(values))
    assert figures.data_jobs.hourly_rows_left_out == sum(r["salary_rate"] == "hour" for r in rows)


def test_skill_share_matches_a_count_of_raw_postings(figures: MarketFigures) -> None:
    path = SHARED_DATA / "data-jobs-2023-salaried" / "data_jobs_salary_all.csv"
    with path.open(newline="") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["job_title_short"] == "Machine Learning Engineer" and r["job_skills"]
        ]
    naming_pytorch = sum(1 for r in rows if "'pytorch'" in r["job_skills"])
    weights = market_weights(figures, "ml-engineer")
    assert weights is not None and weights.sample_size == len(rows)
    assert weights.weights["pytorch"] == round(naming_pytorch / len(rows), 4)


def test_bls_top_code_note_is_stated_and_checked(figures: MarketFigures) -> None:
    assert figures.bls.top_code_usd == 239_200
    assert "$239,200" in figures.bls.top_code_note
    flagged = 0
    at_or_above = 0
    for name in (
        "oews_national_all_occupations.csv",
        "oews_states_computer_math_15xxxx.csv",
        "oews_metros_computer_math_15xxxx.csv",
    ):
        with (SHARED_DATA / "bls-oews-2025" / name).open(newline="") as handle:
            for r in csv.DictReader(handle):
                flagged += len(re.findall(r":5(;|$)", r["footnotes"]))
                flagged += sum(r[c] == "#" for c in r if c.startswith("annual_"))
                at_or_above += sum(
                    1
                    for c in (
                        "annual_p10",
                        "annual_p25",
                        "annual_median",
                        "annual_p75",
                        "annual_p90",
                    )
                    if r[c] not in ("", "-", "#") and float(r[c]) >= 239_200
                )
    assert figures.bls.topcoded_cells == flagged
    assert figures.bls.cells_at_or_above_top_code == at_or_above
    ds = pay_figures(figures, "data-scientist", country="US")
    bls = next(r for r in ds if r.source_id == "bls-oews")
    assert bls.percentiles == {
        "p10": 67_240,
        "p25": 85_660,
        "p50": 120_230,
        "p75": 158_880,
        "p90": 199_130,
    }
    assert figures.bls.top_code_note in bls.caveats


def test_title_mapping_is_data_and_unmapped_titles_are_listed(
    figures: MarketFigures, aijobs_rows: list[dict[str, str]]
) -> None:
    titles = yaml.safe_load((FIGURES_DIR / "title_roles.yaml").read_text())["aijobs"]
    mapped = {t for ts in titles.values() for t in ts}
    assert len(mapped) == sum(len(ts) for ts in titles.values()), "a title maps to one role"
    raw = {r["job_title"] for r in aijobs_rows}
    listed = {n.name for n in figures.aijobs.unmapped_titles}
    assert listed == raw - mapped
    assert "Machine Learning Engineer" in titles["ml-engineer"]
    assert "Data Analyst" in listed


def test_no_market_data_for_a_role_no_source_covers(figures: MarketFigures) -> None:
    assert market_weights(figures, "ai-product-manager") is None
    for role in ("ml-engineer", "data-scientist", "data-engineer", "software-engineer"):
        weights = market_weights(figures, role)
        assert weights is not None and weights.sample_size >= 30


def test_survey_figures_carry_the_odbl_notice() -> None:
    text = (FIGURES_DIR / "so_survey_2024.json").read_text(encoding="utf-8")
    assert "Open Database License" in text
    sources = (FIGURES_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "ODbL" in sources
