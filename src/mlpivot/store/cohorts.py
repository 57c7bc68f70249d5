"""Cohorts, their members, and the feedback mentors leave on a learner's work.

Who may see whom is decided here, in one place, by queries: a mentor sees the learners of the
cohorts they mentor, an admin sees every cohort, a learner sees only their own records. Anything
else is reported exactly like a record that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mlpivot.errors import NotFoundError, UserError
from mlpivot.store.accounts import Account, AccountRole, account_of
from mlpivot.store.tables import (
    CohortMemberRow,
    CohortRow,
    FeedbackRow,
    InterviewAnswerRow,
    PlanRow,
    ReviewRow,
    User,
)

SCORE_RANGE: Final = (0, 5)
COMMENT_MAX_CHARS: Final = 5000


class MemberRole(StrEnum):
    LEARNER = "learner"
    MENTOR = "mentor"


@dataclass(frozen=True)
class StoredCohort:
    id: int
    public_id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Member:
    account: Account
    role: MemberRole


def _cohort(row: CohortRow) -> StoredCohort:
    return StoredCohort(row.id, row.public_id, row.name, row.created_at)


class Cohorts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, name: str, created_by: Account) -> StoredCohort:
        name = name.strip()
        if not name or len(name) > 200:
            raise UserError("a cohort needs a name (at most 200 characters)")
        row = CohortRow(name=name, created_by=created_by.id)
        self.session.add(row)
        self.session.flush()
        return _cohort(row)

    def visible_to(self, viewer: Account) -> list[tuple[StoredCohort, MemberRole | None]]:
        """The cohorts a person may open, with their role in each (None: an admin's view)."""
        if viewer.is_admin:
            rows = self.session.scalars(
                select(CohortRow).order_by(CohortRow.name, CohortRow.id)
            ).all()
            roles = self.session.execute(
                select(CohortMemberRow.cohort_id, CohortMemberRow.role).where(
                    CohortMemberRow.user_id == viewer.id
                )
            ).tuples()
            mine = dict(roles.all())  # a Result has keys(): dict() would misread it
            return [(_cohort(r), MemberRole(mine[r.id]) if r.id in mine else None) for r in rows]
        found = self.session.execute(
            select(CohortRow, CohortMemberRow.role)
            .join(CohortMemberRow, CohortMemberRow.cohort_id == CohortRow.id)
            .where(CohortMemberRow.user_id == viewer.id)
            .order_by(CohortRow.name, CohortRow.id)
        ).tuples()
        return [(_cohort(row), MemberRole(role)) for row, role in found]

    def open(self, public_id: str, viewer: Account, *, mentor_view: bool) -> StoredCohort:
        """The cohort if the viewer may open it: an admin always, a member otherwise; with
        `mentor_view`, only its mentors (and admins). Anything else: not found."""
        row = self.session.scalars(
            select(CohortRow).where(CohortRow.public_id == public_id)
        ).first()
        if row is not None and not viewer.is_admin:
            role = self._role(row.id, viewer.id)
            if role is None or (mentor_view and role is not MemberRole.MENTOR):
                row = None
        if row is None:
            raise NotFoundError(f"there is no cohort '{public_id[:40]}' that you can open")
        return _cohort(row)

    def _role(self, cohort_id: int, user_id: int) -> MemberRole | None:
        role = self.session.scalar(
            select(CohortMemberRow.role).where(
                CohortMemberRow.cohort_id == cohort_id, CohortMemberRow.user_id == user_id
            )
        )
        return MemberRole(role) if role else None

    def join(self, cohort_id: int, account: Account, role: MemberRole) -> None:
        """Add a member; joining again with an invitation changes their role to the new one."""
        row = self.session.scalars(
            select(CohortMemberRow).where(
                CohortMemberRow.cohort_id == cohort_id, CohortMemberRow.user_id == account.id
            )
        ).first()
        if row is None:
            self.session.add(CohortMemberRow(cohort_id=cohort_id, user_id=account.id, role=role))
        else:
            row.role = role.value
        if role is MemberRole.MENTOR and account.role is AccountRole.LEARNER:
            user = self.session.get(User, account.id)
            if user is not None:
                user.role = AccountRole.MENTOR.value
        self.session.flush()

    def members(self, cohort: StoredCohort) -> list[Member]:
        found = self.session.execute(
            select(User, CohortMemberRow.role)
            .join(CohortMemberRow, CohortMemberRow.user_id == User.id)
            .where(CohortMemberRow.cohort_id == cohort.id)
            .order_by(CohortMemberRow.role, User.name, User.id)
        ).tuples()
        return [Member(account_of(user), MemberRole(role)) for user, role in found]

    def name_of(self, cohort_id: int) -> str:
        row = self.session.get(CohortRow, cohort_id)
        return row.name if row else "a cohort"

    def learner(self, cohort: StoredCohort, public_id: str) -> Account:
        """A learner of this cohort, found by public id (the caller has opened the cohort)."""
        user = self.session.scalars(
            select(User)
            .join(CohortMemberRow, CohortMemberRow.user_id == User.id)
            .where(
                CohortMemberRow.cohort_id == cohort.id,
                CohortMemberRow.role == MemberRole.LEARNER.value,
                User.public_id == public_id,
            )
        ).first()
        if user is None:
            raise NotFoundError(f"there is no learner '{public_id[:40]}' in {cohort.name}")
        return account_of(user)


class FeedbackTarget(StrEnum):
    PLAN = "plan"
    ANSWER = "answer"
    """a quiz answer (a review)"""
    INTERVIEW = "interview"
    """one answer of a mock interview"""
    GENERAL = "general"


@dataclass(frozen=True)
class StoredFeedback:
    public_id: str
    author: str
    cohort: str | None
    target_kind: FeedbackTarget
    target_id: str | None
    score: int | None
    comment: str
    created_at: datetime


class Feedback:
    """What mentors said about one learner's work; the learner owns the rows.

    A comment on an interview answer is about that answer; `on_interviews` picks those out for
    the pages that show the answers."""

    def __init__(self, session: Session, learner: Account) -> None:
        self.session, self.learner = session, learner

    def add(
        self,
        author: Account,
        cohort: StoredCohort | None,
        target_kind: FeedbackTarget,
        target_id: str | None,
        score: int | None,
        comment: str,
        now: datetime,
    ) -> StoredFeedback:
        comment = comment.strip()
        low, high = SCORE_RANGE
        if score is not None and not low <= score <= high:
            raise UserError(f"a score is a whole number from {low} to {high}, not {score}")
        if not comment and score is None:
            raise UserError("write a comment or give a score (or both)")
        if len(comment) > COMMENT_MAX_CHARS:
            raise UserError(f"the comment is longer than {COMMENT_MAX_CHARS} characters")
        if target_kind is not FeedbackTarget.GENERAL:
            self._check_target(target_kind, target_id)
        else:
            target_id = None
        row = FeedbackRow(
            owner_id=self.learner.id,
            author_id=author.id,
            cohort_id=cohort.id if cohort else None,
            target_kind=target_kind.value,
            target_id=target_id,
            score=score,
            comment=comment,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return StoredFeedback(
            row.public_id,
            author.name,
            cohort.name if cohort else None,
            target_kind,
            target_id,
            score,
            comment,
            now,
        )

    def _check_target(self, kind: FeedbackTarget, target_id: str | None) -> None:
        table: type[PlanRow] | type[ReviewRow] | type[InterviewAnswerRow] = PlanRow
        if kind is FeedbackTarget.ANSWER:
            table = ReviewRow
        elif kind is FeedbackTarget.INTERVIEW:
            table = InterviewAnswerRow
        found = self.session.scalar(
            select(table.id).where(table.owner_id == self.learner.id, table.public_id == target_id)
        )
        if found is None:
            raise NotFoundError(
                f"{self.learner.name} has no {kind.value} '{(target_id or '')[:40]}' to comment on"
            )

    def on_interviews(self) -> dict[str, list[StoredFeedback]]:
        """Feedback on interview answers, by the answer's public id, newest first."""
        found: dict[str, list[StoredFeedback]] = {}
        for item in self.all():
            if item.target_kind is FeedbackTarget.INTERVIEW and item.target_id:
                found.setdefault(item.target_id, []).append(item)
        return found

    def all(self) -> list[StoredFeedback]:
        author = aliased(User)
        found = self.session.execute(
            select(FeedbackRow, author.name, CohortRow.name)
            .outerjoin(author, author.id == FeedbackRow.author_id)
            .outerjoin(CohortRow, CohortRow.id == FeedbackRow.cohort_id)
            .where(FeedbackRow.owner_id == self.learner.id)
            .order_by(FeedbackRow.created_at.desc(), FeedbackRow.id.desc())
        ).tuples()
        return [
            StoredFeedback(
                row.public_id,
                author_name or "a former mentor",
                cohort_name,
                FeedbackTarget(row.target_kind),
                row.target_id,
                row.score,
                row.comment,
                row.created_at,
            )
            for row, author_name, cohort_name in found
        ]
