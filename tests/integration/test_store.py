"""The store on real SQLite and PostgreSQL: migrations, owners, versions, ids, time zones."""

from __future__ import annotations

import re
import threading
from datetime import UTC

import pytest
from sqlalchemy import inspect, text

from mlpivot.bootstrap import Services
from mlpivot.errors import NotFoundError, StaleWriteError
from mlpivot.store.repositories import Plans, Profiles, create_user, local_user

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_migrations_create_every_table_and_are_idempotent(services: Services) -> None:
    from mlpivot.store.database import migrate

    migrate(services.engine)  # second run: nothing to do, no error
    tables = set(inspect(services.engine).get_table_names())
    assert {"users", "profiles", "plans", "progress", "documents", "evidence"} <= tables
    assert {"cards", "reviews", "saved_postings", "applications", "application_events"} <= tables
    assert {"interviews", "interview_answers", "practice_settings"} <= tables
    from alembic.script import ScriptDirectory

    from mlpivot.store.database import alembic_config

    heads = ScriptDirectory.from_config(alembic_config(services.engine)).get_heads()
    assert len(heads) == 1  # one line of migrations, never two heads
    with services.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == heads[0]


def test_public_ids_are_uuid7_and_timestamps_are_aware_utc(services: Services) -> None:
    with services.local() as (session, user):
        stored = Profiles(session, user).save({"name": "Ada"}, expected_version=None)
    assert UUID7.match(stored.public_id)
    with services.local() as (session, user):
        again = Profiles(session, user).get()
    assert again is not None and again.updated_at.tzinfo is not None
    assert again.updated_at.utcoffset() == UTC.utcoffset(None)


def test_unicode_profile_round_trips(services: Services) -> None:
    data = {"name": "Zoë Łukasiewicz-Ñúñez 李雷", "notes": "naïve résumé ✓"}
    with services.local() as (session, user):
        Profiles(session, user).save(data, expected_version=None)
    with services.local() as (session, user):
        stored = Profiles(session, user).get()
    assert stored is not None and stored.data == data


def test_stale_profile_write_is_refused_and_nothing_is_lost(services: Services) -> None:
    with services.local() as (session, user):
        first = Profiles(session, user).save({"hours_per_week": 8}, expected_version=None)
    # two tabs read version 1; the first save wins, the second is refused
    with services.local() as (session, user):
        Profiles(session, user).save({"hours_per_week": 10}, expected_version=first.version)
    with (
        pytest.raises(StaleWriteError, match="changed since you opened it"),
        services.local() as (
            session,
            user,
        ),
    ):
        Profiles(session, user).save({"hours_per_week": 3}, expected_version=first.version)
    with services.local() as (session, user):
        stored = Profiles(session, user).get()
    assert stored is not None and stored.data == {"hours_per_week": 10} and stored.version == 2


def test_two_concurrent_saves_at_the_same_version_cannot_both_win(services: Services) -> None:
    with services.local() as (session, user):
        Profiles(session, user).save({"n": 0}, expected_version=None)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(n: int) -> None:
        barrier.wait()
        try:
            with services.local() as (session, user):
                Profiles(session, user).save({"n": n}, expected_version=1)
            outcomes.append("saved")
        except StaleWriteError:
            outcomes.append("refused")
        except Exception as exc:  # a lock timeout would also be a refusal, never a merge
            outcomes.append(f"error: {type(exc).__name__}")

    threads = [threading.Thread(target=save, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("saved") == 1, outcomes
    with services.local() as (session, user):
        stored = Profiles(session, user).get()
    assert stored is not None and stored.version == 2 and stored.data["n"] in (1, 2)


def test_a_user_cannot_reach_another_users_plan(services: Services) -> None:
    with services.unit_of_work() as session:
        alice, bob = create_user(session, "alice"), create_user(session, "bob")
        plan = Plans(session, alice).add("ml-engineer", {"weeks": []})
        with pytest.raises(NotFoundError):
            Plans(session, bob).get(plan.public_id)
        assert Plans(session, bob).current() is None
        assert Plans(session, alice).get(plan.public_id).role_id == "ml-engineer"


def test_replanning_keeps_history_and_one_current_plan(services: Services) -> None:
    with services.local() as (session, user):
        plans = Plans(session, user)
        plans.add("ml-engineer", {"v": 1})
        plans.add("ml-engineer", {"v": 2})
        assert [p.version for p in plans.history()] == [1, 2]
        current = plans.current("ml-engineer")
        assert current is not None and current.data == {"v": 2}


def test_one_plan_is_followed_across_roles_and_adopt_switches_it(services: Services) -> None:
    with services.local() as (session, user):
        plans = Plans(session, user)
        mle = plans.add("ml-engineer", {"v": 1})
        plans.add("data-scientist", {"v": 2})
        followed = plans.current()
        assert followed is not None and followed.role_id == "data-scientist"
        assert [p.is_current for p in plans.history()] == [False, True]
        plans.adopt(mle.public_id)
        followed = plans.current()
        assert followed is not None and followed.public_id == mle.public_id
        assert [p.is_current for p in plans.history()] == [True, False]
        # the latest plan for a role is still found when another one is followed
        other = plans.current("data-scientist")
        assert other is not None and other.data == {"v": 2}


def test_local_user_is_created_once(services: Services) -> None:
    with services.unit_of_work() as session:
        first = local_user(session).id
    with services.unit_of_work() as session:
        assert local_user(session).id == first


def test_sqlite_runs_in_wal_mode_with_foreign_keys(local_services: Services) -> None:
    with local_services.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
