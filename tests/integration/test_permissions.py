"""Who may do what in accounts mode, tried route by route from the app's own route table.

`RULES` names, for every (method, route) the app has, who may use it. The test reads the route
table, so a route added without a rule fails here with its name, and a rule left for a route
that is gone fails too. Every route is then called as six people: nobody signed in, the learner
the URL is about (Ada), another learner (Bob, in another cohort), a mentor of another cohort, a
mentor of Ada's cohort, and an admin. Allowed means the route ran (a page, a JSON answer, or a
redirect that is not to /login); refused means 401/403/404 or a redirect to /login. Every
allowed unsafe call here sends a valid form, so "allowed" is an action done, not a 400.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uuid_utils
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from accounts_app import PASSWORD, SAME_ORIGIN, AccountsApp, build
from mlpivot.engine.quiz_pool import quiz_questions
from mlpivot.engine.review import Rating, Review
from mlpivot.store.accounts import AccountRole, ApiTokens, LinkKind, OneTimeLinks
from mlpivot.store.cohorts import Cohorts, Feedback, FeedbackTarget, MemberRole, StoredCohort
from mlpivot.store.job_search import Applications
from mlpivot.store.repositories import Cards, Interviews, Plans, Profiles
from mlpivot.web.csrf import SAFE_METHODS
from mlpivot.web.routes.practice import answer_interview, interview_loop, start_interview

ANONYMOUS, ADA, BOB, MENTOR_B, MENTOR_A, ADMIN = (
    "anonymous",
    "ada",
    "bob",
    "mentor_b",
    "mentor_a",
    "root",
)
ACTORS = (ANONYMOUS, ADA, BOB, MENTOR_B, MENTOR_A, ADMIN)
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {ANONYMOUS}
ADMIN_ONLY = frozenset({ADMIN})
ADAS_COHORT = frozenset({ADA, MENTOR_A, ADMIN})
ADAS_MENTORS = frozenset({MENTOR_A, ADMIN})
ADA_ONLY = frozenset({ADA})

RULES: dict[tuple[str, str], frozenset[str]] = {
    # the catalog and the way in
    ("GET", "/"): EVERYONE,
    ("GET", "/roles"): EVERYONE,
    ("GET", "/roles/{role_id}"): EVERYONE,
    ("GET", "/static"): EVERYONE,
    ("GET", "/health"): EVERYONE,
    ("GET", "/api/v1/openapi.json"): EVERYONE,
    ("GET", "/market"): EVERYONE,
    ("GET", "/market/{role_id}"): EVERYONE,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/logout"): EVERYONE,
    ("GET", "/invite/{token}"): EVERYONE,  # whoever holds the link
    ("POST", "/invite/{token}"): EVERYONE,
    ("GET", "/reset/{token}"): EVERYONE,
    ("POST", "/reset/{token}"): EVERYONE,
    # one's own data: every signed-in person, each on their own
    ("GET", "/profile"): SIGNED_IN,
    ("POST", "/profile"): SIGNED_IN,
    ("POST", "/profile/resume"): SIGNED_IN,
    ("GET", "/fit"): SIGNED_IN,
    ("GET", "/gap/{role_id}"): SIGNED_IN,
    ("POST", "/plan"): SIGNED_IN,
    ("GET", "/plan"): SIGNED_IN,
    ("GET", "/plan/log"): SIGNED_IN,
    ("POST", "/plan/progress"): SIGNED_IN,
    ("GET", "/plan/export/{export_format}"): SIGNED_IN,
    ("GET", "/feedback"): SIGNED_IN,
    ("GET", "/account"): SIGNED_IN,
    ("POST", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens/{token_id}/revoke"): ADA_ONLY,  # Ada's token
    ("GET", "/cohorts"): SIGNED_IN,
    ("GET", "/match"): SIGNED_IN,
    ("POST", "/match"): SIGNED_IN,
    ("POST", "/plan/adopt"): ADA_ONLY,  # one of Ada's saved plans
    ("GET", "/applications"): SIGNED_IN,
    ("POST", "/applications"): SIGNED_IN,
    ("POST", "/applications/{application_id}/move"): ADA_ONLY,  # Ada's application
    ("GET", "/quiz"): SIGNED_IN,
    ("POST", "/quiz/answer"): SIGNED_IN,
    ("POST", "/quiz/rate"): SIGNED_IN,
    ("GET", "/quiz/mastery"): SIGNED_IN,
    ("GET", "/interview"): SIGNED_IN,
    ("POST", "/interview"): SIGNED_IN,
    ("GET", "/interview/{public_id}"): ADA_ONLY,  # Ada's mock interview
    ("POST", "/interview/{public_id}/answer"): ADA_ONLY,
    ("POST", "/interview/{public_id}/plan"): ADA_ONLY,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("GET", "/api/v1/profile"): SIGNED_IN,
    ("GET", "/api/v1/fit"): SIGNED_IN,
    ("GET", "/api/v1/gap/{role_id}"): SIGNED_IN,
    ("GET", "/api/v1/plan"): SIGNED_IN,
    ("GET", "/api/v1/progress"): SIGNED_IN,
    ("POST", "/api/v1/progress"): SIGNED_IN,
    ("GET", "/api/v1/feedback"): SIGNED_IN,
    ("GET", "/api/v1/cohorts"): SIGNED_IN,
    ("GET", "/api/v1/quiz"): SIGNED_IN,
    ("POST", "/api/v1/quiz/answers"): SIGNED_IN,
    ("GET", "/api/v1/interviews"): SIGNED_IN,
    ("POST", "/api/v1/interviews"): SIGNED_IN,
    ("GET", "/api/v1/interviews/{interview_id}"): ADA_ONLY,  # Ada's mock interview
    ("POST", "/api/v1/interviews/{interview_id}/answers"): ADA_ONLY,
    # a cohort: its members; a learner's work: the cohort's mentors; running it: admins
    ("GET", "/cohorts/{cohort_id}"): ADAS_COHORT,
    ("GET", "/api/v1/cohorts/{cohort_id}"): ADAS_COHORT,
    ("GET", "/cohorts/{cohort_id}/learners/{learner_id}"): ADAS_MENTORS,
    ("GET", "/cohorts/{cohort_id}/export.csv"): ADAS_MENTORS,
    ("POST", "/cohorts/{cohort_id}/learners/{learner_id}/feedback"): ADAS_MENTORS,
    ("GET", "/api/v1/cohorts/{cohort_id}/learners/{learner_id}"): ADAS_MENTORS,
    ("POST", "/api/v1/cohorts/{cohort_id}/learners/{learner_id}/feedback"): ADAS_MENTORS,
    ("POST", "/cohorts/{cohort_id}/invites"): ADMIN_ONLY,
    ("GET", "/admin"): ADMIN_ONLY,
    ("POST", "/admin/cohorts"): ADMIN_ONLY,
    ("POST", "/admin/accounts/{account_id}/reset"): ADMIN_ONLY,
}

RESUME = b"""# Zed Example
Backend engineer, 6 years.

