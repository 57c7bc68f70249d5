"""Grading benchmark: how well `grade_answer` agrees with human scores, next to a baseline.

    uv run python bench/grading.py [--data tests/data/devsets/grading/answers.jsonl]

Systems, measured in the same run on the same items:
  ours      mlpivot.grade_answer(question, reference, answer, rubric) -> score_5
  bow       bag-of-words cosine: lower-cased alphanumeric tokens of the answer against the
            reference plus the rubric points (the README's reference baseline)
Splits: the items whose question_id sorts among the first 40 distinct question ids are the
tuning split (the only ones a grader may be tuned on); the other 20 questions are held out.
`--no-rubric` grades against the reference alone (its sentences become the points; the
baseline then uses the reference alone too), as a public set without rubrics would. Prints
Pearson and Spearman per split, the mean score per kind (human and both systems, on the 0-5
scale), rubric-point precision/recall against the human `covered` lists, and answers per
second for `grade_answer` on one core.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import pearsonr, spearmanr

from mlpivot import grade_answer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests" / "data" / "devsets" / "grading" / "answers.jsonl"
TUNING_QUESTIONS = 40


def bow_cosine(item: dict[str, Any], rubric: bool = True) -> float:
    def vec(text: str) -> Counter[str]:
        return Counter(re.findall(r"[a-z0-9]+", text.lower()))

    a = vec(item["answer"])
    b = vec(item["reference"] + " " + (" ".join(item["rubric"]) if rubric else ""))
    dot = sum(a[t] * b[t] for t in a)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def correlations(human: list[float], system: list[float]) -> tuple[float, float]:
    if len(human) < 3 or np.std(system) == 0:
        return float("nan"), float("nan")
    return float(pearsonr(human, system)[0]), float(spearmanr(human, system)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument(
        "--no-rubric",
        action="store_true",
        help="grade against the reference alone (rubric=None), as a set without rubrics would",
    )
    args = parser.parse_args()
    items = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    qids = sorted({it["question_id"] for it in items})
    tuning = set(qids[:TUNING_QUESTIONS])

    start = time.perf_counter()
    grades = [
        grade_answer(
            it["question"], it["reference"], it["answer"], None if args.no_rubric else it["rubric"]
        )
        for it in items
    ]
    elapsed = time.perf_counter() - start
    ours = [g.score_5 for g in grades]
    bow = [5 * bow_cosine(it, rubric=not args.no_rubric) for it in items]
    human = [float(it["score_5"]) for it in items]

    splits = {
        "tuning": [i for i, it in enumerate(items) if it["question_id"] in tuning],
        "held-out": [i for i, it in enumerate(items) if it["question_id"] not in tuning],
        "all": list(range(len(items))),
    }
    print(f"{len(items)} items on {len(qids)} questions ({TUNING_QUESTIONS} tuning questions)")
    print(f"{'split':<10}{'n':>5}  {'ours r':>7} {'ours rho':>9}  {'bow r':>7} {'bow rho':>8}")
    for name, idx in splits.items():
        h = [human[i] for i in idx]
        pr, sr = correlations(h, [ours[i] for i in idx])
        br, bs = correlations(h, [bow[i] for i in idx])
        print(f"{name:<10}{len(idx):>5}  {pr:>7.3f} {sr:>9.3f}  {br:>7.3f} {bs:>8.3f}")

    print("\nmean score_5 per kind (all items)")
    print(f"{'kind':<12}{'n':>4}  {'human':>6} {'ours':>6} {'bow':>6}")
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        by_kind[it["kind"]].append(i)
    for kind, idx in sorted(by_kind.items(), key=lambda kv: -np.mean([human[i] for i in kv[1]])):
        print(
            f"{kind:<12}{len(idx):>4}  {np.mean([human[i] for i in idx]):>6.2f}"
            f" {np.mean([ours[i] for i in idx]):>6.2f} {np.mean([bow[i] for i in idx]):>6.2f}"
        )

    print("\nrubric points (grader covered vs human covered)")
    for name, idx in splits.items() if not args.no_rubric else ():
        tp = fp = fn = 0
        for i in idx:
            rubric = items[i]["rubric"]
            gold = {rubric[k] for k in items[i]["covered"]}
            got = set(grades[i].covered)
            tp += len(gold & got)
            fp += len(got - gold)
            fn += len(gold - got)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(f"{name:<10} precision {p:.3f} recall {r:.3f}")

    print(f"\nspeed: {len(items) / elapsed:,.0f} answers/s ({elapsed:.3f} s for {len(items)})")


if __name__ == "__main__":
    main()
