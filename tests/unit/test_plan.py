"""The planner on the real catalog: invariants for random profiles (hypothesis) and examples."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.engine.fit import fit_role
from mlpivot.engine.gap import needed_levels
from mlpivot.engine.plan import PlanRequest, build_plan
from mlpivot.engine.plan_diff import compare_plans
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.profile import Profile, profile_from_data
from mlpivot.errors import UserError

CATALOG = load_catalog()
ROLES = sorted(r.id for r in CATALOG.target_roles)
SKILLS = sorted(CATALOG.skills)
START = date(2027, 1, 4)

profiles = st.builds(
    lambda skills, hours: profile_from_data(
        {"skills": skills, "hours_per_week": hours, "years_experience": 3}, CATALOG
    ),
    st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 3), max_size=40),
    st.sampled_from([3.0, 5.0, 8.0, 10.0, 15.0]),
)


def completion_weeks(plan: Plan) -> dict[str, int]:
    return {b.ref_id: w.index for w in plan.weeks for b in w.blocks if b.completes}


def start_weeks(plan: Plan) -> dict[str, int]:
    found: dict[str, int] = {}
    for week in plan.weeks:
        for block in week.blocks:
            found.setdefault(block.ref_id, week.index)
    return found


def block_order(plan: Plan) -> list[str]:
    return [b.ref_id for w in plan.weeks for b in w.blocks]


common = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(profiles, st.sampled_from(ROLES))
def test_no_skill_starts_before_its_prerequisites_are_complete(profile: Profile, role: str) -> None:
    plan = build_plan(profile, CATALOG, PlanRequest((role,), START))
    order = block_order(plan)
    finished_at = {}
    for position, ref in enumerate(order):
        finished_at[ref] = position
    planned = set(order)
    for ref in planned & set(CATALOG.skills):
        first = order.index(ref)
        for pre in CATALOG.graph.ancestors[ref] & planned:
            assert finished_at[pre] < first, (pre, ref)


@common
@given(profiles, st.sampled_from(ROLES), st.sets(st.integers(0, 30), max_size=4))
def test_no_week_exceeds_its_hours_and_holidays_stay_empty(
    profile: Profile, role: str, off: set[int]
) -> None:
    holidays = frozenset(START + timedelta(weeks=i, days=2) for i in off)
    plan = build_plan(profile, CATALOG, PlanRequest((role,), START, unavailable_weeks=holidays))
    for week in plan.weeks:
        assert week.hours <= week.hours_budget + 1e-6
        if any(week.start <= day <= week.end for day in holidays):
            assert not week.blocks and not week.available


@common
@given(profiles, st.sampled_from(ROLES))
def test_every_needed_skill_is_covered_and_finish_agrees_with_weeks_to_ready(
    profile: Profile, role: str
) -> None:
    plan = build_plan(profile, CATALOG, PlanRequest((role,), START))
    fit = fit_role(profile, CATALOG.roles[role], CATALOG)
    assert {m.skill_id for m in fit.missing} <= set(completion_weeks(plan))
    if plan.weeks:
        weeks_taken = (plan.finish - START).days / 7
        assert abs(weeks_taken - fit.weeks_to_ready) <= 1.0, (weeks_taken, fit.weeks_to_ready)


@common
@given(profiles, st.sampled_from(ROLES), st.data())
def test_replanning_never_undoes_completed_work(profile: Profile, role: str, data) -> None:  # type: ignore[no-untyped-def]
    first = build_plan(profile, CATALOG, PlanRequest((role,), START))
    skills_planned = [r for r in completion_weeks(first) if r in CATALOG.skills]
    if not skills_planned:
        return
    done = frozenset(data.draw(st.sets(st.sampled_from(skills_planned), max_size=5)))
    later = build_plan(
        profile, CATALOG, PlanRequest((role,), START + timedelta(weeks=4), done_skills=done)
    )
    assert not done & set(block_order(later))
    assert not set(compare_plans(first, later, done).dropped) & done


def test_a_deadline_chooses_the_most_valuable_set_that_fits(catalog: Catalog) -> None:
    profile = profile_from_data({"skills": {"python": 3}, "hours_per_week": 8}, catalog)
    plan = build_plan(
        profile, catalog, PlanRequest(("ml-engineer",), START, until=date(2027, 4, 30))
    )
    assert plan.dropped and plan.optimality_gap is not None and plan.optimality_gap <= 1e-6
    assert plan.finish <= date(2027, 5, 2)
    assert "chosen exactly" in plan.notes[0]


def test_two_roles_count_shared_skills_once_and_put_the_first_role_first(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3, "sql": 2}}, catalog)
    both = build_plan(profile, catalog, PlanRequest(("data-scientist", "ml-engineer"), START))
    skills = [b.ref_id for w in both.weeks for b in w.blocks if b.completes and b.kind != "project"]
    assert len(skills) == len(set(skills))
    ds_only = set(needed_levels(catalog.roles["data-scientist"], catalog))
    last_ds = max(i for i, r in enumerate(skills) if r in ds_only and r != "interviewing-skills")
    first_mle_only = min((i for i, r in enumerate(skills) if r not in ds_only), default=len(skills))
    assert last_ds < first_mle_only


def test_plan_says_which_pathway_it_follows_and_rejects_an_unknown_one(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3}}, catalog)
    plan = build_plan(
        profile, catalog, PlanRequest(("ml-engineer",), START, pathway_id="demando-route")
    )
    assert plan.pathway_id == "demando-route" and "Demando" in plan.pathway_name
    with pytest.raises(UserError, match="there is no pathway 'nope'"):
        build_plan(profile, catalog, PlanRequest(("ml-engineer",), START, pathway_id="nope"))


def test_projects_are_built_from_study_hours_and_interview_preparation_comes_last(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3}, "domains": ["finance"]}, catalog)
    plan = build_plan(profile, catalog, PlanRequest(("ml-engineer",), START))
    assert plan.projects
    kinds = [b.kind for w in plan.weeks for b in w.blocks]
    assert "project" in kinds
    assert kinds[-1] == "interview-prep"
    assert any(w.milestones for w in plan.weeks)
    at_work = [p for p in plan.phases if p.in_current_job]
    assert at_work and all(p.work_hours > 0 and p.study_hours == 0 for p in at_work)
    assert all(p.end == plan.finish for p in at_work)
