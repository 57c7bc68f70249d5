"""The typed, frozen shape of the knowledge base.

These pydantic models *are* the YAML schema: every file under ``knowledge/`` is validated
against them at load time, and a wrong field is reported with the file and line it came from.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from mlpivot.catalog.vocabulary import CATEGORY_NAMES as CATEGORY_NAMES
from mlpivot.catalog.vocabulary import LEVEL_NAMES as LEVEL_NAMES
from mlpivot.catalog.vocabulary import Category as Category
from mlpivot.catalog.vocabulary import EvidenceKind as EvidenceKind
from mlpivot.catalog.vocabulary import Interest as Interest

SkillId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
RoleId = SkillId
Level = Annotated[int, Field(ge=0, le=3)]
"""0 none, 1 familiar, 2 working, 3 strong (docs/CONTRACTS.md)."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Hours(Frozen):
    working: float = Field(gt=0, le=400, description="hours from none to working")
    strong: float = Field(gt=0, le=800, description="hours from working to strong")


class Resource(Frozen):
    title: str = Field(min_length=3)
    url: HttpUrl
    kind: Literal["docs", "book", "course", "video", "article", "tutorial", "paper", "practice"]
    free: bool = True


class Skill(Frozen):
    id: SkillId
    name: str = Field(min_length=1)
    category: Category
    description: str = Field(min_length=10)
    aliases: tuple[str, ...] = ()
    prerequisites: tuple[SkillId, ...] = ()
    related: tuple[SkillId, ...] = ()
    """ML skills this one leads into without being needed for them (signal processing ->
    speech processing); a head start toward the specialisms that use them"""
    hours: Hours
    hours_basis: str = Field(min_length=5)
    resources: tuple[Resource, ...] = Field(min_length=1)
    evidence: tuple[str, ...] = Field(min_length=1, description="how a person can show it")


class RoleSkill(Frozen):
    skill: SkillId
    level: Level
    weight: float = Field(gt=0, le=1, description="curated importance for the role")


class Role(Frozen):
    id: RoleId
    name: str
    kind: Literal["target", "reference"] = "target"
    aliases: tuple[str, ...] = ()
    title_variants: tuple[str, ...] = ()
    summary: str = Field(min_length=20)
    responsibilities: tuple[str, ...] = Field(min_length=1)
    suits: tuple[str, ...] = Field(min_length=1, description="who the role suits")
    entry_routes: tuple[str, ...] = Field(min_length=1)
    entry_level: bool
    maths_depth: Literal["light", "practitioner", "applied", "research"]
    skills: tuple[RoleSkill, ...] = Field(min_length=1)
    interests: dict[Interest, float] = Field(default_factory=dict)
    interview_formats: tuple[str, ...] = ()
    related_roles: tuple[RoleId, ...] = ()
    soc_codes: tuple[str, ...] = ()
    usual_previous_roles: tuple[RoleId, ...] = ()
    usual_education: tuple[Education, ...] = ()
    """degrees the role is often reached with (a PhD for research), counted toward the route"""


class Specialism(Frozen):
    id: SkillId
    name: str
    aliases: tuple[str, ...] = ()
    description: str = Field(min_length=20)
    skills: tuple[SkillId, ...] = Field(min_length=1)
    roles: tuple[RoleId, ...] = ()
    domains: tuple[str, ...] = ()
    demand_note: str = ""


class Dataset(Frozen):
    name: str
    url: HttpUrl


class Project(Frozen):
    id: SkillId
    name: str
    kind: Literal["project", "kaggle", "open-source"] = "project"
    goal: str = Field(min_length=20)
    dataset: Dataset | None = None
    skills: tuple[SkillId, ...] = Field(min_length=1)
    hours: float = Field(gt=0, le=400)
    difficulty: Literal["beginner", "intermediate", "advanced"]
    roles: tuple[RoleId, ...] = Field(min_length=1)
    specialisms: tuple[SkillId, ...] = ()
    domains: tuple[str, ...] = ()
    metric: str = Field(min_length=3)
    production_extension: str = Field(min_length=10)


class PathwayStep(Frozen):
    id: SkillId
    title: str
    description: str = Field(min_length=10)
    skills: tuple[SkillId, ...] = ()
    hours: float = Field(ge=0, default=0)
    weeks: float | None = Field(default=None, ge=0)
    in_current_job: bool = False


