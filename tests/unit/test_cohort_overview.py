"""The cohort dashboard's rules: who counts as behind, the order, the skills most lacked."""

from __future__ import annotations

from datetime import date

from mlpivot.catalog import Catalog
from mlpivot.engine.cohort import (
    BEHIND_HOURS,
    LearnerState,
    Standing,
    overview_cohort,
    standing,
)
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.profile import Profile
from mlpivot.engine.progress import ProgressReport


def _progress(ahead: float) -> ProgressReport:
    return ProgressReport(
        role_ids=["ml-engineer"],
        today=date(2027, 3, 1),
        hours_logged=max(0.0, 20 + ahead),
        hours_planned_by_today=20.0,
        ahead_by_hours=ahead,
        done_skills=[],
        planned_done_by_today=[],
        streak_weeks=1,
        percent_complete=0.1,
        summary="",
    )


def test_standing_has_a_band_of_a_few_hours_around_the_plan() -> None:
    assert standing(None) is Standing.NO_PLAN
    assert standing(_progress(0.0)) is Standing.ON_TRACK
    assert standing(_progress(-BEHIND_HOURS)) is Standing.ON_TRACK
    assert standing(_progress(-BEHIND_HOURS - 0.1)) is Standing.BEHIND
    assert standing(_progress(BEHIND_HOURS + 0.1)) is Standing.AHEAD


def test_the_overview_puts_the_learners_who_are_behind_first_and_counts_lacking_skills(
    catalog: Catalog,
) -> None:
    role = catalog.role("ml-engineer")
    novice = analyse_gap(Profile(), role, catalog)
    states = [
        LearnerState("a", "Ahead", _progress(10.0), novice),
        LearnerState("b", "Far behind", _progress(-30.0), novice),
        LearnerState("c", "No plan", None, None),
        LearnerState("d", "Slightly behind", _progress(-6.0), novice),
    ]
    overview = overview_cohort(states)
    assert [r.name for r in overview.rows] == ["Far behind", "Slightly behind", "No plan", "Ahead"]
    assert overview.counts[Standing.BEHIND] == 2 and overview.counts[Standing.AHEAD] == 1
    top = overview.lacking[0]
    assert top.learners == 3 and top.share == 0.75  # three of four learners have a gap
    assert top.skill_id in {item.skill_id for item in novice.items}
    assert len(overview.lacking) <= 10
    assert overview_cohort([]).rows == [] and overview_cohort([]).lacking == []
