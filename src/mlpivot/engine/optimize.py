"""What to learn when the hours cannot cover the whole gap: a precedence-constrained knapsack.

Each learning item has hours, a value for the target role and prerequisites. A selection is a
set of items whose prerequisites are all in the set (a prerequisite that is not an item at all
counts as already met) and whose hours fit the budget; we want the one with the most value.

`select_exact` solves it as a mixed-integer programme with HiGHS (`highspy`): one binary per
item, the budget row, and one row `x_item <= x_prerequisite` per edge. The LP relaxation of
this model is very tight (one knapsack row over a closure polytope), and reduced-cost fixing
turns that into speed: 10,000 items solve to proven optimality in about a second.
`select_greedy` is the value-per-hour baseline the benchmark and the tests compare it with;
the exact answer is never worse, because the greedy selection is the solver's first incumbent.
NumPy, SciPy and HiGHS are imported by the functions that solve, not with the module: a plan
that covers the whole gap, or a greedy selection, never needs them.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from mlpivot.errors import CatalogError, UserError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy.sparse import csc_matrix

Status = Literal["optimal", "time-limit", "greedy", "empty"]

_HOURS_SLACK = 1e-9
"""Relative tolerance when checking a rounded solution against the budget."""


class PlanInputError(UserError):
    """Items or a budget that cannot be planned: a negative budget, a duplicate id, bad hours."""


class PrerequisiteCycleError(CatalogError):
    """The items' prerequisites loop back on themselves, so no order can respect them."""

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = tuple(cycle)
        super().__init__([f"prerequisite cycle: {' -> '.join(self.cycle)}"])


@dataclass(frozen=True)
class LearningItem:
    """Something that can be learned: usually one skill's missing hours to its needed level."""

    id: str
    hours: float
    value: float
    prerequisites: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.hours) and self.hours >= 0):
            raise PlanInputError(f"item {self.id!r}: hours must be a number >= 0, not {self.hours}")
        if not (math.isfinite(self.value) and self.value >= 0):
            raise PlanInputError(f"item {self.id!r}: value must be a number >= 0, not {self.value}")


@dataclass(frozen=True)
class Selection:
    """The chosen items in an order that respects prerequisites, and how good the answer is.

    `mip_gap` is the relative distance between `value` and the best value still possible
    (0 means proven optimal); the greedy baseline has no bound, so its gap is NaN, and it does
    not time itself (`solve_seconds` 0): it takes milliseconds even at 10,000 items.
    """

    chosen: tuple[str, ...]
    value: float
    hours: float
    status: Status
    mip_gap: float
    solve_seconds: float


