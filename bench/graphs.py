"""Seeded synthetic skill graphs shaped like the real catalog, for the planner benchmark.

The real knowledge base has a few hundred skills; the benchmark needs 1,000 and 10,000 to show
the exact planner stays fast. A synthetic graph copies the catalog's shape:

* Layers, in the order a person learns them: mathematics (10% of the skills), ML basics (20%),
  algorithms and methods (40%), tools and libraries (30%). A skill's prerequisites come from
  earlier skills only (so the graph has no cycle): mostly from the layer just before, sometimes
  from earlier skills of its own layer or from any earlier layer.
* In-degree 0 to 4 with probabilities 10/36/42/10/2% (mean 1.58), the shares measured on the
  real catalog (238 skills: mean 1.57, max 4); the very first skill of mathematics has none.
* Hours log-normal with a median of 12 h (sigma 0.8), clipped to 3..80 h, rounded to half hours
  (the real catalog: median 12 h, range 3..60 h).
* Value = blended weight x needed level, as the planner scores a role's skills: about half the
  skills are listed for the target role, with a curated weight uniform in 0.2..1 and a market
  weight (share of postings) skewed towards small values, blended half and half, times a level
  of 1, 2 or 3 (20/60/20%). The other half are worth 0 on their own and matter only as
  prerequisites, which is what makes the problem harder than a plain knapsack.

Same `(n_skills, seed)` gives the same graph on every machine (numpy's PCG64 generator).
"""

from __future__ import annotations

import numpy as np

from mlpivot.engine.optimize import LearningItem

LAYERS: tuple[tuple[str, float], ...] = (
    ("maths", 0.10),
    ("basics", 0.20),
    ("methods", 0.40),
    ("tools", 0.30),
)
IN_DEGREE_P = (0.10, 0.36, 0.42, 0.10, 0.02)
HOURS_MEDIAN, HOURS_SIGMA, HOURS_MIN, HOURS_MAX = 12.0, 0.8, 3.0, 80.0
LISTED_SHARE = 0.5
LEVEL_P = (0.2, 0.6, 0.2)


def layered_graph(n_skills: int, seed: int = 0) -> tuple[LearningItem, ...]:
    """`n_skills` learning items in prerequisite order, as described in the module docstring."""
    rng = np.random.default_rng(seed)
    sizes = [max(1, round(n_skills * share)) for _, share in LAYERS]
    sizes[-1] = max(1, n_skills - sum(sizes[:-1]))
    ids: list[str] = []
    layer_of: list[int] = []
    for layer, ((name, _), size) in enumerate(zip(LAYERS, sizes, strict=True)):
        ids += [f"{name}-{k:05d}" for k in range(size)]
        layer_of += [layer] * size
    starts = np.cumsum([0, *sizes])
    items: list[LearningItem] = []
    for n, skill_id in enumerate(ids):
        layer = layer_of[n]
        prerequisites = sorted({ids[p] for p in _parents(rng, n, layer, starts)})
        hours = float(
            np.clip(rng.lognormal(np.log(HOURS_MEDIAN), HOURS_SIGMA), HOURS_MIN, HOURS_MAX)
        )
        items.append(
            LearningItem(
                id=skill_id,
                hours=round(hours * 2) / 2,
                value=_value(rng),
                prerequisites=tuple(prerequisites),
            )
        )
    return tuple(items)


def _parents(rng: np.random.Generator, n: int, layer: int, starts: np.ndarray) -> list[int]:
    """Indices of earlier skills: 70% the previous layer, 20% own layer, 10% any earlier one."""
    if n == 0:
        return []
    degree = int(rng.choice(len(IN_DEGREE_P), p=IN_DEGREE_P))
    own_start = int(starts[layer])
    previous_start = int(starts[layer - 1]) if layer > 0 else own_start
    parents: list[int] = []
    for _ in range(degree):
        pick = rng.random()
        if layer > 0 and pick < 0.7:
            parents.append(int(rng.integers(previous_start, own_start)))
        elif n > own_start and pick < 0.9:
            parents.append(int(rng.integers(own_start, n)))
        else:
            parents.append(int(rng.integers(0, n)))
    return parents


def _value(rng: np.random.Generator) -> float:
    if rng.random() >= LISTED_SHARE:
        return 0.0
    curated = rng.uniform(0.2, 1.0)
    market = rng.random() ** 2
    level = int(rng.choice((1, 2, 3), p=LEVEL_P))
    return round((curated + market) / 2 * level, 4)


def total_hours(items: tuple[LearningItem, ...]) -> float:
    return sum(i.hours for i in items)
