"""Each rule of the fit and the gap, stated as a person would say it, on the hand-made catalog.

Every test here fails when the rule it names is changed or dropped (checked by hand and by
`make mutate`); the figures are the defaults in `DEFAULT_FIT_PARAMS` and `engine/gap.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.catalog.models import Background, Interest, Role, RoleSkill
from mlpivot.engine.fit import (
    DEFAULT_FIT_PARAMS,
    EXPERIENCE_AND_ROUTE,
    INTEREST_ALIGNMENT,
    SKILL_COVERAGE,
    FitParams,
    category_coverage,
    experience_and_route,
    fit_role,
    interest_alignment,
    rank_roles,
)
from mlpivot.engine.gap import (
    SkillGap,
    cumulative_hours,
    hours_between,
    needed_levels,
    prioritise,
    skill_gaps,
    weeks_to_ready,
)
from mlpivot.engine.profile import Profile, profile_from_data
from mlpivot.engine.weights import skill_weights

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_knowledge"
# builder: rarely entry-level, usually reached from "coder"; core python 3, ml-basics 2,
#          serving 2; interests: building products 1.0, infrastructure 0.5, research 0.1
# thinker: rarely entry-level, no usual route; maths 3 and deep-nets 3 core, python 2 (0.5)


@pytest.fixture(scope="module")
def mini() -> Catalog:
    return load_catalog(MINI, builtin=False)


def person(mini: Catalog, **fields: object) -> Profile:
    data: dict[str, object] = {"current_role": "coder", "years_experience": 5, "hours_per_week": 10}
    data.update(fields)
    return profile_from_data(data, mini)


@dataclass(frozen=True)
class Postings:
    """Market figures for one role, as the engine reads them (a plain value, not a stub)."""

    source: str
    sample_size: int
    weights: Mapping[str, float]


# --- the score and its parts -------------------------------------------------------------


def test_skills_count_most_then_interests_then_experience_and_route(mini: Catalog) -> None:
    fit = fit_role(person(mini, skills={"python": 3}), mini.roles["builder"], mini)
    parts = fit.parts
    assert fit.score == pytest.approx(
        0.45 * parts[SKILL_COVERAGE]
        + 0.35 * parts[INTEREST_ALIGNMENT]
        + 0.20 * parts[EXPERIENCE_AND_ROUTE],
        abs=1e-4,
    )


@pytest.mark.parametrize(
    "field",
    [
        "interest_shape_share",
        "route_share",
        "unusual_route_credit",
        "unknown_route_credit",
        "market_share",
        "core_weight",
    ],
)
def test_fit_params_name_a_share_outside_zero_and_one(field: str) -> None:
    for wrong in (-0.1, 1.1):
        with pytest.raises(
            ValueError, match=rf"^FitParams\.{field} must be in \[0, 1\], not {wrong}$"
        ):
            FitParams(**{field: wrong})  # type: ignore[arg-type]
    FitParams(**{field: 0.0})  # type: ignore[arg-type]
    FitParams(**{field: 1.0})  # type: ignore[arg-type]


def test_fit_params_refuse_weights_that_would_leave_the_score_outside_zero_and_one() -> None:
    with pytest.raises(ValueError, match=r"^FitParams part weights must sum to 1"):
        FitParams(skill_coverage_weight=0.5)
    with pytest.raises(ValueError, match=r"^FitParams\.skill_coverage_weight must be in"):
        FitParams(skill_coverage_weight=1.2, interest_alignment_weight=-0.2)
    with pytest.raises(ValueError, match=r"^FitParams\.full_credit_years must be positive$"):
        FitParams(full_credit_years=0)
    assert FitParams(full_credit_years=0.5).full_credit_years == 0.5
    assert FitParams() == DEFAULT_FIT_PARAMS


def test_different_params_change_the_ranking(mini: Catalog) -> None:
    """The parameters are really used: a fit that ignored interests ranks by skills alone."""
    researcher = person(mini, skills={"python": 3}, interests={"research": 4, "mathematics": 4})
    skills_only = FitParams(
        skill_coverage_weight=1.0, interest_alignment_weight=0.0, experience_and_route_weight=0.0
    )
    assert rank_roles(researcher, mini)[0].role_id == "thinker"
    assert rank_roles(researcher, mini, params=skills_only)[0].role_id == "builder"


# --- interest alignment: level and shape --------------------------------------------------


def test_interests_with_the_roles_shape_rank_it_higher_than_rating_everything_three(
    mini: Catalog,
) -> None:
    """Liking building products most, infrastructure a bit and research not at all is the
    builder's shape, even though every answer is at most 3."""
    likes = {**dict.fromkeys(Interest, 0), "building-products": 3, "infrastructure": 2}
    shaped = person(mini, skills={"python": 3}, interests=likes)
    flat = person(mini, skills={"python": 3}, interests=dict.fromkeys(Interest, 3))
    builder = mini.roles["builder"]
    assert fit_role(shaped, builder, mini).score > fit_role(flat, builder, mini).score
    assert interest_alignment(shaped, builder) > interest_alignment(flat, builder)


