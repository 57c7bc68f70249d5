"""The web app against the browser it runs in, route by route, read from the app's own table.

Every route the app has, now or later, is called here without anyone listing it: an unsafe one
(POST, PUT, PATCH, DELETE…) from another origin, or without the token, must answer 403 and leave
the SQLite database byte for byte as it was; a GET one must leave it as it was too. Sample values
for path parameters and form fields come from the catalog by parameter name, so a new route with
a known parameter is covered at once, and one with an unknown parameter fails loudly here.
"""

from __future__ import annotations

import re
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog
from mlpivot.config import AuthMode, Settings
from mlpivot.errors import AuthError
from mlpivot.store.repositories import Profiles
from mlpivot.web.app import STATIC_DIR, create_app
from mlpivot.web.csrf import COOKIE_NAME, SAFE_METHODS, bearer_only, rotate_csrf_session
from mlpivot.web.secret import KEY_FILE_NAME, signing_key
from mlpivot.web.security_headers import SECURITY_HEADERS
from mlpivot.web.templating import TEMPLATES_DIR

APP_ORIGIN = "http://127.0.0.1:8000"
ATTACKER = {"Origin": "http://127.0.0.1:9999", "Sec-Fetch-Site": "same-site"}
SAME_ORIGIN = {"Origin": APP_ORIGIN, "Sec-Fetch-Site": "same-origin"}


def _profile_version(services: Services) -> str:
    with services.local() as (session, user):
        stored = Profiles(session, user).get()
    return str(stored.version if stored else 0)


def _interview_id(services: Services) -> str:
    """A stored mock interview (made once, then reused): its pages are routes like the others."""
    from datetime import UTC, datetime

    from mlpivot.store.repositories import Interviews

    with services.local() as (session, user):
        store = Interviews(session, user)
        found = store.all()
        if found:
            return found[0].public_id
        role = services.catalog.target_roles[0].id
        return store.start(role, 45, datetime(2027, 3, 1, 18, tzinfo=UTC))


def _application_id(services: Services) -> str:
    """A tracked application (made once, then reused): the board's move route takes its id."""
    from datetime import date

    from mlpivot.store.job_search import Applications

    with services.local() as (session, user):
        store = Applications(session, user)
        found = store.all()
        if found:
            return found[0].public_id
        return store.add(
            company="Acme", title="ML Engineer", stage="applied", on=date(2027, 3, 1)
        ).public_id


def _application_version(services: Services) -> str:
    from mlpivot.store.job_search import Applications

    with services.local() as (session, user):
        return str(Applications(session, user).get(_application_id(services)).version)


SAMPLES: dict[str, Callable[[Services], str]] = {
    # path parameters and form fields, by name: a route that names one is covered at once.
    # Values a real page would send, so that a forgery that got through would change something.
    "role_id": lambda s: s.catalog.target_roles[0].id,
    "role": lambda s: s.catalog.target_roles[0].id,
    "skill_id": lambda s: sorted(s.catalog.skills)[0],
    "version": _profile_version,  # the version the profile form carries
    "export_format": lambda s: "json",
    "resume": lambda s: "resume.md",  # a form field, not a file: refused or told to choose one
    "public_id": _interview_id,
    # the application board: a card's move form and the add form
    "application_id": _application_id,
    "expected_version": _application_version,
    "stage": lambda s: "screen",
    "on": lambda s: "2027-03-02",
    "interview_on": lambda s: "2027-03-09",
    "company": lambda s: "Acme",
    "title": lambda s: "ML Engineer",
}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    form: dict[str, str]
    route: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} (route {self.route})"


def _sample(name: str, route: str, services: Services) -> str:
    if name not in SAMPLES:
        pytest.fail(
            f"route {route} takes a parameter '{name}' that tests/integration/"
            f"test_web_security.py has no sample value for: add one to SAMPLES, derived from "
            "the catalog, so the route is checked for CSRF and side effects like every other"
        )
    return SAMPLES[name](services)


def _static_sample(route: Mount) -> str:
    static = route.app
    assert isinstance(static, StaticFiles) and static.directory is not None
    first = min(p for p in Path(static.directory).rglob("*") if p.is_file())
    return route.path + "/" + first.relative_to(static.directory).as_posix()


