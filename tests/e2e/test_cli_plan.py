"""plan -> progress log -> progress -> plan --replan, as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "examples" / "profiles" / "backend-python.yaml"


def test_plan_progress_and_replan_keep_history_and_done_work(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("assess", "--profile", str(BACKEND)).returncode == 0
    made = cli(
        "plan",
        "--role",
        "ml-engineer",
        "--start",
        "2027-01-04",
        "--unavailable",
        "2027-04-12..2027-04-18",
        "--unavailable",
        "2027-05-05",
        "--save",
        "--json",
    )
    assert made.returncode == 0, made.stderr
    first = json.loads(made.stdout)
    assert first["version"] == 1
    plan = first["plan"]
    holiday = next(w for w in plan["weeks"] if w["start"] == "2027-04-12")
    assert holiday["available"] is False and holiday["blocks"] == []
    one_day_off = next(w for w in plan["weeks"] if w["start"] == "2027-05-03")
    assert one_day_off["available"] and 0 < one_day_off["hours_budget"] < plan["hours_per_week"]
    first_skill = plan["weeks"][0]["blocks"][0]["ref_id"]

    logged = cli("progress", "log", first_skill, "--hours", "6", "--done", "--on", "2027-01-08")
    assert logged.returncode == 0, logged.stderr
    status = json.loads(cli("progress", "--today", "2027-01-10", "--json").stdout)
    assert status["hours_logged"] == 6 and status["done_skills"] == [first_skill]
    assert status["streak_weeks"] == 1

    again = cli(
        "plan", "--role", "ml-engineer", "--replan", "--today", "2027-01-11", "--save", "--json"
    )
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["version"] == 2
    refs = {b["ref_id"] for w in second["plan"]["weeks"] for b in w["blocks"]}
    assert first_skill not in refs
    assert second["changes"]["finish_after"] == second["plan"]["finish"]
    assert first_skill not in second["changes"]["dropped"]


def test_progress_log_names_an_unknown_skill(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("progress", "log", "probabilty", "--hours", "2")
    assert result.returncode == 1 and "there is no skill 'probabilty'" in result.stderr


def test_replan_without_a_plan_is_a_plain_error(cli) -> None:  # type: ignore[no-untyped-def]
    cli("assess", "--profile", str(BACKEND))
    result = cli("plan", "--role", "data-scientist", "--replan")
    assert result.returncode == 1 and "no saved plan for data-scientist" in result.stderr


def test_export_delete_and_import_data_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("assess", "--profile", str(BACKEND))
    cli("progress", "log", "probability", "--hours", "2")
    out = tmp_path / "mine.json"
    assert cli("export", "data", "--out", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["profile"] is not None
    assert cli("delete-account", "--yes").returncode == 0
    assert "you have no profile yet" in cli("fit").stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    bad = cli("import", "data", str(broken), "--yes")
    assert bad.returncode == 1 and "not valid JSON" in bad.stderr
    assert cli("import", "data", str(out), "--yes").returncode == 0
    assert cli("fit", "--json").returncode == 0