def prerequisite_order(items: Iterable[LearningItem]) -> tuple[str, ...]:
    """Item ids with every prerequisite before its dependents; among ready items, smallest id first.

    The tie rule makes the order stable, so the same items always give the same plan.
    """
    by_id = _index(items)
    waiting = {
        i: sum(1 for p in set(item.prerequisites) if p in by_id) for i, item in by_id.items()
    }
    dependents: dict[str, list[str]] = {i: [] for i in by_id}
    for item in by_id.values():
        for p in set(item.prerequisites):
            if p in by_id:
                dependents[p].append(item.id)
    ready = [i for i, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        current = heapq.heappop(ready)
        order.append(current)
        for d in dependents[current]:
            waiting[d] -= 1
            if waiting[d] == 0:
                heapq.heappush(ready, d)
    if len(order) < len(by_id):
        raise PrerequisiteCycleError(_find_cycle(by_id, set(order)))
    return tuple(order)


def select_greedy(items: Sequence[LearningItem], budget_hours: float) -> Selection:
    """Take the best value per hour among items whose prerequisites are taken, while it fits.

    A prerequisite is rated by the most valuable item it leads to (as the gap report ranks
    skills), so a zero-value foundation under a valuable skill is not starved. An item that
    does not fit is skipped for good, and so is everything that needs it.
    """
    _check_budget(budget_hours)
    order = prerequisite_order(items)
    by_id = {i.id: i for i in items}
    worth = _worth(by_id, order)
    missing = {i: sum(1 for p in set(by_id[i].prerequisites) if p in by_id) for i in order}
    dependents: dict[str, list[str]] = {i: [] for i in order}
    for i in order:
        for p in set(by_id[i].prerequisites):
            if p in by_id:
                dependents[p].append(i)

    def key(i: str) -> tuple[float, str]:
        hours = by_id[i].hours
        ratio = math.inf if hours == 0 else worth[i] / hours
        return (-ratio, i)

    frontier = [key(i) for i in order if missing[i] == 0]
    heapq.heapify(frontier)
    taken: set[str] = set()
    used = 0.0
    while frontier:
        _, current = heapq.heappop(frontier)
        if used + by_id[current].hours > budget_hours * (1 + _HOURS_SLACK) + _HOURS_SLACK:
            continue
        taken.add(current)
        used += by_id[current].hours
        for d in dependents[current]:
            missing[d] -= 1
            if missing[d] == 0:
                heapq.heappush(frontier, key(d))
    return _selection(by_id, order, taken, "greedy", math.nan, 0.0)


def select_exact(
    items: Sequence[LearningItem],
    budget_hours: float,
    *,
    time_limit_s: float = 10.0,
    clock: Callable[[], float] = time.perf_counter,
) -> Selection:
    """The most valuable prerequisite-closed set within the budget, proven optimal by HiGHS.

    A plain MILP of 10,000 items spends most of its time in HiGHS's root cut loop, so we help
    it with the textbook argument of reduced-cost fixing. The LP relaxation gives an upper bound
    `UB` and a reduced cost `r_j` per item; any set that differs from the LP's choice on item j
    is worth at most `UB - |r_j|`. So once we hold a set worth `LB`, every item with
    `|r_j| > UB - LB` can be fixed to the LP's choice without losing an optimum, and the MILP
    left over is small. We first solve a tighter restriction (fix `|r_j| > delta`, delta a
    tenth of the first gap) to find a near-optimal set fast, then fix only what the proof
    allows; usually the first round already proves itself. If the time limit stops a round,
    the best set so far comes back with status "time-limit" and its gap. The greedy set is
    the first incumbent, so the answer is never worse than `select_greedy`'s.
    `clock` measures `solve_seconds` and the time limit, both from the call (the greedy set and
    the model count); if the time is gone before the LP relaxation is solved, the greedy set
    comes back with status "time-limit" and no gap. It never changes a finished answer.
    """
    import numpy as np

    _check_budget(budget_hours)
    order = prerequisite_order(items)
    started = clock()
    greedy = select_greedy(items, budget_hours)
    if not order:
        return Selection((), 0.0, 0.0, "empty", 0.0, clock() - started)
    model = _Model.build({i.id: i for i in items}, order, budget_hours)
    remaining = time_limit_s - (clock() - started)
    relaxed = (
        _solve(model, model.upper, integer=False, time_limit_s=remaining) if remaining > 0 else None
    )
    if relaxed is None or relaxed.duals is None:  # the time ran out before the LP was solved
        return Selection(
            greedy.chosen, greedy.value, greedy.hours, "time-limit", math.nan, clock() - started
        )
    reduced, upper_bound = model.lagrangian_bound(relaxed.duals)
    target = np.where(reduced > 0, model.upper, 0.0)
    best = max(
        (greedy.chosen, _closed(model, relaxed.values > 1 - 1e-6, fill=True)),
        key=lambda chosen: model.value_of(chosen),
    )
    tolerance = 1e-9 * max(1.0, abs(upper_bound))
    delta = max(_ABS_GAP, (upper_bound - model.value_of(best)) / 10)
    bound = upper_bound
    status: Status = "time-limit"
    for _ in range(3):
        remaining = time_limit_s - (clock() - started)
        if remaining <= 0:
            break
        fixed = np.abs(reduced) > delta
        upper = np.where(fixed, target, model.upper)
        lower = np.where(fixed, target, 0.0)
        round_ = _solve(model, upper, lower=lower, integer=True, time_limit_s=remaining, start=best)
        if round_.feasible:
            found = _closed(model, round_.values > 0.5, fill=False)
            if model.value_of(found) > model.value_of(best):
                best = found
        outside = upper_bound - delta if fixed.any() else -math.inf
        bound = min(upper_bound, max(round_.bound, outside))
        if not round_.finished:
            break
        if model.value_of(best) >= bound - _ABS_GAP - tolerance:
            status = "optimal"
            break
        delta = upper_bound - model.value_of(best) + tolerance
    gap = 0.0 if status == "optimal" else _gap(model.value_of(best), bound)
    return _selection({i.id: i for i in items}, order, set(best), status, gap, clock() - started)


_ABS_GAP = 1e-6
"""HiGHS's default absolute MIP gap: values this close count as equal."""


@dataclass(frozen=True)
class _Model:
    """The MILP in arrays, rows = [budget, then one `x_item - x_prerequisite <= 0` per edge]."""

    order: tuple[str, ...]
    hours: npt.NDArray[np.float64]
    value: npt.NDArray[np.float64]
    upper: npt.NDArray[np.float64]
    rhs: npt.NDArray[np.float64]
    matrix: csc_matrix
    prerequisites: tuple[tuple[int, ...], ...]
    budget_hours: float

    @staticmethod
    def build(
        by_id: dict[str, LearningItem], order: tuple[str, ...], budget_hours: float
    ) -> _Model:
        import numpy as np
        from scipy.sparse import coo_matrix, csc_matrix

        position = {item_id: n for n, item_id in enumerate(order)}
        prerequisites = tuple(
            tuple(sorted({position[p] for p in by_id[i].prerequisites if p in position}))
            for i in order
        )
        hours = np.array([by_id[i].hours for i in order], dtype=np.float64)
        edges = [(n, p) for n, before in enumerate(prerequisites) for p in before]
        rows = [0] * len(order) + [r for r in range(1, len(edges) + 1) for _ in (0, 1)]
        cols = list(range(len(order))) + [c for edge in edges for c in edge]
        coefs = hours.tolist() + [1.0, -1.0] * len(edges)
        matrix = csc_matrix(coo_matrix((coefs, (rows, cols)), shape=(1 + len(edges), len(order))))
        rhs = np.zeros(matrix.shape[0])
        rhs[0] = budget_hours
        return _Model(
            order=order,
            hours=hours,
            value=np.array([by_id[i].value for i in order], dtype=np.float64),
            upper=np.where(hours > budget_hours, 0.0, 1.0),
            rhs=rhs,
            matrix=matrix,
            prerequisites=prerequisites,
            budget_hours=budget_hours,
        )

    def value_of(self, chosen: Iterable[str]) -> float:
        wanted = set(chosen)
        return math.fsum(
            float(v) for i, v in zip(self.order, self.value, strict=True) if i in wanted
        )

    def lagrangian_bound(
        self, duals: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], float]:
        """Reduced costs and the upper bound they prove, valid for any non-negative row prices.

        Computed here rather than read from the solver so that the bound holds even if the
        solver's duals are slightly off: for prices y >= 0, every feasible set is worth at most
        y . rhs + sum of the positive reduced costs v - A'y.
        """
        import numpy as np

        prices = np.maximum(duals, 0.0)
        reduced = self.value - self.matrix.T @ prices
        bound = float(prices @ self.rhs + np.maximum(reduced, 0.0) @ self.upper)
        return reduced, bound


