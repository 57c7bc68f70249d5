"""The public functions without a catalog: one shared default catalog, safe from many threads."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import mlpivot
from mlpivot.catalog import Catalog, default_catalog

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"


def texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(POSTINGS.glob("*.txt"))][:6]


def test_bare_calls_answer_as_with_the_built_in_catalog(catalog: Catalog) -> None:
    text = texts()[0]
    assert mlpivot.extract_skills(text) == mlpivot.extract_skills(text, catalog)
    bare = mlpivot.classify_posting("Machine Learning Engineer", text)
    assert bare == mlpivot.classify_posting("Machine Learning Engineer", text, catalog)
    assert default_catalog() is default_catalog()


def test_extraction_from_many_threads_matches_one_thread() -> None:
    """The CRF tagger keeps per-sentence state: threads sharing one would mix sentences."""
    samples = texts()
    expected = [mlpivot.extract_skills(t) for t in samples]
    failures: list[str] = []

    def work(n: int) -> None:
        try:
            for _ in range(6):
                if mlpivot.extract_skills(samples[n]) != expected[n]:
                    failures.append(f"text {n}: different mentions")
        except Exception as exc:  # a thread's error would otherwise vanish
            failures.append(f"text {n}: {exc!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(samples))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, as a busy server does
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
