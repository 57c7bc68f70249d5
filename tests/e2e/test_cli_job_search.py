"""Saved postings, `gap --weights mine` and the application tracker, run as a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import icalendar

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"
PROFILE = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "backend-python.yaml"
PASTED = """Machine Learning Engineer
Northwind Analytics · London, UK

Requirements:
- Python and PyTorch
- Kubernetes and Docker for serving models in production

Salary: £70,000 - £90,000 per year
"""


def test_saved_postings_count_skills_state_pay_and_weigh_the_gap(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("mle-01.md", "mle-02.txt", "mle-03.html"):
        done = cli("posting", "save", str(POSTINGS / name))
        assert done.returncode == 0, done.stderr
        assert "Saved" in done.stdout
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}
    env.pop("DATABASE_URL", None)
    pasted = subprocess.run(
        [sys.executable, "-m", "mlpivot", "posting", "save", "-", "--json"],
        input=PASTED,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert pasted.returncode == 0, pasted.stderr
    saved = json.loads(pasted.stdout)
    assert (saved["salary_min"], saved["salary_max"], saved["salary_currency"]) == (
        70000.0,
        90000.0,
        "GBP",
    )
    assert saved["country"] == "GB" and saved["role_id"] == "ml-engineer"
    listing = json.loads(
        cli("posting", "list", "--role", "ml-engineer", "--top", "100", "--json").stdout
    )
    demand = listing["demand"]
    assert demand["sample_size"] == sum(p["role_id"] == "ml-engineer" for p in listing["postings"])
    kubernetes = next(s for s in demand["skills"] if s["skill_id"] == "kubernetes")
    named = sum(
        "kubernetes" in p["skill_ids"] for p in listing["postings"] if p["role_id"] == "ml-engineer"
    )
    assert kubernetes["yours"] == named >= 1
    assert kubernetes["market_share"] is not None
    gbp = next(p for p in listing["postings"] if p["public_id"] == saved["public_id"])
    # a London posting in pounds is set against UK figures in pounds, never a US median
    assert "same country" in gbp["pay"] and "GBP" in gbp["pay"].split(":", 1)[1]
    assert "USD" not in gbp["pay"]
    text = cli("posting", "list").stdout
    assert f"In the {demand['sample_size']} postings you saved for ML Engineer" in text

    def order(weights: str) -> list[str]:
        done = cli(
            "gap",
            "--role",
            "ml-engineer",
            "--profile",
            str(PROFILE),
            "--weights",
            weights,
            "--json",
        )
        assert done.returncode == 0, done.stderr
        return list(json.loads(done.stdout)["order"])

    mine, curated = order("mine"), order("curated")
    assert sorted(mine) == sorted(curated) and mine != curated
    unnamed = [s for s in mine if not any(s in p["skill_ids"] for p in listing["postings"])]
    assert mine.index("kubernetes") < max(mine.index(s) for s in unnamed)
    none = cli("gap", "--role", "data-engineer", "--weights", "mine", "--profile", str(PROFILE))
    assert none.returncode == 1
    assert "none of your 4 saved postings is for data-engineer" in none.stderr


def test_application_tracker_moves_reminds_advises_and_exports(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def add(*args: str) -> str:
        done = cli("apply", "add", *args, "--json")
        assert done.returncode == 0, done.stderr
        return str(json.loads(done.stdout)["public_id"])

    first = add(
        "--company",
        "Acme",
        "--title",
        "ML Engineer",
        "--role",
        "ml-engineer",
        "--on",
        "2027-03-01",
        "--resume-version",
        "v2",
        "--contact",
        "Ana (recruiter)",
    )
    moved = cli(
        "apply", "move", first, "screen", "--on", "2027-03-05", "--interview-on", "2027-03-12"
    )
    assert moved.returncode == 0, moved.stderr
    back = cli("apply", "move", first, "applied", "--on", "2027-03-06")
    assert back.returncode == 1
    assert "cannot move to 'applied'" in back.stderr
    for company in ("B", "C", "D"):
        other = add(
            "--company",
            company,
            "--title",
            "Data Scientist",
            "--role",
            "data-scientist",
            "--on",
            "2027-02-01",
            "--resume-version",
            "v1",
        )
        assert cli("apply", "move", other, "rejected", "--on", "2027-02-20").returncode == 0
    quiet = add("--company", "Quiet", "--title", "MLE", "--on", "2027-02-01")

    listing = json.loads(cli("apply", "list", "--today", "2027-03-08", "--json").stdout)
    kinds = {(r["public_id"], r["kind"]) for r in listing["reminders"]}
    assert kinds == {(first, "interview"), (quiet, "stale")}
    assert listing["advice"]["id"] == "handling-rejections"
    by_resume = {
        r["key"]: (r["responded"], r["applied"]) for r in listing["response"]["by_resume_version"]
    }
    assert by_resume["v2"] == (1, 1) and by_resume["v1"] == (0, 3)
    text = cli("apply", "list", "--today", "2027-03-08").stdout
    assert "Getting rejected" in text and "v1 0/3 (0%)" in text

    shown = json.loads(cli("apply", "show", first, "--json").stdout)
    assert [e["stage"] for e in shown["history"]] == ["applied", "screen"]
    assert shown["contacts"] == ["Ana (recruiter)"]

    ics = tmp_path / "apps.ics"
    assert (
        cli(
            "apply", "export", "--format", "ics", "--out", str(ics), "--today", "2027-03-08"
        ).returncode
        == 0
    )
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    starts = {str(e["summary"]).split(":")[0]: e.decoded("dtstart").isoformat() for e in events}
    mocks = sorted(v for k, v in starts.items() if k.startswith("Mock interview"))
    starts = {k: v for k, v in starts.items() if not k.startswith("Mock interview")}
    assert starts == {"Interview (screen)": "2027-03-12", "Follow up": "2027-03-08"}
    assert mocks and all("2027-03-08" <= day < "2027-03-12" for day in mocks)

    out = tmp_path / "mine.json"
    assert cli("export", "data", "--out", str(out)).returncode == 0
    assert len(json.loads(out.read_text())["applications"]) == 5
    assert cli("delete-account", "--yes").returncode == 0
    assert json.loads(cli("apply", "list", "--json").stdout)["applications"] == []
    assert cli("import", "data", str(out), "--yes").returncode == 0
    assert len(json.loads(cli("apply", "list", "--json").stdout)["applications"]) == 5


CHOICE = """Machine Learning Engineer

