"""The market queries on small hand-made figures: thin cells, pay change, weights' source."""

from __future__ import annotations

import pytest

from mlpivot.catalog.market import (
    AijobsFigures,
    BlsFigures,
    DataJobsFigures,
    MarketFigures,
    OnetFigures,
    PayCell,
    Percentiles,
    QuotedPay,
    RoleRows,
    SkillDemand,
    SocLink,
    SourceInfo,
    SurveyFigures,
    SurveyRole,
    WageEstimate,
    WagePercentiles,
)
from mlpivot.engine.market import (
    MIN_WEIGHT_SAMPLE,
    compare_roles,
    market_weights,
    pay_comparison,
    pay_figures,
)
from mlpivot.errors import UserError

P = Percentiles(p10=80_000, p25=100_000, p50=120_000, p75=140_000, p90=160_000)
SE = Percentiles(p10=70_000, p25=90_000, p50=100_000, p75=120_000, p90=150_000)


def _source(source_id: str) -> SourceInfo:
    return SourceInfo(
        id=source_id,
        name=source_id,
        url="https://example.org",
        licence="x",
        attribution="x",
        years="2024",
        caveats=(f"{source_id} caveat",),
    )


def _cell(role: str, country: str | None, n: int, pay: Percentiles | None) -> PayCell:
    return PayCell(
        role_id=role,
        level=None,
        country=country,
        year=None,
        n=n,
        pay_usd=pay,
        n_with_duplicates=n * 2,
        median_usd_with_duplicates=pay.p50 if pay else None,
    )


def _demand(role: str, basis: str, size: int, group: str) -> SkillDemand:
    return SkillDemand(
        group=group,
        basis=basis,
        role_id=role,
        senior=None,
        postings=size,
        sample_size=size,
        skill_shares={"python": 0.8, "sql": 0.5},
        tool_shares={"python": 0.8, "sql": 0.5},
    )


@pytest.fixture
def figures() -> MarketFigures:
    return MarketFigures(
        sources=tuple(
            _source(s) for s in ("aijobs", "data-jobs", "bls-oews", "onet", "so-survey", "q")
        ),
        aijobs=AijobsFigures(
            duplicate_policy="identical rows once",
            rows_total=100,
            rows_distinct=60,
            levels={"SE": "senior"},
            cells=(
                _cell("ml-engineer", None, 40, P),
                _cell("ml-engineer", "GB", 3, None),
                _cell("software-engineer", None, 50, SE),
                _cell("software-engineer", "GB", 12, SE),
            ),
            role_rows=(RoleRows(role_id="ml-engineer", year=None, rows=40, share=0.4),),
            unmapped_titles=(),
        ),
        data_jobs=DataJobsFigures(
            rows_total=10,
            yearly_rows=10,
            hourly_rows_left_out=0,
            rows_left_out_of_country_figures=0,
            pay=(),
            demand=(
                _demand("ml-engineer", "role", 500, "all ml-engineer classes"),
                _demand("mlops-engineer", "title-pattern", MIN_WEIGHT_SAMPLE - 1, "t mlops"),
                _demand("ai-product-manager", "title-pattern", 5, "t pm"),
            ),
            class_counts=(),
            unmapped_tools=(),
            unmapped_countries=(),
        ),
        bls=BlsFigures(
            release="May 2025",
            year=2025,
            top_code_usd=239_200,
            topcoded_cells=0,
            cells_at_or_above_top_code=0,
            top_code_note="top-code note",
            links=(
                SocLink(role_id="software-engineer", soc_code="15-1252", fit="direct", note="SD"),
            ),
            estimates=(
                WageEstimate(
                    area_type="national",
                    area_code="0000000",
                    area_name="National",
                    soc_code="15-1252",
                    occupation="Software Developers",
                    employment=1_000,
                    annual_mean_usd=1,
                    annual_usd=WagePercentiles(p10=1, p25=2, p50=3, p75=4, p90=None),
                ),
            ),
        ),
        onet=OnetFigures(version="29.2", occupations=(), unmapped_names=()),
        so_survey=SurveyFigures(
            odbl_notice="ODbL",
            year=2024,
            roles=(
                SurveyRole(
                    dev_type="Developer, AI",
                    role_id="mlops-engineer",
                    respondents=200,
                    pay_usd=None,
                    skill_shares={"docker": 0.6},
                    tool_shares={"Docker": 0.6},
                ),
            ),
            unmapped_names=(),
        ),
        quoted=(
            QuotedPay(
                role_id="ml-engineer",
                label="MLE",
                amount=90_000,
                currency="GBP",
                statistic="average",
                country="GB",
                source="q",
                note="seed",
            ),
            QuotedPay(
                role_id="software-engineer",
                label="SWE",
                amount=80_000,
                currency="GBP",
                statistic="average",
                country="GB",
                source="q",
                note="seed",
            ),
        ),
    )


