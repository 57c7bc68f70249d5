"""Every command the README shows, run as written in a fresh data directory.

The commands are read from the README's "The command line" block, so a line added there is a
line tested here, and a README claim cannot go stale. The notation is the README's own:
`a | b | c` lists several commands on one line, `x|y` inside a word lists alternatives (each
is run), `[...]` is optional (run, unless it holds a placeholder such as DATE), and a comment
`then: CMD` names a command to run next. `assess` asks questions at a terminal, so its
`or: assess --profile FILE` form runs instead (the terminal form has its own test), and
`serve` runs until stopped (tests/e2e/test_cli_serve.py starts it).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
POSTINGS = REPO / "tests" / "data" / "postings"
LONG_RUNNING = {"serve"}
RESUME = """Jane Example
Senior Software Engineer, Acme Payments, Jan 2020 - Present
- Built Python services with FastAPI and PostgreSQL serving 2M requests a day.
- Moved deployment to Docker and Kubernetes on AWS.
Skills: Python, SQL, Docker, Git, pandas, scikit-learn
"""


def readme_commands(text: str) -> list[list[str]]:
    """The argument lists (without `mlpivot`) of every command in the command-line block."""
    block = text.split("## The command line", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands: list[list[str]] = []
    for line in block.strip().splitlines():
        command, _, comment = line.partition("#")
        alternative = re.search(r"\bor: (mlpivot )?(\S.*)$", comment)
        then = re.search(r"\bthen: (mlpivot )?(\S.*)$", comment)
        for part in command.split(" | "):
            words = part.split()
            if words and words[0] == "mlpivot":
                words = words[1:]
            if not words:
                continue
            if words[0] == "assess" and len(words) == 1 and alternative:
                words = alternative.group(2).split()
            if words[0] in LONG_RUNNING:
                continue
            commands += _expand(" ".join(words))
        if then:
            commands += _expand(then.group(2))
    return commands


def _expand(command: str) -> list[list[str]]:
    """`[--opt X]` kept unless X is a placeholder; `a|b` in a word gives one command each."""
    command = re.sub(
        r"\[([^\]]*)\]", lambda m: "" if re.search(r"\b[A-Z]{2,}\b", m[1]) else m[1], command
    )
    choices = [word.split("|") if "|" in word else [word] for word in command.split()]
    return [list(words) for words in itertools.product(*choices)]


def test_the_readme_block_is_read_whole() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    firsts = {c[0] for c in commands}
    assert {"fit", "gap", "plan", "market", "import", "export", "catalog", "skill"} <= firsts
    assert ["assess", "--profile", "examples/profiles/backend-python.yaml"] in commands
    assert ["progress"] in commands
    assert ["export", "plan", "--format", "pdf", "--out", "FILE"] in commands
    assert not any(c[0] in LONG_RUNNING for c in commands)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder holding the files the README names (cv.pdf, job.html...), as a person's would."""
    from reportlab.pdfgen import canvas

    work = tmp_path / "work"
    shutil.copytree(REPO / "examples", work / "examples")
    page = canvas.Canvas(str(work / "cv.pdf"))
    for i, line in enumerate(RESUME.splitlines()):
        page.drawString(50, 800 - 16 * i, line)
    page.save()
    shutil.copy(POSTINGS / "ai-eng-02.html", work / "job.html")
    shutil.copy(POSTINGS / "ai-eng-04.txt", work / "job.txt")
    shutil.copy(POSTINGS / "ai-eng-05.txt", work / "posting.txt")
    return work


def test_every_readme_command_runs_as_written(workdir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("MLPIVOT_CONFIG_FILE", None)
    failures = []
    commands = readme_commands(README.read_text(encoding="utf-8"))
    for n, words in enumerate(commands):
        args = [
            f"out-{n}.{words[words.index('--format') + 1]}" if w == "FILE" else w for w in words
        ]
        done = subprocess.run(
            [sys.executable, "-m", "mlpivot", *args],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            failures.append(f"mlpivot {' '.join(args)} -> {done.returncode}: {done.stderr[-500:]}")
    assert not failures, "\n".join(failures)
    exported = json.loads((workdir / "mine.json").read_text(encoding="utf-8"))
    assert exported["profile"] and exported["plans"] and exported["progress"]
    assert {e["source"] for e in exported["evidence"]} == {"resume"}
    assert sorted(p.suffix for p in workdir.glob("out-*")) == sorted(
        [".html", ".ics", ".json", ".md", ".pdf"]
    )
