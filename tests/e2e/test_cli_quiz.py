"""`mlpivot quiz` as a person uses it, days driven forward with --now (no hidden clock)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from mlpivot.catalog import load_catalog
from mlpivot.catalog.models import QuizQuestion

BANK = Path(__file__).resolve().parents[1] / "data" / "question_bank" / "good"
CATALOG = load_catalog(BANK)


def quiz(data_dir: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MLPIVOT_DATA_DIR": str(data_dir),
        "MLPIVOT_KNOWLEDGE_DIR": str(BANK),
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "mlpivot", *args],
        input=answers,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def listing(data_dir: Path, day: str, *extra: str, kind: str = "mcq") -> dict[str, object]:
    done = quiz(
        data_dir, "quiz", "--skill", "logistic-regression", "--type", kind, "--now", day,
        "--json", *extra,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def session(data_dir: Path, now: str, answers: str, *extra: str) -> str:
    done = quiz(
        data_dir, "quiz", "--skill", "logistic-regression", "--type", "mcq", "--new", "1",
        "--now", now, *extra, answers=answers,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def first_mcq(data_dir: Path) -> tuple[QuizQuestion, str, str]:
    """The mcq a first session asks, its right letter and one wrong letter."""
    first = listing(data_dir, "2027-03-01", "--new", "1")
    (item,) = first["new"]  # type: ignore[misc]
    mcq = CATALOG.question_bank[item["question_id"]]
    right = "ABCD"[mcq.correct_option or 0]
    return mcq, right, next(letter for letter in "ABCD" if letter != right)


def test_a_wrong_letter_shows_why_and_a_card_failed_day_after_day_is_a_leech(
    tmp_path: Path,
) -> None:
    mcq, right, wrong = first_mcq(tmp_path)
    text = session(tmp_path, "2027-03-01", f"{wrong}\n\n")
    chosen, answer = mcq.options["ABCD".index(wrong)], mcq.options["ABCD".index(right)]
    assert f"Not quite: {chosen.why}" in " ".join(text.split())
    assert " ".join(f"The answer is {right}. {answer.text}: {answer.why}".split()) in " ".join(
        text.split()
    )
    mcq_id = mcq.id
    assert "Rating: Again (Enter)" in text
    assert "Done: 0 of 1 right." in text
    assert "Logistic regression: none level, from 1 answer" in text
    # The day's one new question is used up; the failed card is due again within minutes.
    later = listing(tmp_path, "2027-03-01T13:00", "--new", "1")
    assert later["new"] == []
    assert [q["question_id"] for q in later["due"]] == [mcq_id]  # type: ignore[index]
    assert later["done_today"] == {"new": 1, "reviews": 0}
    for day in range(2, 5):
        assert "Not quite" in session(tmp_path, f"2027-03-{day:02d}", f"{wrong}\n\n", "--due")
    assert json.loads(quiz(tmp_path, "quiz", "leeches", "--json").stdout) == []
    assert "a leech" in session(tmp_path, "2027-03-05", f"{wrong}\n\n", "--due")
    (leech,) = json.loads(quiz(tmp_path, "quiz", "leeches", "--json").stdout)
    assert (leech["question_id"], leech["lapses"], leech["reviews"]) == (mcq_id, 4, 5)
    text = quiz(tmp_path, "quiz", "leeches").stdout
    assert f"{mcq_id}: failed 4 times in 5 answers ({', '.join(mcq.skills)})" in text


def test_right_answers_space_the_card_out_further_each_time(tmp_path: Path) -> None:
    mcq, right, _ = first_mcq(tmp_path)
    now, dues = "2027-03-01T09:00", []
    for n in range(4):
        text = session(tmp_path, now, f"{right}\n3\n", *(["--due"] if n else []))
        assert " ".join(f"Right. {mcq.options['ABCD'.index(right)].why}".split()) in " ".join(
            text.split()
        )
        due = datetime.fromisoformat(text.split("(due ", 1)[1][:16])
        dues.append(due)
        now = (due + timedelta(minutes=1)).isoformat()  # the due time is shown to the minute
    gaps = [b - a for a, b in itertools.pairwise(dues)]
    assert gaps == sorted(gaps)
    assert gaps[-1] > timedelta(days=3)
    later = listing(tmp_path, (dues[-1] - timedelta(days=1)).isoformat(), "--due")["later"]
    assert later[0]["due"][:16] == dues[-1].isoformat()[:16]  # type: ignore[index]


def test_own_cards_are_asked_exported_and_deleted_with_the_account(tmp_path: Path) -> None:
    added = quiz(
        tmp_path, "quiz", "add", "What does the C in logistic regression scale?",
        "The inverse of the regularisation strength", "--skill", "Logistic Regression", "--json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    card = json.loads(added.stdout)
    assert card["skills"] == ["logistic-regression"]
    assert card["id"].startswith("mine-what-does-the-c")
    due = listing(tmp_path, "2027-03-01", "--due", kind="short")
    assert [q["question_id"] for q in due["due"]] == [card["id"]]  # type: ignore[index]
    done = quiz(
        tmp_path, "quiz", "--due", "--skill", "logistic-regression", "--now", "2027-03-01",
        answers="inverse of lambda\ny\n4\n",
    )  # fmt: skip
    assert "Reference answer: The inverse of the regularisation strength" in done.stdout
    assert "Rated Easy" in done.stdout
    assert "Logistic regression: familiar level, from 1 answer, 100% likely recalled" in done.stdout
    out = tmp_path / "mine.json"
    assert quiz(tmp_path, "export", "data", "--out", str(out)).returncode == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [c["question"]["id"] for c in exported["cards"]] == [card["id"]]
    assert [(r["question_id"], r["rating"]) for r in exported["reviews"]] == [(card["id"], 4)]
    assert quiz(tmp_path, "delete-account", "--yes").returncode == 0
    assert listing(tmp_path, "2027-03-09", "--due", kind="short")["later"] == []
    assert quiz(tmp_path, "import", "data", str(out), "--yes").returncode == 0
    assert [
        c["question_id"] for c in listing(tmp_path, "2027-03-01", "--due", kind="short")["later"]
    ] == [card["id"]]


def test_input_that_ends_early_stops_the_session_and_keeps_what_was_answered(
    tmp_path: Path,
) -> None:
    _, right, _ = first_mcq(tmp_path)
    text = session(tmp_path, "2027-03-01", f"{right}\n\n", "--new", "2")
    assert "Done: 1 of 1 right." in text
    assert len(listing(tmp_path, "2027-03-01", "--due")["later"]) == 1  # type: ignore[arg-type]


def test_unknown_skill_and_bad_date_are_one_plain_sentence(tmp_path: Path) -> None:
    bad = quiz(tmp_path, "quiz", "--skill", "logistic-regresion", "--json")
    assert bad.returncode == 1
    assert (
        "there is no skill 'logistic-regresion'; did you mean 'logistic-regression'" in bad.stderr
    )
    when = quiz(tmp_path, "quiz", "--now", "yesterday")
    assert when.returncode == 1
    assert "--now 'yesterday' is not a date" in when.stderr


def test_missed_answers_lower_a_claimed_level_and_the_profile_keeps_why(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text("hours_per_week: 8\nskills:\n  logistic-regression: 3\n", encoding="utf-8")
    assert quiz(tmp_path, "assess", "--profile", str(profile)).returncode == 0
    _, _, wrong = first_mcq(tmp_path)
    texts = [session(tmp_path, "2027-03-01", f"{wrong}\n\n")]
    texts += [session(tmp_path, f"2027-03-0{day}", f"{wrong}\n\n", "--due") for day in (2, 3)]
    assert not any("moves from" in t for t in texts[:2])
    assert "Your level in Logistic regression moves from strong to none" in texts[2]
    out = tmp_path / "export.json"
    assert quiz(tmp_path, "export", "data", "--out", str(out)).returncode == 0
    evidence = json.loads(out.read_text(encoding="utf-8"))["profile"]["data"]["skills"]
    (claim, tested) = evidence["logistic-regression"]
    assert claim["level"] == 3 and tested["source"] == "quiz"
    assert (tested["level"], tested["answers"], tested["correct"]) == (0, 3, 0)


def test_daily_limits_are_saved_per_person_and_a_flag_overrides_them_once(
    tmp_path: Path,
) -> None:
    assert json.loads(quiz(tmp_path, "quiz", "limits", "--json").stdout) == {
        "new": 10,
        "reviews": 100,
    }
    saved = quiz(tmp_path, "quiz", "limits", "--new", "2")
    assert "Saved daily limits: 2 new questions and 100 reviews a day." in saved.stdout
    assert listing(tmp_path, "2027-03-01")["limits"] == {"new": 2, "reviews": 100}
    assert len(listing(tmp_path, "2027-03-01")["new"]) == 2  # type: ignore[arg-type]
    assert len(listing(tmp_path, "2027-03-01", "--new", "1")["new"]) == 1  # type: ignore[arg-type]
    assert listing(tmp_path, "2027-03-01")["limits"] == {"new": 2, "reviews": 100}
    quiz(tmp_path, "quiz", "limits", "--reviews", "0")
    assert json.loads(quiz(tmp_path, "quiz", "limits", "--json").stdout) == {
        "new": 2,
        "reviews": 0,
    }
    refused = quiz(tmp_path, "quiz", "limits", "--new", "-1")
    assert refused.returncode == 2


def test_a_short_answer_is_graded_and_enter_keeps_the_grade(tmp_path: Path) -> None:
    added = quiz(
        tmp_path, "quiz", "add", "What does dropout do during training?",
        "It randomly switches off units so the network cannot rely on any single one",
        "--skill", "Logistic Regression", "--json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    good = quiz(
        tmp_path, "quiz", "--due", "--skill", "logistic-regression", "--now", "2027-03-01",
        answers="It randomly switches off units so the network cannot rely on any single one\n\n\n",
    )  # fmt: skip
    assert "Enter: yes)" in good.stdout and "Done: 1 of 1 right." in good.stdout
    again = quiz(
        tmp_path, "quiz", "--due", "--skill", "logistic-regression", "--now", "2027-04-30",
        answers="no idea\n\n\n",
    )  # fmt: skip
    assert "Graded 0.0 of 5." in again.stdout
    assert "Enter: no)" in again.stdout and "Done: 0 of 1 right." in again.stdout