def test_enjoying_more_of_what_the_role_is_made_of_raises_interest_alignment(
    mini: Catalog,
) -> None:
    """Flat answers have no shape, so between two flat people the one who enjoys more wins."""
    builder = mini.roles["builder"]
    keen = person(mini, interests=dict.fromkeys(Interest, 4))
    cool = person(mini, interests=dict.fromkeys(Interest, 1))
    assert interest_alignment(keen, builder) == pytest.approx(0.5 * 1.0 + 0.5 * 0.5)
    assert interest_alignment(cool, builder) == pytest.approx(0.5 * 0.25 + 0.5 * 0.5)


def test_answers_that_mirror_the_roles_profile_have_the_whole_shape_and_its_opposite_none(
    mini: Catalog,
) -> None:
    """The shape is the correlation of the answers with the role's profile, from -1 (none of
    the shape, 0) to 1 (all of it); the level is enjoyment weighted by the profile."""
    role = mini.roles["builder"].model_copy(
        update={"interests": {"building-products": 1.0, "infrastructure": 0.5}}
    )
    nothing = dict.fromkeys(Interest, 0)
    mirror = person(mini, interests={**nothing, "building-products": 4, "infrastructure": 2})
    level = (1.0 * 1.0 + 0.5 * 0.5) / 1.5
    assert interest_alignment(mirror, role) == pytest.approx(0.5 * level + 0.5 * 1.0)
    opposite = person(
        mini, interests={**dict.fromkeys(Interest, 4), "building-products": 0, "infrastructure": 2}
    )
    level = (1.0 * 0.0 + 0.5 * 0.5) / 1.5
    assert interest_alignment(opposite, role) == pytest.approx(0.5 * level + 0.5 * 0.0)
    only_shape = FitParams(interest_shape_share=1.0)
    assert interest_alignment(mirror, role, only_shape) == pytest.approx(1.0)
    # however light the profile: a role made only of a little research is still about research
    light = role.model_copy(update={"interests": {"research": 0.6}})
    researcher = person(mini, interests={**nothing, "research": 4})
    assert interest_alignment(researcher, light) == pytest.approx(1.0)


def test_a_role_without_an_interest_profile_is_neutral_on_interests(mini: Catalog) -> None:
    blank = mini.roles["builder"].model_copy(update={"interests": {}})
    keen = person(mini, interests={"building-products": 4})
    assert interest_alignment(keen, blank) == 0.5


# --- experience and route ----------------------------------------------------------------


def _experience(mini: Catalog, role: Role, **fields: object) -> float:
    return fit_role(person(mini, **fields), role, mini).parts[EXPERIENCE_AND_ROUTE]


def test_route_counts_sixty_percent_and_years_forty(mini: Catalog) -> None:
    """On the usual route with no experience a person has the route's share and nothing for
    years; with enough years, the whole part."""
    builder = mini.roles["builder"]
    assert _experience(mini, builder, years_experience=0) == pytest.approx(0.6)
    assert _experience(mini, builder, years_experience=3) == pytest.approx(1.0)
    assert _experience(mini, builder, current_role="nowhere", years_experience=3) == (
        pytest.approx(0.6 * 0.5 + 0.4)
    )