@dataclass(frozen=True)
class _Round:
    values: npt.NDArray[np.float64]
    duals: npt.NDArray[np.float64] | None
    feasible: bool
    finished: bool
    """the solver proved optimality or infeasibility of this (restricted) model"""
    bound: float


def _solve(
    model: _Model,
    upper: npt.NDArray[np.float64],
    *,
    integer: bool,
    time_limit_s: float,
    lower: npt.NDArray[np.float64] | None = None,
    start: Sequence[str] = (),
) -> _Round:
    """One HiGHS run on the model with the given column bounds (maximising value).

    Every name comes from `highspy` itself; the solver is its `_Highs` (the class `Highs`
    builds on, exported beside it) because `Highs()` prints a banner on stdout when created,
    before any option can turn output off, which would corrupt the CLI's `--json` output;
    scipy's bundled HiGHS prints a debug line on stdout in some MIP solves.
    """
    import highspy
    import numpy as np
    from highspy import (
        HighsLp,
        HighsModelStatus,
        HighsSolution,
        HighsVarType,
        MatrixFormat,
        kHighsInf,
    )

    solver = highspy._Highs()  # type: ignore[attr-defined]  # in highspy.__all__, not its stub
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(max(time_limit_s, 0.01)))
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", _ABS_GAP)
    lp = HighsLp()
    lp.num_col_ = len(model.order)
    lp.num_row_ = model.matrix.shape[0]
    lp.col_cost_ = -model.value
    lp.col_lower_ = np.zeros(len(model.order)) if lower is None else lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.full(model.matrix.shape[0], -kHighsInf)
    lp.row_upper_ = model.rhs
    lp.a_matrix_.format_ = MatrixFormat.kColwise
    lp.a_matrix_.start_ = model.matrix.indptr
    lp.a_matrix_.index_ = model.matrix.indices
    lp.a_matrix_.value_ = model.matrix.data
    if integer:
        lp.integrality_ = [HighsVarType.kInteger] * len(model.order)
    solver.passModel(lp)
    if integer and start:
        wanted = set(start)
        solution = HighsSolution()
        solution.col_value = [1.0 if i in wanted else 0.0 for i in model.order]
        solver.setSolution(solution)
    solver.run()
    status = solver.getModelStatus()
    info = solver.getInfo()
    solution = solver.getSolution()
    feasible = bool(solution.value_valid)
    values = np.asarray(solution.col_value, dtype=np.float64) if feasible else np.zeros(0)
    duals = None
    if not integer and bool(solution.dual_valid):
        duals = -np.asarray(solution.row_dual, dtype=np.float64)
    finished = status in (HighsModelStatus.kOptimal, HighsModelStatus.kInfeasible)
    if status == HighsModelStatus.kInfeasible:
        bound = -math.inf
    elif integer:
        bound = -float(info.mip_dual_bound)
    else:
        bound = -float(info.objective_function_value)
    return _Round(values, duals, feasible, finished, bound)


