"""Saved postings and applications, scoped to their owner like every other repository.

Stage rules are the engine's (`engine.applications`); this module only stores what they
allowed. A stage move is a compare-and-set on the application's `version`, so a move made
from a page opened before another move is refused rather than silently reordered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mlpivot.engine.applications import ApplicationFacts, StageChange, parse_stage
from mlpivot.errors import NotFoundError, StaleWriteError
from mlpivot.store.tables import (
    ApplicationEventRow,
    ApplicationRow,
    SavedPostingRow,
    User,
    utcnow,
)


@dataclass(frozen=True)
class StoredPosting:
    public_id: str
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
    created_at: datetime
    seniority: str | None = None
    """junior, mid, senior or lead when the posting says so (read from its parsed form)"""
    choices: list[list[str]] = field(default_factory=list)
    """Requirements met by any one of two or more skills ("PyTorch or TensorFlow")."""


@dataclass(frozen=True)
class StoredEvent:
    stage: str
    on: date
    note: str


@dataclass(frozen=True)
class StoredApplication:
    public_id: str
    posting_id: str | None
    company: str
    title: str
    role_id: str | None
    stage: str
    resume_version: str | None
    notes: str
    contacts: list[str]
    interview_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime
    history: list[StoredEvent]

    @property
    def label(self) -> str:
        """ "Title at Company", as people name an application."""
        return " at ".join(x for x in (self.title, self.company) if x) or self.public_id

    def facts(self) -> ApplicationFacts:
        """What the tracker's rules (engine.applications) need from this application."""
        return ApplicationFacts(
            self.public_id,
            self.label,
            self.role_id,
            self.resume_version,
            tuple(StageChange(parse_stage(e.stage), e.on, e.note) for e in self.history),
            self.interview_on,
        )


def _posting(row: SavedPostingRow) -> StoredPosting:
    return StoredPosting(
        row.public_id,
        row.title,
        row.company,
        row.location,
        row.country,
        row.role_id,
        row.role_confidence,
        list(row.skill_ids),
        row.salary_min,
        row.salary_max,
        row.salary_currency,
        row.created_at,
        (row.parsed or {}).get("seniority"),
        _choices(row.parsed),
    )


def _choices(parsed: object) -> list[list[str]]:
    """The choices in a saved posting's parsed JSON (its required and nice-to-have skills with
    their alternatives, as `Posting.summary` writes them); anything else there is ignored."""
    if not isinstance(parsed, dict):
        return []
    out: list[list[str]] = []
    for key in ("required", "nice_to_have"):
        for item in parsed.get(key) or []:
            if not isinstance(item, dict):
                continue
            options = [item.get("skill_id"), *(item.get("alternatives") or [])]
            ids = list(dict.fromkeys(o for o in options if isinstance(o, str) and o))
            if len(ids) > 1:
                out.append(ids)
    return out


class SavedPostings:
    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def add(self, text: str, parsed: dict[str, Any], **fields: Any) -> StoredPosting:
        row = SavedPostingRow(owner_id=self.owner.id, text=text, parsed=parsed, **fields)
        self.session.add(row)
        self.session.flush()
        return _posting(row)

    def all(self) -> list[StoredPosting]:
        rows = self.session.scalars(
            select(SavedPostingRow)
            .where(SavedPostingRow.owner_id == self.owner.id)
            .order_by(SavedPostingRow.id)
        )
        return [_posting(r) for r in rows]

    def row(self, public_id: str) -> SavedPostingRow:
        row = self.session.scalars(
            select(SavedPostingRow).where(
                SavedPostingRow.owner_id == self.owner.id, SavedPostingRow.public_id == public_id
            )
        ).first()
        if row is None:
            raise NotFoundError(f"there is no saved posting '{public_id}' (see `posting list`)")
        return row

    def get(self, public_id: str) -> StoredPosting:
        return _posting(self.row(public_id))


class Applications:
    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner = session, owner

    def _row(self, public_id: str) -> ApplicationRow:
        row = self.session.scalars(
            select(ApplicationRow).where(
                ApplicationRow.owner_id == self.owner.id, ApplicationRow.public_id == public_id
            )
        ).first()
        if row is None:
            raise NotFoundError(f"there is no application '{public_id}' (see `apply list`)")
        return row

    def _stored(self, row: ApplicationRow) -> StoredApplication:
        events = self.session.scalars(
            select(ApplicationEventRow)
            .where(ApplicationEventRow.application_id == row.id)
            .order_by(ApplicationEventRow.changed_on, ApplicationEventRow.id)
        )
        posting = (
            self.session.get(SavedPostingRow, row.posting_id)
            if row.posting_id is not None
            else None
        )
        return StoredApplication(
            row.public_id,
            posting.public_id if posting is not None else None,
            row.company,
            row.title,
            row.role_id,
            row.stage,
            row.resume_version,
            row.notes,
            list(row.contacts),
            row.interview_on,
            row.version,
            row.created_at,
            row.updated_at,
            [StoredEvent(e.stage, e.changed_on, e.note) for e in events],
        )

    def add(
        self,
        *,
        company: str,
        title: str,
        stage: str,
        on: date,
        posting_id: str | None = None,
        role_id: str | None = None,
        resume_version: str | None = None,
        notes: str = "",
        contacts: list[str] | None = None,
        interview_on: date | None = None,
    ) -> StoredApplication:
        posting = SavedPostings(self.session, self.owner).row(posting_id) if posting_id else None
        row = ApplicationRow(
            owner_id=self.owner.id,
            posting_id=posting.id if posting is not None else None,
            company=company,
            title=title,
            role_id=role_id,
            stage=stage,
            resume_version=resume_version,
            notes=notes,
            contacts=contacts or [],
            interview_on=interview_on,
            version=1,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add(
            ApplicationEventRow(
                owner_id=self.owner.id, application_id=row.id, stage=stage, changed_on=on
            )
        )
        self.session.flush()
        return self._stored(row)

    def get(self, public_id: str) -> StoredApplication:
        return self._stored(self._row(public_id))

    def all(self) -> list[StoredApplication]:
        rows = self.session.scalars(
            select(ApplicationRow)
            .where(ApplicationRow.owner_id == self.owner.id)
            .order_by(ApplicationRow.id)
        )
        return [self._stored(r) for r in rows]

    def move(
        self,
        public_id: str,
        stage: str,
        on: date,
        expected_version: int,
        *,
        note: str = "",
        interview_on: date | None = None,
        contact: str | None = None,
    ) -> StoredApplication:
        """Record a stage change the engine allowed; refused if the application moved meanwhile."""
        row = self._row(public_id)
        values: dict[str, Any] = {
            "stage": stage,
            "version": expected_version + 1,
            "updated_at": utcnow(),
            "interview_on": interview_on,
        }
        if note:
            values["notes"] = (row.notes + "\n" if row.notes else "") + f"{on.isoformat()}: {note}"
        if contact:
            values["contacts"] = [*row.contacts, contact]
        result = self.session.execute(
            update(ApplicationRow)
            .where(ApplicationRow.id == row.id, ApplicationRow.version == expected_version)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleWriteError(
                f"application '{public_id}' changed since you read it (you had version "
                f"{expected_version}); look at it again and repeat the move"
            )
        self.session.add(
            ApplicationEventRow(
                owner_id=self.owner.id, application_id=row.id, stage=stage, changed_on=on, note=note
            )
        )
        self.session.flush()
        self.session.expire(row)
        return self._stored(row)
