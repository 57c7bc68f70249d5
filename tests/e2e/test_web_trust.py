"""The journeys of issue 13 in a real browser: a mistake in the form is named by its field and
costs nothing typed, every page reads on a phone, the fit page leads with the ranking."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _onboard(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/profile")
    page.select_option("#rate\\:rate-python", "strong")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")


def test_a_wrong_field_is_named_next_to_it_and_every_answer_typed_stays(
    server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    page = browser.new_page()
    page.goto(server + "/profile")
    hours = page.locator("#hours_per_week")
    assert hours.get_attribute("required") is not None
    assert float(hours.get_attribute("max") or "nan") >= 40
    # the browser itself refuses 100 before sending (the field carries its limits)
    page.fill("#years_experience", "12")
    page.select_option("#rate\\:rate-sql", "strong")
    page.select_option("#interest\\:research", "love it")
    page.fill("#hours_per_week", "100")
    page.click("button[type=submit]")
    assert page.url.endswith("/profile")
    assert not hours.evaluate("el => el.checkValidity()")
    # and a page that skipped the browser's check gets the same answer from the server
    page.evaluate("document.getElementById('profile-form').noValidate = true")
    page.click("button[type=submit]")
    error = page.locator("#hours_per_week-error")
    error.wait_for()
    assert "100" in error.inner_text() and "80" in error.inner_text()
    assert page.locator("[role=alert]").inner_text().startswith("Nothing was saved")
    assert page.locator("#years_experience").input_value() == "12"
    assert page.locator("#rate\\:rate-sql").input_value() == "strong"
    assert page.locator("#interest\\:research").input_value() == "love it"
    assert hours.input_value() == "100"
    page.fill("#hours_per_week", "10")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")
    page.goto(server + "/profile")
    assert page.locator("#years_experience").input_value() == "12"
    assert page.locator("#rate\\:rate-sql").input_value() == "strong"


def test_no_page_scrolls_sideways_on_a_390_px_phone(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=PHONE)
    _onboard(page, server)
    page.goto(server + "/gap/ml-engineer")
    page.click("#make-plan")
    page.wait_for_url("**/plan")
    paths = ["/", "/roles", "/roles/ml-engineer", "/profile", "/fit", "/gap/ml-engineer", "/plan"]
    paths.append("/applications")
    wide: list[str] = []
    for path in paths:
        page.goto(server + path)
        page.wait_for_load_state("load")
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if sizes[0] > sizes[1]:
            wide.append(f"{path}: {sizes[0]} px wide in a {sizes[1]} px window")
    assert wide == []
    page.goto(server + "/plan")
    chart = page.locator("figure.timeline img")
    assert chart.bounding_box()["width"] <= PHONE["width"]


def test_the_fit_page_leads_with_the_ranking_in_bars_and_people_words(
    server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    page = browser.new_page()
    page.goto(server + "/profile")
    labels = page.locator("#current_role option").all_inner_texts()
    assert "ML Engineer" in labels
    assert not [t for t in labels if re.fullmatch(r"[a-z]+(-[a-z]+)+", t)], labels
    page.select_option("#rate\\:rate-python", "strong")
    page.select_option("#rate\\:rate-sql", "working")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")
    order = page.evaluate(
        "() => [...document.querySelectorAll('main > *')].map(e => e.id || e.className)"
    )
    assert order.index("ranking") < order.index("strengths")
    bars = page.locator(".bar.fit-bar").evaluate_all("els => els.map(e => +e.dataset.value)")
    assert len(bars) == page.locator("li.fit").count() == 7
    assert bars == sorted(bars, reverse=True) and bars[0] > 0
    assert page.locator("li.fit").first.locator("ul.parts .bar").count() == 3
    # the page's own figures (the engine's sentences are checked by the engine's tests)
    shown = page.locator("li.fit h2, .bar-row, ul.parts, .weeks").all_inner_texts()
    assert not [t for t in shown if re.search(r"(?<![\d.])0\.\d\d(?!\d)", t)], shown
    page.goto(server + "/roles/ml-engineer")
    assert (
        page.locator("table.skills .bar").count() == page.locator("table.skills tbody tr").count()
    )
    assert not re.search(r"(?<![\d.])0\.\d\d(?!\d)", page.locator("table.skills").inner_text())
