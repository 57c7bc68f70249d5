"""All of one person's data out as one JSON document, and back in, and gone.

The export is the person's own copy (GDPR-style portability); importing it into an empty
account, or over the same account, gives back exactly what was exported, public ids included.

Two parts are special. Mentors' feedback names its author and cohort by public id and name; an
import links it back to them where that account and cohort exist on this instance, and
otherwise keeps it unattributed ("a former mentor"). API tokens are listed (name, dates, never
the secret nor its hash) so the person sees what can act for them, but an import cannot bring
a token back and leaves the account's own tokens alone: delete-account removes them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from mlpivot.errors import UserError
from mlpivot.store.tables import (
    ApiTokenRow,
    ApplicationEventRow,
    ApplicationRow,
    CardRow,
    CohortRow,
    DocumentRow,
    EvidenceRow,
    FeedbackRow,
    InterviewAnswerRow,
    InterviewRow,
    PlanRow,
    PracticeSettingsRow,
    ProfileRow,
    ProgressRow,
    ReviewRow,
    SavedPostingRow,
    User,
)

EXPORT_FORMAT = "mlpivot-export"
EXPORT_VERSION = 1
OWNED = (
    ProfileRow,
    PlanRow,
    ProgressRow,
    DocumentRow,
    EvidenceRow,
    CardRow,
    ReviewRow,
    ApplicationEventRow,
    ApplicationRow,
    SavedPostingRow,
    InterviewAnswerRow,
    InterviewRow,
    PracticeSettingsRow,
    FeedbackRow,
)
"""Deleted in this order: an application's events before it, applications before postings,
an interview's answers before it."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    public_id: str
    created_at: datetime


class _Profile(_Row):
    version: int
    data: dict[str, Any]
    updated_at: datetime


class _Plan(_Row):
    role_id: str
    version: int
    is_current: bool
    data: dict[str, Any]


class _Progress(_Row):
    skill_id: str
    hours: float
    done: bool
    logged_on: datetime


class _Document(_Row):
    kind: str
    filename: str
    text: str
    parsed: dict[str, Any]


class _Evidence(_Row):
    skill_id: str
    level: int
    source: str
    detail: str
    observed_at: datetime


class _Card(_Row):
    question_id: str
    fsrs_state: dict[str, Any]
    due: datetime
    reviews: int
    lapses: int
    question: dict[str, Any] | None


class _Review(_Row):
    question_id: str
    rating: int = Field(ge=1, le=4)
    answered_at: datetime
    correct: bool
    seconds: float = Field(ge=0)


class _SavedPosting(_Row):
    title: str
    company: str | None
    location: str | None
    country: str | None
    role_id: str | None
    role_confidence: float
    skill_ids: list[str]
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    text: str
    parsed: dict[str, Any]


class _ApplicationEvent(_Row):
    stage: str
    changed_on: date
    note: str


class _Application(_Row):
    posting: str | None
    """the saved posting's public id (integer keys never leave the database)"""
    company: str
    title: str
    role_id: str | None
    stage: str
    resume_version: str | None
    notes: str
    contacts: list[str]
    interview_on: date | None
    version: int
    updated_at: datetime
    events: list[_ApplicationEvent]


class _PracticeSettings(_Row):
    new_per_day: int = Field(ge=0)
    reviews_per_day: int = Field(ge=0)
    updated_at: datetime


class _InterviewAnswer(_Row):
    position: int
    question_id: str
    category: str
    question: str
    answer: str
    seconds: float = Field(ge=0)
    allotted_seconds: float = Field(ge=0)
    score: float = Field(ge=0, le=1)
    score_5: float = Field(ge=0, le=5)
    covered: list[str]
    missed: list[str]
    model_answer: str
    study_next: list[str]
    feedback: str
    answered_at: datetime


class _Interview(_Row):
    role_id: str
    minutes: int
    started_at: datetime
    finished_at: datetime | None
    answers: list[_InterviewAnswer]


class _Feedback(_Row):
    author: str | None
    """the mentor's public id (None once their account is gone)"""
    author_name: str | None
    cohort: str | None
    cohort_name: str | None
    target_kind: str = Field(max_length=20)
    target_id: str | None = Field(max_length=36)
    score: int | None = Field(ge=0, le=5)
    comment: str


