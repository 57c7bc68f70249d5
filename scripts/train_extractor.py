"""Build the skill extractor's CRF model and vocabulary from the shared data (deterministic).

    uv run python scripts/train_extractor.py [--data ../shared/data] [--out DIR]

Writes src/mlpivot/ingest/models/vocabulary.tsv (O*NET technology names as knowledge, ESCO
skill labels as skill) and src/mlpivot/ingest/models/skill_crf.crfsuite (trained on the SkillSpan
tech+house TRAIN splits and the Sayfullina TRAIN split only), plus skill_crf.version.
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
    PhraseIndex,
    load_vocabulary,
    sentence_features,
    tokenize,
)

SCRIPT_VERSION = "1"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("MLPIVOT_SHARED_DATA", ROOT.parent / "shared" / "data"))
CRF_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


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
    return [
        *skillspan(data, "tech", "train"),
        *skillspan(data, "house", "train"),
        *sayfullina(data, "train"),
    ]


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
        "# S = ESCO skill preferred labels (European Commission, reuse with acknowledgement).",
    ]
    lines += [f"{kind}\t{phrase}" for phrase, kind in dictionary_entries(data)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--out", type=Path, default=CRF_MODEL.parent, help="model folder (default: the package's)"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    vocabulary_file = args.out / VOCABULARY.name
    crf_model = args.out / CRF_MODEL.name
    write_vocabulary(args.data, vocabulary_file)
    load_vocabulary.cache_clear()
    vocabulary: PhraseIndex = load_vocabulary(vocabulary_file)
    sentences = train_sentences(args.data)
    train_crf(sentences, lambda t, k: sentence_features(t, k, vocabulary), crf_model)
    digest = hashlib.sha256(crf_model.read_bytes()).hexdigest()[:16]
    crf_model.with_suffix(".version").write_text(
        f"script: scripts/train_extractor.py v{SCRIPT_VERSION}\n"
        f"trained on: skillspan tech+house train, sayfullina train ({len(sentences)} sentences)\n"
        f"params: {CRF_PARAMS}\nsha256[:16]: {digest}\n",
        encoding="utf-8",
    )
    size_kb = crf_model.stat().st_size // 1024
    print(f"wrote {vocabulary_file} and {crf_model} ({size_kb} KB), {len(sentences)} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
