"""The committed market figures as frozen values.

The JSON files under ``mlpivot/figures/`` are written by ``mlpivot.ingest.market`` from the
raw public data and read back here; these models are the one schema both sides share, so a
rebuild that changes the shape fails loudly instead of drifting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FIGURES_DIR = Path(__file__).resolve().parents[1] / "figures"
THIN_CELL_ROWS = 10
"""A cell with fewer rows than this carries no number, only its sample size."""

AIJOBS_FILE = "aijobs_pay.json"
DATA_JOBS_FILE = "data_jobs_2023.json"
BLS_FILE = "bls_oews_2025.json"
ONET_FILE = "onet_technology.json"
SO_SURVEY_FILE = "so_survey_2024.json"
CITATIONS_FILE = "citations.json"
"""Sources and quoted figures, copied by the rebuild from the hand-written YAML beside it."""


class _Frozen(BaseModel):
    # defer_build: a process that reads the figures from the cache never validates, so it
    # never pays for building the validators.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Percentiles(_Frozen):
    """Annual pay in whole US dollars."""

    p10: int
    p25: int
    p50: int
    p75: int
    p90: int


class SourceInfo(_Frozen):
    id: str
    name: str
    url: str
    licence: str
    attribution: str
    years: str
    caveats: tuple[str, ...] = ()
    short: str = ""
    """the name a narrow table column shows ("aijobs.net", "BLS"); the id when not given"""

    @property
    def label(self) -> str:
        return self.short or self.id


class NameCount(_Frozen):
    name: str
    rows: int


class PayCell(_Frozen):
    """One role × level × country × year cell; ``None`` in a key means all values pooled."""

    role_id: str
    level: str | None
    country: str | None
    year: int | None
    n: int = Field(ge=0, description="distinct rows (the stated duplicate policy)")
    pay_usd: Percentiles | None = Field(description="None when n < THIN_CELL_ROWS")
    n_with_duplicates: int = Field(ge=0)
    median_usd_with_duplicates: int | None


class RoleRows(_Frozen):
    role_id: str
    year: int | None
    rows: int
    share: float = Field(ge=0, le=1)


class AijobsFigures(_Frozen):
    duplicate_policy: str
    rows_total: int
    rows_distinct: int
    levels: dict[str, str]
    cells: tuple[PayCell, ...]
    role_rows: tuple[RoleRows, ...]
    unmapped_titles: tuple[NameCount, ...]


class PostedPayCell(_Frozen):
    """Posted yearly pay (midpoint of the advertised range) for a posting class or a role."""

    group: str
    role_id: str
    senior: bool | None
    country: str | None
    n: int
    pay_usd: Percentiles | None


class SkillDemand(_Frozen):
    """Share of a group's postings naming each skill, out of the postings that name any tool."""

    group: str
    basis: Literal["class", "role", "title-pattern"]
    role_id: str
    senior: bool | None
    postings: int
    sample_size: int
    skill_shares: dict[str, float]
    tool_shares: dict[str, float]


class DataJobsFigures(_Frozen):
    rows_total: int
    yearly_rows: int
    hourly_rows_left_out: int
    rows_left_out_of_country_figures: int
    pay: tuple[PostedPayCell, ...]
    demand: tuple[SkillDemand, ...]
    class_counts: tuple[NameCount, ...]
    unmapped_tools: tuple[NameCount, ...]
    unmapped_countries: tuple[NameCount, ...]


class WagePercentiles(_Frozen):
    """BLS annual wage percentiles; a value is None when BLS withheld or top-coded it."""

    p10: int | None
    p25: int | None
    p50: int | None
    p75: int | None
    p90: int | None


class WageEstimate(_Frozen):
    area_type: Literal["national", "state", "metro"]
    area_code: str
    area_name: str
    soc_code: str
    occupation: str
    employment: int | None
    annual_mean_usd: int | None
    annual_usd: WagePercentiles | None
    topcoded: tuple[str, ...] = ()
    footnotes: str = ""


class SocLink(_Frozen):
    role_id: str
    soc_code: str
    fit: Literal["direct", "proxy"]
    note: str


