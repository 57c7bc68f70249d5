"""The shape of a `Plan`: dated weeks of study blocks, phases, projects and milestones.

Plans are pydantic values so that they are stored as JSON, read back for re-planning and
exports, and compared version to version.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mlpivot.engine.weights import WeightSource

BlockKind = Literal["skill", "project", "interview-prep"]


class PlanValue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ResourceRef(PlanValue):
    title: str
    url: str


class PlanBlock(PlanValue):
    """Hours on one thing in one week. `completes` marks the block that finishes it."""

    kind: BlockKind
    ref_id: str
    """a skill id, or a project id"""
    title: str
    hours: float = Field(ge=0)
    phase: str
    completes: bool
    resource: ResourceRef | None = None


class PlanWeek(PlanValue):
    index: int
    start: date
    end: date
    available: bool
    hours_budget: float
    blocks: tuple[PlanBlock, ...] = ()
    milestones: tuple[str, ...] = ()
    """what to show at the end of the week: "Show: Probability: …", "Publish: Fraud detector"…"""

    @property
    def hours(self) -> float:
        return sum(b.hours for b in self.blocks)


class Phase(PlanValue):
    name: str
    start: date
    end: date
    study_hours: float
    work_hours: float = 0
    """hours that happen inside the current job (acting as an ML engineer, shadowing)"""
    in_current_job: bool = False
    description: str = ""


class PlannedProject(PlanValue):
    project_id: str
    name: str
    hours: float
    skills: tuple[str, ...]
    metric: str
    production_extension: str


class Plan(PlanValue):
    role_ids: tuple[str, ...]
    """the target roles, first is the main one (multi-role: shared skills counted once)"""
    pathway_id: str | None
    pathway_name: str
    hours_per_week: float
    start: date
    finish: date
    """the Sunday of the last week with study in it: ready to apply"""
    weeks_to_ready: float
    """from the fit's one `weeks_to_ready`; the finish agrees with it within a week when no week
    is unavailable"""
    total_hours: float
    weeks: tuple[PlanWeek, ...]
    phases: tuple[Phase, ...]
    projects: tuple[PlannedProject, ...]
    specialisms: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    """skills left out because the hours until --until could not cover them"""
    optimality_gap: float | None = None
    notes: tuple[str, ...] = ()
    unavailable_days: tuple[date, ...] = ()
    """the breaks the person asked for, kept so a re-plan keeps those still ahead"""
    weights_source: WeightSource = "blend"
    """what valued the skills when the plan was ordered (plans saved before it: the blend)"""
