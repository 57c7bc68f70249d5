"""A booked interview gets mock interviews on the days before it, sized to the stage."""

from __future__ import annotations

from datetime import date, timedelta

from mlpivot.engine.applications import (
    PRACTICE_DAYS_BEFORE,
    STAGE_MOCK_MINUTES,
    ApplicationFacts,
    StageChange,
    practice_before_interview,
)

BOOKED = date(2027, 3, 20)


def _app(
    stage: str = "technical",
    interview: date | None = BOOKED,
    role: str | None = "ml-engineer",
    moved: date = date(2027, 3, 1),
) -> ApplicationFacts:
    history = (
        StageChange("applied", date(2027, 2, 20), ""),
        StageChange(stage, moved, ""),  # type: ignore[arg-type]
    )
    return ApplicationFacts("a1", "ML Engineer at Acme", role, "v2", history, interview)


def test_mocks_fall_on_the_days_before_the_interview_sized_to_its_stage() -> None:
    for stage, minutes in STAGE_MOCK_MINUTES.items():
        sessions = practice_before_interview(_app(stage), date(2027, 3, 1))
        assert [s.on for s in sessions] == [
            BOOKED - timedelta(days=d) for d in sorted(PRACTICE_DAYS_BEFORE, reverse=True)
        ]
        assert all(s.minutes == minutes and s.stage == stage for s in sessions)
        assert all(s.on < BOOKED and not s.done for s in sessions)
        assert sessions[0].command == f"mlpivot interview --role ml-engineer --minutes {minutes}"
    assert STAGE_MOCK_MINUTES["screen"] < STAGE_MOCK_MINUTES["onsite"]


def test_an_interview_booked_at_short_notice_gets_only_the_days_left() -> None:
    sessions = practice_before_interview(
        _app(moved=BOOKED - timedelta(days=4)), BOOKED - timedelta(days=4)
    )
    assert [(BOOKED - s.on).days for s in sessions] == [3, 1]


def test_a_mock_done_counts_for_its_day_and_a_missed_day_drops_away() -> None:
    today = BOOKED - timedelta(days=2)
    did = [
        ("ml-engineer", BOOKED - timedelta(days=9)),
        ("data-scientist", BOOKED - timedelta(days=5)),
    ]
    sessions = practice_before_interview(_app(), today, did)
    assert [(BOOKED - s.on).days for s in sessions] == [10, 1]
    assert [s.done for s in sessions] == [True, False]


def test_nothing_to_practise_without_a_role_a_booking_or_an_open_interview_stage() -> None:
    today = date(2027, 3, 1)
    assert practice_before_interview(_app(role=None), today) == []
    assert practice_before_interview(_app(interview=None), today) == []
    assert practice_before_interview(_app(), BOOKED + timedelta(days=1)) == []
    assert practice_before_interview(_app(stage="rejected"), today) == []
    assert practice_before_interview(_app(stage="offer"), today) == []
