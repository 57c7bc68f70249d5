"""Mutation testing of the pure engine: run mutmut one module at a time and print the score.

A mutant is a small change to one line of `src/mlpivot/engine/` (a `<` for a `<=`, a constant
changed, a branch dropped); the unit and content tests should notice it ("kill" it). The score
of a module is the share of its mutants killed. Mutmut's settings (what to mutate, which tests)
live in `[tool.mutmut]` in pyproject.toml; its work is kept in `mutants/` between runs.

    uv run python bench/mutate.py                  # every engine module, one after the other
    uv run python bench/mutate.py fit gap          # just these modules
    uv run python bench/mutate.py --report         # print the last results, run nothing
    uv run python bench/mutate.py --survivors fit  # ...and name every surviving mutant

Slow by nature (minutes per module), so it is `make mutate`, never part of `make test`. One
worker by default, because the machine running it is usually shared.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENGINE = REPO / "src" / "mlpivot" / "engine"
META = REPO / "mutants" / "src" / "mlpivot" / "engine"
TARGET = 0.85
"""The share of mutants the tests must kill in the engine's rule modules (issue 19)."""

# mutmut's exit codes for a mutant (mutmut.stats.status_by_exit_code), in the words we print.
KILLED = {1, 3, 37, -24, 24, 152, 255, 36}
"""A failing test, a pytest error, the type checker, or a timeout: the change was noticed."""
SURVIVED = {0}
NO_TESTS = {5, 33}


def modules() -> list[str]:
    return sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")


def run_mutmut(module: str, max_children: int) -> int:
    """Run (or re-run) every mutant of one module; mutmut prints its own progress."""
    command = ["mutmut", "run", "--max-children", str(max_children), f"mlpivot.engine.{module}.*"]
    print(f"$ {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=REPO, check=False).returncode


def results(module: str) -> dict[str, int | None]:
    meta = META / f"{module}.py.meta"
    if not meta.exists():
        return {}
    data = json.loads(meta.read_text(encoding="utf-8"))
    codes: dict[str, int | None] = data.get("exit_code_by_key", {})
    return codes


def summarise(module: str, codes: dict[str, int | None]) -> tuple[str, list[str]]:
    counts: Counter[str] = Counter()
    survivors = []
    for name, code in sorted(codes.items()):
        if code is None:
            counts["not run"] += 1
        elif code in KILLED:
            counts["killed"] += 1
        elif code in SURVIVED:
            counts["survived"] += 1
            survivors.append(name)
        elif code in NO_TESTS:
            counts["no tests"] += 1
            survivors.append(name)
        else:
            counts["other"] += 1
    checked = sum(counts.values()) - counts["not run"]
    score = counts["killed"] / checked if checked else float("nan")
    flag = "" if not checked else ("  ok" if score >= TARGET else f"  below {TARGET:.0%}")
    line = (
        f"{module + '.py':<18} {len(codes):>5} {counts['killed']:>7} {counts['survived']:>9} "
        f"{counts['no tests']:>9} {counts['not run'] + counts['other']:>8} {score:>7.1%}{flag}"
    )
    return line, survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="engine module names (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last results only")
    parser.add_argument("--survivors", action="store_true", help="name every surviving mutant")
    parser.add_argument("--max-children", type=int, default=1, help="mutmut workers (default 1)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse mutants/ from the last run (only if nothing outside the mutated files changed)",
    )
    args = parser.parse_args()
    chosen = args.modules or modules()
    unknown = sorted(set(chosen) - set(modules()))
    if unknown:
        parser.error(f"not an engine module: {', '.join(unknown)} (known: {', '.join(modules())})")
    if not args.report:
        if not args.keep:
            # mutmut copies the unmutated files once and never refreshes them, so a stale copy
            # of, say, the catalog would be what the tests import: start from a fresh copy.
            shutil.rmtree(REPO / "mutants", ignore_errors=True)
        for module in chosen:
            if run_mutmut(module, args.max_children) != 0:
                print(f"mutmut stopped on {module}; the summary shows what finished", flush=True)
                break
    print(
        f"\n{'module':<18} {'total':>5} {'killed':>7} {'survived':>9} {'no tests':>9} "
        f"{'not run':>8} {'score':>7}"
    )
    named: list[str] = []
    for module in chosen:
        line, survivors = summarise(module, results(module))
        print(line)
        named += survivors
    if args.survivors and named:
        print("\nsurviving mutants (show one with `uv run mutmut show NAME`):")
        print("\n".join(f"  {name}" for name in named))
    return 0


if __name__ == "__main__":
    sys.exit(main())
