"""How much each skill matters for a role: curated, market, and the blend the fit uses.

Market weights are shares of real postings naming a skill, scaled so the most-named skill is 1;
where no source covers a role there are none, and the blend is the curated weight alone.
Where there are, the blend gives the market `MARKET_SHARE` of each skill's weight and the
curated weight the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from mlpivot.catalog.models import Role

MARKET_SHARE = 0.5
"""The market's share of a blended skill weight where market data covers the role."""


class MarketSignal(Protocol):
    """What the engine needs from market figures for one role."""

    @property
    def source(self) -> str: ...

    @property
    def sample_size(self) -> int: ...

    @property
    def weights(self) -> Mapping[str, float]: ...


@dataclass(frozen=True)
class SkillWeights:
    curated: dict[str, float]
    market: dict[str, float] | None
    blended: dict[str, float]
    market_source: str | None
    market_sample_size: int | None


def skill_weights(
    role: Role, market: MarketSignal | None, market_share: float = MARKET_SHARE
) -> SkillWeights:
    curated = {n.skill: n.weight for n in role.skills}
    top = max(market.weights.values(), default=0.0) if market is not None else 0.0
    if market is None or top <= 0:
        return SkillWeights(curated, None, dict(curated), None, None)
    scaled = {k: v / top for k, v in market.weights.items()}
    blended = {
        k: (1 - market_share) * w + market_share * scaled.get(k, 0.0) for k, w in curated.items()
    }
    return SkillWeights(curated, scaled, blended, market.source, market.sample_size)


WeightSource = Literal["blend", "curated", "market", "mine"]
"""Where a gap's skill weights come from: the default blend, our curated list alone, the
market's postings alone, or the postings the person saved (their own demand)."""


def weights_from(
    role: Role,
    source: WeightSource,
    market: MarketSignal | None,
    mine: MarketSignal | None = None,
) -> SkillWeights:
    """The weights for one source; a source with no data falls back to the curated weights.

    `mine` and `market` alone give the signal its whole share, so a skill the signal never
    names weighs nothing and drops to the end of the gap: the order follows the counts.
    """
    if source == "curated":
        return skill_weights(role, None)
    if source == "market":
        return skill_weights(role, market, market_share=1.0)
    if source == "mine":
        return skill_weights(role, mine, market_share=1.0)
    return skill_weights(role, market)
