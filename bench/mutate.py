"""Mutation testing of the pure engine: run mutmut one module at a time and print the score.

A mutant is a small change to one line of `src/mlpivot/engine/` (a `<` for a `<=`, a constant
changed, a branch dropped); the unit and content tests should notice it ("kill" it). The score
of a module is the share of its mutants killed. Mutmut's settings (what to mutate, which tests)
live in `[tool.mutmut]` in pyproject.toml; its work is kept in `mutants/` between runs.

    uv run python bench/mutate.py                  # every engine module, one after the other
    uv run python bench/mutate.py fit gap          # just these modules
    uv run python bench/mutate.py --report         # print the last results, run nothing
    uv run python bench/mutate.py --rerun-survivors fit  # re-run only fit's survivors
    uv run python bench/mutate.py --resume fit     # finish an interrupted run of fit

Every survivor is printed under the table: with the reason it is acceptable when
`bench/mutation_equivalents.yaml` names it (an equivalent mutant: no test can tell it from the
original), else with its diff, as work to do (a test that kills it). An entry whose mutated
line no longer matches is reported as stale, since mutmut numbers mutants per function and a
code change shifts the numbers.

Slow by nature (minutes per module), so it is `make mutate`, never part of `make test`. One
worker by default, because the machine running it is usually shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
ENGINE = REPO / "src" / "mlpivot" / "engine"
META = REPO / "mutants" / "src" / "mlpivot" / "engine"
EQUIVALENTS = REPO / "bench" / "mutation_equivalents.yaml"
TARGET = 0.85
"""The share of mutants the tests must kill in the engine's rule modules (issue 19)."""
RULE_MODULES = frozenset({"fit", "gap", "weights", "plan", "schedule", "optimize"})
"""The modules whose rules decide what a person is told: the target applies to these."""

MUTATION_ENV = {**os.environ, "MLPIVOT_MUTATION_INSTANCES": "30"}
"""The environment of a mutation run: the optimiser's brute-force comparison checks its first 30
seeded instances (1 to 20 items, every density) instead of 200, since it runs once per mutant of
every function it calls; `make test` still checks all 200."""

# mutmut's exit codes for a mutant (mutmut.stats.status_by_exit_code), in the words we print.
KILLED = {1, 3, 37, -24, 24, 152, 255, 36}
"""A failing test, a pytest error, the type checker, or a timeout: the change was noticed."""
SURVIVED = {0}
NO_TESTS = {5, 33}


def modules() -> list[str]:
    return sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")


def run_mutmut(names: list[str], max_children: int) -> int:
    """Run (or re-run) the named mutants (globs allowed); mutmut prints its own progress."""
    command = ["mutmut", "run", "--max-children", str(max_children), *names]
    shown = names if len(names) <= 3 else [*names[:3], f"... ({len(names)} mutants)"]
    print(f"$ {' '.join(command[:4] + shown)}", flush=True)
    return subprocess.run(command, cwd=REPO, check=False, env=MUTATION_ENV).returncode


def refresh_copies() -> int:
    """Bring mutmut's copies of the files it does not mutate up to date (after a merge, say).

    mutmut copies `src/` into `mutants/` once and never again, so a run that reuses mutants/
    would import yesterday's catalog or ingest code beside today's tests. Engine modules are
    left alone: mutmut regenerates those itself when they change.
    """
    fresh = 0
    for path in (REPO / "src").rglob("*"):
        relative = path.relative_to(REPO)
        if not path.is_file() or "__pycache__" in relative.parts:
            continue
        if relative.parent == Path("src", "mlpivot", "engine") and path.suffix == ".py":
            continue
        copy = REPO / "mutants" / relative
        if not copy.exists() or copy.read_bytes() != path.read_bytes():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            fresh += 1
    return fresh


def results(module: str) -> dict[str, int | None]:
    meta = META / f"{module}.py.meta"
    if not meta.exists():
        return {}
    data = json.loads(meta.read_text(encoding="utf-8"))
    codes: dict[str, int | None] = data.get("exit_code_by_key", {})
    return codes


def equivalents() -> dict[str, dict[str, str]]:
    """Mutant name -> {mutated: the changed line as mutmut writes it, why: the reason}."""
    if not EQUIVALENTS.exists():
        return {}
    data = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) or {}
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items()}


