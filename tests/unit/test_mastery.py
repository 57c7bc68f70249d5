"""Mastery from quiz answers: in words, and more correct answers never lower it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.catalog.models import EvidenceKind
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.mastery import skill_mastery
from mlpivot.engine.profile import QUIZ_MISSES_TO_OVERRULE, SkillEvidence, profile_from_data
from mlpivot.engine.review import Card, Rating, Review, new_card, review_card

DAY1 = datetime(2027, 3, 1, 9, tzinfo=UTC)
SKILLS = {"q0": ("logistic-regression",), "q1": ("logistic-regression", "probability")}
SKILLS |= {"q2": ("probability",)}
MINI = load_catalog(Path(__file__).resolve().parents[1] / "data" / "mini_knowledge", builtin=False)
MINI_SKILLS = sorted(MINI.skills)
MASTERY_CAT = load_catalog()


def answer(
    cards: dict[str, Card], logs: list[Review], qid: str, when: datetime, correct: bool
) -> None:
    rating = Rating.GOOD if correct else Rating.AGAIN
    cards[qid], review = review_card(
        cards.get(qid) or new_card(qid, when), rating, when, correct=correct, seconds=10
    )
    logs.append(review)


def test_mastery_is_said_in_words_with_its_answers_and_recall() -> None:
    cards: dict[str, Card] = {}
    logs: list[Review] = []
    for day in (0, 1, 3, 7, 15):
        for qid in ("q0", "q1"):
            answer(cards, logs, qid, DAY1 + timedelta(days=day), True)
    found = skill_mastery(cards, logs, SKILLS, DAY1 + timedelta(days=16))
    lr = found["logistic-regression"]
    assert (lr.answers, lr.correct) == (10, 10)
    assert lr.level == 3
    assert 0.8 < lr.recall < 1
    assert lr.describe("Logistic regression") == (
        f"Logistic regression: strong level, from 10 answers, {lr.recall:.0%} likely recalled today"
    )
    assert found["probability"].answers == 5


def test_a_skill_answered_wrongly_stays_low_and_recall_fades_with_time() -> None:
    cards: dict[str, Card] = {}
    logs: list[Review] = []
    for day in range(6):
        answer(cards, logs, "q2", DAY1 + timedelta(days=day), day == 5)
    soon = skill_mastery(cards, logs, SKILLS, DAY1 + timedelta(days=6))["probability"]
    late = skill_mastery(cards, logs, SKILLS, DAY1 + timedelta(days=90))["probability"]
    assert soon.level <= 1
    assert late.recall < soon.recall
    assert "logistic-regression" not in skill_mastery(cards, logs, SKILLS, DAY1)


history = st.lists(
    st.tuples(st.sampled_from(sorted(SKILLS)), st.integers(0, 20), st.booleans()), max_size=15
)


@given(history, st.sampled_from(sorted(SKILLS)), st.integers(0, 60))
def test_one_more_correct_answer_never_lowers_mastery(
    steps: list[tuple[str, int, bool]], qid: str, wait_days: int
) -> None:
    cards: dict[str, Card] = {}
    logs: list[Review] = []
    when = DAY1
    for step_qid, gap_days, correct in steps:
        when += timedelta(days=gap_days)
        answer(cards, logs, step_qid, when, correct)
    now = when + timedelta(days=wait_days)
    before = skill_mastery(cards, logs, SKILLS, now)
    answer(cards, logs, qid, now, True)
    after = skill_mastery(cards, logs, SKILLS, now)
    for skill in SKILLS[qid]:
        if skill in before:
            assert after[skill].score >= before[skill].score - 1e-12
            assert after[skill].level >= before[skill].level
        assert after[skill].correct == (before[skill].correct if skill in before else 0) + 1


def test_new_quiz_evidence_replaces_the_old_and_keeps_other_sources(catalog: Catalog) -> None:
    profile = profile_from_data({"skills": {"logistic-regression": 1}}, catalog)
    first = profile.with_quiz_evidence({"logistic-regression": quiz(2)})
    second = first.with_quiz_evidence({"logistic-regression": quiz(3)})
    sources = [(e.source.value, e.level) for e in second.skills["logistic-regression"]]
    assert sources == [("self", 1), ("quiz", 3)]
    assert second.level("logistic-regression") == 3


def quiz(
    level: int, answers: int = 10, correct: int = 10 - QUIZ_MISSES_TO_OVERRULE
) -> SkillEvidence:
    return SkillEvidence(
        level=level,
        source=EvidenceKind.QUIZ,
        detail="quiz",
        observed_on=DAY1.date(),
        answers=answers,
        correct=correct,
    )


def test_enough_missed_answers_lower_a_claimed_level_but_a_few_do_not(catalog: Catalog) -> None:
    claimed = profile_from_data({"skills": {"logistic-regression": 3}}, catalog)
    tested = claimed.with_quiz_evidence({"logistic-regression": quiz(1)})
    assert tested.level("logistic-regression") == 1
    evidence = tested.evidence_for("logistic-regression")
    assert evidence is not None and evidence.source is EvidenceKind.QUIZ
    early = claimed.with_quiz_evidence(
        {"logistic-regression": quiz(1, answers=10, correct=10 - QUIZ_MISSES_TO_OVERRULE + 1)}
    )
    assert early.level("logistic-regression") == 3
    # A project or a mentor is checked evidence too: the quiz does not overrule it.
    shown = profile_from_data(
        {"skills": {"logistic-regression": {"level": 2, "source": "project"}}}, catalog
    )
    assert (
        shown.with_quiz_evidence({"logistic-regression": quiz(1)}).level("logistic-regression") == 2
    )


@given(
    st.dictionaries(st.sampled_from(MINI_SKILLS), st.integers(0, 3)),
    st.sampled_from(MINI_SKILLS),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_the_fit_moves_the_way_quiz_mastery_moves(
    levels: dict[str, int], skill: str, low: int, high: int
) -> None:
    low, high = sorted((low, high))
    base = profile_from_data({"skills": levels, "years_experience": 4}, MINI)
    worse_profile = base.with_quiz_evidence({skill: quiz(low)})
    better_profile = base.with_quiz_evidence({skill: quiz(high)})
    assert worse_profile.level(skill) == low and better_profile.level(skill) == high
    worse = {f.role_id: f.score for f in rank_roles(worse_profile, MINI)}
    before = {f.role_id: f.score for f in rank_roles(base, MINI)}
    for fit in rank_roles(better_profile, MINI):
        assert fit.score >= worse[fit.role_id] - 1e-9
        # against the level before the quiz: up when mastery is above it, down when below
        if high >= base.level(skill):
            assert fit.score >= before[fit.role_id] - 1e-9
    for role_id, score in worse.items():
        if low <= base.level(skill):
            assert score <= before[role_id] + 1e-9


@given(history, st.sampled_from(sorted(SKILLS)), st.integers(0, 60))
def test_more_correct_answers_never_lower_the_level_the_fit_uses(
    steps: list[tuple[str, int, bool]], qid: str, wait_days: int
) -> None:
    """From review history to the profile's level: one more right answer never lowers it."""
    cards: dict[str, Card] = {}
    logs: list[Review] = []
    when = DAY1
    for step_qid, gap_days, correct in steps:
        when += timedelta(days=gap_days)
        answer(cards, logs, step_qid, when, correct)
    now = when + timedelta(days=wait_days)
    base = profile_from_data({"skills": {"logistic-regression": 2, "probability": 1}}, MASTERY_CAT)

    def levels() -> dict[str, int]:
        found = skill_mastery(cards, logs, SKILLS, now)
        evidence = {
            s: quiz(m.level, answers=m.answers, correct=m.correct)
            for s, m in found.items()
            if s in MASTERY_CAT.skills
        }
        profile = base.with_quiz_evidence(evidence)
        return {s: profile.level(s) for s in ("logistic-regression", "probability")}

    before = levels()
    answer(cards, logs, qid, now, True)
    after = levels()
    for skill in SKILLS[qid]:
        assert after[skill] >= before[skill]
