"""Gap hours, weeks to ready and role fit on a tiny hand-made catalog (numbers by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.engine.fit import fit_role, rank_roles
from mlpivot.engine.gap import needed_levels, skill_gaps, weeks_to_ready
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.profile import Profile, profile_from_data

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_knowledge"


@pytest.fixture(scope="module")
def mini() -> Catalog:
    return load_catalog(MINI, builtin=False)


def person(mini: Catalog, **fields: object) -> Profile:
    data: dict[str, object] = {"current_role": "coder", "years_experience": 5, "hours_per_week": 10}
    data.update(fields)
    return profile_from_data(data, mini)


def test_needed_set_adds_prerequisites_at_familiar(mini: Catalog) -> None:
    needed = needed_levels(mini.roles["builder"], mini)
    assert needed == {"python": 3, "ml-basics": 2, "serving": 2, "maths": 1, "docker": 1}


def test_missing_hours_count_levels_and_unmet_prerequisites(mini: Catalog) -> None:
    p = person(mini, skills={"python": 3, "docker": 2})
    fit = fit_role(p, mini.roles["builder"], mini)
    # maths 0->1 is a third of 30 h; ml-basics 0->2 is 40 h; serving 0->2 is 24 h
    assert fit.missing_hours == pytest.approx(10 + 40 + 24)
    assert fit.weeks_to_ready == pytest.approx(7.4)
    assert [m.skill_id for m in fit.missing] == ["maths", "ml-basics", "serving"]
    assert [m.listed for m in fit.missing] == [False, True, True]


def test_familiar_counts_as_a_third_of_working(mini: Catalog) -> None:
    p = person(mini, skills={"python": 3, "docker": 2, "ml-basics": 1})
    role = mini.roles["builder"]
    named = {n.skill for n in role.skills}
    gaps = skill_gaps(needed_levels(role, mini), p.levels(), mini, named)
    assert {g.skill_id: round(g.hours, 2) for g in gaps}["ml-basics"] == pytest.approx(26.67)


def test_coverage_is_weighted_and_capped_at_the_needed_level(mini: Catalog) -> None:
    p = person(mini, skills={"python": 3, "serving": 3})
    fit = fit_role(p, mini.roles["builder"], mini)
    assert fit.coverage_curated == pytest.approx((1.0 + 0.8) / 2.6, abs=1e-4)


def test_junior_target_needs_working_not_strong(mini: Catalog) -> None:
    junior = person(mini, target_seniority="junior")
    assert needed_levels(mini.roles["thinker"], mini, "junior")["deep-nets"] == 2
    assert (
        fit_role(junior, mini.roles["thinker"], mini).missing_hours
        < fit_role(person(mini), mini.roles["thinker"], mini).missing_hours
    )


def test_weeks_to_ready_is_hours_over_hours_per_week() -> None:
    assert weeks_to_ready(80, 8) == 10
    with pytest.raises(ValueError):
        weeks_to_ready(10, 0)


def test_interests_and_route_change_the_ranking(mini: Catalog) -> None:
    builderish = person(
        mini,
        skills={"python": 3},
        interests={"building-products": 4, "research": 0, "mathematics": 0},
    )
    thinkerish = person(
        mini,
        skills={"python": 3},
        current_role="researcher",
        interests={"building-products": 0, "research": 4, "mathematics": 4},
    )
    assert rank_roles(builderish, mini)[0].role_id == "builder"
    assert rank_roles(thinkerish, mini)[0].role_id == "thinker"


def test_matched_skills_carry_their_evidence(mini: Catalog) -> None:
    p = person(
        mini,
        skills={
            "python": {"level": 3, "source": "resume", "detail": "Built Flask services in Python"}
        },
    )
    matched = fit_role(p, mini.roles["builder"], mini).matched
    assert matched[0].skill_id == "python"
    assert "resume" in matched[0].evidence and "Flask" in matched[0].evidence


def test_top_role_says_what_separates_it_from_the_second(mini: Catalog) -> None:
    fits = rank_roles(person(mini, skills={"python": 3, "maths": 3}), mini)
    assert fits[0].separation.startswith(f"{fits[0].role_name} is ahead of {fits[1].role_name}")
    assert fits[1].separation == ""


def test_explanation_states_coverage_missing_and_weeks(mini: Catalog) -> None:
    fit = fit_role(person(mini, skills={"python": 3, "docker": 2}), mini.roles["builder"], mini)
    assert "You cover 38% of what Builder asks for" in fit.explanation
    assert "2 skills are missing" in fit.explanation and "ML basics (40 h)" in fit.explanation
    assert "at 10 h/week about 7 weeks" in fit.explanation


def test_gap_orders_by_value_per_hour_but_never_before_prerequisites(mini: Catalog) -> None:
    report = analyse_gap(person(mini, skills={"python": 3}), mini.roles["builder"], mini)
    order = report.order
    assert order.index("maths") < order.index("ml-basics")
    assert order.index("docker") < order.index("serving")
    assert report.hours == pytest.approx(10 + 40 + 4 + 24)


def test_profile_names_unknown_skills_and_resolves_aliases(mini: Catalog) -> None:
    from mlpivot.errors import UserError

    with pytest.raises(UserError, match=r"'pythn' is not a skill mlpivot knows.*python"):
        profile_from_data({"skills": {"pythn": 2}}, mini, source="me.yaml")
    assert profile_from_data({"skills": {"Deep nets": 1}}, mini).level("deep-nets") == 1
    with pytest.raises(UserError, match=r"me\.yaml: hours_per_week"):
        profile_from_data({"hours_per_week": -1}, mini, source="me.yaml")


def test_category_coverage_splits_the_curated_coverage(mini: Catalog) -> None:
    from mlpivot.engine.fit import category_coverage

    p = person(mini, skills={"python": 3, "docker": 2})
    shares = category_coverage(p, mini.roles["builder"], mini)
    assert shares == {"classic-ml": 0.0, "mlops": 0.0, "programming": 1.0}
