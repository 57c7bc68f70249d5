"""A database written by a newer mlpivot is refused with a sentence and left exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from mlpivot.bootstrap import Services
from mlpivot.config import Settings
from mlpivot.errors import UserError
from mlpivot.store.database import open_engine
from mlpivot.store.repositories import Profiles


def _snapshot(services: Services) -> tuple[list[str], list[tuple[object, ...]]]:
    with services.engine.connect() as conn:
        revisions = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        rows = [tuple(r) for r in conn.execute(text("SELECT public_id, version FROM profiles"))]
    return revisions, rows


def test_a_database_from_a_newer_release_is_refused_and_untouched(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    first = Services(settings)
    with first.local() as (session, user):
        Profiles(session, user).save({"name": "Ada"}, expected_version=None)
    with first.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    before = _snapshot(first)
    first.close()

    later = Services(settings)
    with pytest.raises(UserError, match=r"schema revision 9999_from_the_future.*newer mlpivot"):
        _ = later.engine
    later.close()

    engine = open_engine(settings.resolved_database_url())
    with engine.connect() as conn:
        revisions = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        rows = [tuple(r) for r in conn.execute(text("SELECT public_id, version FROM profiles"))]
    engine.dispose()
    assert (revisions, rows) == before


def test_the_cli_refuses_a_newer_sqlite_database_in_one_sentence(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("export", "data", "--out", str(tmp_path / "out.json")).returncode == 0
    database = tmp_path / "data" / "mlpivot.db"
    conn = sqlite3.connect(database)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    digest = hashlib.sha256(database.read_bytes()).hexdigest()
    done = cli("export", "data", "--out", str(tmp_path / "again.json"))
    assert done.returncode == 1
    assert done.stderr.startswith("Error: the database sqlite:///")
    assert "Traceback" not in done.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == digest
    assert not (tmp_path / "again.json").exists()
