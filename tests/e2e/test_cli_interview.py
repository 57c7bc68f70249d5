"""`mlpivot interview`: at a real terminal (a pseudo-terminal), and from an answers file.

At the terminal each answer is typed only once its question is on the screen (pexpect waits
for the text), so nothing depends on how fast a busy machine draws the screen.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect

from cli_process import run_cli
from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog
from mlpivot.config import Settings
from mlpivot.store.repositories import Interviews, Plans

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "examples" / "profiles" / "backend-python.yaml"
PATIENCE_S = 120
"""How long to wait for one prompt before calling the command stuck (not a speed check)."""
LOOP = ("interview", "--role", "ml-engineer", "--minutes", "45", "--seed", "5")


def _loop(data_dir: Path) -> list[dict[str, object]]:
    shown = run_cli(*LOOP, "--show", "--json", data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    return [q for r in json.loads(shown.stdout)["rounds"] for q in r["questions"]]


def _stored(data_dir: Path) -> tuple[list[object], int]:
    services = Services(Settings(data_dir=data_dir))
    with services.local() as (session, user):
        found = Interviews(session, user).all()
        plans = len(Plans(session, user).history())
    services.close()
    return list(found), plans


def test_an_interview_at_a_terminal_gives_feedback_and_adds_revision_to_the_plan(
    tmp_path: Path, catalog: Catalog
) -> None:
    assert run_cli("assess", "--profile", str(BACKEND), data_dir=tmp_path).returncode == 0
    saved = run_cli("plan", "--role", "ml-engineer", "--save", data_dir=tmp_path)
    assert saved.returncode == 0, saved.stderr
    questions = _loop(tmp_path)
    first = catalog.question_bank[str(questions[0]["question_id"])]
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(tmp_path), "TERM": "xterm", "COLUMNS": "400"}
    env.pop("DATABASE_URL", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mlpivot", *LOOP, "--now", "2027-03-01T18:00"],
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(50, 400),
        timeout=PATIENCE_S,
    )
    try:
        child.expect_exact(str(questions[0]["question"]))
        for sentence in first.reference.split(". "):
            child.sendline(sentence)
        child.sendline(".")
        child.expect(r"Score (\d\.\d) of 5; took ")
        good = float(child.match.group(1))
        child.expect_exact("Model answer: ")
        child.expect_exact(str(questions[1]["question"]))
        child.sendline("I am not sure, I never did this.")
        child.sendline(".")
        child.expect(r"Score (\d\.\d) of 5; took ")
        weak = float(child.match.group(1))
        child.expect_exact("- missed: ")
        child.expect_exact("Study next: ")
        child.expect_exact(str(questions[2]["question"]))
        child.sendline("q")
        child.expect_exact("2 of 4 answered")
        child.expect_exact("Add these skills to your followed plan? (y/n)")
        child.sendline("y")
        child.expect_exact("Added revision of")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert good > weak
    (mock,), plans = _stored(tmp_path)
    assert plans == 2  # the revision is a new version of the followed plan
    assert [a.feedback.question_id for a in mock.answers] == [  # type: ignore[attr-defined]
        questions[0]["question_id"],
        questions[1]["question_id"],
    ]
    assert mock.finished_at is not None  # type: ignore[attr-defined]


def test_answers_from_a_file_are_graded_stored_and_listed(tmp_path: Path) -> None:
    questions = _loop(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps([{"answer": "A feature store and a ranking model.", "seconds": 700}, ""]),
        encoding="utf-8",
    )
    done = run_cli(*LOOP, "--answers", str(answers), "--now", "2027-03-01", "--json",
                   data_dir=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    first, second = result["answers"]
    assert first["question_id"] == questions[0]["question_id"]
    assert first["seconds"] == 700 and first["over_time"] is True
    assert second["score_5"] == 0 and second["missed"] and second["study_next"]
    assert result["plan"] is None
    listed = run_cli("interview", "list", "--json", data_dir=tmp_path)
    (row,) = json.loads(listed.stdout)
    assert row["interview_id"] == result["interview_id"] and row["answers"] == 2
    shown = run_cli("interview", "show", row["interview_id"], data_dir=tmp_path)
    assert "Model answer:" in shown.stdout and "A feature store" in shown.stdout
    again = run_cli(*LOOP, "--show", "--json", data_dir=tmp_path)
    asked = {q["question_id"] for q in questions[:2]}
    now_asked = {
        q["question_id"] for r in json.loads(again.stdout)["rounds"] for q in r["questions"]
    }
    assert not asked & now_asked  # what was asked comes last next time


def test_a_bad_answers_file_or_role_is_one_plain_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"answer": 3}]', encoding="utf-8")
    done = run_cli(*LOOP, "--answers", str(bad), data_dir=tmp_path)
    assert done.returncode == 1 and "answer 1: give a string" in done.stderr
    assert "Traceback" not in done.stderr
    assert _stored(tmp_path)[0] == []
    unknown = run_cli("interview", "--role", "astronaut", data_dir=tmp_path)
    assert unknown.returncode == 1 and "astronaut" in unknown.stderr
