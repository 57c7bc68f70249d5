from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from cli_process import free_port, serve_process


@contextmanager
def serving(
    data_dir: Path, port: int, args: tuple[str, ...], env_extra: dict[str, str] | None = None
) -> Iterator[str]:
    """`mlpivot serve ARGS` in a subprocess, expected on `port`; yields its base URL."""
    with serve_process(data_dir, port, args, env_extra) as (url, _):
        yield url


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
