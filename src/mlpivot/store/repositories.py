"""Reading and writing a user's records. Every query is scoped to its owner.

A record that exists but belongs to somebody else is reported exactly like one that does not
exist, so ids cannot be probed across users.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from mlpivot.engine.interview import AnswerFeedback
from mlpivot.engine.review import Card, DailyLimits, Rating, Review
from mlpivot.errors import NotFoundError, StaleWriteError
from mlpivot.store.records import StoredPlan as StoredPlan
from mlpivot.store.records import StoredProfile as StoredProfile
from mlpivot.store.records import StoredProgress as StoredProgress
from mlpivot.store.tables import (
    CardRow,
    DocumentRow,
    EvidenceRow,
    InterviewAnswerRow,
    InterviewRow,
    PlanRow,
    PracticeSettingsRow,
    ProfileRow,
    ProgressRow,
    ReviewRow,
    User,
    utcnow,
)

LOCAL_USER_NAME = "local"


def local_user(session: Session) -> User:
    """The single-user mode's user, created on first use."""
    user = session.scalars(select(User).where(User.is_local.is_(True))).first()
    if user is None:
        user = User(name=LOCAL_USER_NAME, is_local=True)
        session.add(user)
        session.flush()
    return user


def create_user(session: Session, name: str, email: str | None = None) -> User:
    user = User(name=name, email=email)
    session.add(user)
    session.flush()
    return user


