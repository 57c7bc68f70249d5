"""Tailoring moves a resume's own evidence forward for a posting and never adds a skill."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpivot.catalog import Catalog, default_catalog
from mlpivot.ingest.extract import extract_skills
from mlpivot.ingest.match import match_resume
from mlpivot.ingest.resume import parse_resume
from mlpivot.ingest.tailor import tailor_resume

POSTING = """Machine Learning Engineer

Requirements:
- Strong Python and PyTorch
- Docker and Kubernetes for serving models

Nice to have:
- Airflow
"""

BULLETS = [
    "Built billing services in Java and Spring",
    "Trained ranking models in PyTorch, cutting errors by 12%",
    "Ran the team's Kubernetes clusters on AWS",
    "Wrote internal dashboards in React",
    "Scheduled nightly jobs with Airflow",
    "Mentored four junior engineers",
    "Packaged services with Docker",
    "Designed PostgreSQL schemas for orders",
]
SKILL_ITEMS = ["Java", "Go", "PyTorch", "React", "Docker", "Kubernetes", "SQL", "Airflow"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def _resume_text(jobs: list[list[str]], skills: list[str]) -> str:
    out = ["Ada Example", "ada@example.example", "", "Experience", ""]
    for n, bullets in enumerate(jobs):
        out.append(f"Software Engineer, Company {n}  Jan {2015 + n} - Dec {2015 + n}")
        out += [f"- {b}" for b in bullets]
        out.append("")
    out += ["Skills", ", ".join(skills)]
    return "\n".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    jobs=st.lists(
        st.lists(st.sampled_from(BULLETS), min_size=1, max_size=6, unique=True),
        min_size=1,
        max_size=3,
    ),
    skills=st.lists(st.sampled_from(SKILL_ITEMS), min_size=0, max_size=8, unique=True),
)
def test_tailoring_never_adds_a_skill_or_a_line(
    catalog: Catalog, jobs: list[list[str]], skills: list[str]
) -> None:
    text = _resume_text(jobs, skills)
    resume = parse_resume(text.encode("utf-8"), "cv.txt", catalog=catalog)
    tailored = tailor_resume(resume, match_resume(resume, POSTING, catalog))
    # every skill found in the tailored copy is one the resume already names, in its own words
    # (the extractor reads a word like "Go" by its neighbours, so counts may shift with order)
    for mention in extract_skills(tailored.text, catalog):
        if mention.skill_id:
            assert mention.text.casefold() in resume.text.casefold(), mention
    before, after = resume.text.split("\n"), tailored.text.split("\n")
    assert len(after) == len(before)
    list_items = [sorted(line.split(", ")) for line in before]
    for line in after:
        assert line in before or sorted(line.split(", ")) in list_items
    assert set(tailored.skills) <= {m.text for m in resume.mentions}


def test_bullets_naming_required_skills_lead_each_job(catalog: Catalog) -> None:
    text = _resume_text([BULLETS[:4], BULLETS[4:]], ["Java", "React", "PyTorch", "Docker"])
    resume = parse_resume(text.encode("utf-8"), "cv.txt", catalog=catalog)
    tailored = tailor_resume(resume, match_resume(resume, POSTING, catalog))
    lines = tailored.text.split("\n")
    head = next(i for i, line in enumerate(lines) if "Company 0" in line)
    first_job = lines[head + 1 : head + 5]
    assert "PyTorch" in first_job[0] or "Kubernetes" in first_job[0]
    assert {"PyTorch", "Kubernetes"} <= {w.strip(",") for b in first_job[:2] for w in b.split()}
    assert first_job[2:] == [
        "- Built billing services in Java and Spring",
        "- Wrote internal dashboards in React",
    ], "the rest keep their order"
    skills_line = lines[-1]
    assert skills_line.index("PyTorch") < skills_line.index("Java")
    reasons = [c.reason for c in tailored.changes if c.kind == "moved-up"]
    assert reasons and all("(required)" in r for r in reasons)


def test_a_required_skill_the_resume_lacks_is_suggested_never_written(catalog: Catalog) -> None:
    text = _resume_text([["Wrote internal dashboards in React"]], ["React"])
    resume = parse_resume(text.encode("utf-8"), "cv.txt", catalog=catalog)
    tailored = tailor_resume(resume, match_resume(resume, POSTING, catalog))
    assert "PyTorch" not in tailored.text
    assert any("PyTorch" in s and "only if you have used it" in s for s in tailored.suggestions)
