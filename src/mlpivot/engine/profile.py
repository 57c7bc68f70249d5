"""Who the person is: experience, skill levels with their evidence, interests, time, place.

A `Profile` is a plain value. Reading it from a file or the database happens at the edges;
`profile_from_data` turns such data into a checked value against the catalog.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import EvidenceKind, Interest, Level
from mlpivot.engine.limits import LIMITS
from mlpivot.errors import UserError

QUIZ_MISSES_TO_OVERRULE = 3
"""Quiz evidence that rests on at least this many wrong answers replaces what a person or their
resume claims for a skill, down as well as up. Counting misses rather than answers keeps the
rule monotone: a right answer never switches it on, so it can never lower a level, while a
handful of unlucky answers on a new card never overrules a resume."""
CLAIMS = frozenset({EvidenceKind.SELF, EvidenceKind.RESUME})

Seniority = Literal["junior", "mid", "senior"]
MathsBackground = Literal["school", "undergrad", "masters", "phd"]


class SkillEvidence(BaseModel):
    """A level and why we believe it: a resume line, a quiz score, a project, or self-rating."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: Level
    source: EvidenceKind = EvidenceKind.SELF
    detail: str = ""
    observed_on: date | None = None
    answers: int | None = Field(default=None, ge=0)
    """for quiz evidence: how many answers the level rests on"""
    correct: int | None = Field(default=None, ge=0)
    """for quiz evidence: how many of those answers were right"""

    @property
    def misses(self) -> int:
        return max(0, (self.answers or 0) - (self.correct or 0))


