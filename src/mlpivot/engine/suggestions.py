"""What to build on and what to go for: strengths, specialisms and projects for a person."""

from __future__ import annotations

from dataclasses import dataclass

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import LEVEL_NAMES, Project, Role, Specialism
from mlpivot.engine.profile import Profile


@dataclass(frozen=True)
class BroughtStrength:
    strength_id: str
    title: str
    description: str
    evidence: list[str]
    """one line per skill shown, e.g. "SQL: strong (resume: 'Tuned Postgres queries')\""""
    roles: list[str]


def what_you_bring(profile: Profile, catalog: Catalog) -> list[BroughtStrength]:
    """The software-engineering strengths that count for ML work, with the evidence for each."""
    found = []
    for strength in catalog.strengths.values():
        lines = []
        for skill_id in strength.skills:
            level = profile.level(skill_id)
            if level >= 2:
                ev = profile.evidence_for(skill_id)
                source = ev.source.value if ev else "self"
                detail = f": {ev.detail}" if ev and ev.detail else ""
                name = catalog.skills[skill_id].name
                lines.append(f"{name}: {LEVEL_NAMES[level]} ({source}{detail})")
        if lines:
            found.append(
                BroughtStrength(
                    strength.id, strength.title, strength.description, lines, list(strength.roles)
                )
            )
    found.sort(key=lambda s: -len(s.evidence))
    return found


@dataclass(frozen=True)
class SpecialismSuggestion:
    specialism_id: str
    name: str
    score: float
    reasons: list[str]


def suggest_specialisms(
    profile: Profile, role: Role, catalog: Catalog, how_many: int = 3
) -> list[SpecialismSuggestion]:
    """Two or three specialisms to go deep in (one if time is short), with why."""
    suggestions = []
    for spec in catalog.specialisms.values():
        score, reasons = _specialism_score(profile, role, spec)
        suggestions.append(SpecialismSuggestion(spec.id, spec.name, round(score, 3), reasons))
    suggestions.sort(key=lambda s: (-s.score, s.specialism_id))
    return suggestions[:how_many]


def _specialism_score(profile: Profile, role: Role, spec: Specialism) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    if role.id in spec.roles:
        score += 1.0
        reasons.append(f"valued in {role.name} roles")
    head = [s for s in spec.skills if profile.level(s) >= 1]
    if spec.skills:
        share = len(head) / len(spec.skills)
        score += share
        if head:
            reasons.append(f"you have a head start ({len(head)} of {len(spec.skills)} skills)")
    shared_domains = sorted(set(spec.domains) & set(profile.domains))
    if shared_domains:
        score += 0.75
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