## Experience
- Built Python services with Docker and PostgreSQL; wrote SQL reports.
"""


@dataclass
class World:
    site: AccountsApp
    cohort_a: StoredCohort
    cohort_c: StoredCohort
    spare_token_id: str
    interview_id: str
    mcq_id: str
    application_id: str
    api_tokens: dict[str, str]
    clients: dict[str, TestClient]
    counter: Iterator[int]

    def client(self, actor: str) -> TestClient:
        if actor not in self.clients:
            self.clients[actor] = (
                self.site.browser() if actor == ANONYMOUS else self.site.sign_in(actor)
            )
        return self.clients[actor]


def _seed(site: AccountsApp) -> World:
    for key in (ADA, BOB):
        site.make(key)
    for key in (MENTOR_A, MENTOR_B):
        site.make(key, AccountRole.MENTOR)
    site.make(ADMIN, AccountRole.ADMIN)
    site.make("zed")  # whose password the reset links change: not one of the six
    people = site.people
    with site.services.unit_of_work() as session:
        cohorts = Cohorts(session)
        cohort_a = cohorts.create("Cohort A", people[ADMIN])
        cohort_b = cohorts.create("Cohort B", people[ADMIN])
        cohort_c = cohorts.create("Cohort C (invitations land here)", people[ADMIN])
        cohorts.join(cohort_a.id, people[ADA], MemberRole.LEARNER)
        cohorts.join(cohort_a.id, people[MENTOR_A], MemberRole.MENTOR)
        cohorts.join(cohort_b.id, people[BOB], MemberRole.LEARNER)
        cohorts.join(cohort_b.id, people[MENTOR_B], MemberRole.MENTOR)
        spare, _ = ApiTokens(session, people[ADA]).issue("spare")
        api_tokens = {
            key: ApiTokens(session, people[key]).issue("matrix")[1]
            for key in ACTORS
            if key != ANONYMOUS
        }
    world = World(
        site, cohort_a, cohort_c, spare.public_id, "", "", "", api_tokens, {}, itertools.count()
    )
    for key in SIGNED_IN:  # everyone has a profile and a plan, so "allowed" shows a page
        client = world.client(key)
        assert site.post(client, "/profile", {"version": "0"}).status_code == 303
        assert site.post(client, "/plan", {"role": "ml-engineer"}).status_code == 303
    now = datetime.now(UTC)
    with site.services.owned(people[ADA].id) as (session, owner):
        Cards(session, owner).log(Review("q-bias-variance", Rating.GOOD, now, True, 30.0))
        Feedback(session, people[ADA]).add(
            people[MENTOR_A], cohort_a, FeedbackTarget.GENERAL, None, 4, "Good start", now
        )
        world.interview_id = Interviews(session, owner).start("ml-engineer", 45, now)
        world.application_id = (
            Applications(session, owner)
            .add(company="Acme", title="ML Engineer", stage="applied", on=now.date(), role_id=None)
            .public_id
        )
    questions = quiz_questions(site.services.catalog, [])
    world.mcq_id = next(q for q, found in sorted(questions.items()) if found.type == "mcq")
    return world


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    site = build(tmp_path, database_url, login_failures_per_address=10_000)
    try:
        yield _seed(site)
    finally:
        site.services.close()


def _fresh_link(world: World, kind: LinkKind) -> str:
    people = world.site.people
    with world.site.services.unit_of_work() as session:
        return OneTimeLinks(session).issue(
            kind,
            created_by=people[ADMIN].id,
            now=datetime.now(UTC),
            lifetime=timedelta(hours=1),
            cohort_id=world.cohort_c.id if kind is LinkKind.INVITE else None,
            role=AccountRole.LEARNER if kind is LinkKind.INVITE else None,
            user_id=people["zed"].id if kind is LinkKind.RESET else None,
        )


def _path_value(world: World, route: str, name: str) -> str:
    people = world.site.people
    samples: dict[str, Callable[[], str]] = {
        "role_id": lambda: "ml-engineer",
        "export_format": lambda: "json",
        "cohort_id": lambda: world.cohort_a.public_id,
        "learner_id": lambda: people[ADA].public_id,
        "account_id": lambda: people["zed"].public_id,
        "token_id": lambda: world.spare_token_id,
        "public_id": lambda: world.interview_id,
        "interview_id": lambda: world.interview_id,
        "application_id": lambda: world.application_id,
        "token": lambda: _fresh_link(
            world, LinkKind.INVITE if route.startswith("/invite") else LinkKind.RESET
        ),
    }
    if name not in samples:
        pytest.fail(f"route {route} takes '{name}': give it a sample in test_permissions.py")
    return samples[name]()


def _own_plan_skill(world: World, actor: str) -> str:
    with world.site.services.owned(world.site.people[actor].id) as (session, owner):
        stored = Plans(session, owner).current()
    assert stored is not None
    return next(
        b["ref_id"] for w in stored.data["weeks"] for b in w["blocks"] if b["kind"] == "skill"
    )


def _current_question(world: World, actor: str) -> str:
    """The question Ada's mock interview asks now (what her own page would send back)."""
    mock, loop = interview_loop(world.site.services, world.site.people[actor], world.interview_id)
    return loop.items[min(len(mock.answers), len(loop.items) - 1)].question_id


