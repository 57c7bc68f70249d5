"""Every main page passes axe-core with no serious or critical violation, at 1280 and 390 wide.

axe-core comes from PyPI (`axe-playwright-python`, a dev dependency that ships the Deque
`axe.min.js` with its licence); the test injects that file into each page after it loads, so
nothing is downloaded at run time and nothing third-party lives in this repository. The pages
are those of accounts mode as a learner, a mentor and an admin sees them, the ways in (sign-in,
an invitation, a password reset), and the single-user pages of a laptop install.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from accounts_app import PASSWORD, SECRET, build
from cli_process import free_port
from mlpivot.engine.review import Rating, Review
from mlpivot.store.accounts import AccountRole, LinkKind, OneTimeLinks
from mlpivot.store.cohorts import Cohorts, Feedback, FeedbackTarget, MemberRole
from mlpivot.store.repositories import Cards, Interviews

pytestmark = pytest.mark.browser

AXE_JS = Path(str(files("axe_playwright_python") / "axe.min.js"))
WIDTHS = {"desktop": 1280, "phone": 390}
BLOCKING = ("serious", "critical")


def _violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the loaded page, one line each."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def _check(browser: Any, url: str, paths: list[str], sign_in: str | None = None) -> list[str]:
    found: list[str] = []
    for label, width in WIDTHS.items():
        # the app's Content-Security-Policy rightly refuses injected script: lift it for axe only
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        if sign_in is not None:
            page.goto(url + "/login")
            page.fill("#email", f"{sign_in}@example.org")
            page.fill("#password", PASSWORD)
            page.click("#sign-in")
            page.wait_for_load_state()
        for path in paths:
            answer = page.goto(url + path)
            assert answer is not None and answer.status < 400, f"{path}: {answer and answer.status}"
            found += [f"{path} [{label}, {sign_in or 'anonymous'}] {v}" for v in _violations(page)]
        context.close()
    return found


def _seed(tmp_path: Path, database_url: str) -> dict[str, str]:
    """A cohort with a learner who has a profile, a plan, quiz answers, a mock interview with
    an answer and a mentor's feedback on it and in general; returns the ids and one-time tokens
    the pages need."""
    site = build(tmp_path / "seed", database_url)
    try:
        site.make("ada")
        site.make("mentor", AccountRole.MENTOR)
        site.make("root", AccountRole.ADMIN)
        people = site.people
        now = datetime.now(UTC)
        with site.services.unit_of_work() as session:
            cohort = Cohorts(session).create("Spring cohort", people["root"])
            Cohorts(session).join(cohort.id, people["ada"], MemberRole.LEARNER)
            Cohorts(session).join(cohort.id, people["mentor"], MemberRole.MENTOR)
            links = OneTimeLinks(session)
            invite = links.issue(
                LinkKind.INVITE,
                created_by=people["root"].id,
                now=now,
                lifetime=timedelta(days=1),
                cohort_id=cohort.id,
                role=AccountRole.LEARNER,
            )
            reset = links.issue(
                LinkKind.RESET,
                created_by=people["root"].id,
                now=now,
                lifetime=timedelta(days=1),
                user_id=people["mentor"].id,
            )
        ada = site.sign_in("ada")
        assert site.post(ada, "/profile", {"version": "0"}).status_code == 303
        assert site.post(ada, "/plan", {"role": "ml-engineer"}).status_code == 303
        started = site.post(ada, "/interview", {"role": "ml-engineer", "minutes": "45"})
        interview = started.headers["location"]
        page = ada.get(interview).text
        question = re.search(r'name="question_id" value="([^"]+)"', page)
        assert question is not None
        answered = site.post(
            ada,
            interview + "/answer",
            {"question_id": question.group(1), "answer": "Bias is error from wrong assumptions."},
        )
        assert answered.status_code == 303
        with site.services.owned(people["ada"].id) as (session, owner):
            Cards(session, owner).log(Review("q-bias-variance", Rating.GOOD, now, True, 30.0))
            Feedback(session, people["ada"]).add(
                people["mentor"], cohort, FeedbackTarget.GENERAL, None, 4, "A good start", now
            )
            (mock,) = Interviews(session, owner).all()
            Feedback(session, people["ada"]).add(
                people["mentor"],
                cohort,
                FeedbackTarget.INTERVIEW,
                mock.answers[0].public_id,
                3,
                "Name the trade-off",
                now,
            )
        return {
            "cohort": cohort.public_id,
            "learner": people["ada"].public_id,
            "interview": interview,
            "invite": invite,
            "reset": reset,
        }
    finally:
        site.services.close()


def test_accounts_mode_pages_have_no_serious_accessibility_violation(
    tmp_path: Path,
    database_url: str,
    serve_with,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    ids = _seed(tmp_path, database_url)
    env = {
        "MLPIVOT_DATABASE_URL": database_url,
        "MLPIVOT_AUTH": "accounts",
        "MLPIVOT_SECRET_KEY": SECRET,
    }
    port = free_port()
    cohort = f"/cohorts/{ids['cohort']}"
    learner_pages = [
        "/",
        "/roles",
        "/roles/ml-engineer",
        "/market",
        "/market/ml-engineer",
        "/profile",
        "/fit",
        "/gap/ml-engineer",
        "/plan",
        "/plan/log",
        "/quiz",
        "/quiz/mastery",
        "/interview",
        ids["interview"],
        "/feedback",
        "/match",
        "/applications",
        "/account",
        "/cohorts",
        cohort,
    ]
    with serve_with(port, ("--port", str(port)), env) as url:
        found = _check(browser, url, ["/login", f"/invite/{ids['invite']}"])
        found += _check(browser, url, [f"/reset/{ids['reset']}"])
        found += _check(browser, url, learner_pages, sign_in="ada")
        found += _check(
            browser, url, [cohort, f"{cohort}/learners/{ids['learner']}"], sign_in="mentor"
        )
        found += _check(browser, url, ["/admin", cohort], sign_in="root")
    assert found == [], "\n".join(found)


def test_single_user_pages_have_no_serious_accessibility_violation(
    serve_with,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    port = free_port()
    with serve_with(port, ("--port", str(port))) as url:
        setup = browser.new_context().new_page()
        setup.goto(url + "/profile")
        setup.click("text=See my fit")
        setup.wait_for_url("**/fit")
        setup.goto(url + "/gap/ml-engineer")
        setup.click("#make-plan")
        setup.wait_for_url("**/plan")
        setup.context.close()
        pages = ["/", "/profile", "/fit", "/gap/ml-engineer", "/plan", "/quiz", "/interview"]
        pages += ["/market", "/match", "/applications", "/roles/ml-engineer"]
        found = _check(browser, url, pages)
    assert found == [], "\n".join(found)
