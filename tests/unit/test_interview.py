"""Mock interview loops and feedback: shaped like a real loop, timed, graded, studied."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.engine.interview import (
    add_study_blocks,
    build_loop,
    review_answer,
    round_categories,
    skills_behind,
    study_next,
)
from mlpivot.engine.plan import PlanRequest, build_plan
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.profile import profile_from_data
from mlpivot.errors import UserError


def test_an_ml_engineer_loop_has_system_design_theory_coding_and_behavioural(
    catalog: Catalog,
) -> None:
    categories = round_categories(catalog.question_bank, "ml-engineer")
    assert set(categories) == {"ml-system-design", "ml-theory", "coding-for-ml", "behavioural"}
    assert categories[-1] == "behavioural"


def test_every_target_role_gets_a_loop_of_its_own_questions(catalog: Catalog) -> None:
    for role in catalog.roles.values():
        if role.kind != "target":
            continue
        loop = build_loop(catalog, role.id, 45, seed=1)
        assert 2 <= len(loop.rounds) <= 4
        for item in loop.items:
            question = catalog.question_bank[item.question_id]
            assert role.id in question.roles and question.type != "mcq"
            assert question.category == item.category
        assert sum(i.minutes for i in loop.items) <= 45 + 1e-9


@pytest.mark.parametrize("minutes", [10, 45, 90, 240])
def test_a_loop_fits_its_minutes_and_a_longer_one_asks_more(catalog: Catalog, minutes: int) -> None:
    loop = build_loop(catalog, "data-scientist", minutes, seed=3)
    assert all(r.items for r in loop.rounds)
    assert sum(i.minutes for i in loop.items) <= minutes + 1e-9
    if minutes >= 90:
        assert len(loop.items) > len(build_loop(catalog, "data-scientist", 45, seed=3).items)


def test_the_seed_replays_a_loop_and_questions_asked_before_come_last(catalog: Catalog) -> None:
    first = build_loop(catalog, "ml-engineer", 45, seed=7)
    assert build_loop(catalog, "ml-engineer", 45, seed=7) == first
    again = build_loop(
        catalog, "ml-engineer", 45, seed=7, asked=[i.question_id for i in first.items]
    )
    assert not {i.question_id for i in first.items} & {i.question_id for i in again.items}


def test_a_loop_is_refused_for_a_reference_role_or_silly_minutes(catalog: Catalog) -> None:
    with pytest.raises(UserError, match="not a target role"):
        build_loop(catalog, "software-engineer", 45, seed=1)
    with pytest.raises(UserError, match="10 to 240 minutes"):
        build_loop(catalog, "ml-engineer", 3, seed=1)


def test_a_full_answer_beats_a_negated_one_and_missed_points_name_skills(catalog: Catalog) -> None:
    question = next(
        q
        for q in catalog.question_bank.values()
        if q.type == "short" and "regularization" in q.skills and len(q.rubric) >= 2
    )
    full = review_answer(question, question.reference, 100, 180, catalog)
    empty = review_answer(question, "", 5, 180, catalog)
    assert full.score_5 > empty.score_5 == 0
    assert set(empty.missed) == set(question.rubric)
    assert empty.study_next and set(empty.study_next) <= set(catalog.skills)
    assert full.model_answer == question.reference
    assert not full.over_time and review_answer(question, "x", 200, 180, catalog).over_time


def test_skills_behind_a_point_are_the_ones_it_names_else_the_questions(catalog: Catalog) -> None:
    question = catalog.question_bank[next(iter(catalog.question_bank))]
    assert skills_behind(["compares it with logistic regression"], question, catalog) == (
        "logistic-regression",
    )
    assert skills_behind(["speaks clearly and calmly"], question, catalog) == tuple(
        s for s in question.skills if s in catalog.skills
    )
    assert skills_behind([], question, catalog) == ()


def test_study_next_puts_the_weakest_answers_skills_first(catalog: Catalog) -> None:
    bank = catalog.question_bank
    shorts = [q for q in bank.values() if q.type == "short"][:2]
    strong = review_answer(shorts[0], shorts[0].reference, 60, 180, catalog)
    weak = review_answer(shorts[1], "", 60, 180, catalog)
    order = study_next([strong, weak])
    assert order[: len(weak.study_next)] == weak.study_next


PLAN_START = date(2027, 3, 1)


CATALOG = load_catalog()
PLAN = build_plan(
    profile_from_data({"hours_per_week": 6, "skills": {"python": 3}}, CATALOG),
    CATALOG,
    PlanRequest(("ml-engineer",), PLAN_START),
)


def _revision(plan: Plan) -> list[tuple[int, str]]:
    return [
        (w.index, b.ref_id)
        for w in plan.weeks
        for b in w.blocks
        if b.kind == "interview-prep" and b.title.startswith("Revise ")
    ]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(["probability", "docker", "pytorch", "sql", "statistics"]), max_size=5
    ),
    st.integers(0, 400),
)
def test_revision_blocks_never_break_a_weeks_budget(skills: list[str], days_in: int) -> None:
    today = PLAN_START + timedelta(days=days_in)
    after = add_study_blocks(PLAN, skills, CATALOG, today)
    for week in after.weeks:
        assert week.hours <= week.hours_budget + 1e-6
    added = _revision(after)
    assert sorted(s for _, s in added) == sorted(set(skills))
    for index, _ in added:
        assert after.weeks[index].end >= today
    assert after.finish >= PLAN.finish
    assert after.total_hours == pytest.approx(PLAN.total_hours + 2 * len(set(skills)), abs=0.1)
    assert add_study_blocks(after, skills, CATALOG, today) == after  # asking twice adds nothing
