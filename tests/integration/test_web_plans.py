"""Plans in the browser on a real SQLite file (issue 13): trying a plan never replaces the one
followed; saved plans are listed and switchable; a role page's hours say which level they reach."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.catalog.models import EvidenceKind
from mlpivot.config import Settings
from mlpivot.engine.gap import cumulative_hours
from mlpivot.engine.profile import Profile, SkillEvidence, profile_to_data
from mlpivot.store.repositories import Plans, Profiles
from mlpivot.web.app import create_app

ORIGIN = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}


@dataclass
class App:
    client: TestClient
    services: Services
    db: Path
    token: str

    def post(self, path: str, **data: str) -> object:
        return self.client.post(path, data={**data, "csrf_token": self.token}, headers=SAME_ORIGIN)

    def followed(self) -> list[tuple[str, bool]]:
        with self.services.local() as (session, user):
            return [(p.role_id, p.is_current) for p in Plans(session, user).history()]

    def dump(self) -> str:
        with sqlite3.connect(self.db) as conn:
            return "\n".join(conn.iterdump())


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    services = Services(Settings(data_dir=tmp_path))
    person = Profile(
        years_experience=6,
        skills={"python": (SkillEvidence(level=3, source=EvidenceKind.SELF),)},
    )
    with services.local() as (session, user):
        Profiles(session, user).save(profile_to_data(person), expected_version=None)
    try:
        client = TestClient(create_app(services), base_url=ORIGIN, follow_redirects=False)
        found = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text)
        assert found
        yield App(client, services, tmp_path / "mlpivot.db", found.group(1))
    finally:
        services.close()


def test_a_second_plan_is_tried_beside_the_followed_one_and_followed_only_when_asked(
    app: App,
) -> None:
    assert app.post("/plan", role="ml-engineer").status_code == 303  # type: ignore[attr-defined]
    assert app.followed() == [("ml-engineer", True)]
    before = app.dump()
    tried = app.post("/plan", role="data-scientist")
    assert tried.status_code == 200  # type: ignore[attr-defined]
    text = tried.text  # type: ignore[attr-defined]
    assert "You follow a plan for ML Engineer" in text and "Data Scientist" in text
    assert 'name="replace" value="1"' in text
    assert app.dump() == before  # nothing saved, nothing followed
    assert app.post("/plan", role="data-scientist", replace="1").status_code == 303  # type: ignore[attr-defined]
    assert app.followed() == [("ml-engineer", False), ("data-scientist", True)]
    page = app.client.get("/plan").text
    old = re.search(r'<tr data-plan="([^"]+)"><td>ML Engineer</td>.*?Follow this one', page, re.S)
    assert old, "the plan no longer followed is listed with a button to follow it again"
    assert app.post("/plan/adopt", plan_id=old.group(1)).status_code == 303  # type: ignore[attr-defined]
    assert app.followed() == [("ml-engineer", True), ("data-scientist", False)]
    before = app.dump()
    unknown = app.post("/plan/adopt", plan_id="no-such-plan")
    assert unknown.status_code == 404 and "no-such-plan" in unknown.text  # type: ignore[attr-defined]
    assert app.dump() == before


def test_a_role_page_gives_hours_to_the_level_the_role_needs(app: App) -> None:
    catalog = app.services.catalog
    role = catalog.role("ml-engineer")
    strong = next(n for n in role.skills if n.level == 3)
    skill = catalog.skill(strong.skill)
    page = app.client.get("/roles/ml-engineer").text
    row = re.search(rf"<td>{re.escape(skill.name)}</td>.*?</tr>", page, re.S)
    assert row
    assert f"{round(cumulative_hours(skill, 3))} h to strong" in row.group(0)
    assert cumulative_hours(skill, 3) > skill.hours.working  # the old figure would be short


def test_the_plan_page_says_study_time_as_people_do(app: App) -> None:
    assert app.post("/plan", role="ml-engineer").status_code == 303  # type: ignore[attr-defined]
    page = app.client.get("/plan").text
    weeks = page.split('<table class="weeks">', 1)[1].split("</table>", 1)[0]
    times = re.findall(r"(?:</a>|[A-Za-z)]) (\d[\d.]*) (h|min)\b", weeks)
    assert times
    for amount, unit in times:
        if unit == "min":
            assert amount.isdigit() and int(amount) < 60
        else:
            assert float(amount) >= 1 and float(amount) * 2 == int(float(amount) * 2)
    assert not re.search(r"\d\.\d{2,}", weeks)