def _ada_plan_id(world: World) -> str:
    with world.site.services.owned(world.site.people[ADA].id) as (session, owner):
        stored = Plans(session, owner).current()
    assert stored is not None
    return stored.public_id


def _application_version(world: World) -> str:
    with world.site.services.owned(world.site.people[ADA].id) as (session, owner):
        return str(Applications(session, owner).get(world.application_id).version)


def _profile_version(world: World, actor: str) -> str:
    with world.site.services.owned(world.site.people[actor].id) as (session, owner):
        stored = Profiles(session, owner).get()
    return str(stored.version if stored else 0)


def _body(world: World, method: str, route: str, actor: str) -> dict[str, Any]:
    """A valid form (or JSON body) for the route, as the actor's own page would send it."""
    n = next(world.counter)
    signed = actor != ANONYMOUS
    forms: dict[str, Callable[[], dict[str, Any]]] = {
        "/login": lambda: {
            "email": f"{actor if signed else 'zed'}@example.org",
            "password": PASSWORD,
        },
        "/invite/{token}": lambda: {
            "name": f"New {n}",
            "email": f"new{n}@example.org",
            "password": "a long enough password",
        },
        "/reset/{token}": lambda: {"password": PASSWORD},
        "/profile": lambda: {"version": _profile_version(world, actor)} if signed else {},
        "/plan": lambda: {"role": "data-scientist"},
        "/plan/progress": lambda: (
            {"skill": _own_plan_skill(world, actor), "hours": "1.5"} if signed else {}
        ),
        "/account/tokens": lambda: {"name": f"token {n}"},
        "/quiz/answer": lambda: {
            "question_id": world.mcq_id,
            "choice": "A",
            "shown_at": datetime.now(UTC).isoformat(),
        },
        "/quiz/rate": lambda: {
            "question_id": world.mcq_id,
            "rating": "3",
            "seconds": "12",
            "correct": "1",
        },
        "/interview": lambda: {"role": "ml-engineer", "minutes": "45"},
        "/applications": lambda: {"company": f"Company {n}", "title": "ML Engineer"},
        "/plan/adopt": lambda: {"plan_id": _ada_plan_id(world)},
        "/match": lambda: {
            "posting_text": "ML Engineer. Required: Python, SQL, Docker, PyTorch. "
            "Nice to have: Kubernetes.",
            "use_stored": "1",
        },
        "/applications/{application_id}/move": lambda: {
            "stage": "screen",
            "expected_version": _application_version(world),
        },
        "/admin/cohorts": lambda: {"name": f"Cohort {n}"},
        "/cohorts/{cohort_id}/invites": lambda: {"role": "mentor"},
        "/cohorts/{cohort_id}/learners/{learner_id}/feedback": lambda: {
            "target": "general",
            "score": "3",
            "comment": f"Comment {n}",
        },
        "/api/v1/progress": lambda: (
            {"skill": _own_plan_skill(world, actor), "hours": 2.0} if signed else {}
        ),
        "/api/v1/quiz/answers": lambda: {"question_id": world.mcq_id, "choice": "A", "seconds": 9},
        "/api/v1/interviews": lambda: {"role_id": "ml-engineer", "minutes": 45},
        "/api/v1/interviews/{interview_id}/answers": lambda: {
            "question_id": _current_question(world, ADA),
            "answer": f"Answer {n}: bias is error from wrong assumptions.",
        },
        "/api/v1/cohorts/{cohort_id}/learners/{learner_id}/feedback": lambda: {
            "target": "general",
            "score": 5,
            "comment": f"API comment {n}",
        },
    }
    if method in SAFE_METHODS:
        return {}
    return forms.get(route, dict)()


