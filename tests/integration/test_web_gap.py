"""The gap page on a real SQLite file: a level nobody stated is labelled as inferred."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.catalog.models import EvidenceKind
from mlpivot.config import Settings
from mlpivot.engine.profile import Profile, SkillEvidence, profile_to_data
from mlpivot.store.repositories import Profiles
from mlpivot.web.app import create_app


def test_the_gap_page_labels_a_level_inferred_from_years_and_says_from_what(
    tmp_path: Path,
) -> None:
    services = Services(Settings(data_dir=tmp_path))
    try:
        person = Profile(
            current_role="software-engineer",
            years_experience=3,
            skills={
                "linear-algebra": (SkillEvidence(level=1, source=EvidenceKind.SELF),),
                "python": (SkillEvidence(level=3, source=EvidenceKind.SELF),),
            },
        )
        with services.local() as (session, user):
            Profiles(session, user).save(profile_to_data(person), expected_version=None)
        page = TestClient(create_app(services), base_url="http://127.0.0.1:8000").get(
            "/gap/ml-engineer"
        )
        assert page.status_code == 200
        row = re.search(r"<td>System design</td><td>(.*?)</td>", page.text)
        assert row and "familiar" in row.group(1) and "(inferred)" in row.group(1)
        stated = re.search(r"<td>Linear algebra</td><td>(.*?)</td>", page.text)
        assert stated and stated.group(1) == "familiar"
        assert "inferred from 3 years as Software Engineer" in page.text
    finally:
        services.close()


def test_the_gap_and_plan_pages_name_categories_and_round_hours(tmp_path: Path) -> None:
    services = Services(Settings(data_dir=tmp_path))
    try:
        person = Profile(
            years_experience=1,
            skills={"python": (SkillEvidence(level=2, source=EvidenceKind.SELF),)},
        )
        with services.local() as (session, user):
            Profiles(session, user).save(profile_to_data(person), expected_version=None)
        client = TestClient(create_app(services), base_url="http://127.0.0.1:8000")
        categories = {str(s.category) for s in services.catalog.skills.values()}
        for role in services.catalog.target_roles:
            page = client.get(f"/gap/{role.id}").text
            headings = set(re.findall(r"<h2>([^<]+)</h2>", page))
            assert not headings & categories, headings & categories
            hours = re.findall(r"<td>([^<]*\bh)</td>", page)
            assert hours and all(re.fullmatch(r"\d+ h|under 1 h", h) for h in hours), hours
    finally:
        services.close()