def test_coming_from_a_role_that_rarely_leads_here_costs_more_than_an_unknown_route(
    mini: Catalog,
) -> None:
    """The route penalty: mlpivot knows a thinker does not usually become a builder, so that
    route earns less than a route it has no data on, which earns less than the usual one."""
    builder = mini.roles["builder"]
    usual = _experience(mini, builder, current_role="coder")
    unknown = _experience(mini, builder, current_role="astronaut")
    unusual = _experience(mini, builder, current_role="thinker")
    assert usual > unknown > unusual
    assert unusual == pytest.approx(0.6 * 0.4 + 0.4 * 1.0)
    fit = fit_role(person(mini, current_role="thinker"), builder, mini)
    assert "not usually reached straight from Thinker" in fit.notes[0]


def test_the_route_and_years_are_explained_in_words(mini: Catalog) -> None:
    builder = mini.roles["builder"]
    note = fit_role(person(mini, current_role="astronaut"), builder, mini).notes[0]
    assert note == (
        "mlpivot has no route data for 'astronaut'; rarely entry-level; 5 years of experience"
    )
    open_door = builder.model_copy(update={"entry_level": True})
    note = fit_role(person(mini), open_door, mini).notes[0]
    assert note == "Builder is often reached from Coder; entry-level hiring is common"


def test_a_current_role_given_by_its_name_counts_as_that_role(mini: Catalog) -> None:
    assert _experience(mini, mini.roles["builder"], current_role="Coder") == pytest.approx(1.0)


def test_matched_skills_say_where_their_level_comes_from(mini: Catalog) -> None:
    p = person(
        mini,
        skills={
            "python": 3,
            "serving": {"level": 2, "source": "project", "detail": "Model API on Fly.io"},
        },
    )
    evidence = {m.skill_id: m.evidence for m in fit_role(p, mini.roles["builder"], mini).matched}
    assert evidence == {
        "python": "self-rated, strong",
        "serving": "project, working: Model API on Fly.io",
    }


def test_already_doing_the_job_counts_as_the_best_route(mini: Catalog) -> None:
    builder = mini.roles["builder"]
    assert _experience(mini, builder, current_role="builder") == pytest.approx(1.0)
    assert (
        "you already work as Builder"
        in fit_role(person(mini, current_role="builder"), builder, mini).notes[0]
    )


def test_a_background_that_usually_leads_to_the_role_is_the_usual_route(mini: Catalog) -> None:
    """A person from outside our roles (a data analyst) whose background usually leads to the
    builder gets the whole route; one whose background leads elsewhere gets the penalty, and
    the note names the background, not the raw answer."""
    builder = mini.roles["builder"]
    analyst = Background.model_validate(
        {"id": "data-analyst", "name": "Data analyst", "leads_to": ["builder"]}
    )
    tester = Background.model_validate(
        {"id": "qa-tester", "name": "QA tester", "leads_to": ["thinker"]}
    )
    known = dataclasses.replace(mini, backgrounds={b.id: b for b in (analyst, tester)})
    usual, why = experience_and_route(person(known, current_role="data-analyst"), builder, known)
    assert usual == pytest.approx(1.0)
    assert why.startswith("Builder is often reached from Data analyst;")
    unusual, why = experience_and_route(person(known, current_role="qa-tester"), builder, known)
    assert unusual == pytest.approx(0.6 * 0.4 + 0.4 * 1.0)
    assert why.startswith("Builder is not usually reached straight from QA tester;")


def test_a_degree_the_role_usually_hires_is_a_usual_route(mini: Catalog) -> None:
    thinker = mini.roles["thinker"].model_copy(update={"usual_education": ("phd",)})
    phd = person(mini, current_role="astronaut", maths_background="phd")
    plain = person(mini, current_role="astronaut", maths_background="undergrad")
    route, why = experience_and_route(phd, thinker, mini)
    assert route == pytest.approx(1.0)
    assert why.startswith("Thinker is often reached with a phd degree;")
    assert experience_and_route(plain, thinker, mini)[0] == pytest.approx(0.6 * 0.5 + 0.4)