@dataclass(frozen=True)
class RouteCall:
    method: str
    route: str
    path_params: tuple[str, ...]


def _route_table(world: World) -> list[RouteCall]:
    calls: list[RouteCall] = []
    for context in iter_route_contexts(world.site.app.routes):
        original = context.original_route
        if isinstance(original, Mount):
            calls.append(RouteCall("GET", original.path, ()))
            continue
        assert context.path is not None
        methods = sorted(context.methods or ()) if isinstance(original, APIRoute) else ["GET"]
        for method in methods:
            calls.append(RouteCall(method, context.path, tuple(context.param_convertors)))
    return calls


def _call(world: World, call: RouteCall, actor: str) -> httpx.Response:
    site = world.site
    path = call.route
    for name in call.path_params:
        path = path.replace("{" + name + "}", _path_value(world, call.route, name))
    if call.route == "/static":
        path = "/static/mlpivot.css"
    body = _body(world, call.method, call.route, actor)
    if call.route.startswith("/api/"):
        headers = (
            {"Authorization": f"Bearer {world.api_tokens[actor]}"} if actor != ANONYMOUS else {}
        )
        client = site.browser()  # a script: no cookies, only its token
        return client.request(call.method, path, json=body or None, headers=headers)
    client = world.client(actor)
    if call.method in SAFE_METHODS:
        return client.request(call.method, path)
    files = (
        {"resume": ("cv.md", RESUME, "text/markdown")} if call.route.endswith("/resume") else None
    )
    data = {**body, "csrf_token": site.token(client)}
    answer = client.request(call.method, path, data=data, files=files, headers=SAME_ORIGIN)
    if call.route in ("/logout", "/reset/{token}") or (
        call.route == "/login" and actor == ANONYMOUS
    ):
        world.clients.pop(actor, None)  # signed out, or now signed in as zed: a new browser next

    return answer


