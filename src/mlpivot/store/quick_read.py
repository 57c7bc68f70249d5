"""Reading the local user's profile and followed plan straight from a SQLite file.

`fit`, `gap`, `plan` and `export` only read, and SQLAlchemy's import and ORM set-up cost several
times what the rest of such a command does. For the usual case (a SQLite file already at the
newest schema revision, the local user already there) the standard library's `sqlite3` reads
the same rows and hands out the same values the repositories do. Every other case (PostgreSQL,
a new, older or newer database, no local user yet) raises `QuickReadUnavailable`, and the
caller takes the full path, which creates, migrates or refuses exactly as before. Nothing here
ever writes: the file is opened read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from mlpivot.store.records import StoredPlan, StoredProfile
from mlpivot.store.revisions import head_revision


class QuickReadUnavailable(Exception):
    """This database cannot be read the quick way; use the full (SQLAlchemy) path."""


def sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL; None for anything else (PostgreSQL, memory,
    URL options), which only the full path reads."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    name = url.removeprefix(prefix)
    if not name or name == ":memory:":
        return None
    return Path(name)


@contextmanager
def _reader(path: Path) -> Iterator[tuple[sqlite3.Connection, int]]:
    """A read-only connection to a database at the newest revision, and the local user's id."""
    head = head_revision()
    if head is None or not path.is_file():
        raise QuickReadUnavailable(str(path))
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise QuickReadUnavailable(str(path)) from exc
    with closing(conn):
        try:
            revisions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if revisions != [(head,)]:
                raise QuickReadUnavailable(f"{path} is not at revision {head}")
            user = conn.execute(
                "SELECT id FROM users WHERE is_local = 1 ORDER BY id LIMIT 1"
            ).fetchone()
            if user is None:  # the full path creates the local user on first use
                raise QuickReadUnavailable(f"{path} has no local user yet")
            yield conn, int(user[0])
        except sqlite3.Error as exc:
            raise QuickReadUnavailable(str(path)) from exc


def _utc(value: str | datetime) -> datetime:
    """A stored timestamp as the repositories give it: aware, in UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_profile(path: Path) -> StoredProfile | None:
    """The local user's stored profile (None: there is none), as `Profiles.get` gives it."""
    with _reader(path) as (conn, owner):
        row = conn.execute(
            "SELECT public_id, version, data, updated_at FROM profiles "
            "WHERE owner_id = ? ORDER BY id LIMIT 1",
            (owner,),
        ).fetchone()
    if row is None:
        return None
    return StoredProfile(row[0], int(row[1]), dict(json.loads(row[2])), _utc(row[3]))


def local_plan(path: Path, role_id: str | None) -> StoredPlan | None:
    """The local user's followed plan, or with `role_id` its latest plan for that role, as
    `Plans.current` gives it."""
    columns = "public_id, role_id, version, is_current, data, created_at"
    with _reader(path) as (conn, owner):
        if role_id:
            row = conn.execute(
                f"SELECT {columns} FROM plans WHERE owner_id = ? AND role_id = ? "
                "ORDER BY is_current DESC, id DESC LIMIT 1",
                (owner, role_id),
            ).fetchone()
        else:
            row = conn.execute(
                f"SELECT {columns} FROM plans WHERE owner_id = ? AND is_current = 1 "
                "ORDER BY id DESC LIMIT 1",
                (owner,),
            ).fetchone()
    if row is None:
        return None
    return StoredPlan(
        row[0], row[1], int(row[2]), bool(row[3]), dict(json.loads(row[4])), _utc(row[5])
    )
