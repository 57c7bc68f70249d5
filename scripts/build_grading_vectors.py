"""Build the word vectors `grade_answer` uses to match a rubric word to a related answer word.

    uv run python scripts/build_grading_vectors.py [--data ../shared/data] [--check]

PPMI-SVD (count co-occurrences of stems within a window, positive pointwise mutual information,
truncated SVD) over text we have: the knowledge base YAML and the question bank (our own
words), ESCO skill descriptions and O*NET task statements. The vocabulary is the stems of our
own text (the domain), counted against all of it. Deterministic: fixed vocabulary order, a
dense symmetric eigendecomposition (no random start), signs fixed so each column's largest
entry is positive. Writes src/mlpivot/catalog/data/grading_vectors.npz (float16).
`--check` rebuilds in memory and fails if the committed file differs.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from mlpivot.engine.grading import STOPWORDS, stem

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "mlpivot" / "catalog" / "data" / "grading_vectors.npz"
WINDOW = 5
VOCAB = 5000
DIMS = 48
MIN_COUNT = 3


def _tokens(text: str) -> list[str]:
    import re

    return [
        stem(w)
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in STOPWORDS and not w.isdigit() and len(w) > 1
    ]


def _own_texts() -> list[str]:
    texts = []
    for folder in (
        ROOT / "src" / "mlpivot" / "knowledge",
        ROOT / "src" / "mlpivot" / "question_bank",
    ):
        for path in sorted(folder.rglob("*.yaml")):
            texts.extend(line for line in path.read_text(encoding="utf-8").splitlines())
    return texts


def _outside_texts(data: Path) -> list[str]:
    texts: list[str] = []
    esco = data / "esco-skills" / "esco_skills_concat.csv"
    if esco.exists():
        with esco.open(encoding="utf-8") as handle:
            texts.extend(row["description"] for row in csv.DictReader(handle))
    tasks = data / "onet-29.2" / "Task Statements.txt"
    if tasks.exists():
        reader = csv.DictReader(io.StringIO(tasks.read_text(encoding="utf-8")), delimiter="\t")
        texts.extend(row.get("Task", "") for row in reader)
    return texts


def build(data: Path) -> dict[str, np.ndarray]:
    own = [_tokens(t) for t in _own_texts()]
    outside = [_tokens(t) for t in _outside_texts(data)]
    own_counts = Counter(w for line in own for w in line)
    vocab = sorted(
        (w for w, c in own_counts.items() if c >= MIN_COUNT),
        key=lambda w: (-own_counts[w], w),
    )[:VOCAB]
    vocab.sort()
    index = {w: i for i, w in enumerate(vocab)}
    counts = np.zeros((len(vocab), len(vocab)), dtype=np.float64)
    for line in own + outside:
        ids = [index.get(w, -1) for w in line]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for b in ids[i + 1 : i + 1 + WINDOW]:
                if b >= 0 and b != a:
                    counts[a, b] += 1
                    counts[b, a] += 1
    total = counts.sum()
    row = counts.sum(axis=1, keepdims=True)
    col = row.T**0.75
    col = col / col.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * total / (row * col))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    values, vectors = np.linalg.eigh(ppmi)
    top = np.argsort(-np.abs(values))[:DIMS]
    emb = vectors[:, top] * np.sqrt(np.abs(values[top]))
    signs = np.sign(emb[np.argmax(np.abs(emb), axis=0), np.arange(emb.shape[1])])
    emb = emb * signs
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    emb = np.where(norms > 0, emb / np.maximum(norms, 1e-12), 0.0)
    return {"words": np.array(vocab), "vectors": emb.astype(np.float16)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    built = build(args.data)
    if args.check:
        with np.load(OUT) as old:
            same = list(old["words"]) == list(built["words"]) and np.array_equal(
                old["vectors"], built["vectors"]
            )
        print("grading vectors up to date" if same else "grading vectors differ: rebuild")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **built)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(built['words'])} words x {DIMS} dims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
