"""Posting-classification benchmark: does `classify_posting` name the role a posting is for?

    uv run python bench/postings.py [--data ../shared/data] [--limit N]

Two test sets, measured in the same run:

1. data-jobs 2023 (Luke Barousse, salaried subset; ../shared/data/data-jobs-2023-salaried). The
   author's `job_title_short` class is the label, mapped to our role ids:
     Data Scientist, Senior Data Scientist   -> data-scientist
     Data Engineer, Senior Data Engineer     -> data-engineer
     Machine Learning Engineer               -> ml-engineer
     Software Engineer                       -> software-engineer (our reference role)
     Data Analyst, Senior Data Analyst,
     Business Analyst, Cloud Engineer        -> none (not one of our roles)
   The set has no description text, only the author's keyword list of tools (`job_skills`),
   so the text is "Skills: a, b, c". Rows without a skills list are left out. Only the HELD-OUT
   rows count: the classifier's skill model was trained by scripts/train_posting_classifier.py
   on the other 80% (the split is a hash of the row number, `PostingModel.is_held_out`).
   Measured with the posting title + skills, and with skills alone (empty title), each
   "before" (title and skill profile only, the method without the model: `use_model=False`)
   and "after" (with the skill model). The author's labels come from his own title classifier,
   so title+skills agrees with it more easily than skills alone can.
2. tests/data/postings: hand-written postings (text, Markdown, HTML, JSON-LD) for the roles
   data-jobs lacks (AI Engineer, MLOps Engineer, Research Scientist, AI/ML Product Manager), a
   few of the others and some non-ML jobs, labelled in labels.yaml before the classifier was
   written. Parsed with `parse_posting`, then classified with the parsed title + text, and with
   the text alone, before and after as above. (Never used to tune the model or its weight.)

Figures: accuracy and macro-F1 over the classes present (none counts as a class), and a
confusion table (rows = expected, columns = predicted).
"""

from __future__ import annotations

import argparse
import ast
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.classify import NONE, classify_posting, load_posting_model
from mlpivot.ingest.posting import parse_posting

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
POSTINGS = ROOT / "tests" / "data" / "postings"
sys.path.insert(0, str(ROOT / "scripts"))

from train_posting_classifier import DATA_JOBS_CLASSES, display_names  # noqa: E402

SHORT = {
    "ml-engineer": "mle",
    "data-scientist": "ds",
    "research-scientist": "rs",
    "mlops-engineer": "mlops",
    "ai-engineer": "aie",
    "data-engineer": "de",
    "ai-product-manager": "aipm",
    "software-engineer": "swe",
    NONE: "none",
}


def macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """Mean F1 over the classes that occur as expected labels."""
    classes = sorted({e for e, _ in pairs})
    f1s = []
    for c in classes:
        tp = sum(1 for e, p in pairs if e == c and p == c)
        fp = sum(1 for e, p in pairs if e != c and p == c)
        fn = sum(1 for e, p in pairs if e == c and p != c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def accuracy(pairs: Sequence[tuple[str, str]]) -> float:
    return sum(e == p for e, p in pairs) / len(pairs) if pairs else 0.0


def confusion(pairs: Sequence[tuple[str, str]]) -> str:
    counts = Counter(pairs)
    expected = sorted({e for e, _ in pairs}, key=list(SHORT).index)
    predicted = sorted({p for _, p in pairs} | set(expected), key=list(SHORT).index)
    head = "expected \\ got".ljust(16) + "".join(SHORT[p].rjust(7) for p in predicted)
    rows = [head]
    for e in expected:
        cells = "".join(str(counts.get((e, p), 0) or ".").rjust(7) for p in predicted)
        rows.append(
            f"{SHORT[e]:<16}{cells}   (n={sum(c for (x, _), c in counts.items() if x == e)})"
        )
    return "\n".join(rows)


def data_jobs_rows(data: Path, limit: int | None) -> list[tuple[str, str, str]]:
    """(title, skills text, expected role) for the held-out rows with a skills list, in file
    order (the rows the skill model never saw)."""
    shown = display_names(load_catalog())
    model = load_posting_model()
    path = data / "data-jobs-2023-salaried" / "data_jobs_salary_all.csv"
    out: list[tuple[str, str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if not model.is_held_out(index):
                continue
            raw = row["job_skills"].strip()
            if not raw:
                continue
            skills = list(dict.fromkeys(shown.get(s, s) for s in ast.literal_eval(raw)))
            if not skills:
                continue
            expected = DATA_JOBS_CLASSES[row["job_title_short"]]
            out.append((row["job_title"], "Skills: " + ", ".join(skills) + ".", expected))
            if limit and len(out) >= limit:
                break
    return out


def written_postings() -> list[tuple[str, str, str, str]]:
    """(file, parsed title, parsed text, expected role) for the hand-written postings."""
    catalog = load_catalog()
    labels = yaml.safe_load((POSTINGS / "labels.yaml").read_text(encoding="utf-8"))["postings"]
    out = []
    for name, label in labels.items():
        posting = parse_posting(POSTINGS / name, catalog)
        out.append((name, posting.title, posting.text, label["role"] or NONE))
    return out


def _label(role_id: str | None) -> str:
    return role_id or NONE


def _classify(title: str, text: str, catalog: Catalog, use_model: bool) -> str:
    return _label(classify_posting(title, text, catalog, use_model=use_model).role_id)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N data-jobs rows")
    args = parser.parse_args(argv)
    catalog = load_catalog()

    written = written_postings()
    # (set, mode, whether the mode drops the title, rows)
    runs: list[tuple[str, str, bool, list[tuple[str, str, str]]]] = []
    held = data_jobs_rows(args.data, args.limit)
    mine = [(title, text, expected) for _name, title, text, expected in written]
    runs += [("data-jobs held-out", "title+skills", False, held)]
    runs += [("data-jobs held-out", "skills only", True, held)]
    runs += [("written postings", "title+text", False, mine)]
    runs += [("written postings", "text only", True, mine)]
    results: list[tuple[str, str, str, list[tuple[str, str]], float]] = []
    for dataset, mode, untitled, rows in runs:
        for method in ("before", "after"):
            started = time.perf_counter()
            pairs = [
                (expected, _classify("" if untitled else title, text, catalog, method == "after"))
                for title, text, expected in rows
            ]
            results.append((dataset, mode, method, pairs, time.perf_counter() - started))

    print(
        f"{'set':<20}{'mode':<14}{'method':<8}{'n':>7}{'accuracy':>10}{'macro-F1':>10}{'per s':>9}"
    )
    for dataset, mode, method, pairs, seconds in results:
        print(
            f"{dataset:<20}{mode:<14}{method:<8}{len(pairs):>7}{accuracy(pairs):>10.3f}"
            f"{macro_f1(pairs):>10.3f}{len(pairs) / seconds:>9.0f}"
        )
    for dataset, mode, method, pairs, _ in results:
        if method == "after":
            print(f"\nConfusion, {dataset}, {mode}, {method}:")
            print(confusion(pairs))
    missed = [
        (name, expected, _label(classify_posting(title, text, catalog).role_id))
        for name, title, text, expected in written
    ]
    wrong = [m for m in missed if m[1] != m[2]]
    if wrong:
        print("\nWritten postings classified wrongly (title+text):")
        for name, expected, got in wrong:
            print(f"  {name}: expected {expected}, got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
