"""How well a profile fits each role: a score in [0, 1] made of three parts a person can read.

The score is a weighted sum of the parts; the weights and every rule inside the parts live in
one value, `FitParams` (defaults: `DEFAULT_FIT_PARAMS`), so a reader finds them in one place.

- skill coverage: the share of the role's skills the person has, each capped at the level the
  role needs (shifted by target seniority, see `mlpivot.engine.gap.required_level`) and
  weighted by importance — curated weights blended with market weights (share of real
  postings naming the skill) where market data covers the role;
- interest alignment: how much the person enjoys what the role is made of, by level and shape;
- experience and route: whether the person comes from a role this one is usually reached from,
  and enough years for a role that is rarely entry-level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import LEVEL_NAMES, Interest, Role
from mlpivot.engine.gap import (
    CORE_WEIGHT,
    SkillGap,
    missing_hours,
    needed_levels,
    required_level,
    skill_gaps,
    weeks_to_ready,
)
from mlpivot.engine.profile import Profile, inferred_basis, inferred_floor, known_levels
from mlpivot.engine.weights import MARKET_SHARE, MarketSignal, skill_weights

SKILL_COVERAGE = "skill_coverage"
INTEREST_ALIGNMENT = "interest_alignment"
EXPERIENCE_AND_ROUTE = "experience_and_route"
PARTS = (SKILL_COVERAGE, INTEREST_ALIGNMENT, EXPERIENCE_AND_ROUTE)
"""The names of a fit's parts, as `RoleFit.parts` and the `--json` output carry them."""


@dataclass(frozen=True)
class FitParams:
    """The weights and rules of the fit, in one value; `DEFAULT_FIT_PARAMS` is what mlpivot uses.

    Every share is in [0, 1]; the three part weights sum to 1, so the score stays in [0, 1].
    """

    skill_coverage_weight: float = 0.45
    interest_alignment_weight: float = 0.35
    experience_and_route_weight: float = 0.20

    interest_shape_share: float = 0.5
    """Of interest alignment, the share that is shape (how the person's answers correlate with
    the role's interest profile); the rest is level (enjoyment of what the role is made of)."""

    route_share: float = 0.6
    """Of experience and route, the share that is the route; the rest is years."""

    unusual_route_credit: float = 0.4
    """The route penalty: route credit when mlpivot knows the person's current role but this
    role is not usually reached from it (the usual route, or the same role, earns 1)."""

    unknown_route_credit: float = 0.5
    """Route credit when mlpivot has no route data for the person's current role."""

    full_credit_years: float = 3.0
    """For a role that is rarely entry-level, years credit grows linearly with years of
    experience and is full from this many years on; an entry-level role gives full credit."""

    market_share: float = MARKET_SHARE
    """The market's share of each blended skill weight (see `mlpivot.engine.weights`)."""

    core_weight: float = CORE_WEIGHT
    """Curated weight from which a role skill is core, where the senior rule asks for strength
    (see `mlpivot.engine.gap.required_level`)."""

    def __post_init__(self) -> None:
        shares = {
            "interest_shape_share": self.interest_shape_share,
            "route_share": self.route_share,
            "unusual_route_credit": self.unusual_route_credit,
            "unknown_route_credit": self.unknown_route_credit,
            "market_share": self.market_share,
            "core_weight": self.core_weight,
            **{f"{part}_weight": w for part, w in self.part_weights.items()},
        }
        for name, value in shares.items():
            if not 0 <= value <= 1:
                raise ValueError(f"FitParams.{name} must be in [0, 1], not {value}")
        if abs(sum(self.part_weights.values()) - 1) > 1e-9:
            raise ValueError(f"FitParams part weights must sum to 1, not {self.part_weights}")
        if self.full_credit_years <= 0:
            raise ValueError("FitParams.full_credit_years must be positive")

    @property
    def part_weights(self) -> dict[str, float]:
        return {
            SKILL_COVERAGE: self.skill_coverage_weight,
            INTEREST_ALIGNMENT: self.interest_alignment_weight,
            EXPERIENCE_AND_ROUTE: self.experience_and_route_weight,
        }


