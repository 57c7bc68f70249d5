"""The web app killed (SIGKILL) in the middle of a burst of writes loses nothing it acknowledged.

Several browser-like clients, each with its own session cookie and CSRF token, log progress
through the web form as fast as they can; the server process is killed without warning while
they write, then started again on the same database. Every write that was answered with the
redirect that means "saved" must be there after the restart, no write may appear twice, and the
database must pass its own integrity check. The same on SQLite (WAL) and PostgreSQL.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import threading
import time
from contextlib import AbstractContextManager, closing
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from cli_process import free_port, run_cli, serve_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "backend-python.yaml"
CLIENTS = 4
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _serve(
    data_dir: Path, env: dict[str, str]
) -> AbstractContextManager[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    return serve_process(data_dir, port, ("--port", str(port)), env)


def _writer(url: str, client_no: int, acknowledged: list[float], stop: threading.Event) -> None:
    """Log hours until told to stop or the server dies; note each write the server confirmed."""
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/plan/log")
        token = TOKEN.search(page.text)
        assert token, "the page carries a CSRF token"
        n = 0
        while not stop.is_set():
            n += 1
            hours = round(1 + client_no + n / 10_000, 4)  # unique per write: its identity
            try:
                answer = client.post(
                    "/plan/progress",
                    data={"skill": "probability", "hours": str(hours), "csrf_token": token[1]},
                    headers={"Origin": url},
                )
            except httpx.HTTPError:
                return  # the server is gone: this write was never confirmed
            if answer.status_code == 303:
                acknowledged.append(hours)
            else:
                raise AssertionError(f"write refused: {answer.status_code} {answer.text[:200]}")


def _stored_hours(url: str | None, sqlite_file: Path) -> list[float]:
    if url is None:
        with closing(sqlite3.connect(sqlite_file)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return [r[0] for r in connection.execute("SELECT hours FROM progress")]
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        hours = [r[0] for r in conn.execute(text("SELECT hours FROM progress"))]
    engine.dispose()
    return hours


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_every_acknowledged_write_survives_a_killed_server(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    data_dir = tmp_path / "data"
    env: dict[str, str] = {}
    pg_url: str | None = None
    if database == "postgresql":
        pg_url = request.getfixturevalue("postgres_url")
        env["DATABASE_URL"] = pg_url
    for args in (
        ("assess", "--profile", str(EXAMPLE)),
        ("plan", "--role", "ml-engineer", "--save"),
    ):
        done = run_cli(*args, env_extra=env, data_dir=data_dir)
        assert done.returncode == 0, done.stderr

    acknowledged: list[float] = []
    with _serve(data_dir, env) as (url, proc):
        assert httpx.get(url + "/plan", timeout=60).status_code == 200  # warm: catalog loaded
        stop = threading.Event()
        writers = [
            threading.Thread(target=_writer, args=(url, n, acknowledged, stop), daemon=True)
            for n in range(CLIENTS)
        ]
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # mid-burst: the writers are still posting
        proc.wait(timeout=20)
        stop.set()
        for writer in writers:
            writer.join(timeout=20)
    assert len(acknowledged) >= 40, "the burst was under way when the server was killed"

    with _serve(data_dir, env) as (url, _):
        assert httpx.get(url + "/plan", timeout=10).status_code == 200
    stored = _stored_hours(pg_url, data_dir / "mlpivot.db")
    missing = sorted(set(acknowledged) - set(stored))
    assert not missing, f"{len(missing)} acknowledged writes lost, e.g. {missing[:5]}"
    assert len(stored) == len(set(stored)), "no write was stored twice"
