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


def loaded_after(args: list[str] | None, data_dir: Path) -> set[str]:
    """The top-level packages in sys.modules after importing the CLI (and running `args`)."""
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
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=120
    )
    return {name.split(".")[0] for name in json.loads(out.read_text(encoding="utf-8"))}


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
