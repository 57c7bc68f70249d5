"""The exact planner against brute force on every small instance of a seeded generator."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from itertools import pairwise

import numpy as np
import pytest

from mlpivot.engine.optimize import (
    LearningItem,
    PlanInputError,
    PrerequisiteCycleError,
    Selection,
    _closed,
    _Model,
    prerequisite_order,
    select_exact,
    select_greedy,
)

INSTANCES = int(os.environ.get("MLPIVOT_MUTATION_INSTANCES", "200"))
"""How many seeded instances are compared with brute force. `bench/mutate.py` sets fewer: there
the comparison runs once per mutant of every function it calls, and the first seeds already
cover every size and density the generator makes."""
TOLERANCE = 1e-6


def random_instance(seed: int) -> tuple[list[LearningItem], float]:
    """1..20 items, a random DAG (ids shuffled so input order is not the order), a budget."""
    rng = random.Random(seed)
    n = rng.randint(1, 20)
    names = [f"s{k:02d}" for k in range(n)]
    rng.shuffle(names)
    density = rng.choice((0.0, 0.1, 0.25, 0.5))
    items = []
    for k in range(n):
        before = [names[p] for p in range(k) if rng.random() < density]
        if rng.random() < 0.1:
            before.append("already-known")  # not an item: counts as met
        hours = rng.choice((rng.randint(0, 30), round(rng.uniform(0.5, 40), 2)))
        value = 0.0 if rng.random() < 0.3 else round(rng.uniform(0, 3), 3)
        items.append(LearningItem(names[k], float(hours), value, tuple(before)))
    rng.shuffle(items)
    total = sum(i.hours for i in items)
    budget = rng.choice((0.0, total, round(rng.uniform(0, total), 2), float(rng.randint(0, 60))))
    return items, budget


def brute_force(items: list[LearningItem], budget: float) -> float:
    """The best value over every subset of the items, checked for closure and budget."""
    n = len(items)
    index = {item.id: k for k, item in enumerate(items)}
    masks = np.arange(1 << n, dtype=np.uint32)
    bits = (masks[:, None] >> np.arange(n, dtype=np.uint32)) & 1
    ok = bits @ np.array([i.hours for i in items]) <= budget + 1e-9
    for k, item in enumerate(items):
        for p in item.prerequisites:
            if p in index:
                ok &= (bits[:, k] == 0) | (bits[:, index[p]] == 1)
    values = bits @ np.array([i.value for i in items])
    return float(values[ok].max())


def assert_feasible(items: list[LearningItem], budget: float, selection: Selection) -> None:
    by_id = {i.id: i for i in items}
    seen: set[str] = set()
    for item_id in selection.chosen:
        for p in by_id[item_id].prerequisites:
            assert p not in by_id or p in seen, f"{item_id} chosen before its prerequisite {p}"
        seen.add(item_id)
    assert len(seen) == len(selection.chosen)
    assert selection.hours <= budget * (1 + 1e-9) + 1e-9
    assert selection.hours == pytest.approx(sum(by_id[i].hours for i in seen))
    assert selection.value == pytest.approx(sum(by_id[i].value for i in seen))


@pytest.mark.parametrize("seed", range(INSTANCES))
def test_exact_selection_matches_brute_force_and_beats_greedy(seed: int) -> None:
    items, budget = random_instance(seed)
    exact = select_exact(items, budget)
    greedy = select_greedy(items, budget)
    assert_feasible(items, budget, exact)
    assert_feasible(items, budget, greedy)
    assert exact.status == "optimal"
    assert exact.mip_gap == 0.0
    assert exact.value == pytest.approx(brute_force(items, budget), abs=TOLERANCE)
    assert exact.value >= greedy.value - TOLERANCE


def test_a_prerequisite_is_only_taken_with_the_skill_that_makes_it_worth_it() -> None:
    items = [
        LearningItem("linear-algebra", 30, 0.0),
        LearningItem("deep-learning", 40, 5.0, ("linear-algebra",)),
        LearningItem("sql", 20, 1.0),
    ]
    assert select_exact(items, 70).chosen == ("linear-algebra", "deep-learning")
    assert select_exact(items, 69).chosen == ("sql",)


def test_greedy_rates_a_foundation_by_what_it_unlocks() -> None:
    items = [
        LearningItem("maths", 10, 0.0),
        LearningItem("ml", 10, 4.0, ("maths",)),
        LearningItem("docker", 10, 1.0),
    ]
    assert select_greedy(items, 20).chosen == ("maths", "ml")


def test_exact_is_never_below_greedy_even_when_stopped_early() -> None:
    rng = random.Random(7)
    items = [
        LearningItem(
            f"s{k:03d}", rng.uniform(3, 40), rng.random(), (f"s{k - 1:03d}",) * (k % 3 == 0)
        )
        for k in range(300)
    ]
    exact = select_exact(items, 800, time_limit_s=0.0)
    assert exact.value >= select_greedy(items, 800).value
    assert_feasible(items, 800, exact)


def test_no_items_gives_an_empty_selection() -> None:
    exact = select_exact([], 10)
    assert (exact.chosen, exact.value, exact.hours) == ((), 0.0, 0.0)
    assert (exact.status, exact.mip_gap) == ("empty", 0.0)
    assert select_greedy([], 10).chosen == ()


def test_prerequisite_order_is_stable_with_ties_by_id() -> None:
    items = [
        LearningItem("c", 1, 1, ("a",)),
        LearningItem("b", 1, 1),
        LearningItem("a", 1, 1),
        LearningItem("d", 1, 1, ("c", "b")),
    ]
    assert prerequisite_order(items) == ("a", "b", "c", "d")
    assert prerequisite_order(reversed(items)) == ("a", "b", "c", "d")


def test_a_cycle_is_named_in_the_error() -> None:
    items = [
        LearningItem("a", 1, 1, ("c",)),
        LearningItem("b", 1, 1, ("a",)),
        LearningItem("c", 1, 1, ("b",)),
        LearningItem("d", 1, 1),
    ]
    with pytest.raises(PrerequisiteCycleError) as caught:
        prerequisite_order(items)
    assert set(caught.value.cycle) == {"a", "b", "c"}
    assert caught.value.cycle[0] == caught.value.cycle[-1]


def test_bad_input_is_refused_with_a_plain_message() -> None:
    with pytest.raises(PlanInputError, match="listed twice"):
        prerequisite_order([LearningItem("a", 1, 1), LearningItem("a", 2, 1)])
    with pytest.raises(PlanInputError, match="budget"):
        select_exact([LearningItem("a", 1, 1)], -1)
    with pytest.raises(PlanInputError, match="hours"):
        LearningItem("a", -1, 1)


def test_the_cycle_error_spells_the_loop_out_in_order_so_a_person_can_break_it() -> None:
    items = [
        LearningItem("a", 1, 1, ("c",)),
        LearningItem("b", 1, 1, ("a",)),
        LearningItem("c", 1, 1, ("b",)),
    ]
    with pytest.raises(PrerequisiteCycleError) as caught:
        prerequisite_order(items)
    cycle = caught.value.cycle
    assert " -> ".join(cycle) in str(caught.value)
    needs = {i.id: i.prerequisites for i in items}
    for item_id, prerequisite in pairwise(cycle):
        assert prerequisite in needs[item_id]  # each step of the loop is a real "needs"


def test_a_cycle_names_only_the_items_on_the_loop_not_those_that_lead_into_it() -> None:
    items = [
        LearningItem("a", 1, 1, ("b",)),  # needs the loop, is not part of it
        LearningItem("b", 1, 1, ("c",)),
        LearningItem("c", 1, 1, ("b",)),
    ]
    with pytest.raises(PrerequisiteCycleError) as caught:
        prerequisite_order(items)
    assert set(caught.value.cycle) == {"b", "c"}
    assert caught.value.cycle[0] == caught.value.cycle[-1]


def test_an_item_that_needs_itself_is_a_cycle() -> None:
    with pytest.raises(PrerequisiteCycleError) as caught:
        prerequisite_order([LearningItem("a", 1, 1, ("a",)), LearningItem("b", 1, 1)])
    assert caught.value.cycle == ("a", "a")


def test_a_cycle_is_found_even_when_its_items_also_need_skills_outside_the_list() -> None:
    items = [
        LearningItem("b", 1, 1, ("a-known-skill", "c")),  # the outside id sorts first
        LearningItem("c", 1, 1, ("b",)),
    ]
    with pytest.raises(PrerequisiteCycleError) as caught:
        prerequisite_order(items)
    assert set(caught.value.cycle) == {"b", "c"}


def stopped_clock(after: float, *, free_looks: int = 0) -> Callable[[], float]:
    """A clock that reads 1000 when the solve starts (and at `free_looks` more looks), then
    `after` seconds later at every look."""
    readings = iter([1000.0] * (1 + free_looks))
    return lambda: next(readings, 1000.0 + after)


@pytest.mark.parametrize("scale", [0.01, 1.0, 100.0])
def test_stopped_by_its_time_limit_the_planner_says_so_and_how_far_from_the_best_it_may_be(
    scale: float,
) -> None:
    # Three 10-hour skills and 15 hours: the relaxation takes all of the best and half of the
    # next, worth 10 + 4.5 (times the scale); the whole skills that fit are worth 10. The gap
    # is relative, so it reads the same whatever unit the values are in.
    items = [
        LearningItem("a", 10, 10 * scale),
        LearningItem("b", 10, 9 * scale),
        LearningItem("c", 10, 8 * scale),
    ]
    clock = stopped_clock(after=60.0, free_looks=1)  # the relaxation is solved, then time is up
    exact = select_exact(items, 15, time_limit_s=5.0, clock=clock)
    assert exact.status == "time-limit"
    assert exact.chosen == ("a",)
    assert exact.value == pytest.approx(select_greedy(items, 15).value)
    assert exact.mip_gap == pytest.approx(4.5 / 14.5)
    assert exact.solve_seconds == 60.0


def test_a_time_limit_spent_before_the_relaxation_is_solved_gives_the_greedy_set() -> None:
    exact = select_exact(SMALL, 15, time_limit_s=5.0, clock=stopped_clock(after=60.0))
    greedy = select_greedy(SMALL, 15)
    assert (exact.chosen, exact.value, exact.hours) == (greedy.chosen, greedy.value, greedy.hours)
    assert exact.status == "time-limit"
    assert np.isnan(exact.mip_gap)  # no bound was found, so no gap can be stated
    assert exact.solve_seconds == 60.0


def test_the_solve_time_is_read_from_the_clock_it_is_given() -> None:
    assert select_exact([], 10, clock=stopped_clock(after=2.5)).solve_seconds == 2.5
    items = [LearningItem("a", 1, 1.0)]
    assert select_exact(items, 10, clock=stopped_clock(after=0.25)).solve_seconds == 0.25


def test_the_solver_prints_nothing_so_json_output_stays_clean(
    capfd: pytest.CaptureFixture[str],
) -> None:
    items, budget = random_instance(3)
    select_exact(items, budget)
    assert capfd.readouterr().out == ""


def rounded(
    items: list[LearningItem], budget: float, chosen: set[str], *, fill: bool
) -> tuple[str, ...]:
    """What `_closed` makes of a solver's 0/1 answer that picked `chosen`."""
    order = prerequisite_order(items)
    model = _Model.build({i.id: i for i in items}, order, budget)
    return _closed(model, np.array([i in chosen for i in order]), fill=fill)