class Profiles:
    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def _row(self) -> ProfileRow | None:
        return self.session.scalars(
            select(ProfileRow).where(ProfileRow.owner_id == self.owner.id)
        ).first()

    def get(self) -> StoredProfile | None:
        row = self._row()
        if row is None:
            return None
        return StoredProfile(row.public_id, row.version, dict(row.data), row.updated_at)

    def save(self, data: dict[str, Any], expected_version: int | None) -> StoredProfile:
        """Write the profile; `expected_version` is the version it was read at (None = new).

        The compare-and-set runs in one UPDATE, so two tabs saving at once cannot both win.
        """
        row = self._row()
        if row is None:
            if expected_version not in (None, 0):
                raise StaleWriteError("the profile was deleted since you opened it")
            row = ProfileRow(owner_id=self.owner.id, version=1, data=data)
            self.session.add(row)
            self.session.flush()
            return StoredProfile(row.public_id, row.version, data, row.updated_at)
        if expected_version is None:
            expected_version = row.version
        now = utcnow()
        result = self.session.execute(
            update(ProfileRow)
            .where(ProfileRow.id == row.id, ProfileRow.version == expected_version)
            .values(data=data, version=expected_version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleWriteError(
                f"the profile changed since you opened it (you had version {expected_version}); "
                "reload it and apply your change again"
            )
        return StoredProfile(row.public_id, expected_version + 1, data, now)


class Plans:
    """Saved plans. Exactly one is followed (`is_current`): the one `progress`, the exports and
    the plan page read. Saving a plan follows it; trying one (a dry run) never reaches here, and
    only `adopt` switches the followed plan to another saved one."""

    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def _mine(self) -> Select[tuple[PlanRow]]:
        return select(PlanRow).where(PlanRow.owner_id == self.owner.id)

    def current(self, role_id: str | None = None) -> StoredPlan | None:
        """The followed plan; with `role_id`, the latest saved plan for that role (followed or
        not), so a person can still export or re-plan a role they stopped following."""
        query = self._mine()
        if role_id:
            query = query.where(PlanRow.role_id == role_id).order_by(PlanRow.is_current.desc())
        else:
            query = query.where(PlanRow.is_current)
        row = self.session.scalars(query.order_by(PlanRow.id.desc())).first()
        return _plan(row) if row else None

    def history(self) -> list[StoredPlan]:
        rows = self.session.scalars(self._mine().order_by(PlanRow.id))
        return [_plan(r) for r in rows]

    def add(self, role_id: str, data: dict[str, Any]) -> StoredPlan:
        """Save a new plan version and follow it; earlier plans stay listed and adoptable."""
        latest = self.session.scalar(
            select(func.max(PlanRow.version)).where(
                PlanRow.owner_id == self.owner.id, PlanRow.role_id == role_id
            )
        )
        self._unfollow_all()
        row = PlanRow(owner_id=self.owner.id, role_id=role_id, version=(latest or 0) + 1, data=data)
        self.session.add(row)
        self.session.flush()
        return _plan(row)

    def adopt(self, public_id: str) -> StoredPlan:
        """Follow another saved plan instead of the current one."""
        row = self._row(public_id)
        self._unfollow_all()
        row.is_current = True
        self.session.flush()
        return _plan(row)

    def get(self, public_id: str) -> StoredPlan:
        return _plan(self._row(public_id))

    def _row(self, public_id: str) -> PlanRow:
        row = self.session.scalars(self._mine().where(PlanRow.public_id == public_id)).first()
        if row is None:
            raise NotFoundError(
                f"there is no saved plan '{public_id}': `mlpivot plan list` shows their ids"
            )
        return row

    def _unfollow_all(self) -> None:
        self.session.execute(
            update(PlanRow).where(PlanRow.owner_id == self.owner.id).values(is_current=False)
        )


def _plan(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        row.public_id, row.role_id, row.version, row.is_current, dict(row.data), row.created_at
    )


class Progress:
    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def log(self, skill_id: str, hours: float, done: bool, when: datetime) -> StoredProgress:
        row = ProgressRow(
            owner_id=self.owner.id, skill_id=skill_id, hours=hours, done=done, logged_on=when
        )
        self.session.add(row)
        self.session.flush()
        return StoredProgress(row.public_id, skill_id, hours, done, when)

    def all(self) -> list[StoredProgress]:
        rows = self.session.scalars(
            select(ProgressRow)
            .where(ProgressRow.owner_id == self.owner.id)
            .order_by(ProgressRow.logged_on, ProgressRow.id)
        )
        return [StoredProgress(r.public_id, r.skill_id, r.hours, r.done, r.logged_on) for r in rows]


class Documents:
    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def add(self, kind: str, filename: str, text: str, parsed: dict[str, Any]) -> str:
        row = DocumentRow(
            owner_id=self.owner.id, kind=kind, filename=filename, text=text, parsed=parsed
        )
        self.session.add(row)
        self.session.flush()
        return row.public_id

    def latest(self, kind: str) -> DocumentRow | None:
        return self.session.scalars(
            select(DocumentRow)
            .where(DocumentRow.owner_id == self.owner.id, DocumentRow.kind == kind)
            .order_by(DocumentRow.id.desc())
        ).first()


class Evidence:
    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def add(self, skill_id: str, level: int, source: str, detail: str, when: datetime) -> None:
        self.session.add(
            EvidenceRow(
                owner_id=self.owner.id,
                skill_id=skill_id,
                level=level,
                source=source,
                detail=detail,
                observed_at=when,
            )
        )

    def all(self) -> list[EvidenceRow]:
        return list(
            self.session.scalars(
                select(EvidenceRow)
                .where(EvidenceRow.owner_id == self.owner.id)
                .order_by(EvidenceRow.observed_at, EvidenceRow.id)
            )
        )


class Cards:
    """The person's spaced-repetition cards, their own questions, and the review log."""

    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def _rows(self) -> list[CardRow]:
        return list(
            self.session.scalars(
                select(CardRow).where(CardRow.owner_id == self.owner.id).order_by(CardRow.id)
            )
        )

    def all(self) -> dict[str, Card]:
        return {r.question_id: _card(r) for r in self._rows()}

    def save(self, card: Card) -> None:
        """Insert the card, or update the one stored for its question."""
        row = self.session.scalars(
            select(CardRow).where(
                CardRow.owner_id == self.owner.id, CardRow.question_id == card.question_id
            )
        ).first()
        if row is None:
            row = CardRow(owner_id=self.owner.id, question_id=card.question_id)
            self.session.add(row)
        row.fsrs_state = dict(card.fsrs_state)
        row.due = card.due
        row.reviews = card.reviews
        row.lapses = card.lapses
        self.session.flush()

    def add_own(self, card: Card, question: dict[str, Any]) -> None:
        """A card for a question the person wrote; `question` is the question itself."""
        self.save(card)
        row = self.session.scalars(
            select(CardRow).where(
                CardRow.owner_id == self.owner.id, CardRow.question_id == card.question_id
            )
        ).one()
        row.question = question
        self.session.flush()

    def own_questions(self) -> list[dict[str, Any]]:
        return [dict(r.question) for r in self._rows() if r.question is not None]

    def log(self, review: Review) -> None:
        self.session.add(
            ReviewRow(
                owner_id=self.owner.id,
                question_id=review.question_id,
                rating=int(review.rating),
                answered_at=review.answered_at,
                correct=review.correct,
                seconds=review.seconds,
            )
        )
        self.session.flush()

    def reviews(self) -> list[Review]:
        rows = self.session.scalars(
            select(ReviewRow)
            .where(ReviewRow.owner_id == self.owner.id)
            .order_by(ReviewRow.answered_at, ReviewRow.id)
        )
        return [
            Review(r.question_id, Rating(r.rating), r.answered_at, r.correct, r.seconds)
            for r in rows
        ]

    def answered(self, last: int) -> list[tuple[str, Review]]:
        """The latest `last` answers with their public ids (what a mentor comments on)."""
        rows = list(
            self.session.scalars(
                select(ReviewRow)
                .where(ReviewRow.owner_id == self.owner.id)
                .order_by(ReviewRow.answered_at.desc(), ReviewRow.id.desc())
                .limit(last)
            )
        )
        return [
            (
                r.public_id,
                Review(r.question_id, Rating(r.rating), r.answered_at, r.correct, r.seconds),
            )
            for r in reversed(rows)
        ]


def _card(row: CardRow) -> Card:
    return Card(row.question_id, dict(row.fsrs_state), row.due, row.reviews, row.lapses)


@dataclass(frozen=True)
class StoredAnswer:
    question: str
    feedback: AnswerFeedback
    answered_at: datetime
    public_id: str
    """what a mentor's feedback on this answer points at"""


@dataclass(frozen=True)
class StoredInterview:
    public_id: str
    role_id: str
    minutes: int
    started_at: datetime
    finished_at: datetime | None
    answers: tuple[StoredAnswer, ...]

    @property
    def mean_score_5(self) -> float | None:
        marks = [a.feedback.score_5 for a in self.answers]
        return sum(marks) / len(marks) if marks else None


class Interviews:
    """Mock interviews: each answer is stored as soon as it is graded, so stopping half-way
    keeps what was answered."""

    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def start(self, role_id: str, minutes: int, when: datetime) -> str:
        row = InterviewRow(
            owner_id=self.owner.id, role_id=role_id, minutes=minutes, started_at=when
        )
        self.session.add(row)
        self.session.flush()
        return row.public_id

    def _row(self, public_id: str) -> InterviewRow:
        row = self.session.scalars(
            select(InterviewRow).where(
                InterviewRow.owner_id == self.owner.id, InterviewRow.public_id == public_id
            )
        ).first()
        if row is None:
            raise NotFoundError(
                f"there is no mock interview '{public_id}': `mlpivot interview list` shows them"
            )
        return row

    def record(
        self, public_id: str, position: int, question: str, feedback: AnswerFeedback, when: datetime
    ) -> None:
        row = self._row(public_id)
        self.session.add(
            InterviewAnswerRow(
                owner_id=self.owner.id,
                interview_id=row.id,
                position=position,
                question_id=feedback.question_id,
                category=feedback.category,
                question=question,
                answer=feedback.answer,
                seconds=feedback.seconds,
                allotted_seconds=feedback.allotted_seconds,
                score=feedback.score,
                score_5=feedback.score_5,
                covered=list(feedback.covered),
                missed=list(feedback.missed),
                model_answer=feedback.model_answer,
                study_next=list(feedback.study_next),
                feedback=feedback.feedback,
                answered_at=when,
            )
        )
        self.session.flush()

    def finish(self, public_id: str, when: datetime) -> None:
        self._row(public_id).finished_at = when
        self.session.flush()

    def get(self, public_id: str) -> StoredInterview:
        return self._stored(self._row(public_id))

    def all(self) -> list[StoredInterview]:
        rows = self.session.scalars(
            select(InterviewRow)
            .where(InterviewRow.owner_id == self.owner.id)
            .order_by(InterviewRow.started_at, InterviewRow.id)
        )
        return [self._stored(r) for r in rows]

    def _stored(self, row: InterviewRow) -> StoredInterview:
        answers = self.session.scalars(
            select(InterviewAnswerRow)
            .where(InterviewAnswerRow.interview_id == row.id)
            .order_by(InterviewAnswerRow.position, InterviewAnswerRow.id)
        )
        return StoredInterview(
            row.public_id,
            row.role_id,
            row.minutes,
            row.started_at,
            row.finished_at,
            tuple(
                StoredAnswer(
                    a.question,
                    AnswerFeedback(
                        question_id=a.question_id,
                        category=a.category,
                        answer=a.answer,
                        seconds=a.seconds,
                        allotted_seconds=a.allotted_seconds,
                        score=a.score,
                        score_5=a.score_5,
                        covered=tuple(a.covered),
                        missed=tuple(a.missed),
                        model_answer=a.model_answer,
                        study_next=tuple(a.study_next),
                        feedback=a.feedback,
                    ),
                    a.answered_at,
                    a.public_id,
                )
                for a in answers
            ),
        )


class PracticeSettings:
    """The person's own daily quiz limits; the defaults until they set theirs."""

    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def _row(self) -> PracticeSettingsRow | None:
        return self.session.scalars(
            select(PracticeSettingsRow).where(PracticeSettingsRow.owner_id == self.owner.id)
        ).first()

    def limits(self) -> DailyLimits:
        row = self._row()
        return DailyLimits() if row is None else DailyLimits(row.new_per_day, row.reviews_per_day)

    def save(self, limits: DailyLimits) -> DailyLimits:
        row = self._row()
        if row is None:
            row = PracticeSettingsRow(owner_id=self.owner.id)
            self.session.add(row)
        row.new_per_day, row.reviews_per_day = limits.new, limits.reviews
        row.updated_at = utcnow()
        self.session.flush()
        return limits
