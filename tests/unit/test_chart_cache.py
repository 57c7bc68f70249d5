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


def test_processes_asking_for_one_chart_at_once_draw_it_once(cache_dir: Path) -> None:
    """The workers of a server opening one new plan together: one draws, the others wait and
    read its file (a process that drew has imported matplotlib; one that read has not)."""
    plan = small_plan("Probability")
    code = (
        "import sys\n"
        "from mlpivot.engine.plan_model import Plan\n"
        "from mlpivot.reports.timeline import plan_timeline\n"
        "plan = Plan.model_validate_json(sys.stdin.readline())\n"
        "sys.stdin.readline()\n"  # the go signal: every process is ready before any asks
        "chart = plan_timeline(plan, 'svg')\n"
        "sys.stdout.write(f\"{'matplotlib' in sys.modules} {len(chart)}\")\n"
    )
    env = {**os.environ, "MLPIVOT_CACHE_DIR": str(cache_dir)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(plan.model_dump_json().encode() + b"\n")
        proc.stdin.flush()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        proc.stdin.close()
    answers = []
    for proc in procs:
        assert proc.stdout is not None
        answers.append(proc.stdout.read().decode().split())
        proc.wait(timeout=180)
    assert all(proc.returncode == 0 for proc in procs)
    assert sorted(drew for drew, _ in answers) == ["False", "False", "True"]
    assert len({size for _, size in answers}) == 1
    assert len(charts(cache_dir)) == 1


def test_a_cohort_of_charts_outlives_the_catalog_bound(cache_dir: Path) -> None:
    """A chart per plan version: a cohort's hundreds must not be pruned to the catalog's 16."""
    from mlpivot.catalog.cache import KEEP_FILES, read_cache, write_cache
    from mlpivot.reports.timeline import CHARTS_KEPT

    keys = [f"{n:064x}" for n in range(KEEP_FILES + 8)]
    for n, key in enumerate(keys):
        write_cache("charts", f"timeline-{n}.pickle", key, b"<svg/>", keep=CHARTS_KEPT)
    assert len(charts(cache_dir)) == len(keys)
    assert read_cache("charts", "timeline-0.pickle", keys[0], frozenset()) == b"<svg/>"
