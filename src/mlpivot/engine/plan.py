"""Build a `Plan`: the gap to one or two roles, ordered, dated and filled into weeks.

How a plan is made, in the order a reader can check it:
1. The needed skills of every target role (shared skills counted once, at the highest level),
   minus what the person has and what progress already covers.
2. If a date limits the hours, the most valuable set that fits is chosen exactly
   (`select_exact`); the rest is listed as dropped with the optimality gap.
3. Order: the main role's skills before a later role's; within a role, the steps of the chosen
   pathway in their order, then the rest of the role ("More for <role>"), then the chosen
   specialisms (depth after the core), and interview preparation last; ties by value per
   hour — but never a skill before its prerequisites.
4. Portfolio projects are how the last part of their skills is learned: each takes up to 40%
   of the remaining hours of its skills, so building it does not add to the time to ready and
   the finish date agrees with the fit's `weeks_to_ready`.
5. Weeks are filled in that order under the weekly budget; unavailable weeks stay empty.
Steps of the pathway that happen inside the current job (acting as an ML engineer, shadowing
the ML team) are phases with work hours, placed before the finish, not study hours.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import Pathway, PathwayStep, Role
from mlpivot.engine.gap import (
    GapItem,
    SkillGap,
    needed_levels,
    prioritise,
    skill_gaps,
    weeks_to_ready,
)
from mlpivot.engine.limits import LIMITS
from mlpivot.engine.optimize import LearningItem, select_exact
from mlpivot.engine.plan_model import (
    Phase,
    Plan,
    PlanBlock,
    PlannedProject,
    PlanWeek,
    ResourceRef,
)
from mlpivot.engine.profile import Profile, known_levels
from mlpivot.engine.schedule import Task, schedule_weeks, week_budget
from mlpivot.engine.suggestions import (
    SpecialismSuggestion,
    suggest_projects,
    suggest_specialisms,
)
from mlpivot.engine.weights import MarketSignal, WeightSource, weights_from
from mlpivot.errors import UserError

PROJECT_SHARE = 0.4
"""At most this share of a project's skills' study hours is spent building the project."""
MIN_PROJECT_HOURS = 10.0
INTERVIEW_SKILL = "interviewing-skills"


@dataclass(frozen=True)
class PlanRequest:
    role_ids: tuple[str, ...]
    start: date
    until: date | None = None
    hours_per_week: float | None = None
    unavailable_weeks: frozenset[date] = frozenset()
    """any date in a week with no study at all"""
    unavailable_days: frozenset[date] = frozenset()
    """single days off: each takes a seventh of its week's hours"""
    pathway_id: str | None = None
    done_hours: Mapping[str, float] | None = None
    """hours already logged per skill id"""
    done_skills: frozenset[str] = frozenset()
    """skills marked done (complete whatever their hours)"""
    projects: int = 2
    weights_source: WeightSource = "blend"
    """what values each skill, as in `gap --weights`: the blend, curated, market or mine"""
    mine: Mapping[str, MarketSignal] | None = None
    """the person's saved-postings demand per role id, for `weights_source="mine"`"""


def choose_pathway(catalog: Catalog, role: Role, wanted: str | None) -> Pathway | None:
    if wanted is not None:
        if wanted not in catalog.pathways:
            known = ", ".join(sorted(catalog.pathways))
            raise UserError(f"there is no pathway '{wanted}'; choose one of {known}")
        return catalog.pathways[wanted]
    for pathway in catalog.pathways.values():
        if role.id in pathway.target_roles:
            return pathway
    return None


def _union_gaps(
    profile: Profile, roles: Sequence[Role], catalog: Catalog
) -> tuple[list[SkillGap], dict[str, int]]:
    """Gaps over all roles, each skill once at its highest level; skill -> first role index."""
    needed: dict[str, int] = {}
    first_role: dict[str, int] = {}
    listed: set[str] = set()
    for index, role in enumerate(roles):
        for skill_id, level in needed_levels(role, catalog, profile.target_seniority).items():
            needed[skill_id] = max(level, needed.get(skill_id, 0))
            first_role.setdefault(skill_id, index)
        listed |= {n.skill for n in role.skills}
    return skill_gaps(needed, known_levels(profile, catalog), catalog, listed), first_role