def _closed(model: _Model, mask: npt.NDArray[np.bool_], *, fill: bool) -> tuple[str, ...]:
    """The items of `mask` whose prerequisites are all in it, within the budget.

    A solver's 0/1 answer can be off by its tolerances; this makes it exactly feasible. With
    `fill`, spare hours go to the best value-per-hour items that become available.
    """
    import numpy as np

    taken = np.zeros(len(model.order), dtype=bool)
    for n, before in enumerate(model.prerequisites):
        taken[n] = bool(mask[n]) and all(taken[p] for p in before)
    limit = model.budget_hours * (1 + _HOURS_SLACK) + _HOURS_SLACK
    used = math.fsum(model.hours[taken].tolist())
    # Over the budget: drop chosen items from the end of the prerequisite order. Everything
    # after an item is dropped before it is, so no chosen item ever loses a prerequisite.
    for n in reversed(range(len(model.order))):
        if used <= limit:
            break
        if taken[n]:
            taken[n] = False
            used -= float(model.hours[n])
    if fill:
        ratio = model.value / np.maximum(model.hours, 1e-9)
        for n in np.argsort(-ratio, kind="stable").tolist():
            if (
                not taken[n]
                and used + model.hours[n] <= limit
                and all(taken[p] for p in model.prerequisites[n])
            ):
                taken[n] = True
                used += float(model.hours[n])
    return tuple(i for i, t in zip(model.order, taken.tolist(), strict=True) if t)


def _gap(value: float, bound: float) -> float:
    """Relative gap as HiGHS defines it; NaN when the solver left no bound."""
    if math.isnan(bound):
        return math.nan
    return max(0.0, bound - value) / max(abs(bound), 1e-12)


def _selection(
    by_id: dict[str, LearningItem],
    order: tuple[str, ...],
    taken: set[str],
    status: Status,
    gap: float,
    seconds: float,
) -> Selection:
    """Package a set; items worth nothing that nothing chosen needs are dropped first.

    Such items do not change the value but would cost the person hours, and a solver is free
    to pick them when the budget has room.
    """
    needed: set[str] = set()
    for item_id in reversed(order):
        if item_id in taken and (by_id[item_id].value > 0 or item_id in needed):
            needed.add(item_id)
            needed.update(by_id[item_id].prerequisites)
    chosen = tuple(i for i in order if i in taken and i in needed)
    return Selection(
        chosen=chosen,
        value=math.fsum(by_id[i].value for i in chosen),
        hours=math.fsum(by_id[i].hours for i in chosen),
        status=status,
        mip_gap=gap,
        solve_seconds=seconds,
    )


def _worth(by_id: dict[str, LearningItem], order: tuple[str, ...]) -> dict[str, float]:
    """An item's own value, or the most valuable item that needs it, whichever is larger."""
    worth = {i: by_id[i].value for i in order}
    for i in reversed(order):
        for p in by_id[i].prerequisites:
            if p in worth and worth[i] > worth[p]:
                worth[p] = worth[i]
    return worth


def _index(items: Iterable[LearningItem]) -> dict[str, LearningItem]:
    by_id: dict[str, LearningItem] = {}
    for item in items:
        if item.id in by_id:
            raise PlanInputError(f"item {item.id!r} is listed twice; each id may appear once")
        by_id[item.id] = item
    return by_id


def _find_cycle(by_id: dict[str, LearningItem], ordered: set[str]) -> list[str]:
    """One concrete cycle among the items left unordered, to name in the error."""
    left = sorted(set(by_id) - ordered)
    step = {
        i: min(p for p in by_id[i].prerequisites if p in by_id and p not in ordered) for i in left
    }
    seen: dict[str, int] = {}
    path: list[str] = []
    current = left[0]
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = step[current]
    return [*path[seen[current] :], current]


def _check_budget(budget_hours: float) -> None:
    if not (math.isfinite(budget_hours) and budget_hours >= 0):
        raise PlanInputError(f"the hours budget must be a number >= 0, not {budget_hours}")
