"""The application tracker's rules: which stage moves are allowed, what is stale, what is near,
and how the person's applications are answering.

Pure: the dates come in as arguments (no clock), so the same rules serve the CLI, the web and
the tests. A stage move is refused with a sentence that lists the stages it could go to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from mlpivot.errors import UserError

Stage = Literal[
    "saved", "applied", "screen", "technical", "onsite", "offer", "rejected", "withdrawn"
]
STAGES: tuple[Stage, ...] = (
    "saved",
    "applied",
    "screen",
    "technical",
    "onsite",
    "offer",
    "rejected",
    "withdrawn",
)
PIPELINE: tuple[Stage, ...] = ("saved", "applied", "screen", "technical", "onsite", "offer")
"""The forward stages in order; an application may skip ahead (a company without a screen)."""
CLOSED: frozenset[Stage] = frozenset({"rejected", "withdrawn"})
RESPONDED: frozenset[Stage] = frozenset({"screen", "technical", "onsite", "offer"})
"""Stages that mean the company answered with interest; a rejection alone is not a response."""
INTERVIEW_STAGES: frozenset[Stage] = frozenset({"screen", "technical", "onsite"})

STALE_DAYS = 14
"""No change for this many days and an open application earns a reminder."""
UPCOMING_DAYS = 7
"""An interview this many days ahead or fewer earns a reminder."""
REJECTIONS_FOR_ADVICE = 3
"""From this many rejections on, the tracker shows the advice on handling rejection."""


def allowed_moves(current: Stage) -> tuple[Stage, ...]:
    """Forward along the pipeline (skipping is fine), or out: rejected or withdrawn.

    Closed applications stay closed; an offer can still be withdrawn from (declined) but not
    go back to an interview. Going backwards is refused: a new round is a new note, not a
    stage that un-happens.
    """
    if current in CLOSED:
        return ()
    if current == "offer":
        return ("withdrawn",)
    later = PIPELINE[PIPELINE.index(current) + 1 :]
    exits: tuple[Stage, ...] = ("withdrawn",) if current == "saved" else ("rejected", "withdrawn")
    return (*later, *exits)


def parse_stage(text: str) -> Stage:
    value = text.strip().lower()
    for stage in STAGES:
        if stage == value:
            return stage
    raise UserError(f"'{text}' is not a stage; use one of: {', '.join(STAGES)}")


@dataclass(frozen=True)
class StageChange:
    stage: Stage
    on: date
    note: str = ""


def check_move(history: Sequence[StageChange], new: Stage, on: date) -> StageChange:
    """The next stage change, if the rules allow it; dates never run backwards."""
    if not history:
        return StageChange(new, on)
    last = history[-1]
    if new not in allowed_moves(last.stage):
        options = allowed_moves(last.stage)
        where = ", ".join(options) if options else "nowhere: it is closed"
        raise UserError(
            f"an application at '{last.stage}' cannot move to '{new}'; it can go to {where}"
        )
    if on < last.on:
        raise UserError(
            f"the move to '{new}' on {on.isoformat()} is before the last change "
            f"('{last.stage}' on {last.on.isoformat()})"
        )
    return StageChange(new, on)


@dataclass(frozen=True)
class ApplicationFacts:
    """What the rules need from one application."""

    public_id: str
    label: str
    role_id: str | None
    resume_version: str | None
    history: tuple[StageChange, ...]
    interview_on: date | None = None

    @property
    def stage(self) -> Stage:
        return self.history[-1].stage if self.history else "saved"

    @property
    def last_change(self) -> date | None:
        return self.history[-1].on if self.history else None


@dataclass(frozen=True)
class Reminder:
    public_id: str
    kind: Literal["stale", "interview"]
    on: date
    text: str


def reminders(
    applications: Sequence[ApplicationFacts],
    today: date,
    stale_days: int = STALE_DAYS,
    upcoming_days: int = UPCOMING_DAYS,
) -> list[Reminder]:
    """Open applications untouched for `stale_days`, and interviews in the next `upcoming_days`."""
    found: list[Reminder] = []
    for app in applications:
        if app.stage in CLOSED or app.stage == "offer":
            continue
        if app.interview_on is not None and today <= app.interview_on <= today + timedelta(
            days=upcoming_days
        ):
            days = (app.interview_on - today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            found.append(
                Reminder(
                    app.public_id, "interview", app.interview_on, f"{app.label}: interview {when}"
                )
            )
        last = app.last_change
        if last is not None and (today - last).days >= stale_days:
            if app.interview_on is not None and app.interview_on >= today:
                continue  # waiting for a booked interview is not being forgotten
            follow = "follow up or close it" if app.stage != "saved" else "apply or drop it"
            found.append(
                Reminder(
                    app.public_id,
                    "stale",
                    last + timedelta(days=stale_days),
                    f"{app.label}: no change for {(today - last).days} days at "
                    f"'{app.stage}'; {follow}",
                )
            )
    return sorted(found, key=lambda r: (r.on, r.kind, r.public_id))


@dataclass(frozen=True)
class ResponseRate:
    key: str
    applied: int
    responded: int

    @property
    def rate(self) -> float:
        return self.responded / self.applied if self.applied else 0.0


@dataclass(frozen=True)
class ResponseRates:
    applied: int
    responded: int
    rejected: int
    by_resume_version: list[ResponseRate]
    by_role: list[ResponseRate]
    advise_on_rejection: bool


def _sent(app: ApplicationFacts) -> bool:
    """Sent means it reached 'applied' or beyond; saved-then-withdrawn was never sent."""
    return any(c.stage not in ("saved", "withdrawn") for c in app.history)


def _responded(app: ApplicationFacts) -> bool:
    return any(c.stage in RESPONDED for c in app.history)


def _rates(apps: Sequence[ApplicationFacts], key_of: str) -> list[ResponseRate]:
    groups: dict[str, list[ApplicationFacts]] = {}
    for app in apps:
        key = getattr(app, key_of) or "(not recorded)"
        groups.setdefault(key, []).append(app)
    rates = [
        ResponseRate(key, len(group), sum(_responded(a) for a in group))
        for key, group in groups.items()
    ]
    return sorted(rates, key=lambda r: (-r.rate, -r.applied, r.key))


def response_rates(
    applications: Sequence[ApplicationFacts], rejections_for_advice: int = REJECTIONS_FOR_ADVICE
) -> ResponseRates:
    """Of the applications actually sent, how many got an answer with interest, by group.

    A company that never answered and one that rejected outright both count as no response.
    """
    sent = [a for a in applications if _sent(a)]
    rejected = sum(a.stage == "rejected" for a in applications)
    return ResponseRates(
        applied=len(sent),
        responded=sum(_responded(a) for a in sent),
        rejected=rejected,
        by_resume_version=_rates(sent, "resume_version"),
        by_role=_rates(sent, "role_id"),
        advise_on_rejection=rejected >= rejections_for_advice,
    )


# --- practice before a real interview ----------------------------------------------------------

STAGE_MOCK_MINUTES: dict[Stage, int] = {"screen": 30, "technical": 45, "onsite": 90}
"""how long a mock runs before each kind of real interview (an onsite is a long loop)"""
PRACTICE_DAYS_BEFORE: tuple[int, ...] = (10, 6, 3, 1)
"""mocks land this many days before the interview; those already past are left out"""


@dataclass(frozen=True)
class PracticeSession:
    """A mock interview to do before a real one: when, for which role, how long, and whether a
    mock for that role was already done on or after that day."""

    public_id: str
    label: str
    on: date
    role_id: str
    stage: Stage
    minutes: int
    done: bool

    @property
    def command(self) -> str:
        return f"mlpivot interview --role {self.role_id} --minutes {self.minutes}"


def practice_before_interview(
    app: ApplicationFacts,
    today: date,
    mocks_done: Sequence[tuple[str, date]] = (),
    days_before: Sequence[int] = PRACTICE_DAYS_BEFORE,
) -> list[PracticeSession]:
    """The mock interviews for an application's booked interview, spread over the days before.

    The interview is the stage the application moved to with `--interview-on`; its mocks use the
    application's role and a length that fits the stage. A day already past stays in the list
    only if a mock for the role was done then (so progress shows); `mocks_done` holds
    (role id, date) of the person's stored mock interviews. No role, no booked interview ahead,
    or a closed application: nothing to schedule.
    """
    if (
        app.role_id is None
        or app.interview_on is None
        or app.interview_on < today
        or app.stage not in INTERVIEW_STAGES
    ):
        return []
    minutes = STAGE_MOCK_MINUTES[app.stage]
    start = app.last_change or today
    done_days = sorted(day for role, day in mocks_done if role == app.role_id)
    sessions: list[PracticeSession] = []
    for offset in sorted(set(days_before), reverse=True):
        day = app.interview_on - timedelta(days=offset)
        if day < start:
            continue
        # a mock counts for the first scheduled day on or before it that is not yet claimed
        done = any(day <= d < app.interview_on for d in done_days)
        if done:
            claimed = next(d for d in done_days if day <= d < app.interview_on)
            done_days.remove(claimed)
        if day < today and not done:
            continue
        sessions.append(
            PracticeSession(app.public_id, app.label, day, app.role_id, app.stage, minutes, done)
        )
    return sessions