def _calls(app: FastAPI, services: Services) -> list[Call]:
    """One call per (route, method) of the app's route table, with derived sample values."""
    calls: list[Call] = []
    for context in iter_route_contexts(app.routes):  # included routers flattened, with prefixes
        calls.extend(_route_calls(context, services))
    return calls


def _route_calls(route: RouteContext, services: Services) -> Iterator[Call]:
    original = route.original_route
    if isinstance(original, Mount):
        if not isinstance(original.app, StaticFiles):
            pytest.fail(f"mounted app at {original.path} is new to this test: teach it to call it")
        yield Call("GET", _static_sample(original), {}, original.path)
        return
    if not isinstance(original, Route) or route.path is None or route.path_format is None:
        pytest.fail(f"route {original!r} is of a kind this test cannot call: teach it to")
    params = {name: _sample(name, route.path, services) for name in route.param_convertors}
    path = route.path_format.format(**params)
    form: dict[str, str] = {}
    if isinstance(original, APIRoute):
        for dependant in _dependants(route.dependant):
            for field in dependant.query_params:
                if field.field_info.is_required():
                    value = _sample(field.alias, route.path, services)
                    path += ("&" if "?" in path else "?") + f"{field.alias}={value}"
            for field in dependant.body_params:
                form[field.alias] = _sample(field.alias, route.path, services)
    for method in sorted(route.methods or ()):
        yield Call(method, path, form, route.path)


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _dump(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return "\n".join(conn.iterdump())


@dataclass
class LocalApp:
    app: FastAPI
    services: Services
    db: Path
    data_dir: Path

    @property
    def catalog(self) -> Catalog:
        return self.services.catalog

    def browser(self) -> TestClient:
        """A new browser: its own cookie jar, talking to the app as http://127.0.0.1:8000."""
        return TestClient(self.app, base_url=APP_ORIGIN, follow_redirects=False)


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalApp]:
    services = Services(Settings(data_dir=tmp_path))
    try:
        app = create_app(services)
        yield LocalApp(app, services, tmp_path / "mlpivot.db", tmp_path)
    finally:
        services.close()


def _token(client: TestClient, path: str = "/profile") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"{path} has no csrf_token field"
    return found.group(1)


def _seed(local: LocalApp) -> None:
    """A stored profile and plan, so the GET routes have something they could touch."""
    me = local.browser()
    token = _token(me)
    saved = me.post("/profile", data={"version": "0", "csrf_token": token}, headers=SAME_ORIGIN)
    assert saved.status_code == 303
    role = local.catalog.target_roles[0].id
    made = me.post("/plan", data={"role": role, "csrf_token": token}, headers=SAME_ORIGIN)
    assert made.status_code == 303


def test_every_unsafe_route_refuses_cross_origin_or_tokenless_calls_and_changes_nothing(
    local: LocalApp,
) -> None:
    _seed(local)
    unsafe = [c for c in _calls(local.app, local.services) if c.method not in SAFE_METHODS]
    assert unsafe, "the app has no unsafe route at all: the route table was not read"
    victim = local.browser()
    token = _token(victim)
    other_browser = local.browser()
    other_token = _token(other_browser)
    before = _dump(local.db)
    attempts: list[tuple[str, TestClient, dict[str, str], dict[str, str]]] = [
        ("cross-origin, no token", victim, ATTACKER, {}),
        ("cross-origin, with this browser's token", victim, ATTACKER, {"csrf_token": token}),
        ("same origin, no token", victim, SAME_ORIGIN, {}),
        ("another browser's token", victim, SAME_ORIGIN, {"csrf_token": other_token}),
        ("token in the header, no cookie", local.browser(), {"X-CSRF-Token": token}, {}),
        ("no browser headers, no token", local.browser(), {}, {}),
    ]
    failures: list[str] = []
    for call in unsafe:
        for what, client, headers, extra in attempts:
            answer = client.request(
                call.method, call.path, data={**call.form, **extra}, headers=headers
            )
            if answer.status_code != 403 or "Nothing was changed" not in answer.text:
                failures.append(f"{call}, {what}: answered {answer.status_code}")
            if _dump(local.db) != before:
                failures.append(f"{call}, {what}: the database changed")
                before = _dump(local.db)
    assert failures == [], "\n".join(failures)


