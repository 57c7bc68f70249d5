"""`mlpivot backup` / `restore`: a whole instance copied while in use and put back intact.

Data is written through the product's own commands, backed up, restored into an empty data
folder, and every row of every table compared. A backup that is damaged, foreign, or from a
newer mlpivot is refused before anything changes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from cli_process import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "profiles"


def _fill(data_dir: Path) -> None:
    """A learner's ordinary data: a profile, a followed plan, progress, an application."""
    for args in (
        ("assess", "--profile", str(EXAMPLES / "backend-python.yaml")),
        ("plan", "--role", "ml-engineer", "--start", "2027-01-04", "--save"),
        ("progress", "log", "probability", "--hours", "3"),
        ("apply", "add", "--company", "Ünïcode Labs", "--title", "ML Engineer"),
    ):
        result = run_cli(*args, data_dir=data_dir)
        assert result.returncode == 0, (args, result.stdout, result.stderr)


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(db)) as connection:
        names = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("source")
    _fill(data_dir)
    return data_dir


def test_a_backup_restored_into_an_empty_instance_has_every_row_of_every_table(
    filled: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "copy.sqlite"
    made = run_cli("backup", str(backup), "--json", data_dir=filled)
    assert made.returncode == 0, made.stderr
    summary = json.loads(made.stdout)
    assert summary["rows"]["plans"] >= 1 and summary["rows"]["progress"] == 1

    empty = tmp_path / "empty"
    restored = run_cli("restore", str(backup), "--yes", data_dir=empty)
    assert restored.returncode == 0, restored.stderr

    source_rows = _rows(filled / "mlpivot.db")
    assert _rows(empty / "mlpivot.db") == source_rows
    assert sum(len(v) for v in source_rows.values()) == sum(summary["rows"].values())
    shown = run_cli("apply", "list", "--json", data_dir=empty)
    assert "Ünïcode Labs" in shown.stdout


def test_a_backup_is_one_self_contained_file(filled: Path, tmp_path: Path) -> None:
    backup = tmp_path / "alone.sqlite"
    assert run_cli("backup", str(backup), data_dir=filled).returncode == 0
    moved = tmp_path / "elsewhere" / "moved.sqlite"
    moved.parent.mkdir()
    shutil.move(backup, moved)  # no -wal or -shm file is needed beside it
    assert not list(tmp_path.glob("alone.sqlite*"))
    with closing(sqlite3.connect(moved)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_restore_keeps_the_database_it_replaces(filled: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "mine"
    shutil.copytree(filled, data_dir)
    backup = tmp_path / "before.sqlite"
    assert run_cli("backup", str(backup), data_dir=data_dir).returncode == 0
    assert (
        run_cli("progress", "log", "statistics", "--hours", "2", data_dir=data_dir).returncode == 0
    )
    after_logging = _rows(data_dir / "mlpivot.db")

    restored = run_cli("restore", str(backup), "--yes", data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert len(_rows(data_dir / "mlpivot.db")["progress"]) == 1
    (safety,) = data_dir.glob("mlpivot.before-restore-*.db")
    assert safety.name in restored.stdout
    assert _rows(safety) == after_logging


def test_backup_never_overwrites_an_existing_file(filled: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken.sqlite"
    taken.write_text("my notes", encoding="utf-8")
    result = run_cli("backup", str(taken), data_dir=filled)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert taken.read_text(encoding="utf-8") == "my notes"


def _damaged(tmp_path: Path, filled: Path) -> list[tuple[Path, str]]:
    good = tmp_path / "good.sqlite"
    assert run_cli("backup", str(good), data_dir=filled).returncode == 0
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("not a database", encoding="utf-8")
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    foreign = tmp_path / "foreign.sqlite"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
    newer = tmp_path / "newer.sqlite"
    shutil.copy(good, newer)
    with closing(sqlite3.connect(newer)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
        connection.commit()
    return [
        (text_file, "not a SQLite database"),
        (truncated, "cannot be read"),
        (foreign, "not an mlpivot backup"),
        (newer, "newer mlpivot"),
        (tmp_path / "missing.sqlite", "no such file"),
    ]


def test_a_bad_backup_is_refused_and_nothing_changes(filled: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "mine"
    shutil.copytree(filled, data_dir)
    before = _rows(data_dir / "mlpivot.db")
    for bad, reason in _damaged(tmp_path, filled):
        result = run_cli("restore", str(bad), "--yes", data_dir=data_dir)
        assert result.returncode == 1, (bad, result.stdout)
        assert reason in result.stderr and bad.name in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert _rows(data_dir / "mlpivot.db") == before
    assert not list(data_dir.glob("*before-restore*"))


def test_postgresql_is_pointed_at_its_own_tools(tmp_path: Path) -> None:
    import os

    url = os.environ.get("MLPIVOT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("needs MLPIVOT_TEST_POSTGRES_URL (scripts/test-services.sh starts one)")
    result = run_cli(
        "backup", str(tmp_path / "pg.sqlite"), env_extra={"DATABASE_URL": url}, data_dir=tmp_path
    )
    assert result.returncode == 1
    assert "pg_dump" in result.stderr and "pg_restore" in result.stderr
    assert not (tmp_path / "pg.sqlite").exists()
