"""The quick read path (`store.quick_read`): the same values as the repositories, or no answer.

`fit`, `gap`, `plan` and `export` read the local profile and the followed plan with sqlite3
when the file is at the newest revision; every other database goes the full way, which creates,
migrates or refuses it exactly as before.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from mlpivot.bootstrap import Services, find_stored_profile, followed_plan
from mlpivot.config import Settings
from mlpivot.engine.profile import Profile, profile_to_data
from mlpivot.errors import UserError
from mlpivot.store.quick_read import QuickReadUnavailable, local_plan, local_profile, sqlite_file
from mlpivot.store.repositories import Plans, Profiles

PROFILE = {
    "hours_per_week": 6,
    "country": "DE",
    "skills": {"python": {"level": 3}, "sql": {"level": 2}, "docker": {"level": 1}},
    "note": "Ünïcode “quotes” and a line\nbreak",
}


def _fresh(tmp_path: Path) -> Services:
    return Services(Settings(data_dir=tmp_path))


def _stored(tmp_path: Path) -> Services:
    """A database with a profile and plans for two roles, the second one followed."""
    services = _fresh(tmp_path)
    with services.local() as (session, user):
        Profiles(session, user).save(PROFILE, expected_version=None)
        Profiles(session, user).save({**PROFILE, "hours_per_week": 8}, expected_version=1)
        plans = Plans(session, user)
        plans.add("ml-engineer", {"weeks": [1, 2], "title": "first"})
        plans.add("ml-engineer", {"weeks": [1, 2, 3], "title": "second"})
        plans.add("data-scientist", {"weeks": [], "title": "third"})
    return services


def test_quick_reads_give_what_the_repositories_give(tmp_path: Path) -> None:
    _stored(tmp_path).close()
    full = _fresh(tmp_path)
    with full.local() as (session, user):
        profile = Profiles(session, user).get()
        plans = Plans(session, user)
        wanted = {role: plans.current(role) for role in (None, "ml-engineer", "data-scientist")}
        wanted["nobody"] = plans.current("nobody")
    full.close()
    path = tmp_path / "mlpivot.db"
    assert local_profile(path) == profile
    assert profile is not None and profile.version == 2
    for role, plan in wanted.items():
        assert local_plan(path, role) == plan
    assert wanted[None] is not None and wanted[None].role_id == "data-scientist"
    assert wanted["ml-engineer"] is not None and wanted["ml-engineer"].data["title"] == "second"
    assert wanted["nobody"] is None


def test_the_services_read_without_opening_sqlalchemy(tmp_path: Path) -> None:
    _stored(tmp_path).close()
    services = _fresh(tmp_path)
    plan = followed_plan(services, "ml-engineer")
    assert plan is not None and plan.data["title"] == "second"
    assert "engine" not in services.__dict__
    with services.local() as (session, user):  # a profile the engine accepts
        Profiles(session, user).save(
            profile_to_data(Profile(name="Ada", hours_per_week=5)), expected_version=2
        )
    services.close()
    again = _fresh(tmp_path)
    found = find_stored_profile(again)
    assert found is not None and found.version == 3
    assert (found.profile.name, found.profile.hours_per_week) == ("Ada", 5)
    assert "engine" not in again.__dict__
    again.close()


def test_a_database_without_a_local_user_is_read_the_full_way(tmp_path: Path) -> None:
    services = _fresh(tmp_path)
    _ = services.engine  # migrated, nobody in it yet
    services.close()
    with pytest.raises(QuickReadUnavailable):
        local_profile(tmp_path / "mlpivot.db")
    later = _fresh(tmp_path)
    assert find_stored_profile(later) is None
    assert "engine" in later.__dict__  # the full path made the local user
    later.close()
    assert local_profile(tmp_path / "mlpivot.db") is None  # now the quick path can say


def test_a_missing_database_is_created_the_full_way(tmp_path: Path) -> None:
    services = _fresh(tmp_path)
    assert followed_plan(services) is None
    assert (tmp_path / "mlpivot.db").is_file()
    services.close()


def test_a_newer_database_is_still_refused_and_left_as_it_was(tmp_path: Path) -> None:
    _stored(tmp_path).close()
    database = tmp_path / "mlpivot.db"
    conn = sqlite3.connect(database)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    digest = hashlib.sha256(database.read_bytes()).hexdigest()
    with pytest.raises(QuickReadUnavailable):
        local_plan(database, None)
    services = _fresh(tmp_path)
    with pytest.raises(UserError, match=r"schema revision 9999_from_the_future.*newer mlpivot"):
        followed_plan(services)
    services.close()
    assert hashlib.sha256(database.read_bytes()).hexdigest() == digest


def test_the_cli_refuses_a_newer_database_on_a_read_command(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("export", "data", "--out", str(tmp_path / "out.json")).returncode == 0
    database = tmp_path / "data" / "mlpivot.db"
    conn = sqlite3.connect(database)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    done = cli("fit")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: the database sqlite:///")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("sqlite:////data/mlpivot.db", Path("/data/mlpivot.db")),
        ("sqlite:///relative.db", Path("relative.db")),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:////data/mlpivot.db?mode=ro", None),
        ("postgresql+psycopg://me@localhost/mlpivot", None),
    ],
)
def test_only_a_plain_sqlite_file_takes_the_quick_path(url: str, found: Path | None) -> None:
    assert sqlite_file(url) == found
