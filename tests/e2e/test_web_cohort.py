"""A cohort in real browsers against `mlpivot serve --workers 2` in accounts mode: the admin signs
in, creates a cohort and invites; a learner and a mentor accept; the learner builds a plan and
answers a mock-interview question; the mentor scores both; the learner sees the feedback on the
pages and through `mlpivot --server`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SECRET = "a-secret-every-worker-shares-0123456789"


def _mlpivot(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlpivot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )


def _invite(page, role: str) -> str:  # type: ignore[no-untyped-def]
    page.select_option("#invite-role", role)
    page.click("#make-invite")
    page.locator("#invite-link").wait_for()
    return str(page.locator("#invite-link code").inner_text())


def _accept(context, link: str, name: str, email: str) -> object:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(link)
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#password", "a long enough password")
    page.click("#accept")
    return page


def test_an_admin_invites_a_learner_and_a_mentor_whose_feedback_the_learner_sees(
    tmp_path: Path,
    database_url: str,
    port: int,
    serve_with,  # type: ignore[no-untyped-def]
    browser,  # type: ignore[no-untyped-def]
) -> None:
    env = {
        "MLPIVOT_DATA_DIR": str(tmp_path / "data"),
        "MLPIVOT_DATABASE_URL": database_url,
        "MLPIVOT_AUTH": "accounts",
        "MLPIVOT_SECRET_KEY": SECRET,
        "NO_COLOR": "1",
    }
    made = _mlpivot(
        env,
        "admin",
        "create",
        "--email",
        "root@example.org",
        "--password-stdin",
        stdin="the admin password\n",
    )
    assert made.returncode == 0, made.stderr
    with serve_with(port, ("--port", str(port), "--workers", "2"), env) as url:
        admin = browser.new_context().new_page()
        admin.goto(url + "/fit")
        admin.wait_for_url("**/login?next=/fit")
        admin.fill("#email", "root@example.org")
        admin.fill("#password", "the admin password")
        admin.click("#sign-in")
        admin.wait_for_url("**/profile")  # /fit, where the admin was going, sends to /profile
        admin.goto(url + "/admin")
        admin.fill("#cohort-name", "Winter 2027")
        admin.click("#create-cohort")
        admin.wait_for_url("**/cohorts/*")
        assert admin.locator("h1").inner_text() == "Winter 2027"
        learner_link = _invite(admin, "learner")
        mentor_link = _invite(admin, "mentor")
        assert learner_link.startswith(url + "/invite/") and learner_link != mentor_link

        learner = _accept(browser.new_context(), learner_link, "Lea Learner", "lea@example.org")
        learner.wait_for_url("**/profile")
        learner.select_option("#rate\\:rate-python", "strong")
        learner.click("text=See my fit")
        learner.wait_for_url("**/fit")
        learner.goto(url + "/gap/ml-engineer")
        learner.click("#make-plan")
        learner.wait_for_url("**/plan")
        learner.goto(url + "/interview")
        learner.select_option("#interview-role", "ml-engineer")
        learner.click("#interview-form button[type=submit]")
        learner.wait_for_url("**/interview/*")
        mock_url = learner.url
        learner.fill("#interview-answer", "Start from a simple baseline, then measure the error.")
        learner.click("#answer-and-stop")
        learner.locator("#last-score").wait_for()

        mentor_context = browser.new_context()
        mentor = _accept(mentor_context, mentor_link, "Max Mentor", "max@example.org")
        mentor.wait_for_url("**/cohorts")
        mentor.click("text=Winter 2027")
        mentor.click("text=Lea Learner")
        assert "ML Engineer" in mentor.locator("#learner-plan").inner_text()
        assert mentor.locator("#learner-progress").inner_text()
        mentor.select_option("#target", index=1)  # her plan
        mentor.fill("#score", "4")
        mentor.fill("#comment", "A sound order; add a project before deep learning.")
        mentor.click("#send-feedback")
        mentor.wait_for_url("**#feedback")
        shown = mentor.locator("#learner-interview-answers").inner_text()
        assert "Start from a simple baseline" in shown
        answer = mentor.locator('#target option[value^="interview:"]').get_attribute("value")
        mentor.select_option("#target", answer)
        mentor.fill("#score", "3")
        mentor.fill("#comment", "Say which baseline and why.")
        mentor.click("#send-feedback")
        mentor.wait_for_url("**#feedback")
        assert (
            "Say which baseline and why."
            in mentor.locator("#learner-interview-answers").inner_text()
        )
        # the invitation links were single-use
        reused = mentor_context.new_page()
        reused.goto(mentor_link)
        assert "already been used" in reused.content()

        learner.goto(url + "/feedback")
        feedback = learner.locator("#feedback-list").inner_text()
        assert "Max Mentor" in feedback and "4/5" in feedback and "add a project" in feedback
        assert "3/5" in feedback and "mock-interview answer" in feedback
        learner.goto(mock_url)
        beside = learner.locator("#mentor-feedback").inner_text()
        assert "Say which baseline and why." in beside and "3/5" in beside
        learner.goto(url + "/account")
        learner.fill("#token-name", "my laptop")
        learner.click("#make-token")
        token = learner.locator("#new-token code").inner_text()

        remote = _mlpivot({**env, "MLPIVOT_TOKEN": token}, "--server", url, "feedback", "--json")
        assert remote.returncode == 0, remote.stderr
        on_mock, item = json.loads(remote.stdout)  # newest first
        assert item["score"] == 4 and item["author"] == "Max Mentor"
        assert item["target_kind"] == "plan"
        assert on_mock["target_kind"] == "interview" and on_mock["score"] == 3
        with_token = {**env, "MLPIVOT_TOKEN": token}
        fit = _mlpivot(with_token, "--server", url, "fit", "--json")
        assert fit.returncode == 0, fit.stderr
        assert json.loads(fit.stdout)[0]["role_id"]  # her fit, ranked by the server
        gap = _mlpivot(with_token, "--server", url, "gap", "--role", "ml-engineer")
        assert gap.returncode == 0 and "Gap to ml-engineer" in gap.stdout, gap.stderr
        plan = _mlpivot(with_token, "--server", url, "plan")
        assert plan.returncode == 0 and "Plan for ML Engineer" in plan.stdout, plan.stderr
        progress = _mlpivot(with_token, "--server", url, "progress", "--json")
        assert progress.returncode == 0 and json.loads(progress.stdout)["hours_logged"] == 0
        for command in (("quiz",), ("plan", "--role", "data-scientist"), ("progress", "log", "x")):
            cannot = _mlpivot(with_token, "--server", url, *command)
            assert cannot.returncode == 1, (command, cannot.stderr)
            assert "cannot talk to a server yet" in cannot.stderr
        learner.click("#sign-out")
        learner.goto(url + "/feedback")
        learner.wait_for_url("**/login?next=/feedback")