def build_plan(
    profile: Profile,
    catalog: Catalog,
    request: PlanRequest,
    market: Mapping[str, MarketSignal] | None = None,
) -> Plan:
    if not request.role_ids:
        raise UserError("name at least one target role")
    roles = [catalog.role(r) for r in request.role_ids]
    main = roles[0]
    hours_per_week = (
        profile.hours_per_week if request.hours_per_week is None else request.hours_per_week
    )
    LIMITS.hours_per_week.check(hours_per_week, "hours per week")
    gaps, first_role = _union_gaps(profile, roles, catalog)
    done = dict(request.done_hours or {})
    for skill_id in request.done_skills:
        done[skill_id] = float("inf")
    remaining = {g.skill_id: max(0.0, g.hours - done.get(g.skill_id, 0.0)) for g in gaps}
    gaps = [g for g in gaps if remaining[g.skill_id] > 1e-9]

    importance: dict[str, float] = {}
    for role in roles:
        weights = weights_from(
            role,
            request.weights_source,
            (market or {}).get(role.id),
            (request.mine or {}).get(role.id),
        )
        for skill_id, w in weights.blended.items():
            importance[skill_id] = max(w, importance.get(skill_id, 0.0))
    ranked = prioritise(gaps, importance, catalog)

    dropped: tuple[str, ...] = ()
    optimality_gap: float | None = None
    notes: list[str] = []
    if request.until is not None:
        budget = _hours_until(
            request.start,
            request.until,
            hours_per_week,
            request.unavailable_weeks,
            request.unavailable_days,
        )
        total = sum(remaining.values())
        if total > budget:
            in_gap = {g.skill_id for g in gaps}
            items = [
                LearningItem(
                    g.skill_id,
                    round(remaining[g.skill_id], 3),
                    next(i.importance for i in ranked if i.skill_id == g.skill_id)
                    if g.listed
                    else importance.get(g.skill_id, 0.0),
                    tuple(p for p in catalog.graph.prerequisites(g.skill_id) if p in in_gap),
                )
                for g in gaps
            ]
            selection = select_exact(items, budget)
            chosen = set(selection.chosen)
            dropped = tuple(g.skill_id for g in gaps if g.skill_id not in chosen)
            optimality_gap = selection.mip_gap
            gaps = [g for g in gaps if g.skill_id in chosen]
            ranked = [i for i in ranked if i.skill_id in chosen]
            notes.append(
                f"{total:.0f} hours are needed but only {budget:.0f} fit before "
                f"{request.until.isoformat()}: the most valuable {len(chosen)} skills were "
                f"chosen exactly ({selection.status}, gap {selection.mip_gap:.2%}); "
                f"{len(dropped)} were left for later"
            )

    pathway = choose_pathway(catalog, main, request.pathway_id)
    specialisms = suggest_specialisms(
        profile, main, catalog, how_many=1 if request.until is not None else 2
    )
    phase_of = _phases(gaps, roles, pathway, specialisms, catalog, first_role)
    order = _order(ranked, phase_of, catalog)

    hours = {sid: remaining[sid] for sid in order}
    projects = _projects(profile, main, catalog, hours, request.projects)
    tasks, blocks_info = _tasks(order, hours, projects, phase_of, catalog)
    schedule = schedule_weeks(
        tasks,
        hours_per_week,
        request.start,
        request.unavailable_weeks,
        days_off=request.unavailable_days,
    )

    weeks = tuple(
        PlanWeek(
            index=i,
            start=w.start,
            end=w.end,
            available=w.available,
            hours_budget=w.hours_available,
            blocks=tuple(
                blocks_info[b.task_id].model_copy(
                    update={"hours": b.hours, "completes": b.completes}
                )
                for b in w.blocks
            ),
            milestones=tuple(
                _milestone(blocks_info[b.task_id], catalog) for b in w.blocks if b.completes
            ),
        )
        for i, w in enumerate(schedule.weeks)
    )
    total_hours = round(sum(t.hours for t in tasks), 1)
    years = (schedule.finish - request.start).days / 365.25
    if years > LIMITS.long_plan_years:
        notes.append(
            f"At {hours_per_week:g} h a week this plan runs for about {years:.0f} years; "
            "few people keep a plan that long: more hours a week, or --until with a date, "
            "gives a shorter one"
        )
    phases = _phase_summaries(
        weeks, pathway, _in_job_steps(catalog, main, pathway), schedule.finish
    )
    return Plan(
        role_ids=tuple(r.id for r in roles),
        pathway_id=pathway.id if pathway else None,
        pathway_name=pathway.name
        if pathway
        else "mlpivot's own order (no pathway targets this role)",
        hours_per_week=hours_per_week,
        start=request.start,
        finish=schedule.finish,
        weeks_to_ready=weeks_to_ready(total_hours, hours_per_week),
        total_hours=total_hours,
        weeks=weeks,
        phases=phases,
        projects=tuple(projects),
        specialisms=tuple(s.name for s in specialisms),
        dropped=dropped,
        optimality_gap=optimality_gap,
        notes=tuple(notes),
        unavailable_days=tuple(sorted(request.unavailable_days)),
        weights_source=request.weights_source,
    )


