"""Where a gap's skill weights come from (`gap --weights`): each source says what it promises.

On the hand-made catalog the builder's curated weights are python 1.0, ml-basics 0.8 and
serving 0.8; the postings below name serving most and python a third as often.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.engine.weights import weights_from

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_knowledge"
CURATED = {"python": 1.0, "ml-basics": 0.8, "serving": 0.8}


@dataclass(frozen=True)
class Postings:
    """Market figures for one role, as the engine reads them (a plain value, not a stub)."""

    source: str
    sample_size: int
    weights: Mapping[str, float]


MARKET = Postings("job boards", 120, {"serving": 0.9, "python": 0.3})
MINE = Postings("your saved postings", 4, {"ml-basics": 2.0})


@pytest.fixture(scope="module")
def mini() -> Catalog:
    return load_catalog(MINI, builtin=False)


def test_curated_weights_ignore_the_postings_even_when_there_are_some(mini: Catalog) -> None:
    weights = weights_from(mini.roles["builder"], "curated", MARKET, MINE)
    assert weights.blended == CURATED
    assert weights.market is None and weights.market_source is None


def test_market_weights_follow_the_postings_alone(mini: Catalog) -> None:
    """The most-named skill weighs 1, the others their share of it, and a skill the postings
    never name weighs nothing, whatever we curated."""
    weights = weights_from(mini.roles["builder"], "market", MARKET, MINE)
    assert weights.blended == pytest.approx({"serving": 1.0, "python": 1 / 3, "ml-basics": 0.0})
    assert (weights.market_source, weights.market_sample_size) == ("job boards", 120)
    assert weights.curated == CURATED


def test_my_weights_follow_the_postings_the_person_saved(mini: Catalog) -> None:
    weights = weights_from(mini.roles["builder"], "mine", MARKET, MINE)
    assert weights.blended == pytest.approx({"ml-basics": 1.0, "python": 0.0, "serving": 0.0})
    assert weights.market_source == "your saved postings"


def test_the_default_blend_gives_the_market_and_our_curation_half_each(mini: Catalog) -> None:
    weights = weights_from(mini.roles["builder"], "blend", MARKET, MINE)
    assert weights.blended == pytest.approx(
        {"python": (1.0 + 1 / 3) / 2, "ml-basics": 0.8 / 2, "serving": (0.8 + 1.0) / 2}
    )
    assert weights.market_source == "job boards"


@pytest.mark.parametrize("source", ["blend", "market", "mine"])
def test_a_source_without_postings_falls_back_to_the_curated_weights(
    mini: Catalog, source: str
) -> None:
    weights = weights_from(mini.roles["builder"], source, None, None)  # type: ignore[arg-type]
    assert weights.blended == CURATED
    assert weights.market is None
