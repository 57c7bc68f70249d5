"""`mlpivot serve` listens where the settings say when no option says otherwise."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx

Serve = Callable[..., AbstractContextManager[str]]


def test_serve_listens_on_the_port_from_the_environment(serve_with: Serve, port: int) -> None:
    with serve_with(port, (), {"MLPIVOT_PORT": str(port)}) as url:
        assert httpx.get(url + "/health").json()["status"] == "ok"


def test_serve_listens_on_the_port_from_the_config_file(
    serve_with: Serve, port: int, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"port = {port}\n", encoding="utf-8")
    with serve_with(port, (), {"MLPIVOT_CONFIG_FILE": str(config)}) as url:
        assert httpx.get(url + "/health").json()["status"] == "ok"


def test_the_port_option_wins_over_the_setting(serve_with: Serve, port: int) -> None:
    with serve_with(port, ("--port", str(port)), {"MLPIVOT_PORT": "1"}) as url:
        assert httpx.get(url + "/health").json()["status"] == "ok"
