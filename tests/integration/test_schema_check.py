"""Start-up checks the schema version with one query and runs Alembic only when it is behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from mlpivot.bootstrap import Services
from mlpivot.config import Settings
from mlpivot.store.database import (
    alembic_config,
    ensure_schema,
    head_revision,
    migrate,
    schema_revision,
)


def test_the_head_read_from_the_files_is_alembics_own() -> None:
    from alembic.script import ScriptDirectory

    from mlpivot.store.database import MIGRATIONS_DIR

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    assert head_revision() == script.get_current_head()


def test_head_revision_follows_a_chain_and_gives_up_on_a_merge(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('revision = "0001"\ndown_revision = None\n', encoding="utf-8")
    (tmp_path / "b.py").write_text(
        "revision: str = '0002'\ndown_revision: Union[str, None] = '0001'\n", encoding="utf-8"
    )
    assert head_revision(tmp_path) == "0002"
    (tmp_path / "c.py").write_text(
        'revision = "0003"\ndown_revision = ("0001", "0002")\n', encoding="utf-8"
    )
    assert head_revision(tmp_path) is None  # Alembic decides


def test_a_new_database_is_migrated_on_first_use(database_url: str, tmp_path: Path) -> None:
    services = Services(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        assert schema_revision(services.engine) == head_revision()
        assert "plans" in inspect(services.engine).get_table_names()
    finally:
        services.close()


def test_a_database_behind_is_migrated(database_url: str, tmp_path: Path) -> None:
    from alembic import command

    services = Services(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        engine = services.engine
        command.downgrade(alembic_config(engine), "base")
        assert schema_revision(engine) is None
        assert "plans" not in inspect(engine).get_table_names()
        ensure_schema(engine)
        assert schema_revision(engine) == head_revision()
        assert "plans" in inspect(engine).get_table_names()
    finally:
        services.close()


def test_a_current_database_starts_without_loading_alembic(
    database_url: str, tmp_path: Path
) -> None:
    services = Services(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        migrate(services.engine)
    finally:
        services.close()
    code = (
        "import sys\n"
        "from mlpivot.bootstrap import Services\n"
        "from mlpivot.config import Settings\n"
        f"s = Services(Settings(data_dir={str(tmp_path)!r}, database_url={database_url!r}))\n"
        "with s.local() as (session, user): pass\n"
        "s.close()\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