def _hours_until(
    start: date,
    until: date,
    hours_per_week: float,
    unavailable: frozenset[date],
    days_off: frozenset[date] = frozenset(),
) -> float:
    if until <= start:
        raise UserError(f"--until {until.isoformat()} is not after the start {start.isoformat()}")
    monday = start - timedelta(days=start.weekday())
    hours = 0.0
    while monday <= until:
        sunday = monday + timedelta(days=6)
        if not any(monday <= day <= sunday for day in unavailable):
            hours += week_budget(monday, hours_per_week, days_off)
        monday += timedelta(days=7)
    return hours


def _phases(
    gaps: Sequence[SkillGap],
    roles: Sequence[Role],
    pathway: Pathway | None,
    specialisms: Sequence[SpecialismSuggestion],
    catalog: Catalog,
    first_role: Mapping[str, int],
) -> dict[str, tuple[int, int, str]]:
    """skill -> (role index, phase rank, phase name); lower ranks come first."""
    step_of: dict[str, tuple[int, str]] = {}
    if pathway is not None:
        for index, step in enumerate(pathway.steps):
            if step.in_current_job:
                continue
            for skill_id in step.skills:
                step_of.setdefault(skill_id, (index, step.title))
    spec_of: dict[str, str] = {}
    for spec in specialisms:
        for skill_id in catalog.specialisms[spec.specialism_id].skills:
            spec_of.setdefault(skill_id, f"Specialism: {spec.name}")
    result: dict[str, tuple[int, int, str]] = {}
    for g in gaps:
        role_index = first_role.get(g.skill_id, 0)
        if g.skill_id == INTERVIEW_SKILL:
            result[g.skill_id] = (len(roles), 10_000, "Interview preparation")
        elif g.skill_id in step_of and role_index == 0:
            rank, title = step_of[g.skill_id]
            result[g.skill_id] = (role_index, rank, title)
        elif g.skill_id in spec_of:
            result[g.skill_id] = (role_index, 5_000, spec_of[g.skill_id])
        else:
            name = roles[role_index].name
            result[g.skill_id] = (role_index, 4_000, f"More for {name}")
    return result


def _order(
    ranked: Sequence[GapItem], phase_of: Mapping[str, tuple[int, int, str]], catalog: Catalog
) -> list[str]:
    """Prerequisite order (Kahn), preferring earlier phases, then higher value per hour."""
    ids = [item.skill_id for item in ranked]
    rank = {sid: i for i, sid in enumerate(ids)}
    wanted = set(ids)
    waiting = {
        sid: {p for p in catalog.graph.ancestors.get(sid, frozenset()) if p in wanted}
        for sid in ids
    }
    heap = [(phase_of[s][0], phase_of[s][1], rank[s], s) for s in ids if not waiting[s]]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        *_, sid = heapq.heappop(heap)
        order.append(sid)
        for other in ids:
            if sid in waiting[other]:
                waiting[other].discard(sid)
                if not waiting[other]:
                    heapq.heappush(
                        heap, (phase_of[other][0], phase_of[other][1], rank[other], other)
                    )
    return order


