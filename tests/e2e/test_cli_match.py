"""`mlpivot match`, `mlpivot classify` and `mlpivot import posting`, run as a person would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"
RESUME = """# Jane Example
jane@example.com

## Experience
### Senior Software Engineer, Acme Payments (Jan 2020 - Present)
- Built Python services with FastAPI serving 2M requests a day.
- Moved deployment to Kubernetes and cut release time by 40%.

## Skills
Python, SQL, Docker, Git, AWS
"""


@pytest.fixture
def resume(tmp_path: Path) -> Path:
    path = tmp_path / "resume.md"
    path.write_text(RESUME, encoding="utf-8")
    return path


def test_match_reports_shown_listed_and_missing_skills_as_json(cli, resume: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("match", str(resume), str(POSTINGS / "mlops-01.md"), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    where = {m["skill_id"]: m["where"] for m in report["shown"]}
    assert where["kubernetes"] == "used"
    assert where["docker"] == "listed"
    assert "terraform" in {m["skill_id"] for m in report["missing"]}
    assert "2 x required" in report["formula"]
    assert 0 < report["score"] < 1
    assert any("Docker" in s and "bullet" in s for s in report["suggestions"])
    assert any("mlpivot skill show terraform" in s for s in report["suggestions"])


def test_match_prints_a_readable_report(cli, resume: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("match", str(resume), str(POSTINGS / "mlops-01.md"))
    assert done.returncode == 0, done.stderr
    assert "MLOps Engineer" in done.stdout and "Suggestions" in done.stdout


def test_classify_names_the_role_from_a_vague_title(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("classify", str(POSTINGS / "ai-eng-04.txt"), "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["title"] == "Engineer II"
    assert found["role_id"] == "ai-engineer"
    assert found["reasons"]


def test_classify_says_when_a_posting_is_none_of_ours(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("classify", str(POSTINGS / "other-01.txt"))
    assert done.returncode == 0, done.stderr
    assert "none of our roles" in done.stdout


def test_a_missing_or_bad_file_is_one_plain_sentence(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("classify", str(tmp_path / "nope.txt"))
    assert done.returncode == 1
    assert "nope.txt" in done.stderr and "Traceback" not in done.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = cli("match", str(POSTINGS / "mlops-01.md"), str(bad))
    assert done.returncode == 1
    assert "bad.json" in done.stderr and "Traceback" not in done.stderr


def test_import_posting_stores_it_and_says_what_it_found(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("import", "posting", str(POSTINGS / "ai-eng-03.json"), "--json")
    assert done.returncode == 0, done.stderr
    stored = json.loads(done.stdout)
    assert stored["id"] and stored["title"] == "LLM Application Engineer"
    assert stored["role"]["role_id"] == "ai-engineer"
    assert {s["skill_id"] for s in stored["required"]} >= {"python", "fastapi"}
