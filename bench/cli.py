"""Command-line benchmark: whole `mlpivot` processes against the floor of their own imports.

    uv run python bench/cli.py [--runs 5] [--only roles --only fit ...]

Each figure is a whole process, start-up included, as a person meets it: bytecode compiled (the
package and every installed library, compiled here first), a fresh data folder with an example
profile assessed and a plan stored, its own cache folder (warmed by one uncounted run of each
command). Every round runs each command once, then the floor, `python -c "import typer, rich,
pydantic"`, so a machine that slows down mid-run slows both sides of a ratio. The ratio quoted
is the median of the per-round ratios; peak memory is the largest resident set of any run of
the command (from the kernel's accounting of the child).

The row "roles, no cache" runs with a cache folder of its own, emptied before every run: the
first command after installing or after a knowledge file changed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "examples" / "profiles" / "backend-python.yaml"
POSTING = ROOT / "tests" / "data" / "postings" / "ai-eng-04.txt"
FLOOR = "floor: import typer, rich, pydantic"
RESUME_LINES = (
    "Alex Example",
    "Senior Software Engineer",
    "",
    "Experience",
    "Acme Corp, Senior Backend Engineer, 2019 - present",
    "Built Python services with FastAPI and PostgreSQL, deployed with Docker and Kubernetes.",
    "Wrote data pipelines in SQL and Apache Airflow; trained a logistic regression churn model",
    "with scikit-learn and pandas, tracked experiments in MLflow.",
    "",
    "Skills",
    "Python, SQL, Git, Linux, Docker, Kubernetes, AWS, statistics, linear algebra, NumPy",
    "",
    "Education",
    "BSc Computer Science, 2014",
)


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    target: float | None
    fresh_cache: bool = False


@dataclass
class Figures:
    wall: list[float] = field(default_factory=list)
    ratio: list[float] = field(default_factory=list)
    peak_kib: int = 0
    failure: str = ""


def mlpivot_command() -> list[str]:
    script = Path(sys.executable).parent / "mlpivot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlpivot"]


def cases(work: Path) -> list[Case]:
    return [
        Case("--version", ("--version",), 1.5),
        Case("--help", ("--help",), 1.5),
        Case("roles", ("roles",), 1.5),
        Case("roles, no cache", ("roles",), None, fresh_cache=True),
        Case("skill show pytorch", ("skill", "show", "pytorch"), 1.5),
        Case("fit", ("fit",), 3.0),
        Case("gap --role ml-engineer", ("gap", "--role", "ml-engineer"), 3.0),
        Case("plan --role ml-engineer", ("plan", "--role", "ml-engineer"), 3.0),
        Case("extract FILE", ("extract", str(POSTING)), 3.0),
        Case("classify FILE", ("classify", str(POSTING)), 3.0),
        Case("import resume FILE.pdf", ("import", "resume", str(work / "resume.pdf")), 5.0),
        Case(
            "export plan --format pdf",
            ("export", "plan", "--format", "pdf", "--out", str(work / "plan.pdf")),
            5.0,
        ),
    ]


def write_resume_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 60
    for line in RESUME_LINES:
        pdf.drawString(50, y, line)
        y -= 16
    pdf.save()


def environment(work: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "MLPIVOT_DATABASE_URL", "MLPIVOT_KNOWLEDGE_DIR"}
    }
    env.update(
        MLPIVOT_DATA_DIR=str(work / "data"),
        MLPIVOT_CONFIG_FILE=str(work / "no-config.toml"),
        XDG_CACHE_HOME=str(work / "cache"),
        COLUMNS="120",
    )
    return env


def run_once(command: Sequence[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak resident KiB, exit status and the end of stderr of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode, err.decode(errors="replace")[-400:]


def prepare(work: Path, env: dict[str, str]) -> None:
    spec = importlib.util.find_spec("mlpivot")  # the package the commands will import
    assert spec is not None and spec.origin is not None
    paths = sysconfig.get_paths()
    folders = sorted({str(Path(spec.origin).parent), paths["purelib"], paths["platlib"]})
    # Compiled once here, explicitly: with PYTHONDONTWRITEBYTECODE set (as on some machines)
    # nothing else would, and every run would compile every library from source.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    write_resume_pdf(work / "resume.pdf")
    base = mlpivot_command()
    for args in (
        ("assess", "--profile", str(PROFILE)),
        ("plan", "--role", "ml-engineer", "--save"),
    ):
        subprocess.run([*base, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def measure(selected: list[Case], runs: int, work: Path, env: dict[str, str]) -> dict[str, Figures]:
    base = mlpivot_command()
    floor_cmd = [sys.executable, "-c", "import typer, rich, pydantic"]
    figures = {c.name: Figures() for c in selected}
    figures[FLOOR] = Figures()
    for case in selected:  # one uncounted run each: bytecode, caches, page cache
        run_once([*base, *case.args], env)
    run_once(floor_cmd, env)
    for _ in range(runs):
        floor_wall, floor_kib, _, _ = run_once(floor_cmd, env)
        figures[FLOOR].wall.append(floor_wall)
        figures[FLOOR].peak_kib = max(figures[FLOOR].peak_kib, floor_kib)
        for case in selected:
            run_env = env
            if case.fresh_cache:
                # A cache folder of its own, emptied: emptying the shared one would make every
                # command after this row in the round rebuild its caches too (the plan chart,
                # the vocabulary), and be timed doing it.
                shutil.rmtree(work / "cold-cache", ignore_errors=True)
                run_env = {**env, "XDG_CACHE_HOME": str(work / "cold-cache")}
            wall, kib, code, err = run_once([*base, *case.args], run_env)
            fig = figures[case.name]
            if code != 0:
                fig.failure = f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}"
            fig.wall.append(wall)
            fig.ratio.append(wall / floor_wall)
            fig.peak_kib = max(fig.peak_kib, kib)
    return figures


def report(selected: list[Case], figures: dict[str, Figures], runs: int) -> list[str]:
    floor = figures[FLOOR]
    lines = [
        f"{runs} rounds; each round runs every command once, then the floor. "
        f"Floor median {statistics.median(floor.wall):.3f} s, "
        f"peak {floor.peak_kib / 1024:.0f} MiB.",
        "",
        f"{'command':<26} {'median s':>9} {'min s':>7} {'max s':>7} {'× floor':>8} "
        f"{'target':>7} {'peak MiB':>9}  verdict",
    ]
    lines.append("-" * len(lines[-1]))
    for case in selected:
        fig = figures[case.name]
        ratio = statistics.median(fig.ratio)
        if fig.failure:
            verdict = f"FAILED ({fig.failure})"
        elif case.target is None:
            verdict = "-"
        else:
            verdict = "met" if ratio <= case.target else "NOT met"
        target = f"≤{case.target:g}×" if case.target is not None else "-"
        lines.append(
            f"{case.name:<26} {statistics.median(fig.wall):9.3f} {min(fig.wall):7.3f} "
            f"{max(fig.wall):7.3f} {ratio:7.1f}× {target:>7} {fig.peak_kib / 1024:9.0f}  {verdict}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="counted rounds (at least 5)")
    parser.add_argument("--only", action="append", default=[], help="a command name; repeat")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be at least 5: a median of fewer runs on a shared machine lies")
    with tempfile.TemporaryDirectory(prefix="mlpivot-bench-cli-") as tmp:
        work = Path(tmp)
        all_cases = cases(work)
        selected = [c for c in all_cases if not args.only or c.name in args.only]
        if not selected:
            parser.error(f"--only names none of: {', '.join(c.name for c in all_cases)}")
        env = environment(work)
        prepare(work, env)
        figures = measure(selected, args.runs, work, env)
    print("\n".join(report(selected, figures, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