def test_every_unsafe_route_accepts_its_own_page_and_the_dump_sees_a_change(
    local: LocalApp,
) -> None:
    """The other side of the refusals: the same calls, with the token, get through."""
    me = local.browser()
    token = _token(me)
    before = _dump(local.db)
    for call in _calls(local.app, local.services):
        if call.method in SAFE_METHODS:
            continue
        answer = me.request(
            call.method, call.path, data={**call.form, "csrf_token": token}, headers=SAME_ORIGIN
        )
        assert answer.status_code not in (403, 413, 422), f"{call}: {answer.status_code}"
    assert _dump(local.db) != before  # the profile was saved: the dump would see a forgery


@pytest.mark.parametrize("seeded", [False, True], ids=["empty", "with-profile-and-plan"])
def test_every_get_route_leaves_the_database_as_it_was(local: LocalApp, seeded: bool) -> None:
    if seeded:
        _seed(local)
    safe = [c for c in _calls(local.app, local.services) if c.method in SAFE_METHODS]
    assert {c.route for c in safe} >= {"/", "/profile", "/fit", "/plan", "/static"}
    me = local.browser()
    _token(me)
    before = _dump(local.db)
    for call in safe:
        answer = me.request(call.method, call.path)
        assert answer.status_code < 400, f"{call}: {answer.status_code} (is its sample right?)"
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, f"{call}: {name}"
        assert _dump(local.db) == before, f"{call} changed the database"


def test_refusals_errors_and_foreign_hosts_carry_the_security_headers_too(
    local: LocalApp,
) -> None:
    client = local.browser()
    answers = [
        client.post("/profile", headers=ATTACKER),
        client.get("/roles/astronaut"),
        client.get("/no-such-page"),
        client.get("/roles", headers={"Host": "evil.example"}),
    ]
    assert [a.status_code for a in answers] == [403, 404, 404, 403]
    for answer in answers:
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value


