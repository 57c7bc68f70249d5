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

Splits, by a hash of the row number in the CSV (`classify.held_out`):
  * held out: 20% (salt "data-jobs-2023"), never read here; bench/postings.py reports on it;
  * the other 80% is TRAIN; within it a dev fold (20% of TRAIN, salt "dev") picks the penalty
    and the class weighting from a small grid, then the model is refit on all of TRAIN.

Writes src/mlpivot/ingest/models/posting_roles_lr.json (a few KB).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import yaml
from scipy.optimize import minimize

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.classify import (
    MODEL_FILE,
    MODEL_MIN_WEIGHT,
    NONE,
    held_out,
    load_posting_rules,
    posting_vector,
)

SCRIPT_VERSION = "2"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("MLPIVOT_SHARED_DATA", ROOT.parent / "shared" / "data"))
SPLIT_SALT = "data-jobs-2023"
HELD_OUT_PERCENT = 20
DEV_SALT = "dev"
MIN_ROWS = 5
"""A skill must occur in this many TRAIN rows to become a feature."""
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


def design(rows: Sequence[Row], features: Sequence[str]) -> tuple[Matrix, npt.NDArray[np.int64]]:
    at = {f: j for j, f in enumerate(features)}
    x = np.zeros((len(rows), len(features)))
    for i, row in enumerate(rows):
        for s in row.skills:
            if s in at:
                x[i, at[s]] = 1.0
    y = np.array([CLASSES.index(r.label) for r in rows], dtype=np.int64)
    return x, y


def fit(x: Matrix, y: npt.NDArray[np.int64], lam: float, power: float) -> tuple[Matrix, Matrix]:
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
    """(accuracy, macro-F1 over the classes present)."""
    f1s = []
    for c in sorted(set(y.tolist())):
        tp = int(((y == c) & (predicted == c)).sum())
        fp = int(((y != c) & (predicted == c)).sum())
        fn = int(((y == c) & (predicted != c)).sum())
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float((y == predicted).mean()), float(np.mean(f1s))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    catalog = load_catalog()
    rows = read_train_rows(args.data, catalog)
    counts = Counter(s for r in rows for s in r.skills)
    features = sorted(s for s, c in counts.items() if c >= MIN_ROWS)

    fold = [r for r in rows if not held_out(r.index, DEV_SALT, 20)]
    dev = [r for r in rows if held_out(r.index, DEV_SALT, 20)]
    x_fold, y_fold = design(fold, features)
    x_dev, y_dev = design(dev, features)
    print(f"TRAIN rows {len(rows)} (fit {len(fold)}, dev {len(dev)}), features {len(features)}")
    best: tuple[float, float, float, float] | None = None
    for lam, power in GRID:
        w, b = fit(x_fold, y_fold, lam, power)
        acc, f1 = scores(y_dev, np.argmax(x_dev @ w + b, axis=1))
        print(f"  lam {lam:g}  class-weight power {power:g}: dev accuracy {acc:.3f}  F1 {f1:.3f}")
        if best is None or f1 > best[3]:
            best = (lam, power, acc, f1)
    assert best is not None
    lam, power, dev_acc, dev_f1 = best

    x, y = design(rows, features)
    w, b = fit(x, y, lam, power)
    model = {
        "script": f"scripts/train_posting_classifier.py v{SCRIPT_VERSION}",
        "trained_on": "data-jobs 2023",
        "split": {"salt": SPLIT_SALT, "held_out_percent": HELD_OUT_PERCENT},
        "params": {"l2": lam, "class_weight_power": power, "min_rows": MIN_ROWS, "rows": len(rows)},
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