DEFAULT_FIT_PARAMS = FitParams()


@dataclass(frozen=True)
class MatchedSkill:
    skill_id: str
    name: str
    have: int
    need: int
    weight: float
    market_weight: float | None
    evidence: str
    """where the level comes from, e.g. "resume: 'Built REST APIs in FastAPI'" or "self-rated\""""


@dataclass(frozen=True)
class MissingSkill:
    skill_id: str
    name: str
    category: str
    have: int
    need: int
    hours: float
    weight: float
    market_weight: float | None
    listed: bool
    have_inferred: bool = False
    """`have` was inferred from years in the current role, not stated (see `inferred_basis`)"""


@dataclass(frozen=True)
class RoleFit:
    role_id: str
    role_name: str
    score: float
    parts: dict[str, float]
    matched: list[MatchedSkill]
    missing: list[MissingSkill]
    weeks_to_ready: float
    missing_hours: float
    explanation: str
    coverage: float
    """the one coverage shown to people (table and sentence alike): the share of the role's
    skills the person has, weighted by curated and market importance blended (the score's
    skill part), to two decimals so every place rounds it the same"""
    coverage_curated: float
    coverage_market: float | None
    market_source: str | None
    separation: str = ""
    notes: list[str] = field(default_factory=list)


def _evidence_text(profile: Profile, skill_id: str, inferred: str) -> str:
    """Where a level comes from; `inferred` says why a level nobody stated is what it is."""
    found = profile.evidence_for(skill_id)
    if found is None:
        return inferred if skill_id not in profile.skills else ""
    source = {"self": "self-rated"}.get(found.source.value, found.source.value)
    detail = f": {found.detail}" if found.detail else ""
    return f"{source}, {LEVEL_NAMES[found.level]}{detail}"


def _coverage(
    role: Role,
    levels: Mapping[str, int],
    weights: Mapping[str, float],
    seniority: str,
    core_weight: float,
) -> float:
    total = sum(weights.get(n.skill, 0.0) for n in role.skills)
    if total <= 0:
        return 0.0
    got = 0.0
    for need in role.skills:
        req = required_level(need.level, need.weight, seniority, core_weight)
        share = min(levels.get(need.skill, 0), req) / req if req > 0 else 1.0
        got += weights.get(need.skill, 0.0) * share
    return got / total


def interest_alignment(
    profile: Profile, role: Role, params: FitParams = DEFAULT_FIT_PARAMS
) -> float:
    """How well what the person enjoys matches what the role is made of, on 0..1.

    The level is the person's enjoyment of the role's ingredients, weighted by how much of the
    role each one is. The shape (`FitParams.interest_shape_share` of the part) is the
    correlation between the person's answers and the role's profile, mapped onto 0..1, so that
    someone who likes pipelines more than models is pointed at pipelines even if they rate
    everything highly; flat answers have no shape and count as neutral (a half). A role with no
    interest profile is neutral too.
    """
    keys = list(Interest)
    role_w = [role.interests.get(k, 0.0) for k in keys]
    mine = [profile.interest(k) for k in keys]
    total = sum(role_w)
    if total <= 0:
        return 0.5
    level = sum(w * p for w, p in zip(role_w, mine, strict=True)) / total
    shape = 0.5 + 0.5 * _correlation(mine, role_w)
    return (1 - params.interest_shape_share) * level + params.interest_shape_share * shape


def _correlation(a: list[float], b: list[float]) -> float:
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    da = [x - mean_a for x in a]
    db = [y - mean_b for y in b]
    norm = (sum(x * x for x in da) * sum(y * y for y in db)) ** 0.5
    return sum(x * y for x, y in zip(da, db, strict=True)) / norm if norm else 0.0


