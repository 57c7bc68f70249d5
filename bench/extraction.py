"""Skill-extraction benchmark: span P/R/F1 (strict and loose) and sentences per second.

    uv run python bench/extraction.py [--data ../shared/data]

Systems, measured in the same run on the same sentences:
  ours      mlpivot.ingest.extract.extract_skills (catalog dictionary + CRF)
  dict      a plain dictionary of ESCO skill labels + O*NET technology names (longest match)
  crf-base  a CRF on simple token features, trained here on the same TRAIN splits
Headline: SkillSpan tech DEV with skill and knowledge merged (one set of spans, type ignored),
the measure issue 12 sets targets on (strict F1 >= 0.50, loose F1 >= 0.80, >= 2,000 sentences
per second on one core). Then, typed: SkillSpan DEV (tech, house; skill + knowledge) and
Sayfullina DEV (one label, scored without type). Strict = same start, end (and type); loose =
overlapping (and same type). Speed: the bare public call `mlpivot.extract_skills(text)` and the
call with an explicit catalog, one sentence at a time, in this one process (one core).
Linking: skill-id P/R/F1 on tests/data/extraction/gold_links.jsonl if it exists (strict span +
id, lenient overlap + id, id-only per sentence; `null` spans as detection only).
Nothing here is tuned on: it only reads dev splits and the gold links.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from mlpivot.ingest.extract import (  # noqa: E402
    PhraseIndex,
    extract_skills,
    spans_from_labels,
    tokenize,
)
from train_extractor import (  # noqa: E402
    DEFAULT_DATA,
    Sentence,
    dictionary_entries,
    merged_scores,
    sayfullina,
    skillspan,
    train_crf,
    train_sentences,
)

Span = tuple[int, int, str]
System = Callable[[str], list[Span]]
GOLD_LINKS = ROOT / "tests" / "data" / "extraction" / "gold_links.jsonl"


def load_any_catalog() -> Any:
    """The real catalog; while the knowledge base is being finished, its skills alone."""
    from mlpivot.catalog import load_catalog
    from mlpivot.errors import CatalogError

    try:
        return load_catalog()
    except CatalogError as exc:
        import yaml

        from mlpivot.catalog.catalog import BUILTIN_DIR
        from mlpivot.catalog.models import Skill

        print(f"note: catalog does not load ({len(exc.problems)} problems); using skills only")
        skills: dict[str, Skill] = {}
        for path in sorted((BUILTIN_DIR / "skills").glob("*.yaml")):
            for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("skills", []):
                try:
                    skill = Skill.model_validate(raw)
                except Exception:  # an unfinished entry is skipped here only
                    continue
                skills[skill.id] = skill
        index = {
            " ".join(label.casefold().split()): s.id
            for s in skills.values()
            for label in (s.id, s.name, *s.aliases)
        }
        return SimpleNamespace(skills=skills, alias_index=index)


def ours(catalog: Any) -> System:
    def run(text: str) -> list[Span]:
        return [(m.start, m.end, m.span_type) for m in extract_skills(text, catalog)]

    return run


def plain_dictionary(data: Path) -> System:
    index = PhraseIndex(dictionary_entries(data))
    kinds = {"K": "knowledge", "S": "skill"}

    def run(text: str) -> list[Span]:
        tokens = tokenize(text)
        return [
            (tokens[a][0], tokens[b - 1][1], kinds[values[0]])
            for a, b, _key, values in index.find(text, tokens)
        ]

    return run


def simple_features(text: str, tokens: Sequence[tuple[int, int]]) -> list[list[str]]:
    words = [text[a:b] for a, b in tokens]
    feats = []
    for i, w in enumerate(words):
        lw = w.casefold()
        f = ["w=" + lw, "s3=" + lw[-3:], f"up={w.isupper()}", f"title={w.istitle()}"]
        f.append("-1=" + (words[i - 1].casefold() if i else "<s>"))
        f.append("+1=" + (words[i + 1].casefold() if i + 1 < len(words) else "</s>"))
        feats.append(f)
    return feats


def baseline_crf(data: Path, workdir: Path) -> System:
    import pycrfsuite

    model = workdir / "baseline.crfsuite"
    train_crf(train_sentences(data), simple_features, model)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    kinds = {"S": "skill", "K": "knowledge"}

    def run(text: str) -> list[Span]:
        tokens = tokenize(text)
        if not tokens:
            return []
        labels = tagger.tag(simple_features(text, tokens))
        return [(tokens[a][0], tokens[b - 1][1], kinds[k]) for a, b, k in spans_from_labels(labels)]

    return run


def score(
    gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]], typed: bool
) -> dict[str, float]:
    def key(s: Span) -> Span:
        return s if typed else (s[0], s[1], "")

    tp_s = n_pred = n_gold = p_loose = r_loose = 0
    for g_raw, p_raw in zip(gold, pred, strict=True):
        g = {key(s) for s in g_raw}
        p = {key(s) for s in p_raw}
        n_gold += len(g)
        n_pred += len(p)
        tp_s += len(g & p)
        p_loose += sum(any(a < d and c < b and k == t for c, d, t in g) for a, b, k in p)
        r_loose += sum(any(a < d and c < b and k == t for c, d, t in p) for a, b, k in g)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = tp_s / max(n_pred, 1), tp_s / max(n_gold, 1)
    lp, lr = p_loose / max(n_pred, 1), r_loose / max(n_gold, 1)
    return {"sP": sp, "sR": sr, "sF": f1(sp, sr), "lP": lp, "lR": lr, "lF": f1(lp, lr)}


def run_system(system: System, sentences: Sequence[Sentence]) -> tuple[list[list[Span]], float]:
    started = time.perf_counter()
    out = [system(s.text) for s in sentences]
    elapsed = time.perf_counter() - started
    return out, len(sentences) / elapsed if elapsed else float("inf")


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> str:
    p, r = tp_p / max(n_pred, 1), tp_r / max(n_gold, 1)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (gold {n_gold}, found {n_pred})"


def linking(catalog: Any) -> list[str]:
    """Skill-id figures on the gold links: per mention (strict, lenient) and per sentence.

    strict  = same offsets and same id; lenient = overlapping span, same id (boundary choices
    such as "communication" vs "communication skills" do not count); per sentence = the set of
    ids named in a sentence. `null` gold spans (skills with no catalog id) are scored apart, as
    span detection: how many of them any mention of ours overlaps.
    """
    if not GOLD_LINKS.exists():
        return [f"linking: {GOLD_LINKS.relative_to(ROOT)} not present; skipped"]
    strict_tp = lenient_p = lenient_r = n_gold = n_pred = 0
    sent_gold: set[tuple[int, str]] = set()
    sent_found: set[tuple[int, str]] = set()
    null_gold = null_hit = 0
    with GOLD_LINKS.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for n, row in enumerate(rows):
        gold = [(m["start"], m["end"], m["skill"]) for m in row.get("mentions", [])]
        linked = [g for g in gold if g[2]]
        mentions = extract_skills(row["text"], catalog)
        found = {(m.start, m.end, m.skill_id) for m in mentions if m.skill_id}
        n_gold += len(linked)
        n_pred += len(found)
        strict_tp += len(set(linked) & found)
        lenient_p += sum(any(a < d and c < b and k == t for c, d, t in linked) for a, b, k in found)
        lenient_r += sum(any(a < d and c < b and k == t for c, d, t in found) for a, b, k in linked)
        sent_gold |= {(n, g[2]) for g in linked}
        sent_found |= {(n, str(f[2])) for f in found}
        for c, d, _ in (g for g in gold if not g[2]):
            null_gold += 1
            null_hit += any(m.start < d and c < m.end for m in mentions)
    tp = len(sent_gold & sent_found)
    return [
        f"linking on {GOLD_LINKS.relative_to(ROOT)} ({len(rows)} sentences):",
        f"  strict   (span + id)       {_prf(strict_tp, n_pred, strict_tp, n_gold)}",
        f"  lenient  (overlap + id)    {_prf(lenient_p, n_pred, lenient_r, n_gold)}",
        f"  sentence (id only)         {_prf(tp, len(sent_found), tp, len(sent_gold))}",
        f"  null spans overlapped by any mention: {null_hit}/{null_gold}",
    ]


def _row(label: str, m: dict[str, float], rate: float) -> str:
    return (
        f"{label:<38} "
        + " ".join(f"{m[k]:6.3f}" for k in ("sP", "sR", "sF", "lP", "lR", "lF"))
        + f" {rate:8.0f}"
    )


def _header(label: str) -> str:
    return (
        f"{label:<38} "
        + " ".join(f"{c:>6}" for c in ("sP", "sR", "sF1", "lP", "lR", "lF1"))
        + f" {'sent/s':>8}"
    )


SPEED_BUDGET_S = 20.0


def _rate(call: Callable[[str], object], texts: Sequence[str]) -> tuple[float, int]:
    """Sentences per second, one at a time; stops after `SPEED_BUDGET_S` if the call is slow."""
    started = time.perf_counter()
    done = 0
    for text in texts:
        call(text)
        done += 1
        if time.perf_counter() - started > SPEED_BUDGET_S:
            break
    return done / (time.perf_counter() - started), done


def headline(data: Path, catalog: Any, systems: dict[str, System]) -> list[str]:
    """Tech dev, skill and knowledge merged; speed of the bare and the explicit-catalog call."""
    import mlpivot
    from mlpivot.ingest.extract import CRF_MODEL, VOCABULARY

    sentences = skillspan(data, "tech", "dev")
    gold = [list(s.spans) for s in sentences]
    lines = [
        f"SkillSpan tech DEV, skill + knowledge merged ({len(sentences)} sentences)",
        _header("system"),
    ]
    for name, system in systems.items():
        pred, rate = run_system(system, sentences)
        lines.append(_row(name, merged_scores(gold, pred), rate))
    texts = [s.text for s in sentences]
    mlpivot.extract_skills("warm up the default catalog")
    bare, bare_n = _rate(mlpivot.extract_skills, texts)
    explicit, explicit_n = _rate(lambda text: extract_skills(text, catalog), texts)
    size_kb = (CRF_MODEL.stat().st_size + VOCABULARY.stat().st_size) / 1024
    lines += [
        f"speed, one core: mlpivot.extract_skills(text) {bare:,.0f} sentences/s "
        f"(over {bare_n}); extract_skills(text, catalog) {explicit:,.0f} sentences/s "
        f"(over {explicit_n})",
        f"model: {CRF_MODEL.name} {CRF_MODEL.stat().st_size / 1024:,.0f} KB + "
        f"{VOCABULARY.name} {VOCABULARY.stat().st_size / 1024:,.0f} KB = {size_kb:,.0f} KB",
        "",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    catalog = load_any_catalog()
    sets = {
        "skillspan-tech-dev": (skillspan(args.data, "tech", "dev"), True),
        "skillspan-house-dev": (skillspan(args.data, "house", "dev"), True),
        "sayfullina-dev": (sayfullina(args.data, "dev"), False),
    }
    with tempfile.TemporaryDirectory() as tmp:
        systems = {
            "ours": ours(catalog),
            "dict (ESCO+O*NET)": plain_dictionary(args.data),
            "crf-base": baseline_crf(args.data, Path(tmp)),
        }
        extract_skills("warm up: load the model once before timing", catalog)
        print("\n".join(headline(args.data, catalog, systems)))
        print("typed (skill and knowledge apart)")
        print(_header("data / system"))
        for name, (sentences, typed) in sets.items():
            gold = [list(s.spans) for s in sentences]
            for sys_name, system in systems.items():
                pred, rate = run_system(system, sentences)
                print(_row(f"{name} {sys_name}", score(gold, pred, typed), rate))
    print("\n".join(linking(catalog)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
