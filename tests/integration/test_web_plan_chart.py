"""/plan draws its chart once per stored plan version, and a new version gets a new chart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.config import Settings
from mlpivot.engine.profile import profile_from_data, profile_to_data
from mlpivot.store.repositories import Plans, Profiles
from mlpivot.web.app import create_app
from mlpivot.web.routes import planning

PROFILE = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "backend-python.yaml"
ORIGIN = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, Services]]:
    services = Services(Settings(data_dir=tmp_path))
    person = profile_from_data(
        yaml.safe_load(PROFILE.read_text(encoding="utf-8")), services.catalog, source="test"
    )
    with services.local() as (session, user):
        Profiles(session, user).save(profile_to_data(person), expected_version=None)
    with TestClient(create_app(services), base_url=ORIGIN) as test_client:
        yield test_client, services
    services.close()


def current_plan_key(services: Services) -> tuple[str, int]:
    with services.local() as (session, user):
        stored = Plans(session, user).current()
    assert stored is not None
    return stored.public_id, stored.version


def make_plan(http: TestClient, replace: bool = False) -> None:
    """Post the plan form as the browser would: with the page's own CSRF token (`replace`:
    the "follow the new plan" button, needed once a plan is followed)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/profile").text)
    assert token is not None
    made = http.post(
        "/plan",
        data={
            "role": "ml-engineer",
            "csrf_token": token.group(1),
            **({"replace": "1"} if replace else {}),
        },
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert made.status_code == 303


def test_the_plan_chart_is_drawn_once_per_version(client: tuple[TestClient, Services]) -> None:
    http, services = client
    make_plan(http)
    first = http.get("/plan")
    assert first.status_code == 200 and "data:image/svg+xml;base64," in first.text
    key = current_plan_key(services)
    drawn = [k for k in planning._charts if k[:2] == key]
    assert len(drawn) == 1
    chart = planning._charts[drawn[0]]
    again = http.get("/plan")
    assert again.text == first.text
    assert planning._charts[drawn[0]] is chart  # read back, not drawn again

    make_plan(http, replace=True)
    newer = current_plan_key(services)
    assert newer != key
    assert http.get("/plan").status_code == 200
    assert len([k for k in planning._charts if k[:2] == newer]) == 1


def test_a_plan_whose_chart_cannot_be_drawn_is_shown_without_it(
    client: tuple[TestClient, Services],
) -> None:
    """A title matplotlib cannot typeset (its `$...$` is read as maths) fails the drawing; the
    page still shows the plan, says the chart is missing and keeps the week-by-week table."""
    http, services = client
    make_plan(http)
    with services.local() as (session, user):
        stored = Plans(session, user).current()
        assert stored is not None
        data = stored.data
        block = next(b for w in data["weeks"] for b in w["blocks"])
        block["title"] = "Costs $\\unknowncommand{$ to run"
        Plans(session, user).add("ml-engineer", data)
    page = http.get("/plan")
    assert page.status_code == 200
    assert 'id="no-timeline"' in page.text
    assert "data:image/svg+xml" not in page.text
    assert "unknowncommand" in page.text  # the week table still names the block
