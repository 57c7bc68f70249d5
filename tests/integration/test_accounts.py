"""Accounts mode on a real database: signing in and out, sessions, throttling, reset links,
invitations, and every page scoped to the person signed in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accounts_app import PASSWORD, AccountsApp, accounts_settings, build
from mlpivot.bootstrap import Services, check_auth_binding
from mlpivot.config import AuthMode, Settings
from mlpivot.errors import AuthError, UserError
from mlpivot.store.accounts import (
    AccountRole,
    Accounts,
    ApiTokens,
    LinkKind,
    OneTimeLinks,
    WebSessions,
    digest,
)
from mlpivot.store.cohorts import Cohorts
from mlpivot.store.tables import ApiTokenRow, OneTimeTokenRow, PasswordRow, WebSessionRow
from mlpivot.web.app import create_app
from mlpivot.web.auth import SESSION_COOKIE
from mlpivot.web.csrf import COOKIE_NAME


@pytest.fixture
def site(tmp_path: Path, database_url: str) -> Iterator[AccountsApp]:
    made = build(tmp_path, database_url, login_failures_per_account=3, login_failures_per_address=5)
    try:
        made.make("ada")
        made.make("bob")
        made.make("root", AccountRole.ADMIN)
        yield made
    finally:
        made.services.close()


def test_pages_about_you_send_a_stranger_to_sign_in_and_the_json_api_answers_401(
    site: AccountsApp,
) -> None:
    stranger = site.browser()
    for path in ("/fit", "/profile", "/plan", "/feedback", "/account", "/cohorts"):
        answer = stranger.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == f"/login?next={path}"
    assert stranger.get("/roles").status_code == 200  # the catalog is public
    assert "Accounts mode" in stranger.get("/roles").text


def test_sign_in_sets_a_new_httponly_lax_session_and_rotates_the_csrf_token(
    site: AccountsApp,
) -> None:
    client = site.browser()
    planted = "planted-by-an-attacker-" + "x" * 20
    client.cookies.set(SESSION_COOKIE, planted, domain="mlpivot.test")
    old_csrf = site.token(client)
    answer = site.post(client, "/login", {"email": "ADA@example.org ", "password": PASSWORD})
    assert answer.status_code == 303
    cookies = answer.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert "Secure" not in session_cookie  # plain http: a Secure cookie would never come back
    assert any(c.startswith(COOKIE_NAME + "=") for c in cookies)
    assert client.cookies[SESSION_COOKIE] != planted  # no fixation: a new id at sign-in
    assert site.token(client) != old_csrf
    assert client.get("/profile").status_code == 200
    with site.services.unit_of_work() as session:
        stored = session.scalars(select(WebSessionRow.token_hash)).all()
    assert digest(client.cookies[SESSION_COOKIE]) in stored
    assert client.cookies[SESSION_COOKIE] not in stored  # only the digest is kept


def test_behind_tls_the_session_cookie_is_secure(site: AccountsApp) -> None:
    client = site.browser("https://mlpivot.test")
    token = site.token(client)
    answer = client.post(
        "/login",
        data={"email": "ada@example.org", "password": PASSWORD, "csrf_token": token},
        headers={"Origin": "https://mlpivot.test", "Sec-Fetch-Site": "same-origin"},
    )
    assert answer.status_code == 303
    session_cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "Secure" in session_cookie


def test_a_wrong_password_is_refused_and_sign_out_ends_the_session_on_the_server(
    site: AccountsApp,
) -> None:
    client = site.browser()
    wrong = site.post(client, "/login", {"email": "ada@example.org", "password": "not it at all"})
    assert wrong.status_code == 400 and "do not match" in wrong.text
    unknown = site.post(client, "/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert unknown.status_code == 400 and "do not match" in unknown.text
    ada = site.sign_in("ada")
    cookie = ada.cookies[SESSION_COOKIE]
    assert site.post(ada, "/logout", {}).status_code == 303
    again = site.browser()
    again.cookies.set(SESSION_COOKIE, cookie)  # a copy of the cookie taken before sign-out
    assert again.get("/profile").status_code == 303


def test_failed_sign_ins_are_limited_per_account_then_even_the_right_password_waits(
    site: AccountsApp,
) -> None:
    client = site.browser()
    for _ in range(3):
        answer = site.post(
            client, "/login", {"email": "ada@example.org", "password": "guess 123456"}
        )
        assert answer.status_code == 400
    blocked = site.post(client, "/login", {"email": "ada@example.org", "password": PASSWORD})
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text
    # another account from the same address is not locked by ada's failures (yet)
    assert (
        site.post(client, "/login", {"email": "bob@example.org", "password": PASSWORD}).status_code
        == 303
    )


def test_failed_sign_ins_are_limited_per_address_across_accounts(site: AccountsApp) -> None:
    client = site.browser()
    for n in range(5):
        email = f"guess{n}@example.org"
        assert (
            site.post(client, "/login", {"email": email, "password": "guess 123456"}).status_code
            == 400
        )
    blocked = site.post(client, "/login", {"email": "bob@example.org", "password": PASSWORD})
    assert blocked.status_code == 429


def test_failures_older_than_the_window_no_longer_count(site: AccountsApp) -> None:
    client = site.browser()
    for _ in range(3):
        site.post(client, "/login", {"email": "ada@example.org", "password": "guess 123456"})
    with site.services.unit_of_work() as session:
        from mlpivot.store.tables import LoginFailureRow

        for row in session.scalars(select(LoginFailureRow)):
            row.failed_at = datetime.now(UTC) - timedelta(minutes=16)
    assert (
        site.post(client, "/login", {"email": "ada@example.org", "password": PASSWORD}).status_code
        == 303
    )


def test_each_person_sees_only_their_own_profile_and_plan(site: AccountsApp) -> None:
    ada = site.sign_in("ada")
    saved = site.post(ada, "/profile", {"version": "0"})
    assert saved.status_code == 303
    made = site.post(ada, "/plan", {"role": "ml-engineer"})
    assert made.status_code == 303
    assert ada.get("/fit").status_code == 200
    assert ada.get("/plan").status_code == 200
    bob = site.sign_in("bob")
    assert bob.get("/fit").headers["location"] == "/profile"  # bob has no profile of his own
    assert bob.get("/plan").headers["location"] == "/fit"
    assert "Sign out" in bob.get("/profile").text and "Bob" in bob.get("/profile").text


def test_accounts_mode_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, auth=AuthMode.ACCOUNTS)
    with pytest.raises(AuthError, match="MLPIVOT_SECRET_KEY"):
        check_auth_binding(settings, "0.0.0.0")
    with pytest.raises(AuthError, match="MLPIVOT_SECRET_KEY"):
        create_app(Services(settings))
    keyed = accounts_settings(tmp_path, f"sqlite:///{tmp_path / 'x.db'}")
    check_auth_binding(keyed, "0.0.0.0")  # accounts mode may listen beyond this machine


def test_serve_in_accounts_mode_without_a_key_says_so_in_one_sentence(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("serve", "--host", "0.0.0.0", MLPIVOT_AUTH="accounts")
    assert done.returncode == 1
    assert "MLPIVOT_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr


def _admin_create(data: Path, email: str, password: str) -> subprocess.CompletedProcess[str]:
    args = ["admin", "create", "--email", email, "--name", "Boss", "--password-stdin"]
    return subprocess.run(
        [sys.executable, "-m", "mlpivot", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MLPIVOT_DATA_DIR": str(data), "NO_COLOR": "1"},
        check=False,
    )


def test_admin_create_makes_an_admin_who_can_sign_in(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = _admin_create(data, "Boss@Example.org", "a long admin password")
    assert made.returncode == 0, made.stderr
    assert "boss@example.org" in made.stdout
    again = _admin_create(data, "boss@example.org", "another long password")
    assert again.returncode == 1 and "already an account" in again.stderr
    weak = _admin_create(data, "two@example.org", "short")
    assert weak.returncode == 1 and "too short" in weak.stderr
    site = build(data, f"sqlite:///{data / 'mlpivot.db'}")
    try:
        client = site.browser()
        answer = site.post(
            client, "/login", {"email": "boss@example.org", "password": "a long admin password"}
        )
        assert answer.status_code == 303
        assert client.get("/admin").status_code == 200
    finally:
        site.services.close()


def test_passwords_are_argon2_hashes_and_too_short_ones_are_refused(site: AccountsApp) -> None:
    with site.services.unit_of_work() as session:
        hashes = session.scalars(select(PasswordRow.hash)).all()
        assert hashes and all(h.startswith("$argon2id$") for h in hashes)
        assert all(PASSWORD not in h for h in hashes)
        with pytest.raises(UserError, match="too short"):
            Accounts(session).create("Eve", "eve@example.org", "short", AccountRole.LEARNER)


def test_an_admin_reset_link_sets_a_new_password_once_and_signs_out_everywhere(
    site: AccountsApp,
) -> None:
    ada_elsewhere = site.sign_in("ada")
    root = site.sign_in("root")
    page = site.post(root, f"/admin/accounts/{site.people['ada'].public_id}/reset", {})
    assert page.status_code == 200
    link = page.text.split("/reset/", 1)[1].split("<", 1)[0]
    stranger = site.browser()
    assert stranger.get(f"/reset/{link}").status_code == 200
    short = site.post(stranger, f"/reset/{link}", {"password": "short"})
    assert short.status_code == 400 and "too short" in short.text
    done = site.post(stranger, f"/reset/{link}", {"password": "a brand new password"})
    assert done.status_code == 303
    assert ada_elsewhere.get("/profile").status_code == 303  # her other session ended
    assert (
        site.post(
            site.browser(), "/login", {"email": "ada@example.org", "password": PASSWORD}
        ).status_code
        == 400
    )
    site.sign_in("ada", "a brand new password")
    reused = site.post(site.browser(), f"/reset/{link}", {"password": "yet another password"})
    assert reused.status_code == 400 and "already been used" in reused.text
    learner = site.sign_in("bob")
    refused = site.post(learner, f"/admin/accounts/{site.people['ada'].public_id}/reset", {})
    assert refused.status_code == 403


def test_invitations_are_single_use_and_expire(site: AccountsApp) -> None:
    now = datetime.now(UTC)
    with site.services.unit_of_work() as session:
        cohort = Cohorts(session).create("Spring", site.people["root"])
        links = OneTimeLinks(session)
        fresh = links.issue(
            LinkKind.INVITE,
            created_by=site.people["root"].id,
            now=now,
            lifetime=timedelta(days=7),
            cohort_id=cohort.id,
            role=AccountRole.LEARNER,
        )
        stale = links.issue(
            LinkKind.INVITE,
            created_by=site.people["root"].id,
            now=now - timedelta(days=8),
            lifetime=timedelta(days=7),
            cohort_id=cohort.id,
            role=AccountRole.LEARNER,
        )
    newcomer = site.browser()
    assert "Join Spring" in newcomer.get(f"/invite/{fresh}").text
    joined = site.post(
        newcomer,
        f"/invite/{fresh}",
        {"name": "Cy", "email": "cy@example.org", "password": "a long password"},
    )
    assert joined.status_code == 303 and joined.headers["location"] == "/profile"
    assert newcomer.get("/profile").status_code == 200  # signed in as Cy
    again = site.post(
        site.browser(),
        f"/invite/{fresh}",
        {"name": "Dee", "email": "dee@example.org", "password": "a long password"},
    )
    assert again.status_code == 400 and "already been used" in again.text
    expired = site.browser().get(f"/invite/{stale}")
    assert expired.status_code == 400 and "expired" in expired.text
    assert site.browser().get("/invite/" + "A" * 43).status_code == 404
    with site.services.unit_of_work() as session:
        members = Cohorts(session).members(cohort)
        assert [m.account.email for m in members] == ["cy@example.org"]
        assert session.scalar(select(func.count()).select_from(OneTimeTokenRow)) == 2


def test_a_failed_acceptance_leaves_the_invitation_usable(site: AccountsApp) -> None:
    with site.services.unit_of_work() as session:
        cohort = Cohorts(session).create("Autumn", site.people["root"])
        link = OneTimeLinks(session).issue(
            LinkKind.INVITE,
            created_by=site.people["root"].id,
            now=datetime.now(UTC),
            lifetime=timedelta(days=1),
            cohort_id=cohort.id,
            role=AccountRole.MENTOR,
        )
    client = site.browser()
    taken = site.post(
        client,
        f"/invite/{link}",
        {"name": "A", "email": "ada@example.org", "password": "a long password"},
    )
    assert taken.status_code == 400 and "already an account" in taken.text
    ok = site.post(
        client,
        f"/invite/{link}",
        {"name": "Mo", "email": "mo@example.org", "password": "a long password"},
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/cohorts"


def test_api_tokens_are_stored_hashed_and_stop_working_when_revoked(site: AccountsApp) -> None:
    ada = site.sign_in("ada")
    page = site.post(ada, "/account/tokens", {"name": "laptop script"})
    token = page.text.split('id="new-token"', 1)[1].split("<code>", 1)[1].split("</code>", 1)[0]
    assert token.startswith("mlp_")
    with site.services.unit_of_work() as session:
        assert session.scalars(select(ApiTokenRow.token_hash)).all() == [digest(token)]
        (stored,) = ApiTokens(session, site.people["ada"]).all()
    script = site.browser()
    bearer = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/v1/feedback", headers=bearer).status_code == 200
    assert site.post(ada, f"/account/tokens/{stored.public_id}/revoke", {}).status_code == 303
    assert script.get("/api/v1/feedback", headers=bearer).status_code == 401
    bob = site.sign_in("bob")
    assert site.post(bob, f"/account/tokens/{stored.public_id}/revoke", {}).status_code == 404


def test_web_sessions_expire(site: AccountsApp) -> None:
    with site.services.unit_of_work() as session:
        token = WebSessions(session).start(
            site.people["ada"].id, datetime.now(UTC) - timedelta(hours=100), timedelta(hours=72)
        )
    client = site.browser()
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/profile").status_code == 303
