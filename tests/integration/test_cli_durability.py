"""A CLI command killed (SIGKILL) in the middle of writing leaves the data as before or as after.

`import data` replaces everything in one transaction; SQLite in WAL mode must either keep the
old rows or show all the new ones after a crash, and pass `PRAGMA integrity_check`. The kill
comes at several moments of a large import; which side each run lands on is printed.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import uuid_utils

from cli_process import run_cli


def _export(progress: int, documents: int, tag: str) -> dict[str, Any]:
    stamp = "2025-01-01T00:00:00Z"
    return {
        "format": "mlpivot-export",
        "version": 1,
        "profile": {
            "public_id": str(uuid_utils.uuid7()),
            "created_at": stamp,
            "version": 1,
            "data": {"name": tag, "skills": {"python": 2}},
            "updated_at": stamp,
        },
        "plans": [],
        "progress": [
            {
                "public_id": str(uuid_utils.uuid7()),
                "created_at": stamp,
                "skill_id": "python",
                "hours": 1.0 + n % 7,
                "done": False,
                "logged_on": stamp,
            }
            for n in range(progress)
        ],
        "documents": [
            {
                "public_id": str(uuid_utils.uuid7()),
                "created_at": stamp,
                "kind": "resume",
                "filename": f"{tag}-{n}.txt",
                "text": f"{tag} resume {n} " + "Python SQL " * 2000,
                "parsed": {"n": n},
            }
            for n in range(documents)
        ],
        "evidence": [],
    }


def _exported(data_dir: Path, out: Path) -> dict[str, Any]:
    done = run_cli("export", "data", "--out", str(out), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def _integrity(database: Path) -> str:
    conn = sqlite3.connect(database)
    try:
        result: str = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return result
    finally:
        conn.close()


def test_import_data_killed_midway_leaves_before_or_after(tmp_path: Path) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(json.dumps(_export(3, 1, "before")), encoding="utf-8")
    large.write_text(json.dumps(_export(4_000, 40, "after")), encoding="utf-8")

    reference = tmp_path / "reference"
    assert run_cli("import", "data", str(small), "--yes", data_dir=reference).returncode == 0
    started = time.monotonic()
    done = run_cli("import", "data", str(large), "--yes", data_dir=reference)
    assert done.returncode == 0, done.stderr
    # Kill at fractions of how long a whole run takes on this machine right now, so the kills
    # land during start-up, parsing and writing however loaded the machine is.
    whole = time.monotonic() - started
    after = _exported(reference, tmp_path / "after.json")

    landed: list[str] = []
    for delay in (round(whole * f, 2) for f in (0.4, 0.7, 0.9)):
        data_dir = tmp_path / f"run-{delay}"
        assert run_cli("import", "data", str(small), "--yes", data_dir=data_dir).returncode == 0
        before = _exported(data_dir, tmp_path / f"before-{delay}.json")
        env = {**os.environ, "MLPIVOT_DATA_DIR": str(data_dir), "NO_COLOR": "1"}
        env.pop("DATABASE_URL", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "mlpivot", "import", "data", str(large), "--yes"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)  # when to kill, not a timed assertion
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert _integrity(data_dir / "mlpivot.db") == "ok"
        now = _exported(data_dir, tmp_path / f"now-{delay}.json")
        assert now in (before, after), f"half-written data after a kill at {delay} s"
        landed.append(f"{delay}s: {'after' if now == after else 'before'}{' (done)' * finished}")
    print("kill at " + ", ".join(landed))