def test_years_count_for_a_role_rarely_hired_at_entry_level_up_to_three(mini: Catalog) -> None:
    builder = mini.roles["builder"]
    by_years = [_experience(mini, builder, years_experience=y) for y in (0, 1.5, 3, 10)]
    assert by_years == pytest.approx([0.6, 0.8, 1.0, 1.0])


def test_years_do_not_matter_where_entry_level_hiring_is_common(mini: Catalog) -> None:
    open_door = mini.roles["builder"].model_copy(update={"entry_level": True})
    assert _experience(mini, open_door, years_experience=0) == pytest.approx(1.0)
    assert "entry-level hiring is common" in fit_role(person(mini), open_door, mini).notes[0]


# --- skill coverage and the market blend -------------------------------------------------


def test_a_skill_the_postings_ask_for_most_counts_for_more_than_its_curated_weight(
    mini: Catalog,
) -> None:
    """Where postings cover the role, the blend is half curated, half market: serving, named
    in every posting, covers more of the builder than the curated weights alone say."""
    builder = mini.roles["builder"]
    market = Postings("test postings", 40, {"serving": 0.9, "python": 0.3})
    weights = skill_weights(builder, market)
    assert weights.blended["serving"] == pytest.approx(0.5 * 0.8 + 0.5 * 1.0)
    assert weights.blended["ml-basics"] == pytest.approx(0.5 * 0.8)
    # under two years, so no floor is inferred for the coder's own skills
    server = person(mini, skills={"serving": 2}, years_experience=1)
    with_market = fit_role(server, builder, mini, market)
    without = fit_role(server, builder, mini)
    assert with_market.parts[SKILL_COVERAGE] > without.parts[SKILL_COVERAGE]
    assert with_market.coverage_curated == without.coverage_curated
    assert with_market.coverage_market == pytest.approx(1.0 / (1 + 1 / 3), abs=1e-4)
    assert "40 postings name it — test postings" in with_market.explanation


def test_market_coverage_counts_only_the_skills_the_postings_name(mini: Catalog) -> None:
    builder = mini.roles["builder"]
    both = person(mini, years_experience=1, skills={"serving": 2, "ml-basics": 2})
    named = fit_role(both, builder, mini, Postings("p", 9, {"serving": 0.9, "python": 0.3}))
    assert named.coverage_market == pytest.approx(1.0 / (1 + 1 / 3), abs=1e-4)
    only_serving = fit_role(both, builder, mini, Postings("p", 9, {"serving": 0.5}))
    assert only_serving.coverage_market == 1.0
    elsewhere = fit_role(both, builder, mini, Postings("p", 9, {"docker": 0.5}))
    assert elsewhere.coverage_market == 0.0


def test_market_figures_that_name_nothing_leave_the_curated_weights(mini: Catalog) -> None:
    builder = mini.roles["builder"]
    weights = skill_weights(builder, Postings("empty", 0, {}))
    assert weights.market is None and weights.blended == weights.curated


def test_rank_roles_uses_the_market_figures_of_each_role(mini: Catalog) -> None:
    server = person(mini, skills={"serving": 2})
    market = {"builder": Postings("test postings", 40, {"serving": 1.0})}
    ranked = {f.role_id: f for f in rank_roles(server, mini, market)}
    assert ranked["builder"].market_source == "test postings"
    assert ranked["thinker"].market_source is None


# --- the senior rule and the levels a role asks for ---------------------------------------


def test_a_senior_must_be_strong_in_every_core_skill_even_where_the_role_lists_working(
    mini: Catalog,
) -> None:
    builder = mini.roles["builder"]
    assert needed_levels(builder, mini, "mid")["ml-basics"] == 2
    assert needed_levels(builder, mini, "senior")["ml-basics"] == 3
    assert needed_levels(builder, mini, "senior")["serving"] == 3
    senior = fit_role(person(mini, target_seniority="senior"), builder, mini)
    mid = fit_role(person(mini), builder, mini)
    assert senior.missing_hours > mid.missing_hours


def test_outside_the_core_a_senior_needs_what_the_role_lists_and_a_mid_at_most_working(
    mini: Catalog,
) -> None:
    role = _with_side_skill(mini.roles["thinker"], "docker", level=3, weight=0.5)
    assert needed_levels(role, mini, "senior")["python"] == 2
    assert needed_levels(role, mini, "senior")["docker"] == 3
    assert needed_levels(role, mini, "mid")["docker"] == 2
    assert needed_levels(role, mini, "mid")["maths"] == 3