def _projects(
    profile: Profile, role: Role, catalog: Catalog, hours: dict[str, float], how_many: int
) -> list[PlannedProject]:
    """Projects built from the study hours of their skills (changes `hours` in place)."""
    chosen: list[PlannedProject] = []
    for suggestion in suggest_projects(profile, role, catalog, how_many=10):
        if len(chosen) >= how_many:
            break
        project = catalog.projects[suggestion.project_id]
        own = [s for s in project.skills if hours.get(s, 0) > 0]
        available = PROJECT_SHARE * sum(hours[s] for s in own)
        build = min(project.hours, available)
        if build < MIN_PROJECT_HOURS:
            continue
        for skill_id in own:
            hours[skill_id] -= build * hours[skill_id] / (available / PROJECT_SHARE)
        chosen.append(
            PlannedProject(
                project_id=project.id,
                name=project.name,
                hours=round(build, 1),
                skills=tuple(own),
                metric=project.metric,
                production_extension=project.production_extension,
            )
        )
    return chosen


def _tasks(
    order: Sequence[str],
    hours: Mapping[str, float],
    projects: Sequence[PlannedProject],
    phase_of: Mapping[str, tuple[int, int, str]],
    catalog: Catalog,
) -> tuple[list[Task], dict[str, PlanBlock]]:
    """Tasks in order, each project right after the last of its skills."""
    info: dict[str, PlanBlock] = {}
    tasks: list[Task] = []
    pending = list(projects)
    for skill_id in order:
        skill = catalog.skills[skill_id]
        resource = skill.resources[0]
        kind = "interview-prep" if skill_id == INTERVIEW_SKILL else "skill"
        info[skill_id] = PlanBlock(
            kind=kind,
            ref_id=skill_id,
            title=skill.name,
            hours=hours[skill_id],
            phase=phase_of[skill_id][2],
            completes=False,
            resource=ResourceRef(title=resource.title, url=str(resource.url)),
        )
        tasks.append(Task(skill_id, hours[skill_id], catalog.graph.prerequisites(skill_id)))
        placed = {t.id for t in tasks}
        for project in list(pending):
            if all(s in placed for s in project.skills):
                key = f"project:{project.project_id}"
                info[key] = PlanBlock(
                    kind="project",
                    ref_id=project.project_id,
                    title=project.name,
                    hours=project.hours,
                    phase=phase_of[skill_id][2],
                    completes=False,
                )
                tasks.append(Task(key, project.hours, project.skills))
                pending.remove(project)
    return tasks, info


def _milestone(block: PlanBlock, catalog: Catalog) -> str:
    """What to show at the end of the week. Only what a person can do today: mlpivot has no
    quiz to take yet, so a skill's milestone is its evidence, never a promised quiz."""
    if block.kind == "project":
        project = catalog.projects[block.ref_id]
        return f"Publish: {project.name} (report {project.metric})"
    return f"Show: {block.title}: {catalog.skills[block.ref_id].evidence[0]}"


def _in_job_steps(catalog: Catalog, role: Role, pathway: Pathway | None) -> list[PathwayStep]:
    """The chosen pathway's steps inside the current job; if it has none, those of the other
    pathways for the role, since every seed advises doing ML work in the job you have."""
    own = [s for s in (pathway.steps if pathway else ()) if s.in_current_job and s.hours > 0]
    if own:
        return own
    return [
        step
        for other in catalog.pathways.values()
        if role.id in other.target_roles
        for step in other.steps
        if step.in_current_job and step.hours > 0
    ]


def _phase_summaries(
    weeks: Sequence[PlanWeek],
    pathway: Pathway | None,
    in_job: Sequence[PathwayStep],
    finish: date,
) -> tuple[Phase, ...]:
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    study: dict[str, float] = {}
    for week in weeks:
        for block in week.blocks:
            first.setdefault(block.phase, week.start)
            last[block.phase] = week.end
            study[block.phase] = study.get(block.phase, 0.0) + block.hours
    described = {s.title: s.description for s in (pathway.steps if pathway else ())}
    phases = [
        Phase(
            name=name,
            start=first[name],
            end=last[name],
            study_hours=round(study[name], 1),
            description=described.get(name, ""),
        )
        for name in first
    ]
    for step in in_job:
        span_weeks = step.weeks or max(1.0, step.hours / 4)
        begin = max(weeks[0].start if weeks else finish, finish - timedelta(weeks=span_weeks))
        phases.append(
            Phase(
                name=step.title,
                start=begin,
                end=finish,
                study_hours=0,
                work_hours=step.hours,
                in_current_job=True,
                description=step.description,
            )
        )
    return tuple(sorted(phases, key=lambda p: (p.start, p.in_current_job)))
