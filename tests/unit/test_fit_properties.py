"""Invariants of the fit that must hold for any profile (hypothesis)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mlpivot.catalog import load_catalog
from mlpivot.engine.fit import fit_role, rank_roles
from mlpivot.engine.profile import Profile, profile_from_data

MINI = load_catalog(Path(__file__).resolve().parents[1] / "data" / "mini_knowledge", builtin=False)
SKILLS = sorted(MINI.skills)
INTERESTS = ["building-products", "research", "infrastructure", "mathematics", "modelling"]

levels = st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 3))
interests = st.dictionaries(st.sampled_from(INTERESTS), st.integers(0, 4))
hours = st.floats(min_value=1, max_value=40, allow_nan=False)


def make(skills: dict[str, int], likes: dict[str, int], per_week: float = 8) -> Profile:
    return profile_from_data(
        {"skills": skills, "interests": likes, "hours_per_week": per_week, "years_experience": 4},
        MINI,
    )


@given(levels, interests, st.sampled_from(SKILLS), st.integers(1, 3))
def test_raising_a_skill_never_lowers_any_roles_coverage(skills, likes, skill, up) -> None:  # type: ignore[no-untyped-def]
    before = make(skills, likes)
    raised = make({**skills, skill: max(skills.get(skill, 0), up)}, likes)
    for role in MINI.target_roles:
        assert (
            fit_role(raised, role, MINI).coverage_curated
            >= fit_role(before, role, MINI).coverage_curated
        )
        assert (
            fit_role(raised, role, MINI).missing_hours <= fit_role(before, role, MINI).missing_hours
        )


@given(levels, interests, hours, hours)
def test_more_hours_per_week_never_means_more_weeks(skills, likes, a, b) -> None:  # type: ignore[no-untyped-def]
    low, high = sorted((a, b))
    for role in MINI.target_roles:
        slow = fit_role(make(skills, likes, low), role, MINI)
        fast = fit_role(make(skills, likes, high), role, MINI)
        assert fast.weeks_to_ready <= slow.weeks_to_ready


@settings(max_examples=50)
@given(levels, interests)
def test_scores_do_not_depend_on_the_order_of_the_input(skills, likes) -> None:  # type: ignore[no-untyped-def]
    forward = make(skills, likes)
    backward = make(dict(reversed(list(skills.items()))), dict(reversed(list(likes.items()))))
    assert [(f.role_id, f.score) for f in rank_roles(forward, MINI)] == [
        (f.role_id, f.score) for f in rank_roles(backward, MINI)
    ]


@given(levels, interests)
def test_scores_and_parts_stay_within_zero_and_one(skills, likes) -> None:  # type: ignore[no-untyped-def]
    for fit in rank_roles(make(skills, likes), MINI):
        assert 0 <= fit.score <= 1
        assert all(0 <= v <= 1 for v in fit.parts.values())