def _allowed(answer: httpx.Response) -> bool:
    if answer.status_code in (401, 403, 404):
        return False
    return not answer.headers.get("location", "").startswith("/login")


def test_every_route_has_a_rule_and_only_the_people_it_names_get_through(world: World) -> None:
    calls = _route_table(world)
    table = {(c.method, c.route) for c in calls}
    unruled = sorted(table - set(RULES))
    assert not unruled, f"routes with no rule in RULES (say who may use them): {unruled}"
    stale = sorted(set(RULES) - table)
    assert not stale, f"rules for routes the app no longer has: {stale}"
    failures: list[str] = []
    for call in calls:
        allowed = RULES[(call.method, call.route)]
        for actor in ACTORS:
            answer = _call(world, call, actor)
            got = _allowed(answer)
            if got != (actor in allowed):
                failures.append(
                    f"{call.method} {call.route} as {actor}: {answer.status_code} "
                    f"{answer.headers.get('location', '')} (expected "
                    f"{'allowed' if actor in allowed else 'refused'})"
                )
            elif got and answer.status_code >= 400:
                failures.append(
                    f"{call.method} {call.route} as {actor}: allowed but answered "
                    f"{answer.status_code}: {answer.text[:200]}"
                )
    assert failures == [], "\n".join(failures)