class _ApiToken(_Row):
    name: str
    revoked_at: datetime | None
    last_used_at: datetime | None


class UserExport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str
    version: int
    profile: _Profile | None
    plans: list[_Plan]
    progress: list[_Progress]
    documents: list[_Document]
    evidence: list[_Evidence]
    # Exports written before the quiz existed have neither; they import as no cards.
    cards: list[_Card] = Field(default_factory=list)
    reviews: list[_Review] = Field(default_factory=list)
    saved_postings: list[_SavedPosting] = Field(default_factory=list)
    applications: list[_Application] = Field(default_factory=list)
    # Exports written before mock interviews and saved limits have neither.
    practice_settings: list[_PracticeSettings] = Field(default_factory=list, max_length=1)
    interviews: list[_Interview] = Field(default_factory=list)
    # Exports written before cohorts have neither.
    feedback: list[_Feedback] = Field(default_factory=list)
    api_tokens: list[_ApiToken] = Field(default_factory=list)
    """listed for the person to see; never imported"""


_SECTIONS: tuple[tuple[str, type[Any], type[_Row]], ...] = (
    ("plans", PlanRow, _Plan),
    ("progress", ProgressRow, _Progress),
    ("documents", DocumentRow, _Document),
    ("evidence", EvidenceRow, _Evidence),
    ("cards", CardRow, _Card),
    ("reviews", ReviewRow, _Review),
    ("saved_postings", SavedPostingRow, _SavedPosting),
    ("practice_settings", PracticeSettingsRow, _PracticeSettings),
)


def _fields(model: type[_Row]) -> list[str]:
    return list(model.model_fields)


def export_user(session: Session, owner: User) -> dict[str, Any]:
    def rows(table: type[Any], model: type[_Row]) -> list[dict[str, Any]]:
        found = session.scalars(select(table).where(table.owner_id == owner.id).order_by(table.id))
        return [
            model.model_validate({f: getattr(r, f) for f in _fields(model)}).model_dump(mode="json")
            for r in found
        ]

    profiles = rows(ProfileRow, _Profile)
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "profile": profiles[0] if profiles else None,
    }
    for name, table, model in _SECTIONS:
        document[name] = rows(table, model)
    document["applications"] = _export_applications(session, owner)
    document["interviews"] = _export_interviews(session, owner)
    document["feedback"] = _export_feedback(session, owner)
    document["api_tokens"] = rows(ApiTokenRow, _ApiToken)
    return document


def _export_feedback(session: Session, owner: User) -> list[dict[str, Any]]:
    author = aliased(User)
    found = session.execute(
        select(FeedbackRow, author.public_id, author.name, CohortRow.public_id, CohortRow.name)
        .outerjoin(author, author.id == FeedbackRow.author_id)
        .outerjoin(CohortRow, CohortRow.id == FeedbackRow.cohort_id)
        .where(FeedbackRow.owner_id == owner.id)
        .order_by(FeedbackRow.id)
    ).tuples()
    return [
        _Feedback(
            public_id=row.public_id,
            created_at=row.created_at,
            author=author_id,
            author_name=author_name,
            cohort=cohort_id,
            cohort_name=cohort_name,
            target_kind=row.target_kind,
            target_id=row.target_id,
            score=row.score,
            comment=row.comment,
        ).model_dump(mode="json")
        for row, author_id, author_name, cohort_id, cohort_name in found
    ]


def _export_interviews(session: Session, owner: User) -> list[dict[str, Any]]:
    found = []
    for row in session.scalars(
        select(InterviewRow).where(InterviewRow.owner_id == owner.id).order_by(InterviewRow.id)
    ):
        answers = session.scalars(
            select(InterviewAnswerRow)
            .where(InterviewAnswerRow.interview_id == row.id)
            .order_by(InterviewAnswerRow.id)
        )
        fields = {f: getattr(row, f) for f in _fields(_Interview) if f != "answers"}
        fields["answers"] = [{f: getattr(a, f) for f in _fields(_InterviewAnswer)} for a in answers]
        found.append(_Interview.model_validate(fields).model_dump(mode="json"))
    return found