def experience_and_route(
    profile: Profile, role: Role, catalog: Catalog, params: FitParams = DEFAULT_FIT_PARAMS
) -> tuple[float, str]:
    """The route and years credit (rules and figures in `FitParams`), with why in words."""
    current = catalog.alias_role(profile.current_role) or profile.current_role
    background = catalog.backgrounds.get(current)
    if current == role.id:
        route, why = 1.0, f"you already work as {role.name}"
    elif current in role.usual_previous_roles:
        came_from = catalog.roles[current].name if current in catalog.roles else current
        route, why = 1.0, f"{role.name} is often reached from {came_from}"
    elif profile.maths_background in role.usual_education:
        route, why = 1.0, f"{role.name} is often reached with a {profile.maths_background} degree"
    elif background is not None and role.id in background.leads_to:
        route, why = 1.0, f"{role.name} is often reached from {background.name}"
    elif current in catalog.roles or (background is not None and background.leads_to):
        came_from = catalog.roles[current].name if current in catalog.roles else current
        if background is not None:
            came_from = background.name
        route = params.unusual_route_credit
        why = f"{role.name} is not usually reached straight from {came_from}"
    else:
        route = params.unknown_route_credit
        why = f"mlpivot has no route data for '{profile.current_role}'"
    if role.entry_level:
        years, years_why = 1.0, "entry-level hiring is common"
    else:
        years = min(1.0, profile.years_experience / params.full_credit_years)
        years_why = f"rarely entry-level; {profile.years_experience:g} years of experience"
    score = params.route_share * route + (1 - params.route_share) * years
    return score, f"{why}; {years_why}"


def _explain(
    role: Role,
    coverage: float,
    market: MarketSignal | None,
    missing: list[MissingSkill],
    hours: float,
    weeks: float,
    hours_per_week: float,
) -> str:
    basis = (
        f"each skill weighted by our curated importance and by how often "
        f"{market.sample_size:,} postings name it — {market.source}"
        if market
        else "each skill weighted by our curated importance; no market data for this role"
    )
    listed = [m for m in missing if m.listed]
    biggest = sorted(listed, key=lambda m: -m.hours)[:3]
    named = ", ".join(f"{m.name} ({m.hours:.0f} h)" for m in biggest)
    text = f"You cover {coverage:.0%} of what {role.name} asks for ({basis}). "
    if listed:
        text += (
            f"{len(listed)} skills are missing or below the level needed; the biggest are {named}. "
        )
        prereq = len(missing) - len(listed)
        if prereq:
            text += f"{prereq} prerequisites of those come first. "
    else:
        text += "No skill is missing. "
    text += f"That is {hours:.0f} hours: at {hours_per_week:g} h/week about {weeks:.0f} weeks."
    return text


def fit_role(
    profile: Profile,
    role: Role,
    catalog: Catalog,
    market: MarketSignal | None = None,
    params: FitParams = DEFAULT_FIT_PARAMS,
) -> RoleFit:
    levels = known_levels(profile, catalog)
    floor = inferred_floor(profile, catalog)
    seniority = profile.target_seniority
    core = params.core_weight
    weights = skill_weights(role, market, params.market_share)
    curated, scaled, blended = weights.curated, weights.market, weights.blended
    coverage = _coverage(role, levels, blended, seniority, core)
    coverage_curated = _coverage(role, levels, curated, seniority, core)
    coverage_market = _coverage(role, levels, scaled, seniority, core) if scaled else None
    interest = interest_alignment(profile, role, params)
    route, route_why = experience_and_route(profile, role, catalog, params)
    parts = {
        SKILL_COVERAGE: round(coverage, 4),
        INTEREST_ALIGNMENT: round(interest, 4),
        EXPERIENCE_AND_ROUTE: round(route, 4),
    }
    weights_by_part = params.part_weights
    score = sum(weights_by_part[k] * v for k, v in parts.items())

    needed = needed_levels(role, catalog, seniority, core)
    gaps: list[SkillGap] = skill_gaps(needed, levels, catalog, set(curated))
    hours = missing_hours(gaps)
    weeks = weeks_to_ready(hours, profile.hours_per_week)
    missing = [
        MissingSkill(
            g.skill_id,
            catalog.skills[g.skill_id].name,
            str(catalog.skills[g.skill_id].category),
            g.have,
            g.need,
            round(g.hours, 1),
            curated.get(g.skill_id, 0.0),
            scaled.get(g.skill_id) if scaled else None,
            g.listed,
            g.skill_id in floor and g.have > 0,
        )
        for g in gaps
    ]
    basis = inferred_basis(profile, catalog)
    matched = [
        MatchedSkill(
            n.skill,
            catalog.skills[n.skill].name,
            levels[n.skill],
            needed[n.skill],
            n.weight,
            scaled.get(n.skill) if scaled else None,
            _evidence_text(profile, n.skill, basis),
        )
        for n in sorted(role.skills, key=lambda n: -n.weight)
        if levels.get(n.skill, 0) > 0
    ]
    shown = round(coverage, 2)
    explanation = _explain(role, shown, market, missing, hours, weeks, profile.hours_per_week)
    return RoleFit(
        role_id=role.id,
        role_name=role.name,
        score=round(score, 4),
        parts=parts,
        matched=matched,
        missing=missing,
        weeks_to_ready=weeks,
        missing_hours=round(hours, 1),
        explanation=explanation,
        coverage=shown,
        coverage_curated=round(coverage_curated, 4),
        coverage_market=round(coverage_market, 4) if coverage_market is not None else None,
        market_source=market.source if market else None,
        notes=[route_why],
    )


