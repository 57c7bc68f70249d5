"""The migration ids this code ships, read from the migration files' text.

No SQLAlchemy and no Alembic here: the quick read path (`store.quick_read`) checks that a
database is at the newest revision before trusting it, for the price of a few small file reads.
"""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(
    r"""^(down_revision|revision)\s*(?::[^=]+)?=\s*(?:None|['"]([^'"]+)['"])\s*$""", re.MULTILINE
)


def head_revision(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The newest migration's id, read from the migration files' own `revision` lines.

    None when the files do not give exactly one head plainly (a merge, a revision computed in
    code): then only Alembic itself can say, and `ensure_schema` asks it.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(path.read_text("utf-8"))}
        if not found.get("revision") or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        if found["down_revision"]:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def known_revisions(versions: Path = MIGRATIONS_DIR / "versions") -> set[str]:
    """Every migration id this code ships, read from the files' own `revision` lines."""
    found: set[str] = set()
    for path in versions.glob("*.py"):
        for match in _REVISION_LINE.finditer(path.read_text("utf-8")):
            if match.group(1) == "revision" and match.group(2):
                found.add(match.group(2))
    return found
