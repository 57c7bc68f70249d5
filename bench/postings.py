"""Posting-classification benchmark: does `classify_posting` name the role a posting is for?

    uv run python bench/postings.py [--data ../shared/data] [--limit N] [--errors]

One run measures three methods on every source, each title only, text only and title + text:

methods
  mlpivot       `classify_posting` as shipped;
  keyword rule  a twenty-line rule: count a few words per role in the posting, most wins;
  tfidf+lr      TF-IDF over words and word pairs + multinomial logistic regression, trained in this
                run on the same documents as the classifier (scripts/posting_corpus.py: data-jobs
                TRAIN, O*NET occupations, the knowledge base's roles).
sources
  dev sets      every tests/data/devsets/postings/set_*.jsonl: realistic postings labelled from
                the body (README*.md there). set_a is the one the classifier is TUNED on; every
                other set is HELD OUT: measured, never tuned on, and its postings and errors are
                not printed one by one (a set dropped into the folder is reported as held out).
  data-jobs     the held-out 20% of data-jobs 2023 (title + "Skills: a, b, c."; labels from the
                author's title classes), never used for training.
  written       tests/data/postings: 46 hand-written postings, a sanity set.

Labels are our seven target role ids and "none". Software engineering is our reference role, not
a target: a plain software posting is none, so a `software-engineer` answer counts as none.
Figures: accuracy and macro-F1 over the labels present; confusion tables (rows = expected,
columns = predicted) for mlpivot; per dev set, mlpivot's accuracy by title style in every mode
(counts only). `--errors` lists the tune set's misclassified postings (never a held-out set's).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import yaml
from scipy import sparse
from scipy.optimize import minimize

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.classify import classify_posting
from mlpivot.ingest.posting import parse_posting

ROOT = Path(__file__).resolve().parent.parent
POSTINGS = ROOT / "tests" / "data" / "postings"
DEVSETS = ROOT / "tests" / "data" / "devsets" / "postings"
sys.path.insert(0, str(ROOT / "scripts"))

from posting_corpus import NONE, Doc, data_jobs_rows, default_data, training_docs  # noqa: E402

SHORT = {
    "ml-engineer": "mle",
    "data-scientist": "ds",
    "research-scientist": "rs",
    "mlops-engineer": "mlops",
    "ai-engineer": "aie",
    "data-engineer": "de",
    "ai-product-manager": "aipm",
    NONE: "none",
}
MODES = ("title", "text", "title+text")


@dataclass(frozen=True)
class Example:
    key: str
    title: str
    text: str
    label: str
    style: str = ""
    """The dev sets' title_style: clear, vague, mixed, misleading or non-ml."""


def _label(role_id: str | None) -> str:
    return NONE if role_id in (None, "software-engineer") else str(role_id)


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
    rows = ["expected \\ got".ljust(16) + "".join(SHORT[p].rjust(7) for p in predicted)]
    for e in expected:
        cells = "".join(str(counts.get((e, p), 0) or ".").rjust(7) for p in predicted)
        total = sum(n for (x, _), n in counts.items() if x == e)
        rows.append(f"{SHORT[e]:<16}{cells}   (n={total})")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# Sources


TUNE_SET = "set_a"
"""The one dev set the classifier may be tuned on; every other set_*.jsonl is held out."""


