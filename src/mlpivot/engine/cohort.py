"""A cohort at a glance: who is on track, who is behind, which skills the cohort lacks most.

Pure: it takes each learner's progress report and gap (already computed by the engine) and
returns values; the pages and the CSV export only render them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mlpivot.engine.gap_report import GapReport
from mlpivot.engine.progress import ProgressReport

BEHIND_HOURS: Final = 4.0
"""hours under plan before a learner counts as behind: about a week's study at a modest pace"""
SKILLS_SHOWN: Final = 10


class Standing(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on track"
    BEHIND = "behind"
    NO_PLAN = "no plan"


@dataclass(frozen=True)
class LearnerState:
    public_id: str
    name: str
    progress: ProgressReport | None
    gap: GapReport | None


@dataclass(frozen=True)
class LearnerRow:
    public_id: str
    name: str
    standing: Standing
    role_id: str | None
    hours_logged: float
    hours_planned: float
    ahead_by_hours: float
    missing_skills: int


@dataclass(frozen=True)
class SkillNeed:
    skill_id: str
    name: str
    learners: int
    share: float
    """the fraction of the cohort's learners who lack it"""


@dataclass(frozen=True)
class CohortOverview:
    rows: list[LearnerRow]
    counts: dict[Standing, int]
    lacking: list[SkillNeed]


def standing(progress: ProgressReport | None) -> Standing:
    if progress is None:
        return Standing.NO_PLAN
    if progress.ahead_by_hours < -BEHIND_HOURS:
        return Standing.BEHIND
    if progress.ahead_by_hours > BEHIND_HOURS:
        return Standing.AHEAD
    return Standing.ON_TRACK


def overview_cohort(learners: Sequence[LearnerState]) -> CohortOverview:
    """Rows behind-first (those who need a mentor's word most), then the skills most lacked."""
    rows = [
        LearnerRow(
            public_id=s.public_id,
            name=s.name,
            standing=standing(s.progress),
            role_id=s.gap.role_id if s.gap else None,
            hours_logged=s.progress.hours_logged if s.progress else 0.0,
            hours_planned=s.progress.hours_planned_by_today if s.progress else 0.0,
            ahead_by_hours=s.progress.ahead_by_hours if s.progress else 0.0,
            missing_skills=len(s.gap.items) if s.gap else 0,
        )
        for s in learners
    ]
    order = [Standing.BEHIND, Standing.NO_PLAN, Standing.ON_TRACK, Standing.AHEAD]
    rows.sort(key=lambda r: (order.index(r.standing), r.ahead_by_hours, r.name))
    counts = {s: sum(1 for r in rows if r.standing is s) for s in order}
    lacked: Counter[str] = Counter()
    names: dict[str, str] = {}
    for state in learners:
        if state.gap is None:
            continue
        for item in state.gap.items:
            lacked[item.skill_id] += 1
            names[item.skill_id] = item.name
    total = len(learners) or 1
    lacking = [
        SkillNeed(skill_id, names[skill_id], count, count / total)
        for skill_id, count in sorted(lacked.items(), key=lambda kv: (-kv[1], names[kv[0]]))
    ][:SKILLS_SHOWN]
    return CohortOverview(rows, counts, lacking)
