"""The web app for real: `mlpivot serve` in a subprocess, and headless Chromium driving it."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    return browser.new_page()


def test_health_answers_and_foreign_host_headers_are_refused(server: str) -> None:
    assert httpx.get(server + "/health").json()["status"] == "ok"
    refused = httpx.get(server + "/roles", headers={"Host": "evil.example"})
    assert refused.status_code == 403


def test_roles_page_in_chromium_lists_roles_and_loads_skills_with_htmx(server: str, page) -> None:  # type: ignore[no-untyped-def]
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(server) else outside.append(req.url))
    page.goto(server + "/roles")
    names = page.locator("li.role h2").all_inner_texts()
    assert any("ML Engineer" in n for n in names)
    assert any("Data Scientist" in n for n in names)
    page.locator("li[data-role='ml-engineer'] button").click()
    page.wait_for_selector("#skills-ml-engineer table tbody tr")
    rows = page.locator("#skills-ml-engineer table tbody tr").count()
    assert rows >= 10
    assert outside == []  # works offline: nothing fetched from a CDN


def test_unknown_role_page_is_a_plain_404(server: str) -> None:
    response = httpx.get(server + "/roles/astronaut")
    assert response.status_code == 404 and "there is no role" in response.text
