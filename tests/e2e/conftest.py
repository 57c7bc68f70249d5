from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    data_dir: Path, port: int, args: tuple[str, ...], env_extra: dict[str, str] | None = None
) -> Iterator[str]:
    """`mlpivot serve ARGS` in a subprocess, expected on `port`; yields its base URL."""
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(data_dir), **(env_extra or {})}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlpivot", "serve", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(
                    f"serve exited early: {proc.stdout.read() if proc.stdout else ''}"
                )
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("serve did not answer /health within 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def serve_with(tmp_path: Path) -> Callable[..., AbstractContextManager[str]]:
    """Start `mlpivot serve` with given options and environment: `with serve_with(port, ...)`."""

    def start(
        port: int, args: tuple[str, ...] = (), env: dict[str, str] | None = None
    ) -> AbstractContextManager[str]:
        return serving(tmp_path / "data", port, args, env)

    return start


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`mlpivot serve` in a subprocess on a free port; yields its base URL."""
    port = free_port()
    with serving(tmp_path / "data", port, ("--port", str(port))) as url:
        yield url


@pytest.fixture
def browser(chromium_path: str) -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=chromium_path,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield launched
        finally:
            launched.close()
