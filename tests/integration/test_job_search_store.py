"""Saved postings and applications on SQLite and PostgreSQL: owner scoping, stale moves, and
the export -> import round trip and delete-account including them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mlpivot.bootstrap import Services
from mlpivot.errors import NotFoundError, StaleWriteError, UserError
from mlpivot.store.job_search import Applications, SavedPostings
from mlpivot.store.portability import (
    delete_user_data,
    export_user,
    parse_export,
    replace_user_data,
)
from mlpivot.store.repositories import create_user


def fill(services: Services) -> tuple[str, str]:
    with services.local() as (session, user):
        posting = SavedPostings(session, user).add(
            "ML Engineer at Acme. Kubernetes, PyTorch. $150,000 - $190,000",
            {"title": "ML Engineer"},
            title="ML Engineer",
            company="Acme",
            location="Remote, US",
            country="US",
            role_id="ml-engineer",
            role_confidence=0.8,
            skill_ids=["kubernetes", "pytorch"],
            salary_min=150000.0,
            salary_max=190000.0,
            salary_currency="USD",
        )
        apps = Applications(session, user)
        first = apps.add(
            company="Acme",
            title="ML Engineer",
            stage="applied",
            on=date(2027, 1, 4),
            posting_id=posting.public_id,
            role_id="ml-engineer",
            resume_version="v2",
            contacts=["Ana (recruiter)"],
        )
        apps.move(
            first.public_id,
            "screen",
            date(2027, 1, 10),
            1,
            note="call booked",
            interview_on=date(2027, 1, 15),
        )
        apps.add(company="Zed", title="Data Scientist", stage="saved", on=date(2027, 1, 5))
        return posting.public_id, first.public_id


def test_a_move_is_stored_with_its_date_and_a_stale_move_is_refused(services: Services) -> None:
    _, app_id = fill(services)
    with services.local() as (session, user):
        app = Applications(session, user).get(app_id)
        assert app.stage == "screen" and app.version == 2
        assert [(e.stage, e.on) for e in app.history] == [
            ("applied", date(2027, 1, 4)),
            ("screen", date(2027, 1, 10)),
        ]
        assert app.interview_on == date(2027, 1, 15)
        assert "2027-01-10: call booked" in app.notes
        assert app.posting_id is not None
    with (
        pytest.raises(StaleWriteError, match="changed since you read it"),
        services.local() as (
            session,
            user,
        ),
    ):
        Applications(session, user).move(app_id, "technical", date(2027, 1, 20), 1)
    with services.local() as (session, user):
        assert Applications(session, user).get(app_id).stage == "screen"


def test_another_user_sees_none_of_it(services: Services) -> None:
    posting_id, app_id = fill(services)
    with services.unit_of_work() as session:
        other = create_user(session, "other")
        assert Applications(session, other).all() == []
        assert SavedPostings(session, other).all() == []
        with pytest.raises(NotFoundError):
            Applications(session, other).get(app_id)
        with pytest.raises(NotFoundError):
            Applications(session, other).add(
                company="x", title="y", stage="saved", on=date(2027, 1, 1), posting_id=posting_id
            )


def test_export_import_round_trip_and_delete_include_the_job_search(services: Services) -> None:
    fill(services)
    with services.local() as (session, user):
        exported = export_user(session, user)
    assert len(exported["saved_postings"]) == 1
    assert [len(a["events"]) for a in exported["applications"]] == [2, 1]
    assert exported["applications"][0]["posting"] == exported["saved_postings"][0]["public_id"]
    with services.local() as (session, user):
        delete_user_data(session, user)
        assert export_user(session, user)["applications"] == []
        assert export_user(session, user)["saved_postings"] == []
    with services.local() as (session, user):
        replace_user_data(session, user, parse_export(json.loads(json.dumps(exported)), "f"))
    with services.local() as (session, user):
        assert export_user(session, user) == exported


def test_an_application_pointing_at_a_missing_posting_changes_nothing(services: Services) -> None:
    fill(services)
    with services.local() as (session, user):
        exported = export_user(session, user)
    broken = json.loads(json.dumps(exported))
    broken["saved_postings"] = []
    with (
        pytest.raises(UserError, match="is not in the export"),
        services.local() as (
            session,
            user,
        ),
    ):
        replace_user_data(session, user, parse_export(broken, "f"))
    with services.local() as (session, user):
        assert export_user(session, user) == exported
