"""Spaced repetition: ratings from answers, due dates that grow with success, limits, leeches."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpivot.engine.review import (
    LEECH_LAPSES,
    Card,
    DailyLimits,
    Rating,
    Review,
    daily_counts,
    leeches,
    new_card,
    plan_session,
    rate_answer,
    retrievability,
    review_card,
)

DAY1 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_wrong_is_again_and_right_answers_are_rated_by_their_speed() -> None:
    assert rate_answer(False, 1, "mcq") is Rating.AGAIN
    assert rate_answer(True, 5, "mcq") is Rating.EASY
    assert rate_answer(True, 20, "mcq") is Rating.GOOD
    assert rate_answer(True, 60, "mcq") is Rating.HARD
    # a slow mcq time is a quick interview answer
    assert rate_answer(True, 60, "interview") is Rating.EASY


def test_good_answers_push_the_next_review_further_out_each_time() -> None:
    card, now = new_card("q", DAY1), DAY1
    gaps = []
    for _ in range(5):
        card, _ = review_card(card, Rating.GOOD, now, correct=True, seconds=10)
        gaps.append(card.due - now)
        now = card.due
    assert gaps == sorted(gaps)
    assert gaps[-1] > timedelta(days=10)
    assert card.reviews == 5
    assert card.lapses == 0


def test_the_same_answers_on_the_same_days_give_the_same_schedule() -> None:
    def replay() -> list[datetime]:
        card, now, dues = new_card("q", DAY1), DAY1, []
        for rating in (Rating.GOOD, Rating.HARD, Rating.AGAIN, Rating.EASY):
            card, _ = review_card(card, rating, now, correct=rating > 1, seconds=5)
            dues.append(card.due)
            now = card.due + timedelta(hours=1)
        return dues

    assert replay() == replay()


def test_a_card_state_survives_json_unchanged() -> None:
    card, _ = review_card(new_card("q", DAY1), Rating.GOOD, DAY1, correct=True, seconds=3)
    again = Card("q", json.loads(json.dumps(dict(card.fsrs_state))), card.due, 1, 0)
    later = DAY1 + timedelta(days=9)
    assert review_card(again, Rating.GOOD, later, correct=True, seconds=3)[0].due == (
        review_card(card, Rating.GOOD, later, correct=True, seconds=3)[0].due
    )


def test_recall_fades_with_time_and_a_new_card_has_none() -> None:
    assert retrievability(new_card("q", DAY1), DAY1) == 0
    card, _ = review_card(new_card("q", DAY1), Rating.GOOD, DAY1, correct=True, seconds=3)
    soon = retrievability(card, DAY1 + timedelta(days=1))
    late = retrievability(card, DAY1 + timedelta(days=60))
    assert 1 >= soon > late > 0


def test_failing_a_seen_card_again_and_again_makes_it_a_leech() -> None:
    card, now = new_card("q", DAY1), DAY1
    card, _ = review_card(card, Rating.AGAIN, now, correct=False, seconds=3)
    assert card.lapses == 0  # a first answer is no lapse
    for _ in range(LEECH_LAPSES):
        assert not card.is_leech
        now += timedelta(days=1)
        card, log = review_card(card, Rating.AGAIN, now, correct=False, seconds=3)
        assert log == Review("q", Rating.AGAIN, now, False, 3)
    assert card.is_leech
    assert leeches([card, new_card("p", DAY1)]) == [card]


def test_a_session_asks_due_cards_first_then_new_ones_within_the_day_limits() -> None:
    cards = {}
    for i, qid in enumerate(("a", "b", "c")):
        card = new_card(qid, DAY1)
        cards[qid] = Card(qid, card.fsrs_state, DAY1 + timedelta(days=i), 1, 0)
    now = DAY1 + timedelta(days=1, hours=1)
    order = ["n1", "c", "n2", "b", "a", "n3"]
    session = plan_session(order, cards, now, DailyLimits(new=2, reviews=10))
    assert session.due == ("a", "b")  # the most overdue first; c is not due
    assert session.new == ("n1", "n2")
    assert session.later == (("c", DAY1 + timedelta(days=2)),)
    left = plan_session(order, cards, now, DailyLimits(new=2, reviews=1), done_today=(1, 0))
    assert left.due == ("a",)
    assert left.new == ("n1",)
    assert plan_session(order, cards, now, DailyLimits(), due_only=True).new == ()


def test_daily_counts_tell_first_answers_from_reviews_by_day() -> None:
    day2 = DAY1 + timedelta(days=1)
    logs = [
        Review("a", Rating.GOOD, DAY1, True, 3),
        Review("a", Rating.GOOD, day2, True, 3),
        Review("b", Rating.GOOD, day2, True, 3),
        Review("b", Rating.AGAIN, day2 + timedelta(minutes=5), False, 3),
    ]
    assert daily_counts(logs, DAY1.date()) == (1, 0)
    assert daily_counts(reversed(logs), day2.date()) == (1, 2)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        new_card("q", datetime(2027, 3, 1))


@given(st.lists(st.sampled_from(list(Rating)), min_size=1, max_size=12))
def test_every_rating_sequence_keeps_the_due_date_after_the_answer(ratings: list[Rating]) -> None:
    card, now = new_card("q", DAY1), DAY1
    for rating in ratings:
        card, _ = review_card(card, rating, now, correct=rating > 1, seconds=5)
        assert card.due > now
        now = card.due
    assert card.reviews == len(ratings)
