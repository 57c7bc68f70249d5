"""Imports follow the command: start-up loads no heavy library that the command does not use.

No timing here (that is bench/cli.py); this pins *what* is loaded, which is what makes a
command slow or fast, and fails the moment a module-level import drags a library back in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROFILE = REPO / "examples" / "profiles" / "backend-python.yaml"
HEAVY = (
    "matplotlib",
    "reportlab",
    "scipy",
    "highspy",
    "pypdf",
    "pdfplumber",
    "pdfminer",
    "docx",
    "pycrfsuite",
    "alembic",
    "bs4",
    "icalendar",
    "fastapi",
    "fsrs",
    "genanki",
)
"""Libraries only some commands need (alembic: only when the database is behind)."""
NOT_AT_START = (*HEAVY, "sqlalchemy", "numpy", "yaml", "jinja2", "pydantic_settings")
"""...and what `--version` and `--help` need no part of."""


def modules_after(
    args: list[str] | None, data_dir: Path, cache_dir: Path | None = None
) -> set[str]:
    """sys.modules after importing the CLI (and running `args`)."""
    out = data_dir / "modules.json"
    code = (
        "import json, sys\n"
        "from mlpivot.cli.app import app\n"
        f"args = {args!r}\n"
        "if args is not None:\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        f"open({str(out)!r}, 'w').write(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    if cache_dir is not None:
        env["MLPIVOT_CACHE_DIR"] = str(cache_dir)
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=120
    )
    return set(json.loads(out.read_text(encoding="utf-8")))


def loaded_after(args: list[str] | None, data_dir: Path) -> set[str]:
    """The top-level packages in sys.modules after importing the CLI (and running `args`)."""
    return {name.split(".")[0] for name in modules_after(args, data_dir)}


def command_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.startswith("mlpivot.cli.") and m.endswith(("_cmd", "market"))}


def test_importing_the_cli_loads_no_heavy_library(tmp_path: Path) -> None:
    assert loaded_after(None, tmp_path) & set(NOT_AT_START) == set()


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_load_no_heavy_library(tmp_path: Path, args: list[str]) -> None:
    assert loaded_after(args, tmp_path) & set(NOT_AT_START) == set()


@pytest.mark.parametrize("args", [["roles"], ["skill", "show", "pytorch"]])
def test_catalog_commands_touch_neither_database_nor_heavy_libraries(
    tmp_path: Path, args: list[str]
) -> None:
    loaded = loaded_after(args, tmp_path)
    assert loaded & {*HEAVY, "sqlalchemy", "numpy"} == set()


def test_fit_on_a_current_database_loads_no_chart_pdf_solver_or_migration_code(
    tmp_path: Path,
) -> None:
    loaded_after(["assess", "--profile", str(PROFILE)], tmp_path)  # creates the database
    assert loaded_after(["fit"], tmp_path) & set(HEAVY) == set()


def test_a_command_imports_its_own_module_and_no_other_command_module(tmp_path: Path) -> None:
    assert command_modules(modules_after(None, tmp_path)) == set()
    assert command_modules(modules_after(["roles"], tmp_path)) == {"mlpivot.cli.roles_cmd"}
    assert command_modules(modules_after(["import", "--help"], tmp_path)) == {
        "mlpivot.cli.import_cmd",
        "mlpivot.cli.posting_cmd",
        "mlpivot.cli.account_cmd",
    }


def test_help_still_lists_every_command_of_every_module(tmp_path: Path) -> None:
    """--help builds every lazily registered section (each checked against the names it
    declares), so the listing is the whole command line."""
    code = (
        "import typer\n"
        "from mlpivot.cli.app import SECTIONS, _build, app\n"
        "group = typer.main.get_command(app)\n"
        "listed = group.list_commands(None)\n"
        "built = [n for key in SECTIONS for n in _build(key)]\n"
        "assert sorted(listed) == sorted(built), (listed, built)\n"
        "assert all(group.get_command(None, n) is not None for n in listed)\n"
        "print(len(listed))\n"
    )
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 20


def test_help_from_its_cached_listing_builds_no_command_module(tmp_path: Path) -> None:
    """The first --help builds every command and stores the listing; the next one reads it."""
    cache = tmp_path / "cache"
    first = modules_after(["--help"], tmp_path, cache)
    again = modules_after(["--help"], tmp_path, cache)
    assert command_modules(first)  # nothing cached yet: every section was built
    assert command_modules(again) == set()


def test_starting_the_web_app_loads_no_document_reader(tmp_path: Path) -> None:
    """Resumes and postings are read by the pages that take them, not by the server's start."""
    out = tmp_path / "modules.json"
    code = (
        "import json, sys\n"
        "import mlpivot.web.app\n"
        f"open({str(out)!r}, 'w').write(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    loaded = set(json.loads(out.read_text(encoding="utf-8")))
    readers = {"mlpivot.ingest.resume", "mlpivot.ingest.documents", "mlpivot.ingest.match"}
    assert loaded & readers == set()
    assert {name.split(".")[0] for name in loaded} & {
        "pypdf",
        "docx",
        "pycrfsuite",
        "yaml",
    } == set()
