"""The planner's rules stated in words: the hours a deadline leaves, two roles, the pathway."""

from __future__ import annotations

from datetime import date

import pytest

from mlpivot.catalog import Catalog
from mlpivot.engine.plan import PlanRequest, _hours_until, build_plan, choose_pathway
from mlpivot.engine.profile import profile_from_data
from mlpivot.errors import UserError

NONE: frozenset[date] = frozenset()
MONDAY = date(2027, 1, 4)
"""Weeks in these tests: Mon 4 - Sun 10 January 2027, Mon 11 - Sun 17, Mon 18 - Sun 24."""


def test_a_deadline_leaves_every_week_from_the_start_week_through_the_week_it_falls_in() -> None:
    assert _hours_until(MONDAY, date(2027, 1, 17), 10, NONE) == 20
    assert _hours_until(MONDAY, date(2027, 1, 13), 10, NONE) == 20  # a Wednesday: its week counts
    assert _hours_until(MONDAY, date(2027, 1, 11), 10, NONE) == 20  # a Monday: its week counts
    assert _hours_until(MONDAY, date(2027, 1, 18), 10, NONE) == 30


def test_a_plan_started_midweek_counts_that_whole_week() -> None:
    assert _hours_until(date(2027, 1, 6), date(2027, 1, 7), 10, NONE) == 10


def test_a_holiday_empties_the_week_it_falls_in_whichever_day_it_is() -> None:
    until = date(2027, 1, 17)
    assert _hours_until(MONDAY, until, 10, frozenset({date(2027, 1, 11)})) == 10  # a Monday
    assert _hours_until(MONDAY, until, 10, frozenset({date(2027, 1, 17)})) == 10  # a Sunday
    assert _hours_until(MONDAY, until, 10, frozenset({date(2027, 1, 13)})) == 10


def test_a_day_off_takes_a_seventh_of_its_week_before_a_deadline() -> None:
    days_off = frozenset({date(2027, 1, 5)})
    assert _hours_until(MONDAY, date(2027, 1, 17), 7, frozenset(), days_off) == pytest.approx(13)


def test_a_deadline_on_or_before_the_start_is_refused_with_both_dates() -> None:
    with pytest.raises(UserError, match="--until 2027-01-04 is not after the start 2027-01-04"):
        _hours_until(MONDAY, MONDAY, 10, NONE)


def test_a_two_role_plan_takes_as_many_hours_whichever_role_is_named_first(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3, "sql": 2}}, catalog)
    one = build_plan(profile, catalog, PlanRequest(("data-scientist", "ml-engineer"), MONDAY))
    other = build_plan(profile, catalog, PlanRequest(("ml-engineer", "data-scientist"), MONDAY))
    assert one.total_hours == pytest.approx(other.total_hours, abs=0.2)
    alone = build_plan(profile, catalog, PlanRequest(("ml-engineer",), MONDAY))
    assert one.total_hours > alone.total_hours


def test_a_senior_target_plans_more_hours_than_a_mid_one_and_a_junior_fewer(
    catalog: Catalog,
) -> None:
    def hours(seniority: str) -> float:
        profile = profile_from_data(
            {"skills": {"python": 2}, "target_seniority": seniority}, catalog
        )
        return build_plan(profile, catalog, PlanRequest(("ml-engineer",), MONDAY)).total_hours

    assert hours("junior") < hours("mid") < hours("senior")


def test_without_a_chosen_pathway_the_plan_follows_one_that_targets_the_role(
    catalog: Catalog,
) -> None:
    for role in catalog.target_roles:
        pathway = choose_pathway(catalog, role, None)
        targeting = [p for p in catalog.pathways.values() if role.id in p.target_roles]
        if targeting:
            assert pathway is not None and role.id in pathway.target_roles
        else:
            assert pathway is None


def test_an_unknown_pathway_is_refused_with_the_ones_there_are(catalog: Catalog) -> None:
    some = sorted(catalog.pathways)[0]
    with pytest.raises(UserError, match=f"choose one of .*{some}"):
        choose_pathway(catalog, catalog.roles["ml-engineer"], "nope")


