"""The engine rules behind issue 13: limits in one place, progress that is fair on day one,
plans followed only when adopted, floors inferred from experience, gaps without free hours,
and reasons for every suggestion."""

from __future__ import annotations

from datetime import date

import pytest

from mlpivot.catalog import Catalog
from mlpivot.engine.gap import needed_levels, skill_gaps
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.limits import LIMITS
from mlpivot.engine.plan import PlanRequest, build_plan
from mlpivot.engine.profile import Profile, known_levels, profile_from_data
from mlpivot.engine.progress import LoggedWork, measure_progress
from mlpivot.engine.replan import replan_request
from mlpivot.errors import UserError


def backend(catalog: Catalog, **fields: object) -> Profile:
    data: dict[str, object] = {
        "current_role": "software-engineer",
        "years_experience": 6,
        "hours_per_week": 8,
        "country": "GB",
        "skills": {"python": 3, "sql": 3, "git": 3},
    }
    data.update(fields)
    return profile_from_data(data, catalog)


# --- limits ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("hours_per_week", 0, "at least"),
        ("hours_per_week", 1000, "at most"),
        ("interests", {"research": 9}, "0 to 4"),
        ("interests", {"research": -1}, "0 to 4"),
        ("current_role", "x" * 500, "characters"),
        ("country", "ZZ", "ISO 3166"),
        ("country", "gbr", "ISO 3166"),
        ("years_experience", 99, "at most"),
    ],
)
def test_profile_limits_are_checked_in_one_place(
    catalog: Catalog, field: str, value: object, says: str
) -> None:
    with pytest.raises(UserError, match=says):
        backend(catalog, **{field: value})


def test_a_lower_case_country_code_is_read_as_the_code(catalog: Catalog) -> None:
    assert backend(catalog, country="gb").country == "GB"


def test_a_target_date_in_the_past_is_refused_only_when_entered(catalog: Catalog) -> None:
    data = {"target_date": "2020-01-01"}
    with pytest.raises(UserError, match="target_date"):
        profile_from_data(data, catalog, today=date(2026, 11, 27))
    assert profile_from_data(data, catalog).target_date == date(2020, 1, 1)


def test_the_limits_are_stated_in_words_for_help_and_forms() -> None:
    text = LIMITS.describe()
    assert f"{LIMITS.hours_per_week.min:g}" in text and f"{LIMITS.hours_per_week.max:g}" in text
    assert "0-4" in text and "ISO 3166" in text


def test_plan_hours_per_week_outside_the_limits_is_refused(catalog: Catalog) -> None:
    person = backend(catalog)
    for hours in (0.0, 0.5, 1000.0):
        with pytest.raises(UserError, match="hours"):
            build_plan(
                person,
                catalog,
                PlanRequest(("ml-engineer",), date(2027, 1, 4), hours_per_week=hours),
            )


# --- progress ----------------------------------------------------------------------------------


def test_progress_counts_work_logged_before_the_plan_started(catalog: Catalog) -> None:
    plan = build_plan(backend(catalog), catalog, PlanRequest(("ml-engineer",), date(2027, 1, 4)))
    early = [LoggedWork("probability", 3, False, date(2027, 1, 1))]
    assert measure_progress(plan, early, date(2027, 1, 5)).hours_logged == 3


def test_a_plan_made_midweek_is_not_behind_on_its_first_day(catalog: Catalog) -> None:
    plan = build_plan(backend(catalog), catalog, PlanRequest(("ml-engineer",), date(2027, 1, 6)))
    report = measure_progress(plan, [], date(2027, 1, 6))
    assert report.hours_planned_by_today == 0 and "behind" not in report.summary
    later = measure_progress(plan, [], date(2027, 1, 9))
    assert 0 < later.hours_planned_by_today < plan.weeks[0].hours


# --- re-planning rules live in the engine ------------------------------------------------------


def test_replan_starts_today_keeps_the_pathway_and_future_holidays(catalog: Catalog) -> None:
    person = backend(catalog)
    first = build_plan(
        person,
        catalog,
        PlanRequest(
            ("ml-engineer",),
            date(2027, 1, 4),
            unavailable_days=frozenset({date(2027, 1, 5), date(2027, 6, 8)}),
        ),
    )
    logs = [LoggedWork("probability", 4, True, date(2027, 1, 8))]
    request = replan_request(first, logs, today=date(2027, 2, 1))
    assert request.start == date(2027, 2, 1)
    assert request.pathway_id == first.pathway_id
    assert request.done_skills == frozenset({"probability"})
    assert request.unavailable_days == frozenset({date(2027, 6, 8)})