class BlsFigures(_Frozen):
    release: str
    year: int
    top_code_usd: int
    topcoded_cells: int
    cells_at_or_above_top_code: int
    top_code_note: str
    links: tuple[SocLink, ...]
    estimates: tuple[WageEstimate, ...]


class Technology(_Frozen):
    name: str
    commodity: str
    hot: bool
    in_demand: bool
    skill_id: str | None


class OnetOccupation(_Frozen):
    code: str
    title: str
    role_ids: tuple[str, ...]
    technologies: tuple[Technology, ...]


class OnetFigures(_Frozen):
    version: str
    occupations: tuple[OnetOccupation, ...]
    unmapped_names: tuple[NameCount, ...]


class SurveyRole(_Frozen):
    dev_type: str
    role_id: str | None
    respondents: int
    pay_usd: Percentiles | None
    skill_shares: dict[str, float]
    tool_shares: dict[str, float]


class SurveyFigures(_Frozen):
    odbl_notice: str
    year: int
    roles: tuple[SurveyRole, ...]
    unmapped_names: tuple[NameCount, ...]


class QuotedPay(_Frozen):
    """A pay figure quoted by a seed article, kept with its citation (not derived by us)."""

    role_id: str
    label: str
    amount: int
    currency: str
    statistic: str
    country: str
    source: str
    note: str


class MarketFigures(_Frozen):
    sources: tuple[SourceInfo, ...]
    aijobs: AijobsFigures
    data_jobs: DataJobsFigures
    bls: BlsFigures
    onet: OnetFigures
    so_survey: SurveyFigures
    quoted: tuple[QuotedPay, ...]

    def source(self, source_id: str) -> SourceInfo:
        for info in self.sources:
            if info.id == source_id:
                return info
        raise KeyError(source_id)


FIGURE_FILES = (AIJOBS_FILE, DATA_JOBS_FILE, BLS_FILE, ONET_FILE, SO_SURVEY_FILE, CITATIONS_FILE)


def load_market(figures_dir: Path | None = None) -> MarketFigures:
    """Read the committed figures; a missing or malformed file raises, never half-loads.

    Checked figures are kept in the user cache folder like the catalog (`catalog.cache`), keyed
    by the bytes of every file and this code: validating 1.4 MB of JSON took a tenth of `fit`.
    """
    import hashlib

    from mlpivot.catalog.cache import read_cache, source_key, write_cache

    folder = figures_dir or FIGURES_DIR
    blobs = [(folder / name).read_bytes() for name in FIGURE_FILES]
    key = source_key(blobs, (Path(__file__),))
    name = f"market-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:20]}.pickle"
    found = read_cache("market", name, key, _market_classes())
    if isinstance(found, MarketFigures):
        return found
    figures = _read_market(folder)
    write_cache("market", name, key, figures)
    return figures


def _market_classes() -> frozenset[tuple[str, str]]:
    """The classes cached figures are made of: the models of this module, nothing else."""
    return frozenset(
        (__name__, name)
        for name, value in globals().items()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == __name__
    )


def _read_market(folder: Path) -> MarketFigures:
    citations = json.loads((folder / CITATIONS_FILE).read_text(encoding="utf-8"))
    if not isinstance(citations, dict):
        raise ValueError(f"{folder / CITATIONS_FILE}: expected an object with sources and quoted")
    # The large files go straight from bytes to models in pydantic-core, a third faster than
    # json.loads and then validating the Python objects.
    return MarketFigures.model_validate(
        {
            "sources": citations["sources"],
            "aijobs": AijobsFigures.model_validate_json((folder / AIJOBS_FILE).read_bytes()),
            "data_jobs": DataJobsFigures.model_validate_json(
                (folder / DATA_JOBS_FILE).read_bytes()
            ),
            "bls": BlsFigures.model_validate_json((folder / BLS_FILE).read_bytes()),
            "onet": OnetFigures.model_validate_json((folder / ONET_FILE).read_bytes()),
            "so_survey": SurveyFigures.model_validate_json((folder / SO_SURVEY_FILE).read_bytes()),
            "quoted": citations["quoted"],
        }
    )
