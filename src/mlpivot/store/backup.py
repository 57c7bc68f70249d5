"""Whole-instance backups of the embedded database, taken and put back while it may be in use.

A file copy of a live SQLite database in WAL mode can miss the pages still in the write-ahead
log, or catch a transaction half written; SQLite's online backup API copies a consistent
snapshot instead, page by page, and the same API writes a backup back in one step. A backup
is therefore an ordinary single-file SQLite database (journal mode DELETE, no -wal beside it)
that any SQLite tool can open.

PostgreSQL has its own tools for this, better than anything we could write: `pg_dump` and
`pg_restore`. For a PostgreSQL URL these functions refuse with the commands to use.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from mlpivot.errors import UserError

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or restore moved: rows per table, so a person can see it is all there."""

    path: Path
    rows: dict[str, int]
    size_bytes: int
    revision: str | None
    safety_copy: Path | None = None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _postgres_guidance(engine: Engine, action: str) -> UserError:
    url = engine.url.render_as_string(hide_password=True)
    return UserError(
        f"{action} works on the embedded SQLite database; this instance uses PostgreSQL "
        f"({url}). Use PostgreSQL's own tools: `pg_dump --format=custom --file=mlpivot.dump "
        '"$DATABASE_URL"` to back up and `pg_restore --clean --if-exists --dbname='
        '"$DATABASE_URL" mlpivot.dump` to restore (see docs/OPERATIONS.md)'
    )


def sqlite_path(engine: Engine) -> Path:
    """The file behind a SQLite engine; anything else is refused with a sentence."""
    if engine.url.get_backend_name() != "sqlite":
        raise _postgres_guidance(engine, "backup and restore")
    database = engine.url.database
    if not database or database == ":memory:":
        raise UserError("an in-memory database has nothing to back up or restore into")
    return Path(database)


def table_rows(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows in every table of a SQLite database (the SQLite internals left out)."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def _check_integrity(connection: sqlite3.Connection, where: Path) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchall()
    if [row[0] for row in result] != ["ok"]:
        problems = "; ".join(str(row[0]) for row in result[:3])
        raise UserError(f"{where}: the database fails SQLite's integrity check ({problems})")


def backup(engine: Engine, destination: Path) -> BackupSummary:
    """Copy the live database to `destination`, a new file (never overwritten).

    The copy is written to a temporary file beside the destination, checked, and renamed into
    place, so a crash or a full disk never leaves a half-written backup under the chosen name.
    """
    source = sqlite_path(engine)
    if not source.exists():
        raise UserError(f"{source}: there is no database yet, so nothing to back up")
    if destination.exists():
        raise UserError(f"{destination} already exists: choose a new file name for the backup")
    folder = destination.resolve().parent
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder for the backup")
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part", dir=folder)
    os.close(handle)
    try:
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(temporary)) as copy:
            live.execute("PRAGMA busy_timeout=5000")
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            _check_integrity(copy, destination)
            rows = table_rows(copy)
            revision = _revision(copy)
        Path(temporary).replace(destination)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return BackupSummary(destination, rows, destination.stat().st_size, revision)


def inspect_backup(path: Path, known_revisions: set[str]) -> tuple[dict[str, int], str | None]:
    """Check that `path` is a whole mlpivot backup this version can read (nothing changes)."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise UserError(f"{path}: not a SQLite database, so not an mlpivot backup")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            _check_integrity(connection, path)
            rows = table_rows(connection)
            revision = _revision(connection)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path}: the backup cannot be read ({exc})") from None
    if revision is None or "users" not in rows:
        raise UserError(f"{path}: a SQLite database, but not an mlpivot backup (no mlpivot schema)")
    if revision not in known_revisions:
        raise UserError(
            f"{path}: the backup is at schema revision {revision}, which this version of mlpivot "
            "does not know: it was made by a newer mlpivot, so upgrade mlpivot to restore it; "
            "nothing was changed"
        )
    return rows, revision


def restore(
    engine: Engine, source: Path, known_revisions: set[str], now: datetime
) -> BackupSummary:
    """Replace the whole database with the backup at `source`.

    The backup is checked first (a SQLite file, intact, an mlpivot schema this code knows); the
    current database is then saved beside itself as a safety copy, and the backup written over
    it in one step by the online backup API, which holds the write lock throughout: another
    process sees the old data or the new, never a mixture. An older backup is brought up to the
    current schema by the caller's usual migration on next open.
    """
    target = sqlite_path(engine)
    rows, revision = inspect_backup(source, known_revisions)
    safety: Path | None = None
    if target.exists() and target.stat().st_size > 0:
        safety = target.with_name(
            f"{target.stem}.before-restore-{now:%Y%m%dT%H%M%S}{target.suffix}"
        )
        backup(engine, safety)
    engine.dispose()
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup_db,
        closing(sqlite3.connect(target)) as live,
    ):
        live.execute("PRAGMA busy_timeout=5000")
        backup_db.backup(live)
    return BackupSummary(source, rows, source.stat().st_size, revision, safety)
