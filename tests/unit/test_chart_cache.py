"""A plan's timeline is drawn once per plan content and kept in the user cache folder, with the
catalog cache's rules: another plan or other options draw afresh, a damaged file is redrawn,
an unwritable folder means no cache."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from mlpivot.engine.plan_model import Phase, Plan, PlanBlock, PlanWeek
from mlpivot.reports.timeline import draw_timeline, plan_timeline


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(folder))
    return folder


MONDAY = date(2027, 1, 4)


def small_plan(title: str) -> Plan:
    block = PlanBlock(
        kind="skill",
        ref_id="probability",
        title=title,
        hours=6,
        phase="Foundations",
        completes=True,
    )
    week = PlanWeek(
        index=0,
        start=MONDAY,
        end=MONDAY + timedelta(days=6),
        available=True,
        hours_budget=6,
        blocks=(block,),
    )
    return Plan(
        role_ids=("ml-engineer",),
        pathway_id=None,
        pathway_name="",
        hours_per_week=6,
        start=MONDAY,
        finish=MONDAY + timedelta(days=6),
        weeks_to_ready=1,
        total_hours=6,
        weeks=(week,),
        phases=(
            Phase(name="Foundations", start=MONDAY, end=MONDAY + timedelta(days=6), study_hours=6),
        ),
        projects=(),
        specialisms=(),
    )


def charts(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "charts").iterdir() if not p.name.startswith("."))


def drawn_in_new_process(cache_dir: Path, plan: Plan) -> tuple[bytes, bool]:
    """The chart a new process gets, and whether it had to import matplotlib for it."""
    code = (
        "import sys\n"
        "from mlpivot.engine.plan_model import Plan\n"
        "from mlpivot.reports.timeline import plan_timeline\n"
        "plan = Plan.model_validate_json(sys.stdin.read())\n"
        "sys.stdout.buffer.write(plan_timeline(plan, 'svg'))\n"
        "sys.stderr.write(str('matplotlib' in sys.modules))\n"
    )
    env = {**os.environ, "MLPIVOT_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=plan.model_dump_json().encode(),
        env=env,
        capture_output=True,
        check=True,
    )
    return done.stdout, done.stderr.decode().strip().endswith("True")


def test_a_chart_is_drawn_once_and_read_back_by_the_next_process(cache_dir: Path) -> None:
    plan = small_plan("Probability")
    first = plan_timeline(plan, "svg")
    assert len(charts(cache_dir)) == 1
    again, imported = drawn_in_new_process(cache_dir, plan)
    assert again == first == draw_timeline(plan, "svg")
    assert not imported


def test_another_plan_or_other_options_get_their_own_chart(cache_dir: Path) -> None:
    one = plan_timeline(small_plan("Probability"), "svg")
    other = plan_timeline(small_plan("Statistics"), "svg")
    assert b"Probability" in one and b"Statistics" in other
    assert plan_timeline(small_plan("Probability"), "svg", title="Mine") != one
    assert plan_timeline(small_plan("Probability"), "png").startswith(b"\x89PNG")
    assert len(charts(cache_dir)) == 4


@pytest.mark.parametrize("damage", ["flip-a-byte", "truncate"])
def test_a_damaged_chart_file_is_redrawn(cache_dir: Path, damage: str) -> None:
    plan = small_plan("Probability")
    first = plan_timeline(plan, "svg")
    (path,) = charts(cache_dir)
    blob = path.read_bytes()
    if damage == "flip-a-byte":
        middle = len(blob) // 2
        blob = blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :]
    else:
        blob = blob[: len(blob) // 2]
    path.write_bytes(blob)
    again, imported = drawn_in_new_process(cache_dir, plan)
    assert again == first
    assert imported
    assert path.read_bytes() != blob


def test_an_unwritable_cache_folder_still_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(blocker / "cache"))
    assert b"Probability" in plan_timeline(small_plan("Probability"), "svg")
