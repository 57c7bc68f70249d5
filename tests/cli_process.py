"""The `mlpivot` command run as a separate process, for the tests of every folder.

A plain module rather than a conftest function: pytest loads several `conftest` modules under
one name, so a test cannot import from "the" conftest reliably.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str, env_extra: dict[str, str] | None = None, data_dir: Path
) -> subprocess.CompletedProcess[str]:
    """Run the installed `mlpivot` command exactly as a person would, in a plain 80-column
    terminal (issue 13: every table must read there)."""
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(data_dir), "NO_COLOR": "1", "COLUMNS": "80"}
    env.pop("DATABASE_URL", None)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "mlpivot", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