def test_a_skill_weighted_exactly_at_the_core_threshold_is_core(mini: Catalog) -> None:
    role = _with_side_skill(mini.roles["thinker"], "docker", level=2, weight=0.8)
    assert needed_levels(role, mini, "senior")["docker"] == 3


def test_category_coverage_shares_each_category_by_weight_and_seniority(mini: Catalog) -> None:
    role = _with_side_skill(mini.roles["builder"], "docker", level=2, weight=0.5)
    mid = person(mini, years_experience=1, skills={"docker": 2, "serving": 1, "python": 3})
    senior = person(
        mini, years_experience=1, skills={"docker": 2, "serving": 1}, target_seniority="senior"
    )
    # serving (0.8, core) is half-way to working; docker (0.5) is at working
    assert category_coverage(mid, role, mini) == {
        "classic-ml": 0.0,
        "mlops": round((0.8 * 0.5 + 0.5 * 1.0) / 1.3, 4),
        "programming": 1.0,
    }
    # a senior needs strength in core serving and python: a third of it, and two thirds
    assert category_coverage(senior, role, mini)["mlops"] == round((0.8 / 3 + 0.5) / 1.3, 4)
    assert category_coverage(senior, role, mini)["programming"] == 0.0


def test_a_role_skill_asked_at_level_none_counts_as_covered(mini: Catalog) -> None:
    role = _with_side_skill(mini.roles["builder"], "maths", level=0, weight=0.5)
    role = role.model_copy(update={"skills": (role.skills[-1], *role.skills[:-1])})
    assert category_coverage(person(mini), role, mini)["mathematics"] == 1.0
    full = person(mini, skills={"python": 3, "ml-basics": 2, "serving": 2})
    assert fit_role(full, role, mini).coverage_curated == 1.0


def test_a_senior_covers_less_of_a_role_with_working_skills_unless_they_are_not_core(
    mini: Catalog,
) -> None:
    builder = mini.roles["builder"]
    skills = {"python": 3, "ml-basics": 2, "serving": 2}
    mid = fit_role(person(mini, skills=skills), builder, mini)
    senior = fit_role(person(mini, skills=skills, target_seniority="senior"), builder, mini)
    assert mid.parts[SKILL_COVERAGE] == 1.0
    assert senior.parts[SKILL_COVERAGE] == pytest.approx((1 + 2 * 0.8 * 2 / 3) / 2.6, abs=1e-4)
    higher_bar = FitParams(core_weight=0.9)
    senior_p = person(mini, skills=skills, target_seniority="senior")
    assert fit_role(senior_p, builder, mini, params=higher_bar).parts[SKILL_COVERAGE] == 1.0


def test_a_junior_is_never_asked_for_strength(mini: Catalog) -> None:
    assert set(needed_levels(mini.roles["thinker"], mini, "junior").values()) <= {1, 2}


# --- the gap order ------------------------------------------------------------------------


def test_gap_puts_a_cheap_useful_skill_before_a_more_valuable_slow_one(mini: Catalog) -> None:
    """Value per hour, not value: serving (worth 0.7, 24 h) comes before ML basics (worth 0.9,
    40 h), because an hour on serving buys more."""
    builder = mini.roles["builder"]
    p = person(mini, skills={"python": 3, "maths": 1, "docker": 1})
    gaps = skill_gaps(needed_levels(builder, mini), p.levels(), mini, {"ml-basics", "serving"})
    order = [i.skill_id for i in prioritise(gaps, {"ml-basics": 0.9, "serving": 0.7}, mini)]
    assert order == ["serving", "ml-basics"]


def test_a_prerequisite_is_worth_what_the_skill_it_unlocks_is_worth(mini: Catalog) -> None:
    builder = mini.roles["builder"]
    p = person(mini, skills={"python": 3})
    gaps = skill_gaps(needed_levels(builder, mini), p.levels(), mini, {"ml-basics", "serving"})
    items = {i.skill_id: i for i in prioritise(gaps, {"ml-basics": 0.9, "serving": 0.7}, mini)}
    assert items["maths"].importance == pytest.approx(0.9)
    assert items["docker"].importance == pytest.approx(0.7)
    assert items["docker"].unlocks == ("serving",)


