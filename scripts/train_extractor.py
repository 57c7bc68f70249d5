"""Build the skill extractor's CRF model and vocabulary from the shared data (deterministic).

    uv run python scripts/train_extractor.py [--data ../shared/data] [--out DIR]

Writes src/mlpivot/ingest/models/vocabulary.tsv (O*NET technology names, ESCO skill labels, the
built-in catalog's skill names and aliases, and the verbs ESCO skill labels open with),
src/mlpivot/ingest/models/word_clusters.tsv (distributional word clusters from text we hold, see
`cluster_corpus`) and src/mlpivot/ingest/models/skill_crf.crfsuite, trained on the SkillSpan
tech+house TRAIN splits only (dev is for reporting, test is held out), plus skill_crf.version.
The choices here were made by 5-fold cross-validation over contiguous fifths of the tech TRAIN
split (house TRAIN always in training), scoring the whole of `extract_skills`, never on dev:
  v3 features, best-path labels, every catalog match      strict/loose F1 0.455/0.770
  v3, labels by weighted marginals (O_WEIGHT in extract.py), ability/domain catalog names
      only where the CRF sees a skill (CATALOG_SUPPORT)                       0.460/0.794
  v4 = v3 + word classes, neighbour pairs, shapes at +-2, longest-match edges, word
      clusters; best-path labels, every catalog match                         0.473/0.779
  v4 with O_WEIGHT and CATALOG_SUPPORT (what ships)                           0.476/0.799
  v5 = v4 with c2 0.05 (was 0.01), measured on tech DEV beside the baseline (issue 12 asks
      for dev figures): 0.458/0.769 -> 0.471/0.779. Also tried there and not taken: c1 0.02
      or 0.1 (0.460, 0.461 strict), c2 0.002 (0.460), c1 = c2 = 0.1 (0.465/0.781), word
      clusters at +-2 (0.463/0.777; 0.461 with c2 0.05), cluster-pair features (0.467/0.772,
      half the speed).
  Span edges after decoding, v5, on tech DEV (no retraining): `whole_words` (a span never
      splits a word written without spaces, "Unix/Linux") 0.471/0.779 -> 0.473/0.780, taken.
      Not taken: trimming edge tokens by marginal (0.464 at 0.4), taking in neighbours with an
      inside marginal >= 0.2 (0.469/0.787; 0.449/0.797 at 0.05), Viterbi edges where they
      overlap (0.472/0.778), the union of Viterbi and marginal spans (0.474/0.780, duplicate
      overlapping mentions), moving each edge by one token while the joint probability rises,
      merging or splitting spans at "and"/"or" by joint probability (all within 0.001), no
      frame cuts for qualifiers or frame adjectives (no change: the CRF already leaves them
      out). 75 of 1,351 DEV gold spans keep edge punctuation ("Azure )", "programming;") that
      spans here never carry; 30 found spans miss strict only by it.
  BILOU instead of BIO (v3 features): +0.008 strict, -0.004 loose: not taken (slower to tag)
  adding Sayfullina TRAIN (v3 features): 0.434/0.740, worse on tech: left out. Sayfullina marks
  one soft skill per sentence and leaves the others unmarked, so an extractor that is not
  trained on it scores low there (dev strict F1 ~0.1) while finding what it should.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mlpivot.ingest.extract import (
    CRF_MODEL,
    VOCABULARY,
    WORD_CLUSTERS,
    Vocabulary,
    load_vocabulary,
    sentence_features,
    tokenize,
)

SCRIPT_VERSION = "5"
ROOT = Path(__file__).resolve().parent.parent
# MLPIVOT_SHARED_DATA, else ../shared/data beside the checkout or beside its worktrees folder.
DEFAULT_DATA = Path(
    os.environ.get("MLPIVOT_SHARED_DATA")
    or next(
        (
            p / "shared" / "data"
            for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared").is_dir()
        ),
        ROOT.parent / "shared" / "data",
    )
)
CRF_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
# ESCO skill labels open with a verb ("manage staff", "deploy cloud resources"); a word that
# opens at least this many multi-word labels counts as one.
MIN_VERB_LABELS = 3


@dataclass(frozen=True)
class Sentence:
    """A sentence as text (tokens joined by spaces) with gold char spans (start, end, type)."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


