"""Train the posting classifier's skill model on data-jobs 2023 (deterministic).

    uv run python scripts/train_posting_classifier.py [--data ../shared/data]

A multinomial logistic regression (numpy + scipy L-BFGS, L2 penalty, class weights) from the
catalog skills a posting names to the data-jobs class it belongs to, mapped to our roles as in
bench/postings.py (data scientist, data engineer, ML engineer, software engineer, or none for
analysts and cloud engineers). Each row's text is its `job_skills` list written the way a posting
would ("Skills: Python, SQL, Apache Spark.", catalog names via src/mlpivot/figures/
skill_names.yaml, exactly as the bench writes it), and the features are what
`classify.posting_vector` finds in that text: the catalog skill ids and the cues of
posting_roles.yaml ("cue:reporting" for Tableau, Power BI, Excel...), so training sees what
`classify_posting` will see.

Features: each catalog skill or cue in MIN_ROWS or more TRAIN rows, and each pair of frequent
ones that co-occurs often (PAIR_MIN_ROWS): a pair carries what one skill cannot (Python with
PyTorch reads differently from Python with Excel). Per-class logit offsets, picked on the dev
fold to maximise macro-F1 (software engineering scored as none, as the classifier answers it),
are added to the bias: the rare ML engineer class is otherwise under-predicted.

Splits, by a hash of the row number in the CSV (`classify.held_out`):
  * held out: 20% (salt "data-jobs-2023"), never read here; bench/postings.py reports on it;
  * the other 80% is TRAIN; within it a dev fold (20% of TRAIN, salt "dev") picks the penalty
    and the class weighting from a small grid and the class offsets (so its dev figures are
    optimistic; bench/postings.py's held-out figures are the honest ones), then the model is refit
    on all of TRAIN.

Writes src/mlpivot/ingest/models/posting_roles_lr.json (a few KB).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import yaml
from scipy import sparse
from scipy.optimize import minimize

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.classify import (
    MODEL_FILE,
    MODEL_MIN_WEIGHT,
    NONE,
    PAIR,
    held_out,
    load_posting_rules,
    posting_vector,
)

SCRIPT_VERSION = "3"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("MLPIVOT_SHARED_DATA", ROOT.parent / "shared" / "data"))
SPLIT_SALT = "data-jobs-2023"
HELD_OUT_PERCENT = 20
DEV_SALT = "dev"
MIN_ROWS = 5
"""A skill must occur in this many TRAIN rows to become a feature."""
PAIR_MIN_ROWS = 50
"""Pairs are formed from skills in this many TRAIN rows, and a pair must itself occur in
MIN_ROWS * 4 of them: enough support for a co-occurrence weight to mean something."""
GRID = [(lam, power) for lam in (1e-4, 1e-3, 1e-2) for power in (0.0, 0.5, 1.0)]
"""(L2 penalty, class-weight power): a class's weight is (largest class / its size) ** power."""

DATA_JOBS_CLASSES: dict[str, str] = {
    "Data Scientist": "data-scientist",
    "Senior Data Scientist": "data-scientist",
    "Data Engineer": "data-engineer",
    "Senior Data Engineer": "data-engineer",
    "Machine Learning Engineer": "ml-engineer",
    "Software Engineer": "software-engineer",
    "Data Analyst": NONE,
    "Senior Data Analyst": NONE,
    "Business Analyst": NONE,
    "Cloud Engineer": NONE,
}
CLASSES = ("data-scientist", "data-engineer", "ml-engineer", "software-engineer", NONE)

Matrix = npt.NDArray[np.float64]
SCORED = tuple(NONE if c == "software-engineer" else c for c in CLASSES)
"""What each class counts as when the model is scored: software engineering is the reference
role, not a target, so the classifier answers it as none of ours (as bench/postings.py does)."""


@dataclass(frozen=True)
class Row:
    index: int
    """0-based row number in the CSV (rows without skills included), the split key."""
    label: str
    skills: tuple[str, ...]