def _export_applications(session: Session, owner: User) -> list[dict[str, Any]]:
    postings = dict(
        session.execute(
            select(SavedPostingRow.id, SavedPostingRow.public_id).where(
                SavedPostingRow.owner_id == owner.id
            )
        )
        .tuples()
        .all()
    )
    found = []
    for app in session.scalars(
        select(ApplicationRow)
        .where(ApplicationRow.owner_id == owner.id)
        .order_by(ApplicationRow.id)
    ):
        events = session.scalars(
            select(ApplicationEventRow)
            .where(ApplicationEventRow.application_id == app.id)
            .order_by(ApplicationEventRow.id)
        )
        fields = {
            f: getattr(app, f) for f in _fields(_Application) if f not in ("posting", "events")
        }
        fields["posting"] = postings.get(app.posting_id) if app.posting_id is not None else None
        fields["events"] = [{f: getattr(e, f) for f in _fields(_ApplicationEvent)} for e in events]
        found.append(_Application.model_validate(fields).model_dump(mode="json"))
    return found


def parse_export(data: Any, source: str) -> UserExport:
    """Check a whole export before anything is written; errors name the field."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise UserError(f'{source}: not an mlpivot export (no "format": "{EXPORT_FORMAT}")')
    if data.get("version") != EXPORT_VERSION:
        raise UserError(f"{source}: export version {data.get('version')!r} is not supported")
    try:
        export = UserExport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UserError(f"{source}: {where}: {first['msg']}") from None
    seen: set[str] = set()
    for index, card in enumerate(export.cards):
        if card.question_id in seen:
            raise UserError(
                f"{source}: cards.{index}: a second card for question '{card.question_id}'"
            )
        seen.add(card.question_id)
    return export


def replace_user_data(session: Session, owner: User, export: UserExport) -> None:
    """Replace everything the user owns with the export's content, in the caller's transaction
    (the account's API tokens stay: they are credentials, not content)."""
    delete_user_data(session, owner, tokens=False)
    if export.profile is not None:
        session.add(ProfileRow(owner_id=owner.id, **export.profile.model_dump()))
    for name, table, _ in _SECTIONS:
        for row in getattr(export, name):
            session.add(table(owner_id=owner.id, **row.model_dump()))
    session.flush()
    postings = dict(
        session.execute(
            select(SavedPostingRow.public_id, SavedPostingRow.id).where(
                SavedPostingRow.owner_id == owner.id
            )
        )
        .tuples()
        .all()
    )
    for app in export.applications:
        if app.posting is not None and app.posting not in postings:
            raise UserError(
                f"application {app.public_id}: its posting {app.posting} is not in the export"
            )
        fields = app.model_dump(exclude={"posting", "events"})
        row = ApplicationRow(
            owner_id=owner.id,
            posting_id=postings[app.posting] if app.posting is not None else None,
            **fields,
        )
        session.add(row)
        session.flush()
        for event in app.events:
            session.add(
                ApplicationEventRow(owner_id=owner.id, application_id=row.id, **event.model_dump())
            )
    for interview in export.interviews:
        mock = InterviewRow(owner_id=owner.id, **interview.model_dump(exclude={"answers"}))
        session.add(mock)
        session.flush()
        for answer in interview.answers:
            session.add(
                InterviewAnswerRow(owner_id=owner.id, interview_id=mock.id, **answer.model_dump())
            )
    for note in export.feedback:
        fields = note.model_dump(exclude={"author", "author_name", "cohort", "cohort_name"})
        session.add(
            FeedbackRow(
                owner_id=owner.id,
                author_id=_id_of(session, User, note.author),
                cohort_id=_id_of(session, CohortRow, note.cohort),
                **fields,
            )
        )
    session.flush()


def _id_of(
    session: Session, table: type[User] | type[CohortRow], public_id: str | None
) -> int | None:
    if public_id is None:
        return None
    found: int | None = session.scalar(select(table.id).where(table.public_id == public_id))
    return found


def delete_user_data(session: Session, owner: User, *, tokens: bool = True) -> None:
    """Everything the person owns (with `tokens`, their API tokens too); their account row and
    the feedback they wrote as a mentor, which their learners own, stay."""
    for table in OWNED:
        session.execute(delete(table).where(table.owner_id == owner.id))
    if tokens:
        session.execute(delete(ApiTokenRow).where(ApiTokenRow.owner_id == owner.id))
