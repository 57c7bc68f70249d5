"""A resume read well and a posting read well give a match a person can act on: each
requirement once (a choice counts once), required apart from nice to have, and for each one met
the resume line behind it and the job that line is under."""

from __future__ import annotations

import functools
from datetime import date

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.match import MatchReport, SkillMatch, match_resume
from mlpivot.ingest.posting import parse_posting
from mlpivot.ingest.resume import parse_resume

POSTING = """Machine Learning Engineer
Harrowgate Freight - Remote

## Requirements
- Hands-on experience with PyTorch or TensorFlow
- Docker for packaging services

## Nice to have
- Kubernetes
"""


@functools.cache
def _catalog() -> Catalog:
    return load_catalog()


def _match(resume_text: str) -> MatchReport:
    catalog = _catalog()
    resume = parse_resume(resume_text.encode(), "cv.md", catalog=catalog, today=date(2026, 3, 15))
    return match_resume(resume, parse_posting(POSTING, catalog), catalog)


def _by_skill(report: MatchReport) -> dict[str, SkillMatch]:
    return {m.skill_id: m for m in (*report.shown, *report.missing)}


def test_each_requirement_met_names_the_resume_line_and_the_job_behind_it() -> None:
    report = _match(
        "Experience\nData Scientist, Pellow Retail, 2019 – Present\n"
        "- Demand forecasting models in PyTorch, served nightly\n"
        "Skills\nPython, Docker\n"
    )
    found = _by_skill(report)
    choice = found["pytorch"]
    assert choice.need == "required" and choice.alternatives == ("tensorflow",)
    assert choice.where == "used"
    assert choice.resume_line == "Demand forecasting models in PyTorch, served nightly"
    assert choice.resume_job == "Data Scientist, Pellow Retail (2019-01 to now)"
    docker = found["docker"]
    assert docker.where == "listed" and docker.resume_job is None
    assert found["kubernetes"].need == "nice" and found["kubernetes"].where is None
    # The choice is one requirement: two required in all, one nice to have.
    every = (*report.shown, *report.missing)
    assert sorted(m.need for m in every) == ["nice", "required", "required"]


def test_a_job_without_dates_still_carries_its_lines_into_the_match() -> None:
    report = _match(
        "Experience\nData Scientist — Pellow Retail\n"
        "- Demand forecasting models in TensorFlow\n- Packaged them with Docker\n"
    )
    found = _by_skill(report)
    choice = found["tensorflow"]
    assert choice.where == "used"
    assert choice.resume_job == "Data Scientist, Pellow Retail (no dates)"
    assert found["docker"].where == "used"