def display_names(catalog: Catalog) -> dict[str, str]:
    """data-jobs tool name -> the catalog skill's name (as bench/postings.py writes it)."""
    names = yaml.safe_load(
        (ROOT / "src" / "mlpivot" / "figures" / "skill_names.yaml").read_text(encoding="utf-8")
    )["names"]
    return {
        str(k).lower(): catalog.skills[v].name
        for k, v in names.items()
        if v is not None and v in catalog.skills
    }


def read_train_rows(data: Path, catalog: Catalog) -> list[Row]:
    """The TRAIN rows (held-out rows are skipped before their skills are even read)."""
    shown = display_names(catalog)
    rules = load_posting_rules()
    path = data / "data-jobs-2023-salaried" / "data_jobs_salary_all.csv"
    out: list[Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if held_out(index, SPLIT_SALT, HELD_OUT_PERCENT):
                continue
            raw = row["job_skills"].strip()
            if not raw:
                continue
            skills = list(dict.fromkeys(shown.get(s, s) for s in ast.literal_eval(raw)))
            if not skills:
                continue
            text = "Skills: " + ", ".join(skills) + "."
            found = posting_vector(text, catalog, rules)
            label = DATA_JOBS_CLASSES[row["job_title_short"]]
            kept = sorted(k for k, v in found.items() if v >= MODEL_MIN_WEIGHT)
            out.append(Row(index, label, tuple(kept)))
    return out


def pair_features(rows: Sequence[Row]) -> list[str]:
    """Pairs of frequent skills that occur together often enough to be features."""
    counts = Counter(s for r in rows for s in r.skills)
    frequent = {s for s, c in counts.items() if c >= PAIR_MIN_ROWS}
    together: Counter[str] = Counter()
    for r in rows:
        kept = sorted(s for s in r.skills if s in frequent)
        together.update(f"{a}{PAIR}{b}" for i, a in enumerate(kept) for b in kept[i + 1 :])
    return sorted(p for p, c in together.items() if c >= MIN_ROWS * 4)


def design(
    rows: Sequence[Row], features: Sequence[str]
) -> tuple[sparse.csr_matrix, npt.NDArray[np.int64]]:
    """Rows of unit length over each known skill and each known pair of skills (as
    PostingModel.probabilities reads a posting)."""
    at = {f: j for j, f in enumerate(features)}
    cells: list[tuple[int, int, float]] = []
    for i, row in enumerate(rows):
        known = sorted({s for s in row.skills if s in at})
        pairs = [f"{a}{PAIR}{b}" for n, a in enumerate(known) for b in known[n + 1 :]]
        active = [at[f] for f in (*known, *pairs) if f in at]
        cells += [(i, j, 1 / math.sqrt(len(active))) for j in active]
    r = np.array([c[0] for c in cells], dtype=np.int64)
    c = np.array([c[1] for c in cells], dtype=np.int64)
    v = np.array([c[2] for c in cells], dtype=np.float64)
    x = sparse.csr_matrix((v, (r, c)), shape=(len(rows), len(features)))
    y = np.array([CLASSES.index(r.label) for r in rows], dtype=np.int64)
    return x, y


def fit(
    x: sparse.csr_matrix, y: npt.NDArray[np.int64], lam: float, power: float
) -> tuple[Matrix, Matrix]:
    """Weights (features x classes) and bias minimising weighted cross-entropy + lam/2 |W|^2."""
    n, d = x.shape
    k = len(CLASSES)
    counts = np.bincount(y, minlength=k).astype(np.float64)
    class_weight = (counts.max() / np.maximum(counts, 1.0)) ** power
    sample = class_weight[y]
    sample = sample / sample.mean()
    onehot = np.eye(k)[y]

    def loss(theta: Matrix) -> tuple[float, Matrix]:
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        value = -float((sample * np.log(p[np.arange(n), y] + 1e-12)).sum()) / n
        value += lam / 2 * float((w**2).sum())
        g = (p - onehot) * sample[:, None] / n
        grad = np.concatenate([(x.T @ g + lam * w).ravel(), g.sum(axis=0)])
        return value, grad

    result = minimize(
        loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": 1000}
    )
    theta = np.asarray(result.x, dtype=np.float64)
    return theta[: d * k].reshape(d, k), theta[d * k :]


def scores(y: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64]) -> tuple[float, float]:
    """(accuracy, macro-F1 over the labels present), classes read as SCORED."""
    merged = np.array([SCORED.index(c) for c in SCORED])
    y, predicted = merged[y], merged[predicted]
    f1s = []
    for c in sorted(set(y.tolist())):
        tp = int(((y == c) & (predicted == c)).sum())
        fp = int(((y != c) & (predicted == c)).sum())
        fn = int(((y == c) & (predicted != c)).sum())
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float((y == predicted).mean()), float(np.mean(f1s))


