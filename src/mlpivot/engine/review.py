"""Spaced repetition: which questions to ask now, and how an answer moves a card (FSRS-6).

The scheduling itself is py-fsrs's; this module decides what it is fed. Everything here is
pure: the time of the session is a parameter, and the scheduler runs without fuzzing (fuzz
draws from `random`), so a test that replays the same answers on the same days gets the same
due dates. A `Card` carries the FSRS state as py-fsrs's own plain dict, which is also what the
store keeps, so a card survives a round trip through JSON unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import IntEnum
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import fsrs

LEECH_LAPSES = 4
"""A card answered wrongly this many times (after its first answer) is a leech: it keeps
failing, so rewording it or studying the skill again helps more than reviewing it again."""
NEW_PER_DAY = 10
REVIEWS_PER_DAY = 100
EXPECTED_SECONDS = {"mcq": 20.0, "short": 90.0, "interview": 300.0}
"""How long a fluent answer of each question type takes; the rating compares with it."""
FAST_FRACTION = 0.5
"""A correct answer in under this fraction of the expected time is rated Easy."""
SLOW_FACTOR = 1.5
"""A correct answer taking over this many times the expected time is rated Hard."""


class Rating(IntEnum):
    """FSRS's four grades, with the same numbers (1 Again ... 4 Easy)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class Card:
    """One question scheduled for one person."""

    question_id: str
    fsrs_state: Mapping[str, Any]
    """py-fsrs `Card.to_dict()`: state, step, stability, difficulty, due, last_review"""
    due: datetime
    reviews: int = 0
    lapses: int = 0

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


@dataclass(frozen=True)
class Review:
    """One answer to one card, as the review log keeps it."""

    question_id: str
    rating: Rating
    answered_at: datetime
    correct: bool
    seconds: float


@dataclass(frozen=True)
class DailyLimits:
    new: int = NEW_PER_DAY
    reviews: int = REVIEWS_PER_DAY


@dataclass(frozen=True)
class QuizSession:
    """The questions of one sitting: cards that are due first, then new questions."""

    due: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    later: tuple[tuple[str, datetime], ...] = field(default=())
    """cards not due yet, with when they are, soonest first"""

    @property
    def questions(self) -> tuple[str, ...]:
        return self.due + self.new


@cache
def _scheduler() -> fsrs.Scheduler:
    import fsrs

    return fsrs.Scheduler(enable_fuzzing=False)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a review time must be timezone-aware")
    return moment.astimezone(UTC)


def new_card(question_id: str, now: datetime) -> Card:
    """A card never answered, due at once."""
    import fsrs

    state = fsrs.Card(card_id=1, due=_aware(now)).to_dict()
    return Card(question_id, state, _aware(now))


def rate_answer(correct: bool, seconds: float, question_type: str) -> Rating:
    """The rating an answer earns: wrong is Again; right is Easy, Good or Hard by its speed."""
    if not correct:
        return Rating.AGAIN
    expected = EXPECTED_SECONDS.get(question_type, EXPECTED_SECONDS["short"])
    if seconds < expected * FAST_FRACTION:
        return Rating.EASY
    if seconds > expected * SLOW_FACTOR:
        return Rating.HARD
    return Rating.GOOD


def review_card(
    card: Card, rating: Rating, now: datetime, *, correct: bool, seconds: float
) -> tuple[Card, Review]:
    """The card after this answer, and the answer's log entry.

    A lapse is an Again on a card that had been answered before: failing a question the first
    time it is seen says nothing about it being hard to keep.
    """
    import fsrs

    when = _aware(now)
    before = fsrs.Card.from_dict(dict(card.fsrs_state))  # type: ignore[arg-type]
    after, _ = _scheduler().review_card(
        before, fsrs.Rating(int(rating)), review_datetime=when, review_duration=None
    )
    lapse = rating is Rating.AGAIN and card.reviews > 0
    updated = replace(
        card,
        fsrs_state=after.to_dict(),
        due=after.due,
        reviews=card.reviews + 1,
        lapses=card.lapses + int(lapse),
    )
    return updated, Review(card.question_id, rating, when, correct, max(0.0, seconds))


def retrievability(card: Card, now: datetime) -> float:
    """The probability, by FSRS, that the answer is recalled at `now` (0 for a new card)."""
    import fsrs

    state = fsrs.Card.from_dict(dict(card.fsrs_state))  # type: ignore[arg-type]
    return float(_scheduler().get_card_retrievability(state, _aware(now)))


def daily_counts(reviews: Iterable[Review], day: date) -> tuple[int, int]:
    """How many new questions were introduced and how many reviews were done on `day` (UTC).

    A question's first answer ever introduces it; every later answer is a review.
    """
    seen: set[str] = set()
    new = again = 0
    for item in sorted(reviews, key=lambda r: r.answered_at):
        first = item.question_id not in seen
        seen.add(item.question_id)
        if item.answered_at.astimezone(UTC).date() == day:
            if first:
                new += 1
            else:
                again += 1
    return new, again


def plan_session(
    candidates: Sequence[str],
    cards: Mapping[str, Card],
    now: datetime,
    limits: DailyLimits,
    done_today: tuple[int, int] = (0, 0),
    *,
    due_only: bool = False,
) -> QuizSession:
    """The questions to ask now, from `candidates` (in the order new ones should come).

    Due cards come first, the most overdue first, up to what is left of today's review limit;
    then questions never seen, up to what is left of today's new limit (none with `due_only`).
    """
    when = _aware(now)
    new_done, reviews_done = done_today
    scheduled = [cards[q] for q in dict.fromkeys(candidates) if q in cards]
    ready = sorted((c for c in scheduled if c.due <= when), key=lambda c: (c.due, c.question_id))
    waiting = sorted((c for c in scheduled if c.due > when), key=lambda c: (c.due, c.question_id))
    review_room = max(0, limits.reviews - reviews_done)
    new_room = 0 if due_only else max(0, limits.new - new_done)
    unseen = [q for q in dict.fromkeys(candidates) if q not in cards]
    return QuizSession(
        due=tuple(c.question_id for c in ready[:review_room]),
        new=tuple(unseen[:new_room]),
        later=tuple((c.question_id, c.due) for c in waiting),
    )


def leeches(cards: Iterable[Card]) -> list[Card]:
    """Cards that keep failing, the most failed first."""
    return sorted((c for c in cards if c.is_leech), key=lambda c: (-c.lapses, c.question_id))