@pytest.mark.parametrize("pathway_id", ["howell-route", "demando-route", "prepvector-nine-steps"])
def test_study_phases_are_the_pathways_study_steps_the_specialisms_and_the_rest_of_the_role(
    catalog: Catalog, pathway_id: str
) -> None:
    profile = profile_from_data({"skills": {"python": 3}}, catalog)
    plan = build_plan(
        profile, catalog, PlanRequest(("ml-engineer",), MONDAY, pathway_id=pathway_id)
    )
    steps = {s.title for s in catalog.pathways[pathway_id].steps if not s.in_current_job}
    role = catalog.roles["ml-engineer"].name
    study = {p.name for p in plan.phases if not p.in_current_job}
    assert study & steps, "the pathway's own study steps name phases of the plan"
    # a specialism's skills that a pathway step already teaches stay in that step
    assert any(s in name for s in plan.specialisms for name in study)
    others = study - steps
    assert all(
        role in name or any(s in name for s in plan.specialisms) or "nterview" in name
        for name in others
    ), others
    assert any(role in name for name in others), "skills outside the pathway are the role's rest"


@pytest.mark.parametrize("wanted", [0, 1, 2, 3])
def test_a_plan_has_as_many_projects_as_asked_for_when_there_are_enough(
    catalog: Catalog, wanted: int
) -> None:
    profile = profile_from_data({"skills": {"python": 3}, "domains": ["finance"]}, catalog)
    plan = build_plan(profile, catalog, PlanRequest(("ml-engineer",), MONDAY, projects=wanted))
    assert len(plan.projects) == wanted


def test_only_the_interview_skill_is_interview_preparation_other_study_is_a_skill(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3}}, catalog)
    plan = build_plan(profile, catalog, PlanRequest(("ml-engineer",), MONDAY))
    kinds = {(b.ref_id, b.kind) for w in plan.weeks for b in w.blocks if b.kind != "project"}
    assert kinds
    for ref_id, kind in kinds:
        assert kind == ("interview-prep" if ref_id == "interviewing-skills" else "skill"), ref_id


def test_building_projects_takes_hours_from_study_and_adds_none_to_the_plan(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3}, "domains": ["finance"]}, catalog)
    without = build_plan(profile, catalog, PlanRequest(("ml-engineer",), MONDAY, projects=0))
    with_two = build_plan(profile, catalog, PlanRequest(("ml-engineer",), MONDAY, projects=2))
    assert with_two.projects
    assert with_two.total_hours == pytest.approx(without.total_hours, abs=0.15)


def test_every_skill_block_names_a_resource_to_learn_it_from_with_its_link(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3}}, catalog)
    plan = build_plan(profile, catalog, PlanRequest(("ml-engineer",), MONDAY))
    blocks = [b for w in plan.weeks for b in w.blocks if b.kind != "project"]
    assert blocks
    for block in blocks:
        first = catalog.skills[block.ref_id].resources[0]
        assert block.resource is not None, block.ref_id
        assert (block.resource.title, block.resource.url) == (first.title, str(first.url))


def test_the_work_done_in_the_current_job_comes_from_the_chosen_pathway_when_it_has_some(
    catalog: Catalog,
) -> None:
    profile = profile_from_data({"skills": {"python": 3}}, catalog)

    def in_job(pathway_id: str) -> set[str]:
        request = PlanRequest(("ml-engineer",), MONDAY, pathway_id=pathway_id)
        return {p.name for p in build_plan(profile, catalog, request).phases if p.in_current_job}

    def steps(pathway_id: str) -> set[str]:
        pathway = catalog.pathways[pathway_id]
        return {s.title for s in pathway.steps if s.in_current_job and s.hours > 0}

    assert steps("howell-route") and in_job("howell-route") == steps("howell-route")
    # demando-route has no such steps: the plan borrows those of the other pathways for the role
    assert not steps("demando-route")
    assert in_job("demando-route") == steps("howell-route")
