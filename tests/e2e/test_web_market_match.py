"""Pay and demand per role, and a resume against a posting, in a real browser (issue 13): like
compared with like and n on the page; the resume line behind every match; readable on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlpivot.catalog import Catalog

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "examples" / "profiles" / "backend-python.yaml"  # GB, with a salary
POSTINGS = REPO / "tests" / "data" / "postings"
PHONE = {"width": 390, "height": 844}
RESUME = """# Jane Example
jane@example.com

## Experience
### Senior Software Engineer, Acme Payments (Jan 2020 - Present)
- Built Python services with FastAPI serving 2M requests a day.
- Trained PyTorch models that score card fraud in real time.

## Skills
Python, SQL, Docker, Git, AWS
"""


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= window, f"{page.url}: {width} px wide in a {window} px window"


def test_pay_sets_like_against_like_with_n_and_a_salary_only_against_its_own_country(
    server: str,
    browser,  # type: ignore[no-untyped-def]
    cli,  # type: ignore[no-untyped-def]
    catalog: Catalog,
) -> None:
    assert cli("assess", "--profile", str(BACKEND)).returncode == 0
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/fit")
    page.locator("li.fit").first.get_by_text("Pay and demand").click()
    page.wait_for_url("**/market/ml-engineer")
    _no_sideways_scroll(page)
    # the person's own country first, with every row's n and the software-engineer figure
    # from the same source and place beside it
    assert page.locator("#country").input_value() == "GB"
    rows = page.locator("#pay-table tbody tr[data-source]")
    assert rows.count() >= 2
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[2] == "GB", cells
        assert re.fullmatch(r"[\d,]+|not stated", cells[3]), cells
    aijobs = page.locator('#pay-table tr[data-source="aijobs"] td').all_inner_texts()
    assert re.search(r"\$\d+k \(n=[\d,]+\)", aijobs[6]) and re.fullmatch(r"[+-]\d+%", aijobs[7])
    salary = page.locator("#salary-check").inner_text()
    assert "$92k" in salary and "GB" in salary and "above" in salary
    # another country: figures for it, and the salary is not set against them
    page.fill("#country", "us")
    page.click("#country-form button")
    page.wait_for_url("**/market/ml-engineer?country=us")
    wheres = page.locator("#pay-table tbody tr[data-source] td:nth-child(3)").all_inner_texts()
    assert wheres and set(wheres) == {"US"}
    salary = page.locator("#salary-check").inner_text()
    assert "not compared" in salary and "GB" in salary
    assert "above" not in salary and "below" not in salary
    # a country that is not one is named, and the page still answers
    page.fill("#country", "zz")
    page.click("#country-form button")
    assert "not a country code" in page.locator("#country-error").inner_text()
    # demand: skill names (not ids) with bars and the n behind them
    demand = page.locator("section.demand").first
    assert re.search(r"n=[\d,]+", demand.inner_text())
    names = demand.locator("tbody td:first-child").all_inner_texts()
    assert "Python" in names
    assert set(names) <= {s.name for s in catalog.skills.values()}, names
    assert demand.locator(".bar").count() == len(names)
    assert "ml-engineer" not in page.locator("main").inner_text()


def test_match_shows_required_and_nice_to_have_with_the_resume_line_behind_each(
    server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    resume = tmp_path / "jane.md"
    resume.write_text(RESUME, encoding="utf-8")
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/match")
    _no_sideways_scroll(page)
    posting = (POSTINGS / "mle-01.md").read_text(encoding="utf-8")
    # a mistake costs nothing typed: no resume chosen, the pasted posting stays
    page.fill("#posting_text", posting)
    page.evaluate("document.getElementById('match-form').noValidate = true")
    page.click("#match-form button[type=submit]")
    assert "resume" in page.locator("#resume-error").inner_text().lower()
    assert page.locator("#posting_text").input_value().strip() == posting.strip()
    page.set_input_files("#resume", str(resume))
    page.click("#match-form button[type=submit]")
    page.locator("#match-result").wait_for()
    _no_sideways_scroll(page)
    required = page.locator("#match-required tbody tr")
    nice = page.locator("#match-nice tbody tr")
    assert required.count() > 0 and nice.count() > 0
    python = page.locator('#match-required tr[data-skill="python"] td').all_inner_texts()
    assert python[1] == "shown in use" and "line 6" in python[2] and "FastAPI" in python[2]
    docker = page.locator('#match-required tr[data-skill="docker"] td').all_inner_texts()
    assert docker[1] == "listed only" and "Docker, Git" in docker[2]
    # "PyTorch or TensorFlow" is one requirement, met by the option the resume shows
    choice = page.locator('#match-required tr[data-skill="pytorch"] td').all_inner_texts()
    assert "PyTorch or TensorFlow" in choice[0] and "met by PyTorch" in choice[0]
    assert choice[1] == "shown in use" and "fraud" in choice[2]
    missing = page.locator("#match-required tr.status-missing td:nth-child(2)").all_inner_texts()
    assert missing and set(missing) == {"not on your resume"}
    assert page.locator("#required-bar").count() == 1
    assert not re.search(r"(?<![\d.])0\.\d\d", page.locator("#match-result").inner_text())


def test_the_new_pages_read_on_a_phone_and_are_linked_from_every_page(
    server: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    page = browser.new_page(viewport=PHONE)
    for path in ("/market", "/market/data-scientist", "/market/software-engineer", "/match"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        _no_sideways_scroll(page)
    page.goto(server + "/")
    page.click("nav >> text=Pay and demand")
    page.wait_for_url("**/market")
    page.click("text=Data Engineer")
    page.wait_for_url("**/market/data-engineer")
    page.goto(server + "/roles/ai-engineer")
    page.click("#market-link")
    page.wait_for_url("**/market/ai-engineer")
    page.click("nav >> text=Resume vs a job")
    page.wait_for_url("**/match")
