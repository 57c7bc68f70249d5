"""The learner's own journey on the plan page, as the CLI has it: log hours, mark a skill done,
take the plan away in every export format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def _plan(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/profile")
    page.select_option("#rate\\:rate-python", "strong")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")
    page.goto(server + "/gap/ml-engineer")
    page.click("#make-plan")
    page.wait_for_url("**/plan")


def test_hours_are_logged_and_a_skill_marked_done_on_the_plan_page(
    server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    page = browser.new_page()
    _plan(page, server)
    assert "nothing marked done yet" in page.locator("#done-skills").inner_text()
    page.click("#log-link")
    page.wait_for_url("**/plan/log")
    skill = page.locator("#log-skill option").nth(0)
    name, value = skill.inner_text(), skill.get_attribute("value")
    assert value and name and name != value  # the person reads a name, not an id
    # a bad entry is refused with the range and keeps what was typed
    page.evaluate("document.getElementById('log-form').noValidate = true")
    page.select_option("#log-skill", value)
    page.fill("#log-hours", "500")
    page.check("#log-done")
    page.click("#log-form button[type=submit]")
    error = page.locator("#log-error")
    error.wait_for()
    assert "80" in error.inner_text() and "Nothing was logged" in error.inner_text()
    assert page.locator("#log-hours").input_value() == "500"
    assert page.locator("#log-done").is_checked()
    page.fill("#log-hours", "3")
    page.click("#log-form button[type=submit]")
    page.wait_for_url("**/plan#progress")
    assert name in page.locator("#done-skills").inner_text()
    assert "3" in page.locator("#progress-summary").inner_text()
    assert page.locator("#progress-bar .fill").count() == 1


@pytest.mark.parametrize(
    ("fmt", "starts"),
    [("ics", b"BEGIN:VCALENDAR"), ("md", b"# "), ("pdf", b"%PDF"), ("json", b"{")],
)
def test_the_plan_page_exports_the_plan(server: str, browser, fmt: str, starts: bytes) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    _plan(page, server)
    finish = page.locator("#finish").inner_text()
    with page.expect_download() as info:
        page.locator(f"#exports a[href='/plan/export/{fmt}']").click()
    download = info.value
    assert download.suggested_filename.endswith("." + fmt)
    body = Path(download.path()).read_bytes()
    assert body.startswith(starts)
    if fmt == "json":
        assert json.loads(body)["finish"] == finish
    elif fmt == "md":
        assert "ML Engineer" in body.decode()


RESUME = """\
## Experience
### ML Engineer, Octo Energy (2021-03 - present)
- Forecast smart meter demand with LightGBM and pandas; served with FastAPI on Docker
### Backend Engineer, Parcelly | Jan 2018 - Feb 2021
- Python services for parcel delivery routes on PostgreSQL
## Skills
Python, SQL, PyTorch
"""


def test_a_resume_uploaded_in_onboarding_fills_the_form_and_a_broken_one_is_named(
    server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    broken = tmp_path / "cv.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    page = browser.new_page()
    page.goto(server + "/profile")
    assert page.locator("#rate\\:rate-python").input_value() == "none"
    page.set_input_files("#resume", str(broken))
    page.click("#resume-form button[type=submit]")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "cv.pdf" in alert.inner_text() and "Nothing was changed" in alert.inner_text()
    good = tmp_path / "cv.md"
    good.write_text(RESUME, encoding="utf-8")
    page.set_input_files("#resume", str(good))
    page.click("#resume-form button[type=submit]")
    page.wait_for_url("**/profile?resume=1")
    assert page.locator("#rate\\:rate-python").input_value() != "none"
    assert page.locator("input[name=domains][value=energy]").is_checked()
    # saving the form untouched keeps the resume's evidence (the fit still counts Docker)
    page.click("#profile-form button[type=submit]")
    page.wait_for_url("**/fit")
    page.goto(server + "/profile")
    assert page.locator("#rate\\:rate-python").input_value() != "none"