# --- what separates the top two ------------------------------------------------------------


def test_the_best_role_says_which_part_puts_it_ahead_of_the_second(mini: Catalog) -> None:
    """A person who loves research, with only Python, is pointed at the thinker role by their
    interests: the separation names interests, with the first role ahead (a plus sign)."""
    researcher = person(
        mini,
        skills={"python": 3},
        interests={"research": 4, "mathematics": 4, "building-products": 0},
    )
    first, second = rank_roles(researcher, mini)[:2]
    assert (first.role_id, second.role_id) == ("thinker", "builder")
    assert (
        "ahead of Builder by 10 points of fit, mostly on interest alignment (72 points more)"
        in first.separation
    )
    assert "ready in about 19 vs 8 weeks" in first.separation


def test_the_separation_says_less_when_the_part_that_differs_most_favours_the_second_role(
    mini: Catalog,
) -> None:
    """A coder who knows only maths is ahead for the builder (their usual route, what they
    enjoy) although the thinker asks for more of what they know: the biggest difference is a
    minus, and the separation says so."""
    coder = person(
        mini,
        years_experience=1,
        skills={"maths": 3},
        interests={"research": 0, "building-products": 2},
    )
    first, second = rank_roles(coder, mini)[:2]
    assert (first.role_id, second.role_id) == ("builder", "thinker")
    assert first.parts[SKILL_COVERAGE] < second.parts[SKILL_COVERAGE]
    assert "mostly on skill coverage (40 points less)" in first.separation


def test_the_lead_is_the_difference_of_the_two_scores_in_points(mini: Catalog) -> None:
    coder = person(
        mini,
        skills={"python": 3, "deep-nets": 3},
        interests={"research": 0, "building-products": 0},
    )
    first, second = rank_roles(coder, mini)[:2]
    lead = round((first.score - second.score) * 100)
    assert lead == 4
    assert f"{first.role_name} is ahead of {second.role_name} by {lead} points of fit" in (
        first.separation
    )
    assert first.separation.endswith(" weeks.")


def test_the_separation_names_the_skills_that_count_for_the_best_role_only(mini: Catalog) -> None:
    fits = rank_roles(person(mini, skills={"python": 3, "maths": 3}), mini)
    assert fits[0].role_id == "thinker"
    assert "mostly on skill coverage (22 points more)" in fits[0].separation
    assert "count for Thinker only: Maths;" in fits[0].separation
    assert "Python" not in fits[0].separation


def test_the_separation_names_at_most_three_skills_the_most_important_first(
    mini: Catalog,
) -> None:
    ops = mini.roles["builder"].model_copy(
        update={
            "id": "ops",
            "name": "Ops",
            "skills": tuple(
                RoleSkill.model_validate({"skill": s, "level": 2, "weight": w})
                for s, w in [("docker", 0.6), ("python", 0.9), ("serving", 0.8), ("ml-basics", 0.7)]
            ),
        }
    )
    deep = RoleSkill.model_validate({"skill": "deep-nets", "level": 3, "weight": 1.0})
    thinker = mini.roles["thinker"].model_copy(update={"skills": (deep,)})
    two = dataclasses.replace(mini, roles={"ops": ops, "thinker": thinker})
    p = person(
        two,
        years_experience=1,
        skills={"python": 2, "docker": 2, "serving": 2, "ml-basics": 2, "maths": 0},
    )
    first = rank_roles(p, two)[0]
    assert first.role_id == "ops"
    assert "count for Ops only: Python, Serving, ML basics; ready" in first.separation


def _with_side_skill(role: Role, skill: str, level: int, weight: float) -> Role:
    extra = RoleSkill.model_validate({"skill": skill, "level": level, "weight": weight})
    return role.model_copy(update={"skills": (*role.skills, extra)})


# --- the explanation a person reads ---------------------------------------------------------


