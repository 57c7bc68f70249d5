"""The JSON API under /api/v1/ with personal tokens: its schema, what a script can do with a
token, and what a token (or its absence) cannot get round."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accounts_app import ORIGIN, AccountsApp, build
from mlpivot.store.accounts import AccountRole, ApiTokens
from mlpivot.store.cohorts import Cohorts, MemberRole


@pytest.fixture
def site(tmp_path: Path, database_url: str) -> Iterator[AccountsApp]:
    made = build(tmp_path, database_url)
    try:
        made.spring_cohort()
        yield made
    finally:
        made.services.close()


def _token(site: AccountsApp, key: str) -> dict[str, str]:
    with site.services.unit_of_work() as session:
        _, token = ApiTokens(session, site.people[key]).issue("test")
    return {"Authorization": f"Bearer {token}"}


def test_the_openapi_schema_is_served_and_lists_the_api(site: AccountsApp) -> None:
    schema = site.browser().get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/fit",
        "/api/v1/plan",
        "/api/v1/progress",
        "/api/v1/feedback",
        "/api/v1/cohorts",
        "/api/v1/profile",
        "/api/v1/gap/{role_id}",
        "/api/v1/quiz",
        "/api/v1/quiz/answers",
        "/api/v1/interviews",
        "/api/v1/interviews/{interview_id}",
        "/api/v1/interviews/{interview_id}/answers",
    ):
        assert path in paths
    assert site.browser().get("/api/docs").status_code == 404  # no CDN-loaded docs page


def test_a_script_with_a_token_builds_on_the_pages_work_and_a_mentor_scores_it(
    site: AccountsApp,
) -> None:
    ada = site.sign_in("ada")
    site.post(ada, "/profile", {"version": "0"})
    site.post(ada, "/plan", {"role": "ml-engineer"})
    script = site.browser()
    mine = _token(site, "ada")
    assert script.get("/api/v1/me", headers=mine).json()["name"] == "Ada"
    fits = script.get("/api/v1/fit", headers=mine).json()
    assert {f["role_id"] for f in fits} >= {"ml-engineer", "data-scientist"}
    plan = script.get("/api/v1/plan", headers=mine).json()
    skill = next(b["ref_id"] for w in plan["weeks"] for b in w["blocks"] if b["kind"] == "skill")
    logged = script.post("/api/v1/progress", json={"skill": skill, "hours": 2.5}, headers=mine)
    assert logged.status_code == 201 and logged.json()["hours_logged"] == 2.5
    bad = script.post("/api/v1/progress", json={"skill": skill, "hours": 500}, headers=mine)
    assert bad.status_code == 422
    (cohort,) = script.get("/api/v1/cohorts", headers=mine).json()
    assert cohort["my_role"] == "learner"
    mentor = _token(site, "max")
    ada_id = site.people["ada"].public_id
    view = script.get(f"/api/v1/cohorts/{cohort['public_id']}/learners/{ada_id}", headers=mentor)
    assert view.status_code == 200 and view.json()["progress"]["hours_logged"] == 2.5
    plan_id = view.json()["plan_id"]
    scored = script.post(
        f"/api/v1/cohorts/{cohort['public_id']}/learners/{ada_id}/feedback",
        json={"target": f"plan:{plan_id}", "score": 4, "comment": "Good order"},
        headers=mentor,
    )
    assert scored.status_code == 201
    too_high = script.post(
        f"/api/v1/cohorts/{cohort['public_id']}/learners/{ada_id}/feedback",
        json={"target": "general", "score": 6, "comment": "!"},
        headers=mentor,
    )
    assert too_high.status_code == 422
    foreign = script.post(
        f"/api/v1/cohorts/{cohort['public_id']}/learners/{ada_id}/feedback",
        json={"target": "plan:01a00000-0000-7000-8000-000000000000", "score": 1},
        headers=mentor,
    )
    assert foreign.status_code == 404  # not one of her plans
    (item,) = script.get("/api/v1/feedback", headers=mine).json()
    assert item["score"] == 4 and item["target_id"] == plan_id
    assert "Good order" in ada.get("/feedback").text  # and on her page


def test_a_bearer_call_needs_no_csrf_token_but_is_still_refused_cross_origin(
    site: AccountsApp,
) -> None:
    ada = site.sign_in("ada")
    site.post(ada, "/profile", {"version": "0"})
    site.post(ada, "/plan", {"role": "ml-engineer"})
    mine = _token(site, "ada")
    body = {"skill": "probability", "hours": 1.0}
    attacker = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    refused = site.browser().post("/api/v1/progress", json=body, headers={**mine, **attacker})
    assert refused.status_code == 403


def test_an_unsafe_api_call_with_a_bad_token_is_not_rescued_by_the_session_cookie(
    site: AccountsApp,
) -> None:
    ada = site.sign_in("ada")  # a browser with a valid session cookie
    answer = ada.post(
        "/api/v1/progress",
        json={"skill": "probability", "hours": 1.0},
        headers={"Authorization": "Bearer mlp_not-a-real-token"},
    )
    assert answer.status_code == 401
    no_token = TestClient(site.app, base_url=ORIGIN).get("/api/v1/fit")
    assert no_token.status_code == 401 and no_token.headers["www-authenticate"] == "Bearer"


def test_the_cohort_dashboard_and_its_csv_show_each_learners_standing(
    site: AccountsApp,
) -> None:
    with site.services.unit_of_work() as session:
        from mlpivot.store.accounts import Accounts

        sly = Accounts(session).create(
            "=HYPERLINK(1)", "sly@example.org", "a long password", AccountRole.LEARNER
        )
        ((cohort, _),) = Cohorts(session).visible_to(site.people["max"])
        Cohorts(session).join(cohort.id, sly, MemberRole.LEARNER)
    ada = site.sign_in("ada")
    site.post(ada, "/profile", {"version": "0"})
    site.post(ada, "/plan", {"role": "ml-engineer"})
    mentor = site.sign_in("max")
    page = mentor.get(f"/cohorts/{cohort.public_id}")
    assert 'id="dashboard"' in page.text and 'id="lacking"' in page.text
    assert "1 on track" in page.text and "1 no plan" in page.text
    exported = mentor.get(f"/cohorts/{cohort.public_id}/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0].startswith("learner,standing,role")
    assert any(line.startswith("Ada,on track,ml-engineer") for line in lines)
    assert any(line.startswith("'=HYPERLINK(1),no plan") for line in lines)  # not a formula
    assert 'id="dashboard"' not in ada.get(f"/cohorts/{cohort.public_id}").text  # learners: no
    assert ada.get(f"/cohorts/{cohort.public_id}/export.csv").status_code == 404


def test_a_script_runs_the_quiz_and_a_mock_interview_and_reads_the_mentors_score(
    site: AccountsApp,
) -> None:
    ada, max_ = _token(site, "ada"), _token(site, "max")
    api = site.browser()
    quiz = api.get("/api/v1/quiz", headers=ada).json()
    assert quiz["due"] == 0 and quiz["new"] > 0 and quiz["questions"]
    first = quiz["questions"][0]
    assert all("correct" not in str(o) for o in first["options"])  # the answer is not given away
    body = {"question_id": first["id"], "seconds": 5, "rating": 1}
    body |= {"choice": "A"} if first["type"] == "mcq" else {"answer": "I do not know."}
    answered = api.post("/api/v1/quiz/answers", json=body, headers=ada)
    assert answered.status_code == 201, answered.text
    assert answered.json()["rating"] == 1  # the script's own rating is kept
    again = api.get("/api/v1/quiz", headers=ada).json()
    assert first["id"] not in [q["id"] for q in again["questions"][: again["due"]]]
    assert again["new"] == quiz["new"] - 1  # one new card introduced today
    unknown = api.post(
        "/api/v1/quiz/answers", json={"question_id": "no-such-question"}, headers=ada
    )
    assert unknown.status_code == 404

    started = api.post(
        "/api/v1/interviews", json={"role_id": "ml-engineer", "minutes": 45}, headers=ada
    )
    assert started.status_code == 201, started.text
    mock = started.json()
    asked = mock["next_question"]
    assert mock["answers"] == [] and asked["number"] == 1 and mock["questions"] > 1
    path = f"/api/v1/interviews/{mock['public_id']}"
    reply = {"question_id": asked["question_id"], "answer": "Start from a simple baseline."}
    graded = api.post(path + "/answers", json=reply, headers=ada)
    assert graded.status_code == 201, graded.text
    assert 0 <= graded.json()["score_5"] <= 5 and graded.json()["model_answer"]
    stale = api.post(path + "/answers", json=reply, headers=ada)  # the same question again
    assert stale.status_code == 409
    now = api.get(path, headers=ada).json()
    assert len(now["answers"]) == 1 and now["next_question"]["number"] == 2
    assert api.get(path, headers=max_).status_code == 404  # a mentor reads it in the cohort

    cohort = api.get("/api/v1/cohorts", headers=max_).json()[0]["public_id"]
    learner = f"/api/v1/cohorts/{cohort}/learners/{site.people['ada'].public_id}"
    seen = api.get(learner, headers=max_).json()["interview_answers"]
    assert [a["public_id"] for a in seen] == [graded.json()["public_id"]]
    assert seen[0]["answer"] == "Start from a simple baseline."
    note = {"target": f"interview:{seen[0]['public_id']}", "score": 2, "comment": "Say why."}
    assert api.post(learner + "/feedback", json=note, headers=max_).status_code == 201
    (answer,) = api.get(path, headers=ada).json()["answers"]
    assert [(f["score"], f["comment"]) for f in answer["mentor_feedback"]] == [(2, "Say why.")]