class Profile(BaseModel):
    """Every field's limits come from `LIMITS` (engine/limits.py), the one place they live."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(default="", max_length=LIMITS.name_chars)
    current_role: str = Field(
        default="software-engineer", min_length=1, max_length=LIMITS.current_role_chars
    )
    years_experience: float = Field(
        default=0, ge=LIMITS.years_experience.min, le=LIMITS.years_experience.max
    )
    hours_per_week: float = Field(
        default=8, ge=LIMITS.hours_per_week.min, le=LIMITS.hours_per_week.max
    )
    country: str = "US"
    target_seniority: Seniority = "mid"
    target_date: date | None = None
    current_salary_usd: float | None = Field(default=None, gt=0)
    maths_background: MathsBackground = "undergrad"
    domains: tuple[str, ...] = Field(default=(), max_length=LIMITS.domains)
    interests: dict[Interest, int] = Field(default_factory=dict)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return LIMITS.check_country(value)
        except UserError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("interests")
    @classmethod
    def _interests(cls, value: dict[Interest, int]) -> dict[Interest, int]:
        for interest, answer in value.items():
            if not LIMITS.interest.min <= answer <= LIMITS.interest.max:
                raise ValueError(
                    f"{interest.value} is {answer}; answers run 0 to 4 {LIMITS.interest.unit}"
                )
        return value

    skills: dict[str, tuple[SkillEvidence, ...]] = Field(default_factory=dict)
    """skill id -> every piece of evidence for it; the level is the best supported one"""

    def _counted(self, skill_id: str) -> tuple[SkillEvidence, ...]:
        """The evidence the level comes from: all of it, or, once quiz evidence rests on
        `QUIZ_MISSES_TO_OVERRULE` wrong answers, everything but the claims (self, resume)."""
        found = self.skills.get(skill_id, ())
        tested = any(
            e.source is EvidenceKind.QUIZ and e.misses >= QUIZ_MISSES_TO_OVERRULE for e in found
        )
        return tuple(e for e in found if e.source not in CLAIMS) if tested else found

    def level(self, skill_id: str) -> int:
        return max((e.level for e in self._counted(skill_id)), default=0)

    def evidence_for(self, skill_id: str) -> SkillEvidence | None:
        """The evidence behind the level, preferring checked sources at equal level."""
        rank = {"mentor": 5, "quiz": 4, "project": 3, "resume": 2, "self": 1}
        found = self._counted(skill_id)
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

    def with_quiz_evidence(self, evidence: dict[str, SkillEvidence]) -> Profile:
        """This profile with the quiz's latest estimate for each skill in place of its earlier
        one: mastery is recomputed from the whole review history, so only the newest counts."""
        skills = dict(self.skills)
        for skill_id, item in evidence.items():
            kept = tuple(e for e in skills.get(skill_id, ()) if e.source is not EvidenceKind.QUIZ)
            skills[skill_id] = (*kept, item)
        return self.model_copy(update={"skills": skills})


def _skill_entries(raw: Any, where: str) -> tuple[SkillEvidence, ...]:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return (SkillEvidence(level=raw),)
    if isinstance(raw, dict):
        return (SkillEvidence.model_validate(raw),)
    if isinstance(raw, list):
        return tuple(SkillEvidence.model_validate(item) for item in raw)
    raise UserError(f"{where}: a skill's value must be a level 0-3 or a mapping with 'level'")


def profile_from_data(
    data: Any, catalog: Catalog, source: str = "profile", today: date | None = None
) -> Profile:
    """Check raw profile data (from YAML/JSON) and resolve skill names and aliases to ids.

    Give `today` for what a person is entering now: then a target date must lie ahead. A
    stored profile is read without it, so a target date that has since passed still loads.
    """
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
        profile = Profile.model_validate({**data, "skills": skills})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UserError(f"{source}: {field}: {_plain(first)}") from None
    if today is not None and profile.target_date is not None:
        try:
            LIMITS.check_target_date(profile.target_date, today)
        except UserError as exc:
            raise UserError(f"{source}: {exc}") from None
    return profile


def _plain(error: Any) -> str:
    """Pydantic's message with the unit a person needs ("less than or equal to 80" -> with
    "characters" when the limit is a length)."""
    message = str(error["msg"]).removeprefix("Value error, ")
    ranges = {"hours_per_week": LIMITS.hours_per_week, "years_experience": LIMITS.years_experience}
    limit = ranges.get(str(error["loc"][0])) if error["loc"] else None
    if limit is not None and error["type"] in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if error["type"] == "greater_than_equal" else "at most"
        edge = limit.min if bound == "at least" else limit.max
        return f"must be {bound} {edge:g} {limit.unit} ({limit.min:g} to {limit.max:g})"
    if error["type"] in ("string_too_long", "string_too_short"):
        message += f" (you gave {len(str(error.get('input', '')))} characters)"
    return message


def profile_to_data(profile: Profile) -> dict[str, Any]:
    return profile.model_dump(mode="json", exclude_none=True)


FLOOR_YEARS = {5.0: 2, 2.0: 1}
"""Years in the current role -> the level inferred for that role's own skills that nobody asked
about: five years make working, two make familiar. Never above what the role itself needs."""

ENGINEERING_WORDS = ("engineer", "developer", "programmer")


def _floor_role(profile: Profile, catalog: Catalog) -> str | None:
    """The role whose skill list the floor comes from: the current role, or the known role a
    background is like, or software engineer for an engineering title the catalog lacks."""
    role_id = catalog.alias_role(profile.current_role)
    background = catalog.backgrounds.get(profile.current_role)
    if role_id is None and background is not None:
        role_id = background.like_role
    if role_id is None and any(w in profile.current_role.casefold() for w in ENGINEERING_WORDS):
        role_id = catalog.alias_role("software-engineer")
    return role_id


def inferred_floor(profile: Profile, catalog: Catalog) -> dict[str, int]:
    """Levels implied by years in the current role, for skills the profile says nothing about.

    A questionnaire cannot ask about everything; a skill it did not ask about is unknown, not
    none. Someone who has worked six years as a software engineer has working data structures
    and system design whatever they were asked, so those skills get a floor from the current
    role's own skill list (an engineering title the catalog does not know counts as a software
    engineer). Any stated evidence, even "none", wins over the floor.
    """
    level = next((lv for years, lv in FLOOR_YEARS.items() if profile.years_experience >= years), 0)
    if not level:
        return {}
    role_id = _floor_role(profile, catalog)
    if role_id is None:
        return {}
    return {
        need.skill: min(level, need.level)
        for need in catalog.roles[role_id].skills
        if need.skill not in profile.skills
    }


def inferred_basis(profile: Profile, catalog: Catalog) -> str:
    """Where an inferred level comes from, in words: "inferred from 6 years as Software
    Engineer (not asked)"; empty when nothing is inferred."""
    if not inferred_floor(profile, catalog):
        return ""
    role_id = catalog.alias_role(profile.current_role)
    background = catalog.backgrounds.get(profile.current_role)
    if role_id is not None:
        title = catalog.roles[role_id].name
    elif background is not None:
        title = background.name
    else:
        title = profile.current_role
    return f"inferred from {profile.years_experience:g} years as {title} (not asked)"


def known_levels(profile: Profile, catalog: Catalog) -> dict[str, int]:
    """The levels the advice uses: what the profile states, plus the inferred floor."""
    return {**inferred_floor(profile, catalog), **profile.levels()}