def devset(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [Example(r["id"], r["title"], r["text"], r["label"], r["title_style"]) for r in rows]


def devsets(folder: Path = DEVSETS) -> dict[str, tuple[bool, list[Example]]]:
    """Every set_*.jsonl in the folder, by a name that says whether it is tuned on: name ->
    (tuned, examples), the tune set first."""
    paths = sorted(folder.glob("set_*.jsonl"), key=lambda p: (p.stem != TUNE_SET, p.name))
    out = {}
    for path in paths:
        tuned = path.stem == TUNE_SET
        out[f"{path.stem} ({'tune' if tuned else 'held-out'})"] = (tuned, devset(path))
    return out


def held_out_jobs(data: Path, catalog: Catalog, limit: int | None) -> list[Example]:
    out = []
    for index, title, text, label in data_jobs_rows(data, catalog, held=True):
        out.append(Example(f"row {index}", title, text, label))
        if limit and len(out) >= limit:
            break
    return out


def written_postings(catalog: Catalog) -> list[Example]:
    labels = yaml.safe_load((POSTINGS / "labels.yaml").read_text(encoding="utf-8"))["postings"]
    out = []
    for name, label in labels.items():
        posting = parse_posting(POSTINGS / name, catalog)
        out.append(Example(name, posting.title, posting.text, _label(label["role"])))
    return out


# ---------------------------------------------------------------------------------------------
# Baselines

KEYWORDS: dict[str, tuple[str, ...]] = {
    "ai-product-manager": ("product manager", "product owner", "roadmap", "product strategy"),
    "mlops-engineer": ("mlops", "kubeflow", "model registry", "ml platform", "model serving"),
    "research-scientist": ("research scientist", "phd", "publications", "neurips", "icml"),
    "ai-engineer": ("llm", "rag", "prompt", "generative ai", "langchain", "vector database"),
    "ml-engineer": ("machine learning engineer", "ml engineer", "model training", "pytorch"),
    "data-engineer": ("data engineer", "etl", "pipelines", "airflow", "spark", "dbt", "kafka"),
    "data-scientist": ("data scientist", "statistic", "a/b test", "experiment", "hypothesis"),
}


def keyword_rule(title: str, text: str) -> str:
    """The role whose words occur most often (title words count three times), or none."""
    lowered_title, lowered = title.lower(), text.lower()
    best, best_hits = NONE, 0
    for role, words in KEYWORDS.items():
        hits = sum(3 * lowered_title.count(w) + lowered.count(w) for w in words)
        if hits > best_hits:
            best, best_hits = role, hits
    return best


WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")


def _terms(text: str) -> list[str]:
    words = WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class TfidfLogistic:
    """TF-IDF (sublinear tf, smooth idf, L2 rows) over words and word pairs occurring in two or
    more documents, then multinomial logistic regression (L-BFGS, L2 penalty, balanced class
    weights), as scikit-learn's defaults would give, in numpy/scipy."""

    def __init__(self, docs: Sequence[Doc], lam: float = 1e-4) -> None:
        texts = [f"{d.title}\n{d.text}" for d in docs]
        df: Counter[str] = Counter()
        for t in texts:
            df.update(set(_terms(t)))
        vocab = sorted(t for t, n in df.items() if n >= 2)
        self.index = {t: i for i, t in enumerate(vocab)}
        self.idf = np.array([math.log((1 + len(texts)) / (1 + df[t])) + 1 for t in vocab])
        self.classes = sorted({d.label for d in docs})
        x = self.transform(texts)
        y = np.array([self.classes.index(d.label) for d in docs])
        self.w, self.b = self._fit(x, y, lam)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for i, t in enumerate(texts):
            counts = Counter(j for term in _terms(t) if (j := self.index.get(term)) is not None)
            weights = {j: (1 + math.log(n)) * self.idf[j] for j, n in counts.items()}
            norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
            for j, v in weights.items():
                rows.append(i)
                cols.append(j)
                vals.append(v / norm)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.index)))

    def _fit(
        self, x: sparse.csr_matrix, y: npt.NDArray[np.int64], lam: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        n, d = x.shape
        k = len(self.classes)
        counts = np.bincount(y, minlength=k).astype(np.float64)
        sample = (n / (k * counts))[y]
        onehot = np.eye(k)[y]

        def loss(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
            w, b = theta[: d * k].reshape(d, k), theta[d * k :]
            z = x @ w + b
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            value = -float((sample * np.log(p[np.arange(n), y] + 1e-12)).sum()) / n
            g = (p - onehot) * sample[:, None] / n
            grad = np.concatenate([(x.T @ g + lam * w).ravel(), g.sum(axis=0)])
            return value + lam / 2 * float((w**2).sum()), grad

        found = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B")
        theta = np.asarray(found.x, dtype=np.float64)
        return theta[: d * k].reshape(d, k), theta[d * k :]

    def predict(self, title: str, text: str) -> str:
        z = self.transform([f"{title}\n{text}"]) @ self.w + self.b
        return self.classes[int(np.argmax(z))]


# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--limit", type=int, default=None, help="only the first N data-jobs rows")
    parser.add_argument(
        "--errors", action="store_true", help="list the tune set's misclassified postings"
    )
    args = parser.parse_args(argv)
    catalog = load_catalog()

    started = time.perf_counter()
    tfidf = TfidfLogistic(training_docs(args.data, catalog))
    print(f"tfidf+lr trained in {time.perf_counter() - started:.0f} s")
    dev = devsets()
    sources = {
        **{name: examples for name, (_tuned, examples) in dev.items()},
        "data-jobs held-out": held_out_jobs(args.data, catalog, args.limit),
        "written (sanity)": written_postings(catalog),
    }
    methods: dict[str, Callable[[str, str], str]] = {
        "mlpivot": lambda title, text: _label(classify_posting(title, text, catalog).role_id),
        "keyword rule": keyword_rule,
        "tfidf+lr": tfidf.predict,
    }
    results: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    print(f"\n{'source':<22}{'mode':<12}{'method':<14}{'n':>6}{'accuracy':>10}{'macro-F1':>10}")
    for source, examples in sources.items():
        for mode in MODES:
            for method, predict in methods.items():
                pairs = [
                    (
                        ex.label,
                        predict(
                            "" if mode == "text" else ex.title, "" if mode == "title" else ex.text
                        ),
                    )
                    for ex in examples
                ]
                results[source, mode, method] = pairs
                print(
                    f"{source:<22}{mode:<12}{method:<14}{len(pairs):>6}"
                    f"{accuracy(pairs):>10.3f}{macro_f1(pairs):>10.3f}"
                )
    print("\nmlpivot accuracy by title style (dev sets; counts only, no postings):")
    for source in dev:
        for mode in MODES:
            by_style: dict[str, list[bool]] = {}
            for ex, (expected, got) in zip(
                sources[source], results[source, mode, "mlpivot"], strict=True
            ):
                by_style.setdefault(ex.style, []).append(expected == got)
            print(
                f"  {source:<20}{mode:<12}"
                + "  ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_style.items()))
            )
    for source in sources:
        for mode in ("text", "title+text"):
            print(f"\nConfusion, mlpivot, {source}, {mode}:")
            print(confusion(results[source, mode, "mlpivot"]))
    if args.errors:
        for source, (tuned, examples) in dev.items():
            if not tuned:
                continue
            for mode in ("text", "title+text"):
                print(f"\n{source} errors, mlpivot, {mode}:")
                for ex, (expected, got) in zip(
                    examples, results[source, mode, "mlpivot"], strict=True
                ):
                    if expected != got:
                        print(f"  {ex.key} [{ex.title}] expected {expected}, got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
