"""The extractor's vocabulary (an Aho-Corasick automaton) is kept in the catalog's cache folder
with the same rules: rebuilt when its file changes, never trusted when damaged, never required."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from mlpivot.catalog import Catalog
from mlpivot.catalog.cache import MAGIC
from mlpivot.ingest.extract import VOCABULARY, Vocabulary, load_vocabulary, tokenize

TSV = "# kind\tphrase\nK\tApache Spark\nK\tscikit-learn\nS\tmanage data pipelines\nV\tdeploy\n"
TEXT = "We deploy Apache Spark jobs and scikit learn models, and manage data pipelines daily."


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def tsv(tmp_path: Path) -> Path:
    path = tmp_path / "vocabulary.tsv"
    path.write_text(TSV, encoding="utf-8")
    return path


def load(path: Path) -> Vocabulary:
    """A load as a new process makes it (load_vocabulary keeps one per process)."""
    return load_vocabulary.__wrapped__(path)


def found(vocabulary: Vocabulary, text: str = TEXT) -> list[tuple[int, int, str, tuple[str, ...]]]:
    return vocabulary.phrases.find(text, tokenize(text), longest=False)


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "vocabulary").iterdir() if not p.name.startswith("."))


def test_a_cached_vocabulary_finds_what_a_fresh_one_finds(cache_dir: Path, tsv: Path) -> None:
    fresh = load(tsv)
    (path,) = cache_files(cache_dir)
    written = path.stat().st_mtime_ns
    cached = load(tsv)
    assert path.stat().st_mtime_ns == written  # read, not rebuilt
    assert found(cached) == found(fresh)
    assert {key for _, _, key, _ in found(cached)} == {
        "apache spark",
        "scikit learn",
        "manage data pipeline",
    }
    assert cached.verbs == fresh.verbs == frozenset({"deploy"})


def test_the_built_in_vocabulary_reads_back_the_same(cache_dir: Path) -> None:
    fresh = load(VOCABULARY)
    cached = load(VOCABULARY)
    postings = sorted((Path(__file__).resolve().parents[1] / "data" / "postings").glob("*.txt"))
    sample = "\n".join(p.read_text(encoding="utf-8") for p in postings[:5])
    assert found(cached, sample) == found(fresh, sample)
    assert len(found(fresh, sample)) > 20
    assert cached.verbs == fresh.verbs


def test_editing_the_vocabulary_file_is_seen_by_the_next_load(cache_dir: Path, tsv: Path) -> None:
    load(tsv)
    tsv.write_text(TSV + "K\tdaily\n", encoding="utf-8")
    assert "daily" in {key for _, _, key, _ in found(load(tsv))}


@pytest.mark.parametrize("damage", ["flip-a-byte", "truncate", "empty", "forged"])
def test_a_damaged_or_forged_cache_file_is_rebuilt(
    cache_dir: Path, tsv: Path, tmp_path: Path, damage: str
) -> None:
    fresh = found(load(tsv))
    (path,) = cache_files(cache_dir)
    blob = path.read_bytes()
    marker = tmp_path / "was-run"
    if damage == "flip-a-byte":
        middle = len(blob) // 2
        blob = blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :]
    elif damage == "truncate":
        blob = blob[: len(blob) // 3]
    elif damage == "empty":
        blob = b""
    else:  # the right key and checksum, but a payload that names a function

        class Forged:
            def __reduce__(self) -> tuple[object, tuple[str]]:
                return (os.mkdir, (str(marker),))

        payload = pickle.dumps(Forged())
        key = blob[len(MAGIC) : len(MAGIC) + 64]
        digest = hashlib.sha256(payload).hexdigest().encode()
        blob = MAGIC + key + b"\n" + digest + b"\n" + payload
    path.write_bytes(blob)

    assert found(load(tsv)) == fresh
    assert not marker.exists()
    assert path.read_bytes() != blob  # written again, whole
    assert found(load(tsv)) == fresh


def test_an_unwritable_cache_folder_means_no_cache_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tsv: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(blocker / "cache"))
    assert {key for _, _, key, _ in found(load(tsv))} == {
        "apache spark",
        "scikit learn",
        "manage data pipeline",
    }
    assert blocker.is_file()


SKILL = """\
skills:
  - id: zz-dictionary-skill
    name: Quokka Flow
    aliases: [QFlow]
    category: classic-ml
    description: A skill that only the dictionary cache test defines.
    hours: {working: 10, strong: 20}
    hours_basis: estimate for tests
    resources:
      - {title: Scikit-learn guide, url: "https://scikit-learn.org/stable/", kind: docs}
    evidence: [a quiz]
"""


def test_the_catalog_dictionary_is_cached_per_set_of_labels(
    cache_dir: Path, tmp_path: Path
) -> None:
    """A catalog with other skill names gets its own dictionary; the same labels read back."""
    from mlpivot.catalog import load_catalog
    from mlpivot.ingest import extract

    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "extra.yaml").write_text(SKILL, encoding="utf-8")
    text = "We use QFlow and quokka flows with PyTorch."
    builtin, extended = load_catalog(), load_catalog(overlay)

    def ids(catalog: Catalog) -> set[str | None]:
        extract._DICTIONARIES.clear()  # as a new process would
        return {m.skill_id for m in extract.extract_skills(text, catalog, use_model=False)}

    assert ids(builtin) == {"pytorch"}
    assert ids(extended) == {"pytorch", "zz-dictionary-skill"}
    assert len(list((cache_dir / "dictionary").glob("dictionary-*.pickle"))) == 2
    assert ids(builtin) == {"pytorch"}  # read back, not mixed up with the other
    assert ids(extended) == {"pytorch", "zz-dictionary-skill"}


def test_editing_the_word_clusters_beside_it_is_seen_by_the_next_load(
    tsv: Path, cache_dir: Path
) -> None:
    clusters = tsv.with_name("word_clusters.tsv")
    clusters.write_text("spark\t32:1 128:7\n", encoding="utf-8")
    assert load(tsv).clusters["spark"] == ("32:1", "128:7")
    clusters.write_text("spark\t32:2 128:9\n", encoding="utf-8")
    assert load(tsv).clusters["spark"] == ("32:2", "128:9")
