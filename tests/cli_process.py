"""The `mlpivot` command run as a separate process, for the tests of every folder.

A plain module rather than a conftest function: pytest loads several `conftest` modules under
one name, so a test cannot import from "the" conftest reliably.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_process(
    data_dir: Path,
    port: int,
    args: tuple[str, ...] = (),
    env_extra: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`mlpivot serve ARGS` in a subprocess, up on `port`; yields (base URL, the process).

    Its output goes to a file, not a pipe: a pipe nobody reads fills up with access-log lines
    and stalls a busy server. The process is stopped on exit unless the test already did.
    """
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.update(env_extra or {})
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mlpivot", "serve", *args],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    output.seek(0)
                    said = output.read().decode("utf-8", "replace")
                    raise AssertionError(f"serve exited early: {said}")
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                raise AssertionError("serve did not answer /health within 60 s")
            yield url, proc
        finally:
            if proc.poll() is None:
                proc.terminate()
            proc.wait(timeout=20)
