"""The catalog cache: rebuilt when any input changes, never trusted when damaged, never required."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mlpivot.catalog import Catalog, default_catalog, load_catalog
from mlpivot.catalog.cache import MAGIC

SKILL = """\
skills:
  - id: zz-cache-skill
    name: {name}
    category: classic-ml
    description: A skill that only the cache tests define.
    hours: {{working: 10, strong: 20}}
    hours_basis: estimate for tests
    resources:
      - {{title: Scikit-learn guide, url: "https://scikit-learn.org/stable/", kind: docs}}
    evidence: [a quiz]
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "extra.yaml").write_text(SKILL.format(name="First Name"), encoding="utf-8")
    return folder


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "catalog").iterdir() if not p.name.startswith("."))


def same_catalog(a: Catalog, b: Catalog) -> bool:
    return a == b and dict(a.locations) == dict(b.locations)


def loads_without_parsing(cache_dir: Path, overlay: Path) -> bool:
    """Whether a new process gets the catalog without importing a YAML parser (a cache hit)."""
    code = (
        "import sys\n"
        "from mlpivot.catalog import load_catalog\n"
        f"catalog = load_catalog({str(overlay)!r})\n"
        "assert catalog.skills['zz-cache-skill']\n"
        "print('yaml' in sys.modules)\n"
    )
    env = {**os.environ, "MLPIVOT_CACHE_DIR": str(cache_dir)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip() == "False"


def test_cached_catalog_equals_the_one_read_from_yaml(cache_dir: Path, overlay: Path) -> None:
    first = load_catalog(overlay)
    assert len(cache_files(cache_dir)) == 1
    again = load_catalog(overlay)
    assert same_catalog(again, load_catalog(overlay, cache=False))
    assert same_catalog(again, first)
    assert loads_without_parsing(cache_dir, overlay)


def test_editing_an_overlay_file_is_seen_by_the_next_load(cache_dir: Path, overlay: Path) -> None:
    assert load_catalog(overlay).skills["zz-cache-skill"].name == "First Name"
    (overlay / "extra.yaml").write_text(SKILL.format(name="Second Name"), encoding="utf-8")
    assert load_catalog(overlay).skills["zz-cache-skill"].name == "Second Name"


def test_adding_an_overlay_file_is_seen_by_the_next_load(cache_dir: Path, overlay: Path) -> None:
    load_catalog(overlay)
    more = SKILL.format(name="Other").replace("zz-cache-skill", "zz-cache-other")
    (overlay / "sub").mkdir()
    (overlay / "sub" / "more.yml").write_text(more, encoding="utf-8")
    assert "zz-cache-other" in load_catalog(overlay).skills


def test_a_broken_overlay_is_reported_even_after_a_good_load(
    cache_dir: Path, overlay: Path
) -> None:
    from mlpivot.errors import CatalogError

    load_catalog(overlay)
    (overlay / "extra.yaml").write_text(
        SKILL.format(name="X").replace("working: 10", "working: -1"), encoding="utf-8"
    )
    with pytest.raises(CatalogError, match=r"extra\.yaml:6: .*hours\.working"):
        load_catalog(overlay)


@pytest.mark.parametrize("damage", ["flip-a-byte", "truncate", "empty", "garbage-header"])
def test_a_damaged_cache_file_is_rebuilt(cache_dir: Path, overlay: Path, damage: str) -> None:
    load_catalog(overlay)
    (path,) = cache_files(cache_dir)
    blob = path.read_bytes()
    if damage == "flip-a-byte":
        middle = len(blob) // 2
        blob = blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :]
    elif damage == "truncate":
        blob = blob[: len(blob) // 3]
    elif damage == "empty":
        blob = b""
    else:
        blob = b"not a cache at all\n" + blob[40:]
    path.write_bytes(blob)

    assert same_catalog(load_catalog(overlay), load_catalog(overlay, cache=False))
    assert path.read_bytes() != blob  # written again, whole
    assert loads_without_parsing(cache_dir, overlay)


def test_a_cache_file_naming_a_function_is_never_run(
    cache_dir: Path, overlay: Path, tmp_path: Path
) -> None:
    """Even with a correct key and checksum, the unpickler resolves only our value classes."""
    load_catalog(overlay)
    (path,) = cache_files(cache_dir)
    key = path.read_bytes()[len(MAGIC) : len(MAGIC) + 64]
    marker = tmp_path / "was-run"

    class Forged:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(marker),))

    payload = pickle.dumps(Forged())
    digest = hashlib.sha256(payload).hexdigest().encode()
    path.write_bytes(MAGIC + key + b"\n" + digest + b"\n" + payload)

    catalog = load_catalog(overlay)
    assert not marker.exists()
    assert same_catalog(catalog, load_catalog(overlay, cache=False))


def test_an_unwritable_cache_folder_means_no_cache_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overlay: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(blocker / "cache"))
    catalog = load_catalog(overlay)
    assert same_catalog(catalog, load_catalog(overlay, cache=False))
    assert blocker.is_file()


def test_a_missing_cache_folder_is_created(cache_dir: Path, overlay: Path) -> None:
    assert not cache_dir.exists()
    load_catalog(overlay)
    assert len(cache_files(cache_dir)) == 1


def test_processes_building_at_once_leave_one_valid_cache(cache_dir: Path, overlay: Path) -> None:
    code = (
        "from mlpivot.catalog import load_catalog\n"
        f"print(len(load_catalog({str(overlay)!r}).skills))\n"
    )
    env = {**os.environ, "MLPIVOT_CACHE_DIR": str(cache_dir)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    counts = {proc.communicate(timeout=120)[0].strip() for proc in procs}
    assert all(proc.returncode == 0 for proc in procs)
    assert counts == {str(len(load_catalog(overlay, cache=False).skills))}
    assert len(cache_files(cache_dir)) == 1
    assert not [p for p in (cache_dir / "catalog").iterdir() if p.name.endswith(".tmp")]
    assert loads_without_parsing(cache_dir, overlay)


def test_the_default_catalog_is_loaded_once_and_shared_between_threads() -> None:
    seen: list[Catalog] = []
    threads = [threading.Thread(target=lambda: seen.append(default_catalog())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8
    assert all(c is seen[0] for c in seen)
    assert default_catalog() is seen[0]
    assert "pytorch" in seen[0].skills
