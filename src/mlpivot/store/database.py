"""Opening the database and bringing its schema up to date.

SQLite gets WAL (readers don't block the writer) and foreign keys (off by default there);
PostgreSQL needs nothing special. Migrations are Alembic's, shipped inside the package.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from mlpivot.errors import UserError
from mlpivot.store.revisions import MIGRATIONS_DIR, head_revision
from mlpivot.store.revisions import known_revisions as known_revisions

if TYPE_CHECKING:
    from alembic.config import Config


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def open_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, its folder is created first."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse text
        raise UserError(f"the database URL '{url}' is not valid: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to `revision` (idempotent); a database newer than the code is refused."""
    from alembic import command

    config = alembic_config(engine)
    refuse_unknown_revision(engine, config)
    command.upgrade(config, revision)


def refuse_unknown_revision(engine: Engine, config: Config) -> None:
    """Stop before Alembic touches a database written by a newer mlpivot.

    Alembic would fail on a revision it cannot locate, but with a traceback; and an older
    release must never try to "fix" a schema it does not know. Nothing is written here.
    """
    from alembic.script import ScriptDirectory

    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:  # no alembic_version table yet: a new database
        return
    scripts = ScriptDirectory.from_config(config)
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = sorted(set(found) - known)
    if unknown:
        raise UserError(
            f"the database {engine.url.render_as_string(hide_password=True)} is at schema "
            f"revision {', '.join(unknown)}, which this version of mlpivot does not know (its "
            f"newest is {scripts.get_current_head()}): it was written by a newer mlpivot, so "
            "upgrade mlpivot to use it; nothing in the database was changed"
        )


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a new database (or one we cannot read)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        return None
    return rows[0] if len(rows) == 1 else None


def ensure_schema(engine: Engine) -> None:
    """Migrate only when the database is behind: one small query on every start, not Alembic.

    Loading Alembic and its migration scripts costs more than most commands; a database already
    at the newest revision (the usual case) needs none of it.
    """
    head = head_revision()
    if head is None or schema_revision(engine) != head:
        migrate(engine)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session
