"""What each learner's stored state is at, read for a whole cohort in three queries.

A mentor's dashboard derives every learner's gap and progress from their profile, followed
plan and logged work; doing that on every view made it the slowest page (tens of seconds for a
cohort of fifty under load). These stamps change whenever one of those records does, so a
derived summary can be kept under its learner's stamp and reused until the stamp moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from mlpivot.store.tables import PlanRow, ProfileRow, ProgressRow


@dataclass(frozen=True)
class LearnerVersion:
    """Enough of a learner's records to tell that any of them changed.

    The profile by row and version (an import writes a new row or a new version); the followed
    plan by row, public id and version; logged work by count, newest row, hours and "done"s,
    since rows are only ever added, or all replaced together by an import.
    """

    profile: tuple[int, int, datetime | None] | None
    plan: tuple[int, str, int] | None
    progress: tuple[int, int, str, float, int]


NO_PROGRESS = (0, 0, "", 0.0, 0)


def learner_versions(session: Session, owner_ids: Iterable[int]) -> dict[int, LearnerVersion]:
    """Each owner's stamp (owners with no records get an empty one)."""
    ids = sorted(set(owner_ids))
    if not ids:
        return {}
    profiles = {
        owner: (row_id, version, updated)
        for owner, row_id, version, updated in session.execute(
            select(ProfileRow.owner_id, ProfileRow.id, ProfileRow.version, ProfileRow.updated_at)
            .where(ProfileRow.owner_id.in_(ids))
            .order_by(ProfileRow.id)
        )
    }
    plans = {
        owner: (row_id, public_id, version)
        for owner, row_id, public_id, version in session.execute(
            select(PlanRow.owner_id, PlanRow.id, PlanRow.public_id, PlanRow.version)
            .where(PlanRow.owner_id.in_(ids), PlanRow.is_current.is_(True))
            .order_by(PlanRow.id)
        )
    }
    done = func.sum(case((ProgressRow.done.is_(True), 1), else_=0))
    progress = {
        owner: (int(count), int(newest), str(newest_public), float(hours or 0.0), int(dones or 0))
        for owner, count, newest, newest_public, hours, dones in session.execute(
            select(
                ProgressRow.owner_id,
                func.count(ProgressRow.id),
                func.max(ProgressRow.id),
                func.max(ProgressRow.public_id),
                func.sum(ProgressRow.hours),
                done,
            )
            .where(ProgressRow.owner_id.in_(ids))
            .group_by(ProgressRow.owner_id)
        )
    }
    return {
        owner: LearnerVersion(
            profiles.get(owner), plans.get(owner), progress.get(owner, NO_PROGRESS)
        )
        for owner in ids
    }
