"""What to build on and what to go for: strengths, specialisms and projects for a person."""

from __future__ import annotations

from dataclasses import dataclass

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import LEVEL_NAMES, EvidenceKind, Project, Role, Specialism
from mlpivot.engine.profile import Profile, SkillEvidence


@dataclass(frozen=True)
class BroughtStrength:
    strength_id: str
    title: str
    description: str
    evidence: list[str]
    """one line per skill shown, e.g. "SQL: strong (resume: 'Tuned Postgres queries')\""""
    roles: list[str]


SOFT_LEVEL = 1
"""Soft strengths (mentoring, leadership, writing) count from familiar: few people rate
themselves strong at them, and some practice is already worth naming."""


def what_you_bring(profile: Profile, catalog: Catalog) -> list[BroughtStrength]:
    """The strengths that count for ML work, each with the evidence that shows it: a skill at
    working level or above (soft skills from familiar), or the industries worked in."""
    found = []
    for strength in catalog.strengths.values():
        lines = []
        if strength.from_domains:
            lines += [f"{domain}: your industry experience" for domain in profile.domains]
        for skill_id in strength.skills:
            level = profile.level(skill_id)
            soft = str(catalog.skills[skill_id].category) == "communication"
            if level >= (SOFT_LEVEL if soft else 2):
                ev = profile.evidence_for(skill_id)
                name = catalog.skills[skill_id].name
                lines.append(f"{name}: {LEVEL_NAMES[level]}{_source(ev)}")
        if lines:
            found.append(
                BroughtStrength(
                    strength.id, strength.title, strength.description, lines, list(strength.roles)
                )
            )
    found.sort(key=lambda s: -len(s.evidence))
    return found


def _source(evidence: SkillEvidence | None) -> str:
    """Where a level comes from, when it is more than the person's own rating."""
    if evidence is None or evidence.source is EvidenceKind.SELF:
        return ""
    detail = f": {evidence.detail}" if evidence.detail else ""
    return f" ({evidence.source.value}{detail})"


@dataclass(frozen=True)
class SpecialismSuggestion:
    specialism_id: str
    name: str
    score: float
    reasons: list[str]


def suggest_specialisms(
    profile: Profile, role: Role, catalog: Catalog, how_many: int = 3
) -> list[SpecialismSuggestion]:
    """Two or three specialisms to go deep in (one if time is short), each with its reasons.

    A specialism with no reason of its own — not valued in the role, no head start, no
    matching domain — is not suggested, however few are left.
    """
    suggestions = []
    for spec in catalog.specialisms.values():
        score, reasons = _specialism_score(profile, role, spec, catalog)
        if reasons:
            suggestions.append(SpecialismSuggestion(spec.id, spec.name, round(score, 3), reasons))
    suggestions.sort(key=lambda s: (-s.score, s.specialism_id))
    return suggestions[:how_many]


DOMAIN_BONUS = 1.0
"""A specialism in a domain the person has worked in counts as much as the role valuing it:
retail experience makes recommendation systems the obvious specialism."""


def _specialism_score(
    profile: Profile, role: Role, spec: Specialism, catalog: Catalog
) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    if role.id in spec.roles:
        score += 1.0
        reasons.append(f"valued in {role.name} roles")
    wanted = set(spec.skills)
    head = [s for s in spec.skills if profile.level(s) >= 1]
    leads_in = sorted(
        catalog.skills[s].name
        for s in profile.skills
        if profile.level(s) >= 2
        and s in catalog.skills
        and s not in wanted
        and wanted & set(catalog.skills[s].related)
    )
    if spec.skills:
        share = (len(head) + len(leads_in)) / len(spec.skills)
        score += min(1.0, share)
        if head:
            reasons.append(f"you have a head start ({len(head)} of {len(spec.skills)} skills)")
        if leads_in:
            reasons.append(f"what you know leads into it ({', '.join(leads_in[:3])})")
    shared_domains = sorted(set(spec.domains) & set(profile.domains))
    if shared_domains:
        score += DOMAIN_BONUS
        reasons.append(f"matches your domain experience ({', '.join(shared_domains)})")
    return score, reasons


@dataclass(frozen=True)
class ProjectSuggestion:
    project_id: str
    name: str
    hours: float
    difficulty: str
    reasons: list[str]


def suggest_projects(
    profile: Profile, role: Role, catalog: Catalog, how_many: int = 5
) -> list[ProjectSuggestion]:
    """Portfolio projects for the role, preferring the person's own domains (finance -> fraud)."""
    ranked: list[tuple[float, Project, list[str]]] = []
    for project in catalog.projects.values():
        if role.id not in project.roles:
            continue
        reasons = [f"shows {role.name} skills"]
        score = 1.0
        domains = sorted(set(project.domains) & set(profile.domains))
        if domains:
            score += 1.0
            reasons.append(f"in your domain ({', '.join(domains)})")
        level_fit = {"beginner": 0.2, "intermediate": 0.3, "advanced": 0.0}[project.difficulty]
        if profile.years_experience >= 3 and project.difficulty == "advanced":
            level_fit = 0.3
        score += level_fit
        ranked.append((score, project, reasons))
    ranked.sort(key=lambda item: (-item[0], item[1].hours, item[1].id))
    return [
        ProjectSuggestion(p.id, p.name, p.hours, p.difficulty, reasons)
        for _, p, reasons in ranked[:how_many]
    ]