OFFSETS = np.round(np.arange(-2.0, 2.01, 0.1), 2)
"""The per-class logit offsets tried (coordinate ascent, three sweeps)."""


def class_offsets(logits: Matrix, y: npt.NDArray[np.int64]) -> Matrix:
    """Per-class logit offsets that maximise macro-F1 on held-apart rows: the arg-max of a
    likelihood-trained model favours the common classes, while the target is F1 per class."""
    offsets = np.zeros(logits.shape[1])
    best = scores(y, np.argmax(logits, axis=1))[1]
    for _sweep in range(3):
        for c in range(logits.shape[1]):
            for value in OFFSETS:
                trial = offsets.copy()
                trial[c] = value
                f1 = scores(y, np.argmax(logits + trial, axis=1))[1]
                if f1 > best + 1e-9:
                    best, offsets = f1, trial
    return offsets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    catalog = load_catalog()
    rows = read_train_rows(args.data, catalog)
    counts = Counter(s for r in rows for s in r.skills)
    singles = sorted(s for s, c in counts.items() if c >= MIN_ROWS)
    features = singles + pair_features(rows)

    fold = [r for r in rows if not held_out(r.index, DEV_SALT, 20)]
    dev = [r for r in rows if held_out(r.index, DEV_SALT, 20)]
    x_fold, y_fold = design(fold, features)
    x_dev, y_dev = design(dev, features)
    print(
        f"TRAIN rows {len(rows)} (fit {len(fold)}, dev {len(dev)}), features {len(features)} "
        f"({len(singles)} skills, {len(features) - len(singles)} pairs)"
    )
    best: tuple[float, float, Matrix, float, float] | None = None
    for lam, power in GRID:
        w, b = fit(x_fold, y_fold, lam, power)
        logits = np.asarray(x_dev @ w + b)
        offsets = class_offsets(logits, y_dev)
        acc, f1 = scores(y_dev, np.argmax(logits + offsets, axis=1))
        print(
            f"  lam {lam:g}  class-weight power {power:g}: dev accuracy {acc:.3f}  F1 {f1:.3f} "
            f"(without offsets {scores(y_dev, np.argmax(logits, axis=1))[1]:.3f})"
        )
        if best is None or f1 > best[4]:
            best = (lam, power, offsets, acc, f1)
    assert best is not None
    lam, power, offsets, dev_acc, dev_f1 = best

    x, y = design(rows, features)
    w, b = fit(x, y, lam, power)
    b = b + offsets
    model = {
        "script": f"scripts/train_posting_classifier.py v{SCRIPT_VERSION}",
        "trained_on": "data-jobs 2023",
        "split": {"salt": SPLIT_SALT, "held_out_percent": HELD_OUT_PERCENT},
        "params": {
            "l2": lam,
            "class_weight_power": power,
            "min_rows": MIN_ROWS,
            "pair_min_rows": PAIR_MIN_ROWS,
            "class_offsets": [round(float(v), 2) for v in offsets],
            "rows": len(rows),
        },
        "dev": {"accuracy": round(dev_acc, 4), "macro_f1": round(dev_f1, 4)},
        "classes": list(CLASSES),
        "features": features,
        "weights": [[round(float(v), 5) for v in line] for line in w],
        "bias": [round(float(v), 5) for v in b],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"chose lam {lam:g}, power {power:g} (dev accuracy {dev_acc:.3f}, F1 {dev_f1:.3f})")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
