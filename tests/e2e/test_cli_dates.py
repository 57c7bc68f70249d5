"""A bad date in any command's date option is one plain sentence and exit 1, everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

BACKEND = str(Path(__file__).resolve().parents[2] / "examples" / "profiles" / "backend-python.yaml")
RESUME = "# Jane\n## Experience\n### Engineer, Acme (2020 - 2022)\n- Python services\n"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("reach", "--by", "someday", "--profile", BACKEND), "--by"),
        (
            ("plan", "--role", "ml-engineer", "--start", "2027-13-01", "--profile", BACKEND),
            "--start",
        ),
        (("import", "resume", "RESUME", "--today", "30/06/2025"), "--today"),
    ],
)
def test_a_bad_date_names_the_option_and_exits_1(cli, tmp_path: Path, args, option) -> None:  # type: ignore[no-untyped-def]
    resume = tmp_path / "resume.md"
    resume.write_text(RESUME, encoding="utf-8")
    done = cli(*(str(resume) if a == "RESUME" else a for a in args))
    assert done.returncode == 1, done.stderr
    assert f"{option} " in done.stderr and "is not a date like" in done.stderr
    assert "Traceback" not in done.stderr
