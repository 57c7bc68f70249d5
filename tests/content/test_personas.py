"""Persona profiles against the role rankings a career adviser wrote for them beforehand.

The expectations (tests/data/personas/expectations.yaml) were written before the scoring was
tuned, by someone who had not seen the scoring code; they change only with a stated reason.
Every persona's best role must be one the adviser named, with no exception. Where the product
still disagrees (a role out of the top three, an estimate over the adviser's weeks), the
ratchet (tests/data/personas/ratchet.yaml) records by how much: drifting further fails, moving
closer passes with a warning to lower the figure.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlpivot.bootstrap import build_services
from mlpivot.catalog import Catalog
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.profile import profile_from_data

REPO = Path(__file__).resolve().parents[2]
EXPECTATIONS = yaml.safe_load(
    (REPO / "tests" / "data" / "personas" / "expectations.yaml").read_text(encoding="utf-8")
)["personas"]
MARKET = build_services().market_signals


RATCHET = yaml.safe_load(
    (REPO / "tests" / "data" / "personas" / "ratchet.yaml").read_text(encoding="utf-8")
)["personas"]
"""Where the product and the adviser still disagree, and by how much at most (see the file)."""

CASES = [pytest.param(case, id=str(case["profile"])) for case in EXPECTATIONS]


class RatchetCanTighten(UserWarning):
    """A persona moved closer to the adviser: lower its figure in ratchet.yaml."""


def _fits(catalog: Catalog, case: dict[str, Any]) -> list[Any]:
    path = REPO / "examples" / "profiles" / case["profile"]
    profile = profile_from_data(yaml.safe_load(path.read_text(encoding="utf-8")), catalog)
    return rank_roles(profile, catalog, MARKET)


def ranking_distance(ranking: list[str], case: dict[str, Any]) -> int:
    """Rank places by which the ranking misses the adviser's rules (0 when it keeps them all)."""
    place = {role_id: i for i, role_id in enumerate(ranking)}
    best = min(place[r] for r in case["top1_any_of"])
    must = sum(max(0, place[r] - 2) for r in case.get("top3_must_include", []))
    never = sum(max(0, 3 - place[r]) for r in case.get("not_top3", []))
    return best + must + never


def _check_ratchet(what: str, now: float, recorded: float) -> None:
    assert now <= recorded, (
        f"{what} drifted further from the adviser: {now:g}, the ratchet allows {recorded:g}"
    )
    if now < recorded:
        warnings.warn(
            RatchetCanTighten(f"{what} is now {now:g}: lower it from {recorded:g} in ratchet.yaml"),
            stacklevel=2,
        )


@pytest.mark.parametrize("case", CASES)
def test_persona_best_role_is_one_the_adviser_named(catalog: Catalog, case: dict[str, Any]) -> None:
    ranking = [f.role_id for f in _fits(catalog, case)]
    assert ranking[0] in case["top1_any_of"], f"ranking {ranking}; adviser: {case['why']}"


@pytest.mark.parametrize("case", CASES)
def test_persona_ranking_is_no_further_from_the_adviser_than_the_ratchet(
    catalog: Catalog, case: dict[str, Any]
) -> None:
    ranking = [f.role_id for f in _fits(catalog, case)]
    distance = ranking_distance(ranking, case)
    _check_ratchet(
        f"{case['profile']} ranking {ranking[:4]}", distance, RATCHET[case["profile"]]["ranking"]
    )


@pytest.mark.parametrize("case", CASES)
def test_persona_weeks_to_ready_is_no_further_from_the_adviser_than_the_ratchet(
    catalog: Catalog, case: dict[str, Any]
) -> None:
    """Weeks over the adviser's bound where there is one; else the estimate may only shrink."""
    weeks = {f.role_id: f.weeks_to_ready for f in _fits(catalog, case)}
    recorded = RATCHET[case["profile"]]
    bounds = case.get("weeks_to_ready_max") or {}
    assert set(recorded.get("weeks_over", {})) == set(bounds), "ratchet.yaml: weeks_over"
    assert recorded.get("weeks_over") or recorded.get("weeks"), "ratchet.yaml: no weeks figure"
    for role_id, most in bounds.items():
        over = round(max(0.0, weeks[role_id] - most), 1)
        _check_ratchet(
            f"{case['profile']} {role_id} weeks over {most}", over, recorded["weeks_over"][role_id]
        )
    for role_id, estimate in recorded.get("weeks", {}).items():
        _check_ratchet(f"{case['profile']} {role_id} weeks", weeks[role_id], estimate)


def test_the_ratchet_covers_every_persona_and_the_roles_the_adviser_put_first() -> None:
    assert set(RATCHET) == {case["profile"] for case in EXPECTATIONS}
    for case in EXPECTATIONS:
        recorded = RATCHET[case["profile"]]
        covered = set(recorded.get("weeks_over", {})) | set(recorded.get("weeks", {}))
        assert set(case["top1_any_of"]) <= covered, case["profile"]


def test_ranking_distance_counts_the_places_each_rule_misses_by() -> None:
    case = {"top1_any_of": ["a"], "top3_must_include": ["a", "d"], "not_top3": ["b"]}
    assert ranking_distance(["a", "c", "d", "b"], case) == 0
    assert ranking_distance(["b", "a", "c", "e", "d"], case) == 1 + 2 + 3


def test_example_profiles_all_load(catalog: Catalog) -> None:
    files = sorted((REPO / "examples" / "profiles").glob("*.yaml"))
    assert len(files) >= 8
    for path in files:
        profile_from_data(yaml.safe_load(path.read_text(encoding="utf-8")), catalog, str(path))