def test_the_explanation_says_coverage_basis_biggest_gaps_prerequisites_hours_and_weeks(
    mini: Catalog,
) -> None:
    fit = fit_role(
        person(mini, years_experience=1, skills={"python": 3, "docker": 2}),
        mini.roles["builder"],
        mini,
    )
    assert fit.explanation == (
        "You cover 38% of what Builder asks for (each skill weighted by our curated importance; "
        "no market data for this role). 2 skills are missing or below the level needed; the "
        "biggest are ML basics (40 h), Serving (24 h). 1 prerequisites of those come first. "
        "That is 74 hours: at 10 h/week about 7 weeks."
    )


def test_the_explanation_names_the_three_biggest_gaps_and_the_market_source(
    mini: Catalog,
) -> None:
    role = _with_side_skill(mini.roles["builder"], "docker", level=2, weight=0.5)
    fit = fit_role(
        person(mini, years_experience=1),
        role,
        mini,
        Postings("test postings", 40, {"serving": 1.0}),
    )
    assert fit.explanation == (
        "You cover 0% of what Builder asks for (each skill weighted by our curated importance "
        "and by how often 40 postings name it — test postings). 4 skills are missing or below "
        "the level needed; the biggest are Python (60 h), ML basics (40 h), Serving (24 h). "
        "1 prerequisites of those come first. That is 146 hours: at 10 h/week about 15 weeks."
    )


def test_the_explanation_says_when_nothing_is_missing(mini: Catalog) -> None:
    skills = {"python": 3, "ml-basics": 2, "serving": 2, "maths": 1, "docker": 1}
    fit = fit_role(person(mini, skills=skills), mini.roles["builder"], mini)
    assert fit.explanation.endswith(
        "for this role). No skill is missing. That is 0 hours: at 10 h/week about 0 weeks."
    )


# --- hours and the gap order, at their edges ---------------------------------------------


def test_hours_are_cumulative_over_levels_and_never_negative(mini: Catalog) -> None:
    maths = mini.skills["maths"]  # 30 h to working, 30 more to strong
    assert [cumulative_hours(maths, level) for level in (0, 1, 2, 3)] == [0, 10, 30, 60]
    assert hours_between(maths, 1, 3) == 50
    assert hours_between(maths, 3, 1) == 0


def test_weeks_to_ready_is_rounded_to_a_tenth_and_needs_positive_hours() -> None:
    assert weeks_to_ready(10, 3) == 3.3
    assert weeks_to_ready(0, 3) == 0
    with pytest.raises(ValueError, match=r"^hours per week must be positive$"):
        weeks_to_ready(10, -1)


def test_a_skill_that_takes_minutes_is_valued_as_if_it_took_half_an_hour(mini: Catalog) -> None:
    quick = SkillGap("docker", 0, 1, 0.1, True)
    slower = SkillGap("maths", 0, 1, 0.4, True)
    items = prioritise([quick, slower], {"docker": 0.3, "maths": 0.35}, mini)
    assert [i.skill_id for i in items] == ["maths", "docker"]
    assert [i.value_per_hour for i in items] == [0.7, 0.6]
    an_hour = SkillGap("maths", 0, 1, 1.0, True)
    items = prioritise([quick, an_hour], {"docker": 0.3, "maths": 0.5}, mini)
    assert [i.skill_id for i in items] == ["docker", "maths"]


def test_equal_value_per_hour_is_ordered_by_id_whatever_the_input_order(mini: Catalog) -> None:
    a = SkillGap("docker", 0, 2, 12.0, True)
    b = SkillGap("maths", 0, 1, 12.0, True)
    worth = {"docker": 0.5, "maths": 0.5}
    forward = [i.skill_id for i in prioritise([a, b], worth, mini)]
    assert forward == [i.skill_id for i in prioritise([b, a], worth, mini)]


def test_gap_items_carry_rounded_hours_and_importance(mini: Catalog) -> None:
    gap = SkillGap("docker", 0, 1, 12.345, True)
    (item,) = prioritise([gap], {"docker": 0.12345}, mini)
    assert (item.hours, item.importance, item.value_per_hour) == (12.3, 0.123, 0.01)
    assert (item.name, item.category, item.have, item.need, item.listed) == (
        "Docker",
        "mlops",
        0,
        1,
        True,
    )