# --- advice that fits ---------------------------------------------------------------------------


def test_years_as_an_engineer_give_a_floor_for_skills_nobody_asked_about(catalog: Catalog) -> None:
    senior = known_levels(backend(catalog), catalog)
    assert senior["data-structures-algorithms"] >= 2
    assert senior["system-design"] >= 1
    junior = known_levels(backend(catalog, years_experience=0.5), catalog)
    assert junior.get("data-structures-algorithms", 0) == 0
    stated = backend(catalog, skills={"data-structures-algorithms": 1})
    assert known_levels(stated, catalog)["data-structures-algorithms"] == 1


def test_a_prerequisite_of_a_skill_already_held_adds_no_hours(catalog: Catalog) -> None:
    role = catalog.roles["ml-engineer"]
    needed = needed_levels(role, catalog)
    top = max(needed, key=lambda s: len(catalog.graph.ancestors.get(s, ())))
    prereqs = catalog.graph.ancestors[top]
    levels = {top: needed[top]}
    gaps = {g.skill_id for g in skill_gaps(needed, levels, catalog, {n.skill for n in role.skills})}
    only_for_top = [
        p
        for p in prereqs
        if p not in {n.skill for n in role.skills}
        and all(
            p not in catalog.graph.ancestors.get(other, ()) or other == top
            for other in needed
            if other != p
        )
    ]
    assert not set(only_for_top) & gaps


def test_every_specialism_suggested_carries_a_reason(catalog: Catalog) -> None:
    for role in catalog.target_roles:
        for profile in (backend(catalog), backend(catalog, domains=["retail"])):
            report = analyse_gap(profile, role, catalog)
            for spec in report.specialisms:
                assert spec.reasons, (role.id, spec.name)


def test_retail_experience_points_at_recommendation_systems(catalog: Catalog) -> None:
    report = analyse_gap(
        backend(catalog, domains=["retail"]), catalog.roles["ml-engineer"], catalog
    )
    assert any("recommend" in s.name.lower() for s in report.specialisms)


def test_a_phd_counts_toward_the_research_route(catalog: Catalog) -> None:
    from mlpivot.engine.fit import experience_and_route

    role = catalog.roles["research-scientist"]
    phd = backend(catalog, maths_background="phd")
    plain = backend(catalog, maths_background="undergrad")
    assert (
        experience_and_route(phd, role, catalog)[0] > experience_and_route(plain, role, catalog)[0]
    )
    assert "not usually" not in experience_and_route(phd, role, catalog)[1]


def test_every_current_role_the_questionnaire_offers_has_route_data(catalog: Catalog) -> None:
    from mlpivot.engine.fit import experience_and_route
    from mlpivot.engine.questionnaire import questionnaire

    offered = next(p for p in questionnaire(catalog) if p.id == "current_role").choices
    assert {"devops-engineer", "mobile-engineer", "phd-researcher", "data-analyst"} <= set(offered)
    for current in offered:
        if current == "other":
            continue
        person = backend(catalog, current_role=current)
        routes = [experience_and_route(person, role, catalog) for role in catalog.target_roles]
        assert not [why for _, why in routes if "no route data" in why], current
        assert max(score for score, _ in routes) == pytest.approx(1.0), current


def test_no_milestone_promises_a_quiz_that_does_not_exist(catalog: Catalog) -> None:
    """There is no quiz command yet: a milestone asks for something the person can show."""
    plan = build_plan(backend(catalog), catalog, PlanRequest(("ml-engineer",), date(2027, 1, 4)))
    milestones = [m for week in plan.weeks for m in week.milestones]
    assert milestones and not [m for m in milestones if m.startswith("Quiz")]


def test_one_unavailable_day_does_not_blank_the_week(catalog: Catalog) -> None:
    plan = build_plan(
        backend(catalog),
        catalog,
        PlanRequest(
            ("ml-engineer",), date(2027, 1, 4), unavailable_days=frozenset({date(2027, 1, 13)})
        ),
    )
    week = plan.weeks[1]
    assert week.available and 0 < week.hours < 8
