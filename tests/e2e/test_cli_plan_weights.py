"""`plan --weights mine`: saved postings re-order the plan, and a re-plan keeps that order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"
PROFILE = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "backend-python.yaml"


def _skill_order(plan: dict[str, Any]) -> list[str]:
    """Skills in the order the plan first schedules them."""
    seen: list[str] = []
    for week in plan["weeks"]:
        for block in week["blocks"]:
            if block["kind"] == "skill" and block["ref_id"] not in seen:
                seen.append(block["ref_id"])
    return seen


def _mean_rank(order: list[str], skills: set[str]) -> float:
    ranks = [i for i, s in enumerate(order) if s in skills]
    return sum(ranks) / len(ranks)


def test_saved_postings_pull_the_skills_they_name_forward_in_the_plan(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("assess", "--profile", str(PROFILE)).returncode == 0
    for name in ("mle-01.md", "mle-02.txt", "mle-03.html"):
        assert cli("posting", "save", str(POSTINGS / name)).returncode == 0
    listing = json.loads(cli("posting", "list", "--role", "ml-engineer", "--json").stdout)
    named = {s for p in listing["postings"] for s in p["skill_ids"]}

    def plan(weights: str, *extra: str) -> dict[str, Any]:
        done = cli(
            "plan",
            "--role",
            "ml-engineer",
            "--start",
            "2027-01-04",
            "--weights",
            weights,
            "--json",
            *extra,
        )
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    mine, curated = plan("mine", "--save"), plan("curated")
    assert mine["plan"]["weights_source"] == "mine"
    order_mine, order_curated = _skill_order(mine["plan"]), _skill_order(curated["plan"])
    assert sorted(order_mine) == sorted(order_curated), "the same skills, in another order"
    in_plan = named & set(order_mine)
    assert in_plan and set(order_mine) - named
    assert _mean_rank(order_mine, in_plan) < _mean_rank(order_curated, in_plan)

    replanned = cli("plan", "--replan", "--today", "2027-02-01", "--json")
    assert replanned.returncode == 0, replanned.stderr
    assert json.loads(replanned.stdout)["plan"]["weights_source"] == "mine"
    switched = cli("plan", "--replan", "--weights", "market")
    assert switched.returncode == 1
    assert "ordered by mine weights" in switched.stderr


def test_plan_weights_mine_without_saved_postings_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("assess", "--profile", str(PROFILE)).returncode == 0
    done = cli("plan", "--role", "data-engineer", "--weights", "mine")
    assert done.returncode == 1
    assert "none of your 0 saved postings is for data-engineer" in done.stderr
    wrong = cli("plan", "--role", "data-engineer", "--weights", "friends")
    assert wrong.returncode == 2
    assert "not one of mine, market, curated" in wrong.stderr
