"""`mlpivot summary --week` as a person uses it: their week, and a lighter plan when behind."""

from __future__ import annotations

import json
from pathlib import Path

from cli_process import run_cli

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "examples" / "profiles" / "backend-python.yaml"


def test_the_week_is_summed_up_and_a_lighter_plan_is_offered_then_taken(tmp_path: Path) -> None:
    def cli(*args: str) -> str:
        done = run_cli(*args, data_dir=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("assess", "--profile", str(BACKEND))
    cli("plan", "--role", "ml-engineer", "--save", "--start", "2027-03-01")
    cli("progress", "log", "probability", "--hours", "2", "--on", "2027-03-02")
    cli("progress", "log", "probability", "--hours", "1", "--on", "2027-03-03")
    text = cli("summary", "--week", "--today", "2027-03-03")
    assert "Week of 2027-03-01 to 2027-03-07" in text
    assert "Hours: 3 of " in text and "Streak: 2 days in a row (longest 2)" in text
    assert "Next week: " in text and "lighter plan" not in text
    late = json.loads(cli("summary", "--today", "2027-04-12", "--json"))
    assert late["summary"]["hours_logged"] == 0 and late["summary"]["streak_days"] == 0
    offer = late["lighter_plan"]
    assert offer["behind_weeks"] >= 3 and offer["saved"] is False
    first = late["guidance"][0]
    assert first["advice_id"] == "time-and-burnout" and first["reason"] == offer["reason"]
    assert first["actions"]
    text = cli("summary", "--today", "2027-04-12")
    assert "weeks behind your plan" in text and "--take-lighter-plan" in text
    taken = cli("summary", "--today", "2027-04-12", "--take-lighter-plan")
    assert f"Saved and following a lighter plan at {offer['hours_per_week']:g} h a week" in taken
    plans = json.loads(cli("plan", "list", "--json"))["plans"]
    assert [(p["version"], p["followed"]) for p in plans] == [(1, False), (2, True)]
    after = json.loads(cli("summary", "--today", "2027-04-12", "--json"))
    assert after["lighter_plan"] is None  # the new plan starts today: nobody is behind on day one


def test_taking_a_lighter_plan_when_on_plan_is_one_plain_sentence(tmp_path: Path) -> None:
    done = run_cli("summary", "--take-lighter-plan", "--today", "2027-03-01", data_dir=tmp_path)
    assert done.returncode == 1 and "no lighter plan" in done.stderr
    assert "Next: save a plan" not in done.stdout
