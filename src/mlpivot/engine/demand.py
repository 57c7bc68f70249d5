"""A person's own demand signal: how often each skill appears in the postings they saved.

"In the 12 postings you saved, Kubernetes appears in 9" sits beside the market's share, and
the same counts can weigh the gap (`weights.weights_from(..., "mine")`). A posting that offers
a choice ("PyTorch or TensorFlow") is counted as naming every option (it does name them), but
it weighs as one requirement met by either: in the weights the choice shares one posting's
worth among its options, and once the person has one of them at a working level that option
takes it all, so the gap does not ask for the other as well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SavedPostingSkills:
    """What the demand needs from one saved posting: its role and the skills it names."""

    role_id: str | None
    skill_ids: frozenset[str]
    choices: tuple[frozenset[str], ...] = ()
    """The posting's requirements met by any one of two or more skills ("X or Y")."""


def _posting_weights(posting: SavedPostingSkills, met: frozenset[str]) -> dict[str, float]:
    """Each skill's share of one posting: 1 for a skill asked for on its own; a choice shares 1
    among its options, or among those the person already has (`met`)."""
    weights: dict[str, float] = {}
    for choice in posting.choices:
        options = sorted(choice & met) or sorted(choice)
        for skill_id in choice:
            share = 1 / len(options) if skill_id in options else 0.0
            weights[skill_id] = max(weights.get(skill_id, 0.0), share)
    for skill_id in posting.skill_ids - weights.keys():
        weights[skill_id] = 1.0
    return weights


@dataclass(frozen=True)
class PersonalDemand:
    """Counts over the saved postings for one role; it satisfies `weights.MarketSignal`."""

    role_id: str | None
    sample_size: int
    counts: dict[str, int]
    weights: dict[str, float] = field(default_factory=dict)
    source: str = "your saved postings"

    def share(self, skill_id: str) -> float:
        return self.counts.get(skill_id, 0) / self.sample_size if self.sample_size else 0.0


def personal_demand(
    postings: Sequence[SavedPostingSkills],
    role_id: str | None = None,
    met: frozenset[str] = frozenset(),
) -> PersonalDemand:
    """Skill counts over the saved postings classified to `role_id` (all of them when None);
    `met`: the skills the person has at a working level, which settle the postings' choices."""
    chosen = [p for p in postings if role_id is None or p.role_id == role_id]
    counts: dict[str, int] = {}
    totals: dict[str, float] = {}
    for posting in chosen:
        for skill_id in posting.skill_ids:
            counts[skill_id] = counts.get(skill_id, 0) + 1
        for skill_id, share in _posting_weights(posting, met).items():
            totals[skill_id] = totals.get(skill_id, 0.0) + share
    n = len(chosen)
    weights = {k: v / n for k, v in totals.items()} if n else {}
    noun = "posting" if n == 1 else "postings"
    return PersonalDemand(role_id, n, counts, weights, f"your {n} saved {noun}")


@dataclass(frozen=True)
class DemandLine:
    skill_id: str
    yours: int
    sample_size: int
    your_share: float
    market_share: float | None


def demand_beside_market(
    demand: PersonalDemand, market_weights: Mapping[str, float] | None, top: int = 15
) -> list[DemandLine]:
    """The skills most named in the saved postings, each with the market's share beside it."""
    ranked = sorted(demand.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [
        DemandLine(
            skill_id,
            count,
            demand.sample_size,
            round(demand.share(skill_id), 3),
            None if market_weights is None else round(market_weights.get(skill_id, 0.0), 3),
        )
        for skill_id, count in ranked
    ]