def changed_lines(name: str, module: str) -> list[str]:
    """The lines a mutant changes, `-` before and `+` after, as `mutmut show` prints them."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    path = Path("src") / "mlpivot" / "engine" / f"{module}.py"
    try:
        diff = get_diff_for_mutant(name, path=path)
    except (FileNotFoundError, OSError) as error:
        return [f"(no diff: {error})"]
    return [
        line.rstrip()
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def mutated_line(lines: list[str]) -> str:
    return " | ".join(line[1:].strip() for line in lines if line.startswith("+"))


def _accepted(entry: dict[str, str] | None, lines: list[str]) -> bool:
    return entry is not None and entry.get("mutated") == mutated_line(lines)


def count(codes: dict[str, int | None]) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    survivors = []
    for name, code in sorted(codes.items(), key=lambda kv: _natural(kv[0])):
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
    return counts, survivors


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else -1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="engine module names (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last results only")
    parser.add_argument(
        "--rerun-survivors",
        action="store_true",
        help="re-run only the unexplained survivors of the last run (after adding tests)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="run only the mutants the last run did not reach (after an interruption)",
    )
    parser.add_argument("--max-children", type=int, default=1, help="mutmut workers (default 1)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse mutants/ from the last run (only if nothing outside the mutated files changed)",
    )
    args = parser.parse_args()
    os.chdir(REPO)  # mutmut reads its settings and mutants/ from the working folder
    chosen = args.modules or modules()
    unknown = sorted(set(chosen) - set(modules()))
    if unknown:
        parser.error(f"not an engine module: {', '.join(unknown)} (known: {', '.join(modules())})")
    known = equivalents()
    if (args.rerun_survivors or args.resume or args.keep) and not args.report:
        print(f"{refresh_copies()} unmutated files refreshed in mutants/", flush=True)
    if args.rerun_survivors or args.resume:
        names = []
        for module in chosen:
            codes = results(module)
            if args.resume:
                names += [name for name, code in codes.items() if code is None]
            else:
                names += [name for name in count(codes)[1] if name not in known]
        if names and run_mutmut(names, args.max_children) != 0:
            print("mutmut stopped; the summary shows what finished", flush=True)
    elif not args.report:
        if not args.keep:
            # mutmut copies the unmutated files once and never refreshes them, so a stale copy
            # of, say, the catalog would be what the tests import: start from a fresh copy.
            shutil.rmtree(REPO / "mutants", ignore_errors=True)
        for module in chosen:
            if run_mutmut([f"mlpivot.engine.{module}.*"], args.max_children) != 0:
                print(f"mutmut stopped on {module}; the summary shows what finished", flush=True)
                break
    return report(chosen, known)


def report(chosen: list[str], known: dict[str, dict[str, str]]) -> int:
    """The score table, then every survivor with its reason or its diff.

    Exits 1 when a rule module is below the target, so a script can tell.
    """
    print(
        f"\n{'module':<16} {'killed':>7} {'total':>6} {'score':>7} {'survived':>9} "
        f"{'accepted':>9} {'no tests':>9} {'not run':>8}"
    )
    below = False
    listed: list[tuple[str, str, list[str]]] = []
    for module in chosen:
        codes = results(module)
        counts, survivors = count(codes)
        checked = len(codes) - counts["not run"] - counts["other"]
        score = counts["killed"] / checked if checked else float("nan")
        diffs = {name: changed_lines(name, module) for name in survivors}
        explained = sum(1 for name in survivors if _accepted(known.get(name), diffs[name]))
        flag = ""
        if checked and module in RULE_MODULES:
            flag = "  ok" if score >= TARGET else f"  below {TARGET:.0%}"
            below |= score < TARGET
        print(
            f"{module + '.py':<16} {counts['killed']:>7} {checked:>6} {score:>7.1%} "
            f"{counts['survived']:>9} {explained:>9} {counts['no tests']:>9} "
            f"{counts['not run'] + counts['other']:>8}{flag}"
        )
        listed += [(module, name, diffs[name]) for name in survivors]
    if listed:
        print("\nsurviving mutants (the full diff: `uv run mutmut show NAME`):")
    for module, name, lines in listed:
        entry = known.get(name)
        short = name.removeprefix(f"mlpivot.engine.{module}.")
        if entry is not None and _accepted(entry, lines):
            print(f"  {module}.{short}  accepted: {entry['why']}")
            continue
        status = "STALE ENTRY (the mutated line changed)" if entry else "NEEDS A TEST"
        print(f"  {module}.{short}  {status}")
        print("\n".join(f"      {line}" for line in lines))
    stale = sorted(
        name
        for name in known
        if name.split(".")[2] in chosen and name not in {n for _, n, _ in listed}
    )
    if stale:
        print("\nequivalents that no longer survive (remove them from the file):")
        print("\n".join(f"  {name}" for name in stale))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
