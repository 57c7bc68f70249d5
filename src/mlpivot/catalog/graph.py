"""The prerequisite graph of skills, built once per catalog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from types import MappingProxyType


@dataclass(frozen=True)
class PrerequisiteGraph:
    """Direct and transitive prerequisites, and one stable topological order (ties by id)."""

    direct: Mapping[str, tuple[str, ...]]
    ancestors: Mapping[str, frozenset[str]]
    order: tuple[str, ...]

    def prerequisites(self, skill_id: str) -> tuple[str, ...]:
        return self.direct.get(skill_id, ())

    def closure(self, skill_ids: Iterable[str]) -> frozenset[str]:
        """The skills plus everything they transitively require."""
        result: set[str] = set()
        for skill_id in skill_ids:
            result.add(skill_id)
            result |= self.ancestors.get(skill_id, frozenset())
        return frozenset(result)

    def sort(self, skill_ids: Iterable[str]) -> list[str]:
        """The given skills in prerequisite order."""
        wanted = set(skill_ids)
        return [s for s in self.order if s in wanted]

    def longest_chain(self, hours: Mapping[str, float]) -> tuple[float, tuple[str, ...]]:
        """The prerequisite chain with the most hours, and its hours (ties by id order)."""
        best: dict[str, tuple[float, tuple[str, ...]]] = {}
        for skill in self.order:
            before = max(
                (best[p] for p in self.direct.get(skill, ())),
                key=lambda item: item[0],
                default=(0.0, ()),
            )
            best[skill] = (before[0] + hours.get(skill, 0.0), (*before[1], skill))
        return max(best.values(), key=lambda item: item[0], default=(0.0, ()))


def find_cycle(direct: Mapping[str, Iterable[str]]) -> list[str] | None:
    try:
        list(TopologicalSorter({k: list(v) for k, v in direct.items()}).static_order())
    except CycleError as exc:
        cycle: list[str] = list(exc.args[1])
        return cycle
    return None


def build_graph(direct: Mapping[str, tuple[str, ...]]) -> PrerequisiteGraph:
    """Build the graph; the caller has already checked that every id exists and no cycle is."""
    order: list[str] = []
    sorter = TopologicalSorter({k: sorted(v) for k, v in direct.items()})
    sorter.prepare()
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order.extend(ready)
        sorter.done(*ready)
    ancestors: dict[str, frozenset[str]] = {}
    for skill in order:
        acc: set[str] = set()
        for parent in direct.get(skill, ()):
            acc.add(parent)
            acc |= ancestors.get(parent, frozenset())
        ancestors[skill] = frozenset(acc)
    return PrerequisiteGraph(
        direct=MappingProxyType(dict(direct)),
        ancestors=MappingProxyType(ancestors),
        order=tuple(order),
    )