def _separation(first: RoleFit, second: RoleFit, params: FitParams) -> str:
    """What puts the first role ahead: the part whose weighted difference is largest."""
    weights = params.part_weights
    diffs = {k: first.parts[k] - second.parts[k] for k in first.parts}
    part, gap = max(diffs.items(), key=lambda kv: abs(kv[1]) * weights[kv[0]])
    label = part.replace("_", " ")
    only_first = {m.skill_id for m in first.matched} - {m.skill_id for m in second.matched}
    names = [m.name for m in first.matched if m.skill_id in only_first][:3]
    text = (
        f"{first.role_name} is ahead of {second.role_name} by "
        f"{(first.score - second.score) * 100:.0f} points of fit, mostly on {label} "
        f"({abs(gap) * 100:.0f} points {'more' if gap > 0 else 'less'})"
    )
    if names:
        text += f"; skills you have that count for {first.role_name} only: {', '.join(names)}"
    if first.weeks_to_ready != second.weeks_to_ready:
        text += f"; ready in about {first.weeks_to_ready:.0f} vs {second.weeks_to_ready:.0f} weeks"
    return text + "."


def rank_roles(
    profile: Profile,
    catalog: Catalog,
    market: Mapping[str, MarketSignal] | None = None,
    params: FitParams = DEFAULT_FIT_PARAMS,
) -> list[RoleFit]:
    """Every target role, best fit first; ties go to the role that is ready sooner, then by id.

    The best role also says what separates it from the second.
    """
    fits = [
        fit_role(profile, role, catalog, (market or {}).get(role.id), params)
        for role in catalog.target_roles
    ]
    fits.sort(key=lambda f: (-f.score, f.weeks_to_ready, f.role_id))
    if len(fits) >= 2:
        top = fits[0]
        fits[0] = RoleFit(**{**top.__dict__, "separation": _separation(top, fits[1], params)})
    return fits


def category_coverage(
    profile: Profile, role: Role, catalog: Catalog, params: FitParams = DEFAULT_FIT_PARAMS
) -> dict[str, float]:
    """Curated-weighted coverage of the role's skills, category by category (for a chart)."""
    levels = known_levels(profile, catalog)
    seniority = profile.target_seniority
    got: dict[str, float] = {}
    total: dict[str, float] = {}
    for need in role.skills:
        category = str(catalog.skills[need.skill].category)
        req = required_level(need.level, need.weight, seniority, params.core_weight)
        total[category] = total.get(category, 0.0) + need.weight
        share = min(levels.get(need.skill, 0), req) / req if req else 1.0
        got[category] = got.get(category, 0.0) + need.weight * share
    return {c: round(got[c] / total[c], 4) for c in sorted(total) if total[c] > 0}
