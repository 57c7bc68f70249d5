"""An accounts-mode app over a real database, and browsers that sign in to it, for the tests.

A plain module rather than a conftest function (see cli_process.py for why).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.config import AuthMode, Settings
from mlpivot.store.accounts import Account, AccountRole, Accounts
from mlpivot.store.cohorts import Cohorts, MemberRole
from mlpivot.web.app import create_app

ORIGIN = "http://mlpivot.test"
SAME_ORIGIN = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}
SECRET = "a-secret-every-worker-shares-0123456789"
PASSWORD = "correct horse battery"


def accounts_settings(tmp_path: Path, database_url: str, **overrides: object) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        auth=AuthMode.ACCOUNTS,
        secret_key=SECRET,
        **overrides,  # type: ignore[arg-type]
    )


def token_of(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert found, "the page has no csrf-token meta tag"
    return found.group(1)


@dataclass
class AccountsApp:
    app: FastAPI
    services: Services
    people: dict[str, Account] = field(default_factory=dict)

    def browser(self, origin: str = ORIGIN) -> TestClient:
        return TestClient(self.app, base_url=origin, follow_redirects=False)

    def make(self, key: str, role: AccountRole = AccountRole.LEARNER) -> Account:
        with self.services.unit_of_work() as session:
            account = Accounts(session).create(key.title(), f"{key}@example.org", PASSWORD, role)
        self.people[key] = account
        return account

    def spring_cohort(self) -> None:
        """Ada the learner and Max her mentor in root's cohort "Spring": the smallest cohort
        where every role has someone to act as."""
        self.make("ada")
        self.make("max", AccountRole.MENTOR)
        self.make("root", AccountRole.ADMIN)
        with self.services.unit_of_work() as session:
            cohort = Cohorts(session).create("Spring", self.people["root"])
            Cohorts(session).join(cohort.id, self.people["ada"], MemberRole.LEARNER)
            Cohorts(session).join(cohort.id, self.people["max"], MemberRole.MENTOR)

    def token(self, client: TestClient) -> str:
        """This browser's CSRF token, read from a page anyone may open."""
        return token_of(client.get("/roles").text)

    def sign_in(self, key: str, password: str = PASSWORD) -> TestClient:
        client = self.browser()
        answer = self.post(client, "/login", {"email": f"{key}@example.org", "password": password})
        assert answer.status_code == 303, answer.text[:500]
        return client

    def post(self, client: TestClient, path: str, data: dict[str, str]) -> httpx.Response:
        token = self.token(client)
        return client.post(path, data={**data, "csrf_token": token}, headers=SAME_ORIGIN)


def build(tmp_path: Path, database_url: str, **overrides: object) -> AccountsApp:
    services = Services(accounts_settings(tmp_path, database_url, **overrides))
    return AccountsApp(create_app(services), services)
