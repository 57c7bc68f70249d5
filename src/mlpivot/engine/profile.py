"""Who the person is: experience, skill levels with their evidence, interests, time, place.

A `Profile` is a plain value. Reading it from a file or the database happens at the edges;
`profile_from_data` turns such data into a checked value against the catalog.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import EvidenceKind, Interest, Level
from mlpivot.errors import UserError

Seniority = Literal["junior", "mid", "senior"]
MathsBackground = Literal["school", "undergrad", "masters", "phd"]


class SkillEvidence(BaseModel):
    """A level and why we believe it: a resume line, a quiz score, a project, or self-rating."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: Level
    source: EvidenceKind = EvidenceKind.SELF
    detail: str = ""
    observed_on: date | None = None


class Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    current_role: str = "software-engineer"
    years_experience: float = Field(default=0, ge=0, le=60)
    hours_per_week: float = Field(default=8, gt=0, le=80)
    country: str = Field(default="US", min_length=2, max_length=2)
    target_seniority: Seniority = "mid"
    target_date: date | None = None
    current_salary_usd: float | None = Field(default=None, gt=0)
    maths_background: MathsBackground = "undergrad"
    domains: tuple[str, ...] = ()
    interests: dict[Interest, int] = Field(default_factory=dict)
    skills: dict[str, tuple[SkillEvidence, ...]] = Field(default_factory=dict)
    """skill id -> every piece of evidence for it; the level is the best supported one"""

    def level(self, skill_id: str) -> int:
        evidence = self.skills.get(skill_id, ())
        return max((e.level for e in evidence), default=0)

    def evidence_for(self, skill_id: str) -> SkillEvidence | None:
        """The strongest evidence, preferring checked sources over self-rating at equal level."""
        rank = {"mentor": 5, "quiz": 4, "project": 3, "resume": 2, "self": 1}
        found = self.skills.get(skill_id, ())
        return max(found, key=lambda e: (e.level, rank[e.source.value]), default=None)

    def levels(self) -> dict[str, int]:
        return {skill_id: self.level(skill_id) for skill_id in self.skills}

    def interest(self, interest: Interest) -> float:
        """Enjoyment on 0..1 (answers are 0..4; unanswered counts as neutral, 2)."""
        return self.interests.get(interest, 2) / 4

    def with_resume(
        self,
        evidence: dict[str, SkillEvidence],
        domains: tuple[str, ...] | list[str],
        experience_years: float | None,
    ) -> Profile:
        """This profile with a resume's evidence in place of any earlier resume's (the latest
        resume is the one that counts), its domains added, and its years of experience when
        the profile has none."""
        skills = {
            skill_id: kept
            for skill_id, found in self.skills.items()
            if (kept := tuple(e for e in found if e.source is not EvidenceKind.RESUME))
        }
        for skill_id, item in evidence.items():
            skills[skill_id] = (*skills.get(skill_id, ()), item)
        update: dict[str, Any] = {
            "skills": skills,
            "domains": tuple(sorted({*self.domains, *domains})),
        }
        if not self.years_experience and experience_years:
            update["years_experience"] = min(60.0, experience_years)
        return self.model_copy(update=update)


def _skill_entries(raw: Any, where: str) -> tuple[SkillEvidence, ...]:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return (SkillEvidence(level=raw),)
    if isinstance(raw, dict):
        return (SkillEvidence.model_validate(raw),)
    if isinstance(raw, list):
        return tuple(SkillEvidence.model_validate(item) for item in raw)
    raise UserError(f"{where}: a skill's value must be a level 0-3 or a mapping with 'level'")


def profile_from_data(data: Any, catalog: Catalog, source: str = "profile") -> Profile:
    """Check raw profile data (from YAML/JSON) and resolve skill names and aliases to ids."""
    if not isinstance(data, dict):
        raise UserError(f"{source}: a profile must be a mapping of fields")
    data = dict(data)
    raw_skills = data.pop("skills", None) or {}
    if not isinstance(raw_skills, dict):
        raise UserError(f"{source}: 'skills' must map skill ids to levels")
    skills: dict[str, tuple[SkillEvidence, ...]] = {}
    for key, raw in raw_skills.items():
        name = str(key)
        skill_id = catalog.alias_skill(name)
        if skill_id is None:
            close = difflib.get_close_matches(name, list(catalog.skills), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UserError(f"{source}: skills: '{name}' is not a skill mlpivot knows{hint}")
        try:
            entries = _skill_entries(raw, f"{source}: skills.{name}")
        except ValidationError as exc:
            first = exc.errors()[0]
            raise UserError(f"{source}: skills.{name}: {first['msg']}") from None
        skills[skill_id] = (*skills.get(skill_id, ()), *entries)
    try:
        return Profile.model_validate({**data, "skills": skills})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UserError(f"{source}: {field}: {first['msg']}") from None


def profile_to_data(profile: Profile) -> dict[str, Any]:
    return profile.model_dump(mode="json", exclude_none=True)
