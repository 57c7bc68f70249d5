"""The raw-data tests skip on a machine without the data and fail under MLPIVOT_REQUIRE_ALL=1.

A clone with nothing beside it must stay green (the data is not in the repository), while CI,
which sets MLPIVOT_REQUIRE_ALL=1, must not pass by skipping. Run pytest as a person would, in
a subprocess, with the data folder pointed at an empty directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RAW_DATA_TESTS = "tests/integration/test_market_rebuild.py"


def _pytest_on_empty_data(tmp_path: Path, require_all: bool) -> subprocess.CompletedProcess[str]:
    empty = tmp_path / "no-data"
    empty.mkdir()
    env = {**os.environ, "MLPIVOT_SHARED_DATA": str(empty), "COLUMNS": "300"}
    env.pop("MLPIVOT_REQUIRE_ALL", None)
    if require_all:
        env["MLPIVOT_REQUIRE_ALL"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-rsfE",
            RAW_DATA_TESTS,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("require_all", [False, True], ids=["developer", "ci"])
def test_raw_data_tests_skip_without_data_and_fail_when_required(
    tmp_path: Path, require_all: bool
) -> None:
    run = _pytest_on_empty_data(tmp_path, require_all)
    summary = run.stdout.strip().splitlines()[-1]
    assert "passed" not in summary, run.stdout
    assert "run `make data`" in run.stdout
    if require_all:
        assert run.returncode == 1, run.stdout
        # pytest.fail in a fixture counts as an error: either way the run is red.
        assert ("failed" in summary or "error" in summary) and "skipped" not in summary
        assert "(MLPIVOT_REQUIRE_ALL=1)" in run.stdout
    else:
        assert run.returncode == 0, run.stdout
        assert " skipped" in summary and "failed" not in summary and "error" not in summary
