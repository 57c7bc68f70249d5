"""Every past release's database upgrades to this release with its data intact, on both databases.

A release fixture (tests/data/releases/VERSION/mlpivot.db) was filled by that release's own
`mlpivot` commands (scripts/make_release_fixture.py, fill.txt beside it). Here it is upgraded
through every later migration to head, then read by today's commands: the learner's profile,
followed plan, progress and stored resume must all be there and still render. Migrations that
can be undone are undone, and the data checked again. On PostgreSQL the fixture's rows are
first copied into a database built at the fixture's own schema revision.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, DateTime, MetaData, text

from cli_process import run_cli
from mlpivot.store.database import head_revision, migrate, open_engine, schema_revision

RELEASES = Path(__file__).resolve().parents[1] / "data" / "releases"
FIXTURES = sorted(RELEASES.glob("*/mlpivot.db"))
# Parents before children, so foreign keys hold while rows are copied.
TABLE_ORDER = ("users", "profiles", "evidence", "documents", "plans", "progress")


def _rows(db: Path, table: str) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(db)) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY id')]


def _release_revision(db: Path) -> str:
    with closing(sqlite3.connect(db)) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_there_is_a_fixture_for_the_first_release() -> None:
    assert (RELEASES / "0.1.0" / "mlpivot.db") in FIXTURES


def _copy_into_postgres(fixture: Path, url: str) -> None:
    """The fixture's rows, typed as PostgreSQL wants them, into a database at its revision."""
    engine = open_engine(url)
    migrate(engine, _release_revision(fixture))
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as conn:
        for name in TABLE_ORDER:
            table = metadata.tables[name]
            rows = []
            for row in _rows(fixture, name):
                for column in table.columns:
                    value = row[column.name]
                    if value is None:
                        continue
                    if isinstance(column.type, JSON):
                        row[column.name] = json.loads(value)
                    elif isinstance(column.type, Boolean):
                        row[column.name] = bool(value)
                    elif isinstance(column.type, DateTime):
                        row[column.name] = datetime.fromisoformat(value)
                rows.append(row)
            if rows:
                conn.execute(table.insert(), rows)
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {name}))"
                )
            )
    engine.dispose()


@pytest.fixture(
    params=[(kind, f) for f in FIXTURES for kind in ("sqlite", "postgresql")],
    ids=lambda p: f"{p[1].parent.name}-{p[0]}",
)
def upgraded(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, Path]:
    """(fixture, database URL, data folder) for a release, its database not yet upgraded."""
    kind, fixture = request.param
    data_dir = tmp_path / fixture.parent.name
    data_dir.mkdir()
    if kind == "sqlite":
        shutil.copy(fixture, data_dir / "mlpivot.db")
        return fixture, f"sqlite:///{data_dir / 'mlpivot.db'}", data_dir
    url: str = request.getfixturevalue("postgres_url")
    _copy_into_postgres(fixture, url)
    return fixture, url, data_dir


def _cli(url: str, data_dir: Path, *args: str) -> Any:
    done = run_cli(*args, "--json", env_extra={"DATABASE_URL": url}, data_dir=data_dir)
    assert done.returncode == 0, (args, done.stdout[-500:], done.stderr[-2000:])
    return json.loads(done.stdout)


def test_a_release_database_upgrades_with_every_row_kept_and_still_renders(
    upgraded: tuple[Path, str, Path],
) -> None:
    fixture, url, data_dir = upgraded
    release_rows = {name: _rows(fixture, name) for name in TABLE_ORDER}
    assert release_rows["profiles"] and release_rows["plans"] and release_rows["progress"]

    export_file = data_dir / "export.json"
    done = run_cli(
        "export",
        "data",
        "--out",
        str(export_file),
        env_extra={"DATABASE_URL": url},
        data_dir=data_dir,
    )
    assert done.returncode == 0, done.stderr
    engine = open_engine(url)
    assert schema_revision(engine) == head_revision()
    engine.dispose()

    exported = json.loads(export_file.read_text(encoding="utf-8"))
    old_profile = json.loads(release_rows["profiles"][0]["data"])
    assert exported["profile"]["data"]["skills"] == old_profile["skills"]
    assert exported["profile"]["version"] == release_rows["profiles"][0]["version"]
    assert sorted(p["public_id"] for p in exported["plans"]) == sorted(
        p["public_id"] for p in release_rows["plans"]
    )
    assert sorted((p["skill_id"], p["hours"], bool(p["done"])) for p in exported["progress"]) == (
        sorted((p["skill_id"], p["hours"], bool(p["done"])) for p in release_rows["progress"])
    )
    assert [d["filename"] for d in exported["documents"]] == [
        d["filename"] for d in release_rows["documents"]
    ]

    fit = _cli(url, data_dir, "fit")
    assert fit, "the upgraded profile ranks the roles"
    progress = _cli(url, data_dir, "progress")
    assert json.dumps(progress).count("probability") >= 1
    plans = _cli(url, data_dir, "plan", "list")
    assert len(plans) == len(release_rows["plans"])


def test_every_later_migration_is_undone_without_losing_the_release_data(
    upgraded: tuple[Path, str, Path],
) -> None:
    fixture, url, _ = upgraded
    release = _release_revision(fixture)
    engine = open_engine(url)
    migrate(engine)
    assert schema_revision(engine) == head_revision()

    from alembic import command

    from mlpivot.store.database import alembic_config

    command.downgrade(alembic_config(engine), release)
    assert schema_revision(engine) == release
    with engine.connect() as conn:
        for name in TABLE_ORDER:
            count = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            assert count == len(_rows(fixture, name)), name
    migrate(engine)
    assert schema_revision(engine) == head_revision()
    engine.dispose()