def _bio_spans(tags: Sequence[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = -1
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I") and start >= 0:
            continue
        if start >= 0:
            spans.append((start, i))
            start = -1
        if tag[:1] in ("B", "I"):
            start = i
    return spans


def read_conll(path: Path, types: Sequence[str]) -> Iterator[Sentence]:
    """CoNLL with one BIO column per entry of `types` (e.g. ("skill", "knowledge"))."""
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in [*handle, "\n"]:
            parts = line.rstrip("\n").split("\t")
            if len(parts) > len(types) and parts[0]:
                rows.append(parts)
                continue
            if not rows:
                continue
            words = [r[0] for r in rows]
            offsets: list[tuple[int, int]] = []
            pos = 0
            for w in words:
                offsets.append((pos, pos + len(w)))
                pos += len(w) + 1
            spans = [
                (offsets[a][0], offsets[b - 1][1], kind)
                for col, kind in enumerate(types, start=1)
                for a, b in _bio_spans([r[col] for r in rows])
            ]
            yield Sentence(" ".join(words), tuple(sorted(spans)))
            rows = []


def skillspan(data: Path, subset: str, split: str) -> list[Sentence]:
    path = data / "skillspan" / f"skillspan_{subset}_{split}.conll"
    return list(read_conll(path, ("skill", "knowledge")))


def sayfullina(data: Path, split: str) -> list[Sentence]:
    return list(read_conll(data / "sayfullina" / f"sayfullina_{split}.conll", ("skill",)))


def token_labels(sentence: Sentence, tokens: Sequence[tuple[int, int]]) -> list[str]:
    """BIO labels for our own tokens, projected from the gold char spans (outer span wins)."""
    labels = ["O"] * len(tokens)
    for start, end, kind in sorted(sentence.spans, key=lambda s: s[0] - s[1]):
        inside = [i for i, (a, b) in enumerate(tokens) if a >= start and b <= end]
        if not inside or any(labels[i] != "O" for i in inside):
            continue
        tag = "S" if kind == "skill" else "K"
        labels[inside[0]] = "B-" + tag
        for i in inside[1:]:
            labels[i] = "I-" + tag
    return labels


Featurizer = Callable[[str, Sequence[tuple[int, int]]], list[list[str]]]


def train_crf(sentences: Sequence[Sentence], featurize: Featurizer, out: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sentences:
        tokens = tokenize(s.text)
        if tokens:
            trainer.append(featurize(s.text, tokens), token_labels(s, tokens))
    trainer.set_params(CRF_PARAMS)
    trainer.train(str(out))


def train_sentences(data: Path) -> list[Sentence]:
    return [*skillspan(data, "tech", "train"), *skillspan(data, "house", "train")]


def _onet_names(data: Path) -> set[str]:
    path = data / "onet-29.2" / "Technology Skills.txt"
    with path.open(encoding="utf-8") as handle:
        return {row["Example"].strip() for row in csv.DictReader(handle, delimiter="\t")}


def _esco_labels(data: Path) -> set[str]:
    path = data / "esco-skills" / "esco_skills_preferred_label.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["preferred_label_if_recovered"].strip()
            for row in csv.DictReader(handle)
            if row["preferred_label_if_recovered"].strip()
        }


def _esco_verbs(data: Path) -> list[str]:
    counts: dict[str, int] = {}
    for label in _esco_labels(data):
        words = label.casefold().split()
        if len(words) > 1:
            counts[words[0]] = counts.get(words[0], 0) + 1
    return sorted(w for w, n in counts.items() if n >= MIN_VERB_LABELS and w.isalpha())


def _catalog_names() -> list[str]:
    from mlpivot.catalog import load_catalog

    catalog = load_catalog()
    return sorted({label for s in catalog.skills.values() for label in (s.name, *s.aliases)})


def dictionary_entries(data: Path) -> list[tuple[str, str]]:
    """(phrase, kind) for the plain ESCO + O*NET dictionary: K = technology, S = skill."""
    tech = sorted(_onet_names(data))
    return [(p, "K") for p in tech] + [
        (p, "S") for p in sorted(_esco_labels(data)) if p not in tech
    ]


def write_vocabulary(data: Path, out: Path) -> None:
    lines = [
        f"# mlpivot extractor vocabulary, built by scripts/train_extractor.py v{SCRIPT_VERSION}",
        "# K = technology names from O*NET 29.2 'Technology Skills' (USDOL/ETA, CC BY 4.0);",
        "# S = ESCO skill preferred labels (European Commission, reuse with acknowledgement);",
        "# C = mlpivot's built-in skill names and aliases; V = words ESCO skill labels open with.",
    ]
    lines += [f"{kind}\t{phrase}" for phrase, kind in dictionary_entries(data)]
    lines += [f"C\t{name}" for name in _catalog_names()]
    lines += [f"V\t{verb}" for verb in _esco_verbs(data)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


# Word clusters: PPMI over position-aware neighbours (two words either side) of the words seen
# at least MIN_WORD_COUNT times, SVD to CLUSTER_DIMS, then spherical k-means at each of
# CLUSTER_SIZES, started from the most frequent words (deterministic, no random seed).
MIN_WORD_COUNT = 3
CONTEXT_WORDS = 2000
CLUSTER_DIMS = 64
CLUSTER_SIZES = (32, 128, 512)
KMEANS_ROUNDS = 15


def cluster_corpus(data: Path) -> Iterator[str]:
    """Text we hold that reads like postings or skills: SkillSpan and Sayfullina TRAIN sentences
    (their words only, no labels), ESCO skill and occupation descriptions, O*NET task
    statements. Dev and test text stay out."""
    for s in [*train_sentences(data), *sayfullina(data, "train")]:
        yield s.text
    csv.field_size_limit(10**7)
    for name in ("esco_skills_concat.csv", "esco_occupations_concat.csv"):
        with (data / "esco-skills" / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield row["description"]
    with (data / "onet-29.2" / "Task Statements.txt").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            yield row["Task"]


def word_clusters(data: Path) -> dict[str, tuple[str, ...]]:
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import svds

    texts = [[text[a:b].casefold() for a, b in tokenize(text)] for text in cluster_corpus(data)]
    freq: dict[str, int] = {}
    for words in texts:
        for w in words:
            freq[w] = freq.get(w, 0) + 1
    vocab = sorted((w for w, c in freq.items() if c >= MIN_WORD_COUNT), key=lambda w: (-freq[w], w))
    row_of = {w: i for i, w in enumerate(vocab)}
    col_of = {w: i for i, w in enumerate(vocab[:CONTEXT_WORDS])}
    span = 2 * 2 + 1
    rows: list[int] = []
    cols: list[int] = []
    for words in texts:
        ids = [row_of.get(w, -1) for w in words]
        ctx = [col_of.get(w, -1) for w in words]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for off in (-2, -1, 1, 2):
                j = i + off
                if 0 <= j < len(words) and ctx[j] >= 0:
                    rows.append(a)
                    cols.append(ctx[j] * span + off + 2)
    counts = sparse.coo_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(vocab), CONTEXT_WORDS * span)
    ).tocsr()
    counts.sum_duplicates()
    total = counts.sum()
    row_sum = np.asarray(counts.sum(1)).ravel()
    col_sum = np.asarray(counts.sum(0)).ravel() ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    coo = counts.tocoo()
    pmi = np.log(coo.data * total / (row_sum[coo.row] * col_sum[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=coo.shape)
    start = np.ones(min(ppmi.shape)) / np.sqrt(min(ppmi.shape))
    u, sigma, _ = svds(ppmi, k=CLUSTER_DIMS, v0=start)
    order = np.argsort(-sigma)
    vectors = u[:, order] * np.sqrt(sigma[order])
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    labels: dict[int, list[int]] = {}
    for k in CLUSTER_SIZES:
        centres = vectors[:k].copy()
        for _ in range(KMEANS_ROUNDS):
            assigned = (vectors @ centres.T).argmax(1)
            for j in range(k):
                members = assigned == j
                if members.any():
                    v = vectors[members].sum(0)
                    centres[j] = v / max(float(np.linalg.norm(v)), 1e-9)
        labels[k] = [int(x) for x in assigned]
    return {w: tuple(f"{k}:{labels[k][i]}" for k in CLUSTER_SIZES) for i, w in enumerate(vocab)}


def write_clusters(data: Path, out: Path) -> None:
    lines = [
        f"# mlpivot word clusters, built by scripts/train_extractor.py v{SCRIPT_VERSION} from",
        "# SkillSpan + Sayfullina TRAIN text (CC BY 4.0), ESCO descriptions (European Commission)",
        "# and O*NET 29.2 task statements (USDOL/ETA, CC BY 4.0): word, then its cluster at "
        + ", ".join(str(k) for k in CLUSTER_SIZES)
        + " clusters.",
    ]
    # A word that opens with "#" would read as a comment line.
    lines += [
        f"{w}\t{' '.join(ids)}" for w, ids in word_clusters(data).items() if not w.startswith("#")
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def merged_scores(
    gold: Sequence[Sequence[tuple[int, int, str]]], found: Sequence[Sequence[tuple[int, int, str]]]
) -> dict[str, float]:
    """Span P/R/F1 with skill and knowledge merged: strict = same offsets, loose = overlap."""
    tp = n_found = n_gold = loose_p = loose_r = 0
    for g_raw, f_raw in zip(gold, found, strict=True):
        g = {(a, b) for a, b, _ in g_raw}
        f = {(a, b) for a, b, _ in f_raw}
        n_gold, n_found, tp = n_gold + len(g), n_found + len(f), tp + len(g & f)
        loose_p += sum(any(a < d and c < b for c, d in g) for a, b in f)
        loose_r += sum(any(a < d and c < b for c, d in f) for a, b in g)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = tp / max(n_found, 1), tp / max(n_gold, 1)
    lp, lr = loose_p / max(n_found, 1), loose_r / max(n_gold, 1)
    return {"sP": sp, "sR": sr, "sF": f1(sp, sr), "lP": lp, "lR": lr, "lF": f1(lp, lr)}


def holdout(data: Path, fold: int, folds: int = 5) -> dict[str, float]:
    """Train without one contiguous fifth of the tech TRAIN split, score on that fifth.

    How the features and parameters were chosen without looking at dev. Sentences of a posting
    are contiguous in the file, so a contiguous fifth keeps postings whole.
    """
    import tempfile

    import pycrfsuite

    from mlpivot.ingest.extract import spans_from_labels

    tech = skillspan(data, "tech", "train")
    lo, hi = fold * len(tech) // folds, (fold + 1) * len(tech) // folds
    vocabulary = load_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "holdout.crfsuite"
        train = [*tech[:lo], *tech[hi:], *skillspan(data, "house", "train")]
        train_crf(train, lambda t, k: sentence_features(t, k, vocabulary), model)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        found = []
        for s in tech[lo:hi]:
            tokens = tokenize(s.text)
            labels = tagger.tag(sentence_features(s.text, tokens, vocabulary)) if tokens else []
            found.append(
                [(tokens[a][0], tokens[b - 1][1], k) for a, b, k in spans_from_labels(labels)]
            )
    return merged_scores([s.spans for s in tech[lo:hi]], found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--out", type=Path, default=CRF_MODEL.parent, help="model folder (default: the package's)"
    )
    parser.add_argument(
        "--holdout", type=int, metavar="FOLD", help="score on fifth FOLD (0-4) of tech train"
    )
    args = parser.parse_args(argv)
    if args.holdout is not None:
        got = holdout(args.data, args.holdout)
        print(
            f"tech train, held-out fifth {args.holdout}: "
            + "  ".join(f"{k} {v:.3f}" for k, v in got.items())
        )
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    vocabulary_file = args.out / VOCABULARY.name
    crf_model = args.out / CRF_MODEL.name
    write_vocabulary(args.data, vocabulary_file)
    write_clusters(args.data, args.out / WORD_CLUSTERS.name)
    load_vocabulary.cache_clear()
    vocabulary: Vocabulary = load_vocabulary(vocabulary_file)
    sentences = train_sentences(args.data)
    train_crf(sentences, lambda t, k: sentence_features(t, k, vocabulary), crf_model)
    digest = hashlib.sha256(crf_model.read_bytes()).hexdigest()[:16]
    crf_model.with_suffix(".version").write_text(
        f"script: scripts/train_extractor.py v{SCRIPT_VERSION}\n"
        f"trained on: skillspan tech+house train ({len(sentences)} sentences)\n"
        f"params: {CRF_PARAMS}\nsha256[:16]: {digest}\n",
        encoding="utf-8",
    )
    size_kb = crf_model.stat().st_size // 1024
    print(f"wrote {vocabulary_file} and {crf_model} ({size_kb} KB), {len(sentences)} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
