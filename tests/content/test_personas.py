"""Persona profiles against the role rankings a career adviser wrote for them beforehand.

The expectations (tests/data/personas/expectations.yaml) were written before the scoring was
tuned, by someone who had not seen the scoring code; they change only with a stated reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mlpivot.catalog import Catalog
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.profile import profile_from_data

REPO = Path(__file__).resolve().parents[2]
EXPECTATIONS = yaml.safe_load(
    (REPO / "tests" / "data" / "personas" / "expectations.yaml").read_text(encoding="utf-8")
)["personas"]


@pytest.mark.parametrize("case", EXPECTATIONS, ids=lambda c: str(c["profile"]))
def test_persona_ranking_matches_the_advisers_expectation(
    catalog: Catalog, case: dict[str, Any]
) -> None:
    path = REPO / "examples" / "profiles" / case["profile"]
    profile = profile_from_data(yaml.safe_load(path.read_text(encoding="utf-8")), catalog)
    fits = rank_roles(profile, catalog)
    ranking = [f.role_id for f in fits]
    top3 = ranking[:3]
    why = f"ranking {ranking}; adviser: {case.get('why', '')}"
    assert ranking[0] in case["top1_any_of"], why
    for role_id in case.get("top3_must_include", []):
        assert role_id in top3, why
    for role_id in case.get("not_top3", []):
        assert role_id not in top3, why
    by_role = {f.role_id: f for f in fits}
    for role_id, most in (case.get("weeks_to_ready_max") or {}).items():
        assert by_role[role_id].weeks_to_ready <= most, (role_id, by_role[role_id].weeks_to_ready)


def test_example_profiles_all_load(catalog: Catalog) -> None:
    files = sorted((REPO / "examples" / "profiles").glob("*.yaml"))
    assert len(files) >= 8
    for path in files:
        profile_from_data(yaml.safe_load(path.read_text(encoding="utf-8")), catalog, str(path))