def test_session_cookie_is_httponly_lax_and_its_token_survives_a_restart(
    local: LocalApp,
) -> None:
    me = local.browser()
    first = me.get("/profile")
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(COOKIE_NAME + "=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    key_file = local.data_dir / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    token = _token(me)
    # mlpivot restarts over the same data folder: a page opened before still saves
    restarted = Services(Settings(data_dir=local.data_dir))
    try:
        again = TestClient(create_app(restarted), base_url=APP_ORIGIN, follow_redirects=False)
        again.cookies.set(COOKIE_NAME, me.cookies[COOKIE_NAME])
        saved = again.post("/profile", data={"version": "0", "csrf_token": token})
        assert saved.status_code == 303
    finally:
        restarted.close()


def test_a_multipart_form_with_the_token_is_accepted_and_one_too_large_is_refused(
    tmp_path: Path,
) -> None:
    services = Services(Settings(data_dir=tmp_path, max_upload_bytes=1000))
    try:
        client = TestClient(create_app(services), base_url=APP_ORIGIN, follow_redirects=False)
        token = _token(client)
        saved = client.post(
            "/profile",
            data={"version": "0", "csrf_token": token},
            files={"note": ("note.txt", b"hello", "text/plain")},
        )
        assert saved.status_code == 303
        before = _dump(tmp_path / "mlpivot.db")
        huge = client.post(
            "/profile", data={"version": "1", "filler": "x" * 2_000_000, "csrf_token": token}
        )
        assert huge.status_code == 413 and "larger than" in huge.text
        assert _dump(tmp_path / "mlpivot.db") == before
    finally:
        services.close()


def test_json_clients_get_a_json_refusal(local: LocalApp) -> None:
    answer = local.browser().post(
        "/plan", data={"role": "ml-engineer"}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 403
    assert answer.json()["error"] == "refused"
    assert "security token" in answer.json()["detail"]


def test_bearer_api_calls_skip_the_cookie_token_but_not_the_origin_check(
    local: LocalApp,
) -> None:
    """Issue 15's JSON API: a bearer call needs no CSRF token, and its auth learns it must
    trust the bearer token alone; nothing else gets that pass."""

    def whoami(request: Request) -> dict[str, bool]:
        return {"bearer_only": bearer_only(request)}

    local.app.add_api_route("/api/v1/whoami", whoami, methods=["POST"])
    client = local.browser()
    bearer = {"Authorization": "Bearer some-token"}
    assert client.post("/api/v1/whoami", headers=bearer).json() == {"bearer_only": True}
    assert client.post("/api/v1/whoami").status_code == 403
    assert client.post("/api/v1/whoami", headers={**bearer, **ATTACKER}).status_code == 403
    refused = client.post("/profile", data={"version": "0"}, headers=bearer)
    assert refused.status_code == 403  # a bearer header is no pass outside the API
    token = _token(client)
    passed = client.post("/api/v1/whoami", headers={"X-CSRF-Token": token})
    assert passed.json() == {"bearer_only": False}  # a page's own call: cookies may count


def test_rotating_the_session_at_login_makes_the_old_token_worthless(local: LocalApp) -> None:
    """What issue 15's login and logout must do, shown on a stand-in route."""

    def log_in(request: Request) -> Response:
        response = Response(status_code=204)
        rotate_csrf_session(request, response)
        return response

    local.app.add_api_route("/login-stand-in", log_in, methods=["POST"])
    me = local.browser()
    old = _token(me)
    assert me.post("/login-stand-in", data={"csrf_token": old}).status_code == 204
    new = _token(me)
    assert new != old
    assert me.post("/plan", data={"role": "ml-engineer", "csrf_token": old}).status_code == 403
    assert me.post("/plan", data={"role": "ml-engineer", "csrf_token": new}).status_code == 303


def test_accounts_mode_needs_a_real_secret_key(tmp_path: Path) -> None:
    with pytest.raises(AuthError, match="MLPIVOT_SECRET_KEY"):
        signing_key(Settings(data_dir=tmp_path, auth=AuthMode.ACCOUNTS))
    with pytest.raises(AuthError, match="too short"):
        signing_key(Settings(data_dir=tmp_path, auth=AuthMode.ACCOUNTS, secret_key="short"))
    shared = "a-long-secret-every-worker-shares"
    key = signing_key(Settings(data_dir=tmp_path, auth=AuthMode.ACCOUNTS, secret_key=shared))
    assert key == shared.encode()
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_every_post_form_in_the_templates_carries_the_csrf_field() -> None:
    forms = 0
    for template in sorted(TEMPLATES_DIR.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for found in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, re.S | re.I):
            tag = found.group(0)[: found.group(0).index(">")]
            if not re.search(r"method\s*=\s*[\"']?post", tag, re.I):
                continue  # a GET form changes nothing; hx-post gets the header from <body>
            forms += 1
            assert "csrf_field()" in found.group(1), (
                f"{template.name}: a form that posts lacks {{{{ csrf_field() }}}}: {tag}>"
            )
    assert forms >= 2


def test_a_new_route_with_a_parameter_without_a_sample_makes_the_route_test_fail_loudly(
    local: LocalApp,
) -> None:
    def forget(widget_id: str) -> dict[str, str]:
        return {"forgotten": widget_id}

    local.app.add_api_route("/widgets/{widget_id}", forget, methods=["DELETE"])
    with pytest.raises(pytest.fail.Exception, match=r"'widget_id'.*add one to SAMPLES"):
        _calls(local.app, local.services)


EXPECTED_TYPES = {
    ".css": {"text/css"},
    ".js": {"text/javascript", "application/javascript"},
    ".txt": {"text/plain"},
    ".svg": {"image/svg+xml"},
    ".png": {"image/png"},
}


def test_static_files_keep_their_content_types_under_nosniff(local: LocalApp) -> None:
    """With nosniff a script served as text/plain would not run: every file's type is right."""
    client = local.browser()
    served = 0
    for path in sorted(STATIC_DIR.rglob("*")):
        if not path.is_file():
            continue
        assert path.suffix in EXPECTED_TYPES, f"{path.name}: add its content type to this test"
        answer = client.get("/static/" + path.relative_to(STATIC_DIR).as_posix())
        content_type = answer.headers["content-type"].split(";")[0]
        assert content_type in EXPECTED_TYPES[path.suffix], f"{path.name}: {content_type}"
        assert answer.headers["x-content-type-options"] == "nosniff"
        served += 1
    assert served >= 2