def test_thin_cell_says_not_enough_data_and_carries_no_number(figures: MarketFigures) -> None:
    row = pay_figures(figures, "ml-engineer", country="GB")[0]
    assert row.status == "not enough data"
    assert row.sample_size == 3
    assert row.percentiles is None
    assert row.median is None


def test_empty_cell_says_no_data(figures: MarketFigures) -> None:
    row = pay_figures(figures, "ml-engineer", country="FR")[0]
    assert row.status == "no data"
    assert row.sample_size == 0


def test_every_pay_figure_names_source_year_and_sample(figures: MarketFigures) -> None:
    for row in pay_figures(figures, "software-engineer"):
        assert row.source and row.year
        assert row.sample_kind
    aijobs = pay_figures(figures, "ml-engineer")[0]
    assert aijobs.median == 120_000
    assert any("n=80" in c for c in aijobs.caveats), "the duplicate policy's effect is shown"


def test_pay_change_is_against_software_engineer_from_the_same_source(
    figures: MarketFigures,
) -> None:
    result = pay_comparison(figures, "ml-engineer")
    assert result.reference_role_id == "software-engineer"
    aijobs = next(c for c in result.changes if c.source_id == "aijobs")
    assert (aijobs.target_median, aijobs.reference_median, aijobs.change) == (
        120_000,
        100_000,
        20_000,
    )
    assert aijobs.change_pct == 20.0


def test_pay_change_skipped_when_target_cell_is_thin(figures: MarketFigures) -> None:
    result = pay_comparison(figures, "ml-engineer", country="GB")
    assert not [c for c in result.changes if c.source_id == "aijobs"]
    quoted = next(c for c in result.changes if c.source_id == "q")
    assert (quoted.currency, quoted.change) == ("GBP", 10_000)


def test_us_official_figures_only_for_us_or_worldwide(figures: MarketFigures) -> None:
    assert any(r.source_id == "bls-oews" for r in pay_figures(figures, "software-engineer"))
    gb = pay_figures(figures, "software-engineer", country="gb")
    assert not any(r.source_id == "bls-oews" for r in gb)
    assert gb[0].scope.startswith("GB")


def test_market_weights_name_their_source_and_sample(figures: MarketFigures) -> None:
    weights = market_weights(figures, "ml-engineer")
    assert weights is not None
    assert weights.source == "data-jobs"
    assert weights.sample_size == 500
    assert all(0 <= v <= 1 for v in weights.weights.values())


def test_thin_postings_fall_to_the_survey_not_to_another_role(figures: MarketFigures) -> None:
    weights = market_weights(figures, "mlops-engineer")
    assert weights is not None
    assert weights.source == "so-survey"
    assert weights.weights == {"docker": 0.6}


def test_a_role_no_source_covers_gets_none(figures: MarketFigures) -> None:
    assert market_weights(figures, "ai-product-manager") is None
    assert market_weights(figures, "research-scientist") is None


def test_compare_always_adds_software_engineer(figures: MarketFigures) -> None:
    summaries = compare_roles(figures, ["ml-engineer"])
    assert [s.role_id for s in summaries] == ["ml-engineer", "software-engineer"]
    assert summaries[1].us_employment == 1_000
    assert summaries[0].weights_source is not None


def test_unknown_level_is_a_user_error(figures: MarketFigures) -> None:
    with pytest.raises(UserError, match="unknown level"):
        pay_figures(figures, "ml-engineer", level="guru")