class Pathway(Frozen):
    id: SkillId
    name: str
    source: str = Field(description="the seed article it comes from")
    summary: str = Field(min_length=20)
    target_roles: tuple[RoleId, ...] = Field(min_length=1)
    steps: tuple[PathwayStep, ...] = Field(min_length=1)


class Question(Frozen):
    """One questionnaire item; answers map to interests."""

    id: SkillId
    text: str
    interest: Interest
    help: str = ""


class SkillQuestion(Frozen):
    """A self-rating question in the questionnaire; the answer sets the level of its skills."""

    id: SkillId
    text: str
    skills: tuple[SkillId, ...] = Field(min_length=1)


Education = Literal["school", "undergrad", "masters", "phd"]


class Background(Frozen):
    """A current role a person may come from that is not one of our roles (devops engineer,
    data analyst, student…): which of our roles it usually leads to, and which of our roles it
    is like for what years in it imply."""

    id: SkillId
    name: str
    leads_to: tuple[RoleId, ...] = ()
    like_role: RoleId | None = None


class Strength(Frozen):
    """Something a software engineer already brings to ML work."""

    id: SkillId
    title: str
    description: str
    skills: tuple[SkillId, ...] = Field(min_length=1)
    roles: tuple[RoleId, ...] = ()
    from_domains: bool = False
    """the person's industries are evidence too (a domain strength)"""


class Advice(Frozen):
    id: SkillId
    title: str
    kind: Literal["challenge", "stay-current"]
    description: str
    actions: tuple[str, ...] = Field(min_length=1)


class InterviewQuestion(Frozen):
    id: SkillId
    role: RoleId | None = None
    skills: tuple[SkillId, ...] = Field(min_length=1)
    question: str
    reference: str = Field(min_length=20)
    rubric: tuple[str, ...] = ()
    kind: Literal["concept", "coding", "system-design", "behavioural", "case"] = "concept"


QuestionType = Literal["mcq", "short", "interview"]
QuestionCategory = Literal[
    "ml-theory",
    "statistics",
    "maths",
    "deep-learning",
    "llm-app-design",
    "ml-system-design",
    "coding-for-ml",
    "mlops",
    "data-engineering",
    "product-sense",
    "behavioural",
]


class QuestionOption(Frozen):
    """One choice of a multiple-choice question, with why it is right or wrong."""

    text: str = Field(min_length=1)
    correct: bool
    why: str = Field(min_length=3)


class QuizQuestion(Frozen):
    """One item of the question bank: what the quiz schedules and the mock interview asks.

    An mcq is graded exactly (one correct option); a short answer or an interview prompt is
    graded against its reference answer and rubric points.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=100)]
    type: QuestionType
    skills: tuple[SkillId, ...] = Field(min_length=1)
    roles: tuple[RoleId, ...] = ()
    difficulty: int = Field(default=2, ge=1, le=3, description="the level it checks, 1..3")
    category: QuestionCategory
    question: str = Field(min_length=5)
    options: tuple[QuestionOption, ...] = ()
    reference: str = ""
    rubric: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fits_its_type(self) -> QuizQuestion:
        if self.type == "mcq":
            if len(self.options) < 2:
                raise ValueError(f"an mcq needs at least 2 options (it has {len(self.options)})")
            right = sum(o.correct for o in self.options)
            if right != 1:
                raise ValueError(f"an mcq needs exactly one correct option (it has {right})")
        else:
            if self.options:
                raise ValueError(f"a {self.type} question has no options (only an mcq has)")
            if len(self.reference.strip()) < 20:
                raise ValueError(f"a {self.type} question needs a reference answer")
            if not any(point.strip() for point in self.rubric):
                raise ValueError(f"a {self.type} question needs rubric points")
        return self

    @property
    def correct_option(self) -> int | None:
        """The index of the correct option of an mcq; None for other types."""
        return next((i for i, o in enumerate(self.options) if o.correct), None)


class Figure(Frozen):
    """A number quoted by a seed article, kept with its citation."""

    id: SkillId
    label: str
    value: str
    source: str
    note: str = ""