def test_a_mentor_cannot_reach_a_learner_by_guessing_ids(world: World) -> None:
    """Public ids are UUIDv7: 74 random bits after the timestamp. Ids made in a row share no
    guessable pattern, and every neighbour of a real id, every id from the same millisecond
    with other random bits, and the database's integer keys all answer 404."""
    people = world.site.people
    with world.site.services.unit_of_work() as session:
        made = [Cohorts(session).create(f"probe {i}", people[ADMIN]).public_id for i in range(50)]
    parsed = [uuid_utils.UUID(m) for m in made]
    assert all(p.version == 7 for p in parsed)
    randoms = [p.int & ((1 << 62) - 1) for p in parsed]  # the variant's 62 random low bits
    gaps = {b - a for a, b in itertools.pairwise(randoms)}
    assert len(set(randoms)) == len(randoms) and len(gaps) == len(randoms) - 1
    assert min(bin(a ^ b).count("1") for a, b in itertools.pairwise(randoms)) > 5
    mentor = world.client(MENTOR_A)
    cohort = world.cohort_a.public_id
    real = uuid_utils.UUID(people[ADA].public_id)
    assert mentor.get(f"/cohorts/{cohort}/learners/{real}").status_code == 200
    guesses = [str(uuid_utils.UUID(int=real.int + d)) for d in range(-40, 41) if d]
    guesses += [str(uuid_utils.UUID(int=real.int ^ (1 << bit))) for bit in range(62)]
    guesses += [str(people[key].id) for key in (BOB, MENTOR_B, "zed")]
    guesses += [people[BOB].public_id]  # a real learner, of another cohort
    for guess in guesses:
        answer = mentor.get(f"/cohorts/{cohort}/learners/{guess}")
        assert answer.status_code == 404, guess


def test_in_accounts_mode_every_unsafe_route_still_refuses_forged_calls(world: World) -> None:
    """Being signed in (as the admin, who may do most) is no pass for another site's form or a
    call without this browser's token; a bearer call from another origin is refused too."""
    attacker = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    admin = world.client(ADMIN)
    token = world.site.token(admin)
    failures: list[str] = []
    for call in _route_table(world):
        if call.method in SAFE_METHODS:
            continue
        path = call.route
        for name in call.path_params:
            path = path.replace("{" + name + "}", _path_value(world, call.route, name))
        body = _body(world, call.method, call.route, ADMIN)
        if call.route.startswith("/api/"):
            bearer = {"Authorization": f"Bearer {world.api_tokens[ADMIN]}"}
            answer = world.site.browser().post(path, json=body, headers={**bearer, **attacker})
            tries = [("bearer, cross-origin", answer)]
        else:
            tries = [
                (
                    "cross-origin",
                    admin.post(path, data={**body, "csrf_token": token}, headers=attacker),
                ),
                ("no token", admin.post(path, data=body, headers=SAME_ORIGIN)),
            ]
        for what, answer in tries:
            if answer.status_code != 403 or "Nothing was changed" not in answer.text:
                failures.append(f"POST {call.route}, {what}: {answer.status_code}")
    assert failures == [], "\n".join(failures)


def _answered_interview(world: World, actor: str) -> tuple[str, str]:
    """A mock interview of `actor` with one answer: (interview id, answer id)."""
    services, person = world.site.services, world.site.people[actor]
    mock_id = start_interview(services, person, "ml-engineer", 45)
    mock, loop = interview_loop(services, person, mock_id)
    answer_interview(
        services,
        person,
        mock_id,
        loop.items[0].question_id,
        "Bias is error from wrong assumptions; variance is sensitivity to the sample.",
        60.0,
        stop=False,
        now=datetime.now(UTC),
    )
    mock, _ = interview_loop(services, person, mock_id)
    return mock_id, mock.answers[0].public_id


