"""assess -> fit -> gap -> reach, run as a new user would, on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "examples" / "profiles" / "backend-python.yaml"


def test_fit_without_a_profile_says_how_to_make_one(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("fit")
    assert result.returncode == 1
    assert "you have no profile yet" in result.stderr and "mlpivot assess" in result.stderr


def test_assess_from_a_file_stores_the_profile_and_fit_uses_it(cli) -> None:  # type: ignore[no-untyped-def]
    stored = cli("assess", "--profile", str(BACKEND), "--json")
    assert stored.returncode == 0, stored.stderr
    assert json.loads(stored.stdout)["version"] == 1
    again = json.loads(cli("assess", "--profile", str(BACKEND), "--json").stdout)
    assert again["version"] == 2
    report = json.loads(cli("fit", "--json").stdout)
    fits = report["fits"]
    assert len(fits) == 7
    assert fits == sorted(fits, key=lambda f: -f["score"])
    top = fits[0]
    assert 0 <= top["score"] <= 1 and set(top["parts"]) == {
        "skill_coverage",
        "interest_alignment",
        "experience_and_route",
    }
    assert top["explanation"].startswith("You cover ")
    assert top["separation"]
    assert report["what_you_bring"], "a backend engineer brings something"


def test_fit_prints_a_readable_table(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("fit", "--profile", str(BACKEND))
    assert result.returncode == 0, result.stderr
    assert "Roles by fit" in result.stdout and "What you already bring" in result.stdout


def test_gap_lists_skills_in_prerequisite_order_with_hours(cli, catalog) -> None:  # type: ignore[no-untyped-def]
    result = cli("gap", "--role", "ml-engineer", "--profile", str(BACKEND), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    order = report["order"]
    for position, skill_id in enumerate(order):
        for pre in catalog.graph.ancestors[skill_id]:
            if pre in order:
                assert order.index(pre) < position, (pre, skill_id)
    assert 1 <= len(report["specialisms"]) <= 3
    assert report["projects"]


def test_reach_by_a_date_and_best_hours(cli) -> None:  # type: ignore[no-untyped-def]
    by = cli(
        "reach", "--by", "2027-09-01", "--today", "2026-11-23", "--profile", str(BACKEND), "--json"
    )
    assert by.returncode == 0, by.stderr
    roles = json.loads(by.stdout)["roles"]
    weeks = json.loads(by.stdout)["weeks_available"]
    assert all(r["reachable"] == (r["weeks_to_ready"] <= weeks) for r in roles)
    bad = cli("reach", "--by", "someday", "--profile", str(BACKEND))
    assert bad.returncode == 1 and "is not a date" in bad.stderr


def test_a_broken_profile_file_is_named_with_the_problem(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "me.yaml"
    bad.write_text("hours_per_week: lots\nskills: {pyhton: 2}\n", encoding="utf-8")
    result = cli("fit", "--profile", str(bad))
    assert result.returncode == 1
    assert str(bad) in result.stderr and "pyhton" in result.stderr
    assert "Traceback" not in result.stderr


def test_reach_hours_picks_an_exact_set_within_budget_that_respects_prerequisites(
    cli, catalog
) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "reach", "--hours", "120", "--role", "ml-engineer", "--profile", str(BACKEND), "--json"
    )
    assert result.returncode == 0, result.stderr
    choice = json.loads(result.stdout)
    assert choice["hours"] <= 120 and choice["status"] == "optimal"
    assert choice["value"] >= choice["greedy_value"]
    chosen = [item["skill_id"] for item in choice["items"]]
    assert chosen
    gap = json.loads(
        cli("gap", "--role", "ml-engineer", "--profile", str(BACKEND), "--json").stdout
    )
    in_gap = set(gap["order"])
    for skill_id in chosen:
        for pre in catalog.graph.prerequisites(skill_id):
            if pre in in_gap:
                assert pre in chosen, (pre, skill_id)


def test_fit_draws_coverage_by_category_when_asked(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chart = tmp_path / "coverage.svg"
    result = cli("fit", "--profile", str(BACKEND), "--plot", str(chart))
    assert result.returncode == 0, result.stderr
    svg = chart.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "ML Engineer" in svg
    bad = cli("fit", "--profile", str(BACKEND), "--plot", str(tmp_path / "coverage.gif"))
    assert bad.returncode == 1 and "written as .png or .svg" in bad.stderr
