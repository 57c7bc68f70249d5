"""What changed between two versions of a plan: moved, dropped, added, the new finish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mlpivot.engine.plan_model import Plan


@dataclass(frozen=True)
class Moved:
    ref_id: str
    title: str
    before: date
    after: date

    @property
    def weeks(self) -> int:
        return (self.after - self.before).days // 7


@dataclass(frozen=True)
class PlanDiff:
    moved: list[Moved]
    dropped: list[str]
    added: list[str]
    finish_before: date
    finish_after: date
    summary: str


def _completion(plan: Plan) -> dict[str, tuple[str, date]]:
    found: dict[str, tuple[str, date]] = {}
    for week in plan.weeks:
        for block in week.blocks:
            if block.completes:
                found[block.ref_id] = (block.title, week.end)
    return found


def compare_plans(before: Plan, after: Plan, done: frozenset[str] = frozenset()) -> PlanDiff:
    """Items finished in both plans but in another week are moved; finished work is never
    counted as dropped."""
    old, new = _completion(before), _completion(after)
    moved = [
        Moved(ref, old[ref][0], old[ref][1], new[ref][1])
        for ref in old
        if ref in new and old[ref][1] != new[ref][1]
    ]
    dropped = sorted(ref for ref in old if ref not in new and ref not in done)
    added = sorted(ref for ref in new if ref not in old)
    shift = (after.finish - before.finish).days // 7
    direction = "later" if shift > 0 else "earlier" if shift < 0 else "the same week"
    summary = (
        f"finish {after.finish.isoformat()} ({abs(shift)} weeks {direction})"
        if shift
        else f"finish {after.finish.isoformat()} (the same week)"
    )
    summary += f"; {len(moved)} moved, {len(dropped)} dropped, {len(added)} added"
    return PlanDiff(moved, dropped, added, before.finish, after.finish, summary)
