"""The database tables. Every user-owned row has an owner; public ids are UUIDv7 strings.

Integer keys never leave the database: pages, URLs and JSON show `public_id` only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import uuid_utils
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_public_id() -> str:
    return str(uuid_utils.uuid7())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite forgets the zone, so we put it back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PublicIdMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, index=True, default=new_public_id
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class User(PublicIdMixin, Base):
    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[str] = mapped_column(String(20), default="learner")  # learner | mentor | admin


class OwnedMixin(PublicIdMixin):
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class ProfileRow(OwnedMixin, Base):
    """The person's profile document; `version` refuses stale writes (no silent merge)."""

    __tablename__ = "profiles"
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class EvidenceRow(OwnedMixin, Base):
    __tablename__ = "evidence"
    skill_id: Mapped[str] = mapped_column(String(60), index=True)
    level: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class DocumentRow(OwnedMixin, Base):
    """An imported resume or job posting: its text and what was parsed from it."""

    __tablename__ = "documents"
    kind: Mapped[str] = mapped_column(String(20))  # resume | posting
    filename: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanRow(OwnedMixin, Base):
    """One version of a plan; re-planning adds a row and keeps the history."""

    __tablename__ = "plans"
    role_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ProgressRow(OwnedMixin, Base):
    __tablename__ = "progress"
    skill_id: Mapped[str] = mapped_column(String(60), index=True)
    hours: Mapped[float] = mapped_column(Float)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    logged_on: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class CardRow(OwnedMixin, Base):
    """One question scheduled for one person; `fsrs_state` is py-fsrs's own card dict.

    `question` holds the question itself for a card the person wrote (`quiz add`); cards of
    the question bank leave it empty and name their question by `question_id`.
    """

    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("owner_id", "question_id", name="uq_cards_owner_question"),)
    question_id: Mapped[str] = mapped_column(String(100))
    fsrs_state: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    question: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, default=None)


class ReviewRow(OwnedMixin, Base):
    """One answer to one card: the review log."""

    __tablename__ = "reviews"
    question_id: Mapped[str] = mapped_column(String(100), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    correct: Mapped[bool] = mapped_column(Boolean)
    seconds: Mapped[float] = mapped_column(Float)


class SavedPostingRow(OwnedMixin, Base):
    """A posting the person saved as their own demand signal, with its stated salary if any."""

    __tablename__ = "saved_postings"
    title: Mapped[str] = mapped_column(String(300), default="")
    company: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    role_id: Mapped[str | None] = mapped_column(String(60), index=True)
    role_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    skill_ids: Mapped[list[str]] = mapped_column(JSON)
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)


class ApplicationRow(OwnedMixin, Base):
    """One job application; `version` refuses a stale stage move (two tabs, two moves)."""

    __tablename__ = "applications"
    posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_postings.id", ondelete="SET NULL"), index=True
    )
    company: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    role_id: Mapped[str | None] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(20))
    resume_version: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[list[str]] = mapped_column(JSON)
    interview_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ApplicationEventRow(OwnedMixin, Base):
    """A dated stage change of an application (its history; the first is where it started)."""

    __tablename__ = "application_events"
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    changed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class InterviewRow(OwnedMixin, Base):
    """One mock interview: the role, the minutes it was given and when it ran."""

    __tablename__ = "interviews"
    role_id: Mapped[str] = mapped_column(String(60))
    minutes: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class InterviewAnswerRow(OwnedMixin, Base):
    """One answer of a mock interview with its feedback, kept as it was given (the question
    text too, so the history reads the same after the bank changes)."""

    __tablename__ = "interview_answers"
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float)
    allotted_seconds: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    score_5: Mapped[float] = mapped_column(Float)
    covered: Mapped[list[str]] = mapped_column(JSON)
    missed: Mapped[list[str]] = mapped_column(JSON)
    model_answer: Mapped[str] = mapped_column(Text)
    study_next: Mapped[list[str]] = mapped_column(JSON)
    feedback: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PracticeSettingsRow(OwnedMixin, Base):
    """A person's own daily limits for the quiz (one row per person)."""

    __tablename__ = "practice_settings"
    __table_args__ = (UniqueConstraint("owner_id", name="uq_practice_settings_owner"),)
    new_per_day: Mapped[int] = mapped_column(Integer)
    reviews_per_day: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# Accounts mode: credentials, sessions, cohorts and what mentors say. Secrets handed to a
# browser or a script (session ids, invite, reset and API tokens) are stored as SHA-256 digests
# only, so a copy of the database lets nobody in.


class PasswordRow(Base):
    """A user's argon2 password hash, apart from `users` so no query of people reads it."""

    __tablename__ = "passwords"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class WebSessionRow(Base):
    """A signed-in browser. Shared by every worker through the database."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LoginFailureRow(Base):
    """One failed sign-in, counted per account and per address to slow password guessing."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), index=True)
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class CohortRow(PublicIdMixin, Base):
    __tablename__ = "cohorts"
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CohortMemberRow(Base):
    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_user"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # learner | mentor
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class OneTimeTokenRow(PublicIdMixin, Base):
    """A single-use link that expires: an invitation into a cohort, or a password reset."""

    __tablename__ = "one_time_tokens"
    kind: Mapped[str] = mapped_column(String(20))  # invite | reset
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(20))  # invite: learner | mentor
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class FeedbackRow(OwnedMixin, Base):
    """A mentor's comment and optional 0-5 score on something of the learner (the owner)."""

    __tablename__ = "feedback"
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    target_kind: Mapped[str] = mapped_column(String(20))  # plan | answer | interview | general
    target_id: Mapped[str | None] = mapped_column(String(36))
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class ApiTokenRow(OwnedMixin, Base):
    """A personal API token for scripts; revoked tokens are kept so the list shows them."""

    __tablename__ = "api_tokens"
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
