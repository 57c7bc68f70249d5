"""The JSON API fuzzed from its own OpenAPI schema: no 5xx and no answer that breaks the schema.

Schemathesis generates requests for every operation under /api/v1/ from the schema FastAPI
publishes, and sends them with a learner's token and again with a mentor's (each in a cohort,
so the mentor routes have something to find). Every answer must be a non-5xx that matches the
documented shapes (401/403/404 are the permission rules at work: FastAPI documents only 200
and 422, so the status-code check is left out). The number of requests sent is printed in
the run's summary (conftest's `pytest_terminal_summary`), also under pytest-xdist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import status_code_conformance

from accounts_app import AccountsApp, build
from mlpivot.store.accounts import ApiTokens

SENT: Counter[str] = Counter()
GENERATED_REQUESTS = "schemathesis requests to /api/v1/"
"""the name under which the count is reported; conftest's terminal summary prints it"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AccountsApp]:
    folder = tmp_path_factory.mktemp("api-fuzz")
    made = build(folder, f"sqlite:///{folder / 'mlpivot.db'}")
    try:
        made.spring_cohort()
        yield made
    finally:
        made.services.close()


@pytest.fixture(scope="module")
def bearers(site: AccountsApp) -> dict[str, dict[str, str]]:
    """A personal API token for the learner and one for the mentor."""
    found = {}
    for who, key in (("learner", "ada"), ("mentor", "max")):
        with site.services.unit_of_work() as session:
            _, token = ApiTokens(session, site.people[key]).issue("fuzz")
        found[who] = {"Authorization": f"Bearer {token}"}
    return found


def test_no_request_gets_a_server_error_or_an_answer_outside_the_schema(
    site: AccountsApp,
    bearers: dict[str, dict[str, str]],
    record_property: Callable[[str, object], None],
) -> None:
    try:
        _fuzz(site, bearers)
    finally:  # the count travels with the test's report, so an xdist worker's reaches the summary
        for who, n in sorted(SENT.items()):
            record_property(f"{GENERATED_REQUESTS}: {who}", n)


def _fuzz(site: AccountsApp, bearers: dict[str, dict[str, str]]) -> None:
    whole = schemathesis.openapi.from_asgi("/api/v1/openapi.json", site.app)
    schema = whole.include(path_regex="^/api/v1/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5, "the API lists its operations"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def send(case: schemathesis.Case) -> None:
            for who, headers in bearers.items():
                SENT[who] += 1
                case.call_and_validate(
                    headers={**headers, "Origin": "http://mlpivot.test"},
                    # 401/403/404 are the permission rules at work; FastAPI documents 200/422 only
                    excluded_checks=[status_code_conformance],
                )

        send()
