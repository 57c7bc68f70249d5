"""The root --help listing from the cache is the listing a full build gives, and a damaged or
stale cache is rebuilt, never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from mlpivot.catalog.cache import cache_folder
from mlpivot.cli import app as cli_app


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MLPIVOT_DATA_DIR", str(tmp_path / "data"))
    return cache_folder() / cli_app.HELP_CACHE[0] / cli_app.HELP_CACHE[1]


def root_help() -> str:
    result = CliRunner().invoke(cli_app.app, ["--help"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_cached_listing_prints_the_same_help_as_a_full_build(cache: Path) -> None:
    built = root_help()
    assert cache.is_file()
    listing = cli_app.cached_summaries(cli_app.help_key())
    assert listing is not None
    assert set(listing) == set(typer.main.get_command(cli_app.app).commands)  # type: ignore[attr-defined]
    assert root_help() == built
    for name in ("roles", "plan", "import", "serve"):
        assert f" {name} " in built


def test_a_damaged_cache_file_is_rebuilt_not_shown(cache: Path) -> None:
    built = root_help()
    cache.write_bytes(cache.read_bytes()[:-40])  # truncated
    assert cli_app.cached_summaries(cli_app.help_key()) is None
    assert root_help() == built
    assert cli_app.cached_summaries(cli_app.help_key()) is not None  # stored again


def test_a_listing_stored_under_another_key_is_not_used(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = root_help()
    monkeypatch.setattr(cli_app, "help_key", lambda: "0" * 64)  # a source file changed
    assert cli_app.cached_summaries("0" * 64) is None
    assert root_help() == built


def test_the_key_follows_the_source_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "mlpivot"
    (package / "cli").mkdir(parents=True)
    app_file = package / "cli" / "app.py"
    app_file.write_text("x = 1\n")
    (package / "limits.py").write_text("LIMIT = 1\n")
    monkeypatch.setattr(cli_app, "__file__", str(app_file))
    before = cli_app.help_key()
    assert cli_app.help_key() == before
    (package / "limits.py").write_text("LIMIT = 22\n")  # a command's help may quote it
    assert cli_app.help_key() != before


def test_an_unwritable_cache_folder_still_prints_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(blocker))
    assert " roles " in root_help()