SMALL = [
    LearningItem("a", 10, 1.0),
    LearningItem("b", 5, 3.0, ("a",)),
    LearningItem("c", 5, 2.0),
]


def test_a_rounded_answer_over_the_budget_is_cut_from_the_end_of_the_order_until_it_fits() -> None:
    assert rounded(SMALL, 15, {"a", "b", "c"}, fill=False) == ("a", "b")
    assert rounded(SMALL, 10, {"a", "b", "c"}, fill=False) == ("a",)
    assert rounded(SMALL, 20, {"a", "b", "c"}, fill=False) == ("a", "b", "c")


def test_a_rounded_answer_keeps_no_item_whose_prerequisite_it_dropped() -> None:
    assert rounded(SMALL, 20, {"b", "c"}, fill=False) == ("c",)


def test_spare_hours_go_to_the_best_value_per_hour_among_items_whose_prerequisites_are_in() -> None:
    assert rounded(SMALL, 10, set(), fill=True) == ("c",)  # c (0.4 an hour) before a (0.1)
    assert rounded(SMALL, 15, set(), fill=True) == ("a", "c")  # b needs a: not yet in
    assert rounded(SMALL, 20, {"a"}, fill=True) == ("a", "b", "c")
    assert rounded(SMALL, 15, set(), fill=False) == ()


