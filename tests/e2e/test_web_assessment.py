"""The onboarding in a real browser: answer the questionnaire, see the fit and a gap; and two
tabs saving the same profile version cannot both win."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_questionnaire_in_the_browser_leads_to_a_ranked_fit(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(server + "/profile")
    page.select_option("#interest\\:data-pipelines", "love it")
    page.select_option("#interest\\:research", "not at all")
    page.select_option("#rate\\:rate-python", "strong")
    page.select_option("#rate\\:rate-sql", "strong")
    page.check("input[name='domains'][value='finance']")
    page.fill("#hours_per_week", "6")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")
    roles = page.locator("li.fit").evaluate_all("els => els.map(e => e.dataset.role)")
    assert len(roles) == 7
    assert roles.index("data-engineer") < roles.index("research-scientist")
    assert "You cover" in page.locator("li.fit .explanation").first.inner_text()
    page.locator("li.fit a").first.click()
    page.wait_for_url("**/gap/*")
    assert page.locator("table.gap tbody tr").count() > 0


def test_two_tabs_saving_the_same_version_the_second_is_told_not_merged(
    server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    first, second = browser.new_page(), browser.new_page()
    first.goto(server + "/profile")
    second.goto(server + "/profile")
    first.fill("#hours_per_week", "5")
    first.click("button[type=submit]")
    first.wait_for_url("**/fit")
    second.fill("#hours_per_week", "20")
    second.click("button[type=submit]")
    alert = second.locator("[role=alert]")
    alert.wait_for()
    assert "changed since you opened it" in alert.inner_text()
    second.goto(server + "/profile")
    assert second.locator("#hours_per_week").input_value() == "5"  # the first save stands


def test_from_the_gap_page_a_plan_is_made_and_shown_with_its_timeline(
    server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    page = browser.new_page()
    page.goto(server + "/profile")
    page.select_option("#rate\\:rate-python", "strong")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")
    page.goto(server + "/gap/ml-engineer")
    page.click("#make-plan")
    page.wait_for_url("**/plan")
    assert "ML Engineer" in page.locator("h1").inner_text()
    assert page.locator("figure.timeline img").count() == 1
    weeks = page.locator("table.weeks tbody tr").count()
    assert weeks > 10
    assert (
        page.locator("#finish").inner_text()
        >= page.locator("table.weeks tbody tr td").nth(1).inner_text()
    )
