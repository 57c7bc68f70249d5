"""The cohort load of bench/cohort_web.py at a tiny size: a few signed-in learners writing
progress and quiz reviews against `mlpivot serve` on each database, then every write the server
acknowledged is looked for in the database. No timing here: the figures are the bench's."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "cohort_web.py"


def _bench() -> ModuleType:
    found = sys.modules.get("cohort_web")
    if found is not None:
        return found
    spec = importlib.util.spec_from_file_location("cohort_web", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["cohort_web"] = module
    spec.loader.exec_module(module)
    return module


def test_concurrent_writers_lose_no_acknowledged_write(tmp_path: Path, database_url: str) -> None:
    workers = 1 if database_url.startswith("sqlite") else 2
    result = _bench().run_load(
        tmp_path, database_url, users=5, seconds=3, workers=workers, mode="writes"
    )
    assert result.server_errors == ""
    assert result.error_count == 0, dict(result.tally.kinds)
    assert result.acknowledged >= 10  # every learner wrote both kinds at least once
    assert result.lost == 0
    assert set(result.tally.times) == {"write: log hours", "write: rate a quiz answer", "/health"}


@pytest.mark.parametrize("database", ["sqlite"])
def test_learners_and_mentors_browsing_get_no_error(tmp_path: Path, database: str) -> None:
    result = _bench().run_load(
        tmp_path, f"sqlite:///{tmp_path / 'mlpivot.db'}", users=3, seconds=3, workers=1
    )
    assert result.server_errors == ""
    assert result.error_count == 0, dict(result.tally.kinds)
    assert {"/plan", "mentor: cohort dashboard", "/health"} <= set(result.tally.times)
