"""Make a release fixture: a database filled by a past release through its own commands.

    uv run python scripts/make_release_fixture.py 0.1.0 7aedeba

checks out COMMIT into a temporary folder, installs that release with uv from its own lock
file, runs the commands in tests/data/releases/VERSION/fill.txt with that release's `mlpivot`
in an empty data folder, and saves the database as tests/data/releases/VERSION/mlpivot.db (a
single self-contained SQLite file). tests/integration/test_release_upgrades.py then upgrades
every such database to the current schema on SQLite and PostgreSQL and checks that the data
survived. Run it once per release, when the release is cut; commit the result.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RELEASES = REPO / "tests" / "data" / "releases"


def run(args: list[str], **kwargs: object) -> None:
    print("$", shlex.join(args), flush=True)
    subprocess.run(args, check=True, **kwargs)  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "version", help="the release, e.g. 0.1.0 (a folder under tests/data/releases)"
    )
    parser.add_argument("commit", help="the git commit of that release")
    options = parser.parse_args()
    folder = RELEASES / options.version
    commands = [
        line.strip()
        for line in (folder / "fill.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    with tempfile.TemporaryDirectory(prefix="mlpivot-release-") as temporary:
        checkout = Path(temporary) / "checkout"
        data = Path(temporary) / "data"
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", options.commit], check=True, capture_output=True
        ).stdout
        checkout.mkdir()
        subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive, check=True)
        env = {**os.environ, "MLPIVOT_DATA_DIR": str(data), "NO_COLOR": "1"}
        env.pop("DATABASE_URL", None)
        env.pop("VIRTUAL_ENV", None)
        run(["uv", "sync", "--locked", "--quiet", "--project", str(checkout)], env=env)
        mlpivot = [str(checkout / ".venv" / "bin" / "mlpivot")]
        for command in commands:
            words = shlex.split(command.format(examples=checkout / "examples" / "profiles"))
            run(mlpivot + words, env=env, cwd=folder)
        target = folder / "mlpivot.db"
        target.unlink(missing_ok=True)
        with (
            closing(sqlite3.connect(data / "mlpivot.db")) as live,
            closing(sqlite3.connect(target)) as copy,
        ):
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            copy.execute("VACUUM")
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    print(f"wrote {target.relative_to(REPO)} ({target.stat().st_size:,} bytes, schema {revision})")


if __name__ == "__main__":
    sys.exit(main())