def test_greedy_says_it_is_the_baseline_with_no_bound_and_no_timing() -> None:
    greedy = select_greedy(SMALL, 15)
    assert greedy.status == "greedy"
    assert np.isnan(greedy.mip_gap)
    assert greedy.solve_seconds == 0.0


def test_greedy_takes_the_best_value_per_hour_first_not_the_biggest_value() -> None:
    items = [LearningItem("quick", 1, 2.0), LearningItem("big", 10, 10.0)]
    assert select_greedy(items, 10).chosen == ("quick",)


def test_greedy_skips_an_item_that_does_not_fit_and_keeps_filling_with_smaller_ones() -> None:
    items = [
        LearningItem("best-but-long", 20, 1000.0),
        LearningItem("a", 10, 10.0),
        LearningItem("c", 1, 1.0),
    ]
    assert select_greedy(items, 11).chosen == ("a", "c")  # exactly the budget fits


def test_a_zero_hour_item_is_taken_even_with_no_hours_to_spare() -> None:
    assert select_greedy([LearningItem("z", 0, 1.0)], 0).chosen == ("z",)
    assert select_exact([LearningItem("z", 0, 1.0)], 0).chosen == ("z",)


def test_an_item_that_takes_exactly_the_whole_budget_can_be_chosen() -> None:
    assert select_exact([LearningItem("a", 10, 1.0)], 10).chosen == ("a",)


def test_a_negative_or_endless_value_is_refused_with_the_item_named() -> None:
    with pytest.raises(PlanInputError, match=r"item 'a': value must be a number >= 0"):
        LearningItem("a", 1, -1.0)
    with pytest.raises(PlanInputError, match=r"item 'a': value"):
        LearningItem("a", 1, float("inf"))