Requirements:
- Python, Docker and Kubernetes
- PyTorch or TensorFlow for deep learning
"""


def test_a_saved_choice_is_one_requirement_in_the_gap_weights(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A person who already has TensorFlow is not sent to learn PyTorch by a posting that asks
    for either."""
    posting = tmp_path / "choice.txt"
    posting.write_text(CHOICE, encoding="utf-8")
    saved = json.loads(cli("posting", "save", str(posting), "--json").stdout)
    assert ["pytorch", "tensorflow"] in [sorted(c) for c in saved["choices"]]
    profile = tmp_path / "tf.yaml"
    profile.write_text(
        PROFILE.read_text(encoding="utf-8").replace("skills:", "skills:\n  tensorflow: 2", 1),
        encoding="utf-8",
    )

    def importance(path: Path) -> dict[str, float]:
        done = cli("gap", "--role", "ml-engineer", "--profile", str(path), "--weights", "mine")
        assert done.returncode == 0, done.stderr
        args = ("gap", "--role", "ml-engineer", "--profile", str(path), "--weights", "mine")
        report = json.loads(cli(*args, "--json").stdout)
        return {i["skill_id"]: i["importance"] for i in report["items"]}

    without = importance(PROFILE)
    assert without["pytorch"] == 0.5 * without["kubernetes"] > 0
    with_tensorflow = importance(profile)
    assert with_tensorflow["pytorch"] == 0.0
    assert with_tensorflow["kubernetes"] == without["kubernetes"]


def test_a_booked_interview_brings_mock_interviews_before_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    added = cli("apply", "add", "--company", "Acme", "--title", "ML Engineer", "--role",
                "ml-engineer", "--on", "2027-03-01", "--json")  # fmt: skip
    assert added.returncode == 0, added.stderr
    app_id = json.loads(added.stdout)["public_id"]
    moved = cli("apply", "move", app_id, "technical", "--on", "2027-03-05",
                "--interview-on", "2027-03-20")  # fmt: skip
    assert moved.returncode == 0, moved.stderr

    def practice(today: str) -> list[dict[str, object]]:
        listed = cli("apply", "list", "--today", today, "--json")
        assert listed.returncode == 0, listed.stderr
        return list(json.loads(listed.stdout)["practice"])

    ahead = practice("2027-03-06")
    assert ahead and all(p["on"] < "2027-03-20" for p in ahead)
    assert not any(p["done"] for p in ahead)
    # the followed learning plan's progress shows them too
    assert cli("assess", "--profile", str(PROFILE)).returncode == 0
    assert cli("plan", "--role", "ml-engineer", "--start", "2027-03-01", "--save").returncode == 0
    progress = cli("progress", "--today", "2027-03-06", "--json")
    assert progress.returncode == 0, progress.stderr
    shown = json.loads(progress.stdout)["interview_practice"]
    assert [p["on"] for p in shown] == [p["on"] for p in ahead]
    assert "Before your interviews" in cli("progress", "--today", "2027-03-06").stdout
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(["A two-tower model with a feature store."]), encoding="utf-8")
    mock = cli("interview", "--role", "ml-engineer", "--minutes", "45", "--answers", str(answers),
               "--now", "2027-03-11", "--json")  # fmt: skip
    assert mock.returncode == 0, mock.stderr
    after = practice("2027-03-12")
    assert sum(bool(p["done"]) for p in after) == 1
    calendar = tmp_path / "apps.ics"
    exported = cli("apply", "export", "--format", "ics", "--out", str(calendar),
                   "--today", "2027-03-12")  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    events = icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    mocks = [e for e in events if "mock-interview" in str(e.get("categories").to_ical())]
    assert len(mocks) == sum(not p["done"] for p in after) >= 1
    assert all("mlpivot interview --role ml-engineer" in str(e["description"]) for e in mocks)