def test_a_mentor_cannot_reach_a_learner_outside_their_cohorts_through_any_id(
    world: World,
) -> None:
    """Ada's mentor tries every route that takes an id with the ids of Bob (a learner of
    another cohort): Bob's cohort, Bob through Ada's cohort, Bob's interview, application and
    token, Bob's interview answer and plan as a feedback target. Every try is refused and
    Bob's feedback stays empty; the same calls with Ada's ids go through."""
    people, services = world.site.people, world.site.services
    with services.unit_of_work() as session:
        cohort_b = next(
            c for c, _ in Cohorts(session).visible_to(people[ADMIN]) if c.name == "Cohort B"
        )
        bob_token, _ = ApiTokens(session, people[BOB]).issue("bob's")
    bob_interview, bob_answer = _answered_interview(world, BOB)
    _, ada_answer = _answered_interview(world, ADA)
    with services.owned(people[BOB].id) as (session, owner):
        bob_application = (
            Applications(session, owner)
            .add(
                company="Initech",
                title="ML Engineer",
                stage="applied",
                on=date.today(),
                role_id=None,
            )
            .public_id
        )
        bob_plan = Plans(session, owner).current()
    assert bob_plan is not None
    bobs = {
        "learner_id": people[BOB].public_id,
        "public_id": bob_interview,
        "interview_id": bob_interview,
        "application_id": bob_application,
        "token_id": bob_token.public_id,
        "account_id": people[BOB].public_id,
    }
    ids = set(bobs) | {"cohort_id"}
    mentor = world.client(MENTOR_A)
    token = world.site.token(mentor)
    bearer = {"Authorization": f"Bearer {world.api_tokens[MENTOR_A]}"}
    failures: list[str] = []
    tried = 0
    for call in _route_table(world):
        if not ids & set(call.path_params):
            continue
        for cohort in (cohort_b.public_id, world.cohort_a.public_id):
            path = call.route
            for name in call.path_params:
                value = cohort if name == "cohort_id" else bobs.get(name)
                value = value or _path_value(world, call.route, name)
                path = path.replace("{" + name + "}", value)
            if path == call.route.replace("{cohort_id}", world.cohort_a.public_id):
                continue  # only Ada's cohort, nobody of Bob's: the matrix covers it
            body = _body(world, call.method, call.route, MENTOR_A)
            if call.route.startswith("/api/"):
                answer = world.site.browser().request(
                    call.method, path, json=body or None, headers=bearer
                )
            elif call.method in SAFE_METHODS:
                answer = mentor.get(path)
            else:
                answer = mentor.post(path, data={**body, "csrf_token": token}, headers=SAME_ORIGIN)
            tried += 1
            if _allowed(answer):
                failures.append(f"{call.method} {path}: {answer.status_code}")
    ada_route = f"/cohorts/{world.cohort_a.public_id}/learners/{people[ADA].public_id}/feedback"
    for target in (f"interview:{bob_answer}", f"plan:{bob_plan.public_id}"):
        tried += 2
        form = {"target": target, "score": "1", "comment": "not yours", "csrf_token": token}
        page = mentor.post(ada_route, data=form, headers=SAME_ORIGIN)
        api = world.site.browser().post(
            "/api/v1" + ada_route,
            json={"target": target, "score": 1, "comment": "not yours"},
            headers=bearer,
        )
        for what, answer in (("page", page), ("api", api)):
            if answer.status_code not in (400, 404):
                failures.append(f"feedback on Bob's {target} via {what}: {answer.status_code}")
    assert failures == [], "\n".join(failures)
    assert tried >= 20
    with services.unit_of_work() as session:
        assert Feedback(session, people[BOB]).all() == []
    # the same mentor does reach Ada's answer, and Ada reads the note beside it
    done = world.site.browser().post(
        f"/api/v1/cohorts/{world.cohort_a.public_id}/learners/{people[ADA].public_id}/feedback",
        json={"target": f"interview:{ada_answer}", "score": 3, "comment": "Name the trade-off."},
        headers=bearer,
    )
    assert done.status_code == 201, done.text
    mine = world.site.browser().get(
        "/api/v1/interviews", headers={"Authorization": f"Bearer {world.api_tokens[ADA]}"}
    )
    notes = [
        f
        for m in mine.json()
        for a in m["answers"]
        if a["public_id"] == ada_answer
        for f in a["mentor_feedback"]
    ]
    assert [(f["score"], f["comment"], f["author"]) for f in notes] == [
        (3, "Name the trade-off.", people[MENTOR_A].name)
    ]
